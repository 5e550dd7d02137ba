// The "History" view: the decision log, filtered (proposal, verdict, rule and its outcome,
// days), in pages, with its charts; and any past decision opened exactly as it was reported —
// its stored JSON report in the same cards, beside the deal text it was given.

import { h, $, clear, announce, verdictBadge, prose } from './dom.js';
import { get, post, mediaType } from './api.js';
import { editor } from './editor.js';
import { renderDeal } from './cards.js';
import { drawOwnership } from './ownership.js';
import { verdictChart, rulesChart } from './charts.js';

/** `YYYY-MM-DD` + days, as `YYYY-MM-DD` (UTC). */
function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function time(t) {
  return t.replace('T', ' ').replace(/\.\d+/, '').replace('Z', ' UTC');
}

export function setupHistory(state) {
  const form = $('#history-filters');
  const table = $('#history-table');
  const charts = $('#history-charts');
  const list = $('#history-list');
  const view = $('#history-decision');
  const newer = $('#history-newer');
  const older = $('#history-older');
  const pageLabel = $('#history-page');
  // The `before` of each page shown before this one (newest first), and of this one.
  let stack = [];
  let current = null;
  let next = null;

  function filters() {
    const q = new URLSearchParams();
    const add = (name, value) => { if (value) q.set(name, value); };
    add('proposal', $('#f-proposal').value.trim());
    add('verdict', $('#f-verdict').value);
    add('rule', $('#f-rule').value);
    add('outcome', $('#f-outcome').value);
    const since = $('#f-since').value;
    const until = $('#f-until').value;
    if (since) q.set('since', `${since}T00:00:00Z`);
    if (until) q.set('until', `${addDays(until, 1)}T00:00:00Z`);
    return q;
  }

  async function loadSummary() {
    try {
      const answer = await get(`/v1/decisions/summary?${filters()}`);
      clear(charts).append(verdictChart(answer.json), rulesChart(answer.json, {
        pick: (rule) => {
          $('#f-rule').value = rule;
          $('#f-outcome').value = 'fail';
          refresh();
        },
      }));
    } catch (e) {
      clear(charts).append(h('p', { class: 'error' }, e.message));
    }
  }

  async function loadPage(before) {
    const q = filters();
    q.set('limit', '20');
    if (before) q.set('before', String(before));
    table.setAttribute('aria-busy', 'true');
    try {
      const answer = await get(`/v1/decisions?${q}`);
      const page = answer.json;
      next = page.next;
      render(page.decisions);
      newer.disabled = stack.length === 0;
      older.disabled = !next;
      pageLabel.textContent = page.decisions.length
        ? `Decisions #${page.decisions[0].id} to #${page.decisions[page.decisions.length - 1].id}`
        : 'No decision matches';
      return page.decisions.length;
    } catch (e) {
      clear(table).append(h('p', { class: 'error', role: 'alert' }, e.message));
      return 0;
    } finally {
      table.removeAttribute('aria-busy');
    }
  }

  function render(decisions) {
    clear(table);
    if (!decisions.length) {
      table.append(h('p', { class: 'empty' }, 'No decision matches these filters.'));
      return;
    }
    table.append(h('table', { class: 'decisions' },
      h('caption', { class: 'visually-hidden' }, 'Decisions, newest first'),
      h('thead', {}, h('tr', {}, ['Decision', 'Time (UTC)', 'Proposal', 'Verdict', 'Failing rules', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, decisions.map((d) => {
        const failing = d.outcomes.filter((o) => o.outcome === 'fail').map((o) => o.rule);
        return h('tr', { 'data-id': d.id },
          h('td', {}, `#${d.id}`),
          h('td', {}, time(d.time)),
          h('td', {}, d.proposal || h('span', { class: 'muted' }, '(no proposal)')),
          h('td', {}, verdictBadge(d.verdict)),
          h('td', { class: 'failing' }, failing.length ? failing.map((r) => h('code', {}, r)) : h('span', { class: 'muted' }, '—')),
          h('td', {}, h('button', { type: 'button', class: 'ghost small', 'aria-label': `Open decision ${d.id}`, onclick: () => open(d.id) }, 'Open')));
      }))));
  }

  async function refresh() {
    stack = [];
    current = null;
    const n = await loadPage(null);
    loadSummary();
    announce(`${n} decisions shown.`);
  }

  form.addEventListener('submit', (ev) => { ev.preventDefault(); refresh(); });
  $('#history-reset').addEventListener('click', () => { form.reset(); refresh(); });
  older.addEventListener('click', () => {
    stack.push(current);
    current = next;
    loadPage(current);
  });
  newer.addEventListener('click', () => {
    current = stack.pop() ?? null;
    loadPage(current);
  });

  async function open(id) {
    let d;
    try {
      d = (await get(`/v1/decisions/${id}`)).json;
    } catch (e) {
      announce(e.message, true);
      return;
    }
    list.hidden = true;
    view.hidden = false;
    clear(view);
    const back = h('button', { type: 'button', class: 'ghost', id: 'history-back', onclick: () => { view.hidden = true; list.hidden = false; table.querySelector(`tr[data-id="${id}"] button`)?.focus(); } }, '← Back to the log');
    const versions = (d.policy_versions || []).map((p) => `${p.title}${p.version ? ' ' + p.version : ''}`).join('; ');
    view.append(h('div', { class: 'decision-head panel' },
      back,
      h('h2', { id: 'decision-title', tabindex: '-1' }, `Decision #${d.id}`),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Decided'), h('dd', {}, time(d.time)),
        h('dt', {}, 'Verdict'), h('dd', {}, verdictBadge(d.verdict)),
        h('dt', {}, 'Policy set'), h('dd', {}, versions || '—', ' ', h('code', { title: d.policy_hash }, d.policy_hash.slice(0, 12))),
        h('dt', {}, 'Evaluation date'), h('dd', {}, d.evaluation_date || 'each rule at its own date'),
        h('dt', {}, 'Engine'), h('dd', {}, d.engine_version),
        h('dt', {}, 'Deal'), h('dd', {}, `${d.deal_format.toUpperCase()}, sha256 `, h('code', {}, d.deal_sha256.slice(0, 16) + '…'))),
      h('p', { class: 'hint' }, 'As it was reported: the report stored with the decision, not a new check.')));
    const grid = h('div', { class: 'check-grid' });
    const sourcePanel = h('section', { class: 'panel', 'aria-labelledby': 'decision-source-title' }, h('h3', { id: 'decision-source-title' }, 'The deal as given'));
    const resultsPanel = h('section', { class: 'panel results-panel', 'aria-label': 'The report' });
    grid.append(sourcePanel, resultsPanel);
    view.append(grid);
    let src = null;
    if (d.deal_text != null) {
      const host = h('div', {});
      sourcePanel.append(host);
      src = editor(host, { id: 'decision-source', readOnly: true, label: 'The deal as given (read only)', rows: 24 });
      src.setText(d.deal_text);
      sourcePanel.append(h('div', { class: 'actions' }, h('button', { type: 'button', class: 'ghost', onclick: () => { state.loadDeal(d.deal_text, `decision-${d.id}.${d.deal_format}`); state.showTab('check'); } }, 'Open in the checker')));
    } else {
      sourcePanel.append(h('p', { class: 'muted' }, 'The server keeps only the deal’s hash (--no-store-deals).'));
    }
    const report = d.report;
    if (d.verdict === 'invalid' || !report || !report.rules) {
      resultsPanel.append(h('div', { class: 'verdict verdict-box-invalid' }, verdictBadge('invalid'), h('p', {}, 'The deal could not be checked.')));
      const errs = (report && (report.errors || [])) || [];
      if (errs.length) {
        resultsPanel.append(h('ul', {}, errs.map((e) => h('li', {}, e.line ? `line ${e.line}: ` : '', prose(e.message)))));
        src?.mark(errs.map((e) => ({ line: e.line, column: e.column, kind: 'error' })));
      }
    } else {
      const ctx = { prefix: `decision-${d.id}`, locate: src ? (l, c) => src.goTo(l, c) : null, ownership: Boolean(src) };
      let diagram = null;
      ctx.showPaths = (paths, target) => diagram?.highlight(paths, target);
      const { ownershipHost, marks } = renderDeal(resultsPanel, report, ctx);
      src?.mark(marks);
      if (marks.length) src?.reveal(Math.min(...marks.map((m) => m.line)));
      if (src) {
        ownershipHost.append(h('h3', {}, 'Ownership'));
        const box = h('div', { id: 'decision-ownership' });
        ownershipHost.append(box);
        post('/v1/ownership', d.deal_text, mediaType(d.deal_format)).then((a) => {
          diagram = drawOwnership(box, { ...a.json, proposal: report.proposal }, { locate: (l, c) => src.goTo(l, c), title: `Ownership of ${report.proposal || 'the deal'}` });
        }).catch((e) => box.append(h('p', { class: 'muted' }, `No diagram: ${e.message}`)));
      }
    }
    $('#decision-title').focus();
    announce(`Decision ${d.id} opened: ${d.verdict}.`);
  }

  state.refreshHistory = refresh;
  state.openDecision = open;
}

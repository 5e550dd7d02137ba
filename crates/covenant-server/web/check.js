// The "Check a deal" view: the deal's text (pasted, typed or uploaded), the check, the
// verdict and cards beside the deal's source, the explain tree, the ownership diagram, the
// downloads, and the problems of a deal that does not load, at their lines.

import { h, $, clear, announce, download, readFile, prose, VERDICT_WORDS } from './dom.js';
import { post, mediaType, ApiError } from './api.js';
import { editor } from './editor.js';
import { renderDeal } from './cards.js';
import { renderExplanation } from './explain.js';
import { drawOwnership } from './ownership.js';

/** The format of a deal's text: by the file's extension, else by its first characters. */
export function detectFormat(text, fileName = '') {
  const ext = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'json') return 'json';
  if (ext === 'toml') return 'toml';
  if (ext === 'yaml' || ext === 'yml') return 'yaml';
  const body = text.replace(/^\uFEFF/, '');
  const first = body.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#')) || '';
  if (first.startsWith('{') || first.startsWith('[')) {
    return first.startsWith('[') && /^\[\[?[\w."-]+\]?\]\s*$/.test(first) ? 'toml' : 'json';
  }
  if (/^[\w"'.-]+\s*=/.test(first) || /^\[[\w."-]+\]\s*$/.test(first)) return 'toml';
  return 'yaml';
}

/** The problems of a deal (or a policy) that does not load, as a list of located items. */
export function diagnosticsList(host, diagnostics, { title, goTo }) {
  clear(host);
  host.hidden = false;
  const items = diagnostics.map((d) => {
    const where = d.line ? `${d.file ? d.file + ', ' : ''}line ${d.line}${d.column ? `, column ${d.column}` : ''}` : d.file || '';
    return h('li', { class: `diag diag-${d.severity}` },
      h('span', { class: 'sev' }, d.severity === 'warning' ? 'Warning' : 'Error'), ' ',
      d.line && goTo ? h('button', { type: 'button', class: 'link', onclick: () => goTo(d) }, where) : where,
      where ? ': ' : '', prose(d.message),
      d.help ? h('p', { class: 'help' }, h('b', {}, 'Help: '), prose(d.help)) : null,
      h('p', { class: 'code-name' }, h('code', {}, d.code)));
  });
  host.append(h('h3', {}, title), h('ul', {}, items));
}

export function setupCheck(state) {
  const ed = editor($('#deal-editor'), { id: 'deal-text', labelledBy: 'deal-text-label', rows: 24 });
  state.dealEditor = ed;
  const formatSelect = $('#deal-format');
  const detected = $('#deal-detected');
  const results = $('#results-body');
  const empty = $('#results-empty');
  const diagnostics = $('#deal-diagnostics');
  let fileName = '';
  let last = null;

  const format = () => (formatSelect.value === 'auto' ? detectFormat(ed.text(), fileName) : formatSelect.value);
  const showFormat = () => {
    detected.textContent = ed.text().trim() ? `Read as ${format().toUpperCase()}${formatSelect.value === 'auto' ? ' (detected)' : ''}.` : '';
  };
  ed.textarea.addEventListener('input', () => { fileName = ''; showFormat(); });
  formatSelect.addEventListener('change', showFormat);

  $('#deal-file').addEventListener('change', async (ev) => {
    const file = ev.target.files?.[0];
    if (!file) return;
    const text = await readFile(file);
    fileName = file.name;
    formatSelect.value = 'auto';
    ed.setText(text);
    showFormat();
    announce(`Loaded ${file.name}, ${text.split('\n').length} lines.`);
  });

  $('#clear-button').addEventListener('click', () => {
    ed.setText('');
    fileName = '';
    $('#deal-file').value = '';
    clear(results);
    diagnostics.hidden = true;
    empty.hidden = false;
    showFormat();
    ed.textarea.focus();
  });

  const query = () => {
    const q = new URLSearchParams();
    const asOf = $('#as-of').value;
    if (asOf) q.set('as_of', asOf);
    if ($('#include-proposed').checked) q.set('include_proposed', 'true');
    return q;
  };

  async function explain(request, ruleId, region) {
    region.append(h('p', { class: 'muted' }, 'Explaining…'));
    const q = new URLSearchParams(request.query);
    q.set('rule', ruleId);
    try {
      const answer = await post(`/v1/explain?${q}`, request.text, mediaType(request.format));
      clear(region).append(renderExplanation(answer.json));
      announce(`Explanation of rule ${ruleId} shown.`);
    } catch (e) {
      clear(region).append(h('p', { class: 'error' }, e.message));
    }
  }

  async function downloadAs(kind) {
    if (!last) return;
    const names = { json: 'json', sarif: 'sarif', markdown: 'md' };
    const types = { json: 'application/json', sarif: 'application/sarif+json', markdown: 'text/markdown' };
    let text = last.reportText;
    if (kind !== 'json') {
      const q = new URLSearchParams(last.query);
      q.set('format', kind);
      try {
        text = (await post(`/v1/check?${q}`, last.text, mediaType(last.format))).text;
      } catch (e) {
        announce(`The ${kind} report could not be made: ${e.message}`, true);
        return;
      }
    }
    download(`${last.base}.${names[kind]}`, text, types[kind]);
    announce(`Downloaded the ${kind.toUpperCase()} report.`);
  }

  async function check(ev) {
    ev?.preventDefault();
    const text = ed.text();
    if (!text.trim()) {
      announce('Paste, type or upload a deal first.', true);
      ed.textarea.focus();
      return;
    }
    const request = { text, format: format(), query: query().toString() };
    const button = $('#check-button');
    button.disabled = true;
    button.textContent = 'Checking…';
    diagnostics.hidden = true;
    ed.clearMarks();
    try {
      const answer = await post(`/v1/check?${request.query}`, text, mediaType(request.format));
      const report = answer.json;
      const deal = report.deals[0];
      last = {
        ...request,
        reportText: answer.text,
        decision: answer.headers.get('Covenant-Decision-Id'),
        base: (fileName.replace(/\.[^.]+$/, '') || 'deal') + '-report',
      };
      showResults(deal, last);
      announce(`${VERDICT_WORDS[deal.verdict]}: ${deal.rules.filter((r) => r.outcome === 'fail' && !r.exempt).length} rules fail.`);
    } catch (e) {
      showError(e);
    } finally {
      button.disabled = false;
      button.textContent = 'Check the deal';
    }
  }

  function showError(e) {
    clear(results);
    empty.hidden = true;
    if (e instanceof ApiError && e.diagnostics.length) {
      diagnosticsList(diagnostics, e.diagnostics, {
        title: 'The deal could not be checked',
        goTo: (d) => ed.goTo(d.line, d.column),
      });
      ed.mark(e.diagnostics.map((d) => ({ line: d.line, column: d.column, kind: d.severity === 'warning' ? 'warning' : 'error' })));
      const first = e.diagnostics.find((d) => d.line);
      if (first) ed.reveal(first.line);
      results.append(h('div', { class: 'verdict verdict-box-invalid' }, h('p', {}, h('b', {}, 'Invalid deal. '), e.message),
        h('p', {}, 'Its problems are listed under the deal text and marked at their lines.')));
      announce(`The deal is invalid: ${e.message}`, true);
    } else {
      results.append(h('p', { class: 'error', role: 'alert' }, e.message));
    }
  }

  function showResults(deal, request) {
    clear(results);
    empty.hidden = true;
    const located = (line, column) => ed.goTo(line, column);
    let diagram = null;
    const ctx = {
      prefix: 'check',
      locate: located,
      explain: (id, region) => explain(request, id, region),
      ownership: true,
      showPaths: (paths, target) => {
        if (!diagram) return;
        diagram.highlight(paths, target);
        $('#check-ownership')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      },
    };
    const meta = h('div', { class: 'meta' },
      request.decision ? h('span', {}, `Decision #${request.decision}`) : null,
      h('span', {}, request.query.includes('as_of') ? `as of ${new URLSearchParams(request.query).get('as_of')}` : 'each rule at its own date'),
      h('div', { class: 'downloads', role: 'group', 'aria-label': 'Download the report' },
        h('span', {}, 'Download:'),
        ['json', 'sarif', 'markdown'].map((k) => h('button', { type: 'button', class: 'ghost small', id: `download-${k}`, onclick: () => downloadAs(k) }, k === 'markdown' ? 'Markdown' : k.toUpperCase()))));
    results.append(meta);
    const { ownershipHost, marks } = renderDeal(results, deal, ctx);
    ed.mark(marks);
    if (marks.length) ed.reveal(Math.min(...marks.map((m) => m.line)));
    drawDiagram(ownershipHost, request, deal).then((d) => { diagram = d; });
  }

  async function drawDiagram(host, request, deal) {
    host.id = 'check-ownership';
    host.append(h('h3', {}, 'Ownership'));
    const box = h('div', { id: 'check-ownership-diagram' });
    host.append(box);
    try {
      const answer = await post('/v1/ownership', request.text, mediaType(request.format));
      if (!answer.json.entities.length) {
        box.append(h('p', { class: 'muted' }, 'The deal lists no parties or entities to draw.'));
        return null;
      }
      const diagram = drawOwnership(box, { ...answer.json, proposal: deal.proposal }, {
        locate: (line, column) => ed.goTo(line, column),
        title: `Ownership of ${deal.proposal || 'the deal'}`,
      });
      // Show the chain behind the first failing look-through at once.
      for (const r of deal.rules) {
        const e = (r.evidence || []).find((x) => x.kind === 'look-through' && x.paths?.length);
        if (e && r.outcome === 'fail') { diagram.highlight(e.paths, e.target, r.title || r.id); break; }
      }
      return diagram;
    } catch (e) {
      box.append(h('p', { class: 'muted' }, `No diagram: ${e.message}`));
      return null;
    }
  }

  $('#check-form').addEventListener('submit', check);
  // Ctrl+Enter in the editor checks.
  ed.textarea.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) check(ev);
  });
  state.loadDeal = (text, name) => {
    ed.setText(text);
    fileName = name || '';
    formatSelect.value = 'auto';
    showFormat();
  };
}

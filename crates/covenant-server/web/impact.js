// The "Impact of a rule change" view: a candidate policy set, pasted or uploaded file by file,
// checked against the logged deals (`POST /v1/impact`); which deals change verdict and which
// rules change outcome, old → new. A candidate that does not compile shows its problems at
// their lines, in the file they are in.

import { h, $, clear, announce, readFile, prose, verdictBadge } from './dom.js';
import { post, ApiError } from './api.js';
import { editor } from './editor.js';
import { diagnosticsList } from './check.js';

export function setupImpact(state) {
  const filesHost = $('#impact-files');
  const results = $('#impact-results');
  const diagnostics = $('#impact-diagnostics');
  const files = [];
  let counter = 0;

  function addFile(name = '', text = '') {
    const n = ++counter;
    const nameId = `impact-name-${n}`;
    const nameInput = h('input', { id: nameId, type: 'text', value: name, placeholder: 'name.policy', class: 'file-name', autocomplete: 'off' });
    const host = h('div', {});
    const box = h('fieldset', { class: 'policy-file' },
      h('legend', {}, `File ${n}`),
      h('div', { class: 'row' }, h('div', { class: 'field' }, h('label', { for: nameId }, 'File name'), nameInput),
        h('button', { type: 'button', class: 'ghost small remove', 'aria-label': `Remove file ${n}`, onclick: () => {
          box.remove();
          files.splice(files.indexOf(entry), 1);
        } }, 'Remove')),
      host);
    const ed = editor(host, { id: `impact-text-${n}`, label: `Text of file ${n}`, rows: 12 });
    ed.setText(text);
    const entry = { nameInput, ed, box };
    files.push(entry);
    filesHost.append(box);
    return entry;
  }

  $('#impact-add').addEventListener('click', () => addFile().nameInput.focus());
  $('#impact-upload').addEventListener('change', async (ev) => {
    for (const file of ev.target.files || []) {
      const text = await readFile(file);
      const same = files.find((f) => f.nameInput.value === file.name);
      if (same) same.ed.setText(text);
      else if (files.length === 1 && !files[0].nameInput.value && !files[0].ed.text()) {
        files[0].nameInput.value = file.name;
        files[0].ed.setText(text);
      } else addFile(file.name, text);
    }
    announce(`${ev.target.files.length} files loaded.`);
    ev.target.value = '';
  });
  addFile();

  function rulesChanged(json) {
    const r = json.rules || {};
    const items = [
      ...(r.added || []).map((x) => h('li', {}, h('b', {}, 'Added: '), h('code', {}, x.id ?? x))),
      ...(r.removed || []).map((x) => h('li', {}, h('b', {}, 'Removed: '), h('code', {}, x.id ?? x))),
      ...(r.changed || []).map((x) => h('li', {}, h('b', {}, 'Changed: '), h('code', {}, x.id),
        h('details', {}, h('summary', {}, 'Old and new text'), h('p', {}, 'Old: ', h('code', {}, x.old)), h('p', {}, 'New: ', h('code', {}, x.new))))),
    ];
    return h('section', {}, h('h3', {}, 'Rules'), items.length ? h('ul', { class: 'rule-changes' }, items) : h('p', { class: 'muted' }, 'No rule was added, removed or changed.'));
  }

  function transitions(json) {
    const rows = json.outcomes || [];
    if (!rows.length) return h('section', {}, h('h3', {}, 'Rule outcomes'), h('p', { class: 'muted' }, 'No rule changes outcome on any logged deal.'));
    return h('section', {}, h('h3', {}, 'Rule outcomes, old → new'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'transitions' },
        h('thead', {}, h('tr', {}, ['Rule', 'Old', '', 'New', 'Deals'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows.map((t) => h('tr', {}, h('th', { scope: 'row' }, h('code', {}, t.rule)), h('td', {}, t.old),
          h('td', { 'aria-hidden': 'true' }, '→'), h('td', {}, t.new), h('td', {}, String(t.deals))))))));
  }

  function deals(json) {
    const list = json.deals || [];
    if (!list.length) return h('section', {}, h('h3', {}, 'Deals'), h('p', { class: 'muted' }, 'No logged deal would change.'));
    return h('section', {}, h('h3', {}, `Deals that change (${list.length})`),
      h('ul', { class: 'impact-deals' }, list.map((d) => {
        const id = /decisions\/(\d+)/.exec(d.path)?.[1];
        const changed = d.old !== d.new;
        return h('li', { class: changed ? 'verdict-changed' : '' },
          h('p', {},
            id ? h('button', { type: 'button', class: 'link', onclick: () => { state.showTab('history'); state.openDecision(Number(id)); } }, `Decision #${id}`) : d.path,
            ' — ', d.proposal || '(no proposal)'),
          h('p', { class: 'verdicts' }, verdictBadge(d.old), h('span', { class: 'arrow' }, ' → '), verdictBadge(d.new),
            changed ? h('b', { class: 'changed' }, ' verdict changes') : h('span', { class: 'muted' }, ' same verdict')),
          h('ul', {}, (d.rules || []).map((r) => h('li', {}, h('code', {}, r.rule), `: ${r.old} → ${r.new}`))));
      })));
  }

  function show(json, headers) {
    const sum = json.summary || {};
    clear(results).append(h('h2', { id: 'impact-heading' }, 'Impact'),
      h('div', { class: 'impact-summary' },
        h('p', {}, h('b', {}, String(headers.get('Covenant-Impact-Replayed') ?? sum.deals)), ' logged deals checked again; ',
          h('b', { id: 'impact-verdicts-changed' }, String(sum.verdict_changed ?? 0)), ' change verdict, ',
          h('b', {}, String(sum.outcomes_changed ?? 0)), ' change some rule’s outcome, ', String(sum.unchanged ?? 0), ' unchanged',
          sum.invalid ? `, ${sum.invalid} invalid deals` : '', '.'),
        Number(headers.get('Covenant-Impact-Without-Text')) ? h('p', { class: 'muted' }, `${headers.get('Covenant-Impact-Without-Text')} were logged without their text and could not be compared.`) : null,
        headers.get('Covenant-Impact-Next') ? h('p', { class: 'muted' }, 'Only the oldest 1000 logged deals were compared.') : null),
      deals(json), transitions(json), rulesChanged(json));
    announce(`Impact: ${sum.verdict_changed ?? 0} deals change verdict.`);
  }

  $('#impact-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    diagnostics.hidden = true;
    for (const f of files) f.ed.clearMarks();
    const body = { files: {} };
    for (const f of files) {
      const name = f.nameInput.value.trim();
      if (name) body.files[name] = f.ed.text();
    }
    if (!Object.keys(body.files).length) {
      announce('Give at least one policy file, with its name.', true);
      return;
    }
    const q = new URLSearchParams();
    if ($('#impact-proposed').checked) q.set('include_proposed', 'true');
    const button = $('#impact-run');
    button.disabled = true;
    button.textContent = 'Checking the logged deals…';
    try {
      const answer = await post(`/v1/impact?${q}`, body);
      show(answer.json, answer.headers);
    } catch (e) {
      clear(results).append(h('h2', { id: 'impact-heading' }, 'Impact'), h('p', { class: 'error' }, prose(e.message)));
      if (e instanceof ApiError && e.diagnostics.length) {
        const byName = (d) => files.find((f) => f.nameInput.value.trim() === d.file);
        diagnosticsList(diagnostics, e.diagnostics, {
          title: 'The candidate does not compile',
          goTo: (d) => byName(d)?.ed.goTo(d.line, d.column),
        });
        for (const f of files) {
          const mine = e.diagnostics.filter((d) => byName(d) === f);
          f.ed.mark(mine.map((d) => ({ line: d.line, column: d.column, kind: d.severity === 'warning' ? 'warning' : 'error' })));
        }
      }
      announce(`The impact could not be shown: ${e.message}`, true);
    } finally {
      button.disabled = false;
      button.textContent = 'Show the impact';
    }
  });
}

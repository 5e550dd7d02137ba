// The page's entry: the policy set serving, the three views as tabs (arrow keys move between
// them; the address's #check, #history or #impact opens one), and the access token.

import { h, $, clear, announce } from './dom.js';
import { get, askToken } from './api.js';
import { setupCheck } from './check.js';
import { setupHistory } from './history.js';
import { setupImpact } from './impact.js';

const state = {};
const TABS = ['check', 'history', 'impact'];

function showTab(name, { focus = false, push = true } = {}) {
  if (!TABS.includes(name)) name = 'check';
  for (const t of TABS) {
    const tab = $(`#tab-${t}`);
    const on = t === name;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`#view-${t}`).hidden = !on;
  }
  if (focus) $(`#tab-${name}`).focus();
  if (push && location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`);
  if (name === 'history' && !state.historyLoaded) {
    state.historyLoaded = true;
    state.refreshHistory();
  }
}
state.showTab = (name) => showTab(name);

function setupTabs() {
  const tabs = TABS.map((t) => $(`#tab-${t}`));
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => showTab(TABS[i]));
    tab.addEventListener('keydown', (ev) => {
      const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -i, End: tabs.length - 1 - i };
      if (!(ev.key in moves)) return;
      ev.preventDefault();
      showTab(TABS[(i + moves[ev.key] + tabs.length) % tabs.length], { focus: true });
    });
  });
  window.addEventListener('hashchange', () => showTab(location.hash.slice(1), { push: false }));
}

async function loadPolicies() {
  const summary = $('#set-summary');
  try {
    const set = (await get('/v1/policies')).json;
    const titled = set.files.filter((f) => f.title);
    const name = titled.map((f) => `${f.title}${f.version ? ' ' + f.version : ''}`).join(' + ') || set.files.map((f) => f.path).join(', ');
    clear(summary).append(h('span', { class: 'set-name' }, name), ' ',
      h('span', { class: 'muted' }, `· ${set.rules.length} rules · set `, h('code', { title: set.hash }, set.hash.slice(0, 12))));
    const select = $('#policy-set');
    clear(select).append(h('option', { value: set.hash }, `${name} (serving now)`));
    clear($('#policy-files')).append(`${set.files.length} files: `,
      ...set.files.flatMap((f, i) => [i ? ', ' : '', h('code', { title: `sha256 ${f.hash}` }, f.path), f.version ? ` v${f.version}` : '']),
      '. The server serves one set; a change of its files is picked up on reload.');
    const rule = $('#f-rule');
    for (const r of set.rules) rule.append(h('option', { value: r.id }, r.id));
    state.policies = set;
  } catch (e) {
    clear(summary).append(h('span', { class: 'error' }, `The policy set could not be read: ${e.message}`));
  }
}

setupTabs();
setupCheck(state);
setupHistory(state);
setupImpact(state);
$('#token-button').addEventListener('click', async () => {
  if (await askToken()) announce('Token saved for this tab.');
});
showTab(location.hash.slice(1) || 'check', { push: false });
loadPolicies();

// The explain tree of one rule (`POST /v1/explain?rule=ID`): each condition of its `when`,
// `unless` and `require` parts with the value it had on the deal, and the notes under it, as
// nested lists a screen reader reads as a tree of text.

import { h, prose, outcomeBadge } from './dom.js';

function valueClass(v) {
  return v === 'true' ? 'v-true' : v === 'false' ? 'v-false' : v === 'unknown' ? 'v-unknown' : 'v-other';
}

function node(n) {
  const children = n.children || [];
  return h('li', {},
    h('span', { class: 'expr' }, h('code', {}, n.expr)),
    h('span', { class: 'arrow', 'aria-hidden': 'true' }, ' → '),
    h('span', { class: `value ${valueClass(n.value)}` }, h('span', { class: 'visually-hidden' }, 'is '), n.value),
    (n.notes || []).length ? h('ul', { class: 'notes' }, n.notes.map((t) => h('li', {}, prose(t)))) : null,
    children.length ? h('ul', {}, children.map(node)) : null);
}

function part(title, nodes) {
  if (!nodes || !nodes.length) return null;
  return h('section', { class: 'explain-part' }, h('h5', {}, title), h('ul', { class: 'tree' }, nodes.map(node)));
}

/** The explanation of one rule, from the JSON of `POST /v1/explain`. */
export function renderExplanation(json) {
  const rule = (json.rules || [])[0];
  if (!rule) return h('p', {}, 'No explanation was given.');
  const outcome = rule.waiver || rule.exempt ? 'exempt' : rule.outcome;
  return h('div', { class: 'explanation' },
    h('p', {}, outcomeBadge(outcome), ' ', prose(rule.message)),
    part('Applies when', rule.when),
    part('Exempt unless', rule.unless),
    part('Requires', rule.require),
    rule.waiver ? h('p', {}, `Exempt by approval ${rule.waiver.id ?? ''} by ${rule.waiver.authority}, expires ${rule.waiver.expires}`) : null);
}

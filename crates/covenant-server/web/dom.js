// Small DOM helpers: elements built with text (never HTML strings), SVG elements, and the
// live regions that tell screen readers what happened.

const SVG_NS = 'http://www.w3.org/2000/svg';

// Set as properties (their attributes only give the initial state); all else as attributes.
const PROPERTIES = new Set(['checked', 'disabled', 'hidden', 'value', 'selected', 'readOnly']);

function fill(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.setAttribute('class', v);
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (PROPERTIES.has(k)) el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** An HTML element: h('p', {class: 'x'}, 'text', child). */
export function h(tag, attrs, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** Text with `code` spans for the parts between backticks, as the engine writes notes; the
 * places in a deal sent to the server (named `-`) read as lines. */
export function prose(text) {
  const placed = String(text ?? '').replace(/(^|[\s(,])-:(\d+):(\d+)/g, '$1line $2, column $3');
  const parts = placed.split('`');
  return parts.map((p, i) => (i % 2 === 1 ? h('code', {}, p) : p));
}

/** Tell screen readers, politely (status) or at once (alert). */
export function announce(message, urgent = false) {
  const region = $(urgent ? '#alert' : '#status');
  region.textContent = '';
  // A change after a tick is announced even when the text repeats.
  setTimeout(() => { region.textContent = message; }, 50);
}

/** Save text as a file the browser downloads. */
export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name, class: 'visually-hidden' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** Read a File as text. */
export function readFile(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsText(file);
  });
}

export const OUTCOME_WORDS = {
  fail: 'Fails',
  incomplete: 'Incomplete',
  exempt: 'Exempt',
  pass: 'Passes',
  'not-applicable': 'Not applicable',
};

export const VERDICT_WORDS = {
  compliant: 'Compliant',
  'non-compliant': 'Non-compliant',
  incomplete: 'Incomplete',
  invalid: 'Invalid deal',
};

/** A verdict as a badge: a word and a shape, never colour alone. */
export function verdictBadge(verdict) {
  const icon = { compliant: '✓', 'non-compliant': '✗', incomplete: '?', invalid: '!' }[verdict] || '·';
  return h('span', { class: `badge verdict-${verdict}` },
    h('span', { 'aria-hidden': 'true' }, icon + ' '), VERDICT_WORDS[verdict] || verdict);
}

export function outcomeBadge(outcome) {
  const icon = { fail: '✗', incomplete: '?', exempt: '⚑', pass: '✓', 'not-applicable': '–' }[outcome] || '·';
  return h('span', { class: `badge outcome-${outcome}` },
    h('span', { 'aria-hidden': 'true' }, icon + ' '), OUTCOME_WORDS[outcome] || outcome);
}

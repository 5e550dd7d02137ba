// The history's pictures, drawn as SVG from `GET /v1/decisions/summary`: verdicts by day
// (stacked columns, with the totals in the legend), and the most-failed rules (bars). Each
// chart has a text equivalent for screen readers.

import { h, s, VERDICT_WORDS } from './dom.js';

const VERDICTS = ['compliant', 'non-compliant', 'incomplete', 'invalid'];

/** `2026-03-01` → `1 Mar`. */
function shortDay(day) {
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

function chartBox(title, svg, table) {
  return h('figure', { class: 'chart panel' }, h('figcaption', {}, title), svg,
    h('details', { class: 'chart-data' }, h('summary', {}, 'The numbers'), table));
}

/** Verdicts by day: the last 30 days that have decisions. */
export function verdictChart(summary) {
  const days = (summary.days || []).slice(-30);
  const W = 560, H = 220, L = 36, B = 40, T = 12;
  const highest = Math.max(1, ...days.map((d) => VERDICTS.reduce((a, v) => a + (d.verdicts[v] || 0), 0)));
  // An even top, so that the middle line is a whole number.
  const max = highest > 1 ? Math.ceil(highest / 2) * 2 : 1;
  const step = days.length ? (W - L - 8) / days.length : 0;
  const bw = Math.max(4, Math.min(36, step * 0.7));
  const y = (n) => T + (H - T - B) * (1 - n / max);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart-svg', role: 'img', 'aria-label':
    `Verdicts of ${summary.decisions} decisions: ` + VERDICTS.map((v) => `${summary.verdicts[v] || 0} ${VERDICT_WORDS[v].toLowerCase()}`).join(', ') });
  for (const t of max > 1 ? [0, 0.5, 1] : [0, 1]) {
    const n = max * t;
    svg.append(s('line', { x1: L, x2: W - 4, y1: y(n), y2: y(n), class: 'grid' }),
      s('text', { x: L - 6, y: y(n) + 4, 'text-anchor': 'end', class: 'axis' }, String(n)));
  }
  days.forEach((d, i) => {
    let acc = 0;
    const x = L + i * step + (step - bw) / 2;
    for (const v of VERDICTS) {
      const n = d.verdicts[v] || 0;
      if (!n) continue;
      svg.append(s('rect', { x, width: bw, y: y(acc + n), height: y(acc) - y(acc + n), class: `fill-${v}` },
        s('title', {}, `${d.day}: ${n} ${VERDICT_WORDS[v].toLowerCase()}`)));
      acc += n;
    }
    const every = Math.ceil(days.length / 8);
    if (i % every === 0 || i === days.length - 1) {
      svg.append(s('text', { x: x + bw / 2, y: H - B + 16, 'text-anchor': 'middle', class: 'axis' }, shortDay(d.day)));
    }
  });
  if (!days.length) svg.append(s('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'axis' }, 'No decisions'));
  const legend = h('ul', { class: 'legend' }, VERDICTS.map((v) => h('li', {},
    h('span', { class: `swatch fill-${v}`, 'aria-hidden': 'true' }), `${VERDICT_WORDS[v]}: `, h('b', {}, String(summary.verdicts[v] || 0)))));
  const table = h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day (UTC)'), VERDICTS.map((v) => h('th', { scope: 'col' }, VERDICT_WORDS[v])))),
    h('tbody', {}, days.map((d) => h('tr', {}, h('th', { scope: 'row' }, d.day), VERDICTS.map((v) => h('td', {}, String(d.verdicts[v] || 0)))))));
  const fig = chartBox(`Verdicts by day — ${summary.decisions} decisions`, svg, table);
  fig.insertBefore(legend, fig.querySelector('details'));
  return fig;
}

/** The rules that failed most often (then most incomplete), at most `top`. */
export function rulesChart(summary, { top = 8, pick } = {}) {
  const rules = (summary.rules || []).filter((r) => r.outcomes.fail || r.outcomes.incomplete).slice(0, top);
  const W = 560, row = 28, L = 190, T = 6;
  const H = T + Math.max(1, rules.length) * row + 6;
  const max = Math.max(1, ...rules.map((r) => r.outcomes.fail + r.outcomes.incomplete));
  const scale = (n) => ((W - L - 50) * n) / max;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart-svg', role: 'img', 'aria-label':
    rules.length ? 'Most-failed rules: ' + rules.map((r) => `${r.rule} failed ${r.outcomes.fail} times`).join(', ') : 'No rule failed' });
  rules.forEach((r, i) => {
    const y = T + i * row;
    const name = r.rule.length > 26 ? r.rule.slice(0, 25) + '…' : r.rule;
    const g = s('g', { class: pick ? 'bar clickable' : 'bar' },
      s('title', {}, `${r.rule}: ${r.outcomes.fail} fail, ${r.outcomes.incomplete} incomplete`),
      s('text', { x: L - 8, y: y + 18, 'text-anchor': 'end', class: 'axis rule-name' }, name),
      s('rect', { x: L, y: y + 5, width: Math.max(scale(r.outcomes.fail), r.outcomes.fail ? 2 : 0), height: 18, class: 'fill-non-compliant' }),
      s('rect', { x: L + scale(r.outcomes.fail), y: y + 5, width: scale(r.outcomes.incomplete), height: 18, class: 'fill-incomplete' }),
      s('text', { x: L + scale(r.outcomes.fail + r.outcomes.incomplete) + 6, y: y + 18, class: 'axis' },
        `${r.outcomes.fail}${r.outcomes.incomplete ? ` + ${r.outcomes.incomplete}?` : ''}`));
    if (pick) {
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-label', `Show the decisions where ${r.rule} failed`);
      g.addEventListener('click', () => pick(r.rule));
      g.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); pick(r.rule); } });
    }
    svg.append(g);
  });
  if (!rules.length) svg.append(s('text', { x: W / 2, y: 20, 'text-anchor': 'middle', class: 'axis' }, 'No rule failed'));
  const legend = h('ul', { class: 'legend' },
    h('li', {}, h('span', { class: 'swatch fill-non-compliant', 'aria-hidden': 'true' }), 'fails'),
    h('li', {}, h('span', { class: 'swatch fill-incomplete', 'aria-hidden': 'true' }), 'incomplete (?)'));
  const table = h('table', {}, h('thead', {}, h('tr', {}, ['Rule', 'Fail', 'Incomplete', 'Pass', 'Exempt', 'Not applicable'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, (summary.rules || []).map((r) => h('tr', {}, h('th', { scope: 'row' }, r.rule),
      ['fail', 'incomplete', 'pass', 'exempt', 'not-applicable'].map((o) => h('td', {}, String(r.outcomes[o] || 0)))))));
  const fig = chartBox('Most-failed rules', svg, table);
  fig.insertBefore(legend, fig.querySelector('details'));
  return fig;
}

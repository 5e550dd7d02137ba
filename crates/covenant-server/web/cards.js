// One card per rule of a deal's JSON report: outcome, severity, status, the rule's text and
// citations, and its evidence in plain words (party, value, bound, margin, look-through
// chain, waiver). Evidence that has a place in the deal is a button that shows it there.

import { h, prose, outcomeBadge, verdictBadge } from './dom.js';

const COUNT_WORDS = {
  fail: 'failing', incomplete: 'incomplete', exempt: 'exempt', pass: 'passing', 'not-applicable': 'not applicable',
};

const RANK = { fail: 0, incomplete: 1, exempt: 2, pass: 3, 'not-applicable': 4 };

const OPS = {
  '<': 'below', '<=': 'at most', '>': 'above', '>=': 'at least', '=': 'equal to',
  '!=': 'other than', in: 'one of', 'not in': 'none of', is: '', contains: 'containing',
};

const REASONS = {
  missing: 'the deal does not give this value',
  'empty-list': 'the list is empty',
  'division-by-zero': 'it divides by zero',
  overflow: 'the number is too large',
  'near-miss': 'the value is within rounding of the bound',
  'unit-mismatch': 'the values are in units that cannot be compared',
  'no-row': 'no row of the table matches',
  'unlisted-owners': 'the owners listed hold less than 100%',
  'joint-control': 'control is joint',
  'parties-over-100': 'the parties add up to more than 100%',
  'unknown-entity': 'an owner names no entity of the deal',
};

/** The outcome a card shows: `exempt` for a pass by an exemption. */
export function outcomeOf(rule) {
  return rule.exempt ? 'exempt' : rule.outcome;
}

/** `FILE:LINE:COLUMN` → {line, column}. */
export function place(at) {
  const m = /:(\d+):(\d+)$/.exec(at || '');
  return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
}

/** The places of a rule's evidence in the deal, as editor marks. */
export function marksOf(rule) {
  const kind = outcomeOf(rule) === 'fail' ? 'fail' : outcomeOf(rule) === 'incomplete' ? 'incomplete' : null;
  if (!kind) return [];
  const marks = [];
  for (const e of rule.evidence || []) {
    if (e.line) marks.push({ line: e.line, column: e.column, kind });
    for (const p of e.paths || []) {
      for (const edge of p.edges || []) {
        const at = place(edge.at);
        if (at) marks.push({ ...at, kind });
      }
    }
  }
  return marks;
}

function locator(ctx, line, column, label) {
  if (!line || !ctx.locate) return h('span', { class: 'where' }, label);
  return h('button', {
    type: 'button', class: 'link where',
    'aria-label': `${label}: show it in the deal`,
    onclick: () => ctx.locate(line, column),
  }, label);
}

function lineLabel(line, column) {
  return column ? `line ${line}, column ${column}` : `line ${line}`;
}

/** `party "Dragon Motors"` → ['Party', 'Dragon Motors']. */
function element(text) {
  const m = /^(\w[\w ]*?) "(.*)"$/.exec(text || '');
  if (!m) return ['Item', text];
  return [m[1][0].toUpperCase() + m[1].slice(1), m[2]];
}

function facts(rows) {
  const dl = h('dl', { class: 'facts' });
  for (const [k, v] of rows) {
    if (v === undefined || v === null || v === '') continue;
    dl.append(h('dt', {}, k), h('dd', {}, v));
  }
  return dl;
}

function lookThrough(e, ctx) {
  const chains = (e.paths || []).map((p) => {
    const steps = [];
    (p.edges || []).forEach((edge, i) => {
      if (i === 0) steps.push(h('span', { class: 'node' }, edge.from));
      const at = place(edge.at);
      const value = edge.counted ? `${edge.value} (counted ${edge.counted})` : edge.value;
      steps.push(h('span', { class: 'arrow', 'aria-hidden': 'true' }, ' → '),
        at ? locator(ctx, at.line, at.column, value) : h('span', {}, value),
        h('span', { class: 'arrow', 'aria-hidden': 'true' }, ' → '),
        h('span', { class: 'node' }, edge.to));
    });
    steps.push(h('span', { class: 'eq' }, ` = ${p.contribution}`));
    return h('li', { class: 'chain' }, steps);
  });
  const mode = e.mode === 'control'
    ? `by control (a holding ${e.threshold_test} ${e.threshold} counts 100%)`
    : 'proportional';
  const out = h('div', { class: 'lookthrough' },
    h('p', {}, h('b', {}, `Look-through ${e.measure} in ${e.target}: `), e.value ?? 'unknown', h('span', { class: 'muted' }, ` (${mode})`)),
    chains.length ? h('ol', { class: 'chains', 'aria-label': 'Holding chains, largest first' }, chains) : null,
    e.more_paths ? h('p', { class: 'muted' }, `and ${e.more_paths} more paths: ${e.more_value}`) : null);
  if (chains.length && ctx.showPaths) {
    out.append(h('button', {
      type: 'button', class: 'ghost small',
      onclick: () => ctx.showPaths(e.paths, e.target),
    }, 'Show on the ownership diagram'));
  }
  return out;
}

function evidence(e, rule, ctx) {
  if (e.kind === 'look-through') return lookThrough(e, ctx);
  if (e.kind === 'controller') {
    return h('div', {}, h('p', {}, prose(e.note)),
      facts([['Entity', e.entity], ['Controlled by', e.controller ?? 'unknown'],
        ['Chain of control', (e.chain || []).join(' ← ') || null]]));
  }
  if (e.kind === 'group') {
    return h('div', {}, h('p', {}, prose(e.note)),
      facts([['Group', e.key], ['Members', (e.members || []).join(', ') + (e.more_members ? ` and ${e.more_members} more` : '')], ['Value', e.value]]));
  }
  const [what, who] = e.element ? element(e.element) : [];
  const required = e.op && e.bound !== undefined ? `${OPS[e.op] ?? e.op} ${e.bound}`.trim() : null;
  return h('div', {},
    h('p', {}, prose(e.note)),
    facts([
      [what, who],
      ['Field', e.path ? h('code', {}, e.path) : null],
      ['Value in the deal', e.value],
      ['Required', required],
      ['Margin', e.margin],
      ['Why unknown', e.reason ? REASONS[e.reason] || e.reason : null],
      ['Where', e.line ? locator(ctx, e.line, e.column, lineLabel(e.line, e.column)) : null],
      ['', e.more ? `and ${e.more} more not listed` : null],
    ]));
}

function waiver(rule) {
  const w = rule.waiver;
  if (w) {
    return h('div', { class: 'waiver' },
      h('p', {}, h('b', {}, 'Exempt by an approval')),
      facts([
        ['Approval', w.id ?? '(no id)'],
        ['Approved by', w.authority],
        ['For', w.parties?.length ? w.parties.join(', ') : null],
        ['Reference', w.reference ?? '(none)'],
        ['Granted', w.granted],
        ['Expires', w.expires === 'never' ? 'never' : w.expires],
      ]));
  }
  if (rule.exemption) return h('div', { class: 'waiver' }, h('p', {}, h('b', {}, 'Exempt: '), prose(rule.exemption)));
  return null;
}

function citations(rule) {
  const list = rule.citations || [];
  if (!list.length) return null;
  return h('div', { class: 'cites' }, h('h4', {}, list.length > 1 ? 'Citations' : 'Citation'),
    h('ul', {}, list.map((c) => h('li', {},
      /^https?:\/\//i.test(c.url || '') ? h('a', { href: c.url, target: '_blank', rel: 'noopener noreferrer' }, c.text) : c.text,
      c.section ? `, section ${c.section}` : '',
      c.version ? ` (version ${c.version})` : ''))));
}

function tag(text, cls) {
  return h('span', { class: `tag ${cls || ''}` }, text);
}

/** One rule's card. */
export function card(rule, ctx) {
  const outcome = outcomeOf(rule);
  const id = `rule-${rule.id}`;
  const explainId = `${ctx.prefix}-explain-${rule.id}`;
  const region = h('div', { id: explainId, class: 'explain', hidden: true, 'aria-live': 'polite' });
  const evidenceList = (rule.evidence || []).map((e) => h('li', {}, evidence(e, rule, ctx)));
  const explainButton = ctx.explain ? h('button', {
    type: 'button', class: 'ghost small', 'aria-expanded': 'false', 'aria-controls': explainId,
    onclick: async (ev) => {
      const b = ev.currentTarget;
      const open = b.getAttribute('aria-expanded') === 'true';
      b.setAttribute('aria-expanded', String(!open));
      b.textContent = open ? 'Explain' : 'Hide explanation';
      region.hidden = open;
      if (!open && !region.firstChild) await ctx.explain(rule.id, region);
    },
  }, 'Explain') : null;
  const article = h('article', {
    class: `card card-${outcome}${rule.counted === false ? ' not-counted' : ''}`,
    'aria-labelledby': `${ctx.prefix}-${id}-title`, 'data-rule': rule.id, 'data-outcome': outcome,
  },
  h('header', {},
    outcomeBadge(outcome),
    tag(rule.severity, `sev-${rule.severity}`),
    tag(rule.status, `status-${rule.status}`),
    rule.counted === false ? tag('not counted', 'muted') : null),
  h('h3', { id: `${ctx.prefix}-${id}-title` }, rule.title || rule.id),
  h('p', { class: 'rule-id' }, 'Rule ', h('code', {}, rule.id)),
  outcome === 'pass' || outcome === 'not-applicable' ? null : h('p', { class: 'message' }, prose(rule.message)),
  waiver(rule),
  evidenceList.length ? h('div', { class: 'evidence' }, h('h4', {}, 'Evidence'), h('ul', {}, evidenceList)) : null,
  rule.help && outcome !== 'pass' && outcome !== 'not-applicable' ? h('p', { class: 'help' }, h('b', {}, 'To fix: '), prose(rule.help)) : null,
  citations(rule),
  explainButton ? h('div', { class: 'card-actions' }, explainButton) : null,
  region);
  if (ctx.onSelect) {
    article.addEventListener('focusin', () => ctx.onSelect(rule));
    article.addEventListener('click', () => ctx.onSelect(rule));
  }
  return article;
}

/** A deal's verdict, counts and cards, into `host`. */
export function renderDeal(host, deal, ctx) {
  const rules = deal.rules || [];
  const counts = {};
  for (const r of rules) counts[outcomeOf(r)] = (counts[outcomeOf(r)] || 0) + 1;
  const line = Object.keys(RANK).filter((o) => counts[o]).map((o) => `${counts[o]} ${COUNT_WORDS[o]}`).join(' · ');
  const sorted = [...rules].sort((a, b) => RANK[outcomeOf(a)] - RANK[outcomeOf(b)] || (b.counted !== false) - (a.counted !== false));
  const findings = sorted.filter((r) => RANK[outcomeOf(r)] <= 2);
  const others = sorted.filter((r) => RANK[outcomeOf(r)] > 2);
  const notCounted = rules.some((r) => r.counted === false);
  const parts = [
    h('div', { class: `verdict verdict-box-${deal.verdict}`, id: `${ctx.prefix}-verdict` },
      verdictBadge(deal.verdict),
      h('div', {},
        h('p', { class: 'proposal' }, deal.proposal || 'Deal without a proposal name'),
        h('p', { class: 'counts' }, line || 'no rule applies'))),
    notCounted ? h('p', { class: 'hint' }, 'Rules marked “not counted” are shown but do not decide the verdict: their status is reported or proposed. Tick “Count proposed and reported rules” to count them.') : null,
    (deal.warnings || []).length ? h('div', { class: 'warnings' }, h('h3', {}, 'Warnings'), h('ul', {}, deal.warnings.map((w) =>
      h('li', {}, w.line ? locator(ctx, w.line, w.column, lineLabel(w.line, w.column)) : null, w.line ? ': ' : '', prose(w.message), w.help ? h('span', { class: 'muted' }, ` — ${w.help}`) : null)))) : null,
    h('h3', { class: 'cards-heading' }, findings.length ? `Findings (${findings.length})` : 'No findings'),
    h('div', { class: 'cards' }, findings.map((r) => card(r, ctx))),
  ];
  const ownershipHost = h('div', { class: 'ownership-host' });
  if (ctx.ownership) parts.push(ownershipHost);
  if (others.length) {
    parts.push(h('details', { class: 'others' },
      h('summary', {}, `Rules that pass or do not apply (${others.length})`),
      h('div', { class: 'cards' }, others.map((r) => card(r, ctx)))));
  }
  host.append(...parts.filter(Boolean));
  return { ownershipHost, marks: rules.flatMap(marksOf) };
}

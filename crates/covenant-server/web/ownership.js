// The ownership diagram of a deal, drawn as SVG from `POST /v1/ownership`: the JV at the
// bottom, its parties above it, and each party's holders above them, up to the states,
// funds and people at the top. Each edge is a holding with its percentage; a look-through
// path from a rule's evidence can be highlighted. A table beside it says the same in text.

import { h, s } from './dom.js';

const ROW = 96;
const NODE_H = 44;
const GAP = 22;
const PAD = 16;

function label(text, max) {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/** Levels: the JV 0, parties 1, each holder one above the highest entity it holds. */
function levels(entities, edges) {
  const level = new Map([[null, 0]]);
  for (const e of entities) level.set(e.name, e.party ? 1 : 2);
  for (let round = 0; round < entities.length + 1; round++) {
    let changed = false;
    for (const edge of edges) {
      const below = level.get(edge.to) ?? 0;
      if ((level.get(edge.from) ?? 0) < below + 1) {
        level.set(edge.from, below + 1);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return level;
}

function holding(edge) {
  const v = edge.voting ?? edge.stake ?? '?';
  const both = edge.stake && edge.voting && edge.stake !== edge.voting ? `${edge.stake} (votes ${edge.voting})` : v;
  return edge.controls ? `${both}, controls` : both;
}

/** Draw the diagram into `host`; answers {highlight(paths, target)}. */
export function drawOwnership(host, data, { locate, title } = {}) {
  const entities = data.entities || [];
  const edges = data.edges || [];
  const level = levels(entities, edges);
  const top = Math.max(1, ...level.values());
  const rows = Array.from({ length: top + 1 }, () => []);
  rows[0].push({ name: null, label: 'The JV', sub: data.proposal || 'the joint venture' });
  for (const e of entities) {
    rows[level.get(e.name)].push({
      name: e.name, label: e.name, entity: e,
      sub: [e.kind, e.country].filter(Boolean).join(' · '),
    });
  }
  // Order each row above the parties by where the entities it holds are.
  const x = new Map();
  rows[0].forEach((n, i) => x.set(n.name, i));
  rows[1].forEach((n, i) => x.set(n.name, i));
  for (let l = 2; l <= top; l++) {
    const mean = (n) => {
      const held = edges.filter((e) => e.from === n.name && x.has(e.to)).map((e) => x.get(e.to));
      return held.length ? held.reduce((a, b) => a + b, 0) / held.length : 1e9;
    };
    rows[l].sort((a, b) => mean(a) - mean(b));
    rows[l].forEach((n, i) => x.set(n.name, i + 0.001 * l));
  }
  for (const row of rows) {
    for (const n of row) n.w = Math.min(200, Math.max(96, 7.2 * Math.max(label(n.label, 26).length, n.sub.length) + 20));
  }
  const width = Math.max(320, ...rows.map((r) => r.reduce((a, n) => a + n.w, 0) + GAP * (r.length - 1) + 2 * PAD));
  const height = 2 * PAD + top * ROW + NODE_H;
  const pos = new Map();
  rows.forEach((row, l) => {
    const rowWidth = row.reduce((a, n) => a + n.w, 0) + GAP * (row.length - 1);
    let cx = (width - rowWidth) / 2;
    const y = PAD + (top - l) * ROW;
    for (const n of row) {
      pos.set(n.name, { x: cx, y, w: n.w, n });
      cx += n.w + GAP;
    }
  });

  const titleId = `${host.id || 'own'}-title`;
  const descId = `${host.id || 'own'}-desc`;
  const svg = s('svg', {
    class: 'ownership', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
    'aria-labelledby': titleId, 'aria-describedby': descId,
  },
  s('title', { id: titleId }, title || 'Ownership of the deal'),
  s('desc', { id: descId }, `${entities.length} entities and ${edges.length} holdings; the table after the diagram lists them.`),
  s('defs', {}, ['', '-hl'].map((k) => s('marker', {
    id: `${host.id || 'own'}-arrow${k}`, viewBox: '0 0 10 10', refX: '9', refY: '5',
    markerWidth: '9', markerHeight: '9', markerUnits: 'userSpaceOnUse', orient: 'auto',
  }, s('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrowhead${k}` })))));
  const edgeEls = new Map();
  const edgeLayer = s('g', { class: 'edges' });
  const labelLayer = s('g', { class: 'edge-labels' });
  for (const edge of edges) {
    const a = pos.get(edge.from);
    const b = pos.get(edge.to);
    if (!a || !b) continue;
    const x1 = a.x + a.w / 2, y1 = a.y + NODE_H, x2 = b.x + b.w / 2, y2 = b.y;
    const my = (y1 + y2) / 2;
    const g = s('g', { class: 'edge' + (edge.controls ? ' controls' : '') },
      s('path', { d: `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2 - 1}`, 'marker-end': `url(#${host.id || 'own'}-arrow)` }));
    const text = holding(edge);
    const lx = (x1 + x2) / 2, ly = my;
    const tw = 7 * text.length + 10;
    const lab = s('g', { class: 'edge-label' + (locate ? ' clickable' : '') },
      s('rect', { x: lx - tw / 2, y: ly - 10, width: tw, height: 20, rx: 4 }),
      s('text', { x: lx, y: ly + 4, 'text-anchor': 'middle' }, text));
    if (locate) lab.addEventListener('click', () => locate(edge.line, edge.column));
    edgeLayer.append(g);
    labelLayer.append(lab);
    edgeEls.set(`${edge.from}→${edge.to ?? ''}`, [g, lab]);
  }
  const nodeEls = new Map();
  const nodeLayer = s('g', { class: 'nodes' });
  for (const { x: nx, y, w, n } of pos.values()) {
    const e = n.entity;
    const kind = n.name === null ? 'jv' : e.party ? 'party' : (e.kind || 'entity');
    const g = s('g', { class: `node node-${kind.replace(/[^a-z-]/g, '')}`, 'data-name': n.name ?? 'JV' },
      s('rect', { x: nx, y, width: w, height: NODE_H, rx: 8 }),
      s('text', { x: nx + w / 2, y: y + 18, 'text-anchor': 'middle', class: 'name' }, label(n.label, 26)),
      s('text', { x: nx + w / 2, y: y + 34, 'text-anchor': 'middle', class: 'sub' }, label(n.sub, 28)));
    if (e && locate) {
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-label', `${e.name}${n.sub ? ', ' + n.sub : ''}: show it in the deal`);
      const go = () => locate(e.line, e.column);
      g.addEventListener('click', go);
      g.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); go(); }
      });
    }
    nodeLayer.append(g);
    nodeEls.set(n.name, g);
  }
  svg.append(edgeLayer, nodeLayer, labelLayer);

  const table = h('table', { class: 'holdings' },
    h('caption', {}, 'Holdings'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Holder'), h('th', { scope: 'col' }, 'Holds'), h('th', { scope: 'col' }, 'Stake'), h('th', { scope: 'col' }, 'Votes'), h('th', { scope: 'col' }, 'Where'))),
    h('tbody', {}, edges.map((e) => h('tr', {},
      h('td', {}, e.from), h('td', {}, e.to ?? 'the JV'), h('td', {}, e.stake ?? '—'),
      h('td', {}, (e.voting ?? '—') + (e.controls ? ' (controls)' : '')),
      h('td', {}, locate ? h('button', { type: 'button', class: 'link', onclick: () => locate(e.line, e.column) }, `line ${e.line}`) : `line ${e.line}`)))));
  const caption = h('p', { class: 'diagram-note', 'aria-live': 'polite' });
  host.append(
    h('div', { class: 'diagram-scroll' }, svg),
    caption,
    h('details', { class: 'holdings-details' }, h('summary', {}, 'Holdings as a table'), table));

  return {
    /** Highlight the look-through paths of a rule's evidence (`JV` names the deal). */
    highlight(paths, target, ruleTitle) {
      svg.querySelectorAll('.hl').forEach((el) => el.classList.remove('hl'));
      const arrow = (g, k) => g.querySelector('path')?.setAttribute('marker-end', `url(#${host.id || 'own'}-arrow${k})`);
      for (const [g] of edgeEls.values()) arrow(g, '');
      const names = new Set(entities.map((e) => e.name));
      const key = (n) => (n === 'JV' && target === 'JV' && !names.has('JV') ? '' : n);
      let count = 0;
      for (const p of paths || []) {
        for (const edge of p.edges || []) {
          const lit = edgeEls.get(`${edge.from}→${key(edge.to)}`) || [];
          for (const el of lit) el.classList.add('hl');
          if (lit[0]) arrow(lit[0], '-hl');
          for (const n of [edge.from, key(edge.to) || null]) nodeEls.get(n)?.classList.add('hl');
          count++;
        }
      }
      caption.textContent = count
        ? `Highlighted: the holding ${paths.length > 1 ? 'chains' : 'chain'} behind “${ruleTitle || 'the rule'}” (${paths.map((p) => p.contribution).join(', ')}).`
        : '';
      return count;
    },
  };
}

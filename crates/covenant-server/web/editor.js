// A plain-text editor with line numbers and marks: a textarea over a backdrop that repeats its
// text invisibly, so a line, or the value at a column, can be highlighted behind the text (a
// failing value, a diagnostic). The textarea stays a textarea: typing, pasting, undo, screen
// readers and the keyboard work as everywhere.

import { h, clear } from './dom.js';

/** The end of the value that starts at `col` (0-based) in `line`: a quoted string, or up to
 * the next separator. */
function valueEnd(line, col) {
  const q = line[col];
  if (q === '"' || q === "'") {
    for (let i = col + 1; i < line.length; i++) {
      if (line[i] === '\\') { i++; continue; }
      if (line[i] === q) return i + 1;
    }
    return line.length;
  }
  let i = col;
  while (i < line.length && !',}]#'.includes(line[i])) i++;
  while (i > col && line[i - 1] === ' ') i--;
  return Math.max(i, col + 1);
}

/**
 * Make an editor in `host`. Options: id and labelledBy of the textarea, readOnly, rows.
 * Returns {textarea, text(), setText(), mark(marks), clearMarks(), goTo(line, col)}.
 * A mark is {line, column?, kind: 'fail'|'incomplete'|'error'|'warning'|'focus', title?}.
 */
export function editor(host, { id, labelledBy, readOnly = false, rows = 22, label } = {}) {
  // The numbers sit in an inner box, so that the gutter is as tall as the textarea, not as
  // its text.
  const numbers = h('div', { class: 'numbers' });
  const gutter = h('div', { class: 'gutter', 'aria-hidden': 'true' }, numbers);
  const backdrop = h('div', { class: 'backdrop', 'aria-hidden': 'true' });
  const textarea = h('textarea', {
    id, rows, spellcheck: 'false', wrap: 'off', autocapitalize: 'off', autocomplete: 'off',
    'aria-labelledby': labelledBy, 'aria-label': label, readOnly, class: 'code',
  });
  const box = h('div', { class: 'editor' + (readOnly ? ' readonly' : '') }, gutter, h('div', { class: 'area' }, backdrop, textarea));
  clear(host).append(box);
  let marks = [];

  let numbered = -1;

  // The gutter is redrawn when the number of lines or the marks change; the backdrop holds
  // the lines up to the last mark only (none without marks), so typing in a long deal stays
  // cheap.
  function render(force = true) {
    const lines = textarea.value.split('\n');
    const byLine = new Map();
    for (const m of marks) {
      if (!byLine.has(m.line)) byLine.set(m.line, []);
      byLine.get(m.line).push(m);
    }
    if (force || lines.length !== numbered) {
      clear(numbers);
      lines.forEach((_, i) => {
        const kinds = [...new Set((byLine.get(i + 1) || []).map((m) => m.kind))];
        numbers.append(h('div', { class: kinds.map((k) => `ln-${k}`).join(' ') }, String(i + 1)));
      });
      numbered = lines.length;
    }
    if (!force) return sync();
    clear(backdrop);
    const last = Math.min(lines.length, Math.max(0, ...marks.map((m) => m.line)));
    lines.slice(0, last).forEach((text, i) => {
      const n = i + 1;
      const here = byLine.get(n) || [];
      const kinds = [...new Set(here.map((m) => m.kind))];
      const row = h('div', { class: ['line', ...kinds.map((k) => `line-${k}`)].join(' '), 'data-line': n });
      const withColumn = here.filter((m) => m.column).sort((a, b) => a.column - b.column);
      let at = 0;
      for (const m of withColumn) {
        const start = Math.min(Math.max(m.column - 1, at), text.length);
        const end = valueEnd(text, start);
        if (start < at || start >= text.length) continue;
        row.append(text.slice(at, start), h('mark', { class: `mark-${m.kind}` }, text.slice(start, end)));
        at = end;
      }
      row.append(text.slice(at) || '\u200b');
      backdrop.append(row);
    });
    sync();
  }

  function sync() {
    backdrop.scrollTop = textarea.scrollTop;
    backdrop.scrollLeft = textarea.scrollLeft;
    numbers.style.transform = `translateY(${-textarea.scrollTop}px)`;
  }

  textarea.addEventListener('scroll', sync);
  textarea.addEventListener('input', () => {
    // Marks belong to the text they were found in.
    const had = marks.length > 0;
    marks = [];
    render(had);
  });

  function offsetOf(line, column) {
    const lines = textarea.value.split('\n');
    let offset = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) offset += lines[i].length + 1;
    const text = lines[line - 1] ?? '';
    const col = Math.min(Math.max((column || 1) - 1, 0), text.length);
    return { start: offset + col, end: offset + (column ? valueEnd(text, col) : text.length), text };
  }

  return {
    textarea,
    box,
    text: () => textarea.value,
    setText(text) { textarea.value = text; marks = []; render(); },
    mark(list) { marks = list.filter((m) => m.line); render(); },
    clearMarks() { marks = []; render(); },
    /** Scroll (without moving the focus) so that `line` is in view, a few lines down. */
    reveal(line) {
      const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
      const top = (line - 1) * lineHeight;
      if (top < textarea.scrollTop || top > textarea.scrollTop + textarea.clientHeight - 2 * lineHeight) {
        textarea.scrollTop = Math.max(0, top - 3 * lineHeight);
        sync();
      }
    },
    /** Select the value at line:column, scroll it into view and focus the editor. */
    goTo(line, column) {
      const { start, end } = offsetOf(line, column);
      textarea.focus({ preventScroll: true });
      textarea.setSelectionRange(start, end);
      const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
      textarea.scrollTop = Math.max(0, (line - 4) * lineHeight);
      sync();
      box.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      const row = backdrop.querySelector(`[data-line="${line}"]`);
      if (row) {
        row.classList.remove('flash');
        void row.offsetWidth;
        row.classList.add('flash');
      }
    },
    render,
  };
}

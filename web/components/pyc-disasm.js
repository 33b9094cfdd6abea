// The disassembly of one code object: offset, line, opname, argument and its meaning, with
// jump targets as links and exception-table ranges beside the instructions. Long listings
// are windowed: only the rows in view exist in the DOM.
import { el } from '../model.js';
import { RowWindow } from '../row-window.js';

const ROW_HEIGHT = 20;
const SLACK_ROWS = 10;

/** `line:col-end_line:end_col` from co_positions() (3.11+), blank where unknown. */
function columns(p) {
  if (!p || p[2] === null || p[2] === undefined) return '';
  return p[0] === p[1] ? `${p[2]}–${p[3]}` : `${p[0]}:${p[2]}–${p[1]}:${p[3]}`;
}

class PycDisasm extends HTMLElement {
  show(code) {
    this.code = code;
    this.ins = code.instructions ?? [];
    this.byOffset = new Map(this.ins.map((ins, i) => [ins.offset, i]));
    this.selected = -1;
    this.lineMarks = new Set();
    this.handlers = (code.exception_table ?? []).map((e) => e);
    if (!this.ins.length) {
      this.replaceChildren();
      return;
    }
    this.window = new RowWindow({ rowHeight: ROW_HEIGHT, slack: SLACK_ROWS, viewport: { class: 'dis-viewport', role: 'table', 'aria-label': 'Instructions' } });
    this.window.setCount(this.ins.length);
    this.viewport = this.window.viewport;
    const head = el('div', { class: 'dis-row dis-head', role: 'row' },
      ...['offset', 'line', 'columns', 'instruction', 'arg', 'meaning'].map((t) => el('span', { role: 'columnheader', text: t })));
    const parts = [el('h3', { text: `Disassembly (${this.ins.length} instructions)` }), head, this.viewport];
    if (this.handlers.length) {
      const list = el('ul', { class: 'exc-table' });
      for (const h of this.handlers) {
        list.append(el('li', {}, el('a', { href: '#', 'data-jump': h.target, text: `${h.start} to ${h.end - 2} → ${h.target}` }),
          ` depth ${h.depth}${h.lasti ? ', pushes the offset of the raising instruction' : ''}`));
      }
      parts.push(el('h3', { text: 'Exception table' }), list);
    }
    this.replaceChildren(...parts);
    this.viewport.addEventListener('scroll', () => this.#render());
    this.onclick = (e) => this.#clicked(e);
    this.#render(true);
  }

  /** Marks every instruction of a source line (from the source pane). */
  markLine(line) {
    this.lineMarks = new Set(this.ins.map((ins, i) => (ins.line === line ? i : -1)).filter((i) => i >= 0));
    const first = Math.min(...this.lineMarks);
    if (Number.isFinite(first)) this.#scrollTo(first);
    this.#render(true);
  }

  #clicked(e) {
    const jump = e.target.closest('[data-jump]');
    if (jump) {
      e.preventDefault();
      const i = this.byOffset.get(Number(jump.dataset.jump));
      if (i !== undefined) this.#select(i);
      return;
    }
    const row = e.target.closest('[data-index]');
    if (row) this.#select(Number(row.dataset.index));
  }

  #select(i) {
    this.selected = i;
    this.#scrollTo(i);
    this.#render(true);
    const ins = this.ins[i];
    this.dispatchEvent(new CustomEvent('instruction', { bubbles: true, detail: { instruction: ins } }));
    if (ins.span) this.dispatchEvent(new CustomEvent('span', { bubbles: true, detail: { span: ins.span, label: `${ins.opname} at ${ins.offset}` } }));
  }

  #scrollTo(i) {
    this.window.scrollTo(i, 3);
  }

  #inHandlerRange(offset) {
    return this.handlers.some((h) => offset >= h.start && offset < h.end);
  }

  #render(force = false) {
    const range = this.window.range(force);
    if (!range) return;
    const [first, last] = range;
    const frag = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const ins = this.ins[i];
      const classes = ['dis-row'];
      if (i === this.selected) classes.push('sel');
      if (this.lineMarks.has(i)) classes.push('line-mark');
      if (ins.is_jump_target) classes.push('target');
      if (this.#inHandlerRange(ins.offset)) classes.push('protected');
      const arg = ins.arg === null || ins.arg === undefined ? '' : String(ins.arg);
      const meaning = el('span', { class: 'argrepr' });
      if (ins.jump_target !== null && ins.jump_target !== undefined) {
        const back = ins.jump_target <= ins.offset;
        meaning.append(el('a', { href: '#', 'data-jump': ins.jump_target, text: `${back ? '⤴' : '⤵'} ${ins.argrepr || ins.jump_target}` }));
      } else {
        meaning.textContent = ins.argrepr ?? '';
      }
      frag.append(el('div', { class: classes.join(' '), role: 'row', 'data-index': i },
        el('span', { class: 'off', text: `${ins.is_jump_target ? '>> ' : ''}${ins.offset}` }),
        el('span', { class: 'ln', text: ins.starts_line ? String(ins.line ?? '') : '' }),
        el('span', { class: 'cols', text: columns(ins.positions) }),
        el('span', { class: 'op', text: ins.opname }),
        el('span', { class: 'arg', text: arg }),
        meaning));
    }
    this.window.rows.replaceChildren(frag);
  }
}
customElements.define('pyc-disasm', PycDisasm);

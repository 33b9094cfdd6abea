// The disassembly of one code object: offset, line, opname, argument and its meaning, with
// jump targets as links and exception-table ranges beside the instructions. Long listings
// are windowed: only the rows in view exist in the DOM.
import { el } from '../model.js';
import { RowWindow } from '../row-window.js';
import { pluck } from '../columns.js';

const ROW_HEIGHT = 20;
const SLACK_ROWS = 10;
/** Exception-table entries past which the table starts closed (see `#exceptionTable`). */
const OPEN_HANDLERS = 32;

/** `line:col-end_line:end_col` from co_positions() (3.11+), blank where unknown. */
function columns(p) {
  if (!p || p[2] === null || p[2] === undefined) return '';
  return p[0] === p[1] ? `${p[2]}–${p[3]}` : `${p[0]}:${p[2]}–${p[1]}:${p[3]}`;
}

let grids = 0;

/** What a screen reader says for one instruction: "offset 12, line 4, LOAD_FAST x". */
export function spoken(ins) {
  const parts = [`offset ${ins.offset}`];
  if (ins.line !== null && ins.line !== undefined) parts.push(`line ${ins.line}`);
  parts.push(`${ins.opname}${ins.argrepr ? ` ${ins.argrepr}` : ''}`);
  if (ins.is_jump_target) parts.push('jump target');
  return parts.join(', ');
}

/**
 * An ARIA grid: a row of column headers, then a row per instruction whose offset is its row
 * header. The grid holds the focus and points at the active instruction with
 * aria-activedescendant (rows come and go as the list scrolls, so focus cannot sit on one).
 * Up and Down (Page Up/Down, Home, End) select an instruction, which highlights its bytes
 * and source; Enter follows a jump.
 */
class PycDisasm extends HTMLElement {
  show(code) {
    this.code = code;
    this.ins = code.instructions ?? [];
    this.selected = -1;
    this.marks = new Set();
    this.markClass = 'line-mark';
    this.handlers = (code.exception_table ?? []).map((e) => e);
    this.uid ??= `dis${++grids}`;
    if (!this.ins.length) {
      this.replaceChildren();
      return;
    }
    const head = el('div', { class: 'dis-row dis-head', role: 'row', 'aria-rowindex': 1 },
      ...['offset', 'line', 'columns', 'instruction', 'arg', 'meaning'].map((t) => el('span', { role: 'columnheader', text: t })));
    const title = el('h3', { id: `${this.uid}-title`, text: `Disassembly (${this.ins.length} instructions)` });
    this.window = new RowWindow({
      rowHeight: ROW_HEIGHT,
      slack: SLACK_ROWS,
      head,
      viewport: {
        class: 'dis-viewport', role: 'grid', 'aria-labelledby': title.id, 'aria-readonly': 'true',
        'aria-rowcount': this.ins.length + 1, 'aria-colcount': 6,
        'aria-describedby': `${this.uid}-keys`,
      },
    });
    this.window.setCount(this.ins.length);
    this.viewport = this.window.viewport;
    const keys = el('p', { id: `${this.uid}-keys`, class: 'visually-hidden', text: 'Up and down arrows select an instruction and show its bytes; Enter follows a jump.' });
    const parts = [title, keys, this.viewport];
    if (this.handlers.length) parts.push(this.#exceptionTable());
    this.replaceChildren(...parts);
    this.viewport.addEventListener('scroll', () => this.#render());
    this.viewport.addEventListener('keydown', (e) => this.#key(e));
    this.onclick = (e) => this.#clicked(e);
    this.#render(true);
  }

  /**
   * The exception table as a disclosure. A long one (a module's hundreds of `try`s) starts
   * closed and is built when first opened: laid out beside every new listing, 314 entries
   * cost the 4.6 MB benchmark's module selection a 50 ms layout.
   */
  #exceptionTable() {
    const { handlers } = this;
    const list = el('ul', { class: 'exc-table' });
    const fill = () => {
      if (list.childElementCount) return;
      for (const h of handlers) {
        list.append(el('li', {}, el('a', { href: '#', 'data-jump': h.target, text: `${h.start} to ${h.end - 2} → ${h.target}` }),
          ` depth ${h.depth}${h.lasti ? ', pushes the offset of the raising instruction' : ''}`));
      }
    };
    const open = handlers.length <= OPEN_HANDLERS;
    const details = el('details', { class: 'exc-details' },
      el('summary', {}, el('h3', { text: `Exception table (${handlers.length} ${handlers.length === 1 ? 'entry' : 'entries'})` })), list);
    if (open) {
      fill();
      details.open = true;
    } else {
      details.addEventListener('toggle', () => { if (details.open) fill(); });
    }
    return details;
  }

  /** Marks every instruction of a source line (from the source pane). */
  markLine(line) {
    this.#mark(pluck(this.ins, 'line').map((at, i) => (at === line ? i : -1)).filter((i) => i >= 0), 'line-mark');
  }

  /**
   * Marks the run of `count` instructions from index `first` and scrolls the first into
   * view: how another view (a control-flow graph's block, a stretch of a stack-depth strip)
   * points at the instructions it stands for. A count of 0 clears the mark.
   */
  selectRange(first, count) {
    if (!this.ins?.length) return;
    const from = Math.max(0, Math.min(first, this.ins.length));
    const to = Math.min(this.ins.length, from + Math.max(0, count));
    this.#mark(Array.from({ length: to - from }, (_, k) => from + k), 'run-mark');
  }

  /**
   * Selects instruction `i` exactly as a click on its row does (its bytes, its source range:
   * the 'instruction' and 'span' events), for views that pick instructions themselves.
   */
  selectIndex(i) {
    if (!this.ins?.[i]) return;
    this.#select(i);
  }

  #mark(indexes, cls) {
    this.marks = new Set(indexes);
    this.markClass = cls;
    if (indexes.length) this.#scrollTo(indexes[0]);
    this.#render(true);
  }

  #clicked(e) {
    const jump = e.target.closest('[data-jump]');
    if (jump) {
      e.preventDefault();
      this.#follow(Number(jump.dataset.jump));
      return;
    }
    const row = e.target.closest('[data-index]');
    if (row) this.#select(Number(row.dataset.index));
  }

  /** Selects the instruction at `offset` (a jump's target), keeping the keyboard in the grid. */
  #follow(offset) {
    const i = pluck(this.ins, 'offset').indexOf(offset);
    if (i < 0) return;
    this.#select(i);
    this.viewport.focus({ preventScroll: true });
  }

  #key(e) {
    if (e.target !== this.viewport || e.altKey || e.ctrlKey || e.metaKey) return;
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 2);
    const at = this.selected;
    const last = this.ins.length - 1;
    const to = {
      ArrowDown: at < 0 ? 0 : Math.min(last, at + 1),
      ArrowUp: at < 0 ? 0 : Math.max(0, at - 1),
      PageDown: Math.min(last, Math.max(at, 0) + page),
      PageUp: Math.max(0, at - page),
      Home: 0,
      End: last,
    }[e.key];
    if (to !== undefined) {
      e.preventDefault();
      if (to !== at) this.#select(to);
    } else if ((e.key === 'Enter' || e.key === ' ') && at >= 0) {
      e.preventDefault();
      const target = this.ins[at].jump_target;
      if (target !== null && target !== undefined) this.#follow(target);
    }
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
    const cell = (cls, text) => el('span', { class: cls, role: 'gridcell', text });
    for (let i = first; i < last; i++) {
      const ins = this.ins[i];
      const classes = ['dis-row'];
      if (i === this.selected) classes.push('sel');
      if (this.marks.has(i)) classes.push(this.markClass);
      if (ins.is_jump_target) classes.push('target');
      if (this.#inHandlerRange(ins.offset)) classes.push('protected');
      const arg = ins.arg === null || ins.arg === undefined ? '' : String(ins.arg);
      const meaning = cell('argrepr');
      if (ins.jump_target !== null && ins.jump_target !== undefined) {
        const back = ins.jump_target <= ins.offset;
        // Not a tab stop of its own: the grid is one, and Enter on the row follows the jump.
        meaning.append(el('a', { href: '#', tabindex: '-1', 'data-jump': ins.jump_target, text: `${back ? '⤴' : '⤵'} ${ins.argrepr || ins.jump_target}` }));
      } else {
        meaning.textContent = ins.argrepr ?? '';
      }
      frag.append(el('div', {
        class: classes.join(' '), role: 'row', id: `${this.uid}-row-${i}`, 'data-index': i,
        'aria-rowindex': i + 2, 'aria-selected': String(i === this.selected), 'aria-label': spoken(ins),
      },
      el('span', { class: 'off', role: 'rowheader', text: `${ins.is_jump_target ? '>> ' : ''}${ins.offset}` }),
      cell('ln', ins.starts_line ? String(ins.line ?? '') : ''),
      cell('cols', columns(ins.positions)),
      cell('op', ins.opname),
      cell('arg', arg),
      meaning));
    }
    this.window.rows.replaceChildren(frag);
    // The active instruction, when it is drawn (a scroll by wheel can take it out of the DOM).
    if (this.selected >= 0 && this.window.drawn(this.selected)) this.viewport.setAttribute('aria-activedescendant', `${this.uid}-row-${this.selected}`);
    else this.viewport.removeAttribute('aria-activedescendant');
  }
}
customElements.define('pyc-disasm', PycDisasm);

// The whole file as hex, 16 bytes a row, windowed: only the rows in view exist in the DOM.
// A highlighted span shows the bytes behind the selection; clicking a byte asks the page
// which node owns it.
import { el } from '../model.js';
import { RowWindow } from '../row-window.js';

const ROW_BYTES = 16;
const ROW_HEIGHT = 18;
const SLACK_ROWS = 8;

const hex2 = (b) => b.toString(16).padStart(2, '0');

class PycHexView extends HTMLElement {
  connectedCallback() {
    if (this.window) return;
    this.window = new RowWindow({ rowHeight: ROW_HEIGHT, slack: SLACK_ROWS, viewport: { class: 'hex-viewport', role: 'grid', 'aria-label': 'File bytes' } });
    this.viewport = this.window.viewport;
    this.append(el('p', { class: 'hex-label', 'aria-live': 'polite' }), this.viewport);
    this.viewport.addEventListener('scroll', () => this.#render());
    this.viewport.addEventListener('click', (e) => {
      const cell = e.target.closest('[data-offset]');
      if (cell) this.dispatchEvent(new CustomEvent('byte', { bubbles: true, detail: { offset: Number(cell.dataset.offset) } }));
    });
  }

  show(bytes) {
    this.bytes = bytes;
    this.range = null;
    this.mark = null;
    this.window.setCount(Math.ceil(bytes.length / ROW_BYTES));
    this.viewport.scrollTop = 0;
    this.#render(true);
  }

  /** Highlights [start, end) and scrolls it into view. */
  highlight(span, label = '') {
    this.range = span;
    this.querySelector('.hex-label').textContent = span ? `${label} — bytes ${span[0]}…${span[1] - 1} (${span[1] - span[0]} bytes)` : '';
    if (span) this.#scrollTo(span[0]);
    this.#render(true);
  }

  /** Marks one byte as the place of an error. */
  markError(offset) {
    // A file that ends too early fails at its length: mark its last byte.
    const end = offset >= this.bytes.length;
    this.mark = Math.min(offset, this.bytes.length - 1);
    this.querySelector('.hex-label').textContent = end
      ? `decoding stopped at byte ${offset}: the file ends there`
      : `decoding stopped at byte ${offset}`;
    this.#scrollTo(this.mark);
    this.#render(true);
  }

  #scrollTo(offset) {
    this.window.scrollTo(Math.floor(offset / ROW_BYTES), 2);
  }

  #render(force = false) {
    if (!this.bytes) return;
    const range = this.window.range(force);
    if (!range) return;
    const [first, last] = range;
    const [lo, hi] = this.range ?? [-1, -1];
    const frag = document.createDocumentFragment();
    for (let r = first; r < last; r++) {
      const base = r * ROW_BYTES;
      const row = el('div', { class: 'hex-row', role: 'row' }, el('span', { class: 'hex-addr', text: base.toString(16).padStart(8, '0') }));
      const hexes = el('span', { class: 'hex-bytes' });
      const chars = el('span', { class: 'hex-chars' });
      for (let i = base; i < Math.min(base + ROW_BYTES, this.bytes.length); i++) {
        const b = this.bytes[i];
        const cls = (i >= lo && i < hi ? 'sel ' : '') + (i === this.mark ? 'err' : '');
        hexes.append(el('span', { class: cls.trim() || null, 'data-offset': i, role: 'gridcell', text: hex2(b) }));
        chars.append(el('span', { class: cls.trim() || null, 'data-offset': i, text: b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·' }));
      }
      row.append(hexes, chars);
      frag.append(row);
    }
    this.window.rows.replaceChildren(frag);
  }
}
customElements.define('pyc-hex-view', PycHexView);

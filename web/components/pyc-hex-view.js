// The whole file as hex, windowed: only the rows in view exist in the DOM. A row holds 16
// bytes, or 8 or 4 when the view is narrower (a side pane, a phone): the view never
// scrolls sideways. A highlighted span shows the bytes behind the selection; clicking a
// byte asks the page which node owns it.
import { el } from '../model.js';
import { RowWindow } from '../row-window.js';

/** Bytes a row may hold, widest first. */
const ROW_CHOICES = [16, 8, 4];
/** Width of a row in characters: address, gaps, two hex digits and a gap, one text character a byte. */
const rowChars = (n) => 8 + 2 * 1.6 + 2 + n * (2.4 + 1);
const ROW_HEIGHT = 18;
const SLACK_ROWS = 8;

const hex2 = (b) => b.toString(16).padStart(2, '0');

class PycHexView extends HTMLElement {
  connectedCallback() {
    if (this.window) return;
    this.window = new RowWindow({ rowHeight: ROW_HEIGHT, slack: SLACK_ROWS, viewport: { class: 'hex-viewport', role: 'grid', 'aria-label': 'File bytes' } });
    this.viewport = this.window.viewport;
    this.append(el('p', { class: 'hex-label', 'aria-live': 'polite' }), this.viewport);
    this.rowBytes = ROW_CHOICES[0];
    this.viewport.addEventListener('scroll', () => this.#render());
    // Shown, hidden or resized (a tab, a narrower window): fit the row length to the width.
    new ResizeObserver(() => this.refit(true)).observe(this.viewport);
    this.viewport.addEventListener('click', (e) => {
      const cell = e.target.closest('[data-offset]');
      if (cell) this.dispatchEvent(new CustomEvent('byte', { bubbles: true, detail: { offset: Number(cell.dataset.offset) } }));
    });
  }

  /** Shows no bytes (a file is opening: its bytes come with its first selection). */
  clear() {
    this.bytes = null;
    this.range = null;
    this.mark = null;
    this.window.setCount(0);
    this.window.rows.replaceChildren();
    this.querySelector('.hex-label').textContent = '';
  }

  show(bytes) {
    this.bytes = bytes;
    this.range = null;
    this.mark = null;
    this.window.setCount(Math.ceil(bytes.length / this.rowBytes));
    this.viewport.scrollTop = 0;
    this.#render(true);
  }

  /**
   * Picks the row length for the view's width and, when the view has just come into sight
   * (`visible`), scrolls the highlight into view: a hidden view cannot scroll.
   */
  refit(visible) {
    const width = this.viewport?.clientWidth;
    if (!width || !visible) return;
    const ch = this.#charWidth();
    const fits = ROW_CHOICES.find((n) => rowChars(n) * ch <= width) ?? ROW_CHOICES.at(-1);
    const changed = fits !== this.rowBytes;
    this.rowBytes = fits;
    if (!this.bytes) return;
    if (changed) this.window.setCount(Math.ceil(this.bytes.length / this.rowBytes));
    const at = this.mark ?? this.range?.[0];
    if (at !== undefined && at !== null) this.#scrollTo(at);
    this.#render(true);
  }

  /** The width of one character of the view's monospace font, in pixels. */
  #charWidth() {
    const probe = el('span', { class: 'hex-probe', 'aria-hidden': 'true', text: '0'.repeat(20) });
    this.viewport.append(probe);
    const w = probe.getBoundingClientRect().width / 20;
    probe.remove();
    return w || 8;
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
    this.window.scrollTo(Math.floor(offset / this.rowBytes), 2);
  }

  #render(force = false) {
    if (!this.bytes) return;
    const range = this.window.range(force);
    if (!range) return;
    const [first, last] = range;
    const [lo, hi] = this.range ?? [-1, -1];
    const frag = document.createDocumentFragment();
    for (let r = first; r < last; r++) {
      const base = r * this.rowBytes;
      const row = el('div', { class: 'hex-row', role: 'row' }, el('span', { class: 'hex-addr', text: base.toString(16).padStart(8, '0') }));
      const hexes = el('span', { class: 'hex-bytes' });
      const chars = el('span', { class: 'hex-chars' });
      for (let i = base; i < Math.min(base + this.rowBytes, this.bytes.length); i++) {
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

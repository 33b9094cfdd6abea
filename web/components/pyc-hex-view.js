// The whole file as hex, 16 bytes a row, windowed: only the rows in view exist in the DOM.
// A highlighted span shows the bytes behind the selection; clicking a byte asks the page
// which node owns it.
import { el } from '../model.js';

const ROW_BYTES = 16;
const ROW_HEIGHT = 18;
const SLACK_ROWS = 8;

const hex2 = (b) => b.toString(16).padStart(2, '0');

class PycHexView extends HTMLElement {
  connectedCallback() {
    if (this.viewport) return;
    this.viewport = el('div', { class: 'hex-viewport', tabindex: '0', role: 'grid', 'aria-label': 'File bytes' });
    this.spacer = el('div', { class: 'hex-spacer' });
    this.rows = el('div', { class: 'hex-rows' });
    this.spacer.append(this.rows);
    this.viewport.append(this.spacer);
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
    this.spacer.style.height = `${Math.ceil(bytes.length / ROW_BYTES) * ROW_HEIGHT}px`;
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
    const top = Math.floor(offset / ROW_BYTES) * ROW_HEIGHT;
    const vp = this.viewport;
    if (top < vp.scrollTop || top > vp.scrollTop + vp.clientHeight - ROW_HEIGHT) vp.scrollTop = Math.max(0, top - ROW_HEIGHT * 2);
  }

  #render(force = false) {
    if (!this.bytes) return;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / ROW_HEIGHT) - SLACK_ROWS);
    const count = Math.ceil((this.viewport.clientHeight || 400) / ROW_HEIGHT) + 2 * SLACK_ROWS;
    const last = Math.min(Math.ceil(this.bytes.length / ROW_BYTES), first + count);
    if (!force && first === this.first && last === this.last) return;
    this.first = first;
    this.last = last;
    this.rows.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
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
    this.rows.replaceChildren(frag);
  }
}
customElements.define('pyc-hex-view', PycHexView);

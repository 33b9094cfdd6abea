// A long list of fixed-height rows of which only those in view (plus some slack) exist in
// the DOM: the hex view and the disassembly of a multi-megabyte file stay light.
import { el } from './model.js';

export class RowWindow {
  /**
   * `viewport`: attributes of the scrolling element (class, role, label); `head`: an optional
   * row kept at the top of the viewport (sticky, `rowHeight` high), such as a grid's column
   * headers, so that they belong to the same grid as the rows.
   */
  constructor({ rowHeight, slack, viewport, head = null }) {
    this.rowHeight = rowHeight;
    this.slack = slack;
    this.count = 0;
    this.head = head;
    this.rows = el('div', { class: 'window-rows', role: head ? 'rowgroup' : null });
    this.spacer = el('div', {}, this.rows);
    this.viewport = el('div', { tabindex: '0', ...viewport }, head, this.spacer);
  }

  /** How many rows the list has now. */
  setCount(count) {
    this.count = count;
    this.spacer.style.height = `${count * this.rowHeight}px`;
    this.first = this.last = -1;
  }

  /** `[first, last)` rows to draw, or null when the drawn ones are still the right ones. */
  range(force) {
    const h = this.rowHeight;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / h) - this.slack);
    const last = Math.min(this.count, first + Math.ceil((this.viewport.clientHeight || 500) / h) + 2 * this.slack);
    if (!force && first === this.first && last === this.last) return null;
    this.first = first;
    this.last = last;
    this.rows.style.transform = `translateY(${first * h}px)`;
    return [first, last];
  }

  /** Whether `row` is among the rows drawn now. */
  drawn(row) {
    return row >= this.first && row < this.last;
  }

  /** Scrolls so that `row` is in view, `margin` rows below the top, unless it already is. */
  scrollTo(row, margin) {
    const top = row * this.rowHeight;
    const vp = this.viewport;
    const below = this.head ? this.rowHeight : 0; // the sticky head covers the top of the view
    if (top < vp.scrollTop || top > vp.scrollTop + vp.clientHeight - this.rowHeight - below) {
      vp.scrollTop = Math.max(0, top - margin * this.rowHeight);
    }
  }
}

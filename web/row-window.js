// A long list of fixed-height rows of which only those in view (plus some slack) exist in
// the DOM: the hex view and the disassembly of a multi-megabyte file stay light.
import { el } from './model.js';

export class RowWindow {
  /** `viewport`: attributes of the scrolling element (class, role, label). */
  constructor({ rowHeight, slack, viewport }) {
    this.rowHeight = rowHeight;
    this.slack = slack;
    this.count = 0;
    this.rows = el('div', { class: 'window-rows' });
    this.spacer = el('div', {}, this.rows);
    this.viewport = el('div', { tabindex: '0', ...viewport }, this.spacer);
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

  /** Scrolls so that `row` is in view, `margin` rows below the top, unless it already is. */
  scrollTo(row, margin) {
    const top = row * this.rowHeight;
    const vp = this.viewport;
    if (top < vp.scrollTop || top > vp.scrollTop + vp.clientHeight - this.rowHeight) {
      vp.scrollTop = Math.max(0, top - margin * this.rowHeight);
    }
  }
}

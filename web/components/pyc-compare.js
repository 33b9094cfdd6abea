// Several pycs of one module side by side: a table with a row per source line and a column
// per pyc, each column's instructions marked against the column on its left (write/compare.js
// computes the marks). Clicking an instruction or a line says so with the same events the
// explorer's views use (`instruction`, `line`).
import { el } from '../model.js';
import { alignByLine } from '../write/compare.js';

const SIGN = { same: '', changed: '~', added: '+', removed: '−' };
const WORD = { changed: 'changed', added: 'added', removed: 'removed' };

class PycCompare extends HTMLElement {
  /**
   * `columns`: [{ label, codes: [{ name, instructions }] }]; `sourceLines`: the source's
   * lines when there is one (the write view), else null (two dropped pycs).
   */
  show(columns, sourceLines = null) {
    const { rows, totals } = alignByLine(columns);
    this.entries = [];
    const head = el('tr', {},
      el('th', { scope: 'col', text: 'line' }),
      sourceLines ? el('th', { scope: 'col', text: 'source' }) : null,
      ...columns.map((c, i) => el('th', { scope: 'col' }, c.label,
        i === 0 ? null : el('span', { class: 'cmp-totals', text: ` +${totals[i].added} −${totals[i].removed} ~${totals[i].changed} vs ${columns[i - 1].label}` }))));
    const body = el('tbody');
    for (const row of rows) {
      const lineText = row.line === 0 ? '—' : String(row.line);
      const tr = el('tr', { 'data-line': row.line },
        el('th', { scope: 'row', class: 'cmp-line' }, el('a', { href: '#', 'data-line': row.line, text: lineText, 'aria-label': row.line === 0 ? 'before the first line' : `line ${row.line}` })),
        sourceLines ? el('td', { class: 'cmp-source', text: row.line === 0 ? '' : sourceLines[row.line - 1] ?? '' }) : null,
        ...row.cells.map((cell) => this.#cell(cell)));
      body.append(tr);
    }
    this.replaceChildren(el('table', { class: 'compare' },
      el('colgroup', {}, el('col', { class: 'col-line' }), sourceLines ? el('col', { class: 'col-source' }) : null, ...columns.map(() => el('col'))),
      el('caption', { text: `${columns.map((c) => c.label).join(' · ')}: instructions by source line, each column marked against the one on its left` }),
      el('thead', {}, head), body));
    this.onclick = (e) => this.#clicked(e);
  }

  #cell(cell) {
    const td = el('td', { class: 'cmp-cell' });
    let code = null;
    for (const entry of cell) {
      // A removed instruction is a ghost of the left column's: it keeps this column's label.
      if (entry.mark !== 'removed' && entry.code !== code) {
        code = entry.code;
        td.append(el('div', { class: 'cmp-code', text: `in ${code}` }));
      }
      const { ins, mark } = entry;
      const index = this.entries.push(entry) - 1;
      const text = `${ins.opname}${ins.argrepr ? ` ${ins.argrepr}` : ''}`;
      const item = el('button', { type: 'button', class: `ci ci-${mark}`, 'data-entry': index },
        mark === 'same' ? null : el('span', { class: 'ci-sign', 'aria-hidden': 'true', text: SIGN[mark] }),
        mark === 'same' ? null : el('span', { class: 'visually-hidden', text: `${WORD[mark]}: ` }),
        text);
      item.title = mark === 'changed' ? `${text} (was ${entry.was.opname} ${entry.was.argrepr})`
        : mark === 'removed' ? `${text} (removed; was in ${entry.code})` : text;
      td.append(item);
    }
    return td;
  }

  /** Highlights the rows of one source line (the editor's cursor moved there). */
  markLine(line) {
    for (const tr of this.querySelectorAll('tr.line-mark')) tr.classList.remove('line-mark');
    const tr = this.querySelector(`tbody tr[data-line="${line}"]`);
    if (!tr) return;
    tr.classList.add('line-mark');
    tr.scrollIntoView({ block: 'nearest' });
  }

  #clicked(e) {
    const line = e.target.closest('a[data-line]');
    if (line) {
      e.preventDefault();
      this.dispatchEvent(new CustomEvent('line', { bubbles: true, detail: { line: Number(line.dataset.line) } }));
      return;
    }
    const item = e.target.closest('[data-entry]');
    if (!item) return;
    for (const sel of this.querySelectorAll('.ci.sel')) sel.classList.remove('sel');
    item.classList.add('sel');
    this.dispatchEvent(new CustomEvent('instruction', { bubbles: true, detail: { instruction: this.entries[Number(item.dataset.entry)].ins } }));
  }
}
customElements.define('pyc-compare', PycCompare);

// The matching .py, when the person drops it too: selecting an instruction highlights its
// source range; clicking a line asks for its instructions.
import { el } from '../model.js';

class PycSource extends HTMLElement {
  show(name, text) {
    this.lines = text.split(/\r?\n/);
    const list = el('ol', { class: 'source-lines' });
    this.lines.forEach((line, i) => list.append(el('li', { 'data-line': i + 1, text: line || ' ' })));
    this.replaceChildren(el('h3', { text: `Source: ${name}` }), list);
    list.addEventListener('click', (e) => {
      const li = e.target.closest('[data-line]');
      if (li) this.dispatchEvent(new CustomEvent('line', { bubbles: true, detail: { line: Number(li.dataset.line) } }));
    });
  }

  /** Highlights [line, col) … [end_line, end_col) as co_positions() gives it. */
  highlight(positions) {
    if (!this.lines) return;
    for (const li of this.querySelectorAll('.hl')) {
      li.classList.remove('hl');
      li.textContent = this.lines[Number(li.dataset.line) - 1] || ' ';
    }
    const [line, endLine, col, endCol] = positions ?? [];
    if (!line) return;
    for (let n = line; n <= (endLine ?? line); n++) {
      const li = this.querySelector(`[data-line="${n}"]`);
      if (!li) continue;
      li.classList.add('hl');
      const text = this.lines[n - 1];
      // Columns count UTF-8 bytes; convert to string indexes through the encoded line.
      const bytes = new TextEncoder().encode(text);
      const from = n === line && col !== null ? new TextDecoder().decode(bytes.slice(0, col)).length : 0;
      const to = n === endLine && endCol !== null ? new TextDecoder().decode(bytes.slice(0, endCol)).length : text.length;
      li.replaceChildren(text.slice(0, from), el('mark', { text: text.slice(from, to) }), text.slice(to));
      if (n === line) li.scrollIntoView({ block: 'nearest' });
    }
  }
}
customElements.define('pyc-source', PycSource);

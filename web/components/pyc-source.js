// The matching .py, when the person drops it too: selecting an instruction highlights its
// source range; clicking a line asks for its instructions.
import { el } from '../model.js';

let panes = 0;

class PycSource extends HTMLElement {
  /** No source yet: says how to get it beside the instructions. */
  clear() {
    this.lines = null;
    this.replaceChildren(el('p', { class: 'muted', text: 'Drop or open the matching .py together with the .pyc to see the source here, each instruction\'s range marked.' }));
  }

  show(name, text) {
    this.keysId ??= `source-keys-${++panes}`;
    this.lines = text.split(/\r?\n/);
    // One tab stop (roving focus): Up and Down move between lines, Enter or Space marks the
    // line's instructions, as a click does.
    const list = el('ol', { class: 'source-lines', 'aria-label': `Source lines of ${name}`, 'aria-describedby': this.keysId });
    this.lines.forEach((line, i) => list.append(el('li', { 'data-line': i + 1, tabindex: i === 0 ? '0' : '-1', text: line || ' ' })));
    this.replaceChildren(el('h3', { text: `Source: ${name}` }),
      el('p', { id: this.keysId, class: 'visually-hidden', text: 'Up and down arrows move between lines; Enter shows the instructions of a line.' }), list);
    const pick = (li) => this.dispatchEvent(new CustomEvent('line', { bubbles: true, detail: { line: Number(li.dataset.line) } }));
    list.addEventListener('click', (e) => {
      const li = e.target.closest('[data-line]');
      if (li) {
        this.#rove(li, false);
        pick(li);
      }
    });
    list.addEventListener('keydown', (e) => {
      const li = e.target.closest('[data-line]');
      if (!li) return;
      const to = { ArrowDown: li.nextElementSibling, ArrowUp: li.previousElementSibling, Home: list.firstElementChild, End: list.lastElementChild }[e.key];
      if (to !== undefined) {
        e.preventDefault();
        if (to) this.#rove(to, true);
      } else if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        pick(li);
      }
    });
  }

  #rove(li, focus) {
    for (const other of this.querySelectorAll('.source-lines [tabindex="0"]')) other.tabIndex = -1;
    li.tabIndex = 0;
    if (focus) li.focus();
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

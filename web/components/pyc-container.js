// A dropped container's module list (a zip, wheel, egg, zipapp, PyZipFile zip or PyInstaller
// executable): every member with its role, version and size, a filter box when there are
// many, and a button per module that holds bytecode. While one module is open in the explorer
// the list folds into a bar that leads back to it. Names come from the file: they are only
// ever inserted as text.
//
// Events (bubbling): 'open-member' { name } when a module is chosen, 'back' when the bar's
// button asks for the list again.
import { el } from '../model.js';

/** From this many members on, a filter box narrows the list. */
const FILTER_FROM = 12;

/** Rows built at most: a large application's PYZ holds thousands of modules; the filter narrows. */
const MOST_ROWS = 1000;

/** What the container is, in words, for the list's heading. */
const FORMATS = { zip: 'zip archive', PyInstaller: 'PyInstaller executable' };

let lists = 0;

class PycContainer extends HTMLElement {
  /**
   * Shows `listing` ({ format, members: [{ name, role, python, size, bytecode }] }, as the
   * analysis module's `containerMembers` gives it) of the file called `fileName`.
   */
  show(fileName, listing) {
    this.fileName = fileName;
    this.members = listing.members;
    this.uid = `container${++lists}`;
    const versions = [...new Set(this.members.map((m) => m.python).filter(Boolean))];
    const modules = this.members.filter((m) => m.bytecode).length;
    const title = el('h2', { id: `${this.uid}-title`, tabindex: '-1' },
      `${fileName}: ${FORMATS[listing.format] ?? listing.format}`,
      versions.length ? `, Python ${versions.join(', ')}` : '');
    this.count = el('p', { class: 'container-count', role: 'status' });
    this.list = el('ul', { class: 'container-members', 'aria-labelledby': title.id });
    this.list.addEventListener('click', (e) => {
      const button = e.target.closest('button[data-member]');
      if (button) this.#open(button.dataset.member);
    });
    this.list.addEventListener('keydown', (e) => this.#key(e));
    this.filter = null;
    const intro = el('p', { class: 'muted' },
      `${this.members.length} members, ${modules} of them Python bytecode. Choose a module to open it in the explorer.`);
    const parts = [title, intro];
    if (this.members.length >= FILTER_FROM) {
      this.filter = el('input', { type: 'search', id: `${this.uid}-filter`, autocomplete: 'off', spellcheck: 'false' });
      this.filter.addEventListener('input', () => this.#fill());
      this.filter.addEventListener('keydown', (e) => {
        if (e.key !== 'ArrowDown') return;
        e.preventDefault();
        this.#buttons()[0]?.focus();
      });
      parts.push(el('p', { class: 'container-filter' }, el('label', { for: this.filter.id, text: 'Filter by name ' }), this.filter));
    }
    this.listView = el('section', { class: 'container-list', 'aria-labelledby': title.id }, ...parts, this.count, this.list);
    this.back = el('button', { type: 'button', class: 'container-back' });
    this.back.addEventListener('click', () => this.dispatchEvent(new CustomEvent('back', { bubbles: true })));
    this.where = el('span', { class: 'container-where' });
    this.bar = el('nav', { class: 'container-bar', 'aria-label': `Inside ${fileName}`, hidden: true }, this.back, ' ', this.where);
    this.replaceChildren(this.listView, this.bar);
    this.#fill();
    this.hidden = false;
  }

  /**
   * Folds the list into the bar for the member `name`, open in the explorer; focus that was
   * in the list moves to the bar's button.
   */
  showMember(name) {
    const member = this.members.find((m) => m.name === name);
    this.opened = name;
    this.back.textContent = `Back to the modules of ${this.fileName}`;
    const facts = member ? [member.role, member.python ? `Python ${member.python}` : null].filter(Boolean).join(', ') : '';
    this.where.textContent = `${this.fileName} › ${name}` + (facts ? ` (${facts})` : '');
    const hadFocus = this.listView.contains(document.activeElement);
    this.listView.hidden = true;
    this.bar.hidden = false;
    // The chosen module's button is gone with the list: the keyboard lands on the way back.
    if (hadFocus) this.back.focus();
  }

  /** The list again, focus on the module that was open (or on the heading). */
  showList() {
    this.listView.hidden = false;
    this.bar.hidden = true;
    const button = this.#buttons().find((b) => b.dataset.member === this.opened);
    (button ?? this.listView.querySelector('h2')).focus();
  }

  /** Hides the view (a pyc was opened on its own). */
  clear() {
    this.replaceChildren();
    this.members = [];
    this.hidden = true;
  }

  #open(name) {
    this.dispatchEvent(new CustomEvent('open-member', { bubbles: true, detail: { name } }));
  }

  /** The rows whose name holds the filter's text (any case), up to MOST_ROWS. */
  #fill() {
    const wanted = (this.filter?.value ?? '').trim().toLowerCase();
    const shown = wanted ? this.members.filter((m) => m.name.toLowerCase().includes(wanted)) : this.members;
    this.list.replaceChildren(...shown.slice(0, MOST_ROWS).map((m) => this.#row(m)));
    const more = shown.length > MOST_ROWS ? ` (the first ${MOST_ROWS}: type to narrow)` : '';
    this.count.textContent = wanted
      ? `${shown.length} of ${this.members.length} members match “${this.filter.value.trim()}”${more}`
      : `${this.members.length} members${more}`;
  }

  #row(m) {
    const facts = [m.role, m.python ? `Python ${m.python}` : null, `${m.size.toLocaleString('en')} bytes`]
      .filter(Boolean).join(' · ');
    const name = m.bytecode
      ? el('button', { type: 'button', class: 'member-name', 'data-member': m.name, text: m.name })
      : el('span', { class: 'member-name', text: m.name });
    return el('li', { class: m.bytecode ? 'member' : 'member other', 'data-role': m.role },
      name, ' ', el('span', { class: 'member-facts', text: m.bytecode ? facts : `${facts} · not bytecode` }));
  }

  #buttons() {
    return [...this.list.querySelectorAll('button[data-member]')];
  }

  /** Up and Down (Home, End) move between the modules; Up from the first returns to the filter. */
  #key(e) {
    const buttons = this.#buttons();
    const at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    if (to < 0) this.filter?.focus();
    else buttons[Math.min(to, buttons.length - 1)].focus();
  }
}
customElements.define('pyc-container', PycContainer);

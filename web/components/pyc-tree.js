// The code-object tree: an ARIA tree with roving focus and full keyboard navigation.
// Children are created only when their parent is first expanded.
import { codeKind, codeName, el } from '../model.js';

/** Children shown per expansion; "N more…" adds the next chunk. */
const CHUNK = 200;
/** Code objects past which the tree gets the full height of its pane, size contained (style.css). */
const TALL = 50;

class PycTree extends HTMLElement {
  /** codes: the summary's code objects, in pre-order (docs/document.md). */
  show(codes) {
    this.codes = codes;
    this.children_ = codes.map(() => []);
    for (const c of codes) if (c.parent !== null) this.children_[c.parent].push(c.index);
    this.items = new Map();
    this.selected = null;
    const root = el('ul', { role: 'tree', 'aria-label': 'Code objects' });
    root.append(this.#item(0));
    this.toggleAttribute('data-tall', codes.length > TALL);
    this.replaceChildren(root);
    this.root = root;
    root.addEventListener('keydown', (e) => this.#key(e));
    // The look of the selected and the focused item is set on its own row, never through a
    // selector on the item: an item holds every item nested in it, and a rule such as
    // `[aria-selected=true] > .row` makes Blink restyle every row below the one that changed
    // (the whole tree when it is the module, 200 ms for a module of 1,600 functions).
    const focusRow = (e, on) => e.target.matches('[role=treeitem]') && e.target.firstChild.classList.toggle('focused', on);
    root.addEventListener('focusin', (e) => focusRow(e, true));
    root.addEventListener('focusout', (e) => focusRow(e, false));
    root.addEventListener('click', (e) => {
      const li = e.target.closest('[role=treeitem]');
      if (!li) return;
      if (li.dataset.more !== undefined) {
        this.#showMore(li);
        return;
      }
      if (e.target.classList.contains('twisty')) this.#toggle(li);
      this.select(Number(li.dataset.index));
    });
    this.#expand(this.items.get(0));
    // The module is at the top already: no scrolling, which would lay the page out in the
    // middle of building it.
    this.select(0, false, false);
  }

  #item(index) {
    const code = this.codes[index];
    const { depth } = code;
    const hasKids = this.children_[index].length > 0;
    const li = el('li', { role: 'treeitem', 'aria-selected': 'false', tabindex: '-1', 'data-index': index, 'aria-level': depth + 1 });
    if (hasKids) li.setAttribute('aria-expanded', 'false');
    const kind = codeKind(code, depth);
    li.append(el('span', { class: 'row' },
      el('span', { class: 'twisty', 'aria-hidden': 'true', text: hasKids ? '▸' : '' }),
      el('span', { class: 'name', text: codeName(code) }),
      el('span', { class: `kind kind-${kind.replace(/\s/g, '-')}`, text: kind }),
      el('span', { class: 'line', text: code.co_firstlineno !== undefined ? `line ${code.co_firstlineno}` : '' })));
    this.items.set(index, li);
    return li;
  }

  #expand(li) {
    if (!li || li.getAttribute('aria-expanded') !== 'false') return;
    const index = Number(li.dataset.index);
    if (!li.querySelector(':scope > ul')) {
      const group = el('ul', { role: 'group' });
      li.append(group);
      this.#more(group, index, 0);
    }
    li.setAttribute('aria-expanded', 'true');
    li.querySelector(':scope > .row > .twisty').textContent = '▾';
  }

  /** Adds the next chunk of a parent's children; a module can define thousands. */
  #more(group, parent, from) {
    const kids = this.children_[parent];
    const upto = Math.min(kids.length, from + CHUNK);
    for (let i = from; i < upto; i++) group.append(this.#item(kids[i]));
    if (upto < kids.length) {
      const more = el('li', { role: 'treeitem', tabindex: '-1', class: 'more', 'data-more': parent, 'data-from': upto },
        el('span', { class: 'row' }, el('span', { class: 'twisty' }), el('span', { class: 'name', text: `${kids.length - upto} more…` })));
      group.append(more);
    }
  }

  #showMore(moreItem) {
    const group = moreItem.parentElement;
    moreItem.remove();
    this.#more(group, Number(moreItem.dataset.more), Number(moreItem.dataset.from));
  }

  /**
   * The item of a code object whose parent is expanded, adding chunks of its siblings ("N
   * more…") until it exists: a selection from elsewhere (a constant's link, a byte of the
   * hex view, a test) can name the thousandth function of a module.
   */
  #reveal(index) {
    const parent = this.codes[index]?.parent;
    const group = this.items.get(parent)?.querySelector(':scope > ul');
    for (let more = group?.querySelector(':scope > [data-more]'); !this.items.has(index) && more; more = group.querySelector(':scope > [data-more]')) {
      this.#showMore(more);
    }
    return this.items.get(index);
  }

  #collapse(li) {
    if (li.getAttribute('aria-expanded') !== 'true') return;
    li.setAttribute('aria-expanded', 'false');
    li.querySelector(':scope > .row > .twisty').textContent = '▸';
  }

  #toggle(li) {
    if (li.getAttribute('aria-expanded') === 'true') this.#collapse(li); else this.#expand(li);
  }

  /** Selects a code object (expanding its ancestors), scrolls it into view unless told not to, and tells the page. */
  select(index, focus = true, scroll = true) {
    const path = [];
    for (let i = this.codes[index]?.parent; i !== null && i !== undefined; i = this.codes[i].parent) path.unshift(i);
    for (const i of path) this.#expand(this.#reveal(i));
    const li = this.#reveal(index);
    if (!li) return;
    if (this.selected) {
      this.selected.setAttribute('aria-selected', 'false');
      this.selected.tabIndex = -1;
      this.selected.firstChild.classList.remove('selected');
    }
    this.selected = li;
    li.setAttribute('aria-selected', 'true');
    li.tabIndex = 0;
    li.firstChild.classList.add('selected');
    if (focus) li.focus({ preventScroll: !scroll });
    if (scroll) li.scrollIntoView({ block: 'nearest' });
    this.dispatchEvent(new CustomEvent('select', { bubbles: true, detail: { index } }));
  }

  #visible() {
    return [...this.root.querySelectorAll('[role=treeitem]')].filter((li) => {
      for (let p = li.parentElement.closest('[role=treeitem]'); p; p = p.parentElement.closest('[role=treeitem]')) {
        if (p.getAttribute('aria-expanded') !== 'true') return false;
      }
      return true;
    });
  }

  #key(e) {
    const li = e.target.closest('[role=treeitem]');
    if (!li) return;
    const visible = this.#visible();
    const at = visible.indexOf(li);
    const go = (target) => {
      if (!target) return;
      e.preventDefault();
      if (target.dataset.more !== undefined) target.focus();
      else this.select(Number(target.dataset.index));
    };
    switch (e.key) {
      case 'ArrowDown': go(visible[at + 1]); break;
      case 'ArrowUp': go(visible[at - 1]); break;
      case 'Home': go(visible[0]); break;
      case 'End': go(visible[visible.length - 1]); break;
      case 'ArrowRight':
        e.preventDefault();
        if (li.getAttribute('aria-expanded') === 'false') this.#expand(li);
        else if (li.getAttribute('aria-expanded') === 'true') go(li.querySelector(':scope > ul > li'));
        break;
      case 'ArrowLeft':
        e.preventDefault();
        if (li.getAttribute('aria-expanded') === 'true') this.#collapse(li);
        else go(li.parentElement.closest('[role=treeitem]'));
        break;
      case 'Enter': case ' ':
        e.preventDefault();
        if (li.dataset.more !== undefined) this.#showMore(li); else this.#toggle(li);
        break;
      default:
    }
  }
}
customElements.define('pyc-tree', PycTree);

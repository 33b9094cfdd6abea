// One code object: every co_* field with a one-line explanation, constants with their type
// and repr (a nested code object links to its tree node), and the derived views.
import { codeKind, codeName, el, inspect } from '../model.js';

/** What each field holds, in our words. */
const EXPLAIN = {
  co_argcount: 'positional parameters, positional-only ones included',
  co_posonlyargcount: 'parameters that can only be passed by position (before /)',
  co_kwonlyargcount: 'parameters that can only be passed by keyword (after *)',
  co_nlocals: 'local variables, parameters included',
  co_stacksize: 'the deepest the value stack gets while this code runs',
  co_flags: 'bit flags: how the code is called and what kind of code it is',
  co_code: 'the bytecode itself',
  co_consts: 'constants the bytecode loads by index',
  co_names: 'global, attribute and imported names the bytecode uses by index',
  co_varnames: 'local variable names, parameters first',
  co_freevars: 'variables this code reads from an enclosing function',
  co_cellvars: 'local variables that inner functions capture',
  localsplusnames: 'on disk since 3.11: locals, cells and free variables in one list',
  localspluskinds: 'one kind byte per name in localsplusnames (local, cell, free, argument…)',
  co_filename: 'the file name the compiler was given',
  co_name: 'the function, class or module name',
  co_qualname: 'the dotted name that shows where the definition is nested',
  co_firstlineno: 'the line where the definition starts',
  co_lnotab: 'the old compressed table from bytecode offsets to lines',
  co_linetable: 'the table from bytecode to lines (and columns, from 3.11)',
  co_exceptiontable: 'where an exception raised in each range of instructions goes',
};

const SHOWN_HEX = 96;
/** Constants listed before a "show all" button: a module can hold thousands. */
const SHOWN_CONSTS = 200;
/** Names (co_names, globals used, nested code objects…) shown before a "show all" button. */
const SHOWN_NAMES = 100;

/**
 * `items` joined by commas in a `tag` element; past SHOWN_NAMES of them, the first ones and
 * a button that shows the rest (a module's thousands of names would otherwise be laid out
 * whole on every selection). `none` stands for an empty list.
 */
function joined(items, tag = 'span', none = '(none)') {
  if (!items.length) return el(tag, { text: none });
  if (items.length <= SHOWN_NAMES) return el(tag, { text: items.join(', ') });
  const text = el(tag, { text: `${items.slice(0, SHOWN_NAMES).join(', ')}, …` });
  const more = el('button', { type: 'button', class: 'show-all', text: `show all ${items.length}` });
  more.addEventListener('click', (e) => {
    e.stopPropagation();
    text.textContent = items.join(', ');
    more.remove();
  });
  return el('span', {}, text, ' ', more);
}

/** The inspector's rows (model.js `inspect`, which lessons check learners' inspectors against). */
function inspector(code, kind, entry, codes) {
  const { globals, nested, constants: total } = inspect(code, entry, codes);
  const list = el('dl', { class: 'inspector' });
  const row = (k, v) => list.append(el('dt', { text: k }), el('dd', {}, v));
  row('kind', kind);
  row('globals used', joined(globals));
  row('free variables', joined(code.co_freevars ?? []));
  row('cell variables', joined(code.co_cellvars ?? []));
  row('nested code objects', joined(nested.map((n) => `${n.qualname} (${n.kind})`)));
  row('constants, nested ones included', String(total));
  // Not a landmark of its own (a page with two explorers would have two alike): its heading
  // is how a screen reader finds it.
  return el('section', { class: 'inspector-box' }, el('h3', { text: 'Inspector' }), list);
}

class PycCodePanel extends HTMLElement {
  /** Empties the panel while another code object is on its way. */
  clear() {
    this.code = null;
    this.replaceChildren();
  }

  /**
   * `code` comes from the decoder with nested code objects as `{ code_index }` stubs;
   * `entry` is its row in the summary's `codes` (kinds and constant counts of the tree).
   */
  show(code, entry, codes) {
    this.code = code;
    const fields = Object.keys(code).filter((k) => k.startsWith('co_') || k.startsWith('localsplus'));
    const table = el('table', { class: 'fields' },
      el('thead', {}, el('tr', {}, el('th', { text: 'field' }), el('th', { text: 'value' }), el('th', { text: 'what it holds' }))));
    const body = el('tbody');
    for (const key of fields) {
      const row = el('tr', { 'data-field': key, tabindex: '0' },
        el('th', { scope: 'row', text: key }),
        el('td', {}, this.#value(key, code[key])),
        el('td', { class: 'explain', text: EXPLAIN[key] ?? '' }));
      body.append(row);
    }
    table.append(body);
    const kind = codeKind(code, entry.depth);
    this.replaceChildren(
      el('h2', {}, `${codeName(code)} `, el('small', { text: `${kind}, line ${code.co_firstlineno ?? '?'}` })),
      inspector(code, kind, entry, codes),
      table);
    this.onclick = (e) => this.#clicked(e);
    this.onkeydown = (e) => { if (e.key === 'Enter') this.#clicked(e); };
  }

  #clicked(e) {
    const link = e.target.closest('[data-code-index]');
    if (link) {
      e.preventDefault();
      this.dispatchEvent(new CustomEvent('open-code', { bubbles: true, detail: { index: Number(link.dataset.codeIndex) } }));
      return;
    }
    const constItem = e.target.closest('[data-const]');
    const row = e.target.closest('[data-field]');
    if (constItem) {
      const node = this.code.co_consts[Number(constItem.dataset.const)];
      this.dispatchEvent(new CustomEvent('span', { bubbles: true, detail: { span: node.span, label: `co_consts[${constItem.dataset.const}]` } }));
    } else if (row && this.code.spans?.[row.dataset.field]) {
      this.dispatchEvent(new CustomEvent('span', { bubbles: true, detail: { span: this.code.spans[row.dataset.field], label: row.dataset.field } }));
    }
  }

  #value(key, value) {
    if (key === 'co_consts') {
      const list = el('ol', { class: 'consts', start: '0' });
      const add = (from, to) => value.slice(from, to).forEach((c, k) => {
        const i = from + k;
        const item = el('li', { 'data-const': i, tabindex: '0' }, el('span', { class: 'type', text: c.type }), ' ');
        if (c.code_index !== undefined) item.append(el('a', { href: '#', 'data-code-index': c.code_index, text: c.repr }));
        else item.append(el('code', { text: c.repr }));
        list.append(item);
      });
      add(0, SHOWN_CONSTS);
      if (value.length <= SHOWN_CONSTS) return list;
      const more = el('button', { type: 'button', text: `show all ${value.length} constants` });
      more.addEventListener('click', (e) => {
        e.stopPropagation();
        add(SHOWN_CONSTS, value.length);
        more.remove();
      });
      return el('div', {}, list, more);
    }
    if (key === 'co_flags') {
      return el('span', {}, el('code', { text: `0x${value.toString(16)}` }), ' ', (this.code.flags ?? []).join(' | '));
    }
    if (Array.isArray(value)) return joined(value, 'code');
    if (typeof value === 'string' && /^(co_code|co_lnotab|co_linetable|co_exceptiontable|localspluskinds)$/.test(key)) {
      const shown = value.slice(0, SHOWN_HEX * 2).replace(/(..)/g, '$1 ').trim();
      return el('code', { class: 'hex', text: value.length > SHOWN_HEX * 2 ? `${shown} … (${value.length / 2} bytes)` : shown || '(empty)' });
    }
    return el('code', { text: String(value) });
  }
}
customElements.define('pyc-code-panel', PycCodePanel);

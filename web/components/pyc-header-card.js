// The header card: which Python wrote the file and how the importer checks it is fresh.
import { el, utcDate } from '../model.js';

const KIND = {
  timestamp: 'timestamp: the importer compares the source file\'s mtime and size',
  'hash-checked': 'hash-based, checked: the importer re-hashes the source',
  'hash-unchecked': 'hash-based, unchecked: the stored hash is never compared',
  legacy: 'timestamp (before PEP 552): mtime only, plus source size from 3.3 (and in pytest\'s caches)',
};

/** What stands behind pyclens's reading of a version (crate/src/support.rs `Checked`). */
const CHECKED = {
  interpreter: 'against that interpreter: its own pycs, every field and instruction',
  'interpreter+xdis': 'fields against that interpreter, instructions against xdis (its own dis cannot read its bytecode)',
  xdis: 'against xdis, on pycs real interpreters wrote (no interpreter of this version ran here)',
  unchecked: 'not checked: no file of this version was at hand',
  recognised: 'named from the magic number; no opcode table, so no disassembly',
};

class PycHeaderCard extends HTMLElement {
  show(doc, fileName, size, checked) {
    const h = doc.header;
    const rows = [
      ['file', `${fileName} (${size.toLocaleString('en')} bytes)`],
      ['Python', `${h.python} ${h.implementation}${h.unicode_literals ? ' (-U: unicode literals)' : ''}`],
      ...(checked ? [['checked', CHECKED[checked]]] : []),
      ['magic', `${h.magic}${h.magic_number !== null ? ` (${h.magic_number})` : ''}`],
      ['header', `${h.size} bytes`],
      ['kind', KIND[h.kind] ?? h.kind],
    ];
    if (h.mtime !== null) rows.push(['source mtime', `${utcDate(h.mtime)} (${h.mtime})`]);
    if (h.source_size !== null) rows.push(['source size', `${h.source_size.toLocaleString('en')} bytes`]);
    if (h.source_hash !== null) rows.push(['source hash', h.source_hash]);
    if (doc.diagnostics.length) rows.push(['notes', doc.diagnostics.map((d) => `${d.message} (byte ${d.offset})`).join('; ')]);
    const list = el('dl', { class: 'header-fields' });
    for (const [k, v] of rows) list.append(el('dt', { text: k }), el('dd', { text: v }));
    this.replaceChildren(el('h2', { text: 'Header' }), list);
    this.querySelector('dl').addEventListener('click', () =>
      this.dispatchEvent(new CustomEvent('span', { bubbles: true, detail: { span: h.span, label: 'header' } })));
  }
}
customElements.define('pyc-header-card', PycHeaderCard);

// The header card: which Python wrote the file and how the importer checks it is fresh.
// Compact: the short facts on one wrapping line, the sentences (how the reading was
// checked, how the importer checks freshness, notes) each on a line of its own below.
import { el, utcDate } from '../model.js';

const KIND = {
  timestamp: 'timestamp: the importer compares the source file\'s mtime and size',
  'hash-checked': 'hash-based, checked: the importer re-hashes the source',
  'hash-unchecked': 'hash-based, unchecked: the stored hash is never compared',
  legacy: 'timestamp (before PEP 552): mtime only, plus source size from 3.3 (and in pytest\'s caches)',
};

/** Facts told in a sentence or a long value: each gets a line of its own. */
const LONG = new Set(['checked', 'kind', 'notes', 'source hash']);

class PycHeaderCard extends HTMLElement {
  show(doc, fileName, size, evidence) {
    const h = doc.header;
    const rows = [
      ['file', `${fileName} (${size.toLocaleString('en')} bytes)`],
      ['Python', `${h.python} ${h.implementation}${h.unicode_literals ? ' (-U: unicode literals)' : ''}`],
      ...(evidence ? [['checked', evidence]] : []),
      ['magic', `${h.magic}${h.magic_number !== null ? ` (${h.magic_number})` : ''}`],
      ['header', `${h.size} bytes`],
      ['kind', KIND[h.kind] ?? h.kind],
    ];
    if (h.mtime !== null) rows.push(['source mtime', `${utcDate(h.mtime)} (${h.mtime})`]);
    if (h.source_size !== null) rows.push(['source size', `${h.source_size.toLocaleString('en')} bytes`]);
    if (h.source_hash !== null) rows.push(['source hash', h.source_hash]);
    if (doc.diagnostics.length) rows.push(['notes', doc.diagnostics.map((d) => `${d.message} (byte ${d.offset})`).join('; ')]);
    const list = el('dl', { class: 'header-fields' });
    for (const [k, v] of rows) list.append(el('div', { class: LONG.has(k) ? 'fact long' : 'fact' }, el('dt', { text: k }), el('dd', { text: v })));
    this.replaceChildren(el('h2', { text: 'Header' }), list);
    this.querySelector('dl').addEventListener('click', () =>
      this.dispatchEvent(new CustomEvent('span', { bubbles: true, detail: { span: h.span, label: 'header' } })));
  }
}
customElements.define('pyc-header-card', PycHeaderCard);

// The header card: which Python wrote the file and how the importer checks it is fresh.
// Compact: the short facts on one wrapping line, the sentences (how the reading was
// checked, how the importer checks freshness, notes) each on a line of its own below.
import { el, utcDate } from '../model.js';

const KIND = {
  timestamp: 'timestamp: the importer compares the source file\'s mtime and size',
  'hash-checked': 'hash-based, checked: the importer re-hashes the source',
  'hash-unchecked': 'hash-based, unchecked: the stored hash is never compared',
  legacy: 'timestamp (before PEP 552): mtime only, plus source size from 3.3 (and in pytest\'s caches)',
  none: 'no header: bare marshal data (as PyInstaller archives and marshal.dumps leave it)',
};

/** Facts told in a sentence or a long value: each gets a line of its own. */
const LONG = new Set(['checked', 'kind', 'notes', 'source hash', 'reading', 'decrypted']);

class PycHeaderCard extends HTMLElement {
  /**
   * `versions`: the CPython versions pyclens can read a file as, newest first; the card
   * offers them ("Read as") and dispatches 'read-as' with `{ python }` ('' for the header's own).
   */
  show(doc, fileName, size, evidence, versions = []) {
    const h = doc.header;
    const rows = [
      ['file', `${fileName} (${size.toLocaleString('en')} bytes)`],
      ['Python', `${h.python} ${h.implementation}${h.unicode_literals ? ' (-U: unicode literals)' : ''}`],
      ...(evidence ? [['checked', evidence]] : []),
      ...(h.reading ? [['reading', reading(h)]] : []),
      ...(h.decrypted ? [['decrypted', decrypted(h.decrypted)]] : []),
      ['magic', h.magic === null ? 'none' : `${h.magic}${h.magic_number !== null ? ` (${h.magic_number})` : ''}`],
      ['header', `${h.size} bytes`],
      ['kind', KIND[h.kind] ?? h.kind],
    ];
    if (h.mtime !== null) rows.push(['source mtime', `${utcDate(h.mtime)} (${h.mtime})`]);
    if (h.source_size !== null) rows.push(['source size', `${h.source_size.toLocaleString('en')} bytes`]);
    if (h.source_hash !== null) rows.push(['source hash', h.source_hash]);
    if (doc.diagnostics.length) rows.push(['notes', doc.diagnostics.map((d) => `${d.message} (byte ${d.offset})`).join('; ')]);
    const list = el('dl', { class: 'header-fields' });
    for (const [k, v] of rows) list.append(el('div', { class: LONG.has(k) ? 'fact long' : 'fact' }, el('dt', { text: k }), el('dd', { text: v })));
    this.replaceChildren(el('h2', { text: 'Header' }), list, this.#picker(h, versions));
    this.querySelector('dl').addEventListener('click', () =>
      this.dispatchEvent(new CustomEvent('span', { bubbles: true, detail: { span: h.span, label: 'header' } })));
  }

  /** The "Read as" picker: another version than the header names, or the inferred one. */
  #picker(h, versions) {
    if (!versions.length) return '';
    const select = el('select', { id: `read-as-${++pickers}` },
      el('option', { value: '', text: h.magic === null ? `as inferred (${h.reading?.fits?.[0] ?? h.python})` : 'as its header says' }),
      ...versions.map((v) => el('option', { value: v, text: `Python ${v}` })));
    select.value = h.reading?.from === 'given' ? h.python : '';
    select.addEventListener('change', () =>
      this.dispatchEvent(new CustomEvent('read-as', { bubbles: true, detail: { python: select.value } })));
    return el('p', { class: 'read-as' }, el('label', { for: select.id, text: 'Read the file ' }), select);
  }
}
let pickers = 0;

/** What decrypting the file took, in words (Dropbox's 2.5 pycs). */
function decrypted(d) {
  return `${d.writer}: ${d.code_objects} code objects decrypted and their opcodes renumbered to CPython's; ` +
    `the bytes shown are this plaintext, not the ${d.encrypted_size.toLocaleString('en')}-byte file`;
}

/** How the version was settled when the magic did not settle it, in words. */
function reading(h) {
  if (h.reading.from === 'given') {
    return h.magic === null
      ? `no header: read as Python ${h.python}, as given (by the archive that held it, or chosen below)`
      : `read as Python ${h.python}, as chosen; the header says otherwise`;
  }
  const others = h.reading.fits.slice(1);
  return `no header: the code fits Python ${h.reading.fits.join(', ')}; read as ${h.python}` +
    (others.length ? ' (choose another below)' : '') +
    `; not ${h.reading.rejected.slice(0, 3).map((r) => `${r.python} (${r.reason})`).join(', ')}${h.reading.rejected.length > 3 ? ', …' : ''}`;
}
customElements.define('pyc-header-card', PycHeaderCard);

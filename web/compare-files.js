// Two or more pycs dropped together (one module from two versions, or before and after an
// edit): their disassembly side by side by source line, each marked against the one before,
// above the explorer. Uses its own decoder, so the explorer's open file is left alone.
import { el } from './model.js';
import { decodeAll } from './write/decode-all.js';
import './components/pyc-compare.js';

let decoder = null;

/**
 * Shows `files` ([{ name, bytes: ArrayBuffer }]) compared in `container`, with the source
 * lines when the matching .py came too; fewer than two files clears the comparison.
 * `makeDecoder` makes the decoder it uses the first time (the page's worker decoder).
 */
export async function compareFiles(container, files, sourceText, makeDecoder) {
  if (files.length < 2) {
    container.replaceChildren();
    container.hidden = true;
    return;
  }
  decoder ??= makeDecoder();
  const columns = [];
  for (const f of files) {
    const { summary, codes } = await decodeAll(decoder, f.name, new Uint8Array(f.bytes));
    columns.push({ label: `${f.name} (Python ${summary.header.python})`, codes });
  }
  const view = el('pyc-compare');
  container.replaceChildren(el('section', { class: 'compare-files', 'aria-label': 'Compared files' },
    el('h2', { text: `Side by side: ${files.map((f) => f.name).join(' · ')}` }), view));
  view.show(columns, sourceText === null ? null : sourceText.split(/\r?\n/));
  container.hidden = false;
  container.dataset.compared = files.map((f) => f.name).join(',');
}

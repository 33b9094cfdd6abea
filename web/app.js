// The playground: load a .pyc (drop, picker, sample, ?src=), decode it in a worker, and
// keep the views in step: tree → code panel, disassembly and bytes; bytes → owning node.
import { Decoder, DecodeFailure } from './decoder.js';
import './components/pyc-header-card.js';
import './components/pyc-tree.js';
import './components/pyc-code-panel.js';
import './components/pyc-disasm.js';
import './components/pyc-hex-view.js';
import './components/pyc-source.js';

const $ = (id) => document.getElementById(id);
const decoder = new Decoder();
// The document itself stays with the decoder; the page keeps its summary.
const state = { summary: null, codes: [], bytes: null, name: '', buffer: null, selected: -1 };

function status(text) {
  $('status').textContent = text;
}

function showError(message) {
  $('error').hidden = !message;
  $('error').textContent = message ?? '';
}

/** Decodes one file and shows it; on failure keeps the previous file and marks the byte. */
async function openPyc(name, buffer) {
  status(`Decoding ${name}…`);
  // Markers the tests and the browser benchmark wait for: cleared until this file is shown.
  delete document.body.dataset.loaded;
  delete document.body.dataset.shown;
  try {
    const { summary, timing } = await decoder.open(buffer);
    showError(null);
    const codes = summary.codes.map((c) => ({ code: c, depth: c.depth, parent: c.parent ?? -1, index: c.index }));
    Object.assign(state, { summary, name, buffer, bytes: new Uint8Array(buffer), codes, selected: -1 });
    $('main').hidden = false;
    $('header-card').show(summary, name, buffer.byteLength);
    $('hex').show(state.bytes);
    $('tree').show(state.codes);
    $('source').replaceChildren();
    $('copy-json').disabled = $('download-json').disabled = false;
    status(`${name}: Python ${summary.header.python}, ${state.codes.length} code objects — decoded in ${timing.decodeMs.toFixed(1)} ms`);
    // Read by the browser benchmark (scripts/bench-browser.mjs) and the tests.
    document.body.dataset.timing = JSON.stringify({ ...timing, shownAt: performance.now() });
    document.body.dataset.loaded = name;
  } catch (err) {
    if (!(err instanceof DecodeFailure)) throw err;
    const where = err.offset !== null ? ` at byte ${err.offset}` : '';
    showError(`${name}: ${err.message}${where}` + (state.summary ? ` — still showing ${state.name}.` : ''));
    status(state.summary ? `Showing ${state.name}.` : 'Nothing loaded yet.');
    // Show the bad file's bytes with the failing one marked; the previous document stays
    // loaded and comes back on the next selection.
    $('main').hidden = false;
    $('hex').show(new Uint8Array(buffer));
    if (err.offset !== null) $('hex').markError(err.offset);
    document.body.dataset.error = err.kind;
  }
}

async function openFiles(files) {
  const list = [...files];
  const source = list.find((f) => f.name.endsWith('.py'));
  for (const f of list.filter((f) => !f.name.endsWith('.py'))) await openPyc(f.name, await f.arrayBuffer());
  if (source && state.summary) $('source').show(source.name, await source.text());
}

async function selectCode(index) {
  const item = state.codes[index];
  if (!item) return;
  state.selected = index;
  const { code } = await decoder.code(index);
  if (state.selected !== index) return; // a later selection won
  $('code-panel').show(code, item.depth, state.codes);
  $('disasm').show(code);
  $('hex').show(state.bytes);
  $('hex').highlight(code.span, `code object ${code.co_qualname ?? code.co_name}`);
  document.body.dataset.selected = String(index);
  document.body.dataset.shown = `${state.name}#${index}`;
  document.dispatchEvent(new Event('selected'));
}

// --- events between views -------------------------------------------------------------
document.addEventListener('select', (e) => { if (e.target.id === 'tree') selectCode(e.detail.index); });
document.addEventListener('open-code', (e) => $('tree').select(e.detail.index));
document.addEventListener('span', (e) => $('hex').highlight(e.detail.span, e.detail.label));
document.addEventListener('instruction', (e) => $('source').highlight(e.detail.instruction.positions));
document.addEventListener('line', (e) => $('disasm').markLine(e.detail.line));
document.addEventListener('byte', async (e) => {
  if (!state.summary) return;
  const hit = await decoder.owner(e.detail.offset);
  if (!hit) return;
  if (hit.code_index !== null && hit.code_index !== state.selected) {
    $('tree').select(hit.code_index, false);
    await new Promise((resolve) => document.addEventListener('selected', resolve, { once: true }));
  }
  $('hex').highlight(hit.span, hit.label);
});

// --- loading ----------------------------------------------------------------------------
$('file-input').addEventListener('change', (e) => openFiles(e.target.files));

let dragDepth = 0;
window.addEventListener('dragenter', (e) => { e.preventDefault(); dragDepth++; $('drop-overlay').hidden = false; });
window.addEventListener('dragleave', () => { if (--dragDepth <= 0) { dragDepth = 0; $('drop-overlay').hidden = true; } });
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => {
  e.preventDefault();
  dragDepth = 0;
  $('drop-overlay').hidden = true;
  if (e.dataTransfer?.files?.length) openFiles(e.dataTransfer.files);
});

async function openUrl(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  await openPyc(url.split('/').pop(), await response.arrayBuffer());
}

async function loadSamples() {
  try {
    const samples = await (await fetch('samples/index.json')).json();
    for (const s of samples) {
      $('sample-select').append(new Option(`Python ${s.version}: ${s.title}`, `samples/${s.file}`));
    }
  } catch {
    $('sample-select').closest('nav').hidden = true;
  }
}
$('sample-select').addEventListener('change', (e) => { if (e.target.value) openUrl(e.target.value); });

// --- JSON out ---------------------------------------------------------------------------
$('copy-json').addEventListener('click', async () => {
  await navigator.clipboard.writeText(await decoder.json());
  status('The JSON document is on the clipboard.');
});
$('download-json').addEventListener('click', async () => {
  const text = await decoder.json(true);
  const link = Object.assign(document.createElement('a'), {
    href: URL.createObjectURL(new Blob([text], { type: 'application/json' })),
    download: state.name.replace(/\.py[co]$/, '') + '.json',
  });
  link.click();
  URL.revokeObjectURL(link.href);
});

// --- theme ------------------------------------------------------------------------------
const savedTheme = localStorage.getItem('pyclens-theme');
if (savedTheme) document.documentElement.dataset.theme = savedTheme;
$('theme-toggle').addEventListener('click', () => {
  const dark = (document.documentElement.dataset.theme ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light')) === 'dark';
  document.documentElement.dataset.theme = dark ? 'light' : 'dark';
  localStorage.setItem('pyclens-theme', document.documentElement.dataset.theme);
  $('theme-toggle').setAttribute('aria-pressed', String(!dark));
});

// --- start ------------------------------------------------------------------------------
decoder.info().then((info) => { $('version').textContent = info.version; });
loadSamples();
const src = new URLSearchParams(location.search).get('src');
// Only relative URLs: the page never fetches from another origin.
if (src && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(src)) openUrl(src).catch((err) => showError(String(err.message)));
if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
  navigator.serviceWorker.register('sw.js').catch(() => {});
}
document.body.dataset.ready = 'true';

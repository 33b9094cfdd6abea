// The playground page: a landing page (landing.js) until a file is open; files come in by
// drop, picker, sample or ?src= and go to the explorer (explorer.js); several pycs dropped
// at once are also compared (compare-files.js); the write view (write/, loaded only when
// asked for) compiles Python typed on the page. The page adds JSON copy/download, the theme
// and offline support.
import { Decoder } from './decoder.js';
import { Explorer } from './explorer.js';
import { showLessons } from './lessons-page.js';
import { isWriteLink, parse } from './write/permalink.js';
import { compareFiles } from './compare-files.js';
import { showLessonTitles, showSampleCards } from './landing.js';
import { ContainerPage } from './container-page.js';

const $ = (id) => document.getElementById(id);
const decoder = new Decoder();
const explorer = new Explorer($('explorer'), {
  decoder, markers: document.body, onContainer: (name, listing) => containers.show(name, listing),
});
// A zip or PyInstaller executable: its module list in place of the explorer (container-page.js).
const containers = new ContainerPage($('container'), explorer, () => {
  updateLanding();
  updateJsonButtons();
});

/** Copy and Download JSON work while a decoded file is what the page shows (not a container's list). */
function updateJsonButtons() {
  $('copy-json').disabled = $('download-json').disabled = !explorer.state.summary || (containers.shown && !containers.memberOpen);
}

/** The landing page shows while nothing else does: no file tried, no write view, no lessons in place. */
function updateLanding() {
  $('landing').hidden = !explorer.main.hidden || !$('write').hidden || Boolean($('explorer').querySelector('pyc-lesson')) ||
    containers.shown;
}

/** Opens one file in the explorer, or lists it when it is a container; true when a pyc opened. */
async function openOne(name, bytes) {
  containers.clear();
  const opened = await explorer.open(name, bytes);
  if (opened) updateJsonButtons();
  return opened;
}

async function openFiles(files) {
  showWrite(false);
  const list = [...files];
  const source = list.find((f) => f.name.endsWith('.py'));
  const pycs = list.filter((f) => !f.name.endsWith('.py'));
  const opened = [];
  for (const f of pycs) {
    const bytes = await f.arrayBuffer();
    if (await openOne(f.name, bytes)) opened.push({ name: f.name, bytes });
  }
  const text = source ? await source.text() : null;
  if (source) explorer.showSource(source.name, text);
  updateLanding();
  await compareFiles($('compare-files'), opened.length > 1 ? opened : [], text, () => new Decoder());
}

// --- writing Python -------------------------------------------------------------------
let writeView = null;

/** Shows the write view (loading it the first time) with a permalink's state, or the explorer. */
async function showWrite(state) {
  $('write').hidden = !state;
  $('explorer').hidden = Boolean(state);
  $('container').hidden = Boolean(state) || !containers.shown;
  $('compare-files').hidden = Boolean(state) || !$('compare-files').childElementCount;
  $('write-link').setAttribute('aria-pressed', String(Boolean(state)));
  updateLanding();
  if (!state) return;
  if (globalThis.PYCLENS_FILES) {
    // dist/pyclens.html is the viewer alone: the interpreters are the site's files.
    $('write').replaceChildren(Object.assign(document.createElement('p'), {
      className: 'explorer-error',
      textContent: 'This single-file copy of pyclens is the viewer only: compiling Python needs the site itself (npm start), whose interpreters it cannot carry.',
    }));
    return;
  }
  if (!writeView) {
    const { WriteView } = await import('./write/write-view.js');
    writeView = new WriteView($('write'));
    await writeView.start(state);
  } else {
    writeView.show(state);
  }
}

$('write-link').addEventListener('click', () => showWrite($('write').hidden ? { versions: null, source: null } : false));
$('landing-write').addEventListener('click', () => showWrite({ versions: null, source: null }));
window.addEventListener('hashchange', async () => {
  if (isWriteLink(location.hash)) showWrite(await parse(location.hash));
});

// --- loading ----------------------------------------------------------------------------
$('file-input').addEventListener('change', (e) => openFiles(e.target.files));
$('drop-zone').addEventListener('click', () => $('file-input').click());

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
  showWrite(false);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  await openOne(url.split('/').pop(), await response.arrayBuffer());
  updateLanding();
}

/** The samples: a list in the bar (grouped by snippet) and a card per snippet on the landing page. */
async function loadSamples() {
  const openSample = (url) => {
    $('sample-select').value = url;
    openUrl(url);
  };
  const samples = await showSampleCards($('sample-cards'), openSample);
  if (!samples) {
    $('sample-select').closest('nav').hidden = true;
    $('landing-samples').hidden = true;
    return;
  }
  const groups = new Map();
  for (const s of samples) {
    if (!groups.has(s.snippet)) {
      groups.set(s.snippet, Object.assign(document.createElement('optgroup'), { label: s.title }));
      $('sample-select').append(groups.get(s.snippet));
    }
    groups.get(s.snippet).append(new Option(`Python ${s.version}: ${s.title}`, `samples/${s.file}`));
  }
}
$('sample-select').addEventListener('change', (e) => { if (e.target.value) openUrl(e.target.value); });

// --- JSON out ---------------------------------------------------------------------------
$('copy-json').addEventListener('click', async () => {
  await navigator.clipboard.writeText(await decoder.json());
  explorer.say('The JSON document is on the clipboard.');
});
$('download-json').addEventListener('click', async () => {
  const text = await decoder.json(true);
  const link = Object.assign(document.createElement('a'), {
    href: URL.createObjectURL(new Blob([text], { type: 'application/json' })),
    download: explorer.state.name.replace(/\.py[co]$/, '') + '.json',
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

// --- lessons ----------------------------------------------------------------------------
// The single-file build carries the lessons inside itself: show them in place (and its
// title leads back to the file itself, not to a folder).
const lessonsInPlace = globalThis.PYCLENS_FILES ? (id) => {
  showWrite(false);
  $('explorer').hidden = false;
  showLessons($('explorer'), id).then(updateLanding);
  $('landing').hidden = true;
} : null;
if (lessonsInPlace) {
  for (const link of [$('lessons-link'), $('landing-lessons-link')]) {
    link.addEventListener('click', (e) => {
      e.preventDefault();
      lessonsInPlace();
    });
  }
  document.querySelector('.bar h1 a').href = location.href.split(/[?#]/)[0];
}
showLessonTitles($('landing-lessons'), lessonsInPlace).catch(() => { $('landing-lessons').hidden = true; });

// --- start ------------------------------------------------------------------------------
decoder.info().then((info) => { $('version').textContent = info.version; });
loadSamples();
const src = new URLSearchParams(location.search).get('src');
// Only relative URLs: the page never fetches from another origin.
if (src && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(src)) openUrl(src).catch((err) => explorer.showError(String(err.message)));
if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
  navigator.serviceWorker.register('sw.js').catch(() => {});
}
// A permalink (#v=…&code=…) opens the write view; the page is ready once it is built.
const opening = isWriteLink(location.hash) ? parse(location.hash).then(showWrite) : Promise.resolve();
opening.catch((err) => explorer.showError(String(err.message))).finally(() => { document.body.dataset.ready = 'true'; });

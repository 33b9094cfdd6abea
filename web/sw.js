// Offline support: every asset of the page is cached on the first visit; afterwards the
// page loads from the cache (and refreshes the cache in the background when online).
// The interpreters (pyodide/<build>/…, 12-15 MB each) are cached only once a version is
// used or the learner asks for it, in a cache of their own that page updates keep: a build's
// files never change under its URL, so they are answered from the cache without a refetch.
const CACHE = 'pyclens-v7';
const PYODIDE_CACHE = 'pyclens-pyodide'; // write/offline.js reads and fills the same cache
const ASSETS = [
  './', 'index.html', 'style.css', 'app.js', 'landing.js', 'explorer.js', 'tabs.js', 'decoder.js', 'model.js', 'row-window.js', 'document-tables.js', 'columns.js', 'requests.js', 'transfer.js', 'worker.js',
  'manifest.webmanifest', 'favicon.svg',
  'components/pyc-header-card.js', 'components/pyc-tree.js', 'components/pyc-code-panel.js',
  'components/pyc-disasm.js', 'components/pyc-hex-view.js', 'components/pyc-source.js',
  'lesson.html', 'lesson.js', 'lessons-page.js', 'assets.js', 'lessons/index.json', 'lesson-format.js', 'lesson-answers.js', 'lesson-runs.js', 'components/pyc-lesson.js',
  'pkg/pyclens.js', 'pkg/pyclens_bg.wasm', 'samples/index.json',
  'write/write-view.js', 'write/compare.js', 'write/decode-all.js', 'compare-files.js', 'write/permalink.js', 'write/offline.js', 'write/run-panel.js',
  'compile/compilers.js', 'compile/worker.js', 'compile/compiler.py', 'components/pyc-compare.js',
  'vendor/editor.js', 'pyodide/index.json',
  'components/pyc-cfg.js', 'cfg/cfg-style.js', 'cfg/cfg-svg.js', 'cfg/cfg-text.js', 'cfg/layout-client.js',
  'cfg/layout-worker.js', 'vendor/cfg-layout.js',
  'explorer-analysis.js', 'components/pyc-instruction-info.js', 'components/pyc-stack-strip.js',
  'container-page.js', 'components/pyc-container.js',
  'explain/explain.js', 'explain/jumps.js', 'explain/stacksize.js', 'explain/version.js', 'explain/words.js',
  'explain/families/calls.js', 'explain/families/containers.js', 'explain/families/control.js', 'explain/families/flow.js', 'explain/families/index.js',
  'explain/families/operators.js', 'explain/families/specialised.js', 'explain/families/stack.js', 'explain/families/variables.js',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE && k !== PYODIDE_CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (/\/pyodide\/[^/]+\/[^/]+$/.test(url.pathname)) {
    event.respondWith(caches.open(PYODIDE_CACHE).then(async (cache) => {
      const cached = await cache.match(event.request);
      if (cached) return cached;
      const response = await fetch(event.request);
      if (response.ok) await cache.put(event.request, response.clone());
      return response;
    }));
    return;
  }
  event.respondWith(caches.open(CACHE).then(async (cache) => {
    const cached = await cache.match(event.request, { ignoreSearch: true });
    const fresh = fetch(event.request).then((response) => {
      if (response.ok) cache.put(event.request, response.clone());
      return response;
    });
    if (cached) {
      fresh.catch(() => {});
      return cached;
    }
    return fresh;
  }));
});

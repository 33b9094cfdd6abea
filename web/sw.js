// Offline support: every asset of the page is cached on the first visit; afterwards the
// page loads from the cache (and refreshes the cache in the background when online).
const CACHE = 'pyclens-v1';
const ASSETS = [
  './', 'index.html', 'style.css', 'app.js', 'explorer.js', 'decoder.js', 'model.js', 'row-window.js', 'requests.js', 'worker.js',
  'manifest.webmanifest',
  'components/pyc-header-card.js', 'components/pyc-tree.js', 'components/pyc-code-panel.js',
  'components/pyc-disasm.js', 'components/pyc-hex-view.js', 'components/pyc-source.js',
  'lesson.html', 'lesson.js', 'lessons-page.js', 'assets.js', 'lessons/index.json', 'lesson-format.js', 'lesson-answers.js', 'components/pyc-lesson.js',
  'pkg/pyclens.js', 'pkg/pyclens_bg.wasm', 'samples/index.json',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
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

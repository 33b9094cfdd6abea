// Keeping the interpreters for offline use. The service worker (sw.js) stores every file of
// a pyodide build in the cache named here the first time a worker loads it, and answers
// from it afterwards; this module tells the page what is stored and fetches whole builds
// on request ("make available offline"), counting bytes as they arrive.

/** The cache sw.js keeps pyodide files in (kept across page updates: the files never change). */
export const PYODIDE_CACHE = 'pyclens-pyodide';

const base = new URL('../pyodide/', import.meta.url);
const fileUrl = (build, file) => new URL(`${build.path}${file.name}`, base).href;

/** Whether every file of `build` (a pyodide/index.json entry) is in the cache. */
export async function isStored(build) {
  if (!('caches' in globalThis)) return false;
  const cache = await caches.open(PYODIDE_CACHE);
  const hits = await Promise.all(build.files.map((f) => cache.match(fileUrl(build, f))));
  return hits.every(Boolean);
}

/**
 * Fetches the files of `builds` not yet stored into the cache; `onProgress(done, total)`
 * in bytes as they arrive. Resolves when all are stored.
 */
export async function store(builds, onProgress = () => {}) {
  const cache = await caches.open(PYODIDE_CACHE);
  const wanted = [];
  for (const build of builds) {
    for (const file of build.files) {
      if (!(await cache.match(fileUrl(build, file)))) wanted.push({ url: fileUrl(build, file), bytes: file.bytes });
    }
  }
  const total = wanted.reduce((n, f) => n + f.bytes, 0);
  let done = 0;
  onProgress(done, total);
  for (const { url } of wanted) {
    const response = await fetch(url, { cache: 'no-store' });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    const reader = response.body.getReader();
    const chunks = [];
    for (;;) {
      const { done: end, value } = await reader.read();
      if (end) break;
      chunks.push(value);
      done += value.length;
      onProgress(done, total);
    }
    await cache.put(url, new Response(new Blob(chunks), { headers: { 'Content-Type': response.headers.get('Content-Type') ?? 'application/octet-stream' } }));
  }
  return total;
}

/** `12.3 MB` */
export function megabytes(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

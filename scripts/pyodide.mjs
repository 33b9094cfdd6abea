// Puts the real CPythons the page compiles with (pyodide builds, ordinary npm dependencies:
// package.json's pyodide-3XX aliases) into web/pyodide/<pyodide version>/ (a new build gets
// a new URL, so no cache ever serves a stale interpreter), and writes
// web/pyodide/index.json: per version the interpreter it is, the files a worker loads and
// their sizes raw and gzip-compressed, so the page can say what a download costs before it
// starts. Only the files pyodide fetches at start-up are copied (no maps, typings, consoles).
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'web', 'pyodide');
const deps = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies;

/** `pyodide-312` → `3.12`, for every pyodide alias the site depends on. */
const builds = Object.keys(deps).filter((name) => /^pyodide-3\d+$/.test(name))
  .map((name) => ({ name, minor: `3.${name.slice('pyodide-3'.length)}` }));

// What pyodide's loadPyodide() fetches from indexURL, newest layouts first: the module
// loader, the emscripten glue (.mjs from 0.28 on), the wasm, the standard library (a zip
// from 0.23 on; 0.22 packs it as .data + pyodide_py.tar) and the package lock file.
const RUNTIME = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.js', 'pyodide.asm.wasm', 'python_stdlib.zip',
  'pyodide.asm.data', 'pyodide_py.tar', 'pyodide-lock.json', 'repodata.json'];

/** The index entry of one build, reusing the previous gzip sizes when the build is unchanged. */
function place({ name, minor }, previous) {
  const from = join(root, 'node_modules', name);
  const pkg = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8'));
  const dir = join(out, pkg.version);
  mkdirSync(dir, { recursive: true });
  const old = previous?.pyodide === pkg.version ? new Map(previous.files.map((f) => [f.name, f])) : new Map();
  const files = [];
  for (const file of RUNTIME.filter((f) => existsSync(join(from, f)))) {
    const bytes = statSync(join(from, file)).size;
    const target = join(dir, file);
    if (!existsSync(target) || statSync(target).size !== bytes || !old.has(file)) copyFileSync(join(from, file), target);
    const gzip = old.get(file)?.bytes === bytes ? old.get(file).gzip : gzipSync(readFileSync(target)).length;
    files.push({ name: file, bytes, gzip });
  }
  return { python: minor, pyodide: pkg.version, path: `${pkg.version}/`, files,
    bytes: files.reduce((n, f) => n + f.bytes, 0), gzip: files.reduce((n, f) => n + f.gzip, 0) };
}

const indexPath = join(out, 'index.json');
const previous = existsSync(indexPath) ? JSON.parse(readFileSync(indexPath, 'utf8')) : [];
const index = builds.map((b) => place(b, previous.find((p) => p.python === b.minor)));
for (const stale of previous.filter((p) => !index.some((b) => b.pyodide === p.pyodide))) rmSync(join(out, stale.pyodide), { recursive: true, force: true });
writeFileSync(indexPath, JSON.stringify(index, null, 1));
const mb = (n) => (n / 1e6).toFixed(1);
console.error(`pyclens: pyodide for ${index.map((p) => `${p.python} (${mb(p.bytes)} MB, ${mb(p.gzip)} MB gzip)`).join(', ')}`);

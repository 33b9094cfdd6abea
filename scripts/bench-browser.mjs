// Browser benchmark (recorded in BENCHMARKS.md, never asserted): in headless Chromium, the
// time from a drop to the first rendered tree for a typical 20 KB pyc and for the 4.6 MB
// benchmark pyc, where that time goes (wasm decode, summary document, JSON.parse in the
// worker), the longest main-thread task, and the size of the wasm raw and gzipped. Then, on
// the benchmark pyc, the longest main-thread task (the 'longtask' entries of a
// PerformanceObserver) while its module code object is shown after the drop and while its
// module, its largest function and its most deeply nested code object are selected.
// usage: npm run build && node scripts/bench-browser.mjs
//        PROFILE=dir node scripts/bench-browser.mjs  (also writes a CPU profile of each
//        selection, dir/NAME.cpuprofile, for Chromium's DevTools Performance panel)
import { gunzipSync, gzipSync } from 'node:zlib';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from './serve.mjs';
import { launchChromium } from './chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
const stdlib = join(root, 'tests', 'fixtures', '3.12', 'stdlib');
// The stdlib fixture closest to 20 KB.
const typical = readdirSync(stdlib).map((f) => join(stdlib, f))
  .sort((a, b) => Math.abs(statSync(a).size - 20000) - Math.abs(statSync(b).size - 20000))[0];
const big = { name: 'stdlib_concat.pyc', bytes: gunzipSync(readFileSync(join(root, 'tests/fixtures/bench/3.12/stdlib_concat.pyc.gz'))) };

const server = await serve(join(root, 'web'), 0);
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.on('crash', () => console.error('the page crashed'));
page.on('pageerror', (e) => console.error(String(e)));
await page.goto(`http://127.0.0.1:${server.address().port}/`);
await page.waitForSelector('body[data-ready=true]');
await page.evaluate(() => {
  window.longest = 0;
  window.longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.longest = Math.max(window.longest, e.duration);
      window.longTasks.push({ start: e.startTime, duration: e.duration });
    }
  }).observe({ type: 'longtask', buffered: true });
});

async function dropAndTime(name, bytes, runs) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    // The file is made in a task of its own: decoding the base64 is not the page's work.
    await page.evaluate(({ name, bytes, i }) => {
      window.file = new File([Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0))], `${i}-${name}`);
    }, { name, bytes: bytes.toString('base64'), i });
    results.push(await page.evaluate(async () => {
      window.longest = 0;
      const { file } = window;
      const dt = new DataTransfer();
      dt.items.add(file);
      const t0 = performance.now();
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      await new Promise((resolve) => {
        const check = () => (document.body.dataset.loaded === file.name && document.querySelector('pyc-tree [role=treeitem]')
          ? requestAnimationFrame(resolve) : requestAnimationFrame(check));
        check();
      });
      const rendered = performance.now() - t0;
      await new Promise((r) => setTimeout(r, 50));
      const timing = JSON.parse(document.body.dataset.timing);
      return { rendered, ...timing, shown: timing.shownAt - t0, longest: window.longest };
    }));
  }
  results.sort((a, b) => a.rendered - b.rendered);
  return results[Math.floor(results.length / 2)];
}

const rows = [];
for (const [label, name, bytes, runs] of [
  ['typical', typical.split('/').pop(), readFileSync(typical), 15],
  ['benchmark', big.name, big.bytes, 5],
]) {
  const r = await dropAndTime(name, bytes, runs);
  rows.push(`| ${label}: ${name} | ${(bytes.length / 1e3).toFixed(1)} KB | ${r.shown.toFixed(1)} ms | ${r.rendered.toFixed(1)} ms | ${r.decodeMs.toFixed(1)} ms | ${r.summaryMs.toFixed(1)} ms | ${r.parseMs.toFixed(1)} ms | ${r.longest.toFixed(0)} ms |`);
}
/** Resolves once `done()` holds, checking every frame; then waits `settle` ms for late work and long-task entries. */
const settleScript = `window.until = (done, settle = 300) => new Promise((resolve) => {
  const check = () => (done() ? setTimeout(resolve, settle) : requestAnimationFrame(check));
  check();
});
window.longestSince = (t0) => Math.max(0, ...window.longTasks.filter((e) => e.start + e.duration >= t0).map((e) => e.duration));`;
await page.evaluate(settleScript);

// The selections, on the benchmark pyc: the module (shown by the drop itself, then selected
// again after another), its largest function (by bytes; not a class body) and its most deeply nested code object.
const profileDir = process.env.PROFILE;
if (profileDir) mkdirSync(profileDir, { recursive: true });
const cdp = profileDir ? await page.context().newCDPSession(page) : null;
if (cdp) await cdp.send('Profiler.enable');
async function profiled(label, run) {
  if (cdp) await cdp.send('Profiler.start');
  const result = await run();
  if (cdp) writeFileSync(join(profileDir, `${label}.cpuprofile`), JSON.stringify((await cdp.send('Profiler.stop')).profile));
  return result;
}

const selections = [];
for (let run = 0; run < 3; run++) {
  await page.evaluate(({ bytes, run }) => {
    window.file = new File([Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0))], `sel${run}-stdlib_concat.pyc`);
  }, { bytes: big.bytes.toString('base64'), run });
  const dropped = await profiled(`drop-${run}`, () => page.evaluate(async () => {
    const { file } = window;
    const { name } = file;
    const dt = new DataTransfer();
    dt.items.add(file);
    window.longTasks = [];
    const t0 = performance.now();
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    await window.until(() => document.body.dataset.loaded === name && document.querySelector('pyc-tree [role=treeitem]'), 0);
    const rendered = performance.now() - t0;
    const firstLongest = window.longestSince(t0);
    await window.until(() => document.body.dataset.shown === `${name}#0`);
    return { name, rendered, firstLongest, moduleLongest: window.longestSince(t0) };
  }));
  const codes = await page.evaluate(() => document.querySelector('pyc-tree').codes.map((c) => ({ index: c.index, depth: c.depth, size: c.span[1] - c.span[0], name: c.co_qualname ?? c.co_name, function: (c.flags ?? []).includes('NEWLOCALS') })));
  const largest = codes.filter((c) => c.function).sort((a, b) => b.size - a.size)[0];
  const deepest = codes.reduce((a, b) => (b.depth > a.depth ? b : a));
  const row = { run, rendered: dropped.rendered, first: dropped.firstLongest, moduleOnOpen: dropped.moduleLongest, largest, deepest };
  // A person reaches the function through the tree ("N more…" adds a module's children 200 at
  // a time): both are made visible in the tree first, the module selected again, and then
  // each selection is measured as a click on a visible item.
  for (const index of [largest.index, deepest.index, 0]) {
    await page.evaluate(async ({ index, name }) => {
      delete document.body.dataset.shown;
      document.querySelector('pyc-tree').select(index, false);
      await window.until(() => document.body.dataset.shown === `${name}#${index}`);
    }, { index, name: dropped.name });
  }
  for (const [key, index] of [['largestLongest', largest.index], ['deepestLongest', deepest.index], ['moduleLongest', 0]]) {
    row[key] = await profiled(`${key}-${run}`, () => page.evaluate(async ({ index, name }) => {
      window.longTasks = [];
      delete document.body.dataset.shown;
      const t0 = performance.now();
      document.querySelector('pyc-tree').select(index, false);
      await window.until(() => document.body.dataset.shown === `${name}#${index}`);
      return window.longestSince(t0);
    }, { index, name: dropped.name }));
  }
  selections.push(row);
}
const median = (key) => selections.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(selections.length / 2)];
const { largest, deepest } = selections[0];

const wasm = readFileSync(join(root, 'web', 'pkg', 'pyclens_bg.wasm'));
console.log(`Chromium ${browser.version()}, medians\n`);
console.log('| file | size | drop → tree in the DOM | drop → next frame painted | wasm decode | summary document | JSON.parse (worker) | longest main-thread task |');
console.log('|---|---|---|---|---|---|---|---|');
console.log(rows.join('\n'));
console.log(`\nThe benchmark pyc, longest main-thread task (median of ${selections.length} runs, 0: none over 50 ms):\n`);
console.log('| moment | longest main-thread task |');
console.log('|---|---|');
console.log(`| drop → tree in the DOM (${median('rendered').toFixed(0)} ms) | ${median('first').toFixed(0)} ms |`);
console.log(`| drop → module code object shown (the drop selects it) | ${median('moduleOnOpen').toFixed(0)} ms |`);
console.log(`| selecting the largest function, ${largest.name} (#${largest.index}, ${largest.size} bytes) | ${median('largestLongest').toFixed(0)} ms |`);
console.log(`| selecting the most deeply nested, ${deepest.name} (#${deepest.index}, depth ${deepest.depth}) | ${median('deepestLongest').toFixed(0)} ms |`);
console.log(`| selecting the module code object again | ${median('moduleLongest').toFixed(0)} ms |`);
console.log(`\nwasm: ${wasm.length} bytes raw, ${gzipSync(wasm, { level: 9 }).length} bytes gzipped`);
await browser.close();
server.close();

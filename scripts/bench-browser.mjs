// Browser benchmark (recorded in BENCHMARKS.md, never asserted): in headless Chromium, the
// time from a drop to the first rendered tree for a typical 20 KB pyc and for the 4.6 MB
// benchmark pyc, where that time goes (wasm decode, summary document, JSON.parse in the
// worker), the longest main-thread task, and the size of the wasm raw and gzipped.
// usage: npm run build && node scripts/bench-browser.mjs
import { gunzipSync, gzipSync } from 'node:zlib';
import { readFileSync, readdirSync, statSync } from 'node:fs';
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
await page.goto(`http://127.0.0.1:${server.address().port}/`);
await page.waitForSelector('body[data-ready=true]');
await page.evaluate(() => {
  window.longest = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.longest = Math.max(window.longest, e.duration);
  }).observe({ type: 'longtask', buffered: true });
});

async function dropAndTime(name, bytes, runs) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    results.push(await page.evaluate(async ({ name, bytes, i }) => {
      window.longest = 0;
      const file = new File([Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0))], `${i}-${name}`);
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
    }, { name, bytes: bytes.toString('base64'), i }));
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
const wasm = readFileSync(join(root, 'web', 'pkg', 'pyclens_bg.wasm'));
console.log(`Chromium ${browser.version()}, medians\n`);
console.log('| file | size | drop → tree in the DOM | drop → next frame painted | wasm decode | summary document | JSON.parse (worker) | longest main-thread task |');
console.log('|---|---|---|---|---|---|---|---|');
console.log(rows.join('\n'));
console.log(`\nwasm: ${wasm.length} bytes raw, ${gzipSync(wasm, { level: 9 }).length} bytes gzipped`);
await browser.close();
server.close();

// Write-view benchmark (recorded in BENCHMARKS.md, never asserted): in headless Chromium
// against the site on localhost, per CPython version: the cold start from opening a
// permalink to the first disassembly on screen (fresh browser profile, nothing cached), the
// bytes that version fetches (raw, and what gzip would make of them), then warm recompiles
// as a learner types: keystroke -> compile -> decode -> render for a 50-line and a
// 1,000-line program (median of 9 edits each; the view's own timing, debounce excluded).
// usage: npm run build && node scripts/bench-write.mjs [3.12 ...]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from './serve.mjs';
import { launchChromium } from './chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
const builds = JSON.parse(readFileSync(join(root, 'web', 'pyodide', 'index.json'), 'utf8'));
const only = process.argv.slice(2);

/** A program of about `lines` lines: functions with loops, branches, comprehensions, calls. */
function program(lines) {
  const out = [];
  for (let i = 0; out.length < lines; i++) {
    out.push(`def f${i}(xs, k=${i}):`, '    total = 0', '    for x in xs:', '        if x % 3 == k % 3:',
      '            total += x * k', '        else:', '            total -= len([y for y in xs if y > x])',
      '    return total', '');
  }
  out.length = lines - 1;
  out.push('print(f0(range(10)))');
  return `${out.join('\n')}\n`;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const server = await serve(join(root, 'web'), 0);
const base = `http://127.0.0.1:${server.address().port}/`;
const rows = [];
for (const build of builds.filter((b) => !only.length || only.includes(b.python))) {
  const browser = await launchChromium();
  const context = await browser.newContext();
  let fetched = 0;
  context.on('requestfinished', async (request) => {
    if (!request.url().includes('/pyodide/')) return;
    const sizes = await request.sizes().catch(() => null);
    fetched += sizes?.responseBodySize ?? 0;
  });
  const page = await context.newPage({ viewport: { width: 1400, height: 900 } });
  const started = Date.now();
  await page.goto(`${base}#v=${build.python}&code=${encodeURIComponent('x = 1\n')}`);
  await page.waitForFunction((v) => document.querySelector('#write')?.dataset.compiled === v, build.python, { timeout: 180000 });
  const coldMs = Date.now() - started;
  console.error(`${build.python}: cold start ${coldMs} ms`);
  const warm = {};
  for (const lines of [50, 1000]) {
    const text = program(lines);
    const times = [];
    for (let edit = 0; edit < 9; edit++) {
      const generation = await page.evaluate(() => Number(document.querySelector('#write').dataset.generation));
      // A paste over the whole text: one edit, as a learner's keystroke is.
      await page.evaluate(() => document.querySelector('.editor-host').shadowRoot.querySelector('.cm-content').focus());
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(`${text}# edit ${edit}\n`);
      await page.waitForFunction((g) => Number(document.querySelector('#write').dataset.generation) > g, generation);
      const timing = JSON.parse(await page.evaluate(() => document.querySelector("#write").dataset.timing));
      times.push(timing.totalMs);
    }
    warm[lines] = median(times);
    console.error(`${build.python}: ${lines} lines, median ${warm[lines].toFixed(0)} ms`);
  }
  rows.push({ python: build.python, pyodide: build.pyodide, coldMs, fetchedMB: fetched / 1e6, rawMB: build.bytes / 1e6, gzipMB: build.gzip / 1e6, warm50Ms: warm[50], warm1000Ms: warm[1000] });
  await browser.close();
}
server.close();
console.log('| Python | pyodide | cold start to first disassembly | fetched | files raw | gzip | 50 lines: keystroke→render | 1,000 lines |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.python} | ${r.pyodide} | ${(r.coldMs / 1000).toFixed(1)} s | ${r.fetchedMB.toFixed(1)} MB | ${r.rawMB.toFixed(1)} MB | ${r.gzipMB.toFixed(1)} MB | ${r.warm50Ms.toFixed(0)} ms | ${r.warm1000Ms.toFixed(0)} ms |`);
}

// The playground in real (headless) Chromium: loading files by drop and by picker for every
// version, the linked views, errors, hostile strings, keyboard use and offline reloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { dropBytes, openPlayground, root, useSite } from './harness.mjs';
const fixtures = join(root, 'tests', 'fixtures');
const shots = join(root, 'target', 'screenshots');
mkdirSync(shots, { recursive: true });

const versions = readdirSync(fixtures).filter((d) => /^\d+\.\d+$/.test(d));
const sampleOf = (v) => join(fixtures, v, 'snippets', v === '2.7' ? 'closures27.pyc' : 'closures.pyc');

const site = useSite();

const page = (context) => openPlayground(site, context);

async function openByPicker(p, file) {
  await p.setInputFiles('#file-input', file);
  await p.waitForFunction((name) => document.body.dataset.loaded === name, file.split('/').pop());
}

/** Clicks a code object in the tree and waits until the panel shows it. */
async function selectInTree(p, name) {
  await p.click(`pyc-tree [role=treeitem] >> text=${name}`);
  await p.waitForFunction((n) => document.querySelector('pyc-code-panel h2')?.textContent.startsWith(`${n} `), name);
}

async function dropFile(p, file) {
  const name = file.split('/').pop();
  await dropBytes(p, name, readFileSync(file));
  await p.waitForFunction((n) => document.body.dataset.loaded === n, name);
}

test('every version loads through the file picker and through a drop', async () => {
  const p = await page();
  for (const v of versions) {
    await openByPicker(p, sampleOf(v));
    assert.match(await p.textContent('pyc-header-card'), new RegExp(`Python${v.replace('.', '\\.')} CPython`));
    assert.match(await p.textContent('pyc-tree'), /make_counter/);
    await dropFile(p, join(fixtures, v, 'stdlib', readdirSync(join(fixtures, v, 'stdlib')).find((f) => f.startsWith('colorsys'))));
    assert.match(await p.textContent('pyc-tree'), /rgb_to_hsv/);
  }
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('selecting code highlights its bytes, and clicking a byte selects its owner', async () => {
  const p = await page();
  await openByPicker(p, sampleOf('3.12'));
  await selectInTree(p, 'make_counter');
  await p.click('.side-pane [role=tab] >> text=Bytes');
  assert.ok(await p.locator('.hex-row .sel').count() > 0, 'the code object\'s bytes are highlighted');
  await p.click('.side-pane [role=tab] >> text=Fields');
  await p.click('pyc-code-panel tr[data-field=co_names]');
  assert.match(await p.textContent('.hex-label'), /co_names — bytes/);
  await p.screenshot({ path: join(shots, 'explorer.png') });
  await p.click('.side-pane [role=tab] >> text=Bytes');
  // A byte inside the header selects the header.
  await p.evaluate(() => { document.querySelector('.hex-viewport').scrollTop = 0; });
  await p.click('.hex-bytes [data-offset="3"]');
  await p.waitForFunction(() => document.querySelector('.hex-label').textContent.startsWith('header — bytes 0…15'));
  // A byte of the module's own bytecode selects the module and names the field.
  await p.click('.hex-bytes [data-offset="40"]');
  await p.waitForFunction(() => /^<module>\.co_code — bytes/.test(document.querySelector('.hex-label').textContent));
  assert.equal(await p.textContent('pyc-tree [aria-selected=true] > .row .name'), '<module>');
  await p.close();
});

test('the disassembly lists each instruction and follows jumps', async () => {
  const p = await page();
  for (const v of ['2.7', '3.6', '3.10', '3.11', '3.13', '3.15']) {
    await openByPicker(p, sampleOf(v));
    await p.waitForFunction((name) => document.body.dataset.shown === `${name}#0`, sampleOf(v).split('/').pop());
    await p.waitForSelector('pyc-disasm .dis-row[data-index]');
    const ops = await p.locator('pyc-disasm .dis-row[data-index] .op').allTextContents();
    assert.ok(ops.includes('STORE_NAME'), `${v}: ${ops.join(' ')}`);
  }
  // Find a function with a jump; clicking the jump's link selects its target instruction.
  await openByPicker(p, join(fixtures, '3.12', 'snippets', 'statements.pyc'));
  const items = p.locator('pyc-tree [role=group] > [role=treeitem]');
  for (let i = 0; i < await items.count(); i++) {
    const index = await items.nth(i).getAttribute('data-index');
    await items.nth(i).locator(':scope > .row .name').click();
    await p.waitForFunction((n) => document.body.dataset.selected === n, index);
    if (await p.locator('pyc-disasm a[data-jump]').count()) break;
  }
  const link = p.locator('pyc-disasm a[data-jump]').first();
  const target = Number(await link.getAttribute('data-jump'));
  await link.click();
  await p.waitForSelector('pyc-disasm .dis-row.sel');
  assert.equal(Number((await p.textContent('pyc-disasm .dis-row.sel .off')).replace('>> ', '')), target);
  await p.screenshot({ path: join(shots, 'disassembly.png') });
  await p.close();
});

test('with the source dropped too, instructions and lines point at each other', async () => {
  const p = await page();
  const source = join(fixtures, 'generate', 'snippets', 'closures.py');
  await p.setInputFiles('#file-input', [sampleOf('3.12'), source]);
  await p.waitForSelector('pyc-source .source-lines');
  await selectInTree(p, 'make_counter');
  // Selecting an instruction with a position marks that range of its source line.
  const row = p.locator('pyc-disasm .dis-row[data-index]').filter({ hasText: 'LOAD_FAST' }).first();
  await row.click();
  const marked = await p.textContent('pyc-source li.hl mark');
  assert.ok(marked.length > 0, 'a source range is marked');
  assert.match(await row.locator('.cols').textContent(), /^\d+–\d+/);
  // Clicking a source line marks its instructions.
  const line = Number(await p.getAttribute('pyc-source li.hl', 'data-line'));
  await p.click(`pyc-source li[data-line="${line}"]`);
  assert.ok(await p.locator('pyc-disasm .dis-row.line-mark').count() > 0);
  await p.screenshot({ path: join(shots, 'source.png') });
  await p.close();
});

test('the inspector reports what the interpreter reported about the code object', async () => {
  const truth = JSON.parse(gunzipSync(readFileSync(join(fixtures, '3.12', 'truth.json.gz'))))
    .files['snippets/closures.pyc'].code;
  const fn = truth.co_consts.find((c) => c.type === 'code' && c.code.co_name === 'make_counter').code;
  const nestedCodes = (code) => code.co_consts.filter((c) => c.type === 'code').map((c) => c.code);
  const total = (code) => code.co_consts.length + nestedCodes(code).reduce((n, c) => n + total(c), 0);
  const p = await page();
  await openByPicker(p, sampleOf('3.12'));
  await selectInTree(p, 'make_counter');
  const text = await p.textContent('.inspector');
  assert.match(text, /kindfunction/);
  assert.ok(text.includes(`cell variables${fn.co_cellvars.join(', ')}`), text);
  assert.ok(text.includes(`free variables${fn.co_freevars.join(', ') || '(none)'}`), text);
  for (const nested of nestedCodes(fn)) assert.ok(text.includes(nested.co_qualname), `${nested.co_qualname} in ${text}`);
  assert.ok(text.includes(`constants, nested ones included${total(fn)}`), text);
  // Globals: the names the interpreter's own dis shows global loads and stores of.
  const dis = JSON.parse(gunzipSync(readFileSync(join(fixtures, '3.12', 'dis.json.gz')))).files['snippets/closures.pyc'];
  const globalOnly = dis.codes.find((c) => c.qualname_or_name === 'global_only');
  const globals = [...new Set(globalOnly.instructions.filter((i) => /^(LOAD|STORE|DELETE)_GLOBAL$/.test(i.opname))
    .map((i) => i.argval.replace(/^'(.*)'$/, '$1')))];
  assert.ok(globals.length > 0);
  await selectInTree(p, 'global_only');
  assert.ok((await p.textContent('.inspector')).includes(`globals used${globals.join(', ')}`));
  await p.close();
});

test('a bad file shows the message and the failing byte, and the previous file stays', async () => {
  const p = await page();
  await openByPicker(p, sampleOf('3.11'));
  const data = readFileSync(sampleOf('3.11'));
  const cut = join(root, 'target', 'cut-in-half.pyc');
  await import('node:fs').then((fs) => fs.writeFileSync(cut, data.subarray(0, data.length >> 1)));
  await p.setInputFiles('#file-input', cut);
  await p.waitForSelector('.explorer-error:not([hidden])');
  const message = await p.textContent('.explorer-error');
  assert.match(message, new RegExp(`cut-in-half.pyc: file ends inside .* at byte ${data.length >> 1}`));
  assert.match(message, /still showing closures\.pyc/);
  assert.equal(await p.locator('.hex-row .err').count(), 2, 'the byte is marked in hex and text columns');
  await p.screenshot({ path: join(shots, 'error.png') });
  await selectInTree(p, 'adders');
  await p.close();
});

test('?src= opens a file of the same site, and nothing else', async () => {
  const p = await site.browser.newPage();
  await p.goto(`${site.base}?src=samples/3.12-closures.pyc`);
  await p.waitForFunction(() => document.body.dataset.loaded === '3.12-closures.pyc');
  assert.match(await p.textContent('pyc-header-card'), /Python3\.12/);
  await p.goto(`${site.base}?src=https://example.invalid/x.pyc`);
  await p.waitForSelector('body[data-ready=true]');
  assert.equal(await p.evaluate(() => document.body.dataset.loaded), undefined);
  await p.close();
});

test('the page asks only its own origin for anything, and no interpreter until asked to compile', async () => {
  const context = await site.browser.newContext();
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const p = await context.newPage();
  await p.goto(site.base);
  await p.waitForSelector('body[data-ready=true]');
  await p.selectOption('#sample-select', { index: 1 });
  await p.waitForFunction(() => document.body.dataset.loaded);
  await p.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const foreign = requests.filter((u) => !u.startsWith(site.base) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(foreign, []);
  assert.ok(requests.some((u) => u.endsWith('.wasm')));
  // The explorer of dropped pycs stays light: no pyodide file, not even by the service worker.
  assert.deepEqual(requests.filter((u) => /\/pyodide\/[^/]+\//.test(new URL(u).pathname)), []);
  await context.close();
});

test('strings from a pyc are text, never markup', async () => {
  const p = await page();
  for (const v of ['2.7', '3.12', '3.15']) {
    // The three files share a name: wait for this one's code object, not the last one's.
    await p.evaluate(() => { delete document.body.dataset.shown; });
    await openByPicker(p, join(fixtures, v, 'snippets', 'html_script.pyc'));
    await p.waitForFunction(() => document.body.dataset.shown === 'html_script.pyc#0');
    assert.equal(await p.evaluate(() => document.querySelectorAll('main script, main img, main iframe').length), 0);
    assert.match(await p.textContent('pyc-code-panel'), /<script>alert\(1\)<\/script>/);
  }
  assert.equal(await p.evaluate(() => window.__pyclens_pwned), undefined);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('the tree works from the keyboard', async () => {
  const p = await page();
  await openByPicker(p, sampleOf('3.13'));
  await p.focus('pyc-tree [role=treeitem][aria-selected=true]');
  await p.keyboard.press('ArrowDown');
  const second = await p.textContent('pyc-tree [aria-selected=true] > .row .name');
  assert.equal(second, 'make_counter');
  await p.keyboard.press('ArrowRight');
  assert.equal(await p.getAttribute('pyc-tree [aria-selected=true]', 'aria-expanded'), 'true');
  await p.keyboard.press('ArrowRight');
  assert.match(await p.textContent('pyc-tree [aria-selected=true] > .row .name'), /^make_counter\.<locals>\./);
  await p.keyboard.press('ArrowLeft');
  assert.equal(await p.textContent('pyc-tree [aria-selected=true] > .row .name'), 'make_counter');
  await p.keyboard.press('End');
  await p.keyboard.press('Home');
  assert.equal(await p.textContent('pyc-tree [aria-selected=true] > .row .name'), '<module>');
  await p.close();
});

test('after one visit the page works offline', async () => {
  const context = await site.browser.newContext();
  const p = await page(context);
  await p.evaluate(() => navigator.serviceWorker.ready);
  await p.reload();
  await p.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  await p.reload();
  await p.waitForSelector('body[data-ready=true]');
  await openByPicker(p, sampleOf('3.14'));
  assert.match(await p.textContent('pyc-header-card'), /Python3\.14/);
  await context.close();
});

test('the page fits a narrow phone screen', async () => {
  const p = await page();
  await p.setViewportSize({ width: 390, height: 844 });
  await openByPicker(p, sampleOf('3.12'));
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page is ${overflow}px wider than the screen`);
  await p.screenshot({ path: join(shots, 'phone.png'), fullPage: false });
  await p.close();
});

test('the single-file build works from file://', async () => {
  const p = await site.browser.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await p.goto(`file://${join(root, 'dist', 'pyclens.html')}`);
  await p.waitForSelector('body[data-ready=true]');
  await openByPicker(p, sampleOf('3.12'));
  assert.match(await p.textContent('pyc-header-card'), /Python3\.12 CPython/);
  assert.match(await p.textContent('pyc-tree'), /make_counter/);
  // The only failure allowed is the sample index, which a file:// page cannot fetch.
  assert.deepEqual(errors.filter((e) => !/samples\/index\.json|Failed to fetch|ERR_FILE_NOT_FOUND|net::/.test(e)), []);
  // The lessons are inside the file too, answers checked as on the site.
  await p.click('#lessons-link');
  await p.waitForSelector('pyc-lesson .question');
  await p.check('pyc-lesson .lesson-bar input[type=checkbox]');
  const q = p.locator('pyc-lesson [data-question="multiply-argcount"]');
  await q.locator('.teacher').waitFor();
  await q.locator('input.answer').fill((await q.locator('.teacher code').textContent()).trim());
  await q.locator('button').click();
  await q.locator('.verdict.right, .verdict.wrong').waitFor();
  assert.match(await q.locator('.verdict').textContent(), /^Right\./);
  assert.notEqual(await p.evaluate(() => getComputedStyle(document.querySelector('pyc-lesson').shadowRoot.querySelector('.question')).borderStyle), 'none');
  await p.click('.lesson-list >> text=Code inside code');
  await p.waitForSelector('pyc-lesson [data-question="tally-nested"]');
  await p.close();
});

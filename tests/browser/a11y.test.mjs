// axe-core on every page and state of the site, in the light and the dark theme: the landing
// page, the explorer (tree, fields, constants, disassembly, hex, source), a selected
// instruction, a bad file, two pycs compared, the lessons, the embeds on a hostile host page
// and the write view (editor, side by side, explorer, run output, specialised instructions,
// a syntax error). Any violation fails (tests/browser/axe.mjs says how axe is injected).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openPlayground, root, useSite } from './harness.mjs';
import { expectAccessible, violations } from './axe.mjs';

const fixtures = join(root, 'tests', 'fixtures');
const sample = (v, name = 'closures') => join(fixtures, v, 'snippets', `${name}.pyc`);
const site = useSite();

async function openFiles(p, files) {
  await p.setInputFiles('#file-input', files);
}

test('axe itself: it runs in the pages despite their CSP, and it does find a violation', async () => {
  const p = await openPlayground(site);
  assert.deepEqual(p.errors, []);
  // A control with no name: axe must see it, or the other tests prove nothing.
  await p.evaluate(() => document.querySelector('main').append(Object.assign(document.createElement('button'), { className: 'unnamed' })));
  const found = await violations(p);
  assert.ok(found.some((v) => v.id === 'button-name'), JSON.stringify(found));
  await p.close();
});

test('the landing page', async () => {
  const p = await openPlayground(site);
  await expectAccessible(p, 'landing page');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('the explorer with a pyc and its source open, and an instruction selected', async () => {
  const p = await openPlayground(site);
  await openFiles(p, [sample('3.12'), join(fixtures, 'generate', 'snippets', 'closures.py')]);
  await p.waitForSelector('pyc-source .source-lines');
  await p.waitForFunction(() => document.body.dataset.shown === 'closures.pyc#0');
  await expectAccessible(p, 'explorer, module selected, source shown');
  await p.click('pyc-tree [role=treeitem] >> text=make_counter');
  await p.waitForFunction(() => document.body.dataset.shown === 'closures.pyc#1');
  await p.locator('pyc-disasm .dis-row[data-index]').filter({ hasText: 'LOAD_FAST' }).first().click();
  await p.waitForSelector('pyc-source li.hl mark');
  await expectAccessible(p, 'explorer, an instruction selected');
  // A field chosen (its tab first: the source came to the front with the .py), then its
  // bytes: the highlight state of the hex view.
  await p.click('.side-pane [role=tab] >> text=Fields');
  await p.click('pyc-code-panel tr[data-field=co_names]');
  await p.waitForFunction(() => /co_names — bytes/.test(document.querySelector('.hex-label').textContent));
  await p.click('.side-pane [role=tab] >> text=Bytes');
  await p.waitForSelector('.hex-row .sel');
  await expectAccessible(p, 'explorer, a field\'s bytes highlighted', { themes: ['light'] });
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a bad file: first on its own, then after a good one', async () => {
  const data = readFileSync(sample('3.11'));
  mkdirSync(join(root, 'target'), { recursive: true });
  const cut = join(root, 'target', 'a11y-cut.pyc');
  writeFileSync(cut, data.subarray(0, data.length >> 1));
  const p = await openPlayground(site);
  await openFiles(p, cut);
  await p.waitForSelector('.explorer-error:not([hidden])');
  await expectAccessible(p, 'a bad file, nothing else open');
  await openFiles(p, sample('3.11'));
  await p.waitForFunction(() => document.body.dataset.loaded === 'closures.pyc');
  await openFiles(p, cut);
  await p.waitForFunction(() => /still showing/.test(document.querySelector('.explorer-error').textContent));
  await expectAccessible(p, 'a bad file after a good one');
  await p.close();
});

test('two pycs dropped together: the comparison', async () => {
  const p = await openPlayground(site);
  await openFiles(p, [sample('3.11', 'comprehensions'), sample('3.12', 'comprehensions')].map((f, i) => ({
    name: `comprehensions.cpython-31${1 + i}.pyc`, mimeType: 'application/octet-stream', buffer: readFileSync(f),
  })));
  await p.waitForFunction(() => document.querySelector('#compare-files').dataset.compared?.split(',').length === 2);
  await p.waitForFunction(() => document.body.dataset.shown?.endsWith('#0'));
  await expectAccessible(p, 'two pycs compared');
  await p.close();
});

test('the lessons: the list, a lesson, answered right and wrong', async () => {
  const p = await site.browser.newPage({ viewport: { width: 1000, height: 900 } });
  await p.goto(`${site.base}lesson.html`);
  await p.waitForSelector('pyc-lesson[data-version] .question');
  await expectAccessible(p, 'the lessons page');
  const q = p.locator('pyc-lesson [data-question="multiply-argcount"]');
  await q.locator('input.answer').fill('99');
  await q.locator('button').click();
  await q.locator('.verdict.wrong').waitFor();
  await p.check('pyc-lesson .lesson-bar input[type=checkbox]');
  await q.locator('.teacher').waitFor();
  const other = p.locator('pyc-lesson [data-question="multiply-varnames"]');
  await other.locator('input.answer').fill((await other.locator('.teacher code').textContent()).trim());
  await other.locator('button').click();
  await other.locator('.verdict.right').waitFor();
  await expectAccessible(p, 'a lesson with answered questions, teacher mode on');
  await p.close();
});

test('the embeds on a hostile host page', async () => {
  const p = await site.browser.newPage({ viewport: { width: 1300, height: 900 } });
  await p.goto(`${site.base}embed-demo.html`);
  await p.waitForFunction(() => document.getElementById('lens').dataset.loaded === '3.12-closures.pyc');
  await p.waitForSelector('pyc-lesson .question');
  await p.waitForFunction(() => document.getElementById('from-source').dataset.loaded === 'main.cpython-313.pyc', null, { timeout: 180000 });
  await expectAccessible(p, 'embed demo');
  await p.close();
});

/** The write view on a link, once every version in it compiled (or `compiled` did). */
async function openWrite(versions, source, compiled = versions) {
  const p = await site.browser.newPage({ viewport: { width: 1400, height: 900 } });
  p.errors = [];
  p.on('pageerror', (e) => p.errors.push(String(e)));
  await p.goto(`${site.base}#v=${versions.join(',')}&code=${encodeURIComponent(source)}`);
  await p.waitForSelector('body[data-ready=true]');
  await p.waitForFunction((v) => document.querySelector('#write').dataset.compiled === v, compiled.join(','), { timeout: 180000 });
  return p;
}

test('the write view: editor, side by side, explorer, run output, specialised instructions', async () => {
  const source = 'def total(n):\n    t = 0\n    for i in range(n):\n        t += i\n    return t\n\nprint(total(1000))\n';
  const p = await openWrite(['3.11', '3.12'], source);
  await expectAccessible(p, 'write view, side by side');
  await p.click('[role=tab] >> text=Explorer');
  await p.waitForFunction(() => document.querySelector('.write-explorer').dataset.shown === 'main.cpython-312.pyc#0');
  await p.locator('.write-explorer pyc-disasm .dis-row[data-index]').first().click();
  await expectAccessible(p, 'write view, explorer tab, an instruction selected');
  await p.click('button:text-is("Run")');
  await p.waitForFunction(() => document.querySelector('.run-panel').dataset.ran === '3.12:ok', null, { timeout: 120000 });
  await expectAccessible(p, 'write view, after a run');
  await p.click('[role=tab] >> text=Specialised after a run');
  await p.waitForSelector('.adaptive details[open] .adaptive-table');
  await expectAccessible(p, 'write view, specialised after a run');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('the write view: a syntax error in one version', async () => {
  const p = await openWrite(['3.11', '3.12'], 'x = 1\ntype Point = tuple[float, float]\n', ['3.12']);
  await p.waitForSelector('.compile-messages li.error');
  await p.evaluate(() => document.querySelector('.editor-host').shadowRoot.querySelector('.cm-lintRange-error'));
  await expectAccessible(p, 'write view, a syntax error');
  await p.close();
});

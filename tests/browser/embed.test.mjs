// Two embeds on a host page whose stylesheet tries to restyle them: they look and work the
// same, keep to their own origin, keep working with the network off, and leave the host's
// keyboard alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { root, useSite } from './harness.mjs';
const site = useSite();

test('two embeds on a hostile page: isolated, themed, offline-capable, keyboard-polite', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1300, height: 900 } });
  const p = await context.newPage();
  const errors = [];
  const requests = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  p.on('request', (r) => requests.push(r.url()));
  await p.goto(`${site.base}embed-demo.html`);
  await p.waitForFunction(() => document.getElementById('lens').dataset.loaded === '3.12-closures.pyc');
  await p.waitForSelector('pyc-lesson .question');

  // The host's CSS hides its own list items but not the embeds' (shadow DOM).
  assert.equal(await p.evaluate(() => getComputedStyle(document.querySelector('.host-list li')).display), 'none');
  const inner = await p.evaluate(() => {
    const lens = document.getElementById('lens').shadowRoot;
    const li = lens.querySelector('[role=treeitem]');
    const button = document.getElementById('lesson').shadowRoot.querySelector('button');
    return {
      li: getComputedStyle(li).display,
      font: getComputedStyle(lens.querySelector('.embed')).fontFamily,
      button: getComputedStyle(button).backgroundColor,
      accent: getComputedStyle(lens.querySelector('.embed')).getPropertyValue('--accent').trim(),
      dark: getComputedStyle(lens.querySelector('.embed')).getPropertyValue('--bg').trim(),
    };
  });
  assert.notEqual(inner.li, 'none');
  assert.doesNotMatch(inner.font, /Georgia/);
  assert.notEqual(inner.button, 'rgb(255, 0, 0)');
  // The host's accent for dark embeds (embed-demo.css: one per theme, each readable on it).
  assert.equal(inner.accent, '#f28ad9', 'the host themes the embed through custom properties');
  assert.equal(inner.dark, '#15171b', 'theme="dark" applies');
  await p.screenshot({ path: join(root, 'target', 'screenshots', 'embeds.png'), fullPage: false });

  // Only the site's own files were requested.
  assert.deepEqual(requests.filter((u) => !u.startsWith(site.base) && !u.startsWith('blob:') && !u.startsWith('data:')), []);

  // With the network off, both keep working on what they loaded.
  await context.setOffline(true);
  await p.click('pyc-lens [role=treeitem] >> text=make_counter');
  await p.waitForFunction(() => document.getElementById('lens').dataset.shown === '3.12-closures.pyc#1');
  assert.match(await p.textContent('pyc-lens pyc-code-panel h2'), /^make_counter /);
  const q = p.locator('pyc-lesson [data-question="multiply-argcount"]');
  await p.check('pyc-lesson .lesson-bar input[type=checkbox]');
  const truth = (await p.locator('pyc-lesson [data-question="multiply-argcount"] .teacher code').textContent()).trim();
  await q.locator('input.answer').fill(truth);
  await q.locator('button').click();
  await q.locator('.verdict.right, .verdict.wrong').waitFor();
  assert.match(await q.locator('.verdict').textContent(), /^Right\./);
  await context.setOffline(false);

  // Typing in the host page's own field is untouched by the embeds.
  await p.click('#host-input');
  await p.keyboard.type('abc');
  await p.keyboard.press('ArrowDown');
  assert.equal(await p.inputValue('#host-input'), 'abc');
  assert.deepEqual(errors, []);
  await context.close();
});

test('<pyc-lens> compiles source in the page: its text with versions side by side, or a source-src file', async () => {
  const p = await site.browser.newPage({ viewport: { width: 1300, height: 900 } });
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  await p.goto(`${site.base}embed-demo.html`);
  await p.waitForFunction(() => document.getElementById('from-source').dataset.compiled === '3.11,3.13', null, { timeout: 120000 });
  await p.waitForFunction(() => document.getElementById('from-source').dataset.loaded === 'main.cpython-313.pyc');
  const shown = await p.evaluate(() => {
    const root = document.getElementById('from-source').shadowRoot;
    return {
      columns: [...root.querySelectorAll('pyc-compare thead th')].map((th) => th.firstChild.textContent),
      source: root.querySelector('pyc-compare tbody tr[data-line="2"] .cmp-source').textContent,
      tree: root.querySelector('pyc-tree').textContent,
    };
  });
  assert.deepEqual(shown.columns, ['line', 'source', '3.11', '3.13']);
  // The indentation the script's lines share is gone; the line's own stays.
  assert.equal(shown.source, '    return [n for n in range(limit) if n % 2 == 0]');
  assert.match(shown.tree, /evens/);
  // source-src: a .py of the site compiled with one version.
  await p.evaluate(() => {
    const lens = document.createElement('pyc-lens');
    lens.id = 'from-file';
    lens.setAttribute('source-src', 'lessons/closures/adders.py');
    lens.setAttribute('versions', '3.12');
    document.body.append(lens);
  });
  await p.waitForFunction(() => document.getElementById('from-file').dataset.loaded === 'main.cpython-312.pyc', null, { timeout: 120000 });
  assert.match(await p.evaluate(() => document.getElementById('from-file').shadowRoot.querySelector('pyc-header-card').textContent), /3\.12/);
  await p.screenshot({ path: join(root, 'target', 'screenshots', 'embed-from-source.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await p.close();
});

// The layout at a laptop's width (1,280 px) and a phone's (390 px): the landing page, the
// explorer on the largest sample (module and a nested function, fields and bytes), the
// lessons and the write view never make the page wider than the window, and each passes
// axe. Screenshots land in target/screenshots/layout-*.png. Then the explorer's extension
// points (addTab, aboveListing, selectIndex, selectRange) as another view would use them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { root, useSite } from './harness.mjs';
import { expectAccessible } from './axe.mjs';

const site = useSite();
const shots = join(root, 'target', 'screenshots');
mkdirSync(shots, { recursive: true });
const samples = JSON.parse(readFileSync(join(root, 'web', 'samples', 'index.json'), 'utf8'));
/** The sample with the most bytes: the longest listing, the widest constants. */
const largest = samples.reduce((a, b) => (statSync(join(root, 'web', 'samples', b.file)).size > statSync(join(root, 'web', 'samples', a.file)).size ? b : a));

/**
 * How far the page is wider than the window, and which boxes in it scroll sideways, other
 * than source code (listings, lesson snippets), whose lines keep their indentation and scroll
 * in their own box.
 */
function overflow(p) {
  return p.evaluate(() => {
    const ALLOWED = ['ol.source-lines', 'pre.snippet'];
    const sideways = [];
    const walk = (node) => {
      for (const e of node.querySelectorAll('*')) {
        if (e.shadowRoot) walk(e.shadowRoot);
        const style = getComputedStyle(e);
        if (e.scrollWidth > e.clientWidth + 1 && !ALLOWED.some((a) => e.matches(a)) && /auto|scroll/.test(style.overflowX) && e.clientWidth > 0) {
          sideways.push(`${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`);
        }
      }
    };
    walk(document);
    return { page: document.documentElement.scrollWidth - window.innerWidth, sideways };
  });
}

/** Asserts the page fits the window, passes axe, and writes its screenshot. */
async function check(p, width, state, { allowSideways = [] } = {}) {
  // Measure the settled layout: on a loaded machine a page can still be filling in (fonts,
  // late parts) when its first element appears. A page that stays too wide still fails.
  await p.evaluate(() => document.fonts.ready);
  await p.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth, null, { timeout: 5000 }).catch(() => {});
  const found = await overflow(p);
  assert.ok(found.page <= 0, `${state} at ${width}px: the page is ${found.page}px wider than the window`);
  const unexpected = found.sideways.filter((s) => !allowSideways.some((a) => s.startsWith(a)));
  assert.deepEqual(unexpected, [], `${state} at ${width}px: boxes that scroll sideways`);
  await expectAccessible(p, `${state} at ${width}px`);
  await p.screenshot({ path: join(shots, `layout-${state}-${width}.png`), fullPage: width < 500 });
}

async function newPage(width) {
  const p = await site.browser.newPage({ viewport: { width, height: width < 500 ? 844 : 900 } });
  p.errors = [];
  p.on('pageerror', (e) => p.errors.push(String(e)));
  return p;
}

for (const width of [1280, 390]) {
  test(`landing page and explorer at ${width}px`, async () => {
    const p = await newPage(width);
    await p.goto(site.base);
    await p.waitForSelector('body[data-ready=true]');
    await p.waitForSelector('#sample-cards .sample-card');
    // One card per snippet, not one per file.
    const cards = await p.locator('#sample-cards .sample-card').count();
    assert.equal(cards, new Set(samples.map((s) => s.snippet)).size);
    assert.ok(cards < samples.length);
    await check(p, width, 'landing');

    // The largest sample, from its card: the card's version picker, then Open.
    const card = p.locator('#sample-cards .sample-card').filter({ has: p.locator(`h3:text-is("${largest.title}")`) });
    await card.locator('select').selectOption(`samples/${largest.file}`);
    await card.locator('button').click();
    await p.waitForFunction((f) => document.body.dataset.shown === `${f}#0`, largest.file);
    assert.equal(await p.isHidden('#landing'), true, 'the landing page goes once a file is open');
    await check(p, width, 'explorer-module');

    await p.locator('pyc-tree [role=group] > [role=treeitem] > .row .name').first().click();
    await p.waitForFunction((f) => document.body.dataset.shown === `${f}#1`, largest.file);
    await check(p, width, 'explorer-function');

    // The bytes: rows as long as the pane allows, no sideways scrolling.
    await p.click('.side-pane [role=tab] >> text=Bytes');
    await p.waitForSelector('.hex-row .sel');
    const hex = await p.evaluate(() => {
      const v = document.querySelector('.hex-viewport');
      return { scroll: v.scrollWidth - v.clientWidth, perRow: v.querySelector('.hex-row .hex-bytes').childElementCount };
    });
    assert.ok(hex.scroll <= 0, `the hex view scrolls sideways by ${hex.scroll}px`);
    assert.ok([4, 8, 16].includes(hex.perRow), `${hex.perRow} bytes a row`);
    await check(p, width, 'explorer-bytes');
    assert.deepEqual(p.errors, []);
    await p.close();
  });

  test(`lesson page at ${width}px`, async () => {
    const p = await newPage(width);
    await p.goto(`${site.base}lesson.html`);
    await p.waitForSelector('pyc-lesson[data-version] .question');
    await check(p, width, 'lesson');
    assert.deepEqual(p.errors, []);
    await p.close();
  });

  test(`write view at ${width}px, opened from the landing page`, async () => {
    const p = await newPage(width);
    await p.goto(site.base);
    await p.waitForSelector('body[data-ready=true]');
    await p.click('#landing-write');
    await p.waitForFunction(() => document.querySelector('#write').dataset.compiled === '3.14', null, { timeout: 180000 });
    assert.equal(await p.isHidden('#landing'), true);
    await check(p, width, 'write', { allowSideways: ['div.cm-scroller', 'pyc-compare'] });
    await p.click('[role=tab] >> text=Explorer');
    await p.waitForFunction(() => document.querySelector('.write-explorer').dataset.shown === 'main.cpython-314.pyc#0');
    await check(p, width, 'write-explorer', { allowSideways: ['div.cm-scroller'] });
    assert.deepEqual(p.errors, []);
    await p.close();
  });

  test(`the embeds at ${width}px stay inside their boxes`, async () => {
    const p = await newPage(width);
    await p.goto(`${site.base}embed-demo.html`);
    await p.waitForFunction(() => document.getElementById('lens').dataset.shown === '3.12-closures.pyc#0');
    await p.waitForFunction(() => document.getElementById('from-source').dataset.shown === 'main.cpython-313.pyc#0', null, { timeout: 180000 });
    const boxes = await p.evaluate(() => [...document.querySelectorAll('pyc-lens')].map((lens) => {
      const embed = lens.shadowRoot.querySelector('.embed');
      return { id: lens.id, over: embed.scrollWidth - embed.clientWidth, outside: embed.getBoundingClientRect().right - lens.getBoundingClientRect().right };
    }));
    for (const box of boxes) assert.ok(box.over <= 0 && box.outside <= 0.5, `${box.id} at ${width}px: ${JSON.stringify(box)}`);
    await check(p, width, 'embeds', { allowSideways: ['pyc-compare'] });
    assert.deepEqual(p.errors, []);
    await p.close();
  });
}

test('the explorer\'s extension points: addTab, aboveListing, selectIndex, selectRange', async () => {
  const p = await newPage(1280);
  await p.goto(`${site.base}?src=samples/${largest.file}`);
  await p.waitForFunction((f) => document.body.dataset.shown === `${f}#0`, largest.file);
  const result = await p.evaluate(async (file) => {
    const { Explorer } = await import('./explorer.js');
    const { Decoder } = await import('./decoder.js');
    const host = document.createElement('div');
    document.querySelector('main').append(host);
    const explorer = new Explorer(host, { decoder: new Decoder(), markers: host });
    await explorer.open(file, await (await fetch(`samples/${file}`)).arrayBuffer());
    await new Promise((resolve) => { if (host.dataset.shown) resolve(); else explorer.main.addEventListener('selected', resolve, { once: true }); });
    await explorer.views; // the explorer's own added views (explorer-analysis.js) come first
    const view = Object.assign(document.createElement('p'), { textContent: 'another view' });
    const panel = explorer.addTab({ id: 'another', label: 'Another', element: view });
    const slot = explorer.aboveListing;
    const events = [];
    for (const type of ['instruction', 'span']) host.addEventListener(type, (e) => events.push([type, e.detail.instruction?.offset ?? e.detail.label]));
    explorer.disasm.selectIndex(2);
    explorer.disasm.selectRange(3, 4);
    const ins = explorer.disasm.ins;
    return {
      panel: [panel.getAttribute('role'), panel.contains(view), panel.hidden],
      tab: host.querySelector(`#${panel.getAttribute('aria-labelledby')}`).textContent,
      slot: [slot.tagName, slot.contains(host.querySelector('pyc-instruction-info')), slot.nextElementSibling === explorer.disasm],
      events,
      expected: [['instruction', ins[2].offset], ['span', `${ins[2].opname} at ${ins[2].offset}`]],
      selected: host.querySelector('pyc-disasm .dis-row.sel')?.dataset.index,
      marked: [...host.querySelectorAll('pyc-disasm .dis-row.run-mark')].map((r) => Number(r.dataset.index)),
      id: host.querySelector('pyc-disasm [role=tablist], .side-pane [role=tablist]') && 'tablist',
    };
  }, largest.file);
  assert.deepEqual(result.panel, ['tabpanel', true, true]);
  assert.equal(result.tab, 'Another');
  assert.deepEqual(result.slot, ['DIV', true, true]);
  assert.deepEqual(result.events, result.expected);
  assert.equal(result.selected, '2');
  assert.deepEqual(result.marked, [3, 4, 5, 6]);
  // The added tab takes part in the arrow keys like the others.
  const tabs = p.locator('main > div:last-child .side-pane [role=tab]');
  await tabs.filter({ hasText: 'Graph' }).click();
  await p.keyboard.press('ArrowRight');
  assert.equal(await p.evaluate(() => document.activeElement.textContent), 'Another');
  assert.equal(await p.locator('main > div:last-child .side-pane [role=tabpanel]:not([hidden])').textContent(), 'another view');
  assert.deepEqual(p.errors, []);
  await p.close();
});

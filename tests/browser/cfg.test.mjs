// The control-flow graph view <pyc-cfg> in real (headless) Chromium, under the CSP that
// scripts/serve.mjs sends: the graphs of a loop, a try/except and a match function as the
// native CLI writes them (pyclens json on the fixtures) drawn box for box and edge for edge,
// clickable and keyboard-operable, with their text alternative and no axe violation; and a
// made-up 500-block function that renders (its longest main-thread task is reported).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openPlayground, root, useSite } from './harness.mjs';
import { expectAccessible, setTheme } from './axe.mjs';
import { syntheticCode } from '../../scripts/synthetic-cfg.mjs';
import { cliDocument } from './native-cli.mjs';

const shots = join(root, 'target', 'screenshots');
mkdirSync(shots, { recursive: true });
const cli = join(root, 'target', 'release', 'pyclens');

/** The functions drawn: fixture, function name, what it stands for. */
const FUNCTIONS = [
  ['3.12/snippets/walrus.pyc', 'in_function', 'loop'],
  ['3.13/snippets/exceptions.pyc', 'full', 'try'],
  ['3.14/snippets/match_stmt.pyc', 'classes', 'match'],
];

const site = useSite();

before(() => {
  // The native CLI writes blocks and edges; the build is a no-op when it is up to date.
  execFileSync('cargo', ['build', '--release', '--quiet', '--bin', 'pyclens'], { cwd: root, stdio: 'inherit' });
});

/** The code object called `name` in a fixture, as `pyclens json` writes it. */
function codeOf(fixture, name) {
  const json = cliDocument(cli, join(root, 'tests', 'fixtures', fixture));
  const all = [];
  const walk = (code) => {
    all.push(code);
    for (const c of code.co_consts ?? []) if (c?.type === 'code') walk(c);
  };
  walk(json.code);
  const found = all.find((c) => c.co_name === name);
  assert.ok(found?.blocks?.length > 1, `${fixture} has ${name} with blocks`);
  return found;
}

/** The page with a <pyc-cfg> in its main landmark, pick-instructions events and CSP violations recorded. */
async function openView() {
  const p = await openPlayground(site);
  await p.evaluate(async () => {
    await import('/components/pyc-cfg.js');
    window.picks = [];
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    document.addEventListener('pick-instructions', (e) => window.picks.push(e.detail));
    document.getElementById('landing').hidden = true;
    document.querySelector('main').prepend(Object.assign(document.createElement('pyc-cfg'), { id: 'cfg-under-test' }));
  });
  return p;
}

/** show(code) and wait until it is drawn. */
async function show(p, code) {
  await p.evaluate((code) => document.getElementById('cfg-under-test').show(code), code);
  assert.equal(await p.evaluate(() => document.getElementById('cfg-under-test').dataset.state), 'ready');
}

/** Every edge kind with how many edges of it `code` has. */
function kindCounts(code) {
  const counts = {};
  for (const e of code.edges) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  return counts;
}

/** The source lines of a block's instructions, ascending, each once. */
function linesOf(code, block) {
  const lines = code.instructions.slice(block.first, block.first + block.count).map((i) => i.line).filter((l) => l !== null);
  return [...new Set(lines)].sort((a, b) => a - b);
}

for (const [fixture, name, what] of FUNCTIONS) {
  test(`the ${what} function ${name} (${fixture}): a box per block, a path per edge styled by kind, clickable, listed`, async () => {
    const code = codeOf(fixture, name);
    const p = await openView();
    await show(p, code);
    const cfg = p.locator('#cfg-under-test');

    assert.equal(await cfg.locator('.block').count(), code.blocks.length);
    assert.equal(await cfg.locator('.edges path.edge').count(), code.edges.length);
    for (const [kind, count] of Object.entries(kindCounts(code))) {
      assert.equal(await cfg.locator(`.edges path.edge-${kind}`).count(), count, `${kind} edges`);
    }
    // Each path joins the blocks of its document edge, in the document's order.
    const drawn = await cfg.locator('.edges path').evaluateAll((paths) => paths.map((e) => [Number(e.dataset.from), Number(e.dataset.to), e.getAttribute('class')]));
    assert.deepEqual(drawn, code.edges.map((e) => [e.from, e.to, `edge edge-${e.kind}`]));
    // Every box holds its block's instructions, a line each (offset, then opname and argrepr).
    const texts = await cfg.locator('.block').evaluateAll((boxes) => boxes.map((b) => [...b.querySelectorAll('.off')].map((t) => Number(t.textContent))));
    assert.deepEqual(texts, code.blocks.map((b) => code.instructions.slice(b.first, b.first + b.count).map((i) => i.offset)));
    const named = await cfg.locator('.block').evaluateAll((boxes) => boxes.map((b) => b.querySelector('.head').textContent));
    named.forEach((title, i) => assert.match(title, new RegExp(`^Block ${i}, offsets? ${code.blocks[i].start}`)));
    // Exception edges are dashed, taken ones solid: the view's stylesheet applies under the CSP.
    const dash = await cfg.locator('.edges path').evaluateAll((paths) => Object.fromEntries(paths.map((e) => [e.getAttribute('class'), getComputedStyle(e).strokeDasharray])));
    if (dash['edge edge-exception']) assert.notEqual(dash['edge edge-exception'], 'none');
    if (dash['edge edge-taken']) assert.equal(dash['edge edge-taken'], 'none');

    // A click on a block picks its instructions and lines and marks it.
    const middle = Math.floor(code.blocks.length / 2);
    await cfg.locator(`.block[data-block="${middle}"]`).click();
    const block = code.blocks[middle];
    assert.deepEqual(await p.evaluate(() => window.picks.at(-1)), { first: block.first, count: block.count, lines: linesOf(code, block) });
    assert.equal(await cfg.locator(`.block[data-block="${middle}"]`).getAttribute('aria-current'), 'true');
    assert.equal(await cfg.locator('.block[aria-current=true]').count(), 1);

    // The keyboard: the focused block moves in code order and Enter picks it.
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('Enter');
    const next = code.blocks[middle + 1];
    assert.deepEqual(await p.evaluate(() => window.picks.at(-1)), { first: next.first, count: next.count, lines: linesOf(code, next) });

    // select(index) marks the block holding that instruction.
    const last = code.blocks.at(-1);
    await p.evaluate((i) => document.getElementById('cfg-under-test').select(i), last.first + last.count - 1);
    assert.equal(await cfg.locator(`.block[data-block="${code.blocks.length - 1}"]`).getAttribute('aria-current'), 'true');

    // The text alternative: every block, in order, with each of its successors.
    await cfg.locator('.cfg-text summary').click();
    const items = await cfg.locator('.cfg-text li').allTextContents();
    assert.equal(items.length, code.blocks.length);
    items.forEach((item, i) => {
      assert.match(item, new RegExp(`^Block ${i}, offsets? ${code.blocks[i].start}`));
      const out = code.edges.filter((e) => e.from === i);
      for (const e of out) assert.ok(item.includes(`block ${e.to} (`), `${item} names block ${e.to}`);
      assert.equal(item.match(/block \d+ \(/g)?.length ?? 0, out.length, item);
    });
    await cfg.locator(`.cfg-text button[data-block="1"]`).click();
    assert.equal(await p.evaluate(() => window.picks.at(-1).first), code.blocks[1].first);

    await expectAccessible(p, `the CFG of ${name}`);
    await p.screenshot({ path: join(shots, `cfg-${what}-dark.png`), fullPage: true });
    await setTheme(p, 'light');
    await p.screenshot({ path: join(shots, `cfg-${what}.png`), fullPage: true });
    assert.deepEqual(await p.evaluate(() => window.cspViolations), []);
    assert.deepEqual(p.errors, []);
    await p.close();
  });
}

test('a newer show() drops the layout of the one before it', async () => {
  const first = codeOf(FUNCTIONS[2][0], FUNCTIONS[2][1]);
  const second = codeOf(FUNCTIONS[0][0], FUNCTIONS[0][1]);
  const p = await openView();
  await p.evaluate(([a, b]) => {
    const cfg = document.getElementById('cfg-under-test');
    cfg.show(a);
    return cfg.show(b);
  }, [first, second]);
  const cfg = p.locator('#cfg-under-test');
  assert.equal(await cfg.locator('.block').count(), second.blocks.length);
  assert.equal(await cfg.locator('.edges path.edge').count(), second.edges.length);
  assert.equal(await cfg.getAttribute('data-state'), 'ready');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test("a code object without blocks (the page's own wasm leaves them out) is said to have none", async () => {
  const { blocks, edges, ...code } = codeOf(FUNCTIONS[0][0], FUNCTIONS[0][1]);
  assert.ok(blocks.length && edges.length);
  const p = await openView();
  await p.evaluate((code) => document.getElementById('cfg-under-test').show(code), code);
  const cfg = p.locator('#cfg-under-test');
  assert.equal(await cfg.getAttribute('data-state'), 'empty');
  assert.match(await cfg.locator('.cfg-status').textContent(), /No control-flow graph for in_function/);
  assert.equal(await cfg.locator('.block').count(), 0);
  await expectAccessible(p, 'a CFG view without blocks');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a 500-block function renders; its longest main-thread task is reported', { timeout: 600_000 }, async (t) => {
  const code = syntheticCode(500);
  const p = await openView();
  await p.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
  });
  const started = Date.now();
  await p.evaluate((code) => { window.showing = document.getElementById('cfg-under-test').show(code); }, code);
  // While the worker lays the graph out, the page's thread runs scripts (this one).
  const asked = Date.now();
  assert.equal(await p.evaluate(() => document.getElementById('cfg-under-test').dataset.state), 'layout');
  const answeredIn = Date.now() - asked;
  await p.evaluate(() => window.showing);
  const cfg = p.locator('#cfg-under-test');
  assert.equal(await cfg.getAttribute('data-state'), 'ready');
  assert.equal(await cfg.locator('.block').count(), 500);
  assert.equal(await cfg.locator('.edges path.edge').count(), code.edges.length);
  const { longTasks, layoutMs } = await p.evaluate(() => ({ longTasks: window.longTasks, layoutMs: document.getElementById('cfg-under-test').layoutMs }));
  t.diagnostic(`500 blocks, ${code.edges.length} edges: layout ${Math.round(layoutMs)} ms in the worker, `
    + `${Date.now() - started} ms to ready; the page answered in ${answeredIn} ms during the layout; longest main-thread task ${Math.round(Math.max(0, ...longTasks))} ms `
    + `(${longTasks.length} tasks over 50 ms: ${longTasks.map(Math.round).join(', ')})`);
  const entryInView = await cfg.locator('.block[data-block="0"]').evaluate((box) => {
    const view = box.closest('.cfg-viewport').getBoundingClientRect();
    const r = box.getBoundingClientRect();
    return r.left < view.right && r.right > view.left && r.top < view.bottom && r.bottom > view.top;
  });
  assert.ok(entryInView, 'the entry block is scrolled into view');
  await p.screenshot({ path: join(shots, 'cfg-500-blocks.png') });
  assert.deepEqual(p.errors, []);
  await p.close();
});

// The explorer's stack and flow views on the page, as a person uses them: a real 3.10 pyc
// (3.10's compiler records exactly the depth pyclens computes) dropped, a function selected,
// an instruction explained, then "Stack depth" and the Graph tab, which fetch the analysis
// module — and only then. The strip's maximum must be the file's co_stacksize, a graph
// block must select its instructions, and the strip's keys must move the selection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropBytes, openPlayground, root, useSite } from './harness.mjs';
import { expectAccessible } from './axe.mjs';

const site = useSite();
const fixture = join(root, 'tests', 'fixtures', '3.10', 'snippets', 'exceptions.pyc');

test('instruction words, stack depth and the graph; the analysis module only when asked', async () => {
  const p = await openPlayground(site);
  const fetched = [];
  p.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await dropBytes(p, 'exceptions.pyc', readFileSync(fixture));
  await p.waitForFunction(() => document.body.dataset.shown === 'exceptions.pyc#0');
  // `full`: try, except, else and finally in one function.
  await p.locator('pyc-tree [role=group] > [role=treeitem] > .row .name', { hasText: /^full$/ }).click();
  await p.waitForFunction(() => document.body.dataset.shown === 'exceptions.pyc#2');

  // An instruction selected: its words, without the analysis.
  await p.locator('pyc-disasm .dis-row[data-index="2"]').click();
  const opname = await p.locator('pyc-disasm .dis-row[data-index="2"] .op').textContent();
  await p.waitForFunction((op) => document.querySelector('pyc-instruction-info').textContent.includes(op), opname);
  assert.ok(!fetched.some((f) => f.includes('pkg-analysis')), 'no analysis module before it is asked for');

  // Stack depth: the strip's maximum is the co_stacksize the compiler recorded.
  await p.click('button.stack-toggle');
  await p.waitForSelector('pyc-stack-strip:not([hidden])');
  const label = await p.locator('pyc-stack-strip .stack-strip-label').textContent();
  const [, max, stacksize] = label.match(/max depth (\d+) = co_stacksize (\d+)/) ?? [];
  assert.ok(max && max === stacksize, `strip label: ${label}`);
  assert.ok(fetched.some((f) => f.endsWith('/pkg-analysis/pyclens_bg.wasm')), 'the analysis module was fetched');

  // The strip's keys move the listing's selection.
  await p.locator('pyc-stack-strip .stack-strip-slider').focus();
  await p.keyboard.press('Home');
  await p.waitForFunction(() => document.querySelector('pyc-disasm .dis-row[data-index="0"]')?.getAttribute('aria-selected') === 'true');
  await p.keyboard.press('ArrowRight');
  await p.waitForFunction(() => document.querySelector('pyc-disasm .dis-row[data-index="1"]')?.getAttribute('aria-selected') === 'true');

  // The graph: drawn, and a block selects its run of instructions.
  await p.click('.side-pane [role=tab] >> text=Graph');
  await p.waitForFunction(() => document.querySelector('pyc-cfg').dataset.state === 'ready');
  const blocks = await p.locator('pyc-cfg .block').count();
  assert.ok(blocks > 2, `${blocks} blocks`);
  const block = p.locator('pyc-cfg .block').nth(1);
  await block.click();
  assert.equal(await p.locator('pyc-cfg .block[aria-current=true]').count(), 1);
  const offsets = await block.locator('.off').allTextContents();
  const marked = await p.locator('pyc-disasm .dis-row.run-mark .off').allTextContents();
  assert.deepEqual(marked.map((m) => Number(m.replace('>> ', ''))), offsets.map(Number), 'the block\'s instructions are marked in the listing');

  await expectAccessible(p, 'explorer with stack depth and graph');
  assert.deepEqual(p.errors, []);
  await p.close();
});

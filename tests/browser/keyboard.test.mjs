// Each task done with the keyboard alone (Tab, Shift+Tab, arrows, Enter, Space, Escape and
// typing; never a click): open a sample, walk the tree, move through the instructions, follow
// a jump, see an instruction's bytes, read the source by line, switch the theme, answer a
// lesson question, and in the write view type a program, choose two versions, let it
// compile and run it. Every stop on the way must show where the focus is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPlayground, root, useSite } from './harness.mjs';

const site = useSite();
const fixtures = join(root, 'tests', 'fixtures');

/**
 * The focused element, through open shadow roots: what it is, whether its focus is drawn
 * (an outline or a box shadow on it, or where the page draws it: a tree item's row, the
 * editor's frame, the label of the hidden file input) and whether it matches `selector`.
 */
function focused(p, selector = '*') {
  return p.evaluate((selector) => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    if (!a || a === document.body) return null;
    const ring = a.matches('[role=treeitem]') ? a.querySelector(':scope > .row')
      : a.closest('.cm-editor') ?? (a.labels?.[0]?.classList.contains('button') ? a.labels[0] : a);
    const style = getComputedStyle(ring);
    const drawn = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    const name = a.getAttribute('aria-label') ?? a.labels?.[0]?.textContent ?? a.textContent;
    return { what: `${a.tagName.toLowerCase()}${a.id ? `#${a.id}` : ''}${a.getAttribute('role') ? `[role=${a.getAttribute('role')}]` : ''} "${(name ?? '').trim().slice(0, 40)}"`, drawn, matches: a.matches(selector) };
  }, selector);
}

/** Presses Tab (or Shift+Tab) until the focus is on `selector`; each stop must show its focus. */
async function tabTo(p, selector, { max = 80, back = false } = {}) {
  const stops = [];
  for (let i = 0; i < max; i++) {
    await p.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(p, selector);
    if (!f) continue;
    stops.push(f.what);
    assert.ok(f.drawn, `the focus on ${f.what} is not visible`);
    if (f.matches) return stops;
  }
  assert.fail(`Tab never reached ${selector}; stops: ${stops.join(' → ')}`);
}

/** The active instruction of the focused disassembly: its spoken label and the row's text. */
function activeInstruction(p, scope = 'body') {
  return p.evaluate((scope) => {
    const grid = document.querySelector(`${scope} pyc-disasm [role=grid]`);
    const id = grid.getAttribute('aria-activedescendant');
    const row = id && grid.querySelector(`#${id}`);
    return {
      focused: document.activeElement === grid,
      label: row?.getAttribute('aria-label') ?? null,
      offset: row ? Number(row.querySelector('.off').textContent.replace('>> ', '')) : null,
      jump: row?.querySelector('[data-jump]') ? Number(row.querySelector('[data-jump]').dataset.jump) : null,
      selected: row?.getAttribute('aria-selected') ?? null,
    };
  }, scope);
}

test('the explorer by keyboard: a sample, the tree, instructions, a jump, bytes, the theme', async () => {
  const p = await openPlayground(site);
  const samples = JSON.parse(readFileSync(join(root, 'web', 'samples', 'index.json'), 'utf8'));
  const wanted = samples.findIndex((s) => s.file === '3.12-closures.pyc');
  assert.ok(wanted >= 0);

  // "Open a .pyc…" is reachable: Space on it opens the file chooser. The chooser is awaited
  // before tabbing: Playwright turns on its interception of the dialog asynchronously when the
  // first listener is added, and a key pressed before that lands opens no event on a busy machine.
  const choosing = p.waitForEvent('filechooser');
  await tabTo(p, '#file-input');
  await p.keyboard.press('Space');
  const chooser = await choosing;
  await chooser.setFiles(join(fixtures, '3.11', 'snippets', 'closures.pyc'));
  await p.waitForFunction(() => document.body.dataset.loaded === 'closures.pyc');

  // The Samples list: an arrow chooses a sample, and the choice opens. (Walking twenty
  // options opens twenty files, which a busy machine queued past the wait: the rest of the
  // way to the wanted sample is chosen directly.)
  await tabTo(p, '#sample-select');
  const first = await p.evaluate(() => [...document.querySelectorAll('#sample-select option')].find((o) => o.value).value);
  await p.keyboard.press('ArrowDown');
  await p.waitForFunction((file) => document.body.dataset.shown === `${file}#0`, first.split('/').pop());
  await p.selectOption('#sample-select', `samples/${samples[wanted].file}`);
  await p.waitForFunction(() => document.body.dataset.shown === '3.12-closures.pyc#0');

  // The tree: one tab stop, arrows walk it.
  await tabTo(p, '[role=treeitem]');
  const selectedName = () => p.textContent('pyc-tree [aria-selected=true] > .row .name');
  assert.equal(await selectedName(), '<module>');
  await p.keyboard.press('ArrowDown');
  assert.equal(await selectedName(), 'make_counter');
  await p.keyboard.press('ArrowRight');
  await p.keyboard.press('ArrowRight');
  assert.match(await selectedName(), /^make_counter\.<locals>\.increment$/);
  await p.keyboard.press('ArrowLeft');
  await p.keyboard.press('ArrowLeft');
  assert.equal(await p.getAttribute('pyc-tree [aria-selected=true]', 'aria-expanded'), 'false');
  await p.keyboard.press('ArrowDown');
  await p.keyboard.press('ArrowDown');
  assert.equal(await selectedName(), 'late_binding');
  await p.waitForFunction(() => document.querySelector('pyc-code-panel h2')?.textContent.startsWith('late_binding '));

  // The fields of the code object: Enter on one shows its bytes.
  await tabTo(p, 'pyc-code-panel tr[data-field=co_names]');
  await p.keyboard.press('Enter');
  await p.waitForFunction(() => /co_names — bytes/.test(document.querySelector('.hex-label').textContent));

  // The disassembly: one tab stop; arrows select instructions, which shows their bytes.
  await tabTo(p, 'pyc-disasm [role=grid]');
  await p.keyboard.press('ArrowDown');
  let ins = await activeInstruction(p);
  assert.ok(ins.focused);
  assert.equal(ins.selected, 'true');
  assert.match(ins.label, /^offset 0, (line \d+, )?[A-Z_]+/);
  assert.match(await p.textContent('.hex-label'), /^\w+ at 0 — bytes \d+…\d+/);
  // Down to the first jump, then Enter follows it.
  for (let i = 0; i < 60 && ins.jump === null; i++) {
    await p.keyboard.press('ArrowDown');
    ins = await activeInstruction(p);
  }
  assert.notEqual(ins.jump, null, 'late_binding has a jump');
  assert.match(ins.label, /^offset \d+, line \d+, (FOR_ITER|JUMP_BACKWARD|POP_JUMP_IF_\w+) /);
  await p.keyboard.press('Enter');
  const target = await activeInstruction(p);
  assert.equal(target.offset, ins.jump);
  assert.ok(target.focused, 'the focus stays in the disassembly');
  assert.match(target.label, /jump target$/);
  assert.match(await p.textContent('.hex-label'), new RegExp(`at ${ins.jump} — bytes`));
  await p.keyboard.press('End');
  await p.keyboard.press('Home');
  assert.equal((await activeInstruction(p)).offset, 0);

  // The tabs beside the listing: one tab stop, End goes to the last (Graph), Left back to Bytes, which shows the
  // selected instruction's bytes.
  await tabTo(p, '.side-pane [role=tab][aria-selected=true]');
  assert.equal(await p.evaluate(() => document.activeElement.textContent), 'Fields');
  await p.keyboard.press('End');
  assert.equal(await p.evaluate(() => document.activeElement.textContent), 'Graph');
  await p.keyboard.press('ArrowLeft');
  assert.equal(await p.evaluate(() => document.activeElement.textContent), 'Bytes');
  await p.waitForSelector('.hex-row .sel');
  assert.match(await p.textContent('.hex-label'), /^\w+ at 0 — bytes/);

  // The theme button, by keyboard, both ways.
  await tabTo(p, '#theme-toggle', { back: true });
  const before = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await p.keyboard.press('Enter');
  const after = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(after, before);
  await p.keyboard.press('Space');
  assert.equal(await p.evaluate(() => getComputedStyle(document.body).backgroundColor), before);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('source lines by keyboard: a line shows its instructions', async () => {
  const p = await openPlayground(site);
  await p.setInputFiles('#file-input', [join(fixtures, '3.12', 'snippets', 'closures.pyc'), join(fixtures, 'generate', 'snippets', 'closures.py')]);
  await p.waitForSelector('pyc-source .source-lines');
  await p.waitForFunction(() => document.body.dataset.shown === 'closures.pyc#0');
  await tabTo(p, 'pyc-source li[data-line]');
  // Down to `def make_counter(start=0):` (line 7), then Enter marks its instructions.
  for (let i = 1; i < 7; i++) await p.keyboard.press('ArrowDown');
  assert.equal(await p.evaluate(() => document.activeElement.dataset.line), '7');
  await p.keyboard.press('Enter');
  await p.waitForSelector('pyc-disasm .dis-row.line-mark');
  assert.ok((await p.locator('pyc-disasm .dis-row.line-mark .op').allTextContents()).includes('MAKE_FUNCTION'));
  await p.close();
});

test('a lesson question answered by keyboard', async () => {
  const p = await site.browser.newPage({ viewport: { width: 1000, height: 900 } });
  await p.goto(`${site.base}lesson.html?lesson=code-object`);
  await p.waitForSelector('pyc-lesson[data-version] .question');
  // Teacher mode (Space on its checkbox) shows the answer this version's pyc gives.
  await tabTo(p, 'input[type=checkbox]');
  await p.keyboard.press('Space');
  await p.waitForSelector('pyc-lesson .teacher');
  assert.equal((await focused(p, 'input[type=checkbox]'))?.matches, true, 'the focus stays on the checkbox after the lesson redraws');
  const q = p.locator('pyc-lesson [data-question="multiply-argcount"]');
  const truth = (await q.locator('.teacher code').textContent()).trim();
  await tabTo(p, '[data-question="multiply-argcount"] input.answer');
  await p.keyboard.type('99');
  await p.keyboard.press('Enter');
  await q.locator('.verdict.wrong').waitFor();
  assert.match(await q.locator('.verdict').textContent(), /^Not quite\./);
  for (let i = 0; i < 2; i++) await p.keyboard.press('Backspace');
  await p.keyboard.type(truth);
  await p.keyboard.press('Enter');
  await q.locator('.verdict.right').waitFor();
  assert.match(await q.locator('.verdict').textContent(), /^Right\./);
  await p.close();
});

test('the write view by keyboard: open it, choose a second version, type, compile, run, look at the tabs', async () => {
  const p = await openPlayground(site);
  const compiled = () => p.evaluate(() => document.querySelector('#write').dataset);
  await tabTo(p, '#write-link');
  await p.keyboard.press('Enter');
  await p.waitForFunction(() => document.querySelector('#write').dataset.compiled === '3.14', null, { timeout: 180000 });
  // A second version: Space on its box.
  await tabTo(p, 'input[type=checkbox][value="3.12"]');
  await p.keyboard.press('Space');
  await p.waitForFunction(() => document.querySelector('#write').dataset.compiled === '3.12,3.14', null, { timeout: 180000 });
  // Type a program in the editor (it replaces the example).
  await tabTo(p, '.cm-content');
  const generation = Number((await compiled()).generation);
  await p.keyboard.press('Control+A');
  await p.keyboard.type('xs = [n * n for n in range(4)]\nprint(sum(xs))\n');
  await p.waitForFunction((g) => {
    const d = document.querySelector('#write').dataset;
    return d.compiled === '3.12,3.14' && Number(d.generation) > g && /print\(sum\(xs\)\)/.test(decodeURIComponent(location.hash));
  }, generation, { timeout: 60000 });
  assert.equal(await p.evaluate(() => document.querySelector('.editor-host').shadowRoot.querySelector('.cm-content').innerText.trim()),
    'xs = [n * n for n in range(4)]\nprint(sum(xs))');
  assert.match(await p.textContent('pyc-compare tbody'), /BUILD_LIST|LOAD_FAST_AND_CLEAR/);
  // Tab inside the editor indents; Escape then Tab leaves it (no keyboard trap).
  await p.keyboard.press('Escape');
  await p.keyboard.press('Tab');
  // The next stop after the editor is Run; Enter runs in the version the list offers (the newest chosen).
  const run = await focused(p, '.run-controls button.primary');
  assert.ok(run?.matches && run.drawn, `Escape, Tab leaves the editor for Run: ${JSON.stringify(run)}`);
  await p.keyboard.press('Enter');
  await p.waitForFunction(() => document.querySelector('.run-panel').dataset.ran === '3.14:ok', null, { timeout: 120000 });
  assert.equal(await p.textContent('.run-output'), '14\n');
  // The views of the compiled code: a tab list, arrows move between tabs.
  await tabTo(p, '[role=tab][aria-selected=true]');
  await p.keyboard.press('ArrowRight');
  await p.waitForFunction(() => document.querySelector('.write-explorer').dataset.shown === 'main.cpython-314.pyc#0');
  // (The write view's own tabs; the explorers have tabs of their own.)
  const shownView = () => p.getAttribute('#write .write-results > .tabs > [role=tablist] > [aria-selected=true]', 'id');
  assert.equal(await shownView(), 'tab-explore');
  await p.keyboard.press('ArrowRight');
  assert.equal(await shownView(), 'tab-adaptive');
  await p.waitForSelector('.adaptive details[open] .adaptive-table');
  assert.deepEqual(p.errors, []);
  await p.close();
});

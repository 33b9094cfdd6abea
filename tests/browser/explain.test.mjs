// <pyc-stack-strip> and <pyc-instruction-info> on the page, fed code objects that the native
// CLI decoded from real fixture pycs (the page's wasm leaves the stack analysis out): the
// strip's labelled maximum against co_stacksize, clicks and arrow keys against the indexes
// they report, the explanation's version-correct words for CALL (3.12), CALL_FUNCTION (3.10)
// and LOAD_FAST_LOAD_FAST (3.13), and axe on a page holding both. Every expected value is
// read from the CLI's document, never typed in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openPlayground, root, useSite } from './harness.mjs';
import { cliDocument, nativeCli } from './native-cli.mjs';
import { expectAccessible } from './axe.mjs';
import { stackEffects } from './stack-effects.mjs';

const CLI = nativeCli();
const SHOTS = join(root, 'target/screenshots');

/** The whole document the native CLI writes for a fixture snippet. */
function decode(version, snippet) {
  return cliDocument(CLI, join(root, 'tests/fixtures', version, 'snippets', snippet));
}

/** Every code node of a document, nested ones included. */
function* codes(code) {
  yield code;
  for (const c of code.co_consts ?? []) if (c.type === 'code') yield* codes(c);
}

/** A copy of a code node without its nested code objects' bodies (smaller to hand over). */
function flat(code) {
  return { ...code, co_consts: code.co_consts.map((c) => (c.type === 'code' ? { type: 'code', repr: c.repr } : c)) };
}

/**
 * The first code object of the fixture set of `version` that holds `opname` and whose
 * measured max depth `agrees` (or not) with co_stacksize, with the header of its file.
 */
function find(version, opname, agrees = true) {
  for (const snippet of ['closures.pyc', 'params.pyc', 'classes.pyc', 'comprehensions.pyc', 'exceptions.pyc', 'statements.pyc', 'generators.pyc']) {
    const doc = decode(version, snippet);
    for (const code of codes(doc.code)) {
      const ok = code.max_stack_depth === code.co_stacksize;
      const index = code.instructions.findIndex((i) => i.opname === opname);
      if (ok === agrees && index >= 0 && code.instructions.length > 8) return { code: flat(code), header: doc.header, index, snippet };
    }
  }
  throw new Error(`no ${version} fixture code object with ${opname}`);
}

const site = useSite();

/** The playground with both components loaded, in a labelled region inside <main>. */
async function page() {
  const p = await openPlayground(site);
  await p.evaluate(async () => {
    await import('/components/pyc-stack-strip.js');
    await import('/components/pyc-instruction-info.js');
    const host = document.createElement('section');
    host.id = 'explain-test';
    host.setAttribute('aria-label', 'Stack depth and instruction');
    host.append(document.createElement('pyc-stack-strip'), document.createElement('pyc-instruction-info'));
    document.querySelector('main').append(host);
    window.picks = [];
    host.addEventListener('pick-instruction', (e) => window.picks.push(e.detail.index));
  });
  return p;
}

/** Shows `case` in both components; returns the strip's label and the info's text. */
async function show(p, { code, header, index }) {
  return p.evaluate(({ code, header, index }) => {
    window.picks = [];
    const strip = document.querySelector('#explain-test pyc-stack-strip');
    const info = document.querySelector('#explain-test pyc-instruction-info');
    strip.show(code, header);
    strip.mark(index);
    info.show(code.instructions[index], code, header);
    return {
      label: strip.querySelector('.stack-strip-label')?.textContent ?? null,
      max: strip.dataset.max, hidden: strip.hidden,
      info: info.textContent, live: info.getAttribute('aria-live'),
      valuenow: strip.querySelector('[role=slider]')?.getAttribute('aria-valuenow'),
    };
  }, { code, header, index });
}

test('the strip labels the max depth against co_stacksize and the info explains each version\'s call', async (t) => {
  if (!CLI) {
    t.skip('no pyclens binary in target/ (cargo build --release)');
    return;
  }
  mkdirSync(SHOTS, { recursive: true });
  const p = await page();
  const cases = [
    ['3.10', 'CALL_FUNCTION', /positional argument/, /Pops (\w+) argument values? and the callable/],
    ['3.11', 'PRECALL', /the first half of a call/, /dis\.stack_effect counts \u2212\d+/],
    ['3.12', 'CALL', /NULL and the callable, or a method and its self/, /NULL-or-method and callable-or-self/],
    ['3.13', 'LOAD_FAST_LOAD_FAST', /Loads two local variables/, /high 4 bits\) and \d+ \(low 4 bits\)/],
  ];
  for (const [version, opname, summary, detail] of cases) {
    const c = find(version, opname);
    const shown = await show(p, c);
    const ins = c.code.instructions[c.index];
    assert.equal(shown.hidden, false);
    assert.equal(shown.label.match(/max depth (\d+) = co_stacksize (\d+)/)?.slice(1).map(Number).join(),
      `${c.code.co_stacksize},${c.code.co_stacksize}`, `${version} ${c.snippet}: ${shown.label}`);
    assert.equal(Number(shown.max), c.code.co_stacksize);
    assert.equal(Number(shown.valuenow), c.index + 1);
    assert.match(shown.info, new RegExp(`^${opname} at offset ${ins.offset}, Python ${version.replace('.', '\\.')}`));
    assert.match(shown.info, summary, `${version} ${opname}`);
    assert.match(shown.info, detail, `${version} ${opname}`);
    assert.match(shown.info, new RegExp(`depth before${ins.stack_depth}`));
    // The analysis's own stack_effect, which is the step to the next instruction here.
    const next = c.code.instructions[c.index + 1];
    assert.equal(next.stack_depth - ins.stack_depth, ins.stack_effect);
    const sign = (n) => `${n > 0 ? '+' : n < 0 ? '\u2212' : ''}${Math.abs(n)}`;
    assert.ok(shown.info.includes(`effect${sign(ins.stack_effect)}`), shown.info);
    assert.equal(shown.live, 'polite');
    await p.locator('#explain-test').screenshot({ path: join(SHOTS, `explain-${version}.png`) });
  }
  // The other versions' words must not leak: 3.10's call is not 3.12's.
  const c310 = find('3.10', 'CALL_FUNCTION');
  assert.doesNotMatch((await show(p, c310)).info, /NULL/);
  await expectAccessible(p, 'stack strip and instruction info');
  await p.locator('#explain-test').screenshot({ path: join(SHOTS, 'explain-dark.png') });
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('arrows, Home, End and clicks on the strip report the instruction they land on', async (t) => {
  if (!CLI) {
    t.skip('no pyclens binary in target/ (cargo build --release)');
    return;
  }
  const p = await page();
  const c = find('3.12', 'CALL');
  await show(p, { ...c, index: 0 });
  const n = c.code.instructions.length;
  await p.evaluate(() => { window.picks = []; });
  await p.focus('#explain-test pyc-stack-strip [role=slider]');
  for (const key of ['ArrowRight', 'ArrowRight', 'ArrowLeft', 'End', 'ArrowLeft', 'Home', 'ArrowLeft']) await p.keyboard.press(key);
  assert.deepEqual(await p.evaluate(() => window.picks), [1, 2, 1, n - 1, n - 2, 0, 0]);
  assert.equal(await p.getAttribute('#explain-test pyc-stack-strip [role=slider]', 'aria-valuenow'), '1');
  const box = await p.locator('#explain-test pyc-stack-strip svg').boundingBox();
  const target = Math.floor(n * 0.6);
  await p.evaluate(() => { window.picks = []; });
  await p.mouse.click(box.x + ((target + 0.5) / n) * box.width, box.y + box.height / 2);
  assert.deepEqual(await p.evaluate(() => window.picks), [target]);
  assert.match(await p.getAttribute('#explain-test pyc-stack-strip [role=slider]', 'aria-valuetext'),
    new RegExp(`instruction ${target + 1} of ${n}, offset ${c.code.instructions[target].offset}, ${c.code.instructions[target].opname}`));
  // mark() alone moves the highlight without telling anyone.
  await p.evaluate(() => { window.picks = []; document.querySelector('#explain-test pyc-stack-strip').mark(3); });
  assert.deepEqual(await p.evaluate(() => window.picks), []);
  assert.equal(await p.getAttribute('#explain-test pyc-stack-strip [role=slider]', 'aria-valuenow'), '4');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a max that differs from co_stacksize is a visible warning; no depths hide the strip', async (t) => {
  if (!CLI) {
    t.skip('no pyclens binary in target/ (cargo build --release)');
    return;
  }
  const p = await page();
  // Real files agree now (tests/rust/stack.rs); a crafted file's co_stacksize need not.
  const real = find('3.12', 'POP_EXCEPT');
  const c = { ...real, code: { ...real.code, co_stacksize: real.code.co_stacksize + 1 } };
  const shown = await show(p, c);
  assert.match(shown.label, new RegExp(`^Warning: max depth ${c.code.max_stack_depth} \u2260 co_stacksize ${c.code.co_stacksize}`));
  await p.locator('#explain-test').screenshot({ path: join(SHOTS, 'explain-warning.png') });
  await expectAccessible(p, 'stack strip warning', { themes: ['light'] });
  const bare = { ...c.code, instructions: c.code.instructions.map(({ stack_depth: _, ...rest }) => rest) };
  delete bare.max_stack_depth;
  const hidden = await show(p, { ...c, code: bare });
  assert.equal(hidden.hidden, true);
  assert.doesNotMatch(hidden.info, /depth before|effectdepth/);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a co_stacksize its compiler is known to count deeper is explained, not a warning', async (t) => {
  if (!CLI) {
    t.skip('no pyclens binary in target/ (cargo build --release)');
    return;
  }
  // Real 1.5 and 2.1 files whose compiler counted a class or a print >>f slot it never popped
  // (tests/rust/stack.rs's named case): the first differing code object of each.
  const p = await page();
  for (const file of ['bytecode_1.5/test_class.pyc', 'bytecode_2.1/extendedPrint.pyc']) {
    const doc = cliDocument(CLI, join(root, 'target/corpus/uncompyle6-3.9.3/test', file));
    const code = [...codes(doc.code)].find((c) => c.max_stack_depth !== c.co_stacksize);
    assert.ok(code && code.max_stack_depth < code.co_stacksize, file);
    const shown = await show(p, { code: flat(code), header: doc.header, index: 0 });
    assert.match(shown.label, new RegExp(`^max depth ${code.max_stack_depth} \u2260 co_stacksize ${code.co_stacksize}`), file);
    assert.match(shown.label, new RegExp(`In Python ${doc.header.python}, its compiler counted co_stacksize while emitting code`), file);
    assert.equal(await p.locator('#explain-test .stack-strip-warn').count(), 0, file);
  }
  await p.locator('#explain-test').screenshot({ path: join(SHOTS, 'explain-stacksize.png') });
  // The same difference in a version whose compiler walks its code stays a warning.
  const real = find('3.12', 'POP_EXCEPT');
  const shown = await show(p, { ...real, code: { ...real.code, co_stacksize: real.code.co_stacksize + 1 } });
  assert.match(shown.label, /^Warning: /);
  await expectAccessible(p, 'stack strip explaining co_stacksize', { themes: ['light'] });
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('the info shows the analysis\'s stack_effect and stack_effect_jump when the document has them', async (t) => {
  if (!CLI) {
    t.skip('no pyclens binary in target/ (cargo build --release)');
    return;
  }
  const p = await page();
  // FOR_ITER in 3.10 moves the stack one way when it loops and the other when it leaves.
  const c = find('3.10', 'FOR_ITER');
  const ins = c.code.instructions[c.index];
  const rule = stackEffects().get('3.10').get('FOR_ITER');
  const fall = rule.fall(ins.arg);
  const jump = rule.jump(ins.arg);
  assert.notEqual(fall, jump);
  c.code.instructions[c.index] = { ...ins, stack_effect: fall, stack_effect_jump: jump };
  const shown = await show(p, c);
  const signed = (n) => (n > 0 ? `+${n}` : n < 0 ? `\u2212${-n}` : '0');
  assert.ok(shown.info.includes(`effect${signed(fall)}; ${signed(jump)} when the jump is taken`), shown.info);
  assert.match(shown.info, /One step of a for loop/);
  assert.deepEqual(p.errors, []);
  await p.close();
});

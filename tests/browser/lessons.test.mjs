// Lessons in real Chromium: answers checked against the .pyc of the chosen version, misses
// explained, answers that change between versions, progress kept, teacher mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openLesson, root, useSite } from './harness.mjs';
const site = useSite();

const lesson = (version, id = 'code-object') => openLesson(site, id, version);

async function answer(p, id, text) {
  const q = p.locator(`[data-question="${id}"]`);
  await q.locator('input.answer').fill(text);
  await q.locator('button').click();
  await q.locator('.verdict.right, .verdict.wrong').waitFor();
  return q.locator('.verdict').textContent();
}

/** The answer teacher mode shows for a question (read from the version's .pyc). */
async function teacherAnswer(p, id) {
  if (!(await p.isChecked('pyc-lesson .lesson-bar input[type=checkbox]'))) {
    await p.check('pyc-lesson .lesson-bar input[type=checkbox]');
    await p.waitForSelector('.teacher');
  }
  return (await p.textContent(`[data-question="${id}"] .teacher code`)).trim();
}

test('answers are checked, right and wrong, in several versions', async () => {
  for (const v of ['3.8', '3.11', '3.14']) {
    const p = await lesson(v);
    // The truth comes from the page itself (teacher mode reads the decoded .pyc).
    const varnames = await teacherAnswer(p, 'multiply-varnames');
    const items = varnames.slice(1, -1).split(', ');
    const spaced = `(${items.map((i) => i.replaceAll("'", '"')).join(',')},)`;
    assert.match(await answer(p, 'multiply-varnames', spaced), /^Right\./, v);
    const fewer = `(${items.slice(0, -1).join(', ')})`;
    const miss = await answer(p, 'multiply-varnames', fewer);
    assert.match(miss, new RegExp(`Not quite\\. co_varnames: ${items.at(-1)} is missing`), v);
    for (const id of ['multiply-argcount', 'squares-generator', 'fetch-kind', 'greet-consts']) {
      assert.match(await answer(p, id, await teacherAnswer(p, id)), /^Right\./, `${v} ${id}`);
    }
    assert.match(await answer(p, 'squares-generator', 'no'), /^Not quite\./, v);
    assert.deepEqual(p.errors, []);
    await p.close();
  }
});

test('a question shows where versions disagree, and is absent where the version lacks it', async () => {
  const p = await lesson('3.10');
  assert.match(await p.textContent('[data-question="increment-qualname"]'), /Not in Python 3\.10: code objects of this version have no co_qualname/);
  const p14 = await lesson('3.14');
  const text = await answer(p14, 'increment-qualname', await teacherAnswer(p14, 'increment-qualname'));
  assert.match(text, /^Right\./);
  assert.match(text, /The answer depends on the version:.*Python 3\.10: \(code objects of this version have no co_qualname\)/s);
  await p.close();
  await p14.close();
});

test('progress is kept, and teacher mode reveals the answers', async () => {
  const p = await lesson('3.12');
  await answer(p, 'multiply-argcount', '2');
  await p.reload();
  await p.waitForSelector('pyc-lesson[data-version] .question');
  assert.equal(await p.getAttribute('[data-question="multiply-argcount"]', 'data-answered'), 'true');
  const shown = await teacherAnswer(p, 'multiply-varnames');
  assert.match(await answer(p, 'multiply-varnames', shown), /^Right\./);
  await p.screenshot({ path: join(root, 'target', 'screenshots', 'lesson.png'), fullPage: false });
  await p.close();
});

test('comprehensions stopped being code objects in 3.12: the lesson shows it', async () => {
  const p11 = await lesson('3.11', 'nested-code');
  const p12 = await lesson('3.12', 'nested-code');
  const before = await teacherAnswer(p11, 'tally-nested');
  const after = await teacherAnswer(p12, 'tally-nested');
  assert.notEqual(before, after);
  const verdict = await answer(p12, 'tally-nested', after);
  assert.match(verdict, /^Right\./);
  assert.ok(verdict.includes(`Python 3.11: ${before}`), verdict);
  for (const id of ['scaler-nested', 'lazy-nested', 'lazy-kind', 'genexpr-kind', 'gather-kind', 'countdown-generator', 'tally-total']) {
    assert.match(await answer(p11, id, await teacherAnswer(p11, id)), /^Right\./, id);
  }
  assert.match(await answer(p11, 'lazy-kind', 'generator'), /^Not quite\./);
  assert.deepEqual([...p11.errors, ...p12.errors], []);
  await p11.close();
  await p12.close();
});

test('the pyc header lesson: the magic and the header size change with the version', async () => {
  const p36 = await lesson('3.6', 'pyc-file');
  const p15 = await lesson('3.15', 'pyc-file');
  for (const id of ['magic-bytes', 'header-size']) {
    const old = await teacherAnswer(p36, id);
    const now = await teacherAnswer(p15, id);
    assert.notEqual(old, now, id);
    const verdict = await answer(p15, id, now.toUpperCase());
    assert.match(verdict, /^Right\./, id);
    assert.ok(verdict.includes(`Python 3.6: ${old}`), verdict);
  }
  for (const id of ['magic-number', 'header-kind', 'risky-firstline', 'risky-lines']) {
    assert.match(await answer(p36, id, await teacherAnswer(p36, id)), /^Right\./, id);
  }
  assert.deepEqual([...p36.errors, ...p15.errors], []);
  await p36.close();
  await p15.close();
});

test('the closures lesson: every question answers in an old and a new version', async () => {
  for (const v of ['3.10', '3.13']) {
    const p = await lesson(v, 'closures');
    for (const id of ['adder-nested', 'add-freevars', 'maker-cellvars', 'loud-freevars', 'module-nested']) {
      assert.match(await answer(p, id, await teacherAnswer(p, id)), /^Right\./, `${v} ${id}`);
    }
    const qualname = await p.textContent('[data-question="loud-qualname"]');
    if (v === '3.10') assert.match(qualname, /Not in Python 3\.10/);
    else assert.match(await answer(p, 'loud-qualname', await teacherAnswer(p, 'loud-qualname')), /^Right\./);
    assert.deepEqual(p.errors, []);
    await p.close();
  }
});

test('co_flags of a generator lost NOFREE in 3.11, and the lesson shows both', async () => {
  const p10 = await lesson('3.10');
  const p11 = await lesson('3.11');
  const before = await teacherAnswer(p10, 'squares-flags');
  const after = await teacherAnswer(p11, 'squares-flags');
  assert.equal(Number(before) - Number(after), 0x40, `${before} vs ${after}`);
  const verdict = await answer(p11, 'squares-flags', after.replace('0x', ''));
  assert.match(verdict, /^Right\./);
  assert.ok(verdict.includes(`Python 3.10: ${before}`), verdict);
  for (const id of ['area-names', 'multiply-stacksize']) {
    assert.match(await answer(p10, id, await teacherAnswer(p10, id)), /^Right\./, id);
  }
  await p10.close();
  await p11.close();
});

// The write view in real (headless) Chromium with the real CPythons (pyodide 3.10-3.15):
// compiling in the page against the same interpreter's own dis, side by side, errors,
// permalinks, running, stopping, offline use, and that nothing leaves the origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dropBytes, openPlayground, root, useSite } from './harness.mjs';

const shots = join(root, 'target', 'screenshots');
mkdirSync(shots, { recursive: true });
const builds = JSON.parse(readFileSync(join(root, 'web', 'pyodide', 'index.json'), 'utf8'));
const snippetsDir = join(root, 'tests', 'fixtures', 'generate', 'snippets');

/** The project's snippet set: every .py with the oldest version it needs. */
const snippets = readdirSync(snippetsDir).filter((f) => f.endsWith('.py')).sort().map((name) => {
  const source = readFileSync(join(snippetsDir, name), 'utf8');
  const min = /^#\s*pyclens:\s*min-version\s+(\d+)\.(\d+)/m.exec(source);
  return { name, source, min: min ? [Number(min[1]), Number(min[2])] : [0, 0] };
});
const atLeast = (version, [major, minor]) => {
  const [a, b] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
};

const site = useSite();

/** The page opened on a fragment, ready once `compiled` (default: every asked version) has compiled. */
async function openLink(fragment, compiled, context) {
  const p = await (context ?? site.browser).newPage({ viewport: { width: 1400, height: 900 } });
  p.errors = [];
  p.on('pageerror', (e) => p.errors.push(String(e)));
  await p.goto(`${site.base}${fragment}`);
  await p.waitForSelector('body[data-ready=true]');
  await waitCompiled(p, compiled);
  return p;
}

const openWrite = (versions, source, context, compiled = versions) =>
  openLink(`#v=${versions.join(',')}&code=${encodeURIComponent(source)}`, compiled, context);

/** Waits until a compile round later than generation `after` showed exactly `versions`. */
async function waitCompiled(p, versions, after = 0) {
  await p.waitForFunction(({ v, after }) => {
    const d = document.querySelector('#write').dataset;
    return d.compiled === v && Number(d.generation) > after;
  }, { v: versions.join(','), after }, { timeout: 120000 });
}

/**
 * Normalises what legitimately differs between two readings of one file: a code object's
 * address, and a frozenset's item order (the interpreter's is the order of its hash table
 * after unmarshalling, seeded for strings; pyclens lists them in the file's order).
 */
const normal = (text) => (text ?? '').replace(/ at 0x[0-9a-f]+/g, ' at 0x?')
  .replace(/frozenset\(\{([^{}]*)\}\)/g, (_, items) => `frozenset({${items.split(', ').sort().join(', ')}})`);

test('every version compiles the snippet set in the page, and pyclens reads each pyc as that interpreter\'s dis does', async () => {
  const p = await openPlayground(site);
  const counts = {};
  for (const build of builds) {
    const version = build.python;
    const wanted = snippets.filter((s) => atLeast(version, s.min));
    const result = await p.evaluate(async ({ version, wanted, builds }) => {
      const { Compilers } = await import('./compile/compilers.js');
      const { Decoder } = await import('./decoder.js');
      const { decodeAll } = await import('./write/decode-all.js');
      const compilers = new Compilers(builds);
      const decoder = new Decoder();
      const out = [];
      for (const s of wanted) {
        const compiled = await compilers.compile(version, s.source);
        if (!compiled.pyc?.length) {
          out.push({ name: s.name, error: compiled.error?.display ?? compiled.failure });
          continue;
        }
        const real = await compilers.disassemble(version, s.source);
        const ours = await decodeAll(decoder, `${s.name}c`, compiled.pyc);
        out.push({ name: s.name, python: compiled.python, real: real.codes, ours: ours.codes.map((c) => c.instructions.map((i) => ({
          offset: i.offset, opname: i.opname, arg: i.arg, argrepr: i.argrepr, starts_line: i.starts_line ? i.line : null, is_jump_target: i.is_jump_target,
        }))) });
      }
      compilers.stop(version);
      return out;
    }, { version, wanted, builds });
    let codes = 0;
    let instructions = 0;
    for (const r of result) {
      assert.equal(r.error, undefined, `${version} ${r.name}: ${r.error}`);
      assert.equal(r.ours.length, r.real.length, `${version} ${r.name}: code objects`);
      r.real.forEach((code, c) => {
        codes++;
        assert.equal(r.ours[c].length, code.instructions.length, `${version} ${r.name} ${code.qualname}: instruction count`);
        code.instructions.forEach((want, k) => {
          instructions++;
          const got = r.ours[c][k];
          const where = `${version} ${r.name} ${code.qualname} @${want.offset}`;
          assert.deepEqual({ ...got, argrepr: normal(got.argrepr) }, { ...want, argrepr: normal(want.argrepr) }, where);
        });
      });
    }
    counts[`${version} (${result[0]?.python})`] = `${result.length} snippets, ${codes} code objects, ${instructions} instructions`;
  }
  console.log('compiled in the page and compared with the same interpreter\'s dis:', counts);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('3.11 beside 3.12 shows comprehensions inlined; an instruction shows its columns in the editor', async () => {
  const source = 'def f(xs):\n    return [x * 2 for x in xs]\n';
  const p = await openWrite(['3.11', '3.12'], source);
  const row = p.locator('pyc-compare tbody tr[data-line="2"]');
  const [left, right] = [row.locator('td.cmp-cell').nth(0), row.locator('td.cmp-cell').nth(1)];
  assert.match(await left.textContent(), /in f\.<locals>\.<listcomp>/);
  assert.match(await right.locator('.ci-added').allTextContents().then((t) => t.join('|')), /LOAD_FAST_AND_CLEAR x/);
  assert.match(await right.locator('.ci-removed').allTextContents().then((t) => t.join('|')), /MAKE_FUNCTION/);
  assert.match(await p.textContent('pyc-compare thead'), /3\.12 \+\d+ −\d+ ~\d+ vs 3\.11/);
  // Clicking BINARY_OP highlights `x * 2` (line 2, columns 12-17) in the editor.
  await right.locator('.ci', { hasText: 'BINARY_OP' }).click();
  const marked = await p.evaluate(() => document.querySelector('.editor-host').shadowRoot.querySelector('.cm-instruction-columns')?.textContent);
  assert.equal(marked, 'x * 2');
  await p.screenshot({ path: join(shots, 'write-side-by-side.png') });
  // The explorer tab shows the focused version's pyc, module first, as dis.dis(module) would.
  await p.click('[role=tab] >> text=Explorer');
  await p.waitForFunction(() => document.querySelector('.write-explorer').dataset.shown === 'main.cpython-312.pyc#0');
  assert.match(await p.textContent('.write-explorer pyc-header-card'), /3\.12/);
  assert.ok((await p.locator('.write-explorer pyc-disasm .dis-row[data-index] .op').allTextContents()).includes('MAKE_FUNCTION'));
  await p.screenshot({ path: join(shots, 'write-explorer.png') });
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a syntax error is marked at its line and column with each version\'s own message', async () => {
  // PEP 695's `type` statement: a syntax error before 3.12, a statement from 3.12.
  const p = await openWrite(['3.11', '3.12'], 'x = 1\ntype Point = tuple[float, float]\n', undefined, ['3.12']);
  const messages = await p.locator('.compile-messages li').allTextContents();
  assert.ok(messages.some((m) => /^Python 3\.11\.\d+: SyntaxError: invalid syntax \(line 2, column \d+\)$/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /^Python 3\.12\.\d+: \d+ bytes of pyc$/.test(m)), messages.join('\n'));
  const range = await p.evaluate(() => {
    const shadow = document.querySelector('.editor-host').shadowRoot;
    const mark = shadow.querySelector('.cm-lintRange-error');
    return mark && { text: mark.textContent, line: [...shadow.querySelectorAll('.cm-line')].findIndex((l) => l.contains(mark)) + 1 };
  });
  assert.deepEqual(range?.line, 2);
  assert.ok(range.text.length > 0);
  await p.screenshot({ path: join(shots, 'write-syntax-error.png') });
  await p.close();
});

test('permalinks round-trip, readable and short; typing recompiles without reloading the interpreter', async () => {
  const source = 'total = 0\nfor n in range(3):\n    total += n  # a + b\nprint(f"{total=}")\n';
  const p = await openWrite(['3.10', '3.13'], source);
  const editorText = () => p.evaluate(() => document.querySelector('.editor-host').shadowRoot.querySelector('.cm-content').innerText);
  assert.equal((await editorText()).trimEnd(), source.trimEnd());
  // Typing: the page recompiles and the fragment follows; the workers stay the same.
  const generation = Number(await p.evaluate(() => document.querySelector('#write').dataset.generation));
  await p.evaluate(() => document.querySelector('.editor-host').shadowRoot.querySelector('.cm-content').focus());
  await p.keyboard.press('Control+End');
  await p.keyboard.type('x = [total]\n');
  await waitCompiled(p, ['3.10', '3.13'], generation);
  const readable = await p.evaluate(() => location.hash);
  assert.match(readable, /^#v=3\.10,3\.13&code=/);
  assert.ok(decodeURIComponent(readable.split('&code=')[1]).endsWith('x = [total]\n'));
  await p.click('text=Copy link');
  await p.waitForFunction(() => document.querySelector('#write').dataset.shared);
  const short = await p.evaluate(() => document.querySelector('#write').dataset.shared);
  assert.match(short, /^#v=3\.10,3\.13&z=[A-Za-z0-9_-]+$/);
  const q = await openLink(short, ['3.10', '3.13']);
  const again = await q.evaluate(() => document.querySelector('.editor-host').shadowRoot.querySelector('.cm-content').innerText);
  assert.equal(again.trimEnd(), `${source}x = [total]`.trimEnd());
  await p.close();
  await q.close();
});

test('Run: output, input(), an exception\'s last line, and the specialised instructions of a hot loop in 3.12', async () => {
  const source = [
    'def total(n):',
    '    t = 0',
    '    for i in range(n):',
    '        t += i',
    '    return t',
    '',
    'print(total(10000))',
    'name = input("name? ")',
    'print("hello", name)',
    '[][1]',
  ].join('\n');
  const p = await openWrite(['3.12'], source);
  await p.click('.stdin summary');
  await p.fill('.stdin textarea', 'Ada\n');
  await p.click('button:text-is("Run")');
  await p.waitForFunction(() => document.querySelector('.run-panel').dataset.ran === '3.12:exception');
  const output = await p.textContent('.run-output');
  assert.match(output, /^49995000\nname\? Ada\nhello Ada\nTraceback \(most recent call last\):\n {2}File "main\.py", line 10, in <module>\n/);
  assert.match(output, /IndexError: list index out of range\n$/);
  assert.match(await p.textContent('.run-status'), /stopped by IndexError: list index out of range/);
  await p.click('[role=tab] >> text=Specialised after a run');
  const specialised = await p.locator('.adaptive-table tr.specialised td:last-child').allTextContents();
  assert.ok(specialised.some((op) => /^(BINARY_OP_ADD_INT|FOR_ITER_RANGE)$/.test(op)), specialised.join(' '));
  await p.screenshot({ path: join(shots, 'write-run.png') });
  // Without input, input() ends with EOFError instead of waiting for ever.
  await p.fill('.stdin textarea', '');
  await p.click('button:text-is("Run")');
  await p.waitForFunction(() => document.querySelector('.run-panel').dataset.ran === '3.12:exception' && /EOFError/.test(document.querySelector('.run-output').textContent));
  await p.close();
});

test('Stop ends `while True: pass`, and the next compile loads the interpreter again', async () => {
  const p = await openWrite(['3.13'], 'while True:\n    pass\n');
  await p.click('button:text-is("Run")');
  await p.waitForFunction(() => document.querySelector('.run-panel').dataset.running === '3.13');
  await p.waitForTimeout(500);
  await p.click('button:text-is("Stop")');
  await p.waitForFunction(() => document.querySelector('.run-panel').dataset.ran === '3.13:stopped');
  assert.match(await p.textContent('.run-status'), /stopped/);
  const generation = Number(await p.evaluate(() => document.querySelector('#write').dataset.generation));
  await p.evaluate(() => document.querySelector('.editor-host').shadowRoot.querySelector('.cm-content').focus());
  await p.keyboard.press('Control+End');
  await p.keyboard.type('x = 1\n');
  await waitCompiled(p, ['3.13'], generation);
  await p.close();
});

test('a version used once works offline; nothing is requested outside the origin', async () => {
  const context = await site.browser.newContext();
  const outside = [];
  context.on('request', (r) => { if (!r.url().startsWith(site.base) && !r.url().startsWith('data:')) outside.push(r.url()); });
  const p = await openWrite(['3.11'], 'print(1)\n', context);
  await p.waitForFunction(() => document.querySelector('#write').dataset.stored?.split(',').includes('3.11'), null, { timeout: 60000 });
  await p.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  await p.goto(`${site.base}#v=3.11&code=${encodeURIComponent('print(2)\n')}`);
  await p.reload();
  await p.waitForSelector('body[data-ready=true]');
  await waitCompiled(p, ['3.11']);
  assert.match(await p.textContent('.compile-messages'), /Python 3\.11\.\d+: \d+ bytes of pyc/);
  await context.setOffline(false);
  assert.deepEqual(outside, []);
  await context.close();
});

test('two pycs dropped together are compared line by line', async () => {
  const p = await openPlayground(site);
  const files = ['3.11', '3.12'].map((v) => ({ name: `comprehensions.cpython-${v.replace('.', '')}.pyc`, bytes: readFileSync(join(root, 'tests', 'fixtures', v, 'snippets', 'comprehensions.pyc')) }));
  await p.evaluate((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files.map((f) => ({ name: f.name, bytes: [...f.bytes] })));
  await p.waitForFunction(() => document.querySelector('#compare-files').dataset.compared?.split(',').length === 2);
  assert.match(await p.textContent('#compare-files thead'), /Python 3\.11.*Python 3\.12/s);
  assert.ok(await p.locator('#compare-files .ci-added').count() > 0);
  // One file dropped alone clears the comparison.
  await dropBytes(p, files[0].name, files[0].bytes);
  await p.waitForFunction(() => document.querySelector('#compare-files').hidden);
  await p.close();
});

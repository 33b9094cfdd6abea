// The playground with the pycs people meet outside the versions of the fixtures: one file of
// each older CPython era and of PyPy from the uncompyle6 corpus (target/corpus, fetched by
// scripts/fetch-corpus.mjs), a pytest rewrite cache, and files of other implementations: named,
// or (GraalPy, RustPython, Dropbox's 2.5 from xdis's corpus) read.
// What the page must show comes from xdis's reading of each file
// (tests/fixtures/corpus/xdis.json.gz), never typed in here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { dropBytes, openPlayground, root, useSite } from './harness.mjs';

const corpus = join(root, 'target', 'corpus', 'uncompyle6-3.9.3', 'test');
const truth = JSON.parse(gunzipSync(readFileSync(join(root, 'tests', 'fixtures', 'corpus', 'xdis.json.gz'))));

/** The first corpus file xdis read as `implementation` `version` with a nested code object. */
function sample(implementation, version) {
  const row = truth.files.find((f) => !f.error && f.implementation === implementation && f.version === version
    && f.code.length > 1 && !f.path.includes('PYTEST'));
  assert.ok(row, `no ${implementation} ${version} file in the corpus`);
  return row;
}

const site = useSite();

const page = () => openPlayground(site);

test('one file of every older era and of PyPy shows its tree and its disassembly', async () => {
  assert.ok(existsSync(corpus), `${corpus} is missing: run node scripts/fetch-corpus.mjs`);
  const p = await page();
  const eras = [['CPython', '1.0'], ['CPython', '1.4'], ['CPython', '1.5'], ['CPython', '2.1'], ['CPython', '2.4'],
    ['CPython', '2.6'], ['CPython', '3.0'], ['CPython', '3.3'], ['CPython', '3.5'], ['PyPy', '2.7'], ['PyPy', '3.2']];
  for (const [implementation, version] of eras) {
    const row = sample(implementation, version);
    const name = row.path.split('/').pop();
    await dropBytes(p, name, readFileSync(join(corpus, row.path)));
    await p.waitForFunction((n) => document.body.dataset.shown === `${n}#0`, name);
    const header = await p.textContent('pyc-header-card');
    assert.match(header, new RegExp(`Python${version.replace('.', '\\.')} ${implementation}`), row.path);
    assert.match(header, implementation === 'PyPy' && version === '2.7' ? /against that interpreter/ : /against xdis/, row.path);
    await p.waitForSelector('pyc-disasm .dis-row[data-index]');
    const shown = await p.locator('pyc-disasm .dis-row[data-index] .op').allTextContents();
    const expected = row.code[0].instructions.map((i) => i[1]);
    assert.deepEqual(shown, expected.slice(0, shown.length), row.path);
    // Open every branch (children are built on first expansion), then read the names.
    for (let closed; (closed = p.locator('pyc-tree [aria-expanded=false] > .row .twisty').first()) && await closed.count();) {
      await closed.click();
    }
    const names = await p.locator('pyc-tree [role=treeitem] > .row .name').allTextContents();
    assert.equal(names.length, row.code.length, row.path);
    for (const code of row.code) assert.ok(names.some((n) => n.includes(code.co_name)), `${row.path}: ${code.co_name} in the tree`);
  }
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('PyPy fixtures made by the real PyPy 2.7, 3.7, 3.9 and 3.11 open as PyPy', async () => {
  const p = await page();
  for (const v of ['2.7', '3.7', '3.9', '3.11']) {
    const name = v === '2.7' ? 'closures27.pyc' : 'closures.pyc';
    // Files of one name follow each other: wait for this one, not the last one's marker.
    await p.evaluate(() => { delete document.body.dataset.shown; });
    await dropBytes(p, name, readFileSync(join(root, 'tests', 'fixtures', `pypy${v}`, 'snippets', name)));
    await p.waitForFunction((n) => document.body.dataset.shown === `${n}#0`, name);
    assert.match(await p.textContent('pyc-header-card'), new RegExp(`Python${v.replace('.', '\\.')} PyPy.*checked.*against that interpreter`));
    assert.match(await p.textContent('pyc-tree'), /make_counter/);
  }
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a pytest rewrite cache of 2.7 opens with its 12-byte header', async () => {
  const p = await page();
  const path = 'decompyle/__pycache__/test_loops.cpython-27-PYTEST.pyc';
  await dropBytes(p, 'test_loops.cpython-27-PYTEST.pyc', readFileSync(join(corpus, path)));
  await p.waitForFunction(() => document.body.dataset.shown === 'test_loops.cpython-27-PYTEST.pyc#0');
  assert.match(await p.textContent('pyc-header-card'), /12 bytes/);
  await p.close();
});

test('a foreign implementation is named, with the reason, not "unknown magic"', async () => {
  const p = await page();
  // GraalPy 3.8's magic (21150), which pyclens names but does not read, with a PEP 552 header.
  const graal = Buffer.from([0x9e, 0x52, 0x0d, 0x0a, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0x63, 0, 0, 0]);
  await dropBytes(p, 'mod.graalpy38.pyc', graal);
  await p.waitForSelector('.explorer-error:not([hidden])');
  const message = await p.textContent('.explorer-error');
  assert.match(message, /GraalPy \(Python 3\.8\) pyc/);
  assert.doesNotMatch(message, /unknown magic/);
  assert.deepEqual(p.errors, []);
  await p.close();
});

// The viewer module names these files; the page reads them with its analysis module
// (crate/Cargo.toml, `foreign`). What must show comes from the truth files their Rust tests
// compare with (xdis's reading, where xdis is right).
const xdisCorpus = join(root, 'target', 'corpus', 'xdis-6.3.0', 'test');
const gzJson = (path) => JSON.parse(gunzipSync(readFileSync(join(root, 'tests', 'fixtures', path))));

test('GraalPy, RustPython and Dropbox pycs open in the explorer', async () => {
  const p = await page();
  const graal = gzJson('corpus/graal.json.gz').files.find((f) => f.path.startsWith('bytecode_graal312/') && f.code.length > 1 && !f.error);
  const rust = gzJson('rustpython/xdis.json.gz').files.find((f) => f.codes.length > 1);
  const dropbox = gzJson('dropbox/xdis.json.gz').files[0];
  const files = [
    ['GraalPy', '3.12', graal.path, graal.code.map((c) => c.co_name), graal.code[0].instructions[0][1]],
    ['RustPython', '3.13', `bytecode_rust-40-313/${rust.name}`, rust.codes.map((c) => c.co_name), null],
    ['CPython', '2.5', dropbox.path.replace('xdis-6.3.0/test/', ''), dropbox.code.map((c) => c.co_name), dropbox.code[0].instructions[0][1]],
  ];
  for (const [implementation, version, path, names, firstOp] of files) {
    const name = path.split('/').pop();
    await dropBytes(p, name, readFileSync(join(xdisCorpus, path)));
    await p.waitForFunction((n) => document.body.dataset.shown === `${n}#0`, name);
    const header = await p.textContent('pyc-header-card');
    assert.match(header, new RegExp(`Python${version.replace('.', '\\.')} ${implementation}`), path);
    if (implementation === 'CPython') assert.match(header, /decrypted/i, path);
    await p.waitForSelector('pyc-disasm .dis-row[data-index]');
    if (firstOp) assert.equal(await p.textContent('pyc-disasm .dis-row[data-index] .op'), firstOp, path);
    for (let closed; (closed = p.locator('pyc-tree [aria-expanded=false] > .row .twisty').first()) && await closed.count();) {
      await closed.click();
    }
    const tree = await p.textContent('pyc-tree');
    for (const n of names) assert.ok(tree.includes(n), `${path}: ${n} in the tree`);
  }
  assert.deepEqual(p.errors, []);
  await p.close();
});

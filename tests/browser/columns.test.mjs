// The instructions' crossing from the worker to the page as columns (web/columns.js), in node
// without a browser: for every code object of the fixture pycs (decoded by the native CLI,
// turned into objects by the page's own document-tables.js), the columns after a structured
// clone (what postMessage does) read back as the very objects packed, through every way the
// page's views read an array.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.mjs';
import { cliDocument, nativeCli } from './native-cli.mjs';
import { packObjects, pluck, unpackObjects } from '../../web/columns.js';

const CLI = nativeCli();

/** The list the page reads after the worker packed `objects` and posted them. */
const crossed = (objects) => unpackObjects(structuredClone(packObjects(objects)));

function* codeObjects(code) {
  yield code;
  for (const c of code.co_consts ?? []) if (c?.type === 'code') yield* codeObjects(c);
}

/** Every way the page's views read `list`, against the same reads of `objects`. */
function assertReadsAlike(list, objects, what) {
  assert.ok(Array.isArray(list), what);
  assert.equal(list.length, objects.length, what);
  assert.deepEqual([...list], objects, what);
  assert.equal(JSON.stringify(list), JSON.stringify(objects), what);
  objects.forEach((o, i) => {
    assert.deepEqual(list[i], o, `${what} [${i}]`);
    assert.ok(i in list, `${what}: ${i} in list`);
  });
  assert.equal(list[objects.length], undefined, what);
  assert.ok(!(objects.length in list), what);
  assert.deepEqual(list.map((o) => o.offset), objects.map((o) => o.offset), what);
  assert.deepEqual(list.filter((o) => o.line === objects.at(-1)?.line), objects.filter((o) => o.line === objects.at(-1)?.line), what);
  assert.equal(list.findIndex((o) => o.opname === objects.at(-1)?.opname), objects.findIndex((o) => o.opname === objects.at(-1)?.opname), what);
  assert.deepEqual(list.slice(1, 4), objects.slice(1, 4), what);
  for (const key of Object.keys(objects[0] ?? {})) assert.deepEqual(pluck(list, key), objects.map((o) => o[key]), `${what} ${key}`);
}

test('every fixture code object\'s instructions read back from their columns as they were', { skip: !CLI && 'no native pyclens build' }, () => {
  let codes = 0;
  let instructions = 0;
  for (const dir of ['2.7', '3.6', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14', '3.15', 'pypy3.11']) {
    const files = readdirSync(join(root, 'tests/fixtures', dir), { recursive: true }).filter((f) => f.endsWith('.pyc'));
    for (const file of files.slice(0, 12)) {
      const doc = cliDocument(CLI, join(root, 'tests/fixtures', dir, file));
      for (const code of codeObjects(doc.code)) {
        if (!Array.isArray(code.instructions)) continue;
        assertReadsAlike(crossed(code.instructions), code.instructions, `${dir}/${file} ${code.co_name}`);
        codes++;
        instructions += code.instructions.length;
      }
    }
  }
  assert.ok(codes > 200 && instructions > 5000, `${codes} code objects, ${instructions} instructions`);
});

test('columns keep nulls, mixed values, text, repeated text and empty lists', () => {
  const objects = [
    { n: 1, b: true, s: 'a😀', t: [1, null], m: 1, e: null },
    { n: null, b: false, s: null, t: null, m: 'x', e: null },
    { n: -7, b: true, s: '', t: [3, 4], m: [1], e: null },
  ];
  const packed = packObjects(objects);
  assert.deepEqual(packed.data.map((c) => c.kind), ['number', 'bool', 'string', 'tuple', 'values', 'number']);
  assertReadsAlike(crossed(objects), objects, 'synthetic');
  assertReadsAlike(crossed([]), [], 'empty');
  const repeated = ['LOAD_NAME', 'STORE_NAME', null, 'LOAD_NAME', 'LOAD_NAME', 'STORE_NAME'].map((name, i) => ({ name, i }));
  assert.equal(packObjects(repeated).data[0].kind, 'table');
  assertReadsAlike(crossed(repeated), repeated, 'repeated text');
});

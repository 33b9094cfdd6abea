// The instruction explanations (web/explain/) against the decoder's own data, in node without
// a browser: every opcode name of every version's table (base, specialised, instrumented)
// has an entry for that version, specialised forms name the base instruction the table
// de-specialises them to, every jump's rule matches the table's jump flags, and every
// instruction of every fixture pyc (decoded by the native CLI) gets a summary, an argument
// and a stack text, with every jump's target re-derived from its argument by the rule the
// text states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { root } from './harness.mjs';
import { cliDocument, nativeCli } from './native-cli.mjs';
import { opcodeTables } from './opcode-tables.mjs';
import { explain, lookup } from '../../web/explain/explain.js';
import { jumpRule, jumpTarget } from '../../web/explain/jumps.js';
import { parseVersion } from '../../web/explain/version.js';
import { stackEffects } from './stack-effects.mjs';

const CLI = nativeCli();
const CORPUS = join(root, 'target/corpus/uncompyle6-3.9.3/test');

/**
 * Opcodes whose jump the rule states although the table has no jump flag: FOR_LOOP
 * (1.0–2.2) jumps by JUMPBY(oparg) in those interpreters' ceval.c, but the xdis tables these
 * versions' opcode tables come from do not list it in hasjrel, so pyclens computes no
 * jump_target for it.
 */
const UNFLAGGED_JUMPS = new Set(['FOR_LOOP']);

test('every opname of every version has an explanation for that version', () => {
  const tables = opcodeTables();
  assert.ok(tables.length >= 40, `only ${tables.length} opcode tables found`);
  const missing = [];
  let names = 0;
  for (const t of tables) {
    for (const op of [...t.base, ...t.other]) {
      names++;
      const found = lookup(op.name, t.version);
      if (!found) missing.push(`${t.label} ${op.name}`);
    }
  }
  assert.deepEqual(missing, [], `no explanation for:\n${missing.join('\n')}`);
  assert.ok(names > 4000, `only ${names} names checked`);
});

test('base opcodes get their own entry; specialised ones the base the table de-specialises them to', () => {
  const wrong = [];
  for (const t of opcodeTables()) {
    for (const op of t.base) {
      const found = lookup(op.name, t.version);
      if (found?.base) wrong.push(`${t.label} ${op.name}: a base opcode explained as a form of ${found.base}`);
    }
    for (const op of t.other) {
      const found = lookup(op.name, t.version);
      if (op.base !== op.name && found?.base !== op.base) wrong.push(`${t.label} ${op.name}: explained as a form of ${found?.base}, the table says ${op.base}`);
      if (found?.base && !found.baseEntry) wrong.push(`${t.label} ${op.name}: its base ${found.base} has no entry`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('the jump rule agrees with every table\'s relative, absolute and backward flags', () => {
  const wrong = [];
  for (const t of opcodeTables()) {
    for (const op of t.base) {
      const rule = jumpRule(op.name, t.version);
      const flagged = op.flags.includes('JREL') || op.flags.includes('JABS');
      if (!rule) {
        if (flagged) wrong.push(`${t.label} ${op.name}: flagged ${op.flags} but no rule`);
        continue;
      }
      if (!flagged && UNFLAGGED_JUMPS.has(op.name)) continue;
      if (op.flags.includes(rule.absolute ? 'JABS' : 'JREL') !== true) wrong.push(`${t.label} ${op.name}: rule ${JSON.stringify(rule)}, flags ${op.flags}`);
      if (rule.backward !== op.flags.includes('BACKWARD')) wrong.push(`${t.label} ${op.name}: backward ${rule.backward}, flags ${op.flags}`);
    }
  }
  assert.deepEqual(wrong, []);
});

const WORDS = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7 };

/**
 * The net change a stack text states for the fall-through path, or null when it states none
 * or several: "dis.stack_effect counts +6" wins (where the compiler's bookkeeping differs
 * from what happens at run time), else the one "N values more/fewer" or "unchanged".
 */
function statedEffect(text) {
  const booked = /dis\.stack_effect counts ([+\u2212-]?)(\d+)/.exec(text);
  if (booked) return (booked[1] === '-' || booked[1] === '\u2212' ? -1 : 1) * Number(booked[2]);
  if (/Jump taken|Another value|End of the sequence/.test(text)) return null;
  const counts = [...text.matchAll(/\b(\d+|one|two|three|four|five|six|seven) values? (more|fewer)\b/g)];
  const none = /the depth is unchanged|Leaves the (value )?stack as it is/.test(text);
  const pops = /^Pops (one|two) values?\.$/.exec(text);
  if (pops) return -WORDS[pops[1]];
  if (counts.length + Number(none) !== 1) return null;
  if (none) return 0;
  const n = WORDS[counts[0][1]] ?? Number(counts[0][1]);
  return counts[0][2] === 'more' ? n : -n;
}

test('the stated stack effect of every opcode of 3.6–3.15 is dis.stack_effect\'s, for several arguments', () => {
  const effects = stackEffects();
  const wrong = [];
  let checked = 0;
  for (const t of opcodeTables()) {
    const rows = t.version.implementation === 'CPython' ? effects.get(`${t.version.major}.${t.version.minor}`) : null;
    if (!rows) continue;
    for (const op of t.base) {
      const rule = rows.get(op.name);
      if (!rule) continue;
      for (const arg of op.flags.includes('HAS_ARG') ? [0, 1, 2, 3, 5, 0x102] : [null]) {
        const i = { opname: op.name, arg, argval: "'x'", argrepr: 'x', offset: 0, caches: 0, jump_target: null };
        const stated = statedEffect(explain(i, null, t.version).stack);
        if (stated === null) continue;
        checked++;
        if (stated !== rule.fall(arg)) wrong.push(`${t.label} ${op.name} arg ${arg}: text ${stated}, dis ${rule.fall(arg)}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(checked > 3000, `only ${checked} checked`);
});

/** Every code object of a document, nested ones included. */
function* codes(code) {
  yield code;
  for (const c of code.co_consts ?? []) if (c.type === 'code') yield* codes(c);
}

test('every instruction of every fixture is explained, every jump lands and every stated stack effect is dis\'s', (t) => {
  if (!CLI) {
    t.skip('no pyclens binary in target/ (cargo build --release)');
    return;
  }
  const fixtures = join(root, 'tests/fixtures');
  const problems = [];
  const seen = new Map();
  const effects = stackEffects();
  let instructions = 0;
  let jumps = 0;
  let effectsChecked = 0;
  for (const dir of readdirSync(fixtures)) {
    const snippets = join(fixtures, dir, 'snippets');
    if (!existsSync(snippets)) continue;
    for (const file of readdirSync(snippets).filter((f) => f.endsWith('.pyc'))) {
      const doc = cliDocument(CLI, join(snippets, file));
      const v = parseVersion(doc.header);
      for (const code of codes(doc.code)) {
        for (const i of code.instructions ?? []) {
          instructions++;
          seen.set(`${dir} ${i.opname}`, true);
          const e = explain(i, code, doc.header);
          if (!e?.summary || !e.argument || !e.stack) {
            problems.push(`${dir}/${file} ${i.offset} ${i.opname}: ${JSON.stringify(e)}`);
            continue;
          }
          if (i.arg !== null && !e.argument.includes(String(i.arg)) && !e.argument.includes(String(i.jump_target))) {
            problems.push(`${dir}/${file} ${i.offset} ${i.opname}: the argument text does not show its value ${i.arg}: ${e.argument}`);
          }
          const rule = effects.get(dir)?.get(i.opname);
          const stated = statedEffect(e.stack);
          if (rule && stated !== null) {
            effectsChecked++;
            if (stated !== rule.fall(i.arg)) problems.push(`${dir}/${file} ${i.offset} ${i.opname} arg ${i.arg}: the text says ${stated}, dis.stack_effect ${rule.fall(i.arg)}: ${e.stack}`);
          }
          if (i.jump_target !== null) {
            jumps++;
            const rule = jumpRule(i.opname, v);
            if (!rule) problems.push(`${dir}/${file} ${i.offset} ${i.opname}: jumps to ${i.jump_target} but has no rule`);
            else if (jumpTarget(i, v) !== i.jump_target) problems.push(`${dir}/${file} ${i.offset} ${i.opname} arg ${i.arg}: the rule gives ${jumpTarget(i, v)}, pyclens ${i.jump_target}`);
            else if (!e.argument.includes(`offset ${i.jump_target}`)) problems.push(`${dir}/${file} ${i.offset} ${i.opname}: the text does not name offset ${i.jump_target}`);
          }
        }
      }
    }
  }
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
  assert.ok(instructions > 100000, `only ${instructions} instructions`);
  assert.ok(jumps > 1000, `only ${jumps} jumps`);
  assert.ok(effectsChecked > 100000, `only ${effectsChecked} stack effects checked`);
  t.diagnostic(`${instructions} instructions (${seen.size} version/opname pairs), ${jumps} jumps, ${effectsChecked} stated stack effects checked`);
});

test('the text follows the version: calls, superinstructions, BINARY_OP and COMPARE_OP', () => {
  const ins = (opname, arg, extra = {}) => ({ opname, arg, argval: String(arg), argrepr: '', offset: 0, caches: 0, jump_target: null, ...extra });
  const call310 = explain(ins('CALL_FUNCTION', 2), null, '3.10');
  const call312 = explain(ins('CALL', 2), null, { python: '3.12', implementation: 'CPython' });
  const call313 = explain(ins('CALL', 2), null, '3.13');
  assert.match(call310.stack, /Pops two argument values and the callable, pushes the result: two values fewer/);
  assert.match(call312.summary, /NULL and the callable, or a method and its self/);
  assert.match(call313.summary, /the callable and then self or NULL/);
  assert.match(explain(ins('CALL_FUNCTION', 0x0102), null, '3.5').argument, /2 positional arguments .* 1 keyword argument/);
  const lflf = explain(ins('LOAD_FAST_LOAD_FAST', 0x12, { argrepr: 'a, b' }), null, '3.13');
  assert.match(lflf.argument, /1 \(high 4 bits\) and 2 \(low 4 bits\)/);
  assert.match(lflf.stack, /two values more/);
  assert.match(explain(ins('LOAD_ATTR', 3, { argval: "'append'" }), null, '3.12').argument, /3 >> 1 = 1.*method form/);
  assert.match(explain(ins('COMPARE_OP', 40, { argrepr: '<' }), null, '3.12').argument, /arg >> 4 = 2/);
  assert.match(explain(ins('COMPARE_OP', 58, { argrepr: 'bool(<)' }), null, '3.13').argument, /arg >> 5 = 1; bit 4 \(1\)/);
  const range = explain(ins('FOR_ITER_RANGE', 4, { offset: 10, caches: 1 }), null, '3.14');
  assert.equal(range.base, 'FOR_ITER');
  assert.match(range.argument, /4 forward from the end of its 1 inline cache unit \(offset 14\), so the target is offset 22/);
  assert.equal(range.stack, explain(ins('FOR_ITER', 4, { offset: 10, caches: 1 }), null, '3.14').stack);
  assert.equal(lookup('LOAD_FAST_LOAD_FAST', '3.12'), null);
  assert.equal(lookup('PRECALL', '3.12'), null);
  assert.equal(lookup('PRECALL', '3.11')?.entry.last, '3.11');
});

test('every instruction of the older-era corpus (1.0–3.5, PyPy) is explained and every jump lands where the text says', (t) => {
  if (!CLI || !existsSync(CORPUS)) {
    t.skip('needs a pyclens binary in target/ (cargo build --release) and target/corpus (node scripts/fetch-corpus.mjs)');
    return;
  }
  const truth = JSON.parse(gunzipSync(readFileSync(join(root, 'tests/fixtures/corpus/xdis.json.gz'))));
  const problems = [];
  const eras = new Set();
  let instructions = 0;
  let jumps = 0;
  for (const row of truth.files.filter((f) => !f.error)) {
    const doc = cliDocument(CLI, join(CORPUS, row.path));
    const v = parseVersion(doc.header);
    eras.add(`${v.implementation} ${v.major}.${v.minor}`);
    for (const code of codes(doc.code)) {
      for (const i of code.instructions ?? []) {
        instructions++;
        const e = explain(i, code, doc.header);
        if (!e?.summary || !e.argument || !e.stack) problems.push(`${row.path} ${i.offset} ${i.opname}: no explanation`);
        if (i.jump_target === null) continue;
        jumps++;
        if (jumpTarget(i, v) !== i.jump_target) problems.push(`${row.path} ${i.offset} ${i.opname} arg ${i.arg}: the rule gives ${jumpTarget(i, v)}, pyclens ${i.jump_target}`);
      }
    }
  }
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
  assert.ok(eras.size >= 25, `only ${eras.size} versions`);
  assert.ok(jumps > 5000, `only ${jumps} jumps`);
  t.diagnostic(`${instructions} instructions in ${eras.size} versions, ${jumps} jumps checked`);
});

// The opcode names of every version pyclens disassembles, read from the generated tables
// in crate/src/bytecode/opcodes/ (tools/gen_opcodes.py, tools/gen_opcodes_xdis.py): the base
// opcodes a pyc can hold (the OPS rows) and the other names dis knows (specialised,
// instrumented: `other_names`, with the base each de-specialises to), so that the tests of
// the explanations check against the same tables the decoder uses.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.mjs';

const DIR = join(root, 'crate/src/bytecode/opcodes');

/**
 * [{ version: { major, minor, implementation }, label, base: [{ number, name, flags }],
 *    other: [{ number, name, base }] }] for every table file; `flags` are the names of the
 * flag constants on the row (HAS_ARG, JREL, JABS, ...), `base` the base opcode's name or the
 * name itself when dis has none for it.
 */
export function opcodeTables() {
  const tables = [];
  for (const file of readdirSync(DIR).sort()) {
    const m = /^(v|pypy)(\d+)_(\d+)\.rs$/.exec(file);
    if (!m) continue;
    const text = readFileSync(join(DIR, file), 'utf8');
    const ops = text.slice(text.indexOf('const OPS'), text.indexOf('\n];', text.indexOf('const OPS')));
    const base = [...ops.matchAll(/\((\d+), "([^"]*)", ([^,]+), \d+\)/g)]
      .filter((r) => r[2] !== '')
      .map((r) => ({ number: Number(r[1]), name: r[2], flags: r[3].split('|').map((f) => f.trim()) }));
    const byNumber = new Map(base.map((b) => [b.number, b.name]));
    const start = text.indexOf('other_names: &[');
    const other = start < 0 ? [] : [...text.slice(start, text.indexOf('],', start)).matchAll(/\((\d+), "([^"]+)", (\d+)\)/g)]
      .map((r) => ({ number: Number(r[1]), name: r[2], base: byNumber.get(Number(r[3])) ?? r[2] }));
    const version = { major: Number(m[2]), minor: Number(m[3]), implementation: m[1] === 'v' ? 'CPython' : 'PyPy' };
    tables.push({ version, label: `${version.implementation} ${m[2]}.${m[3]}`, base, other });
  }
  return tables;
}

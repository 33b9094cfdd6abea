// explain(instruction, code, version): what one instruction of a pyclens code document does,
// in plain words, for the Python version that wrote it — its summary, what its argument
// means (with the argument's own value) and what it does to the value stack.
import { parseVersion, within } from './version.js';
import { shown } from './words.js';
import { FAMILIES } from './families/index.js';

const exact = new Map();
const patterns = [];
for (const entry of FAMILIES) {
  if (entry.pattern || entry.match) patterns.push(entry);
  for (const n of entry.names ?? []) {
    if (!exact.has(n)) exact.set(n, []);
    exact.get(n).push(entry);
  }
}

/**
 * True when `entry` speaks for version `v`: its implementation, and its minor range (which
 * `pypy: 'all'` lifts for PyPy, whose 3.11 keeps 3.10's instructions). GraalPy's own
 * instruction set has no entries yet.
 */
function covers(entry, v) {
  if (entry.impl && entry.impl !== v.implementation) return false;
  // GraalPy's opcodes share some CPython names, not their meaning: none is explained.
  if (v.implementation === 'GraalPy' && entry.impl !== 'GraalPy') return false;
  if (entry.pypy === 'all' && v.implementation === 'PyPy') return true;
  return within(v, entry.first, entry.last);
}

/**
 * The explanation entry for `opname` in `version` (exact names before patterns), or null
 * when none is written for it. Exposed so that tests can check every opcode of every
 * version has one, and which range and base it comes with.
 */
export function lookup(opname, version) {
  const v = parseVersion(version);
  const entry = (exact.get(opname) ?? []).find((e) => covers(e, v))
    ?? patterns.find((e) => (e.pattern ? e.pattern.test(opname) : e.match(opname)) && covers(e, v));
  if (!entry) return null;
  const base = typeof entry.specialises === 'function' ? entry.specialises(opname, v) : entry.specialises;
  return { entry, base: base ?? null, baseEntry: base ? lookup(base, v)?.entry ?? null : null };
}

/** A field that may be text or a function of the instruction and its context. */
function render(field, i, ctx) {
  return typeof field === 'function' ? field(i, ctx) : field;
}

/**
 * { name, summary, argument, stack, base } in plain words for one instruction (a row of
 * `instructions` in docs/document.md) of `code` (its code node, may be null) written by
 * `version` (the header object, or "3.12"). `base` names the instruction a specialised or
 * instrumented one stands in for. Null when no explanation covers the opcode.
 */
export function explain(instruction, code, version) {
  const v = parseVersion(version);
  const found = lookup(instruction.opname, v);
  if (!found) return null;
  const { entry, base, baseEntry } = found;
  const ctx = { v, code, name: instruction.opname, base };
  let summary = render(entry.summary, instruction, ctx);
  if (baseEntry) summary += ` What ${base} does: ${render(baseEntry.summary, instruction, { ...ctx, name: base })}`;
  // A specialised form's argument and stack are its base's: render them as the base's.
  const asBase = baseEntry ? { ...instruction, opname: base } : instruction;
  const baseCtx = baseEntry ? { ...ctx, name: base } : ctx;
  const argument = instruction.arg === null || instruction.arg === undefined
    ? 'It takes no argument.'
    : (entry.argument ? render(entry.argument, instruction, ctx) : null)
      ?? (baseEntry?.argument ? render(baseEntry.argument, asBase, baseCtx) : null)
      ?? `Argument ${shown(instruction)}`;
  const stack = entry.stack ? render(entry.stack, instruction, ctx) : render(baseEntry?.stack, asBase, baseCtx);
  return { name: instruction.opname, summary, argument, stack, base };
}

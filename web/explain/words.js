// Phrases the explanations share for an instruction's argument: which table it indexes and
// what it found there, always with the instruction's own values.
import { since } from './version.js';

/** "3 (the constant 'text')": an index into co_consts and what it holds. */
export function constant(i) {
  return `Index ${i.arg} into co_consts: the constant ${i.argval}.`;
}

/** An index into co_names, possibly shifted left to make room for flag bits. */
export function name(i, what, shift = 0) {
  const index = shift ? i.arg >> shift : i.arg;
  const shown = i.argval.replace(/^'(.*)'$/s, '$1');
  const packed = shift ? `${i.arg} >> ${shift} = ${index}, ` : '';
  return `${packed}index ${index} into co_names: the ${what} ${shown}.`.replace(/^./, (c) => c.toUpperCase());
}

/** A local variable's slot (3.11+: the slot among locals, cells and free variables). */
export function local(i, v) {
  const where = since(v, '3.11') ? 'the fast locals (locals, cells and free variables share them)' : 'the local variables (co_varnames)';
  return `Slot ${i.arg} of ${where}: ${i.argrepr || i.argval}.`;
}

/** A cell or free variable: its slot, counted as the version counts it. */
export function cell(i, v) {
  const where = since(v, '3.11')
    ? 'the fast locals, where cells and free variables live'
    : 'co_cellvars followed by co_freevars';
  return `Slot ${i.arg} of ${where}: the variable ${i.argrepr || i.argval}.`;
}

/** "2 items": a count. */
export function count(i, what) {
  return `${i.arg} ${what}.`;
}

/** The argument and what dis shows for it, for arguments with no better description. */
export function shown(i) {
  return `${i.arg}${i.argrepr ? ` (dis shows ${i.argrepr})` : ''}.`;
}

/** The two 4-bit local indexes packed into one argument (3.13+ superinstructions). */
export function pair(i) {
  return `${i.arg} packs two slots: ${i.arg >> 4} (high 4 bits) and ${i.arg & 15} (low 4 bits): ${i.argrepr}.`;
}

const SMALL = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven'];

/** A count and its noun, small counts in words: "one value", "two items", "12 values". */
export function howMany(n, noun) {
  return `${SMALL[n] ?? n} ${noun}${n === 1 ? '' : 's'}`;
}

/** A net stack change in words: "one value more", "the depth is unchanged", "3 values fewer". */
export function change(n) {
  if (n === 0) return 'the depth is unchanged';
  return `${howMany(Math.abs(n), 'value')} ${n > 0 ? 'more' : 'fewer'}`;
}

/** "1st", "2nd", "3rd", "4th": a position counted from the top of the stack. */
export function ordinal(n) {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

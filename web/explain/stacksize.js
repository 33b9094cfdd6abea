// Why a code object's co_stacksize can differ from the deepest stack its instructions reach,
// for the compilers whose count is known to differ (each case is proven from that compiler's
// source and recognised in every corpus file by tests/rust/stack.rs). Anything else that
// differs is a crafted or damaged file: the strip warns instead.
import { parseVersion, versionLabel, within } from './version.js';

/**
 * The known cases: the CPython versions, whether the recorded value is deeper than the
 * walk (`deeper`) or the walk one deeper than it, and why, in the page's words.
 */
const KNOWN = [
  {
    first: '1.5', last: '2.4', deeper: true,
    why: 'its compiler counted co_stacksize while emitting code and counted slots it never popped'
      + ' (the class a class statement builds, up to 2.1; the cells a closure takes, from 2.1;'
      + ' the stream of print >>f, from 2.0), so the recorded value can be deeper than any path',
  },
  {
    first: '2.5', last: '3.6', deeper: true,
    why: 'its compiler counted co_stacksize before the peephole optimizer folded constant'
      + ' expressions (2 * 3 becomes one constant, so the second operand is never loaded)'
      + ' and, in 3.6, removed unreachable code after a return',
  },
  {
    first: '3.1', last: '3.3', deeper: false,
    why: 'two ifs of one comprehension on one line leave the same bytes as one if with and,'
      + ' which pyclens reads and counts one deeper than the compiler counted the two ifs',
  },
];

/**
 * The sentence that explains `max` (the walk's deepest) against `stacksize` (co_stacksize)
 * for the file's `header` ({ python, implementation }), or null when they agree or no known
 * compiler count explains the difference.
 */
export function stacksizeReason(header, max, stacksize) {
  if (!header || max === null || stacksize === null || max === stacksize) return null;
  const v = parseVersion(header);
  if (v.implementation !== 'CPython') return null;
  const known = KNOWN.find((k) => within(v, k.first, k.last) && k.deeper === stacksize > max);
  return known ? `In Python ${versionLabel(v)}, ${known.why}.` : null;
}

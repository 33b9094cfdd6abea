// How a jump's argument becomes its target, by version: absolute or relative, counted in
// bytes or in 2-byte code units, forward or backward, from which point. The prose of every
// jump's explanation is built from this rule, and the tests check that the rule gives the
// `jump_target` pyclens decoded for every jump in the fixtures.
import { compareTo } from './version.js';

/** Opcodes whose argument is an absolute position (never after 3.10; PyPy keeps them). */
const ABSOLUTE = new Set([
  'JUMP_ABSOLUTE', 'POP_JUMP_IF_FALSE', 'POP_JUMP_IF_TRUE', 'JUMP_IF_FALSE_OR_POP',
  'JUMP_IF_TRUE_OR_POP', 'CONTINUE_LOOP', 'JUMP_IF_NOT_EXC_MATCH',
]);

/** Opcodes that jump relative to the next instruction in every version that has them. */
const RELATIVE = new Set([
  'JUMP_FORWARD', 'JUMP_IF_FALSE', 'JUMP_IF_TRUE', 'FOR_ITER', 'FOR_LOOP', 'SETUP_LOOP',
  'SETUP_EXCEPT', 'SETUP_FINALLY', 'SETUP_WITH', 'SETUP_ASYNC_WITH', 'CALL_FINALLY', 'SEND',
  'JUMP_IF_NOT_DEBUG', 'POP_JUMP_IF_NONE', 'POP_JUMP_IF_NOT_NONE',
  'POP_JUMP_FORWARD_IF_FALSE', 'POP_JUMP_FORWARD_IF_TRUE', 'POP_JUMP_FORWARD_IF_NONE',
  'POP_JUMP_FORWARD_IF_NOT_NONE',
]);

/** Relative jumps whose argument is subtracted (3.11+). */
const BACKWARD = new Set([
  'JUMP_BACKWARD', 'JUMP_BACKWARD_NO_INTERRUPT', 'POP_JUMP_BACKWARD_IF_FALSE',
  'POP_JUMP_BACKWARD_IF_TRUE', 'POP_JUMP_BACKWARD_IF_NONE', 'POP_JUMP_BACKWARD_IF_NOT_NONE',
]);

/**
 * The rule by which `opname`'s argument names its target in version `v`, or null when the
 * opcode does not jump there: { absolute, backward, unit } with `unit` 1 (bytes) or 2
 * (code units, 3.10+). 3.11 made every jump relative; END_ASYNC_FOR jumps back from 3.14.
 */
export function jumpRule(opname, v) {
  const unit = compareTo(v, '3.10') >= 0 ? 2 : 1;
  const modern = v.implementation === 'CPython' && compareTo(v, '3.11') >= 0;
  if (ABSOLUTE.has(opname)) return { absolute: !modern, backward: false, unit };
  if (BACKWARD.has(opname) || (opname === 'END_ASYNC_FOR' && modern && compareTo(v, '3.14') >= 0)) {
    return { absolute: false, backward: true, unit };
  }
  if (RELATIVE.has(opname)) return { absolute: false, backward: false, unit };
  return null;
}

/**
 * Where a relative jump counts from: the offset just after the instruction, its inline
 * caches included (3.11+); before 3.6 an instruction with an argument is 3 bytes long.
 */
export function nextOffset(instruction, v) {
  if (compareTo(v, '3.6') < 0) return instruction.offset + (instruction.arg === null ? 1 : 3);
  return instruction.offset + 2 + 2 * (instruction.caches ?? 0);
}

/** The byte offset the rule sends `instruction` to (null without a rule or argument). */
export function jumpTarget(instruction, v) {
  const rule = jumpRule(instruction.opname, v);
  if (!rule || instruction.arg === null) return null;
  const distance = instruction.arg * rule.unit;
  if (rule.absolute) return distance;
  return nextOffset(instruction, v) + (rule.backward ? -distance : distance);
}

/** The argument of a jump in words: how it is counted and where it lands. */
export function jumpWords(instruction, v) {
  const rule = jumpRule(instruction.opname, v);
  if (!rule || instruction.arg === null) return null;
  const units = rule.unit === 2 ? 'code units (2 bytes each)' : 'bytes';
  const target = instruction.jump_target ?? jumpTarget(instruction, v);
  const label = /^(to|from) L\d+$/.test(instruction.argrepr) ? ` (${instruction.argrepr.replace(/^(to|from) /, '')})` : '';
  if (rule.absolute) {
    return `An absolute position in ${units}: ${instruction.arg}${rule.unit === 2 ? ` × 2` : ''} = byte offset ${target}.`;
  }
  const from = nextOffset(instruction, v);
  const after = instruction.caches ? `its ${instruction.caches} inline cache unit${instruction.caches === 1 ? '' : 's'}` : 'this instruction';
  return `A relative distance in ${units}: ${instruction.arg} ${rule.backward ? 'back' : 'forward'} from the end of ${after} (offset ${from}), so the target is offset ${target}${label}.`;
}

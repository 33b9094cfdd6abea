// Jumps, loops and iteration, and the block stack that before 3.11 handled loops, try and with.
import { jumpWords } from '../jumps.js';
import { since } from '../version.js';

const jump = (i, c) => jumpWords(i, c.v);
const boolOnly = (c) => (c.v.implementation === 'CPython' && since(c.v, '3.13')
  ? ' From 3.13 the value must already be a bool (TO_BOOL comes first).' : '');

/** What FOR_ITER does when its iterator is exhausted, by era. */
function forIterEnd(c) {
  if (c.v.implementation !== 'CPython' || !since(c.v, '3.12')) return 'it pops the iterator and jumps to the target';
  if (!since(c.v, '3.14')) return 'it pops the iterator and jumps to the target, skipping the END_FOR there';
  return 'it jumps to the target, skipping the END_FOR there; the iterator stays until POP_ITER removes it';
}

export default [
  {
    names: ['JUMP_FORWARD'],
    summary: 'Jumps forward unconditionally (out of an if branch, past an else, ...).',
    argument: jump,
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['JUMP_ABSOLUTE'],
    summary: 'Jumps unconditionally to an absolute position; loops used it to go back to their top before 3.11 introduced JUMP_BACKWARD.',
    argument: jump,
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['JUMP_BACKWARD'], first: '3.11',
    summary: 'Jumps backward unconditionally, to the top of a loop; it also checks for interrupts (signals, thread switches) and is where hot loops get compiled or specialised.',
    argument: jump,
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['JUMP_BACKWARD_NO_INTERRUPT'], first: '3.11',
    summary: 'Jumps backward without checking for interrupts; used by the send loops of yield from and await, which must not be interrupted half-way.',
    argument: jump,
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['JUMP_IF_FALSE', 'JUMP_IF_TRUE'],
    summary: (i, c) => `Jumps if the value on top of the stack is ${c.name.endsWith('FALSE') ? 'false' : 'true'}, leaving the value there either way (the compiler follows both paths with POP_TOP). Python 2.7 and 3.1 replaced it by POP_JUMP_IF_* and JUMP_IF_*_OR_POP.`,
    argument: jump,
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['POP_JUMP_IF_FALSE', 'POP_JUMP_IF_TRUE'],
    summary: (i, c) => `Pops the value on top of the stack and jumps if it is ${c.name.endsWith('FALSE') ? 'false' : 'true'}.${boolOnly(c)}`,
    argument: jump,
    stack: 'Pops the condition: one value fewer, on both paths.',
  },
  {
    names: ['POP_JUMP_IF_NONE', 'POP_JUMP_IF_NOT_NONE'],
    summary: (i, c) => `Pops the value on top of the stack and jumps if it is ${c.name.endsWith('NOT_NONE') ? 'not None' : 'None'} (x is None tests compile to it).`,
    argument: jump,
    stack: 'Pops the value: one value fewer, on both paths.',
  },
  {
    pattern: /^POP_JUMP_(FORWARD|BACKWARD)_IF_(FALSE|TRUE|NONE|NOT_NONE)$/, first: '3.11', last: '3.11',
    summary: (i, c) => {
      const [, way, cond] = /^POP_JUMP_(FORWARD|BACKWARD)_IF_(.*)$/.exec(c.name);
      return `Pops the value on top of the stack and jumps ${way.toLowerCase()} if it is ${cond.toLowerCase().replace('_', ' ').replace('not none', 'not None').replace('none', 'None')}. 3.11 had forward and backward variants because all its jumps are relative; 3.12 kept only the forward ones.`;
    },
    argument: jump,
    stack: 'Pops the value: one value fewer, on both paths.',
  },
  {
    names: ['JUMP_IF_FALSE_OR_POP', 'JUMP_IF_TRUE_OR_POP'],
    summary: (i, c) => `The short-circuit of ${c.name.includes('FALSE') ? 'and' : 'or'}: if the value on top of the stack is ${c.name.includes('FALSE') ? 'false' : 'true'} it jumps and keeps it as the result; otherwise it pops it and goes on to evaluate the right operand.`,
    argument: jump,
    stack: 'Jump taken: the depth is unchanged. Not taken: pops the value, one value fewer.',
  },
  {
    names: ['NOT_TAKEN'], first: '3.14',
    summary: 'Does nothing when run; it marks the fall-through side of a conditional branch so that sys.monitoring can report which way a branch went.',
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['GET_ITER'],
    summary: (i, c) => `Replaces the iterable on top of the stack by iter(iterable), to start a for loop or a comprehension.${c.v.implementation === 'CPython' && since(c.v, '3.15') ? ' In 3.15 an iterator takes two stack slots (the iterator, and an index or NULL), and GET_ITER also does the work of the former GET_YIELD_FROM_ITER.' : ''}`,
    argument: (i) => `${i.arg}: ${i.arg === 0 ? 'a plain iteration (for loop, comprehension)' : 'the iterator of a yield from or await, which GET_YIELD_FROM_ITER prepared before 3.15'}.`,
    stack: (i, c) => (c.v.implementation === 'CPython' && since(c.v, '3.15')
      ? 'Pops the iterable and pushes the two slots of its iterator: one value more.'
      : 'Pops the iterable and pushes its iterator: the depth is unchanged.'),
  },
  {
    names: ['GET_YIELD_FROM_ITER'],
    summary: 'Prepares the operand of yield from: turns it into an iterator with iter(), but leaves a generator or (in a coroutine) a coroutine as it is.',
    stack: 'Pops the value and pushes the iterator: the depth is unchanged.',
  },
  {
    names: ['FOR_ITER'],
    summary: (i, c) => `One step of a for loop: asks the iterator on top of the stack for its next value and pushes it; when the iterator is exhausted ${forIterEnd(c)}.`,
    argument: jump,
    stack: (i, c) => `Another value: pushes it, one value more (the iterator stays). Exhausted: ${forIterEnd(c).replace(/^it /, '')}.`,
  },
  {
    names: ['FOR_LOOP'], last: '2.2',
    summary: 'The for loop before iterators (Python ≤2.2): with a sequence and an index on the stack, pushes sequence[index] and counts the index up; when indexing raises IndexError it pops both and jumps out of the loop.',
    argument: jump,
    stack: 'Another item: pushes it, one value more. End of the sequence: pops the sequence and the index, two values fewer.',
  },
  {
    names: ['END_FOR'], first: '3.12',
    summary: (i, c) => (!since(c.v, '3.13')
      ? 'Ends a for loop or comprehension: cleans up what the loop left on the stack (it acts as two POP_TOPs).'
      : 'Marks the end of a for loop; when run it removes one value, like POP_TOP (the exhausted FOR_ITER normally jumps past it).'),
    stack: (i, c) => (!since(c.v, '3.13') ? 'Pops two values.' : 'Pops one value.'),
  },
  {
    names: ['POP_ITER'], first: '3.14',
    summary: 'After a for loop ends, removes the exhausted iterator from the stack.',
    stack: (i, c) => (since(c.v, '3.15') ? 'Pops the iterator\'s two slots: two values fewer.' : 'Pops the iterator: one value fewer.'),
  },
  {
    names: ['SETUP_LOOP'],
    summary: 'Pushes a loop block onto the frame\'s block stack (not the value stack), so that break knows where the loop ends.',
    argument: jump,
    stack: 'Leaves the value stack as it is (the block records its depth).',
  },
  {
    names: ['BREAK_LOOP'],
    summary: 'break: unwinds the block stack to the innermost loop block and continues after the loop.',
    stack: 'Drops whatever the loop body left above the loop\'s depth.',
  },
  {
    names: ['CONTINUE_LOOP'],
    summary: 'continue from inside a try or with block: unwinds the blocks in between (running finally code) and jumps to the top of the loop.',
    argument: jump,
    stack: 'Leaves the stack as it is at the loop\'s top.',
  },
  {
    names: ['POP_BLOCK'],
    summary: 'Removes the innermost block (a loop, try or with block) from the frame\'s block stack when its body ends normally.',
    stack: 'Leaves the value stack as it is.',
  },
];

// Moving values around on the stack, and instructions that are about the bytecode itself
// rather than the program: prefixes, padding, line numbers, printing in the old REPL.
import { since } from '../version.js';
import { jumpWords } from '../jumps.js';
import { change } from '../words.js';

export default [
  { names: ['POP_TOP'], summary: 'Discards the value on top of the stack (the result of an expression statement, for instance).', stack: 'Pops one value.' },
  { names: ['ROT_TWO'], summary: 'Swaps the two values on top of the stack.', stack: 'Moves values; the depth is unchanged.' },
  { names: ['ROT_THREE'], summary: 'Lifts the second and third values up one place and moves the top value down to third.', stack: 'Moves values; the depth is unchanged.' },
  { names: ['ROT_FOUR'], summary: 'Lifts the second, third and fourth values up one place and moves the top value down to fourth.', stack: 'Moves values; the depth is unchanged.' },
  {
    names: ['ROT_N'],
    summary: 'Moves the top value down to position n, lifting the values above that position up by one (3.10; 3.11 replaced the ROT_ family by SWAP).',
    argument: (i) => `${i.arg}: how deep the top value goes.`,
    stack: 'Moves values; the depth is unchanged.',
  },
  { names: ['DUP_TOP'], summary: 'Duplicates the value on top of the stack (chained comparisons and augmented assignments need it twice).', stack: 'Pushes a second reference to the top value: one value more.' },
  { names: ['DUP_TOP_TWO'], summary: 'Duplicates the two values on top of the stack, keeping their order.', stack: 'Pushes copies of the top two values: two values more.' },
  {
    names: ['DUP_TOPX'],
    summary: 'Duplicates the top n values of the stack, keeping their order (2.0–3.1).',
    argument: (i) => `${i.arg}: how many values (1 to 5).`,
    stack: (i) => `Pushes copies of the top ${i.arg}: ${change(i.arg)}.`,
  },
  {
    names: ['COPY'], first: '3.11',
    summary: 'Pushes another reference to a value already on the stack, counted from the top (COPY 1 duplicates the top).',
    argument: (i) => `${i.arg}: the value ${i.arg === 1 ? 'on top' : `${i.arg} places down, counting the top as 1`}.`,
    stack: 'Pushes the copy: one value more.',
  },
  {
    names: ['SWAP'], first: '3.11',
    summary: 'Swaps the value on top of the stack with the one n places down (SWAP 2 swaps the top two).',
    argument: (i) => `${i.arg}: swap the top with the value ${i.arg} places down, counting the top as 1.`,
    stack: 'Moves values; the depth is unchanged.',
  },
  { names: ['NOP'], summary: 'Does nothing. The compiler leaves it where an instruction was removed but a line number must still be reached (for tracing), or as a jump target.', stack: 'Leaves the stack as it is.' },
  {
    names: ['CACHE'], first: '3.11',
    summary: 'Not an instruction: one code unit of inline cache after the instruction before it, where the specialising interpreter keeps counters and cached lookups. It is never executed; dis hides it unless asked with show_caches.',
    stack: 'Never runs.',
  },
  {
    names: ['EXTENDED_ARG'],
    summary: (i, c) => `A prefix: widens the argument of the next instruction, which alone cannot hold more than ${since(c.v, '3.6') ? 'one byte (8 bits)' : 'two bytes (16 bits)'}.`,
    argument: (i, c) => `${i.arg}: shifted left by ${since(c.v, '3.6') ? 8 : 16} bits and combined with the next instruction's own argument (pyclens shows that instruction with the full value).`,
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['STOP_CODE'],
    summary: 'Marks the end of the code in the oldest interpreters; the compiler never emits it in normal code and executing it is an error.',
    stack: 'Never runs in compiled code.',
  },
  {
    names: ['SET_LINENO'],
    summary: 'Python ≤2.2: records that the following instructions belong to a new source line, for tracebacks and the debugger (2.3 replaced it by co_lnotab).',
    argument: (i) => `The line number: ${i.arg}.`,
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['RESERVED'], first: '3.12',
    summary: 'A placeholder number that keeps the opcode numbering stable; the compiler never emits it.',
    stack: 'Never runs.',
  },
  {
    names: ['PRINT_EXPR'],
    summary: (i, c) => `In the interactive interpreter only: prints the value of an expression statement${since(c.v, '2.1') ? ' through sys.displayhook' : ''}.`,
    stack: 'Pops the value: one value fewer.',
  },
  { names: ['PRINT_ITEM'], summary: 'The print statement (Python 1 and 2): writes the value on top of the stack to sys.stdout, with a space before it when needed.', stack: 'Pops the value: one value fewer.' },
  { names: ['PRINT_ITEM_TO'], summary: 'Python 2 print >>file statement: writes the value (beneath) to the file on top of the stack.', stack: 'Pops the file and the value: two values fewer.' },
  { names: ['PRINT_NEWLINE'], summary: 'The print statement (Python 1 and 2): ends the line on sys.stdout.', stack: 'Leaves the stack as it is.' },
  { names: ['PRINT_NEWLINE_TO'], summary: 'Python 2 print >>file statement: ends the line on the file on top of the stack.', stack: 'Pops the file: one value fewer.' },
  {
    names: ['JUMP_IF_NOT_DEBUG'], impl: 'PyPy',
    summary: 'PyPy: jumps over an assert statement when the interpreter runs without debugging (-O), so that one pyc serves both modes.',
    argument: (i, c) => jumpWords(i, c.v),
    stack: 'Leaves the stack as it is.',
  },
  {
    pattern: /^<\d+>$/,
    summary: 'A number this version assigns to no instruction: a pyc written by this Python never contains it (dis prints it as <number>).',
    stack: 'Unknown: the interpreter would stop with an error here.',
  },
];

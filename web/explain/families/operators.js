// Unary, binary, in-place, comparison, subscript and slice operators, truth tests and
// string formatting.
import { since } from '../version.js';
import { change } from '../words.js';

/** The operator each pre-3.11 BINARY_X / INPLACE_X performs, in Python's own spelling. */
const OPERATORS = {
  ADD: '+', SUBTRACT: '-', MULTIPLY: '*', DIVIDE: '/ (classic division: ints floor; from 2.2, "from __future__ import division" makes / compile to BINARY_TRUE_DIVIDE instead)',
  TRUE_DIVIDE: '/', FLOOR_DIVIDE: '//', MODULO: '%', POWER: '**', LSHIFT: '<<', RSHIFT: '>>',
  AND: '&', OR: '|', XOR: '^', MATRIX_MULTIPLY: '@',
};
const opOf = (name) => OPERATORS[name.replace(/^(BINARY|INPLACE)_/, '')];

/** COMPARE_OP's argument layout by era. */
function compareArgument(i, c) {
  if (since(c.v, '3.13') && c.v.implementation === 'CPython') {
    return `${i.arg}: the operator index is arg >> 5 = ${i.arg >> 5}; bit 4 (${(i.arg >> 4) & 1}) asks for the result to be converted to bool (dis then shows bool(...)); the low 4 bits are a mask the specialiser uses. dis shows ${i.argrepr}.`;
  }
  if (since(c.v, '3.12') && c.v.implementation === 'CPython') {
    return `${i.arg}: the operator index is arg >> 4 = ${i.arg >> 4}; the low 4 bits are a mask the specialiser uses. dis shows ${i.argrepr}.`;
  }
  if (since(c.v, '3.9')) return `${i.arg} indexes the six rich comparisons (<, <=, ==, !=, >, >=): ${i.argrepr}.`;
  return `${i.arg} indexes dis.cmp_op, which before 3.9 also held in, not in, is, is not and "exception match": ${i.argrepr}.`;
}

export default [
  { names: ['UNARY_POSITIVE'], summary: 'Applies unary plus (+x) to the top of the stack.', stack: 'Pops the operand and pushes the result: the depth is unchanged.' },
  { names: ['UNARY_NEGATIVE'], summary: 'Negates the top of the stack (-x).', stack: 'Pops the operand and pushes the result: the depth is unchanged.' },
  {
    names: ['UNARY_NOT'],
    summary: (i, c) => `Logical not of the top of the stack (not x).${c.v.implementation === 'CPython' && since(c.v, '3.13') ? ' From 3.13 the operand is already a bool (TO_BOOL runs first).' : ''}`,
    stack: 'Pops the operand and pushes the result: the depth is unchanged.',
  },
  { names: ['UNARY_INVERT'], summary: 'Bitwise inversion of the top of the stack (~x).', stack: 'Pops the operand and pushes the result: the depth is unchanged.' },
  { names: ['UNARY_CONVERT'], summary: 'Backquotes (`x`, Python 1 and 2): replaces the top of the stack by its repr.', stack: 'Pops the operand and pushes the string: the depth is unchanged.' },
  {
    names: ['UNARY_CALL'], last: '1.4',
    summary: 'Python 1.x: calls the object on top of the stack with no arguments.',
    stack: 'Pops the callable and pushes the result: the depth is unchanged.',
  },
  {
    names: ['BINARY_CALL'], last: '1.4',
    summary: 'Python 1.x: calls an object with a tuple of arguments.',
    stack: 'Pops the argument tuple (top) and the callable beneath it, pushes the result: one value fewer.',
  },
  {
    pattern: /^BINARY_(ADD|SUBTRACT|MULTIPLY|DIVIDE|TRUE_DIVIDE|FLOOR_DIVIDE|MODULO|POWER|LSHIFT|RSHIFT|AND|OR|XOR|MATRIX_MULTIPLY)$/,
    summary: (i, c) => `Applies the binary operator ${opOf(c.name)} to the two values on top of the stack (left operand beneath, right operand on top).${c.v.major >= 3 ? ' Each operator has its own opcode until 3.10; 3.11 merged them into BINARY_OP.' : ''}`,
    stack: 'Pops the right and the left operand, pushes the result: one value fewer.',
  },
  {
    pattern: /^INPLACE_(ADD|SUBTRACT|MULTIPLY|DIVIDE|TRUE_DIVIDE|FLOOR_DIVIDE|MODULO|POWER|LSHIFT|RSHIFT|AND|OR|XOR|MATRIX_MULTIPLY)$/,
    summary: (i, c) => `The augmented assignment ${opOf(c.name).split(' ')[0]}= (x ${opOf(c.name).split(' ')[0]}= y): tries the in-place method (such as __iadd__) first and falls back to the plain operator; the store that follows binds the result.`,
    stack: 'Pops the right and the left operand, pushes the result: one value fewer.',
  },
  {
    names: ['BINARY_OP'], first: '3.11',
    summary: (i, c) => `Applies a binary operator to the two values on top of the stack; one opcode for all of them since 3.11, the argument says which (the in-place forms are the augmented assignments such as +=).${since(c.v, '3.14') ? ' From 3.14 subscription (container[key]) is one of its operators too.' : ''}`,
    argument: (i) => `${i.arg} selects the operator: ${i.argrepr}.`,
    stack: 'Pops the right and the left operand, pushes the result: one value fewer.',
  },
  {
    names: ['BINARY_SUBSCR'],
    summary: 'Subscription: container[key].',
    stack: 'Pops the key (top) and the container, pushes the item: one value fewer.',
  },
  {
    names: ['STORE_SUBSCR'],
    summary: 'Item assignment: container[key] = value.',
    stack: 'Pops the key (top), the container and the value beneath them: three values fewer.',
  },
  {
    names: ['DELETE_SUBSCR'],
    summary: 'Item deletion: del container[key].',
    stack: 'Pops the key (top) and the container: two values fewer.',
  },
  {
    names: ['BINARY_SLICE'], first: '3.12',
    summary: 'Slicing with two bounds, container[start:end], without building a slice object on the stack.',
    stack: 'Pops end (top), start and the container, pushes the slice: two values fewer.',
  },
  {
    names: ['STORE_SLICE'], first: '3.12',
    summary: 'Slice assignment with two bounds: container[start:end] = value.',
    stack: 'Pops end (top), start, the container and the value: four values fewer.',
  },
  {
    names: ['SLICE+0', 'SLICE+1', 'SLICE+2', 'SLICE+3'], last: '2.7',
    summary: (i, c) => `Python 1 and 2 simple slicing, ${['x[:]', 'x[start:]', 'x[:end]', 'x[start:end]'][+c.name.at(-1)]}: the number says which bounds are on the stack (+1 start, +2 end).`,
    stack: (i, c) => ['Pops the object and pushes the slice: the depth is unchanged.', 'Pops start (top) and the object, pushes the slice: one value fewer.', 'Pops end (top) and the object, pushes the slice: one value fewer.', 'Pops end (top), start and the object, pushes the slice: two values fewer.'][+c.name.at(-1)],
  },
  {
    names: ['STORE_SLICE+0', 'STORE_SLICE+1', 'STORE_SLICE+2', 'STORE_SLICE+3'], last: '2.7',
    summary: (i, c) => `Python 1 and 2 slice assignment, ${['x[:]', 'x[start:]', 'x[:end]', 'x[start:end]'][+c.name.at(-1)]} = value (+1 start, +2 end on the stack).`,
    stack: (i, c) => `Pops ${['the object', 'start and the object', 'end and the object', 'end, start and the object'][+c.name.at(-1)]}, then the value: ${change(-[2, 3, 3, 4][+c.name.at(-1)])}.`,
  },
  {
    names: ['DELETE_SLICE+0', 'DELETE_SLICE+1', 'DELETE_SLICE+2', 'DELETE_SLICE+3'], last: '2.7',
    summary: (i, c) => `Python 1 and 2 slice deletion, del ${['x[:]', 'x[start:]', 'x[:end]', 'x[start:end]'][+c.name.at(-1)]} (+1 start, +2 end on the stack).`,
    stack: (i, c) => `Pops ${['the object', 'start and the object', 'end and the object', 'end, start and the object'][+c.name.at(-1)]}: ${change(-[1, 2, 2, 3][+c.name.at(-1)])}.`,
  },
  {
    names: ['COMPARE_OP'],
    summary: (i, c) => (since(c.v, '3.9')
      ? 'Compares the two values on top of the stack with a rich comparison (<, <=, ==, !=, >, >=); since 3.9 in, not in and is have opcodes of their own.'
      : 'Compares the two values on top of the stack: <, <=, ==, !=, >, >=, and (until 3.9 gave them opcodes of their own) in, not in, is, is not and the exception match of an except clause.'),
    argument: compareArgument,
    stack: 'Pops the right and the left operand, pushes the result: one value fewer.',
  },
  {
    names: ['IS_OP'], first: '3.9',
    summary: 'Identity test: x is y, or x is not y.',
    argument: (i) => `${i.arg}: ${i.arg ? 'is not' : 'is'}.`,
    stack: 'Pops both operands, pushes a bool: one value fewer.',
  },
  {
    names: ['CONTAINS_OP'], first: '3.9',
    summary: 'Membership test: x in y, or x not in y.',
    argument: (i) => `${i.arg}: ${i.arg ? 'not in' : 'in'}.`,
    stack: 'Pops the container (top) and the item, pushes a bool: one value fewer.',
  },
  {
    names: ['TO_BOOL'], first: '3.13',
    summary: 'Converts the top of the stack to a bool (calling __bool__ or __len__ when needed); 3.13 puts it before conditional jumps and not, which then only accept exact bools.',
    stack: 'Pops the value and pushes True or False: the depth is unchanged.',
  },
  {
    names: ['CALL_INTRINSIC_1'], first: '3.12',
    summary: 'Calls one of the interpreter\'s built-in helper functions with one argument (import *, unary +, list to tuple, making a TypeVar, wrapping an async generator value, ...).',
    argument: (i) => `${i.arg} selects the helper: ${i.argrepr}.`,
    stack: 'Pops the argument and pushes the helper\'s result: the depth is unchanged.',
  },
  {
    names: ['CALL_INTRINSIC_2'], first: '3.12',
    summary: 'Calls one of the interpreter\'s built-in helper functions with two arguments (preparing an except* re-raise, a TypeVar with a bound or constraints, setting a function\'s type parameters).',
    argument: (i) => `${i.arg} selects the helper: ${i.argrepr}.`,
    stack: 'Pops both arguments and pushes the helper\'s result: one value fewer.',
  },
  {
    names: ['GET_LEN'], first: '3.10',
    summary: 'Pushes len() of the value on top of the stack, leaving the value there; pattern matching uses it to check a sequence\'s length.',
    stack: 'Pushes the length: one value more.',
  },
  {
    names: ['FORMAT_VALUE'],
    summary: 'Formats one replacement field of an f-string: applies the !s, !r or !a conversion, then format() with the spec, if any.',
    argument: (i) => `${i.arg}: the low 2 bits choose the conversion (${['none', '!s', '!r', '!a'][i.arg & 3]}), bit 2 says a format spec is on the stack (${i.arg & 4 ? 'yes' : 'no'}).`,
    stack: (i) => (i.arg & 4
      ? 'Pops the format spec (top) and the value, pushes the formatted string: one value fewer.'
      : 'Pops the value, pushes the formatted string: the depth is unchanged.'),
  },
  {
    names: ['CONVERT_VALUE'], first: '3.13',
    summary: 'Applies an f-string conversion to the top of the stack: !s (str), !r (repr) or !a (ascii).',
    argument: (i) => `${i.arg}: ${i.argrepr || ['none', 'str', 'repr', 'ascii'][i.arg]}.`,
    stack: 'Pops the value and pushes the converted string: the depth is unchanged.',
  },
  {
    names: ['FORMAT_SIMPLE'], first: '3.13',
    summary: 'Formats an f-string replacement field that has no format spec: format(value).',
    stack: 'Pops the value and pushes the string: the depth is unchanged.',
  },
  {
    names: ['FORMAT_WITH_SPEC'], first: '3.13',
    summary: 'Formats an f-string replacement field with its format spec: format(value, spec).',
    stack: 'Pops the spec (top) and the value, pushes the string: one value fewer.',
  },
  {
    names: ['BUILD_STRING'],
    summary: 'Joins the pieces of an f-string into one string.',
    argument: (i) => `${i.arg} pieces to join.`,
    stack: (i) => (i.arg === 0
      ? 'Pushes an empty string: one value more.'
      : `Pops ${i.arg} string${i.arg === 1 ? '' : 's'} and pushes their concatenation: ${change(1 - i.arg)}.`),
  },
  {
    names: ['BUILD_TEMPLATE'], first: '3.14',
    summary: 'Builds the Template object of a t-string (PEP 750) from its static strings and its interpolations.',
    stack: 'Pops the tuple of interpolations (top) and the tuple of strings, pushes the Template: one value fewer.',
  },
  {
    names: ['BUILD_INTERPOLATION'], first: '3.14',
    summary: 'Builds one Interpolation of a t-string (PEP 750): the value, the text of its expression, its conversion and its format spec.',
    argument: (i) => `${i.arg}: bit 0 says a format spec is on the stack (${i.arg & 1 ? 'yes' : 'no'}); arg >> 2 = ${i.arg >> 2} is the conversion (${['none', '!s', '!r', '!a'][(i.arg >> 2) & 3]}).`,
    stack: (i) => `Pops ${i.arg & 1 ? 'the format spec, ' : ''}the expression's text and the value, pushes the Interpolation: ${i.arg & 1 ? 'two values' : 'one value'} fewer.`,
  },
  {
    names: ['LIST_TO_TUPLE'],
    summary: 'Converts the list on top of the stack to a tuple (after building *args or a tuple display with unpacking).',
    stack: 'Pops the list and pushes the tuple: the depth is unchanged.',
  },
];

// Building tuples, lists, sets, dicts and slices, adding to them, and unpacking; pattern
// matching's tests.
import { since } from '../version.js';
import { howMany as plural, change, ordinal } from '../words.js';

/** A count in digits, for arguments (the argument's own value shows). */
const digits = (n, noun) => `${n} ${noun}${n === 1 ? '' : 's'}`;
/** The change when `n` values go and one comes back, in words. */
const fewer = (n) => change(-n);
/** Where the container sits: its position from the top once the operands are popped. */
const deeper = (i, what, operands = 'the operand is') => `${i.arg}: the ${what} is the ${ordinal(i.arg)} value from the top (the top counts as 1st) once ${operands} popped.`;

/** BUILD_TUPLE / LIST / SET: n items become one container. */
const build = (what) => ({
  summary: `Builds a ${what} from the values on top of the stack, in order (the display ${what === 'tuple' ? '(a, b)' : what === 'list' ? '[a, b]' : '{a, b}'}).`,
  argument: (i) => `${digits(i.arg, 'item')}.`,
  stack: (i) => (i.arg === 0 ? `Pushes an empty ${what}: one value more.` : `Pops ${plural(i.arg, 'item')} and pushes the ${what}: ${fewer(i.arg - 1)}.`),
});

/** LIST_EXTEND and its kin (3.9+): add an iterable's items to a container deeper down. */
const addTo = (what, how, example) => ({
  summary: `${how} (${example}); the ${what} sits deeper in the stack.`,
  argument: (i) => deeper(i, what),
  stack: 'Pops the value it adds: one value fewer (the container stays).',
});

/** LIST_APPEND with the list's depth as its argument (2.7, 3.1+). */
const LIST_APPEND = {
  summary: 'Comprehension step: appends the value on top to the list being built further down the stack.',
  argument: (i) => deeper(i, 'list'),
  stack: 'Pops the value: one value fewer (the list stays).',
};

/** SET_ADD with the set's depth as its argument (2.7, 3.1+). */
const SET_ADD = {
  summary: 'Set comprehension step: adds the value on top to the set further down the stack.',
  argument: (i) => deeper(i, 'set'),
  stack: 'Pops the value: one value fewer (the set stays).',
};

export default [
  { names: ['BUILD_TUPLE'], ...build('tuple') },
  { names: ['BUILD_LIST'], ...build('list') },
  { names: ['BUILD_SET'], ...build('set') },
  {
    names: ['BUILD_MAP'], last: '3.4',
    summary: 'Pushes a new empty dictionary; STORE_MAP (2.6+) then fills it pair by pair.',
    argument: (i) => `${i.arg}: a size hint only.`,
    stack: 'Pushes the dictionary: one value more.',
  },
  {
    names: ['BUILD_MAP'], first: '3.5',
    summary: 'Builds a dictionary from key/value pairs on the stack (the display {k: v, ...}).',
    argument: (i) => `${digits(i.arg, 'pair')}.`,
    stack: (i) => (i.arg === 0 ? 'Pushes an empty dict: one value more.' : `Pops ${plural(2 * i.arg, 'value')} (key, value, key, value...) and pushes the dict: ${fewer(2 * i.arg - 1)}.`),
  },
  {
    names: ['STORE_MAP'],
    summary: 'Adds one key/value pair to the dictionary beneath them (dict displays, 2.6–3.4).',
    stack: 'Pops the key (top) and the value; the dictionary stays: two values fewer.',
  },
  {
    names: ['BUILD_CONST_KEY_MAP'],
    summary: 'Builds a dictionary whose keys are all constants: the keys come as one tuple on top, the values beneath it.',
    argument: (i) => `${i.arg} ${i.arg === 1 ? 'entry' : 'entries'}.`,
    stack: (i) => `Pops the key tuple and ${plural(i.arg, 'value')}, pushes the dict: ${fewer(i.arg)}.`,
  },
  {
    names: ['BUILD_SLICE'],
    summary: 'Builds a slice object, as for x[a:b:c] or x[a:b] where a plain slice instruction does not apply.',
    argument: (i) => `${i.arg}: ${i.arg === 3 ? 'start, stop and step' : 'start and stop'} are on the stack.`,
    stack: (i, c) => {
      const n = since(c.v, '3.14') ? i.arg : (i.arg === 3 ? 3 : 2);
      return `Pops ${plural(n, 'value')} and pushes the slice: ${fewer(n - 1)}.`;
    },
  },
  {
    names: ['LIST_APPEND'], last: '2.6',
    summary: 'List comprehension step (2.4–2.6): appends the value on top to the list beneath it.',
    stack: 'Pops the value and the list: two values fewer.',
  },
  { names: ['LIST_APPEND'], first: '2.7', last: '2.7', ...LIST_APPEND },
  {
    // 3.0 went back to 2.6's form: the list is loaded from a hidden local each time.
    names: ['LIST_APPEND', 'SET_ADD'], first: '3.0', last: '3.0',
    summary: 'Comprehension step (3.0): adds the value on top to the list or set beneath it.',
    stack: 'Pops the value and the container: two values fewer.',
  },
  { names: ['LIST_APPEND'], first: '3.1', ...LIST_APPEND },
  { names: ['SET_ADD'], first: '2.7', last: '2.7', ...SET_ADD },
  { names: ['SET_ADD'], first: '3.1', ...SET_ADD },
  {
    names: ['MAP_ADD'],
    summary: (i, c) => `Dict comprehension step: stores a key/value pair in the dict further down the stack. ${since(c.v, '3.8') ? 'The value is on top and the key beneath it (3.8+).' : 'The key is on top and the value beneath it (before 3.8).'}`,
    argument: (i) => deeper(i, 'dict', 'the key and the value are'),
    stack: 'Pops the key and the value: two values fewer (the dict stays).',
  },
  { names: ['LIST_EXTEND'], ...addTo('list', 'Extends a list with the items of the iterable on top', 'displays with unpacking such as [*a, *b], and *args of a call') },
  { names: ['SET_UPDATE'], ...addTo('set', 'Adds the items of the iterable on top to a set', 'displays such as {*a, *b}') },
  { names: ['DICT_UPDATE'], ...addTo('dict', 'Updates a dict with the mapping on top', 'displays such as {**a, **b}') },
  {
    names: ['DICT_MERGE'],
    ...addTo('dict', 'Merges the mapping on top into the dict of keyword arguments of a call, raising on a repeated keyword', 'f(**a, **b)'),
  },
  {
    names: ['BUILD_TUPLE_UNPACK', 'BUILD_LIST_UNPACK', 'BUILD_SET_UNPACK'],
    summary: (i, c) => `Builds a ${c.name.split('_')[1].toLowerCase()} by concatenating the items of iterables on the stack (3.5–3.8, for displays with * unpacking).`,
    argument: (i) => `${digits(i.arg, 'iterable')}.`,
    stack: (i) => `Pops ${plural(i.arg, 'iterable')}, pushes the result: ${fewer(i.arg - 1)}.`,
  },
  {
    names: ['BUILD_TUPLE_UNPACK_WITH_CALL'],
    summary: 'Builds the positional-argument tuple of a call with several * unpackings (3.6–3.8), naming the function in its errors.',
    argument: (i) => `${digits(i.arg, 'iterable')}.`,
    stack: (i) => `Pops ${plural(i.arg, 'iterable')}, pushes the tuple: ${fewer(i.arg - 1)}.`,
  },
  {
    names: ['BUILD_MAP_UNPACK'],
    summary: 'Builds a dict by merging mappings on the stack (3.5–3.8, {**a, **b}).',
    argument: (i) => `${digits(i.arg, 'mapping')}.`,
    stack: (i) => `Pops ${plural(i.arg, 'mapping')}, pushes the dict: ${fewer(i.arg - 1)}.`,
  },
  {
    names: ['BUILD_MAP_UNPACK_WITH_CALL'],
    summary: 'Builds the keyword-argument dict of a call with several ** unpackings (3.5–3.8), raising on a repeated keyword.',
    argument: (i, c) => (since(c.v, '3.6') ? `${digits(i.arg, 'mapping')}.` : `${i.arg}: ${digits(i.arg & 255, 'mapping')} (low byte); the high byte locates the function for error messages.`),
    stack: (i, c) => { const n = since(c.v, '3.6') ? i.arg : i.arg & 255; return `Pops ${plural(n, 'mapping')}, pushes the dict: ${fewer(n - 1)}.`; },
  },
  {
    names: ['UNPACK_SEQUENCE'],
    summary: 'Unpacks an iterable into exactly as many values as there are targets (a, b = x), raising if the length differs.',
    argument: (i) => `${digits(i.arg, 'target')}.`,
    stack: (i) => `Pops the iterable and pushes its ${plural(i.arg, 'item')}, the first on top: ${fewer(1 - i.arg)}.`,
  },
  {
    names: ['UNPACK_TUPLE', 'UNPACK_LIST'],
    summary: (i, c) => `Python ≤1.6: unpacks a ${c.name.endsWith('TUPLE') ? 'tuple' : 'list'} into its items for an assignment to several targets.`,
    argument: (i) => `${digits(i.arg, 'target')}.`,
    stack: (i) => `Pops the ${'sequence'} and pushes its ${plural(i.arg, 'item')}, the first on top: ${fewer(1 - i.arg)}.`,
  },
  {
    names: ['UNPACK_EX'],
    summary: 'Unpacking with a starred target (a, *rest, b = x): the starred one gets a list of what is left over.',
    argument: (i) => `${i.arg}: ${digits(i.arg & 255, 'target')} before the star (low byte), ${digits(i.arg >> 8, 'target')} after it (high byte).`,
    stack: (i) => { const n = (i.arg & 255) + (i.arg >> 8) + 1; return `Pops the iterable and pushes ${plural(n, 'value')} (the list for the starred target among them): ${fewer(1 - n)}.`; },
  },
  {
    names: ['BUILD_LIST_FROM_ARG'], impl: 'PyPy',
    summary: 'PyPy: starts a list comprehension with a new empty list sized from the length hint of the iterable on the stack.',
    stack: 'Pushes the empty list (the iterable stays): one value more.',
  },
  {
    names: ['MATCH_MAPPING'],
    summary: 'Pattern matching: is the subject on top of the stack a mapping (for a {...} pattern)?',
    stack: 'Pushes True or False; the subject stays: one value more.',
  },
  {
    names: ['MATCH_SEQUENCE'],
    summary: 'Pattern matching: is the subject on top of the stack a sequence (and not a str, bytes or bytearray) for a [...] pattern?',
    stack: 'Pushes True or False; the subject stays: one value more.',
  },
  {
    names: ['MATCH_KEYS'],
    summary: 'Pattern matching of a mapping pattern: looks up the tuple of keys on top in the subject beneath.',
    stack: (i, c) => (since(c.v, '3.11')
      ? 'Pushes a tuple of the values found, or None if a key is missing; the subject and the keys stay: one value more.'
      : 'Pushes a tuple of the values found (or None) and then True or False; the subject and the keys stay: two values more.'),
  },
  {
    names: ['MATCH_CLASS'],
    summary: 'Pattern matching of a class pattern Cls(a, b, x=c): checks isinstance and extracts the positional (via __match_args__) and keyword attributes.',
    argument: (i) => `${digits(i.arg, 'positional sub-pattern')}.`,
    stack: (i, c) => (since(c.v, '3.11')
      ? 'Pops the tuple of keyword names, the class and the subject, pushes a tuple of the extracted attributes or None: two values fewer.'
      : 'Pops the tuple of keyword names and the class, replaces the subject by the extracted attributes (or itself) and pushes True or False: one value fewer.'),
  },
  {
    names: ['COPY_DICT_WITHOUT_KEYS'],
    summary: 'Pattern matching of a mapping pattern with **rest (3.10): makes a dict of the subject\'s items minus the keys already matched.',
    stack: 'Replaces the tuple of keys on top by the new dict; the subject stays: the depth is unchanged.',
  },
];

// Calling, making functions and classes, importing.
import { name, howMany, change } from '../words.js';
import { since } from '../version.js';

/**
 * Calls and MAKE_FUNCTION as in 3.5 and before: CPython before 3.6, and PyPy 3.6, which kept
 * 3.5's call opcodes (CALL_FUNCTION_VAR, MAKE_CLOSURE, keyword pairs in the high byte).
 */
const before36 = (c) => !since(c.v, '3.6') || (c.v.implementation === 'PyPy' && c.v.major === 3 && c.v.minor === 6);
/** The ≤3.5 argument: positional count in the low byte, keyword pairs in the high byte. */
const oldCount = (i) => `${i.arg}: ${i.arg & 255} positional argument${(i.arg & 255) === 1 ? '' : 's'} (low byte) and ${(i.arg >> 8) & 255} keyword argument${((i.arg >> 8) & 255) === 1 ? '' : 's'} (high byte, each a name and a value on the stack).`;
const oldPops = (i) => (i.arg & 255) + 2 * ((i.arg >> 8) & 255);

/** MAKE_FUNCTION with counts in its argument (≤3.5, PyPy 3.6). */
const oldMakeFunction = {
  summary: (i, c) => `Makes a function object from the code object on top of the stack${since(c.v, '3.3') ? ' (and, from 3.3, its qualified name above it)' : ''}, with default argument values from the stack.`,
  argument: (i, c) => (c.v.major < 3
    ? `${i.arg} default value${i.arg === 1 ? '' : 's'} for positional parameters.`
    : `${i.arg}: ${i.arg & 255} positional defaults (low byte), ${(i.arg >> 8) & 255} keyword-only defaults (next byte, name and value pairs), ${(i.arg >> 16) & 0x7fff} annotation entries (high bits).`),
  stack: (i, c) => `Pops the code object${since(c.v, '3.3') ? ', its qualified name' : ''} and the defaults${c.v.major >= 3 ? ' (and keyword-only defaults and annotations)' : ''}, pushes the function.`,
};

export default [
  {
    names: ['CALL_FUNCTION'],
    summary: (i, c) => `Calls a function with arguments from the stack: the callable first, then the arguments above it.${!before36(c) ? ' From 3.6 it takes positional arguments only (keywords go through CALL_FUNCTION_KW); 3.11 replaced it by PRECALL and CALL.' : ''}`,
    argument: (i, c) => (before36(c) ? oldCount(i) : `${i.arg} positional argument${i.arg === 1 ? '' : 's'}.`),
    stack: (i, c) => {
      const n = before36(c) ? oldPops(i) : i.arg;
      return `Pops ${howMany(n, 'argument value')} and the callable, pushes the result: ${change(-n)}.`;
    },
  },
  {
    names: ['CALL_FUNCTION_VAR'],
    summary: 'A call with *args (≤3.5, and PyPy 3.6): like CALL_FUNCTION, with an iterable of extra positional arguments on the stack as well.',
    argument: oldCount,
    stack: (i) => `Pops the *args iterable, ${howMany(oldPops(i), 'argument value')} and the callable, pushes the result: ${change(-oldPops(i) - 1)}.`,
  },
  {
    names: ['CALL_FUNCTION_VAR_KW'],
    summary: 'A call with *args and **kwargs (≤3.5, and PyPy 3.6): like CALL_FUNCTION, with the iterable of extra positional arguments and the mapping of extra keyword arguments (on top) on the stack as well.',
    argument: oldCount,
    stack: (i) => `Pops the **kwargs mapping, the *args iterable, ${howMany(oldPops(i), 'argument value')} and the callable, pushes the result: ${change(-oldPops(i) - 2)}.`,
  },
  {
    names: ['CALL_FUNCTION_KW'],
    summary: (i, c) => (before36(c)
      ? 'A call with **kwargs (≤3.5, and PyPy 3.6): like CALL_FUNCTION, with a mapping of extra keyword arguments on top of the stack.'
      : 'A call with keyword arguments (3.6–3.10): the top of the stack is a tuple of the keyword names; the last values before it are those keywords\' values.'),
    argument: (i, c) => (before36(c) ? oldCount(i) : `${i.arg} argument values in all, positional and keyword.`),
    stack: (i, c) => (before36(c)
      ? `Pops the **kwargs mapping, ${howMany(oldPops(i), 'argument value')} and the callable, pushes the result: ${change(-oldPops(i) - 1)}.`
      : `Pops the tuple of names, ${howMany(i.arg, 'argument value')} and the callable, pushes the result: ${change(-i.arg - 1)}.`),
  },
  {
    names: ['CALL_FUNCTION_EX'],
    summary: (i, c) => `A call whose arguments were unpacked (f(*args), f(**kw)): the positional arguments come as one tuple and the keyword arguments, if any, as one dict.${since(c.v, '3.14') ? ' From 3.14 the dict slot is always there (NULL when there is no **) and the instruction has no argument.' : ''}`,
    argument: (i) => `${i.arg}: bit 0 says a dict of keyword arguments is on top (${i.arg & 1 ? 'yes' : 'no'}).`,
    stack: (i, c) => {
      const v = c.v;
      if (since(v, '3.14')) return 'Pops the keyword dict (or NULL), the argument tuple, an unused slot and the callable, pushes the result: three values fewer.';
      const kw = i.arg & 1 ? 'the keyword dict, ' : '';
      if (since(v, '3.13')) return `Pops ${kw}the argument tuple, an unused slot and the callable beneath, pushes the result: ${change(-2 - (i.arg & 1))}.`;
      if (since(v, '3.11') && v.implementation === 'CPython') return `Pops ${kw}the argument tuple, the callable and the NULL beneath it, pushes the result: ${change(-2 - (i.arg & 1))}.`;
      return `Pops ${kw}the argument tuple and the callable, pushes the result: ${change(-1 - (i.arg & 1))}.`;
    },
  },
  {
    names: ['CALL_METHOD'], impl: 'CPython',
    summary: 'Calls what LOAD_METHOD left (3.7–3.10): either an unbound method with its object as self, or a plain callable with a NULL beside it.',
    argument: (i) => `${i.arg} positional argument${i.arg === 1 ? '' : 's'} (self not counted).`,
    stack: (i) => `Pops ${howMany(i.arg, 'argument value')} and LOAD_METHOD's two slots, pushes the result: ${change(-i.arg - 1)}.`,
  },
  {
    names: ['CALL_METHOD'], impl: 'PyPy',
    summary: 'PyPy: calls what LOOKUP_METHOD or LOAD_METHOD left (a method with its object as self, or a plain callable), without creating a bound-method object.',
    argument: (i) => `${i.arg}: the number of arguments passed, self not counted.`,
    stack: 'Pops the arguments and the method lookup\'s two slots, pushes the result.',
  },
  {
    names: ['CALL_METHOD_KW'], impl: 'PyPy',
    summary: 'PyPy: a method call with keyword arguments: like CALL_METHOD, with a tuple of the keyword names on top of the stack (as CALL_FUNCTION_KW has).',
    argument: (i) => `${i.arg} argument values in all, positional and keyword.`,
    stack: 'Pops the tuple of names, the arguments and the method lookup\'s two slots, pushes the result.',
  },
  {
    names: ['PUSH_NULL'], first: '3.11',
    summary: 'Pushes NULL, the empty marker that CALL expects in the slot beside the callable when there is no self to pass.',
    stack: 'Pushes NULL: one value more.',
  },
  {
    names: ['KW_NAMES'], first: '3.11', last: '3.12',
    summary: 'Tells the next CALL which of its arguments are keyword arguments: it records a tuple of names for it and does nothing else.',
    argument: (i) => `Index ${i.arg} into co_consts: the tuple of keyword names${i.argval === '<unknown>' ? '' : ` ${i.argval}`}.`,
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['PRECALL'], first: '3.11', last: '3.11',
    summary: 'Python 3.11: the first half of a call: if the callable is a bound method it unpacks it into function and self; CALL follows and makes the call.',
    argument: (i) => `${i.arg} argument${i.arg === 1 ? '' : 's'}, as for the CALL that follows.`,
    stack: (i) => `Values stay where they are until CALL; dis.stack_effect books the ${i.arg} argument${i.arg === 1 ? '' : 's'} as popped here: dis.stack_effect counts −${i.arg}.`,
  },
  {
    names: ['CALL'], first: '3.11',
    summary: (i, c) => {
      const v = c.v;
      if (!since(v, '3.12')) return 'Python 3.11: the second half of a call (after PRECALL): calls the callable with the arguments above it, the keyword names given by a preceding KW_NAMES. Beneath the callable is NULL, or the method when the slot above it holds self. Before 3.11 this was CALL_FUNCTION or CALL_METHOD.';
      if (!since(v, '3.13')) return 'Calls a callable with the arguments above it (keyword names given by a preceding KW_NAMES). Beneath the arguments are NULL and the callable, or a method and its self. It replaced 3.11\'s PRECALL + CALL and the older CALL_FUNCTION / CALL_METHOD.';
      return 'Calls a callable with the positional arguments above it. Beneath the arguments are the callable and then self or NULL (the order changed in 3.13); keyword arguments use CALL_KW instead.';
    },
    argument: (i, c) => `${i.arg} argument${i.arg === 1 ? '' : 's'}${!since(c.v, '3.13') ? ' (positional and named)' : ''}, not counting self when a method is called.`,
    stack: (i, c) => (!since(c.v, '3.12')
      ? `Pops ${howMany(i.arg, 'argument')} and the two slots beneath them, pushes the result; the arguments are booked at PRECALL, so dis.stack_effect counts −1 here.`
      : `Pops ${howMany(i.arg, 'argument')} and the two slots beneath (${since(c.v, '3.13') ? 'callable and self-or-NULL' : 'NULL-or-method and callable-or-self'}), pushes the result: ${change(-i.arg - 1)}.`),
  },
  {
    names: ['CALL_KW'], first: '3.13',
    summary: 'A call with keyword arguments (3.13+): like CALL, with a tuple of the keyword names on top of the stack; the last values before it are those keywords\' values.',
    argument: (i) => `${i.arg} argument values in all, positional and keyword, self not counted.`,
    stack: (i) => `Pops the tuple of names, ${howMany(i.arg, 'argument value')}, self-or-NULL and the callable, pushes the result: ${change(-i.arg - 2)}.`,
  },
  { names: ['MAKE_FUNCTION'], last: '3.5', ...oldMakeFunction },
  { names: ['MAKE_FUNCTION'], impl: 'PyPy', first: '3.6', last: '3.6', ...oldMakeFunction },
  {
    names: ['MAKE_CLOSURE'],
    summary: 'Makes a function that closes over variables of the enclosing function: like MAKE_FUNCTION, with a tuple of cells (built by LOAD_CLOSURE and BUILD_TUPLE) beneath the code object.',
    argument: (i, c) => (c.v.major < 3
      ? `${i.arg} default value${i.arg === 1 ? '' : 's'} for positional parameters.`
      : `${i.arg}: ${i.arg & 255} positional defaults (low byte), ${(i.arg >> 8) & 255} keyword-only defaults (next byte), ${(i.arg >> 16) & 0x7fff} annotation entries (high bits).`),
    stack: (i, c) => `Pops the code object${since(c.v, '3.3') ? ', its qualified name' : ''}, the tuple of cells and the defaults, pushes the function.`,
  },
  {
    names: ['MAKE_FUNCTION'], first: '3.6', last: '3.12',
    summary: (i, c) => `Makes a function object from the code object${!since(c.v, '3.11') ? ' and its qualified name (on top)' : ''} on the stack; the argument's flags say which extras lie beneath them, each one value: defaults, keyword-only defaults, annotations, the closure.`,
    argument: (i) => `${i.arg}: flags 0x01 a tuple of defaults, 0x02 a dict of keyword-only defaults, 0x04 annotations, 0x08 a tuple of closure cells${i.argrepr ? ` — here ${i.argrepr}` : ''}.`,
    stack: (i, c) => {
      const extras = [1, 2, 4, 8].filter((b) => i.arg & b).length;
      const popped = extras + (!since(c.v, '3.11') ? 2 : 1);
      const what = [`the code object${!since(c.v, '3.11') ? ', the qualified name' : ''}`, extras ? howMany(extras, 'extra') : null].filter(Boolean).join(' and ');
      return `Pops ${howMany(popped, 'value')} (${what}), pushes the function: ${change(1 - popped)}.`;
    },
  },
  {
    names: ['MAKE_FUNCTION'], first: '3.13',
    summary: 'Makes a plain function object from the code object on top of the stack; defaults, annotations and the closure are attached afterwards by SET_FUNCTION_ATTRIBUTE.',
    stack: 'Pops the code object, pushes the function: the depth is unchanged.',
  },
  {
    names: ['SET_FUNCTION_ATTRIBUTE'], first: '3.13',
    summary: 'Attaches one extra to the function on top of the stack: its defaults, keyword-only defaults, annotations (or, 3.14+, its annotate function) or closure.',
    argument: (i) => `${i.arg}: which attribute: ${i.argrepr}.`,
    stack: 'Pops the function and the value beneath it, pushes the function back: one value fewer.',
  },
  {
    names: ['BUILD_FUNCTION'], last: '1.4',
    summary: 'Python 1.x: makes a function object from the code object on top of the stack.',
    stack: 'Pops the code object, pushes the function: the depth is unchanged.',
  },
  {
    names: ['SET_FUNC_ARGS'], last: '1.4',
    summary: 'Python 1.x: attaches the tuple of default argument values to the function being made.',
    argument: (i) => `${i.arg}: the function's argument count.`,
    stack: 'Takes the defaults and leaves the function: one value fewer.',
  },
  {
    names: ['UNPACK_ARG'], last: '1.4',
    summary: 'Python 1.x: at the start of a function, unpacks the argument tuple into its fixed arguments.',
    argument: (i) => `${i.arg} arguments.`,
    stack: (i) => `Pops the argument tuple, pushes its ${i.arg} items.`,
  },
  {
    names: ['UNPACK_VARARG'], last: '1.4',
    summary: 'Python 1.x: at the start of a function taking *args, unpacks the fixed arguments and collects the rest into a tuple.',
    argument: (i) => `${i.arg} fixed arguments.`,
    stack: (i) => `Pops the argument tuple, pushes ${i.arg} arguments and the tuple of the rest.`,
  },
  {
    names: ['BUILD_CLASS'],
    summary: 'Python ≤2.7: makes a class from its name, its tuple of base classes and the dictionary its body filled (calling the metaclass).',
    stack: 'Pops the dictionary (top), the bases and the name, pushes the class: two values fewer.',
  },
  {
    names: ['LOAD_BUILD_CLASS'],
    summary: 'Pushes builtins.__build_class__, which a class statement then calls with the body function, the name and the bases.',
    stack: 'Pushes the function: one value more.',
  },
  {
    names: ['IMPORT_NAME'],
    summary: 'The import statement: imports a module and pushes it (for import a.b, the top-level package a).',
    argument: (i, c) => (since(c.v, '3.15') ? `${name(i, 'module name', 2)} Bit 0 asks for a lazy import, bit 1 for an eager one: ${i.argrepr}.` : name(i, 'module name')),
    stack: (i, c) => {
      if (since(c.v, '2.5')) return 'Pops the from-list (top) and the relative level, pushes the module: one value fewer.';
      if (c.v.major >= 2) return 'Pops the from-list, pushes the module: the depth is unchanged.';
      return 'Pushes the module: one value more.';
    },
  },
  {
    names: ['IMPORT_FROM'],
    summary: (i, c) => (c.v.major < 2
      ? 'Python 1.x from ... import: binds the name (all public names for *) from the module on top of the stack in the local namespace.'
      : 'from module import name: pushes the attribute of the module on top of the stack (falling back to importing the submodule); the module stays for further names.'),
    argument: (i) => name(i, 'name'),
    stack: (i, c) => (c.v.major < 2 ? 'Leaves the stack as it is.' : 'Pushes the imported value: one value more.'),
  },
  {
    names: ['IMPORT_STAR'],
    summary: 'from module import *: binds every public name of the module (its __all__, or the names without a leading underscore) in the local namespace.',
    stack: 'Pops the module: one value fewer.',
  },
  {
    names: ['SETUP_ANNOTATIONS'],
    summary: 'At the start of a module or class body with variable annotations: creates the __annotations__ dictionary if there is none.',
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['STORE_ANNOTATION'],
    summary: 'Python 3.6: stores a variable annotation (x: int at module or class level) in __annotations__ under the name.',
    argument: (i) => name(i, 'annotated name'),
    stack: 'Pops the annotation: one value fewer.',
  },
  {
    names: ['EXEC_STMT'],
    summary: 'The exec statement (Python 1 and 2): exec code in globals, locals.',
    stack: 'Pops the locals (top), the globals and the code: three values fewer.',
  },
];

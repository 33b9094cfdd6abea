// Loading, storing and deleting constants, locals, names, globals, attributes and cells.
import { constant, name, local, cell, pair } from '../words.js';
import { since } from '../version.js';

export default [
  {
    names: ['LOAD_CONST'],
    summary: 'Pushes one of the code object\'s constants (numbers, strings, tuples, None, nested code objects...).',
    argument: constant,
    stack: 'Pushes the constant: one value more.',
  },
  {
    names: ['LOAD_SMALL_INT'], first: '3.14',
    summary: 'Pushes a small integer written into the instruction itself, so no entry of co_consts is needed.',
    argument: (i) => `The integer itself: ${i.arg}.`,
    stack: 'Pushes the integer: one value more.',
  },
  {
    names: ['LOAD_COMMON_CONSTANT'], first: '3.14',
    summary: 'Pushes one of a handful of objects the interpreter keeps ready (such as AssertionError, NotImplementedError or the builtins all, any, list, set, tuple), so that code needing them cannot be fooled by a shadowing name.',
    argument: (i) => `${i.arg} selects the object: ${i.argrepr}.`,
    stack: 'Pushes that object: one value more.',
  },
  {
    names: ['LOAD_ASSERTION_ERROR'], first: '3.9', last: '3.13',
    summary: 'Pushes the AssertionError class itself (not a global lookup), for a failing assert statement to raise.',
    stack: 'Pushes AssertionError: one value more.',
  },
  {
    names: ['LOAD_FAST'],
    summary: (i, c) => `Pushes the value of a local variable, read from the frame's array of fast locals rather than from a dictionary.${since(c.v, '3.12') && c.v.implementation === 'CPython' ? ' From 3.12 the compiler emits it only where it has proved the variable is bound (LOAD_FAST_CHECK elsewhere).' : ''}`,
    argument: (i, c) => local(i, c.v),
    stack: 'Pushes the value: one value more.',
  },
  {
    names: ['LOAD_FAST_CHECK'], first: '3.12',
    summary: 'Pushes a local variable like LOAD_FAST, but first checks that it has been bound and raises UnboundLocalError if not; the compiler uses it where it cannot prove the variable is set.',
    argument: (i, c) => local(i, c.v),
    stack: 'Pushes the value: one value more.',
  },
  {
    names: ['LOAD_FAST_AND_CLEAR'], first: '3.12',
    summary: 'Pushes a local variable (or NULL if it is unbound) and then unbinds it. Inlined comprehensions (3.12+) use it to save an outer variable of the same name as the loop variable and restore it afterwards.',
    argument: (i, c) => local(i, c.v),
    stack: 'Pushes the value or NULL: one value more.',
  },
  {
    names: ['LOAD_FAST_BORROW'], first: '3.14',
    summary: 'Pushes a local variable without taking a new reference to it (a "borrowed" reference), which the compiler allows where it can prove the local outlives the use. Otherwise it is LOAD_FAST.',
    argument: (i, c) => local(i, c.v),
    stack: 'Pushes the value: one value more.',
  },
  {
    names: ['LOAD_FAST_LOAD_FAST'], first: '3.13',
    summary: 'Loads two local variables in one instruction: a superinstruction the 3.13+ compiler writes for two consecutive LOAD_FASTs.',
    argument: pair,
    stack: 'Pushes the local in the high 4 bits, then the local in the low 4 bits: two values more.',
  },
  {
    names: ['LOAD_FAST_BORROW_LOAD_FAST_BORROW'], first: '3.14',
    summary: 'Loads two local variables in one instruction, both as borrowed references (see LOAD_FAST_BORROW).',
    argument: pair,
    stack: 'Pushes the local in the high 4 bits, then the local in the low 4 bits: two values more.',
  },
  {
    names: ['STORE_FAST'],
    summary: 'Stores the value on top of the stack into a local variable.',
    argument: (i, c) => local(i, c.v),
    stack: 'Pops the value: one value fewer.',
  },
  {
    names: ['STORE_FAST_LOAD_FAST'], first: '3.13',
    summary: 'Stores into one local and then loads another (often the same one): a superinstruction for STORE_FAST followed by LOAD_FAST.',
    argument: pair,
    stack: 'Pops the top value into the local in the high 4 bits, then pushes the local in the low 4 bits: the depth is unchanged.',
  },
  {
    names: ['STORE_FAST_STORE_FAST'], first: '3.13',
    summary: 'Stores into two locals in one instruction: a superinstruction for two consecutive STORE_FASTs (as in a, b = ...).',
    argument: pair,
    stack: 'Pops the top value into the local in the high 4 bits, then the next value into the local in the low 4 bits: two values fewer.',
  },
  {
    names: ['DELETE_FAST'],
    summary: 'Unbinds a local variable (del x); using it afterwards raises UnboundLocalError.',
    argument: (i, c) => local(i, c.v),
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['LOAD_NAME'],
    summary: 'Pushes the value of a name looked up the way module and class bodies do: in the local namespace, then the globals, then the builtins.',
    argument: (i) => name(i, 'name'),
    stack: 'Pushes the value: one value more.',
  },
  {
    names: ['STORE_NAME'],
    summary: 'Binds a name in the local namespace (the module\'s globals at module level, the class namespace in a class body).',
    argument: (i) => name(i, 'name'),
    stack: 'Pops the value: one value fewer.',
  },
  {
    names: ['DELETE_NAME'],
    summary: 'Unbinds a name in the local namespace (del x in a module or class body).',
    argument: (i) => name(i, 'name'),
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['LOAD_GLOBAL'], last: '3.10', pypy: 'all',
    summary: 'Pushes the value of a global name, looked up in the module\'s globals and then in the builtins.',
    argument: (i) => name(i, 'global'),
    stack: 'Pushes the value: one value more.',
  },
  {
    names: ['LOAD_GLOBAL'], first: '3.11', impl: 'CPython',
    summary: 'Pushes the value of a global name, looked up in the module\'s globals and then in the builtins; when the low bit of its argument is set it also pushes a NULL, making room for a call.',
    argument: (i, c) => `${name(i, 'global', 1)} The low bit is ${i.arg & 1}: ${i.arg & 1 ? `also push NULL (${since(c.v, '3.13') ? 'after' : 'before'} the value), as CALL expects` : 'no NULL'}.`,
    stack: (i, c) => (i.arg & 1
      ? (since(c.v, '3.13') ? 'Pushes the value and then NULL: two values more.' : 'Pushes NULL and then the value: two values more.')
      : 'Pushes the value: one value more.'),
  },
  {
    names: ['STORE_GLOBAL'],
    summary: 'Binds a global name (a name declared global, or any assignment at module level that the compiler knows is global).',
    argument: (i) => name(i, 'global'),
    stack: 'Pops the value: one value fewer.',
  },
  {
    names: ['DELETE_GLOBAL'],
    summary: 'Unbinds a global name.',
    argument: (i) => name(i, 'global'),
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['LOAD_ATTR'], last: '3.11',
    summary: 'Replaces the object on top of the stack by one of its attributes (obj.name).',
    argument: (i) => name(i, 'attribute'),
    stack: 'Pops the object and pushes the attribute: the depth is unchanged.',
  },
  {
    names: ['LOAD_ATTR'], first: '3.12', impl: 'CPython',
    summary: 'Replaces the object on top of the stack by one of its attributes (obj.name). With the low bit of its argument set it is the method form that 3.12 folded in from LOAD_METHOD: it leaves what CALL needs to call obj.name(...) without creating a bound method.',
    argument: (i) => `${name(i, 'attribute', 1)} The low bit is ${i.arg & 1}: ${i.arg & 1 ? 'the method form' : 'a plain attribute load'}.`,
    stack: (i, c) => {
      if (!(i.arg & 1)) return 'Pops the object and pushes the attribute: the depth is unchanged.';
      return since(c.v, '3.13')
        ? 'Pops the object; pushes the unbound method and then the object (self) when the attribute is a method, else the attribute and then NULL: one value more.'
        : 'Pops the object; pushes the unbound method and then the object (self) when the attribute is a method, else NULL and then the attribute: one value more.';
    },
  },
  {
    names: ['LOAD_METHOD'], first: '3.7',
    summary: 'Looks up a method for an immediate call (obj.name(...)) without creating a bound-method object: when the attribute is a plain function found on the type it leaves the function and the object, so that the call can pass the object as self.',
    argument: (i) => name(i, 'method'),
    stack: (i, c) => (c.v.implementation === 'PyPy'
      ? 'Pops the object and pushes two values for the call that follows: the method and the object, or a placeholder and the attribute. One value more.'
      : 'Pops the object; pushes the unbound method and then the object (self), or NULL and then the attribute when it is not a method: one value more.'),
  },
  {
    names: ['LOOKUP_METHOD'], impl: 'PyPy',
    summary: 'PyPy\'s method lookup for an immediate call (obj.name(...)), which CPython adopted as LOAD_METHOD in 3.7: it avoids creating a bound-method object.',
    argument: (i) => name(i, 'method'),
    stack: 'Pops the object and pushes two values for CALL_METHOD: the method and the object, or a placeholder and the attribute. One value more.',
  },
  {
    names: ['LOAD_SUPER_ATTR'], first: '3.12',
    summary: 'Does super().name (or super(cls, self).name) in one step, without building the super object when it can avoid it.',
    argument: (i) => `${name(i, 'attribute', 2)} Bit 0 is ${i.arg & 1} (${i.arg & 1 ? 'method form: leave a method and self for CALL' : 'plain attribute'}), bit 1 is ${(i.arg >> 1) & 1} (${(i.arg >> 1) & 1 ? 'super was called with two arguments' : 'super() with no arguments'}).`,
    stack: (i, c) => {
      if (!(i.arg & 1)) return 'Pops the global super, the class and self; pushes the attribute: two values fewer.';
      const pair = since(c.v, '3.13') ? 'the method and self, or the attribute and NULL' : 'the method and self, or NULL and the attribute';
      return `Pops the global super, the class and self; pushes two values (${pair}): one value fewer.`;
    },
  },
  {
    names: ['STORE_ATTR'],
    summary: 'Sets an attribute: obj.name = value.',
    argument: (i) => name(i, 'attribute'),
    stack: 'Pops the object (top) and the value beneath it: two values fewer.',
  },
  {
    names: ['DELETE_ATTR'],
    summary: 'Deletes an attribute: del obj.name.',
    argument: (i) => name(i, 'attribute'),
    stack: 'Pops the object: one value fewer.',
  },
  {
    names: ['LOAD_DEREF'],
    summary: 'Pushes the value held in a cell: a variable of an enclosing function that this function uses (a free variable), or one of its own that inner functions use (a cell variable).',
    argument: (i, c) => cell(i, c.v),
    stack: 'Pushes the value: one value more.',
  },
  {
    names: ['STORE_DEREF'],
    summary: 'Stores the value on top of the stack into a cell shared with inner or outer functions.',
    argument: (i, c) => cell(i, c.v),
    stack: 'Pops the value: one value fewer.',
  },
  {
    names: ['DELETE_DEREF'],
    summary: 'Empties a cell (del of a variable that a nested function also uses).',
    argument: (i, c) => cell(i, c.v),
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['LOAD_CLOSURE'],
    summary: 'Pushes the cell object itself (not its contents), to be collected into the closure tuple of a function being made.',
    argument: (i, c) => cell(i, c.v),
    stack: 'Pushes the cell: one value more.',
  },
  {
    names: ['LOAD_CLASSDEREF'],
    summary: 'In a class body, pushes a variable that the class body inherits from an enclosing function: it looks in the class namespace first and falls back to the cell.',
    argument: (i, c) => cell(i, c.v),
    stack: 'Pushes the value: one value more.',
  },
  {
    names: ['LOAD_FROM_DICT_OR_DEREF'], first: '3.12',
    summary: 'Looks a name up in the mapping on the stack (a class namespace) and, when it is not there, reads the cell instead. It replaces LOAD_CLASSDEREF.',
    argument: (i, c) => cell(i, c.v),
    stack: 'Pops the mapping and pushes the value: the depth is unchanged.',
  },
  {
    names: ['LOAD_FROM_DICT_OR_GLOBALS'], first: '3.12',
    summary: 'Looks a name up in the mapping on the stack (a class namespace in annotation or type-parameter scopes) and falls back to the globals and builtins.',
    argument: (i) => name(i, 'name'),
    stack: 'Pops the mapping and pushes the value: the depth is unchanged.',
  },
  {
    names: ['MAKE_CELL'], first: '3.11',
    summary: 'At the start of a function, wraps a local variable in a new cell, because an inner function captures it.',
    argument: (i, c) => cell(i, c.v),
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['COPY_FREE_VARS'], first: '3.11',
    summary: 'At the start of a closure, copies the cells of the function\'s closure tuple into its fast locals, where LOAD_DEREF finds them.',
    argument: (i) => `${i.arg} free variables to copy.`,
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['LOAD_LOCALS'], last: '2.7',
    summary: 'At the end of a class body, pushes the dictionary of names the body defined, which BUILD_CLASS turns into the class.',
    stack: 'Pushes the locals dictionary: one value more.',
  },
  {
    names: ['LOAD_LOCALS'], first: '3.12',
    summary: 'Pushes the current local namespace as a mapping; annotation and type-parameter scopes of a class use it to see the class\'s names.',
    stack: 'Pushes the mapping: one value more.',
  },
  {
    names: ['STORE_LOCALS'], first: '3.0', last: '3.3',
    summary: 'At the start of a class body, makes the namespace mapping passed in by __build_class__ the frame\'s locals.',
    stack: 'Pops the mapping: one value fewer.',
  },
  {
    names: ['LOAD_LOCAL'], last: '1.4',
    summary: 'Python 1.x: pushes the value of a name looked up in the local namespace only.',
    argument: (i) => name(i, 'name'),
    stack: 'Pushes the value: one value more.',
  },
  {
    names: ['LOAD_GLOBALS'], last: '1.3',
    summary: 'Python 1.1–1.3: pushes the dictionary of the module\'s globals.',
    stack: 'Pushes the dictionary: one value more.',
  },
  {
    names: ['RESERVE_FAST'], last: '1.4',
    summary: 'Python 1.x: at the start of a function, sets up the array of fast locals from the tuple of local names in co_consts.',
    argument: constant,
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['LOAD_REVDB_VAR'], impl: 'PyPy',
    summary: 'PyPy\'s reverse debugger (RevDB) only: pushes one of the debugger\'s saved values ($0, $1, ...) when code is compiled inside a debugging session.',
    stack: 'Pushes the value: one value more.',
  },
];

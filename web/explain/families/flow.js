// Exceptions, with statements, returning, generators, coroutines and frame start-up.
import { jumpWords } from '../jumps.js';
import { since } from '../version.js';

const jump = (i, c) => jumpWords(i, c.v);
const py3 = (c) => c.v.major >= 3;
const handlerValues = (c) => (py3(c)
  ? 'six values pushed (the exception state it replaces, then the new exception\'s traceback, value and type)'
  : 'three values pushed (the exception\'s traceback, value and type)');

// The compilers before 3.7 book the values an exception handler starts with against the
// SETUP_* instruction itself (their stack_effect: +6, with's +7; 2.7's with +4), though
// nothing is pushed when it runs: the text states the booked count the depth walk uses.
const books = (c) => c.v.implementation === 'CPython' && (c.v.major === 2 || (c.v.major === 3 && c.v.minor <= 6));
const bookedAs = (c, n, what) => ` ${c.v.major}.${c.v.minor}'s compiler books ${what} against this instruction itself: dis.stack_effect counts +${n}.`;
const handlerBooked = (c) => (books(c) && py3(c) ? bookedAs(c, 6, 'those six values') : '');
const withBooked = (c) => (books(c) ? bookedAs(c, py3(c) ? 7 : 4, 'the values its handler starts with') : '');

export default [
  {
    names: ['RETURN_VALUE'],
    summary: 'Returns from the function (or ends the module or class body) with the value on top of the stack.',
    stack: 'Pops the return value and hands it to the caller; nothing after it runs in this frame.',
  },
  {
    names: ['RETURN_CONST'], first: '3.12', last: '3.13',
    summary: 'Returns a constant (most often the implicit return None) without pushing it first: LOAD_CONST and RETURN_VALUE in one.',
    argument: (i) => `Index ${i.arg} into co_consts: returns ${i.argval}.`,
    stack: 'Leaves the stack as it is and ends the frame.',
  },
  {
    names: ['RAISE_VARARGS'],
    summary: 'The raise statement: with no operand it re-raises the exception being handled; with one it raises it; with two it is raise X from Y (Python 3), or raise Type, value in Python 2 (three: with a traceback).',
    argument: (i, c) => `${i.arg} operand${i.arg === 1 ? '' : 's'} on the stack: ${[
      're-raise the active exception',
      'raise that exception',
      py3(c) ? 'raise the exception (beneath) from the cause (top)' : 'raise type, value',
      'raise type, value, traceback',
    ][i.arg] ?? 'unused'}.`,
    stack: (i) => `Pops ${i.arg === 0 ? 'nothing' : `${i.arg} value${i.arg === 1 ? '' : 's'}`} and leaves the frame's normal flow (the exception unwinds to a handler).`,
  },
  {
    names: ['RAISE_EXCEPTION'], last: '1.4',
    summary: 'Python 1.x raise: raises the exception (a string or class) with its value.',
    stack: 'Pops the value (top) and the exception, and unwinds to a handler.',
  },
  {
    names: ['RERAISE'], first: '3.9',
    summary: (i, c) => `Re-raises the exception on top of the stack, as at the end of a finally block or an except clause that did not handle it.${since(c.v, '3.11') ? ' When its argument is set it first restores the frame\'s position (f_lasti) from the value beneath, so the traceback points at the original instruction.' : ''}`,
    argument: (i) => `${i.arg}: ${i.arg ? 'restore the position saved beneath the exception' : 'no position to restore'}.`,
    stack: (i, c) => (since(c.v, '3.11')
      ? `Pops the exception${i.arg ? ' and the saved position beneath it' : ''} and unwinds to a handler.`
      : 'Pops the exception\'s three values and unwinds to a handler.'),
  },
  {
    names: ['SETUP_EXCEPT'],
    summary: 'Starts a try block with except clauses: pushes a block onto the frame\'s block stack whose handler is the jump target.',
    argument: jump,
    stack: (i, c) => `Leaves the stack as it is; if an exception is raised inside, the stack is cut back to this depth and the handler starts with ${handlerValues(c)}.${handlerBooked(c)}`,
  },
  {
    names: ['SETUP_FINALLY'],
    summary: (i, c) => (since(c.v, '3.8') && c.v.implementation === 'CPython'
      ? 'Starts a try block (with except clauses or a finally clause): pushes a block onto the frame\'s block stack whose handler is the jump target.'
      : 'Starts a try block with a finally clause: pushes a block onto the frame\'s block stack; the finally code at the target runs however the block is left.'),
    argument: jump,
    stack: (i, c) => `Leaves the stack as it is; if an exception is raised inside, the stack is cut back to this depth and the handler starts with ${handlerValues(c)}.${handlerBooked(c)}`,
  },
  {
    names: ['END_FINALLY'],
    summary: 'Ends a finally clause or an except chain that matched nothing: re-raises a pending exception, or resumes a pending return or continue (before 3.8), or just goes on.',
    stack: (i, c) => `Pops what the block was entered with: ${py3(c) ? 'a marker (None, or an integer reason before 3.8) or the exception\'s values' : 'a marker (None or a reason code) or the exception\'s three values'}.`,
  },
  {
    names: ['BEGIN_FINALLY'], first: '3.8', last: '3.8',
    summary: 'Python 3.8: enters a finally block on the normal path by pushing NULL, the marker END_FINALLY takes for "no exception".',
    stack: 'Pushes NULL: one value more; the compiler reserves room for an exception\'s six values at the same place, so dis.stack_effect counts +6.',
  },
  {
    names: ['CALL_FINALLY'], first: '3.8', last: '3.8',
    summary: 'Python 3.8: runs a finally block as a subroutine (on return, break or continue through it): pushes the address of the next instruction and jumps to the block.',
    argument: jump,
    stack: 'Jump: pushes the return address (POP_FINALLY or END_FINALLY takes it), one value more; dis.stack_effect counts 0 when not jumping.',
  },
  {
    names: ['POP_FINALLY'], first: '3.8', last: '3.8',
    summary: 'Python 3.8: leaves a finally block early (return, break, continue inside it): removes the block and the values END_FINALLY would have taken.',
    argument: (i) => `${i.arg}: ${i.arg ? 'keep the value on top (a return value) above what is removed' : 'nothing to keep'}.`,
    stack: 'Pops the finally block\'s marker, or its six exception values.',
  },
  {
    names: ['POP_EXCEPT'],
    summary: (i, c) => (since(c.v, '3.11')
      ? 'Leaves an except handler: restores the exception that was being handled before it (saved by PUSH_EXC_INFO).'
      : 'Leaves an except handler: removes its block and restores the previous exception state saved beneath it.'),
    stack: (i, c) => (since(c.v, '3.11') ? 'Pops the saved exception: one value fewer.' : 'Pops the three saved exception values.'),
  },
  {
    names: ['PUSH_EXC_INFO'], first: '3.11',
    summary: 'The first instruction of an except handler: saves the exception currently being handled (sys.exception()) and makes the new one current.',
    stack: 'Pops the new exception and pushes the previous one and then the new one: one value more.',
  },
  {
    names: ['CHECK_EXC_MATCH'], first: '3.11',
    summary: 'An except clause\'s test: does the exception match the class (or tuple of classes) on top of the stack?',
    stack: 'Pops the class, pushes True or False (the exception stays beneath): the depth is unchanged.',
  },
  {
    names: ['CHECK_EG_MATCH'],
    summary: 'An except* clause\'s test: splits the exception group beneath into the part that matches the class on top and the rest.',
    stack: 'Pops the class and the exception group, pushes the rest (re-raised later) and the matching part (None when nothing matches): the depth is unchanged.',
  },
  {
    names: ['PREP_RERAISE_STAR'], last: '3.11',
    summary: 'Python 3.11 except*: combines the exceptions raised and not handled by the except* clauses into the group to re-raise.',
    stack: 'Pops the list of raised exceptions (top) and the original group, pushes the exception to re-raise (or None): one value fewer.',
  },
  {
    names: ['JUMP_IF_NOT_EXC_MATCH'],
    summary: 'An except clause\'s test (3.9–3.10): jumps to the next clause unless the exception matches the class on top of the stack.',
    argument: jump,
    stack: 'Pops the class and the exception value beneath it: two values fewer, on both paths.',
  },
  {
    names: ['SETUP_WITH'],
    summary: 'Starts a with block: calls the context manager\'s __enter__, keeps its bound __exit__ for the end, and pushes a finally block whose handler (the target) runs __exit__.',
    argument: jump,
    stack: (i, c) => `Pops the context manager, pushes its __exit__ and then the result of __enter__(): one value more.${withBooked(c)}`,
  },
  {
    names: ['SETUP_ASYNC_WITH'],
    summary: 'Starts the block of an async with after __aenter__ has been awaited: pushes a finally block whose handler (the target) awaits __aexit__.',
    argument: jump,
    stack: 'Leaves the awaited result of __aenter__ on top; if the block raises, the handler starts with the exception\'s values pushed.',
  },
  {
    names: ['BEFORE_ASYNC_WITH'],
    summary: 'Starts an async with: looks up __aenter__ and __aexit__ on the context manager and calls __aenter__ (the awaitable it returns is awaited next).',
    stack: 'Pops the context manager, pushes the bound __aexit__ and then the awaitable from __aenter__(): one value more.',
  },
  {
    names: ['BEFORE_WITH'], first: '3.11', last: '3.13',
    summary: 'Starts a with block (3.11–3.13): looks up __enter__ and __exit__, calls __enter__, and keeps __exit__ on the stack for the end (the exception table says where exceptions go).',
    stack: 'Pops the context manager, pushes the bound __exit__ and then the result of __enter__(): one value more.',
  },
  {
    names: ['LOAD_SPECIAL'], first: '3.14',
    summary: 'Looks up a special method (__enter__, __exit__, __aenter__, __aexit__) on the type of the object on top of the stack, as the with statements need, leaving it ready for CALL.',
    argument: (i) => `${i.arg} selects the method: ${i.argrepr}.`,
    stack: 'Pops the object, pushes the method and then the object (self): one value more.',
  },
  {
    names: ['WITH_CLEANUP'], last: '3.4',
    summary: 'Ends a with block (2.5–3.4): calls the saved __exit__ with the exception (or three Nones) and, if it returns true, swallows the exception.',
    stack: 'Removes __exit__ from beneath the exception values (or the None marker) it leaves for END_FINALLY.',
  },
  {
    names: ['WITH_CLEANUP_START'],
    summary: 'Ends a with block (3.5–3.8), first half: calls __exit__ with the exception (or Nones) and pushes its result.',
    stack: 'Removes __exit__ and pushes its result above the exception values (or the marker).',
  },
  {
    names: ['WITH_CLEANUP_FINISH'],
    summary: 'Ends a with block (3.5–3.8), second half: if __exit__ returned true the exception is swallowed.',
    stack: 'Pops __exit__\'s result and the marker or exception it decided about.',
  },
  {
    names: ['WITH_EXCEPT_START'], first: '3.9',
    summary: 'In a with block\'s exception handler: calls __exit__ with the exception\'s type, value and traceback; what it returns says whether to swallow the exception.',
    stack: 'Pushes the result of __exit__(type, value, traceback); what is beneath stays: one value more.',
  },
  {
    names: ['CLEANUP_THROW'], first: '3.12',
    summary: 'Handles an exception thrown into a yield from or await: if it is the StopIteration ending the sub-iterator, takes its value as the result; otherwise re-raises.',
    stack: 'Pops the sub-iterator, the last sent value and the exception, pushes None and the value: one value fewer.',
  },
  {
    names: ['YIELD_VALUE'],
    summary: (i, c) => `Suspends the generator and hands the value on top of the stack to whoever resumed it; the value sent in next (None for next()) takes its place.${since(c.v, '3.12') && c.v.implementation === 'CPython' ? ' From 3.12 its argument says how deep the exception stack is at that point.' : ''}`,
    argument: (i) => `${i.arg}: how many exception handlers enclose this yield, so that closing the generator here knows what to unwind.`,
    stack: 'Pops the yielded value and, on resumption, pushes the value sent in: the depth is unchanged.',
  },
  {
    names: ['YIELD_FROM'],
    summary: 'yield from / await (3.3–3.10): sends the value on top into the sub-iterator beneath and yields what it yields, until it returns; its return value becomes the result.',
    stack: 'Pops the value to send; when the sub-iterator is done, it is replaced by its return value: one value fewer.',
  },
  {
    names: ['SEND'], first: '3.11',
    summary: 'One step of yield from or await: sends the value on top into the sub-iterator (or coroutine) beneath; if it yields, the value is yielded next; if it returns, the jump is taken with its return value.',
    argument: jump,
    stack: (i, c) => (since(c.v, '3.12')
      ? 'Pops the sent value, pushes what the sub-iterator produced: the depth is unchanged (the sub-iterator stays beneath; END_SEND removes it after the jump).'
      : 'Pops the sent value, pushes what the sub-iterator yielded; when it returns, the sub-iterator too is replaced by the return value and the jump is taken.'),
  },
  {
    names: ['END_SEND'], first: '3.12',
    summary: 'Ends a yield from or await loop: removes the sub-iterator and keeps its result.',
    stack: (i, c) => (since(c.v, '3.15') ? 'Removes the sub-iterator and the value GET_ITER pushed with it from beneath the result: two values fewer.' : 'Removes the sub-iterator from beneath the result: one value fewer.'),
  },
  {
    names: ['GET_AWAITABLE'],
    summary: 'await: turns the value on top of the stack into something to await (a coroutine, or the iterator of __await__()).',
    argument: (i) => `${i.arg}: where the await comes from, for error messages: ${['a plain await', 'after __aenter__', 'after __aexit__'][i.arg] ?? 'unknown'}.`,
    stack: 'Pops the value, pushes the awaitable\'s iterator: the depth is unchanged.',
  },
  {
    names: ['GET_AITER'],
    summary: 'Starts an async for: calls __aiter__() on the value on top of the stack.',
    stack: 'Pops the async iterable and pushes its async iterator: the depth is unchanged.',
  },
  {
    names: ['GET_ANEXT'],
    summary: 'One step of an async for: calls __anext__() on the async iterator and pushes the awaitable for the next value.',
    stack: 'Pushes the awaitable; the iterator stays: one value more.',
  },
  {
    names: ['END_ASYNC_FOR'],
    summary: 'Ends an async for when __anext__ raises StopAsyncIteration: cleans up the iterator; any other exception is re-raised.',
    argument: jump,
    stack: 'Pops the exception and the async iterator beneath it.',
  },
  {
    names: ['ASYNC_GEN_WRAP'], last: '3.11',
    summary: 'Python 3.11: wraps the value an async generator yields, so that its caller can tell a yielded value from an awaited one.',
    stack: 'Pops the value and pushes the wrapped value: the depth is unchanged.',
  },
  {
    names: ['GEN_START'], last: '3.10',
    summary: 'Python 3.10: the first instruction of a generator or coroutine; drops the None that starting it sends.',
    argument: (i) => `${i.arg}: the kind of frame: ${['generator', 'coroutine', 'async generator'][i.arg] ?? 'unknown'}.`,
    stack: 'Pops the initial sent value: one value fewer.',
  },
  {
    names: ['RETURN_GENERATOR'], first: '3.11',
    summary: 'The first instruction of a generator, coroutine or async generator function: creates the generator object from the frame and returns it to the caller; the body runs when it is first resumed.',
    stack: (i, c) => (since(c.v, '3.13')
      ? 'Pushes a value that the following POP_TOP drops when the generator starts: one value more.'
      : 'Counted as no change; when the generator is first resumed, the value sent in (None) is on the stack, and the POP_TOP after it drops it.'),
  },
  {
    names: ['RESUME'], first: '3.11',
    summary: 'Marks a point where the frame starts or resumes running (the start of the code, after a yield, a yield from or an await); it checks for interrupts and is where tracing and monitoring hook in. It does nothing to the values.',
    argument: (i, c) => `${i.arg}: ${['the start of the code', 'after a yield', 'after a yield from', 'after an await'][i.arg & 3]}${since(c.v, '3.13') && i.arg & 4 ? ', inside one level of exception handling' : ''}.`,
    stack: 'Leaves the stack as it is.',
  },
  {
    names: ['EXIT_INIT_CHECK'], first: '3.13',
    summary: 'After an __init__ called by a specialised class call: raises TypeError unless __init__ returned None.',
    stack: 'Pops __init__\'s return value: one value fewer.',
  },
  {
    names: ['INTERPRETER_EXIT'], first: '3.12',
    summary: 'Only in the interpreter\'s own small trampoline code, never in compiled code: leaves the evaluation loop, returning the value on top of the stack to C.',
    stack: 'Pops the value and leaves the interpreter.',
  },
];

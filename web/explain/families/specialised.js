// Forms no pyc contains, which the adaptive view (dis.dis(adaptive=True), 3.11+) shows:
// specialised and adaptive instructions (PEP 659), 3.11–3.12 superinstructions, the
// instrumented forms sys.monitoring swaps in (3.12+) and the JIT's entry points.
import { change } from '../words.js';

/** Base instructions that have specialised forms, longest first so prefixes match right. */
const BASES = [
  'LOAD_SUPER_ATTR', 'UNPACK_SEQUENCE', 'BINARY_SUBSCR', 'STORE_SUBSCR', 'JUMP_BACKWARD',
  'EXTENDED_ARG', 'CONTAINS_OP', 'LOAD_GLOBAL', 'LOAD_METHOD', 'COMPARE_OP', 'LOAD_CONST',
  'STORE_ATTR', 'BINARY_OP', 'LOAD_ATTR', 'FOR_ITER', 'GET_ITER', 'PRECALL', 'CALL_KW',
  'TO_BOOL', 'RESUME', 'CALL', 'SEND',
];

/** The base instruction a specialised name (FAMILY_CASE) stands in for. */
function baseOf(name) {
  if (/^CALL_EX_/.test(name)) return 'CALL_FUNCTION_EX';
  return BASES.find((b) => name.startsWith(`${b}_`)) ?? null;
}

/** Type names in specialised opcode names, spelled as Python spells them. */
const WORDS = {
  INT: 'int', FLOAT: 'float', UNICODE: 'str', STR: 'str', USTR: 'str', LIST: 'list', TUPLE: 'tuple',
  DICT: 'dict', SET: 'set', RANGE: 'range', GEN: 'generator', BOOL: 'bool', NONE: 'None',
  PY: 'Python function', KW: 'keywords', NO: 'no', O: 'one argument',
};
/** "add int": the case a specialised name describes, from the part after its base. */
function caseOf(name, base) {
  const tail = base === 'CALL_FUNCTION_EX' ? name.slice('CALL_EX_'.length) : name.slice(base.length + 1);
  return tail.split('_').filter(Boolean).map((w) => WORDS[w] ?? w.toLowerCase()).join(' ');
}

/** What the quickened forms of RESUME, JUMP_BACKWARD and EXTENDED_ARG do differently. */
const QUICK = {
  RESUME_QUICK: 'in 3.11, RESUME once the code has warmed up.',
  RESUME_CHECK: 'it only checks that the code\'s instrumentation is up to date and whether the interpreter is asked to stop (a signal, another thread, the garbage collector).',
  RESUME_CHECK_JIT: 'RESUME_CHECK for code the JIT may have compiled.',
  JUMP_BACKWARD_QUICK: 'in 3.11, JUMP_BACKWARD without its warm-up counter.',
  JUMP_BACKWARD_JIT: 'it counts the loop\'s iterations and hands a hot loop to the JIT.',
  JUMP_BACKWARD_NO_JIT: 'JUMP_BACKWARD without the JIT\'s counting, when the JIT is off.',
  EXTENDED_ARG_QUICK: 'in 3.11, EXTENDED_ARG once the code has warmed up.',
};

export default [
  {
    pattern: /^[A-Z_]+_ADAPTIVE$/, first: '3.11', last: '3.11', impl: 'CPython',
    specialises: (name) => name.replace(/_ADAPTIVE$/, ''),
    summary: (i, c) => `${c.name} is the 3.11 adaptive form of ${c.base}: it counts how often it runs and, once warm, rewrites itself into the specialised form that fits the values it saw (3.12 moved this counting into ${c.base} itself). Only the adaptive view shows it; no pyc contains it.`,
  },
  {
    names: ['LOAD_FAST__LOAD_FAST', 'LOAD_FAST__LOAD_CONST', 'LOAD_CONST__LOAD_FAST', 'STORE_FAST__LOAD_FAST', 'STORE_FAST__STORE_FAST'],
    first: '3.11', last: '3.12',
    specialises: (name) => name.split('__')[0],
    summary: (i, c) => `A 3.11–3.12 superinstruction: the interpreter fused ${c.name.split('__').join(' and ')} (two consecutive instructions) into one, so that both run in one dispatch; the second reads its argument from the code unit that follows. Only the adaptive view shows it.`,
    stack: (i, c) => {
      const [a, b] = c.name.split('__');
      const effect = (op) => (op.startsWith('STORE') ? -1 : 1);
      const n = effect(a) + effect(b);
      return `${a.startsWith('STORE') ? 'Pops a value into a local' : 'Pushes a value'}, then ${b.startsWith('STORE') ? 'pops another into a local' : 'pushes another'}: ${change(n)}.`;
    },
  },
  {
    pattern: /^INSTRUMENTED_(?!LINE$|INSTRUCTION$)[A-Z_]+$/, first: '3.12', impl: 'CPython',
    specialises: (name) => name.replace(/^INSTRUMENTED_/, ''),
    summary: (i, c) => `${c.name} is ${c.base} with a hook: when a tool turns on sys.monitoring events (a debugger, a profiler, coverage), the interpreter swaps it in so that the event is reported, then does what ${c.base} does. No pyc contains it.`,
  },
  {
    names: ['INSTRUMENTED_LINE'], first: '3.12',
    summary: 'Put in place of the first instruction of a source line while sys.monitoring watches LINE events: reports the line, then runs the original instruction (kept aside). No pyc contains it.',
    stack: 'As the original instruction.',
  },
  {
    names: ['INSTRUMENTED_INSTRUCTION'], first: '3.12',
    summary: 'Put in place of an instruction while sys.monitoring watches INSTRUCTION events: reports the event, then runs the original instruction (kept aside). No pyc contains it.',
    stack: 'As the original instruction.',
  },
  {
    names: ['ENTER_EXECUTOR'], first: '3.13',
    summary: 'Put in place of a hot JUMP_BACKWARD when the experimental optimiser (tier 2, or the JIT) has compiled the loop: it enters the optimised trace. Its argument indexes the code object\'s executors. No pyc contains it.',
    argument: (i) => `${i.arg}: index of the executor among the code object's executors.`,
    stack: 'Leaves the stack as the original loop would.',
  },
  {
    names: ['TRACE_RECORD'], first: '3.15',
    summary: 'Used by 3.15\'s trace recording for the JIT: records the instruction that follows while a trace is being built. No pyc contains it.',
    stack: 'Leaves the stack as it is.',
  },
  {
    pattern: /^(RESUME_CHECK|RESUME_CHECK_JIT|RESUME_QUICK|JUMP_BACKWARD_QUICK|JUMP_BACKWARD_JIT|JUMP_BACKWARD_NO_JIT|EXTENDED_ARG_QUICK)$/, first: '3.11', impl: 'CPython',
    specialises: baseOf,
    summary: (i, c) => `${c.name} is the form of ${c.base} the running interpreter switches to: ${QUICK[c.name]} Only the adaptive view shows it; no pyc contains it.`,
  },
  {
    match: (name) => baseOf(name) !== null, first: '3.11', impl: 'CPython',
    specialises: baseOf,
    summary: (i, c) => `${c.name} is a specialised form of ${c.base} (PEP 659): after ${c.base} has run a few times, the specialising interpreter rewrites it in place into this form, fast for one case (${caseOf(c.name, c.base)}); if the case stops holding it falls back to ${c.base}. Only the adaptive view shows it; no pyc contains it.`,
  },
];

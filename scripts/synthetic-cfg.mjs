// A made-up function of any number of basic blocks, shaped like the code objects of the JSON
// document (docs/document.md, "Control flow and stack depth"): for the layout benchmark
// (scripts/bench-cfg-layout.mjs) and the browser test that opens a 500-block graph, since no
// fixture has that many. Real compilers do not make these; only their shape matters: runs of
// 1–8 instructions ending in conditional jumps forward, loops jumping back, falls, and
// exception edges from protected runs to handlers.

/** A seeded generator, so that every run draws the same graph. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const BODY_OPS = [['LOAD_FAST', 'value'], ['LOAD_CONST', '1'], ['BINARY_OP', '+'], ['STORE_FAST', 'total'],
  ['LOAD_GLOBAL', 'print + NULL'], ['CALL', '1'], ['POP_TOP', ''], ['LOAD_ATTR', 'append'], ['COMPARE_OP', '<']];

/** A code object with `count` blocks (count ≥ 2): { co_name, instructions, blocks, edges }. */
export function syntheticCode(count, seed = 12) {
  const next = random(seed);
  const pick = (n) => Math.floor(next() * n);
  const instructions = [];
  const blocks = [];
  const edges = [];
  let line = 1;
  let handler = -1;
  for (let b = 0; b < count; b++) {
    if (b % 25 === 0) handler = Math.min(count - 1, b + 20 + pick(5));
    const first = instructions.length;
    const body = 1 + pick(7);
    for (let k = 0; k < body; k++) {
      const [opname, argrepr] = BODY_OPS[pick(BODY_OPS.length)];
      if (pick(3) === 0) line++;
      instructions.push({ opname, argrepr, line });
    }
    const last = b === count - 1;
    const shape = last ? 'return' : b < 2 ? 'fall' : ['branch', 'branch', 'loop', 'fall'][pick(4)];
    if (shape === 'return') instructions.push({ opname: 'RETURN_VALUE', argrepr: '', line });
    if (shape === 'branch') {
      const target = Math.min(count - 1, b + 2 + pick(5));
      instructions.push({ opname: 'POP_JUMP_IF_FALSE', argrepr: `to block ${target}`, line });
      edges.push({ from: b, to: target, kind: 'taken' }, { from: b, to: b + 1, kind: 'not_taken' });
    }
    if (shape === 'loop') {
      const target = Math.max(0, b - 1 - pick(8));
      instructions.push({ opname: 'JUMP_BACKWARD', argrepr: `to block ${target}`, line });
      edges.push({ from: b, to: target, kind: 'jump' });
    }
    if (shape === 'fall') edges.push({ from: b, to: b + 1, kind: 'fall' });
    if (handler > b && b % 25 < 15) edges.push({ from: b, to: handler, kind: 'exception', depth: 0, lasti: false });
    blocks.push({ first, count: instructions.length - first, stack_depth: pick(4) });
  }
  let offset = 0;
  for (const ins of instructions) {
    ins.offset = offset;
    offset += 2;
  }
  for (const block of blocks) {
    block.start = instructions[block.first].offset;
    block.end = instructions[block.first + block.count - 1].offset + 2;
  }
  return { co_name: `synthetic_${count}`, co_qualname: `synthetic_${count}`, instructions, blocks, edges };
}

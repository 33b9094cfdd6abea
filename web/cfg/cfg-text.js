// What the control-flow graph view says about a block, in words: its name and place for the
// boxes' accessible names, and its successors for the text alternative (the list that stands
// in for the drawing for keyboard and screen-reader users). Works on a code object of the
// JSON document (docs/document.md, "Control flow and stack depth").

/** How each edge kind is read out after its target. */
const KIND_WORDS = {
  fall: 'falls through', jump: 'jump', taken: 'taken', not_taken: 'not taken',
  setup: 'setup handler', exception: 'exception',
};

/** The source lines a block's instructions come from, ascending, each once. */
export function blockLines(code, block) {
  const lines = new Set();
  for (let i = block.first; i < block.first + block.count; i++) {
    const line = code.instructions[i]?.line;
    if (line !== null && line !== undefined) lines.add(line);
  }
  return [...lines].sort((a, b) => a - b);
}

/** "lines 4–5", "line 4", or '' when no instruction has a line. */
function linesText(lines) {
  if (!lines.length) return '';
  const low = lines[0];
  const high = lines[lines.length - 1];
  return low === high ? `line ${low}` : `lines ${low}–${high}`;
}

/** "Block 3, offsets 20–34, depth 2, lines 4–5": what names a block's box. */
export function blockTitle(code, index) {
  const block = code.blocks[index];
  const last = code.instructions[block.first + block.count - 1];
  const parts = [`Block ${index}`, last.offset === block.start ? `offset ${block.start}` : `offsets ${block.start}–${last.offset}`];
  if (block.stack_depth !== null && block.stack_depth !== undefined) parts.push(`depth ${block.stack_depth}`);
  const lines = linesText(blockLines(code, block));
  if (lines) parts.push(lines);
  return parts.join(', ');
}

/** "goes to block 4 (not taken), block 7 (taken), handler block 9 (exception)", or "ends the function". */
export function successorsText(code, index) {
  const out = code.edges.filter((e) => e.from === index);
  if (!out.length) return 'leaves the function';
  const named = out.map((e) => `${e.kind === 'exception' || e.kind === 'setup' ? 'handler ' : ''}block ${e.to} (${KIND_WORDS[e.kind] ?? e.kind})`);
  return `goes to ${named.join(', ')}`;
}

/** One instruction as its box shows it: "20 POP_JUMP_IF_FALSE to 34". */
export function instructionText(ins) {
  return `${ins.offset} ${ins.opname}${ins.argrepr ? ` ${ins.argrepr}` : ''}`;
}

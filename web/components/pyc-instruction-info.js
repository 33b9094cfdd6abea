// What the selected instruction does, in plain words for the Python that wrote the file: its
// name, a summary, its argument's meaning with the argument's own value, its stack effect and
// the stack depth before it (web/explain/ holds the words). Text only; announced politely.
import { el } from '../model.js';
import { explain } from '../explain/explain.js';

/** "+1", "−2", "0": a signed stack effect as people write it. */
export function signed(n) {
  return n > 0 ? `+${n}` : n < 0 ? `\u2212${-n}` : '0';
}

/**
 * The index of the instruction that runs after instructions[index] when it does not jump,
 * or null when it never falls through (return, raise, unconditional jump). Inside a basic
 * block it is the next instruction; at a block's end, the block its `fall` or `not_taken`
 * edge leads to. Without blocks, the next instruction.
 */
export function fallThrough(code, index) {
  const ins = code.instructions ?? [];
  const blocks = code.blocks;
  if (!Array.isArray(blocks) || !Array.isArray(code.edges)) return index + 1 < ins.length ? index + 1 : null;
  const b = blocks.findIndex((blk) => index >= blk.first && index < blk.first + blk.count);
  if (b < 0) return null;
  if (index < blocks[b].first + blocks[b].count - 1) return index + 1;
  const edge = code.edges.find((e) => e.from === b && (e.kind === 'fall' || e.kind === 'not_taken'));
  return edge ? blocks[edge.to].first : null;
}

/**
 * The stack effect line: the analysis's own numbers (`stack_effect`, `stack_effect_jump`)
 * when the document has them, else depth before → after from `stack_depth` of this
 * instruction and its fall-through successor; null when the document has no depths or no
 * path reaches the instruction (the depth row says so).
 */
export function effectText(code, index) {
  const ins = code.instructions[index];
  if (typeof ins.stack_effect === 'number') {
    const jump = typeof ins.stack_effect_jump === 'number' && ins.jump_target !== null && ins.stack_effect_jump !== ins.stack_effect
      ? `; ${signed(ins.stack_effect_jump)} when the jump is taken` : '';
    return `${signed(ins.stack_effect)}${jump}`;
  }
  if (!('stack_depth' in ins) || ins.stack_depth === null) return null;
  const next = fallThrough(code, index);
  const after = next === null ? null : code.instructions[next]?.stack_depth;
  if (after === null || after === undefined) return `depth ${ins.stack_depth} before; it does not fall through to a next instruction`;
  return `depth ${ins.stack_depth} → ${after} (${signed(after - ins.stack_depth)})`;
}

/**
 * `<pyc-instruction-info>`: show(instruction, code, header) explains one instruction of a
 * code node for the header's version (`python`, `implementation`); clear() empties it.
 */
class PycInstructionInfo extends HTMLElement {
  connectedCallback() {
    this.setAttribute('aria-live', 'polite');
    this.classList.add('instruction-info');
  }

  /** Explains `instruction` (a row of `code.instructions`) as `header`'s Python runs it. */
  show(instruction, code, header) {
    const ins = code?.instructions ?? [instruction];
    let index = ins.indexOf(instruction);
    if (index < 0) index = ins.findIndex((i) => i.offset === instruction.offset);
    const doc = index < 0 ? { instructions: [instruction] } : code;
    const at = index < 0 ? 0 : index;
    const words = explain(instruction, code, header);
    const version = `${header.implementation === 'PyPy' ? 'PyPy ' : 'Python '}${header.python}`;
    const rows = [];
    rows.push(['argument', words?.argument ?? (instruction.arg === null ? 'It takes no argument.' : `${instruction.arg} (${instruction.argrepr})`)]);
    if (words?.stack) rows.push(['stack', words.stack]);
    const effect = effectText(doc, at);
    if (effect !== null) rows.push(['effect', effect]);
    if ('stack_depth' in instruction) {
      rows.push(['depth before', instruction.stack_depth === null ? 'none: no path reaches it' : String(instruction.stack_depth)]);
    }
    const list = el('dl', { class: 'instruction-info-fields' });
    for (const [k, v] of rows) list.append(el('dt', { text: k }), el('dd', { text: v }));
    this.replaceChildren(
      el('p', { class: 'instruction-info-name' },
        el('code', { text: instruction.opname }),
        ` at offset ${instruction.offset}, ${version}`),
      el('p', { class: 'instruction-info-summary', text: words?.summary ?? `No explanation of ${instruction.opname} for ${version}.` }),
      list,
    );
    this.dataset.opname = instruction.opname;
  }

  /** Empties the element (no instruction selected). */
  clear() {
    this.replaceChildren();
    delete this.dataset.opname;
  }
}
customElements.define('pyc-instruction-info', PycInstructionInfo);

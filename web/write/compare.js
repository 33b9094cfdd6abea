// Lines up the disassembly of one module from several pycs (several versions, or before and
// after an edit) by source line, and marks what each column changed relative to the one on
// its left: instructions added, removed, or the same instruction with another argument.
// Pure data in, data out: the view (components/pyc-compare.js) only draws it.

/**
 * What makes two instructions "the same" across versions: the name, and the argument as
 * dis prints it, except where it holds a position in this file (jump targets, a nested code
 * object's address), which moves whenever anything before it changes.
 */
function argKey(ins) {
  if (ins.jump_target !== null && ins.jump_target !== undefined) return '';
  return (ins.argrepr ?? '').replace(/ at 0x[0-9a-f]+/g, '');
}

/**
 * Rows of instructions by source line, for one pyc: `codes` are its code objects in
 * pre-order (`{ name, instructions }`). An instruction without a line stays with the line
 * of the instruction before it in its code object (its cleanup or setup).
 */
function byLine(codes) {
  const rows = new Map();
  for (const code of codes) {
    let line = null;
    for (const ins of code.instructions) {
      if (ins.opname === 'EXTENDED_ARG' || ins.opname === 'CACHE') continue;
      if (ins.line !== null && ins.line !== undefined) line = ins.line;
      const key = line ?? 0;
      if (!rows.has(key)) rows.set(key, []);
      rows.get(key).push({ code: code.name, ins });
    }
  }
  return rows;
}

// Longest common subsequence tables grow as the product of the two lengths; past this a
// line's instructions are shown as all replaced rather than aligned (never in real code).
const MAX_CELLS = 1 << 20;

/**
 * The entries of `right` marked against `left`: `same`, `changed` (same name, other
 * argument), `added`; and `removed` ghosts of left's unmatched entries, in order.
 */
export function diff(left, right) {
  const n = left.length;
  const m = right.length;
  if (n * m > MAX_CELLS) {
    return [...left.map((e) => ({ ...e, mark: 'removed' })), ...right.map((e) => ({ ...e, mark: 'added' }))];
  }
  // lcs[i][j]: the longest match of left[i..] and right[j..] by opname.
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = left[i].ins.opname === right[j].ins.opname ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && left[i].ins.opname === right[j].ins.opname) {
      out.push({ ...right[j], mark: argKey(left[i].ins) === argKey(right[j].ins) ? 'same' : 'changed', was: left[i].ins });
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out.push({ ...right[j++], mark: 'added' });
    } else {
      out.push({ ...left[i++], mark: 'removed' });
    }
  }
  return out;
}

/**
 * `columns`: [{ label, codes: [{ name, instructions }] }]. Returns `{ lines, rows, totals }`:
 * one row per source line any column has instructions for (line 0: before the first line),
 * each with one cell per column; the first column is all `same`, every other is marked
 * against its left neighbour. `totals[c]` counts each column's marks.
 */
export function alignByLine(columns) {
  const perColumn = columns.map((c) => byLine(c.codes));
  const lines = [...new Set(perColumn.flatMap((rows) => [...rows.keys()]))].sort((a, b) => a - b);
  const totals = columns.map(() => ({ same: 0, changed: 0, added: 0, removed: 0 }));
  const rows = lines.map((line) => ({
    line,
    cells: perColumn.map((rows, c) => {
      const entries = rows.get(line) ?? [];
      const cell = c === 0 ? entries.map((e) => ({ ...e, mark: 'same' })) : diff(perColumn[c - 1].get(line) ?? [], entries);
      for (const e of cell) totals[c][e.mark]++;
      return cell;
    }),
  }));
  return { lines, rows, totals };
}

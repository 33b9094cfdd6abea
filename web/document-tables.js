// The document keeps its tables as rows (docs/document.md, "Tables as rows"): one array per
// instruction, block, edge and exception-table entry, and one list of field boundaries per
// code object, with the keys said once per document. This module turns one code node's
// rows back into the objects the page works with, and adds what a row leaves out because
// its neighbours already say it (opname, start_offset, caches, span, positions, spans).
// No DOM: the worker, the page and the tests share it.

/** The keys a document says once: `{ code_fields, instruction_fields, opnames, python }`,
 * and for GraalPy its code units' fields (`graalpy`: its instructions have no caches and
 * its positions are per byte). */
export function documentKeys(doc, header = doc.header) {
  return {
    code_fields: doc.code_fields ?? [],
    code_unit_fields: doc.code_unit_fields ?? null,
    instruction_fields: doc.instruction_fields ?? [],
    opnames: doc.opnames ?? [],
    python: header?.python ?? '',
    graalpy: header?.implementation === 'GraalPy',
  };
}

/** `[major, minor]` of a header's `python` ("3.12", "pypy3.9" → [3, 12], [3, 9]). */
function versionOf(python) {
  const m = /(\d+)\.(\d+)/.exec(python ?? '');
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

function atLeast([major, minor], wantMajor, wantMinor) {
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}

/** The instruction objects of one code node, as `dis.get_instructions` names their fields. */
export function instructionObjects(code, keys) {
  const rows = code.instructions;
  if (!Array.isArray(rows)) return rows ?? null;
  const version = versionOf(keys.python);
  const labelled = atLeast(version, 3, 13);
  const caching = atLeast(version, 3, 11) && !keys.graalpy;
  const unitBytes = keys.graalpy ? 1 : 2;
  const units = unitPositions(code.positions);
  const codeLength = typeof code.co_code === 'string' ? code.co_code.length / 2 : 0;
  const at = code.bytecode_at ?? 0;
  const fields = keys.instruction_fields;
  const out = new Array(rows.length);
  let prefixStart = null;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const ins = {};
    for (let k = 0; k < fields.length; k++) ins[fields[k]] = row[k] ?? null;
    const end = i + 1 < rows.length ? rows[i + 1][0] : Math.max(codeLength, ins.offset);
    const opname = keys.opnames[ins.opcode] ?? `<${ins.opcode}>`;
    ins.opname = opname;
    if (ins.argval === null) ins.argval = ins.argrepr;
    ins.is_jump_target = ins.label > 0;
    if (!labelled) ins.label = null;
    else if (ins.label === 0) ins.label = null;
    ins.starts_line = ins.starts_line === 1;
    const prefix = opname === 'EXTENDED_ARG';
    ins.start_offset = prefix ? ins.offset : (prefixStart ?? ins.offset);
    prefixStart = prefix ? (prefixStart ?? ins.offset) : null;
    ins.caches = caching ? Math.max(0, (end - ins.offset) / 2 - 1) : 0;
    ins.positions = units ? (units[ins.offset / unitBytes] ?? [null, null, null, null]) : null;
    ins.span = [at + ins.offset, at + end];
    out[i] = ins;
  }
  return out;
}

/** 3.11+ `positions` runs `[units, line, end_line, col, end_col]` as one entry per code unit. */
function unitPositions(runs) {
  if (!Array.isArray(runs)) return null;
  const out = [];
  for (const [count, ...where] of runs) for (let n = 0; n < count; n++) out.push(where);
  return out;
}

/** `{ field: [start, end] }` from the code node's `field_offsets` and the document's `code_fields`. */
export function fieldSpans(code, keys) {
  const bounds = code.field_offsets;
  if (!Array.isArray(bounds)) return code.spans ?? {};
  const spans = {};
  // A GraalPy code unit nested in another stores only the unit's fields.
  const unit = keys.code_unit_fields && bounds.length === keys.code_unit_fields.length + 1;
  (unit ? keys.code_unit_fields : keys.code_fields).forEach((field, i) => {
    if (i + 1 < bounds.length) spans[field] = [bounds[i], bounds[i + 1]];
  });
  return spans;
}

/** One code node (not its nested code constants) with every table as objects. */
export function expandCode(code, keys) {
  if (!code || code.type !== 'code') return code;
  const out = { ...code, spans: fieldSpans(code, keys), instructions: instructionObjects(code, keys) };
  if (Array.isArray(code.lines)) {
    let start = 0;
    out.lines = code.lines.map(([end, line]) => {
      const range = [start, end, line];
      start = end;
      return range;
    });
  }
  if (Array.isArray(code.exception_table)) {
    out.exception_table = code.exception_table.map(([start, end, target, depth, lasti]) => ({ start, end, target, depth, lasti: lasti === 1 }));
  }
  if (Array.isArray(code.blocks)) {
    out.blocks = code.blocks.map(([start, end, first, count, stack_depth]) => ({ start, end, first, count, stack_depth }));
  }
  if (Array.isArray(code.edges)) {
    out.edges = code.edges.map(([from, to, kind, depth, lasti]) => (kind === 'exception'
      ? { from, to, kind, depth, lasti: lasti === 1 } : { from, to, kind }));
  }
  return out;
}

/** A code node and every code object among its constants, expanded (the whole-file view). */
export function expandTree(code, keys) {
  const out = expandCode(code, keys);
  if (out?.type === 'code' && Array.isArray(out.co_consts)) {
    out.co_consts = out.co_consts.map((c) => expandNested(c, keys));
  }
  return out;
}

function expandNested(node, keys) {
  if (!node || typeof node !== 'object') return node;
  if (node.type === 'code') return expandTree(node, keys);
  if (Array.isArray(node.items)) return { ...node, items: node.items.map((c) => expandNested(c, keys)) };
  return node;
}

/** A whole document (`pyclens json`, `Session.document()`) with every code node expanded. */
export function expandDocument(doc) {
  return doc?.code ? { ...doc, code: expandTree(doc.code, documentKeys(doc)) } : doc;
}

// The expected answer of a question, read from the decoded .pyc of one Python version: the
// lesson file only says what the question is about, never what the answer is.
import { codeKind, descendants } from './model.js';

/** Python's repr of a str (names and file names; enough for identifiers and paths). */
export function pyStr(s) {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replaceAll(quote, `\\${quote}`);
  return quote + body + quote;
}

/** A Python tuple literal of already-rendered items. */
function tuple(items) {
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/**
 * Finds the code object a question names: by `co_qualname` where the version has it, else by
 * walking names down the tree (`counter.<locals>.increment` → counter, then increment).
 */
export function findCode(summary, path) {
  const codes = summary.codes;
  if (path === '<module>') return codes[0];
  const byQualname = codes.find((c) => c.co_qualname === path);
  if (byQualname) return byQualname;
  const names = path.split('.').filter((p) => p !== '<locals>');
  let parent = 0;
  let found = null;
  for (const name of names) {
    found = codes.find((c) => c.parent === parent && c.co_name === name);
    if (!found) return null;
    parent = found.index;
  }
  return found;
}

/**
 * `{ value }` — the answer as Python shows it — or `{ missing }` — why this version has no
 * answer (an attribute it does not have, a function it cannot compile).
 */
export async function expectedAnswer(decoder, summary, q) {
  if (q.header) {
    const v = summary.header[q.header];
    return v === null || v === undefined ? { missing: `this version's header has no ${q.header}` } : { value: String(v) };
  }
  const entry = findCode(summary, q.code);
  if (!entry) return { missing: `this version's file has no code object ${q.code}` };
  if (q.flag) return { value: (entry.flags ?? []).includes(q.flag) ? 'True' : 'False' };
  if (q.kind) return { value: codeKind(entry, entry.depth) };
  const below = descendants(summary.codes, entry.index);
  if (q.nested) return { value: tuple(below.filter((c) => c.parent === entry.index).map((c) => pyStr(c.co_name))) };
  if (q.total === 'consts') return { value: String([entry, ...below].reduce((n, c) => n + (c.consts ?? 0), 0)) };
  const { code } = await decoder.code(entry.index);
  if (q.instructions) {
    // dis.get_instructions's names in order, or the line each instruction comes from.
    const sequence = (code.instructions ?? []).map((i) => (q.instructions === 'lines' ? String(i.line ?? 'None') : i.opname));
    return { value: sequence.join(' '), sequence };
  }
  if (q.distinct_lines) return { value: String(new Set(code.linestarts.map(([, line]) => line).filter((l) => l !== null)).size) };
  if (!(q.field in code)) return { missing: `code objects of this version have no ${q.field}` };
  const v = code[q.field];
  if (q.field === 'co_consts') return { value: tuple(v.map((c) => c.repr)) };
  if (Array.isArray(v)) return { value: tuple(v.map(pyStr)) };
  if (typeof v === 'string') return { value: q.form === 'hex' || /^co_(code|lnotab|linetable|exceptiontable)$/.test(q.field) ? v : pyStr(v) };
  if (q.form === 'hex') return { value: `0x${v.toString(16)}` };
  return { value: String(v) };
}

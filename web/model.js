// Small helpers over the pyclens documents (docs/document.md): labels for code objects,
// dates, and DOM creation that only ever inserts text.
import { pluck } from './columns.js';

/** The name a person knows a code object by. */
export function codeName(code) {
  return code.co_qualname ?? code.co_name ?? '?';
}

/** What kind of code object this is, from its name and flags. */
export function codeKind(code, depth) {
  const name = code.co_name ?? '';
  const flags = code.flags ?? [];
  if (depth === 0) return 'module';
  if (name === '<lambda>') return 'lambda';
  if (/^<(listcomp|setcomp|dictcomp|genexpr)>$/.test(name)) return 'comprehension';
  if (flags.includes('ASYNC_GENERATOR')) return 'async generator';
  if (flags.includes('COROUTINE')) return 'coroutine';
  if (flags.includes('GENERATOR')) return 'generator';
  if (!flags.includes('NEWLOCALS')) return 'class body';
  return 'function';
}

/**
 * Every code object nested (at any depth) in the one at `index` of a summary's `codes`:
 * the pre-order run after it that is deeper than it.
 */
export function descendants(codes, index) {
  const out = [];
  for (let i = index + 1; i < codes.length && codes[i].depth > codes[index].depth; i++) out.push(codes[i]);
  return out;
}

/** Instructions that read or write a global name (in a module or class body: a name). */
const GLOBAL_OPS = new Set(['LOAD_GLOBAL', 'STORE_GLOBAL', 'DELETE_GLOBAL']);

/**
 * The code inspector (the code panel shows it; lessons check a learner's own inspector
 * against it): the kind of code, the globals it uses, its free and cell variables, the code
 * objects directly nested in it with their kinds, and how many constants it and everything
 * nested in it hold. `code` is a code document, `entry` its row in the summary's `codes`.
 */
export function inspect(code, entry, codes) {
  const ins = code.instructions ?? [];
  const globals = [...new Set(pluck(ins, 'opname').flatMap((opname, i) => (GLOBAL_OPS.has(opname)
    ? [ins[i].argval.replace(/^'(.*)'$/, '$1')] : [])))];
  const nested = (code.co_consts ?? []).filter((c) => c.code_index !== undefined).map((c) => codes[c.code_index])
    .map((n) => ({ name: n.co_name, qualname: codeName(n), kind: codeKind(n, n.depth) }));
  const constants = [entry, ...descendants(codes, entry.index)].reduce((n, c) => n + (c.consts ?? 0), 0);
  return { kind: codeKind(entry, entry.depth), globals, free: code.co_freevars ?? [], cells: code.co_cellvars ?? [], nested, constants };
}

/** `YYYY-MM-DD HH:MM:SS UTC` for a Unix time. */
export function utcDate(seconds) {
  return new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** Creates an element with text (never HTML) and attributes. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

// Read-only helpers over the pyclens document (docs/document.md): the code objects in
// order, human labels, and the byte-to-node index behind the hex view.

/** Code objects in pre-order: { code, depth, parent, index }. References are skipped. */
export function codeObjects(doc) {
  const out = [];
  const stack = [{ code: doc.code, depth: 0, parent: -1 }];
  while (stack.length) {
    const item = stack.pop();
    if (!item.code || item.code.type !== 'code' || item.code.ref !== undefined) continue;
    item.index = out.length;
    out.push(item);
    const children = (item.code.co_consts ?? []).filter((c) => c.type === 'code' && c.ref === undefined);
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ code: children[i], depth: item.depth + 1, parent: item.index });
    }
  }
  return out;
}

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
 * Every span in the document that a byte can belong to, innermost found by `lookup`:
 * the header, each code object, each of its fields, each constant (recursively).
 */
export class SpanIndex {
  constructor(doc, codes) {
    this.entries = [{ start: doc.header.span[0], end: doc.header.span[1], label: 'header', code: -1 }];
    for (const { code, index } of codes) {
      this.entries.push({ start: code.span[0], end: code.span[1], label: codeName(code), code: index });
      for (const [field, span] of Object.entries(code.spans ?? {})) {
        this.entries.push({ start: span[0], end: span[1], label: `${codeName(code)}.${field}`, code: index, field });
      }
      (code.co_consts ?? []).forEach((c, i) => this.#addValue(c, `${codeName(code)}.co_consts[${i}]`, index));
    }
    if (doc.trailing) this.entries.push({ start: doc.trailing.span[0], end: doc.trailing.span[1], label: 'trailing bytes', code: -1 });
  }

  #addValue(node, label, code) {
    if (node.type === 'code' && node.ref === undefined) return; // its own code entry covers it
    this.entries.push({ start: node.span[0], end: node.span[1], label, code });
    (node.items ?? []).forEach((item, i) => {
      if (Array.isArray(item)) item.forEach((kv, k) => this.#addValue(kv, `${label}[${i}][${k}]`, code));
      else this.#addValue(item, `${label}[${i}]`, code);
    });
  }

  /** The smallest span holding `offset`, or null. */
  lookup(offset) {
    let best = null;
    for (const e of this.entries) {
      if (e.start <= offset && offset < e.end && (!best || e.end - e.start < best.end - best.start)) best = e;
    }
    return best;
  }
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

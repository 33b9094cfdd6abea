// Holds one decoded document where it was parsed (the worker, or the page for the
// single-file build) and hands out what a view needs: a light summary for the tree, one
// code object at a time, the owner of a byte. A large file's document is hundreds of
// megabytes of objects; the page's main thread never has to parse or hold it whole.
import { codeObjects, SpanIndex } from './model.js';

export class DocStore {
  load(json) {
    this.doc = JSON.parse(json);
    this.codes = codeObjects(this.doc);
    this.index = null;
  }

  /** Header, diagnostics and the code-object tree (names, kinds, lines, spans only). */
  summary() {
    const { header, diagnostics, trailing } = this.doc;
    const codes = this.codes.map(({ code, depth, parent, index }) => ({
      depth, parent, index,
      code: { co_name: code.co_name, co_qualname: code.co_qualname, co_firstlineno: code.co_firstlineno, flags: code.flags, span: code.span },
    }));
    return { header, diagnostics, trailing, codes };
  }

  /** One code object; nested code objects become stubs naming their tree index. */
  code(index) {
    const code = this.codes[index]?.code;
    if (!code) return null;
    const position = new Map(this.codes.map((c) => [c.code, c.index]));
    const co_consts = (code.co_consts ?? []).map((c) =>
      (c.type === 'code' && position.has(c) ? { type: c.type, repr: c.repr, span: c.span, code_index: position.get(c) } : c));
    return { ...code, co_consts };
  }

  /** The smallest node whose bytes hold `offset`. */
  lookup(offset) {
    this.index ??= new SpanIndex(this.doc, this.codes);
    return this.index.lookup(offset);
  }

  json() {
    return JSON.stringify(this.doc);
  }
}

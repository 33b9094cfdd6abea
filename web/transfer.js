// A large reply crosses from the worker to the page in pieces. A message is copied (a
// structured clone) and read on the receiving thread in one task, so the module code object
// of a multi-megabyte file (60,000 instructions, 9,000 constants) would hold the page's main
// thread for hundreds of milliseconds in one go. Instead, every long array of the reply's
// code object (its constants, names, positions…) is sent ahead in slices, one message each:
// each is read in a task of its own, short enough for the page to paint and answer input
// between them, and the reply itself comes last with those arrays left empty. (The
// instructions travel as columns, columns.js: a few typed arrays and strings.)

/**
 * Items per slice. Each item read is an object the page's garbage collector later walks:
 * with 2,048 the benchmark module's selection still had 50–60 ms tasks, with 512 none.
 */
const SLICE = 512;

/**
 * Posts `reply` (a request's answer, `{ code, … }` or anything else) for request `id` through
 * `post`: the long arrays of `reply.code` first, slice by slice, then the rest.
 */
export function postInSlices(post, id, reply) {
  const code = reply?.code;
  if (!code || typeof code !== 'object') {
    post({ id, ...reply });
    return;
  }
  const long = Object.keys(code).filter((key) => Array.isArray(code[key]) && code[key].length > SLICE);
  if (!long.length) {
    post({ id, ...reply });
    return;
  }
  const rest = { ...code };
  for (const key of long) {
    for (let i = 0; i < code[key].length; i += SLICE) post({ id, slice: key, items: code[key].slice(i, i + SLICE) });
    rest[key] = [];
  }
  post({ id, ...reply, code: rest, sliced: long });
}

/** The page's side: collects the slices of each request and puts them back into its reply. */
export class Slices {
  constructor() {
    this.pending = new Map(); // request id → Map(key → items so far)
  }

  /**
   * Takes one message: a slice is kept and `null` returned; a reply comes back whole, with
   * its code object's arrays as they were in the worker.
   */
  take(data) {
    if (data.slice !== undefined) {
      const arrays = this.pending.get(data.id) ?? new Map();
      this.pending.set(data.id, arrays);
      const items = arrays.get(data.slice) ?? [];
      arrays.set(data.slice, items);
      for (const item of data.items) items.push(item);
      return null;
    }
    const arrays = this.pending.get(data.id);
    this.pending.delete(data.id);
    if (!arrays) return data;
    const { sliced, ...reply } = data;
    reply.code = { ...reply.code };
    for (const key of sliced) reply.code[key] = arrays.get(key) ?? [];
    return reply;
  }
}

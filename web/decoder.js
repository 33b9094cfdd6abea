// The page's side of the decoder: requests to the worker that holds the document.
import { Slices } from './transfer.js';
import { isPacked, unpackObjects } from './columns.js';

/** A decode failure as the crate reports it: what, and at which byte. */
export class DecodeFailure extends Error {
  constructor({ message, kind, offset }) {
    super(message);
    this.kind = kind;
    this.offset = offset;
  }
}

/** A code reply with its instructions, which cross as columns, read as an array of objects. */
function unpacked(reply) {
  const code = reply?.code;
  if (isPacked(code?.instructions)) code.instructions = unpackObjects(code.instructions);
  return reply;
}

/** The requests, over any transport that answers `{...reply}` or `{ error }`. */
export class DecoderClient {
  constructor(send) {
    this.send = async (message, transfer) => {
      const reply = await send(message, transfer);
      if (reply.error) throw new DecodeFailure(reply.error);
      return reply;
    };
  }

  /**
   * Opens a file (its bytes are copied; the caller keeps its ArrayBuffer): `{ summary, plaintext,
   * timing }`, `plaintext` (a Uint8Array) only for a file decrypted before decoding, whose spans
   * point into it rather than into the file.
   * The name, when known, tells a PyPy 3.8 file (`x.pypy38.pyc`) from CPython 3.8's same magic;
   * `python` ("3.12", "pypy3.9") reads the file as that version whatever its header says.
   * With `containers`, a file that is no pyc but a zip or PyInstaller executable is listed
   * instead: `{ container: { format, members } }` (the worker's analysis module reads it; a
   * damaged one or a zip bomb fails with its own error).
   */
  async open(buffer, name = '', python = '', { containers = false } = {}) {
    const copy = buffer.slice(0);
    const started = performance.now();
    const reply = await this.send({ kind: 'open', bytes: copy, name, python, containers }, [copy]);
    if (reply.container) return { container: reply.container };
    return { summary: reply.summary, plaintext: reply.plaintext ?? null, timing: { ...reply.timing, totalMs: performance.now() - started } };
  }

  /**
   * One member of the container the last `open` listed, as a dropped file: `{ bytes, python }`
   * (an ArrayBuffer, and the version the container states for headerless code, or '').
   */
  async member(name) {
    const reply = await this.send({ kind: 'member', name });
    return { bytes: reply.bytes, python: reply.python };
  }

  /** One code object of the open file by tree index: `{ code, diagnostics }`. */
  async code(index) {
    return unpacked(await this.send({ kind: 'code', index }));
  }

  /** Whether `analysis` can answer here: the stack and graph views are offered only then. */
  get canAnalyse() {
    return false;
  }

  /**
   * One code object with what the analysis adds (`stack_depth` and `stack_effect` on each
   * instruction, `max_stack_depth`, `blocks`, `edges`, 3.14+ `branches`): `{ code, diagnostics }`.
   * The first call fetches the analysis module; the single-file build rejects it.
   */
  async analysis(index) {
    return unpacked(await this.send({ kind: 'analysis', index }));
  }

  /** What owns the byte at `offset`: `{ code_index, label, span }` or null. */
  async owner(offset) {
    return (await this.send({ kind: 'owner', offset })).owner;
  }

  /** Every code object of the open file in tree order: `[{ name, instructions }]`. */
  async instructions() {
    return (await this.send({ kind: 'instructions' })).codes;
  }

  /** The open file's whole document as JSON text. */
  async json(pretty = false) {
    return (await this.send({ kind: 'json', pretty })).json;
  }

  /** Checks a learner's answer: `{ answer, expected, form, subject }` → `{ correct, explanation }`. */
  async check(request) {
    return (await this.send({ kind: 'check', request })).verdict;
  }

  /** The crate version and the versions it knows. */
  async info() {
    return (await this.send({ kind: 'info' })).info;
  }
}

/** The decoder running in a Web Worker (the page's normal mode). */
export class Decoder extends DecoderClient {
  /** The worker can fetch the analysis module (the single-file build's decoder cannot). */
  get canAnalyse() {
    return true;
  }

  constructor() {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    const pending = new Map();
    const slices = new Slices(); // a long reply comes in slices (transfer.js)
    let next = 1;
    worker.onmessage = (event) => {
      const data = slices.take(event.data);
      if (!data) return;
      const resolve = pending.get(data.id);
      pending.delete(data.id);
      resolve?.(data);
    };
    super((message, transfer = []) => new Promise((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      worker.postMessage({ id, ...message }, transfer);
    }));
  }
}

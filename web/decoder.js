// The page's side of the decoding worker: one promise per request.

/** A decode failure as the crate reports it: what, and at which byte. */
export class DecodeFailure extends Error {
  constructor({ message, kind, offset }) {
    super(message);
    this.kind = kind;
    this.offset = offset;
  }
}

export class Decoder {
  constructor() {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.pending = new Map();
    this.next = 1;
    this.worker.onmessage = (event) => {
      const { id } = event.data;
      const request = this.pending.get(id);
      if (!request) return;
      this.pending.delete(id);
      if (event.data.error) request.reject(new DecodeFailure(event.data.error));
      else request.resolve(event.data);
    };
  }

  #send(message, transfer = []) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...message }, transfer);
    });
  }

  /** Decodes bytes (an ArrayBuffer, copied so the caller keeps its own) into the document. */
  async decode(buffer, options = {}) {
    const copy = buffer.slice(0);
    const started = performance.now();
    const reply = await this.#send({ kind: 'decode', bytes: copy, options }, [copy]);
    const parseStart = performance.now();
    const doc = options.pretty ? reply.json : JSON.parse(reply.json);
    const parseMs = performance.now() - parseStart;
    return { doc, timing: { ...reply.timing, parseMs, totalMs: performance.now() - started } };
  }

  /** The crate version and the versions it knows. */
  async info() {
    return (await this.#send({ kind: 'info' })).info;
  }
}

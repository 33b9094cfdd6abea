// The requests the page makes of the decoder, answered the same way in the worker and, for
// the single-file build, on the page's own thread.
import { DocStore } from './doc-store.js';

/** A request handler over the wasm exports (`decode`, `version`, `supportedVersions`). */
export function requestHandler(wasm) {
  const store = new DocStore();
  return (message) => {
    switch (message.kind) {
      case 'info': return { info: { version: wasm.version(), versions: wasm.supportedVersions() } };
      case 'decode': {
        const decoded = wasm.decode(new Uint8Array(message.bytes), message.options ?? {});
        const json = decoded.takeJson();
        const timing = { decodeMs: decoded.decodeMs, jsonMs: decoded.jsonMs };
        decoded.free();
        if (message.options?.pretty) return { json, timing };
        const t0 = performance.now();
        store.load(json);
        timing.parseMs = performance.now() - t0;
        return { summary: store.summary(), timing };
      }
      case 'code': return { code: store.code(message.index) };
      case 'lookup': return { hit: store.lookup(message.offset) };
      case 'json': return { json: store.json() };
      default: throw new Error(`unknown request ${message.kind}`);
    }
  };
}

/** What a failed request sends back: the decoder's kind and byte offset where it has them. */
export function failure(err) {
  return { message: String(err?.message ?? err), kind: err?.kind ?? 'internal', offset: err?.offset ?? null };
}

// Decoding on the page's own thread, for the single-file build: a page opened from file://
// cannot start a module worker. Same interface as decoder.js; the wasm bytes are inlined
// into the page by scripts/single-file.mjs as `globalThis.PYCLENS_WASM`.
import { initSync, decode, version, supportedVersions } from './pkg/pyclens.js';
import { DecodeFailure } from './decoder.js';

export { DecodeFailure };

export class Decoder {
  constructor() {
    initSync({ module: globalThis.PYCLENS_WASM });
  }

  async decode(buffer, options = {}) {
    const started = performance.now();
    let decoded;
    try {
      decoded = decode(new Uint8Array(buffer), options);
    } catch (err) {
      throw new DecodeFailure({ message: String(err?.message ?? err), kind: err?.kind ?? 'internal', offset: err?.offset ?? null });
    }
    const json = decoded.takeJson();
    const timing = { decodeMs: decoded.decodeMs, jsonMs: decoded.jsonMs };
    decoded.free();
    const parseStart = performance.now();
    const doc = options.pretty ? json : JSON.parse(json);
    return { doc, timing: { ...timing, parseMs: performance.now() - parseStart, totalMs: performance.now() - started } };
  }

  async info() {
    return { version: version(), versions: supportedVersions() };
  }
}

// Decoding on the page's own thread, for the single-file build: a page opened from file://
// cannot start a module worker. Same interface as decoder.js; the wasm bytes are inlined
// into the page by scripts/single-file.mjs as `globalThis.PYCLENS_WASM`.
import { initSync, Session, version, supportedVersions, checkAnswer } from './pkg/pyclens.js';
import { DecodeFailure, DecoderClient } from './decoder.js';
import { failure, requestHandler } from './requests.js';

export { DecodeFailure };

export class Decoder extends DecoderClient {
  constructor() {
    initSync({ module: globalThis.PYCLENS_WASM });
    const handle = requestHandler({ Session, version, supportedVersions, checkAnswer });
    super(async (message) => {
      try {
        return await handle(message);
      } catch (err) {
        return { error: failure(err) };
      }
    });
  }
}

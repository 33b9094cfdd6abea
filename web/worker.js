// Decodes .pyc bytes off the main thread, so the page stays responsive for large files.
import init, { decode, version, supportedVersions } from './pkg/pyclens.js';

const ready = init();

self.onmessage = async (event) => {
  const { id, kind, bytes, options } = event.data;
  try {
    await ready;
    if (kind === 'info') {
      self.postMessage({ id, info: { version: version(), versions: supportedVersions() } });
      return;
    }
    const decoded = decode(new Uint8Array(bytes), options ?? {});
    const json = decoded.takeJson();
    const timing = { decodeMs: decoded.decodeMs, jsonMs: decoded.jsonMs };
    decoded.free();
    self.postMessage({ id, json, timing });
  } catch (err) {
    self.postMessage({ id, error: { message: String(err?.message ?? err), kind: err?.kind ?? 'internal', offset: err?.offset ?? null } });
  }
};

// The requests the page makes of the decoder, answered the same way in the worker and, for
// the single-file build, on the page's own thread. The wasm `Session` keeps the file's
// bytes; each answer is a small JSON document (docs/document.md: summary, code, owner),
// its code node's rows turned into objects here, off the page's thread (document-tables.js).

import { documentKeys, expandCode, expandDocument } from './document-tables.js';
import { packObjects } from './columns.js';

/**
 * A request handler over the wasm exports (`Session`, `version`, `supportedVersions`,
 * `checkAnswer`). `loadAnalysis`, where the page can fetch it, resolves to the second module
 * (web/pkg-analysis), whose code objects also carry stack depths, blocks and edges; it is
 * loaded on the first `analysis` request, so a file that is only looked at never pays for it.
 */
export function requestHandler(wasm, { loadAnalysis = null } = {}) {
  let session = null;
  let file = null; // the open file's bytes and name, for the analysis module's own session
  let analysed = null;
  let header = null; // the open file's header, for the rules that read its rows
  let container = null; // the bytes of the container listed last, for its members
  const current = () => {
    if (!session) throw new Error('no file is open');
    return session;
  };
  const analysis = async (index) => {
    if (!loadAnalysis) throw new Error('the stack and graph views need the web page: this copy carries only the viewer');
    const module = await loadAnalysis();
    current();
    analysed ??= new module.Session(file.bytes, file.name, file.python);
    return codeDocument(analysed.code(index));
  };
  // A file that is not a pyc may be a container: the analysis module (which has the zip and
  // PyInstaller readers the viewer leaves out) lists it, or says it is none (null).
  const listing = async (bytes) => {
    if (!loadAnalysis) return null;
    const listed = (await loadAnalysis()).containerMembers(bytes);
    if (listed) container = bytes;
    return listed;
  };
  const member = async (name) => {
    if (!container) throw new Error('no container is open');
    const { bytes, python } = (await loadAnalysis()).containerMember(container, name);
    return { bytes: bytes.buffer, python: python ?? '' };
  };
  // The instructions cross to the page as columns (columns.js), which DecoderClient reads.
  const codeDocument = (text) => {
    const doc = JSON.parse(text ?? 'null');
    const code = doc && expandCode(doc.code, documentKeys(doc, header));
    if (Array.isArray(code?.instructions)) {
      code.instructions = packObjects(code.instructions);
      // Each instruction carries its own positions now: the runs would be tens of thousands
      // of arrays more for the page to read and collect, in a large module.
      delete code.positions;
    }
    return doc && { ...doc, code };
  };
  return async (message) => {
    switch (message.kind) {
      case 'info': return { info: { version: wasm.version(), versions: wasm.supportedVersions() } };
      case 'open': {
        const bytes = new Uint8Array(message.bytes);
        let next;
        let full = false; // read by the analysis module, which also answers `analysis` for it
        try {
          next = new wasm.Session(bytes, message.name ?? '', message.python || undefined);
        } catch (err) {
          // The viewer names RustPython and GraalPy pycs and Dropbox's encrypted ones without
          // reading them (crate/Cargo.toml, `foreign`): the analysis module reads them, and
          // its error, if it has one, is the more precise.
          if (err.kind === 'foreign_implementation' && loadAnalysis) {
            next = new (await loadAnalysis()).Session(bytes, message.name ?? '', message.python || undefined);
            full = true;
          } else {
            const listed = message.containers ? await listing(bytes) : null;
            if (!listed) throw err;
            return { container: listed };
          }
        }
        if (analysed !== session) analysed?.free();
        session?.free();
        session = next;
        analysed = full ? next : null;
        file = { bytes, name: message.name ?? '', python: message.python || undefined };
        const t0 = performance.now();
        const text = session.summary();
        const t1 = performance.now();
        const summary = JSON.parse(text);
        header = summary.header;
        // A decrypted file (Dropbox's 2.5 pycs): the spans point into its plaintext, which
        // the byte view shows instead of the file.
        const plaintext = summary.header.decrypted ? session.plaintext() : null;
        return { summary, plaintext, timing: { decodeMs: session.decodeMs, summaryMs: t1 - t0, parseMs: performance.now() - t1 } };
      }
      case 'code': return codeDocument(current().code(message.index));
      case 'analysis': return analysis(message.index);
      case 'member': return member(message.name);
      case 'owner': return { owner: JSON.parse(current().owner(message.offset)) };
      case 'json': return { json: current().document(Boolean(message.pretty)) };
      case 'instructions': return { codes: everyCode(expandDocument(JSON.parse(current().document(false))).code) };
      case 'check': return { verdict: wasm.checkAnswer(message.request) };
      default: throw new Error(`unknown request ${message.kind}`);
    }
  };
}

/**
 * Every code object of a document in pre-order (the order of the summary's tree) with its
 * name and instructions: what a side-by-side view needs, in one answer instead of one
 * request per code object.
 */
function everyCode(root) {
  const out = [];
  const walk = (code) => {
    out.push({ name: code.co_qualname ?? code.co_name ?? '?', instructions: code.instructions ?? [] });
    for (const value of code.co_consts ?? []) if (value.type === 'code') walk(value);
  };
  walk(root);
  return out;
}

/** What a failed request sends back: the decoder's kind and byte offset where it has them. */
export function failure(err) {
  return { message: String(err?.message ?? err), kind: err?.kind ?? 'internal', offset: err?.offset ?? null };
}

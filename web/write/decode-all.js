// Every code object of one pyc with its instructions, for comparing pycs side by side (the
// explorer asks for one code object at a time; a comparison needs them all at once).

/** Decodes `bytes` (a Uint8Array) with `decoder`: `{ summary, codes: [{ name, instructions }] }`. */
export async function decodeAll(decoder, name, bytes) {
  const { summary } = await decoder.open(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), name);
  return { summary, codes: await decoder.instructions() };
}

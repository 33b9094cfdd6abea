// Permalinks of the write view: the URL fragment carries the versions and the source, so a
// link is the whole state and nothing is sent anywhere (a fragment never reaches a server).
//   #v=3.12,3.14&code=<percent-encoded source>   what a tutorial author writes by hand
//   #v=3.12,3.14&z=<base64url of deflate-raw>    the Share button's shorter form
// Both parse to the same state. `+` stays a plus sign (the fragment is not a form).

/** The fragment's fields, split on & and = and percent-decoded (no `+` → space). */
function fields(hash) {
  const out = new Map();
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    try {
      out.set(key, decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1)));
    } catch {
      out.set(key, null); // malformed percent-encoding: treated as absent
    }
  }
  return out;
}

function toBase64Url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
const fromBase64Url = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

async function pipe(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}

/** Whether the fragment asks for the write view at all. */
export function isWriteLink(hash) {
  const f = fields(hash);
  return f.has('code') || f.has('z') || f.has('v');
}

/** `{ versions: ['3.12', ...] | null, source: string | null }` from a fragment. */
export async function parse(hash) {
  const f = fields(hash);
  const versions = f.get('v') ? f.get('v').split(',').map((v) => v.trim()).filter((v) => /^\d+\.\d+$/.test(v)) : null;
  let source = f.get('code') ?? null;
  if (source === null && f.get('z')) {
    try {
      source = new TextDecoder().decode(await pipe(fromBase64Url(f.get('z')), new DecompressionStream('deflate-raw')));
    } catch {
      source = null;
    }
  }
  return { versions, source };
}

/** The readable form: `#v=…&code=…`. */
export function format({ versions, source }) {
  return `#v=${versions.join(',')}&code=${encodeURIComponent(source)}`;
}

/** The shorter form for sharing: the source deflated, base64url. */
export async function formatShort({ versions, source }) {
  const packed = await pipe(new TextEncoder().encode(source), new CompressionStream('deflate-raw'));
  return `#v=${versions.join(',')}&z=${toBase64Url(packed)}`;
}

// The native pyclens CLI for browser tests that need documents with the stack analysis (the
// page's wasm leaves it out): the release build when present (cargo build --release), else
// the debug build that `cargo test --workspace` leaves behind (npm test runs that first).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.mjs';
import { expandDocument } from '../../web/document-tables.js';

/** The path of a built pyclens binary, or null when neither build exists. */
export function nativeCli() {
  for (const build of ['release', 'debug']) {
    const path = join(root, 'target', build, 'pyclens');
    if (existsSync(path)) return path;
  }
  return null;
}

/**
 * The document `pyclens json` writes for `path` (for its `member` when given: `--member`), its
 * rows turned into objects by the page's own web/document-tables.js (what the page's views read).
 */
export function cliDocument(cli, path, member = null) {
  const args = member === null ? ['json', path] : ['json', '--member', member, path];
  return expandDocument(JSON.parse(execFileSync(cli, args, { maxBuffer: 1 << 28 })));
}

#!/usr/bin/env node
// Fetches the pyc corpora the Rust tests read into target/corpus/, each from a source
// distribution on PyPI checked against a pinned SHA-256:
// - uncompyle6 3.9.3's test/: 1,414 pycs written by CPython 1.0 … 3.12 and PyPy 2.7 … 3.8,
//   which tests/rust/corpus.rs decodes and compares with xdis's view of them
//   (tests/fixtures/corpus/xdis.json.gz);
// - xdis 6.3.0's test/: the same kind of corpus, with the only public samples of GraalPy
//   (3.10–3.12), RustPython (3.13) and Dropbox's encrypted 2.5 pycs.
// Both are GPL-licensed, so they are fetched rather than committed. Each is skipped when
// already present.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEST = join(ROOT, 'target', 'corpus');
const PYPI = 'https://files.pythonhosted.org/packages';
const SOURCES = [
  {
    name: 'uncompyle6-3.9.3',
    url: `${PYPI}/db/9b/c6ebd89902b60d397b5b992f58013fd0a29eee4ac87e46a7137a9a79b601/uncompyle6-3.9.3.tar.gz`,
    sha256: '78b764d4c843b0455fb39db6deb421a48d5d3ebb846537ba6444afe107c4ebc1',
  },
  {
    name: 'xdis-6.3.0',
    url: `${PYPI}/ad/ed/afaed59bd95244f7f1552887aa33637fd8bd2c49ffbd6f5afc1c47d135e6/xdis-6.3.0.tar.gz`,
    sha256: 'e78e3e7a0e2d31ac64c084afc782a0a233da06ac05002c42a0e17000ac51dcaa',
  },
];

for (const { name, url, sha256 } of SOURCES) {
  const done = join(DEST, name, '.complete');
  if (existsSync(done)) continue;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== sha256) throw new Error(`${url}: sha256 ${digest}, expected ${sha256}`);

  rmSync(join(DEST, name), { recursive: true, force: true });
  mkdirSync(DEST, { recursive: true });
  const archive = join(DEST, `${name}.tar.gz`);
  writeFileSync(archive, bytes);
  execFileSync('tar', ['-xzf', archive, '-C', DEST, `${name}/test`]);
  rmSync(archive);
  writeFileSync(done, `${url}\n${sha256}\n`);
  console.log(`corpus: ${name}/test in ${DEST}`);
}

#!/usr/bin/env node
// Fetches the pyc corpus of the uncompyle6 3.9.3 source distribution (PyPI) into
// target/corpus/: 1,414 pycs written by CPython 1.0 … 3.12 and PyPy 2.7 … 3.8, which
// tests/rust/corpus.rs decodes and compares with xdis's view of them
// (tests/fixtures/corpus/xdis.json.gz). The corpus is GPL-licensed, so it is fetched and
// checked against a pinned SHA-256 rather than committed. Does nothing when present.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEST = join(ROOT, 'target', 'corpus');
const NAME = 'uncompyle6-3.9.3';
const URL =
  'https://files.pythonhosted.org/packages/db/9b/c6ebd89902b60d397b5b992f58013fd0a29eee4ac87e46a7137a9a79b601/uncompyle6-3.9.3.tar.gz';
const SHA256 = '78b764d4c843b0455fb39db6deb421a48d5d3ebb846537ba6444afe107c4ebc1';

const done = join(DEST, NAME, '.complete');
if (existsSync(done)) process.exit(0);

const response = await fetch(URL);
if (!response.ok) throw new Error(`${URL}: HTTP ${response.status}`);
const bytes = Buffer.from(await response.arrayBuffer());
const digest = createHash('sha256').update(bytes).digest('hex');
if (digest !== SHA256) throw new Error(`${URL}: sha256 ${digest}, expected ${SHA256}`);

rmSync(join(DEST, NAME), { recursive: true, force: true });
mkdirSync(DEST, { recursive: true });
const archive = join(DEST, `${NAME}.tar.gz`);
writeFileSync(archive, bytes);
execFileSync('tar', ['-xzf', archive, '-C', DEST, `${NAME}/test`]);
rmSync(archive);
writeFileSync(done, `${URL}\n${SHA256}\n`);
console.log(`corpus: ${NAME}/test in ${DEST}`);

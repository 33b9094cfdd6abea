// Copies a small gallery of fixture pycs (one program per Python version, made by the real
// interpreters in tests/fixtures) into web/samples/, with an index the page reads.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const fixtures = join(root, 'tests', 'fixtures');
const out = join(root, 'web', 'samples');
mkdirSync(out, { recursive: true });

// [fixture file, title]; the first that exists for a version is used.
const wanted = [
  ['snippets/closures.pyc', 'closures and cells'],
  ['snippets/closures27.pyc', 'closures and cells'],
  ['snippets/async_code.pyc', 'async code'],
  ['snippets/html_script.pyc', 'names that look like HTML'],
];

const versions = readdirSync(fixtures).filter((d) => /^\d+\.\d+$/.test(d))
  .sort((a, b) => a.split('.').map(Number)[1] - b.split('.').map(Number)[1] + 100 * (a[0] - b[0]));
const index = [];
for (const version of versions) {
  for (const [file, title] of wanted) {
    const from = join(fixtures, version, file);
    if (!existsSync(from)) continue;
    const name = `${version}-${file.split('/').pop()}`;
    copyFileSync(from, join(out, name));
    index.push({ file: name, version, title });
  }
}
writeFileSync(join(out, 'index.json'), JSON.stringify(index, null, 1));
console.error(`pyclens: ${index.length} samples in web/samples`);

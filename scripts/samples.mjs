// Copies a small gallery of fixture pycs (programs compiled by the real interpreters in
// tests/fixtures) into web/samples/, with an index the page reads: one entry per snippet and
// Python version, grouped by snippet, each with a line saying what that snippet teaches
// (the landing page shows one card per snippet with a version picker).
import { copyFileSync, mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const fixtures = join(root, 'tests', 'fixtures');
const out = join(root, 'web', 'samples');
mkdirSync(out, { recursive: true });

// [snippet, fixture files (the first that exists for a version is used), title, what it teaches].
const wanted = [
  ['closures', ['snippets/closures.pyc', 'snippets/closures27.pyc'], 'closures and cells',
    'How an inner function keeps a variable of the outer one alive: cell and free variables, nonlocal and global.'],
  ['comprehensions', ['snippets/comprehensions.pyc'], 'comprehensions',
    'Where a list, set or dict comprehension runs: its own code object, or inlined into the function since 3.12.'],
  ['generators', ['snippets/generators.pyc'], 'generators',
    'What yield, send and yield from compile to, and the flags that make a function a generator.'],
  ['async_code', ['snippets/async_code.pyc'], 'async code',
    'Coroutines and async generators: await, async for and async with as instructions.'],
  ['exceptions', ['snippets/exceptions.pyc', 'snippets/exceptions27.pyc'], 'exceptions',
    'try, except, finally and raise: the exception table (3.11+) or the block setup instructions before it.'],
  ['classes', ['snippets/classes.pyc'], 'classes',
    'A class body is code too: how super() finds __class__, metaclasses and nested classes.'],
  ['decorators', ['snippets/decorators.pyc'], 'decorators',
    'A decorator is a call made when the def runs: the order decorators are applied in.'],
  ['match_stmt', ['snippets/match_stmt.pyc'], 'pattern matching',
    'Every kind of match pattern and the tests and jumps each one turns into (3.10+).'],
  ['big_function', ['snippets/big_function.pyc', 'snippets/big_function27.pyc'], 'a very big function',
    'More than 300 constants and locals: EXTENDED_ARG, the prefix that makes an argument wider than a byte.'],
  ['html_script', ['snippets/html_script.pyc'], 'names that look like HTML',
    'Strings full of markup and script are shown as text, never run: what any pyc can safely hold.'],
];

const versions = readdirSync(fixtures).filter((d) => /^\d+\.\d+$/.test(d))
  .sort((a, b) => a.split('.').map(Number)[1] - b.split('.').map(Number)[1] + 100 * (a[0] - b[0]));
const index = [];
for (const [snippet, files, title, teaches] of wanted) {
  for (const version of versions) {
    const file = files.find((f) => existsSync(join(fixtures, version, f)));
    if (!file) continue;
    const name = `${version}-${file.split('/').pop()}`;
    copyFileSync(join(fixtures, version, file), join(out, name));
    index.push({ file: name, version, snippet, title, teaches });
  }
}
writeFileSync(join(out, 'index.json'), JSON.stringify(index, null, 1));
console.error(`pyclens: ${index.length} samples of ${wanted.length} snippets in web/samples`);

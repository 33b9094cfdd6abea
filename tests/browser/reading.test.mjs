// Files whose header cannot be taken at its word, on the page: bare marshal data (a fixture
// with its header cut off) is read as the version its code fits and says so; a header with
// a neighbouring version's magic is refused with a button that reads the file as the version
// it fits; and "Read the file" re-reads any file as a chosen version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropBytes, openPlayground, root, useSite } from './harness.mjs';
import { expectAccessible } from './axe.mjs';

const site = useSite();
const fixture = (version) => readFileSync(join(root, 'tests', 'fixtures', version, 'snippets', 'closures.pyc'));

test('headerless code is inferred, a lying header is refused, and a file can be read as another version', async () => {
  const p = await openPlayground(site);
  const card = p.locator('pyc-header-card');

  await dropBytes(p, 'closures.bin', fixture('3.13').subarray(16));
  await p.waitForFunction(() => document.body.dataset.shown === 'closures.bin#0');
  assert.match(await card.textContent(), /no header: the code fits Python 3\.13/);
  assert.match(await card.textContent(), /Python\s*3\.13 CPython/);
  await expectAccessible(p, 'a headerless file');

  const lying = fixture('3.9');
  lying.set(fixture('3.10').subarray(0, 4));
  await dropBytes(p, 'lying.pyc', lying);
  await p.waitForSelector('.explorer-error button');
  assert.match(await p.locator('.explorer-error').textContent(), /header says Python 3\.10.*read as Python 3\.9/);
  await p.click('.explorer-error button');
  await p.waitForFunction(() => document.body.dataset.shown === 'lying.pyc#0');
  assert.match(await card.textContent(), /read as Python 3\.9, as chosen/);
  assert.equal(await p.isHidden('.explorer-error'), true);

  await card.locator('select').selectOption('3.8');
  await p.waitForFunction(() => document.querySelector('pyc-header-card').textContent.includes('Python3.8 CPython')
    || /Python\s*3\.8 CPython/.test(document.querySelector('pyc-header-card').textContent));
  await expectAccessible(p, 'a file read as another version');
  assert.deepEqual(p.errors, []);
  await p.close();
});

// Containers dropped on the page: the PyInstaller executable the fixture generator built
// (tests/fixtures/containers/pyinstaller-3.12.gz) and a PyZipFile zip, listed as the truth
// their interpreter recorded lists them; a module chosen (by keyboard through the filter, and
// by click) opens in the explorer with the name and instructions the native CLI's `--member`
// gives; the way back to the list; a truncated executable refused with a clear message; axe
// on the list and on an open module, light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { dropBytes, openPlayground, root, useSite } from './harness.mjs';
import { expectAccessible } from './axe.mjs';
import { cliDocument, nativeCli } from './native-cli.mjs';

const site = useSite();
const fixtures = join(root, 'tests', 'fixtures', 'containers');
const truthOf = (stem) => JSON.parse(gunzipSync(readFileSync(join(fixtures, `${stem}.truth.json.gz`))));
const cli = nativeCli();
let scratch = null;
let exePath = null;
let exe = null;

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'pyclens-containers-page-'));
  exe = gunzipSync(readFileSync(join(fixtures, 'pyinstaller-3.12.gz')));
  exePath = join(scratch, 'app');
  writeFileSync(exePath, exe);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Drops a container and waits for its list. */
async function dropContainer(p, name, bytes) {
  await dropBytes(p, name, bytes);
  await p.waitForFunction((n) => document.body.dataset.container === n && document.querySelector('pyc-container .container-members li'), name);
}

/** What the list shows: each row's name, role, facts and whether it opens. */
function listed(p) {
  return p.$$eval('pyc-container .container-members li', (rows) => rows.map((li) => ({
    name: li.querySelector('.member-name').textContent,
    role: li.dataset.role,
    facts: li.querySelector('.member-facts').textContent,
    opens: li.querySelector('button.member-name') !== null,
  })));
}

/** The list against the truth: names in order, bytecode members as buttons, their versions, entry scripts. */
function assertListMatches(rows, truth) {
  assert.deepEqual(rows.map((r) => r.name), truth.members.map((m) => m.name), 'the module list is the truth\'s');
  assert.deepEqual(rows.map((r) => r.opens), truth.members.map((m) => m.kind !== 'other'), 'bytecode members open, others are listed');
  for (const [row, m] of rows.map((r, i) => [r, truth.members[i]])) {
    if (m.version) assert.ok(row.facts.includes(`Python ${m.version}`), `${m.name}: ${row.facts}`);
  }
  const scripts = truth.members.filter((m) => m.typecode === 's').map((m) => m.name);
  assert.deepEqual(rows.filter((r) => r.role === 'entry script').map((r) => r.name), scripts, 'the entry scripts');
}

/**
 * The member shown in the explorer against `pyclens json --member`: the module's name, its
 * instruction count, how many code objects, and the version.
 */
async function assertMemberMatches(p, path, member, truthMember) {
  await p.waitForFunction((n) => document.body.dataset.shown === `${n}#0`, member.name ?? member);
  const name = member.name ?? member;
  const doc = cliDocument(cli, path, name);
  const want = doc.code.co_qualname ?? doc.code.co_name;
  assert.ok((await p.textContent('.listing-title')).startsWith(`${want} — module`), await p.textContent('.listing-title'));
  assert.equal(await p.textContent('pyc-disasm h3'), `Disassembly (${doc.code.instructions.length} instructions)`);
  assert.match(await p.textContent('.explorer-status'), new RegExp(`Python ${truthMember.version.replace('.', '\\.')}, ${truthMember.code.length} code objects`));
  assert.match(await p.textContent('pyc-header-card'), new RegExp(`Python${truthMember.version.replace('.', '\\.')} CPython`));
  assert.match(await p.textContent('pyc-container .container-where'), new RegExp(`› ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.equal(await p.isVisible('pyc-container .container-list'), false, 'the list folds while a module is open');
}

test('a PyInstaller executable: its modules listed, an entry script and a PYZ module opened, and back', { skip: !cli && 'needs the native CLI (cargo build --release)' }, async () => {
  const truth = truthOf('pyinstaller-3.12');
  const p = await openPlayground(site);
  await dropContainer(p, 'app', exe);
  assertListMatches(await listed(p), truth);
  assert.equal(await p.isVisible('#landing'), false, 'the list replaces the landing page');
  assert.equal(await p.isVisible('.explorer'), false);
  assert.equal(await p.isDisabled('#copy-json'), true, 'no document to copy from a list');
  await expectAccessible(p, 'a PyInstaller executable\'s module list');

  // A PYZ module through the filter, by keyboard alone.
  const pyz = truth.members.filter((m) => m.kind === 'code' && !m.typecode);
  const module = pyz.find((m) => m.name.endsWith('/json')) ?? pyz[0];
  const word = module.name.split('/').pop();
  await p.fill('pyc-container input[type=search]', word);
  const matching = truth.members.filter((m) => m.name.toLowerCase().includes(word.toLowerCase()));
  assert.deepEqual((await listed(p)).map((r) => r.name), matching.map((m) => m.name), 'the filter narrows the list');
  assert.match(await p.textContent('pyc-container .container-count'), new RegExp(`^${matching.length} of ${truth.members.length} members`));
  await p.focus('pyc-container input[type=search]');
  const buttons = matching.filter((m) => m.kind !== 'other');
  for (let i = 0; i <= buttons.indexOf(module); i++) await p.keyboard.press('ArrowDown');
  assert.equal(await p.evaluate(() => document.activeElement.dataset.member), module.name);
  await p.keyboard.press('Enter');
  await assertMemberMatches(p, exePath, module, module);
  assert.equal(await p.isDisabled('#copy-json'), false);
  assert.match(await p.textContent('pyc-header-card'), /as given \(by the archive that held it/);
  await expectAccessible(p, 'a PYZ module open, the way back above it');

  // Back, by keyboard too: the list as it was, focus on the module that was open.
  assert.equal(await p.evaluate(() => document.activeElement.className), 'container-back', 'the keyboard lands on the way back');
  await p.keyboard.press('Enter');
  await p.waitForSelector('pyc-container .container-list:not([hidden])');
  assert.equal(await p.isVisible('.explorer'), false);
  assert.equal(await p.evaluate(() => document.activeElement.dataset.member), module.name);

  // The program's own entry script (PyInstaller runs its entry scripts in order, the program's last).
  await p.fill('pyc-container input[type=search]', '');
  const script = truth.members.filter((m) => m.typecode === 's').at(-1);
  await p.click(`pyc-container button[data-member="${script.name}"]`);
  await assertMemberMatches(p, exePath, script, script);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a PyZipFile zip: its pycs listed and one opened as if dropped on its own', { skip: !cli && 'needs the native CLI (cargo build --release)' }, async () => {
  const truth = truthOf('pyzipfile-3.12');
  const path = join(fixtures, 'pyzipfile-3.12.zip');
  const p = await openPlayground(site);
  await dropContainer(p, 'pyzipfile-3.12.zip', readFileSync(path));
  assertListMatches(await listed(p), truth);
  assert.equal(await p.locator('pyc-container input[type=search]').count(), 0, 'no filter for a short list');
  const member = truth.members.filter((m) => m.kind === 'pyc').reduce((a, b) => (b.code.length > a.code.length ? b : a));
  await p.click(`pyc-container button[data-member="${member.name}"]`);
  await assertMemberMatches(p, path, member, member);
  await expectAccessible(p, 'a zip member open');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a truncated executable is refused with a clear message, and a pyc after a container clears its list', async () => {
  const p = await openPlayground(site);
  await dropBytes(p, 'app-cut', exe.subarray(0, exe.length >> 1));
  await p.waitForFunction(() => document.body.dataset.error);
  const error = await p.textContent('.explorer-error');
  assert.match(error, /^app-cut: an ELF executable with no PyInstaller archive \(cut short, or not built by PyInstaller\)/);
  assert.equal(await p.evaluate(() => document.body.dataset.error), 'truncated');
  // Its start cut off instead: the cookie's archive length reaches before the file.
  await dropBytes(p, 'app-tail', exe.subarray(exe.length - 20_000));
  await p.waitForFunction(() => document.querySelector('.explorer-error').textContent.startsWith('app-tail:'));
  assert.match(await p.textContent('.explorer-error'), /the PyInstaller archive claims \d+ bytes/);
  await expectAccessible(p, 'a truncated executable refused', { themes: ['light'] });

  await dropContainer(p, 'pyzipfile-3.12.zip', readFileSync(join(fixtures, 'pyzipfile-3.12.zip')));
  const pyc = join(root, 'tests', 'fixtures', '3.12', 'snippets', 'closures.pyc');
  await dropBytes(p, 'closures.pyc', readFileSync(pyc));
  await p.waitForFunction(() => document.body.dataset.shown === 'closures.pyc#0');
  assert.equal(await p.isVisible('pyc-container'), false, 'the list is gone once a pyc is dropped on its own');
  assert.equal(await p.evaluate(() => document.body.dataset.container), undefined);
  assert.deepEqual(p.errors, []);
  await p.close();
});

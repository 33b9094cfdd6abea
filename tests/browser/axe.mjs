// axe-core (npm devDependency) run inside a page by the browser tests: `expectAccessible(p,
// 'state')` fails the test with every violation axe finds, in the light and the dark theme.
//
// How axe gets in: the pages' CSP is `script-src 'self'`, so a <script> element with axe's
// text (page.addScriptTag({ content })) is refused, and serving axe from the site would put
// a test tool among the site's files. page.evaluate() runs its text through the DevTools
// protocol (Runtime.evaluate), which CSP does not govern, so axe is injected without
// loosening the page (no bypassCSP: the CSP the tests see is the one people get). axe itself
// needs no eval and no inline style, and it walks open shadow roots (the embeds, the editor)
// by itself.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Rules switched off, each with why it cannot apply here. Every other rule of axe's default
 * set (WCAG 2.0-2.2 A and AA plus best practices) runs.
 */
export const DISABLED_RULES = {};

/** Loads axe into the page's current document, once per document. */
async function inject(p) {
  if (await p.evaluate(() => typeof window.axe === 'object')) return;
  await p.evaluate(AXE_SOURCE);
  await p.evaluate(() => window.axe.configure({ allowedOrigins: ['<same_origin>'] }));
}

/** Every violation in the page as it is now: [{ id, impact, help, nodes: [{ target, summary }] }]. */
export async function violations(p) {
  await inject(p);
  const rules = Object.fromEntries(Object.keys(DISABLED_RULES).map((id) => [id, { enabled: false }]));
  return p.evaluate(async (rules) => {
    const result = await window.axe.run(document, { rules, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map((t) => [].concat(t).join(' >>> ')).join(' | '), summary: n.failureSummary })),
    }));
  }, rules);
}

/** Sets the page's theme as the Theme button and the system setting do (for the page and the embeds). */
export async function setTheme(p, theme) {
  await p.emulateMedia({ colorScheme: theme });
  await p.evaluate((t) => { document.documentElement.dataset.theme = t; }, theme);
  // Let style recalculation and any transition settle before colours are measured.
  await p.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** Readable lines for an assertion message. */
export function describe(found) {
  return found.map((v) => `${v.id} (${v.impact}, ${v.nodes.length}): ${v.help}\n${v.nodes.slice(0, 8).map((n) => `    ${n.target}\n      ${n.summary.replace(/\n/g, '\n      ')}`).join('\n')}`).join('\n');
}

/**
 * Fails unless axe finds nothing in the page in each of `themes`; leaves the page in the
 * last theme. Returns how many rules passed, so callers can check axe really ran.
 */
export async function expectAccessible(p, state, { themes = ['light', 'dark'] } = {}) {
  for (const theme of themes) {
    await setTheme(p, theme);
    const found = await violations(p);
    assert.deepEqual(found.map((v) => v.id), [], `${state} (${theme} theme): ${found.length} kinds of axe violation\n${describe(found)}`);
  }
}

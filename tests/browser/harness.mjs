// What every browser test file shares: web/ served on a free port of 127.0.0.1 and one
// headless Chromium, started before the file's tests and stopped after them.
import { before, after } from 'node:test';
import { join } from 'node:path';
import { serve } from '../../scripts/serve.mjs';
import { launchChromium } from '../../scripts/chromium.mjs';

export const root = new URL('../..', import.meta.url).pathname;

/** Registers the start and stop hooks; the returned object holds `base` and `browser`. */
export function useSite() {
  const site = { base: '', browser: null, server: null };
  before(async () => {
    site.server = await serve(join(root, 'web'), 0);
    site.base = `http://127.0.0.1:${site.server.address().port}/`;
    site.browser = await launchChromium();
  });
  after(async () => {
    await site.browser?.close();
    site.server?.close();
  });
  return site;
}

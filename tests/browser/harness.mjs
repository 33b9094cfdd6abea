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

/** A page of the playground, ready for files; page errors collect in `p.errors`. */
export async function openPlayground(site, context) {
  const p = await (context ?? site.browser).newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  p.errors = errors;
  await p.goto(site.base);
  await p.waitForSelector('body[data-ready=true]');
  return p;
}

/** Drops `bytes` as a file called `name` on the page, as a person's drag and drop does. */
export async function dropBytes(p, name, bytes) {
  await p.evaluate(({ bytes, name }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], name));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { bytes: [...bytes], name });
}

/** A lesson page (lesson.html?lesson=id), switched to `version` when given; page errors collect in `p.errors`. */
export async function openLesson(site, id, version) {
  const p = await site.browser.newPage({ viewport: { width: 1100, height: 900 } });
  p.errors = [];
  p.on('pageerror', (e) => p.errors.push(String(e)));
  await p.goto(`${site.base}lesson.html?lesson=${id}`);
  await p.waitForSelector('pyc-lesson[data-version] .question');
  if (version) {
    await p.selectOption('pyc-lesson select', version);
    await p.waitForFunction((v) => {
      const lesson = document.querySelector('pyc-lesson');
      return lesson.dataset.version === v && lesson.shadowRoot.querySelector('.question');
    }, version);
  }
  return p;
}

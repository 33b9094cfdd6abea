// Embedding pyclens in any static site with one script tag:
//   <script type="module" src="pyclens/embed.js"></script>
//   <pyc-lens src="example.pyc" view="all" theme="dark"></pyc-lens>
//   <pyc-lens versions="3.11 3.13"><script type="text/x-python">x = [i for i in y]</script></pyc-lens>
//   <pyc-lens source-src="example.py" versions="3.12"></pyc-lens>
//   <pyc-lesson src="pyclens/lessons/code-object/lesson.md" version="3.12"></pyc-lesson>
// Files beside this one (pkg/, components/, style.css, the worker) are loaded relative to it;
// nothing else is requested. Each element lives in its own shadow root and listens only to
// events inside it.
import { Decoder } from './decoder.js';
import { Explorer } from './explorer.js';
import { el } from './model.js';
import { styleShadow } from './assets.js';
import { decodeAll } from './write/decode-all.js';
import './components/pyc-lesson.js';
import './components/pyc-compare.js';

const STYLE = new URL('style.css', import.meta.url).href;

/** Removes the indentation every non-blank line shares, and blank lines around the text. */
export function dedent(text) {
  const lines = text.replace(/^\s*\n/, '').replace(/\s+$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^[ \t]*/)[0].length));
  return `${lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n')}\n`;
}

/**
 * Compiles `source` with each of `versions` (the site's real CPythons, compile/) and shows
 * them: the last version's pyc in the explorer, and with two or more versions a side-by-side
 * view above it. Compile errors are shown with each version's own message.
 */
async function showCompiled(explorer, compareHost, element, source, versions) {
  const { Compilers, availableVersions, pycName } = await import('./compile/compilers.js');
  const builds = await availableVersions();
  const known = builds.map((b) => b.python);
  const chosen = versions.filter((v) => known.includes(v));
  if (!chosen.length) chosen.push(known.includes('3.14') ? '3.14' : known.at(-1));
  explorer.say(`Compiling with Python ${chosen.join(', ')}…`);
  const compilers = new Compilers(builds);
  const results = await compilers.compileEach(chosen, source);
  const failed = results.filter((r) => !r.pyc?.length);
  explorer.showError(failed.length ? failed.map((r) => `Python ${r.python ?? r.version}: ${r.error?.display?.trim() ?? r.failure}`).join('\n') : null);
  const good = results.filter((r) => r.pyc?.length);
  if (good.length > 1) {
    const decoder = new Decoder();
    const columns = [];
    for (const r of good) columns.push({ label: r.version, codes: (await decodeAll(decoder, pycName(r.version), r.pyc)).codes });
    const view = el('pyc-compare');
    compareHost.replaceChildren(view);
    view.show(columns, source.split('\n'));
  }
  const last = good.at(-1);
  if (last) {
    await explorer.open(pycName(last.version), last.pyc.slice().buffer);
    explorer.showSource('main.py', source);
  }
  element.dataset.compiled = good.map((r) => r.version).join(',');
}

/**
 * Puts an explorer into `element` (in a shadow root) and opens `src` when given. Options:
 * `src` (a .pyc URL), `view` ('all', 'tree', 'code', 'hex'), `theme` ('light', 'dark');
 * or, instead of a pyc, `source` (Python text) or `sourceSrc` (a .py URL) compiled with
 * `versions` (e.g. ['3.11', '3.13']) by the site's real CPythons.
 * Returns the explorer (its `open(name, arrayBuffer)` shows any other bytes).
 */
export function mount(element, { src, view = 'all', theme, source, sourceSrc, versions = [] } = {}) {
  const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
  // The comparison sits inside .embed too, so it gets the embed's colours, not the host's.
  const compareHost = el('div', { class: 'embed-compare' });
  const container = el('div', { class: 'embed' }, compareHost);
  root.replaceChildren(...styleShadow(root, STYLE), container);
  if (theme) element.setAttribute('theme', theme);
  const explorer = new Explorer(container, { decoder: new Decoder(), markers: element });
  if (view !== 'all') explorer.setView(view);
  if (source !== undefined || sourceSrc) {
    const text = source !== undefined ? Promise.resolve(source)
      : fetch(sourceSrc).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`${sourceSrc}: ${r.status}`))));
    text.then((t) => showCompiled(explorer, compareHost, element, t, versions))
      .catch((err) => explorer.showError(String(err.message)));
  } else if (src) {
    fetch(src)
      .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`${src}: ${r.status}`))))
      .then((bytes) => explorer.open(src.split('/').pop(), bytes))
      .catch((err) => explorer.showError(String(err.message)));
  }
  return explorer;
}

/**
 * `<pyc-lens src view theme>`: the explorer on one file; or `<pyc-lens versions="3.11 3.13">`
 * with Python source as its text (best inside `<script type="text/x-python">`, which the
 * browser leaves unparsed) or `source-src="file.py"`: that source compiled in the page.
 */
class PycLens extends HTMLElement {
  connectedCallback() {
    if (this.explorer) return;
    const script = this.querySelector('script[type="text/x-python"], script[type="text/python"]');
    const text = (script ?? this).textContent;
    const sourceSrc = this.getAttribute('source-src') ?? undefined;
    const src = this.getAttribute('src') ?? undefined;
    this.explorer = mount(this, {
      src,
      view: this.getAttribute('view') ?? 'all',
      theme: this.getAttribute('theme') ?? undefined,
      source: !src && !sourceSrc && text.trim() ? dedent(text) : undefined,
      sourceSrc,
      versions: (this.getAttribute('versions') ?? '').split(/[\s,]+/).filter(Boolean),
    });
  }
}
customElements.define('pyc-lens', PycLens);

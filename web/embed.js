// Embedding pyclens in any static site with one script tag:
//   <script type="module" src="pyclens/embed.js"></script>
//   <pyc-lens src="example.pyc" view="all" theme="dark"></pyc-lens>
//   <pyc-lesson src="pyclens/lessons/code-object/lesson.md" version="3.12"></pyc-lesson>
// Files beside this one (pkg/, components/, style.css, the worker) are loaded relative to it;
// nothing else is requested. Each element lives in its own shadow root and listens only to
// events inside it.
import { Decoder } from './decoder.js';
import { Explorer } from './explorer.js';
import { el } from './model.js';
import { styleShadow } from './assets.js';
import './components/pyc-lesson.js';

const STYLE = new URL('style.css', import.meta.url).href;

/**
 * Puts an explorer into `element` (in a shadow root) and opens `src` when given. Options:
 * `src` (a .pyc URL), `view` ('all', 'tree', 'code', 'hex'), `theme` ('light', 'dark').
 * Returns the explorer (its `open(name, arrayBuffer)` shows any other bytes).
 */
export function mount(element, { src, view = 'all', theme } = {}) {
  const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
  const container = el('div', { class: 'embed' });
  root.replaceChildren(...styleShadow(root, STYLE), container);
  if (theme) element.setAttribute('theme', theme);
  const explorer = new Explorer(container, { decoder: new Decoder(), markers: element });
  if (view !== 'all') explorer.setView(view);
  if (src) {
    fetch(src)
      .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`${src}: ${r.status}`))))
      .then((bytes) => explorer.open(src.split('/').pop(), bytes))
      .catch((err) => explorer.showError(String(err.message)));
  }
  return explorer;
}

/** `<pyc-lens src view theme>`: the explorer on one file. */
class PycLens extends HTMLElement {
  connectedCallback() {
    if (this.explorer) return;
    this.explorer = mount(this, {
      src: this.getAttribute('src') ?? undefined,
      view: this.getAttribute('view') ?? 'all',
      theme: this.getAttribute('theme') ?? undefined,
    });
  }
}
customElements.define('pyc-lens', PycLens);

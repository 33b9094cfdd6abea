// The write view: Python typed in an editor, compiled as the learner types by the real
// CPython of each chosen version (compile/), each pyc decoded by the same wasm decoder as a
// dropped file and shown side by side (by source line, differences marked) and in the full
// explorer; the program can be run (run-panel.js). The fragment holds the state (permalink.js).
import { el, codeName } from '../model.js';
import { decodeAll } from './decode-all.js';
import { Decoder } from '../decoder.js';
import { Explorer } from '../explorer.js';
import { Compilers, availableVersions, pycName } from '../compile/compilers.js';
import { RunPanel } from './run-panel.js';
import { format, formatShort } from './permalink.js';
import { isStored, store, megabytes } from './offline.js';
import '../components/pyc-compare.js';

/** The program the view starts with when no link gives one. */
export const EXAMPLE = `def squares(n):
    return [i * i for i in range(n)]

total = 0
for x in squares(10):
    total += x
print(total)
`;

/**
 * Resolves once a service worker controls the page, so the interpreter files the compiler
 * workers fetch are cached as they arrive (on a first visit it is still installing), or
 * after `ms` without one (no service worker: the files are stored by a second fetch).
 */
function controlled(ms = 3000) {
  if (!('serviceWorker' in navigator) || navigator.serviceWorker.controller) return Promise.resolve();
  return Promise.race([
    new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })),
    new Promise((resolve) => setTimeout(resolve, ms)),
  ]);
}

/** Milliseconds of quiet typing before a recompile. */
const DEBOUNCE_MS = 250;

export class WriteView {
  /** Builds the view in `container` (the page's write section); call `start()` next. */
  constructor(container) {
    this.container = container;
    this.generation = 0;
    this.selected = [];
    this.results = new Map();
    this.compareDecoder = new Decoder();
  }

  /** Loads the editor and the version list, then shows `{ versions, source }`. */
  async start({ versions, source }) {
    const [{ createEditor }, builds] = await Promise.all([import('../vendor/editor.js'), availableVersions(), controlled()]);
    this.builds = builds;
    this.compilers = new Compilers(builds);
    this.compilers.onState = (version, state) => this.#versionState(version, state);
    const known = builds.map((b) => b.python);
    const wanted = (versions ?? []).filter((v) => known.includes(v));
    this.selected = wanted.length ? wanted : [known.includes('3.14') ? '3.14' : known.at(-1)];
    this.#build();
    this.editor = createEditor(this.editorHost, {
      doc: source ?? EXAMPLE,
      onChange: () => this.#schedule(),
      onLine: (line) => this.#cursorLine(line),
    });
    await this.#refreshStored();
    this.compile();
  }

  /** Shows another program or version set (a permalink opened while the view is open). */
  show({ versions, source }) {
    if (versions?.length) this.#choose(versions.filter((v) => this.builds.some((b) => b.python === v)));
    if (source !== null && source !== undefined && source !== this.editor.text()) this.editor.setText(source);
    this.compile();
  }

  #build() {
    this.versionBoxes = new Map();
    const versions = el('fieldset', { class: 'versions' }, el('legend', { text: 'Compile with' }));
    for (const b of this.builds) {
      const box = el('input', { type: 'checkbox', value: b.python, checked: this.selected.includes(b.python) });
      const state = el('span', { class: 'version-state', text: megabytes(b.bytes) });
      box.addEventListener('change', () => this.#choose(this.builds.map((x) => x.python).filter((v) => this.versionBoxes.get(v).box.checked)));
      versions.append(el('label', { class: 'version' }, box, ` ${b.python} `, state));
      this.versionBoxes.set(b.python, { box, state });
    }
    this.shareButton = el('button', { type: 'button', text: 'Copy link' });
    this.shareButton.addEventListener('click', () => this.#share());
    this.offlineButton = el('button', { type: 'button', text: 'Make available offline' });
    this.offlineButton.addEventListener('click', () => this.#storeAll());
    this.offlineProgress = el('progress', { max: 1, value: 0, hidden: true, 'aria-label': 'Download for offline use' });
    this.offlineText = el('span', { class: 'offline-text', role: 'status' });
    this.shareText = el('span', { class: 'share-text', role: 'status' });
    this.messages = el('div', { class: 'compile-messages', role: 'status', 'aria-live': 'polite' });
    this.editorHost = el('div', { class: 'editor-host' });
    this.compare = el('pyc-compare');
    this.focus = el('select', { 'aria-label': 'Version shown in the explorer' });
    this.focus.addEventListener('change', () => this.#showFocus());
    this.shown = 'compare';
    const explorerHost = el('div', { class: 'write-explorer' });
    this.explorer = new Explorer(explorerHost, { decoder: new Decoder(), markers: explorerHost });
    this.run = new RunPanel({ compilers: this.compilers, source: () => this.editor.text() });
    const tabs = [['compare', 'Side by side', this.compare], ['explore', 'Explorer', el('div', {}, el('label', { class: 'focus-label' }, 'Version ', this.focus), explorerHost)], ['adaptive', 'Specialised after a run', this.run.adaptive]];
    this.tabs = this.#tabs(tabs);
    this.container.replaceChildren(
      el('div', { class: 'write-bar' }, versions,
        el('div', { class: 'write-actions' }, this.shareButton, this.shareText, this.offlineButton, this.offlineProgress, this.offlineText)),
      el('div', { class: 'write-grid' },
        el('section', { class: 'write-source', 'aria-label': 'Source' }, el('h2', { text: 'Source (main.py)' }), this.editorHost, this.messages, this.run.element),
        el('section', { class: 'write-results', 'aria-label': 'Bytecode' }, this.tabs.element)));
    this.#listen(explorerHost);
    this.#updateFocusChoices();
  }

  /** A tab list over `[id, label, panel]` (arrow keys move between tabs). */
  #tabs(list) {
    const bar = el('div', { role: 'tablist', 'aria-label': 'Views of the compiled code' });
    const panels = [];
    const buttons = list.map(([id, label, panel], i) => {
      const button = el('button', { type: 'button', role: 'tab', id: `tab-${id}`, 'aria-controls': `panel-${id}`, 'aria-selected': String(i === 0), tabindex: i === 0 ? '0' : '-1', text: label });
      panels.push(el('div', { role: 'tabpanel', id: `panel-${id}`, 'aria-labelledby': `tab-${id}`, hidden: i !== 0, class: `tab-${id}` }, panel));
      return button;
    });
    const select = (i) => {
      buttons.forEach((b, j) => { b.setAttribute('aria-selected', String(i === j)); b.tabIndex = i === j ? 0 : -1; panels[j].hidden = i !== j; });
      buttons[i].focus();
      this.shown = list[i][0];
      this.#render();
    };
    buttons.forEach((b, i) => b.addEventListener('click', () => select(i)));
    bar.addEventListener('keydown', (e) => {
      const i = buttons.indexOf(document.activeElement);
      if (i < 0 || !['ArrowLeft', 'ArrowRight'].includes(e.key)) return;
      select((i + (e.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length);
    });
    bar.append(...buttons);
    return { element: el('div', { class: 'tabs' }, bar, ...panels), select: (id) => select(list.findIndex(([x]) => x === id)) };
  }

  #listen(explorerHost) {
    const toEditor = (e) => {
      const ins = e.detail.instruction;
      this.editor.showPositions(ins.positions ?? (ins.line ? [ins.line, ins.line, null, null] : null), !ins.positions);
    };
    explorerHost.addEventListener('instruction', toEditor);
    this.compare.addEventListener('instruction', toEditor);
    this.compare.addEventListener('line', (e) => {
      this.editor.showPositions([e.detail.line, e.detail.line, null, null], true);
      this.#cursorLine(e.detail.line);
    });
  }

  #cursorLine(line) {
    this.compare.markLine(line);
    if (this.explorer.state.selected >= 0) this.explorer.disasm.markLine(line);
  }

  #choose(versions) {
    this.selected = versions;
    for (const [v, { box }] of this.versionBoxes) box.checked = versions.includes(v);
    this.#updateFocusChoices();
    this.compile();
  }

  #updateFocusChoices() {
    const keep = this.focus.value;
    this.focus.replaceChildren(...this.selected.map((v) => new Option(`Python ${v}`, v)));
    this.focus.value = this.selected.includes(keep) ? keep : this.selected.at(-1) ?? '';
    this.run.setVersions(this.selected);
  }

  #schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.compile(), DEBOUNCE_MS);
  }

  /** Compiles the editor's text in every chosen version and shows the results. */
  async compile() {
    clearTimeout(this.timer);
    const generation = ++this.generation;
    const source = this.editor.text();
    const versions = [...this.selected];
    history.replaceState(null, '', format({ versions, source }));
    if (!versions.length) {
      this.messages.replaceChildren(el('p', { text: 'Choose at least one Python version.' }));
      return;
    }
    const started = performance.now();
    const results = await this.compilers.compileEach(versions, source);
    if (generation !== this.generation) return;
    const compiledAt = performance.now();
    this.#showMessages(results);
    this.results = new Map(results.map((r) => [r.version, r]));
    this.rendered = { source, compare: false, explore: false };
    await this.#render(generation);
    if (generation !== this.generation) return;
    const done = performance.now();
    Object.assign(this.container.dataset, {
      compiled: results.filter((r) => r.pyc?.length).map((r) => r.version).join(','),
      generation: String(generation),
      timing: JSON.stringify({ compileMs: compiledAt - started, renderMs: done - compiledAt, totalMs: done - started }),
    });
  }

  /**
   * Brings the visible tab up to date with the last compile; hidden tabs wait until they
   * are shown, so typing pays only for the view on screen.
   */
  async #render(generation = this.generation) {
    const { rendered, shown = 'compare' } = this;
    if (!rendered || rendered[shown] !== false) return;
    rendered[shown] = true;
    if (shown === 'compare') {
      const columns = [];
      for (const r of [...this.results.values()].filter((x) => x.pyc?.length)) {
        const { codes } = await decodeAll(this.compareDecoder, pycName(r.version), r.pyc);
        if (generation !== this.generation) return;
        columns.push({ label: r.version, codes });
      }
      this.compare.show(columns, rendered.source.split(/\r?\n/));
    } else if (shown === 'explore') {
      await this.#showFocus();
    }
  }

  /** Errors and warnings of each version, listed and marked in the editor. */
  #showMessages(results) {
    const marks = [];
    const items = [];
    for (const r of results) {
      if (r.failure) items.push(el('li', { class: 'error', text: `Python ${r.version}: ${r.failure}` }));
      if (r.error) {
        const e = r.error;
        const where = e.lineno ? ` (line ${e.lineno}${e.offset ? `, column ${e.offset}` : ''})` : '';
        items.push(el('li', { class: 'error', 'data-version': r.version, text: `Python ${r.python}: ${e.type}: ${e.msg}${where}` }));
        if (e.lineno) marks.push({ line: e.lineno, col: e.offset, endLine: e.end_lineno, endCol: e.end_offset > 0 ? e.end_offset : null, message: `Python ${r.version}: ${e.type}: ${e.msg}` });
      }
      for (const w of r.warnings ?? []) {
        items.push(el('li', { class: 'warning', text: `Python ${r.version}: ${w.category}: ${w.message} (line ${w.lineno})` }));
        marks.push({ line: w.lineno, col: null, message: `Python ${r.version}: ${w.category}: ${w.message}`, severity: 'warning' });
      }
      if (!r.error && !r.failure) items.push(el('li', { class: 'ok', text: `Python ${r.python}: ${r.pyc.length} bytes of pyc` }));
    }
    this.messages.replaceChildren(el('ul', {}, ...items));
    this.editor.markErrors(marks);
  }

  /** Opens the focused version's pyc in the explorer, keeping the selected code object. */
  async #showFocus() {
    const result = this.results.get(this.focus.value);
    if (!result?.pyc?.length) return;
    const { state } = this.explorer;
    const keep = state.selected > 0 ? codeName(state.codes[state.selected]) : null;
    const bytes = result.pyc.slice();
    await this.explorer.open(pycName(result.version), bytes.buffer);
    const again = keep === null ? -1 : this.explorer.state.codes.findIndex((c) => codeName(c) === keep);
    if (again > 0) this.explorer.tree.select(again, false);
  }

  #versionState(version, state) {
    const entry = this.versionBoxes?.get(version);
    if (!entry) return;
    const build = this.builds.find((b) => b.python === version);
    entry.state.textContent = { loading: 'loading…', ready: 'ready', stopped: build.stored ? 'stored' : megabytes(build.bytes) }[state];
    if (state === 'ready') this.#remember(build);
  }

  /** After a version loaded once, make sure all its files are kept for offline use. */
  async #remember(build) {
    if (!('caches' in globalThis)) return;
    try {
      await store([build]);
      build.stored = true;
      await this.#refreshStored();
    } catch { /* offline use of this version simply stays unavailable */ }
  }

  async #refreshStored() {
    let stored = 0;
    for (const b of this.builds) {
      b.stored = await isStored(b);
      if (b.stored) stored += b.bytes;
      const entry = this.versionBoxes.get(b.python);
      if (!this.compilers.isReady(b.python)) entry.state.textContent = b.stored ? 'stored' : megabytes(b.bytes);
      entry.state.title = b.stored ? 'kept for offline use' : `${megabytes(b.bytes)} to download (${megabytes(b.gzip)} compressed)`;
    }
    const missing = this.builds.filter((b) => !b.stored);
    const need = missing.reduce((n, b) => n + b.bytes, 0);
    this.offlineButton.disabled = missing.length === 0;
    this.offlineButton.textContent = missing.length ? `Make all available offline (${megabytes(need)})` : 'All versions available offline';
    this.offlineText.textContent = `${megabytes(stored)} stored for offline use`;
    this.container.dataset.stored = this.builds.filter((b) => b.stored).map((b) => b.python).join(',');
  }

  async #storeAll() {
    this.offlineButton.disabled = true;
    this.offlineProgress.hidden = false;
    try {
      await store(this.builds.filter((b) => !b.stored), (done, total) => {
        this.offlineProgress.max = total || 1;
        this.offlineProgress.value = done;
        this.offlineText.textContent = `${megabytes(done)} of ${megabytes(total)} (${total ? Math.floor((100 * done) / total) : 100}%)`;
      });
    } catch (err) {
      this.offlineText.textContent = `Download stopped: ${err.message}`;
      this.offlineButton.disabled = false;
      return;
    }
    this.offlineProgress.hidden = true;
    await this.#refreshStored();
  }

  async #share() {
    const url = new URL(location.href);
    url.hash = await formatShort({ versions: this.selected, source: this.editor.text() });
    try {
      await navigator.clipboard.writeText(url.href);
      this.shareText.textContent = 'Link copied: it holds the source and the versions.';
    } catch {
      this.shareText.textContent = url.href;
    }
    this.container.dataset.shared = url.hash;
  }
}

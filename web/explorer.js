// The explorer on one file, laid out around the instructions: a compact header card on top,
// the code-object tree on the left, the disassembly of the selected code object in the
// middle, and beside it a tabbed pane (its fields and constants, the source, the file's
// bytes). All kept in step. It builds its own DOM inside a container and listens only there,
// so the page and every embedded <pyc-lens> each have their own. The columns follow the
// explorer's own width (container queries in style.css), not the window's: an embed or the
// write view lays out for the box it has.
//
// Views added by other code, without editing this layout:
//   explorer.addTab({ id, label, element }) — a tab beside the listing; returns its tabpanel.
//   explorer.aboveListing — an empty div directly above the listing (an explanation of the
//     selected instruction, a stack-depth strip…); its children are the caller's to manage.
//   explorer.disasm.selectIndex(i) / selectRange(first, count) — select an instruction as a
//     click does, or mark a run of them (a control-flow graph's block).
import { DecodeFailure } from './decoder.js';
import { codeKind, codeName, el } from './model.js';
import { Tabs } from './tabs.js';
import './components/pyc-header-card.js';
import './components/pyc-tree.js';
import './components/pyc-code-panel.js';
import './components/pyc-disasm.js';
import './components/pyc-hex-view.js';
import './components/pyc-source.js';

let explorers = 0;

/** Resolves in a later task, after the page has had the chance to paint and handle input. */
function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

export class Explorer {
  /**
   * `container`: where to build (an element, possibly inside a shadow root); `decoder`: a
   * Decoder; `markers`: the element whose data attributes tell tests and benchmarks what is
   * shown (`loaded`, `shown`, `selected`, `timing`, `error`); `onContainer(name, listing)`,
   * when given, takes a file that is a zip or PyInstaller executable rather than a pyc (the
   * page lists its modules: container-page.js); without it such a file is a bad pyc.
   */
  constructor(container, { decoder, markers = container, onContainer = null }) {
    this.decoder = decoder;
    this.markers = markers;
    this.onContainer = onContainer;
    this.uid = `explorer${++explorers}`;
    this.state = { summary: null, codes: [], bytes: null, name: '', buffer: null, selected: -1 };
    this.status = el('p', { class: 'explorer-status', role: 'status', 'aria-live': 'polite' });
    this.error = el('p', { class: 'explorer-error', role: 'alert', hidden: true });
    this.header = el('pyc-header-card');
    this.tree = el('pyc-tree', { id: `${this.uid}-tree` });
    this.panel = el('pyc-code-panel');
    this.disasm = el('pyc-disasm');
    this.source = el('pyc-source');
    this.hex = el('pyc-hex-view');
    this.listingTitle = el('h2', { class: 'listing-title', text: 'Instructions' });
    this.aboveListing = el('div', { class: 'above-listing' });
    this.tabs = new Tabs('Details of the selected code object', (id) => this.hex.refit(id === 'bytes'));
    this.tabs.add('fields', 'Fields', this.panel);
    this.tabs.add('source', 'Source', this.source);
    this.tabs.add('bytes', 'Bytes', this.hex);
    this.source.clear();
    this.treeToggle = el('button', { type: 'button', class: 'pane-toggle', 'aria-expanded': 'true', 'aria-controls': this.tree.id, text: 'Code objects' });
    this.treeToggle.addEventListener('click', () => this.#toggleTree());
    // Landmarks, named after the open file (#name) so that two explorers on one page (two
    // embeds) have distinct ones.
    this.panes = [
      el('section', { class: 'pane tree-pane', 'data-label': 'Code objects' }, el('h2', {}, this.treeToggle), this.tree),
      el('section', { class: 'pane listing-pane', 'data-label': 'Instructions' }, this.listingTitle, this.aboveListing, this.disasm),
      el('section', { class: 'pane side-pane', 'data-label': 'Details' }, this.tabs.element)];
    this.#name('');
    this.main = el('div', { class: 'explorer', hidden: true }, this.header, el('div', { class: 'explorer-body' }, ...this.panes));
    container.append(this.status, this.error, this.main);
    this.#listen(container);
    // The instruction in words, the stack depth and the graph (explorer-analysis.js), where
    // the decoder can analyse: the single-file copy cannot, and goes without.
    this.views = decoder.canAnalyse ? import('./explorer-analysis.js').then((m) => new m.AnalysisViews(this), () => null) : Promise.resolve(null);
  }

  /**
   * Adds a view as a tab of the side pane: `id` (unique in this explorer), `label` (the
   * tab's text), `element` (the view). Returns the tabpanel holding it.
   */
  addTab({ id, label, element }) {
    return this.tabs.add(id, label, element);
  }

  /** Shows the side pane's tab `id` ('fields', 'source', 'bytes' or an added one). */
  showTab(id) {
    this.tabs.show(id);
  }

  #toggleTree() {
    const open = this.treeToggle.getAttribute('aria-expanded') !== 'true';
    this.treeToggle.setAttribute('aria-expanded', String(open));
    this.tree.hidden = !open;
  }

  #listen(root) {
    root.addEventListener('select', (e) => { if (e.target === this.tree) this.selectCode(e.detail.index); });
    root.addEventListener('open-code', (e) => this.tree.select(e.detail.index));
    root.addEventListener('read-as', (e) => {
      if (this.state.buffer) this.open(this.state.name, this.state.buffer, e.detail.python);
    });
    root.addEventListener('span', (e) => this.hex.highlight(e.detail.span, e.detail.label));
    root.addEventListener('instruction', (e) => this.source.highlight(e.detail.instruction.positions));
    root.addEventListener('line', (e) => this.disasm.markLine(e.detail.line));
    root.addEventListener('byte', async (e) => {
      if (!this.state.summary) return;
      const hit = await this.decoder.owner(e.detail.offset);
      if (!hit) return;
      if (hit.code_index !== null && hit.code_index !== this.state.selected) {
        this.tree.select(hit.code_index, false);
        await new Promise((resolve) => this.main.addEventListener('selected', resolve, { once: true }));
      }
      this.hex.highlight(hit.span, hit.label);
    });
  }

  #name(file) {
    for (const pane of this.panes) pane.setAttribute('aria-label', file ? `${pane.dataset.label}: ${file}` : pane.dataset.label);
  }

  /** Every version the decoder knows with its evidence, asked once per explorer. */
  #supported() {
    this.versions ??= this.decoder.info().then((info) => info.versions);
    return this.versions;
  }

  /** The CPython versions a file can be read as, newest first (the header card's "Read as"). */
  async #readable() {
    const rows = await this.#supported();
    return rows.filter((r) => r.implementation === 'CPython').map((r) => r.python).reverse();
  }

  /** How far pyclens's reading of this file's version was checked, in words (crate/src/pyc/support.rs). */
  async #evidence(header) {
    const rows = await this.#supported();
    return rows.find((r) => r.implementation === header.implementation && r.python === header.python)?.description;
  }

  say(text) {
    this.status.textContent = text;
  }

  showError(message) {
    this.error.hidden = !message;
    this.error.textContent = message ?? '';
  }

  /**
   * Decodes one file and shows it; on failure keeps the previous file and marks the byte.
   * `python` ("3.12") reads it as that version whatever its header says.
   */
  async open(name, buffer, python = '') {
    const { state, markers } = this;
    this.say(`Decoding ${name}…`);
    delete markers.dataset.loaded;
    delete markers.dataset.shown;
    try {
      const reply = await this.decoder.open(buffer, name, python, { containers: Boolean(this.onContainer) });
      this.showError(null);
      if (reply.container) {
        this.onContainer(name, reply.container);
        return false;
      }
      // The summary of a large file (thousands of code objects) was read in this task; the
      // tree is built in the next.
      await nextTask();
      const { summary, timing } = reply;
      const { codes } = summary;
      const bytes = reply.plaintext ? new Uint8Array(reply.plaintext) : new Uint8Array(buffer);
      Object.assign(state, { summary, name, buffer, bytes, codes, selected: -1 });
      this.main.hidden = false;
      this.#name(name);
      this.header.show(summary, name, buffer.byteLength, await this.#evidence(summary.header), await this.#readable());
      this.hex.clear(); // the file's bytes come with the first selection
      this.tree.show(state.codes);
      this.source.clear();
      if (this.tabs.shown === 'source') this.tabs.show('fields');
      this.say(`${name}: Python ${summary.header.python}, ${codes.length} code objects — decoded in ${timing.decodeMs.toFixed(1)} ms`);
      markers.dataset.timing = JSON.stringify({ ...timing, shownAt: performance.now() });
      markers.dataset.loaded = name;
      return true;
    } catch (err) {
      if (!(err instanceof DecodeFailure)) throw err;
      const where = err.offset !== null ? ` at byte ${err.offset}` : '';
      this.showError(`${name}: ${err.message}${where}` + (state.summary ? ` — still showing ${state.name}.` : ''));
      // A header naming the wrong version: one press reads the file as the one it fits.
      const fits = err.kind === 'wrong_version' && err.message.match(/--python (\S+)/)?.[1];
      if (fits) {
        const button = el('button', { type: 'button', text: `Read it as Python ${fits}` });
        button.addEventListener('click', () => this.open(name, buffer, fits));
        this.error.append(' ', button);
      }
      this.say(state.summary ? `Showing ${state.name}.` : 'Nothing loaded yet.');
      // The bad file's bytes with the failing one marked; the previous document stays
      // loaded and comes back on the next selection.
      this.main.hidden = false;
      this.tabs.show('bytes');
      this.hex.show(new Uint8Array(buffer));
      if (err.offset !== null) this.hex.markError(err.offset);
      markers.dataset.error = err.kind;
      return false;
    }
  }

  /** Shows the matching .py beside the instructions (its tab comes to the front). */
  showSource(name, text) {
    if (!this.state.summary) return;
    this.source.show(name, text);
    if (this.main.dataset.view !== 'hex') this.tabs.show('source');
  }

  async selectCode(index) {
    const { state } = this;
    const item = state.codes[index];
    if (!item) return;
    state.selected = index;
    const turn = (this.turn = (this.turn ?? 0) + 1);
    const { code } = await this.decoder.code(index);
    // The reply was read in this task; the listing is built in the next.
    await nextTask();
    if (this.turn !== turn) return; // a later selection won
    state.code = code;
    // In three tasks, the listing first: the page paints and answers input between them,
    // which keeps a module code object of thousands of instructions and constants from
    // holding the main thread in one long task. Until its turn the panel shows nothing stale.
    this.listingTitle.textContent = `${codeName(code)} — ${codeKind(code, item.depth)}, line ${code.co_firstlineno ?? '?'}`;
    this.panel.clear();
    this.disasm.show(code);
    await nextTask();
    if (this.turn !== turn) return;
    this.panel.show(code, item, state.codes);
    await nextTask();
    if (this.turn !== turn) return;
    // The file's bytes stay drawn from one selection to the next: only the highlight moves.
    if (this.hex.bytes !== state.bytes) this.hex.show(state.bytes);
    this.hex.highlight(code.span, `code object ${code.co_qualname ?? code.co_name}`);
    this.markers.dataset.selected = String(index);
    this.markers.dataset.shown = `${state.name}#${index}`;
    this.main.dispatchEvent(new Event('selected'));
  }

  /**
   * Shows one view only or all of them: 'tree' (the tree), 'code' (the instructions with the
   * fields and source, no bytes), 'hex' (the bytes) or 'all'.
   */
  setView(view) {
    this.main.dataset.view = view;
    this.tabs.setAvailable('bytes', view !== 'code');
    if (view === 'hex') this.tabs.show('bytes');
  }
}

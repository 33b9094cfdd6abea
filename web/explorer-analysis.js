// What the explorer adds beside the listing when it runs on the site: the selected
// instruction in plain words, the value-stack depth along the listing, and the control-flow
// graph. The depths, blocks and edges come from the analysis module (web/pkg-analysis),
// which the worker fetches only once a person asks for them ("Stack depth", or the Graph
// tab); from then on every selected code object is analysed. The single-file copy has no
// worker for these, so it does without them.
import { el } from './model.js';
import './components/pyc-instruction-info.js';
import './components/pyc-stack-strip.js';
import './components/pyc-cfg.js';

export class AnalysisViews {
  /** Adds the views to `explorer` (an Explorer) and follows its selections. */
  constructor(explorer) {
    this.explorer = explorer;
    this.analysed = null; // the selected code object with depths, blocks and edges
    this.wanted = false; // analysis asked for once: from then on every selection is analysed
    this.info = el('pyc-instruction-info');
    this.strip = el('pyc-stack-strip', { hidden: true });
    this.toggle = el('button', { type: 'button', class: 'stack-toggle', 'aria-pressed': 'false', text: 'Stack depth' });
    this.toggle.addEventListener('click', () => this.#toggleStrip());
    this.graph = el('pyc-cfg');
    explorer.aboveListing.append(this.toggle, this.strip, this.info);
    explorer.addTab({ id: 'graph', label: 'Graph', element: this.graph });
    this.#listen(explorer.main);
  }

  #listen(root) {
    root.addEventListener('selected', () => this.#selected());
    root.addEventListener('tab-shown', (e) => {
      if (e.detail.id === 'graph') this.#want();
    });
    root.addEventListener('instruction', (e) => this.#instruction(e.detail.instruction));
    root.addEventListener('pick-instruction', (e) => this.explorer.disasm.selectIndex(e.detail.index));
    root.addEventListener('pick-instructions', (e) => {
      const { first, count, lines } = e.detail;
      this.explorer.disasm.selectRange(first, count);
      const known = lines.filter((n) => n !== null && n !== undefined);
      if (known.length) this.explorer.source.highlight([Math.min(...known), Math.max(...known), null, null]);
    });
  }

  /** The code object shown now: the analysed one when it has arrived. */
  get code() {
    return this.analysed ?? this.explorer.state.code;
  }

  #toggleStrip() {
    const on = this.toggle.getAttribute('aria-pressed') !== 'true';
    this.toggle.setAttribute('aria-pressed', String(on));
    if (on && this.analysed) this.strip.show(this.analysed, this.explorer.state.summary.header);
    else this.strip.hidden = true;
    if (on) this.#want();
  }

  #want() {
    if (this.wanted) return;
    this.wanted = true;
    this.#selected();
  }

  async #selected() {
    const { state, decoder } = this.explorer;
    const index = state.selected;
    this.analysed = null;
    this.info.clear();
    if (!this.wanted || index < 0) return;
    let reply;
    try {
      reply = await decoder.analysis(index);
    } catch (err) {
      this.explorer.say(`No stack depths or graph: ${err.message}`);
      return;
    }
    if (state.selected !== index) return; // a later selection won
    this.analysed = reply.code;
    this.strip.show(reply.code, state.summary.header);
    this.strip.hidden = this.toggle.getAttribute('aria-pressed') !== 'true' || this.strip.hidden;
    this.graph.show(reply.code);
  }

  /** The selected instruction: explained, marked on the strip and in the graph. */
  #instruction(picked) {
    const code = this.code;
    if (!code?.instructions) return;
    const index = code.instructions.findIndex((ins) => ins.offset === picked.offset);
    if (index < 0) return;
    this.info.show(code.instructions[index], code, this.explorer.state.summary.header);
    if (this.analysed) {
      this.strip.mark(index);
      this.graph.select(index);
    }
  }
}

// Running the program in one real CPython: Run, Stop, the text input() reads, the output as
// it arrives, and afterwards (3.11+) each code object's instructions as the specialising
// interpreter left them (dis.get_instructions(x, adaptive=True)) beside the plain ones.
import { el } from '../model.js';

/** Seconds a run may take before its worker is ended. */
export const TIME_LIMIT_S = 10;

export class RunPanel {
  /** `compilers`: the Compilers; `source()`: the editor's text; `onRan(version)` after a run. */
  constructor({ compilers, source, onRan = () => {} }) {
    Object.assign(this, { compilers, source, onRan });
    this.version = el('select', { 'aria-label': 'Python version to run in' });
    this.runButton = el('button', { type: 'button', class: 'primary', text: 'Run' });
    this.stopButton = el('button', { type: 'button', disabled: true, text: 'Stop' });
    this.stdin = el('textarea', { rows: 3, spellcheck: 'false', 'aria-label': 'Lines input() reads, one per call' });
    this.status = el('p', { class: 'run-status', role: 'status' });
    this.output = el('pre', { class: 'run-output', role: 'log', tabindex: '0', 'aria-label': 'Program output' });
    this.controls = el('div', { class: 'run-controls' },
      this.runButton, el('label', {}, 'in ', this.version), this.stopButton,
      el('span', { class: 'muted', text: `stops by itself after ${TIME_LIMIT_S} s` }));
    this.element = el('section', { class: 'run-panel', 'aria-label': 'Run' },
      el('h2', { text: 'Run' }), this.controls,
      el('details', { class: 'stdin' }, el('summary', { text: 'Input for input()' }), this.stdin),
      this.status, this.output);
    this.adaptive = el('div', { class: 'adaptive' },
      el('p', { class: 'muted', text: 'Run the program in 3.11 or newer: the instructions the specialising interpreter rewrote while it ran appear here, beside the plain ones a pyc holds.' }));
    this.runButton.addEventListener('click', () => this.run());
    this.stopButton.addEventListener('click', () => this.compilers.stop(this.version.value));
  }

  /** The versions offered (those being compiled); keeps the choice when still offered. */
  setVersions(versions) {
    const keep = this.version.value;
    this.version.replaceChildren(...versions.map((v) => new Option(`Python ${v}`, v)));
    this.version.value = versions.includes(keep) ? keep : versions.at(-1);
  }

  async run() {
    const version = this.version.value;
    if (!version) return;
    this.output.replaceChildren();
    this.runButton.disabled = true;
    this.stopButton.disabled = false;
    this.element.dataset.running = version;
    this.status.textContent = this.compilers.isReady(version) ? `Running in Python ${version}…` : `Loading Python ${version}, then running…`;
    const write = ({ stream, text }) => this.output.append(el('span', { class: stream, text }));
    const result = await this.compilers.run(version, this.source(), { stdin: this.stdin.value, onOutput: write, limitMs: TIME_LIMIT_S * 1000 });
    this.runButton.disabled = false;
    this.stopButton.disabled = true;
    delete this.element.dataset.running;
    this.status.textContent = `Python ${version}: ${this.#ending(result)}`;
    this.element.dataset.ran = `${version}:${result.status}`;
    if (result.adaptive) await this.#showAdaptive(version);
    this.onRan(version, result);
  }

  #ending(result) {
    switch (result.status) {
      case 'ok': return `finished in ${result.seconds.toFixed(3)} s.`;
      case 'exit': return `exited with status ${result.code ?? 0}.`;
      case 'exception': return `stopped by ${result.exception}`;
      case 'error': return `does not compile: ${result.error?.display?.trim().split('\n').at(-1)}`;
      case 'stopped': return 'stopped (its interpreter was ended; the next compile loads it again).';
      case 'timeout': return `ended after ${TIME_LIMIT_S} s (its interpreter was ended; the next compile loads it again).`;
      default: return result.failure ? `failed: ${result.failure}` : result.status;
    }
  }

  async #showAdaptive(version) {
    const { codes = [] } = await this.compilers.adaptive(version);
    const sections = codes.map((code) => {
      const changed = code.instructions.filter((i) => i.adaptive !== i.opname).length;
      const rows = code.instructions.map((i) => el('tr', { class: i.adaptive !== i.opname ? 'specialised' : '' },
        el('td', { text: String(i.offset) }), el('td', { text: i.opname }), el('td', { text: i.adaptive === i.opname ? '' : i.adaptive })));
      return el('details', { open: changed > 0 },
        el('summary', { text: `${code.qualname} — ${changed} of ${code.instructions.length} instructions specialised` }),
        el('table', { class: 'adaptive-table' },
          el('caption', { text: `${code.qualname} in Python ${version} after the run` }),
          el('thead', {}, el('tr', {}, ...['offset', 'in the pyc', 'after the run'].map((t) => el('th', { scope: 'col', text: t })))),
          el('tbody', {}, ...rows)));
    });
    this.adaptive.replaceChildren(
      el('p', { text: `What Python ${version}'s specialising interpreter made of each code object during the last run (dis.dis(f, adaptive=True)). A pyc only ever holds the left column.` }),
      ...sections);
    this.adaptive.dataset.version = version;
  }
}

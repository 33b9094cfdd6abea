// The value-stack depth along a code object's instructions as a small step plot: instruction
// index across, depth up, gaps where no path reaches an instruction, the deepest point
// marked and labelled against co_stacksize. It is a slider for the keyboard (Left/Right,
// Home/End move the mark) and clicking picks an instruction; both dispatch 'pick-instruction'.
import { el } from '../model.js';
import { pluck } from '../columns.js';
import { stacksizeReason } from '../explain/stacksize.js';

const SVG = 'http://www.w3.org/2000/svg';
const STEP = 6; // user units per instruction
const HEIGHT = 60; // plot height in user units
const PAD = 4;

/** An SVG element with attributes (never HTML text). */
function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/**
 * The facts the strip shows: depths (null where unreachable), the deepest one and the first
 * index that reaches it, the document's max_stack_depth and co_stacksize. Null when the code
 * has no stack_depth fields (the page's wasm leaves the analysis out).
 */
export function stripFacts(code) {
  const ins = code?.instructions ?? [];
  if (!ins.length || !ins.some((i) => 'stack_depth' in i)) return null;
  const depths = pluck(ins, 'stack_depth').map((d) => (typeof d === 'number' ? d : null));
  const known = depths.filter((d) => d !== null);
  const plotted = known.length ? Math.max(...known) : null;
  const max = typeof code.max_stack_depth === 'number' ? code.max_stack_depth : plotted;
  const at = depths.indexOf(plotted);
  return { depths, plotted, max, at, stacksize: code.co_stacksize ?? null, unreachable: depths.length - known.length };
}

/** "max depth 4 = co_stacksize 4", or the difference spelled out. */
export function maxLabel(facts) {
  if (facts.max === null) return 'no instruction is reachable';
  if (facts.stacksize === null) return `max depth ${facts.max}`;
  return facts.max === facts.stacksize
    ? `max depth ${facts.max} = co_stacksize ${facts.stacksize}`
    : `max depth ${facts.max} \u2260 co_stacksize ${facts.stacksize}`;
}

/** `<pyc-stack-strip>`: show(code, header), mark(index); dispatches 'pick-instruction' {index}. */
class PycStackStrip extends HTMLElement {
  /**
   * Draws the depths of `code` (hides itself when the document has none); `header` (the
   * file's { python, implementation }) explains a co_stacksize its compiler is known to count
   * differently.
   */
  show(code, header = null) {
    this.code = code;
    this.facts = stripFacts(code);
    this.index = -1;
    if (!this.facts) {
      this.hidden = true;
      this.replaceChildren();
      return;
    }
    this.hidden = false;
    const { depths, plotted, max, at, stacksize, unreachable } = this.facts;
    const top = Math.max(plotted ?? 0, stacksize ?? 0, 1);
    const width = depths.length * STEP;
    const y = (d) => PAD + HEIGHT - (d / top) * HEIGHT;
    const plot = svg('svg', {
      viewBox: `0 0 ${width} ${HEIGHT + 2 * PAD}`, preserveAspectRatio: 'none', class: 'stack-strip-plot',
      'aria-hidden': 'true', focusable: 'false',
    });
    // Painted in order: unreachable bands, the cursor, co_stacksize, the depth line, the max
    // mark, so the line and the mark stay visible over the cursor.
    let path = '';
    depths.forEach((d, i) => {
      if (d === null) {
        // One shaded band per run of unreachable instructions.
        if (i === 0 || depths[i - 1] !== null) {
          let end = i;
          while (end < depths.length && depths[end] === null) end++;
          plot.append(svg('rect', { x: i * STEP, y: PAD, width: (end - i) * STEP, height: HEIGHT, class: 'stack-strip-gap' }));
        }
        return;
      }
      path += `${i === 0 || depths[i - 1] === null ? 'M' : 'L'}${i * STEP} ${y(d)}H${(i + 1) * STEP}`;
    });
    this.cursor = svg('rect', { x: 0, y: 0, width: STEP, height: HEIGHT + 2 * PAD, class: 'stack-strip-cursor', visibility: 'hidden' });
    plot.append(this.cursor);
    if (stacksize !== null) plot.append(svg('line', { x1: 0, x2: width, y1: y(stacksize), y2: y(stacksize), class: 'stack-strip-stacksize' }));
    plot.append(svg('path', { d: path, class: 'stack-strip-line' }));
    if (at >= 0) {
      const x = at * STEP + STEP / 2;
      plot.append(svg('line', { x1: x, x2: x, y1: y(plotted), y2: PAD + HEIGHT, class: 'stack-strip-max' }));
    }

    const reason = stacksizeReason(header, max, stacksize);
    const warn = max !== null && stacksize !== null && max !== stacksize && !reason;
    const where = at >= 0 ? `, first reached before instruction ${at + 1} (offset ${code.instructions[at].offset}, ${code.instructions[at].opname})` : '';
    this.summary = el('p', {
      class: `stack-strip-label${warn ? ' stack-strip-warn' : ''}`, id: `${this.uid()}-label`,
      text: `${maxLabel(this.facts)}${where}${unreachable ? `; ${unreachable} unreachable instruction${unreachable === 1 ? '' : 's'} (gaps)` : ''}.${reason ? ` ${reason}` : ''}`,
    });
    if (warn) this.summary.prepend(el('strong', { text: 'Warning: ' }));
    this.slider = el('div', {
      class: 'stack-strip-slider', role: 'slider', tabindex: 0,
      'aria-label': 'Stack depth along the instructions', 'aria-describedby': this.summary.id,
      'aria-valuemin': 1, 'aria-valuemax': depths.length, 'aria-valuenow': 1,
      'aria-valuetext': 'no instruction marked',
    });
    this.slider.append(plot);
    this.slider.addEventListener('click', (e) => this.pickAt(e));
    this.slider.addEventListener('keydown', (e) => this.key(e));
    this.dataset.max = String(max ?? '');
    this.dataset.stacksize = String(stacksize ?? '');
    this.replaceChildren(this.slider, this.summary);
  }

  /** A stable id prefix for this element's labels. */
  uid() {
    PycStackStrip.count ??= 0;
    this.id ||= `stack-strip-${++PycStackStrip.count}`;
    return this.id;
  }

  /** Highlights instruction `index` (as the disassembly selects it); no event. */
  mark(index) {
    if (!this.facts || index < 0 || index >= this.facts.depths.length) return;
    this.index = index;
    const ins = this.code.instructions[index];
    const d = this.facts.depths[index];
    this.cursor.setAttribute('x', String(index * STEP));
    this.cursor.setAttribute('visibility', 'visible');
    this.slider.setAttribute('aria-valuenow', String(index + 1));
    this.slider.setAttribute('aria-valuetext',
      `instruction ${index + 1} of ${this.facts.depths.length}, offset ${ins.offset}, ${ins.opname}, depth ${d === null ? 'unreachable' : d}`);
  }

  /** Marks `index` and tells the page, as a click or a key does. */
  pick(index) {
    const i = Math.max(0, Math.min(this.facts.depths.length - 1, index));
    this.mark(i);
    this.dispatchEvent(new CustomEvent('pick-instruction', { bubbles: true, detail: { index: i } }));
  }

  /** The instruction under the pointer. */
  pickAt(event) {
    const box = this.slider.querySelector('svg').getBoundingClientRect();
    if (!box.width) return;
    this.pick(Math.floor(((event.clientX - box.left) / box.width) * this.facts.depths.length));
  }

  /** Left/Right move the mark by one, Home/End to the ends. */
  key(event) {
    const last = this.facts.depths.length - 1;
    const from = this.index < 0 ? (event.key === 'ArrowLeft' ? last + 1 : -1) : this.index;
    const to = { ArrowRight: from + 1, ArrowLeft: from - 1, Home: 0, End: last }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    this.pick(to);
  }
}
customElements.define('pyc-stack-strip', PycStackStrip);

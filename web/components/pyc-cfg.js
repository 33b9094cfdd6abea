// <pyc-cfg>: one code object's control-flow graph — basic blocks as boxes holding their
// instructions, edges styled by kind (taken, not taken, jump and fall, exception) — laid out
// by dagre in a worker (web/cfg/) so that a function of hundreds of blocks opens without
// freezing the page, and a list of the blocks with their successors as its text alternative.
// Clicking a block (or Enter on it) dispatches 'pick-instructions' { first, count, lines }.
import { cfgSheet } from '../cfg/cfg-style.js';
import { BOX, EDGE_KINDS, arrowMarkers, blockBox, boxLines, edgePath, legendSample, svgEl } from '../cfg/cfg-svg.js';
import { blockLines, blockTitle, successorsText } from '../cfg/cfg-text.js';
import { LayoutClient } from '../cfg/layout-client.js';
import { el } from '../model.js';

/**
 * Boxes and edges added to the drawing per task, so that no task of a big graph runs long:
 * each chunk is made, then laid out and painted by Chromium, in its own frame (boxes out of
 * view are skipped there: `content-visibility: auto`, cfg-style.js).
 */
const BOX_CHUNK = 60;
const EDGE_CHUNK = 150;
/** Room around the layout for edges that run along its border (px). */
const MARGIN = 8;

let views = 0;

/**
 * Waits for the next frame to be drawn, so that each chunk of boxes is laid out and painted
 * on its own (chunks queued by setTimeout alone ran several to a frame, whose rendering then
 * took a quarter of a second). A hidden page draws no frames: the timer goes on then.
 */
function nextFrame() {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() => setTimeout(() => {
      clearTimeout(timer);
      resolve();
    }, 0));
  });
}

class PycCfg extends HTMLElement {
  #client = new LayoutClient();
  #generation = 0;
  #code = null;
  #boxes = [];
  #items = [];
  #current = -1;
  #pendingSelect = null;

  constructor() {
    super();
    this.uid = `cfg${++views}`;
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [cfgSheet()];
    this.status = el('p', { class: 'cfg-status', role: 'status' });
    this.legend = el('ul', { class: 'cfg-legend', 'aria-label': 'Edge styles' });
    this.keys = el('p', { id: `${this.uid}-keys`, class: 'visually-hidden', text: 'Arrow keys move between blocks in code order; Enter selects a block’s instructions.' });
    this.viewport = el('div', { class: 'cfg-viewport', tabindex: 0, role: 'region', 'aria-label': 'Control-flow graph' });
    this.list = el('ol', {});
    this.summary = el('summary', { text: 'Blocks and their successors' });
    this.text = el('details', { class: 'cfg-text' }, this.summary, this.list);
    this.viewport.addEventListener('click', (e) => this.#clicked(e));
    this.viewport.addEventListener('keydown', (e) => this.#key(e));
    this.list.addEventListener('click', (e) => {
      const button = e.target.closest('button[data-block]');
      if (button) this.#pick(Number(button.dataset.block), { reveal: true });
    });
    root.append(this.status, this.legend, this.keys, this.viewport, this.text);
  }

  disconnectedCallback() {
    this.#client.stop();
  }

  /**
   * Draws `code`'s graph (a code object of the JSON document with `instructions`, `blocks`
   * and `edges`). Resolves once it is drawn, or once a newer show() has replaced it (its
   * layout is then dropped). `dataset.state` follows: layout, drawing, ready, empty, error.
   */
  async show(code) {
    const generation = ++this.#generation;
    this.#code = code;
    this.#boxes = [];
    this.#items = [];
    this.#current = -1;
    this.#pendingSelect = null;
    this.viewport.replaceChildren();
    this.list.replaceChildren();
    this.legend.replaceChildren();
    const name = code.co_qualname ?? code.co_name ?? 'code';
    this.viewport.setAttribute('aria-label', `Control-flow graph of ${name}`);
    if (!code.blocks?.length) {
      this.#client.stop();
      this.#state('empty', `No control-flow graph for ${name}: the document has no blocks for it.`);
      return;
    }
    this.#state('layout', `Laying out ${code.blocks.length} blocks…`);
    const sizes = this.#measure(code);
    let answer;
    try {
      answer = await this.#client.layout({ nodes: sizes, edges: code.edges.map((e) => ({ from: e.from, to: e.to })) });
    } catch (error) {
      if (generation === this.#generation) this.#state('error', `The graph could not be laid out: ${error.message}`);
      return;
    }
    if (!answer || generation !== this.#generation) return;
    this.layoutMs = answer.ms;
    this.#state('drawing', `Drawing ${code.blocks.length} blocks…`);
    if (!await this.#draw(code, answer.layout, sizes, generation)) return;
    this.#writeList(code);
    this.#state('ready', `${code.blocks.length} blocks, ${code.edges.length} edges.`);
    if (this.#pendingSelect !== null) this.select(this.#pendingSelect);
  }

  /** Marks the block holding instruction `index` (as the disassembly's selection moves). */
  select(index) {
    const code = this.#code;
    if (!code?.blocks?.length || this.#boxes.length < code.blocks.length) {
      this.#pendingSelect = index;
      return;
    }
    this.#pendingSelect = null;
    const block = code.blocks.findIndex((b) => index >= b.first && index < b.first + b.count);
    if (block >= 0) this.#mark(block, { reveal: true });
  }

  #state(state, message) {
    this.dataset.state = state;
    this.status.textContent = message;
  }

  /** Each box's size from its text as the page's monospace font draws it. */
  #measure(code) {
    const context = document.createElement('canvas').getContext('2d');
    const family = getComputedStyle(this.viewport).getPropertyValue('--mono').trim() || 'monospace';
    context.font = `${BOX.font}px ${family}`;
    const widths = new Map();
    const width = (text) => {
      if (!widths.has(text)) widths.set(text, context.measureText(text).width);
      return widths.get(text);
    };
    return code.blocks.map((_, index) => {
      const lines = boxLines(code, index);
      return {
        width: Math.ceil(2 * BOX.pad + Math.max(...lines.map((line, i) => width(line) * (i === 0 ? 1.08 : 1)))),
        height: 2 * BOX.pad + BOX.line * lines.length,
      };
    });
  }

  async #draw(code, layout, sizes, generation) {
    const width = Math.ceil(layout.width + 2 * MARGIN);
    const height = Math.ceil(layout.height + 2 * MARGIN);
    const edges = svgEl('g', { class: 'edges' });
    const svg = svgEl('svg', { width, height, viewBox: `${-MARGIN} ${-MARGIN} ${width} ${height}`, 'aria-hidden': 'true' },
      arrowMarkers(this.uid), edges);
    // The boxes over the edges, in the same coordinates shifted by the margin.
    const blocks = el('div', {
      class: 'cfg-drawing', role: 'group', 'aria-label': `${code.blocks.length} blocks`, 'aria-describedby': this.keys.id,
    }, svg);
    Object.assign(blocks.style, { width: `${width}px`, height: `${height}px` });
    this.viewport.replaceChildren(blocks);
    this.legend.replaceChildren(...EDGE_KINDS.filter(([kind]) => code.edges.some((e) => e.kind === kind))
      .map(([kind, words]) => el('li', {}, legendSample(this.uid, kind), words)));
    for (let from = 0; from < code.blocks.length; from += BOX_CHUNK) {
      if (from) await nextFrame();
      if (generation !== this.#generation) return false;
      const upto = Math.min(code.blocks.length, from + BOX_CHUNK);
      for (let i = from; i < upto; i++) {
        const place = layout.nodes[i];
        this.#boxes.push(blockBox(code, i, place.x + MARGIN, place.y + MARGIN, sizes[i]));
      }
      blocks.append(...this.#boxes.slice(from, upto));
    }
    this.#boxes[0].setAttribute('tabindex', 0);
    // The entry block first in view: in a big graph it may be far from the top-left corner.
    this.viewport.scrollLeft = layout.nodes[0].x + MARGIN + sizes[0].width / 2 - this.viewport.clientWidth / 2;
    this.viewport.scrollTop = layout.nodes[0].y;
    for (let from = 0; from < code.edges.length; from += EDGE_CHUNK) {
      await nextFrame();
      if (generation !== this.#generation) return false;
      edges.append(...code.edges.slice(from, from + EDGE_CHUNK).map((edge, i) => edgePath(this.uid, edge, layout.edges[from + i])));
    }
    return true;
  }

  /** The text alternative: every block with its place and where control goes from it. */
  #writeList(code) {
    this.summary.textContent = `Blocks and their successors (${code.blocks.length})`;
    this.#items = code.blocks.map((_, i) => {
      const title = blockTitle(code, i);
      const button = el('button', { type: 'button', 'data-block': i, 'aria-current': 'false', text: title.slice(0, title.indexOf(',')) });
      return el('li', {}, button, `${title.slice(title.indexOf(','))}: ${successorsText(code, i)}`);
    });
    this.list.replaceChildren(...this.#items);
  }

  #clicked(event) {
    const box = event.target.closest?.('.block');
    if (box) this.#pick(Number(box.dataset.block), { focus: true });
  }

  #key(event) {
    const box = event.target.closest?.('.block');
    if (!box) return;
    const index = Number(box.dataset.block);
    const last = this.#boxes.length - 1;
    const moves = { ArrowDown: index + 1, ArrowRight: index + 1, ArrowUp: index - 1, ArrowLeft: index - 1, Home: 0, End: last };
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.#pick(index, {});
    } else if (event.key in moves) {
      event.preventDefault();
      this.#focusBox(Math.max(0, Math.min(last, moves[event.key])));
    }
  }

  /** Moves the roving tab stop to a block and focuses it, scrolled into view. */
  #focusBox(index) {
    for (const box of this.viewport.querySelectorAll('.block[tabindex="0"]')) box.setAttribute('tabindex', -1);
    const box = this.#boxes[index];
    box.setAttribute('tabindex', 0);
    box.focus({ preventScroll: true });
    box.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  #mark(index, { reveal = false, focus = false }) {
    for (const node of [this.#boxes[this.#current], this.#items[this.#current]?.firstChild]) node?.setAttribute('aria-current', 'false');
    this.#current = index;
    for (const node of [this.#boxes[index], this.#items[index]?.firstChild]) node?.setAttribute('aria-current', 'true');
    if (focus) this.#focusBox(index);
    else if (reveal) this.#boxes[index].scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  /** A person chose a block: mark it and tell the page which instructions and lines it holds. */
  #pick(index, how) {
    const code = this.#code;
    const block = code.blocks[index];
    this.#mark(index, how);
    this.dispatchEvent(new CustomEvent('pick-instructions', {
      bubbles: true, composed: true,
      detail: { first: block.first, count: block.count, lines: blockLines(code, block) },
    }));
  }
}

customElements.define('pyc-cfg', PycCfg);

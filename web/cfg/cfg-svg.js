// Drawing the control-flow graph once it is laid out: the edges as SVG elements made with
// createElementNS, the boxes as HTML elements over them; text only ever set as textContent
// (opnames and argreprs come from the .pyc), geometry as SVG attributes or through CSSOM
// (both allowed under the page's CSP, unlike style="" markup).
import { el } from '../model.js';
import { blockTitle, instructionText } from './cfg-text.js';

const SVG = 'http://www.w3.org/2000/svg';

/** Box metrics (px): the text is 13px monospace, one instruction a line under a heading. */
export const BOX = { pad: 8, line: 16, font: 13 };

/** Longest instruction text shown in a box; the rest is cut with an ellipsis. */
const MAX_CHARS = 60;

/** Edge kinds in the order the legend lists them, with their words there. */
export const EDGE_KINDS = [
  ['taken', 'taken'], ['not_taken', 'not taken'], ['jump', 'jump'], ['fall', 'fall through'],
  ['exception', 'exception'], ['setup', 'setup handler'],
];

/** An SVG element with attributes; `text` becomes its textContent. */
export function svgEl(name, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') node.textContent = v;
    else node.setAttribute(k, String(v));
  }
  node.append(...children);
  return node;
}

/** The lines a block's box shows: its title, then its instructions (cut to MAX_CHARS). */
export function boxLines(code, index) {
  const block = code.blocks[index];
  const lines = [blockTitle(code, index)];
  for (let i = block.first; i < block.first + block.count; i++) {
    const text = instructionText(code.instructions[i]);
    const shown = text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
    lines.push(shown);
  }
  return lines;
}

/** One arrowhead marker per edge kind, coloured like its edges; ids start with `uid`. */
export function arrowMarkers(uid) {
  return svgEl('defs', {}, ...EDGE_KINDS.map(([kind]) => svgEl('marker', {
    id: `${uid}-arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
    orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse',
  }, svgEl('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrow-${kind}` }))));
}

/** An edge as a path through the layout's points, ending in its kind's arrowhead. */
export function edgePath(uid, edge, route) {
  const d = route.points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
  return svgEl('path', {
    d, class: `edge edge-${edge.kind}`, 'data-from': edge.from, 'data-to': edge.to,
    'marker-end': `url(#${uid}-arrow-${edge.kind})`,
  });
}

/**
 * A block's box at its place (`left`, `top` in px within the drawing): a focusable button
 * whose visible heading, blockTitle(), is its name; its instructions below, a line each, are
 * hidden from assistive technology, which gets them from the listing. HTML, not SVG text:
 * with `content-visibility: auto` (cfg-style.js) Chromium skips laying out and painting
 * the boxes out of view, while an SVG drawing was laid out whole again after every chunk
 * of boxes added (a 500-block graph's frames grew to 140–390 ms).
 */
export function blockBox(code, index, left, top, size) {
  const [head, ...lines] = boxLines(code, index);
  const box = el('div', { class: 'block', role: 'button', tabindex: -1, 'data-block': index, 'aria-current': 'false' },
    el('div', { class: 'head', text: head }),
    el('div', { class: 'body', 'aria-hidden': 'true' }, ...lines.map((line) => {
      const space = line.indexOf(' ');
      return el('div', {}, el('span', { class: 'off', text: line.slice(0, space + 1) }), line.slice(space + 1));
    })));
  Object.assign(box.style, { left: `${left.toFixed(1)}px`, top: `${top.toFixed(1)}px`, width: `${size.width}px`, height: `${size.height}px` });
  return box;
}

/** The legend's sample of an edge kind: a short line with its arrowhead. */
export function legendSample(uid, kind) {
  return svgEl('svg', { viewBox: '0 0 36 10', 'aria-hidden': 'true', focusable: 'false' },
    svgEl('path', { d: 'M0,5 L30,5', class: `edge edge-${kind}`, 'marker-end': `url(#${uid}-arrow-${kind})` }));
}

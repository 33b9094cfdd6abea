// Drawing the control-flow graph once it is laid out: SVG elements made with
// createElementNS, text only ever set as textContent (opnames and argreprs come from the
// .pyc), geometry as attributes (allowed under the page's CSP, unlike style="" markup).
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

/**
 * The lines a block's box shows: its title, then its instructions (cut to MAX_CHARS). Runs
 * of spaces (inside a string's repr) become no-break spaces, which SVG text does not collapse:
 * `white-space: pre` would keep them too, but with it Chromium spent 1.1–1.3 s on rendering
 * the 500-block test graph against 0.4–0.7 s without (a loaded 2-core machine).
 */
export function boxLines(code, index) {
  const block = code.blocks[index];
  const lines = [blockTitle(code, index)];
  for (let i = block.first; i < block.first + block.count; i++) {
    const text = instructionText(code.instructions[i]);
    const shown = text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
    lines.push(shown.replace(/ {2,}/g, (run) => '\u00a0'.repeat(run.length)));
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
 * A block's box at its place: a focusable button whose visible heading, blockTitle(), is its
 * name; its instructions below are one <text> of a <tspan> per line (one text element per
 * box, not per line: Chromium lays out SVG text per element, and a 500-block graph has
 * thousands of lines), hidden from assistive technology, which gets them from the listing.
 */
export function blockBox(code, index, place, size) {
  const g = svgEl('g', {
    class: 'block', role: 'button', tabindex: -1, 'data-block': index, 'aria-current': 'false',
    transform: `translate(${place.x.toFixed(1)},${place.y.toFixed(1)})`,
  });
  const [head, ...lines] = boxLines(code, index);
  g.append(svgEl('rect', { width: size.width, height: size.height, rx: 4 }),
    svgEl('text', { x: BOX.pad, y: BOX.pad + BOX.font, class: 'head', text: head }));
  const body = svgEl('text', { y: BOX.pad + BOX.font, 'aria-hidden': 'true', class: 'body' });
  for (const line of lines) {
    const space = line.indexOf(' ');
    body.append(svgEl('tspan', { x: BOX.pad, dy: BOX.line, class: 'off', text: line.slice(0, space + 1) }),
      svgEl('tspan', { text: line.slice(space + 1) }));
  }
  g.append(body);
  return g;
}

/** The legend's sample of an edge kind: a short line with its arrowhead. */
export function legendSample(uid, kind) {
  return svgEl('svg', { viewBox: '0 0 36 10', 'aria-hidden': 'true', focusable: 'false' },
    svgEl('path', { d: 'M0,5 L30,5', class: `edge edge-${kind}`, 'marker-end': `url(#${uid}-arrow-${kind})` }));
}

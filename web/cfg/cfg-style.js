// The control-flow graph view's own stylesheet, adopted by its shadow root: a constructed
// sheet is allowed under the page's `style-src 'self'` (it is not inline markup), and it
// makes <pyc-cfg> carry its look wherever it is put. Colours come from the page's custom
// properties (web/style.css), which reach into the shadow root through the host.

const CSS = `
:host { display: block; color: var(--fg); font-family: var(--font); }
.cfg-status { margin: .25rem 0; color: var(--muted); font-size: .9rem; }
.cfg-legend { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; list-style: none; margin: .25rem 0 .5rem; padding: 0; font-size: .9rem; }
.cfg-legend li { display: flex; align-items: center; gap: .4rem; }
.cfg-legend svg { width: 36px; height: 10px; overflow: visible; }
.cfg-viewport { overflow: auto; max-height: var(--cfg-height, 70vh); border: 1px solid var(--line); border-radius: 4px; background: var(--bg); }
.cfg-viewport:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.cfg-drawing { position: relative; }
.cfg-drawing > svg { position: absolute; left: 0; top: 0; display: block; }
.block { position: absolute; box-sizing: border-box; padding: 8px; overflow: hidden; content-visibility: auto;
  font: 13px/16px var(--mono); white-space: pre; color: var(--fg); background: var(--panel);
  border-radius: 4px; box-shadow: inset 0 0 0 1px var(--muted); cursor: pointer; }
.block:focus { outline: none; }
.block:hover { box-shadow: inset 0 0 0 1px var(--accent); }
.block .head { font-weight: 600; }
.block .off { color: var(--muted); }
.block[aria-current=true] { background: var(--sel); color: var(--sel-fg); box-shadow: inset 0 0 0 2px var(--accent); }
.block[aria-current=true] .off { color: var(--sel-fg); }
.block:focus-visible { box-shadow: inset 0 0 0 3px var(--focus); }
.edge { fill: none; stroke-width: 1.5; }
.edge-taken { stroke: var(--ok); stroke-width: 2; }
.edge-not_taken { stroke: var(--syn-number); stroke-width: 2; stroke-dasharray: 2 3; }
.edge-jump { stroke: var(--fg); }
.edge-fall { stroke: var(--muted); }
.edge-exception { stroke: var(--err); stroke-dasharray: 7 4; }
.edge-setup { stroke: var(--accent); stroke-dasharray: 7 3 2 3; }
.arrow-taken { fill: var(--ok); }
.arrow-not_taken { fill: var(--syn-number); }
.arrow-jump { fill: var(--fg); }
.arrow-fall { fill: var(--muted); }
.arrow-exception { fill: var(--err); }
.arrow-setup { fill: var(--accent); }
.cfg-text { margin-top: .5rem; }
.cfg-text summary { cursor: pointer; }
.cfg-text ol { margin: .25rem 0; padding-left: 2.5rem; font-size: .9rem; }
.cfg-text li { margin: .15rem 0; }
.cfg-text button { font: inherit; color: var(--accent); background: none; border: none; padding: 0; text-decoration: underline; cursor: pointer; }
.cfg-text button[aria-current=true] { font-weight: 600; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`;

let sheet = null;

/** The sheet, made once and shared by every <pyc-cfg> on the page. */
export function cfgSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

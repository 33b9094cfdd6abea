// Graphviz's dot compiled to wasm (npm @viz-js/viz) behind the same layoutGraph(graph) as
// web/cfg/layout-dagre.js, only for scripts/bench-cfg-layout.mjs.
import { instance } from '@viz-js/viz';
import { fromJson, toDot } from './graphviz-json.mjs';

let viz;

/** graph = { nodes: [{ width, height }], edges: [{ from, to }] } → the layout-dagre.js shape. */
export async function layoutGraph(graph) {
  viz ??= await instance();
  return fromJson(viz.renderJSON(toDot(graph)), graph);
}

// Graphviz's dot compiled to wasm (npm @hpcc-js/wasm-graphviz) behind the same
// layoutGraph(graph) as web/cfg/layout-dagre.js, only for scripts/bench-cfg-layout.mjs.
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { fromJson, toDot } from './graphviz-json.mjs';

let graphviz;

/** graph = { nodes: [{ width, height }], edges: [{ from, to }] } → the layout-dagre.js shape. */
export async function layoutGraph(graph) {
  graphviz ??= await Graphviz.load();
  return fromJson(JSON.parse(graphviz.layout(toDot(graph), 'json', 'dot')), graph);
}

// The control-flow graph's layout, by dagre (npm @dagrejs/dagre; why dagre and not ELK or
// Graphviz: BENCHMARKS.md, "Control-flow graph layout"). esbuild bundles this file with the
// library into web/vendor/cfg-layout.js (scripts/build-web.sh), which the layout worker
// (layout-worker.js) imports; scripts/bench-cfg-layout.mjs times it against the others.
import { graphlib, layout } from '@dagrejs/dagre';

/** Space between boxes side by side, between ranks, and between parallel edges (px). */
const SPACING = { nodesep: 28, ranksep: 40, edgesep: 14, marginx: 12, marginy: 12 };

/**
 * Places `graph` = { nodes: [{ width, height }], edges: [{ from, to }] } (from/to index
 * nodes) top to bottom and routes its edges, so that the page only draws. Returns
 * { width, height, nodes: [{ x, y }] (top-left corners), edges: [{ points: [{ x, y }] }] },
 * both lists in the input's order; the points run from the source's border to the target's.
 */
export function layoutGraph(graph) {
  const g = new graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', ...SPACING });
  graph.nodes.forEach((n, i) => g.setNode(String(i), { width: n.width, height: n.height }));
  graph.edges.forEach((e, i) => g.setEdge(String(e.from), String(e.to), {}, String(i)));
  layout(g);
  const { width, height } = g.graph();
  return {
    width,
    height,
    nodes: graph.nodes.map((n, i) => {
      const placed = g.node(String(i));
      return { x: placed.x - n.width / 2, y: placed.y - n.height / 2 };
    }),
    edges: graph.edges.map((e, i) => ({ points: g.edge({ v: String(e.from), w: String(e.to), name: String(i) }).points.map(({ x, y }) => ({ x, y })) })),
  };
}

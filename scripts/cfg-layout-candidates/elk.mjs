// ELK (npm elkjs, its layered algorithm) behind the same layoutGraph(graph) as
// web/cfg/layout-dagre.js, only for scripts/bench-cfg-layout.mjs to time and size.
import ELK from 'elkjs/lib/elk.bundled.js';

const elk = new ELK();

/** graph = { nodes: [{ width, height }], edges: [{ from, to }] } → the layout-dagre.js shape. */
export async function layoutGraph(graph) {
  const placed = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered', 'elk.direction': 'DOWN', 'elk.edgeRouting': 'POLYLINE',
      'elk.spacing.nodeNode': '28', 'elk.layered.spacing.nodeNodeBetweenLayers': '40',
    },
    children: graph.nodes.map((n, i) => ({ id: `n${i}`, width: n.width, height: n.height })),
    edges: graph.edges.map((e, i) => ({ id: `e${i}`, sources: [`n${e.from}`], targets: [`n${e.to}`] })),
  });
  const edges = new Map(placed.edges.map((e) => [e.id, e]));
  return {
    width: placed.width,
    height: placed.height,
    nodes: placed.children.map((c) => ({ x: c.x, y: c.y })),
    edges: graph.edges.map((_, i) => {
      const s = edges.get(`e${i}`).sections[0];
      return { points: [s.startPoint, ...(s.bendPoints ?? []), s.endPoint] };
    }),
  };
}

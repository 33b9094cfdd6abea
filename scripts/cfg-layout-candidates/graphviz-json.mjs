// What the two Graphviz candidates share (scripts/bench-cfg-layout.mjs): the graph written
// as DOT with fixed-size boxes, and Graphviz's `-Tjson` answer read back into the
// layout-dagre.js shape (Graphviz's y grows upwards and its sizes are in inches).

/** The DOT text for graph = { nodes: [{ width, height }], edges: [{ from, to }] }. */
export function toDot(graph) {
  const lines = ['digraph cfg {', 'graph [nodesep=0.39, ranksep=0.55]; node [shape=box, fixedsize=true, label=""];'];
  graph.nodes.forEach((n, i) => lines.push(`n${i} [width=${n.width / 72}, height=${n.height / 72}];`));
  graph.edges.forEach((e, i) => lines.push(`n${e.from} -> n${e.to} [id=e${i}];`));
  lines.push('}');
  return lines.join('\n');
}

/** Graphviz's json output (parsed) → { width, height, nodes: [{x, y}], edges: [{points}] }. */
export function fromJson(json, graph) {
  const [, , width, height] = json.bb.split(',').map(Number);
  const point = (xy) => { const [x, y] = xy.split(',').map(Number); return { x, y: height - y }; };
  const nodes = new Array(graph.nodes.length);
  for (const o of json.objects) {
    const i = Number(o.name.slice(1));
    const c = point(o.pos);
    nodes[i] = { x: c.x - graph.nodes[i].width / 2, y: c.y - graph.nodes[i].height / 2 };
  }
  const edges = new Array(graph.edges.length);
  for (const e of json.edges ?? []) {
    const parts = e.pos.split(' ');
    const end = parts[0].startsWith('e,') ? point(parts.shift().slice(2)) : null;
    const points = parts.map(point);
    if (end) points.push(end);
    edges[Number(e.id.slice(1))] = { points };
  }
  return { width, height, nodes, edges };
}

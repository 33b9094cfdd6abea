// The control-flow graph's layout off the page's thread (a module worker, started by
// web/cfg/layout-client.js): a 500-block function takes seconds to lay out, and the page must
// go on answering meanwhile. One message in, { id, graph }; one out, { id, layout } or
// { id, error }. The library is dagre, bundled into vendor/cfg-layout.js from layout-dagre.js.
import { layoutGraph } from '../vendor/cfg-layout.js';

self.onmessage = ({ data: { id, graph } }) => {
  try {
    const start = performance.now();
    const layout = layoutGraph(graph);
    self.postMessage({ id, layout, ms: performance.now() - start });
  } catch (error) {
    self.postMessage({ id, error: String(error?.message ?? error) });
  }
};

// The page's side of the layout worker (layout-worker.js): one worker per view, and only the
// newest request counts. A request made while an older one is still being laid out ends that
// worker (its answer could only be thrown away, and a big graph would keep it busy for
// seconds) and starts a fresh one.

let requests = 0;

export class LayoutClient {
  #worker = null;
  #pending = null;

  /**
   * Resolves with { layout, ms } for `graph` (see layout-dagre.js for its shape), or with
   * null when a newer request replaced this one before its layout arrived.
   */
  layout(graph) {
    if (this.#pending) this.stop();
    this.#worker ??= new Worker(new URL('./layout-worker.js', import.meta.url), { type: 'module' });
    const id = ++requests;
    return new Promise((resolve, reject) => {
      this.#pending = { id, resolve };
      this.#worker.onmessage = ({ data }) => {
        if (data.id !== this.#pending?.id) return;
        this.#pending = null;
        if (data.error) reject(new Error(data.error));
        else resolve({ layout: data.layout, ms: data.ms });
      };
      this.#worker.onerror = (event) => {
        this.#pending = null;
        reject(new Error(event.message || 'the layout worker failed to start'));
      };
      this.#worker.postMessage({ id, graph });
    });
  }

  /** Ends the worker and settles a waiting request with null (the view went away or moved on). */
  stop() {
    this.#worker?.terminate();
    this.#worker = null;
    this.#pending?.resolve(null);
    this.#pending = null;
  }
}

// One real CPython per worker: the pyodide build this worker is named after (`new
// Worker(url, { name: '0.27.7' })`; a name, not a query string, because the service worker
// may answer the script from its cache under another URL), loaded from the site's own
// pyodide/ folder the first time a request arrives, then kept for every later compile. Learner code runs only here; the page
// ends a runaway program by terminating this worker.
const build = self.name;
const indexURL = new URL(`../pyodide/${build}/`, import.meta.url).href;

/** The loaded interpreter and compiler.py's functions in it. */
const ready = (async () => {
  const { loadPyodide } = await import(`${indexURL}pyodide.mjs`);
  const quiet = () => {};
  const pyodide = await loadPyodide({ indexURL, stdout: quiet, stderr: quiet });
  pyodide.runPython(await (await fetch(new URL('./compiler.py', import.meta.url))).text());
  const get = (name) => pyodide.globals.get(name);
  self.postMessage({ loaded: true });
  return {
    pyodide, compile: get('compile_pyc'), disassemble: get('disassemble'), run: get('run'), runChecked: get('run_checked'), adaptive: get('adaptive'),
  };
})();

/** Calls a compiler.py function and converts its result (JSON text, or a tuple of it and bytes). */
function call(fn, ...args) {
  const result = fn(...args);
  if (typeof result === 'string') return [result];
  try {
    return result.toJs();
  } finally {
    result.destroy();
  }
}

const handlers = {
  compile({ source, mtime }) {
    const [meta, pyc] = call(this.compile, source, mtime);
    return { reply: { ...JSON.parse(meta), pyc }, transfer: [pyc.buffer] };
  },
  disassemble({ source }) {
    return { reply: JSON.parse(call(this.disassemble, source)[0]) };
  },
  run({ id, source, stdin }) {
    const send = (stream, text) => self.postMessage({ id, output: { stream, text } });
    return { reply: JSON.parse(call(this.run, source, stdin ?? '', send)[0]) };
  },
  runChecked({ id, source, stdin, checks }) {
    const send = (stream, text) => self.postMessage({ id, output: { stream, text } });
    return { reply: JSON.parse(call(this.runChecked, source, stdin ?? '', JSON.stringify(checks ?? []), send)[0]) };
  },
  adaptive() {
    return { reply: { codes: JSON.parse(call(this.adaptive)[0]) } };
  },
};

self.onmessage = async ({ data }) => {
  const { id, kind } = data;
  try {
    const py = await ready;
    const { reply, transfer = [] } = handlers[kind].call(py, data);
    self.postMessage({ id, done: true, ...reply }, transfer);
  } catch (err) {
    self.postMessage({ id, done: true, failure: String(err?.message ?? err) });
  }
};

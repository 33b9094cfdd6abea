// The page's side of the real CPythons: one worker per version (compile/worker.js), started
// the first time that version is asked for and kept, so recompiling as the learner types
// never reloads an interpreter. A run that goes on too long, or that the learner stops,
// ends its worker; the next request for that version starts a fresh one.

/** The pyodide builds the site carries (web/pyodide/index.json, written by the build). */
export async function availableVersions() {
  const response = await fetch(new URL('../pyodide/index.json', import.meta.url));
  if (!response.ok) throw new Error(`pyodide/index.json: ${response.status}`);
  return response.json();
}

/** The name the pyc of `version` goes by, as importlib would cache main.py: `main.cpython-312.pyc`. */
export function pycName(version) {
  return `main.cpython-${version.replace('.', '')}.pyc`;
}

/** How a run ended when the worker did not finish it. */
export const STOPPED = 'stopped';
export const TIMED_OUT = 'timeout';

export class Compilers {
  /** `builds`: the entries of pyodide/index.json (python, pyodide, files, sizes). */
  constructor(builds) {
    this.builds = new Map(builds.map((b) => [b.python, b]));
    /** version → { worker, pending: Map(id → { resolve, onOutput }), started } */
    this.workers = new Map();
    this.next = 1;
    /** Called with (version, 'loading' | 'ready' | 'stopped') as workers come and go. */
    this.onState = () => {};
  }

  #worker(version) {
    let entry = this.workers.get(version);
    if (entry) return entry;
    const build = this.builds.get(version);
    if (!build) throw new Error(`no Python ${version} on this site`);
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: build.pyodide });
    entry = { worker, pending: new Map(), ready: false };
    worker.onmessage = ({ data }) => {
      if (data.loaded) {
        entry.ready = true;
        entry.onReady?.();
        this.onState(version, 'ready');
        return;
      }
      const job = entry.pending.get(data.id);
      if (!job) return;
      if (data.output) {
        job.onOutput?.(data.output);
        return;
      }
      entry.pending.delete(data.id);
      job.resolve(data);
    };
    this.workers.set(version, entry);
    this.onState(version, 'loading');
    return entry;
  }

  #ask(version, message, onOutput) {
    const entry = this.#worker(version);
    const id = this.next++;
    return new Promise((resolve) => {
      entry.pending.set(id, { resolve, onOutput });
      entry.worker.postMessage({ id, ...message });
    });
  }

  /** Whether this version's interpreter is loaded. */
  isReady(version) {
    return Boolean(this.workers.get(version)?.ready);
  }

  /**
   * Compiles `source` as main.py with that version's compile() and pyc writer:
   * `{ python, pyc: Uint8Array (empty on error), error, warnings, failure }`.
   */
  compile(version, source, mtime = Math.floor(Date.now() / 1000)) {
    return this.#ask(version, { kind: 'compile', source, mtime });
  }

  /** `compile` in each of `versions` at once: the answers, each with its `version`. */
  compileEach(versions, source) {
    return Promise.all(versions.map((v) => this.compile(v, source).then((r) => ({ version: v, ...r }))));
  }

  /** dis.dis(module) text and every code object's dis.get_instructions, from that version. */
  disassemble(version, source) {
    return this.#ask(version, { kind: 'disassemble', source });
  }

  /**
   * Runs `source` as __main__; `onOutput({ stream, text })` as output arrives. Resolves
   * with `{ status: ok | exception | exit | error | stopped | timeout, exception, seconds }`;
   * after `limitMs` the worker is ended (and with it the interpreter's state).
   */
  run(version, source, { stdin = '', onOutput, limitMs = 10000, checks } = {}) {
    const message = checks ? { kind: 'runChecked', source, stdin, checks } : { kind: 'run', source, stdin };
    const done = this.#ask(version, message, onOutput);
    const entry = this.workers.get(version);
    let timer;
    const waitForLoad = new Promise((resolve) => {
      // The limit counts from when the interpreter is ready, not from the download.
      const arm = () => { timer = setTimeout(() => resolve(this.stop(version, TIMED_OUT)), limitMs); };
      if (entry.ready) arm();
      else entry.onReady = arm;
    });
    return Promise.race([done, waitForLoad]).finally(() => clearTimeout(timer));
  }

  /** After a run (3.11+): each code object's plain and specialised instructions. */
  adaptive(version) {
    return this.#ask(version, { kind: 'adaptive' });
  }

  /** Ends that version's worker now; whatever it was doing answers `{ status }`. */
  stop(version, status = STOPPED) {
    const entry = this.workers.get(version);
    if (!entry) return { status };
    entry.worker.terminate();
    this.workers.delete(version);
    for (const job of entry.pending.values()) job.resolve({ done: true, status });
    this.onState(version, 'stopped');
    return { status };
  }
}

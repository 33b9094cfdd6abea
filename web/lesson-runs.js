// Answers that only a running interpreter can give (docs/lessons.md: `output`, `write`,
// `adaptive` questions): the lesson runs the program in the real CPython of the version the
// learner picked (compile/, the same workers as the write view) and takes the truth from
// what really happened. Nothing here is loaded until a lesson asks one such question.

/** How long a lesson program may run before its interpreter is ended. */
const LIMIT_MS = 10000;

export class LessonRuns {
  constructor() {
    this.ready = null;
  }

  async #load() {
    this.ready ??= (async () => {
      const [{ Compilers, availableVersions }, offline] = await Promise.all([import('./compile/compilers.js'), import('./write/offline.js')]);
      const builds = await availableVersions();
      return { compilers: new Compilers(builds), builds, offline };
    })();
    return this.ready;
  }

  /** The versions that can run in the page (those the site carries an interpreter for). */
  async versions() {
    try {
      return (await this.#load()).builds.map((b) => b.python);
    } catch {
      return []; // the single-file build and sites without pyodide/: no interpreter
    }
  }

  /**
   * What the first use of `version` costs: `{ bytes, stored }`. `prepare` fetches it with
   * progress (`onProgress(done, total)`), so the learner sees the download once.
   */
  async cost(version) {
    const { builds, offline } = await this.#load();
    const build = builds.find((b) => b.python === version);
    return { bytes: build.bytes, stored: await offline.isStored(build), megabytes: offline.megabytes(build.bytes) };
  }

  async prepare(version, onProgress) {
    const { builds, offline } = await this.#load();
    const build = builds.find((b) => b.python === version);
    if ('caches' in globalThis && !(await offline.isStored(build))) await offline.store([build], onProgress);
  }

  /** The pyc `version` writes for `source` (Compilers.compile's answer). */
  async compile(version, source) {
    return (await this.#load()).compilers.compile(version, source);
  }

  /** Runs `source`: `{ result, stdout, stderr }` (result as Compilers.run gives it). */
  async run(version, source, { stdin = '', checks } = {}) {
    const { compilers } = await this.#load();
    const streams = { stdout: '', stderr: '' };
    const result = await compilers.run(version, source, { stdin, checks, limitMs: LIMIT_MS, onOutput: ({ stream, text }) => { streams[stream] += text; } });
    return { result, ...streams };
  }

  /**
   * The truth of an `output` question: the lines the program prints, then, if it raises,
   * the exception's last line (`IndexError: list index out of range`), as a terminal shows.
   */
  async output(version, source) {
    const { result, stdout } = await this.run(version, source);
    const lines = stdout.replace(/\n$/, '').split('\n');
    if (stdout === '') lines.length = 0;
    if (result.status === 'exception') lines.push(result.exception);
    if (result.status === 'error') return { missing: `Python ${version} cannot compile it: ${result.error.msg}` };
    if (result.status === 'timeout' || result.status === 'stopped') return { missing: `it did not finish in ${LIMIT_MS / 1000} s` };
    return { value: lines.join('\n'), lines };
  }

  /**
   * The truth of an `adaptive` question: after running `source`, what the first `opname`
   * instruction of the code object `qualname` became in the specialising interpreter.
   */
  async adaptive(version, source, qualname, opname) {
    const [major, minor] = version.split('.').map(Number);
    if (major === 3 && minor < 11) return { missing: 'Python before 3.11 does not specialise instructions' };
    const ran = await this.output(version, source);
    if (ran.missing) return ran;
    const { compilers } = await this.#load();
    const { codes = [] } = await compilers.adaptive(version);
    const code = codes.find((c) => c.qualname === qualname);
    const ins = code?.instructions.find((i) => i.opname === opname);
    if (!ins) return { missing: `${qualname} has no ${opname} in Python ${version}` };
    return { value: ins.adaptive };
  }

  /** Ends a runaway program (and its interpreter; the next run loads it again). */
  async stop(version) {
    (await this.#load()).compilers.stop(version);
  }
}

/**
 * An `output` prediction against the truth, line by line: `same(mine, real)` says whether
 * two lines mean the same (the literal checker's rules); the verdict names the first line
 * that differs, or the count when the learner wrote more or fewer lines.
 */
export async function compareLines(answer, truth, same) {
  const mine = answer.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n').map((l) => l.trimEnd());
  const real = truth.lines;
  for (let i = 0; i < Math.min(mine.length, real.length); i++) {
    if (!(await same(mine[i], real[i]))) {
      return { correct: false, explanation: `line ${i + 1}: you wrote ${mine[i].trim() || '(nothing)'}, it printed ${real[i]}` };
    }
  }
  if (mine.length !== real.length) {
    return { correct: false, explanation: `it printed ${real.length} line${real.length === 1 ? '' : 's'}; you wrote ${mine.length}` };
  }
  return { correct: true, explanation: 'right, line for line' };
}

/** A predicted instruction sequence (`LOAD_FAST x` or just names; lines as numbers) against the truth. */
export function compareSequence(answer, truth, what) {
  const mine = answer.split(/[\s,]+/).filter(Boolean);
  for (let i = 0; i < Math.min(mine.length, truth.length); i++) {
    if (mine[i].toUpperCase() !== String(truth[i]).toUpperCase()) {
      return { correct: false, explanation: `${what} ${i + 1}: you wrote ${mine[i]}, it is ${truth[i]}` };
    }
  }
  if (mine.length !== truth.length) {
    return { correct: false, explanation: `there are ${truth.length} ${what}s; you wrote ${mine.length}` };
  }
  return { correct: true, explanation: `right, all ${truth.length}` };
}

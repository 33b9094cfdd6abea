// Measures the graph layout libraries that could place the control-flow graph view's blocks
// (issue 12): each one's size bundled and minified by esbuild as the page would ship it, and
// its layout time in node for real functions' graphs and for a made-up 500-block one.
// The numbers and the choice are in BENCHMARKS.md ("Control-flow graph layout").
//
//   cargo build --release && node scripts/bench-cfg-layout.mjs
//
// Each candidate sits behind the same layoutGraph(graph) (web/cfg/layout-dagre.js, the one
// chosen, and scripts/cfg-layout-candidates/ for the others), so the same graphs go in.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { syntheticCode } from './synthetic-cfg.mjs';

const root = new URL('..', import.meta.url).pathname;
const CANDIDATES = [
  ['dagre (@dagrejs/dagre)', `${root}web/cfg/layout-dagre.js`],
  ['ELK (elkjs, layered)', `${root}scripts/cfg-layout-candidates/elk.mjs`],
  ['Graphviz dot (@hpcc-js/wasm-graphviz)', `${root}scripts/cfg-layout-candidates/hpcc-graphviz.mjs`],
  ['Graphviz dot (@viz-js/viz)', `${root}scripts/cfg-layout-candidates/viz-js.mjs`],
];
/** Real functions (fixture, function name) and what they stand for. */
const REAL = [
  ['3.12/snippets/walrus.pyc', 'in_function', 'a loop'],
  ['3.12/snippets/exceptions.pyc', 'nested_try', 'nested try/except'],
  ['3.12/snippets/match_stmt.pyc', 'sequences', 'a match'],
  ['3.12/snippets/big_function.pyc', 'big', 'the biggest fixture function'],
];
const RUNS = 5;
const SLOW = 5000;

/** Every code object of a pyclens JSON document, the module first. */
function codes(code, out = []) {
  out.push(code);
  for (const c of code.co_consts ?? []) if (c?.type === 'code') codes(c, out);
  return out;
}

/** The graph a code object makes, boxes sized as the view draws them (13px monospace). */
function graphOf(code) {
  const nodes = code.blocks.map((b) => {
    const texts = code.instructions.slice(b.first, b.first + b.count).map((i) => `${i.offset} ${i.opname} ${i.argrepr ?? ''}`);
    return { width: 16 + 7.8 * Math.max(12, ...texts.map((t) => t.length)), height: 28 + 16 * b.count };
  });
  return { nodes, edges: code.edges.map((e) => ({ from: e.from, to: e.to })) };
}

function realGraph(fixture, name) {
  const json = execFileSync(`${root}target/release/pyclens`, ['json', `${root}tests/fixtures/${fixture}`], { maxBuffer: 1 << 28 });
  return graphOf(codes(JSON.parse(json).code).find((c) => c.co_name === name));
}

async function bundledSize(entry) {
  const out = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
  const bytes = out.outputFiles[0].contents;
  return { bytes: bytes.length, gzip: gzipSync(bytes).length };
}

/**
 * Median milliseconds of RUNS layouts after one warm-up (which loads a wasm module once); a
 * layout that takes over SLOW ms is timed once (its warm-up run), marked "(1 run)".
 */
async function time(layoutGraph, graph) {
  let t = performance.now();
  await layoutGraph(graph);
  const first = performance.now() - t;
  if (first > SLOW) return `${first.toFixed(0)} ms (1 run)`;
  const ms = [];
  for (let r = 0; r < RUNS; r++) {
    t = performance.now();
    await layoutGraph(graph);
    ms.push(performance.now() - t);
  }
  return `${ms.sort((a, b) => a - b)[RUNS >> 1].toFixed(1)} ms`;
}

const graphs = REAL.map(([fixture, name, what]) => [`${name} (${what})`, realGraph(fixture, name)]);
graphs.push(['synthetic, 500 blocks', graphOf(syntheticCode(500))]);
console.log(`graphs: ${graphs.map(([n, g]) => `${n}: ${g.nodes.length} blocks, ${g.edges.length} edges`).join('; ')}`);
console.log(`node ${process.version}, load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);
console.log(`| library | minified | gzip | ${graphs.map(([n]) => n).join(' | ')} |`);
console.log(`|---|---|---|${graphs.map(() => '---|').join('')}`);
for (const [name, entry] of CANDIDATES) {
  const size = await bundledSize(entry);
  const { layoutGraph } = await import(entry);
  const cells = [];
  for (const [, graph] of graphs) cells.push(await time(layoutGraph, graph));
  console.log(`| ${name} | ${(size.bytes / 1024).toFixed(0)} KiB | ${(size.gzip / 1024).toFixed(0)} KiB | ${cells.join(' | ')} |`);
}

// The stack effects dis.stack_effect reports, read from the generated tables in
// crate/src/analysis/effects/ (tools/gen_stack_effects.py, one file per CPython 3.6–3.15), so
// the explanations' "one value fewer" can be checked against what the interpreter says.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.mjs';

const DIR = join(root, 'crate/src/analysis/effects');

/** Each term of a rule as crate/src/analysis/effects/mod.rs evaluates it. */
const TERMS = {
  Arg: (a) => a, Low: (a) => a & 0xff, High: (a) => a >> 8, HighByte: (a) => (a >> 8) & 0xff,
  Bit0: (a) => a & 1, Bit1: (a) => (a >> 1) & 1, Bit2: (a) => (a >> 2) & 1, Bit3: (a) => (a >> 3) & 1,
  Is3: (a) => Number(a === 3), Half: (a) => a >> 1,
  Flags4: (a) => [0, 1, 2, 3].filter((b) => a & (1 << b)).length,
};

function rule(text) {
  const m = /^r\((-?\d+), &\[(.*)\]\)$/.exec(text.trim());
  const terms = [...m[2].matchAll(/\((\w+), (-?\d+)\)/g)].map((t) => [TERMS[t[1]], Number(t[2])]);
  return (arg) => terms.reduce((n, [f, k]) => n + f(arg ?? 0) * k, Number(m[1]));
}

/** Map "3.12" → Map opname → { fall(arg), jump(arg) } for every CPython with a table. */
export function stackEffects() {
  const out = new Map();
  for (const file of readdirSync(DIR)) {
    // 3.6+ only: those tables are each interpreter's own dis.stack_effect; 2.7, 3.0, 3.1
    // and 3.5's come from xdis and compile.c, checked by co_stacksize instead.
    const m = /^v3_(\d+)\.rs$/.exec(file);
    if (!m || Number(m[1]) < 6) continue;
    const rows = new Map();
    for (const r of readFileSync(join(DIR, file), 'utf8').matchAll(/\(\d+, "([A-Z_0-9]+)", (r\(-?\d+, &\[[^\]]*\]\)), (r\(-?\d+, &\[[^\]]*\]\))\)/g)) {
      rows.set(r[1], { fall: rule(r[2]), jump: rule(r[3]) });
    }
    out.set(`3.${m[1]}`, rows);
  }
  return out;
}

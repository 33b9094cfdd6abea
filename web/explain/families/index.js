// Every explanation entry, in lookup order: exact names first (explain.js indexes them),
// then patterns in the order listed here, the catch-all of specialised forms last.
import variables from './variables.js';
import operators from './operators.js';
import calls from './calls.js';
import containers from './containers.js';
import control from './control.js';
import flow from './flow.js';
import stack from './stack.js';
import specialised from './specialised.js';

/** Entries: { names | pattern, first?, last?, impl?, pypy?, specialises?, summary, argument?, stack }. */
export const FAMILIES = [...variables, ...operators, ...calls, ...containers, ...control, ...flow, ...stack, ...specialised];

#!/usr/bin/env python3
"""Generate crate/src/analysis/effects/pypy3_*.rs: PyPy 3.x's stack effect rules.

Why: like CPython's (tools/gen_stack_effects.py), PyPy's `co_stacksize` is the deepest
stack its compiler's walk reaches, with its own effects per opcode (PyPy's opcodes and
numbers, not CPython's). So they are asked from the real PyPy interpreters'
`dis.stack_effect(op, arg, jump=...)`, probed and fitted exactly as
tools/gen_stack_effects.py does (its DUMP_SCRIPT, PROBE_ARGS and `build`).

The interpreters: Debian's pypy3 packages unpacked by tests/fixtures/generate/generate.sh
under tests/fixtures/generate/.cache/root-pypy<minor> (bookworm: PyPy 3.9, 7.3.11;
trixie: PyPy 3.11, 7.3.19). PyPy 3.7 (bullseye, 7.3.5), 3.8 and 2.7 have no `dis.stack_effect`:
their tables are computed from PyPy's compiler source by
tools/gen_stack_effects_pypy_source.py instead.

What PyPy's `dis.stack_effect` answers, from pypy/interpreter/astcompiler/assemble.py of
each release (`_opcode_stack_effect`, `_opcode_stack_effect_jump`, `_do_stack_depth_walk`):
  - jump=False: `_opcode_stack_effect(op, arg)`, what the walk adds on every instruction.
  - jump=True for a jump: `_opcode_stack_effect_jump(op)`. In 3.9 (py3.9 branch) the walk
    gives a jump target `depth + _opcode_stack_effect_jump(op)` with `depth` the depth
    *after* the instruction's effect, and takes 1 off the fall-through of
    JUMP_IF_TRUE_OR_POP / JUMP_IF_FALSE_OR_POP (their effect, 0, is the jump's). In 3.11
    (py3.11 branch) the target gets `orig_depth + _opcode_stack_effect_jump(op)`, the depth
    *before* it, and JUMP_IF_*_OR_POP's effect is already -1.
The tables pyclens reads hold both directions relative to the depth before the instruction
(see crate/src/analysis/effects/mod.rs), so for 3.9 this script writes the jump rule as the
fall-through rule plus the measured jump value, and JUMP_IF_*_OR_POP's fall-through as the
measured 0 minus 1 (AFTER_RELATIVE below); 3.11's numbers are written as measured.

Usage (from the repository root):
  python3 tools/gen_stack_effects_pypy.py            # regenerate every file
  python3 tools/gen_stack_effects_pypy.py --check    # exit 1 if a committed file is stale
"""

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_opcodes import GenError, _pypy, run_dump  # noqa: E402
from gen_stack_effects import DUMP_SCRIPT, OUT_DIR, build, render, write_outputs  # noqa: E402

VERSIONS = ["3.9", "3.11"]

# PyPy's CALL_FUNCTION_EX effect asserts its argument is 0 or 1 (assemble.py,
# `_compute_CALL_FUNCTION_EX`), and a failed assertion aborts the translated interpreter
# instead of raising: it is probed with those two arguments only (the others count as
# rejected, as CPython's ValueError does).
ANCHOR = "def effect(op, arg, jump):\n"
GUARD = ANCHOR + (
    "    if opcode.opname[op] == 'CALL_FUNCTION_EX' and arg not in (0, 1):\n"
    "        return None\n")
# The dump also lists the jump opcodes (opcode.hasjrel + hasjabs): only theirs is a jump
# value to add up (AFTER_RELATIVE); every other opcode answers jump=True as jump=False.
JUMPS_ANCHOR = '"has_jump": has_jump,'
JUMPS = JUMPS_ANCHOR + ' "jumps": sorted(set(opcode.hasjrel) | set(opcode.hasjabs)),'
if ANCHOR not in DUMP_SCRIPT or JUMPS_ANCHOR not in DUMP_SCRIPT:
    raise SystemExit("gen_stack_effects_pypy: DUMP_SCRIPT changed; update its anchors")
PYPY_DUMP = DUMP_SCRIPT.replace(ANCHOR, GUARD).replace(JUMPS_ANCHOR, JUMPS)

# Versions whose jump=True answer is relative to the depth after the fall-through effect,
# with the JUMP_IF_*_OR_POP fall-through adjustment (see the docstring).
AFTER_RELATIVE = {"3.9": ("JUMP_IF_TRUE_OR_POP", "JUMP_IF_FALSE_OR_POP")}


def _add(a, b):
    """The sum of two rules (constant, [(term, k)])."""
    terms = dict(a[1])
    for t, k in b[1]:
        terms[t] = terms.get(t, 0) + k
    order = [t for t, _ in a[1]] + [t for t, _ in b[1] if t not in dict(a[1])]
    return (a[0] + b[0], [(t, terms[t]) for t in order if terms[t] != 0])


def pypy_rows(minor, d):
    rows = build(minor, d)
    if minor not in AFTER_RELATIVE:
        return rows
    or_pop = AFTER_RELATIVE[minor]
    jumps = set(d["jumps"])
    out = []
    for op, name, fall, jump in rows:
        if op in jumps:
            jump = _add(fall, jump)
        elif fall != jump:
            raise GenError("%s: %s is no jump, yet its jump effect differs" % (minor, name))
        if name in or_pop:
            if fall != (0, []):
                raise GenError("%s: %s measured %r, assemble.py says 0" % (minor, name, fall))
            fall = (-1, [])
        out.append((op, name, fall, jump))
    return out


def pypy_render(minor, d, source, rows):
    how = None
    if minor in AFTER_RELATIVE:
        how = ["taken), from dis.stack_effect(op, arg, jump=False) and (…, jump=True): the jump rule is",
               "their sum, JUMP_IF_*_OR_POP's fall-through 1 less (tools/gen_stack_effects_pypy.py)."]
    return render(minor, d, source, rows, "tools/gen_stack_effects_pypy.py", "PyPy", how)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a committed file is stale")
    args = ap.parse_args()
    outputs = {}
    with tempfile.TemporaryDirectory(prefix="gen_stack_pypy_") as tmp:
        with open(os.path.join(tmp, "dump.py"), "w") as f:
            f.write(PYPY_DUMP)
        for minor in VERSIONS:
            interp = _pypy("pypy" + minor)
            if interp is None:
                raise GenError("no interpreter for PyPy %s (run tests/fixtures/generate/generate.sh)" % minor)
            d = run_dump(interp, tmp)
            if "PyPy" not in d["version"]:
                raise GenError("pypy%s: %s is not PyPy" % (minor, d["version"]))
            rows = pypy_rows(minor, d)
            path = os.path.join(OUT_DIR, "pypy%s.rs" % minor.replace(".", "_"))
            outputs[path] = pypy_render(minor, d, interp["source"], rows)
            split = sum(1 for r in rows if r[2] != r[3])
            print("PyPy %-4s %3d opcodes, %2d depend on the direction (%s)" % (
                minor, len(rows), split, interp["source"]), file=sys.stderr)
    return write_outputs(outputs, args.check, "tools/gen_stack_effects_pypy.py", "PyPy stack effect tables")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GenError as e:
        print("gen_stack_effects_pypy: %s" % e, file=sys.stderr)
        sys.exit(2)

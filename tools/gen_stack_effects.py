#!/usr/bin/env python3
"""Generate crate/src/analysis/effects/v*.rs: each version's stack effect rules.

Why: pyclens computes the value-stack depth before every instruction (and each code
object's maximum, which must equal the `co_stacksize` the compiler recorded). How far an
instruction moves the stack changes with almost every release, and for many opcodes it
depends on the argument (BUILD_TUPLE n pops n, CALL pops 2 + n, ...). So the effects are
asked from the real interpreters' `dis.stack_effect(op, arg, jump=...)`, not typed in.

What it does: runs DUMP_SCRIPT below inside each interpreter (the same interpreters as
tools/gen_opcodes.py, found by its `interpreter_for`). For every base opcode the script
calls `dis.stack_effect` with no argument (opcodes without one) or with every argument
in PROBE_ARGS, once with jump=False (the fall-through) and once with jump=True (the jump
taken; for an exception-block opcode such as SETUP_FINALLY, the depth at its handler).
This script then finds, per opcode and direction, the simplest rule
    effect = constant + sum of k * term(arg)       (at most three terms, see TERMS)
that reproduces every probed value exactly (no fit, no rule: the generator aborts), and
writes one Rust data file per version naming the interpreter that produced it.

3.6 and 3.7: `dis.stack_effect` has no `jump` parameter there; it returns the larger of
the two effects (3.7's `PyCompile_OpcodeStackEffect` calls `stack_effect(op, arg, -1)`,
3.6 has one effect per opcode). For the few opcodes whose effect differs by direction,
JUMP_SPLIT below gives both as CPython 3.7's Python/compile.c `stack_effect()` states
them; the generator checks that their maximum is what the 3.7 interpreter reports. 3.6's
compiler applies one effect and adjusts jump targets in `stackdepth_walk` itself, which
crate/src/analysis/stack.rs follows, so its table is the single measured effect.

No interpreter of CPython 2.7's era exposes stack effects (2.7 has no `dis.stack_effect`),
nor of 1.x, 2.x or 3.0-3.5 here: tools/gen_stack_effects_27.py writes 2.5-2.7's and 3.0-3.5's
from xdis's opcode modules and their compile.c's argument rules; the others get no table,
and the analysis says so (their depths are null). PyPy 3.9 and 3.11's tables come from
tools/gen_stack_effects_pypy.py, which reuses DUMP_SCRIPT and `build` from here.

pyodide 0.22.1 (3.10.2) ships without the `_opcode` module behind `dis.stack_effect`, so
3.10's table comes from the newest ~/.pyenv/versions/3.10.* (same magic number, 3439).

Usage (from the repository root; interpreters as in tools/gen_opcodes.py):
  python3 tools/gen_stack_effects.py            # regenerate every file
  python3 tools/gen_stack_effects.py --check    # exit 1 if a committed file is not current
  python3 tools/gen_stack_effects.py --only 3.12 3.13
"""

import argparse
import itertools
import os
import sys
import tempfile
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_opcodes import NODE_RUNNER, REPO, GenError, _pyenv, interpreter_for, run_dump, shown, stale_outputs  # noqa: E402

OUT_DIR = os.path.join(REPO, "crate", "src", "analysis", "effects")
VERSIONS = ["3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"]

# Arguments probed for every opcode that takes one: every byte value, the EXTENDED_ARG
# boundaries, and a few values whose bit patterns separate the terms below.
PROBE_ARGS = list(range(0, 300)) + [383, 384, 511, 512, 513, 767, 1023, 1024, 1025, 4095,
                                    65535, 65536, 65537, 65791, 1048579, 16777215]

# The terms a rule may combine, as (Rust name, Python function). Order = preference.
TERMS = [
    ("Arg", lambda a: a),
    ("Low", lambda a: a & 0xFF),
    ("High", lambda a: a >> 8),
    ("HighByte", lambda a: (a >> 8) & 0xFF),
    ("Bit0", lambda a: a & 1),
    ("Bit1", lambda a: (a >> 1) & 1),
    ("Bit2", lambda a: (a >> 2) & 1),
    ("Bit3", lambda a: (a >> 3) & 1),
    ("Is3", lambda a: 1 if a == 3 else 0),
    ("Half", lambda a: a >> 1),
    ("Flags4", lambda a: bin(a & 0xF).count("1")),
    ("Above16", lambda a: a >> 16),
]

# CPython 3.7's Python/compile.c, stack_effect(opcode, oparg, jump): the opcodes whose
# effect differs between the fall-through (jump=0) and the jump (jump>0). Name: (fall, jump).
# https://github.com/python/cpython/blob/v3.7.16/Python/compile.c (stack_effect):
#   FOR_ITER "-1 at end of iterator, 1 if continue iterating": jump > 0 ? -1 : 1
#   JUMP_IF_TRUE_OR_POP / JUMP_IF_FALSE_OR_POP: jump ? 0 : -1
#   SETUP_WITH "1 in the normal flow ... push 6 values before jumping to the handler": jump ? 6 : 1
#   SETUP_ASYNC_WITH "0 in the normal flow ... push 6 values": jump ? -1 + 6 : 0
#   SETUP_EXCEPT / SETUP_FINALLY "0 in the normal flow ... push 6 values": jump ? 6 : 0
JUMP_SPLIT = {"3.7": {
    "FOR_ITER": (1, -1),
    "JUMP_IF_TRUE_OR_POP": (-1, 0),
    "JUMP_IF_FALSE_OR_POP": (-1, 0),
    "SETUP_WITH": (1, 6),
    "SETUP_ASYNC_WITH": (0, 5),
    "SETUP_EXCEPT": (0, 6),
    "SETUP_FINALLY": (0, 6),
}}

# ---------------------------------------------------------------------------------------
# Runs inside the interpreter being described (3.6 .. 3.15). Leaves its JSON in RESULT and
# prints it unless _PYCLENS_QUIET is set (pyodide reads the global instead).
DUMP_SCRIPT = r'''
import dis
import json
import opcode
import sys

ARGS = %(args)r


def effect(op, arg, jump):
    try:
        if jump is None:
            return dis.stack_effect(op, arg)
        return dis.stack_effect(op, arg, jump=jump)
    except (ValueError, TypeError):
        return None


def main():
    has_jump = sys.version_info >= (3, 8)
    jumps = [False, True] if has_jump else [None]
    ops = {}
    for name, op in sorted(opcode.opmap.items(), key=lambda kv: kv[1]):
        if op >= 256:
            continue
        row = {"name": name}
        hasarg = getattr(opcode, "hasarg", None)
        takes_arg = op in hasarg if hasarg is not None else op >= opcode.HAVE_ARGUMENT
        if not takes_arg:
            row["arg"] = False
            row["effects"] = [[effect(op, None, j)] for j in jumps]
        else:
            row["arg"] = True
            row["effects"] = [[effect(op, a, j) for a in ARGS] for j in jumps]
        ops[str(op)] = row
    return {"version": sys.version, "version_info": list(sys.version_info[:2]),
            "has_jump": has_jump, "ops": ops}


RESULT = json.dumps(main(), sort_keys=True)
if not globals().get("_PYCLENS_QUIET"):
    print(RESULT)
''' % {"args": PROBE_ARGS}


def _solve(rows, ys):
    """Exact least squares over Fractions; returns integer coefficients or None."""
    m = len(rows[0])
    ata = [[sum(Fraction(r[i] * r[j]) for r in rows) for j in range(m)] for i in range(m)]
    aty = [sum(Fraction(r[i] * y) for r, y in zip(rows, ys)) for i in range(m)]
    # Gauss-Jordan; a singular system means the terms are not independent on the probes.
    for c in range(m):
        p = next((r for r in range(c, m) if ata[r][c] != 0), None)
        if p is None:
            return None
        ata[c], ata[p], aty[c], aty[p] = ata[p], ata[c], aty[p], aty[c]
        for r in range(m):
            if r != c and ata[r][c] != 0:
                f = ata[r][c] / ata[c][c]
                ata[r] = [x - f * y for x, y in zip(ata[r], ata[c])]
                aty[r] -= f * aty[c]
    sol = [aty[i] / ata[i][i] for i in range(m)]
    if any(s.denominator != 1 for s in sol):
        return None
    return [int(s) for s in sol]


def fit(values, args, terms=None):
    """The simplest rule (constant, [(term, k)]) matching every non-None probe exactly, from
    `terms` (TERMS unless a generator adds its own after them)."""
    terms = terms or TERMS
    pts = [(a, v) for a, v in zip(args, values) if v is not None]
    if not pts:
        return None
    for size in range(0, 4):
        for chosen in itertools.combinations(range(len(terms)), size):
            rows = [[1] + [terms[t][1](a) for t in chosen] for a, _ in pts]
            sol = _solve(rows, [v for _, v in pts])
            if sol is None:
                continue
            if all(sum(c * x for c, x in zip(sol, r)) == v for r, (_, v) in zip(rows, pts)):
                ks = [(terms[t][0], k) for t, k in zip(chosen, sol[1:]) if k != 0]
                if len(ks) == size:
                    return (sol[0], ks)
    return None


def build(minor, d):
    got = "%d.%d" % tuple(d["version_info"])
    if got != minor:
        raise GenError("%s: interpreter reports %s" % (minor, got))
    split = JUMP_SPLIT.get(minor, {})
    rows = []
    for op in sorted(d["ops"], key=int):
        row = d["ops"][op]
        args = PROBE_ARGS if row["arg"] else [None]
        if all(v is None for values in row["effects"] for v in values):
            continue  # stack_effect raises for every argument: no opcode a pyc holds
        rules = []
        for values in row["effects"]:
            # Arguments the interpreter rejects (None) are left out; the rule covers the rest.
            rules.append(fit(values, args) if row["arg"] else (values[0], []))
        if any(r is None for r in rules):
            raise GenError("%s: no rule fits %s: %r" % (minor, row["name"], row["effects"]))
        if len(rules) == 1:
            fall = jump = rules[0]
            if row["name"] in split:
                f, j = split[row["name"]]
                if rules[0] != (max(f, j), []):
                    raise GenError("%s: %s measured %r, compile.c says max(%d, %d)" % (
                        minor, row["name"], rules[0], f, j))
                fall, jump = (f, []), (j, [])
        else:
            fall, jump = rules
        rows.append((int(op), row["name"], fall, jump))
    missing = set(split) - set(r[1] for r in rows)
    if missing:
        raise GenError("%s: JUMP_SPLIT names unknown opcodes %s" % (minor, sorted(missing)))
    return rows


def rule_rs(rule):
    c, ks = rule
    terms = ", ".join("(%s, %d)" % (t, k) for t, k in ks)
    return "r(%d, &[%s])" % (c, terms)


def table_rs(header, doc, rows):
    """The Rust file every stack-effect generator writes: `header`, the lines of its leading
    comment (who generated it from what); `doc`, the lines of the table's doc comment; `rows`,
    (opcode, name, fall-through rule, jump rule)."""
    L = ["// " + line for line in header] + ["", "use super::Rule;"]
    used = sorted(set(t for _, _, f, j in rows for t, _ in f[1] + j[1]))
    if used:
        L.append("use super::Term::{%s};" % ", ".join(used))
    L += ["",
          "const fn r(constant: i32, terms: &'static [(super::Term, i32)]) -> Rule {",
          "    Rule { constant, terms }",
          "}",
          ""]
    L += ["/// " + line for line in doc]
    L += ["#[rustfmt::skip]", "pub static EFFECTS: &[(u8, &str, Rule, Rule)] = &["]
    for op, name, f, j in rows:
        L.append("    (%d, \"%s\", %s, %s)," % (op, name, rule_rs(f), rule_rs(j)))
    L.append("];")
    return "\n".join(L) + "\n"


def render(minor, d, source, rows, script="tools/gen_stack_effects.py", what="Python", how=None):
    """One version's table as measured from `d`'s interpreter (`how`, the doc comment's lines
    after the first, words it otherwise when a caller converted the measured values)."""
    header = ["generated by %s from Python %s, %s; do not edit" % (script, " ".join(d["version"].split()), source)]
    if how is None:
        how = ["taken), as %s reports it." % (
            "dis.stack_effect(op, arg, jump=False) and (…, jump=True)" if d["has_jump"]
            else "dis.stack_effect(op, arg) (the larger of the two directions"
            + ("; split as compile.c states it" if minor in JUMP_SPLIT else "") + ")")]
    doc = ["Stack effect of every base opcode of %s %s: (opcode, name, fall-through, jump" % (what, minor)] + how
    return table_rs(header, doc, rows)


def write_outputs(outputs, check, script, what):
    """Writes each generated file whose text changed (or, with `check`, only says which are
    stale): the one ending of every stack-effect generator. Returns the exit status."""
    stale = stale_outputs(outputs)
    if check:
        if stale:
            print("stale (rerun %s): %s" % (script, ", ".join(map(shown, stale))), file=sys.stderr)
            return 1
        print("all %d %s are current" % (len(outputs), what), file=sys.stderr)
        return 0
    for path in stale:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(outputs[path])
    print("wrote %d of %d files to %s" % (len(stale), len(outputs), OUT_DIR), file=sys.stderr)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a committed file is stale")
    ap.add_argument("--only", nargs="+", metavar="VERSION")
    args = ap.parse_args()
    versions = args.only or VERSIONS
    outputs = {}
    with tempfile.TemporaryDirectory(prefix="gen_stack_") as tmp:
        with open(os.path.join(tmp, "dump.py"), "w") as f:
            f.write(DUMP_SCRIPT)
        with open(os.path.join(tmp, "runner.js"), "w") as f:
            f.write(NODE_RUNNER)
        for minor in versions:
            # pyodide 0.22.1 (3.10.2) leaves out the _opcode module that dis.stack_effect
            # calls; 3.10's table comes from pyenv's 3.10 instead (same magic 3439).
            interp = _pyenv(minor) if minor == "3.10" else interpreter_for(minor)
            if interp is None:
                raise GenError("no interpreter for %s" % minor)
            d = run_dump(interp, tmp)
            rows = build(minor, d)
            path = os.path.join(OUT_DIR, "v%s.rs" % minor.replace(".", "_"))
            outputs[path] = render(minor, d, interp["source"], rows)
            varying = sum(1 for r in rows if r[2][1] or r[3][1])
            split = sum(1 for r in rows if r[2] != r[3])
            print("%-5s %3d opcodes, %3d depend on the argument, %2d on the direction (%s)" % (
                minor, len(rows), varying, split, interp["source"]), file=sys.stderr)
    return write_outputs(outputs, args.check, "tools/gen_stack_effects.py", "stack effect tables")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GenError as e:
        print("gen_stack_effects: %s" % e, file=sys.stderr)
        sys.exit(2)

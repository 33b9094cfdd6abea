#!/usr/bin/env python3
"""Generate crate/src/analysis/effects/v2_7.rs: CPython 2.7's stack effect rules.

Why: pyclens checks its simulated stack depth against the `co_stacksize` every compiler
recorded. CPython 2.7 has no `dis.stack_effect` to ask (tools/gen_stack_effects.py measures
3.6+ that way); its compiler's rules live in Python/compile.c `opcode_stack_effect()`.

Where the effects come from: xdis XDIS_VERSION (https://pypi.org/project/xdis/), whose
`xdis.opcodes.opcode_27` lists each opcode's pops and pushes and whose
`xdis.cross_dis.xstack_effect` turns them into an effect, probed with every argument in
gen_stack_effects.PROBE_ARGS and fitted to a rule by gen_stack_effects.fit. For the opcodes
whose effect depends on the argument in a way xstack_effect does not compute as 2.7's
compiler does (it returns -100, or counts a CALL_FUNCTION's keyword pairs once), COMPILE_C
below states 2.7's rule, each as CPython 2.7.18's Python/compile.c `opcode_stack_effect()`
gives it; every other opcode keeps xdis's value. The opcode numbers and names are checked
against the real CPython 2.7.18's `opcode` module (~/.pyenv/versions/2.7.18). The result
is not measured from an interpreter: tests/rust/stack.rs checks it, walking every 2.7 code
object of the fixtures and the corpus as 2.7's `stackdepth_walk` does, against the
`co_stacksize` CPython 2.7 recorded.

Usage (from the repository root; --python names a Python with xdis 6.3.0, e.g.
`python3 -m venv /tmp/xdis && /tmp/xdis/bin/pip install xdis==6.3.0`):
  python3 tools/gen_stack_effects_27.py --python /tmp/xdis/bin/python           # write
  python3 tools/gen_stack_effects_27.py --python /tmp/xdis/bin/python --check   # exit 1 if stale
"""

import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_opcodes import GenError, _pyenv  # noqa: E402
from gen_stack_effects import OUT_DIR, PROBE_ARGS, fit, rule_rs  # noqa: E402

XDIS_VERSION = "6.3.0"


def nargs(o):
    """compile.c's NARGS(o): positional arguments plus two per keyword argument."""
    return (o % 256) + 2 * (o // 256)


# CPython 2.7.18 Python/compile.c, opcode_stack_effect(): the argument-dependent cases.
# https://github.com/python/cpython/blob/v2.7.18/Python/compile.c
COMPILE_C = {
    "UNPACK_SEQUENCE": lambda a: a - 1,           # "return oparg-1;"
    "DUP_TOPX": lambda a: a,                      # "return oparg;"
    "RAISE_VARARGS": lambda a: -a,                # "return -oparg;"
    "CALL_FUNCTION": lambda a: -nargs(a),         # "return -NARGS(oparg);"
    "CALL_FUNCTION_VAR": lambda a: -nargs(a) - 1,     # "return -NARGS(oparg)-1;"
    "CALL_FUNCTION_KW": lambda a: -nargs(a) - 1,      # "return -NARGS(oparg)-1;"
    "CALL_FUNCTION_VAR_KW": lambda a: -nargs(a) - 2,  # "return -NARGS(oparg)-2;"
    "MAKE_FUNCTION": lambda a: -a,                # "return -oparg;"
    "MAKE_CLOSURE": lambda a: -a - 1,             # "return -oparg-1;"
}

# Opcodes compile.c never sees: EXTENDED_ARG is added while assembling and NOP by the peephole
# optimizer, both after the depth is computed (stackdepth() has no case for them), and
# STOP_CODE is never emitted. They move nothing.
NO_EFFECT = {"EXTENDED_ARG", "NOP", "STOP_CODE"}

DUMP_SCRIPT = r'''
import json
import sys

import xdis
from xdis.cross_dis import xstack_effect
from xdis.opcodes import opcode_27 as m

args = json.loads(sys.argv[1])
ops = {}
for name, op in sorted(m.opmap.items(), key=lambda kv: kv[1]):
    values = []
    for a in (args if op >= m.HAVE_ARGUMENT else [0]):
        try:
            values.append(xstack_effect(op, m, a))
        except Exception:
            values.append(None)
    ops[str(op)] = {"name": m.opname[op], "arg": op >= m.HAVE_ARGUMENT, "values": values}
print(json.dumps({"xdis": xdis.__version__, "ops": ops}))
'''

OPMAP_SCRIPT = "import json, opcode, sys; print(json.dumps(dict((n, o) for o, n in enumerate(opcode.opname) if not n.startswith('<'))))"


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise GenError("%s failed:\n%s" % (cmd[0], p.stderr.decode("utf-8", "replace")[-3000:]))
    return json.loads(p.stdout.decode("utf-8"))


def build(dump, real_opmap):
    rows = []
    corrected = []
    for op in sorted(dump["ops"], key=int):
        row = dump["ops"][op]
        name = row["name"]
        if real_opmap.get(name) != int(op):
            raise GenError("xdis opcode_27 has %s = %s; CPython 2.7.18 says %r" % (name, op, real_opmap.get(name)))
        args = PROBE_ARGS if row["arg"] else [None]
        if name in NO_EFFECT:
            rule = (0, [])
        elif name in COMPILE_C:
            values = [COMPILE_C[name](a) for a in args]
            if values != row["values"]:
                corrected.append(name)
            rule = fit(values, args)
        else:
            values = row["values"]
            # xstack_effect answers -100 when it has no rule (for every argument; a real
            # rule such as BUILD_TUPLE's 1 - arg passes through -100 only at one).
            if any(v is None for v in values) or all(v == -100 for v in values):
                raise GenError("xdis has no effect for %s and COMPILE_C no rule" % name)
            rule = fit(values, args) if row["arg"] else (values[0], [])
        if rule is None:
            raise GenError("no rule fits %s" % name)
        rows.append((int(op), name, rule))
    return rows, corrected


def render(rows, xdis_version, source):
    L = ["// generated by tools/gen_stack_effects_27.py from xdis %s's opcode_27 (xstack_effect), with"
         % xdis_version,
         "// CPython 2.7.18 Python/compile.c opcode_stack_effect()'s argument rules; opcode numbers checked",
         "// against %s; not measured from an interpreter; do not edit" % source,
         "",
         "use super::Rule;"]
    used = sorted(set(t for _, _, r in rows for t, _ in r[1]))
    if used:
        L.append("use super::Term::{%s};" % ", ".join(used))
    L += ["",
          "const fn r(constant: i32, terms: &'static [(super::Term, i32)]) -> Rule {",
          "    Rule { constant, terms }",
          "}",
          "",
          "/// Stack effect of every opcode of Python 2.7: (opcode, name, fall-through, jump taken).",
          "/// 2.7's compiler applies one effect per opcode and adjusts jump targets in",
          "/// `stackdepth_walk` itself (crate/src/analysis/stack.rs), so both columns are that effect.",
          "#[rustfmt::skip]",
          "pub static EFFECTS: &[(u8, &str, Rule, Rule)] = &["]
    for op, name, rule in rows:
        L.append("    (%d, \"%s\", %s, %s)," % (op, name, rule_rs(rule), rule_rs(rule)))
    L.append("];")
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--python", default=os.environ.get("XDIS_PYTHON"), help="a Python with xdis %s" % XDIS_VERSION)
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed file is stale")
    args = ap.parse_args()
    if not args.python:
        raise GenError("name a Python with xdis %s (--python or XDIS_PYTHON)" % XDIS_VERSION)
    dump = run([args.python, "-c", DUMP_SCRIPT, json.dumps(PROBE_ARGS)])
    if dump["xdis"] != XDIS_VERSION:
        raise GenError("%s has xdis %s, want %s" % (args.python, dump["xdis"], XDIS_VERSION))
    py27 = _pyenv("2.7")
    if py27 is None:
        raise GenError("no CPython 2.7 under ~/.pyenv/versions")
    rows, corrected = build(dump, run([py27["exe"], "-c", OPMAP_SCRIPT]))
    text = render(rows, dump["xdis"], py27["source"])
    path = os.path.join(OUT_DIR, "v2_7.rs")
    try:
        with open(path, encoding="utf-8") as f:
            same = f.read() == text
    except OSError:
        same = False
    print("2.7: %d opcodes; compile.c rules replace xdis's for %s" % (len(rows), ", ".join(corrected)), file=sys.stderr)
    if args.check:
        if not same:
            print("stale (rerun tools/gen_stack_effects_27.py): %s" % os.path.relpath(path), file=sys.stderr)
            return 1
        return 0
    if not same:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    print("wrote %s" % path if not same else "%s is current" % path, file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GenError as e:
        print("gen_stack_effects_27: %s" % e, file=sys.stderr)
        sys.exit(2)

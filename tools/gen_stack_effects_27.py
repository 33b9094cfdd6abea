#!/usr/bin/env python3
"""Generate crate/src/analysis/effects/v2_5.rs to v2_7.rs and v3_0.rs to v3_5.rs: stack
effect rules of CPython versions without `dis.stack_effect` (2.5-2.7, 3.0-3.3) or without an
interpreter here (2.5-2.6, 3.0-3.5).

Why: pyclens checks its simulated stack depth against the `co_stacksize` every compiler
recorded. CPython 2.5-2.7 and 3.0-3.3 have no `dis.stack_effect` to ask (tools/gen_stack_effects.py
measures 3.6+ that way), and no 2.5-2.6 or 3.0-3.5 interpreter runs here; their compilers' rules live in
Python/compile.c `opcode_stack_effect()`.

Where the effects come from: xdis XDIS_VERSION (https://pypi.org/project/xdis/), whose
`xdis.opcodes.opcode_25` ... `opcode_27` / `opcode_30` ... `opcode_35` list each opcode's pops and pushes and whose
`xdis.cross_dis.xstack_effect` turns them into an effect, probed with every argument in
gen_stack_effects.PROBE_ARGS and fitted to a rule by gen_stack_effects.fit. For the opcodes
whose effect depends on the argument in a way xstack_effect does not compute as the
compiler does (it returns -100, or counts a CALL_FUNCTION's keyword pairs once), and where
2.5-2.6's table says other than what the opcode does (OLD_25), COMPILE_C below states the rule as that version's Python/compile.c `opcode_stack_effect()` gives it;
every other opcode keeps xdis's value. 2.7's opcode numbers and names are checked against
the real CPython 2.7.18's `opcode` module (~/.pyenv/versions/2.7.18). The result is not
measured from an interpreter: tests/rust/stack.rs checks it, walking every 2.5-2.7 and 3.0-3.5 code
object of the fixtures and the corpus as their `stackdepth_walk` does, against the
`co_stacksize` the real compilers recorded.

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
from gen_stack_effects import OUT_DIR, PROBE_ARGS, fit, table_rs, write_outputs  # noqa: E402

XDIS_VERSION = "6.3.0"


def nargs(o):
    """compile.c's NARGS(o): positional arguments plus two per keyword argument."""
    return (o % 256) + 2 * (o // 256)


# Python/compile.c opcode_stack_effect() (2.7.18, 3.5.10):
# the argument-dependent cases, per version, each as that compile.c returns it.
# https://github.com/python/cpython/blob/v2.7.18/Python/compile.c and the other tags.
COMMON = {
    "UNPACK_SEQUENCE": lambda a: a - 1,               # "return oparg-1;"
    "RAISE_VARARGS": lambda a: -a,                    # "return -oparg;"
    "CALL_FUNCTION": lambda a: -nargs(a),             # "return -NARGS(oparg);"
    "CALL_FUNCTION_VAR": lambda a: -nargs(a) - 1,     # "return -NARGS(oparg)-1;"
    "CALL_FUNCTION_KW": lambda a: -nargs(a) - 1,      # "return -NARGS(oparg)-1;"
    "CALL_FUNCTION_VAR_KW": lambda a: -nargs(a) - 2,  # "return -NARGS(oparg)-2;"
    "BUILD_SLICE": lambda a: -2 if a == 3 else -1,    # "if (oparg == 3) return -2; else return -1;"
}
# 3.3-3.5: "return -1 - NARGS(oparg) - ((oparg >> 16) & 0xffff);" (the qualified name,
# defaults, keyword-only defaults as pairs, annotations); MAKE_CLOSURE one more (the closure).
# 3.0-3.2: "return -NARGS(oparg) - ((oparg >> 16) & 0xffff);" (defaults, keyword-only
# defaults as pairs, annotations); MAKE_CLOSURE "return -1 - NARGS(oparg) - ...".
MAKE_30 = {
    "MAKE_FUNCTION": lambda a: -nargs(a & 0xFFFF) - ((a >> 16) & 0xFFFF),
    "MAKE_CLOSURE": lambda a: -1 - nargs(a & 0xFFFF) - ((a >> 16) & 0xFFFF),
}
MAKE_33 = {
    "MAKE_FUNCTION": lambda a: -1 - nargs(a & 0xFFFF) - ((a >> 16) & 0xFFFF),
    "MAKE_CLOSURE": lambda a: -2 - nargs(a & 0xFFFF) - ((a >> 16) & 0xFFFF),
}
# 2.5-2.6 (the first AST compiler): their opcode_stack_effect() differs from 2.7's where
# 2.7 fixed it. A 2.5-era Python/compile.c reads "case SLICE+0: return 1; case SLICE+1:
# return 0; case SLICE+2: return 0; case SLICE+3: return -1;" (one more than the slice
# really leaves) and, like the 3.0-era compile.c forked from it, "case IMPORT_NAME: return
# 0;" (2.5 gave IMPORT_NAME a second operand, the level, and the table kept 0). MAKE_CLOSURE
# as "return -oparg;" (the closure tuple not counted) is what the co_stacksize of every 2.6
# corpus closure requires; no 2.6 source was at hand to quote for it.
OLD_25 = {
    "DUP_TOPX": lambda a: a, "MAKE_FUNCTION": lambda a: -a, "MAKE_CLOSURE": lambda a: -a,
    "IMPORT_NAME": lambda a: 0,
    "SLICE+0": lambda a: 1, "SLICE+1": lambda a: 0, "SLICE+2": lambda a: 0, "SLICE+3": lambda a: -1,
}
COMPILE_C = {
    "2.5": dict(COMMON, **OLD_25),
    "2.6": dict(COMMON, **OLD_25),
    "2.7": dict(COMMON, DUP_TOPX=lambda a: a,                          # "return oparg;"
                MAKE_FUNCTION=lambda a: -a,                            # "return -oparg;"
                MAKE_CLOSURE=lambda a: -a - 1),                        # "return -oparg-1;"
    # 3.0-3.1: "return oparg;" for DUP_TOPX (3.2 replaced it by DUP_TOP_TWO).
    "3.0": dict(COMMON, DUP_TOPX=lambda a: a, **MAKE_30),
    "3.1": dict(COMMON, DUP_TOPX=lambda a: a, **MAKE_30),
    # "return 1 - (oparg & 0xFF);" for the call form of **-unpacking (its high byte is the
    # call's position), "return 1 - 2*oparg;" for BUILD_MAP (3.5 builds from pairs).
    "3.2": dict(COMMON, **MAKE_30),
    "3.3": dict(COMMON, **MAKE_33),
    "3.4": dict(COMMON, **MAKE_33),
    "3.5": dict(COMMON, BUILD_MAP_UNPACK_WITH_CALL=lambda a: 1 - (a & 0xFF),
                BUILD_MAP=lambda a: 1 - 2 * a, **MAKE_33),
}
# xdis module per version. 3.1-3.3's walk takes nothing off a JUMP_IF_*_OR_POP's
# fall-through and their peephole optimizer rewrites some of those jumps after the depth is
# computed: crate/src/analysis/rewritten.rs reads that back from the file.
# 2.5-2.6 walk as 3.0-3.1 (no jump-target adjustment; SETUP_EXCEPT/SETUP_FINALLY push the
# exception's 3 on both paths).
MODULES = {"2.5": "opcode_2x.opcode_25", "2.6": "opcode_2x.opcode_26", "2.7": "opcode_2x.opcode_27", "3.0": "opcode_3x.opcode_30", "3.1": "opcode_3x.opcode_31",
           "3.2": "opcode_3x.opcode_32", "3.3": "opcode_3x.opcode_33", "3.4": "opcode_3x.opcode_34",
           "3.5": "opcode_3x.opcode_35"}

# Opcodes compile.c never sees: EXTENDED_ARG is added while assembling and NOP by the peephole
# optimizer, both after the depth is computed (stackdepth() has no case for them), and
# STOP_CODE is never emitted. They move nothing.
NO_EFFECT = {"EXTENDED_ARG", "NOP", "STOP_CODE"}

DUMP_SCRIPT = r'''
import importlib
import json
import sys

import xdis
from xdis.cross_dis import xstack_effect

m = importlib.import_module("xdis.opcodes." + sys.argv[2])
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


def build(minor, dump, real_opmap):
    rows = []
    corrected = []
    for op in sorted(dump["ops"], key=int):
        row = dump["ops"][op]
        name = row["name"]
        if real_opmap is not None and real_opmap.get(name) != int(op):
            raise GenError("xdis %s has %s = %s; the real interpreter says %r" % (minor, name, op, real_opmap.get(name)))
        args = PROBE_ARGS if row["arg"] else [None]
        if name in NO_EFFECT:
            rule = (0, [])
        elif name in COMPILE_C[minor]:
            values = [COMPILE_C[minor][name](a) for a in args]
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


def render(minor, rows, xdis_version, source):
    checked = ("opcode numbers checked against %s" % source if source
               else "opcode numbers as xdis lists them (no %s interpreter runs here)" % minor)
    return table_rs(
        ["generated by tools/gen_stack_effects_27.py from xdis %s's %s (xstack_effect), with"
         % (xdis_version, MODULES[minor].split(".")[1]),
         "Python %s's Python/compile.c opcode_stack_effect() argument rules; %s;" % (minor, checked),
         "not measured from an interpreter; do not edit"],
        ["Stack effect of every opcode of Python %s: (opcode, name, fall-through, jump taken)." % minor,
         "Its compiler applies one effect per opcode and adjusts jump targets in",
         "`stackdepth_walk` itself (crate/src/analysis/stack.rs), so both columns are that effect."],
        [(op, name, rule, rule) for op, name, rule in rows])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--python", default=os.environ.get("XDIS_PYTHON"), help="a Python with xdis %s" % XDIS_VERSION)
    ap.add_argument("--check", action="store_true", help="exit 1 if a committed file is stale")
    ap.add_argument("--only", nargs="+", metavar="VERSION", choices=sorted(MODULES))
    args = ap.parse_args()
    if not args.python:
        raise GenError("name a Python with xdis %s (--python or XDIS_PYTHON)" % XDIS_VERSION)
    py27 = _pyenv("2.7")
    if py27 is None:
        raise GenError("no CPython 2.7 under ~/.pyenv/versions")
    outputs = {}
    for minor in args.only or sorted(MODULES):
        dump = run([args.python, "-c", DUMP_SCRIPT, json.dumps(PROBE_ARGS), MODULES[minor]])
        if dump["xdis"] != XDIS_VERSION:
            raise GenError("%s has xdis %s, want %s" % (args.python, dump["xdis"], XDIS_VERSION))
        real = run([py27["exe"], "-c", OPMAP_SCRIPT]) if minor == "2.7" else None
        rows, corrected = build(minor, dump, real)
        text = render(minor, rows, dump["xdis"], py27["source"] if minor == "2.7" else None)
        outputs[os.path.join(OUT_DIR, "v%s.rs" % minor.replace(".", "_"))] = text
        print("%s: %d opcodes; compile.c rules replace xdis's for %s" % (
            minor, len(rows), ", ".join(corrected) or "none"), file=sys.stderr)
    return write_outputs(outputs, args.check, "tools/gen_stack_effects_27.py", "xdis stack effect tables")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GenError as e:
        print("gen_stack_effects_27: %s" % e, file=sys.stderr)
        sys.exit(2)

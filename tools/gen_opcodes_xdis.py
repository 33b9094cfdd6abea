#!/usr/bin/env python3
"""Generate crate/src/bytecode/opcodes/v1_0.rs .. v3_5.rs and pypy*.rs from xdis's opcode modules.

Why: pyclens takes its opcode tables from the real interpreters (tools/gen_opcodes.py), but
no interpreter of CPython 1.0-2.6 or 3.0-3.5 runs here, and no PyPy either. xdis
(https://pypi.org/project/xdis/) describes every one of those versions in plain Python
modules, so its facts (opcode numbers and names, HAVE_ARGUMENT, EXTENDED_ARG, the has* lists,
cmp_op) are read from there instead. Each file's header says so: these tables are checked
against xdis, not measured from an interpreter.

What it does: runs DUMP_SCRIPT below in a Python that has xdis XDIS_VERSION installed; the
script imports each xdis.opcodes module and prints its facts as JSON. The few places where
xdis spells things differently from CPython's own opcode/dis modules are corrected here
(the functions under "Where xdis and CPython's own modules differ", checked against the 2.7 and 3.6 tables measured from real interpreters:
`python3 tools/gen_opcodes_xdis.py --verify` compares xdis's 2.7 and 3.6 modules, corrected,
with crate/src/bytecode/opcodes/v2_7.rs and v3_6.rs). The Rust files are written by
tools/gen_opcodes.py's `render`, so both generators share one writer.

PyPy ships CPython's own dis.py, so the argrepr tables dis.py writes inline
(MAKE_FUNCTION flag names, FORMAT_VALUE converters) of a PyPy table are those of the CPython
table of the same version (read from the committed v3_X.rs, itself measured).

Usage (from the repository root; XDIS_PYTHON or --python names a Python with xdis 6.3.0,
e.g. `python3 -m venv /tmp/xdis && /tmp/xdis/bin/pip install xdis==6.3.0`):
  python3 tools/gen_opcodes_xdis.py --python /tmp/xdis/bin/python           # write
  python3 tools/gen_opcodes_xdis.py --python /tmp/xdis/bin/python --check   # exit 1 if stale
  python3 tools/gen_opcodes_xdis.py --python /tmp/xdis/bin/python --verify  # 2.7/3.6 check
"""

import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_opcodes  # noqa: E402  (the shared writer)
from gen_opcodes import FLAGS, GenError, OUT_DIR, REPO, render, write_outputs  # noqa: E402

XDIS_VERSION = "6.3.0"

# (minor version, xdis module under xdis.opcodes). xdis has one module per minor version.
CPYTHON = [("1.%d" % i, "opcode_1x.opcode_1%d" % i) for i in range(7)]
CPYTHON += [("2.%d" % i, "opcode_2x.opcode_2%d" % i) for i in range(7)]
CPYTHON += [("3.%d" % i, "opcode_3x.opcode_3%d" % i) for i in range(6)]
# PyPy 2.7, 3.7 and 3.9 come from real PyPy interpreters (tools/gen_opcodes.py), not xdis.
PYPY = [(v, "opcode_pypy.opcode_%spypy" % v.replace(".", ""))
        for v in ("3.2", "3.5", "3.6", "3.8", "3.10", "3.11")]
# Modules whose corrected tables must equal the measured ones (--verify).
VERIFY = [("2.7", "opcode_2x.opcode_27", "v2_7.rs"), ("3.6", "opcode_3x.opcode_36", "v3_6.rs")]

# Runs inside the xdis Python: prints {module: facts} for the modules named in argv.
DUMP_SCRIPT = r'''
import importlib
import json
import sys

import xdis

out = {"xdis": xdis.__version__, "modules": {}}
for name in sys.argv[1:]:
    m = importlib.import_module("xdis.opcodes." + name)
    facts = {
        "version_tuple": list(m.version_tuple[:2]),
        "opmap": dict((k, int(v)) for k, v in m.opmap.items()),
        # opmap keys are identifiers (SLICE_0); opname is what dis prints (SLICE+0).
        "opname": list(m.opname),
        "HAVE_ARGUMENT": int(m.HAVE_ARGUMENT),
        "EXTENDED_ARG": getattr(m, "EXTENDED_ARG", None),
        "cmp_op": list(m.cmp_op),
    }
    for key in ("hasconst", "hasname", "hasjrel", "hasjabs", "haslocal", "hasfree", "hascompare"):
        facts[key] = sorted(set(int(x) for x in getattr(m, key, ())))
    out["modules"][name] = facts
print(json.dumps(out, sort_keys=True))
'''


def run_dump(python, modules):
    p = subprocess.run([python, "-c", DUMP_SCRIPT] + modules, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise GenError("%s failed:\n%s" % (python, p.stderr.decode("utf-8", "replace")[-3000:]))
    d = json.loads(p.stdout.decode("utf-8"))
    if d["xdis"] != XDIS_VERSION:
        raise GenError("%s has xdis %s, want %s" % (python, d["xdis"], XDIS_VERSION))
    return d["modules"]


# ---------------------------------------------------------------------------------------
# Where xdis and CPython's own modules differ (facts about CPython, not xdis choices)

def cpython_cmp_op(cmp_op):
    """xdis hyphenates 'not-in', 'is-not', 'exception-match'; CPython's cmp_op has spaces
    ('not in', ...), as the real 2.7 and 3.6 tables show."""
    return [s.replace("-", " ") for s in cmp_op]


def cpython_jrel(names, hasjrel):
    """xdis lists FOR_LOOP (114, CPython 1.0-2.2) as a plain opcode; CPython's own Lib/dis.py
    of those releases says `jrel_op('FOR_LOOP', 114)  # Number of bytes to skip`, and ceval.c
    jumps by its argument when the sequence is exhausted (`JUMPBY(oparg)`)."""
    return set(hasjrel) | ({114} if names[114] == "FOR_LOOP" else set())


def has_extended_arg(version, pypy):
    """EXTENDED_ARG appeared in CPython 2.0 (magic 50823); xdis also lists it (143) for
    1.x, whose ceval has no such opcode: 1.x arguments are at most 16 bits."""
    return pypy or version >= (2, 0)


# ---------------------------------------------------------------------------------------

def build_table(minor, facts, pypy, cpython_rs=None):
    """The dict gen_opcodes.render takes, from one xdis module's facts."""
    vt = tuple(facts["version_tuple"])
    want = tuple(int(x) for x in minor.split("."))
    if vt != want:
        raise GenError("%s: xdis module reports %s" % (minor, vt))
    ha = facts["HAVE_ARGUMENT"]
    ext = facts["EXTENDED_ARG"]
    names = [""] * 256
    for name, n in facts["opmap"].items():
        if n >= 256:
            raise GenError("%s: %s is numbered %d" % (minor, name, n))
        if name == "EXTENDED_ARG" and not has_extended_arg(want, pypy):
            continue
        if names[n]:
            raise GenError("%s: two opcodes numbered %d (%s, %s)" % (minor, n, names[n], name))
        # xdis's opmap says SLICE_0 where its opname (and CPython's) says SLICE+0.
        names[n] = facts["opname"][n]
    if has_extended_arg(want, pypy):
        if ext is None or names[ext] != "EXTENDED_ARG":
            raise GenError("%s: EXTENDED_ARG %r is not an opcode" % (minor, ext))
    else:
        # No prefix opcode: 0 (STOP_CODE, no argument) stands for "none"; see
        # OpcodeTable::extended_arg_op.
        ext = 0
    lists = {}
    for key in ("hasconst", "hasname", "hasjrel", "hasjabs", "haslocal", "hasfree", "hascompare"):
        lists[key] = set()
        for n in (cpython_jrel(names, facts[key]) if key == "hasjrel" else facts[key]):
            if not names[n]:
                raise GenError("%s: %s lists %d, which is not an opcode" % (minor, key, n))
            if n < ha:
                # xdis's PyPy 3.11 lists PREP_RERAISE_STAR (88) in hasjrel; below
                # HAVE_ARGUMENT it has no argument, and dis only consults these lists for
                # an argument, so the entry cannot mean anything: dropped.
                print("%s: dropping %s from %s (no argument below HAVE_ARGUMENT)" % (minor, names[n], key),
                      file=sys.stderr)
                continue
            lists[key].add(n)
    flags = []
    for n in range(256):
        bits = []
        for flag, key in FLAGS:
            # Every version here reads an argument exactly for op >= HAVE_ARGUMENT.
            if (n >= ha) if key is None else (n in lists.get(key, ())):
                bits.append(flag)
        flags.append(bits)
    func_flags, converters = ([], []) if cpython_rs is None else inline_tables(cpython_rs)
    base = [n for n in range(256) if names[n]]
    return {
        "minor": minor, "python": "", "have_argument": ha, "extended_arg": ext,
        "names": names, "flags": flags, "caches": [0] * 256, "other": [],
        "cmp_op": cpython_cmp_op(facts["cmp_op"]), "nb_ops": [], "intrinsic1": [], "intrinsic2": [],
        "cache_format": [], "common": [], "common_reprs": [], "special": [],
        "func_flags": func_flags, "converters": converters,
        "counts": {"base": len(base), "max_base": max(base)},
    }


def inline_tables(path):
    """function_flags and format_converters of a committed (measured) CPython table."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = []
    for field in ("function_flags", "format_converters"):
        m = re.search(r"^    %s: &\[(.*?)\]," % field, text, re.M | re.S)
        if not m:
            raise GenError("%s: no %s" % (path, field))
        out.append(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))
    return out


def header_for(module, pypy):
    what = "PyPy" if pypy else "CPython"
    return ("// generated by tools/gen_opcodes_xdis.py from xdis %s %s (no interpreter of this "
            "%s version was run); do not edit" % (XDIS_VERSION, module.split(".")[-1], what))


def outputs_for(dumps, out_dir):
    outputs = {}
    for pypy, rows in ((False, CPYTHON), (True, PYPY)):
        for minor, module in rows:
            major, mn = minor.split(".")
            cpython_rs = None
            if pypy and int(major) == 3 and int(mn) >= 6:
                cpython_rs = os.path.join(OUT_DIR, "v%s_%s.rs" % (major, mn))
            t = build_table(minor, dumps[module], pypy, cpython_rs)
            source = "xdis %s %s" % (XDIS_VERSION, module.split(".")[-1])
            t["python"] = ("PyPy %s" if pypy else "Python %s") % minor
            title = "/// The table for %s %s (from xdis; no interpreter was run)." % (
                "PyPy" if pypy else "CPython", minor)
            name = ("pypy%s_%s.rs" if pypy else "v%s_%s.rs") % (major, mn)
            outputs[os.path.join(out_dir, name)] = render(t, source, header_for(module, pypy), title)
            c = t["counts"]
            print("%-6s %-4s base %3d  HAVE_ARGUMENT %3d  EXTENDED_ARG %3d  max %3d  (%s)" % (
                "pypy" if pypy else "", minor, c["base"], t["have_argument"], t["extended_arg"],
                c["max_base"], module), file=sys.stderr)
    return outputs


ROW = re.compile(r'\((\d+), "((?:[^"\\]|\\.)*)", ([A-Z_ |0-9]+), (\d+)\)')


def measured_rows(path):
    """{number: (name, set of flags)} of a committed measured table."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    rows = {}
    for n, name, fl, _ in ROW.findall(text.split("pub static TABLE")[0]):
        rows[int(n)] = (name, set(x.strip() for x in fl.split("|")) - {"0"})
    cmp_m = re.search(r"^    cmp_op: &\[(.*?)\],", text, re.M | re.S)
    return rows, re.findall(r'"([^"]*)"', cmp_m.group(1))


def verify(python):
    """Checks the corrected xdis 2.7 and 3.6 tables against the measured ones."""
    dumps = run_dump(python, [m for _, m, _ in VERIFY])
    bad = 0
    for minor, module, rs_file in VERIFY:
        t = build_table(minor, dumps[module], False)
        rows, cmp_op = measured_rows(os.path.join(OUT_DIR, rs_file))
        for n in range(256):
            got = (t["names"][n], set(t["flags"][n]))
            name, fl = rows.get(n, ("", set()))
            # Compare flags of named opcodes only (HAS_ARG of unassigned numbers agrees
            # by construction).
            if got[0] != name or (name and got[1] != fl):
                print("%s %3d: xdis %r, measured %r" % (minor, n, got, (name, fl)), file=sys.stderr)
                bad += 1
        if t["cmp_op"] != cmp_op:
            print("%s cmp_op: xdis %r, measured %r" % (minor, t["cmp_op"], cmp_op), file=sys.stderr)
            bad += 1
    print("verify: %d differences" % bad, file=sys.stderr)
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--python", default=os.environ.get("XDIS_PYTHON", "python3"),
                    help="a Python with xdis %s (default $XDIS_PYTHON or python3)" % XDIS_VERSION)
    ap.add_argument("--check", action="store_true", help="exit 1 if a committed file is stale")
    ap.add_argument("--verify", action="store_true", help="compare xdis 2.7/3.6 with the measured tables")
    ap.add_argument("--out-dir", default=OUT_DIR, help="where the files go (default %(default)s)")
    args = ap.parse_args()
    if args.verify:
        return verify(args.python)
    dumps = run_dump(args.python, [m for _, m in CPYTHON + PYPY])
    outputs = outputs_for(dumps, args.out_dir)
    return write_outputs(outputs, args.out_dir, args.check, "tools/gen_opcodes_xdis.py")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GenError as e:
        print("gen_opcodes_xdis: %s" % e, file=sys.stderr)
        sys.exit(2)

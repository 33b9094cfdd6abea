#!/usr/bin/env python3
"""Generate crate/src/bytecode/opcodes/v*.rs: one opcode table per CPython minor version.

Why: opcode numbers, argument rules, inline cache sizes and the small tables that `dis`
uses to spell arguments (comparison operators, BINARY_OP symbols, intrinsics, ...) change
with almost every release (3.13, 3.14 and 3.15 each renumbered nearly everything). pyclens
prints what each version's own `dis` prints, so the tables are asked from the real
interpreters instead of being typed in from documentation.

What it does: runs DUMP_SCRIPT below (plain Python that works on 2.7 and 3.6 .. 3.15)
inside each interpreter; the script reads that interpreter's `opcode` and `dis` modules
and also asks `dis` itself how it spells the table-driven arguments, so tables that dis.py
writes inline (FORMAT_VALUE converters in 3.6/3.7, ...) come from dis too. The results are
cross-checked here (any mismatch aborts) and written as Rust data files, one per version,
each naming the exact interpreter (`sys.version`) and where it came from.

Interpreters (the same ones tests/fixtures/generate/ uses for the test fixtures):
  * 2.7, 3.9: Debian bullseye packages unpacked by tests/fixtures/generate/generate.sh
    under tests/fixtures/generate/.cache/root-<minor> (run with PYTHONHOME); if absent,
    the newest ~/.pyenv/versions/<minor>.* instead;
  * 3.6, 3.7, 3.8: the newest ~/.pyenv/versions/<minor>.*;
  * 3.10 .. 3.15: pyodide from tests/fixtures/generate/node_modules/pyodide-3xx (npm
    aliases; `npm install` there), run under `node` (Node 18+);
  * pypy2.7, pypy3.7, pypy3.9: Debian's PyPy packages (bullseye pypy / pypy3, bookworm
    pypy3) unpacked by generate.sh under .cache/root-pypy<minor>,
    started by the launcher `run` there. Written to pypy<major>_<minor>.rs.

Usage (from the repository root):
  python3 tools/gen_opcodes.py            # regenerate every crate/src/bytecode/opcodes/v*.rs
  python3 tools/gen_opcodes.py --check    # exit 1 if a committed file is not current
  python3 tools/gen_opcodes.py --dump-json FILE   # also save the raw dumps
  python3 tools/gen_opcodes.py --out-dir DIR      # write (or --check) elsewhere
  python3 tools/gen_opcodes.py --only pypy3.9 pypy3.7   # only these versions
Takes about half a minute (the pyodide runs dominate).
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
OUT_DIR = os.path.join(REPO, "crate", "src", "bytecode", "opcodes")
FIXGEN = os.path.join(REPO, "tests", "fixtures", "generate")
CACHE = os.path.join(FIXGEN, ".cache")
NODE_MODULES = os.path.join(FIXGEN, "node_modules")
PYENV = os.path.expanduser("~/.pyenv/versions")

VERSIONS = ["2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"]
DEBIAN = {"2.7", "3.9"}
# PyPy interpreters (tables measured from the real interpreter; PyPy's own opcodes included).
PYPY = ["pypy2.7", "pypy3.7", "pypy3.9"]

# Flag bits, in the order of `pub const`s in crate/src/bytecode/opcodes/mod.rs.
FLAGS = [
    ("HAS_ARG", None),  # computed: hasarg (3.12+) or op >= HAVE_ARGUMENT
    ("CONST", "hasconst"),
    ("NAME", "hasname"),
    ("JREL", "hasjrel"),
    ("JABS", "hasjabs"),
    ("JUMP", "hasjump"),
    ("LOCAL", "haslocal"),
    ("FREE", "hasfree"),
    ("COMPARE", "hascompare"),
    ("EXC", "hasexc"),
    ("BACKWARD", "backward"),
]

# ---------------------------------------------------------------------------------------
# Runs inside the interpreter being described. Leaves its JSON in the global RESULT and
# prints it unless _PYCLENS_QUIET is set (pyodide reads the global instead).
DUMP_SCRIPT = r'''
from __future__ import print_function
import dis
import json
import opcode
import sys


def _get(mod, name, default=None):
    return getattr(mod, name, default)


def _list(mod, name):
    v = _get(mod, name)
    return None if v is None else sorted(set(int(x) for x in v if int(x) < 256))


def _dis_name(n):
    # What dis puts in the opname column for opcode number n.
    names = _get(dis, "_all_opname") or opcode.opname
    return names[n] if n < len(names) else "<%r>" % (n,)


def _probe(op, arg, caches):
    # The argrepr this dis computes for `op arg` when it has no co_consts/names/varnames.
    code = bytes(bytearray([op, arg] + [0, 0] * caches))
    try:
        if hasattr(dis, "ArgResolver"):
            it = dis._get_instructions_bytes(code, arg_resolver=dis.ArgResolver())
        else:
            it = dis._get_instructions_bytes(code)
        return next(iter(it)).argrepr
    except Exception as e:
        return {"error": "%s: %s" % (type(e).__name__, e)}


def _backward(f, n):
    try:
        return bool(f(n))
    except Exception:
        return False


def main():
    out = {"version": sys.version, "version_info": list(sys.version_info[:2]),
           "pypy": hasattr(sys, "pypy_version_info")}
    opmap = dict(opcode.opmap)
    out["opmap"] = opmap
    out["HAVE_ARGUMENT"] = opcode.HAVE_ARGUMENT
    out["EXTENDED_ARG"] = opcode.EXTENDED_ARG
    out["MIN_INSTRUMENTED_OPCODE"] = _get(opcode, "MIN_INSTRUMENTED_OPCODE")
    spec = set(_get(opcode, "_specialized_opmap") or ())
    for fam in (_get(opcode, "_specializations") or {}).values():
        spec.update(fam)
    spec.update(_get(opcode, "_specialized_instructions") or ())
    out["specialized"] = sorted(spec)
    out["dis_opname"] = [str(_dis_name(n)) for n in range(256)]
    allmap = _get(dis, "_all_opmap") or opmap
    out["deopt"] = dict((k, allmap[v]) for k, v in (_get(dis, "deoptmap") or {}).items())
    for name in ("hasarg", "hasconst", "hasname", "hasjrel", "hasjabs", "hasjump",
                 "haslocal", "hasfree", "hascompare", "hasexc"):
        out[name] = _list(opcode, name)
    isback = _get(dis, "_is_backward_jump")
    out["backward"] = [n for n in range(256) if isback and _backward(isback, n)]
    out["cmp_op"] = list(opcode.cmp_op)
    nb = _get(opcode, "_nb_ops")
    out["nb_ops"] = None if nb is None else [list(x) for x in nb]
    for name in ("_intrinsic_1_descs", "_intrinsic_2_descs", "_special_method_names"):
        v = _get(opcode, name)
        out[name] = None if v is None else list(v)
    ice = _get(opcode, "_inline_cache_entries")
    caches = None
    if hasattr(ice, "keys"):  # 3.13+: by name (a dict; frozendict in 3.15)
        caches = [int(ice.get(_dis_name(n), 0)) for n in range(256)]
    elif ice is not None:  # 3.11, 3.12: a list indexed by opcode
        caches = [int(ice[n]) if n < len(ice) else 0 for n in range(256)]
    out["caches"] = caches
    cf = _get(opcode, "_cache_format")
    out["cache_format"] = None if cf is None else [
        [k, [[f, int(s)] for f, s in v.items()]] for k, v in cf.items()]
    cc = _get(opcode, "_common_constants")
    out["common_constants"] = None if cc is None else [
        o.__name__ if isinstance(o, type) else repr(o) for o in cc]
    out["common_constant_reprs"] = None if cc is None else [repr(o) for o in cc]
    for name in ("MAKE_FUNCTION_FLAGS", "FUNCTION_ATTR_FLAGS"):
        v = _get(dis, name)
        out[name] = None if v is None else list(v)
    fvc = _get(dis, "FORMAT_VALUE_CONVERTERS")
    out["FORMAT_VALUE_CONVERTERS"] = None if fvc is None else [x[1] for x in fvc]

    # What dis itself prints for the table-driven arguments.
    probes = {}
    if sys.version_info >= (3, 6):
        def probe(name, args):
            op = opmap.get(name)
            if op is not None and op < 256:
                probes[name] = [_probe(op, a, caches[op] if caches else 0) for a in args]

        probe("FORMAT_VALUE", range(4))
        probe("CONVERT_VALUE", range(4))
        probe("MAKE_FUNCTION", [1 << i for i in range(8)])
        probe("SET_FUNCTION_ATTRIBUTE", [1 << i for i in range(8)])
        if nb is not None:
            probe("BINARY_OP", range(len(nb)))
        for name, tab in (("CALL_INTRINSIC_1", "_intrinsic_1_descs"),
                          ("CALL_INTRINSIC_2", "_intrinsic_2_descs"),
                          ("LOAD_SPECIAL", "_special_method_names")):
            if out[tab] is not None:
                probe(name, range(len(out[tab])))
        if cc is not None:
            probe("LOAD_COMMON_CONSTANT", range(len(cc)))
    out["probes"] = probes
    return out


RESULT = json.dumps(main(), sort_keys=True)
if not globals().get("_PYCLENS_QUIET"):
    print(RESULT)
'''

# Node side of the pyodide runs: node RUNNER <pyodide dir> <script> prints the global RESULT.
NODE_RUNNER = r'''
const fs = require('fs');
const path = require('path');
(async () => {
  const dir = path.resolve(process.argv[2]);
  const { loadPyodide } = require(path.join(dir, 'pyodide.js'));
  const log = (s) => process.stderr.write(s + '\n');
  const py = await loadPyodide({ indexURL: dir + '/', stdout: log, stderr: log });
  py.globals.set('_PYCLENS_QUIET', true);
  py.runPython(fs.readFileSync(process.argv[3], 'utf8'));
  process.stdout.write(py.globals.get('RESULT'));
})().catch((e) => { console.error(e); process.exit(1); });
'''


class GenError(Exception):
    pass


# ---------------------------------------------------------------------------------------
# Finding and running the interpreters

def _pyenv(minor):
    cands = []
    for d in glob.glob(os.path.join(PYENV, minor + ".*")):
        m = re.match(r"^(\d+)\.(\d+)\.(\d+)$", os.path.basename(d))
        exe = os.path.join(d, "bin", "python")
        if m and os.path.exists(exe):
            cands.append((int(m.group(3)), d, exe))
    if not cands:
        return None
    _, d, exe = max(cands)
    return {"kind": "native", "exe": exe, "env": {},
            "source": "pyenv %s (%s)" % (os.path.basename(d), _home_rel(d))}


def _debian(minor):
    root = os.path.join(CACHE, "root-" + minor)
    exe = os.path.join(root, "usr", "bin", "python" + minor)
    src = os.path.join(root, "SOURCE")
    if not (os.path.exists(exe) and os.path.exists(src)):
        return None
    with open(src) as f:
        what = f.read().strip()
    return {"kind": "native", "exe": exe, "env": {"PYTHONHOME": os.path.join(root, "usr")},
            "source": "%s (tests/fixtures/generate/.cache/root-%s)" % (what, minor)}


def _pyodide(minor):
    pkg = "pyodide-" + minor.replace(".", "")
    d = os.path.join(NODE_MODULES, pkg)
    pj = os.path.join(d, "package.json")
    if not os.path.exists(pj):
        return None
    with open(pj) as f:
        ver = json.load(f)["version"]
    return {"kind": "pyodide", "dir": d,
            "source": "pyodide %s (npm %s in tests/fixtures/generate/node_modules)" % (ver, pkg)}


def _home_rel(p):
    home = os.path.expanduser("~")
    return "~" + p[len(home):] if p.startswith(home + os.sep) else p


def _pypy(name):
    root = os.path.join(CACHE, "root-" + name)
    exe, src = os.path.join(root, "run"), os.path.join(root, "SOURCE")
    if not (os.path.exists(exe) and os.path.exists(src)):
        return None
    with open(src) as f:
        what = f.read().strip()
    return {"kind": "native", "exe": exe, "env": {},
            "source": "%s (tests/fixtures/generate/.cache/root-%s)" % (what, name)}


def interpreter_for(minor):
    if minor in PYPY:
        found = _pypy(minor)
    elif minor in DEBIAN:
        found = _debian(minor) or _pyenv(minor)
    elif minor.startswith("2.") or int(minor.split(".")[1]) < 10:
        found = _pyenv(minor)
    else:
        found = _pyodide(minor)
    if not found:
        raise GenError("no interpreter for %s (see the docstring of %s)" % (minor, __file__))
    return found


def _clean_env(extra):
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith("PYTHON"))
    env.update({"PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8"})
    env.update(extra)
    return env


def run_dump(interp, tmp):
    script = os.path.join(tmp, "dump.py")
    if interp["kind"] == "native":
        cmd = [interp["exe"], "-s", script]
        env = _clean_env(interp["env"])
    else:
        cmd = ["node", os.path.join(tmp, "runner.js"), interp["dir"], script]
        env = _clean_env({})
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    if p.returncode != 0:
        raise GenError("%s failed (%d):\n%s" % (" ".join(cmd), p.returncode,
                                               p.stderr.decode("utf-8", "replace")[-3000:]))
    return json.loads(p.stdout.decode("utf-8"))


# ---------------------------------------------------------------------------------------
# Turning a dump into one table, with cross-checks

def _check(cond, minor, msg):
    if not cond:
        raise GenError("%s: %s" % (minor, msg))


def _trim(probes, minor, name):
    """Probe results up to the first empty argrepr (the bit/index dis has no name for)."""
    vals = probes[name]
    for v in vals:
        _check(isinstance(v, str), minor, "probing %s failed: %r" % (name, v))
    n = vals.index("") if "" in vals else len(vals)
    _check(all(v == "" for v in vals[n:]), minor, "%s probe has gaps: %r" % (name, vals))
    return vals[:n]


def build_table(minor, d):
    major_minor = "%d.%d" % tuple(d["version_info"])
    _check(major_minor == minor.replace("pypy", ""), minor, "interpreter reports %s" % major_minor)
    _check(("pypy" in minor) == bool(d.get("pypy")), minor, "implementation differs")
    opmap, spec = d["opmap"], set(d["specialized"])
    mi = d["MIN_INSTRUMENTED_OPCODE"]
    # Base opcodes: the only ones a .pyc can contain (pyc-format.md §6.4, §9).
    base = {}
    for name, n in opmap.items():
        if n >= 256 or name in spec or name.startswith("INSTRUMENTED_") or (mi is not None and n >= mi):
            continue
        _check(n not in base, minor, "two base opcodes numbered %d" % n)
        base[n] = name
    names = [base.get(n, "") for n in range(256)]
    ha = d["HAVE_ARGUMENT"]
    _check(names[d["EXTENDED_ARG"]] == "EXTENDED_ARG", minor, "EXTENDED_ARG is not a base op")

    # Flags for every number, exactly as dis tests them (it tests the de-specialised number).
    lists = dict((key, set(d[key] or ())) for _, key in FLAGS if key)
    hasarg = set(d["hasarg"]) if d["hasarg"] is not None else set(range(ha, 256))
    flags = []
    for n in range(256):
        bits = []
        for name, key in FLAGS:
            if (n in hasarg) if key is None else (n in lists[key]):
                bits.append(name)
        flags.append(bits)
    if d["hasarg"] is not None and minor == "3.12":
        _check(all((n in hasarg) == (n >= ha) for n in base), minor, "3.12 hasarg != op >= HAVE_ARGUMENT")

    caches = d["caches"] or [0] * 256
    cache_format = d["cache_format"] or []
    for name, fields in cache_format:
        if name in opmap and opmap[name] in base:
            _check(caches[opmap[name]] == sum(s for _, s in fields), minor,
                   "cache size of %s disagrees with _cache_format" % name)
    for n, c in enumerate(caches):
        if c and n in base:
            _check(any(name == base[n] for name, _ in cache_format), minor,
                   "%s has caches but no _cache_format" % base[n])

    # Names dis prints for numbers that are not base opcodes (specialised, instrumented, ...).
    other = []
    for n, dn in enumerate(d["dis_opname"]):
        if n in base:
            _check(dn == base[n], minor, "dis calls %d %r, opcode calls it %r" % (n, dn, base[n]))
        elif dn != "<%d>" % n:
            deop = d["deopt"].get(dn, n)
            _check(deop in base or deop == n, minor, "%s deoptimises to non-base %d" % (dn, deop))
            other.append((n, dn, deop))

    probes = d["probes"]
    nb_ops = d["nb_ops"] or []
    if nb_ops:
        _check(_trim(probes, minor, "BINARY_OP") == [s for _, s in nb_ops], minor, "BINARY_OP argrepr")
    for op, key in (("CALL_INTRINSIC_1", "_intrinsic_1_descs"), ("CALL_INTRINSIC_2", "_intrinsic_2_descs"),
                    ("LOAD_SPECIAL", "_special_method_names")):
        if d[key] is not None:
            _check(_trim(probes, minor, op) == d[key], minor, "%s argrepr" % op)
    common = []
    if d["common_constants"] is not None:
        common = probes["LOAD_COMMON_CONSTANT"]
        _check(all(isinstance(v, str) for v in common), minor, "LOAD_COMMON_CONSTANT probe failed")
        _check(common == d["common_constants"], minor, "LOAD_COMMON_CONSTANT argrepr")
    func_flags, converters = [], []
    if not minor.endswith("2.7"):
        fop = "SET_FUNCTION_ATTRIBUTE" if "SET_FUNCTION_ATTRIBUTE" in probes else "MAKE_FUNCTION"
        func_flags = _trim(probes, minor, fop)
        named = d["FUNCTION_ATTR_FLAGS"] or d["MAKE_FUNCTION_FLAGS"]
        _check(func_flags == (named or []), minor, "%s argrepr vs dis flags table" % fop)
        cop = "CONVERT_VALUE" if "CONVERT_VALUE" in probes else "FORMAT_VALUE"
        converters = probes[cop]
        _check(all(isinstance(v, str) for v in converters), minor, "%s probe failed" % cop)
        if d["FORMAT_VALUE_CONVERTERS"] is not None:
            _check(converters == d["FORMAT_VALUE_CONVERTERS"], minor, "FORMAT_VALUE argrepr")

    return {
        "minor": minor, "python": " ".join(d["version"].split()),
        "have_argument": ha, "extended_arg": d["EXTENDED_ARG"],
        "names": names, "flags": flags, "caches": caches, "other": other,
        "cmp_op": d["cmp_op"], "nb_ops": nb_ops,
        "intrinsic1": d["_intrinsic_1_descs"] or [], "intrinsic2": d["_intrinsic_2_descs"] or [],
        "cache_format": cache_format, "common": common,
        "common_reprs": d["common_constant_reprs"] or [],
        "special": d["_special_method_names"] or [],
        "func_flags": func_flags, "converters": converters,
        "counts": {"base": len(base), "specialized": len(spec),
                   "max_base": max(base)},
    }


# ---------------------------------------------------------------------------------------
# Rust output

def rs(s):
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= ord(ch) < 0x7F:
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append("\\u{%x}" % ord(ch))
    out.append('"')
    return "".join(out)


def _wrap(items, indent, width=100):
    """Comma-separated items, packed into lines of at most `width` characters."""
    lines, cur = [], indent
    for it in items:
        piece = it + ","
        if cur.strip() and len(cur) + 1 + len(piece) > width:
            lines.append(cur.rstrip())
            cur = indent
        cur += (" " if cur.strip() else "") + piece
    if cur.strip():
        lines.append(cur.rstrip())
    return "\n".join(lines)


def _str_slice(items, indent="        "):
    if not items:
        return "&[]"
    return "&[\n%s\n    ]" % _wrap([rs(x) for x in items], indent)


def render(t, source, header=None, title=None):
    """The Rust file of table `t`. `header` replaces the first comment line (default: the
    interpreter it came from) and `title` the doc line of TABLE (default: "The table for
    X.Y.", with "PyPy " for PyPy tables); tools/gen_opcodes_xdis.py passes both."""
    major, minor = t["minor"].replace("pypy", "").split(".")
    L = []
    L.append(header or "// generated by tools/gen_opcodes.py from Python %s, %s; do not edit" % (t["python"], source))
    L.append("")
    L.append("use super::flags::*;")
    L.append("use super::{caches_of, flags_of, names_of, OpcodeTable};")
    L.append("use crate::pyc::version::PyVersion;")
    L.append("")
    L.append("/// Every opcode number with a base name, a flag or an inline cache:")
    L.append("/// (number, base opcode name or \"\", flags, inline cache entries).")
    L.append("#[rustfmt::skip]")
    L.append("const OPS: &[(u8, &str, u16, u8)] = &[")
    rows, blanks = [], []
    for n in range(256):
        name, fl, c = t["names"][n], t["flags"][n], t["caches"][n]
        if not (name or fl or c):
            continue
        item = "(%d, %s, %s, %d)" % (n, rs(name), " | ".join(fl) or "0", c)
        if name:
            if blanks:
                rows.append(_wrap(blanks, "    "))
                blanks = []
            rows.append("    %s," % item)
        else:
            blanks.append(item)
    if blanks:
        rows.append(_wrap(blanks, "    "))
    L.extend(rows)
    L.append("];")
    L.append("")
    L.append(title or "/// The table for %s%s.%s." % ("PyPy " if "pypy" in t["minor"] else "", major, minor))
    L.append("#[rustfmt::skip]")
    L.append("pub static TABLE: OpcodeTable = OpcodeTable {")
    L.append("    version: PyVersion::new(%s, %s)," % (major, minor))
    L.append("    python: %s," % rs(t["python"]))
    L.append("    source: %s," % rs(source))
    L.append("    have_argument: %d," % t["have_argument"])
    L.append("    extended_arg: %d," % t["extended_arg"])
    L.append("    names: names_of(OPS),")
    L.append("    flags: flags_of(OPS),")
    L.append("    caches: caches_of(OPS),")
    if t["other"]:
        L.append("    other_names: &[\n%s\n    ]," % _wrap(
            ["(%d, %s, %d)" % (n, rs(nm), deop) for n, nm, deop in t["other"]], "        "))
    else:
        L.append("    other_names: &[],")
    L.append("    cmp_op: %s," % _str_slice(t["cmp_op"]))
    if t["nb_ops"]:
        L.append("    nb_ops: &[\n%s\n    ]," % _wrap(
            ["(%s, %s)" % (rs(a), rs(b)) for a, b in t["nb_ops"]], "        "))
    else:
        L.append("    nb_ops: &[],")
    L.append("    intrinsic1: %s," % _str_slice(t["intrinsic1"]))
    L.append("    intrinsic2: %s," % _str_slice(t["intrinsic2"]))
    if t["cache_format"]:
        L.append("    cache_format: &[")
        for name, fields in t["cache_format"]:
            L.append("        (%s, &[%s])," % (rs(name), ", ".join("(%s, %d)" % (rs(f), s) for f, s in fields)))
        L.append("    ],")
    else:
        L.append("    cache_format: &[],")
    L.append("    common_constants: %s," % _str_slice(t["common"]))
    L.append("    common_constant_reprs: %s," % _str_slice(t["common_reprs"]))
    L.append("    special_methods: %s," % _str_slice(t["special"]))
    L.append("    function_flags: %s," % _str_slice(t["func_flags"]))
    L.append("    format_converters: %s," % _str_slice(t["converters"]))
    L.append("};")
    return "\n".join(L) + "\n"


def file_for(out_dir, minor):
    if minor.startswith("pypy"):
        return os.path.join(out_dir, "%s.rs" % minor.replace(".", "_"))
    return os.path.join(out_dir, "v%s.rs" % minor.replace(".", "_"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a committed file is stale")
    ap.add_argument("--dump-json", metavar="FILE", help="also write the raw dumps to FILE")
    ap.add_argument("--out-dir", default=OUT_DIR, help="where the v*.rs files go (default %(default)s)")
    ap.add_argument("--only", nargs="+", metavar="VERSION", help="only these (e.g. 3.12 pypy3.9)")
    args = ap.parse_args()
    versions = VERSIONS + PYPY
    if args.only:
        unknown = [v for v in args.only if v not in versions]
        if unknown:
            raise GenError("unknown versions %s (known: %s)" % (unknown, " ".join(versions)))
        versions = args.only

    outputs, dumps = {}, {}
    with tempfile.TemporaryDirectory(prefix="gen_opcodes_") as tmp:
        with open(os.path.join(tmp, "dump.py"), "w") as f:
            f.write(DUMP_SCRIPT)
        with open(os.path.join(tmp, "runner.js"), "w") as f:
            f.write(NODE_RUNNER)
        for minor in versions:
            interp = interpreter_for(minor)
            d = run_dump(interp, tmp)
            dumps[minor] = dict(d, source=interp["source"])
            t = build_table(minor, d)
            outputs[file_for(args.out_dir, minor)] = render(t, interp["source"])
            c = t["counts"]
            print("%-5s %-9s base %3d  HAVE_ARGUMENT %3d  EXTENDED_ARG %3d  max base %3d  (%s)" % (
                minor, t["python"].split()[0], c["base"], t["have_argument"], t["extended_arg"],
                c["max_base"], interp["source"]), file=sys.stderr)
    if args.dump_json:
        with open(args.dump_json, "w") as f:
            json.dump(dumps, f, indent=1, sort_keys=True)
    return write_outputs(outputs, args.out_dir, args.check, "tools/gen_opcodes.py")


def stale_outputs(outputs):
    """The paths of {path: text} whose file is missing or holds other text, in order: what
    every generator's --check reports and what it rewrites."""
    stale = []
    for path, text in sorted(outputs.items()):
        try:
            with open(path, encoding="utf-8") as f:
                same = f.read() == text
        except OSError:
            same = False
        if not same:
            stale.append(path)
    return stale


def shown(path):
    """A path as a message names it: from the repository root when inside it."""
    return os.path.relpath(path, REPO) if path.startswith(REPO + os.sep) else path


def write_outputs(outputs, out_dir, check, tool):
    """Writes {path: text} (or with `check`, reports stale files and returns 1)."""
    if check:
        stale = stale_outputs(outputs)
        if stale:
            print("stale (rerun %s): %s" % (tool, ", ".join(map(shown, stale))), file=sys.stderr)
            return 1
        print("all %d opcode tables are current" % len(outputs), file=sys.stderr)
        return 0
    os.makedirs(out_dir, exist_ok=True)
    for path, text in sorted(outputs.items()):
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    print("wrote %d files to %s" % (len(outputs), out_dir), file=sys.stderr)
    if os.path.abspath(out_dir) == os.path.abspath(OUT_DIR):
        # The tables name opcodes through one shared list (names.rs); keep it in step.
        subprocess.run([sys.executable, os.path.join(HERE, "gen_opnames.py")], check=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GenError as e:
        print("gen_opcodes: %s" % e, file=sys.stderr)
        sys.exit(2)

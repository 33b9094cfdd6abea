#!/usr/bin/env python3
"""Generate crate/src/values/unicode_printable.rs from real Python interpreters.

Why: `repr(str)` in Python 3 escapes every character for which
`Py_UNICODE_ISPRINTABLE` is false, and that set follows the Unicode database
the interpreter was built with, so it changes with nearly every minor release.
pyclens must print what the interpreter that wrote a .pyc would print, so it
carries one table per distinct printable set, measured here rather than
derived from UnicodeData.txt by hand.

What it does, per interpreter:
  * asks `chr(c).isprintable()` for every code point 0..0x10FFFF and turns the
    answers into inclusive ranges of printable code points;
  * checks that `repr(chr(c))` escapes exactly the non-printable code points
    (`\\xhh`, `\\uhhhh`, `\\Uhhhhhhhh`, plus the fixed ASCII escapes) for every
    code point; any mismatch aborts the run.
Identical tables are emitted once; `table_for()` maps 3.0 .. 3.16 to them.

Interpreters used:
  * every `<pyenv>/3.*/bin/python` (default pyenv root ~/.pyenv/versions);
  * CPython-in-WebAssembly from the npm packages in PYODIDE_PACKAGES, run
    under `node` (Node 18+). Each is expected in
    `<pyodide-root>/<package version>/node_modules/pyodide`; pass
    `--install-pyodide` to have this script `npm install` the missing ones.

Usage (from anywhere; paths default relative to this file's repository):
  python3 tools/gen_unicode_printable.py [--install-pyodide]
      [--pyenv DIR] [--pyodide-root DIR] [--python PATH ...] [--out FILE]
      [--check]
`--check` regenerates in memory and exits 1 if the committed file differs.
Takes about a minute (the pyodide runs dominate).

tools/gen_repr_cases.py imports the interpreter helpers below.
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_OUT = os.path.join(REPO, "crate", "src", "unicode_printable.rs")
DEFAULT_PYENV = os.path.expanduser("~/.pyenv/versions")
DEFAULT_PYODIDE_ROOT = os.path.expanduser("~/.cache/pyclens-pyodide")

# npm package versions of pyodide: 314.x ships CPython 3.14, 315.x ships 3.15.
PYODIDE_PACKAGES = ["314.0.7", "315.0.0-alpha.2"]

# Newest minor that pyclens knows (see crate/src/pyc/version.rs).
LAST_MINOR = 16

# Unicode versions of 3.x releases we cannot run (from their "What's New" notes); only used
# to say in the generated comments how far a borrowed table is off.
UNMEASURED_UNICODE = {0: "5.1", 1: "5.1", 2: "6.0", 3: "6.1", 4: "6.3", 5: "8.0"}

# Runs Python source from stdin inside pyodide and writes the string global
# RESULT to the file named by argv[2]. argv[1] is the package folder.
NODE_RUNNER = r"""
const fs = require('fs');
const path = require('path');
const {loadPyodide} = require(path.join(process.argv[1], 'node_modules', 'pyodide'));
(async () => {
  const py = await loadPyodide();
  py.runPython(fs.readFileSync(0, 'utf8'));
  fs.writeFileSync(process.argv[2], py.globals.get('RESULT'));
})().catch((e) => { console.error(e); process.exit(1); });
"""


class Interpreter:
    """One Python we can run probe code in; `label` is for humans only."""

    def __init__(self, label, kind, path):
        self.label = label
        self.kind = kind  # "cpython" or "pyodide"
        self.path = path

    def run(self, code):
        """Runs `code`, which must assign a str to RESULT; returns RESULT."""
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "result.txt")
            if self.kind == "cpython":
                wrapped = code + "\nimport io\nwith io.open(%r, 'w', encoding='utf-8') as _f:\n    _f.write(RESULT.decode('utf-8') if isinstance(RESULT, bytes) else RESULT)\n" % out
                subprocess.run([self.path, "-c", wrapped], check=True)
            else:
                subprocess.run(["node", "-e", NODE_RUNNER, self.path, out],
                               input=code.encode("utf-8"), check=True)
            with open(out, encoding="utf-8") as f:
                return f.read()

    def run_json(self, code):
        return json.loads(self.run(code))


def find_interpreters(args, want_py2=False):
    """The interpreters to measure, sorted by the version each reports."""
    found = []
    paths = list(args.python or [])
    paths += sorted(glob.glob(os.path.join(args.pyenv, "3.*", "bin", "python")))
    if want_py2:
        paths += sorted(glob.glob(os.path.join(args.pyenv, "2.7*", "bin", "python")))
    for p in paths:
        found.append(Interpreter(p, "cpython", p))
    for pkg in PYODIDE_PACKAGES:
        d = os.path.join(args.pyodide_root, pkg)
        if not os.path.isdir(os.path.join(d, "node_modules", "pyodide")):
            if not args.install_pyodide:
                sys.exit("missing pyodide %s in %s (rerun with --install-pyodide)" % (pkg, d))
            os.makedirs(d, exist_ok=True)
            subprocess.run(["npm", "install", "--no-save", "--prefix", d, "pyodide@" + pkg], check=True)
        found.append(Interpreter("pyodide " + pkg, "pyodide", d))
    info = []
    seen = set()
    for it in found:
        v = it.run_json(
            "import sys, json, unicodedata\n"
            "RESULT = json.dumps([list(sys.version_info[:3]), sys.version.split()[0],"
            " unicodedata.unidata_version, sys.maxunicode])\n")
        if v[3] != 0x10FFFF:
            sys.exit("%s is a narrow build" % it.label)
        key = tuple(v[0][:2])
        if key in seen:
            print("skipping %s: another %d.%d already measured" % (it.label, key[0], key[1]), file=sys.stderr)
            continue
        seen.add(key)
        it.version = key
        it.full_version = v[1]
        it.unidata = v[2]
        info.append(it)
    info.sort(key=lambda i: i.version)
    return info


def add_common_args(ap):
    ap.add_argument("--pyenv", default=DEFAULT_PYENV, help="folder of pyenv versions")
    ap.add_argument("--pyodide-root", default=DEFAULT_PYODIDE_ROOT,
                    help="folder holding one npm prefix per pyodide package version")
    ap.add_argument("--install-pyodide", action="store_true", help="npm install missing pyodide packages")
    ap.add_argument("--python", action="append", help="extra interpreter path (repeatable)")


# Probe: printable ranges plus a check of repr() against them. Python 3 only.
PROBE = r"""
import json
def _expected_repr(c, printable):
    ch = chr(c)
    if ch == "'":
        return '"\'"'
    if ch == '\\':
        return "'\\\\'"
    if ch in '\t\n\r':
        return "'\\" + {'\t': 't', '\n': 'n', '\r': 'r'}[ch] + "'"
    if c < 0x20 or c == 0x7f:
        return "'\\x%02x'" % c
    if c < 0x7f or printable:
        return "'" + ch + "'"
    if c < 0x100:
        return "'\\x%02x'" % c
    if c < 0x10000:
        return "'\\u%04x'" % c
    return "'\\U%08x'" % c

ranges = []
mismatches = []
start = None
for c in range(0x110000):
    ch = chr(c)
    p = ch.isprintable()
    if repr(ch) != _expected_repr(c, p):
        mismatches.append(c)
    if p and start is None:
        start = c
    elif not p and start is not None:
        ranges.append([start, c - 1])
        start = None
if start is not None:
    ranges.append([start, 0x10FFFF])
RESULT = json.dumps({"ranges": ranges, "mismatches": mismatches[:50], "mismatch_count": len(mismatches)})
"""


def measure(interps):
    """Returns {(major, minor): ranges} after checking repr() in each."""
    tables = {}
    for it in interps:
        print("measuring %s (Python %s, Unicode %s)" % (it.label, it.full_version, it.unidata), file=sys.stderr)
        r = it.run_json(PROBE)
        if r["mismatch_count"]:
            sys.exit("%s: repr() disagrees with isprintable() at %d code points, e.g. %s"
                     % (it.label, r["mismatch_count"], [hex(c) for c in r["mismatches"]]))
        tables[it.version] = [tuple(x) for x in r["ranges"]]
    return tables


def distinct_tables(interps, tables):
    """Groups interpreters with identical tables: list of (name, ranges, [interps])."""
    groups = []
    for it in interps:
        t = tables[it.version]
        for g in groups:
            if g[1] == t:
                g[2].append(it)
                break
        else:
            first = it
            name = "PRINTABLE_%d_%d" % first.version
            groups.append((name, t, [it]))
    return groups


def render(interps, tables):
    groups = distinct_tables(interps, tables)
    by_version = {}
    for name, _, members in groups:
        for it in members:
            by_version[it.version] = name
    sources = ", ".join("Python %s (%s, Unicode %s)" % (it.full_version, "pyodide" if it.kind == "pyodide" else "CPython", it.unidata)
                        for it in interps)
    out = []
    w = out.append
    w("// generated by tools/gen_unicode_printable.py from %s; do not edit" % sources)
    w("")
    w("//! Which code points `str.isprintable()` accepts, per Python 3 minor version.")
    w("//!")
    w("//! `repr(str)` escapes exactly the characters for which `Py_UNICODE_ISPRINTABLE` is false")
    w("//! (the generator checked this for every code point in every interpreter listed above), and")
    w("//! that set moves with each Unicode update, so reprs can only match the writing interpreter")
    w("//! if its own table is used. Each table lists inclusive ranges of PRINTABLE code points,")
    w("//! sorted and disjoint; everything outside them is escaped. (The complement would need the")
    w("//! same number of ranges give or take one, so only this orientation is generated.)")
    w("")
    w("use crate::pyc::version::PyVersion;")
    w("use std::sync::OnceLock;")
    w("")
    for name, ranges, members in groups:
        w("/// Printable ranges measured in %s; shared so identical versions cost nothing extra." %
          ", ".join("%s (Unicode %s)" % (it.full_version, it.unidata) for it in members))
        for line in table_static(name, ranges):
            w(line)
        w("")
    measured = sorted(by_version)
    oldest, newest = measured[0], measured[-1]
    w("/// Picks the table of the interpreter that wrote a file: reprs of the same string differ")
    w("/// between versions wherever a character was assigned in between. Versions without a")
    w("/// measured interpreter borrow the nearest measured one's table (noted per arm); 2.x never")
    w("/// consults a table (it escapes all non-ASCII) and gets the oldest; unknown future minors")
    w("/// get the newest.")
    w("pub fn table_for(version: PyVersion) -> &'static [(u32, u32)] {")
    w("    match (version.major, version.minor) {")
    for minor in range(0, LAST_MINOR + 1):
        v = (3, minor)
        if v in by_version:
            w("        (3, %d) => %s.ranges()," % (minor, by_version[v]))
        else:
            near = min(measured, key=lambda m: (abs(m[1] - minor), -m[1]))
            w("        // No 3.%d interpreter was available: borrowing %d.%d's table." % (minor, near[0], near[1]))
            if minor in UNMEASURED_UNICODE:
                w("        // 3.%d used Unicode %s, so characters assigned after that print literally here" % (minor, UNMEASURED_UNICODE[minor]))
                w("        // where 3.%d itself would have escaped them." % minor)
            w("        (3, %d) => %s.ranges()," % (minor, by_version[near]))
    w("        (0..=2, _) => %s.ranges()," % by_version[oldest])
    w("        _ => %s.ranges()," % by_version[newest])
    w("    }")
    w("}")
    w("")
    w(TABLE_RUST)
    return "\n".join(out) + "\n", groups


# The storage format and its decoder, emitted after the tables. Each range is two varints
# (7 bits a byte, low group first, high bit = more): the gap from the end of the previous
# range, then the range's length minus one. A quarter of the size of (u32, u32) pairs.
TABLE_RUST = """/// One printable table, stored compactly and decoded into ranges on first use (PyPy's
/// measured tables in `unicode_printable_pypy.rs` are stored the same way).
pub(crate) struct Table {
    bytes: &'static [u8],
    ranges: OnceLock<Vec<(u32, u32)>>,
}

impl Table {
    /// A table over the varint bytes that tools/gen_unicode_printable.py `encode()` writes.
    pub(crate) const fn new(bytes: &'static [u8]) -> Self {
        Table { bytes, ranges: OnceLock::new() }
    }

    /// Inclusive printable ranges, sorted and disjoint.
    pub(crate) fn ranges(&'static self) -> &'static [(u32, u32)] {
        self.ranges.get_or_init(|| {
            let mut out = Vec::new();
            let mut bytes = self.bytes.iter();
            let mut next = || {
                let mut value = 0u32;
                for shift in (0..32).step_by(7) {
                    let b = *bytes.next()?;
                    value |= u32::from(b & 0x7f) << shift;
                    if b & 0x80 == 0 {
                        return Some(value);
                    }
                }
                None
            };
            let mut end: Option<u32> = None;
            while let (Some(gap), Some(len)) = (next(), next()) {
                let start = end.map_or(gap, |e| e + 1 + gap);
                out.push((start, start + len));
                end = Some(start + len);
            }
            out
        })
    }
}"""


def table_static(name, ranges, table="Table"):
    """The lines of `static NAME: Table = Table::new(b"...")` holding `ranges` encoded."""
    lines = ["#[rustfmt::skip]", "static %s: %s = %s::new(b\"\\" % (name, table, table)]
    line = ""
    for byte in encode(ranges):
        line += "\\x%02x" % byte
        if len(line) >= 96:
            lines.append(line + "\\")
            line = ""
    lines.append(line + "\");")
    return lines


def encode(ranges):
    """Varint pairs (gap from the previous range's end, length - 1), as TABLE_RUST reads them."""
    out = bytearray()
    prev_end = None

    def varint(v):
        while True:
            b = v & 0x7F
            v >>= 7
            out.append(b | (0x80 if v else 0))
            if not v:
                return

    for a, b in ranges:
        varint(a if prev_end is None else a - prev_end - 1)
        varint(b - a)
        prev_end = b
    return bytes(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_args(ap)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="exit 1 if --out differs from what would be generated")
    args = ap.parse_args()
    interps = find_interpreters(args)
    tables = measure(interps)
    text, groups = render(interps, tables)
    for name, ranges, members in groups:
        print("%s: %d ranges, %d printable code points, from %s" % (
            name, len(ranges), sum(b - a + 1 for a, b in ranges),
            ", ".join(it.label for it in members)), file=sys.stderr)
    if args.check:
        with open(args.out, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit("%s is out of date" % args.out)
        print("%s is up to date" % args.out, file=sys.stderr)
        return
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote %s" % args.out, file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Time pyclens and xdis reading the same pyc corpus: every file decoded and disassembled.

Why: for CPython 1.0-2.6, 3.0-3.5 and PyPy, CPython's own marshal and dis cannot read the
files at all; xdis is what people use instead, so it is the comparison that matters for
those eras. Both produce the dis text of every file (xdis: disassemble_file into a string
buffer, its "classic" format; pyclens: crate/examples/time_corpus.rs, in-process), in the
same run, on the uncompyle6 corpus that tests/rust/corpus.rs checks.

Usage (from the repository root):
  node scripts/fetch-corpus.mjs
  python3 -m venv /tmp/xdis && /tmp/xdis/bin/pip install xdis==6.3.0
  python3 tools/bench_corpus.py --xdis-python /tmp/xdis/bin/python [--repeat 3]
"""

import argparse
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(REPO, "target", "corpus", "uncompyle6-3.9.3", "test")

XDIS_TIMER = r'''
import io, json, os, sys, time
from xdis.disasm import disassemble_file
root, repeat = sys.argv[1], int(sys.argv[2])
paths = sorted(os.path.join(d, n) for d, _, ns in os.walk(root) for n in ns if n.endswith((".pyc", ".pyo")))
times = []
for _ in range(repeat):
    listed = refused = 0
    started = time.perf_counter()
    for p in paths:
        out = io.StringIO()
        try:
            disassemble_file(p, outstream=out)
            listed += 1
        except BaseException:
            refused += 1
    times.append((time.perf_counter() - started) * 1e3)
    sys.stderr.flush()
times.sort()
print(json.dumps({"files": len(paths), "listed": listed, "refused": refused, "median_ms": round(times[len(times) // 2], 1)}))
'''


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--xdis-python", required=True, help="a Python with xdis installed")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--quiet", "--release", "--example", "time_corpus"], cwd=REPO, check=True)
    ours = json.loads(subprocess.run(
        [os.path.join(REPO, "target", "release", "examples", "time_corpus"), CORPUS, str(args.repeat)],
        check=True, stdout=subprocess.PIPE).stdout)
    version = subprocess.run([args.xdis_python, "-c", "import xdis; print(xdis.__version__)"],
                             check=True, stdout=subprocess.PIPE, text=True).stdout.strip()
    theirs = json.loads(subprocess.run([args.xdis_python, "-c", XDIS_TIMER, CORPUS, str(args.repeat)], check=True,
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout)
    print("| tool | files | listed | refused | median ms | files/s |")
    print("|---|---|---|---|---|---|")
    for name, r in (("xdis %s (disassemble_file)" % version, theirs), ("pyclens (decode + dis text)", ours)):
        print("| %s | %d | %d | %d | %.1f | %.0f |" % (
            name, r["files"], r["listed"], r["refused"], r["median_ms"], r["files"] / r["median_ms"] * 1e3))
    print("\npyclens is %.1fx faster on %.1f MB of pycs" % (theirs["median_ms"] / ours["median_ms"], ours["bytes"] / 1e6))


if __name__ == "__main__":
    sys.exit(main())

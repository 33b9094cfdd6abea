"""Times `pyclens dis` and `pyclens json` beside CPython 3.12's own dis.dis, in one run.

usage: python3 tools/bench_dis.py [PYTHON_3_12] [RUNS]   (from the repository root)

Issue 3 asks pyclens's disassembly to be at least 15x faster than CPython's `dis` on the
multi-megabyte benchmark pyc (tests/fixtures/bench/3.12/stdlib_concat.pyc.gz, made by
tools/make_bench_pyc.py). This script:
  * unzips it into target/bench/ and builds the release `pyclens`;
  * times CPython: `marshal.loads` + `dis.dis(code, file=StringIO())`, in-process, with the
    file already in memory (interpreter start-up not counted), median of RUNS (default 3);
  * times pyclens as whole processes, `pyclens dis FILE` and `pyclens json FILE` with stdout
    to /dev/null (start-up, reading and decoding the file included), median of 5;
  * checks that both listings are the same text apart from code-object addresses and the
    iteration order of frozenset constants (which follows the loading process's string
    hashes), and says how many lines differ only by that.
It prints one Markdown table row for BENCHMARKS.md.
"""
import glob
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "tests", "fixtures", "bench", "3.12", "stdlib_concat.pyc.gz")
WORK = os.path.join(ROOT, "target", "bench")
PYCLENS = os.path.join(ROOT, "target", "release", "pyclens")

CPYTHON_DIS = r"""
import dis, io, marshal, sys, time
data = open(sys.argv[1], "rb").read()[16:]
times = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    buf = io.StringIO()
    dis.dis(marshal.loads(data), file=buf)
    times.append(time.perf_counter() - t)
open(sys.argv[3], "w", encoding="utf-8").write(buf.getvalue())
times.sort()
print(times[len(times) // 2])
"""

ADDR = re.compile(r"(<code object .*? at )0x[0-9a-fA-F]+(, file )")
FROZENSET = re.compile(r"frozenset\(\{.*\}\)")


def find_python():
    if len(sys.argv) > 1:
        return sys.argv[1]
    found = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.12.*/bin/python")))
    return found[-1] if found else shutil.which("python3.12")


def time_process(args, runs=5):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def same_but_frozenset_order(a, b):
    """True when two lines differ only in the order of items inside a frozenset({...})."""
    ma, mb = FROZENSET.search(a), FROZENSET.search(b)
    if not (ma and mb) or a[:ma.start()] != b[:mb.start()] or a[ma.end():] != b[mb.end():]:
        return False
    return sorted(ma.group()[11:-2].split(", ")) == sorted(mb.group()[11:-2].split(", "))


def main():
    python = find_python()
    if not python:
        sys.exit("bench_dis.py: no Python 3.12 found; pass its path")
    runs = sys.argv[2] if len(sys.argv) > 2 else "3"
    version = subprocess.check_output([python, "-c", "import sys; print(sys.version.split()[0])"], text=True).strip()
    subprocess.check_call(["cargo", "build", "--release", "--quiet", "--bin", "pyclens"], cwd=ROOT)
    os.makedirs(WORK, exist_ok=True)
    pyc = os.path.join(WORK, "stdlib_concat.pyc")
    with gzip.open(SOURCE, "rb") as f, open(pyc, "wb") as out:
        out.write(f.read())

    with tempfile.TemporaryDirectory() as tmp:
        cpython_text = os.path.join(tmp, "cpython.txt")
        cpython = float(subprocess.check_output([python, "-c", CPYTHON_DIS, pyc, runs, cpython_text], text=True))
        ours_dis = time_process([PYCLENS, "dis", pyc])
        ours_json = time_process([PYCLENS, "json", pyc])
        theirs = ADDR.sub(r"\g<1>0xADDR\g<2>", open(cpython_text, encoding="utf-8").read()).split("\n")
        ours = subprocess.run([PYCLENS, "dis", pyc], stdout=subprocess.PIPE, check=True).stdout.decode("utf-8")
        ours = ADDR.sub(r"\g<1>0xADDR\g<2>", ours).split("\n")
        json_size = len(subprocess.run([PYCLENS, "json", pyc], stdout=subprocess.PIPE, check=True).stdout)

    if len(ours) != len(theirs):
        sys.exit("bench_dis.py: the listings differ in length: pyclens %d lines, CPython %d" % (len(ours), len(theirs)))
    differing = [(a, b) for a, b in zip(ours, theirs) if a != b]
    unexplained = [(a, b) for a, b in differing if not same_but_frozenset_order(a, b)]
    if unexplained:
        sys.exit("bench_dis.py: the listings differ:\n  pyclens: %s\n  CPython: %s" % unexplained[0])

    mb = os.path.getsize(pyc) / 1e6
    print("CPython %s, %d listing lines, %d differ only in frozenset order" % (version, len(theirs), len(differing)))
    print("| file | size | CPython marshal.loads + dis.dis | `pyclens dis` | speed-up | `pyclens json` | speed-up | JSON size |")
    print("|---|---|---|---|---|---|---|---|")
    print("| stdlib_concat.pyc | %.2f MB | %.0f ms | %.0f ms | %.1fx | %.0f ms | %.1fx | %.0f MB |" % (
        mb, cpython * 1e3, ours_dis * 1e3, cpython / ours_dis, ours_json * 1e3, cpython / ours_json, json_size / 1e6))


if __name__ == "__main__":
    main()

"""Times pyclens beside CPython's own marshal.loads on the same files, in one run.

usage: python3 tools/bench.py [PYTHON_3_12]   (from the repository root)

PYTHON_3_12 defaults to ~/.pyenv/versions/3.12.*/bin/python or python3.12 on PATH: the
benchmark pycs (tests/fixtures/bench/3.12, made by tools/make_bench_pyc.py) are 3.12 files,
and marshal.loads only reads its own version's code objects.

For each file it prints, as a Markdown table row:
  * CPython marshal.loads, median ms (in-process, file already in memory)
  * pyclens decode to the in-memory model, median ms (in-process, crate/examples/time_decode)
  * pyclens decode + the whole JSON document as a string, median ms
  * peak heap of decoding, and of decoding + streaming the document (as `pyclens json`
    does), over the file size (counted by time_decode's allocator, file bytes excluded)
  * peak resident memory of the whole `pyclens json FILE > /dev/null` process
"""
import glob
import gzip
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "tests", "fixtures", "bench", "3.12")
WORK = os.path.join(ROOT, "target", "bench")

MARSHAL_TIMER = r"""
import marshal, sys, time
data = open(sys.argv[1], "rb").read()[16:]
times = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter(); marshal.loads(data); times.append(time.perf_counter() - t)
times.sort()
print(times[len(times) // 2] * 1e3)
"""

PEAK_RSS = r"""
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
"""


def find_python():
    if len(sys.argv) > 1:
        return sys.argv[1]
    found = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.12.*/bin/python")))
    return found[-1] if found else shutil.which("python3.12")


def main():
    python = find_python()
    if not python:
        sys.exit("bench.py: no Python 3.12 found; pass its path")
    version = subprocess.check_output([python, "-c", "import sys; print(sys.version.split()[0])"], text=True).strip()
    subprocess.check_call(["cargo", "build", "--release", "--quiet", "--bin", "pyclens", "--example", "time_decode"], cwd=ROOT)
    os.makedirs(WORK, exist_ok=True)
    files = []
    for name in sorted(os.listdir(BENCH)):
        path = os.path.join(BENCH, name)
        if name.endswith(".gz"):
            out = os.path.join(WORK, name[:-3])
            with gzip.open(path) as src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst)
            path = out
        files.append(path)
    binary = os.path.join(ROOT, "target", "release", "pyclens")
    timer = os.path.join(ROOT, "target", "release", "examples", "time_decode")
    print("CPython %s marshal.loads vs pyclens %s (medians)\n" % (version, "release build"))
    print("| file | size | marshal.loads | pyclens model | ratio | pyclens JSON | ratio | JSON size "
          "| heap: model | heap: json | RSS of `pyclens json` |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for path in files:
        size = os.path.getsize(path)
        repeat = "30" if size < 1_000_000 else "10"
        marshal_ms = float(subprocess.check_output([python, "-c", MARSHAL_TIMER, path, repeat], text=True))
        ours = json.loads(subprocess.check_output([timer, path, repeat], text=True))
        rss = int(subprocess.check_output([sys.executable, "-c", PEAK_RSS, binary, "json", path], text=True))
        print("| %s | %.2f MB | %.2f ms | %.2f ms | %.2fx | %.2f ms | %.2fx | %.1f MB | %.1fx | %.1fx | %.1f MB |" % (
            os.path.basename(path), size / 1e6, marshal_ms, ours["decode_ms"], ours["decode_ms"] / marshal_ms,
            ours["decode_and_json_ms"], ours["decode_and_json_ms"] / marshal_ms, ours["json_bytes"] / 1e6,
            ours["model_peak_bytes"] / size, ours["streamed_json_peak_bytes"] / size, rss / 1e6))


if __name__ == "__main__":
    main()

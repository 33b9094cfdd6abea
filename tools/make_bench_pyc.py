"""Builds the benchmark inputs with a real interpreter (run it with the Python whose pycs
you want, e.g. ~/.pyenv/versions/3.12.1/bin/python tools/make_bench_pyc.py [OUT_DIR]):

  tests/fixtures/bench/<ver>/_pydecimal.pyc     one big standard-library module
  tests/fixtures/bench/<ver>/stdlib_concat.pyc.gz
      many standard-library modules' sources concatenated into one module and compiled,
      a multi-megabyte pyc (gzipped for the repository; tools/bench.py unpacks it)

Modules with `from __future__` imports are skipped (those must open a file), so the
concatenation stays valid source. OUT_DIR (default tests/fixtures/bench/<ver>) lets
tools/bench_dis.py build another version's files under target/bench/ without committing them. Module order is alphabetical; the size target decides
where it stops, so reruns with the same interpreter give the same file.
"""
import gzip
import importlib._bootstrap_external as be
import marshal
import os
import sys
import sysconfig

TARGET_BYTES = 4_000_000
MTIME = 1700000000

def pyc_bytes(code, source_size):
    return bytes(be._code_to_timestamp_pyc(code, MTIME, source_size))

def main():
    version = "%d.%d" % sys.version_info[:2]
    default = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "bench", version)
    root = sys.argv[1] if len(sys.argv) > 1 else default
    os.makedirs(root, exist_ok=True)
    stdlib = sysconfig.get_paths()["stdlib"]

    path = os.path.join(stdlib, "_pydecimal.py")
    source = open(path, "rb").read()
    code = compile(source, "_pydecimal.py", "exec")
    with open(os.path.join(root, "_pydecimal.pyc"), "wb") as f:
        f.write(pyc_bytes(code, len(source)))

    parts, size = [], 0
    for name in sorted(os.listdir(stdlib)):
        if not name.endswith(".py") or name.startswith("_pydecimal"):
            continue
        try:
            text = open(os.path.join(stdlib, name), encoding="utf-8").read()
            compile(text, name, "exec")
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        if "from __future__" in text:
            continue
        parts.append(text)
        data = pyc_bytes(compile("\n".join(parts), "stdlib_concat.py", "exec"), 0) if len(parts) % 20 == 0 else None
        if data is not None and len(data) >= TARGET_BYTES:
            break
    source = "\n".join(parts).encode("utf-8")
    data = pyc_bytes(compile(source, "stdlib_concat.py", "exec"), len(source))
    marshal.loads(data[16:])
    with open(os.path.join(root, "stdlib_concat.pyc.gz"), "wb") as f:
        f.write(gzip.compress(data, compresslevel=9, mtime=0))
    print("%s: _pydecimal.pyc and stdlib_concat.pyc (%d modules, %d bytes)" % (root, len(parts), len(data)))

if __name__ == "__main__":
    main()

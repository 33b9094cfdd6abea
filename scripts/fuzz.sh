#!/usr/bin/env bash
# Fuzzes pyclens::decode with libFuzzer, seeded with every committed fixture pyc and, when
# fetched (node scripts/fetch-corpus.mjs), every pyc of the uncompyle6 corpus (1.0 … 3.12, PyPy).
# usage: scripts/fuzz.sh [SECONDS] [TARGET]   (default 600, decode). Needs `cargo install cargo-fuzz`.
# TARGET containers fuzzes zips, PyInstaller archives and headerless marshal data, seeded with
# the committed PyZipFile zips and the fixture pycs.
# cargo-fuzz wants nightly-only sanitizer flags; RUSTC_BOOTSTRAP lets stable accept them.
set -euo pipefail
cd "$(dirname "$0")/../crate"
seconds=${1:-600}
target=${2:-decode}
corpus=fuzz/corpus/$target
mkdir -p "$corpus"
if [ "$target" = containers ]; then
  cp -n ../tests/fixtures/containers/*.zip "$corpus"/
fi
find ../tests/fixtures -name '*.pyc' -exec cp -n {} "$corpus"/ \;
if [ -d ../target/corpus ]; then
  find ../target/corpus -name '*.py[co]' | while read -r f; do cp -n "$f" "$corpus/$(echo "$f" | tr / _)"; done
fi
RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "$corpus" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 2>&1 | tail -n 25

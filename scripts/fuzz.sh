#!/usr/bin/env bash
# Fuzzes pyclens::decode with libFuzzer, seeded with every committed fixture pyc.
# usage: scripts/fuzz.sh [SECONDS]   (default 600). Needs `cargo install cargo-fuzz`.
# cargo-fuzz wants nightly-only sanitizer flags; RUSTC_BOOTSTRAP lets stable accept them.
set -euo pipefail
cd "$(dirname "$0")/../crate"
seconds=${1:-600}
corpus=fuzz/corpus/decode
mkdir -p "$corpus"
find ../tests/fixtures -name '*.pyc' -exec cp -n {} "$corpus"/ \;
RUSTC_BOOTSTRAP=1 cargo fuzz run decode "$corpus" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 2>&1 | tail -n 25

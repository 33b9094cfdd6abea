#!/usr/bin/env bash
# Runs every test of the project. Needs only Rust (cargo) and Node on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null; then
  echo "pyclens: cargo is missing; install Rust from https://rustup.rs" >&2
  exit 1
fi

# Formatting and lints first: they are fast and name the problem precisely.
if cargo fmt --version >/dev/null 2>&1; then
  cargo fmt --all --check
fi
if cargo clippy --version >/dev/null 2>&1; then
  cargo clippy --workspace --all-targets --quiet -- -D warnings
fi

# The uncompyle6 pyc corpus (GPL, so fetched from PyPI with a pinned hash, not committed)
# for tests/rust/corpus.rs.
node scripts/fetch-corpus.mjs

# --nocapture shows the per-version comparison counts the fixture tests print.
cargo test --workspace -- --nocapture

# Browser tests: build the page (installing the wasm toolchain and npm dev dependencies
# when missing), then drive Debian's Chromium headless with playwright-core.
bash scripts/build-web.sh
if cargo clippy --version >/dev/null 2>&1; then
  cargo clippy --lib --target wasm32-unknown-unknown --quiet -- -D warnings
  cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --quiet -- -D warnings
fi
chromium_bin=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium_bin" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "pyclens: installing Debian's chromium for the browser tests" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null; }
  else
    echo "pyclens: the browser tests need Chromium at $chromium_bin: install Debian's 'chromium' package (or set CHROMIUM=/path/to/chromium)" >&2
    exit 1
  fi
fi
node --test --test-reporter=spec tests/browser/

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

# --nocapture shows the per-version comparison counts the fixture tests print.
cargo test --workspace -- --nocapture

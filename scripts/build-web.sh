#!/usr/bin/env bash
# Builds the static site into web/pkg (wasm + its JS glue) and web/samples, installing what
# is missing: the wasm32 target, the wasm-bindgen CLI pinned to the crate's wasm-bindgen
# version, and the npm dev dependencies (binaryen's wasm-opt).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  echo "pyclens: adding the wasm32-unknown-unknown target" >&2
  rustup target add wasm32-unknown-unknown
fi

# The CLI must be exactly the crate's wasm-bindgen version (crate/Cargo.toml pins it).
want=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' crate/Cargo.toml)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "pyclens: installing wasm-bindgen-cli $want (a few minutes, once)" >&2
  cargo install wasm-bindgen-cli --version "$want"
fi

if [ ! -x node_modules/.bin/wasm-opt ]; then
  npm install --no-audit --no-fund
fi

cargo build --lib --profile wasm --target wasm32-unknown-unknown
raw=target/wasm32-unknown-unknown/wasm/pyclens.wasm
rm -rf web/pkg
wasm-bindgen --target web --no-typescript --out-dir web/pkg "$raw"
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  web/pkg/pyclens_bg.wasm -o web/pkg/pyclens_bg.wasm

node scripts/samples.mjs
echo "pyclens: web/pkg/pyclens_bg.wasm is $(wc -c < web/pkg/pyclens_bg.wasm) bytes" >&2
node scripts/single-file.mjs

#!/usr/bin/env bash
# Builds the static site into web/pkg (wasm + its JS glue), web/samples, web/vendor (the
# bundled editor and graph layout) and web/pyodide (the interpreters), installing what is
# missing: the wasm32 target, the wasm-bindgen CLI pinned to the crate's wasm-bindgen
# version, and the npm dependencies (binaryen's wasm-opt, esbuild, CodeMirror, dagre,
# pyodide).
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

# npm dependencies: wasm-opt, esbuild, CodeMirror, the pyodide builds (package.json).
if ! npm ls --depth=0 >/dev/null 2>&1; then
  npm install --no-audit --no-fund
fi

# Two modules from one crate: web/pkg decodes dropped pycs (the analysis left out, to stay
# under 300 KB); web/pkg-analysis adds stack depth, blocks and edges, and is fetched only when
# a stack or graph view opens. Each is copied out before the next build overwrites it.
raw=target/wasm32-unknown-unknown/wasm/pyclens.wasm
wasm_module() { # out-dir, cargo feature flags...
  local out=$1; shift
  cargo build --lib --profile wasm --target wasm32-unknown-unknown "$@"
  rm -rf "$out"
  wasm-bindgen --target web --no-typescript --out-dir "$out" "$raw"
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$out/pyclens_bg.wasm" -o "$out/pyclens_bg.wasm"
}
wasm_module web/pkg --no-default-features
wasm_module web/pkg-analysis

node scripts/samples.mjs
# The write view: the editor bundled from npm, and the interpreters copied beside the page.
node_modules/.bin/esbuild web/editor/editor.js --bundle --format=esm --minify \
  --log-level=warning --outfile=web/vendor/editor.js
# The control-flow graph's layout library (dagre), run by web/cfg/layout-worker.js.
node_modules/.bin/esbuild web/cfg/layout-dagre.js --bundle --format=esm --minify \
  --log-level=warning --outfile=web/vendor/cfg-layout.js
node scripts/pyodide.mjs
echo "pyclens: web/pkg/pyclens_bg.wasm is $(wc -c < web/pkg/pyclens_bg.wasm) bytes, web/pkg-analysis/pyclens_bg.wasm $(wc -c < web/pkg-analysis/pyclens_bg.wasm)" >&2
node scripts/single-file.mjs

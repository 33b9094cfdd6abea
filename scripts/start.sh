#!/usr/bin/env bash
# `npm start`: builds the page (installing what is missing) and serves it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-web.sh
exec node scripts/serve.mjs

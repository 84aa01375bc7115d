#!/usr/bin/env bash
# Release build of the web app into dist/, offline. PUBLIC_URL is the path the site is served
# under (GitHub Pages project sites: /<repository name>/). Usage: scripts/build.sh [/spoor/]
set -euo pipefail
cd "$(dirname "$0")/.."
PUBLIC_URL="${1:-/spoor/}"
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"   # wasm-opt from npm binaryen
trunk build --release --offline --public-url "$PUBLIC_URL"

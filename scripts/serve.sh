#!/usr/bin/env bash
# README command 1: installs what is missing, builds the app and serves it with the built-in demo
# run at http://127.0.0.1:8080/ (rebuilds on change). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
echo "Spoor: http://127.0.0.1:8080/"
exec trunk serve --offline --address 127.0.0.1 --port 8080 --public-url / --no-autoreload

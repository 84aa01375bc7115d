#!/usr/bin/env bash
# The browser benchmark, one command: Spoor's release build against speedscope on generated agent
# runs of 10k, 100k and 1M spans in headless Debian Chromium; prints one table and writes it to
# bench-results/browser.txt. See docs/BENCHMARKS.md.
# Usage: scripts/bench-browser.sh [--no-build] [options of bench/browser/run.mjs, e.g.
#        --sizes 10000,100000 --runs 5 --runs-large 2 --timeout 120 --timeout-large 600]
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
args=()
for a in "$@"; do
  if [ "$a" = "--no-build" ]; then build=0; else args+=("$a"); fi
done
scripts/setup.sh
if [ "$build" = 1 ]; then
  scripts/build.sh /spoor/
fi
exec node bench/browser/run.mjs "${args[@]+"${args[@]}"}"

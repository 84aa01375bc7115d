#!/usr/bin/env bash
# Installs everything Spoor needs beyond cargo/rustup, node/npm and python3, idempotently and
# pinned: each step is skipped when the right version is already there. Safe to run repeatedly.
# First run on a fresh machine takes about 15 minutes (trunk and wasm-bindgen-cli compile).
# `--build-only` skips the browser used by the tests (the GitHub Pages workflow only builds).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_ONLY=0
[ "${1:-}" = "--build-only" ] && BUILD_ONLY=1

TRUNK_VERSION=0.21.14
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# wasm32 target for the web build.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# trunk: the web bundler (0.22 needs a newer rustc than this machine's).
if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (compiles; takes several minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly; read it from there.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if [ -z "$WB_VERSION" ]; then
  echo "could not read the wasm-bindgen version from Cargo.lock" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  say "installing wasm-bindgen-cli $WB_VERSION (compiles; takes several minutes)"
  # Not --locked: one of its locked dependencies is no longer on the registry.
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

# Debian's Chromium and its driver for the end-to-end tests; never a downloaded browser.
if [ "$BUILD_ONLY" = 0 ] && { ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; }; then
  say "installing Debian chromium and chromium-driver"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# playwright-core, binaryen (wasm-opt for release builds), terser (release JavaScript) and speedscope,
# from the lock file.
if ! npm ls --silent >/dev/null 2>&1; then
  say "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund
fi

say "toolchain ready: $(trunk --version), wasm-bindgen $WB_VERSION, $(node_modules/.bin/wasm-opt --version)$([ "$BUILD_ONLY" = 1 ] || echo ", $(chromium --version 2>/dev/null | head -1)")"

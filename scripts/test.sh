#!/usr/bin/env bash
# README command 2: every test. Formatting, clippy (native and wasm32, warnings denied), native
# unit/integration/fixture tests, a release build served under /spoor/ exactly as GitHub Pages
# serves a project site, and end-to-end tests in headless Debian Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# --workspace/--all: the web app is its own crate (web/), see Cargo.toml.
step "cargo fmt --check"
cargo fmt --all --check
step "clippy (native)"
cargo clippy --workspace --all-targets --quiet -- -D warnings
step "clippy (wasm32)"
cargo clippy --target wasm32-unknown-unknown --workspace --lib --bins --quiet -- -D warnings
# The page's module alone: built so, `spoor` has no `formats` feature (OTLP only), a build the
# workspace-wide check above never makes (features unify across the workspace).
cargo clippy --target wasm32-unknown-unknown -p spoor-web --quiet -- -D warnings
step "cargo test"
cargo test --workspace --quiet
step "release build (public URL /spoor/)"
scripts/build.sh /spoor/
step "the page's download (no code it replaced with smaller code of its own)"
node scripts/check-bundle.mjs
step "end-to-end tests (Chromium)"
node --test --test-concurrency=1 tests/e2e/

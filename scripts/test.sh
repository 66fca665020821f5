#!/usr/bin/env bash
# Runs every test: formatting and lints, unit and property tests, integration tests on
# SQLite and on the local PostgreSQL (started here), and the Playwright end-to-end suite
# against a release build in Debian's Chromium. Installs what it needs first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$(date +%s)
step() { echo; echo "==> $* ($(( $(date +%s) - started ))s)"; }

step "build tools"
bash scripts/ensure-tools.sh
export PATH="$HOME/.cargo/bin:$root/.tools/node_modules/.bin:$PATH"
# One-shot runs gain nothing from incremental artefacts; they only fill the disk.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# Leptos reads the bundle's name when it is compiled (without it, pages ask for
# `<name>_bg.wasm`, which cargo-leptos does not write): the server the integration tests build
# is the one the end-to-end suite runs, so it is compiled as cargo-leptos would.
export LEPTOS_OUTPUT_NAME=beheermodule

step "system packages and browser suite (Chromium, Playwright, PostgreSQL)"
command -v pg_ctlcluster >/dev/null || {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
}
bash scripts/ensure-browser.sh

step "PostgreSQL on 127.0.0.1:5432"
bash scripts/postgres.sh
export TEST_POSTGRES_URL="postgres://beheer:beheer@127.0.0.1:5432/postgres"

step "cargo fmt --check"
cargo fmt --all --check

step "house rules (layers, file sizes)"
bash scripts/house.sh

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings

# One cargo call for both packages: the features are unified once, so every dependency is
# compiled once (two calls built reqwest, and all that depends on it, twice).
step "unit, property and integration tests on SQLite and PostgreSQL (app, server)"
cargo test -p app -p server --features app/ssr --tests

# The browser gets a release-like bundle: the wasm profile without fat LTO and with 16
# codegen units, and wasm-opt without passes (its -Oz, in JavaScript from npm, took five
# minutes and changes nothing the suite checks); the shipped release (`run.sh`) keeps all
# three. The server is the binary the integration tests just built and ran (same code, dev
# profile, argon2 optimised): building it once more with full optimisation took ~18 of a
# cold run's 44 minutes.
step "release-like WASM bundle for the end-to-end suite (no LTO, 16 codegen units, no wasm-opt passes)"
CARGO_PROFILE_WASM_RELEASE_LTO=false CARGO_PROFILE_WASM_RELEASE_CODEGEN_UNITS=16 \
  LEPTOS_WASM_OPT_FEATURES="-O0,--enable-bulk-memory,--enable-nontrapping-float-to-int" \
  cargo leptos build --release --frontend-only
export E2E_SERVER_BIN=target/debug/server

step "Playwright end-to-end (Chromium)"
cd end2end
CI=1 npx playwright test
cd "$root"

step "all tests passed"
echo "target/ uses $(du -sh target 2>/dev/null | cut -f1)"

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

step "system packages (Chromium, PostgreSQL)"
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v pg_ctlcluster >/dev/null || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

step "PostgreSQL on 127.0.0.1:5432"
bash scripts/postgres.sh
export TEST_POSTGRES_URL="postgres://beheer:beheer@127.0.0.1:5432/postgres"

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings

step "unit and property tests (app)"
cargo test -p app --features ssr --lib

step "integration tests on SQLite and PostgreSQL (server)"
cargo test -p server

step "release build for the end-to-end suite"
cargo leptos build --release

step "Playwright end-to-end (Chromium)"
cd end2end
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
CI=1 npx playwright test
cd "$root"

step "all tests passed"
echo "target/ uses $(du -sh target 2>/dev/null | cut -f1)"

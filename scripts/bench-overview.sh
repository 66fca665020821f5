#!/usr/bin/env bash
# Benchmark: Overzicht (and its person × service matrix) with 50,000 people and 200,000
# authorisations under 50 concurrent clients, on SQLite and on the local PostgreSQL
# (started here). Prints `BENCH name value unit` lines.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/postgres.sh >/dev/null
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://beheer:beheer@127.0.0.1:5432/postgres}"
cargo run --quiet --release -p server --features bench --bin bench-overview

#!/usr/bin/env bash
# Benchmark: Beheer → Lopende aanvragen with 50,000 open requests — a page and a search
# through the real list service — on SQLite and on the local PostgreSQL (started here).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/postgres.sh >/dev/null
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://beheer:beheer@127.0.0.1:5432/postgres}"
cargo run --quiet --release -p server --features bench --bin bench-requests

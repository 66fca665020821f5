#!/usr/bin/env bash
# Load (issue 14, part 4): 50 concurrent clients for 60 s of a manager's mix — login,
# Gebruikers page, list and search, Lopende aanvragen, Overzicht, the matrix 1,000 pages
# deep, a grant — through the whole HTTP stack of a release build over 50,000 people, on
# SQLite and on the local PostgreSQL (started here). LOAD_SECONDS shortens the run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/postgres.sh >/dev/null
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://beheer:beheer@127.0.0.1:5432/postgres}"
cargo run --quiet --release -p server --features bench --bin bench-load

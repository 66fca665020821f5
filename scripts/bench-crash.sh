#!/usr/bin/env bash
# Crash drill (issue 14, part 2): kill -9 of a release `server serve` in the middle of an
# activation step, while its outbox worker delivers 1,000 e-mails and 500 SMS to a real
# SMTP listener and an HTTP gateway, and during the commit of a 50,000-row upload; after
# each restart the database's integrity is checked. SQLite and the local PostgreSQL
# (started here). Prints BENCH crash_partial_batches_*, crash_lost_messages_*,
# crash_duplicated_messages_* and crash_integrity_errors_*.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/postgres.sh >/dev/null
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://beheer:beheer@127.0.0.1:5432/postgres}"
export LEPTOS_OUTPUT_NAME=beheermodule
cargo build --quiet --release -p server --features bench --bin server --bin bench-crash
SERVER_BIN="$root/target/release/server" target/release/bench-crash

#!/usr/bin/env bash
# Benchmark and outage drill of the outbox worker (issue 14, part 3), on SQLite and on the
# local PostgreSQL (started here): 1,000 e-mails to a real SMTP listener (throughput),
# 200 one at a time (commit → accepted latency), and 1,000 e-mails + 1,000 SMS through a
# refusing, failing and 60 s hanging listener and gateway, each delivered exactly once
# afterwards, with the worker's /metrics after each phase. Takes about three minutes after
# the build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/postgres.sh >/dev/null
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://beheer:beheer@127.0.0.1:5432/postgres}"
cargo run --quiet --release -p server --features bench --bin bench-outbox

#!/usr/bin/env bash
# Benchmark: attacks a release build as a stranger on the internet would, and prints BENCH
# lines. Two servers on fresh SQLite files behind a "proxy" (TRUSTED_PROXY=127.0.0.1, so
# X-Forwarded-For names the attacker's address): one with the default limits, one with
# the login delay off (LOGIN_DELAY_AFTER=1000) so that only the lock stops a patient code
# guesser. The attack (abuse/src/main.rs, an HTTP client of its own): 1,000 wrong passwords for one
# account from one address and from 50 addresses, 200 SMS-triggering logins, 100 wizard
# drafts with 10 MiB files, SMS codes guessed until the lock; meanwhile a manager keeps
# opening Overzicht and a monitor /health (their p99).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-tools.sh >/dev/null
export PATH="$HOME/.cargo/bin:$root/.tools/node_modules/.bin:$PATH"

cargo leptos build --release >/dev/null 2>&1 || cargo leptos build --release
cargo build --quiet --release -p bench-abuse

tmp="$(mktemp -d "${TMPDIR:-/tmp}/beheermodule-abuse.XXXXXX")"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf -- "$tmp"
}
trap cleanup EXIT

unset SMTP_URL SMS_GATEWAY_URL SMS_GATEWAY_TOKEN LOGIN_DELAY_AFTER LOGIN_LOCK_AFTER \
  ADDRESS_LOGINS_PER_HOUR ADDRESS_SMS_PER_HOUR ADDRESS_DRAFTS_PER_HOUR ADDRESS_FORMS_PER_HOUR
start() { # name port extra-env...
  local name=$1 port=$2
  shift 2
  mkdir -p "$tmp/$name"
  (
    export DATABASE_URL="sqlite://$tmp/$name/db.sqlite" BIND="127.0.0.1:$port" \
      PUBLIC_URL="http://127.0.0.1:$port" DEV_INBOX=1 \
      TRUSTED_PROXY=127.0.0.1 LEPTOS_SITE_ROOT=target/site LEPTOS_OUTPUT_NAME=beheermodule \
      LEPTOS_ENV=PROD RUST_LOG=warn,app=info "$@"
    target/release/server migrate >/dev/null
    target/release/server seed-demo >/dev/null
    exec target/release/server serve >"$tmp/$name/log" 2>&1
  ) &
  pids+=($!)
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "abuse.sh: the $name server did not start" >&2
  cat "$tmp/$name/log" >&2
  exit 1
}
start limits 3310
start nodelay 3311 LOGIN_DELAY_AFTER=1000

if ! BASE=http://127.0.0.1:3310 BASE_NODELAY=http://127.0.0.1:3311 \
  DATABASE_FILE="$tmp/limits/db.sqlite" \
  target/release/bench-abuse; then
  for name in limits nodelay; do
    echo "--- $name server log (last lines)" >&2
    tail -n 30 "$tmp/$name/log" >&2
  done
  exit 1
fi

#!/usr/bin/env bash
# Runs the release-built server for the Playwright suite (end2end/playwright.config.ts
# starts it as its webServer): a fresh SQLite database in a new temp directory, the demo
# data, the dev inbox instead of SMTP and the SMS gateway, on 127.0.0.1:3100.
#
# It builds nothing: run `cargo leptos build --release` first. On SIGTERM/SIGINT it stops
# the server and removes the temp directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# The server binary: the release build, or (the test command) E2E_SERVER_BIN.
bin="${E2E_SERVER_BIN:-target/release/server}"
site=target/site

fail() {
  echo "e2e-server.sh: $*" >&2
  exit 1
}
[[ -x $bin ]] || fail "$root/$bin is missing; build it first with: cargo leptos build --release"
[[ -d $site/pkg ]] || fail "$root/$site/pkg is missing; build it first with: cargo leptos build --release"
compgen -G "$site/pkg/beheermodule*.wasm" >/dev/null ||
  fail "no beheermodule*.wasm in $root/$site/pkg (the page would never hydrate); build it with: cargo leptos build --release"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/beheermodule-e2e.XXXXXX")"
server_pid=""
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf -- "$tmp"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

# Messages go to the dev inbox only: never to a real mail server or SMS gateway that
# happens to be configured in the caller's environment.
unset SMTP_URL SMS_GATEWAY_URL SMS_GATEWAY_TOKEN
export DATABASE_URL="sqlite://$tmp/e2e.db" \
  BIND=127.0.0.1:3100 \
  PUBLIC_URL=http://127.0.0.1:3100 \
  DEV_INBOX=1 \
  LEPTOS_SITE_ROOT="$site" \
  LEPTOS_SITE_ADDR=127.0.0.1:3100 \
  LEPTOS_OUTPUT_NAME=beheermodule \
  LEPTOS_ENV=PROD
# The suite logs the demo people in many times within minutes, all from 127.0.0.1: the
# login and address limits are raised here (the integration tests prove the defaults).
export LOGIN_SMS_PER_HOUR=1000 LOGIN_SMS_PER_DAY=1000 \
  ADDRESS_LOGINS_PER_HOUR=100000 ADDRESS_SMS_PER_HOUR=100000 \
  ADDRESS_DRAFTS_PER_HOUR=100000 ADDRESS_FORMS_PER_HOUR=100000

echo "e2e-server.sh: database $DATABASE_URL"
"$bin" migrate
"$bin" seed-demo
# Not `exec`: the shell stays to remove the temp directory once the server has stopped.
"$bin" serve &
server_pid=$!
wait "$server_pid"

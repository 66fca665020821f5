#!/usr/bin/env bash
# Runs the product: installs missing build tools, builds (release), migrates, seeds the demo
# organisation and serves on http://127.0.0.1:3000 with an embedded SQLite file and the
# dev inbox. Stop with Ctrl-C.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-tools.sh
export PATH="$HOME/.cargo/bin:$root/.tools/node_modules/.bin:$PATH"

echo "==> cargo leptos build --release"
cargo leptos build --release

export DATABASE_URL="${DATABASE_URL:-sqlite://$root/beheermodule.db}"
export DEV_INBOX="${DEV_INBOX:-1}"
export BIND="${BIND:-127.0.0.1:3000}"
export PUBLIC_URL="${PUBLIC_URL:-http://127.0.0.1:3000}"
export LEPTOS_SITE_ROOT="$root/target/site" LEPTOS_OUTPUT_NAME=beheermodule LEPTOS_ENV=PROD

target/release/server migrate
target/release/server seed-demo
echo
echo "Open $PUBLIC_URL/inloggen en log in met een demo-account hierboven."
echo "De sms-code staat in de ontwikkel-inbox: $PUBLIC_URL/dev/inbox"
echo
exec target/release/server serve

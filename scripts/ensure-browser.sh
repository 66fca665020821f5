#!/usr/bin/env bash
# Installs, idempotently, what the browser suites need: Debian's Chromium (never a
# downloaded browser) and end2end/'s npm packages (Playwright, axe) exactly as locked.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v chromium >/dev/null; then
  echo "==> apt-get install chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi
stamp="$root/end2end/node_modules/.package-lock.json"
if ! [ -f "$stamp" ] || ! cmp -s "$root/end2end/package-lock.json" "$root/end2end/node_modules/.lock-installed"; then
  echo "==> npm ci in end2end/"
  (cd "$root/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  cp "$root/end2end/package-lock.json" "$root/end2end/node_modules/.lock-installed"
fi

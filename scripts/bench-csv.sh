#!/usr/bin/env bash
# CSV validation benchmark (issue 3, deliverable 6). Prints, one line each, to stdout:
#   BENCH csv_validate_native_ms <x> ms     100,000-row file, the validator as native code
#   BENCH csv_validate_wasm_ms <x> ms       the same file in headless Chromium, in the
#                                           page's CSV worker (median of 3 after a warm-up)
#   BENCH csv_page_longest_task_ms <x> ms   longest main-thread task while the demo manager's
#                                           /beheer/gebruikers validates a 50,000-row file
#   BENCH csv_page_validate_50k_ms <x> ms   from choosing that file to the summary
#   BENCH csv_wasm_native_ratio <x> x       wasm / native
# Goals: wasm <= 250 ms and <= 2x native; no main-thread task over 200 ms.
#
# Builds the release (`cargo leptos build --release`, with the bench-csv binary), generates the input
# (`bench-csv --write`), serves it with scripts/e2e-server.sh on 127.0.0.1:3100 and drives
# Chromium with end2end/bench/csv.bench.ts. Everything else goes to stderr.
# Options: --skip-build (use the existing release build), --parts a|b|a,b (default a,b).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-tools.sh >&2
bash scripts/ensure-browser.sh >&2
export PATH="$HOME/.cargo/bin:$root/.tools/node_modules/.bin:$PATH"

build=1
parts="a,b"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --skip-build) build=0 ;;
    --parts) parts="$2"; shift ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "bench-csv.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

base_url=http://127.0.0.1:3100
tmp="$(mktemp -d "${TMPDIR:-/tmp}/beheermodule-bench-csv.XXXXXX")"
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

if [[ $build == 1 ]]; then
  # bench-csv is built in the same cargo call as the server: a separate `cargo build`
  # without cargo-leptos's LEPTOS_* environment would rebuild leptos and the server.
  echo "bench-csv.sh: cargo leptos build --release (+ bench-csv)" >&2
  cargo leptos build --release --bin-features=bench --bin-cargo-args=--bin=bench-csv >&2
fi
[[ -x target/release/bench-csv ]] || {
  echo "bench-csv.sh: target/release/bench-csv is missing; run without --skip-build" >&2
  exit 1
}

echo "bench-csv.sh: generating the input" >&2
native="$(target/release/bench-csv --write "$tmp/100k.csv" | grep -E '^BENCH csv_validate_native_ms ' || true)"
[[ -n $native ]] || { echo "bench-csv.sh: bench-csv printed no csv_validate_native_ms" >&2; exit 1; }
echo "$native"
native_ms="$(awk '{print $3}' <<<"$native")"
# The header and the first 50,000 data rows (the generator writes one record per line).
head -n 50001 "$tmp/100k.csv" >"$tmp/50k.csv"

if curl -fsS -o /dev/null "$base_url/health" 2>/dev/null; then
  echo "bench-csv.sh: waiting for the server already on $base_url (someone else's test run) to stop" >&2
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "$base_url/health" 2>/dev/null || break
    sleep 1
  done
  curl -fsS -o /dev/null "$base_url/health" 2>/dev/null && {
    echo "bench-csv.sh: $base_url is still in use; giving up" >&2
    exit 1
  }
fi
bash scripts/e2e-server.sh >"$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log" >&2; echo "bench-csv.sh: the server exited" >&2; exit 1; }
  curl -fsS -o /dev/null "$base_url/health" 2>/dev/null && break
  sleep 0.5
done
curl -fsS -o /dev/null "$base_url/health" || { echo "bench-csv.sh: no /health on $base_url" >&2; exit 1; }

echo "bench-csv.sh: Chromium (parts $parts)" >&2
status=0
(
  cd end2end
  BENCH_CSV_100K="$tmp/100k.csv" BENCH_CSV_50K="$tmp/50k.csv" BENCH_OUT="$tmp/figures.json" \
    BENCH_PARTS="$parts" npx playwright test -c bench/playwright.config.ts >&2
) || status=$?

figure() { node -e 'const f=require(process.argv[1]); const v=f[process.argv[2]]; if (typeof v==="number") console.log(v.toFixed(1));' "$tmp/figures.json" "$1" 2>/dev/null || true; }
[[ -f $tmp/figures.json ]] || echo '{}' >"$tmp/figures.json"
wasm_ms="$(figure csv_validate_wasm_ms)"
[[ -n $wasm_ms ]] && echo "BENCH csv_validate_wasm_ms $wasm_ms ms"
longest="$(figure csv_page_longest_task_ms)"
[[ -n $longest ]] && echo "BENCH csv_page_longest_task_ms $longest ms"
page_ms="$(figure csv_page_validate_50k_ms)"
[[ -n $page_ms ]] && echo "BENCH csv_page_validate_50k_ms $page_ms ms"
if [[ -n $wasm_ms ]]; then
  echo "BENCH csv_wasm_native_ratio $(awk -v w="$wasm_ms" -v n="$native_ms" 'BEGIN { printf "%.2f", (n > 0 ? w / n : 0) }') x"
fi
exit "$status"

#!/usr/bin/env bash
# Fuzz the parsers (issue 3, deliverable 7; issue 14): installs what is missing (a C++
# compiler for libFuzzer, cargo-fuzz), builds fuzz/ and runs each target for 60 seconds
# (FUZZ_SECONDS overrides; FUZZ_SECONDS=600 is the 10-minute run):
#
#   csv_validate  arbitrary bytes into app::upload::validate (the CSV upload)
#   values        every parser of a typed value: e-mail, mobile, KvK and branch number,
#                 service id, names, levels, terms, dates, yes/no, passwords, a request
#                 row, the registration wizard, query-string codes, the text sanitisers
#
# FUZZ_TARGETS picks targets ("values", or "csv_validate,values"); the default is both.
# libFuzzer's output, closing stats included, goes to stderr. After each run stdout gets
#   BENCH fuzz_<target>_execs <n> runs        (libFuzzer's stat::number_of_executed_units)
#   BENCH fuzz_<target>_crashes <k> crashes   (files this run put in fuzz/artifacts/<target>/)
# and the exit status is non-zero when any target found a crash (or failed to run).
#
# cargo-fuzz needs nightly compiler flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain
# accept them. New corpus entries go to fuzz/corpus/<target>/ (ignored by git); the
# committed seeds in fuzz/seeds/<target>/ and the dictionaries fuzz/csv.dict and
# fuzz/values.dict give the fuzzer a head start.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${FUZZ_SECONDS:-60}"
read -r -a targets <<<"$(printf '%s' "${FUZZ_TARGETS:-csv_validate values}" | tr ',' ' ')"

if ! command -v cargo >/dev/null 2>&1; then
  echo "fuzz.sh: cargo not found; install Rust (stable, via rustup) first" >&2
  exit 1
fi
# libfuzzer-sys compiles libFuzzer (C++) in its build script.
if ! command -v c++ >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "fuzz.sh: installing g++ (libFuzzer is C++)" >&2
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends g++
  else
    echo "fuzz.sh: a C++ compiler is needed (e.g. apt-get install g++)" >&2
    exit 1
  fi
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked
fi

export RUSTC_BOOTSTRAP=1
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
failed=0
for target in "${targets[@]}"; do
  case "$target" in
    csv_validate) dict="$root/fuzz/csv.dict" ;;
    *) dict="$root/fuzz/$target.dict" ;;
  esac
  dict_arg=()
  if [ -f "$dict" ]; then dict_arg=("-dict=$dict"); fi
  corpus="$root/fuzz/corpus/$target"
  artifacts="$root/fuzz/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  cargo fuzz build "$target"
  before="$(ls -A "$artifacts")"

  set +e
  cargo fuzz run "$target" "$corpus" "$root/fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 "${dict_arg[@]}" 2>&1 | tee "$log" >&2
  status="${PIPESTATUS[0]}"
  set -e

  execs="$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)"
  crashes="$(comm -13 <(printf '%s\n' "$before" | sort) <(ls -A "$artifacts" | sort) | grep -c . || true)"
  echo "BENCH fuzz_${target}_execs ${execs:-0} runs"
  echo "BENCH fuzz_${target}_crashes ${crashes} crashes"
  if [ "$status" != 0 ] || [ "$crashes" != 0 ]; then
    echo "fuzz.sh: $target failed (exit status $status, $crashes new files in fuzz/artifacts/$target/)" >&2
    failed=1
  fi
done
exit "$failed"

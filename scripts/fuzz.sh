#!/usr/bin/env bash
# Fuzz the CSV upload validator (issue 3, deliverable 7): installs cargo-fuzz when missing,
# builds fuzz/ (target `csv_validate`: arbitrary bytes into app::upload::validate) and runs
# it for 60 seconds (FUZZ_SECONDS overrides). libFuzzer's closing stats go to stderr; the
# exit status is non-zero when it finds a crash (saved under fuzz/artifacts/csv_validate/).
#
# cargo-fuzz needs nightly compiler flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain
# accept them. New corpus entries go to fuzz/corpus/ (ignored by git); the committed seeds
# in fuzz/seeds/ and the dictionary fuzz/csv.dict give the fuzzer a head start.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${FUZZ_SECONDS:-60}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked
fi

export RUSTC_BOOTSTRAP=1
mkdir -p "$root/fuzz/corpus/csv_validate"
cargo fuzz build csv_validate
cargo fuzz run csv_validate "$root/fuzz/corpus/csv_validate" "$root/fuzz/seeds/csv_validate" -- \
  -max_total_time="$seconds" -dict="$root/fuzz/csv.dict" -print_final_stats=1

#!/usr/bin/env bash
# Installs, idempotently, every tool the build needs: the wasm32 target, cargo-leptos,
# wasm-bindgen-cli (pinned to the crate version in Cargo.toml) and wasm-opt (npm binaryen).
# Only the package registries are used; nothing downloads a prebuilt binary.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$here/.tools/node_modules/.bin:$PATH"

WASM_BINDGEN_VERSION=0.2.130
CARGO_LEPTOS_VERSION=0.3.10
BINARYEN_VERSION=132

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "==> rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  echo "==> cargo install cargo-leptos $CARGO_LEPTOS_VERSION (takes ~12 minutes once)"
  cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" --features no_downloads
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  echo "==> cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if ! [ -x "$here/.tools/node_modules/.bin/wasm-opt" ]; then
  echo "==> npm install binaryen@$BINARYEN_VERSION (wasm-opt)"
  mkdir -p "$here/.tools"
  npm install --silent --no-audit --no-fund --prefix "$here/.tools" "binaryen@$BINARYEN_VERSION"
fi

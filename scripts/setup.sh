#!/usr/bin/env bash
# Installs everything the build and the tests need, skipping what is already there.
# Safe to run repeatedly; on a warm machine it only checks versions.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# mdbook builds the docs site of the end-to-end embedding test (no serve/watch/search needed).
MDBOOK_VERSION=0.4.52
# leptosfmt formats the widgets' view! macros (rustfmt leaves macro bodies alone); the test
# command checks it.
LEPTOSFMT_VERSION=0.1.33
# The splitter of the chapter's WebAssembly (scripts/build-app.sh, issue 19): the crate
# wasm_split_cli_support, which matches the split points of Leptos 0.8's wasm_split_helpers.
WASM_SPLIT_VERSION=0.2.4
# wasm-bindgen-cli must equal the wasm-bindgen version pinned in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock 2>/dev/null || true)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}

log() { printf '[setup] %s\n' "$*" >&2; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v trunk >/dev/null || [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  log "installing trunk $TRUNK_VERSION (a few minutes, once)"
  cargo install trunk@"$TRUNK_VERSION" --locked
fi

if ! command -v mdbook >/dev/null || [ "$(mdbook --version 2>/dev/null | awk '{print $2}')" != "v$MDBOOK_VERSION" ]; then
  log "installing mdbook $MDBOOK_VERSION (a minute or two, once)"
  cargo install mdbook --version "$MDBOOK_VERSION" --locked --no-default-features
fi

if ! command -v leptosfmt >/dev/null || [ "$(leptosfmt --version 2>/dev/null | awk '{print $2}')" != "$LEPTOSFMT_VERSION" ]; then
  log "installing leptosfmt $LEPTOSFMT_VERSION (about three minutes, once)"
  cargo install leptosfmt --version "$LEPTOSFMT_VERSION" --locked
fi

if ! command -v wasm-bindgen >/dev/null || [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a couple of minutes, once)"
  # Not --locked: the locked dependency set names a crate version this registry lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! cargo install --list 2>/dev/null | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  log "installing wasm-split-cli (wasm_split_cli_support $WASM_SPLIT_VERSION, about a minute, once)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --locked --features build-binary --force
fi

# Node tools (wasm-opt from binaryen, terser, axe-core), pinned by tools/package-lock.json and
# installed into the ignored .tools/; npm ci runs again only when the lockfile changed.
if [ ! -f .tools/node_modules/.package-lock.json ] || ! cmp -s tools/package-lock.json .tools/package-lock.json; then
  log "installing the pinned node tools (wasm-opt, terser, axe-core) into .tools/"
  mkdir -p .tools
  cp tools/package.json tools/package-lock.json .tools/
  (cd .tools && npm ci --no-audit --no-fund --loglevel=error)
fi

# The docs sites of the Starlight and Docusaurus recipe tests (tests/e2e/starlight, docusaurus):
# exact versions from their committed lockfiles. npm ci runs again only when a lockfile changed.
for site in tests/e2e/starlight tests/e2e/docusaurus; do
  if [ ! -f "$site/node_modules/.package-lock.json" ] || [ "$site/package-lock.json" -nt "$site/node_modules/.package-lock.json" ]; then
    log "installing the $(basename "$site") test site's packages (npm ci, about a minute, once)"
    (cd "$site" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  log "installing Debian chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi
log "toolchain ready"

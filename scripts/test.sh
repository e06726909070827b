#!/usr/bin/env bash
# Runs every test: fmt, clippy, native core tests, in-browser widget tests, the release build,
# end-to-end tests of the built page in headless Chromium, and a bundle size report.
# Installs whatever is missing first (scripts/setup.sh); quick when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER=/usr/bin/chromedriver
export CARGO_TERM_COLOR=never

section() { printf '\n==== %s\n' "$*"; }
start=$(date +%s)
mkdir -p target
log=target/test-run.log
: > "$log"
# Test runs also go to the log, for the closing totals line.
tests() { "$@" 2>&1 | tee -a "$log"; }

section "setup"
bash scripts/setup.sh

section "format"
cargo fmt --all -- --check
# The view! macros (leptosfmt.toml), which rustfmt does not touch.
leptosfmt --check --quiet widgets/src

section "clippy (core and CLI, native)"
cargo clippy -p dealer-book -p dealer-book-cli --all-targets -- -D warnings
section "clippy (widgets, wasm32)"
cargo clippy -p dealer-book-widgets --target wasm32-unknown-unknown --all-targets -- -D warnings
# The tape studio's binary is built without the custom element's exports (scripts/build-studio.sh).
cargo clippy -p dealer-book-widgets --target wasm32-unknown-unknown --no-default-features --bin dealer-book-studio -- -D warnings
section "clippy (chapter renderer, native)"
cargo clippy -p dealer-book-chapter --all-targets -- -D warnings
section "clippy (end-to-end tests, native)"
cargo clippy -p dealer-book-e2e --all-targets -- -D warnings

section "docs (core and CLI, warnings as errors)"
RUSTDOCFLAGS="-D warnings" cargo doc -p dealer-book -p dealer-book-cli --no-deps --quiet

section "core: unit, property, chapter and CLI tests (native)"
tests cargo test -p dealer-book -p dealer-book-cli

section "chapter renderer: the whole chapter as HTML (native)"
tests cargo test -p dealer-book-chapter

section "widgets: what they compute without a browser (native: chart geometry, glyphs)"
tests cargo test -p dealer-book-widgets --lib

section "widgets: wasm-bindgen-test in headless Chromium"
tests env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p dealer-book-widgets --target wasm32-unknown-unknown

section "release build (trunk)"
trunk build --release

section "end-to-end: built page in headless Chromium"
tests cargo test -p dealer-book-e2e -- --test-threads=1

section "bundle size (fails over the chapter page's 150 KB gzip budget)"
bash scripts/size-report.sh

section "all tests passed in $(( $(date +%s) - start )) s"
# One closing line with the totals of every libtest / wasm-bindgen-test run above.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed;?$/) p += $(i-1); if ($i ~ /^failed;?$/) f += $(i-1) } }
     END { printf "%d passed, %d failed\n", p, f }' "$log"

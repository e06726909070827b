#!/usr/bin/env bash
# Trunk post-build hook: the tape studio's own WebAssembly (studio.html), from the widgets
# crate's `dealer-book-studio` binary, so the chapter's wasm does not carry the studio. The same
# steps Trunk takes for the chapter's wasm: cargo (the profile Trunk builds), wasm-bindgen (the
# pinned CLI, --target web), and in release builds wasm-opt -Oz (npm binaryen, .tools/) and
# terser on the glue and the loader.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wasm-hook-env.sh
# Without the custom element's exports, which would keep every widget (widgets/Cargo.toml).
cargo build --quiet "${flags[@]}" -p dealer-book-widgets --no-default-features --bin dealer-book-studio --target wasm32-unknown-unknown
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name dealer-book-studio \
  "target/wasm32-unknown-unknown/$profile/dealer-book-studio.wasm"
if [ "$profile" = release ]; then
  "$tools/wasm-opt" -Oz "$out/dealer-book-studio_bg.wasm" -o "$out/dealer-book-studio_bg.wasm"
  for f in dealer-book-studio.js studio.js; do
    "$tools/terser" "$out/$f" --module --compress --mangle -o "$out/$f"
  done
fi

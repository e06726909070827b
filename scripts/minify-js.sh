#!/usr/bin/env bash
# Trunk post-build hook (release builds): minifies the wasm-bindgen glue and the loader with
# terser (Trunk's own JS minifier cannot parse the glue's `export ... as default`).
set -euo pipefail
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
terser="$(dirname "$0")/../.tools/node_modules/.bin/terser"
for f in dealer-book-app.js dealer-book.js; do
  "$terser" "$TRUNK_STAGING_DIR/$f" --module --compress --mangle -o "$TRUNK_STAGING_DIR/$f"
done

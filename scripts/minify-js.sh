#!/usr/bin/env bash
# Trunk post-build hook (release builds): minifies the loader with terser (the glue is minified
# by scripts/build-app.sh, which writes it).
set -euo pipefail
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
terser="$(dirname "$0")/../.tools/node_modules/.bin/terser"
for f in dealer-book.js; do
  "$terser" "$TRUNK_STAGING_DIR/$f" --module --compress --mangle -o "$TRUNK_STAGING_DIR/$f"
done

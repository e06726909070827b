#!/usr/bin/env bash
# Copies the files a page needs to show <dealer-book-widget> elements (and nothing else: not the
# chapter, embed.html or the examples) from the release build in dist/ into a folder to publish
# beside your docs: dealer-book.js (the loader), dealer-book-app.js and dealer-book-app_bg.wasm
# (the main module), __wasm_split.js with split_*.wasm and chunk_*.wasm (the widgets' code, each
# fetched only when a page shows a widget that needs it), dealer-book.css (their stylesheet,
# adopted inside each widget's shadow root).
#   bash scripts/embed-kit.sh [DEST]      # default DEST: dist-embed/
# Build dist/ first (bash scripts/serve.sh, or trunk build --release).
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${1:-dist-embed}"
files=(dealer-book.js dealer-book-app.js dealer-book-app_bg.wasm __wasm_split.js dealer-book.css)
# The chunks of the split build (scripts/build-app.sh): their names come from the splitter.
while IFS= read -r f; do files+=("$f"); done < <(cd dist && ls split_*.wasm chunk_*.wasm 2>/dev/null)
for f in "${files[@]}"; do
  if [ ! -f "dist/$f" ]; then
    echo "embed-kit: dist/$f is missing; build the chapter first (trunk build --release)" >&2
    exit 1
  fi
done
mkdir -p "$dest"
for f in "${files[@]}"; do cp "dist/$f" "$dest/$f"; done
echo "embed-kit: ${#files[@]} files in $dest/ ($(du -ch "${files[@]/#/$dest/}" | tail -1 | cut -f1) before compression)"

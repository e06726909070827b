#!/usr/bin/env bash
# Copies the files a page needs to show <dealer-book-widget> elements (and nothing else: not the
# chapter, embed.html or the examples) from the release build in dist/ into a folder to publish
# beside your docs: dealer-book.js (the loader), dealer-book-app.js and dealer-book-app_bg.wasm
# (the widgets), dealer-book.css (their stylesheet, adopted inside each widget's shadow root).
#   bash scripts/embed-kit.sh [DEST]      # default DEST: dist-embed/
# Build dist/ first (bash scripts/serve.sh, or trunk build --release).
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${1:-dist-embed}"
files=(dealer-book.js dealer-book-app.js dealer-book-app_bg.wasm dealer-book.css)
for f in "${files[@]}"; do
  if [ ! -f "dist/$f" ]; then
    echo "embed-kit: dist/$f is missing; build the chapter first (trunk build --release)" >&2
    exit 1
  fi
done
mkdir -p "$dest"
for f in "${files[@]}"; do cp "dist/$f" "$dest/$f"; done
echo "embed-kit: ${#files[@]} files in $dest/ ($(du -ch "${files[@]/#/$dest/}" | tail -1 | cut -f1) before compression)"

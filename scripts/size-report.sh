#!/usr/bin/env bash
# Raw and gzip -9 bytes of every file trunk put in dist/, and the total of what a reader
# downloads for the chapter page (html + loader + glue js + wasm + css). Sizes are deterministic,
# so the chapter page's budget is checked: over 150 KB gzip, this script (and the test command)
# fails.
set -euo pipefail
cd "$(dirname "$0")/../dist"
total_raw=0; total_gz=0; page_gz=0
printf '%-44s %10s %10s\n' file raw gzip
while IFS= read -r f; do
  raw=$(wc -c < "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  printf '%-44s %10d %10d\n' "$f" "$raw" "$gz"
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  case "$f" in ./index.html|./dealer-book.js|./dealer-book-app.js|./dealer-book-app_bg.wasm|./dealer-book.css) page_gz=$((page_gz + gz));; esac
done < <(find . -type f | sort)
printf '%-44s %10d %10d\n' "total (all files)" "$total_raw" "$total_gz"
budget=153600
printf 'chapter page (html + js + wasm + css), gzip: %d bytes (budget 150 KB = %d)\n' "$page_gz" "$budget"
if [ "$page_gz" -gt "$budget" ]; then
  echo "FAILED: the chapter page is $((page_gz - budget)) bytes over its 150 KB gzip budget" >&2
  exit 1
fi

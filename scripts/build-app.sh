#!/usr/bin/env bash
# Trunk post-build hook: the chapter's WebAssembly, split into a main module and chunks that
# load on demand (issue 19). Trunk's own Rust pipeline cannot host the split, which must come
# before wasm-bindgen, so this hook builds `dealer-book-app` itself:
#   1. rustc with relocations kept (-Clink-args=--emit-relocs), which the splitter needs;
#   2. wasm-split-cli (crate wasm_split_cli_support, pinned in scripts/setup.sh): the main module,
#      one chunk per split point of widgets/src/main.rs (and chunks of code they share), and
#      __wasm_split.js, the loader that fetches a chunk relative to its own URL;
#   3. wasm-bindgen (the pinned CLI, --target web, --keep-lld-exports: the chunks link to the
#      main module's own exports) on the main module only;
#   4. in release builds wasm-opt -Oz (npm binaryen, .tools/) on every wasm file and terser on
#      the glue, the split loader and the page loader (dealer-book.js, after step 3b writes the
#      chunks' file names into it).
# The split loader logs a failed chunk to the console; step 2b makes it also keep the reason, with
# the file's name, in globalThis.dealerBookChunkError, which the widget's failure box shows
# (pages::chunks).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wasm-hook-env.sh
cargo rustc --quiet "${flags[@]}" -p dealer-book-widgets --bin dealer-book-app \
  --target wasm32-unknown-unknown -- -Clink-args=--emit-relocs
split="target/wasm-split/$profile"
rm -rf "$split"; mkdir -p "$split"
wasm-split-cli --target web --out-name dealer-book-app \
  "target/wasm32-unknown-unknown/$profile/dealer-book-app.wasm" "$split" >/dev/null
# 2b. Keep the reason of a failed chunk where the page can read it.
loader="$split/__wasm_split.js"
grep -q 'console.error(e);' "$loader" || { echo "build-app.sh: unexpected __wasm_split.js (wasm-split-cli changed?)" >&2; exit 1; }
sed -i 's/console\.error(e);/console.error(e); globalThis.dealerBookChunkError = String(e \&\& e.message || e);/' "$loader"
# ...and name the file that failed (a fetch or compile error does not say which).
# (Debug builds wrap each instantiation in debugWrap(…).)
perl -0pi -e 's/(fetch\(new URL\("\.\/([^"]+)", import\.meta\.url\)\);\s*src\.catch\(\(\) => \{\}\);\s*return async \(imports\) => (?:debugWrap)?)\((WebAssembly\.instantiateStreaming\(src, imports\))\)/$1($3.catch((e) => { throw new Error("$2: " + (e \&\& e.message || e)); }))/g' "$loader"
[ "$(grep -c 'throw new Error("' "$loader")" = "$(grep -c instantiateStreaming "$loader")" ] \
  || { echo "build-app.sh: could not name the files in __wasm_split.js (wasm-split-cli changed?)" >&2; exit 1; }
wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$out" --out-name dealer-book-app \
  "$split/dealer-book-app.wasm"
cp "$loader" "$out/"
# 3b. The page loader (dealer-book.js) learns which files each split point needs, so it can fetch
#     a chapter slot's code as soon as the slot is on screen, beside the main module.
manifest=$(node scripts/chunk-manifest.mjs "$loader")
grep -q '/\*DEALER_BOOK_CODE_FILES\*/{}' "$out/dealer-book.js" \
  || { echo "build-app.sh: dealer-book.js lacks the /*DEALER_BOOK_CODE_FILES*/{} placeholder" >&2; exit 1; }
sed -i "s|/\*DEALER_BOOK_CODE_FILES\*/{}|$manifest|" "$out/dealer-book.js"
for f in "$split"/*.wasm; do
  [ "$(basename "$f")" = dealer-book-app.wasm ] || cp "$f" "$out/"
done
if [ "$profile" = release ]; then
  # Each of the ~20 files would carry its own producers and target-features sections (about
  # 200 bytes): the browser needs neither. Two at a time (the machines have two cores).
  { echo "$out/dealer-book-app_bg.wasm"; (cd "$split" && ls *.wasm) | grep -v '^dealer-book-app.wasm$' | sed "s|^|$out/|"; } \
    | xargs -P 2 -I{} "$tools/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
        --enable-sign-ext --enable-mutable-globals --strip-producers --strip-target-features {} -o {} \
        2> >(grep -v "unknown name subsection" >&2)
  for f in dealer-book-app.js __wasm_split.js dealer-book.js; do
    "$tools/terser" "$out/$f" --module --compress --mangle -o "$out/$f"
  done
fi

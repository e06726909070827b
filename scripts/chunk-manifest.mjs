// Reads the split loader wasm-split-cli wrote (__wasm_split.js) and prints, as JSON, the files
// each split point needs: {"trainer": "9 10 12", …} for chunk_9.wasm, chunk_10.wasm,
// chunk_12.wasm and then split_trainer.wasm. scripts/build-app.sh writes it into the page loader (dealer-book.js), which
// fetches a chapter slot's files as soon as the slot is on screen, beside the main module.
//   node scripts/chunk-manifest.mjs target/wasm-split/release/__wasm_split.js
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2], 'utf8');
// Each loader: `const __chunk_N = makeLoad(() => { …fetch(new URL("./FILE"…)… }, [DEPS]);` or
// `export const __wasm_split_load_NAME = wrapAsyncCb(makeLoad(…same…));`.
const loader = /(?:export )?const (__chunk_\d+|__wasm_split_load_\w+) = (?:wrapAsyncCb\()?makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)", import\.meta\.url\)\);[\s\S]*?\n\s*,\s*\[([^\]]*)\]\)/g;
const loaders = new Map();
for (const m of text.matchAll(loader)) {
  const deps = m[3].split(',').map((d) => d.trim()).filter(Boolean);
  loaders.set(m[1], { file: m[2], deps });
}
const files = (name, seen = new Set()) => {
  const l = loaders.get(name);
  if (!l) throw new Error(`chunk-manifest: ${name} is used but not defined in ${process.argv[2]}`);
  const out = [];
  for (const d of l.deps) for (const f of files(d, seen)) out.push(f);
  if (!seen.has(l.file)) {
    seen.add(l.file);
    out.push(l.file);
  }
  return out.filter((f, i) => out.indexOf(f) === i);
};
// Compact, as the page loader carries it: the numbers of the shared chunks (chunk_N.wasm) each
// split point needs, in loading order; its own file is split_NAME.wasm.
const manifest = {};
for (const name of loaders.keys()) {
  const point = name.match(/^__wasm_split_load_(\w+)$/);
  if (!point) continue;
  const list = files(name);
  const own = `split_${point[1]}.wasm`;
  if (list.pop() !== own) throw new Error(`chunk-manifest: ${point[1]}'s own file is not ${own} (wasm-split-cli changed?)`);
  manifest[point[1]] = list
    .map((f) => {
      const n = f.match(/^chunk_(\d+)\.wasm$/);
      if (!n) throw new Error(`chunk-manifest: unexpected shared file ${f} (wasm-split-cli changed?)`);
      return n[1];
    })
    .join(' ');
}
if (Object.keys(manifest).length === 0) {
  throw new Error(`chunk-manifest: no split point found in ${process.argv[2]} (wasm-split-cli changed?)`);
}
process.stdout.write(JSON.stringify(manifest));

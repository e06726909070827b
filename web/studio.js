// The tape studio's loader (studio.html): starts the studio's own WebAssembly, which fills #app.
// Every file is resolved from this script's URL, so dist/ works under any path; if a file cannot
// be loaded or the WebAssembly cannot start, the page says which and why.
const base = new URL('./', import.meta.url);
const asset = (name) => new URL(name, base).href;

function fail(reason) {
  console.error(`dealer-book studio: ${reason}`);
  const status = document.querySelector('#app .island-status');
  if (status) status.textContent = `The tape studio could not start: ${reason}.`;
}

try {
  let glue;
  try {
    glue = await import(asset('dealer-book-studio.js'));
  } catch (e) {
    throw new Error(`dealer-book-studio.js could not be loaded (${e.message})`);
  }
  const response = await fetch(asset('dealer-book-studio_bg.wasm')).catch((e) => {
    throw new Error(`dealer-book-studio_bg.wasm could not be loaded (${e.message})`);
  });
  if (!response.ok) throw new Error(`dealer-book-studio_bg.wasm could not be loaded (HTTP ${response.status})`);
  try {
    await glue.default({ module_or_path: response });
  } catch (e) {
    throw new Error(`the WebAssembly could not start (${e.message})`);
  }
} catch (e) {
  fail(e.message);
}

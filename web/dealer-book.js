// Dealer Book loader: the one script of every page that shows widgets.
//   <script type="module" src="https://example.org/dealer-book/dealer-book.js"></script>
//   <dealer-book-widget kind="maker-inventory" tape="my-tape.json" step="3"></dealer-book-widget>
// Every file it needs (the WebAssembly, its JS glue, the stylesheet) is resolved from this
// script's own URL, so a copy of dist/ works under any path. It starts the WebAssembly, which
// mounts our own pages (the chapter's widget islands, embed.html) by itself, and defines
// <dealer-book-widget>: each element gets an open shadow root holding the widgets' stylesheet,
// so the author's page and the widget cannot restyle each other. Attributes: kind, tape, step,
// regime, gamma, x, y, flow, toxicity, volatility, hedge_cost, latency, and theme: "light" or
// "dark" fixes the widget's colours; font="own" keeps the widget's fonts instead of the page's; without it the widget follows the host page's look (dark on
// a dark background, light on a light one; where the page paints no background, dark when its
// text is light) and switches with the page's theme switcher.
// The tape can also be written inside the element, which keeps it in the page (JSON script
// blocks are inert, so a strict CSP allows them):
//   <dealer-book-widget kind="replay"><script type="application/json">{ …tape… }</script></dealer-book-widget>
// or carried in a link: tape="#tape=…" (the studio's share link format).
// If the WebAssembly cannot start (a missing file, a Content-Security-Policy without
// 'wasm-unsafe-eval'), every widget place says so and why; the rest of the page is untouched.
const base = new URL('./', import.meta.url);
const asset = (name) => new URL(name, base).href;

const ATTRS = ['kind', 'tape', 'step', 'regime', 'gamma', 'x', 'y',
  'flow', 'toxicity', 'volatility', 'hedge_cost', 'latency', 'rule', 'cost', 'paths',
  'from', 'to', 'lock', 'predict', 'theme', 'font'];

// Loads the glue and the WebAssembly; a failure says which file and why.
async function startWasm() {
  let glue;
  try {
    glue = await import(asset('dealer-book-app.js'));
  } catch (e) {
    throw new Error(`dealer-book-app.js could not be loaded (${e.message})`);
  }
  let response;
  try {
    response = await fetch(asset('dealer-book-app_bg.wasm'));
  } catch (e) {
    throw new Error(`dealer-book-app_bg.wasm could not be loaded (${e.message})`);
  }
  if (!response.ok) {
    throw new Error(`dealer-book-app_bg.wasm could not be loaded (HTTP ${response.status})`);
  }
  try {
    await glue.default({ module_or_path: response });
  } catch (e) {
    throw new Error(`the WebAssembly could not start (${e.message})`);
  }
  return glue;
}

// The widgets' stylesheet, parsed once and adopted by every shadow root.
let sheet = null;
function widgetSheet() {
  sheet ??= fetch(asset('dealer-book.css'))
    .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`))))
    .then((text) => {
      const s = new CSSStyleSheet();
      s.replaceSync(text);
      return s;
    })
    .catch((e) => {
      console.error(`dealer-book: dealer-book.css could not be loaded (${e.message})`);
      return null;
    });
  return sheet;
}

function errorBox(title, message) {
  const box = document.createElement('div');
  box.className = 'error-box';
  box.setAttribute('role', 'alert');
  const strong = document.createElement('strong');
  strong.textContent = title;
  const p = document.createElement('p');
  p.className = 'error-message';
  p.textContent = message;
  box.append(strong, p);
  return box;
}

// Our pages' widget places (the chapter's islands, embed.html) say why they stay static.
function failIslands(reason) {
  for (const island of document.querySelectorAll('[data-island]')) {
    island.classList.add('island-failed');
    const status = island.querySelector('.island-status');
    if (status) status.textContent = `The interactive part of this widget could not start: ${reason}.`;
  }
}

let glue = null;
let failure = null;
const ready = startWasm().then(
  (g) => { glue = g; },
  (e) => {
    failure = e.message;
    console.error(`dealer-book: ${failure}`);
    failIslands(failure);
  },
);

// The files of each part of the widgets' code in the split build: {"trainer": "9 10 12"} for
// chunk_9.wasm, chunk_10.wasm, chunk_12.wasm (shared chunks) and split_trainer.wasm (written in
// by scripts/build-app.sh from the split loader, scripts/chunk-manifest.mjs).
const CODE_FILES = /*DEALER_BOOK_CODE_FILES*/{};
const preloaded = new Set();
// Starts fetching the files of the named parts now; the WebAssembly's chunk loader takes these
// responses when it asks for the same files.
function preloadCode(names) {
  for (const name of names) {
    const shared = CODE_FILES[name];
    if (shared === undefined) continue;
    const files = shared.split(' ').filter(Boolean).map((n) => `chunk_${n}.wasm`);
    for (const file of [...files, `split_${name}.wasm`]) {
      if (preloaded.has(file)) continue;
      preloaded.add(file);
      const link = document.createElement('link');
      link.rel = 'preload';
      link.as = 'fetch';
      link.type = 'application/wasm';
      link.crossOrigin = 'anonymous';
      link.href = asset(file);
      document.head.append(link);
    }
  }
}
// The chapter: a widget slot the reader has on screen while the main module is still on its way
// (a reader who scrolls at once, a link to a section) gets its code fetched beside it, not after
// it. Once the WebAssembly runs, it fetches the code of each slot the reader nears itself.
(function preloadSlotsOnScreen() {
  if (document.body?.dataset.page !== 'chapter' || !('IntersectionObserver' in window)) return;
  // ?widget=… shows one widget full-window instead of the chapter's slots.
  if (new URLSearchParams(location.search).has('widget')) return;
  const onScreen = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      onScreen.unobserve(e.target);
      preloadCode(e.target.dataset.code.split(' '));
    }
  });
  for (const slot of document.querySelectorAll('.widget-slot[data-code]')) onScreen.observe(slot);
  ready.finally(() => onScreen.disconnect());
})();

// All widgets share one WebAssembly instance: if it stops (a trap, such as running out of
// memory), no widget can answer any more. Say so in every widget's box, rather than leave
// widgets that look alive but ignore the reader; widgets added later say it too.
let stopped = null;
function wasmStopped(error) {
  if (stopped || !(error instanceof WebAssembly.RuntimeError)) return;
  stopped = `the WebAssembly stopped (${error.message}); reload the page to start the widgets again`;
  console.error(`dealer-book: ${stopped}`);
  for (const w of widgets) w.showStopped();
  for (const island of document.querySelectorAll('[data-island]')) {
    if (island.querySelector(':scope > .error-box')) continue;
    island.prepend(errorBox('The interactive widgets on this page stopped', stopped));
  }
}
window.addEventListener('error', (e) => wasmStopped(e.error));
window.addEventListener('unhandledrejection', (e) => wasmStopped(e.reason));

// sRGB colour -> relative luminance (0 black .. 1 white), or null for a colour that is not rgb().
function luminance(css) {
  const m = css.match(/^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+))?\s*\)$/);
  if (!m) return null;
  const [r, g, b] = [m[1], m[2], m[3]].map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return { y: 0.2126 * r + 0.7152 * g + 0.0722 * b, alpha: m[4] === undefined ? 1 : +m[4] };
}

// Dark or light as the host page looks behind `el`: the first mostly opaque background; where
// the page paints none (Docusaurus's light theme, a bare page), the colour of the host's text
// (light text means the page is dark), which follows the page's own theme and its color-scheme.
function hostScheme(el) {
  for (let n = el.parentElement; n; n = n.parentElement) {
    const bg = luminance(getComputedStyle(n).backgroundColor);
    if (!bg || bg.alpha < 0.5) continue;
    return bg.y < 0.2 ? 'dark' : 'light';
  }
  const text = luminance(getComputedStyle(el.parentElement || document.documentElement).color);
  if (text && text.alpha >= 0.5) return text.y > 0.4 ? 'dark' : 'light';
  return null;
}

// Every widget on the page, so a theme switch on the host page reaches all of them.
const widgets = new Set();
function followHostThemes() {
  for (const w of widgets) w.applyScheme();
  // Canvases take their ink from the colours: they repaint on this.
  window.dispatchEvent(new CustomEvent('dealer-book-scheme'));
}
let watching = false;
function watchHostTheme() {
  if (watching) return;
  watching = true;
  // Theme switchers (mdBook's, Starlight's, Docusaurus's) set a class or data attribute on <html>
  // or <body>; some fade the background, so look again once that is done.
  const again = () => { followHostThemes(); setTimeout(followHostThemes, 400); };
  const opts = { attributes: true, attributeFilter: ['class', 'style', 'data-theme', 'data-color-scheme'] };
  const attrs = new MutationObserver(again);
  attrs.observe(document.documentElement, opts);
  let body = document.body;
  if (body) attrs.observe(body, opts);
  // Sites whose navigation replaces <body> (Turbo, some view transitions): watch the new one.
  new MutationObserver(() => {
    if (document.body && document.body !== body) {
      body = document.body;
      attrs.observe(body, opts);
      again();
    }
  }).observe(document.documentElement, { childList: true });
}
// The system's dark mode changes every widget's colours, on our pages as on others.
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
  followHostThemes();
  setTimeout(followHostThemes, 400);
});

class DealerBookWidget extends HTMLElement {
  #handle = null;
  #token = 0;
  #children = null;
  static get observedAttributes() { return ATTRS; }
  connectedCallback() {
    widgets.add(this);
    watchHostTheme();
    // A tape written inside the element (<script type="application/json">) may arrive after the
    // element (a page still parsing, a framework filling it in) or change: mount again then.
    this.#children ??= new MutationObserver(() => { if (this.isConnected) this.#mount(); });
    this.#children.observe(this, { childList: true, subtree: true, characterData: true });
    this.#mount();
  }
  disconnectedCallback() {
    widgets.delete(this);
    this.#children?.disconnect();
    this.#token += 1;
    this.#unmount();
  }
  attributeChangedCallback(name, before, after) {
    if (before === after) return;
    if (name === 'theme' || name === 'font') this.applyScheme();
    // The widget takes new settings in place; another kind, tape or lesson mounts it afresh
    // (the tape itself is fetched once per page).
    else if (this.isConnected && this.#handle && !this.#handle.update(this)) this.#mount();
  }
  // The shared WebAssembly stopped: this widget's box says so above what it last showed.
  showStopped() {
    const target = this.shadowRoot && this.shadowRoot.querySelector('.dbw-root');
    if (!target || target.querySelector(':scope > .error-box')) return;
    target.prepend(errorBox('This Dealer Book widget stopped', stopped));
  }
  // The widget's colours: its theme attribute, else the host page's look.
  applyScheme() {
    const target = this.shadowRoot && this.shadowRoot.querySelector('.dbw-root');
    if (!target) return;
    const fixed = (this.getAttribute('theme') || '').toLowerCase();
    const scheme = fixed === 'light' || fixed === 'dark' ? fixed : hostScheme(this);
    if (scheme) target.dataset.scheme = scheme;
    else delete target.dataset.scheme;
    this.applyFont(target);
  }
  // The widget's text in the host page's font family (CSSOM, so a strict CSP allows it), unless
  // font="own" keeps the widget's own stacks. Code and numbers stay monospace.
  applyFont(target) {
    const own = (this.getAttribute('font') || '').toLowerCase() === 'own';
    const family = own ? '' : getComputedStyle(this).fontFamily;
    for (const name of ['--ui', '--font']) {
      if (family) target.style.setProperty(name, family);
      else target.style.removeProperty(name);
    }
  }
  async #mount() {
    const token = ++this.#token;
    const css = await widgetSheet();
    await ready;
    if (token !== this.#token || !this.isConnected) return;
    this.#unmount();
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = css ? [css] : [];
    const target = document.createElement('div');
    target.className = 'dbw-root';
    root.replaceChildren(target);
    this.applyScheme();
    if (failure || stopped) {
      target.append(errorBox('The interactive part of this Dealer Book widget could not start', failure || stopped));
      return;
    }
    try {
      this.#handle = glue.mount_widget(this, target);
    } catch (e) {
      target.replaceChildren(errorBox('dealer-book-widget could not start', String(e)));
      // A trap while mounting stops the shared instance for every widget: say so everywhere.
      wasmStopped(e);
    }
  }
  #unmount() {
    if (this.#handle) { this.#handle.free(); this.#handle = null; }
  }
}

if (!customElements.get('dealer-book-widget')) {
  customElements.define('dealer-book-widget', DealerBookWidget);
}

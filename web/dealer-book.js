// Dealer Book embedding loader: one script include gives <dealer-book-widget> on any page.
//   <script type="module" src="https://example.org/dealer-book/dealer-book.js"></script>
//   <dealer-book-widget kind="maker-inventory" tape="my-tape.json" step="3"></dealer-book-widget>
// It loads the widgets' WebAssembly from beside this file, adds their stylesheet once, and
// mounts every element (including ones added later). Attributes: kind, tape, step, regime,
// gamma, x, y, flow, toxicity, volatility, hedge_cost, latency.
const base = new URL('./', import.meta.url);

if (!document.querySelector('link[data-dealer-book-css]')) {
  const css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = new URL('dealer-book.css', base).href;
  css.dataset.dealerBookCss = '';
  document.head.appendChild(css);
}

const glue = await import(new URL('dealer-book-app.js', base).href);
await glue.default({ module_or_path: new URL('dealer-book-app_bg.wasm', base) });

const ATTRS = ['kind', 'tape', 'step', 'regime', 'gamma', 'x', 'y',
  'flow', 'toxicity', 'volatility', 'hedge_cost', 'latency', 'rule', 'cost', 'paths'];

class DealerBookWidget extends HTMLElement {
  static get observedAttributes() { return ATTRS; }
  connectedCallback() { this.#mount(); }
  disconnectedCallback() { this.#unmount(); }
  attributeChangedCallback() { if (this.isConnected && this._handle) this.#mount(); }
  #mount() {
    this.#unmount();
    try {
      this._handle = glue.mount_widget(this);
    } catch (e) {
      this.textContent = `dealer-book-widget could not start: ${e}`;
      this.setAttribute('role', 'alert');
    }
  }
  #unmount() {
    if (this._handle) { this._handle.free(); this._handle = null; }
  }
}

if (!customElements.get('dealer-book-widget')) {
  customElements.define('dealer-book-widget', DealerBookWidget);
}

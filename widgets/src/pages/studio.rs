//! The tape studio's page (`studio.html`): the studio fills `#app`. The studio has its own
//! WebAssembly (the `dealer-book-studio` binary, built by `scripts/build-studio.sh`), so readers
//! of the chapter never download it.

use dealer_book::settings::WidgetSettings;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Document;

use crate::studio::Studio;

/// Starts the studio from the page's address (`#tape=…`, `?tape=…`, `regime`, `gamma`, `step`).
pub fn start() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (settings, notices) = super::address_settings(&super::query_pairs());
    super::reload_on_new_link();
    mount(
        &doc,
        settings,
        dealer_book::settings::notice_lines(&notices),
    );
}

/// Mounts the studio into `#app` with the address's settings (a `#tape=` or `?tape=` tape to open).
pub fn mount(doc: &Document, settings: WidgetSettings, notices: Vec<String>) {
    let Some(root) = doc
        .query_selector("#app")
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    root.set_inner_html("");
    leptos::mount::mount_to(root, move || {
        view! { <Studio settings=settings.clone() notices=notices.clone() /> }
    })
    .forget();
}

//! Downloads: the replay as CSV or JSON (the core writes the text, [`dealer_book::export`]) and
//! charts as PNG (from their canvas) or SVG (plotters' SVG backend). The widget only offers the
//! file; nothing here computes a number.

use dealer_book::export::{replay_csv, replay_json};
use dealer_book::quote::regime_limits;
use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::controls::ReplayState;

/// Saves `href` under `name` through a temporary `<a download>` (works under a strict CSP:
/// no inline script, the link is a blob: or data: URL the browser saves, not a page it runs).
fn save(href: &str, name: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(a) = doc
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    a.set_href(href);
    a.set_download(name);
    a.click();
}

/// Offers `text` as a file named `name` of type `mime`.
pub fn download_text(name: &str, mime: &str, text: &str) {
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    save(&url, name);
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Puts `text` on the clipboard; true when the browser took it (callers also show the text, so a
/// refused clipboard loses nothing, and they say which happened).
pub async fn copy_text(text: &str) -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(w.navigator().clipboard().write_text(text))
        .await
        .is_ok()
}

/// Offers a canvas's bitmap as a PNG file.
pub fn download_png(canvas: &web_sys::HtmlCanvasElement, name: &str) {
    if let Ok(url) = canvas.to_data_url() {
        save(&url, name);
    }
}

/// A file-name stem from a title: `Chapter 1: the dealer book` -> `chapter-1-the-dealer-book`.
pub fn file_stem(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "replay".into()
    } else {
        out
    }
}

/// "Download the replay as CSV / JSON" for the replay in context, bands under the selected regime.
#[component]
pub fn ReplayDownloads() -> impl IntoView {
    let state = expect_context::<ReplayState>();
    let get = move |csv: bool| {
        let regime = state.regime.get_untracked();
        state.with(|r| {
            let limits = regime_limits(&r.limits, regime);
            let stem = file_stem(&r.title);
            if csv {
                download_text(&format!("{stem}.csv"), "text/csv", &replay_csv(r, &limits));
            } else {
                download_text(
                    &format!("{stem}.json"),
                    "application/json",
                    &replay_json(r, &limits),
                );
            }
        })
    };
    view! {
        <div class="downloads" role="group" aria-label="Download the replay">
            <span class="downloads-label">"Download replay:"</span>
            <button type="button" class="btn btn-small" on:click=move |_| get(true)>
                "CSV"
            </button>
            <button type="button" class="btn btn-small" on:click=move |_| get(false)>
                "JSON"
            </button>
        </div>
    }
}

/// "Download the chart as PNG (and SVG)" for one canvas chart.
#[component]
pub fn ChartDownloads(
    /// The chart's canvas.
    canvas: NodeRef<Canvas>,
    /// File-name stem, e.g. `hedge-lab-histograms`.
    #[prop(into)]
    name: String,
    /// What the chart shows, for the buttons' accessible names.
    #[prop(into)]
    what: String,
    /// The same chart as SVG text, where plotters can draw it.
    #[prop(optional)]
    svg: Option<Callback<(), String>>,
) -> impl IntoView {
    let png_name = format!("{name}.png");
    let svg_name = format!("{name}.svg");
    view! {
        <div class="downloads" role="group" aria-label=format!("Download the {what}")>
            <span class="downloads-label">"Download chart:"</span>
            <button
                type="button"
                class="btn btn-small"
                aria-label=format!("Download the {what} as PNG")
                on:click=move |_| {
                    if let Some(c) = canvas.get_untracked() {
                        download_png(&c, &png_name)
                    }
                }
            >
                "PNG"
            </button>
            {svg
                .map(|f| {
                    view! {
                        <button
                            type="button"
                            class="btn btn-small"
                            aria-label=format!("Download the {what} as SVG")
                            on:click=move |_| download_text(&svg_name, "image/svg+xml", &f.run(()))
                        >
                            "SVG"
                        </button>
                    }
                })}
        </div>
    }
}

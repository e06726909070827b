//! The `<dealer-book-widget>` custom element. The loader (`web/dealer-book.js`) gives each
//! element an open shadow root holding the widgets' stylesheet and one mount point, so the
//! author's page and the widget cannot restyle each other; [`mount_widget`] mounts the widget
//! there from the element's attributes.

use dealer_book::settings::WidgetSettings;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::single::{Presentation, SingleWidget};

/// A mounted custom element; dropping (or `free()` from JS) unmounts it.
#[wasm_bindgen]
pub struct WidgetHandle {
    _mounted: Box<dyn std::any::Any>,
}

/// Mounts one widget into `target` (inside the element's shadow root) from the attributes of
/// the `<dealer-book-widget>` element `host` (`kind`, `tape`, `step`, `regime`, `gamma`, `x`,
/// `y`, and the heatmap levels).
#[wasm_bindgen]
pub fn mount_widget(host: web_sys::Element, target: web_sys::HtmlElement) -> WidgetHandle {
    let names = host.get_attribute_names();
    let mut pairs = Vec::new();
    for name in names.iter().filter_map(|n| n.as_string()) {
        if let Some(v) = host.get_attribute(&name) {
            pairs.push((name, v));
        }
    }
    let (settings, notices) =
        WidgetSettings::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let notices: Vec<String> = notices.iter().map(|n| n.to_string()).collect();
    target.set_inner_html("");
    let handle = leptos::mount::mount_to(target, move || {
        view! { <SingleWidget settings=settings.clone() notices=notices.clone() presentation=Presentation::Element /> }
    });
    WidgetHandle {
        _mounted: Box::new(handle),
    }
}

//! The `<dealer-book-widget>` custom element. The loader (`web/dealer-book.js`) gives each
//! element an open shadow root holding the widgets' stylesheet and one mount point, so the
//! author's page and the widget cannot restyle each other; [`mount_widget`] mounts the widget
//! there from the element's attributes.

use dealer_book::settings::WidgetSettings;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::chunks::{LazySingle, Presentation, SingleArgs};
use crate::controls::ReplayState;

/// A mounted custom element; dropping (or `free()` from JS) unmounts it.
#[wasm_bindgen]
pub struct WidgetHandle {
    _mounted: Box<dyn std::any::Any>,
    /// What it was mounted with: settings and the notices they gave.
    mounted: (WidgetSettings, Vec<String>),
    /// The widget's state, once its tape is replayed.
    state: ArcRwSignal<Option<ReplayState>>,
}

/// The element's attributes as settings and notices.
fn read_attributes(host: &web_sys::Element) -> (WidgetSettings, Vec<String>) {
    let names = host.get_attribute_names();
    let mut pairs = Vec::new();
    for name in names.iter().filter_map(|n| n.as_string()) {
        if let Some(v) = host.get_attribute(&name) {
            pairs.push((name, v));
        }
    }
    let (settings, notices) =
        WidgetSettings::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    (settings, dealer_book::settings::notice_lines(&notices))
}

/// The tape written inside the element: the text of its first child
/// `<script type="application/json">` (inert, so a strict Content-Security-Policy allows it).
fn inline_tape(host: &web_sys::Element) -> Option<String> {
    host.query_selector(":scope > script[type='application/json']")
        .ok()
        .flatten()
        .and_then(|s| s.text_content())
}

/// Mounts one widget into `target` (inside the element's shadow root) from the attributes of
/// the `<dealer-book-widget>` element `host` (`kind`, `tape`, `step`, `regime`, `gamma`, `x`,
/// `y`, and the heatmap levels).
#[wasm_bindgen]
pub fn mount_widget(host: web_sys::Element, target: web_sys::HtmlElement) -> WidgetHandle {
    let (settings, notices) = read_attributes(&host);
    let state = ArcRwSignal::new(None);
    target.set_inner_html("");
    let mounted = (settings.clone(), notices.clone());
    let out = state.clone();
    let inline = inline_tape(&host);
    let handle = leptos::mount::mount_to(target, move || {
        let args = SingleArgs {
            settings: settings.clone(),
            notices: notices.clone(),
            presentation: Presentation::Element,
            state_out: Some(out.clone()),
            inline: inline.clone(),
        };
        view! { <LazySingle args=args /> }
    });
    WidgetHandle {
        _mounted: Box::new(handle),
        mounted,
        state,
    }
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Applies the element's current attributes to the mounted widget in place, keeping its DOM
    /// and its tape. Returns false when that is not possible (another kind, tape or lesson, a
    /// change in the notices, or a tape still loading): the loader then mounts it afresh.
    pub fn update(&mut self, host: web_sys::Element) -> bool {
        let (settings, notices) = read_attributes(&host);
        let (old, old_notices) = &self.mounted;
        let Some(state) = self.state.get_untracked() else {
            return false;
        };
        let steps = state.steps();
        if settings.kind != old.kind
            || settings.tape != old.tape
            || settings.lesson != old.lesson
            || notices != *old_notices
            || mount_notices(&settings, steps) != mount_notices(old, steps)
        {
            return false;
        }
        state.apply_changes(old, &settings);
        self.mounted = (settings, notices);
        true
    }
}

/// The notices a mount adds for a tape of `steps` steps (a step past the end, outside a
/// lesson's range): an update in place must not leave a stale one or skip a new one.
fn mount_notices(s: &WidgetSettings, steps: usize) -> Vec<String> {
    let mut s = s.clone();
    let mut out: Vec<String> = s.clamp_step(steps).iter().map(|n| n.to_string()).collect();
    out.extend(s.lesson_range(steps).1.iter().map(|n| n.to_string()));
    out
}

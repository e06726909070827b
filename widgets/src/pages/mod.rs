//! The three ways a reader meets the widgets, one module each: the chapter page ([`chapter`]:
//! static prose with widget islands sharing one replay cursor), a single widget from URL
//! parameters ([`single`]: classroom presentation on the chapter page, plain on `embed.html`),
//! and the `<dealer-book-widget>` custom element authors put on their own pages ([`element`]).
//! Shared here: the chapter's replay, the view of a widget kind, settings from the URL, [`start`].

pub mod chapter;
pub mod chunks;
#[cfg(feature = "element")]
pub mod element;
pub mod single;
pub mod studio;

use std::sync::Arc;

use dealer_book::replay::{replay, Replay};
use dealer_book::settings::{WidgetKind, WidgetSettings};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::book_trainer::BookTrainer;
use crate::dealer_book::DealerBookLanes;
use crate::heatmap::InternalizationHeatmap;
use crate::hedge_lab::HedgeLab;
use crate::maker_inventory::MakerInventory;
use crate::replay::InteractiveReplay;

#[cfg(feature = "element")]
pub use element::{mount_widget, WidgetHandle};
pub use single::{Presentation, SingleWidget};

/// The chapter's replay, from the tape compiled in (`dealer_book::tape::chapter`, checked
/// against its JSON by the core's tests): the chapter page downloads no JSON reader.
pub fn chapter_replay() -> Result<Arc<Replay>, String> {
    replay(&dealer_book::tape::chapter::tape())
        .map(Arc::new)
        .map_err(|e| format!("chapter tape: {e}"))
}

/// The view of one widget (state must be in context for replay widgets). Pages never call this:
/// they go through [`chunks::load`], so the split build can keep widget code out of its main
/// module; unsplit builds (the browser tests) use it through [`direct_loaders`].
pub fn widget_view(kind: WidgetKind) -> AnyView {
    match kind {
        WidgetKind::BookTrainer => views::trainer(kind),
        WidgetKind::HedgeLab => views::hedge_lab(kind),
        WidgetKind::Replay
        | WidgetKind::MakerInventory
        | WidgetKind::DealerBook
        | WidgetKind::Heatmap => views::replays(kind),
    }
}

/// The loaders of an unsplit build: all code is already in the one module. Builds that use them
/// link every widget into their main module (the browser tests do).
pub fn direct_loaders() -> chunks::Loaders {
    chunks::Loaders {
        widget: |_| Box::pin(async { Ok(widget_view as chunks::ViewFn) }),
        single: || Box::pin(async { Ok(single::single_view as chunks::SingleFn) }),
        chapter: || Box::pin(async { Ok(chapter::chapter_code()) }),
    }
}

/// The widgets' views in the groups the split build puts in one chunk each (the entry point's
/// split points return these functions). A kind outside the group draws nothing.
pub mod views {
    use super::*;

    /// The book trainer.
    pub fn trainer(_kind: WidgetKind) -> AnyView {
        view! { <BookTrainer /> }.into_any()
    }

    /// The four widgets that replay a tape.
    pub fn replays(kind: WidgetKind) -> AnyView {
        match kind {
            WidgetKind::Replay => view! { <InteractiveReplay /> }.into_any(),
            WidgetKind::MakerInventory => view! { <MakerInventory /> }.into_any(),
            WidgetKind::DealerBook => view! { <DealerBookLanes /> }.into_any(),
            WidgetKind::Heatmap => view! { <InternalizationHeatmap /> }.into_any(),
            WidgetKind::BookTrainer | WidgetKind::HedgeLab => ().into_any(),
        }
    }

    /// The hedge lab.
    pub fn hedge_lab(_kind: WidgetKind) -> AnyView {
        view! { <HedgeLab /> }.into_any()
    }
}

/// The page address's query parameters, in order.
pub(crate) fn query_pairs() -> Vec<(String, String)> {
    let Some(search) = web_sys::window().and_then(|w| w.location().search().ok()) else {
        return Vec::new();
    };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let Ok(Some(iter)) = js_sys::try_iter(&params) else {
        return out;
    };
    for entry in iter.flatten() {
        let pair = js_sys::Array::from(&entry);
        if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            out.push((k, v));
        }
    }
    out
}

/// Settings from the address: its query parameters, and a tape carried in its fragment
/// (`#tape=…`), which wins over `?tape=`.
pub(crate) fn address_settings(
    pairs: &[(String, String)],
) -> (WidgetSettings, Vec<dealer_book::settings::Notice>) {
    let (mut settings, mut notices) =
        WidgetSettings::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    if dealer_book::link::fragment_tape(&hash).is_some() {
        if let Some(old) = settings.tape.replace(hash) {
            notices.push(dealer_book::settings::Notice {
                name: "tape".into(),
                value: old,
                message: "the address also carries a tape after #tape=; using that one".into(),
            });
        }
    }
    (settings, notices)
}

/// A new `#tape=` pasted into the address of an open page changes only the fragment, which does
/// not load the page again: reload it, so the new link's tape opens as from a fresh tab.
pub(crate) fn reload_on_new_link() {
    let Some(w) = web_sys::window() else { return };
    let opened = w
        .location()
        .hash()
        .ok()
        .and_then(|h| dealer_book::link::fragment_tape(&h).map(str::to_string));
    let on_change = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
        let Some(w) = web_sys::window() else { return };
        let now = w.location().hash().unwrap_or_default();
        let now = dealer_book::link::fragment_tape(&now).map(str::to_string);
        if now.is_some() && now != opened {
            let _ = w.location().reload();
        }
    });
    let _ = w.add_event_listener_with_callback("hashchange", on_change.as_ref().unchecked_ref());
    on_change.forget();
}

/// Starts the app on a page of ours: the chapter's islands (or a presentation of one widget
/// when the URL names one) where `<body data-page="chapter">`, a single widget where
/// `data-page="embed"`. On other pages it does nothing: authors' pages use the custom element.
pub fn start() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = doc.body() else { return };
    let page = body.get_attribute("data-page").unwrap_or_default();
    let pairs = query_pairs();
    let (settings, mut notices) = address_settings(&pairs);
    reload_on_new_link();
    if settings.kind.is_none() && page == "chapter" {
        // A lesson shapes one widget: on the chapter page it would be silently dropped.
        for (name, value) in &pairs {
            if dealer_book::settings::LESSON_NAMES.contains(&name.as_str()) {
                notices.push(dealer_book::settings::Notice {
                    name: name.clone(),
                    value: value.clone(),
                    message: "lesson settings apply to one widget; add widget=replay (or another \
                              widget) to the address to use them. Ignored on the chapter page"
                        .into(),
                });
            }
        }
    }
    let notices = dealer_book::settings::notice_lines(&notices);
    // Chunk loads are tasks: the executor must run before the first mount.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    match page.as_str() {
        "chapter" if settings.kind.is_none() => {
            let step_given = pairs.iter().any(|(k, _)| k == "step");
            chapter::mount(&doc, settings, notices, step_given)
        }
        "chapter" => single::mount_page(&doc, Presentation::Classroom, settings, notices),
        "embed" => single::mount_page(&doc, Presentation::Frame, settings, notices),
        _ => {}
    }
}

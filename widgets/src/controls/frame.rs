//! What every widget is drawn in and beside: the frame with its title and replay keys, the band
//! badge, the live region, notices and error boxes, and page-unique ids.

use dealer_book::book::Band;
use leptos::prelude::*;

use super::state::ReplayState;

/// True when a key belongs to the focused control rather than to the replay: every key in
/// sliders, selects, text fields and the heatmap grid; Space and Enter on buttons.
pub fn key_belongs_to_control(ev: &leptos::ev::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    match el.tag_name().as_str() {
        "INPUT" | "SELECT" | "TEXTAREA" => true,
        "BUTTON" | "A" => matches!(ev.key().as_str(), " " | "Enter"),
        _ => el.closest("[data-own-keys]").ok().flatten().is_some(),
    }
}

/// Shape glyph per band, so the band never relies on colour alone.
pub fn band_glyph(b: Band) -> &'static str {
    match b {
        Band::Green => "●",
        Band::Amber => "▲",
        Band::Red => "■",
    }
}

/// A band label with colour, glyph and word.
#[component]
pub fn BandBadge(
    /// The band to show.
    #[prop(into)]
    band: Signal<Band>,
) -> impl IntoView {
    view! {
        <span class=move || format!("band band-{}", band.get().name())>
            <span aria-hidden="true">{move || band_glyph(band.get())}</span>
            " "
            {move || band.get().name().to_ascii_uppercase()}
        </span>
    }
}

/// Polite live region for step announcements.
#[component]
pub fn LiveRegion() -> impl IntoView {
    let state = expect_context::<ReplayState>();
    view! {
        <div class="sr-only" role="status" aria-live="polite">
            {move || state.announce.get()}
        </div>
    }
}

/// A readable error box: what went wrong and where.
#[component]
pub fn ErrorBox(
    /// What could not be done.
    #[prop(into)]
    title: String,
    /// Why, and what to do about it.
    #[prop(into)]
    message: String,
) -> impl IntoView {
    view! {
        <div class="error-box" role="alert">
            <strong>{title}</strong>
            <p class="error-message">{message}</p>
        </div>
    }
}

/// Visible notices about settings that fell back to defaults.
#[component]
pub fn Notices(
    /// One line per setting that fell back to its default.
    notices: Vec<String>,
) -> impl IntoView {
    (!notices.is_empty()).then(|| {
        view! {
            <div class="notice" role="status">
                <strong>"Some settings were not usable and fell back to defaults:"</strong>
                <ul>
                    {notices
                        .into_iter()
                        .map(|n| {
                            view! {
                                <li>
                                    <code>{n}</code>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// The frame every widget sits in: title, focusable region, replay keys when the widget follows
/// the replay.
#[component]
pub fn WidgetFrame(
    /// Heading text.
    #[prop(into)]
    title: String,
    /// Class naming the widget, e.g. `maker-inventory`.
    #[prop(into)]
    kind: String,
    /// Whether Left/Right/Home/Space drive the shared replay cursor.
    #[prop(default = true)]
    replay_keys: bool,
    children: Children,
) -> impl IntoView {
    let state = use_context::<ReplayState>();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if !replay_keys
            || key_belongs_to_control(&ev)
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.alt_key()
        {
            return;
        }
        if let Some(s) = state {
            if s.handle_key(&ev.key()) {
                // Used here: not the host page's shortcut too (mdBook pages its chapters on arrows).
                ev.prevent_default();
                ev.stop_propagation();
            }
        }
    };
    let id = format!("w-{kind}-{}", next_id());
    let labelled_by = id.clone();
    let level = use_context::<TitleLevel>().map(|l| l.0).unwrap_or(3);
    view! {
        <div
            class=format!("dbw dbw-{kind}")
            role="group"
            aria-labelledby=labelled_by
            tabindex="0"
            on:keydown=on_key
        >
            {if level == 2 {
                view! {
                    <h2 class="dbw-title" id=id>
                        {title}
                    </h2>
                }
                    .into_any()
            } else {
                view! {
                    <h3 class="dbw-title" id=id>
                        {title}
                    </h3>
                }
                    .into_any()
            }}
            {children()}
        </div>
    }
}

/// The heading level of widget titles below this point (3 in the chapter, 2 on single-widget pages).
#[derive(Clone, Copy)]
pub struct TitleLevel(pub u8);

/// A page-unique number for element ids.
pub fn next_id() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_band_has_its_own_shape() {
        let glyphs = [Band::Green, Band::Amber, Band::Red].map(band_glyph);
        assert!(glyphs.iter().all(|g| g.chars().count() == 1));
        assert_ne!(glyphs[0], glyphs[1]);
        assert_ne!(glyphs[1], glyphs[2]);
        assert_ne!(glyphs[0], glyphs[2]);
    }
}

//! The chapter page. Its prose, contents and widget slots are static HTML (rendered at build time
//! by `dealer-book-chapter`); here each slot becomes an island: its placeholder box is replaced
//! by the widget, and all islands share one [`ReplayState`], so stepping one steps them all.
//! The URL's settings (step, regime, gamma, heatmap) open that shared state.

use dealer_book::settings::{WidgetKind, WidgetSettings};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

use super::{chapter_replay, widget_view};
use crate::controls::{LiveRegion, Notices, ReplayState};
use crate::follow::FollowBar;
use dealer_book::reading::Follow;

/// Writes a failure into every island's status line, keeping its box (and the prose) in place.
fn fail_islands(doc: &Document, message: &str) {
    for island in elements(doc, "[data-island]") {
        island.class_list().add_1("island-failed").ok();
        if let Ok(Some(status)) = island.query_selector(".island-status") {
            status.set_text_content(Some(&format!(
                "The interactive part of this widget could not start: {message}"
            )));
        }
    }
}

fn elements(root: &Document, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

fn html_element(doc: &Document, selector: &str) -> Option<HtmlElement> {
    doc.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
}

/// Mounts every widget slot of the chapter as an island over one shared replay state, and
/// starts follow my reading (held at first when the URL chose the step: `step_given`).
pub fn mount(
    doc: &Document,
    mut settings: WidgetSettings,
    mut notices: Vec<String>,
    step_given: bool,
) {
    let replay = match chapter_replay() {
        Ok(r) => r,
        Err(e) => return fail_islands(doc, &e),
    };
    if let Some(tape) = &settings.tape {
        notices.push(format!(
            "{}: the chapter always replays its own tape; add widget=NAME to open one widget on another tape",
            dealer_book::link::quoted_address(tape)
        ));
    }
    if let Some(n) = settings.clamp_step(replay.len()) {
        notices.push(n.to_string());
    }
    // The contents start open beside the text on wide screens (their own column: no shift),
    // folded above it on phones, as the static page has them.
    let wide = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .is_some_and(|w| w >= 1024.0);
    if wide {
        if let Ok(Some(details)) = doc.query_selector(".toc details") {
            details.set_attribute("open", "").ok();
        }
    }
    // The shared state's effects run on the browser's task queue (mount_to sets this up too,
    // but the state is made before the first island mounts).
    let _ = any_spawner::Executor::init_wasm_bindgen();
    // One owner for the page's lifetime holds the shared state; each island is its child.
    let owner = Owner::new();
    owner.with(|| {
        let state = ReplayState::new(replay, &settings);
        let targets = StoredValue::new(crate::follow::watch_reading(doc, state));
        let predicting = state.predicting();
        state.follow.set(Some(Follow::at_open(
            step_given,
            predicting,
            state.reading.get_untracked(),
        )));
        if !step_given && !predicting {
            // Opened at a step's text (a #step link): the widgets show that step.
            if let Some(step) = state.reading.get_untracked() {
                state.cursor.set(step.clamp(state.lo, state.hi));
            }
        }
        for slot in elements(doc, ".widget-slot[data-widget]") {
            let key = slot.get_attribute("data-widget").unwrap_or_default();
            let island: Option<HtmlElement> = slot
                .query_selector("[data-island]")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into().ok());
            let (Some(kind), Some(island)) = (WidgetKind::from_key(&key), island) else {
                continue;
            };
            island.set_inner_html("");
            leptos::mount::mount_to(island, move || {
                provide_context(state);
                widget_view(kind)
            })
            .forget();
            // Beside the replay's steps: the bar that says what the widget follows.
            if let Ok(Some(bar)) = slot
                .closest(".follow-rail")
                .map(|rail| rail.and_then(|r| r.query_selector("[data-follow-bar]").ok().flatten()))
            {
                if let Ok(bar) = bar.dyn_into::<HtmlElement>() {
                    leptos::mount::mount_to(bar, move || {
                        provide_context(state);
                        provide_context(targets);
                        view! { <FollowBar /> }
                    })
                    .forget();
                }
            }
            // The instructor's lesson builder, in the line the static page reserved for it.
            if let Some(place) = slot
                .query_selector("[data-lesson-builder]")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<HtmlElement>().ok())
            {
                leptos::mount::mount_to(place, move || {
                    provide_context(state);
                    view! { <crate::lesson_builder::LessonBuilder kind=kind /> }
                })
                .forget();
            }
            // The slot's "Present this widget" link reopens the widget as it is now.
            if let Ok(Some(link)) = slot.query_selector(".present-link") {
                Effect::new(move |_| {
                    let query = format!("?{}", state.settings(kind, None).to_query());
                    link.set_attribute("href", &query).ok();
                });
            }
        }
        if let Some(root) = html_element(doc, "#chapter-notices") {
            if !notices.is_empty() {
                leptos::mount::mount_to(
                    root,
                    move || view! { <Notices notices=notices.clone() /> },
                )
                .forget();
            }
        }
        if let Some(root) = html_element(doc, "#chapter-live") {
            leptos::mount::mount_to(root, move || {
                provide_context(state);
                view! { <LiveRegion /> }
            })
            .forget();
        }
    });
    // The chapter lives as long as the page.
    std::mem::forget(owner);
}

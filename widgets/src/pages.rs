//! The three ways a reader meets the widgets: the chapter page (prose rendered at build time with
//! widget slots, one shared replay cursor), a single widget from URL parameters (classroom
//! presentation on the chapter page, plain on `embed.html`), and the `<dealer-book-widget>`
//! custom element authors put on their own pages.

use std::sync::Arc;

use dealer_book::replay::{replay, Replay};
use dealer_book::settings::{WidgetKind, WidgetSettings};
use dealer_book::tape::Tape;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::book_trainer::BookTrainer;
use crate::controls::{ErrorBox, LiveRegion, Notices, ReplayState};
use crate::dealer_book::DealerBookLanes;
use crate::heatmap::InternalizationHeatmap;
use crate::hedge_lab::HedgeLab;
use crate::maker_inventory::MakerInventory;
use crate::replay::InteractiveReplay;

/// A piece of the rendered chapter.
pub enum Segment {
    /// Prose, already HTML.
    Html(&'static str),
    /// A widget slot by name.
    Widget(&'static str),
}

mod generated {
    use super::Segment;
    include!(concat!(env!("OUT_DIR"), "/chapter.rs"));
}
pub use generated::{SEGMENTS, TOC};

/// The chapter's replay (the shipped tape; its validity is a build-time and test-time fact).
pub fn chapter_replay() -> Result<Arc<Replay>, String> {
    let tape =
        Tape::from_json(dealer_book::CHAPTER_TAPE).map_err(|e| format!("chapter tape: {e}"))?;
    replay(&tape)
        .map(Arc::new)
        .map_err(|e| format!("chapter tape: {e}"))
}

/// The view of one widget (state must be in context for replay widgets).
pub fn widget_view(kind: WidgetKind) -> AnyView {
    match kind {
        WidgetKind::BookTrainer => view! { <BookTrainer /> }.into_any(),
        WidgetKind::Replay => view! { <InteractiveReplay /> }.into_any(),
        WidgetKind::MakerInventory => view! { <MakerInventory /> }.into_any(),
        WidgetKind::DealerBook => view! { <DealerBookLanes /> }.into_any(),
        WidgetKind::Heatmap => view! { <InternalizationHeatmap /> }.into_any(),
        WidgetKind::HedgeLab => view! { <HedgeLab /> }.into_any(),
    }
}

/// The current settings of a state, for links that reopen it.
pub fn settings_of(state: &ReplayState, kind: WidgetKind, tape: Option<String>) -> WidgetSettings {
    WidgetSettings {
        kind: Some(kind),
        step: state.cursor.get(),
        regime: state.regime.get(),
        gamma_milli: state.gamma.get(),
        tape,
        x: state.x.get(),
        y: state.y.get(),
        levels: state.levels.get(),
        rule: state.rule.get(),
        cost: state.cost.get(),
        paths: state.paths.get(),
        lesson: state.lesson.get_value(),
    }
}

/// The whole chapter: contents, prose and widgets sharing one replay cursor.
#[component]
pub fn ChapterPage(state: ReplayState, notices: Vec<String>) -> impl IntoView {
    provide_context(state);
    let body = SEGMENTS
        .iter()
        .map(|seg| match seg {
            Segment::Html(html) => view! { <div class="prose" inner_html=*html></div> }.into_any(),
            Segment::Widget(name) => match WidgetKind::from_key(name) {
                Some(kind) => view! {
                    <div class="widget-slot" data-widget=kind.key()>
                        {widget_view(kind)}
                        <a class="present-link" href=move || format!("?{}", settings_of(&state, kind, None).to_query())>
                            "Present this widget ↗"
                        </a>
                        <crate::lesson_builder::LessonBuilder kind=kind />
                    </div>
                }
                .into_any(),
                None => view! { <ErrorBox title="Unknown widget slot" message=format!("No widget named `{name}`.") /> }.into_any(),
            },
        })
        .collect_view();
    // The contents start open beside the text on wide screens, folded above it on phones.
    let wide = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .is_some_and(|w| w >= 1024.0);
    view! {
        <a class="skip-link" href="#chapter-body">"Skip to the chapter"</a>
        <div class="page">
            <nav class="toc" aria-label="Contents">
                <details open=wide>
                    <summary class="toc-title">"Contents"</summary>
                    <ol>
                        {TOC.iter().map(|(level, id, text)| view! {
                            <li class=format!("toc-h{level}")><a href=format!("#{id}")>{*text}</a></li>
                        }).collect_view()}
                    </ol>
                </details>
            </nav>
            <main id="chapter-body" class="chapter" tabindex="-1"><Notices notices=notices />{body}</main>
        </div>
        <LiveRegion />
    }
}

fn query_pairs() -> Vec<(String, String)> {
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

/// Loads a tape from a URL (relative to the page) and replays it; errors say what and where.
async fn load_tape(url: String) -> Result<Arc<Replay>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(&url))
        .await
        .map_err(|_| format!("{url}: could not be loaded (network error or blocked request)"))?;
    let resp: web_sys::Response = resp
        .dyn_into()
        .map_err(|_| format!("{url}: unexpected fetch result"))?;
    if !resp.ok() {
        return Err(format!(
            "{url}: could not be loaded (HTTP {})",
            resp.status()
        ));
    }
    let text = resp
        .text()
        .map_err(|_| format!("{url}: response has no text"))?;
    let text = wasm_bindgen_futures::JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| format!("{url}: response is not text"))?;
    let tape = Tape::from_json(&text).map_err(|e| format!("{url}: {e}"))?;
    replay(&tape)
        .map(Arc::new)
        .map_err(|e| format!("{url}: {e}"))
}

/// How a single widget is shown.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Presentation {
    /// Full window, large type, high contrast, keys on the whole document, state in the URL.
    Classroom,
    /// Plain, for an iframe (`embed.html`): keys on the whole document, state in the URL.
    Frame,
    /// Inside an author's page (custom element): keys only when focused, URL untouched.
    Element,
}

/// One widget from settings: loads its tape, shows notices and errors inside its own box.
#[component]
pub fn SingleWidget(
    settings: WidgetSettings,
    notices: Vec<String>,
    presentation: Presentation,
) -> impl IntoView {
    let Some(kind) = settings.kind else {
        return view! {
            <div class="dbw-embed">
                <ErrorBox title="dealer-book widget: no widget chosen"
                    message=format!("Set `kind` (attribute) or `widget` (URL) to one of: book-trainer, replay, maker-inventory, dealer-book, heatmap, hedge-lab. {}", notices.join("; ")) />
            </div>
        }
        .into_any();
    };
    let mut notices = notices;
    if let (false, Some(tape)) = (kind.uses_replay(), &settings.tape) {
        notices.push(format!(
            "tape=\"{tape}\": the book trainer does not replay a tape; ignored"
        ));
    }
    let loaded = RwSignal::new(None::<Result<Arc<Replay>, String>>);
    match settings.tape.clone() {
        Some(url) if kind.uses_replay() => {
            leptos::task::spawn_local(async move { loaded.set(Some(load_tape(url).await)) })
        }
        _ => loaded.set(Some(chapter_replay())),
    }
    let settings = StoredValue::new(settings);
    let notices = StoredValue::new(notices);
    if presentation != Presentation::Element {
        provide_context(crate::controls::TitleLevel(2));
    }
    view! {
        <div class="dbw-embed">
            {move || match loaded.get() {
                None => view! { <p class="loading" role="status">"Loading tape…"</p> }.into_any(),
                Some(Err(message)) => view! { <ErrorBox title="This widget's tape could not be used" message=message /> }.into_any(),
                Some(Ok(replay)) => {
                    let mut s = settings.get_value();
                    let mut all = notices.get_value();
                    if let Some(n) = s.clamp_step(replay.len()) { all.push(n.to_string()); }
                    let (range, lesson_notices) = s.lesson_range(replay.len());
                    all.extend(lesson_notices.iter().map(|n| n.to_string()));
                    let state = ReplayState::with_range(replay, &s, range);
                    provide_context(state);
                    if presentation != Presentation::Element { sync_url_and_keys(state, kind, s.tape.clone()) }
                    view! {
                        <Notices notices=all />
                        {widget_view(kind)}
                        <LiveRegion />
                    }.into_any()
                }
            }}
        </div>
    }
    .into_any()
}

/// Keeps the URL equal to the state (so a link reopens it) and drives the widget from the keyboard.
fn sync_url_and_keys(state: ReplayState, kind: WidgetKind, tape: Option<String>) {
    Effect::new(move |_| {
        let query = format!("?{}", settings_of(&state, kind, tape.clone()).to_query());
        if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&query));
        }
    });
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        // A focused widget frame has already handled (and prevented) its replay keys.
        if ev.default_prevented()
            || crate::controls::key_belongs_to_control(&ev)
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.alt_key()
        {
            return;
        }
        if matches!(ev.key().as_str(), "f" | "F") {
            toggle_fullscreen();
            ev.prevent_default();
        } else if state.handle_key(&ev.key()) {
            ev.prevent_default();
        }
    });
    on_cleanup(move || handle.remove());
}

fn toggle_fullscreen() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if doc.fullscreen_element().is_some() {
        doc.exit_fullscreen();
    } else if let Some(el) = doc.document_element() {
        let _ = el.request_fullscreen();
    }
}

/// Starts the app on a page of ours: the chapter (or a presentation of one widget when the URL
/// names one) where `<body data-page="chapter">`, a single widget where `data-page="embed"`.
/// On other pages it does nothing: authors' pages use the custom element.
pub fn start() {
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    else {
        return;
    };
    let page = body.get_attribute("data-page").unwrap_or_default();
    let pairs = query_pairs();
    let (settings, notices) =
        WidgetSettings::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let notices: Vec<String> = notices.iter().map(|n| n.to_string()).collect();
    let root: web_sys::HtmlElement = match body
        .query_selector("#app")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
    {
        Some(r) => r,
        None => return,
    };
    root.set_inner_html("");
    match page.as_str() {
        "chapter" if settings.kind.is_none() => {
            let replay = match chapter_replay() {
                Ok(r) => r,
                Err(e) => {
                    leptos::mount::mount_to(root, move || view! { <ErrorBox title="The chapter could not start" message=e.clone() /> }).forget();
                    return;
                }
            };
            // The chapter honours step, regime, gamma and heatmap settings in the URL too.
            let mut state_settings = settings.clone();
            let mut notices = notices.clone();
            if let Some(tape) = &state_settings.tape {
                notices.push(format!(
                    "tape=\"{tape}\": the chapter always replays its own tape; add widget=NAME to open one widget on another tape"
                ));
            }
            if let Some(n) = state_settings.clamp_step(replay.len()) {
                notices.push(n.to_string());
            }
            leptos::mount::mount_to(root, move || {
                let state = ReplayState::new(replay.clone(), &state_settings);
                view! { <ChapterPage state=state notices=notices.clone() /> }
            })
            .forget();
        }
        "chapter" | "embed" => {
            let presentation = if page == "chapter" {
                Presentation::Classroom
            } else {
                Presentation::Frame
            };
            if presentation == Presentation::Classroom {
                body.class_list().add_1("presenting").ok();
                if settings.lesson.theme == dealer_book::lesson::Theme::Light {
                    body.class_list().add_1("theme-light").ok();
                }
            }
            leptos::mount::mount_to(root, move || {
                let back = (presentation == Presentation::Classroom).then(|| view! {
                    <a class="back-link" href="./">"← Back to the chapter"</a>
                });
                let heading = format!("The Dealer Book: {}", settings.kind.map(|k| k.title()).unwrap_or("widget"));
                view! {
                    <main>
                        <h1 class="sr-only">{heading}</h1>
                        {back}
                        <SingleWidget settings=settings.clone() notices=notices.clone() presentation=presentation />
                    </main>
                }
            })
            .forget();
        }
        _ => {}
    }
}

/// A mounted custom element; dropping (or `free()` from JS) unmounts it.
#[wasm_bindgen]
pub struct WidgetHandle {
    _mounted: Box<dyn std::any::Any>,
}

/// Mounts one widget into a `<dealer-book-widget>` element from its attributes
/// (`kind`, `tape`, `step`, `regime`, `gamma`, `x`, `y`, and the heatmap levels).
#[wasm_bindgen]
pub fn mount_widget(host: web_sys::HtmlElement) -> WidgetHandle {
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
    host.set_inner_html("");
    let handle = leptos::mount::mount_to(host, move || {
        view! { <SingleWidget settings=settings.clone() notices=notices.clone() presentation=Presentation::Element /> }
    });
    WidgetHandle {
        _mounted: Box::new(handle),
    }
}

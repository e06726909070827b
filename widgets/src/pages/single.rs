//! One widget from settings: loads its tape, shows notices and errors inside its own box. Used
//! for classroom presentation (the chapter page with `?widget=NAME`), `embed.html` in an iframe,
//! and each `<dealer-book-widget>` element.

use dealer_book::settings::{WidgetKind, WidgetSettings};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Document;

use super::chapter_replay;
use super::chunks::{LazySingle, LazyWidget, SingleArgs};
use crate::controls::{ErrorBox, LiveRegion, Notices, ReplayState};
use crate::tape_source::{self, Loaded, Origins};

pub use super::chunks::Presentation;

/// [`SingleWidget`] from the arguments a page hands the single-widget code (what the split
/// point of the `single` chunk returns).
pub fn single_view(args: SingleArgs) -> AnyView {
    let SingleArgs {
        settings,
        notices,
        presentation,
        state_out,
        inline,
    } = args;
    SingleWidget(SingleWidgetProps {
        settings,
        notices,
        presentation,
        state_out,
        inline,
    })
    .into_any()
}

/// One widget from settings: loads its tape, shows notices and errors inside its own box.
#[component]
pub fn SingleWidget(
    /// What to show and how to open it.
    settings: WidgetSettings,
    /// Settings that fell back to defaults, shown above the widget.
    notices: Vec<String>,
    /// Where it is shown.
    presentation: Presentation,
    /// Receives the widget's state once its tape is replayed (the custom element updates it in
    /// place when an attribute changes).
    #[prop(optional)]
    state_out: Option<ArcRwSignal<Option<ReplayState>>>,
    /// The tape's text written inside the element (`<script type="application/json">`); it
    /// wins over a `tape` address.
    #[prop(optional)]
    inline: Option<String>,
) -> impl IntoView {
    let Some(kind) = settings.kind else {
        return view! {
            <div class="dbw-embed">
                <ErrorBox
                    title="dealer-book widget: no widget chosen"
                    message=format!(
                        "Set `kind` (attribute) or `widget` (URL) to one of: book-trainer, replay, maker-inventory, dealer-book, heatmap, hedge-lab. {}",
                        notices.join("; "),
                    )
                />
            </div>
        }
        .into_any();
    };
    let mut notices = notices;
    if let (true, Some(tape)) = (inline.is_some(), &settings.tape) {
        notices.push(format!(
            "{}: this element holds its tape inline; the attribute is ignored",
            dealer_book::link::quoted_address(tape)
        ));
    }
    if let (false, Some(tape)) = (kind.uses_replay(), &settings.tape) {
        notices.push(format!(
            "{}: the book trainer does not replay a tape; ignored",
            dealer_book::link::quoted_address(tape)
        ));
    }
    // A plain signal filled by `spawn_local`, not `LocalResource` + `Suspense`: those grew this
    // chunk (`split_single.wasm`, which every embed and presentation loads) from 18.1 to 32.8 KB
    // gzip when tried (issue 22).
    let loaded = RwSignal::new(None::<Result<Loaded, String>>);
    let origins = match presentation {
        Presentation::Element => Origins::Any,
        Presentation::Classroom | Presentation::Frame => Origins::Own,
    };
    match settings.tape.clone() {
        _ if inline.is_some() && kind.uses_replay() => {
            let text = inline.unwrap_or_default();
            let label = "the tape inside this element (<script type=\"application/json\">)";
            loaded.set(Some(tape_source::from_text(&text, label).map(|replay| {
                Loaded {
                    replay,
                    source: String::new(),
                }
            })));
        }
        Some(url) if kind.uses_replay() => leptos::task::spawn_local(async move {
            let result = tape_source::load(url, origins).await;
            // The element may have been removed while the tape was on its way.
            let _ = loaded.try_set(Some(result));
        }),
        _ => loaded.set(Some(chapter_replay().map(|replay| Loaded {
            replay,
            source: String::new(),
        }))),
    }
    let settings = StoredValue::new(settings);
    let notices = StoredValue::new(notices);
    if presentation != Presentation::Element {
        provide_context(crate::controls::TitleLevel(2));
    }
    view! {
        <div class="dbw-embed">
            {move || match loaded.get() {
                None => {
                    view! {
                        <p class="loading" role="status">
                            "Loading tape…"
                        </p>
                    }
                        .into_any()
                }
                Some(Err(message)) => {
                    view! {
                        <ErrorBox title="This widget's tape could not be used" message=message />
                    }
                        .into_any()
                }
                Some(Ok(Loaded { replay, source })) => {
                    let provenance = (!source.is_empty())
                        .then(|| {
                            let title = replay.title.clone();
                            view! {
                                <p class="provenance">
                                    "Tape: " <cite>{title}</cite> " · from " {source}
                                </p>
                            }
                        });
                    let mut s = settings.get_value();
                    let mut all = notices.get_value();
                    if let Some(n) = s.clamp_step(replay.len()) {
                        all.push(n.to_string());
                    }
                    let (range, lesson_notices) = s.lesson_range(replay.len());
                    all.extend(lesson_notices.iter().map(|n| n.to_string()));
                    let state = ReplayState::with_range(replay, &s, range);
                    provide_context(state);
                    if let Some(out) = &state_out {
                        out.set(Some(state));
                    }
                    if presentation != Presentation::Element {
                        sync_url_and_keys(state, kind, s.tape.clone())
                    }
                    view! {
                        {provenance}
                        <Notices notices=all />
                        <LazyWidget kind=kind />
                        <LiveRegion />
                    }
                        .into_any()
                }
            }}
        </div>
    }
    .into_any()
}

/// Keeps the URL equal to the state (so a link reopens it) and drives the widget from the keyboard.
fn sync_url_and_keys(state: ReplayState, kind: WidgetKind, tape: Option<String>) {
    // A tape carried in the fragment stays there (it never reaches a server); the query holds
    // the rest of the state.
    let (tape, hash) = match tape {
        Some(t) if dealer_book::link::fragment_tape(&t).is_some() => (None, t),
        other => (other, String::new()),
    };
    Effect::new(move |_| {
        let query = format!("?{}{hash}", state.settings(kind, tape.clone()).to_query());
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

/// Shows one widget as the whole page: classroom presentation on the chapter page (its static
/// prose is taken out first), or the plain frame of `embed.html`.
pub fn mount_page(
    doc: &Document,
    presentation: Presentation,
    settings: WidgetSettings,
    notices: Vec<String>,
) {
    let Some(body) = doc.body() else { return };
    if presentation == Presentation::Classroom {
        body.class_list().add_1("presenting").ok();
        if settings.lesson.theme == dealer_book::lesson::Theme::Light {
            body.class_list().add_1("theme-light").ok();
        }
        for selector in [".skip-link", ".page", "#chapter-live"] {
            if let Ok(Some(el)) = doc.query_selector(selector) {
                el.remove();
            }
        }
    }
    let root: web_sys::HtmlElement = match doc.query_selector("#app").ok().flatten() {
        Some(el) => match el.dyn_into() {
            Ok(el) => el,
            Err(_) => return,
        },
        None => match doc
            .create_element("div")
            .ok()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            Some(el) => {
                body.append_child(&el).ok();
                el
            }
            None => return,
        },
    };
    root.set_inner_html("");
    leptos::mount::mount_to(root, move || {
        let back = (presentation == Presentation::Classroom).then(|| {
            view! {
                <a class="back-link" href="./">
                    "← Back to the chapter"
                </a>
            }
        });
        let heading = format!(
            "The Dealer Book: {}",
            settings.kind.map(|k| k.title()).unwrap_or("widget")
        );
        view! {
            <main>
                <h1 class="sr-only">{heading}</h1>
                {back}
                <LazySingle args=SingleArgs {
                    settings: settings.clone(),
                    notices: notices.clone(),
                    presentation,
                    state_out: None,
                    inline: None,
                } />
            </main>
        }
    })
    .forget();
}

//! Widget code that arrives on demand. In the split build (`scripts/build-app.sh`) each widget's
//! code lives in a WebAssembly chunk of its own group, fetched the first time a page needs it;
//! the entry point registers the loaders ([`set_loaders`]) before anything mounts. Pages ask for a
//! widget with [`load`] (or show it with [`LazyWidget`]) and never name a widget's code directly,
//! so none of it is linked into the main module.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use dealer_book::settings::WidgetKind;
use leptos::prelude::*;

use dealer_book::settings::WidgetSettings;
use web_sys::Element;

use crate::controls::{ErrorBox, ReplayState};
use crate::follow::StepTargets;

/// Draws one widget (its state must be in context for replay widgets).
pub type ViewFn = fn(WidgetKind) -> AnyView;

/// A widget's code on its way.
pub type LoadFuture = Pin<Box<dyn Future<Output = Result<ViewFn, ChunkError>>>>;

/// How a single widget is shown.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Presentation {
    /// Full window, large type, high contrast, keys on the whole document, state in the URL.
    Classroom,
    /// Plain, for an iframe (`embed.html`): keys on the whole document, state in the URL.
    Frame,
    /// Inside an author's page (custom element): keys only when focused, URL untouched.
    Element,
}

/// What a page hands the single-widget code: one widget from settings.
pub struct SingleArgs {
    /// What to show and how to open it.
    pub settings: WidgetSettings,
    /// Settings that fell back to defaults, shown above the widget.
    pub notices: Vec<String>,
    /// Where it is shown.
    pub presentation: Presentation,
    /// Receives the widget's state once its tape is replayed.
    pub state_out: Option<ArcRwSignal<Option<ReplayState>>>,
    /// The tape's text written inside the element, if any.
    pub inline: Option<String>,
}

/// Draws one widget from settings, with its tape and notices (`single::single_view`).
pub type SingleFn = fn(SingleArgs) -> AnyView;

/// What the chapter's code needs to start: the address's settings, whether it chose the step,
/// the section being read (kept by the main module since the page opened) and where each
/// step's text is.
pub struct ChapterStart {
    /// The address's settings.
    pub settings: WidgetSettings,
    /// The address chose the step (`?step=N`): following starts held.
    pub step_given: bool,
    /// The replay step whose text is being read.
    pub reading: RwSignal<Option<usize>>,
    /// Where each step's text is.
    pub targets: StoredValue<StepTargets>,
}

/// The chapter's own code, as the split build's `chapter` chunk hands it over
/// (`chapter::chapter_code`).
#[derive(Clone, Copy)]
pub struct ChapterCode {
    /// Replays the chapter's tape and makes the shared state (with follow my reading, the live
    /// region and the notices only the tape can give, such as a step past its end).
    pub start: fn(ChapterStart) -> Result<ReplayState, String>,
    /// Mounts a slot's companions: the follow bar beside the replay's steps, the lesson builder
    /// and the "Present this widget" link.
    pub companions: fn(&Element, WidgetKind, ReplayState, StoredValue<StepTargets>),
}

/// The single-widget code on its way.
pub type SingleFuture = Pin<Box<dyn Future<Output = Result<SingleFn, ChunkError>>>>;

/// How the code of each part arrives (the split build's loaders, or `pages::direct_loaders`).
#[derive(Clone, Copy)]
pub struct Loaders {
    /// A widget kind's code.
    pub widget: fn(WidgetKind) -> LoadFuture,
    /// The code that shows one widget from settings (presentation, embed, custom element):
    /// tape fetching and reading, links, notices.
    pub single: fn() -> SingleFuture,
    /// The chapter page's own code: its tape, shared state and companions of each slot.
    pub chapter: fn() -> ChapterFuture,
}

/// The chapter's code on its way.
pub type ChapterFuture = Pin<Box<dyn Future<Output = Result<ChapterCode, ChunkError>>>>;

/// A widget's code could not be loaded (a network error, a missing file, a
/// Content-Security-Policy that blocks it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ChunkError(pub String);

impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkError(last_failure().unwrap_or_else(|| "its file could not be loaded".into()))
    }
}

/// The reason the split loader gave for its last failure (`scripts/build-app.sh` makes the
/// generated loader keep it in `globalThis.dealerBookChunkError`).
fn last_failure() -> Option<String> {
    let global = js_sys::global();
    let value = js_sys::Reflect::get(&global, &"dealerBookChunkError".into()).ok()?;
    value.as_string().filter(|s| !s.is_empty())
}

static LOADERS: OnceLock<Loaders> = OnceLock::new();

/// Registers how code is fetched; the first registration wins.
pub fn set_loaders(loaders: Loaders) {
    let _ = LOADERS.set(loaders);
}

fn loaders() -> Result<Loaders, ChunkError> {
    LOADERS
        .get()
        .copied()
        .ok_or_else(|| ChunkError("the page started without its code loaders (set_loaders)".into()))
}

/// The code of `kind`, fetched if it has not arrived yet.
pub async fn load(kind: WidgetKind) -> Result<ViewFn, ChunkError> {
    (loaders()?.widget)(kind).await
}

/// The chapter page's code, fetched if it has not arrived yet.
pub async fn load_chapter() -> Result<ChapterCode, ChunkError> {
    (loaders()?.chapter)().await
}

/// The single-widget code, fetched if it has not arrived yet.
pub async fn load_single() -> Result<SingleFn, ChunkError> {
    (loaders()?.single)().await
}

/// The reader-facing words for a chunk that did not load.
pub fn failure_text(kind: WidgetKind, error: &ChunkError) -> String {
    format!(
        "the code of the {} (a WebAssembly file) could not be loaded: {error}. The rest of the page \
         works; reload to try again",
        kind.title()
    )
}

/// One widget whose code loads on demand: a short loading line, then the widget, or a box that
/// says why its code did not arrive.
#[component]
pub fn LazyWidget(
    /// Which widget.
    kind: WidgetKind,
) -> impl IntoView {
    let code = RwSignal::new(None::<Result<ViewFn, ChunkError>>);
    leptos::task::spawn_local(async move {
        let result = load(kind).await;
        let _ = code.try_set(Some(result));
    });
    move || {
        match code.get() {
        None => view! {
            <p class="loading" role="status">
                "Loading the widget…"
            </p>
        }
        .into_any(),
        Some(Ok(draw)) => draw(kind),
        Some(Err(e)) => view! { <ErrorBox title="This widget could not start" message=failure_text(kind, &e) /> }
        .into_any(),
    }
    }
}

/// One widget from settings (`single::SingleWidget`) whose code loads on demand.
#[component]
pub fn LazySingle(
    /// The single widget's settings, handed over once its code has arrived.
    args: SingleArgs,
) -> impl IntoView {
    let code = RwSignal::new(None::<Result<SingleFn, ChunkError>>);
    leptos::task::spawn_local(async move {
        let result = load_single().await;
        let _ = code.try_set(Some(result));
    });
    let args = std::cell::RefCell::new(Some(args));
    move || match code.get() {
        None => view! {
            <p class="loading" role="status">
                "Loading the widget…"
            </p>
        }
        .into_any(),
        Some(Ok(draw)) => match args.borrow_mut().take() {
            Some(p) => draw(p),
            None => ().into_any(),
        },
        Some(Err(e)) => view! {
            <ErrorBox
                title="This widget could not start"
                message=format!(
                    "its code (a WebAssembly file) could not be loaded: {e}. Reload to try again",
                )
            />
        }
        .into_any(),
    }
}

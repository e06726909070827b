//! The chapter page. Its prose, contents and widget slots are static HTML (rendered at build time
//! by `dealer-book-chapter`); here each slot becomes an island: its placeholder box is replaced
//! by the widget, and all islands share one [`ReplayState`], so stepping one steps them all.
//! The URL's settings (step, regime, gamma, heatmap) open that shared state.
//!
//! Nothing heavy runs before the reader nears a widget: [`mount`] (in the main module) opens the
//! contents, shows the address's notices, marks the section being read and watches the slots.
//! When a slot comes within about one viewport of the screen, or the reader reaches for it
//! (focus, pointer), that widget's chunk arrives and the island mounts in the box the static page
//! reserved for it. Widgets that replay the tape first wait for the chapter's own code
//! ([`ChapterCode`], a chunk of the split build: the shared state, from the chapter's compiled-in
//! tape); the book
//! trainer replays nothing and mounts at once, its companions (lesson builder, present link)
//! following when the chapter's code is there. Each island's cursor follows the shared one only
//! while the island is seen ([`ReplayState::seen_through`]).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use dealer_book::settings::{WidgetKind, WidgetSettings};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

use super::chapter_replay;
use super::chunks::{self, ChapterCode, ChapterStart, ChunkError};
use crate::controls::{LiveRegion, Notices, ReplayState};
use crate::follow::{FollowBar, StepTargets};

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

/// The chapter's code (what the split point of the `chapter` chunk returns).
pub fn chapter_code() -> ChapterCode {
    ChapterCode {
        start: start_state,
        companions,
    }
}

fn start_state(start: ChapterStart) -> Result<ReplayState, String> {
    let ChapterStart {
        mut settings,
        step_given,
        reading,
        targets: _,
    } = start;
    let replay = chapter_replay()?;
    let mut notices = Vec::new();
    if let Some(n) = settings.clamp_step(replay.len()) {
        notices.push(n.to_string());
    }
    let state = ReplayState::new(replay, &settings);
    // Follow my reading from the section being read, as the main module has watched it since
    // the page opened (a #step link, or scrolled there before the widgets came, shows that
    // step); then the cursor follows each new section.
    state.open_following(step_given, reading.get_untracked());
    Effect::new(move |_| state.read(reading.get()));
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return Ok(state);
    };
    if let Some(root) = html_element(&doc, "#chapter-notices") {
        if !notices.is_empty() {
            leptos::mount::mount_to(root, move || view! { <Notices notices=notices.clone() /> })
                .forget();
        }
    }
    if let Some(root) = html_element(&doc, "#chapter-live") {
        leptos::mount::mount_to(root, move || {
            provide_context(state);
            view! { <LiveRegion /> }
        })
        .forget();
    }
    Ok(state)
}

fn companions(
    slot: &Element,
    kind: WidgetKind,
    state: ReplayState,
    targets: StoredValue<StepTargets>,
) {
    // Beside the replay's steps: the bar that says what the widget follows.
    if let Ok(Some(bar)) = slot
        .closest(".follow-rail")
        .map(|rail| rail.and_then(|r| r.query_selector("[data-follow-bar]").ok().flatten()))
    {
        if let Ok(bar) = bar.dyn_into::<HtmlElement>() {
            if bar.child_element_count() == 0 {
                leptos::mount::mount_to(bar, move || {
                    provide_context(state);
                    provide_context(targets);
                    view! { <FollowBar /> }
                })
                .forget();
            }
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

/// A slot and what mounts its island.
type SlotMount = (Element, Rc<dyn Fn()>);

/// The chapter's shared state, made once by the first island that mounts.
type Shared = Rc<RefCell<Option<Result<ReplayState, ChunkError>>>>;

/// Opens the chapter page: the contents, the address's notices, the section being read, and the
/// widget slots, each mounted as an island over one shared replay state when the reader nears
/// it (following starts held when the address chose the step: `step_given`).
pub fn mount(doc: &Document, settings: WidgetSettings, mut notices: Vec<String>, step_given: bool) {
    if let Some(tape) = &settings.tape {
        notices.push(format!(
            "{}: the chapter always replays its own tape; add widget=NAME to open one widget on another tape",
            dealer_book::link::quoted_address(tape)
        ));
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
    // One owner for the page's lifetime holds the shared state; each island is its child.
    let owner = Owner::new();
    owner.with(|| {
        if let Some(root) = html_element(doc, "#chapter-notices") {
            if !notices.is_empty() {
                leptos::mount::mount_to(
                    root,
                    move || view! { <Notices notices=notices.clone() /> },
                )
                .forget();
            }
        }
        let reading = RwSignal::new(None);
        let targets = StoredValue::new(crate::follow::watch_reading(doc, reading));
        let start = Rc::new(RefCell::new(Some(ChapterStart {
            settings,
            step_given,
            reading,
            targets,
        })));
        let shared: Shared = Rc::new(RefCell::new(None));
        let mut islands = Vec::new();
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
            islands.push((slot, island, kind));
        }
        mount_when_near(islands, start, shared, targets);
    });
    // The chapter lives as long as the page.
    std::mem::forget(owner);
}

/// The shared state: made by the first caller (fetching the chapter's code), then reused.
async fn shared_state(
    start: &Rc<RefCell<Option<ChapterStart>>>,
    shared: &Shared,
) -> Result<(ReplayState, ChapterCode), ChunkError> {
    let code = chunks::load_chapter().await?;
    if let Some(done) = shared.borrow().clone() {
        return done.map(|state| (state, code));
    }
    let Some(args) = start.borrow_mut().take() else {
        // Another island is making it: it is made synchronously once the code is here, so
        // this cannot be reached after the await above; say so rather than panic.
        return Err(ChunkError("the chapter's state is not ready".into()));
    };
    let made = (code.start)(args).map_err(ChunkError);
    *shared.borrow_mut() = Some(made.clone());
    made.map(|state| (state, code))
}

/// Mounts each island when its slot comes within about one viewport of the screen, or when the
/// reader reaches for it (focus, pointer), whichever is first. Until then the static box keeps
/// its place and says the widget is starting; code that cannot load says why in that box.
fn mount_when_near(
    islands: Vec<(Element, HtmlElement, WidgetKind)>,
    start: Rc<RefCell<Option<ChapterStart>>>,
    shared: Shared,
    targets: StoredValue<StepTargets>,
) {
    let owner = Owner::current();
    let mut mounts: Vec<SlotMount> = Vec::new();
    for (slot, island, kind) in islands {
        let done = Rc::new(Cell::new(false));
        let (owner, start, shared, slot_ref) =
            (owner.clone(), start.clone(), shared.clone(), slot.clone());
        let mount: Rc<dyn Fn()> = Rc::new(move || {
            if done.replace(true) {
                return;
            }
            let (island, owner, start, shared, slot) = (
                island.clone(),
                owner.clone(),
                start.clone(),
                shared.clone(),
                slot_ref.clone(),
            );
            leptos::task::spawn_local(async move {
                let fail = |island: &HtmlElement, e: ChunkError| {
                    fail_island(island, &chunks::failure_text(kind, &e))
                };
                // A widget that replays no tape (the book trainer) mounts as soon as its own
                // code is here; its companions wait for the chapter's code.
                let state = if kind.uses_replay() {
                    match shared_state(&start, &shared).await {
                        Ok(s) => Some(s),
                        Err(e) => return fail(&island, e),
                    }
                } else {
                    None
                };
                let draw = match chunks::load(kind).await {
                    Ok(draw) => draw,
                    Err(e) => return fail(&island, e),
                };
                // Making the shared state, mounting the widget and mounting its companions are
                // each a task of their own: on a slow CPU one long task would stall scrolling.
                next_task().await;
                let in_owner = |f: &dyn Fn()| match &owner {
                    Some(owner) => owner.with(f),
                    None => f(),
                };
                in_owner(&|| {
                    island.set_inner_html("");
                    let seen = RwSignal::new(true);
                    watch_seen(&slot, seen);
                    let own = state.map(|(s, _)| s.seen_through(seen));
                    leptos::mount::mount_to(island.clone(), move || {
                        if let Some(own) = own {
                            provide_context(own);
                        }
                        // Large widgets build their lower part a frame later.
                        provide_context(crate::controls::Staged);
                        draw(kind)
                    })
                    .forget();
                });
                next_task().await;
                let (state, code) = match state {
                    Some(s) => s,
                    None => match shared_state(&start, &shared).await {
                        Ok(s) => s,
                        // The widget works; only its lesson builder and present link are missing.
                        Err(e) => {
                            return web_sys::console::warn_1(
                                &format!("dealer-book: {}", chunks::failure_text(kind, &e)).into(),
                            )
                        }
                    },
                };
                in_owner(&|| (code.companions)(&slot, kind, state, targets));
            });
        });
        for event in ["focusin", "pointerdown"] {
            let mount = mount.clone();
            let on = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || mount());
            slot.add_event_listener_with_callback(event, on.as_ref().unchecked_ref())
                .ok();
            on.forget();
        }
        mounts.push((slot, mount));
    }
    // Without an IntersectionObserver (very old browsers) every island mounts at once.
    if !observe_near(&mounts) {
        for (_, mount) in &mounts {
            mount();
        }
    }
}

/// Calls each slot's mount when the slot is within one viewport height of the screen.
fn observe_near(mounts: &[SlotMount]) -> bool {
    let targets: Vec<SlotMount> = mounts.to_vec();
    let on =
        wasm_bindgen::closure::Closure::<dyn Fn(js_sys::Array, web_sys::IntersectionObserver)>::new(
            move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
                for entry in entries.iter() {
                    let Ok(entry) = entry.dyn_into::<web_sys::IntersectionObserverEntry>() else {
                        continue;
                    };
                    if !entry.is_intersecting() {
                        continue;
                    }
                    let target = entry.target();
                    if let Some((_, mount)) = targets.iter().find(|(slot, _)| *slot == target) {
                        observer.unobserve(&target);
                        mount();
                    }
                }
            },
        );
    let options = web_sys::IntersectionObserverInit::new();
    options.set_root_margin("100% 0px 100% 0px");
    let Ok(observer) =
        web_sys::IntersectionObserver::new_with_options(on.as_ref().unchecked_ref(), &options)
    else {
        return false;
    };
    on.forget();
    for (slot, _) in mounts {
        observer.observe(slot);
    }
    true
}

/// Resolves in a later task of the browser's event loop (a zero-delay timeout).
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let queued = web_sys::window()
            .map(|w| w.set_timeout_with_callback(&resolve).is_ok())
            .unwrap_or(false);
        if !queued {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Keeps `seen` true while the slot is within half a viewport of the screen or holds the focus.
fn watch_seen(slot: &Element, seen: RwSignal<bool>) {
    let focused = Rc::new(Cell::new(false));
    let near = Rc::new(Cell::new(true));
    let update = {
        let (focused, near) = (focused.clone(), near.clone());
        move || {
            let now = focused.get() || near.get();
            if seen.get_untracked() != now {
                seen.set(now);
            }
        }
    };
    for (event, value) in [("focusin", true), ("focusout", false)] {
        let (focused, update) = (focused.clone(), update.clone());
        let on = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
            focused.set(value);
            update();
        });
        slot.add_event_listener_with_callback(event, on.as_ref().unchecked_ref())
            .ok();
        on.forget();
    }
    let on = wasm_bindgen::closure::Closure::<dyn Fn(js_sys::Array)>::new(
        move |entries: js_sys::Array| {
            if let Some(entry) = entries
                .iter()
                .filter_map(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
                .next_back()
            {
                near.set(entry.is_intersecting());
                update();
            }
        },
    );
    let options = web_sys::IntersectionObserverInit::new();
    options.set_root_margin("50% 0px 50% 0px");
    if let Ok(observer) =
        web_sys::IntersectionObserver::new_with_options(on.as_ref().unchecked_ref(), &options)
    {
        observer.observe(slot);
        on.forget();
        // Lives as long as the page.
        std::mem::forget(observer);
    }
}

/// Writes a failure into one island's status line, keeping its box (and the prose) in place.
fn fail_island(island: &HtmlElement, message: &str) {
    island.class_list().add_1("island-failed").ok();
    if let Ok(Some(status)) = island.query_selector(".island-status") {
        status.set_text_content(Some(&format!(
            "The interactive part of this widget could not start: {message}"
        )));
        status.set_attribute("role", "alert").ok();
    }
}

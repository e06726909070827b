//! The tape studio: an editor for a tape's JSON beside a live preview of the replay, MakerInventory
//! and the DealerBook lanes. Each edit (debounced) is read by the same reader as the widgets and
//! the CLI; the first error is marked in the text and worded as the CLI words it, while the preview
//! keeps the last valid tape (dimmed). The caret's step and the preview's cursor follow each
//! other. A palette inserts events priced from the book at the caret, templates start a tape, and
//! the outputs are a file, a share link (`#tape=`) and embed snippets.
//!
//! Every rule (where the caret is, what the palette writes, where an error sits) is in
//! [`dealer_book::studio`] and tested natively; this module wires them to the page.

use std::sync::Arc;

use dealer_book::link::{self, Page, MAX_LINK_CHARS};
use dealer_book::replay::{replay, Replay};
use dealer_book::settings::{WidgetKind, WidgetSettings};
use dealer_book::studio::{self as rules, ErrorPlace, Insert};
use dealer_book::tape::outline::{line_column, Outline};
use dealer_book::tape::Tape;
use leptos::html::Textarea;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::controls::{LiveRegion, Notices, ReplayState, TitleLevel};
use crate::dealer_book::DealerBookLanes;
use crate::downloads::{copy_text, download_text};
use crate::maker_inventory::MakerInventory;
use crate::replay::InteractiveReplay;
use crate::tape_source;

/// Where the draft is kept between visits (this browser only).
const DRAFT_KEY: &str = "dealer-book-studio-draft";

/// Texts up to this many bytes are read on the next tick; longer ones wait for a pause in typing.
const QUICK_BYTES: usize = 64 * 1024;

/// The templates: label and where the text comes from (`None`: built in).
const TEMPLATES: [(&str, &str); 4] = [
    ("chapter", "The chapter's tape"),
    ("two-sided", "Example: two-sided flow nets out"),
    ("broken", "Example: a tape with mistakes"),
    ("empty", "An empty tape"),
];

/// What reading the text gave.
#[derive(Clone)]
struct Check {
    /// The text read.
    text: Arc<str>,
    /// Its structure (the caret's step, the error's place).
    outline: Arc<Outline>,
    /// The replay, or the error's message and place.
    result: Result<Arc<Replay>, (String, ErrorPlace)>,
}

/// Reads a text as the widgets and the CLI do.
fn check(text: Arc<str>) -> Check {
    let outline = Arc::new(Outline::new(&text));
    let result = match Tape::from_json(&text) {
        Ok(tape) => replay(&tape).map(Arc::new).map_err(|e| {
            let place = rules::replay_error_place(&text, &outline, &e);
            (
                format!("line {}, column {}, {e}", place.line, place.column),
                place,
            )
        }),
        Err(e) => Err((
            rules::located_message(&text, &e),
            rules::error_place(&text, &outline, &e),
        )),
    };
    Check {
        text,
        outline,
        result,
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The folder of this page (`https://x.org/db/`), for links and the script's address.
fn page_folder() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let path = href.split(['?', '#']).next().unwrap_or_default();
    match path.rfind('/') {
        Some(i) => path[..=i].to_string(),
        None => String::new(),
    }
}

/// Drops a `#tape=` fragment from the address once the author edits the text: a reload then
/// opens the draft with those edits, not the link's original tape.
fn forget_link_in_address() {
    let Some(w) = web_sys::window() else { return };
    let hash = w.location().hash().unwrap_or_default();
    if link::fragment_tape(&hash).is_none() {
        return;
    }
    let path = w.location().pathname().unwrap_or_default();
    let query = w.location().search().unwrap_or_default();
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{query}")),
        );
    }
}

/// The draft kept in this browser, if any.
fn saved_draft() -> Option<String> {
    storage()
        .and_then(|s| s.get_item(DRAFT_KEY).ok().flatten())
        .filter(|d| !d.trim().is_empty())
}

/// Replaces the editor's selection with `text` as typing would (so Ctrl+Z undoes it), then
/// selects `select` (UTF-16 offsets).
fn type_into(
    area: &web_sys::HtmlTextAreaElement,
    range: (u32, u32),
    text: &str,
    select: (u32, u32),
) {
    let _ = area.focus();
    let _ = area.set_selection_range(range.0, range.1);
    let typed = area
        .owner_document()
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|d| {
            d.exec_command_with_show_ui_and_value("insertText", false, text)
                .ok()
        })
        .unwrap_or(false);
    if !typed {
        // No editing command (an old browser): the text changes without an undo step.
        let _ = area.set_range_text_with_start_and_end(text, range.0, range.1);
        if let Ok(ev) = web_sys::Event::new("input") {
            let _ = area.dispatch_event(&ev);
        }
    }
    let _ = area.set_selection_range(select.0, select.1);
}

/// Scrolls the editor so that `line` (1-based) is in its upper third.
fn scroll_to_line(area: &web_sys::HtmlTextAreaElement, line: usize) {
    let lh = web_sys::window()
        .and_then(|w| w.get_computed_style(area).ok().flatten())
        .and_then(|s| s.get_property_value("line-height").ok())
        .and_then(|v| v.trim_end_matches("px").parse::<f64>().ok())
        .unwrap_or(20.0);
    let top = (line.saturating_sub(1) as f64) * lh - f64::from(area.client_height()) / 3.0;
    area.set_scroll_top(top.max(0.0) as i32);
}

/// The studio page: loads the tape from the address (`#tape=`, `?tape=`), else the draft kept in
/// this browser, else the chapter's tape.
#[component]
pub fn Studio(
    /// The page's settings (`tape`, `regime`, `gamma`, `step`).
    settings: WidgetSettings,
    /// Notices about the address.
    notices: Vec<String>,
) -> impl IntoView {
    provide_context(TitleLevel(3));
    let area = NodeRef::<Textarea>::new();
    // The text as typed (the textarea owns it; this mirrors it for reading).
    let text = RwSignal::new(Arc::<str>::from(""));
    let checked = RwSignal::new(None::<Check>);
    let last_valid = RwSignal::new(None::<Arc<Replay>>);
    let status = RwSignal::new(String::new());
    let share = RwSignal::new(String::new());
    let snippet = RwSignal::new(String::new());
    let kind = RwSignal::new(WidgetKind::Replay);
    let pending = StoredValue::new(None::<TimeoutHandle>);
    // The preview's state (rebuilt for each valid tape) and what it keeps across tapes.
    let preview = RwSignal::new(None::<ReplayState>);
    let kept = StoredValue::new(settings.clone());
    // A cursor move the caret caused must not move the caret back.
    let from_caret = StoredValue::new(false);
    let generation = StoredValue::new(0u32);
    let checks = RwSignal::new(0u32);
    // True once the author has changed the text (typing, the palette, a template).
    let edited = StoredValue::new(false);

    let run_check = move || {
        let t = text.get_untracked();
        let c = check(t.clone());
        if let Ok(r) = &c.result {
            last_valid.set(Some(r.clone()));
        }
        checked.set(Some(c));
        checks.update(|n| *n += 1);
        // Only the author's own edits become the draft: opening a link or a file does not
        // overwrite it.
        if edited.get_value() {
            if let Some(s) = storage() {
                let _ = s.set_item(DRAFT_KEY, &t);
            }
        }
    };
    let schedule = move || {
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let wait = if text.with_untracked(|t| t.len()) <= QUICK_BYTES {
            0
        } else {
            150
        };
        let h = set_timeout_with_handle(run_check, std::time::Duration::from_millis(wait)).ok();
        pending.set_value(h);
    };
    // Puts a whole new text in the editor (a template, a link's tape) as one undoable step.
    let replace_all = move |new: &str, note: String| {
        if let Some(a) = area.get_untracked() {
            let len = a.value().encode_utf16().count() as u32;
            if len == 0 {
                a.set_value(new);
                text.set(Arc::from(new));
                schedule();
            } else {
                type_into(&a, (0, len), new, (0, 0));
                a.set_scroll_top(0);
            }
        }
        status.set(note);
    };

    // The caret's step drives the preview's cursor.
    let caret_moved = move || {
        let (Some(a), Some(c), Some(state)) = (
            area.get_untracked(),
            checked.get_untracked(),
            preview.get_untracked(),
        ) else {
            return;
        };
        let at = a.selection_start().ok().flatten().unwrap_or(0) as usize;
        let byte = rules::utf16_to_byte(&c.text, at);
        if let Some(step) = c.outline.step_at(byte) {
            let target = (step + 1).min(state.steps());
            if state.step_untracked() != target {
                from_caret.set_value(true);
                state.go_to(target);
            }
        }
    };

    // The opening text.
    let opening = settings.tape.clone();
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) || area.get().is_none() {
            return started.unwrap_or(false);
        }
        let opening = opening.clone();
        leptos::task::spawn_local(async move {
            let (t, note) = match opening {
                Some(address) if link::fragment_tape(&address).is_some() => {
                    match tape_source::link_text(link::fragment_tape(&address).unwrap_or("")).await {
                        Ok(t) => (t, "Opened the tape from the link.".to_string()),
                        Err(e) => (
                            saved_draft().unwrap_or_else(|| dealer_book::CHAPTER_TAPE.to_string()),
                            format!("The link's tape could not be opened: {e}. Showing your last draft (or the chapter's tape) instead."),
                        ),
                    }
                }
                Some(address) => match tape_source::fetch_text(&address).await {
                    Ok(t) => (t, format!("Opened {address}.")),
                    Err(e) => (
                        saved_draft().unwrap_or_else(|| dealer_book::CHAPTER_TAPE.to_string()),
                        format!("{e}. Showing your last draft (or the chapter's tape) instead."),
                    ),
                },
                None => match saved_draft() {
                    Some(d) => (
                        d,
                        "Your last draft, kept in this browser. Choose a template to start over.".to_string(),
                    ),
                    _ => (dealer_book::CHAPTER_TAPE.to_string(), "Started from the chapter's tape.".to_string()),
                },
            };
            if let Some(a) = area.get_untracked() {
                a.set_value(&t);
            }
            text.set(Arc::from(t.as_str()));
            run_check();
            status.set(note);
        });
        true
    });

    // The preview's cursor moves the caret to its step (unless the caret moved it). A new preview
    // (the text changed) does not: the author is typing where they are.
    Effect::new(move |prev: Option<(u32, usize)>| {
        let Some(state) = preview.get() else {
            return (0, 0);
        };
        let cursor = state.step();
        let now = (generation.get_value(), cursor);
        if prev.is_none_or(|p| p.0 != now.0 || p.1 == cursor) {
            return now;
        }
        if from_caret.get_value() {
            from_caret.set_value(false);
            return now;
        }
        let (Some(a), Some(c)) = (area.get_untracked(), checked.get_untracked()) else {
            return now;
        };
        // The author is in the editor: the caret is theirs.
        let focused = a
            .owner_document()
            .and_then(|d| d.active_element())
            .is_some_and(|e| &e == a.unchecked_ref::<web_sys::Element>());
        if focused {
            return now;
        }
        let at = a.selection_start().ok().flatten().unwrap_or(0) as usize;
        let byte = rules::utf16_to_byte(&c.text, at);
        let here = c.outline.step_at(byte).map(|s| s + 1);
        if cursor == 0 || here == Some(cursor) {
            return now;
        }
        if let Some(step) = c.outline.step(cursor - 1) {
            let start = rules::byte_to_utf16(&c.text, step.span.start) as u32;
            let _ = a.set_selection_range(start, start);
            scroll_to_line(&a, line_column(&c.text, step.span.start).0);
        }
        now
    });

    let on_input = move |_| {
        if !edited.get_value() {
            edited.set_value(true);
            forget_link_in_address();
        }
        // Typing stops the preview's auto-play, which would otherwise move the caret.
        if let Some(state) = preview.get_untracked() {
            state.stop();
        }
        if let Some(a) = area.get_untracked() {
            text.set(Arc::from(a.value().as_str()));
        }
        schedule();
    };
    let on_scroll = move |_| {
        let Some(a) = area.get_untracked() else {
            return;
        };
        // The gutter and the mark move with the text (a transform: no scrollable extent to match).
        let (x, y) = (a.scroll_left(), a.scroll_top());
        let editor = a.parent_element().and_then(|p| p.parent_element());
        for (sel, shift) in [
            (".studio-gutter > pre", format!("translateY({}px)", -y)),
            (
                ".studio-backdrop > pre",
                format!("translate({}px, {}px)", -x, -y),
            ),
        ] {
            if let Some(el) = editor
                .as_ref()
                .and_then(|e| e.query_selector(sel).ok().flatten())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.style().set_property("transform", &shift);
            }
        }
    };

    let go_to_error = move |_| {
        let (Some(a), Some(c)) = (area.get_untracked(), checked.get_untracked()) else {
            return;
        };
        if let Err((_, place)) = &c.result {
            let s = rules::byte_to_utf16(&c.text, place.span.start) as u32;
            let e = rules::byte_to_utf16(&c.text, place.span.end) as u32;
            let _ = a.focus();
            let _ = a.set_selection_range(s, e);
            scroll_to_line(&a, place.line);
        }
    };

    let insert = move |what: Insert| {
        let Some(a) = area.get_untracked() else {
            return;
        };
        let t = a.value();
        let caret =
            rules::utf16_to_byte(&t, a.selection_start().ok().flatten().unwrap_or(0) as usize);
        let params = preview
            .get_untracked()
            .map(|s| s.quote_params())
            .unwrap_or_default();
        let valid = last_valid.get_untracked();
        match rules::palette_edit(&t, caret, what, valid.as_deref(), &params) {
            Ok(edit) => {
                let after = edit.apply(&t);
                let u = |b| rules::byte_to_utf16(&t, b) as u32;
                let v = |b| rules::byte_to_utf16(&after, b) as u32;
                type_into(
                    &a,
                    (u(edit.range.start), u(edit.range.end)),
                    &edit.text,
                    (v(edit.select.start), v(edit.select.end)),
                );
                scroll_to_line(&a, line_column(&after, edit.select.start).0);
                status.set(format!("Inserted: {} (Ctrl+Z undoes it).", what.label()));
            }
            Err(e) => status.set(format!("Cannot insert here: {e}.")),
        }
    };

    let template = RwSignal::new("chapter".to_string());
    let load_template = move |_| {
        let which = template.get_untracked();
        let label = TEMPLATES
            .iter()
            .find(|(k, _)| *k == which)
            .map_or("", |(_, l)| *l);
        let note = format!("Loaded “{label}” (Ctrl+Z in the editor brings back your text).");
        match which.as_str() {
            "chapter" => replace_all(dealer_book::CHAPTER_TAPE, note),
            "empty" => replace_all(rules::EMPTY_TAPE, note),
            name => {
                let address = format!("examples/tapes/{name}.json");
                leptos::task::spawn_local(async move {
                    match tape_source::fetch_text(&address).await {
                        Ok(t) => replace_all(&t, note),
                        Err(e) => status.set(format!("The template could not be loaded: {e}")),
                    }
                });
            }
        }
    };

    let download = move |_| {
        download_text("tape.json", "application/json", &text.get_untracked());
        status.set("Offered tape.json for download.".into());
    };
    let copy_link = move |_| {
        let t = text.get_untracked();
        leptos::task::spawn_local(async move {
            match tape_source::link_encode(&t).await {
                Ok(encoded) => {
                    let url = link::link(&page_folder(), Page::Studio, None, &encoded);
                    let chars = url.chars().count();
                    if chars > MAX_LINK_CHARS {
                        share.set(String::new());
                        status.set(format!(
                            "This tape is too large for a link: {} characters, over the {} a link reliably carries. Download tape.json and share the file instead.",
                            dealer_book::format::count(chars as u64),
                            dealer_book::format::count(MAX_LINK_CHARS as u64)
                        ));
                        // The file is the way to share it: the download button takes the focus.
                        if let Some(b) = web_sys::window()
                            .and_then(|w| w.document())
                            .and_then(|d| d.query_selector(".studio-outputs .btn").ok().flatten())
                            .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
                        {
                            let _ = b.focus();
                        }
                    } else {
                        let copied = copy_text(&url).await;
                        share.set(url);
                        if !copied {
                            status.set(format!(
                                "This browser did not allow copying: the share link ({} characters) is shown below to copy by hand.",
                                dealer_book::format::count(chars as u64)
                            ));
                            return;
                        }
                        status.set(format!(
                            "Copied a share link ({} characters); it is also shown below.",
                            dealer_book::format::count(chars as u64)
                        ));
                    }
                }
                Err(e) => status.set(format!("No link could be made: {e}")),
            }
        });
    };
    let script = move || format!("{}dealer-book.js", page_folder());
    let offer_snippet = move |s: String, what: &'static str| {
        snippet.set(s.clone());
        leptos::task::spawn_local(async move {
            status.set(if copy_text(&s).await {
                format!("Copied the embed snippet ({what}); it is also shown below.")
            } else {
                format!("This browser did not allow copying: the embed snippet ({what}) is shown below to copy by hand.")
            });
        });
    };
    let copy_file_snippet = move |_| {
        let s = rules::embed_file_snippet(&script(), kind.get_untracked());
        offer_snippet(s, "with tape.json next to your page");
    };
    let copy_inline_snippet = move |_| {
        let s = rules::embed_inline_snippet(&script(), kind.get_untracked(), &text.get_untracked());
        offer_snippet(s, "with the tape inline");
    };

    // Line numbers, the error mark and the status line.
    let lines = Memo::new(move |_| text.with(|t| t.matches('\n').count() + 1));
    let gutter = move || {
        let n = lines.get();
        let mut s = String::with_capacity(n * 6);
        for i in 1..=n {
            s.push_str(&i.to_string());
            s.push('\n');
        }
        s
    };
    let error = move || checked.with(|c| c.as_ref().and_then(|c| c.result.as_ref().err().cloned()));
    let backdrop = move || {
        checked.with(|c| {
            let c = c.as_ref()?;
            let (_, place) = c.result.as_ref().err()?;
            let t = &c.text;
            let (s, e) = (place.span.start.min(t.len()), place.span.end.min(t.len()));
            let marked = if s == e {
                " ".to_string()
            } else {
                t[s..e].to_string()
            };
            // Only the error's line is written out; the lines above are empty lines that keep
            // its height (a 10,000-line tape stays cheap to lay out).
            let line_start = t[..s].rfind('\n').map_or(0, |i| i + 1);
            let line_end = t[e..].find('\n').map_or(t.len(), |i| e + i);
            let above = "\n".repeat(t[..line_start].matches('\n').count());
            Some(view! {
                {above}
                {t[line_start..s].to_string()}
                <mark>{marked}</mark>
                {t[e..line_end].to_string()}
            })
        })
    };
    let summary = move || {
        checked.with(|c| match c.as_ref().map(|c| &c.result) {
            None => "Reading…".to_string(),
            Some(Ok(r)) => format!(
                "✓ A valid tape: {} steps, {} events.",
                r.len(),
                r.steps.iter().map(|s| s.events.len()).sum::<usize>()
            ),
            Some(Err((message, _))) => format!("✗ {message}"),
        })
    };
    let broken = move || error().is_some();

    view! {
        <div class="studio">
            <Notices notices=notices />
            <div class="studio-bar">
                <label>
                    "Start from "
                    <select on:change=move |ev| {
                        template.set(event_target_value(&ev))
                    }>
                        {TEMPLATES
                            .iter()
                            .map(|(k, l)| view! { <option value=*k>{*l}</option> })
                            .collect_view()}
                    </select>
                </label>
                <button type="button" class="btn" on:click=load_template>
                    "Load template"
                </button>
                <span class="studio-outputs">
                    <button type="button" class="btn" on:click=download>
                        "Download tape.json"
                    </button>
                    <button type="button" class="btn" on:click=copy_link>
                        "Copy share link"
                    </button>
                </span>
            </div>
            <div class="studio-main">
                <section class="studio-edit" aria-labelledby="studio-edit-title">
                    <h2 id="studio-edit-title">"Tape JSON"</h2>
                    <div
                        role="group"
                        class="studio-palette"
                        aria-label="Insert after the caret's event"
                    >
                        {Insert::ALL
                            .into_iter()
                            .enumerate()
                            .map(|(i, what)| {
                                let hint_id = format!("studio-hint-{i}");
                                view! {
                                    <button
                                        type="button"
                                        class="btn"
                                        title=what.hint()
                                        aria-describedby=hint_id.clone()
                                        on:click=move |_| insert(what)
                                    >
                                        {what.label()}
                                    </button>
                                    <span id=hint_id class="sr-only">
                                        {what.hint()}
                                    </span>
                                }
                            })
                            .collect_view()}
                    </div>
                    <div class="studio-editor" class:has-error=broken>
                        <div class="studio-gutter" aria-hidden="true">
                            <pre>{gutter}</pre>
                        </div>
                        <div class="studio-area">
                            <div class="studio-backdrop" aria-hidden="true">
                                <pre>{backdrop}</pre>
                            </div>
                            <textarea
                                node_ref=area
                                class="studio-text"
                                spellcheck="false"
                                wrap="off"
                                autocomplete="off"
                                autocapitalize="off"
                                aria-label="Tape JSON"
                                aria-describedby="studio-check studio-help"
                                aria-invalid=move || broken().to_string()
                                on:input=on_input
                                on:scroll=on_scroll
                                on:keyup=move |_| caret_moved()
                                on:mouseup=move |_| caret_moved()
                                on:focus=move |_| caret_moved()
                            ></textarea>
                        </div>
                    </div>
                    <div class="studio-check-row">
                        <p id="studio-check" class="studio-check" class:bad=broken role="status">
                            {summary}
                        </p>
                        {move || {
                            broken()
                                .then(|| {
                                    view! {
                                        <button type="button" class="btn" on:click=go_to_error>
                                            "Go to the error"
                                        </button>
                                    }
                                })
                        }}
                    </div>
                    <p id="studio-help" class="fine">
                        "The preview follows the step the caret is in; choosing a step in the preview moves the caret to it. Tab leaves the editor; the palette above inserts after the caret's event."
                    </p>
                </section>
                <section
                    class="studio-preview"
                    class:stale=broken
                    aria-labelledby="studio-preview-title"
                    data-checks=move || checks.get().to_string()
                >
                    <h2 id="studio-preview-title">"Preview"</h2>
                    {move || {
                        broken()
                            .then(|| {
                                view! {
                                    <p class="notice studio-stale">
                                        "Showing the last valid tape: the text has an error (see below the editor)."
                                    </p>
                                }
                            })
                    }}
                    {move || match last_valid.get() {
                        None => view! { <p class="loading">"No valid tape yet."</p> }.into_any(),
                        Some(r) => {
                            let mut s = kept.get_value();
                            let _ = s.clamp_step(r.len());
                            generation.update_value(|g| *g += 1);
                            let state = ReplayState::new(r, &s);
                            provide_context(state);
                            Effect::new(move |_| {
                                let (cursor, regime, gamma) = (
                                    state.step(),
                                    state.regime.get(),
                                    state.gamma.get(),
                                );
                                kept.update_value(|k| {
                                    k.step = cursor;
                                    k.regime = regime;
                                    k.gamma = gamma;
                                });
                            });
                            preview.set(Some(state));
                            view! {
                                <InteractiveReplay />
                                <MakerInventory />
                                <DealerBookLanes />
                                <LiveRegion />
                            }
                                .into_any()
                        }
                    }}
                </section>
            </div>
            <section class="studio-share" aria-labelledby="studio-share-title">
                <h2 id="studio-share-title">"Share and embed"</h2>
                <p class="studio-status" role="status" aria-live="polite">
                    {move || status.get()}
                </p>
                {move || {
                    (!share.get().is_empty())
                        .then(|| {
                            view! {
                                <label class="studio-field">
                                    "Share link"
                                    <input
                                        type="text"
                                        readonly=true
                                        prop:value=move || share.get()
                                        on:focus=|ev| {
                                            if let Some(i) = ev
                                                .target()
                                                .and_then(|t| {
                                                    t.dyn_into::<web_sys::HtmlInputElement>().ok()
                                                })
                                            {
                                                i.select();
                                            }
                                        }
                                    />
                                </label>
                            }
                        })
                }}
                <div class="studio-bar">
                    <label>
                        "Widget "
                        <select on:change=move |ev| {
                            if let Some(k) = WidgetKind::from_key(&event_target_value(&ev)) {
                                kind.set(k)
                            }
                        }>
                            {WidgetKind::ALL
                                .into_iter()
                                .filter(|k| k.uses_replay())
                                .map(|k| view! { <option value=k.key()>{k.title()}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <button type="button" class="btn" on:click=copy_file_snippet>
                        "Copy embed snippet (tape.json file)"
                    </button>
                    <button type="button" class="btn" on:click=copy_inline_snippet>
                        "Copy embed snippet (tape inline)"
                    </button>
                </div>
                {move || {
                    (!snippet.get().is_empty())
                        .then(|| {
                            view! {
                                <label class="studio-field">
                                    "Embed snippet"
                                    <textarea
                                        class="studio-snippet"
                                        readonly=true
                                        rows="6"
                                        prop:value=move || snippet.get()
                                    ></textarea>
                                </label>
                            }
                        })
                }}
            </section>
        </div>
    }
}

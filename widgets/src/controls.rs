//! Shared state and controls: the replay cursor every widget follows, the replay buttons and
//! keyboard, the band badge, the live region, notices and error boxes. Each lives here once.

use std::sync::Arc;

use dealer_book::book::Band;
use dealer_book::policy::{Input, Inputs};
use dealer_book::quote::{QuoteParams, Regime};
use dealer_book::replay::Replay;
use dealer_book::settings::WidgetSettings;
use leptos::prelude::*;

/// Everything the replay-following widgets of one page (or one embed) share. Copy handles only.
#[derive(Clone, Copy)]
pub struct ReplayState {
    /// The replayed tape (fixed for the life of the state).
    pub replay: StoredValue<Arc<Replay>>,
    /// 0 = start, N = after step N.
    pub cursor: RwSignal<usize>,
    /// Auto-advance on.
    pub playing: RwSignal<bool>,
    /// Volatility regime for quotes and the risk proxy.
    pub regime: RwSignal<Regime>,
    /// Risk aversion in thousandths.
    pub gamma: RwSignal<u32>,
    /// Heatmap inputs.
    pub levels: RwSignal<Inputs>,
    /// Heatmap horizontal axis.
    pub x: RwSignal<Input>,
    /// Heatmap vertical axis.
    pub y: RwSignal<Input>,
    /// Text for the polite live region.
    pub announce: RwSignal<String>,
}

impl ReplayState {
    /// A fresh state over a replay, opened with the given settings (step already clamped).
    pub fn new(replay: Arc<Replay>, s: &WidgetSettings) -> ReplayState {
        let state = ReplayState {
            replay: StoredValue::new(replay),
            cursor: RwSignal::new(s.step),
            playing: RwSignal::new(false),
            regime: RwSignal::new(s.regime),
            gamma: RwSignal::new(s.gamma_milli),
            levels: RwSignal::new(s.levels),
            x: RwSignal::new(s.x),
            y: RwSignal::new(s.y),
            announce: RwSignal::new(String::new()),
        };
        // Announce every cursor move in words.
        Effect::new(move |prev: Option<usize>| {
            let c = state.cursor.get();
            if prev.is_some_and(|p| p != c) {
                let band = state.band(&state.with(|r| r.book_at(c)));
                state.announce.set(state.with(|r| r.announcement(c, band)));
            }
            c
        });
        // Auto-advance while playing, one timer per state however many controls show it.
        Effect::new(move |_| {
            if state.playing.get() {
                let handle = set_interval_with_handle(
                    move || {
                        if state.cursor.get_untracked() >= state.steps() {
                            state.playing.set(false);
                        } else {
                            state.step_by(1);
                        }
                    },
                    std::time::Duration::from_millis(PLAY_INTERVAL_MS),
                )
                .ok();
                on_cleanup(move || {
                    if let Some(h) = handle {
                        h.clear();
                    }
                });
            }
        });
        state
    }

    /// Runs `f` on the replay.
    pub fn with<T>(&self, f: impl FnOnce(&Replay) -> T) -> T {
        self.replay.with_value(|r| f(r))
    }

    /// Number of steps.
    pub fn steps(&self) -> usize {
        self.with(|r| r.len())
    }

    /// Quote parameters from the regime and risk-aversion controls (reactive).
    pub fn quote_params(&self) -> QuoteParams {
        QuoteParams {
            regime: self.regime.get(),
            gamma_milli: self.gamma.get(),
            ..QuoteParams::default()
        }
    }

    /// The band of a book under the selected regime (reactive). Every widget shows bands through
    /// this, so they agree; at the default (normal) regime it is the chapter's band.
    pub fn band(&self, book: &dealer_book::book::Book) -> Band {
        let limits = self.with(|r| r.limits);
        dealer_book::quote::band_in(book, &limits, self.regime.get())
    }

    /// Moves the cursor by `delta`, clamped to the tape.
    pub fn step_by(&self, delta: isize) {
        let n = self.steps();
        self.cursor
            .update(|c| *c = (*c as isize + delta).clamp(0, n as isize) as usize);
    }

    /// Handles the replay keys; returns true if the key was used.
    pub fn handle_key(&self, key: &str) -> bool {
        match key {
            "ArrowRight" => self.step_by(1),
            "ArrowLeft" => self.step_by(-1),
            "Home" => {
                self.playing.set(false);
                self.cursor.set(0);
            }
            "End" => self.cursor.set(self.steps()),
            " " | "Spacebar" => self.toggle_play(),
            _ => return false,
        }
        true
    }

    /// Starts or stops auto-advance (restarting from the beginning at the end).
    pub fn toggle_play(&self) {
        if self.playing.get_untracked() {
            self.playing.set(false);
        } else {
            if self.cursor.get_untracked() >= self.steps() {
                self.cursor.set(0);
            }
            self.playing.set(true);
        }
    }
}

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

/// Milliseconds between steps while playing.
const PLAY_INTERVAL_MS: u64 = 1600;

/// Previous / next / reset / jump / play, and the step counter. Keyboard: Left/Right, Home, Space
/// on the surrounding widget (see [`WidgetFrame`]). Buttons only: the play timer lives in the state.
#[component]
pub fn ReplayControls() -> impl IntoView {
    let state = expect_context::<ReplayState>();
    let n = state.steps();
    let titles: Vec<String> = state.with(|r| r.steps.iter().map(|s| s.title.clone()).collect());
    view! {
        <div class="replay-controls" role="group" aria-label="Replay controls">
            <button type="button" class="btn" on:click=move |_| { state.playing.set(false); state.cursor.set(0) }
                title="Reset (Home)" aria-keyshortcuts="Home">"↺ Reset"</button>
            <button type="button" class="btn" on:click=move |_| state.step_by(-1)
                disabled=move || state.cursor.get() == 0 title="Previous step (Left arrow)" aria-keyshortcuts="ArrowLeft">"◀ Prev"</button>
            <button type="button" class="btn btn-primary" on:click=move |_| state.toggle_play()
                aria-pressed=move || state.playing.get().to_string() title="Play or pause (Space)" aria-keyshortcuts="Space">
                {move || if state.playing.get() { "❚❚ Pause" } else { "▶ Play" }}
            </button>
            <button type="button" class="btn" on:click=move |_| state.step_by(1)
                disabled=move || { state.cursor.get() >= n } title="Next step (Right arrow)" aria-keyshortcuts="ArrowRight">"Next ▶"</button>
            <label class="jump">
                <span>"Step"</span>
                <select prop:value=move || state.cursor.get().to_string()
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<usize>() { state.cursor.set(v.min(n)) }
                    }>
                    <option value="0">"0 · Start"</option>
                    {titles.into_iter().enumerate().map(|(i, t)| {
                        let v = (i + 1).to_string();
                        view! { <option value=v.clone()>{format!("{v} · {t}")}</option> }
                    }).collect_view()}
                </select>
            </label>
            <span class="step-count" aria-hidden="true">{move || format!("{} / {n}", state.cursor.get())}</span>
        </div>
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
pub fn BandBadge(#[prop(into)] band: Signal<Band>) -> impl IntoView {
    view! {
        <span class=move || format!("band band-{}", band.get().name())>
            <span aria-hidden="true">{move || band_glyph(band.get())}</span>
            " "{move || band.get().name().to_uppercase()}
        </span>
    }
}

/// Polite live region for step announcements.
#[component]
pub fn LiveRegion() -> impl IntoView {
    let state = expect_context::<ReplayState>();
    view! { <div class="sr-only" role="status" aria-live="polite">{move || state.announce.get()}</div> }
}

/// A readable error box: what went wrong and where.
#[component]
pub fn ErrorBox(#[prop(into)] title: String, #[prop(into)] message: String) -> impl IntoView {
    view! {
        <div class="error-box" role="alert">
            <strong>{title}</strong>
            <p class="error-message">{message}</p>
        </div>
    }
}

/// Visible notices about settings that fell back to defaults.
#[component]
pub fn Notices(notices: Vec<String>) -> impl IntoView {
    (!notices.is_empty()).then(|| {
        view! {
            <div class="notice" role="status">
                <strong>"Some settings were not usable and fell back to defaults:"</strong>
                <ul>{notices.into_iter().map(|n| view! { <li><code>{n}</code></li> }).collect_view()}</ul>
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
        <div class=format!("dbw dbw-{kind}") role="group" aria-labelledby=labelled_by tabindex="0" on:keydown=on_key>
            {if level == 2 {
                view! { <h2 class="dbw-title" id=id>{title}</h2> }.into_any()
            } else {
                view! { <h3 class="dbw-title" id=id>{title}</h3> }.into_any()
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

/// Records when a widget finished drawing (read by the in-browser latency harness).
pub fn mark_redraw() {
    if let Some(w) = web_sys::window() {
        if let Some(p) = w.performance() {
            let _ = js_sys::Reflect::set(&w, &"__dbLastRedraw".into(), &p.now().into());
        }
    }
}

//! Shared state and controls: the replay cursor every widget follows, the replay buttons and
//! keyboard, the band badge, the live region, notices and error boxes. Each lives here once.

use std::sync::Arc;

use dealer_book::book::Band;
use dealer_book::explain::predict::{question, Question};
use dealer_book::lesson::{Lesson, Lock};
use dealer_book::policy::{Input, Inputs};
use dealer_book::quote::{Gamma, QuoteParams, Regime};
use dealer_book::reading::Follow;
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
    pub gamma: RwSignal<Gamma>,
    /// Heatmap inputs.
    pub levels: RwSignal<Inputs>,
    /// Heatmap horizontal axis.
    pub x: RwSignal<Input>,
    /// Heatmap vertical axis.
    pub y: RwSignal<Input>,
    /// Text for the polite live region.
    pub announce: RwSignal<String>,
    /// Hedge lab: the rule it highlights.
    pub rule: RwSignal<dealer_book::hedge_rule::HedgeRule>,
    /// Hedge lab: hedge cost per BTC.
    pub cost: RwSignal<dealer_book::num::Price>,
    /// Hedge lab: simulated paths per rule.
    pub paths: RwSignal<usize>,
    /// The lesson the widget was opened with (range, locks, predict mode, theme).
    pub lesson: StoredValue<Lesson>,
    /// First cursor position the lesson lets the widget reach.
    pub lo: usize,
    /// Last cursor position the lesson lets the widget reach.
    pub hi: usize,
    /// Predict mode: the step the class is asked about, and whether the answer is shown.
    pub prediction: RwSignal<Option<Prediction>>,
    /// Follow my reading (the chapter page only; `None` elsewhere).
    pub follow: RwSignal<Option<Follow>>,
    /// The replay step whose text is at the reading line (`Some(0)`: the replay's
    /// introduction; `None`: elsewhere). Reported by the chapter page.
    pub reading: RwSignal<Option<usize>>,
    /// Words about a change of follow mode, said before the next step announcement.
    follow_note: StoredValue<Option<&'static str>>,
}

/// Where predict-then-reveal stands for one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prediction {
    /// The step asked about (the cursor after it).
    pub step: usize,
    /// The choice the class picked, if any.
    pub choice: Option<usize>,
    /// True once the answer is shown (and the cursor has moved to `step`).
    pub revealed: bool,
}

impl ReplayState {
    /// A fresh state over a replay, opened with the given settings (step already clamped), every
    /// step reachable.
    pub fn new(replay: Arc<Replay>, s: &WidgetSettings) -> ReplayState {
        let n = replay.len();
        ReplayState::with_range(replay, s, 0..=n)
    }

    /// A fresh state whose cursor stays inside `range` (a lesson's steps; the step already
    /// moved inside it by `WidgetSettings::lesson_range`).
    pub fn with_range(
        replay: Arc<Replay>,
        s: &WidgetSettings,
        range: std::ops::RangeInclusive<usize>,
    ) -> ReplayState {
        let n = replay.len();
        let (lo, hi) = ((*range.start()).min(n), (*range.end()).min(n));
        let state = ReplayState {
            replay: StoredValue::new(replay),
            cursor: RwSignal::new(s.step),
            playing: RwSignal::new(false),
            regime: RwSignal::new(s.regime),
            gamma: RwSignal::new(s.gamma),
            levels: RwSignal::new(s.levels),
            x: RwSignal::new(s.x),
            y: RwSignal::new(s.y),
            announce: RwSignal::new(String::new()),
            rule: RwSignal::new(s.rule),
            cost: RwSignal::new(s.cost),
            paths: RwSignal::new(s.paths),
            lesson: StoredValue::new(s.lesson.clone()),
            lo,
            hi: hi.max(lo),
            prediction: RwSignal::new(None),
            follow: RwSignal::new(None),
            reading: RwSignal::new(None),
            follow_note: StoredValue::new(None),
        };
        // Announce every cursor move in words.
        Effect::new(move |prev: Option<usize>| {
            let c = state.cursor.get();
            if prev.is_some_and(|p| p != c) {
                let band = state.band(&state.with(|r| r.book_at(c)));
                let mut text =
                    state.with(|r| dealer_book::explain::replay::announcement(r, c, band));
                if let Some(note) = state.follow_note.try_update_value(Option::take).flatten() {
                    text = format!("{note} {text}");
                }
                // A reveal in predict mode announces the answer first, then the step.
                let revealed = state.prediction.get_untracked();
                if let Some(p) = revealed.filter(|p| p.revealed && p.step == c) {
                    if let Some(q) = untrack(|| state.question(p.step)) {
                        text = format!("{} {text}", q.announce_answer());
                    }
                }
                state.announce.set(text);
            }
            c
        });
        // Follow my reading: the reading line moved into another step's text.
        Effect::new(move |_| {
            let reading = state.reading.get();
            if let Some(mode) = state.follow.get_untracked() {
                state.follow_reading(mode, reading);
            }
        });
        // Auto-advance while playing, one timer per state however many controls show it.
        Effect::new(move |_| {
            if state.playing.get() {
                let handle = set_interval_with_handle(
                    move || {
                        let waiting = state
                            .prediction
                            .get_untracked()
                            .is_some_and(|p| !p.revealed);
                        if state.cursor.get_untracked() >= state.hi || waiting {
                            // At the lesson's end, or a question waits for the reveal.
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

    /// The current settings of this state as widget `kind` on `tape`, for links that reopen it.
    pub fn settings(
        &self,
        kind: dealer_book::settings::WidgetKind,
        tape: Option<String>,
    ) -> WidgetSettings {
        WidgetSettings {
            kind: Some(kind),
            step: self.cursor.get(),
            regime: self.regime.get(),
            gamma: self.gamma.get(),
            tape,
            x: self.x.get(),
            y: self.y.get(),
            levels: self.levels.get(),
            rule: self.rule.get(),
            cost: self.cost.get(),
            paths: self.paths.get(),
            lesson: self.lesson.get_value(),
        }
    }

    /// Applies the settings that changed from `old` to `new` to a mounted state (an element's
    /// attributes changed): a control whose attribute did not change keeps the reader's choice,
    /// and a new step moves the cursor as a jump does (kept inside the lesson's range).
    pub fn apply_changes(&self, old: &WidgetSettings, new: &WidgetSettings) {
        if new.step != old.step {
            self.playing.set(false);
            self.go_to(new.step);
        }
        if new.regime != old.regime {
            self.regime.set(new.regime);
        }
        if new.gamma != old.gamma {
            self.gamma.set(new.gamma);
        }
        if new.levels != old.levels {
            self.levels.set(new.levels);
        }
        if new.x != old.x {
            self.x.set(new.x);
        }
        if new.y != old.y {
            self.y.set(new.y);
        }
        if new.rule != old.rule {
            self.rule.set(new.rule);
        }
        if new.cost != old.cost {
            self.cost.set(new.cost);
        }
        if new.paths != old.paths {
            self.paths.set(new.paths);
        }
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
            gamma: self.gamma.get(),
            ..QuoteParams::default()
        }
    }

    /// The band of a book under the selected regime (reactive). Every widget shows bands through
    /// this, so they agree; at the default (normal) regime it is the chapter's band.
    pub fn band(&self, book: &dealer_book::book::Book) -> Band {
        let limits = self.with(|r| r.limits);
        dealer_book::quote::band_in(book, &limits, self.regime.get())
    }

    /// True when a lesson link locked this control.
    pub fn locked(&self, lock: Lock) -> bool {
        self.lesson.with_value(|l| l.is_locked(lock))
    }

    /// A copy for one island of the chapter that shares everything but the cursor. Its own
    /// cursor follows the shared one only while `seen` (the island is on or near the screen, or
    /// holds the focus), so a step change redraws the widgets a reader can see and the others
    /// catch up when they come into view; a step the island itself takes moves the shared one.
    /// Announcements stay with the shared state, so the live region speaks every move once.
    pub fn seen_through(self, seen: RwSignal<bool>) -> ReplayState {
        let own = ReplayState {
            cursor: RwSignal::new(self.cursor.get_untracked()),
            ..self
        };
        Effect::new(move |_| {
            if seen.get() {
                let c = self.cursor.get();
                if own.cursor.get_untracked() != c {
                    own.cursor.set(c);
                }
            }
        });
        Effect::new(move |_| {
            let c = own.cursor.get();
            if self.cursor.get_untracked() != c {
                self.cursor.set(c);
            }
        });
        own
    }

    /// True in predict-then-reveal mode.
    pub fn predicting(&self) -> bool {
        self.lesson.with_value(|l| l.predict)
    }

    /// Applies a reading position to the follow mode: resuming stops Play, and the cursor moves
    /// to the step being read.
    fn follow_reading(&self, mode: Follow, reading: Option<usize>) {
        let m = mode.on_reading(reading, self.lo, self.hi);
        if m.follow != mode {
            self.playing.set(false);
            self.follow_note.set_value(Some(m.follow.announcement()));
            self.follow.set(Some(m.follow));
        }
        if let Some(c) = m.cursor.filter(|&c| c != self.cursor.get_untracked()) {
            if self.follow_note.with_value(Option::is_none) {
                self.follow_note.set_value(Some("Following your reading."));
            }
            self.cursor.set(c);
        }
    }

    /// The reader moved the cursor: following holds until they read another step.
    fn take_control(&self) {
        if let Some(mode) = self.follow.get_untracked() {
            let held = mode.on_reader_choice(self.reading.get_untracked());
            if held != mode {
                if !matches!(mode, Follow::Held { .. }) {
                    self.follow_note.set_value(Some(held.announcement()));
                }
                self.follow.set(Some(held));
            }
        }
    }

    /// The "Follow my reading" switch: off, or on again (moving to the step being read).
    pub fn toggle_follow(&self) {
        let Some(mode) = self.follow.get_untracked() else {
            return;
        };
        let next = mode.toggled();
        self.follow.set(Some(next));
        self.announce.set(next.announcement().into());
        if next == Follow::Following {
            self.playing.set(false);
            self.follow_reading(next, self.reading.get_untracked());
        }
    }

    /// Puts the cursor at `c`, kept inside the lesson's range; any open question is closed.
    pub fn go_to(&self, c: usize) {
        self.take_control();
        self.prediction.set(None);
        self.cursor.set(c.clamp(self.lo, self.hi));
    }

    /// Moves the cursor by `delta`, kept inside the lesson's range. In predict mode one step
    /// forward asks the step's question first; the cursor moves on [`Self::reveal`].
    pub fn step_by(&self, delta: isize) {
        self.take_control();
        let c = self.cursor.get_untracked() as isize;
        let target = (c + delta).clamp(self.lo as isize, self.hi as isize) as usize;
        if delta == 1 && self.predicting() && target != c as usize {
            match self.prediction.get_untracked() {
                // A question is open: Next reveals it.
                Some(p) if !p.revealed => self.reveal(),
                _ => self.ask(target),
            }
            return;
        }
        self.go_to(target);
    }

    /// Opens the question for `step` (predict mode) and announces it.
    pub fn ask(&self, step: usize) {
        self.prediction.set(Some(Prediction {
            step,
            choice: None,
            revealed: false,
        }));
        if let Some(q) = self.question(step) {
            self.announce.set(q.announce_question());
        }
    }

    /// Shows the open question's answer: the cursor moves to its step and the answer, with its
    /// worked calculation, is announced.
    pub fn reveal(&self) {
        let Some(p) = self.prediction.get_untracked() else {
            return;
        };
        if p.revealed {
            return;
        }
        // Marked revealed before the cursor moves: the cursor's announcement then leads with the
        // answer and its worked calculation.
        self.prediction.set(Some(Prediction {
            revealed: true,
            ..p
        }));
        self.cursor.set(p.step.clamp(self.lo, self.hi));
    }

    /// The predict question for `step`, with bands judged as the widgets show them (reactive in
    /// the regime).
    pub fn question(&self, step: usize) -> Option<Question> {
        let regime = self.regime.get();
        self.with(|r| {
            let limits = dealer_book::quote::regime_limits(&r.limits, regime);
            question(r, step, &limits)
        })
    }

    /// Handles the replay keys; returns true if the key was used.
    pub fn handle_key(&self, key: &str) -> bool {
        match key {
            "ArrowRight" => self.step_by(1),
            "ArrowLeft" => self.step_by(-1),
            "Home" => {
                self.playing.set(false);
                self.go_to(self.lo);
            }
            "End" => self.go_to(self.hi),
            " " | "Spacebar" => self.toggle_play(),
            "r" | "R" if self.prediction.get_untracked().is_some_and(|p| !p.revealed) => {
                self.reveal()
            }
            _ => return false,
        }
        true
    }

    /// Starts or stops auto-advance (restarting from the beginning at the end).
    pub fn toggle_play(&self) {
        if self.playing.get_untracked() {
            self.playing.set(false);
        } else {
            self.take_control();
            if self.cursor.get_untracked() >= self.hi {
                self.go_to(self.lo);
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

/// Ink for chart lines: the canvas's own CSS text colour, so lines follow the light, dark and
/// classroom themes; near-black if it cannot be read.
pub fn ink(canvas: &web_sys::HtmlCanvasElement) -> plotters::style::RGBColor {
    let color = web_sys::window()
        .and_then(|w| w.get_computed_style(canvas).ok().flatten())
        .and_then(|st| st.get_property_value("color").ok())
        .unwrap_or_default();
    let parts: Vec<u8> = color
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .filter_map(|p| p.trim().parse::<u8>().ok())
        .collect();
    match parts[..] {
        [r, g, b, ..] => plotters::style::RGBColor(r, g, b),
        _ => plotters::style::RGBColor(0x22, 0x22, 0x22),
    }
}

/// A counter that ticks when canvases must repaint: the window changed size (resize, full
/// screen, rotation), or the colours changed (the system's dark mode, or the host page's theme:
/// the loader's `dealer-book-scheme` event).
pub fn repaint_ticks() -> RwSignal<u32> {
    let ticks = RwSignal::new(0u32);
    let resize = window_event_listener(leptos::ev::resize, move |_| ticks.update(|n| *n += 1));
    let scheme =
        window_event_listener_untyped("dealer-book-scheme", move |_| ticks.update(|n| *n += 1));
    on_cleanup(move || {
        resize.remove();
        scheme.remove();
    });
    ticks
}

/// The width of an element in CSS pixels (600 until it is in the page), measured again on every
/// window resize and theme change: for drawings whose text must keep its size on a phone.
pub fn measured_width(node: NodeRef<leptos::html::Div>) -> Signal<i64> {
    let width = RwSignal::new(600i64);
    let ticks = repaint_ticks();
    Effect::new(move |_| {
        ticks.track();
        if let Some(el) = node.get() {
            let w = el.client_width() as i64;
            if w > 0 && w != width.get_untracked() {
                width.set(w);
            }
        }
    });
    width.into()
}

/// Records when a widget finished drawing (read by the in-browser latency harness).
pub fn mark_redraw() {
    if let Some(w) = web_sys::window() {
        if let Some(p) = w.performance() {
            let _ = js_sys::Reflect::set(&w, &"__dbLastRedraw".into(), &p.now().into());
        }
    }
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

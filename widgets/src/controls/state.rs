//! The replay state one page or embed shares: the core's cursor machine in one signal, the
//! controls' values (regime, risk aversion, heatmap axes and levels, hedge lab), and the live
//! region's text. Widgets change the cursor only through [`ReplayState::act`] and its helpers.

use std::sync::Arc;

use dealer_book::book::Band;
use dealer_book::cursor::{self, Cursor, Say};
use dealer_book::explain::predict::{question, Question};
use dealer_book::lesson::{Lesson, Lock};
use dealer_book::policy::{Input, Inputs};
use dealer_book::quote::{Gamma, QuoteParams, Regime};
use dealer_book::reading::Follow;
use dealer_book::replay::Replay;
use dealer_book::settings::WidgetSettings;
use leptos::prelude::*;

pub use dealer_book::cursor::Prediction;

/// Everything the replay-following widgets of one page (or one embed) share. Copy handles only.
///
/// The cursor's rules live in the core's [`Cursor`], held here in one signal that changes only
/// through [`ReplayState::act`] and only when the machine's state does. Widgets read it through
/// [`ReplayState::step`], [`ReplayState::playing`], [`ReplayState::prediction`] and
/// [`ReplayState::follow`]. On the chapter each island reads the step from its own copy, which
/// changes only when the step does ([`ReplayState::seen_through`]). (Memos would give every
/// reader that, but cost 4 KB of gzip across the chunks; off the chapter there is one widget.)
#[derive(Clone, Copy)]
pub struct ReplayState {
    /// The replayed tape (fixed for the life of the state).
    pub replay: StoredValue<Arc<Replay>>,
    /// The cursor machine every widget of the page shares.
    machine: RwSignal<Cursor>,
    /// An island's own copy of the step ([`ReplayState::seen_through`]).
    own: Option<RwSignal<usize>>,
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
    /// What the last change of the cursor asked to say; an effect puts it into words. (Words
    /// are made there, not in [`ReplayState::act`], so code that only moves the cursor, such
    /// as the custom element's attribute updates in the main module, does not carry them.)
    said: RwSignal<Vec<Say>>,
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
        let machine = RwSignal::new(Cursor::new(s.step, range, replay.len(), s.lesson.predict));
        let (lo, hi) = machine.with_untracked(|c| (c.lo(), c.hi()));
        let state = ReplayState {
            replay: StoredValue::new(replay),
            machine,
            own: None,
            regime: RwSignal::new(s.regime),
            gamma: RwSignal::new(s.gamma),
            levels: RwSignal::new(s.levels),
            x: RwSignal::new(s.x),
            y: RwSignal::new(s.y),
            announce: RwSignal::new(String::new()),
            said: RwSignal::new(Vec::new()),
            rule: RwSignal::new(s.rule),
            cost: RwSignal::new(s.cost),
            paths: RwSignal::new(s.paths),
            lesson: StoredValue::new(s.lesson.clone()),
            lo,
            hi,
        };
        // Every move in words, with bands under the selected regime.
        Effect::new(move |_| {
            let regime = state.regime.get_untracked();
            let text = state
                .said
                .with(|says| state.with(|r| cursor::words(says, r, regime)));
            if !text.is_empty() {
                state.announce.set(text);
            }
        });
        // Play: one timer per state however many controls show it. The effect runs again on
        // every change of the machine, so the next beat comes one interval after the last move.
        Effect::new(move |_| {
            if state.playing() {
                let handle = set_timeout_with_handle(
                    move || state.act(Cursor::tick),
                    std::time::Duration::from_millis(cursor::PLAY_INTERVAL_MS),
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

    /// Changes the cursor by one of [`Cursor`]'s rules and announces what it says in the live
    /// region (in words from the core).
    pub fn act(&self, rule: impl FnOnce(&mut Cursor) -> Vec<Say>) {
        if let Some(says) = self.change(rule).filter(|s| !s.is_empty()) {
            self.said.set(says);
        }
    }

    /// Applies `f` to the machine, telling its readers only if its state changed (and, for an
    /// island that acted, showing the new step at once, seen or not).
    fn change<T>(&self, f: impl FnOnce(&mut Cursor) -> T) -> Option<T> {
        let out = self.machine.try_maybe_update(|c| {
            let before = c.clone();
            let out = f(c);
            (*c != before, out)
        })?;
        if let Some(own) = self.own {
            let c = self.machine.with_untracked(Cursor::step);
            if own.get_untracked() != c {
                own.set(c);
            }
        }
        Some(out)
    }

    /// The step this widget shows (reactive): 0 = the start, N = after step N.
    pub fn step(&self) -> usize {
        match self.own {
            Some(own) => own.get(),
            None => self.machine.with(Cursor::step),
        }
    }

    /// [`ReplayState::step`] without subscribing.
    pub fn step_untracked(&self) -> usize {
        self.machine.with_untracked(Cursor::step)
    }

    /// True while Play advances the cursor (reactive).
    pub fn playing(&self) -> bool {
        self.machine.with(Cursor::playing)
    }

    /// Predict mode's question: the step asked about, the pick, and whether it is revealed
    /// (reactive).
    pub fn prediction(&self) -> Option<Prediction> {
        self.machine.with(Cursor::prediction)
    }

    /// Follow my reading's mode (reactive; `None` off the chapter page).
    pub fn follow(&self) -> Option<Follow> {
        self.machine.with(Cursor::follow)
    }

    /// The current settings of this state as widget `kind` on `tape`, for links that reopen it.
    pub fn settings(
        &self,
        kind: dealer_book::settings::WidgetKind,
        tape: Option<String>,
    ) -> WidgetSettings {
        WidgetSettings {
            kind: Some(kind),
            step: self.step(),
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
            self.act(|c| {
                c.stop();
                c.go_to(new.step)
            });
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

    /// A copy for one island of the chapter that shares everything but the step it shows. Its
    /// step follows the shared cursor only while `seen` (the island is on or near the screen,
    /// or holds the focus), so a step change redraws the widgets a reader can see and the others
    /// catch up when they come into view; a move the island makes goes through the shared
    /// cursor. Announcements stay with the shared state, so the live region speaks every move
    /// once.
    pub fn seen_through(self, seen: RwSignal<bool>) -> ReplayState {
        let own = RwSignal::new(self.step_untracked());
        let machine = self.machine;
        Effect::new(move |_| {
            if seen.get() {
                let c = machine.with(Cursor::step);
                if own.get_untracked() != c {
                    own.set(c);
                }
            }
        });
        ReplayState {
            own: Some(own),
            ..self
        }
    }

    /// True in predict-then-reveal mode.
    pub fn predicting(&self) -> bool {
        self.lesson.with_value(|l| l.predict)
    }

    /// Turns follow my reading on for the chapter page ([`Cursor::open_following`]).
    pub fn open_following(&self, step_given: bool, reading: Option<usize>) {
        self.change(|c| c.open_following(step_given, reading));
    }

    /// The reading line moved into another step's text ([`Cursor::read`]).
    pub fn read(&self, reading: Option<usize>) {
        self.act(|c| c.read(reading));
    }

    /// The "Follow my reading" switch.
    pub fn toggle_follow(&self) {
        self.act(Cursor::toggle_follow);
    }

    /// Puts the cursor at `c`, kept inside the lesson's range; any open question is closed.
    pub fn go_to(&self, c: usize) {
        self.act(|m| m.go_to(c));
    }

    /// Moves the cursor by `delta` ([`Cursor::step_by`]).
    pub fn step_by(&self, delta: isize) {
        self.act(|m| m.step_by(delta));
    }

    /// Back to the lesson's first step, Play stopped.
    pub fn restart(&self) {
        self.act(|m| {
            m.stop();
            let lo = m.lo();
            m.go_to(lo)
        });
    }

    /// Shows the open question's answer ([`Cursor::reveal`]).
    pub fn reveal(&self) {
        self.act(Cursor::reveal);
    }

    /// Records the class's pick for the open question.
    pub fn choose(&self, choice: usize) {
        self.change(|c| c.choose(choice));
    }

    /// Starts or stops Play ([`Cursor::toggle_play`]).
    pub fn toggle_play(&self) {
        self.act(Cursor::toggle_play);
    }

    /// Stops Play.
    pub fn stop(&self) {
        self.change(Cursor::stop);
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

    /// Handles the replay keys ([`Cursor::key`]); returns true if the key was used.
    pub fn handle_key(&self, key: &str) -> bool {
        let mut used = false;
        self.act(|c| {
            let says = c.key(key);
            used = says.is_some();
            says.unwrap_or_default()
        });
        used
    }
}

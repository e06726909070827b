//! The replay cursor's rules, as a plain state machine: the step shown, kept inside a lesson's
//! range; predict mode's ask and reveal; follow my reading; Play; and what each move asks a
//! screen reader to hear. Every widget of a page shares one [`Cursor`] and changes it only
//! through these methods, so the rules have native tests and the widgets only draw the result.
//!
//! Each change returns the lines to announce ([`Say`]), in order; [`words`] turns them into the
//! one sentence the live region speaks. A move announces its step exactly once; a change of
//! follow mode is said before the next step.

use std::ops::RangeInclusive;

use crate::engine::quote::{band_in, regime_limits, Regime};
use crate::engine::replay::Replay;
use crate::page::reading::Follow;
use crate::words::explain;

/// Milliseconds between two steps while Play is on.
pub const PLAY_INTERVAL_MS: u64 = 1600;

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

/// One line a change asks the page to announce, in the order returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Say {
    /// Follow my reading changed to this mode (or, for [`Follow::Following`], the cursor moved
    /// because it follows the reading).
    Follow(Follow),
    /// The predict question for this step.
    Question(usize),
    /// The answer to this step's question, with its worked calculation.
    Answer(usize),
    /// The cursor is now after this step (0: the start).
    Step(usize),
}

/// The replay cursor of one page or embed, with everything that decides where it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    step: usize,
    lo: usize,
    hi: usize,
    predict: bool,
    playing: bool,
    prediction: Option<Prediction>,
    follow: Option<Follow>,
    reading: Option<usize>,
    /// A change of follow mode not said yet: it leads the next step's announcement.
    note: Option<Follow>,
}

impl Cursor {
    /// A cursor at `step` over a replay of `steps` steps, kept inside `range` (a lesson's steps;
    /// everything past the end is cut to `steps`). `predict`: the lesson asks before each step.
    /// Follow my reading is off the page's concern until [`Cursor::open_following`] is called.
    pub fn new(step: usize, range: RangeInclusive<usize>, steps: usize, predict: bool) -> Cursor {
        let lo = (*range.start()).min(steps);
        let hi = (*range.end()).min(steps).max(lo);
        Cursor {
            step: step.clamp(lo, hi),
            lo,
            hi,
            predict,
            playing: false,
            prediction: None,
            follow: None,
            reading: None,
            note: None,
        }
    }

    /// The step shown: 0 = the start, N = after step N.
    pub fn step(&self) -> usize {
        self.step
    }

    /// First step the cursor may show.
    pub fn lo(&self) -> usize {
        self.lo
    }

    /// Last step the cursor may show.
    pub fn hi(&self) -> usize {
        self.hi
    }

    /// True while Play advances the cursor.
    pub fn playing(&self) -> bool {
        self.playing
    }

    /// Predict mode's open or answered question, if any.
    pub fn prediction(&self) -> Option<Prediction> {
        self.prediction
    }

    /// Follow my reading's mode (`None`: a page without prose beside the widgets).
    pub fn follow(&self) -> Option<Follow> {
        self.follow
    }

    /// The step whose text is at the reading line, as last reported.
    pub fn reading(&self) -> Option<usize> {
        self.reading
    }

    /// True when a question is open and waits for its reveal.
    pub fn waiting(&self) -> bool {
        self.prediction.is_some_and(|p| !p.revealed)
    }

    /// Turns follow my reading on for a chapter page opened with the reading line in
    /// `reading`. `step_given`: the address chose a step, which holds until the reader scrolls
    /// to another step's text; otherwise the cursor shows the step being read. Says nothing.
    pub fn open_following(&mut self, step_given: bool, reading: Option<usize>) {
        self.reading = reading;
        self.follow = Some(Follow::at_open(step_given, self.predict, reading));
        if !step_given && !self.predict {
            if let Some(step) = reading {
                self.step = step.clamp(self.lo, self.hi);
            }
        }
    }

    /// Puts the cursor at `c`, kept inside the range; any open question is closed.
    pub fn go_to(&mut self, c: usize) -> Vec<Say> {
        self.take_control();
        self.prediction = None;
        self.move_to(c.clamp(self.lo, self.hi))
    }

    /// Moves the cursor by `delta`, kept inside the range. In predict mode one step forward
    /// asks that step's question first (or, with a question open, reveals it).
    pub fn step_by(&mut self, delta: isize) -> Vec<Say> {
        self.take_control();
        let c = self.step as isize;
        let target = (c + delta).clamp(self.lo as isize, self.hi as isize) as usize;
        if delta == 1 && self.predict && target != self.step {
            return if self.waiting() {
                self.reveal()
            } else {
                self.ask(target)
            };
        }
        self.go_to(target)
    }

    /// Opens the question for `step` (predict mode).
    pub fn ask(&mut self, step: usize) -> Vec<Say> {
        self.prediction = Some(Prediction {
            step,
            choice: None,
            revealed: false,
        });
        vec![Say::Question(step)]
    }

    /// Records the class's pick for the open question (ignored once revealed).
    pub fn choose(&mut self, choice: usize) {
        if let Some(p) = self.prediction.as_mut().filter(|p| !p.revealed) {
            p.choice = Some(choice);
        }
    }

    /// Shows the open question's answer: the cursor moves to its step, and the answer leads
    /// the step's announcement.
    pub fn reveal(&mut self) -> Vec<Say> {
        let Some(p) = self.prediction.filter(|p| !p.revealed) else {
            return Vec::new();
        };
        self.prediction = Some(Prediction {
            revealed: true,
            ..p
        });
        self.move_to(p.step.clamp(self.lo, self.hi))
    }

    /// Starts Play (from the range's start when at its end) or stops it.
    pub fn toggle_play(&mut self) -> Vec<Say> {
        if self.playing {
            self.playing = false;
            return Vec::new();
        }
        self.take_control();
        let says = if self.step >= self.hi {
            self.go_to(self.lo)
        } else {
            Vec::new()
        };
        self.playing = true;
        says
    }

    /// Stops Play.
    pub fn stop(&mut self) {
        self.playing = false;
    }

    /// One beat of Play: the next step, or Play stops at the range's end or at an open
    /// question.
    pub fn tick(&mut self) -> Vec<Say> {
        if !self.playing {
            return Vec::new();
        }
        if self.step >= self.hi || self.waiting() {
            self.playing = false;
            return Vec::new();
        }
        self.step_by(1)
    }

    /// The replay keys: arrows step, Home and End jump, Space plays, R reveals an open
    /// question. `None` when the key is not the cursor's.
    pub fn key(&mut self, key: &str) -> Option<Vec<Say>> {
        Some(match key {
            "ArrowRight" => self.step_by(1),
            "ArrowLeft" => self.step_by(-1),
            "Home" => {
                self.playing = false;
                self.go_to(self.lo)
            }
            "End" => self.go_to(self.hi),
            " " | "Spacebar" => self.toggle_play(),
            "r" | "R" if self.waiting() => self.reveal(),
            _ => return None,
        })
    }

    /// The reading line is now in step `reading`'s text (`Some(0)`: the replay's
    /// introduction; `None`: outside the replay). Following moves the cursor there; a held
    /// choice resumes following once another step is reached.
    pub fn read(&mut self, reading: Option<usize>) -> Vec<Say> {
        if reading == self.reading {
            return Vec::new();
        }
        self.reading = reading;
        match self.follow {
            Some(mode) => self.follow_reading(mode),
            None => Vec::new(),
        }
    }

    /// The "Follow my reading" switch: off, or on again (moving to the step being read).
    pub fn toggle_follow(&mut self) -> Vec<Say> {
        let Some(mode) = self.follow else {
            return Vec::new();
        };
        let next = mode.toggled();
        self.follow = Some(next);
        if next == Follow::Following {
            self.playing = false;
            let moved = self.follow_reading(next);
            if !moved.is_empty() {
                return moved;
            }
        }
        vec![Say::Follow(next)]
    }

    /// Applies the reading position to follow mode `mode`.
    fn follow_reading(&mut self, mode: Follow) -> Vec<Say> {
        let m = mode.on_reading(self.reading, self.lo, self.hi);
        if m.follow != mode {
            self.playing = false;
            self.note = Some(m.follow);
            self.follow = Some(m.follow);
        }
        match m.cursor.filter(|&c| c != self.step) {
            Some(c) => {
                self.note.get_or_insert(Follow::Following);
                self.move_to(c)
            }
            None => Vec::new(),
        }
    }

    /// The reader moved the cursor: following holds until they read another step.
    fn take_control(&mut self) {
        if let Some(mode) = self.follow {
            let held = mode.on_reader_choice(self.reading);
            if held != mode {
                if !matches!(mode, Follow::Held { .. }) {
                    self.note = Some(held);
                }
                self.follow = Some(held);
            }
        }
    }

    /// Moves to `c` (already in range) and says so: a pending follow note first, then a
    /// revealed answer for `c`, then the step. Nothing when the cursor is already there.
    fn move_to(&mut self, c: usize) -> Vec<Say> {
        if c == self.step {
            return Vec::new();
        }
        self.step = c;
        let mut says: Vec<Say> = self.note.take().map(Say::Follow).into_iter().collect();
        if self.prediction.is_some_and(|p| p.revealed && p.step == c) {
            says.push(Say::Answer(c));
        }
        says.push(Say::Step(c));
        says
    }
}

/// The sentence a screen reader hears for `says` on `replay`, with bands and questions judged
/// under `regime` as the widgets show them. Empty when there is nothing to say.
pub fn words(says: &[Say], replay: &Replay, regime: Regime) -> String {
    let limits = regime_limits(&replay.limits, regime);
    let question = |step| explain::predict::question(replay, step, &limits);
    let mut parts: Vec<String> = Vec::new();
    for say in says {
        match *say {
            Say::Follow(mode) => parts.push(mode.announcement().into()),
            Say::Question(step) => parts.extend(question(step).map(|q| q.announce_question())),
            Say::Answer(step) => parts.extend(question(step).map(|q| q.announce_answer())),
            Say::Step(c) => {
                let band = band_in(&replay.book_at(c), &replay.limits, regime);
                parts.push(explain::replay::announcement(replay, c, band));
            }
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn free(step: usize) -> Cursor {
        Cursor::new(step, 0..=5, 5, false)
    }

    #[test]
    fn moves_stay_in_the_lessons_range_and_say_their_step_once() {
        let mut c = Cursor::new(9, 2..=4, 5, false);
        assert_eq!(c.step(), 4);
        assert_eq!(c.step_by(1), vec![]);
        assert_eq!(c.step_by(-1), vec![Say::Step(3)]);
        assert_eq!(c.go_to(0), vec![Say::Step(2)]);
        assert_eq!(c.key("End"), Some(vec![Say::Step(4)]));
        assert_eq!(c.key("Home"), Some(vec![Say::Step(2)]));
        assert_eq!(c.key("x"), None);
        // A range past the tape's end is cut to it.
        let c = Cursor::new(0, 3..=99, 5, false);
        assert_eq!((c.lo(), c.hi(), c.step()), (3, 5, 3));
    }

    #[test]
    fn play_advances_and_stops_at_the_end() {
        let mut c = free(4);
        assert_eq!(c.toggle_play(), vec![]);
        assert!(c.playing());
        assert_eq!(c.tick(), vec![Say::Step(5)]);
        assert_eq!(c.tick(), vec![]);
        assert!(!c.playing());
        // At the end, Play starts over from the range's start.
        assert_eq!(c.key(" "), Some(vec![Say::Step(0)]));
        assert!(c.playing());
        assert_eq!(c.key(" "), Some(vec![]));
        assert!(!c.playing());
        assert_eq!(c.tick(), vec![], "a stopped cursor ignores the timer");
    }

    #[test]
    fn predict_asks_before_the_step_and_reveals_with_the_answer_first() {
        let mut c = Cursor::new(0, 0..=5, 5, true);
        assert_eq!(c.step_by(1), vec![Say::Question(1)]);
        assert_eq!(c.step(), 0, "asking does not move the cursor");
        assert!(c.waiting());
        c.choose(2);
        assert_eq!(c.prediction().and_then(|p| p.choice), Some(2));
        // Next again reveals: the answer leads the step.
        assert_eq!(c.step_by(1), vec![Say::Answer(1), Say::Step(1)]);
        assert!(!c.waiting());
        c.choose(0);
        assert_eq!(
            c.prediction().and_then(|p| p.choice),
            Some(2),
            "the pick is kept"
        );
        assert_eq!(c.key("R"), None, "R only reveals an open question");
        // Play stops at an open question.
        c.toggle_play();
        assert_eq!(c.tick(), vec![Say::Question(2)]);
        assert_eq!(c.tick(), vec![]);
        assert!(!c.playing());
        assert_eq!(c.key("r"), Some(vec![Say::Answer(2), Say::Step(2)]));
        // Going back closes the question and says only the step.
        assert_eq!(c.step_by(-1), vec![Say::Step(1)]);
        assert_eq!(c.prediction(), None);
    }

    #[test]
    fn following_moves_with_the_reading_and_a_choice_holds_it() {
        let mut c = free(0);
        c.open_following(false, Some(2));
        assert_eq!(c.step(), 2, "opened at a step's text, the widgets show it");
        assert_eq!(c.follow(), Some(Follow::Following));
        assert_eq!(
            c.read(Some(3)),
            vec![Say::Follow(Follow::Following), Say::Step(3)]
        );
        assert_eq!(c.read(Some(3)), vec![], "the same reading says nothing");
        // The reader takes control: the hold is said with the move.
        let held = Follow::Held { section: Some(3) };
        assert_eq!(c.step_by(1), vec![Say::Follow(held), Say::Step(4)]);
        assert_eq!(c.read(None), vec![]);
        assert_eq!(c.step(), 4);
        // Reading another step resumes following.
        assert_eq!(
            c.read(Some(1)),
            vec![Say::Follow(Follow::Following), Say::Step(1)]
        );
        // Off: the reading no longer moves the cursor; on again moves to it.
        assert_eq!(c.toggle_follow(), vec![Say::Follow(Follow::Off)]);
        assert_eq!(c.read(Some(5)), vec![]);
        assert_eq!(c.step(), 1);
        assert_eq!(
            c.toggle_follow(),
            vec![Say::Follow(Follow::Following), Say::Step(5)]
        );
        // On again at the step already shown: the mode alone is said.
        c.toggle_follow();
        assert_eq!(c.toggle_follow(), vec![Say::Follow(Follow::Following)]);
    }

    #[test]
    fn resuming_following_stops_play_and_a_url_step_waits_for_the_reader() {
        let mut c = free(0);
        c.open_following(true, Some(2));
        assert_eq!(c.step(), 0, "a step from the address is kept");
        assert_eq!(c.follow(), Some(Follow::Held { section: Some(2) }));
        c.toggle_play();
        assert!(c.playing());
        let says = c.read(Some(4));
        assert_eq!(says, vec![Say::Follow(Follow::Following), Say::Step(4)]);
        assert!(!c.playing());
        // Predict mode starts with following off.
        let mut p = Cursor::new(0, 0..=5, 5, true);
        p.open_following(false, Some(3));
        assert_eq!((p.step(), p.follow()), (0, Some(Follow::Off)));
    }

    #[test]
    fn the_words_on_the_chapter_tape() {
        let tape = crate::engine::tape::Tape::from_json(crate::CHAPTER_TAPE).unwrap();
        let r = crate::engine::replay::replay(&tape).unwrap();
        let step = words(&[Say::Step(1)], &r, Regime::Normal);
        let band = band_in(&r.book_at(1), &r.limits, Regime::Normal);
        assert_eq!(step, explain::replay::announcement(&r, 1, band));
        let limits = regime_limits(&r.limits, Regime::Normal);
        let q = explain::predict::question(&r, 2, &limits).unwrap();
        let said = words(
            &[Say::Follow(Follow::Off), Say::Answer(2), Say::Step(2)],
            &r,
            Regime::Normal,
        );
        assert!(said.starts_with(&format!(
            "Follow my reading is off. {}",
            q.announce_answer()
        )));
        assert!(said.ends_with(&explain::replay::announcement(
            &r,
            2,
            band_in(&r.book_at(2), &r.limits, Regime::Normal)
        )));
        assert_eq!(words(&[], &r, Regime::Normal), "");
    }

    /// Any action a page can take.
    #[derive(Clone, Debug)]
    enum Act {
        GoTo(usize),
        StepBy(isize),
        Reveal,
        Choose(usize),
        TogglePlay,
        Tick,
        Key(&'static str),
        Read(Option<usize>),
        ToggleFollow,
    }

    fn act() -> impl Strategy<Value = Act> {
        prop_oneof![
            (0usize..12).prop_map(Act::GoTo),
            (-3isize..4).prop_map(Act::StepBy),
            Just(Act::Reveal),
            (0usize..4).prop_map(Act::Choose),
            Just(Act::TogglePlay),
            Just(Act::Tick),
            prop::sample::select(vec![
                "ArrowRight",
                "ArrowLeft",
                "Home",
                "End",
                " ",
                "r",
                "q"
            ])
            .prop_map(Act::Key),
            proptest::option::of(0usize..12).prop_map(Act::Read),
            Just(Act::ToggleFollow),
        ]
    }

    fn apply(c: &mut Cursor, a: &Act) -> Vec<Say> {
        match *a {
            Act::GoTo(s) => c.go_to(s),
            Act::StepBy(d) => c.step_by(d),
            Act::Reveal => c.reveal(),
            Act::Choose(i) => {
                c.choose(i);
                Vec::new()
            }
            Act::TogglePlay => c.toggle_play(),
            Act::Tick => c.tick(),
            Act::Key(k) => c.key(k).unwrap_or_default(),
            Act::Read(r) => c.read(r),
            Act::ToggleFollow => c.toggle_follow(),
        }
    }

    proptest! {
        #[test]
        fn every_move_is_said_once_and_stays_in_range(
            lo in 0usize..6,
            len in 0usize..6,
            steps in 0usize..10,
            start in 0usize..12,
            predict in any::<bool>(),
            chapter in any::<bool>(),
            acts in proptest::collection::vec(act(), 0..60),
        ) {
            let mut c = Cursor::new(start, lo..=lo + len, steps, predict);
            if chapter {
                c.open_following(false, None);
            }
            for a in &acts {
                let before = c.step();
                let stuck = c.step() >= c.hi() || c.waiting();
                let says = apply(&mut c, a);
                prop_assert!(c.lo() <= c.step() && c.step() <= c.hi() && c.hi() <= steps.max(c.lo()));
                let said: Vec<usize> = says
                    .iter()
                    .filter_map(|s| match s { Say::Step(x) => Some(*x), _ => None })
                    .collect();
                if c.step() == before {
                    prop_assert!(said.is_empty(), "{a:?} said {said:?} without moving");
                } else {
                    prop_assert_eq!(said, vec![c.step()], "{:?} moved without saying it", a);
                    prop_assert_eq!(says.last(), Some(&Say::Step(c.step())));
                }
                // An answer is said only with its own step, after a reveal.
                for s in &says {
                    if let Say::Answer(x) = s {
                        prop_assert_eq!(*x, c.step());
                        prop_assert!(c.prediction().is_some_and(|p| p.revealed));
                    }
                }
                // A beat of Play at the end or at an open question stops Play where it is.
                if matches!(a, Act::Tick) && stuck {
                    prop_assert!(!c.playing());
                    prop_assert_eq!(c.step(), before);
                }
                if !chapter {
                    prop_assert_eq!(c.follow(), None);
                }
                if !predict {
                    prop_assert_eq!(c.prediction(), None);
                }
            }
        }

        #[test]
        fn following_shows_the_step_being_read(
            reads in proptest::collection::vec(proptest::option::of(0usize..8), 1..30),
        ) {
            let mut c = Cursor::new(0, 1..=5, 6, false);
            c.open_following(false, None);
            for r in reads {
                c.read(r);
                if let Some(step) = r {
                    prop_assert_eq!(c.step(), step.clamp(1, 5));
                }
                prop_assert_eq!(c.follow(), Some(Follow::Following));
            }
        }
    }
}

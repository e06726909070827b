//! Follow my reading: when the chapter's replay cursor follows the step the reader is reading,
//! when the reader's own choice holds it, and the words the page says about it. Pure, so the
//! chapter page's rules have native tests; the page only reports where the reading line is.

/// Who moves the replay cursor on a page with prose beside the widgets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Follow {
    /// The cursor moves to the step whose text reaches the reading line.
    Following,
    /// The reader chose a step while reading `section` (`None`: outside the steps' text). The
    /// cursor stays put until the reading line reaches another step's text.
    Held {
        /// The step section the reader was in when they took control.
        section: Option<usize>,
    },
    /// The reader turned following off; only turning it back on resumes it.
    Off,
}

/// What a change of the reading position does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Move {
    /// The mode afterwards.
    pub follow: Follow,
    /// Where the cursor goes, if it moves.
    pub cursor: Option<usize>,
}

impl Follow {
    /// The mode a chapter page opens in: following, unless the URL chose a step (`step_given`),
    /// which holds until the reader scrolls to another step's text, or a predict-mode lesson,
    /// where moving the cursor would reveal answers, so following starts off.
    pub fn at_open(step_given: bool, predicting: bool, reading: Option<usize>) -> Follow {
        if predicting {
            Follow::Off
        } else if step_given {
            Follow::Held { section: reading }
        } else {
            Follow::Following
        }
    }

    /// The reading line is now in step `reading`'s text (`Some(0)`: the replay's introduction;
    /// `None`: outside the replay). The cursor is kept inside `lo..=hi` (a lesson's range).
    pub fn on_reading(self, reading: Option<usize>, lo: usize, hi: usize) -> Move {
        let follow = match self {
            Follow::Held { section } if reading.is_some() && reading != section => {
                Follow::Following
            }
            other => other,
        };
        let cursor = match (follow, reading) {
            (Follow::Following, Some(step)) => Some(step.clamp(lo, hi.max(lo))),
            _ => None,
        };
        Move { follow, cursor }
    }

    /// The reader moved the cursor themselves (a button, a key, Play, a step in a widget) while
    /// the reading line was in `reading`.
    pub fn on_reader_choice(self, reading: Option<usize>) -> Follow {
        match self {
            Follow::Following | Follow::Held { .. } => Follow::Held { section: reading },
            Follow::Off => Follow::Off,
        }
    }

    /// The "Follow my reading" switch was pressed.
    pub fn toggled(self) -> Follow {
        match self {
            Follow::Off => Follow::Following,
            Follow::Following | Follow::Held { .. } => Follow::Off,
        }
    }

    /// True while the switch shows "on" (following, or held by the reader's choice).
    pub fn is_on(self) -> bool {
        !matches!(self, Follow::Off)
    }

    /// The status line beside the widget at `cursor`.
    pub fn status(self, cursor: usize) -> String {
        match self {
            Follow::Following => format!("Following your reading: {}", step_name(cursor)),
            Follow::Held { .. } => format!(
                "You chose {}. Following resumes when you scroll to another step.",
                step_name(cursor)
            ),
            Follow::Off => format!("Showing {}. Follow my reading is off.", step_name(cursor)),
        }
    }

    /// What a screen reader hears when the mode changes (said politely, once).
    pub fn announcement(self) -> &'static str {
        match self {
            Follow::Following => "Following your reading.",
            Follow::Held { .. } => {
                "You took control of the replay; it follows your reading again when you scroll to another step."
            }
            Follow::Off => "Follow my reading is off.",
        }
    }
}

/// "step 3", or "the start" for the cursor before any step.
pub fn step_name(cursor: usize) -> String {
    if cursor == 0 {
        "the start".into()
    } else {
        format!("step {cursor}")
    }
}

/// The words of the link from a widget to the prose of the step at `cursor`.
pub fn read_link(cursor: usize) -> String {
    if cursor == 0 {
        "Read the replay's introduction".into()
    } else {
        format!("Read step {cursor} in the text")
    }
}

/// The step a chapter heading introduces: `Step 3: Flow flips` is step 3.
pub fn step_of_heading(text: &str) -> Option<usize> {
    let rest = text.trim().strip_prefix("Step ")?;
    let (n, _) = rest.split_once(':')?;
    n.trim().parse().ok().filter(|&n| n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn following_moves_the_cursor_to_the_step_being_read() {
        let m = Follow::Following.on_reading(Some(3), 0, 5);
        assert_eq!(m.cursor, Some(3));
        assert_eq!(m.follow, Follow::Following);
        // Outside the replay's text nothing moves.
        assert_eq!(Follow::Following.on_reading(None, 0, 5).cursor, None);
        // A lesson's range keeps the cursor inside it.
        assert_eq!(Follow::Following.on_reading(Some(5), 1, 3).cursor, Some(3));
        assert_eq!(Follow::Following.on_reading(Some(0), 1, 3).cursor, Some(1));
    }

    #[test]
    fn the_readers_choice_holds_until_another_step_is_reached() {
        let held = Follow::Following.on_reader_choice(Some(2));
        assert_eq!(held, Follow::Held { section: Some(2) });
        // Scrolling within step 2, or out of the replay, keeps the reader's choice.
        assert_eq!(
            held.on_reading(Some(2), 0, 5),
            Move {
                follow: held,
                cursor: None
            }
        );
        assert_eq!(
            held.on_reading(None, 0, 5),
            Move {
                follow: held,
                cursor: None
            }
        );
        // Step 3's text resumes following.
        let m = held.on_reading(Some(3), 0, 5);
        assert_eq!(
            m,
            Move {
                follow: Follow::Following,
                cursor: Some(3)
            }
        );
    }

    #[test]
    fn off_stays_off_until_switched_on() {
        assert_eq!(Follow::Off.on_reading(Some(4), 0, 5).cursor, None);
        assert_eq!(Follow::Off.on_reader_choice(Some(4)), Follow::Off);
        assert_eq!(Follow::Off.toggled(), Follow::Following);
        assert_eq!(Follow::Held { section: None }.toggled(), Follow::Off);
        assert!(Follow::Held { section: None }.is_on());
        assert!(!Follow::Off.is_on());
    }

    #[test]
    fn a_url_step_waits_for_the_reader_and_predict_mode_starts_off() {
        assert_eq!(Follow::at_open(false, false, Some(1)), Follow::Following);
        let opened = Follow::at_open(true, false, None);
        assert_eq!(opened, Follow::Held { section: None });
        assert_eq!(opened.on_reading(None, 0, 5).cursor, None);
        assert_eq!(opened.on_reading(Some(1), 0, 5).cursor, Some(1));
        assert_eq!(Follow::at_open(false, true, Some(2)), Follow::Off);
    }

    #[test]
    fn words() {
        assert_eq!(
            Follow::Following.status(3),
            "Following your reading: step 3"
        );
        assert_eq!(
            Follow::Following.status(0),
            "Following your reading: the start"
        );
        assert_eq!(
            Follow::Held { section: Some(1) }.status(4),
            "You chose step 4. Following resumes when you scroll to another step."
        );
        assert_eq!(
            Follow::Off.status(2),
            "Showing step 2. Follow my reading is off."
        );
        assert_eq!(read_link(4), "Read step 4 in the text");
        assert_eq!(read_link(0), "Read the replay's introduction");
    }

    #[test]
    fn step_headings() {
        assert_eq!(step_of_heading("Step 3: Flow flips"), Some(3));
        assert_eq!(step_of_heading(" Step 12: x"), Some(12));
        assert_eq!(step_of_heading("Step 0: x"), None);
        assert_eq!(step_of_heading("Stepping out"), None);
        assert_eq!(step_of_heading("Step three: x"), None);
        assert_eq!(step_of_heading("The book"), None);
    }

    fn mode() -> impl Strategy<Value = Follow> {
        prop_oneof![
            Just(Follow::Following),
            Just(Follow::Off),
            proptest::option::of(0usize..8).prop_map(|section| Follow::Held { section }),
        ]
    }

    proptest! {
        /// Whatever happened before, once the reader chooses a step, reading positions inside
        /// the same section never move the cursor; and a move always lands inside the range.
        #[test]
        fn a_choice_sticks_while_the_reader_stays_put(
            start in mode(),
            at in proptest::option::of(0usize..8),
            lo in 0usize..4,
            span in 0usize..5,
            later in proptest::collection::vec(proptest::option::of(0usize..8), 0..20),
        ) {
            let hi = lo + span;
            let mut f = start.on_reader_choice(at);
            for r in later {
                let m = f.on_reading(r, lo, hi);
                if (r == at || r.is_none()) && f != Follow::Following {
                    prop_assert_eq!(m.cursor, None);
                }
                if let Some(c) = m.cursor {
                    prop_assert!((lo..=hi).contains(&c));
                    prop_assert_eq!(m.follow, Follow::Following);
                }
                f = m.follow;
            }
        }
    }
}

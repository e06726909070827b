//! The sizes a tape may have, checked by every reader (CLI and browser) before anything is built,
//! and the byte-level rules both share: a UTF-8 byte-order mark is accepted and skipped; any
//! other byte sequence that is not UTF-8 is refused with its line and column.
//!
//! Why these numbers: a tape at the limits replays in the browser in about a second and keeps the
//! page's memory within a small multiple of the text (README, "Limits"); the largest teaching
//! tape in the repository has 5 steps and 9 events, and generated benchmark tapes stay far below.

use super::{Location, Problem, TapeError};

/// Largest tape text, in bytes (64 MiB).
pub const MAX_TAPE_BYTES: usize = 64 * 1024 * 1024;
/// Most events in one tape, over all steps.
pub const MAX_EVENTS: usize = 1_000_000;
/// Most steps in one tape.
pub const MAX_STEPS: usize = 100_000;

/// The limits in words, as the README and error messages state them.
pub const LIMITS_TEXT: &str = "64 MiB, 1,000,000 events, 100,000 steps";

/// The UTF-8 byte-order mark some editors write at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Checks a tape's size before it is read: `TapeError::TooLarge` when over [`MAX_TAPE_BYTES`].
pub fn check_size(bytes: usize) -> Result<(), TapeError> {
    if bytes > MAX_TAPE_BYTES {
        Err(TapeError::TooLarge { bytes })
    } else {
        Ok(())
    }
}

/// A tape's bytes as text: the size is checked, a leading byte-order mark skipped, and bytes that
/// are not UTF-8 refused at their line and column (columns count characters, as JSON errors do).
pub fn decode(bytes: &[u8]) -> Result<&str, TapeError> {
    check_size(bytes.len())?;
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    std::str::from_utf8(body).map_err(|e| {
        let good = &body[..e.valid_up_to()];
        // The prefix is valid UTF-8 by construction.
        let before = std::str::from_utf8(good).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        TapeError::NotUtf8 {
            line,
            column,
            byte: body[e.valid_up_to()],
        }
    })
}

/// Strips a leading byte-order mark from text that is already a string (the browser's decoder
/// may hand it over): the same verdict as [`decode`] on the bytes.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
}

/// Counts steps and events as the reader hands them over, and stops passing them on at the first
/// step past a limit, so an oversized tape costs no memory beyond its text.
pub(super) struct Counted<'s> {
    pub(super) sink: &'s mut dyn super::TapeSink,
    steps: usize,
    events: usize,
    over: Option<TapeError>,
}

impl<'s> Counted<'s> {
    pub(super) fn new(sink: &'s mut dyn super::TapeSink) -> Self {
        Counted {
            sink,
            steps: 0,
            events: 0,
            over: None,
        }
    }

    /// The first limit crossed, if any.
    pub(super) fn over(self) -> Option<TapeError> {
        self.over
    }
}

impl super::TapeSink for Counted<'_> {
    fn start(&mut self, start: &super::Start) {
        self.sink.start(start);
    }
    fn step(&mut self, step: &super::Step) {
        if self.over.is_some() {
            return;
        }
        self.steps += 1;
        self.events += step.events.len();
        let problem = if self.steps > MAX_STEPS {
            Some(Problem::TooManySteps { limit: MAX_STEPS })
        } else if self.events > MAX_EVENTS {
            Some(Problem::TooManyEvents { limit: MAX_EVENTS })
        } else {
            None
        };
        match problem {
            Some(problem) => {
                self.over = Some(TapeError::Invalid {
                    location: Location::Step { step: self.steps },
                    problem,
                })
            }
            None => self.sink.step(step),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tape::Tape;

    #[test]
    fn a_byte_order_mark_is_skipped_and_other_bad_bytes_are_located() {
        let text = br#"{"title":"t","start":{"fair":100},"steps":[{"title":"s","events":[]}]}"#;
        let with_bom = [BOM, &text[..]].concat();
        assert_eq!(
            decode(&with_bom).unwrap(),
            std::str::from_utf8(text).unwrap()
        );
        let bad = b"{\n  \"title\": \"caf\xFF\"}";
        assert_eq!(
            decode(bad).unwrap_err().to_string(),
            "line 2, column 16: the tape is not UTF-8 text (byte 0xFF); save it as UTF-8"
        );
        assert_eq!(strip_bom("\u{FEFF}{}"), "{}");
    }

    #[test]
    fn size_is_checked_before_reading() {
        assert!(check_size(MAX_TAPE_BYTES).is_ok());
        assert_eq!(
            check_size(MAX_TAPE_BYTES + 1).unwrap_err().to_string(),
            "tape: the tape is larger than the limit of 67,108,864 bytes (64 MiB); split it into \
             shorter tapes"
        );
    }

    fn tape_with(steps: usize, events_per_step: usize) -> String {
        let event = r#"{"type":"fair","price":100}"#;
        let events = vec![event; events_per_step].join(",");
        let step = format!(r#"{{"title":"s","events":[{events}]}}"#);
        let steps = vec![step.as_str(); steps].join(",");
        format!(r#"{{"title":"t","start":{{"fair":100}},"steps":[{steps}]}}"#)
    }

    #[test]
    fn steps_and_events_are_counted_against_their_limits() {
        assert_eq!(
            Tape::from_json(&tape_with(MAX_STEPS, 0))
                .unwrap()
                .steps
                .len(),
            MAX_STEPS
        );
        assert_eq!(
            Tape::from_json(&tape_with(MAX_STEPS + 1, 0))
                .unwrap_err()
                .to_string(),
            "step 100001: the tape has more than 100,000 steps (limits: 64 MiB, 1,000,000 events, \
             100,000 steps); split it into shorter tapes"
        );
        let ok = Tape::from_json(&tape_with(10, MAX_EVENTS / 10)).unwrap();
        assert_eq!(ok.event_count(), MAX_EVENTS);
        assert_eq!(
            Tape::from_json(&tape_with(11, MAX_EVENTS / 10))
                .unwrap_err()
                .to_string(),
            "step 11: the tape has more than 1,000,000 events (limits: 64 MiB, 1,000,000 events, \
             100,000 steps); split it into shorter tapes"
        );
    }
}

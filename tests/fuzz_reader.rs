//! The tape reader under constant partial input, as the tape studio feeds it: every prefix of the
//! shipped tapes, and generated mutations of them (byte flips, cut ranges, spliced tokens,
//! duplicated keys, deep nesting). For each input the bytes are decoded as the readers do, read as
//! a tape, outlined, and the error (if any) placed in the text; the caret's step is asked for and
//! the palette inserts at a random caret. Nothing may panic, an error must have a place inside
//! the text, and a valid tape must replay or give a located replay error.
//!
//! Per run: every prefix of the three tapes (about 2,500 inputs, printed) plus
//! 3 × 33,000 generated cases: over 101,000 inputs.

use dealer_book::quote::QuoteParams;
use dealer_book::studio::{self, Insert};
use dealer_book::tape::limits;
use dealer_book::tape::outline::Outline;
use dealer_book::tape::Tape;
use proptest::prelude::*;

const TAPES: [&str; 3] = [
    dealer_book::CHAPTER_TAPE,
    include_str!("../examples/tapes/two-sided.json"),
    dealer_book::studio::EMPTY_TAPE,
];

/// The replays of the shipped tapes: the palette prices its inserts from the last valid replay,
/// which is the unmutated tape's while the author types.
fn base_replay(which: usize) -> &'static dealer_book::replay::Replay {
    static REPLAYS: std::sync::OnceLock<Vec<dealer_book::replay::Replay>> =
        std::sync::OnceLock::new();
    &REPLAYS.get_or_init(|| {
        TAPES
            .iter()
            .map(|t| {
                dealer_book::replay::replay(&Tape::from_json(t).expect("shipped tape"))
                    .expect("replays")
            })
            .collect()
    })[which]
}

/// Everything the studio does with one keystroke's text; panics only on a broken promise.
fn check(bytes: &[u8], caret_seed: usize, insert: Insert, which: usize) {
    let text = match limits::decode(bytes) {
        Ok(t) => t,
        Err(e) => {
            assert!(e.to_string().contains("UTF-8"), "{e}");
            return;
        }
    };
    let outline = Outline::new(text);
    let caret = if text.is_empty() {
        0
    } else {
        let mut c = caret_seed % (text.len() + 1);
        while !text.is_char_boundary(c) {
            c -= 1;
        }
        c
    };
    let _ = outline.step_at(caret);
    let _ = studio::place(&outline, caret);
    match Tape::from_json(text) {
        Ok(tape) => {
            if let Err(e) = dealer_book::replay::replay(&tape) {
                assert!(!e.to_string().is_empty());
            }
        }
        Err(e) => {
            let place = studio::error_place(text, &outline, &e);
            assert!(place.span.start <= place.span.end && place.span.end <= text.len());
            assert!(
                text.is_char_boundary(place.span.start) && text.is_char_boundary(place.span.end)
            );
            assert!(place.line >= 1 && place.column >= 1);
        }
    }
    let base = base_replay(which);
    if let Ok(edit) = studio::palette_edit(text, caret, insert, Some(base), &QuoteParams::default())
    {
        let out = edit.apply(text);
        assert!(edit.select.end <= out.len());
        assert!(out.is_char_boundary(edit.select.start) && out.is_char_boundary(edit.select.end));
    }
}

fn insert_of(i: usize) -> Insert {
    Insert::ALL[i % Insert::ALL.len()]
}

#[test]
fn every_prefix_of_the_shipped_tapes() {
    for (which, tape) in TAPES.iter().enumerate() {
        for cut in 0..=tape.len() {
            check(&tape.as_bytes()[..cut], cut * 7, insert_of(cut), which);
        }
    }
    let n: usize = TAPES.iter().map(|t| t.len() + 1).sum();
    eprintln!("fuzz_reader: {n} prefixes (and 3 x 33,000 generated cases in the other tests)");
}

/// A mutation of one of the shipped tapes.
#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, byte: u8 },
    Cut { at: usize, len: usize },
    Splice { at: usize, token: &'static str },
    DuplicateKey { nth_object: usize },
    Nest { depth: usize, open: &'static str },
}

const TOKENS: [&str; 16] = [
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\"type\"",
    "\"qty\": ",
    "-1",
    "1e400",
    "0.000000001",
    "null",
    "\\u",
    "é",
    "\"steps\": [",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Cut { at, len }),
        (any::<usize>(), prop::sample::select(&TOKENS[..]))
            .prop_map(|(at, token)| Mutation::Splice { at, token }),
        any::<usize>().prop_map(|nth_object| Mutation::DuplicateKey { nth_object }),
        (
            1usize..5_000,
            prop::sample::select(&["[", "{\"a\":", "{\"steps\":["][..])
        )
            .prop_map(|(depth, open)| Mutation::Nest { depth, open }),
    ]
}

fn apply(tape: &str, m: &Mutation) -> Vec<u8> {
    let mut b = tape.as_bytes().to_vec();
    let n = b.len();
    match *m {
        Mutation::Flip { at, byte } => b[at % n] = byte,
        Mutation::Cut { at, len } => {
            let at = at % n;
            b.drain(at..(at + len).min(n));
        }
        Mutation::Splice { at, token } => {
            let at = at % (n + 1);
            b.splice(at..at, token.bytes());
        }
        Mutation::DuplicateKey { nth_object } => {
            let opens: Vec<usize> = tape.match_indices('{').map(|(i, _)| i).collect();
            let at = opens[nth_object % opens.len()] + 1;
            b.splice(at..at, b"\"title\": \"again\",".iter().copied());
        }
        Mutation::Nest { depth, open } => {
            let at = tape.find("\"steps\": [").map_or(0, |i| i + 10);
            b.splice(at..at, open.repeat(depth).into_bytes());
        }
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 33_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn one_mutation(which in 0usize..3, m in mutation(), caret in any::<usize>(), i in 0usize..7) {
        check(&apply(TAPES[which], &m), caret, insert_of(i), which);
    }

    #[test]
    fn three_mutations(which in 0usize..3, ms in prop::collection::vec(mutation(), 3), caret in any::<usize>(), i in 0usize..7) {
        let mut text = TAPES[which].to_string();
        let mut bytes = Vec::new();
        for m in &ms {
            bytes = apply(&text, m);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        check(&bytes, caret, insert_of(i), which);
    }

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300), caret in any::<usize>(), i in 0usize..7) {
        check(&bytes, caret, insert_of(i), i % 3);
    }
}

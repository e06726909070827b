//! The tape studio's rules, kept out of the browser so they are tested natively: where the
//! caret is in a tape (step and event), what the palette inserts there (events priced from the
//! book at that point, within the tape's limits), where an error sits in the text, the starting templates, and the
//! snippets an author pastes into a page. The studio widget only wires these to an editor.
//!
//! Offsets here are byte offsets into the tape's text; the editor speaks UTF-16 (the DOM's
//! `selectionStart`), so [`utf16_to_byte`] and [`byte_to_utf16`] convert at the edge.

use std::ops::Range;

use crate::engine::book::Book;
use crate::engine::hedge_rule::DEFAULT_HEDGE_COST;
use crate::engine::num::{Price, Qty};
use crate::engine::quote::{shown_quote, QuoteParams};
use crate::engine::replay::Replay;
use crate::engine::tape::outline::{line_column, Kind, Node, Outline};
use crate::engine::tape::{Event, TapeError};
use crate::page::settings::WidgetKind;

/// A starting tape with one empty step, for an author who starts from nothing.
pub const EMPTY_TAPE: &str = r#"{
  "title": "My scenario",
  "start": { "fair": 100000, "i_client": 0, "h_external": 0 },
  "steps": [
    {
      "title": "Step 1",
      "note": "What the reader should notice in this step.",
      "events": []
    }
  ]
}
"#;

/// What the palette inserts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Insert {
    /// A customer buys at the ask the engine would show.
    ClientBuy,
    /// A customer sells at the bid the engine would show.
    ClientSell,
    /// The dealer hedges toward a flat residual, paying the hedge cost: buys at fair plus it,
    /// sells at fair minus it.
    Hedge,
    /// Fresh fair moves up 0.1%, and the quote reference with it.
    FairMove,
    /// Fresh fair drops 1% while the quote reference stays behind.
    StaleMove,
    /// The quote reference catches up with fresh fair.
    Refresh,
    /// A new step after the caret's step.
    NewStep,
}

impl Insert {
    /// Every insert, in the palette's order.
    pub const ALL: [Insert; 7] = [
        Insert::ClientBuy,
        Insert::ClientSell,
        Insert::Hedge,
        Insert::FairMove,
        Insert::StaleMove,
        Insert::Refresh,
        Insert::NewStep,
    ];

    /// The button's label.
    pub fn label(self) -> &'static str {
        match self {
            Insert::ClientBuy => "Customer buys",
            Insert::ClientSell => "Customer sells",
            Insert::Hedge => "Hedge",
            Insert::FairMove => "Fair move",
            Insert::StaleMove => "Stale move",
            Insert::Refresh => "Refresh",
            Insert::NewStep => "New step",
        }
    }

    /// What the button does, for its description.
    pub fn hint(self) -> &'static str {
        match self {
            Insert::ClientBuy => "a customer lifts the ask the engine would show at this point",
            Insert::ClientSell => "a customer hits the bid the engine would show at this point",
            Insert::Hedge => "the dealer hedges R_residual to flat, paying the hedge cost (buys at fair plus it, sells at fair minus it)",
            Insert::FairMove => "fresh fair moves up 0.1%; the quote follows",
            Insert::StaleMove => "fresh fair drops 1% while the quote rests on the old reference",
            Insert::Refresh => "the quote reference catches up with fresh fair",
            Insert::NewStep => "a new step after this one",
        }
    }
}

/// A change to the text: replace `range` with `text`, then select `select` (in the new text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Bytes replaced (empty for an insertion).
    pub range: Range<usize>,
    /// The new text.
    pub text: String,
    /// What to select afterwards, in the edited text (empty: a caret).
    pub select: Range<usize>,
}

impl Edit {
    /// The text after the edit.
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + self.text.len());
        out.push_str(&text[..self.range.start]);
        out.push_str(&self.text);
        out.push_str(&text[self.range.end..]);
        out
    }
}

/// Why the palette cannot insert here.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PaletteError {
    /// No `steps` array to insert into.
    #[error("there is no \"steps\" array to insert into; start from a template")]
    NoSteps,
    /// The caret's step has no `events` array.
    #[error("step {0} has no \"events\" array to insert into; add \"events\": [] to it")]
    NoEvents(usize),
}

/// Where the caret is: its step and the event it is in or after (0-based; `None` before the
/// step's first event).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    /// The step.
    pub step: usize,
    /// The event the caret is in or after.
    pub event: Option<usize>,
}

/// The caret's step and event. A caret outside the steps array belongs to the last step when it
/// is after the array, the first when before.
pub fn place(outline: &Outline, caret: usize) -> Option<Place> {
    let array = outline.steps_array()?;
    let count = array.members.len();
    if count == 0 {
        return None;
    }
    let step = outline
        .step_at(caret)
        .unwrap_or(if caret >= array.span.end {
            count - 1
        } else {
            0
        });
    let event = outline
        .step(step)
        .and_then(|s| s.field("events"))
        .filter(|e| e.kind == Kind::Array)
        .and_then(|events| {
            events
                .elements()
                .enumerate()
                .filter(|(_, e)| e.span.start < caret)
                .map(|(i, _)| i)
                .last()
        });
    Some(Place { step, event })
}

/// The book where the palette inserts: after the caret's event, or before the caret's step's
/// first event; from the last valid replay, clamped to it when the text has grown past it.
pub fn book_at(replay: &Replay, place: Place) -> Book {
    let step = place.step.min(replay.len().saturating_sub(1));
    match place.event {
        Some(e) => match replay.steps.get(step).and_then(|s| s.events.get(e)) {
            Some(r) => r.book,
            None => replay.book_at(step + 1),
        },
        None => replay.book_at(step),
    }
}

/// The event the palette inserts on `book`. Prices stay within the tape's limits (one cent to
/// [`MAX_PRICE`](crate::engine::num::MAX_PRICE)), so an insert never makes a valid tape invalid by itself.
pub fn palette_event(insert: Insert, book: &Book, params: &QuoteParams) -> Option<Event> {
    palette_event_unclamped(insert, book, params).map(|e| match e {
        Event::ClientBuy { qty, price } => Event::ClientBuy {
            qty,
            price: in_range(price),
        },
        Event::ClientSell { qty, price } => Event::ClientSell {
            qty,
            price: in_range(price),
        },
        Event::HedgeBuy { qty, price } => Event::HedgeBuy {
            qty,
            price: in_range(price),
        },
        Event::HedgeSell { qty, price } => Event::HedgeSell {
            qty,
            price: in_range(price),
        },
        Event::Fair { price, stale } => Event::Fair {
            price: in_range(price),
            stale,
        },
        Event::Refresh => Event::Refresh,
    })
}

fn in_range(p: Price) -> Price {
    p.max(Price::from_cents(1))
        .min(crate::engine::num::MAX_PRICE)
}

fn palette_event_unclamped(insert: Insert, book: &Book, params: &QuoteParams) -> Option<Event> {
    let quote = shown_quote(book, params);
    let size = if quote.size.is_positive() {
        quote.size
    } else {
        Qty::btc(1)
    };
    let fair = book.fair;
    Some(match insert {
        Insert::ClientBuy => Event::ClientBuy {
            qty: size,
            price: quote.quoted_ask().unwrap_or(fair.offset(5_000)),
        },
        Insert::ClientSell => Event::ClientSell {
            qty: size,
            price: quote
                .quoted_bid()
                .unwrap_or(fair.offset(-5_000))
                .max(Price::from_cents(1)),
        },
        Insert::Hedge => {
            let r = book.r_residual();
            let qty = if r.is_zero() { Qty::btc(1) } else { r.abs() };
            if r.is_positive() {
                Event::HedgeSell {
                    qty,
                    price: fair
                        .offset(-DEFAULT_HEDGE_COST.cents())
                        .max(Price::from_cents(1)),
                }
            } else {
                Event::HedgeBuy {
                    qty,
                    price: fair.offset(DEFAULT_HEDGE_COST.cents()),
                }
            }
        }
        Insert::FairMove => Event::Fair {
            price: fair.offset(whole_dollars(fair.cents() / 1_000).max(100)),
            stale: false,
        },
        Insert::StaleMove => Event::Fair {
            price: fair
                .offset(-whole_dollars(fair.cents() / 100).max(100))
                .max(Price::from_cents(1)),
            stale: true,
        },
        Insert::Refresh => Event::Refresh,
        Insert::NewStep => return None,
    })
}

fn whole_dollars(cents: i64) -> i64 {
    cents / 100 * 100
}

/// An event as one line of tape JSON, spaced like the shipped tapes.
pub fn event_line(event: &Event) -> String {
    let ty = event.type_name();
    match *event {
        Event::ClientBuy { qty, price }
        | Event::ClientSell { qty, price }
        | Event::HedgeBuy { qty, price }
        | Event::HedgeSell { qty, price } => {
            format!(r#"{{ "type": "{ty}", "qty": {qty}, "price": {price} }}"#)
        }
        Event::Fair { price, stale: true } => {
            format!(r#"{{ "type": "{ty}", "price": {price}, "stale": true }}"#)
        }
        Event::Fair { price, .. } => format!(r#"{{ "type": "{ty}", "price": {price} }}"#),
        Event::Refresh => format!(r#"{{ "type": "{ty}" }}"#),
    }
}

/// The indentation of the line holding `offset`.
fn indent_of(text: &str, offset: usize) -> &str {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let rest = &text[start..];
    &rest[..rest.len() - rest.trim_start_matches([' ', '\t']).len()]
}

/// What the palette writes into `text` with the caret at byte `caret`: an event after the
/// caret's event (or first in its step), or a new step after the caret's step; priced from
/// `replay` (the last valid tape) with the studio's quote settings.
pub fn palette_edit(
    text: &str,
    caret: usize,
    insert: Insert,
    replay: Option<&Replay>,
    params: &QuoteParams,
) -> Result<Edit, PaletteError> {
    let outline = Outline::new(text);
    let place = place(&outline, caret).ok_or(PaletteError::NoSteps)?;
    let step = outline.step(place.step).ok_or(PaletteError::NoSteps)?;
    if insert == Insert::NewStep {
        return Ok(new_step(text, step, place.step));
    }
    let events = step
        .field("events")
        .filter(|e| e.kind == Kind::Array)
        .ok_or(PaletteError::NoEvents(place.step + 1))?;
    let book = replay.map_or_else(
        || Book::new(Price::usd(100_000), Qty::ZERO, Qty::ZERO),
        |r| book_at(r, place),
    );
    let Some(event) = palette_event(insert, &book, params) else {
        return Err(PaletteError::NoSteps);
    };
    let line = event_line(&event);
    let (at, written, skip) = match place.event.and_then(|i| events.elements().nth(i)) {
        Some(after) => {
            let indent = indent_of(text, after.span.start);
            (
                after.span.end,
                format!(",\n{indent}{line}"),
                2 + indent.len(),
            )
        }
        None => {
            let open = events.span.start + 1;
            let base = indent_of(text, events.span.start);
            let indent = format!("{base}  ");
            if events.members.is_empty() {
                // `[]` (or `[ ]`): the event on its own line, the bracket on the next.
                let close = if text.as_bytes().get(events.span.end.saturating_sub(1)) == Some(&b']')
                {
                    events.span.end - 1
                } else {
                    open
                };
                let edit = Edit {
                    range: open..close.max(open),
                    text: format!("\n{indent}{line}\n{base}"),
                    select: 0..0,
                };
                let end = open + 1 + indent.len() + line.len();
                return Ok(Edit {
                    select: end..end,
                    ..edit
                });
            }
            (open, format!("\n{indent}{line},"), 1 + indent.len())
        }
    };
    let end = at + skip + line.len();
    Ok(Edit {
        range: at..at,
        text: written,
        select: end..end,
    })
}

/// A new step after `step` (0-based `index`), with its title selected for typing over.
fn new_step(text: &str, step: &Node, index: usize) -> Edit {
    let indent = indent_of(text, step.span.start).to_string();
    let title = format!("Step {}", index + 2);
    let body = format!(
        ",\n{indent}{{\n{indent}  \"title\": \"{title}\",\n{indent}  \"events\": []\n{indent}}}"
    );
    let at = step.span.end;
    let title_at = at + body.find(&title).unwrap_or(0);
    Edit {
        range: at..at,
        text: body,
        select: title_at..title_at + title.len(),
    }
}

/// Where an error sits: the span to mark and its 1-based line and column (characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorPlace {
    /// The bytes to mark.
    pub span: Range<usize>,
    /// 1-based line of the span's start.
    pub line: usize,
    /// 1-based column (characters) of the span's start.
    pub column: usize,
    /// The 0-based step the error is in, when it is in one.
    pub step: Option<usize>,
}

/// Where `error` (from reading `text`) sits in the text.
pub fn error_place(text: &str, outline: &Outline, error: &TapeError) -> ErrorPlace {
    let span = outline.error_span(text, error);
    let (line, column) = line_column(text, span.start);
    let step = match error {
        TapeError::Invalid {
            location:
                crate::engine::tape::Location::Step { step }
                | crate::engine::tape::Location::Event { step, .. },
            ..
        } => step.checked_sub(1),
        _ => outline.step_at(span.start),
    };
    ErrorPlace {
        span,
        line,
        column,
        step,
    }
}

/// Where a replay error (a tape that reads but cannot be replayed, such as a position past the
/// limit) sits: the first line of the step or event at fault.
pub fn replay_error_place(
    text: &str,
    outline: &Outline,
    error: &crate::engine::replay::ReplayError,
) -> ErrorPlace {
    let span = outline
        .node_at(&error.location)
        .map_or(0..0, |n| n.span.start..(n.span.start + 1).min(text.len()));
    let (line, column) = line_column(text, span.start);
    let step = match error.location {
        crate::engine::tape::Location::Step { step }
        | crate::engine::tape::Location::Event { step, .. } => step.checked_sub(1),
        _ => None,
    };
    ErrorPlace {
        span,
        line,
        column,
        step,
    }
}

/// A replay error's message with the line and column of the step or event at fault in front.
pub fn located_replay_message(text: &str, error: &crate::engine::replay::ReplayError) -> String {
    let place = replay_error_place(text, &Outline::new(text), error);
    format!("line {}, column {}, {error}", place.line, place.column)
}

/// An error's message with its place: a JSON error already names its line and column; a tape
/// error (`step 2, event 1: qty must be positive`) gets the line and column of the field at fault
/// in front (`line 9, column 41, step 2, event 1: …`), so an author finds it in a block of text.
pub fn located_message(text: &str, error: &TapeError) -> String {
    match error {
        TapeError::Invalid { .. } => {
            let place = error_place(text, &Outline::new(text), error);
            format!("line {}, column {}, {error}", place.line, place.column)
        }
        _ => error.to_string(),
    }
}

/// The byte offset of a UTF-16 offset (the DOM's), clamped to the text.
pub fn utf16_to_byte(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The UTF-16 offset of a byte offset.
pub fn byte_to_utf16(text: &str, byte: usize) -> usize {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    text[..byte].encode_utf16().count()
}

/// The tape as an inline `<script type="application/json">` body: every `<` written as
/// `\u003c` (only strings can hold one), so no text in the tape can end the script early.
pub fn inline_json(text: &str) -> String {
    text.trim().replace('<', "\\u003c")
}

/// The HTML an author pastes to show `kind` with the tape in a file `tape.json` next to the page,
/// loading the widgets from `script` (the address of `dealer-book.js`).
pub fn embed_file_snippet(script: &str, kind: WidgetKind) -> String {
    format!(
        "<script type=\"module\" src=\"{script}\"></script>\n<dealer-book-widget kind=\"{}\" tape=\"tape.json\"></dealer-book-widget>\n",
        kind.key()
    )
}

/// The HTML an author pastes to show `kind` with the tape written inside the element.
pub fn embed_inline_snippet(script: &str, kind: WidgetKind, text: &str) -> String {
    format!(
        "<script type=\"module\" src=\"{script}\"></script>\n<dealer-book-widget kind=\"{}\">\n<script type=\"application/json\">\n{}\n</script>\n</dealer-book-widget>\n",
        kind.key(),
        inline_json(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::replay::replay;
    use crate::engine::tape::Tape;

    fn chapter() -> Replay {
        replay(&Tape::from_json(crate::CHAPTER_TAPE).unwrap()).unwrap()
    }

    fn insert_at(text: &str, needle: &str, insert: Insert) -> (String, Edit) {
        let caret = text.find(needle).unwrap() + 1;
        let r = replay(&Tape::from_json(text).unwrap()).unwrap();
        let edit = palette_edit(text, caret, insert, Some(&r), &QuoteParams::default()).unwrap();
        (edit.apply(text), edit)
    }

    #[test]
    fn the_empty_template_is_a_valid_tape() {
        let t = Tape::from_json(EMPTY_TAPE).unwrap();
        assert_eq!(t.steps.len(), 1);
        assert!(t.steps[0].events.is_empty());
    }

    #[test]
    fn a_customer_buy_lands_after_the_caret_event_at_the_shown_ask() {
        let text = crate::CHAPTER_TAPE;
        let (out, edit) = insert_at(
            text,
            r#"{ "type": "client_buy", "qty": 1,"#,
            Insert::ClientBuy,
        );
        let tape = Tape::from_json(&out).unwrap();
        // After step 1's buy the dealer is short 1 BTC: the ask the engine shows.
        let book = chapter().steps[0].events[0].book;
        let ask = shown_quote(&book, &QuoteParams::default())
            .quoted_ask()
            .unwrap();
        assert_eq!(
            tape.steps[0].events[1],
            Event::ClientBuy {
                qty: shown_quote(&book, &QuoteParams::default()).size,
                price: ask
            }
        );
        assert_eq!(&out[edit.select.start - 1..edit.select.start], "}");
    }

    #[test]
    fn every_insert_keeps_the_tape_valid_anywhere_in_it() {
        let text = crate::CHAPTER_TAPE;
        for insert in Insert::ALL {
            for caret in (0..text.len()).step_by(37) {
                let r = replay(&Tape::from_json(text).unwrap()).unwrap();
                let edit =
                    palette_edit(text, caret, insert, Some(&r), &QuoteParams::default()).unwrap();
                let out = edit.apply(text);
                let tape = Tape::from_json(&out)
                    .unwrap_or_else(|e| panic!("{insert:?} at {caret}: {e}\n{out}"));
                assert!(out.is_char_boundary(edit.select.end));
                let added = tape.event_count() + tape.steps.len();
                assert_eq!(added, 10 + 5 + 1, "{insert:?} at {caret}");
            }
        }
    }

    #[test]
    fn inserts_into_an_empty_step() {
        let out = palette_edit(
            EMPTY_TAPE,
            10,
            Insert::FairMove,
            None,
            &QuoteParams::default(),
        )
        .unwrap()
        .apply(EMPTY_TAPE);
        let tape = Tape::from_json(&out).unwrap();
        assert_eq!(
            tape.steps[0].events,
            vec![Event::Fair {
                price: Price::usd(100_100),
                stale: false
            }]
        );
        assert!(out
            .contains("\"events\": [\n        { \"type\": \"fair\", \"price\": 100100 }\n      ]"));
    }

    #[test]
    fn a_hedge_flattens_the_residual_at_fair_plus_cost() {
        let (out, _) = insert_at(
            crate::CHAPTER_TAPE,
            r#"{ "type": "client_buy", "qty": 1,"#,
            Insert::Hedge,
        );
        let tape = Tape::from_json(&out).unwrap();
        assert_eq!(
            tape.steps[0].events[1],
            Event::HedgeBuy {
                qty: Qty::btc(1),
                price: Price::usd(100_050)
            }
        );
    }

    #[test]
    fn a_new_step_selects_its_title() {
        let (out, edit) = insert_at(crate::CHAPTER_TAPE, "Flow flips", Insert::NewStep);
        assert_eq!(&out[edit.select.clone()], "Step 4");
        let tape = Tape::from_json(&out).unwrap();
        assert_eq!(tape.steps.len(), 6);
        assert_eq!(tape.steps[3].title, "Step 4");
    }

    #[test]
    fn no_steps_no_insert() {
        let e = palette_edit("{}", 1, Insert::Refresh, None, &QuoteParams::default());
        assert_eq!(e, Err(PaletteError::NoSteps));
        let t = r#"{"steps":[{"title":"a"}]}"#;
        let e = palette_edit(t, 12, Insert::Refresh, None, &QuoteParams::default());
        assert_eq!(e, Err(PaletteError::NoEvents(1)));
    }

    #[test]
    fn palette_prices_stay_in_range() {
        let book = Book::new(crate::engine::num::MAX_PRICE, Qty::ZERO, Qty::ZERO);
        for insert in Insert::ALL {
            if let Some(e) = palette_event(insert, &book, &QuoteParams::default()) {
                let line = event_line(&e);
                let text = EMPTY_TAPE.replace("\"events\": []", &format!("\"events\": [{line}]"));
                let text = text.replace("\"fair\": 100000", "\"fair\": 1000000000");
                Tape::from_json(&text).unwrap_or_else(|err| panic!("{insert:?}: {err}"));
            }
        }
    }

    #[test]
    fn replay_errors_are_located() {
        // A position past the limit: 1,000,000 BTC bought a thousand times over.
        let mut text =
            String::from(r#"{"title":"t","start":{"fair":1},"steps":[{"title":"a","events":["#);
        for i in 0..1001 {
            if i > 0 {
                text.push(',');
            }
            text.push_str("\n{\"type\":\"client_sell\",\"qty\":1000000,\"price\":1}");
        }
        text.push_str("]}]}");
        let tape = Tape::from_json(&text).unwrap();
        let e = replay(&tape).unwrap_err();
        let m = located_replay_message(&text, &e);
        assert!(
            m.starts_with("line 1002, column 1, step 1, event 1001:"),
            "{m}"
        );
    }

    #[test]
    fn messages_carry_their_line() {
        let text = crate::CHAPTER_TAPE.replacen("\"qty\": 1,", "\"qty\": 0,", 1);
        let e = Tape::from_json(&text).unwrap_err();
        assert_eq!(
            located_message(&text, &e),
            "line 10, column 33, step 1, event 1: qty must be positive"
        );
        let e = Tape::from_json("{").unwrap_err();
        assert_eq!(located_message("{", &e), e.to_string());
    }

    #[test]
    fn utf16_offsets_convert_both_ways() {
        let text = "a€😀b";
        assert_eq!(byte_to_utf16(text, 1), 1);
        assert_eq!(byte_to_utf16(text, 4), 2);
        assert_eq!(byte_to_utf16(text, 8), 4);
        assert_eq!(utf16_to_byte(text, 4), 8);
        assert_eq!(utf16_to_byte(text, 99), text.len());
        assert_eq!(byte_to_utf16(text, 2), 1);
    }

    #[test]
    fn errors_have_a_place() {
        let text = crate::CHAPTER_TAPE.replacen("\"price\": 100450", "\"price\": 0", 1);
        let e = Tape::from_json(&text).unwrap_err();
        let p = error_place(&text, &Outline::new(&text), &e);
        assert_eq!(p.step, Some(2));
        assert_eq!(&text[p.span.clone()], "\"price\": 0");
        let line_text = text.lines().nth(p.line - 1).unwrap();
        assert!(line_text.contains("\"price\": 0"));
    }

    #[test]
    fn inline_json_cannot_close_its_script() {
        let text = r#"{"title":"</script><script>alert(1)</script>"}"#;
        let inline = inline_json(text);
        assert!(!inline.contains('<'));
        let v: serde_json::Value = serde_json::from_str(&inline).unwrap();
        assert_eq!(v["title"], "</script><script>alert(1)</script>");
        let s = embed_inline_snippet("dealer-book.js", WidgetKind::Replay, text);
        assert_eq!(s.matches("</script>").count(), 2);
    }
}

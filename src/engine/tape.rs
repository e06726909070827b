//! The event tape: the JSON format authors write, parsed exactly and validated with errors that
//! name the step and event at fault.
//!
//! ```json
//! { "title": "...", "start": { "fair": 100000, "i_client": 0, "h_external": 0 },
//!   "steps": [ { "title": "...", "note": "optional", "events": [
//!       { "type": "client_buy", "qty": 1, "price": 100050 },
//!       { "type": "fair", "price": 100020 },
//!       { "type": "fair", "price": 99500, "stale": true },
//!       { "type": "refresh" } ] } ] }
//! ```
//! Quantities carry up to 8 decimals (satoshis), prices up to 2 (cents); both must be positive
//! and within [`MAX_QTY`](crate::engine::num::MAX_QTY) / [`MAX_PRICE`](crate::engine::num::MAX_PRICE).
//! `start.i_client` and `start.h_external` default to 0 and may be negative. Unknown fields are
//! rejected so that a typo cannot be silently ignored.

use std::fmt;

use crate::engine::num::{DecimalError, Price, Qty};

#[rustfmt::skip]
pub mod chapter;
pub mod limits;
pub mod outline;
mod parse;
mod read;
#[cfg(test)]
mod reference;
mod rules;
#[cfg(not(target_arch = "wasm32"))]
mod scan;
pub mod schema;
pub mod synthetic;

pub use parse::{TapeHead, TapeSink};
pub use read::read;

/// One thing that happens on the tape, from the dealer's point of view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, schemars::JsonSchema)]
#[schemars(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// A customer buys from the dealer: the dealer sells, `I_client -= qty`.
    ClientBuy {
        /// BTC traded (positive).
        #[schemars(schema_with = "schema::qty")]
        qty: Qty,
        /// Price per BTC.
        #[schemars(schema_with = "schema::price")]
        price: Price,
    },
    /// A customer sells to the dealer: the dealer buys, `I_client += qty`.
    ClientSell {
        /// BTC traded (positive).
        #[schemars(schema_with = "schema::qty")]
        qty: Qty,
        /// Price per BTC.
        #[schemars(schema_with = "schema::price")]
        price: Price,
    },
    /// The dealer buys on an external venue: `H_external += qty`.
    HedgeBuy {
        /// BTC traded (positive).
        #[schemars(schema_with = "schema::qty")]
        qty: Qty,
        /// Price per BTC.
        #[schemars(schema_with = "schema::price")]
        price: Price,
    },
    /// The dealer sells on an external venue: `H_external -= qty`.
    HedgeSell {
        /// BTC traded (positive).
        #[schemars(schema_with = "schema::qty")]
        qty: Qty,
        /// Price per BTC.
        #[schemars(schema_with = "schema::price")]
        price: Price,
    },
    /// Fresh fair value moves to `price`. Unless `stale`, the quote reference follows it.
    Fair {
        /// The new fresh fair value.
        #[schemars(schema_with = "schema::price")]
        price: Price,
        /// True when the quote reference stays behind (default false).
        #[schemars(default)]
        stale: bool,
    },
    /// The quote reference catches up with fresh fair value.
    Refresh,
}

impl Event {
    /// The tape's name for this event type.
    pub fn type_name(&self) -> &'static str {
        match self {
            Event::ClientBuy { .. } => "client_buy",
            Event::ClientSell { .. } => "client_sell",
            Event::HedgeBuy { .. } => "hedge_buy",
            Event::HedgeSell { .. } => "hedge_sell",
            Event::Fair { .. } => "fair",
            Event::Refresh => "refresh",
        }
    }

    /// For fills: the dealer's signed quantity (+ buy, - sell) and the price. `None` otherwise.
    pub fn dealer_fill(&self) -> Option<(Qty, Price)> {
        match *self {
            Event::ClientBuy { qty, price } | Event::HedgeSell { qty, price } => {
                Some((-qty, price))
            }
            Event::ClientSell { qty, price } | Event::HedgeBuy { qty, price } => Some((qty, price)),
            _ => None,
        }
    }

    /// The event as tape JSON, exactly: `{"type":"client_buy","qty":1.5,"price":100050}`.
    pub fn to_json(&self) -> String {
        let ty = self.type_name();
        match *self {
            Event::ClientBuy { qty, price }
            | Event::ClientSell { qty, price }
            | Event::HedgeBuy { qty, price }
            | Event::HedgeSell { qty, price } => {
                format!(r#"{{"type":"{ty}","qty":{qty},"price":{price}}}"#)
            }
            Event::Fair { price, stale } => {
                format!(r#"{{"type":"{ty}","price":{price},"stale":{stale}}}"#)
            }
            Event::Refresh => format!(r#"{{"type":"{ty}"}}"#),
        }
    }

    /// True for customer fills.
    pub fn is_client(&self) -> bool {
        matches!(self, Event::ClientBuy { .. } | Event::ClientSell { .. })
    }

    /// True for external hedge fills.
    pub fn is_hedge(&self) -> bool {
        matches!(self, Event::HedgeBuy { .. } | Event::HedgeSell { .. })
    }
}

/// One step of the replay: a titled group of events shown together.
#[derive(Clone, Debug, PartialEq, Eq, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Step {
    /// Short heading, e.g. "A customer buys 1 BTC".
    pub title: String,
    /// Optional narration shown beside the step.
    #[schemars(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "schema::optional_text")]
    pub note: Option<String>,
    /// The events, applied in order.
    pub events: Vec<Event>,
}

/// The book before the first step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Start {
    /// Fresh fair value (the quote reference starts equal to it).
    #[schemars(schema_with = "schema::price")]
    pub fair: Price,
    /// Starting customer-created inventory (default 0).
    #[schemars(default, schema_with = "schema::position")]
    pub i_client: Qty,
    /// Starting external hedge position (default 0).
    #[schemars(default, schema_with = "schema::position")]
    pub h_external: Qty,
}

/// A whole tape.
#[derive(Clone, Debug, PartialEq, Eq, schemars::JsonSchema)]
#[schemars(
    title = "Dealer Book event tape",
    deny_unknown_fields,
    transform = schema::tape_extras
)]
pub struct Tape {
    /// The tape's title.
    pub title: String,
    /// Starting book.
    pub start: Start,
    /// The steps, at least one.
    #[schemars(length(min = 1))]
    pub steps: Vec<Step>,
}

impl Tape {
    /// Parses and validates a tape from JSON text.
    pub fn from_json(text: &str) -> Result<Tape, TapeError> {
        #[derive(Default)]
        struct Collect(Vec<Step>);
        impl TapeSink for Collect {
            fn start(&mut self, _: &Start) {}
            fn step(&mut self, step: &Step) {
                self.0.push(step.clone());
            }
        }
        let mut steps = Collect::default();
        let head = read(text, &mut steps)?;
        Ok(Tape {
            title: head.title,
            start: head.start,
            steps: steps.0,
        })
    }

    /// The tape as JSON text that [`Tape::from_json`] reads back to the same tape.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out).unwrap_or_default();
        out
    }

    /// Writes the tape as JSON, one step per line.
    pub fn write_json(&self, out: &mut impl fmt::Write) -> fmt::Result {
        let text = |s: &str| serde_json::Value::String(s.to_string()).to_string();
        let start = &self.start;
        write!(
            out,
            "{{\"title\":{},\"start\":{{\"fair\":{},\"i_client\":{},\"h_external\":{}}},\"steps\":[",
            text(&self.title),
            start.fair,
            start.i_client,
            start.h_external
        )?;
        for (i, step) in self.steps.iter().enumerate() {
            let sep = if i == 0 { "\n" } else { ",\n" };
            write!(out, "{sep}{{\"title\":{}", text(&step.title))?;
            if let Some(note) = &step.note {
                write!(out, ",\"note\":{}", text(note))?;
            }
            out.write_str(",\"events\":[")?;
            for (j, e) in step.events.iter().enumerate() {
                if j > 0 {
                    out.write_char(',')?;
                }
                out.write_str(&e.to_json())?;
            }
            out.write_str("]}")?;
        }
        out.write_str("\n]}\n")
    }

    /// Total number of events across all steps.
    pub fn event_count(&self) -> usize {
        self.steps.iter().map(|s| s.events.len()).sum()
    }

    /// The decimal places this tape writes quantities with (at least 1), so positions can be
    /// shown at the tape's own precision: the chapter's tape gives `-1.0`, `+0.5`.
    pub fn qty_decimals(&self) -> u32 {
        let events = self.steps.iter().flat_map(|s| s.events.iter());
        let fills = events.filter_map(|e| e.dealer_fill().map(|(q, _)| q.decimals()));
        let start = [
            self.start.i_client.decimals(),
            self.start.h_external.decimals(),
        ];
        fills.chain(start).max().unwrap_or(0).max(1)
    }
}

/// Where in a tape a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// The top-level object.
    Tape,
    /// The `start` object.
    Start,
    /// Step `step` (1-based), outside any event.
    Step {
        /// 1-based step number.
        step: usize,
    },
    /// Event `event` (1-based) of step `step` (1-based).
    Event {
        /// 1-based step number.
        step: usize,
        /// 1-based event number within the step.
        event: usize,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Tape => f.write_str("tape"),
            Location::Start => f.write_str("start"),
            Location::Step { step } => write!(f, "step {step}"),
            Location::Event { step, event } => write!(f, "step {step}, event {event}"),
        }
    }
}

/// Why a tape was rejected. Every message says what is wrong and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TapeError {
    /// The text is not JSON.
    #[error("line {line}, column {column}: invalid JSON: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the JSON reader expected.
        message: String,
    },
    /// The text is longer than [`limits::MAX_TAPE_BYTES`].
    #[error(
        "tape: the tape is larger than the limit of {} bytes (64 MiB); split it into shorter tapes",
        grouped(limits::MAX_TAPE_BYTES)
    )]
    TooLarge {
        /// How many bytes were seen before the reader stopped (at least the limit plus one).
        bytes: usize,
    },
    /// A byte sequence that is not UTF-8 (any byte-order mark has been skipped).
    #[error("line {line}, column {column}: the tape is not UTF-8 text (byte 0x{byte:02X}); save it as UTF-8")]
    NotUtf8 {
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// The first byte that is not UTF-8.
        byte: u8,
    },
    /// The JSON is well formed but not a valid tape.
    #[error("{location}: {problem}")]
    Invalid {
        /// Where.
        location: Location,
        /// What.
        problem: Problem,
    },
}

/// What is wrong with a part of a tape.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// Expected a JSON object.
    #[error("must be an object, found {found}")]
    NotAnObject {
        /// The JSON type found instead (`a number`, `an array`...).
        found: &'static str,
    },
    /// A required field is absent.
    #[error("missing field `{field}`")]
    Missing {
        /// The field's name.
        field: &'static str,
    },
    /// A field has the wrong JSON type.
    #[error("`{field}` must be {expected}, found {found}")]
    WrongType {
        /// The field's name.
        field: String,
        /// What the format wants (`a number`, `a string`...).
        expected: &'static str,
        /// The JSON type found instead.
        found: &'static str,
    },
    /// A field the format does not know.
    #[error("unknown field `{field}` (allowed: {allowed})")]
    UnknownField {
        /// The field as written.
        field: String,
        /// The fields allowed at that place, comma-separated.
        allowed: &'static str,
    },
    /// `type` names no event.
    #[error("unknown event type `{0}` (expected client_buy, client_sell, hedge_buy, hedge_sell, fair or refresh)")]
    UnknownEventType(String),
    /// qty or price is zero or negative.
    #[error("{field} must be positive")]
    NotPositive {
        /// The field's name.
        field: &'static str,
    },
    /// A number that cannot be represented exactly or is out of range.
    #[error("{field} {reason} (limit: {limit})")]
    BadNumber {
        /// The field's name.
        field: &'static str,
        /// What is wrong with the number.
        reason: DecimalError,
        /// The field's range and precision, in words.
        limit: &'static str,
    },
    /// `steps` is an empty array.
    #[error("`steps` must contain at least one step")]
    NoSteps,
    /// More steps than [`limits::MAX_STEPS`].
    #[error("the tape has more than {} steps (limits: {}); split it into shorter tapes", grouped(*limit), limits::LIMITS_TEXT)]
    TooManySteps {
        /// The limit crossed.
        limit: usize,
    },
    /// More events than [`limits::MAX_EVENTS`].
    #[error("the tape has more than {} events (limits: {}); split it into shorter tapes", grouped(*limit), limits::LIMITS_TEXT)]
    TooManyEvents {
        /// The limit crossed.
        limit: usize,
    },
    /// A field appears twice in one object.
    #[error("duplicate field `{field}`")]
    Duplicate {
        /// The field's name.
        field: String,
    },
}

/// `1234567` as `1,234,567`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        Tape::from_json(text).unwrap_err().to_string()
    }

    const HEAD: &str = r#"{"title":"t","start":{"fair":100},"steps":[{"title":"s","events":["#;

    fn one_event(event: &str) -> String {
        err(&format!("{HEAD}{event}]}}]}}"))
    }

    #[test]
    fn parses_every_event_type() {
        let text = format!(
            "{HEAD}{}]}}]}}",
            r#"{"type":"client_buy","qty":1,"price":100.5},{"type":"client_sell","qty":0.1,"price":1e2},
               {"type":"hedge_buy","qty":2,"price":101},{"type":"hedge_sell","qty":3,"price":99},
               {"type":"fair","price":98},{"type":"fair","price":97,"stale":true},{"type":"refresh"}"#
        );
        let tape = Tape::from_json(&text).unwrap();
        assert_eq!(tape.start.i_client, Qty::ZERO);
        assert_eq!(
            tape.steps[0].events,
            vec![
                Event::ClientBuy {
                    qty: Qty::btc(1),
                    price: Price::from_cents(10_050)
                },
                Event::ClientSell {
                    qty: Qty::from_sats(10_000_000),
                    price: Price::from_cents(10_000)
                },
                Event::HedgeBuy {
                    qty: Qty::btc(2),
                    price: Price::usd(101)
                },
                Event::HedgeSell {
                    qty: Qty::btc(3),
                    price: Price::usd(99)
                },
                Event::Fair {
                    price: Price::usd(98),
                    stale: false
                },
                Event::Fair {
                    price: Price::usd(97),
                    stale: true
                },
                Event::Refresh,
            ]
        );
        assert_eq!(tape.qty_decimals(), 1);
    }

    #[test]
    fn errors_name_step_and_event() {
        assert_eq!(
            one_event(r#"{"type":"client_buy","qty":0,"price":1}"#),
            "step 1, event 1: qty must be positive"
        );
        assert_eq!(
            one_event(r#"{"type":"fair","price":-5}"#),
            "step 1, event 1: price must be positive"
        );
        assert_eq!(
            one_event(r#"{"type":"refresh"},{"type":"teleport"}"#),
            "step 1, event 2: unknown event type `teleport` (expected client_buy, client_sell, hedge_buy, hedge_sell, fair or refresh)"
        );
        assert_eq!(
            one_event(r#"{"type":"hedge_buy","price":1}"#),
            "step 1, event 1: missing field `qty`"
        );
        assert_eq!(
            one_event(r#"{"type":"hedge_buy","qty":"1","price":1}"#),
            "step 1, event 1: `qty` must be a number, found a string"
        );
        assert_eq!(
            one_event(r#"{"type":"client_sell","qty":1e30,"price":1}"#),
            "step 1, event 1: qty is too large (limit: 1,000,000 BTC with at most 8 decimals)"
        );
        assert_eq!(
            one_event(r#"{"type":"client_sell","qty":1,"price":1.001}"#),
            "step 1, event 1: price has more than 2 decimal places (limit: $1,000,000,000 with at most 2 decimals)"
        );
        assert_eq!(
            one_event(r#"{"type":"fair","price":1,"stael":true}"#),
            "step 1, event 1: unknown field `stael` (allowed: type, price, stale)"
        );
        assert_eq!(
            one_event(r#"{"type":"fair","price":1,"stale":"yes"}"#),
            "step 1, event 1: `stale` must be true or false, found a string"
        );
        assert_eq!(
            one_event("7"),
            "step 1, event 1: must be an object, found a number"
        );
    }

    #[test]
    fn numbers_are_judged_from_their_digits() {
        // Beyond f64's range, and exact where f64 would round: the reader reads the text.
        assert_eq!(
            one_event(r#"{"type":"client_sell","qty":1e400,"price":1}"#),
            "step 1, event 1: qty is too large (limit: 1,000,000 BTC with at most 8 decimals)"
        );
        assert_eq!(
            one_event(r#"{"type":"client_sell","qty":1,"price":100000.000000000000000001}"#),
            "step 1, event 1: price has more than 2 decimal places (limit: $1,000,000,000 with at most 2 decimals)"
        );
        let tape = Tape::from_json(&format!(
            "{HEAD}{{\"type\":\"fair\",\"price\":1.00E5}}]}}]}}"
        ))
        .unwrap();
        assert_eq!(
            tape.steps[0].events,
            [Event::Fair {
                price: Price::from_cents(10_000_000),
                stale: false
            }]
        );
        // Where an object belongs, a number too large for any float is invalid JSON, located.
        assert!(
            one_event("1e400").contains("invalid JSON: number out of range"),
            "{}",
            one_event("1e400")
        );
    }

    #[test]
    fn errors_outside_events() {
        assert_eq!(
            err(r#"{"title":"t","start":{"fair":1},"steps":[]}"#),
            "tape: `steps` must contain at least one step"
        );
        assert_eq!(
            err(r#"{"title":"t","steps":[]}"#),
            "tape: missing field `start`"
        );
        assert_eq!(
            err(r#"{"title":"t","start":{},"steps":[]}"#),
            "start: missing field `fair`"
        );
        assert_eq!(err(r#"[]"#), "tape: must be an object, found an array");
        assert_eq!(
            err(
                r#"{"title":"t","start":{"fair":1},"steps":[{"title":"a","events":[]},{"title":"b"}]}"#
            ),
            "step 2: missing field `events`"
        );
    }

    #[test]
    fn malformed_json_has_line_and_column() {
        let e =
            Tape::from_json("{\n  \"title\": \"t\",\n  \"start\": {\"fair\": 1,}\n}").unwrap_err();
        match e {
            TapeError::Json { line, column, .. } => assert_eq!((line, column), (3, 23)),
            other => panic!("expected a JSON error, got {other:?}"),
        }
        assert!(err("{").starts_with("line 1, column 1: invalid JSON: EOF while parsing"));
    }

    #[test]
    fn negative_start_positions_are_allowed() {
        let t = Tape::from_json(
            r#"{"title":"t","start":{"fair":1,"i_client":-2.5,"h_external":1},"steps":[{"title":"a","events":[]}]}"#,
        )
        .unwrap();
        assert_eq!(t.start.i_client, Qty::from_sats(-250_000_000));
    }

    #[test]
    fn schema_key_duplicates_and_field_order() {
        let t = Tape::from_json(
            r#"{"$schema":"https://example.org/tape.schema.json","title":"t","start":{"fair":1},"steps":[{"title":"a","events":[]}]}"#,
        )
        .unwrap();
        assert_eq!(t.title, "t");
        assert_eq!(
            err(
                r#"{"$schema":3,"title":"t","start":{"fair":1},"steps":[{"title":"a","events":[]}]}"#
            ),
            "tape: `$schema` must be a string, found a number"
        );
        assert_eq!(
            err(r#"{"title":"t","titel":"u","start":{"fair":1},"steps":[]}"#),
            "tape: unknown field `titel` (allowed: title, description, start, steps, $schema)"
        );
        assert_eq!(
            one_event(r#"{"type":"fair","price":1,"price":2}"#),
            "step 1, event 1: duplicate field `price`"
        );
        // Steps before start, escapes in strings: the same tape.
        let a = Tape::from_json(
            r#"{"steps":[{"events":[{"price":5,"type":"fair"}],"title":"a\u0020b"}],"start":{"fair":1},"title":"t"}"#,
        )
        .unwrap();
        assert_eq!(a.steps[0].title, "a b");
        assert_eq!(
            a.steps[0].events,
            vec![Event::Fair {
                price: Price::usd(5),
                stale: false
            }]
        );
    }

    #[test]
    fn reader_streams_steps_after_start() {
        #[derive(Default)]
        struct Seen(Vec<String>);
        impl TapeSink for Seen {
            fn start(&mut self, start: &Start) {
                self.0.push(format!("start {}", start.fair));
            }
            fn step(&mut self, step: &Step) {
                self.0.push(format!("{} {}", step.title, step.events.len()));
            }
        }
        let text = crate::CHAPTER_TAPE;
        let mut seen = Seen::default();
        let head = read(text, &mut seen).unwrap();
        assert_eq!(head.title, Tape::from_json(text).unwrap().title);
        assert_eq!(seen.0[0], "start 100000");
        assert_eq!(seen.0.len(), 6);
        let mut late = Seen::default();
        read(
            r#"{"title":"t","steps":[{"title":"a","events":[{"type":"refresh"}]}],"start":{"fair":2}}"#,
            &mut late,
        )
        .unwrap();
        assert_eq!(late.0, ["start 2", "a 1"]);
    }

    /// A number written with an exponent of 300 or more either way (`1e-400`, `5E+320`): f64
    /// turns it into 0, infinity or a subnormal, so the old validator can no longer judge it.
    fn far_exponent(text: &str) -> bool {
        let b = text.as_bytes();
        (1..b.len()).any(|i| {
            let rest = &b[i + 1..];
            let rest = match rest.first() {
                Some(b'-' | b'+') => &rest[1..],
                _ => rest,
            };
            let digits = rest.iter().take_while(|d| d.is_ascii_digit()).take(7);
            matches!(b[i], b'e' | b'E')
                && b[i - 1].is_ascii_digit()
                && digits.fold(0u32, |n, d| n * 10 + u32::from(d - b'0')) >= 300
        })
    }

    #[test]
    fn far_exponents_are_found() {
        assert!(
            far_exponent(r#"{"qty":1e-400}"#) && far_exponent("5E+320") && far_exponent("2e300")
        );
        assert!(
            !far_exponent("1e299")
                && !far_exponent("1.5e-3")
                && !far_exponent("e400")
                && !far_exponent("x")
        );
    }

    /// Rust source for a tape: what `tape::chapter` holds for the chapter's tape.
    fn rust_source(tape: &Tape) -> String {
        let qty = |q: Qty| format!("Qty::from_sats({})", q.sats());
        let price = |p: Price| format!("Price::from_cents({})", p.cents());
        let mut s = String::from(
            "//! The chapter's tape (`content/tapes/chapter-1.json`) as Rust values, so that the chapter\n\
             //! page replays it without the JSON reader in its download (the reader stays in the\n\
             //! single-widget and studio code, for authors' tapes).\n\
             //!\n\
             //! Generated from the JSON by the test `tape::tests::chapter_tape_is_its_json`, which fails\n\
             //! when this file and the JSON differ; `DEALER_BOOK_BLESS=1 cargo test -p dealer-book\n\
             //! chapter_tape` writes it again.\n\n\
             use super::{Event, Start, Step, Tape};\n\
             use crate::engine::num::{Price, Qty};\n\n\
             /// The chapter's tape, exactly as `content/tapes/chapter-1.json` reads.\n\
             pub fn tape() -> Tape {\n    Tape {\n",
        );
        s += &format!("        title: {:?}.into(),\n", tape.title);
        s += &format!(
            "        start: Start {{ fair: {}, i_client: {}, h_external: {} }},\n        steps: vec![\n",
            price(tape.start.fair),
            qty(tape.start.i_client),
            qty(tape.start.h_external)
        );
        for step in &tape.steps {
            s += &format!(
                "            Step {{\n                title: {:?}.into(),\n",
                step.title
            );
            match &step.note {
                Some(n) => s += &format!("                note: Some({n:?}.into()),\n"),
                None => s += "                note: None,\n",
            }
            s += "                events: vec![\n";
            for e in &step.events {
                let text = match *e {
                    Event::ClientBuy { qty: q, price: p } => {
                        format!("ClientBuy {{ qty: {}, price: {} }}", qty(q), price(p))
                    }
                    Event::ClientSell { qty: q, price: p } => {
                        format!("ClientSell {{ qty: {}, price: {} }}", qty(q), price(p))
                    }
                    Event::HedgeBuy { qty: q, price: p } => {
                        format!("HedgeBuy {{ qty: {}, price: {} }}", qty(q), price(p))
                    }
                    Event::HedgeSell { qty: q, price: p } => {
                        format!("HedgeSell {{ qty: {}, price: {} }}", qty(q), price(p))
                    }
                    Event::Fair { price: p, stale } => {
                        format!("Fair {{ price: {}, stale: {stale} }}", price(p))
                    }
                    Event::Refresh => "Refresh".to_string(),
                };
                s += &format!("                    Event::{text},\n");
            }
            s += "                ],\n            },\n";
        }
        s += "        ],\n    }\n}\n";
        s
    }

    #[test]
    fn chapter_tape_is_its_json() {
        let json = Tape::from_json(crate::CHAPTER_TAPE).unwrap();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/engine/tape/chapter.rs");
        let want = rust_source(&json);
        if std::env::var_os("DEALER_BOOK_BLESS").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "src/engine/tape/chapter.rs is not content/tapes/chapter-1.json: run \
             DEALER_BOOK_BLESS=1 cargo test -p dealer-book chapter_tape"
        );
        assert_eq!(chapter::tape(), json);
    }

    /// The reader's error for a text, in the old validator's wording (the root's allowed list
    /// gained `$schema`; duplicate keys, which the old one let the last win, are errors now).
    fn same_as_reference(text: &str) -> Result<(), String> {
        let new = Tape::from_json(text).map_err(|e| e.to_string().replace(", $schema)", ")"));
        if new
            .as_ref()
            .is_err_and(|e| e.contains("duplicate field") || e.contains("$schema"))
        {
            return Ok(());
        }
        let old = reference::from_json(text).map_err(|e| e.to_string());
        // The old validator read numbers with serde_json's `arbitrary_precision`; without it a
        // `Value` cannot hold a number beyond f64's range, which the reader judges from its text
        // (a field too large) and the old one now calls invalid JSON. Below that range it reads
        // them through f64, which keeps their value at the 15 significant digits that a cut and
        // an insert of 8 characters can make of the sample tapes' numbers.
        if old
            .as_ref()
            .is_err_and(|e| e.contains("number out of range"))
            || far_exponent(text)
        {
            return Ok(());
        }
        if new == old {
            Ok(())
        } else {
            Err(format!("{text}\nnew: {new:?}\nold: {old:?}"))
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
            let _ = Tape::from_json(&text);
        }

        #[test]
        fn reader_matches_the_old_validator(cut in 0usize..2000, len in 0usize..12, insert in "[\\[\\]{}\",:0-9a-z_.eE+ -]{0,8}") {
            // The old validator knew no `$schema` key.
            let chapter = crate::CHAPTER_TAPE.replacen("  \"$schema\": \"../tape.schema.json\",\n", "", 1);
            for tape in [chapter.as_str(), include_str!("../../examples/tapes/two-sided.json"), include_str!("../../examples/tapes/broken.json")] {
                let cut = cut.min(tape.len());
                let end = (cut + len).min(tape.len());
                let text = format!("{}{}{}", &tape[..cut], insert, &tape[end..]);
                proptest::prop_assert!(same_as_reference(&text).is_ok(), "{}", same_as_reference(&text).unwrap_err());
            }
        }

        #[test]
        fn reader_matches_the_old_validator_on_events(
            fields in proptest::collection::vec(("type|qty|price|stale|note|x", "1|-1|0|1.5|1e9|0.001|\"fair\"|\"refresh\"|\"client_buy\"|\"x\"|true|false|null|\\[\\]|\\{\\}"), 0..5),
            wrap in 0usize..4,
        ) {
            let event = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect::<Vec<_>>().join(",");
            let event = format!("{{{event}}}");
            let text = match wrap {
                0 => format!("{HEAD}{event}]}}]}}"),
                1 => format!(r#"{{"title":"t","start":{event},"steps":[{{"title":"s","events":[]}}]}}"#),
                2 => format!(r#"{{"title":"t","start":{{"fair":1}},"steps":[{event}]}}"#),
                _ => event,
            };
            proptest::prop_assert!(same_as_reference(&text).is_ok(), "{}", same_as_reference(&text).unwrap_err());
        }

        #[test]
        fn mangled_chapter_tape_never_panics(cut in 0usize..2000, insert in "[\\[\\]{}\",:0-9a-z.eE+-]{0,6}") {
            let chapter = include_str!("../../content/tapes/chapter-1.json");
            let cut = cut.min(chapter.len());
            let cut = (0..=cut).rev().find(|&c| chapter.is_char_boundary(c)).unwrap_or(0);
            let text = format!("{}{}{}", &chapter[..cut], insert, &chapter[cut..]);
            if let Ok(tape) = Tape::from_json(&text) {
                let _ = crate::engine::replay::replay(&tape);
            }
        }
    }
}

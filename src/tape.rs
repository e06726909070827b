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
//! and within [`MAX_QTY`] / [`MAX_PRICE`]. `start.i_client` and `start.h_external` default to 0
//! and may be negative. Unknown fields are rejected so that a typo cannot be silently ignored.

use std::fmt;

use serde_json::{Map, Value};

use crate::num::{parse_decimal, DecimalError, Price, Qty, MAX_PRICE, MAX_QTY};

/// One thing that happens on the tape, from the dealer's point of view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A customer buys from the dealer: the dealer sells, `I_client -= qty`.
    ClientBuy {
        /// BTC traded (positive).
        qty: Qty,
        /// Price per BTC.
        price: Price,
    },
    /// A customer sells to the dealer: the dealer buys, `I_client += qty`.
    ClientSell {
        /// BTC traded (positive).
        qty: Qty,
        /// Price per BTC.
        price: Price,
    },
    /// The dealer buys on an external venue: `H_external += qty`.
    HedgeBuy {
        /// BTC traded (positive).
        qty: Qty,
        /// Price per BTC.
        price: Price,
    },
    /// The dealer sells on an external venue: `H_external -= qty`.
    HedgeSell {
        /// BTC traded (positive).
        qty: Qty,
        /// Price per BTC.
        price: Price,
    },
    /// Fresh fair value moves to `price`. Unless `stale`, the quote reference follows it.
    Fair {
        /// The new fresh fair value.
        price: Price,
        /// True when the quote reference stays behind.
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

    /// The event in words, from the dealer's side: `customer buys 1 BTC at $100,050`.
    pub fn describe(&self) -> String {
        use crate::format::{price as p, qty as q};
        match *self {
            Event::ClientBuy { qty, price } => {
                format!("customer buys {} BTC at {}", q(qty), p(price))
            }
            Event::ClientSell { qty, price } => {
                format!("customer sells {} BTC at {}", q(qty), p(price))
            }
            Event::HedgeBuy { qty, price } => {
                format!("dealer buys {} BTC hedge at {}", q(qty), p(price))
            }
            Event::HedgeSell { qty, price } => {
                format!("dealer sells {} BTC hedge at {}", q(qty), p(price))
            }
            Event::Fair {
                price,
                stale: false,
            } => format!("fair value moves to {}", p(price)),
            Event::Fair { price, stale: true } => {
                format!(
                    "fresh fair moves to {}; the quote reference stays behind (stale)",
                    p(price)
                )
            }
            Event::Refresh => "quote reference catches up with fresh fair".to_string(),
        }
    }

    /// A fill in a few words from its lane's point of view (the customer in the client lane, the
    /// dealer in the hedge lane): `buys 1 @ $100,050`. `None` for non-fills.
    pub fn lane_text(&self) -> Option<String> {
        use crate::format::{price as p, qty as q};
        let (verb, qty, price) = match *self {
            Event::ClientBuy { qty, price } | Event::HedgeBuy { qty, price } => {
                ("buys", qty, price)
            }
            Event::ClientSell { qty, price } | Event::HedgeSell { qty, price } => {
                ("sells", qty, price)
            }
            _ => return None,
        };
        Some(format!("{verb} {} @ {}", q(qty), p(price)))
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Short heading, e.g. "A customer buys 1 BTC".
    pub title: String,
    /// Optional narration shown beside the step.
    pub note: Option<String>,
    /// The events, applied in order.
    pub events: Vec<Event>,
}

/// The book before the first step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Start {
    /// Fresh fair value (the quote reference starts equal to it).
    pub fair: Price,
    /// Starting customer-created inventory.
    pub i_client: Qty,
    /// Starting external hedge position.
    pub h_external: Qty,
}

/// A whole tape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tape {
    /// The tape's title.
    pub title: String,
    /// Starting book.
    pub start: Start,
    /// The steps, at least one.
    pub steps: Vec<Step>,
}

impl Tape {
    /// Parses and validates a tape from JSON text.
    pub fn from_json(text: &str) -> Result<Tape, TapeError> {
        let value: Value = serde_json::from_str(text).map_err(|e| TapeError::Json {
            line: e.line(),
            column: e.column(),
            message: json_message(&e),
        })?;
        parse_tape(&value)
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

/// serde_json's message without its trailing "at line L column C" (we print those ourselves).
fn json_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(p) => full[..p].to_string(),
        None => full,
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
}

fn invalid(location: &Location, problem: Problem) -> TapeError {
    TapeError::Invalid {
        location: location.clone(),
        problem,
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn as_object<'a>(v: &'a Value, at: &Location) -> Result<&'a Map<String, Value>, TapeError> {
    v.as_object().ok_or_else(|| {
        invalid(
            at,
            Problem::NotAnObject {
                found: json_type(v),
            },
        )
    })
}

fn check_fields(
    obj: &Map<String, Value>,
    allowed: &'static [&'static str],
    at: &Location,
) -> Result<(), TapeError> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(invalid(
            at,
            Problem::UnknownField {
                field: k.clone(),
                allowed: allowed_list(allowed),
            },
        )),
        None => Ok(()),
    }
}

fn allowed_list(allowed: &'static [&'static str]) -> &'static str {
    match allowed {
        ["title", "description", "start", "steps"] => "title, description, start, steps",
        ["fair", "i_client", "h_external"] => "fair, i_client, h_external",
        ["title", "note", "events"] => "title, note, events",
        ["type", "qty", "price"] => "type, qty, price",
        ["type", "price", "stale"] => "type, price, stale",
        ["type"] => "type",
        _ => "see the tape format",
    }
}

fn string_field(
    obj: &Map<String, Value>,
    field: &'static str,
    at: &Location,
    required: bool,
) -> Result<Option<String>, TapeError> {
    match obj.get(field) {
        None if required => Err(invalid(at, Problem::Missing { field })),
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(v) => Err(invalid(
            at,
            Problem::WrongType {
                field: field.to_string(),
                expected: "a string",
                found: json_type(v),
            },
        )),
    }
}

/// Reads a numeric field exactly. `positive` fields must be > 0; others may be any sign.
fn number_field(
    obj: &Map<String, Value>,
    field: &'static str,
    at: &Location,
    scale: u32,
    limit: i64,
    limit_text: &'static str,
    positive: bool,
) -> Result<Option<i64>, TapeError> {
    let v = match obj.get(field) {
        None => return Ok(None),
        Some(v) => v,
    };
    let n = match v {
        Value::Number(n) => n,
        other => {
            return Err(invalid(
                at,
                Problem::WrongType {
                    field: field.to_string(),
                    expected: "a number",
                    found: json_type(other),
                },
            ))
        }
    };
    let units = parse_decimal(&n.to_string(), scale, limit as i128).map_err(|reason| {
        invalid(
            at,
            Problem::BadNumber {
                field,
                reason,
                limit: limit_text,
            },
        )
    })?;
    if positive && units <= 0 {
        return Err(invalid(at, Problem::NotPositive { field }));
    }
    Ok(Some(units as i64))
}

const QTY_LIMIT: &str = "1,000,000 BTC with at most 8 decimals";
const PRICE_LIMIT: &str = "$1,000,000,000 with at most 2 decimals";

fn price_field(obj: &Map<String, Value>, at: &Location) -> Result<Price, TapeError> {
    number_field(obj, "price", at, 2, MAX_PRICE.cents(), PRICE_LIMIT, true)?
        .map(Price::from_cents)
        .ok_or_else(|| invalid(at, Problem::Missing { field: "price" }))
}

fn parse_tape(root: &Value) -> Result<Tape, TapeError> {
    let at = Location::Tape;
    let obj = as_object(root, &at)?;
    check_fields(obj, &["title", "description", "start", "steps"], &at)?;
    let title = string_field(obj, "title", &at, true)?.unwrap_or_default();
    string_field(obj, "description", &at, false)?;
    let start = parse_start(
        obj.get("start")
            .ok_or_else(|| invalid(&at, Problem::Missing { field: "start" }))?,
    )?;
    let steps = match obj.get("steps") {
        None => return Err(invalid(&at, Problem::Missing { field: "steps" })),
        Some(Value::Array(a)) => a,
        Some(v) => {
            return Err(invalid(
                &at,
                Problem::WrongType {
                    field: "steps".into(),
                    expected: "an array",
                    found: json_type(v),
                },
            ))
        }
    };
    if steps.is_empty() {
        return Err(invalid(&at, Problem::NoSteps));
    }
    let steps = steps
        .iter()
        .enumerate()
        .map(|(i, s)| parse_step(s, i + 1))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Tape {
        title,
        start,
        steps,
    })
}

fn parse_start(v: &Value) -> Result<Start, TapeError> {
    let at = Location::Start;
    let obj = as_object(v, &at)?;
    check_fields(obj, &["fair", "i_client", "h_external"], &at)?;
    let fair = number_field(obj, "fair", &at, 2, MAX_PRICE.cents(), PRICE_LIMIT, true)?
        .ok_or_else(|| invalid(&at, Problem::Missing { field: "fair" }))?;
    let i_client =
        number_field(obj, "i_client", &at, 8, MAX_QTY.sats(), QTY_LIMIT, false)?.unwrap_or(0);
    let h_external =
        number_field(obj, "h_external", &at, 8, MAX_QTY.sats(), QTY_LIMIT, false)?.unwrap_or(0);
    Ok(Start {
        fair: Price::from_cents(fair),
        i_client: Qty::from_sats(i_client),
        h_external: Qty::from_sats(h_external),
    })
}

fn parse_step(v: &Value, step: usize) -> Result<Step, TapeError> {
    let at = Location::Step { step };
    let obj = as_object(v, &at)?;
    check_fields(obj, &["title", "note", "events"], &at)?;
    let title = string_field(obj, "title", &at, true)?.unwrap_or_default();
    let note = string_field(obj, "note", &at, false)?;
    let events = match obj.get("events") {
        None => return Err(invalid(&at, Problem::Missing { field: "events" })),
        Some(Value::Array(a)) => a,
        Some(v) => {
            return Err(invalid(
                &at,
                Problem::WrongType {
                    field: "events".into(),
                    expected: "an array",
                    found: json_type(v),
                },
            ))
        }
    };
    let events = events
        .iter()
        .enumerate()
        .map(|(i, e)| parse_event(e, &Location::Event { step, event: i + 1 }))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Step {
        title,
        note,
        events,
    })
}

fn parse_event(v: &Value, at: &Location) -> Result<Event, TapeError> {
    let obj = as_object(v, at)?;
    let kind = string_field(obj, "type", at, true)?.unwrap_or_default();
    let fill = |make: fn(Qty, Price) -> Event| -> Result<Event, TapeError> {
        check_fields(obj, &["type", "qty", "price"], at)?;
        let qty = number_field(obj, "qty", at, 8, MAX_QTY.sats(), QTY_LIMIT, true)?
            .ok_or_else(|| invalid(at, Problem::Missing { field: "qty" }))?;
        Ok(make(Qty::from_sats(qty), price_field(obj, at)?))
    };
    match kind.as_str() {
        "client_buy" => fill(|qty, price| Event::ClientBuy { qty, price }),
        "client_sell" => fill(|qty, price| Event::ClientSell { qty, price }),
        "hedge_buy" => fill(|qty, price| Event::HedgeBuy { qty, price }),
        "hedge_sell" => fill(|qty, price| Event::HedgeSell { qty, price }),
        "fair" => {
            check_fields(obj, &["type", "price", "stale"], at)?;
            let stale = match obj.get("stale") {
                None => false,
                Some(Value::Bool(b)) => *b,
                Some(v) => {
                    return Err(invalid(
                        at,
                        Problem::WrongType {
                            field: "stale".into(),
                            expected: "true or false",
                            found: json_type(v),
                        },
                    ))
                }
            };
            Ok(Event::Fair {
                price: price_field(obj, at)?,
                stale,
            })
        }
        "refresh" => {
            check_fields(obj, &["type"], at)?;
            Ok(Event::Refresh)
        }
        other => Err(invalid(at, Problem::UnknownEventType(other.to_string()))),
    }
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
        let lanes: Vec<Option<String>> =
            tape.steps[0].events.iter().map(|e| e.lane_text()).collect();
        assert_eq!(lanes[0].as_deref(), Some("buys 1 @ $100.50"));
        assert_eq!(lanes[3].as_deref(), Some("sells 3 @ $99"));
        assert_eq!(lanes[6], None);
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

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
            let _ = Tape::from_json(&text);
        }

        #[test]
        fn mangled_chapter_tape_never_panics(cut in 0usize..2000, insert in "[\\[\\]{}\",:0-9a-z.eE+-]{0,6}") {
            let chapter = include_str!("../content/tapes/chapter-1.json");
            let cut = cut.min(chapter.len());
            let cut = (0..=cut).rev().find(|&c| chapter.is_char_boundary(c)).unwrap_or(0);
            let text = format!("{}{}{}", &chapter[..cut], insert, &chapter[cut..]);
            if let Ok(tape) = Tape::from_json(&text) {
                let _ = crate::replay::replay(&tape);
            }
        }
    }
}

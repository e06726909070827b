//! The Value-based tape validator the project used before the streaming reader, kept for
//! tests only: the property test in `tape::tests` checks that the reader reports exactly what this
//! one did, error for error, on mangled tapes.

use serde_json::{Map, Value};

use super::{Event, Location, Problem, Start, Step, Tape, TapeError};
use crate::engine::num::{parse_decimal, Price, Qty, MAX_PRICE, MAX_QTY};

/// Parses and validates a tape the old way.
pub(crate) fn from_json(text: &str) -> Result<Tape, TapeError> {
    let value: Value = serde_json::from_str(text).map_err(|e| TapeError::Json {
        line: e.line(),
        column: e.column(),
        message: json_message(&e),
    })?;
    parse_tape(&value)
}

/// serde_json's message without its trailing "at line L column C" (we print those ourselves).
fn json_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(p) => full[..p].to_string(),
        None => full,
    }
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

//! The tape format's rules, written once: which fields each object may hold, how a number is
//! read exactly and within its limits, and the order in which an object's problems are judged.
//!
//! Both readers hand their objects here as raw JSON text per field ([`Fields`]): the serde
//! visitors in [`super::parse`] and, natively, the byte scanner in `super::scan`. Nothing here
//! reads JSON structure; it judges what a reader found.

use std::borrow::Cow;

use super::{Event, Problem, Start};
use crate::engine::num::{
    parse_decimal, DecimalError, Price, Qty, MAX_PRICE, MAX_QTY, PRICE_DECIMALS, QTY_DECIMALS,
};

// ---------------------------------------------------------------------------------------------
// Fields read as raw text.

/// The fields one kind of object may hold, read as raw JSON text, each with the position of its
/// key so that "the first unknown field" means the first in the document.
pub(super) struct Fields<'de, const N: usize> {
    names: &'static [&'static str; N],
    /// Per known field: (key position, raw value).
    raw: [Option<(usize, &'de str)>; N],
    /// The first key that is not known here.
    stray: Option<(usize, Cow<'de, str>)>,
    /// The first known key that repeats.
    repeated: Option<&'static str>,
    count: usize,
}

impl<'de, const N: usize> Fields<'de, N> {
    pub(super) fn new(names: &'static [&'static str; N]) -> Self {
        Fields {
            names,
            raw: [None; N],
            stray: None,
            repeated: None,
            count: 0,
        }
    }

    /// Index of `key` among the known fields.
    fn index(&self, key: &str) -> Option<usize> {
        self.names.iter().position(|n| *n == key)
    }

    /// Notes a key; returns its field index when its value should be read as raw text.
    pub(super) fn key(&mut self, key: Cow<'de, str>) -> Option<usize> {
        let at = self.count;
        self.count += 1;
        match self.index(&key) {
            Some(i) if self.raw[i].is_none() => Some(i),
            Some(i) => {
                self.repeated = self.repeated.or(Some(self.names[i]));
                None
            }
            None => {
                if self.stray.is_none() {
                    self.stray = Some((at, key));
                }
                None
            }
        }
    }

    /// Records the raw value of field `i`, whose key was the last one noted.
    pub(super) fn set(&mut self, i: usize, raw: &'de str) {
        self.raw[i] = Some((self.count - 1, raw));
    }

    /// A known field written twice is an error before anything else about the object.
    fn unique(&self) -> Result<(), Problem> {
        match self.repeated {
            Some(field) => Err(Problem::Duplicate {
                field: field.to_string(),
            }),
            None => Ok(()),
        }
    }

    pub(super) fn get(&self, i: usize) -> Option<&'de str> {
        self.raw[i].map(|(_, r)| r)
    }

    /// The first field in document order that is not allowed (known fields outside `allowed`
    /// count too), as the format's error.
    fn check(&self, allowed: &[usize], allowed_text: &'static str) -> Result<(), Problem> {
        let mut first: Option<(usize, Problem)> = None;
        let mut consider = |at: usize, problem: Problem| {
            if first.as_ref().is_none_or(|(f, _)| at < *f) {
                first = Some((at, problem));
            }
        };
        if let Some((at, name)) = &self.stray {
            consider(
                *at,
                Problem::UnknownField {
                    field: name.to_string(),
                    allowed: allowed_text,
                },
            );
        }
        for (i, slot) in self.raw.iter().enumerate() {
            if let Some((at, _)) = slot {
                if !allowed.contains(&i) {
                    consider(
                        *at,
                        Problem::UnknownField {
                            field: self.names[i].to_string(),
                            allowed: allowed_text,
                        },
                    );
                }
            }
        }
        match first {
            Some((_, p)) => Err(p),
            None => Ok(()),
        }
    }
}

/// The JSON kind of a raw value, in the words of the error messages.
fn kind(raw: &str) -> &'static str {
    match raw.as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// A raw JSON string's text, borrowed unless it holds escapes; `None` for other kinds.
pub(super) fn string_of(raw: &str) -> Option<Cow<'_, str>> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    if inner.contains('\\') {
        serde_json::from_str::<String>(raw).ok().map(Cow::Owned)
    } else {
        Some(Cow::Borrowed(inner))
    }
}

fn string_field<'a>(
    raw: Option<&'a str>,
    field: &'static str,
    required: bool,
) -> Result<Option<Cow<'a, str>>, Problem> {
    match raw {
        None if required => Err(Problem::Missing { field }),
        None => Ok(None),
        Some(r) => string_of(r).map(Some).ok_or_else(|| Problem::WrongType {
            field: field.to_string(),
            expected: "a string",
            found: kind(r),
        }),
    }
}

/// How a numeric field is read: its scale, its limit and whether it must be positive.
pub(super) struct NumberRule {
    pub scale: u32,
    pub limit: i64,
    limit_text: &'static str,
    positive: bool,
}

impl NumberRule {
    /// Judges a number read from `field` under this rule.
    pub(super) fn judge(
        &self,
        field: &'static str,
        units: Result<i128, DecimalError>,
    ) -> Result<i64, Problem> {
        let units = units.map_err(|reason| Problem::BadNumber {
            field,
            reason,
            limit: self.limit_text,
        })?;
        if self.positive && units <= 0 {
            return Err(Problem::NotPositive { field });
        }
        Ok(units as i64)
    }
}

pub(super) const QTY: NumberRule = NumberRule {
    scale: QTY_DECIMALS,
    limit: MAX_QTY.sats(),
    limit_text: "1,000,000 BTC with at most 8 decimals",
    positive: true,
};
const POSITION: NumberRule = NumberRule {
    positive: false,
    ..QTY
};
pub(super) const PRICE: NumberRule = NumberRule {
    scale: PRICE_DECIMALS,
    limit: MAX_PRICE.cents(),
    limit_text: "$1,000,000,000 with at most 2 decimals",
    positive: true,
};

/// Reads a number exactly from its JSON text (never through `f64`).
fn number_field(
    raw: Option<&str>,
    field: &'static str,
    rule: &NumberRule,
) -> Result<Option<i64>, Problem> {
    let Some(raw) = raw else { return Ok(None) };
    let found = kind(raw);
    if found != "a number" {
        return Err(Problem::WrongType {
            field: field.to_string(),
            expected: "a number",
            found,
        });
    }
    rule.judge(field, parse_decimal(raw, rule.scale, rule.limit as i128))
        .map(Some)
}

pub(super) fn required_number(
    raw: Option<&str>,
    field: &'static str,
    rule: &NumberRule,
) -> Result<i64, Problem> {
    number_field(raw, field, rule)?.ok_or(Problem::Missing { field })
}

// ---------------------------------------------------------------------------------------------
// Events.

pub(super) const EVENT_FIELDS: [&str; 4] = ["type", "qty", "price", "stale"];
const E_TYPE: usize = 0;
const E_QTY: usize = 1;
const E_PRICE: usize = 2;
const E_STALE: usize = 3;

/// Checks an event's fields in the format's order: type, unknown fields, then each value.
pub(super) fn event(f: &Fields<'_, 4>) -> Result<Event, Problem> {
    f.unique()?;
    // The usual spellings are matched on the raw text; escapes and errors take the long way.
    let ty = match f.get(E_TYPE) {
        Some(
            r @ ("\"client_buy\"" | "\"client_sell\"" | "\"hedge_buy\"" | "\"hedge_sell\""
            | "\"fair\"" | "\"refresh\""),
        ) => Cow::Borrowed(&r[1..r.len() - 1]),
        raw => string_field(raw, "type", true)?.unwrap_or_default(),
    };
    let fill = |make: fn(Qty, Price) -> Event| -> Result<Event, Problem> {
        f.check(&[E_TYPE, E_QTY, E_PRICE], "type, qty, price")?;
        let qty = required_number(f.get(E_QTY), "qty", &QTY)?;
        let price = required_number(f.get(E_PRICE), "price", &PRICE)?;
        Ok(make(Qty::from_sats(qty), Price::from_cents(price)))
    };
    match &*ty {
        "client_buy" => fill(|qty, price| Event::ClientBuy { qty, price }),
        "client_sell" => fill(|qty, price| Event::ClientSell { qty, price }),
        "hedge_buy" => fill(|qty, price| Event::HedgeBuy { qty, price }),
        "hedge_sell" => fill(|qty, price| Event::HedgeSell { qty, price }),
        "fair" => {
            f.check(&[E_TYPE, E_PRICE, E_STALE], "type, price, stale")?;
            let stale = match f.get(E_STALE) {
                None | Some("false") => false,
                Some("true") => true,
                Some(r) => {
                    return Err(Problem::WrongType {
                        field: "stale".into(),
                        expected: "true or false",
                        found: kind(r),
                    })
                }
            };
            let price = required_number(f.get(E_PRICE), "price", &PRICE)?;
            Ok(Event::Fair {
                price: Price::from_cents(price),
                stale,
            })
        }
        "refresh" => {
            f.check(&[E_TYPE], "type")?;
            Ok(Event::Refresh)
        }
        other => Err(Problem::UnknownEventType(other.to_string())),
    }
}

// ---------------------------------------------------------------------------------------------
// Steps, start and the whole tape.

pub(super) const STEP_FIELDS: [&str; 3] = ["title", "note", "events"];

/// Checks a step's own fields in the format's order: unknown fields, title, note.
pub(super) fn step_text(f: &Fields<'_, 3>) -> Result<(String, Option<String>), Problem> {
    f.unique()?;
    f.check(&[0, 1, 2], "title, note, events")?;
    let title = string_field(f.get(0), "title", true)?.unwrap_or_default();
    let note = string_field(f.get(1), "note", false)?;
    Ok((title.into_owned(), note.map(Cow::into_owned)))
}

pub(super) const START_FIELDS: [&str; 3] = ["fair", "i_client", "h_external"];

/// Checks `start` in the format's order: unknown fields, then fair, i_client, h_external.
pub(super) fn start(f: &Fields<'_, 3>) -> Result<Start, Problem> {
    f.unique()?;
    f.check(&[0, 1, 2], "fair, i_client, h_external")?;
    let fair = required_number(f.get(0), "fair", &PRICE)?;
    let i_client = number_field(f.get(1), "i_client", &POSITION)?.unwrap_or(0);
    let h_external = number_field(f.get(2), "h_external", &POSITION)?.unwrap_or(0);
    Ok(Start {
        fair: Price::from_cents(fair),
        i_client: Qty::from_sats(i_client),
        h_external: Qty::from_sats(h_external),
    })
}

pub(super) const TAPE_FIELDS: [&str; 5] = ["title", "description", "start", "steps", "$schema"];

/// Checks the tape's own fields in the format's order: unknown fields, title, description,
/// `$schema`; gives the title.
pub(super) fn tape_text(f: &Fields<'_, 5>) -> Result<String, Problem> {
    f.unique()?;
    f.check(
        &[0, 1, 2, 3, 4],
        "title, description, start, steps, $schema",
    )?;
    let title = string_field(f.get(0), "title", true)?.unwrap_or_default();
    string_field(f.get(1), "description", false)?;
    string_field(f.get(4), "$schema", false)?;
    Ok(title.into_owned())
}

//! The tape reader: one pass of serde visitors over the JSON text, with no `Value` tree.
//!
//! Why hand-written visitors and not `#[derive(Deserialize)]` with an internally tagged enum:
//! derive buffers every event into serde's private `Content` (an allocation per event and per
//! number under `arbitrary_precision`), stops at the first problem in document order, and words
//! its errors its own way (`unknown variant`, `invalid type: integer`). The tape format promises
//! located errors with fixed wording and a fixed order of checks, so each place in the format is
//! a small visitor that reads its fields as borrowed raw JSON text (`&RawValue`: no allocation,
//! numbers kept exactly as written) and then checks them in the documented order.
//!
//! Problems in the tape are values, not serde errors: the reader records the first one and keeps
//! reading, so malformed JSON anywhere still wins (as a JSON error with line and column), and an
//! object's own fields are judged before its children, exactly as the format documents.
//! Steps are handed to a [`TapeSink`] as they are read, so a caller can replay a tape of any
//! length without holding it.
//!
//! Natively, `tape::read` first tries the byte scanner in `tape::scan`, which reads valid tapes
//! about three times faster and judges each object with the functions here; these visitors read
//! whatever it gives up on, so every error still comes from one place.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::{Event, Location, Problem, Start, Step, TapeError};
use crate::engine::num::{
    parse_decimal, DecimalError, Price, Qty, MAX_PRICE, MAX_QTY, PRICE_DECIMALS, QTY_DECIMALS,
};

/// Receives a tape while it is read.
pub trait TapeSink {
    /// The starting book: called once, before the first step, when `start` is valid.
    fn start(&mut self, start: &Start);
    /// Each step in tape order, while everything read so far is valid. The tape may still turn
    /// out invalid later: only trust what was received once the reader returns `Ok`.
    fn step(&mut self, step: &Step);
}

/// The parts of a tape besides its steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TapeHead {
    /// The tape's title.
    pub title: String,
    /// Starting book.
    pub start: Start,
}

/// The reader without its fast path: serde visitors over the whole text.
pub(super) fn read_serde(text: &str, sink: &mut dyn TapeSink) -> Result<TapeHead, TapeError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut ctx = Ctx {
        sink,
        step: Step {
            title: String::new(),
            note: None,
            events: Vec::new(),
        },
    };
    let head = AnyValue(Root { ctx: &mut ctx })
        .deserialize(&mut de)
        .and_then(|head| de.end().map(|()| head));
    match head {
        Ok(head) => head,
        Err(fast) => {
            // The fast pass skips some values without decoding them, which can place an error
            // one character apart from where decoding them would; a second, decoding pass over
            // malformed text (no tree is built) reports exactly where the full parse stops.
            let e = serde_json::from_str::<Skip>(text).err().unwrap_or(fast);
            Err(TapeError::Json {
                line: e.line(),
                column: e.column(),
                message: json_message(&e),
            })
        }
    }
}

/// Any JSON value, fully decoded and thrown away.
struct Skip;

impl<'de> de::Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Skip, D::Error> {
        d.deserialize_any(Skip)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = Skip;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_unit<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_key::<Skip>()?.is_some() {
            map.next_value::<Skip>()?;
        }
        Ok(Skip)
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

struct Ctx<'s> {
    sink: &'s mut dyn TapeSink,
    /// The step being read; its event buffer is reused from step to step.
    step: Step,
}

// ---------------------------------------------------------------------------------------------
// Any JSON value, dispatched on its kind.

/// serde_json hands an `arbitrary_precision` number to `deserialize_any` as a one-entry map
/// under this key.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// What one place in the format does with each kind of JSON value. Anything it does not
/// override is read past and reported through [`Place::other`] with its JSON kind.
trait Place<'de>: Sized {
    type Out;

    /// A JSON object; `first` is its first key, already read.
    fn object<A: MapAccess<'de>>(
        self,
        first: Option<Key<'de>>,
        mut map: A,
    ) -> Result<Self::Out, A::Error> {
        let mut key = first;
        while key.is_some() {
            map.next_value::<IgnoredAny>()?;
            key = map.next_key()?;
        }
        Ok(self.other("an object"))
    }

    /// A JSON array.
    fn array<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Out, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(self.other("an array"))
    }

    /// Any other value, by its kind (`a number`, `a string`, `a boolean`, `null`...).
    fn other(self, found: &'static str) -> Self::Out;
}

struct AnyValue<P>(P);

impl<'de, P: Place<'de>> DeserializeSeed<'de> for AnyValue<P> {
    type Value = P::Out;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<P::Out, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, P: Place<'de>> Visitor<'de> for AnyValue<P> {
    type Value = P::Out;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<P::Out, E> {
        Ok(self.0.other("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<P::Out, E> {
        Ok(self.0.other("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<P::Out, E> {
        Ok(self.0.other("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<P::Out, E> {
        Ok(self.0.other("a number"))
    }
    fn visit_str<E>(self, _: &str) -> Result<P::Out, E> {
        Ok(self.0.other("a string"))
    }
    fn visit_unit<E>(self) -> Result<P::Out, E> {
        Ok(self.0.other("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<P::Out, A::Error> {
        self.0.array(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<P::Out, A::Error> {
        let first = map.next_key::<Key>()?;
        if first.as_ref().is_some_and(|k| k.0 == NUMBER_TOKEN) {
            map.next_value::<IgnoredAny>()?;
            return Ok(self.0.other("a number"));
        }
        self.0.object(first, map)
    }
}

/// An object key, borrowed from the text unless it holds escapes.
pub(super) struct Key<'de>(pub Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

// ---------------------------------------------------------------------------------------------
// Objects with a fixed set of fields.

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
    pub(super) fn key(&mut self, key: Key<'de>) -> Option<usize> {
        let at = self.count;
        self.count += 1;
        match self.index(&key.0) {
            Some(i) if self.raw[i].is_none() => Some(i),
            Some(i) => {
                self.repeated = self.repeated.or(Some(self.names[i]));
                None
            }
            None => {
                if self.stray.is_none() {
                    self.stray = Some((at, key.0));
                }
                None
            }
        }
    }

    /// Reads a whole object's fields as raw text.
    fn read<A: MapAccess<'de>>(
        &mut self,
        first: Option<Key<'de>>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let mut key = first;
        while let Some(k) = key {
            let field = self.key(k);
            self.value(field, map)?;
            key = map.next_key()?;
        }
        Ok(())
    }

    /// Reads the value after a key: as raw text for a known field (`Some` from [`Fields::key`]),
    /// read past otherwise.
    fn value<A: MapAccess<'de>>(
        &mut self,
        field: Option<usize>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match field {
            Some(i) => {
                let raw: &'de RawValue = map.next_value()?;
                self.set(i, raw.get());
            }
            None => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
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

/// An object whose fields are all plain values (an event, `start`), judged once read.
struct FlatPlace<const N: usize, T> {
    names: &'static [&'static str; N],
    judge: fn(&Fields<'_, N>) -> Result<T, Problem>,
}

impl<'de, const N: usize, T> Place<'de> for FlatPlace<N, T> {
    type Out = Result<T, Problem>;

    fn object<A: MapAccess<'de>>(
        self,
        first: Option<Key<'de>>,
        mut map: A,
    ) -> Result<Self::Out, A::Error> {
        let mut f = Fields::new(self.names);
        f.read(first, &mut map)?;
        Ok((self.judge)(&f))
    }

    fn other(self, found: &'static str) -> Self::Out {
        Err(Problem::NotAnObject { found })
    }
}

const EVENT: FlatPlace<4, Event> = FlatPlace {
    names: &EVENT_FIELDS,
    judge: event,
};

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

/// A step's `events` array: events go into `buffer`; the first problem is kept with its
/// 1-based index and the rest of the array is only read past.
struct EventsPlace<'b> {
    buffer: &'b mut Vec<Event>,
}

impl<'de> Place<'de> for EventsPlace<'_> {
    type Out = Result<(), EventsProblem>;

    fn array<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Out, A::Error> {
        self.buffer.clear();
        while let Some(e) = seq.next_element_seed(AnyValue(EVENT))? {
            match e {
                Ok(e) => self.buffer.push(e),
                Err(problem) => {
                    let event = self.buffer.len() + 1;
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    return Ok(Err(EventsProblem::At { event, problem }));
                }
            }
        }
        Ok(Ok(()))
    }

    fn other(self, found: &'static str) -> Self::Out {
        Err(EventsProblem::NotAnArray { found })
    }
}

enum EventsProblem {
    NotAnArray { found: &'static str },
    At { event: usize, problem: Problem },
}

// ---------------------------------------------------------------------------------------------
// Steps.

pub(super) const STEP_FIELDS: [&str; 3] = ["title", "note", "events"];

/// One step, read into the context's reusable step; `Ok(())` when it is valid.
struct StepPlace<'c, 's> {
    ctx: &'c mut Ctx<'s>,
    index: usize,
}

impl<'de> Place<'de> for StepPlace<'_, '_> {
    type Out = Result<(), TapeError>;

    fn object<A: MapAccess<'de>>(
        self,
        first: Option<Key<'de>>,
        mut map: A,
    ) -> Result<Self::Out, A::Error> {
        let mut f = Fields::new(&STEP_FIELDS);
        let mut events = None;
        let mut key = first;
        while let Some(k) = key {
            match f.key(k) {
                Some(2) => {
                    f.set(2, "[]");
                    events = Some(map.next_value_seed(AnyValue(EventsPlace {
                        buffer: &mut self.ctx.step.events,
                    }))?);
                }
                other => f.value(other, &mut map)?,
            }
            key = map.next_key()?;
        }
        let step = self.index;
        let at = |problem| TapeError::Invalid {
            location: Location::Step { step },
            problem,
        };
        match step_text(&f) {
            Ok((title, note)) => {
                self.ctx.step.title = title;
                self.ctx.step.note = note;
            }
            Err(p) => return Ok(Err(at(p))),
        }
        Ok(match events {
            None => Err(at(Problem::Missing { field: "events" })),
            Some(Ok(())) => Ok(()),
            Some(Err(EventsProblem::NotAnArray { found })) => Err(at(Problem::WrongType {
                field: "events".into(),
                expected: "an array",
                found,
            })),
            Some(Err(EventsProblem::At { event, problem })) => Err(TapeError::Invalid {
                location: Location::Event { step, event },
                problem,
            }),
        })
    }

    fn other(self, found: &'static str) -> Self::Out {
        Err(TapeError::Invalid {
            location: Location::Step { step: self.index },
            problem: Problem::NotAnObject { found },
        })
    }
}

/// Checks a step's own fields in the format's order: unknown fields, title, note.
pub(super) fn step_text(f: &Fields<'_, 3>) -> Result<(String, Option<String>), Problem> {
    f.unique()?;
    f.check(&[0, 1, 2], "title, note, events")?;
    let title = string_field(f.get(0), "title", true)?.unwrap_or_default();
    let note = string_field(f.get(1), "note", false)?;
    Ok((title.into_owned(), note.map(Cow::into_owned)))
}

/// The `steps` array. Valid steps go to the sink once `start` is known (or are kept until it
/// is, when `start` comes later in the text); after the first problem the rest is read past.
struct StepsPlace<'c, 's> {
    ctx: &'c mut Ctx<'s>,
    /// `Some(true)` when a valid `start` was already handed to the sink, `Some(false)` when
    /// `start` was invalid, `None` when it has not been read yet.
    start: Option<bool>,
}

/// What the `steps` array held.
enum StepsOutcome {
    NotAnArray {
        found: &'static str,
    },
    Read {
        count: usize,
        /// Valid steps read before `start`, to hand over once it is known.
        pending: Vec<Step>,
        problem: Option<TapeError>,
    },
}

impl<'de> Place<'de> for StepsPlace<'_, '_> {
    type Out = StepsOutcome;

    fn array<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Out, A::Error> {
        let mut count = 0;
        let mut pending = Vec::new();
        loop {
            let seed = AnyValue(StepPlace {
                ctx: &mut *self.ctx,
                index: count + 1,
            });
            let Some(result) = seq.next_element_seed(seed)? else {
                break;
            };
            count += 1;
            if let Err(e) = result {
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    count += 1;
                }
                return Ok(StepsOutcome::Read {
                    count,
                    pending,
                    problem: Some(e),
                });
            }
            match self.start {
                Some(true) => self.ctx.sink.step(&self.ctx.step),
                Some(false) => {}
                None => pending.push(self.ctx.step.clone()),
            }
        }
        Ok(StepsOutcome::Read {
            count,
            pending,
            problem: None,
        })
    }

    fn other(self, found: &'static str) -> Self::Out {
        StepsOutcome::NotAnArray { found }
    }
}

// ---------------------------------------------------------------------------------------------
// Start and the whole tape.

pub(super) const START_FIELDS: [&str; 3] = ["fair", "i_client", "h_external"];

const START: FlatPlace<3, Start> = FlatPlace {
    names: &START_FIELDS,
    judge: start,
};

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

struct Root<'c, 's> {
    ctx: &'c mut Ctx<'s>,
}

impl<'de> Place<'de> for Root<'_, '_> {
    type Out = Result<TapeHead, TapeError>;

    fn object<A: MapAccess<'de>>(
        self,
        first: Option<Key<'de>>,
        mut map: A,
    ) -> Result<Self::Out, A::Error> {
        let mut f = Fields::new(&TAPE_FIELDS);
        let mut start: Option<Result<Start, Problem>> = None;
        let mut steps = None;
        let mut key = first;
        while let Some(k) = key {
            match f.key(k) {
                Some(2) => {
                    f.set(2, "{}");
                    let s = map.next_value_seed(AnyValue(START))?;
                    if let Ok(s) = &s {
                        self.ctx.sink.start(s);
                    }
                    start = Some(s);
                }
                Some(3) => {
                    f.set(3, "[]");
                    let known = start.as_ref().map(Result::is_ok);
                    steps = Some(map.next_value_seed(AnyValue(StepsPlace {
                        ctx: &mut *self.ctx,
                        start: known,
                    }))?);
                }
                other => f.value(other, &mut map)?,
            }
            key = map.next_key()?;
        }
        Ok(finish(&f, start, steps, self.ctx))
    }

    fn other(self, found: &'static str) -> Self::Out {
        Err(TapeError::Invalid {
            location: Location::Tape,
            problem: Problem::NotAnObject { found },
        })
    }
}

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

/// Judges the whole tape in the format's order once everything is read.
fn finish(
    f: &Fields<'_, 5>,
    start: Option<Result<Start, Problem>>,
    steps: Option<StepsOutcome>,
    ctx: &mut Ctx<'_>,
) -> Result<TapeHead, TapeError> {
    let at_tape = |problem| TapeError::Invalid {
        location: Location::Tape,
        problem,
    };
    let title = tape_text(f).map_err(at_tape)?;
    let start = start
        .ok_or_else(|| at_tape(Problem::Missing { field: "start" }))?
        .map_err(|problem| TapeError::Invalid {
            location: Location::Start,
            problem,
        })?;
    match steps {
        None => Err(at_tape(Problem::Missing { field: "steps" })),
        Some(StepsOutcome::NotAnArray { found }) => Err(at_tape(Problem::WrongType {
            field: "steps".into(),
            expected: "an array",
            found,
        })),
        Some(StepsOutcome::Read { count: 0, .. }) => Err(at_tape(Problem::NoSteps)),
        Some(StepsOutcome::Read {
            problem: Some(e), ..
        }) => Err(e),
        Some(StepsOutcome::Read { pending, .. }) => {
            for step in &pending {
                ctx.sink.step(step);
            }
            Ok(TapeHead { title, start })
        }
    }
}

//! The tape reader: one pass of serde visitors over the JSON text, with no `Value` tree.
//!
//! Why hand-written visitors and not `#[derive(Deserialize)]` with an internally tagged enum:
//! derive buffers every event into serde's private `Content` (an allocation per event), stops at
//! the first problem in document order, and words its errors its own way (`unknown variant`,
//! `invalid type: integer`). The tape format promises
//! located errors with fixed wording and a fixed order of checks, so each place in the format is
//! a small visitor that reads its fields as borrowed raw JSON text (`&RawValue`: no allocation,
//! numbers kept exactly as written) and hands them to the judges in [`super::rules`], which check
//! them in the documented order.
//!
//! Problems in the tape are values, not serde errors: the reader records the first one and keeps
//! reading, so malformed JSON anywhere still wins (as a JSON error with line and column), and an
//! object's own fields are judged before its children, exactly as the format documents.
//! Steps are handed to a [`TapeSink`] as they are read, so a caller can replay a tape of any
//! length without holding it.
//!
//! Natively, `tape::read` first tries the byte scanner in `tape::scan`, which reads valid tapes
//! about three times faster and judges each object with the same judges ([`super::rules`]);
//! these visitors read whatever it gives up on, so every error still comes from one place.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::rules::{
    event, start, step_text, tape_text, Fields, EVENT_FIELDS, START_FIELDS, STEP_FIELDS,
    TAPE_FIELDS,
};
use super::{Event, Location, Problem, Start, Step, TapeError};

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

/// Reading an object's fields through serde (the rules that judge them are in [`super::rules`]).
impl<'de, const N: usize> Fields<'de, N> {
    /// Reads a whole object's fields as raw text.
    fn read<A: MapAccess<'de>>(
        &mut self,
        first: Option<Key<'de>>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let mut key = first;
        while let Some(k) = key {
            let field = self.key(k.0);
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
}

// ---------------------------------------------------------------------------------------------
// Events.

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
            match f.key(k.0) {
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

const START: FlatPlace<3, Start> = FlatPlace {
    names: &START_FIELDS,
    judge: start,
};

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
            match f.key(k.0) {
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

//! The tape reader's fast path: a byte scanner for tapes that are valid as written, which is
//! what tools and authors produce almost always.
//!
//! It tokenizes strictly (JSON's grammar, no more: whitespace, strings, numbers, `true` and
//! `false`, and the tape's nesting) and hands each object's fields to the same judges as the
//! serde reader in [`super::parse`] (those of [`super::rules`]: [`event`], [`start`],
//! [`step_text`], [`tape_text`]), so the format's rules and exact numbers are written once. It gives up, with `None`, at the first
//! thing it does not expect: malformed JSON, a field out of place, an escape in a key, any
//! problem a judge finds. The serde reader then reads the whole text again and reports the
//! located error in the format's words; what this scanner already handed to the sink is not
//! handed over twice ([`Delivered`]).
//!
//! Native builds only (the command line): the browser bundle leaves it out for size and reads
//! tapes with the serde visitors alone.

use super::parse::read_serde;
use super::rules::{
    event, required_number, start, step_text, string_of, tape_text, Fields, NumberRule,
    EVENT_FIELDS, PRICE, QTY, START_FIELDS, STEP_FIELDS, TAPE_FIELDS,
};
use super::{Event, Start, Step, TapeError, TapeHead, TapeSink};
use crate::engine::num::{parse_decimal_prefix, Price, Qty};
use std::borrow::Cow;

/// What the scanner handed to the sink before it gave up.
#[derive(Debug, Default)]
struct Delivered {
    /// `start` was handed over.
    start: bool,
    /// This many steps were handed over, in order.
    steps: usize,
}

/// Reads a tape: the scanner, then, if it gives up, the serde visitors over the whole text.
pub(super) fn read(text: &str, sink: &mut dyn TapeSink) -> Result<TapeHead, TapeError> {
    let mut delivered = Delivered::default();
    match scan(text, sink, &mut delivered) {
        Some(head) => Ok(head),
        // Read everything again, handing over only what the scanner did not.
        None => read_serde(text, &mut Undelivered { sink, delivered }),
    }
}

/// A sink behind the fast path: skips what the fast path already handed over.
struct Undelivered<'s> {
    sink: &'s mut dyn TapeSink,
    delivered: Delivered,
}

impl TapeSink for Undelivered<'_> {
    fn start(&mut self, start: &Start) {
        if !std::mem::take(&mut self.delivered.start) {
            self.sink.start(start);
        }
    }
    fn step(&mut self, step: &Step) {
        match self.delivered.steps {
            0 => self.sink.step(step),
            n => self.delivered.steps = n - 1,
        }
    }
}

/// Reads a tape that is valid as written; `None` for anything else (see the module docs).
fn scan(text: &str, sink: &mut dyn TapeSink, delivered: &mut Delivered) -> Option<TapeHead> {
    let mut s = Scanner { text, at: 0 };
    s.expect(b'{')?;
    let mut f = Fields::new(&TAPE_FIELDS);
    let mut head_start = None;
    let mut steps = false;
    s.fields(
        |s, f, field| {
            match field {
                2 => {
                    let st = s.flat(&START_FIELDS, start)?;
                    sink.start(&st);
                    delivered.start = true;
                    head_start = Some(st);
                    f.set(2, "{}");
                }
                // Steps before `start` are left to the serde reader, which holds them until then.
                3 if head_start.is_some() => {
                    s.steps(sink, delivered)?;
                    steps = true;
                    f.set(3, "[]");
                }
                3 => return None,
                i => f.set(i, s.scalar()?),
            }
            Some(())
        },
        &mut f,
    )?;
    s.skip_space();
    if s.at != text.len() || !steps {
        return None;
    }
    Some(TapeHead {
        title: tape_text(&f).ok()?,
        start: head_start?,
    })
}

struct Scanner<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scanner<'a> {
    /// The byte at the cursor, 0 past the end (never valid JSON there).
    fn peek(&self) -> u8 {
        self.text.as_bytes().get(self.at).copied().unwrap_or(0)
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), b' ' | b'\n' | b'\r' | b'\t') {
            self.at += 1;
        }
    }

    /// Skips whitespace, then consumes `byte`.
    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_space();
        (self.peek() == byte).then(|| self.at += 1)
    }

    /// After whitespace: `,` (true, more to come) or `close` (false).
    fn next(&mut self, close: u8) -> Option<bool> {
        self.skip_space();
        let b = self.peek();
        self.at += 1;
        match b {
            b',' => Some(true),
            _ if b == close => Some(false),
            _ => None,
        }
    }

    /// The members of an object whose `{` was read: each key is noted in `f` and its value read
    /// by `value` (given the field's index). Unknown and repeated keys give up.
    fn fields<const N: usize>(
        &mut self,
        mut value: impl FnMut(&mut Self, &mut Fields<'a, N>, usize) -> Option<()>,
        f: &mut Fields<'a, N>,
    ) -> Option<()> {
        self.skip_space();
        if self.peek() == b'}' {
            self.at += 1;
            return Some(());
        }
        loop {
            self.skip_space();
            let key = self.string()?;
            if key.contains('\\') {
                return None;
            }
            let field = f.key(Cow::Borrowed(&key[1..key.len() - 1]))?;
            self.expect(b':')?;
            self.skip_space();
            value(self, f, field)?;
            if !self.next(b'}')? {
                return Some(());
            }
        }
    }

    /// An object of plain values (an event, `start`), judged by `judge`.
    fn flat<const N: usize, T>(
        &mut self,
        names: &'static [&'static str; N],
        judge: fn(&Fields<'_, N>) -> Result<T, super::Problem>,
    ) -> Option<T> {
        self.expect(b'{')?;
        let mut f = Fields::new(names);
        self.fields(
            |s, f, i| {
                f.set(i, s.scalar()?);
                Some(())
            },
            &mut f,
        )?;
        judge(&f).ok()
    }

    /// The `steps` array, each valid step handed to the sink as soon as it is read.
    fn steps(&mut self, sink: &mut dyn TapeSink, delivered: &mut Delivered) -> Option<()> {
        self.expect(b'[')?;
        let mut step = Step {
            title: String::new(),
            note: None,
            events: Vec::new(),
        };
        loop {
            self.expect(b'{')?;
            let mut f = Fields::new(&STEP_FIELDS);
            self.fields(
                |s, f, i| {
                    match i {
                        2 => {
                            s.events(&mut step.events)?;
                            f.set(2, "[]");
                        }
                        i => f.set(i, s.scalar()?),
                    }
                    Some(())
                },
                &mut f,
            )?;
            f.get(2)?;
            (step.title, step.note) = step_text(&f).ok()?;
            sink.step(&step);
            delivered.steps += 1;
            if !self.next(b']')? {
                return Some(());
            }
        }
    }

    /// A step's `events` array, into `buffer`.
    fn events(&mut self, buffer: &mut Vec<Event>) -> Option<()> {
        buffer.clear();
        self.expect(b'[')?;
        self.skip_space();
        if self.peek() == b']' {
            self.at += 1;
            return Some(());
        }
        loop {
            let begin = self.at;
            let e = match self.ordered_event() {
                Some(e) => e,
                None => {
                    self.at = begin;
                    self.flat(&EVENT_FIELDS, event)?
                }
            };
            buffer.push(e);
            if !self.next(b']')? {
                return Some(());
            }
        }
    }

    /// An event with its fields in the format's order, as tools write them: `type` first, then
    /// `qty` and `price`, or `price` and an optional `stale`. Read without the general field
    /// bookkeeping; `None` for any other shape (the caller then reads it the general way) or a
    /// bad number.
    fn ordered_event(&mut self) -> Option<Event> {
        self.expect(b'{')?;
        self.skip_space();
        self.key(b"\"type\"")?;
        let fill = if self.literal(b"\"client_sell\"") {
            |qty, price| Event::ClientSell { qty, price }
        } else if self.literal(b"\"client_buy\"") {
            |qty, price| Event::ClientBuy { qty, price }
        } else if self.literal(b"\"hedge_buy\"") {
            |qty, price| Event::HedgeBuy { qty, price }
        } else if self.literal(b"\"hedge_sell\"") {
            |qty, price| Event::HedgeSell { qty, price }
        } else if self.literal(b"\"fair\"") {
            self.member(b"\"price\"")?;
            let price = self.amount("price", &PRICE)?;
            let stale = match self.next(b'}')? {
                false => false,
                true => {
                    self.skip_space();
                    self.key(b"\"stale\"")?;
                    let stale = match self.scalar()? {
                        "true" => true,
                        "false" => false,
                        _ => return None,
                    };
                    self.expect(b'}')?;
                    stale
                }
            };
            return Some(Event::Fair {
                price: Price::from_cents(price),
                stale,
            });
        } else if self.literal(b"\"refresh\"") {
            self.expect(b'}')?;
            return Some(Event::Refresh);
        } else {
            return None;
        };
        self.member(b"\"qty\"")?;
        let qty = self.amount("qty", &QTY)?;
        self.member(b"\"price\"")?;
        let price = self.amount("price", &PRICE)?;
        self.expect(b'}')?;
        Some(fill(Qty::from_sats(qty), Price::from_cents(price)))
    }

    /// Consumes `lit` when the text goes on with it.
    fn literal<const N: usize>(&mut self, lit: &[u8; N]) -> bool {
        let end = self.at + N;
        let found = self
            .text
            .as_bytes()
            .get(self.at..end)
            .is_some_and(|b| <&[u8; N]>::try_from(b).is_ok_and(|b| b == lit));
        if found {
            self.at = end;
        }
        found
    }

    /// `key` (with its quotes) and the `:` after it, then any whitespace.
    fn key<const N: usize>(&mut self, key: &[u8; N]) -> Option<()> {
        self.literal(key).then_some(())?;
        self.expect(b':')?;
        self.skip_space();
        Some(())
    }

    /// `,` then `key` as in [`Scanner::key`].
    fn member<const N: usize>(&mut self, key: &[u8; N]) -> Option<()> {
        self.expect(b',')?;
        self.skip_space();
        self.key(key)
    }

    /// A number under `rule`, as [`required_number`] reads it; the usual ones (no exponent)
    /// are read in place, in one pass.
    fn amount(&mut self, field: &'static str, rule: &NumberRule) -> Option<i64> {
        let rest = self.text.as_bytes().get(self.at..)?;
        if leading_zero(rest) {
            return None;
        }
        match parse_decimal_prefix(rest, rule.scale, rule.limit as i128) {
            Some((n, units)) if !matches!(rest.get(n), Some(b'e' | b'E' | b'.' | b'+' | b'-')) => {
                self.at += n;
                rule.judge(field, units).ok()
            }
            _ => required_number(Some(self.number()?), field, rule).ok(),
        }
    }

    /// A string, number, `true`, `false` or `null`, as its raw text.
    fn scalar(&mut self) -> Option<&'a str> {
        match self.peek() {
            b'"' => self.string(),
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.word("true"),
            b'f' => self.word("false"),
            b'n' => self.word("null"),
            _ => None,
        }
    }

    fn word(&mut self, word: &'static str) -> Option<&'a str> {
        let end = self.at + word.len();
        let raw = self.text.get(self.at..end).filter(|w| *w == word)?;
        self.at = end;
        Some(raw)
    }

    /// A string with its quotes, escapes kept as written; control characters and bad escapes
    /// give up here, where the serde visitors would stop too.
    fn string(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let begin = self.at;
        if bytes.get(begin) != Some(&b'"') {
            return None;
        }
        let mut i = begin + 1;
        let mut escapes = false;
        loop {
            match *bytes.get(i)? {
                b'"' => break,
                b'\\' => {
                    escapes = true;
                    i += 2;
                }
                0..=0x1f => return None,
                _ => i += 1,
            }
        }
        self.at = i + 1;
        let raw = self.text.get(begin..self.at)?;
        if escapes {
            string_of(raw)?;
        }
        Some(raw)
    }

    /// The text of a number: the bytes a JSON number is made of. Only a leading zero is checked
    /// here; the rest of JSON's grammar is checked by [`crate::engine::num::parse_decimal`], which
    /// reads exactly JSON's numbers apart from leading zeros.
    fn number(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let begin = self.at;
        let mut end = begin;
        while let Some(b'0'..=b'9' | b'.' | b'-' | b'+' | b'e' | b'E') = bytes.get(end) {
            end += 1;
        }
        if leading_zero(&bytes[begin..end]) {
            return None;
        }
        self.at = end;
        self.text.get(begin..end)
    }
}

/// True for a number that starts with a zero and goes on with a digit (`01`, `-007`): JSON
/// does not allow it, [`crate::engine::num::parse_decimal`] would.
fn leading_zero(number: &[u8]) -> bool {
    let digits = usize::from(number.first() == Some(&b'-'));
    number.get(digits) == Some(&b'0') && number.get(digits + 1).is_some_and(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::super::parse::read_serde;
    use super::super::{read, Start, Step, TapeSink};
    use super::{scan, Delivered};

    /// Everything a sink was handed, in order.
    #[derive(Debug, Default, PartialEq)]
    struct Log(Vec<String>);

    impl TapeSink for Log {
        fn start(&mut self, start: &Start) {
            self.0.push(format!("{start:?}"));
        }
        fn step(&mut self, step: &Step) {
            self.0.push(format!("{step:?}"));
        }
    }

    /// Whether the scanner alone reads `text`; in every case the reader (scanner, then serde
    /// visitors) hands the sink exactly what the serde visitors alone do and returns the same.
    fn scanned(text: &str) -> Result<bool, String> {
        let mut fast = Log::default();
        let alone = scan(text, &mut fast, &mut Delivered::default()).is_some();
        let mut both = Log::default();
        let mut slow = Log::default();
        let a = read(text, &mut both);
        let b = read_serde(text, &mut slow);
        if (&a, &both) != (&b, &slow) {
            return Err(format!(
                "{text}\nreader: {a:?} {both:?}\nserde: {b:?} {slow:?}"
            ));
        }
        if alone && (b.is_err() || fast != slow) {
            return Err(format!("{text}\nscanner accepted: {fast:?}\nserde: {b:?}"));
        }
        Ok(alone)
    }

    fn generated() -> String {
        crate::engine::tape::synthetic::tape(3_000, 250).to_json()
    }

    #[test]
    fn scanner_reads_valid_tapes_in_any_layout() {
        let pretty = |text: &str| {
            let v: serde_json::Value = serde_json::from_str(text).unwrap();
            serde_json::to_string_pretty(&v).unwrap()
        };
        let generated = generated();
        // Every object's fields in reverse order (events: type last).
        let reversed = {
            fn reverse(v: serde_json::Value) -> serde_json::Value {
                match v {
                    serde_json::Value::Object(m) => {
                        m.into_iter().rev().map(|(k, v)| (k, reverse(v))).collect()
                    }
                    serde_json::Value::Array(a) => a.into_iter().map(reverse).collect(),
                    v => v,
                }
            }
            let mut tape: serde_json::Value = serde_json::from_str(&generated).unwrap();
            let steps = tape["steps"].take();
            tape["steps"] = reverse(steps);
            tape.to_string()
        };
        let steps = concat!(
            r#""steps" : [ { "events" : [ { "price" : 1e2 , "type" : "fair" , "stale" : false } , "#,
            r#"{"qty":0.5,"price":2E+1,"type":"hedge_sell"} ] , "note" : "\u00e9" , "#,
            r#""title" : "a\"b" } ]"#
        );
        let start = r#""start" : { "h_external" : -1.5 , "fair" : 100.25 }"#;
        let rest = r#""title" : "t" , "description" : "d" }"#;
        let valid = [
            crate::CHAPTER_TAPE.to_string(),
            include_str!("../../../examples/tapes/two-sided.json").to_string(),
            pretty(&generated),
            generated,
            // Fields in any order, escapes, exponents, a note, CRLF and tabs.
            format!("{{\r\n\t{steps} , {start} , {rest}"),
            format!("{{\r\n\t{start} , {steps} , {rest}"),
        ];
        assert!(
            reversed.contains(r#","type":"client_buy"}"#),
            "{reversed:.300}"
        );
        for text in valid.iter().chain([&reversed]) {
            // "steps" before "start" is left to the serde visitors (they hold the steps).
            let expect = !text.starts_with("{\r\n\t\"steps\"");
            assert_eq!(scanned(text), Ok(expect), "{text:.300}");
        }
    }

    #[test]
    fn scanner_gives_up_on_everything_else() {
        let head = r#"{"title":"t","start":{"fair":1},"steps":[{"title":"s","events":["#;
        for event in [
            r#"{"type":"client_buy","qty":01,"price":1}"#,
            r#"{"type":"client_buy","qty":1.,"price":1}"#,
            r#"{"type":"client_buy","qty":1,"price":+1}"#,
            r#"{"type":"client_buy","qty":-1,"price":1}"#,
            r#"{"type":"client_buy","qty":1,"price":1,"qty":1}"#,
            r#"{"type":"client_buy","qty":1,"price":1.001}"#,
            r#"{"type":"client_buy","qty":1,"price":1e400}"#,
            r#"{"type":"fair","price":1,"stale":1}"#,
            r#"{"type":"fair","price":1,"stale":true,"x":1}"#,
            r#"{"type":"refresh","qty":1}"#,
            r#"{"type":"client_buy","qty":1,"price":1,"note":"\x"}"#,
            r#"{"ty\u0070e":"refresh"}"#,
            "{\"type\":\"refresh\u{1}\"}",
            r#"{"type":"refresh"}}"#,
            r#"{"type":"refresh"},"#,
            r#"{"type":"refresh"} {"type":"refresh"}"#,
            r#"{"type":"fair","price":1,"stale":tru}"#,
            r#"{"type":"fair","price":1,"stale":nul}"#,
            "7",
        ] {
            let text = format!("{head}{event}]}}]}}");
            assert_eq!(scanned(&text), Ok(false), "{text}");
        }
        let ok = format!(r#"{head}{{"type":"refresh"}}]}}]}}"#);
        assert_eq!(scanned(&ok), Ok(true));
        // An escape in a value is read the general way, still by the scanner.
        let escaped = format!(r#"{head}{{"type":"cl\u0069ent_buy","qty":1,"price":1}}]}}]}}"#);
        assert_eq!(scanned(&escaped), Ok(true));
        for text in [
            format!("{ok} x"),
            format!("{ok}{{}}"),
            ok.replace(r#""title":"t","#, ""),
            ok.replace(r#""title":"t""#, r#""title":"t","title":"t""#),
            ok.replace(r#""title":"t""#, r#""title":"t","extra":[]"#),
            ok.replace(r#""title":"s""#, r#""title":"s","note":null"#),
            ok.replace(r#"{"fair":1}"#, r#"{"fair":1,"i_client":1.000000001}"#),
            r#"{"title":"t","start":{"fair":1},"steps":[]}"#.to_string(),
            ok[..ok.len() - 1].to_string(),
        ] {
            assert_eq!(scanned(&text), Ok(false), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn scanner_and_serde_visitors_agree_on_mangled_tapes(cut in 0usize..4000, len in 0usize..12, insert in "[\\[\\]{}\",:0-9a-z_.eE+ \\\\-]{0,8}") {
            let generated = crate::engine::tape::synthetic::tape(60, 7).to_json();
            for tape in [crate::CHAPTER_TAPE, include_str!("../../../examples/tapes/two-sided.json"), generated.as_str()] {
                let cut = cut.min(tape.len());
                let end = (cut + len).min(tape.len());
                let text = format!("{}{}{}", &tape[..cut], insert, &tape[end..]);
                let result = scanned(&text);
                proptest::prop_assert!(result.is_ok(), "{}", result.unwrap_err());
            }
        }

        #[test]
        fn scanner_and_serde_visitors_agree_on_events(
            fields in proptest::collection::vec(("type|qty|price|stale|x", "1|-1|0|01|1.5|1.|-0|1e9|1E-2|0.001|100000000000000000000|\"fair\"|\"refresh\"|\"client_buy\"|\"hedge_sell\"|\"x\"|true|false|null|\\[\\]|\\{\\}"), 0..5),
            wrap in 0usize..3,
        ) {
            let event = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect::<Vec<_>>().join(",");
            let text = match wrap {
                0 => format!(r#"{{"title":"t","start":{{"fair":1}},"steps":[{{"title":"s","events":[{{"type":"refresh"}},{{{event}}}]}}]}}"#),
                1 => format!(r#"{{"title":"t","start":{{{event}}},"steps":[{{"title":"s","events":[]}}]}}"#),
                _ => format!(r#"{{"title":"t","start":{{"fair":1}},"steps":[{{{event}}}]}}"#),
            };
            let result = scanned(&text);
            proptest::prop_assert!(result.is_ok(), "{}", result.unwrap_err());
        }
    }
}

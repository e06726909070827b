//! `dealer-book policy --flow X --toxicity X --volatility X --hedge-cost X --latency X [--json]`
//! and `dealer-book policy --stdin`: the internalize-or-hedge policy ([`dealer_book::policy`]) for one
//! environment, or for one environment per JSON line read from stdin.
//!
//! Levels are from 0 to 1 with at most 3 decimals. `--json` (always, with `--stdin`) prints
//! `{"action","reason","hedge","quote"}` on one line: `action` is the label, one of
//! `internalize`, `skew`, `partial_hedge`, `full_hedge`, `widen`, `pause`; `hedge` is one of
//! `none`, `partial`, `full` and `quote` one of `normal`, `skew`, `widen`, `pause` (the two
//! decisions the label displays). With `--stdin` every line is an object
//! `{"flow":..,"toxicity":..,"volatility":..,"hedge_cost":..,"latency":..}` (blank lines are
//! skipped) and one output line is written per input line, in order, as soon as the line is read
//! (each answer is flushed, so a program can hold a conversation over a pipe). A bad line stops
//! the run with exit 2 and one `error: line N: ...` naming what is wrong, after the answers to
//! the lines before it: a missing, unknown, duplicated, non-numeric or out-of-range field, a line
//! that is not UTF-8 text (its column and byte named) or one longer than [`MAX_LINE_BYTES`]
//! (64 KiB, line ending excluded). A UTF-8 byte-order mark before the first line is skipped.

use std::fmt;
use std::io::{BufRead, Read, Write};

use clap::Args;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::{ExactNumber, Io, Output};
use dealer_book::explain;
use dealer_book::policy::{decide, parse_level, Input, Inputs, Level};

/// Arguments of `policy`.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// Client flow balance: 0 two-sided, 1 one-sided.
    #[arg(long, value_name = "X", value_parser = level, allow_negative_numbers = true, required_unless_present = "stdin", conflicts_with = "stdin")]
    pub flow: Option<Level>,
    /// Toxicity score: 0 benign, 1 informed or stale-quote flow.
    #[arg(long, value_name = "X", value_parser = level, allow_negative_numbers = true, required_unless_present = "stdin", conflicts_with = "stdin")]
    pub toxicity: Option<Level>,
    /// Volatility: 0 calm, 1 stressed.
    #[arg(long, value_name = "X", value_parser = level, allow_negative_numbers = true, required_unless_present = "stdin", conflicts_with = "stdin")]
    pub volatility: Option<Level>,
    /// Hedge cost: 0 deep, cheap venue, 1 thin, expensive venue.
    #[arg(long = "hedge-cost", value_name = "X", value_parser = level, allow_negative_numbers = true, required_unless_present = "stdin", conflicts_with = "stdin")]
    pub hedge_cost: Option<Level>,
    /// Latency risk: 0 fresh reference, 1 stale reference.
    #[arg(long, value_name = "X", value_parser = level, allow_negative_numbers = true, required_unless_present = "stdin", conflicts_with = "stdin")]
    pub latency: Option<Level>,
    /// Read one JSON object of the five levels per line from stdin; write one JSON line each.
    #[arg(long)]
    pub stdin: bool,
    /// Also say why: each input's level, the threshold it met and what it decided, and the
    /// nearest level of each input that would change the answer.
    #[arg(long)]
    pub explain: bool,
}

fn level(text: &str) -> Result<Level, String> {
    parse_level(text).map_err(|e| e.to_string())
}

/// `{"action","reason","hedge","quote"}` on one line, with `"trace"` and `"boundaries"` when
/// explaining (`boundaries` omitted when no level of any input changes the action).
fn decision_json(x: &Inputs, explain_too: bool) -> String {
    #[derive(Serialize)]
    struct Rule {
        input: &'static str,
        level: ExactNumber,
        threshold: ExactNumber,
        decides: String,
    }
    #[derive(Serialize)]
    struct Boundary {
        input: &'static str,
        at: ExactNumber,
        becomes: &'static str,
    }
    #[derive(Serialize)]
    struct Decision {
        action: &'static str,
        reason: String,
        hedge: &'static str,
        quote: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        trace: Option<Vec<Rule>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        boundaries: Option<Vec<Boundary>>,
    }
    let d = decide(x);
    let level = |l: Level| super::number(dealer_book::num::plain_decimal(l as i128, 3, 0));
    let trace = explain_too.then(|| {
        explain::policy::trace(&d, x)
            .into_iter()
            .map(|r| Rule {
                input: r.input.key(),
                level: level(r.level),
                threshold: level(r.threshold),
                decides: r.decides,
            })
            .collect()
    });
    let boundaries = explain_too
        .then(|| {
            dealer_book::policy::boundaries(x)
                .into_iter()
                .map(|b| Boundary {
                    input: b.input.key(),
                    at: level(b.at),
                    becomes: b.becomes.key(),
                })
                .collect::<Vec<_>>()
        })
        .filter(|b| !b.is_empty());
    let report = Decision {
        action: d.action.key(),
        reason: explain::policy::reason(&d, x),
        hedge: d.hedge.key(),
        quote: d.quote.key(),
        trace,
        boundaries,
    };
    serde_json::to_string(&report).unwrap_or_default()
}

/// Longest `policy --stdin` line, in bytes, line ending excluded (64 KiB: a line of the five
/// levels is under 100 bytes).
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// A JSON object's keys read a second time: the first key it repeats, if any (serde_json would
/// keep the last silently), and the text of each value as written, so that a level is read
/// exactly from its digits, never through `f64`.
struct Raw<'a> {
    repeat: Option<String>,
    values: Vec<(String, &'a RawValue)>,
}

impl<'de> Deserialize<'de> for Raw<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = Raw<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw<'de>, A::Error> {
                let mut raw = Raw {
                    repeat: None,
                    values: Vec::new(),
                };
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value::<&RawValue>()?;
                    if raw.repeat.is_none() && raw.values.iter().any(|(k, _)| *k == key) {
                        raw.repeat = Some(key.clone());
                    }
                    raw.values.push((key, value));
                }
                Ok(raw)
            }
        }
        d.deserialize_map(Keys)
    }
}

/// One stdin line as inputs, or what is wrong with it (without the line number).
fn parse_line(line: &str) -> Result<Inputs, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(obj) = value else {
        return Err("expected a JSON object of the five levels".into());
    };
    // The line is a valid object, so this second reading succeeds; it keeps each value's text
    // (numbers beyond f64's range already failed above as invalid JSON).
    let raw: Raw = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    if let Some(k) = raw.repeat {
        return Err(format!("duplicate field `{k}`"));
    }
    if let Some(k) = obj.keys().find(|k| Input::from_key(k).is_none()) {
        return Err(format!(
            "unknown field `{k}` (expected flow, toxicity, volatility, hedge_cost, latency)"
        ));
    }
    let mut x = Inputs::default();
    for input in Input::ALL {
        let key = input.key();
        let text = raw
            .values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.get());
        let level = match (obj.get(key), text) {
            (Some(Value::Number(_)), Some(text)) => parse_level(text),
            (Some(other), _) => {
                return Err(format!(
                    "`{key}`: {other} is not a number; levels are from 0 to 1"
                ))
            }
            (None, _) => return Err(format!("missing field `{key}`")),
        }
        .map_err(|e| format!("`{key}`: {e}"))?;
        x = x.with(input, level);
    }
    Ok(x)
}

/// One stdin line's bytes as text, or what is wrong with them (without the line number).
fn line_text(bytes: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let column = std::str::from_utf8(good).map_or(0, |t| t.chars().count()) + 1;
        format!(
            "not UTF-8 text (byte 0x{:02X} at column {column}); send UTF-8",
            bytes[e.valid_up_to()]
        )
    })
}

/// `policy --stdin`: one answer per line, written and flushed as each line is read.
fn run_stdin(explain_too: bool, io: &dyn Io, stdout: &mut dyn Write) -> Output {
    let mut input = io.stdin();
    let mut line = Vec::new();
    for number in 1u64.. {
        line.clear();
        // Room for the longest line and its `\r\n`: a longer line is caught without reading on.
        // Line 1 may also carry a 3-byte byte-order mark, stripped below.
        let room = MAX_LINE_BYTES as u64 + 2 + if number == 1 { 3 } else { 0 };
        let read = input.by_ref().take(room).read_until(b'\n', &mut line);
        match read {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return Output::fail(1, format!("stdin: cannot read: {e}")),
        }
        let mut bytes = &line[..];
        if let Some(b) = bytes.strip_suffix(b"\n") {
            bytes = b.strip_suffix(b"\r").unwrap_or(b);
        }
        if number == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        if bytes.len() > MAX_LINE_BYTES {
            return Output::fail(
                2,
                format!(
                    "line {number}: longer than the limit of {} bytes per line",
                    dealer_book::format::count(MAX_LINE_BYTES as u64)
                ),
            );
        }
        let text = match line_text(bytes) {
            Ok(t) => t,
            Err(e) => return Output::fail(2, format!("line {number}: {e}")),
        };
        if text.trim().is_empty() {
            continue;
        }
        let answer = match parse_line(text) {
            Ok(x) => decision_json(&x, explain_too),
            Err(e) => return Output::fail(2, format!("line {number}: {e}")),
        };
        if let Err(e) = writeln!(stdout, "{answer}").and_then(|()| stdout.flush()) {
            return Output::write_failed(&e);
        }
    }
    Output::ok(String::new())
}

/// Runs `policy`; with `--stdin`, answers are written to `stdout` as lines arrive.
pub fn run(args: &PolicyArgs, json: bool, io: &dyn Io, stdout: &mut dyn Write) -> Output {
    if args.stdin {
        return run_stdin(args.explain, io, stdout);
    }
    // clap guarantees all five without --stdin; default to 0 only to stay total.
    let x = Inputs {
        flow: args.flow.unwrap_or_default(),
        toxicity: args.toxicity.unwrap_or_default(),
        volatility: args.volatility.unwrap_or_default(),
        hedge_cost: args.hedge_cost.unwrap_or_default(),
        latency: args.latency.unwrap_or_default(),
    };
    if json {
        Output::ok(decision_json(&x, args.explain) + "\n")
    } else {
        let d = decide(&x);
        let mut out = format!(
            "action: {}\nreason: {}\n",
            d.action.key(),
            explain::policy::reason(&d, &x)
        );
        if args.explain {
            out.push_str(&format!(
                "rules: {}; {}\n",
                explain::policy::hedge_rule_name(d.hedge_reason),
                explain::policy::quote_rule_name(d.quote_reason)
            ));
            for r in explain::policy::trace(&d, &x) {
                out.push_str(&format!(
                    "{} {} (threshold {}): {}\n",
                    explain::policy::input_label(r.input),
                    explain::policy::level(r.level),
                    explain::policy::level(r.threshold),
                    r.decides
                ));
            }
            for line in explain::policy::what_would_change(&x) {
                out.push_str(&line);
                out.push('\n');
            }
        }
        Output::ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::run_on;
    use super::MAX_LINE_BYTES;
    use dealer_book::policy::{decide, Inputs};

    const FIVE: [&str; 11] = [
        "policy",
        "--flow",
        "0",
        "--toxicity",
        "0",
        "--volatility",
        "0",
        "--hedge-cost",
        "0",
        "--latency",
        "0",
    ];

    #[test]
    fn one_cell_json_and_text() {
        let mut args = FIVE.to_vec();
        args.push("--json");
        let out = run_on(&args, "");
        assert_eq!(out.code, 0, "{}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["action"], "internalize");
        assert_eq!(
            v.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["action", "reason", "hedge", "quote"]
        );
        assert_eq!(
            (v["hedge"].as_str(), v["quote"].as_str()),
            (Some("none"), Some("normal"))
        );
        let text = run_on(&FIVE, "");
        assert!(text.stdout.starts_with("action: internalize\nreason: "));
    }

    #[test]
    fn explain_adds_trace_and_boundaries() {
        let out = run_on(
            &[
                "policy",
                "--flow",
                "0.4",
                "--toxicity",
                "0.2",
                "--volatility",
                "0.5",
                "--hedge-cost",
                "0.3",
                "--latency",
                "0.1",
                "--explain",
                "--json",
            ],
            "",
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["action", "reason", "hedge", "quote", "trace", "boundaries"]
        );
        assert_eq!(v["trace"][0]["input"], "flow");
        assert_eq!(v["trace"][0]["threshold"].to_string(), "0.353");
        assert_eq!(v["trace"].as_array().unwrap().len(), 5);
        let tox = v["boundaries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["input"] == "toxicity")
            .unwrap();
        assert_eq!(
            (tox["at"].to_string().as_str(), tox["becomes"].as_str()),
            ("0.6", Some("full_hedge"))
        );
        // Without --explain nothing changes.
        let mut plain = FIVE.to_vec();
        plain.push("--json");
        let v: serde_json::Value = serde_json::from_str(&run_on(&plain, "").stdout).unwrap();
        assert!(v.get("trace").is_none());
    }

    #[test]
    fn bad_levels_name_the_field() {
        for (flag, value) in [
            ("--flow", "1.5"),
            ("--toxicity", "-0.1"),
            ("--volatility", "abc"),
            ("--hedge-cost", "0.0001"),
        ] {
            let mut args = FIVE.to_vec();
            let i = args.iter().position(|a| *a == flag).unwrap();
            args[i + 1] = value;
            let out = run_on(&args, "");
            assert_eq!((out.code, out.stdout.as_str()), (2, ""), "{flag}");
            assert_eq!(out.stderr.lines().count(), 1);
            assert!(out.stderr.contains(flag), "{}", out.stderr);
        }
        let out = run_on(&["policy", "--flow", "0", "--toxicity", "0"], "");
        assert_eq!((out.code, out.stdout.as_str()), (2, ""));
        assert!(out.stderr.contains("--latency"), "{}", out.stderr);
    }

    #[test]
    fn a_byte_order_mark_does_not_shorten_the_first_line() {
        let object = "{\"flow\":0,\"toxicity\":0,\"volatility\":0,\"hedge_cost\":0,\"latency\":0}";
        // A first line of exactly the limit (after the mark), then a second line.
        let first = format!(
            "\u{FEFF}{object}{}",
            " ".repeat(MAX_LINE_BYTES - object.len())
        );
        let out = run_on(&["policy", "--stdin"], &format!("{first}\n{object}\n"));
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(out.stdout.lines().count(), 2);
        // One byte over the limit is refused on line 1, not read on as line 2.
        let over = format!("{first} \n{object}\n");
        let out = run_on(&["policy", "--stdin"], &over);
        assert_eq!(out.code, 2);
        assert!(out.stderr.starts_with("error: line 1:"), "{}", out.stderr);
    }

    #[test]
    fn stdin_lines_in_order() {
        let input = "{\"flow\":0,\"toxicity\":0,\"volatility\":0,\"hedge_cost\":0,\"latency\":0}\n\n{\"latency\":1,\"flow\":0.5,\"toxicity\":0.25,\"volatility\":1e-1,\"hedge_cost\":1}\n";
        let out = run_on(&["policy", "--stdin"], input);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(lines.len(), 2);
        let second = Inputs {
            flow: 500,
            toxicity: 250,
            volatility: 100,
            hedge_cost: 1000,
            latency: 1000,
        };
        let v: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(v["action"], decide(&second).action.key());
        assert_eq!(v["hedge"], decide(&second).hedge.key());
        assert_eq!(v["quote"], decide(&second).quote.key());
    }

    #[test]
    fn stdin_levels_are_read_from_their_digits() {
        let line = |flow: &str| {
            format!("{{\"flow\":{flow},\"toxicity\":0.2,\"volatility\":0.5,\"hedge_cost\":0.3,\"latency\":0.1}}")
        };
        let plain = run_on(&["policy", "--stdin"], &line("0.5")).stdout;
        // Trailing zeros and exponents are the same level.
        for same in ["0.50", "5e-1", "0.500000", "50E-2"] {
            assert_eq!(
                run_on(&["policy", "--stdin"], &line(same)).stdout,
                plain,
                "{same}"
            );
        }
        // Through f64 this would be 0.1 and accepted; its digits say more than 3 decimals.
        let out = run_on(&["policy", "--stdin"], &line("0.1000000000000000001"));
        assert_eq!(out.code, 2, "{}", out.stdout);
        assert!(
            out.stderr.starts_with("error: line 1: `flow`: "),
            "{}",
            out.stderr
        );
    }

    #[test]
    fn stdin_errors_name_line_and_field() {
        for (input, needle) in [
            ("{\"flow\":0,\"toxicity\":0,\"volatility\":0,\"hedge_cost\":0}", "line 1: missing field `latency`"),
            ("{\"flow\":0,\"toxicity\":0,\"volatility\":0,\"hedge_cost\":0,\"latency\":0}\n{\"flow\":\"a\",\"toxicity\":0,\"volatility\":0,\"hedge_cost\":0,\"latency\":0}", "line 2: `flow`"),
            ("\n\n{\"flow\":0,\"toxicity\":2,\"volatility\":0,\"hedge_cost\":0,\"latency\":0}", "line 3: `toxicity`: 2 is out of range"),
            ("{\"flow\":0,\"toxicity\":0,\"volatility\":0,\"hedge_cost\":0,\"latency\":0,\"x\":1}", "line 1: unknown field `x`"),
            ("not json", "line 1: invalid JSON"),
            ("[1]", "line 1: expected a JSON object"),
        ] {
            let out = run_on(&["policy", "--stdin"], input);
            // The lines before the bad one were answered as they arrived.
            let answered = usize::from(needle.starts_with("line 2"));
            assert_eq!((out.code, out.stdout.lines().count()), (2, answered), "{input}");
            assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
            assert!(out.stderr.starts_with(&format!("error: {needle}")), "{}", out.stderr);
        }
    }

    #[test]
    fn stdin_answers_lines_before_a_bad_one_and_stops_there() {
        let good = "{\"flow\":0,\"toxicity\":0,\"volatility\":0,\"hedge_cost\":0,\"latency\":0}";
        let input = format!("{good}\n{good}\nnot json\n{good}\n");
        let out = run_on(&["policy", "--stdin"], &input);
        assert_eq!(out.code, 2);
        assert_eq!(out.stdout.lines().count(), 2);
        assert!(
            out.stderr.starts_with("error: line 3: invalid JSON"),
            "{}",
            out.stderr
        );
    }

    #[test]
    fn a_repeated_key_is_refused_by_name() {
        let out = run_on(
            &["policy", "--stdin"],
            "{\"flow\":0.1,\"flow\":0.9,\"toxicity\":0,\"volatility\":0,\"hedge_cost\":0,\"latency\":0}",
        );
        assert_eq!((out.code, out.stdout.as_str()), (2, ""));
        assert_eq!(out.stderr, "error: line 1: duplicate field `flow`\n");
        // Nested or unknown repeats are named too; the first repeat is the one reported.
        let out = run_on(
            &["policy", "--stdin"],
            "{\"x\":1,\"x\":2,\"latency\":0,\"latency\":0}",
        );
        assert_eq!(out.stderr, "error: line 1: duplicate field `x`\n");
    }

    #[test]
    fn stdin_lines_are_checked_as_bytes_and_bounded() {
        use super::super::tests::run_on_bytes;
        let good = b"{\"flow\":0,\"toxicity\":0,\"volatility\":0,\"hedge_cost\":0,\"latency\":0}";
        let bad = run_on_bytes(&["policy", "--stdin"], b"\n{\"flow\":\"caf\xFF\"}\n");
        assert_eq!(
            (bad.code, bad.stderr.as_str()),
            (
                2,
                "error: line 2: not UTF-8 text (byte 0xFF at column 13); send UTF-8\n"
            )
        );
        let bom = run_on_bytes(
            &["policy", "--stdin"],
            &[&b"\xEF\xBB\xBF"[..], good, b"\r\n"].concat(),
        );
        assert_eq!(
            (bom.code, bom.stdout.lines().count()),
            (0, 1),
            "{}",
            bom.stderr
        );
        // The longest line is accepted, with either line ending; one byte more is refused.
        let padded = |n: usize| [&good[..], &vec![b' '; n - good.len()]].concat();
        for ending in [&b"\n"[..], b"\r\n", b""] {
            let ok = run_on_bytes(
                &["policy", "--stdin"],
                &[padded(MAX_LINE_BYTES), ending.to_vec()].concat(),
            );
            assert_eq!(
                (ok.code, ok.stdout.lines().count()),
                (0, 1),
                "{}",
                ok.stderr
            );
        }
        let long = run_on_bytes(
            &["policy", "--stdin"],
            &[&good[..], b"\n", &padded(MAX_LINE_BYTES + 1), b"\n"].concat(),
        );
        assert_eq!(
            (long.code, long.stdout.lines().count(), long.stderr.as_str()),
            (
                2,
                1,
                "error: line 2: longer than the limit of 65,536 bytes per line\n"
            )
        );
    }

    proptest::proptest! {
        #[test]
        fn any_stdin_line_is_answered_or_refused_in_one_line(line in "\\PC{0,60}") {
            let out = run_on(&["policy", "--stdin"], &line);
            proptest::prop_assert!(out.code == 0 || (out.code == 2 && out.stdout.is_empty() && out.stderr.lines().count() == 1));
        }
    }
}

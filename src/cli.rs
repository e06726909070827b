//! The `dealer-book` command line, for authors checking a tape.
//!
//! `dealer-book replay PATH [--json]`. Exit status: 0 on success; 2 for an invalid tape or bad
//! usage, with one `error: ...` line on stderr and nothing on stdout; 1 when the file cannot be
//! read. Kept as a function from arguments and file text to output so it is tested in-process.

use std::fmt::Write as _;

use serde_json::{Map, Number, Value};

use crate::book::BandLimits;
use crate::format;
use crate::num::{Money, Qty};
use crate::pnl::{Bucket, Buckets};
use crate::replay::{replay, Replay, ReplayError, Replayer, StepReport};
use crate::tape::{Start, Step, Tape, TapeSink};

/// What a run printed and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// Exit status.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

const USAGE: &str = "usage: dealer-book replay PATH [--json]\n\n\
Replays an event tape and prints each step's book, band and PnL buckets with their worked\n\
calculations, then the decomposition. --json prints a machine-readable summary instead.\n\
Exit status: 0 ok, 1 file unreadable, 2 invalid tape or usage.\n";

fn fail(code: i32, message: String) -> Output {
    Output {
        code,
        stdout: String::new(),
        stderr: format!("error: {message}\n"),
    }
}

/// Runs the CLI. `args` excludes the program name; `read` loads a file.
pub fn run(args: &[String], read: impl Fn(&str) -> std::io::Result<String>) -> Output {
    let mut json = false;
    let mut positional = Vec::new();
    for a in args {
        match a.as_str() {
            "--json" => json = true,
            "-h" | "--help" => {
                return Output {
                    code: 0,
                    stdout: USAGE.to_string(),
                    stderr: String::new(),
                }
            }
            s if s.starts_with('-') && s != "-" => {
                return fail(2, format!("unknown option `{s}` (see --help)"))
            }
            s => positional.push(s),
        }
    }
    let path = match positional.as_slice() {
        ["replay", path] => *path,
        ["replay"] => return fail(2, "replay needs a tape PATH (see --help)".into()),
        [] => {
            return fail(
                2,
                "missing command; usage: dealer-book replay PATH [--json]".into(),
            )
        }
        [other, ..] if *other != "replay" => {
            return fail(2, format!("unknown command `{other}` (see --help)"))
        }
        _ => return fail(2, "too many arguments (see --help)".into()),
    };
    let text = match read(path) {
        Ok(t) => t,
        Err(e) => return fail(1, format!("{path}: cannot read: {e}")),
    };
    let stdout = if json {
        streamed_json_report(&text)
    } else {
        Tape::from_json(&text)
            .map_err(|e| e.to_string())
            .and_then(|tape| replay(&tape).map_err(|e| e.to_string()))
            .map(|report| text_report(&report))
    };
    let stdout = match stdout {
        Ok(s) => s,
        Err(e) => return fail(2, format!("{path}: {e}")),
    };
    Output {
        code: 0,
        stdout,
        stderr: String::new(),
    }
}

/// An exact JSON number from a fixed-point value's plain decimal text.
fn number(text: String) -> Value {
    // The text is always a valid JSON number (digits, optional '-', optional '.digits').
    text.parse::<Number>()
        .map(Value::Number)
        .unwrap_or(Value::String(text))
}

fn qty_number(q: Qty) -> Value {
    number(q.to_string())
}

fn money_number(m: Money) -> Value {
    number(m.to_string())
}

fn pnl_json(b: &Buckets) -> Value {
    let mut m = Map::new();
    for bucket in Bucket::ALL {
        m.insert(bucket.key().into(), money_number(b.get(bucket)));
    }
    m.insert("total".into(), money_number(b.total()));
    Value::Object(m)
}

/// One step of the `--json` report: the book, band and cumulative PnL after it.
fn step_json(s: &StepReport) -> Value {
    let mut m = Map::new();
    m.insert("title".into(), Value::String(s.title.clone()));
    m.insert("i_client".into(), qty_number(s.book.i_client));
    m.insert("h_external".into(), qty_number(s.book.h_external));
    m.insert("r_residual".into(), qty_number(s.book.r_residual()));
    m.insert("fair".into(), number(s.book.fair.to_string()));
    m.insert("band".into(), Value::String(s.band.name().into()));
    m.insert("pnl".into(), pnl_json(&s.pnl));
    Value::Object(m)
}

fn json_document(title: &str, steps: Vec<Value>) -> String {
    let mut root = Map::new();
    root.insert("title".into(), Value::String(title.to_string()));
    root.insert("steps".into(), Value::Array(steps));
    let mut s = serde_json::to_string_pretty(&Value::Object(root)).unwrap_or_default();
    s.push('\n');
    s
}

/// The `--json` report: title, and per step the book, band and cumulative PnL.
pub fn json_report(r: &Replay) -> String {
    json_document(&r.title, r.steps.iter().map(step_json).collect())
}

/// The `--json` report straight from tape text: each step is replayed as soon as it is read
/// and only its summary is kept, so memory stays near the size of the text. Same output and the
/// same errors as [`json_report`] after [`Tape::from_json`] and [`replay`].
pub fn streamed_json_report(text: &str) -> Result<String, String> {
    #[derive(Default)]
    struct Summaries {
        replayer: Option<Replayer>,
        steps: Vec<Value>,
        error: Option<ReplayError>,
    }
    impl TapeSink for Summaries {
        fn start(&mut self, start: &Start) {
            match Replayer::new(start, BandLimits::default()) {
                Ok(r) => self.replayer = Some(r),
                Err(e) => self.error = Some(e),
            }
        }
        fn step(&mut self, step: &Step) {
            if let (Some(r), None) = (&mut self.replayer, &self.error) {
                match r.step_totals(step) {
                    Ok(report) => self.steps.push(step_json(&report)),
                    Err(e) => self.error = Some(e),
                }
            }
        }
    }
    let mut sink = Summaries::default();
    let head = crate::tape::read(text, &mut sink).map_err(|e| e.to_string())?;
    match sink.error {
        Some(e) => Err(e.to_string()),
        None => Ok(json_document(&head.title, sink.steps)),
    }
}

/// The human-readable report: one block per step, then the decomposition table.
pub fn text_report(r: &Replay) -> String {
    let d = r.qty_decimals;
    let mut out = String::new();
    let _ = writeln!(out, "{}", r.title);
    let _ = writeln!(
        out,
        "start: I_client {}  H_external {}  R_residual {}  fair {}\n",
        format::btc_signed(r.start.i_client, d),
        format::btc_signed(r.start.h_external, d),
        format::btc_signed(r.start.r_residual(), d),
        format::price(r.start.fair)
    );
    for (i, s) in r.steps.iter().enumerate() {
        let _ = writeln!(out, "Step {}: {}", i + 1, s.title);
        for ev in &s.events {
            let _ = writeln!(out, "  - {}", ev.event.describe());
            if let Some(c) = &ev.contribution {
                let _ = writeln!(out, "      {:<27} {}", c.bucket.label(), c);
            }
        }
        let _ = writeln!(
            out,
            "  book: I_client {}  H_external {}  R_residual {}  fair {}{}  band {}",
            format::btc_signed(s.book.i_client, d),
            format::btc_signed(s.book.h_external, d),
            format::btc_signed(s.book.r_residual(), d),
            format::price(s.book.fair),
            if s.book.is_stale() {
                format!(" (quotes on stale {})", format::price(s.book.quote_ref))
            } else {
                String::new()
            },
            s.band.name()
        );
        let _ = writeln!(out, "  PnL so far: {}\n", format::money(s.pnl.total()));
    }
    let _ = writeln!(out, "PnL decomposition");
    let mut rows: Vec<(&str, String)> = Bucket::ALL
        .iter()
        .map(|&b| (b.label(), r.bucket_sum_line(b)))
        .collect();
    rows.push(("Net", r.net_sum_line()));
    for (label, line) in rows {
        let _ = writeln!(out, "  {label:<27} {line}");
    }
    let mtm = r.steps.last().map(|s| s.mark_to_market).unwrap_or_default();
    let _ = writeln!(
        out,
        "  {:<27} {}",
        "Mark-to-market check",
        format::money(mtm)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_on(args: &[&str], text: &str) -> Output {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let text = text.to_string();
        run(&args, move |_| Ok(text.clone()))
    }

    #[test]
    fn usage_errors_exit_2() {
        assert_eq!(run_on(&[], "").code, 2);
        assert_eq!(run_on(&["replay"], "").code, 2);
        assert_eq!(run_on(&["replay", "a", "b"], "").code, 2);
        assert_eq!(run_on(&["replay", "a", "--yaml"], "").code, 2);
        assert_eq!(run_on(&["--help"], "").code, 0);
        for args in [
            &[][..],
            &["replay"],
            &["replay", "a", "b"],
            &["replay", "a", "--yaml"],
            &["play", "a"],
        ] {
            let out = run_on(args, "");
            assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {}", out.stderr);
            assert_eq!(out.stdout, "");
        }
    }

    #[test]
    fn unreadable_file_exits_1() {
        let out = run(&["replay".into(), "nope.json".into()], |_| {
            Err(std::io::Error::other("gone"))
        });
        assert_eq!((out.code, out.stdout.as_str()), (1, ""));
        assert_eq!(out.stderr, "error: nope.json: cannot read: gone\n");
    }

    /// The streamed `--json` report and the one built from a whole replay agree, errors included.
    fn same_json(text: &str) {
        let whole = Tape::from_json(text)
            .map_err(|e| e.to_string())
            .and_then(|t| replay(&t).map_err(|e| e.to_string()))
            .map(|r| json_report(&r));
        assert_eq!(streamed_json_report(text), whole, "{text}");
    }

    #[test]
    fn streamed_json_matches_the_whole_replay() {
        same_json(crate::CHAPTER_TAPE);
        same_json(&crate::tape::synthetic::tape(3_000, 250).to_json());
        // A tape error after an engine overflow still wins, as when the tape was read first.
        let huge = r#"{"type":"client_sell","qty":1000000,"price":1000000000}"#;
        let many = vec![huge; 1001].join(",");
        same_json(&format!(
            r#"{{"title":"t","start":{{"fair":1,"i_client":1000000}},"steps":[{{"title":"a","events":[{many}]}},{{"title":"b","events":[{{"type":"refresh","x":1}}]}}]}}"#
        ));
        same_json(&format!(
            r#"{{"title":"t","start":{{"fair":1,"i_client":1000000}},"steps":[{{"title":"a","events":[{many}]}}]}}"#
        ));
        // Steps before start.
        same_json(
            r#"{"steps":[{"title":"a","events":[{"type":"fair","price":2}]}],"title":"t","start":{"fair":1,"i_client":1}}"#,
        );
    }

    proptest::proptest! {
        #[test]
        fn streamed_json_matches_on_mangled_tapes(cut in 0usize..2000, insert in "[\\[\\]{}\",:0-9a-z.eE+-]{0,6}") {
            let chapter = crate::CHAPTER_TAPE;
            let cut = cut.min(chapter.len());
            same_json(&format!("{}{}{}", &chapter[..cut], insert, &chapter[cut..]));
        }
    }

    #[test]
    fn invalid_tape_is_one_line_on_stderr() {
        let tape = r#"{"title":"t","start":{"fair":1},"steps":[{"title":"a","events":[{"type":"fair","price":2},{"type":"client_buy","qty":-1,"price":2}]}]}"#;
        let out = run_on(&["replay", "t.json", "--json"], tape);
        assert_eq!(out.code, 2);
        assert_eq!(out.stdout, "");
        assert_eq!(
            out.stderr,
            "error: t.json: step 1, event 2: qty must be positive\n"
        );
    }
}

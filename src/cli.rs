//! The `dealer-book` command line, for authors checking a tape.
//!
//! `dealer-book replay PATH [--json]`. Exit status: 0 on success; 2 for an invalid tape or bad
//! usage, with one `error: ...` line on stderr and nothing on stdout; 1 when the file cannot be
//! read. Kept as a function from arguments and file text to output so it is tested in-process.

use std::fmt::Write as _;

use serde_json::{Map, Number, Value};

use crate::format;
use crate::num::{Money, Qty};
use crate::pnl::{Bucket, Buckets};
use crate::replay::{replay, Replay};
use crate::tape::Tape;

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
    let tape = match Tape::from_json(&text) {
        Ok(t) => t,
        Err(e) => return fail(2, format!("{path}: {e}")),
    };
    let report = match replay(&tape) {
        Ok(r) => r,
        Err(e) => return fail(2, format!("{path}: {e}")),
    };
    let stdout = if json {
        json_report(&report)
    } else {
        text_report(&report)
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

/// The `--json` report: title, and per step the book, band and cumulative PnL.
pub fn json_report(r: &Replay) -> String {
    let steps: Vec<Value> = r
        .steps
        .iter()
        .map(|s| {
            let mut m = Map::new();
            m.insert("title".into(), Value::String(s.title.clone()));
            m.insert("i_client".into(), qty_number(s.book.i_client));
            m.insert("h_external".into(), qty_number(s.book.h_external));
            m.insert("r_residual".into(), qty_number(s.book.r_residual()));
            m.insert("fair".into(), number(s.book.fair.to_string()));
            m.insert("band".into(), Value::String(s.band.name().into()));
            m.insert("pnl".into(), pnl_json(&s.pnl));
            Value::Object(m)
        })
        .collect();
    let mut root = Map::new();
    root.insert("title".into(), Value::String(r.title.clone()));
    root.insert("steps".into(), Value::Array(steps));
    root.insert("risk".into(), crate::export::risk_json(r));
    let mut s = serde_json::to_string_pretty(&Value::Object(root)).unwrap_or_default();
    s.push('\n');
    s
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

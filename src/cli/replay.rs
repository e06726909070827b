//! `dealer-book replay PATH [--json]`: replays an event tape and prints each step's book, band
//! and PnL buckets with their worked calculations, then the decomposition; `--json` prints a
//! machine-readable summary instead. Exit status: 0 ok, 1 file unreadable, 2 invalid tape.

use std::fmt::Write as _;

use clap::Args;
use serde_json::{Map, Value};

use super::{number, Io, Output};
use crate::format;
use crate::num::{Money, Qty};
use crate::pnl::{Bucket, Buckets};
use crate::replay::{replay, Replay};
use crate::tape::Tape;

/// Arguments of `replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The tape file (JSON).
    #[arg(value_name = "PATH")]
    pub path: String,
}

/// Runs `replay`.
pub fn run(args: &ReplayArgs, json: bool, io: &dyn Io) -> Output {
    let path = args.path.as_str();
    let text = match io.read_file(path) {
        Ok(t) => t,
        Err(e) => return Output::fail(1, format!("{path}: cannot read: {e}")),
    };
    let tape = match Tape::from_json(&text) {
        Ok(t) => t,
        Err(e) => return Output::fail(2, format!("{path}: {e}")),
    };
    let report = match replay(&tape) {
        Ok(r) => r,
        Err(e) => return Output::fail(2, format!("{path}: {e}")),
    };
    Output::ok(if json {
        json_report(&report)
    } else {
        text_report(&report)
    })
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
    use super::super::tests::run_on;
    use super::*;

    #[test]
    fn unreadable_file_exits_1() {
        struct Gone;
        impl Io for Gone {
            fn read_file(&self, _: &str) -> std::io::Result<String> {
                Err(std::io::Error::other("gone"))
            }
            fn read_stdin(&self) -> std::io::Result<String> {
                Err(std::io::Error::other("gone"))
            }
        }
        let out = super::super::run(&["replay".into(), "nope.json".into()], &Gone);
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

    #[test]
    fn chapter_tape_replays() {
        let out = run_on(&["replay", "c.json"], crate::CHAPTER_TAPE);
        assert_eq!(out.code, 0);
        assert!(out.stdout.contains("Mark-to-market check"));
    }
}

//! `dealer-book replay PATH [--hedge-rule none|band|flat] [--hedge-cost USD]
//! [--regime calm|normal|stressed] [--json]`: replays
//! an event tape and prints each step's book, band and PnL buckets with their worked
//! calculations, then the decomposition and the path's risk; `--json` prints a machine-readable
//! summary instead (with a `"risk"` block). With `--hedge-rule`, the tape's hedges are replaced
//! by the rule's ([`dealer_book::hedge_rule`]), hedging at fresh fair ± `--hedge-cost` (default 50 USD
//! per BTC), and the JSON gains top-level `"hedge_rule"` and `"hedge_cost"`. `--regime` (default
//! normal, whose output is the chapter's) sets the band limits every step is judged against and
//! the green limit the `band` rule hedges to (the limits hold a constant dollar risk: calm 2.0 /
//! 5.0 BTC, normal 1.0 / 2.5, stressed 0.4 / 1.0).
//! Exit status: 0 ok, 1 file unreadable, 2 invalid tape or flag.

use std::fmt::Write as _;

use clap::Args;
use serde::Serialize;

use super::{Io, Output};
use dealer_book::book::BandLimits;
use dealer_book::export::{pretty, StepTotals};
use dealer_book::format;
use dealer_book::hedge_rule::{counterfactual, HedgeRule, DEFAULT_HEDGE_COST, MAX_HEDGE_COST};
use dealer_book::num::{parse_decimal, Price};
use dealer_book::pnl::Bucket;
use dealer_book::quote::{regime_limits, Regime};
use dealer_book::replay::{replay_with, Replay};
use dealer_book::tape::Tape;

/// Arguments of `replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The tape file (JSON).
    #[arg(value_name = "PATH")]
    pub path: String,
    /// Replace the tape's hedges by a rule: none (never hedge), band (back to ±1.0 BTC when
    /// outside it) or flat (R_residual to 0 after every customer fill); tape keeps them.
    #[arg(long = "hedge-rule", value_name = "RULE", value_parser = parse_rule)]
    pub hedge_rule: Option<HedgeRule>,
    /// Cost of a rule hedge in USD per BTC (fills at fair + cost buying, fair - cost selling).
    #[arg(long = "hedge-cost", value_name = "USD", allow_negative_numbers = true, value_parser = parse_cost)]
    pub hedge_cost: Option<Price>,
    /// Volatility regime whose band limits the steps are judged against and the band rule
    /// hedges to: calm, normal or stressed.
    #[arg(long, value_name = "REGIME", value_parser = parse_regime, default_value = "normal")]
    pub regime: Regime,
}

/// `--regime`: `calm`, `normal` or `stressed`.
pub(crate) fn parse_regime(s: &str) -> Result<Regime, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("expected {}", super::one_of(&Regime::ALL.map(Regime::name))))
}

/// `--hedge-rule`: `tape`, `none`, `band` or `flat`.
pub(crate) fn parse_rule(s: &str) -> Result<HedgeRule, String> {
    s.trim().parse().map_err(|_| {
        format!(
            "expected {}",
            super::one_of(&HedgeRule::ALL.map(HedgeRule::key))
        )
    })
}

/// `--hedge-cost`: dollars per BTC, 0 to 1,000,000,000, at most 2 decimals.
pub(crate) fn parse_cost(s: &str) -> Result<Price, String> {
    const MSG: &str = "must be from 0 to 1000000000 USD per BTC with at most 2 decimals";
    match parse_decimal(s.trim(), 2, MAX_HEDGE_COST.cents() as i128) {
        Ok(c) if c >= 0 => Ok(Price::from_cents(c as i64)),
        _ => Err(MSG.to_string()),
    }
}

/// Reads and parses a tape file: exit 1 when unreadable, 2 when invalid (over the size limit,
/// not UTF-8, or not a valid tape).
pub(crate) fn read_tape(path: &str, io: &dyn Io) -> Result<Tape, Output> {
    let text = super::read_text(path, io)?;
    Tape::from_json(&text).map_err(|e| Output::fail(2, format!("{path}: {e}")))
}

/// Runs `replay`.
pub fn run(args: &ReplayArgs, json: bool, io: &dyn Io) -> Output {
    let path = args.path.as_str();
    let limits = regime_limits(&BandLimits::default(), args.regime);
    if json && args.hedge_rule.is_none() {
        // Plain `--json` streams: each step is replayed as it is read, only its totals kept.
        let text = match super::read_text(path, io) {
            Ok(t) => t,
            Err(out) => return out,
        };
        return match streamed_json_report_with(&text, limits) {
            Ok(s) => Output::ok(s),
            Err(e) => Output::fail(2, format!("{path}: {e}")),
        };
    }
    let tape = match read_tape(path, io) {
        Ok(t) => t,
        Err(out) => return out,
    };
    let cost = args.hedge_cost.unwrap_or(DEFAULT_HEDGE_COST);
    let rule = args.hedge_rule.map(|r| (r, cost));
    let tape = match rule {
        Some((r, c)) => counterfactual(&tape, r, c, args.regime),
        None => tape,
    };
    let report = match replay_with(&tape, limits) {
        Ok(r) => r,
        Err(e) => return Output::fail(2, format!("{path}: {e}")),
    };
    Output::ok(if json {
        json_report_with(&report, rule)
    } else {
        let mut text = String::new();
        if let Some((r, c)) = rule {
            let _ = writeln!(
                text,
                "Hedge rule: {} ({}); the tape's hedges are replaced, rule hedges cost {} per BTC.\n",
                r.key(),
                r.label().to_lowercase(),
                format::price(c)
            );
        }
        text.push_str(&text_report(&report));
        text
    })
}

/// The `--json` report: title, and per step the book, band and cumulative PnL, then the risk.
pub fn json_report(r: &Replay) -> String {
    json_report_with(r, None)
}

/// The `--json` report: the title, the rule that replaced the hedges (if any), each step's
/// totals and the path's risk.
#[derive(Serialize)]
struct Report<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hedge_rule: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hedge_cost: Option<Price>,
    steps: Vec<StepTotals<'a>>,
    risk: dealer_book::risk::Risk,
}

/// The `--json` report straight from tape text: each step is replayed as soon as it is read
/// and only its summary is kept, so memory stays near the size of the text. Same output and the
/// same errors as [`json_report`] after [`Tape::from_json`] and [`replay`](dealer_book::replay::replay).
pub fn streamed_json_report(text: &str) -> Result<String, String> {
    streamed_json_report_with(text, BandLimits::default())
}

/// [`streamed_json_report`] with the given band limits.
pub fn streamed_json_report_with(text: &str, limits: BandLimits) -> Result<String, String> {
    use dealer_book::replay::{ReplayError, Replayer};
    use dealer_book::tape::{Start, Step, TapeSink};
    struct Summaries {
        limits: BandLimits,
        replayer: Option<Replayer>,
        steps: Vec<dealer_book::replay::StepReport>,
        error: Option<ReplayError>,
    }
    impl TapeSink for Summaries {
        fn start(&mut self, start: &Start) {
            match Replayer::new(start, self.limits) {
                Ok(r) => self.replayer = Some(r),
                Err(e) => self.error = Some(e),
            }
        }
        fn step(&mut self, step: &Step) {
            if let (Some(r), None) = (&mut self.replayer, &self.error) {
                match r.step_totals(step) {
                    Ok(report) => self.steps.push(report),
                    Err(e) => self.error = Some(e),
                }
            }
        }
    }
    let mut sink = Summaries {
        limits,
        replayer: None,
        steps: Vec::new(),
        error: None,
    };
    let head = dealer_book::tape::read(text, &mut sink).map_err(|e| e.to_string())?;
    if let Some(e) = sink.error {
        return Err(e.to_string());
    }
    let risk = sink.replayer.as_ref().map(|r| r.risk()).unwrap_or_default();
    // The totals kept per step are a small fraction of a JSON tree's size; each step becomes
    // JSON only while it is written.
    Ok(pretty(&Report {
        title: &head.title,
        hedge_rule: None,
        hedge_cost: None,
        steps: sink.steps.iter().map(StepTotals::of).collect(),
        risk,
    }))
}

/// The `--json` report, with `"hedge_rule"` and `"hedge_cost"` when a rule replaced the hedges.
pub fn json_report_with(r: &Replay, rule: Option<(HedgeRule, Price)>) -> String {
    pretty(&Report {
        title: &r.title,
        hedge_rule: rule.map(|(rule, _)| rule.key()),
        hedge_cost: rule.map(|(_, cost)| cost),
        steps: r.steps.iter().map(StepTotals::of).collect(),
        risk: r.risk(),
    })
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
            let _ = writeln!(
                out,
                "  - {}",
                dealer_book::explain::event::describe(&ev.event)
            );
            if let Some(c) = &ev.contribution {
                let _ = writeln!(
                    out,
                    "      {:<27} {}",
                    c.bucket.label(),
                    dealer_book::explain::pnl::worked(c)
                );
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
        .map(|&b| {
            (
                b.label(),
                dealer_book::explain::replay::bucket_sum_line(r, b),
            )
        })
        .collect();
    rows.push(("Net", dealer_book::explain::replay::net_sum_line(r)));
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
    let k = r.risk();
    let _ = writeln!(
        out,
        "Risk: largest |R_residual| {} BTC; worst drawdown {}",
        format::qty(k.max_abs_r_residual),
        format::money(k.worst_drawdown).trim_start_matches('+')
    );
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::run_on;
    use super::*;
    use serde_json::Value;

    #[test]
    fn unreadable_file_exits_1() {
        struct Gone;
        impl Io for Gone {
            fn open(&self, _: &str) -> std::io::Result<super::super::Opened<'_>> {
                Err(std::io::Error::other("gone"))
            }
            fn stdin(&self) -> Box<dyn std::io::BufRead + '_> {
                Box::new(std::io::empty())
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
    fn hedge_rules_on_the_chapter_tape() {
        let net = |args: &[&str]| {
            let out = run_on(args, dealer_book::CHAPTER_TAPE);
            assert_eq!((out.code, out.stderr.as_str()), (0, ""), "{args:?}");
            let v: Value = serde_json::from_str(&out.stdout).unwrap();
            (v["steps"][4]["pnl"]["total"].to_string(), v)
        };
        let (n, v) = net(&["replay", "c.json", "--hedge-rule", "none", "--json"]);
        assert_eq!(n, "-1485");
        assert_eq!(
            (v["hedge_rule"].as_str(), v["hedge_cost"].to_string()),
            (Some("none"), "50".into())
        );
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["title", "hedge_rule", "hedge_cost", "steps", "risk"]);
        assert_eq!(net(&["replay", "c.json", "--json"]).0, "-2575");
        assert_eq!(
            net(&[
                "replay",
                "c.json",
                "--json",
                "--hedge-rule",
                "flat",
                "--hedge-cost",
                "0"
            ])
            .0,
            "-1675"
        );
        let (n, v) = net(&[
            "replay",
            "c.json",
            "--json",
            "--hedge-rule",
            "band",
            "--hedge-cost",
            "12.5",
        ]);
        assert_eq!(n, "-2418.75"); // 3.5 BTC hedged at $12.50 instead of $50: -2,550 + 131.25
        assert_eq!(v["hedge_cost"].to_string(), "12.5");
        // Peak +$130 after the second buy, trough -$2,718.75 after the stale fill and its hedge.
        assert_eq!(
            v["risk"].to_string(),
            r#"{"max_abs_r_residual":3,"worst_drawdown":2848.75}"#
        );
        let (_, plain) = net(&["replay", "c.json", "--json"]);
        assert!(plain.get("hedge_rule").is_none());
    }

    #[test]
    fn bad_rule_or_cost_exit_2_with_one_line() {
        for args in [
            &["replay", "c.json", "--hedge-rule", "sometimes"][..],
            &[
                "replay",
                "c.json",
                "--hedge-rule",
                "band",
                "--hedge-cost",
                "-5",
            ],
            &["replay", "c.json", "--hedge-cost", "abc"],
            &["replay", "c.json", "--hedge-cost", "0.001"],
        ] {
            let out = run_on(args, dealer_book::CHAPTER_TAPE);
            assert_eq!(out.code, 2, "{args:?}");
            assert_eq!(out.stdout, "");
            assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
            assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
        }
    }

    /// The streamed `--json` report and the one built from a whole replay agree, errors included.
    fn same_json(text: &str) {
        let whole = Tape::from_json(text)
            .map_err(|e| e.to_string())
            .and_then(|t| dealer_book::replay::replay(&t).map_err(|e| e.to_string()))
            .map(|r| json_report(&r));
        assert_eq!(streamed_json_report(text), whole, "{text}");
    }

    #[test]
    fn streamed_json_matches_the_whole_replay() {
        same_json(dealer_book::CHAPTER_TAPE);
        same_json(&dealer_book::tape::synthetic::tape(3_000, 250).to_json());
        same_json(
            r#"{"title":"t","start":{"fair":1},"steps":[{"title":"a","events":[{"type":"client_buy","qty":0,"price":1}]}]}"#,
        );
        same_json("{");
    }

    #[test]
    fn the_regime_sets_the_band_and_the_band_rule() {
        let normal = run_on(&["replay", "c.json", "--json"], dealer_book::CHAPTER_TAPE);
        let explicit = run_on(
            &["replay", "c.json", "--json", "--regime", "normal"],
            dealer_book::CHAPTER_TAPE,
        );
        assert_eq!(normal.stdout, explicit.stdout);
        let stressed = run_on(
            &[
                "replay",
                "c.json",
                "--hedge-rule",
                "band",
                "--regime",
                "stressed",
                "--json",
            ],
            dealer_book::CHAPTER_TAPE,
        );
        assert_eq!(stressed.code, 0, "{}", stressed.stderr);
        let v: Value = serde_json::from_str(&stressed.stdout).unwrap();
        // Stressed green limit 0.4 BTC: step 1's -1 BTC is hedged back to -0.4.
        assert_eq!(v["steps"][0]["r_residual"].to_string(), "-0.4");
        let bad = run_on(
            &["replay", "c.json", "--regime", "wild"],
            dealer_book::CHAPTER_TAPE,
        );
        assert_eq!(bad.code, 2);
    }

    #[test]
    fn chapter_tape_replays() {
        let out = run_on(&["replay", "c.json"], dealer_book::CHAPTER_TAPE);
        assert_eq!(out.code, 0);
        assert!(out.stdout.contains("Mark-to-market check"));
    }
}

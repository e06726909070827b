//! `dealer-book simulate PATH --paths N --seed S [--hedge-rule tape|none|band|flat]
//! [--hedge-cost USD] [--regime calm|normal|stressed] [--json]`: many paths of a tape with drawn
//! fair moves ([`dealer_book::simulate`] documents the model), summarized. `--json` prints exactly
//! `{"paths","seed","hedge_rule","hedge_cost","regime","total":{"mean","stdev","p05","p50","p95",
//! "stderr"},"buckets":{"<bucket>":{"mean","stdev"}},"risk":{"max_abs_r_residual":{"mean","p95"},
//! "worst_drawdown":{"mean","p95"}},"exact":{"mean","stdev"}}` (dollars and BTC as JSON numbers,
//! statistics to the cent; `stderr` is the standard error of the mean; `exact` is the model's
//! closed-form mean and standard deviation, omitted where it gives none). `--regime` sets the
//! volatility of the drawn moves and the green limit the `band` rule hedges to.
//! The same seed prints the same bytes. Exit status: 0 ok, 1 file unreadable, 2 invalid tape or
//! flag (`--paths` 0 or above 10,000,000, a negative cost, an unknown rule or regime).
//!
//! When stderr is a terminal, a long run shows its progress there on one line, rewritten about
//! every half second (`simulating: 1,200,000 of 10,000,000 paths`) and cleared before the
//! summary; in a pipe, a file or a test nothing is written.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use clap::Args;

use super::replay::{parse_cost, parse_regime, parse_rule, read_tape};
use super::{Io, Output};
use dealer_book::export::summary_json;
use dealer_book::format;
use dealer_book::hedge_rule::{HedgeRule, DEFAULT_HEDGE_COST};
use dealer_book::num::Price;
use dealer_book::pnl::Bucket;
use dealer_book::quote::Regime;
use dealer_book::simulate::{simulate_with_progress, SimParams, Summary};

/// Arguments of `simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The tape file (JSON).
    #[arg(value_name = "PATH")]
    pub path: String,
    /// Number of simulated paths, 1 to 10,000,000.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub paths: i64,
    /// Seed of the random moves: the same seed prints the same output.
    #[arg(long, value_name = "S")]
    pub seed: u64,
    /// tape (the tape's own hedges), none, band or flat.
    #[arg(long = "hedge-rule", value_name = "RULE", value_parser = parse_rule, default_value = "tape")]
    pub hedge_rule: HedgeRule,
    /// Cost of a rule hedge in USD per BTC (default 50).
    #[arg(long = "hedge-cost", value_name = "USD", allow_negative_numbers = true, value_parser = parse_cost)]
    pub hedge_cost: Option<Price>,
    /// Volatility regime of the drawn moves: calm, normal or stressed.
    #[arg(long, value_name = "REGIME", value_parser = parse_regime, default_value = "normal")]
    pub regime: Regime,
}

/// Runs `simulate`.
pub fn run(args: &SimulateArgs, json: bool, io: &dyn Io) -> Output {
    let paths = match usize::try_from(args.paths) {
        Ok(n) if (1..=dealer_book::simulate::MAX_PATHS).contains(&n) => n,
        _ => {
            return Output::fail(
                2,
                format!(
                    "--paths must be a whole number from 1 to 10,000,000 (got {})",
                    args.paths
                ),
            )
        }
    };
    let tape = match read_tape(&args.path, io) {
        Ok(t) => t,
        Err(out) => return out,
    };
    let params = SimParams {
        paths,
        seed: args.seed,
        rule: args.hedge_rule,
        cost: args.hedge_cost.unwrap_or(DEFAULT_HEDGE_COST),
        regime: args.regime,
    };
    let mut progress = Progress::new(io.progress(), paths, Duration::from_millis(500));
    let result = simulate_with_progress(&tape, params, &mut |done| progress.tick(done));
    progress.finish();
    match result {
        Ok(s) if json => Output::ok(summary_json(&s)),
        Ok(s) => Output::ok(text_summary(&s)),
        Err(e) => Output::fail(2, format!("{}: {e}", args.path)),
    }
}

/// One `\r`-rewritten progress line on a terminal: shown after the first interval, rewritten at
/// most once per interval, blanked out at the end. Without a terminal it does nothing.
struct Progress<'a> {
    out: Option<Box<dyn std::io::Write + 'a>>,
    paths: usize,
    every: Duration,
    next: Instant,
    shown: usize,
}

impl<'a> Progress<'a> {
    fn new(out: Option<Box<dyn std::io::Write + 'a>>, paths: usize, every: Duration) -> Self {
        Progress {
            out,
            paths,
            every,
            next: Instant::now() + every,
            shown: 0,
        }
    }

    /// `done` paths are finished.
    fn tick(&mut self, done: usize) {
        let Some(out) = self.out.as_mut() else {
            return;
        };
        let now = Instant::now();
        if now < self.next {
            return;
        }
        self.next = now + self.every;
        let line = format!(
            "simulating: {} of {} paths",
            format::count(done as u64),
            format::count(self.paths as u64)
        );
        // Pad over a longer previous line; a terminal that is gone is not worth an error.
        let pad = self.shown.saturating_sub(line.len());
        let _ = write!(out, "\r{line}{:pad$}", "").and_then(|()| out.flush());
        self.shown = self.shown.max(line.len());
    }

    /// Blanks the line out, so the summary or an error starts on a clean line.
    fn finish(mut self) {
        if let (Some(out), n) = (self.out.as_mut(), self.shown) {
            if n > 0 {
                let _ = write!(out, "\r{:n$}\r", "").and_then(|()| out.flush());
            }
        }
    }
}

/// The readable summary.
fn text_summary(s: &Summary) -> String {
    let p = &s.params;
    let m = |x| format::money(x);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} paths, seed {}, hedge rule {}, hedge cost {} per BTC, {} regime",
        format::count(p.paths as u64),
        p.seed,
        p.rule.key(),
        format::price(p.cost),
        p.regime.name()
    );
    let t = &s.total;
    let _ = writeln!(
        out,
        "Total PnL: mean {} (standard error {}), stdev {}, 5th percentile {}, median {}, 95th percentile {}",
        m(t.mean),
        format::amount(t.stderr),
        m(t.stdev).trim_start_matches('+'),
        m(t.p05),
        m(t.p50),
        m(t.p95)
    );
    if let Some(e) = s.exact {
        let _ = writeln!(
            out,
            "Exact under the model: mean {}, stdev {}",
            m(e.mean),
            m(e.stdev).trim_start_matches('+')
        );
    }
    for (b, sp) in Bucket::ALL.iter().zip(&s.buckets) {
        let _ = writeln!(
            out,
            "  {:<27} mean {}, stdev {}",
            b.label(),
            m(sp.mean),
            m(sp.stdev).trim_start_matches('+')
        );
    }
    let _ = writeln!(
        out,
        "Risk: largest |R_residual| mean {} BTC, 95th percentile {} BTC; worst drawdown mean {}, 95th percentile {}",
        format::qty(s.max_abs_r_residual.0),
        format::qty(s.max_abs_r_residual.1),
        m(s.worst_drawdown.0).trim_start_matches('+'),
        m(s.worst_drawdown.1).trim_start_matches('+')
    );
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::run_on;
    use serde_json::Value;

    fn sim(args: &[&str]) -> super::Output {
        let mut all = vec!["simulate", "c.json"];
        all.extend_from_slice(args);
        run_on(&all, dealer_book::CHAPTER_TAPE)
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let with_seed = |seed| {
            sim(&[
                "--paths",
                "3000",
                "--seed",
                seed,
                "--hedge-rule",
                "band",
                "--json",
            ])
        };
        let a = with_seed("9");
        assert_eq!((a.code, a.stderr.as_str()), (0, ""));
        assert_eq!(a.stdout, with_seed("9").stdout);
        assert_ne!(a.stdout, with_seed("10").stdout);
        let v: Value = serde_json::from_str(&a.stdout).unwrap();
        assert_eq!(v["paths"], 3000);
        assert_eq!(v["seed"], 9);
        assert_eq!(v["hedge_rule"], "band");
        assert_eq!(v["regime"], "normal");
        // The band rule's hedges follow the stale fill's side, so its hedge cost varies.
        assert!(v["buckets"]["hedge_cost"]["mean"].as_f64().unwrap() < 0.0);
        assert!(v["buckets"]["toxic_markout"]["mean"].as_f64().unwrap() < 0.0);
        let (mean, se) = (
            v["total"]["mean"].as_f64().unwrap(),
            v["total"]["stderr"].as_f64().unwrap(),
        );
        let exact = v["exact"]["mean"].as_f64().unwrap();
        assert!(
            se > 0.0 && (mean - exact).abs() < 5.0 * se,
            "{mean} {exact} {se}"
        );
    }

    #[test]
    fn defaults_and_text() {
        let out = sim(&["--paths", "100", "--seed", "1"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.starts_with(
            "100 paths, seed 1, hedge rule tape, hedge cost $50 per BTC, normal regime\n"
        ));
        assert!(out
            .stdout
            .contains("External hedge cost         mean -$200, stdev $0"));
        let out = sim(&[
            "--paths", "100", "--seed", "1", "--regime", "stressed", "--json",
        ]);
        let v: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["regime"], "stressed");
    }

    #[test]
    fn progress_is_one_rewritten_line_then_blank() {
        use std::cell::RefCell;
        use std::rc::Rc;
        #[derive(Clone, Default)]
        struct Shared(Rc<RefCell<Vec<u8>>>);
        impl std::io::Write for Shared {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.borrow_mut().extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let seen = Shared::default();
        let mut p = super::Progress::new(
            Some(Box::new(seen.clone())),
            1_000_000,
            std::time::Duration::ZERO,
        );
        p.tick(999_424);
        p.tick(4_096); // shorter: padded over the longer line
        p.finish();
        let text = String::from_utf8(seen.0.borrow().clone()).unwrap();
        let long = "simulating: 999,424 of 1,000,000 paths";
        assert_eq!(
            text,
            format!(
                "\r{long}\rsimulating: 4,096 of 1,000,000 paths  \r{}\r",
                " ".repeat(long.len())
            )
        );
        // Not a terminal: nothing at all.
        let mut quiet = super::Progress::new(None, 10, std::time::Duration::ZERO);
        quiet.tick(5);
        quiet.finish();
    }

    #[test]
    fn refusals_exit_2_with_one_line() {
        for args in [
            &["--paths", "0", "--seed", "1"][..],
            &["--paths", "10000001", "--seed", "1"],
            &["--paths", "-3", "--seed", "1"],
            &["--paths", "10", "--seed", "1", "--hedge-cost", "-1"],
            &["--paths", "10", "--seed", "1", "--hedge-rule", "sometimes"],
            &["--paths", "10", "--seed", "1", "--regime", "panic"],
            &["--paths", "10"],
            &["--seed", "1"],
        ] {
            let out = sim(args);
            assert_eq!(out.code, 2, "{args:?}");
            assert_eq!(out.stdout, "", "{args:?}");
            assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {}", out.stderr);
            assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
        }
        assert_eq!(
            sim(&["--paths", "0", "--seed", "1"]).stderr,
            "error: --paths must be a whole number from 1 to 10,000,000 (got 0)\n"
        );
    }
}

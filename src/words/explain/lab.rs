//! The hedge lab in words: what a comparison holds fixed, what "As written" is, each rule's
//! figures with their precision (exact values to the dollar, simulated ones with their standard
//! error), and the ranking by certainty equivalent with the break-even risk aversions.

use crate::engine::hedge_rule::HedgeRule;
use crate::engine::lab::{
    best_rule, certainty_equivalent, switches, Distribution, RulePoint, LAB_RULES,
};
use crate::engine::num::Money;
use crate::engine::stats::from_cents;
use crate::words::format;

/// The risk aversions the lab's control offers, per dollar, as `(mantissa, decimals)`:
/// `(5, 5)` is 0.00005. Index 0 is risk neutral.
pub const LAMBDAS: [(i128, u32); 14] = [
    (0, 0),
    (1, 6),
    (2, 6),
    (5, 6),
    (1, 5),
    (2, 5),
    (5, 5),
    (1, 4),
    (2, 4),
    (5, 4),
    (1, 3),
    (2, 3),
    (5, 3),
    (1, 2),
];

/// The control's default: λ = 0.0001 per dollar.
pub const DEFAULT_LAMBDA: usize = 7;

/// Risk aversion at index `i` of [`LAMBDAS`] (clamped), per dollar.
pub fn lambda(i: usize) -> f64 {
    let (m, d) = LAMBDAS[i.min(LAMBDAS.len() - 1)];
    m as f64 / 10f64.powi(d as i32)
}

/// Risk aversion at index `i` as text: `0.0001`.
pub fn lambda_text(i: usize) -> String {
    let (m, d) = LAMBDAS[i.min(LAMBDAS.len() - 1)];
    crate::engine::num::plain_decimal(m, d, 0)
}

/// What every comparison of the lab holds fixed, and what that leaves out.
pub const HELD_FIXED: &str = "What stays fixed: the customer flow (each fill's side, size and distance from fair value) and the quotes; only the hedges change. In the simulation the stale fill follows the drawn move: an informed customer of the tape's size trades the side the move left stale, and does not trade when the move stays inside the half-spread. Left out: customers reacting to a rule's skewed quotes, size limits the engine would impose, jumps and fat tails, and market impact of the hedges.";

/// What "As written" is.
pub const AS_WRITTEN: &str = "\"As written\" replays the tape's own hedges at the tape's own prices. On the chapter's tape they are exactly what the band rule does (back to the green limit after steps 2 and 4), only at other prices. In the simulation they stay a fixed script of the same sides and sizes at the same distance from fair: where the drawn market makes the stale fill go the other way, the script still trades as written. A script does not react; a rule does.";

/// A rule's mean in parts: the value (exact where the model gives it, else simulated), which of
/// the two it is, and, next to an exact value, the simulated mean with one standard error
/// (`simulated -$1,373 ± $97`; empty otherwise).
pub fn mean_parts(d: &Distribution, i: usize) -> (String, &'static str, String) {
    let sim = d.stats[i];
    let simulated = format!(
        "simulated {} ± {}",
        format::money_rounded(sim.mean, 1),
        format::amount_rounded(sim.stderr, 1)
    );
    match d.exact[i] {
        Some(m) => (
            format::money_rounded(m.rounded().mean, 1),
            "exact",
            simulated,
        ),
        None => (
            format!(
                "{} ± {}",
                format::money_rounded(sim.mean, 1),
                format::amount_rounded(sim.stderr, 1)
            ),
            "simulated",
            String::new(),
        ),
    }
}

/// A rule's standard deviation and whether it is exact: `($2,922, "exact")`.
pub fn stdev_parts(d: &Distribution, i: usize) -> (String, &'static str) {
    let (m, tag) = match d.exact[i] {
        Some(m) => (m.rounded().stdev, "exact"),
        None => (d.stats[i].stdev, "simulated"),
    };
    (format::amount_rounded(m, 1), tag)
}

/// The worst-5% edge with its 95% interval: `-$7,510 (95% interval -$7,720 to -$7,300)`.
pub fn p05_cell(d: &Distribution, i: usize) -> String {
    let (lo, hi) = d.p05_interval[i];
    format!(
        "{} (95% interval {} to {})",
        format::money_rounded(d.stats[i].p05, 10),
        format::money_rounded(from_cents(lo), 10),
        format::money_rounded(from_cents(hi), 10)
    )
}

/// A mean hedge cost with one standard error: `-$149 ± $2`; without the ± where every path pays
/// the same (the tape's own hedges, never hedging).
pub fn hedge_cost_cell(d: &Distribution, i: usize) -> String {
    let se = d.hedge_cost_stderr[i];
    if se.units() == 0 {
        format::money_rounded(d.mean_hedge_cost[i], 1)
    } else {
        let se = match format::amount_rounded(se, 1) {
            zero if zero == "$0" => "under $1".to_string(),
            se => se,
        };
        format!("{} ± {se}", format::money_rounded(d.mean_hedge_cost[i], 1))
    }
}

/// Rule `i` against the tape as written, in words that never make noise look like a
/// difference: `+$1,090 ± $25 vs as written` or `within the noise of as written (±$40)`.
pub fn difference_cell(d: &Distribution, i: usize, j: usize) -> String {
    let (diff, se) = d.difference(i, j);
    let other = LAB_RULES[j].label().to_ascii_lowercase();
    if diff.unsigned_abs() as i128 <= 2 * se as i128 {
        format!(
            "within the noise of {other} (±{})",
            format::amount_rounded(from_cents(2 * se), 1)
        )
    } else {
        format!(
            "{} ± {} vs {other}",
            format::money_rounded(from_cents(diff), 1),
            format::amount_rounded(from_cents(se), 1)
        )
    }
}

/// Each rule's certainty equivalent at risk aversion `λ`, in dollars.
pub fn ce_cells(points: &[RulePoint], lambda: f64) -> Vec<String> {
    points
        .iter()
        .map(|p| {
            format::money_rounded(
                Money::from_units((certainty_equivalent(p, lambda) * 1e10) as i128),
                1,
            )
        })
        .collect()
}

/// The ranking at `λ` and where it changes: `At λ = 0.0001 per $, Hedge flat ranks first
/// (certainty equivalent -$2,045). The best rule changes at λ = 0.000029 (Never hedge to Hedge
/// to the band) and λ = 0.000071 (Hedge to the band to Hedge flat).`
pub fn ranking(points: &[RulePoint], lambda_index: usize) -> String {
    if points.is_empty() {
        return String::new();
    }
    let l = lambda(lambda_index);
    let best = best_rule(points, l);
    let ce = ce_cells(points, l);
    let name = |i: usize| LAB_RULES[i].label();
    let mut out = format!(
        "At λ = {} per $, {} ranks first (certainty equivalent {}).",
        lambda_text(lambda_index),
        name(best),
        ce[best]
    );
    let sw = switches(points);
    if sw.is_empty() {
        out.push_str(" No level of risk aversion changes the best rule.");
    } else {
        let parts: Vec<String> = sw
            .iter()
            .map(|(l, from, to)| {
                format!(
                    "λ = {} ({} to {})",
                    format::two_significant(*l),
                    name(*from),
                    name(*to)
                )
            })
            .collect();
        out.push_str(&format!(" The best rule changes at {}.", join_and(&parts)));
    }
    if points.iter().any(|p| !p.exact) {
        out.push_str(" Some figures are simulated: a ranking within a standard error or two may flip with more paths.");
    }
    out
}

fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The lab's numbers for prose, at the widget's defaults ([`crate::engine::lab::LAB_PATHS`] paths, seed
/// [`crate::engine::lab::LAB_SEED`], normal regime, $50 hedge cost), under `lab.` keys: `lab.paths`, `lab.cost`,
/// `lab.sigma` (one drawn move's standard deviation), `lab.lambda` (the default risk aversion)
/// and `lab.ranking` (the ranking sentence), and per rule key (`tape`, `none`, `band`, `flat`)
/// the exact-replay `lab.<rule>.net`, `.hedge_cost`, `.max_r`, `.drawdown`, and over the paths
/// `.mean` (exact where the model gives it, to the dollar), `.stdev`, `.sim_mean` (with its
/// standard error), `.p05` (with its 95% interval), `.mean_hedge_cost` and `.ce` (the
/// certainty equivalent at the default risk aversion). Empty if the tape cannot be replayed.
pub fn narrative_values(
    r: &crate::engine::replay::Replay,
) -> std::collections::BTreeMap<String, String> {
    let mut v = std::collections::BTreeMap::new();
    let tape = crate::engine::lab::tape_of(r);
    let cost = crate::engine::hedge_rule::DEFAULT_HEDGE_COST;
    let (Ok(exact), Ok(dist)) = (
        crate::engine::lab::Exact::new(&tape, cost, crate::engine::quote::Regime::Normal),
        crate::engine::lab::distribution(
            &tape,
            cost,
            crate::engine::quote::Regime::Normal,
            crate::engine::lab::LAB_PATHS,
            crate::engine::lab::LAB_SEED,
        ),
    ) else {
        return v;
    };
    let sigma = crate::engine::simulate::Model::new(
        &tape,
        HedgeRule::None,
        cost,
        crate::engine::quote::Regime::Normal,
    )
    .sigma_per_move();
    v.insert(
        "lab.paths".into(),
        format::count(crate::engine::lab::LAB_PATHS as u64),
    );
    v.insert("lab.cost".into(), format::price(cost));
    v.insert("lab.sigma".into(), format::price(sigma));
    v.insert("lab.lambda".into(), lambda_text(DEFAULT_LAMBDA));
    let points = dist.points();
    v.insert("lab.ranking".into(), ranking(&points, DEFAULT_LAMBDA));
    let ce = ce_cells(&points, lambda(DEFAULT_LAMBDA));
    let unsigned = |m: Money| format::money(m).trim_start_matches('+').to_string();
    for (i, run) in exact.runs.iter().enumerate() {
        let k = format!("lab.{}", run.rule.key());
        let end = run.replay.pnl_at(run.replay.len());
        v.insert(format!("{k}.net"), format::money(end.total()));
        v.insert(format!("{k}.hedge_cost"), format::money(end.hedge_cost));
        v.insert(
            format!("{k}.max_r"),
            format::qty(run.risk.max_abs_r_residual),
        );
        v.insert(format!("{k}.drawdown"), unsigned(run.risk.worst_drawdown));
        let (mean, stdev) = match dist.exact[i] {
            Some(m) => {
                let s = m.rounded();
                (
                    format::money_rounded(s.mean, 1),
                    format::money_rounded(s.stdev, 1),
                )
            }
            None => (
                format::money_rounded(dist.stats[i].mean, 1),
                format::money_rounded(dist.stats[i].stdev, 1),
            ),
        };
        v.insert(format!("{k}.mean"), mean);
        v.insert(
            format!("{k}.stdev"),
            stdev.trim_start_matches('+').to_string(),
        );
        v.insert(
            format!("{k}.sim_mean"),
            format!(
                "{} ± {}",
                format::money_rounded(dist.stats[i].mean, 1),
                format::amount_rounded(dist.stats[i].stderr, 1)
            ),
        );
        v.insert(format!("{k}.p05"), p05_cell(&dist, i));
        v.insert(format!("{k}.mean_hedge_cost"), hedge_cost_cell(&dist, i));
        v.insert(format!("{k}.ce"), ce[i].clone());
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_values() {
        let v = narrative_values(&crate::engine::replay::chapter_replay());
        assert_eq!(v["lab.none.net"], "-$1,485");
        assert_eq!(v["lab.tape.net"], "-$2,575");
        assert_eq!(v["lab.flat.hedge_cost"], "-$325");
        assert_eq!(v["lab.sigma"], "$1,000");
        assert_eq!(v["lab.paths"], "2,000");
        assert_eq!(v["lab.none.max_r"], "3");
    }

    #[test]
    fn lambdas_read_as_written() {
        assert_eq!(lambda_text(0), "0");
        assert_eq!(lambda_text(DEFAULT_LAMBDA), "0.0001");
        assert_eq!(lambda_text(6), "0.00005");
        assert!((lambda(6) - 0.00005).abs() < 1e-12);
        assert_eq!(lambda_text(99), "0.01");
    }

    #[test]
    fn ranking_names_the_switches() {
        let pts = [
            RulePoint {
                mean: -1_000.0,
                variance: 4.0e6,
                exact: true,
            },
            RulePoint {
                mean: -1_200.0,
                variance: 1.0e6,
                exact: true,
            },
        ];
        // λ* = 2 x 200 / 3e6 = 0.000133.
        let r = ranking(&pts, 0);
        assert!(
            r.starts_with("At λ = 0 per $, As written ranks first (certainty equivalent -$1,000)."),
            "{r}"
        );
        assert!(r.contains("λ = 0.00013 (As written to Never hedge)"), "{r}");
        let r = ranking(&pts, 9);
        assert!(r.contains("Never hedge ranks first"), "{r}");
    }
}

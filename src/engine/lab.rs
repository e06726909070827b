//! The hedge lab's numbers, computed once for the `hedge-lab` widget and the chapter's prose:
//! the exact panel (the tape as written next to `none`, `band` and `flat`) and the distribution
//! panel (many simulated paths per rule, one seed, so every rule sees the same markets), with the
//! model's exact mean and standard deviation where it gives them, standard errors for what is
//! simulated, and the ranking of the rules by certainty equivalent `CE = mean - (λ/2) variance`
//! for a risk aversion `λ` (per dollar) the reader sets, with the break-even `λ` where the best
//! rule changes.
//!
//! What every comparison holds fixed: the customer flow (sides, sizes, distances from fair; the
//! stale fill follows the drawn move, [`crate::engine::simulate`]) and the quotes. Customers do not react
//! to a rule's skew, and no size limit the engine would impose applies.

use crate::engine::book::Book;
use crate::engine::hedge_rule::{counterfactual, HedgeRule};
use crate::engine::num::{Money, Price, Qty};
use crate::engine::pnl::{Bucket, Buckets};
use crate::engine::quote::Regime;
use crate::engine::replay::{replay, Replay, ReplayError};
use crate::engine::risk::Risk;
use crate::engine::simulate::{check, Model, Moments, PathRun, SimError, SimParams};
use crate::engine::stats::{Histogram, Stats};
use crate::engine::tape::{Start, Step, Tape};

/// The rules the lab compares, the tape as written first.
pub const LAB_RULES: [HedgeRule; 4] = HedgeRule::ALL;

/// The seed the chapter and the widget use unless told otherwise.
pub const LAB_SEED: u64 = 1;

/// The paths the chapter's numbers and the widget's default use.
pub const LAB_PATHS: usize = 2_000;

/// Most paths the widget recomputes on every change.
pub const MAX_LAB_PATHS: usize = 20_000;

/// Bins of the lab's histograms.
pub const LAB_BINS: usize = 40;

/// The tape behind a replay (the replay keeps every event as written).
pub fn tape_of(r: &Replay) -> Tape {
    Tape {
        title: r.title.clone(),
        start: Start {
            fair: r.start.fair,
            i_client: r.start.i_client,
            h_external: r.start.h_external,
        },
        steps: r
            .steps
            .iter()
            .map(|s| Step {
                title: s.title.clone(),
                note: s.note.clone(),
                events: s.events.iter().map(|e| e.event).collect(),
            })
            .collect(),
    }
}

/// One rule replayed exactly on the tape's flow and moves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExactRun {
    /// The rule.
    pub rule: HedgeRule,
    /// Its replay (same steps as the tape, so the shared cursor indexes it).
    pub replay: Replay,
    /// Its path risk.
    pub risk: Risk,
}

/// The exact panel: every rule of [`LAB_RULES`] on the tape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exact {
    /// One run per rule, in [`LAB_RULES`] order (the tape as written first).
    pub runs: Vec<ExactRun>,
}

impl Exact {
    /// Replays the tape under every rule with the given hedge cost (the band rule hedging to
    /// the regime's green limit).
    pub fn new(tape: &Tape, cost: Price, regime: Regime) -> Result<Exact, ReplayError> {
        let runs = LAB_RULES
            .iter()
            .map(|&rule| {
                let replay = replay(&counterfactual(tape, rule, cost, regime))?;
                let risk = replay.risk();
                Ok(ExactRun { rule, replay, risk })
            })
            .collect::<Result<Vec<_>, ReplayError>>()?;
        Ok(Exact { runs })
    }

    /// Cumulative buckets of run `i` at a cursor.
    pub fn pnl_at(&self, i: usize, cursor: usize) -> Buckets {
        self.runs
            .get(i)
            .map(|r| r.replay.pnl_at(cursor))
            .unwrap_or_default()
    }

    /// Run `i` minus the tape as written, per bucket and net, at a cursor.
    pub fn diff_at(&self, i: usize, cursor: usize) -> [Money; 5] {
        let a = self.pnl_at(i, cursor);
        let t = self.pnl_at(0, cursor);
        let d = |x: Money, y: Money| Money::from_units(x.units() - y.units());
        [
            d(a.get(Bucket::SpreadEdge), t.get(Bucket::SpreadEdge)),
            d(
                a.get(Bucket::InventoryMarkout),
                t.get(Bucket::InventoryMarkout),
            ),
            d(a.get(Bucket::HedgeCost), t.get(Bucket::HedgeCost)),
            d(a.get(Bucket::ToxicMarkout), t.get(Bucket::ToxicMarkout)),
            d(a.total(), t.total()),
        ]
    }

    /// `R_residual` of run `i` at every cursor, 0 (the start) to the last step.
    pub fn r_path(&self, i: usize) -> Vec<Qty> {
        self.runs
            .get(i)
            .map(|r| {
                std::iter::once(r.replay.start)
                    .chain(r.replay.steps.iter().map(|s| s.book))
                    .map(|b: Book| b.r_residual())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Largest `|R_residual|` over every run and every event (a shared chart scale).
    pub fn max_abs_r(&self) -> Qty {
        self.runs
            .iter()
            .map(|r| r.risk.max_abs_r_residual)
            .max()
            .unwrap_or_default()
    }
}

/// The distribution panel: total PnL over simulated paths for every rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Distribution {
    /// Paths per rule.
    pub paths: usize,
    /// Per rule, in [`LAB_RULES`] order: the summary of total PnL.
    pub stats: Vec<Stats>,
    /// Per rule: mean external hedge cost.
    pub mean_hedge_cost: Vec<Money>,
    /// Per rule: the standard error of that mean (0 where every path pays the same).
    pub hedge_cost_stderr: Vec<Money>,
    /// Per rule: total PnL of every path, in cents.
    pub totals: Vec<Vec<i64>>,
    /// Histograms of the totals over one shared range.
    pub histogram: Histogram,
    /// Events the engine applied over all rules and paths.
    pub events: u64,
    /// Per rule: the model's exact mean and standard deviation, where it gives them.
    pub exact: Vec<Option<Moments>>,
    /// Per rule: the simulated 5th percentile's 95% interval (order statistics), in cents.
    pub p05_interval: Vec<(i64, i64)>,
}

/// One rule's mean and variance of total PnL, for ranking.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RulePoint {
    /// Mean total PnL, dollars.
    pub mean: f64,
    /// Variance of total PnL, dollars squared.
    pub variance: f64,
    /// True when both come from the model's closed form, false when simulated.
    pub exact: bool,
}

/// The certainty equivalent `mean - (λ/2) variance` (dollars) for a risk aversion `λ` per dollar.
pub fn certainty_equivalent(p: &RulePoint, lambda: f64) -> f64 {
    p.mean - 0.5 * lambda * p.variance
}

/// The rule with the highest certainty equivalent at `λ` (ties: the lower variance).
pub fn best_rule(points: &[RulePoint], lambda: f64) -> usize {
    let mut best = 0;
    for (i, p) in points.iter().enumerate().skip(1) {
        let (a, b) = (
            certainty_equivalent(p, lambda),
            certainty_equivalent(&points[best], lambda),
        );
        if a > b || (a == b && p.variance < points[best].variance) {
            best = i;
        }
    }
    best
}

/// Where the best rule changes as risk aversion rises from 0: `(λ*, from, to)` in increasing
/// `λ*`. Between two rules the ranking flips at `λ* = 2 (mean_a - mean_b) / (var_a - var_b)`.
pub fn switches(points: &[RulePoint]) -> Vec<(f64, usize, usize)> {
    let mut out = Vec::new();
    if points.is_empty() {
        return out;
    }
    let mut lambda = 0.0;
    let mut best = best_rule(points, 0.0);
    // Each switch moves to a rule of strictly lower variance, so this ends.
    for _ in 0..points.len() {
        let b = points[best];
        let next = points
            .iter()
            .enumerate()
            .filter(|(_, p)| p.variance < b.variance)
            .map(|(i, p)| (2.0 * (b.mean - p.mean) / (b.variance - p.variance), i))
            .filter(|(l, _)| *l >= lambda)
            .min_by(|x, y| {
                x.0.total_cmp(&y.0)
                    .then(points[x.1].variance.total_cmp(&points[y.1].variance))
            });
        let Some((l, i)) = next else { break };
        out.push((l, best, i));
        (lambda, best) = (l, i);
    }
    out
}

impl Distribution {
    /// Each rule's mean and variance: exact where the model gives them, else simulated.
    pub fn points(&self) -> Vec<RulePoint> {
        self.stats
            .iter()
            .zip(&self.exact)
            .map(|(s, e)| match e {
                Some(m) => RulePoint {
                    mean: m.mean_cents / 100.0,
                    variance: m.variance_usd2(),
                    exact: true,
                },
                None => RulePoint {
                    mean: s.mean.as_f64(),
                    variance: s.stdev.as_f64().powi(2),
                    exact: false,
                },
            })
            .collect()
    }

    /// Rule `i`'s simulated mean minus rule `j`'s, and the standard error of that difference
    /// from the paired paths (same seed, same markets), both in cents.
    pub fn difference(&self, i: usize, j: usize) -> (i64, i64) {
        let (Some(a), Some(b)) = (self.totals.get(i), self.totals.get(j)) else {
            return (0, 0);
        };
        let d: Vec<i64> = a.iter().zip(b).map(|(x, y)| x.saturating_sub(*y)).collect();
        (
            crate::engine::stats::mean(&d),
            crate::engine::stats::stderr(&d),
        )
    }
}

/// Fewest paths a distribution is drawn from.
pub const MIN_LAB_PATHS: usize = 100;

/// Path-events the lab simulates per rule at most (paths times the tape's events): about three
/// seconds of simulation for all rules on a laptop, in slices, so that no tape can tie up a page.
pub const MAX_LAB_WORK: usize = 20_000_000;

/// Why the lab simulates fewer paths than asked, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LabBudget {
    /// Fewer paths than asked fit the budget.
    #[error("this tape has {} events, so the lab simulates {} paths per rule, not {} (budget: 20,000,000 simulated events per rule)", crate::engine::num::group_thousands(&events.to_string()), crate::engine::num::group_thousands(&paths.to_string()), crate::engine::num::group_thousands(&asked.to_string()))]
    Fewer {
        /// Events on the tape.
        events: usize,
        /// Paths asked for.
        asked: usize,
        /// Paths that fit.
        paths: usize,
    },
    /// Not even [`MIN_LAB_PATHS`] paths fit.
    #[error("this tape has {} events: even 100 simulated paths per rule would exceed the lab's budget of 20,000,000 simulated events per rule, so the distribution is not drawn (the exact panel is)", crate::engine::num::group_thousands(&events.to_string()))]
    TooLong {
        /// Events on the tape.
        events: usize,
    },
}

/// The paths the lab simulates for a tape of `events` events when `asked` are asked for: all of
/// them when they fit [`MAX_LAB_WORK`], else as many as fit (with the reason), or none.
pub fn lab_paths(events: usize, asked: usize) -> (Option<usize>, Option<LabBudget>) {
    let fit = MAX_LAB_WORK / events.max(1);
    if asked <= fit {
        (Some(asked), None)
    } else if fit >= MIN_LAB_PATHS {
        let paths = fit;
        (
            Some(paths),
            Some(LabBudget::Fewer {
                events,
                asked,
                paths,
            }),
        )
    } else {
        (None, Some(LabBudget::TooLong { events }))
    }
}

/// A distribution being simulated, rule after rule, a slice at a time (the widget runs one
/// slice per animation frame and drops the run when a control changes).
#[derive(Clone, Debug)]
pub struct DistributionRun {
    runs: Vec<PathRun>,
    params: Vec<SimParams>,
    exact: Vec<Option<Moments>>,
    paths: usize,
}

impl DistributionRun {
    /// A run of `paths` paths per rule of [`LAB_RULES`], one seed for all.
    pub fn new(
        tape: &Tape,
        cost: Price,
        regime: Regime,
        paths: usize,
        seed: u64,
    ) -> Result<DistributionRun, SimError> {
        let mut runs = Vec::new();
        let mut exact = Vec::new();
        let mut all = Vec::new();
        for rule in LAB_RULES {
            let params = SimParams {
                paths,
                seed,
                rule,
                cost,
                regime,
            };
            check(&params)?;
            let model = Model::new(tape, rule, cost, regime);
            exact.push(model.exact());
            runs.push(PathRun::new(model, paths, seed)?);
            all.push(params);
        }
        Ok(DistributionRun {
            runs,
            params: all,
            exact,
            paths,
        })
    }

    /// Simulates about `events` more engine events (at least one path); true once every rule's
    /// paths are done.
    pub fn advance(&mut self, events: usize) -> Result<bool, SimError> {
        let mut left = events;
        for run in &mut self.runs {
            if run.done() == run.paths() {
                continue;
            }
            let per_path = run.model().events().max(1);
            let before = run.done();
            run.advance((left / per_path).max(1))?;
            left = left.saturating_sub((run.done() - before).saturating_mul(per_path));
            if left < per_path {
                break;
            }
        }
        Ok(self.runs.iter().all(|r| r.done() == r.paths()))
    }

    /// Paths done over all rules, and paths to do over all rules.
    pub fn progress(&self) -> (usize, usize) {
        let done = self.runs.iter().map(PathRun::done).sum();
        (done, self.paths * self.runs.len())
    }

    /// The finished distribution (call once [`DistributionRun::advance`] returned true).
    pub fn finish(self) -> Distribution {
        let paths = self.paths;
        let mut stats = Vec::new();
        let mut mean_hedge_cost = Vec::new();
        let mut hedge_cost_stderr = Vec::new();
        let mut totals = Vec::new();
        let mut p05_interval = Vec::new();
        let mut events = 0;
        for (run, params) in self.runs.into_iter().zip(self.params) {
            let out = run.finish();
            let summary = out.summary(params);
            stats.push(summary.total);
            mean_hedge_cost.push(summary.buckets[2].mean);
            hedge_cost_stderr.push(crate::engine::stats::from_cents(
                crate::engine::stats::stderr(&out.buckets[2]),
            ));
            let mut sorted = out.totals.clone();
            sorted.sort_unstable();
            p05_interval.push(crate::engine::stats::percentile_interval(&sorted, 5));
            events += out.events;
            totals.push(out.totals);
        }
        let samples: Vec<&[i64]> = totals.iter().map(|t| t.as_slice()).collect();
        let histogram = Histogram::shared(&samples, LAB_BINS);
        Distribution {
            paths,
            stats,
            mean_hedge_cost,
            hedge_cost_stderr,
            totals,
            histogram,
            events,
            exact: self.exact,
            p05_interval,
        }
    }
}

/// Simulates `paths` paths of the tape for every rule of [`LAB_RULES`] from one seed.
pub fn distribution(
    tape: &Tape,
    cost: Price,
    regime: Regime,
    paths: usize,
    seed: u64,
) -> Result<Distribution, SimError> {
    let mut run = DistributionRun::new(tape, cost, regime, paths, seed)?;
    while !run.advance(usize::MAX)? {}
    Ok(run.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter() -> Tape {
        Tape::from_json(crate::CHAPTER_TAPE).unwrap()
    }

    #[test]
    fn a_distribution_run_in_slices_equals_one_run() {
        let tape = chapter();
        let whole = distribution(&tape, Price::usd(10), Regime::Stressed, 500, 7).unwrap();
        let mut run =
            DistributionRun::new(&tape, Price::usd(10), Regime::Stressed, 500, 7).unwrap();
        let mut slices = 0;
        while !run.advance(37).unwrap() {
            slices += 1;
            let (done, all) = run.progress();
            assert!(done < all);
        }
        assert!(slices > 10, "{slices}");
        assert_eq!(run.progress(), (2_000, 2_000));
        let sliced = run.finish();
        assert_eq!(sliced.totals, whole.totals);
        assert_eq!(sliced.stats, whole.stats);
        assert_eq!(sliced.events, whole.events);
    }

    #[test]
    fn a_short_tape_finishes_in_one_slice() {
        let tape = chapter();
        let mut run =
            DistributionRun::new(&tape, Price::usd(50), Regime::Normal, LAB_PATHS, 1).unwrap();
        // Four rules of 2,000 paths of at most 9 events each fit in 100,000 events.
        assert!(run.advance(100_000).unwrap());
    }

    #[test]
    fn the_lab_budget_caps_paths_times_events() {
        assert_eq!(lab_paths(9, 20_000), (Some(20_000), None));
        assert_eq!(
            lab_paths(100_000, 2_000),
            (
                Some(200),
                Some(LabBudget::Fewer {
                    events: 100_000,
                    asked: 2_000,
                    paths: 200
                })
            )
        );
        assert_eq!(
            lab_paths(1_000_000, 2_000),
            (None, Some(LabBudget::TooLong { events: 1_000_000 }))
        );
        assert!(lab_paths(1_000_000, 2_000)
            .1
            .unwrap()
            .to_string()
            .contains("not drawn"));
    }

    #[test]
    fn tape_of_a_replay_is_the_tape() {
        let t = chapter();
        assert_eq!(tape_of(&replay(&t).unwrap()), t);
    }

    #[test]
    fn exact_panel_on_the_chapter_tape() {
        let e = Exact::new(&chapter(), Price::usd(50), Regime::Normal).unwrap();
        let nets: Vec<Money> = (0..4).map(|i| e.pnl_at(i, 5).total()).collect();
        let usd = [-2_575, -1_485, -2_550, -2_000].map(Money::usd);
        assert_eq!(nets, usd);
        // Never hedging: no hedge cost (+$200 against the tape), inventory markout -$700 -> +$190.
        assert_eq!(e.diff_at(1, 5)[2], Money::usd(200));
        assert_eq!(e.diff_at(1, 5)[4], Money::usd(1090));
        assert_eq!(e.diff_at(0, 5), [Money::ZERO; 5]);
        let q = |s: i64| Qty::from_sats(s * 50_000_000);
        assert_eq!(e.r_path(1), [q(0), q(-2), q(-6), q(-3), q(1), q(1)]);
        assert_eq!(e.r_path(3), vec![Qty::ZERO; 6]);
        assert_eq!(e.max_abs_r(), Qty::btc(3));
    }

    #[test]
    fn distribution_orders_the_rules() {
        let d = distribution(
            &chapter(),
            Price::usd(50),
            Regime::Normal,
            LAB_PATHS,
            LAB_SEED,
        )
        .unwrap();
        let sd = |i: usize| d.stats[i].stdev;
        assert!(sd(3) < sd(2) && sd(2) < sd(1));
        assert_eq!(d.totals.len(), 4);
        assert_eq!(
            d.histogram.counts[1].iter().sum::<u32>() as usize,
            LAB_PATHS
        );
        assert!(d.mean_hedge_cost[3] <= d.mean_hedge_cost[2]);
        assert_eq!(d.mean_hedge_cost[1], Money::ZERO);
        assert!(d.exact.iter().all(|e| e.is_some()));
        // Common random numbers: the paired difference is far more precise than either mean.
        let (_, se_pair) = d.difference(1, 3);
        assert!(
            se_pair < crate::engine::stats::to_cents(d.stats[1].stderr),
            "{se_pair}"
        );
    }

    #[test]
    fn certainty_equivalents_rank_and_switch() {
        let pts = [
            RulePoint {
                mean: 0.0,
                variance: 9.0e6,
                exact: true,
            },
            RulePoint {
                mean: -100.0,
                variance: 4.0e6,
                exact: true,
            },
            RulePoint {
                mean: -300.0,
                variance: 0.0,
                exact: true,
            },
        ];
        assert_eq!(best_rule(&pts, 0.0), 0);
        // 0 vs 1 flips at 2 x 100 / 5e6 = 0.00004; 1 vs 2 at 2 x 200 / 4e6 = 0.0001.
        let sw = switches(&pts);
        assert_eq!(sw.len(), 2);
        assert!((sw[0].0 - 0.00004).abs() < 1e-12 && (sw[0].1, sw[0].2) == (0, 1));
        assert!((sw[1].0 - 0.0001).abs() < 1e-12 && (sw[1].1, sw[1].2) == (1, 2));
        assert_eq!(best_rule(&pts, 0.00005), 1);
        assert_eq!(best_rule(&pts, 0.001), 2);
        // Just below and at each switch, the best rule is the one the switch names.
        for (l, from, to) in sw {
            assert_eq!(best_rule(&pts, l * 0.999), from);
            assert_eq!(best_rule(&pts, l * 1.001), to);
        }
    }
}

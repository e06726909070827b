//! The hedge lab's numbers, computed once for the `hedge-lab` widget and the chapter's prose:
//! the exact panel (the tape as written next to `none`, `band` and `flat`) and the distribution
//! panel (many simulated paths per rule, one seed, so every rule sees the same markets).

use crate::book::Book;
use crate::hedge_rule::{counterfactual, HedgeRule};
use crate::num::{Money, Price, Qty};
use crate::pnl::{Bucket, Buckets};
use crate::quote::Regime;
use crate::replay::{replay, Replay, ReplayError};
use crate::risk::{risk, Risk};
use crate::simulate::{check, Model, SimError, SimParams};
use crate::stats::{Histogram, Stats};
use crate::tape::{Start, Step, Tape};

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
    /// Replays the tape under every rule with the given hedge cost.
    pub fn new(tape: &Tape, cost: Price) -> Result<Exact, ReplayError> {
        let runs = LAB_RULES
            .iter()
            .map(|&rule| {
                let replay = replay(&counterfactual(tape, rule, cost))?;
                let risk = risk(&replay);
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Distribution {
    /// Paths per rule.
    pub paths: usize,
    /// Per rule, in [`LAB_RULES`] order: the summary of total PnL.
    pub stats: Vec<Stats>,
    /// Per rule: mean external hedge cost.
    pub mean_hedge_cost: Vec<Money>,
    /// Per rule: total PnL of every path, in cents.
    pub totals: Vec<Vec<i64>>,
    /// Histograms of the totals over one shared range.
    pub histogram: Histogram,
    /// Events the engine applied over all rules and paths.
    pub events: u64,
}

/// Simulates `paths` paths of the tape for every rule of [`LAB_RULES`] from one seed.
pub fn distribution(
    tape: &Tape,
    cost: Price,
    regime: Regime,
    paths: usize,
    seed: u64,
) -> Result<Distribution, SimError> {
    let mut stats = Vec::new();
    let mut mean_hedge_cost = Vec::new();
    let mut totals = Vec::new();
    let mut events = 0;
    for rule in LAB_RULES {
        let params = SimParams {
            paths,
            seed,
            rule,
            cost,
            regime,
        };
        check(&params)?;
        let out = Model::new(tape, rule, cost, regime).run(paths, seed)?;
        let summary = out.summary(params);
        stats.push(summary.total);
        mean_hedge_cost.push(summary.buckets[2].mean);
        events += out.events;
        totals.push(out.totals);
    }
    let samples: Vec<&[i64]> = totals.iter().map(|t| t.as_slice()).collect();
    let histogram = Histogram::shared(&samples, LAB_BINS);
    Ok(Distribution {
        paths,
        stats,
        mean_hedge_cost,
        totals,
        histogram,
        events,
    })
}

/// The lab's numbers for prose, at the widget's defaults ([`LAB_PATHS`] paths, seed
/// [`LAB_SEED`], normal regime, $50 hedge cost), under `lab.` keys: `lab.paths`, `lab.cost`,
/// `lab.sigma` (one drawn move's standard deviation), and per rule key (`tape`, `none`, `band`,
/// `flat`) the exact `lab.<rule>.net`, `.hedge_cost`, `.max_r`, `.drawdown`, and over the paths
/// `.mean`, `.stdev`, `.p05`, `.mean_hedge_cost`. Empty if the tape cannot be replayed.
pub fn narrative_values(r: &Replay) -> std::collections::BTreeMap<String, String> {
    use crate::format;
    let mut v = std::collections::BTreeMap::new();
    let tape = tape_of(r);
    let cost = crate::hedge_rule::DEFAULT_HEDGE_COST;
    let (Ok(exact), Ok(dist)) = (
        Exact::new(&tape, cost),
        distribution(&tape, cost, Regime::Normal, LAB_PATHS, LAB_SEED),
    ) else {
        return v;
    };
    let sigma = Model::new(&tape, HedgeRule::None, cost, Regime::Normal).sigma_per_move();
    v.insert("lab.paths".into(), format::count(LAB_PATHS as u64));
    v.insert("lab.cost".into(), format::price(cost));
    v.insert("lab.sigma".into(), format::price(sigma));
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
        let st = &dist.stats[i];
        v.insert(format!("{k}.mean"), format::money(st.mean));
        v.insert(format!("{k}.stdev"), unsigned(st.stdev));
        v.insert(format!("{k}.p05"), format::money(st.p05));
        v.insert(
            format!("{k}.mean_hedge_cost"),
            format::money(dist.mean_hedge_cost[i]),
        );
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter() -> Tape {
        Tape::from_json(crate::CHAPTER_TAPE).unwrap()
    }

    #[test]
    fn prose_values() {
        let v = narrative_values(&replay(&chapter()).unwrap());
        assert_eq!(v["lab.none.net"], "-$1,485");
        assert_eq!(v["lab.tape.net"], "-$2,575");
        assert_eq!(v["lab.flat.hedge_cost"], "-$325");
        assert_eq!(v["lab.flat.stdev"], "$0");
        assert_eq!(v["lab.sigma"], "$1,000");
        assert_eq!(v["lab.paths"], "2,000");
        assert_eq!(v["lab.none.max_r"], "3");
    }

    #[test]
    fn tape_of_a_replay_is_the_tape() {
        let t = chapter();
        assert_eq!(tape_of(&replay(&t).unwrap()), t);
    }

    #[test]
    fn exact_panel_on_the_chapter_tape() {
        let e = Exact::new(&chapter(), Price::usd(50)).unwrap();
        let nets: Vec<String> = (0..4)
            .map(|i| crate::format::money(e.pnl_at(i, 5).total()))
            .collect();
        assert_eq!(nets, ["-$2,575", "-$1,485", "-$2,550", "-$2,000"]);
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
    }
}

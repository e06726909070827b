//! Many simulated paths of a tape: what a hedge rule does to the *distribution* of PnL, which
//! one path cannot show.
//!
//! # The model (simple on purpose)
//! - **Customer flow is kept.** Every customer fill keeps its side, quantity and edge relative to
//!   fresh fair value at that moment (`price - fair` on the tape), so a fill at fair + $50 stays
//!   at fair + $50 wherever fair has gone. Stale flags and refreshes are kept, so a fill the tape
//!   took on a stale quote is still booked as toxic markout. Under the `tape` rule the tape's own
//!   hedges are kept the same way (side, quantity, edge to fair); under `none`, `band` and `flat`
//!   they are dropped and the rule hedges at fresh fair ± the hedge cost, as in
//!   [`crate::hedge_rule`].
//! - **Fair moves are drawn.** Each `fair` event of the tape is replaced by a move drawn from a
//!   normal distribution with mean zero, in cents (an arithmetic random walk). The regime's
//!   volatility shock `v` ([`crate::quote::shock_bp`]: calm 1%, normal 2%, stressed 5%) is read
//!   as the standard deviation of fair's whole move over the tape, spread evenly over its `m`
//!   fair moves: `σ_move = fair_0 x v / √m`. On the chapter's tape (four moves, normal regime)
//!   that is $1,000 per move, the size of its own largest move. Each draw is rounded to the
//!   cent and fair is floored at $0.01.
//! - **What this leaves out.** Flow does not react to the moves, so the model has no adverse
//!   selection beyond the tape's stale fills, no jumps or fat tails, and a rule's hedges depend
//!   only on the flow. Spread edge, toxic markout and hedge cost are therefore the same on every
//!   path; all the randomness is residual inventory markout, `R_residual x move`. That is the
//!   point the lab makes: hedging spends a known cost to shrink the residual that the moves act
//!   on.
//!
//! Randomness comes from `rand_pcg`'s `Pcg64Mcg` seeded with the user's seed and `rand_distr`'s
//! standard normal (no OS entropy, no `getrandom`; the crate's `libm` maths keeps native and
//! WebAssembly draws alike). Draws do not depend on the rule, so two rules run with one seed
//! see the same market (common random numbers) and their difference is the rule's alone.

use rand_core::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rand_pcg::Pcg64Mcg;

use crate::book::BandLimits;
use crate::hedge_rule::{hedge_event, HedgeRule, MAX_HEDGE_COST};
use crate::num::{Money, Price, Qty};
use crate::pnl::{Bucket, EngineError, Ledger};
use crate::quote::{shock_bp, Regime};
use crate::risk::{Risk, RiskTracker};
use crate::stats::{self, Stats};
use crate::tape::{Event, Start, Tape};

/// Most paths one run accepts.
pub const MAX_PATHS: usize = 10_000_000;

/// What to simulate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimParams {
    /// Number of paths, 1 to [`MAX_PATHS`].
    pub paths: usize,
    /// PRNG seed: the same seed gives the same paths.
    pub seed: u64,
    /// The hedge rule.
    pub rule: HedgeRule,
    /// Cost per BTC of a rule hedge (ignored by `HedgeRule::Tape`, which keeps the tape's prices).
    pub cost: Price,
    /// Volatility regime of the drawn moves.
    pub regime: Regime,
}

impl Default for SimParams {
    fn default() -> Self {
        SimParams {
            paths: 10_000,
            seed: 1,
            rule: HedgeRule::Tape,
            cost: crate::hedge_rule::DEFAULT_HEDGE_COST,
            regime: Regime::Normal,
        }
    }
}

/// Why a simulation could not run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    /// `paths` out of range.
    #[error("paths must be a whole number from 1 to 10,000,000 (got {0})")]
    Paths(usize),
    /// Negative or absurd hedge cost.
    #[error("hedge cost must be from 0 to 1,000,000,000 USD per BTC")]
    Cost,
    /// The engine left its exact range on some path.
    #[error("path {path}: {error}")]
    Engine {
        /// 1-based path number.
        path: usize,
        /// What overflowed.
        error: EngineError,
    },
}

/// One event of the tape as the simulation replays it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Template {
    /// A fill of the dealer's signed size at fair + `edge` cents.
    Fill { d: Qty, edge: i64, hedge: bool },
    /// A drawn fair move.
    Move { stale: bool },
    /// The quote reference catches up.
    Refresh,
}

/// A tape turned into the simulation's template for one rule and regime.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    start: Start,
    template: Vec<Template>,
    rule: HedgeRule,
    cost: Price,
    sigma_cents: f64,
}

impl Model {
    /// Builds the template from a tape.
    pub fn new(tape: &Tape, rule: HedgeRule, cost: Price, regime: Regime) -> Model {
        let mut fair = tape.start.fair.cents();
        let mut template = Vec::with_capacity(tape.event_count());
        for e in tape.steps.iter().flat_map(|s| s.events.iter()) {
            match *e {
                Event::Fair { price, stale } => {
                    fair = price.cents();
                    template.push(Template::Move { stale });
                }
                Event::Refresh => template.push(Template::Refresh),
                _ => {
                    let Some((d, price)) = e.dealer_fill() else {
                        continue;
                    };
                    let hedge = e.is_hedge();
                    if hedge && rule != HedgeRule::Tape {
                        continue;
                    }
                    template.push(Template::Fill {
                        d,
                        edge: price.cents() - fair,
                        hedge,
                    });
                }
            }
        }
        let moves = template
            .iter()
            .filter(|t| matches!(t, Template::Move { .. }))
            .count()
            .max(1);
        let sigma_cents = tape.start.fair.cents() as f64 * shock_bp(regime) as f64
            / 10_000.0
            / (moves as f64).sqrt();
        Model {
            start: tape.start,
            template,
            rule,
            cost,
            sigma_cents,
        }
    }

    /// Standard deviation of one fair move, rounded to the cent.
    pub fn sigma_per_move(&self) -> Price {
        Price::from_cents(self.sigma_cents.round() as i64)
    }

    /// Runs `paths` paths from `seed`.
    pub fn run(&self, paths: usize, seed: u64) -> Result<Outcomes, SimError> {
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let limits = BandLimits::default();
        let base = Ledger::new(&self.start).map_err(|error| SimError::Engine { path: 1, error })?;
        let start_r = base.book.r_residual();
        let mut out = Outcomes {
            totals: Vec::with_capacity(paths),
            max_abs_r: Vec::with_capacity(paths),
            drawdowns: Vec::with_capacity(paths),
            buckets: [Vec::new(), Vec::new(), Vec::new(), Vec::new()],
            events: 0,
        };
        let mut bucket_cents: [Vec<i64>; 4] = Default::default();
        for b in &mut bucket_cents {
            b.reserve(paths);
        }
        for path in 0..paths {
            let engine = |error| SimError::Engine {
                path: path + 1,
                error,
            };
            let mut ledger = base.clone();
            let mut risk = RiskTracker::new(start_r);
            let mut events = 0u64;
            for t in &self.template {
                let event = match *t {
                    Template::Move { stale } => {
                        let z: f64 = StandardNormal.sample(&mut rng);
                        let step = (z * self.sigma_cents).round() as i64;
                        let f = ledger.book.fair.cents().saturating_add(step).max(1);
                        Event::Fair {
                            price: Price::from_cents(f),
                            stale,
                        }
                    }
                    Template::Refresh => Event::Refresh,
                    Template::Fill { d, edge, hedge } => {
                        let price =
                            Price::from_cents(ledger.book.fair.cents().saturating_add(edge));
                        let qty = d.abs();
                        match (hedge, d.sats() > 0) {
                            (false, true) => Event::ClientSell { qty, price },
                            (false, false) => Event::ClientBuy { qty, price },
                            (true, true) => Event::HedgeBuy { qty, price },
                            (true, false) => Event::HedgeSell { qty, price },
                        }
                    }
                };
                ledger.apply(&event).map_err(engine)?;
                risk.observe(ledger.book.r_residual(), ledger.buckets.total());
                events += 1;
                if matches!(t, Template::Fill { hedge: false, .. }) {
                    if let Some(h) = self.rule.hedge_for(ledger.book.r_residual(), &limits) {
                        ledger
                            .apply(&hedge_event(h, ledger.book.fair, self.cost))
                            .map_err(engine)?;
                        risk.observe(ledger.book.r_residual(), ledger.buckets.total());
                        events += 1;
                    }
                }
            }
            let k: Risk = risk.risk();
            out.totals.push(stats::to_cents(ledger.buckets.total()));
            out.max_abs_r.push(k.max_abs_r_residual.sats());
            out.drawdowns.push(stats::to_cents(k.worst_drawdown));
            for (i, b) in Bucket::ALL.iter().enumerate() {
                bucket_cents[i].push(stats::to_cents(ledger.buckets.get(*b)));
            }
            out.events += events;
        }
        out.buckets = bucket_cents;
        Ok(out)
    }
}

/// Per-path results of a run, in whole cents (positions in satoshis).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcomes {
    /// Total PnL of each path.
    pub totals: Vec<i64>,
    /// Largest `|R_residual|` of each path, in satoshis.
    pub max_abs_r: Vec<i64>,
    /// Worst drawdown of each path.
    pub drawdowns: Vec<i64>,
    /// Each bucket's final amount per path, in [`Bucket::ALL`] order.
    pub buckets: [Vec<i64>; 4],
    /// Events the engine applied over all paths (tape events plus rule hedges).
    pub events: u64,
}

/// The mean and standard deviation of one bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spread {
    /// Mean, to the cent.
    pub mean: Money,
    /// Sample standard deviation, to the cent.
    pub stdev: Money,
}

/// What `dealer-book simulate` reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// What was run.
    pub params: SimParams,
    /// Total PnL over the paths.
    pub total: Stats,
    /// Each bucket, in [`Bucket::ALL`] order.
    pub buckets: [Spread; 4],
    /// Mean and 95th percentile of the largest `|R_residual|` per path.
    pub max_abs_r_residual: (Qty, Qty),
    /// Mean and 95th percentile of the worst drawdown per path.
    pub worst_drawdown: (Money, Money),
}

impl Outcomes {
    /// The summary statistics of these outcomes.
    pub fn summary(&self, params: SimParams) -> Summary {
        let spread = |v: &[i64]| Spread {
            mean: stats::from_cents(stats::mean(v)),
            stdev: stats::from_cents(stats::stdev(v)),
        };
        let p95 = |v: &[i64]| {
            let mut s = v.to_vec();
            s.sort_unstable();
            stats::percentile(&s, 95)
        };
        Summary {
            params,
            total: Stats::of_cents(&self.totals),
            buckets: [
                spread(&self.buckets[0]),
                spread(&self.buckets[1]),
                spread(&self.buckets[2]),
                spread(&self.buckets[3]),
            ],
            max_abs_r_residual: (
                Qty::from_sats(stats::mean(&self.max_abs_r)),
                Qty::from_sats(p95(&self.max_abs_r)),
            ),
            worst_drawdown: (
                stats::from_cents(stats::mean(&self.drawdowns)),
                stats::from_cents(p95(&self.drawdowns)),
            ),
        }
    }
}

/// Checks the parameters a user gave.
pub fn check(params: &SimParams) -> Result<(), SimError> {
    if params.paths == 0 || params.paths > MAX_PATHS {
        return Err(SimError::Paths(params.paths));
    }
    if params.cost.cents() < 0 || params.cost > MAX_HEDGE_COST {
        return Err(SimError::Cost);
    }
    Ok(())
}

/// Checks the parameters, runs the paths and summarizes them.
pub fn simulate(tape: &Tape, params: SimParams) -> Result<Summary, SimError> {
    check(&params)?;
    let model = Model::new(tape, params.rule, params.cost, params.regime);
    Ok(model.run(params.paths, params.seed)?.summary(params))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter() -> Tape {
        Tape::from_json(crate::CHAPTER_TAPE).unwrap()
    }

    fn run(rule: HedgeRule, seed: u64, paths: usize) -> Summary {
        simulate(
            &chapter(),
            SimParams {
                paths,
                seed,
                rule,
                ..SimParams::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn sigma_per_move_on_the_chapter_tape() {
        let m = Model::new(&chapter(), HedgeRule::None, Price::usd(50), Regime::Normal);
        assert_eq!(m.sigma_per_move(), Price::usd(1000));
        let m = Model::new(
            &chapter(),
            HedgeRule::None,
            Price::usd(50),
            Regime::Stressed,
        );
        assert_eq!(m.sigma_per_move(), Price::usd(2500));
    }

    #[test]
    fn same_seed_same_paths_other_seed_other_paths() {
        let m = Model::new(&chapter(), HedgeRule::Band, Price::usd(50), Regime::Normal);
        let a = m.run(500, 7).unwrap();
        assert_eq!(a, m.run(500, 7).unwrap());
        assert_ne!(a.totals, m.run(500, 8).unwrap().totals);
    }

    #[test]
    fn hedging_narrows_the_distribution_at_a_known_cost() {
        let none = run(HedgeRule::None, 42, 20_000);
        let band = run(HedgeRule::Band, 42, 20_000);
        let flat = run(HedgeRule::Flat, 42, 20_000);
        assert!(flat.total.stdev < band.total.stdev, "{flat:?} {band:?}");
        assert!(band.total.stdev < none.total.stdev, "{band:?} {none:?}");
        let cost = |s: &Summary| s.buckets[2].mean;
        assert_eq!(cost(&none), Money::ZERO);
        assert!(cost(&flat) <= cost(&band) && cost(&band) <= cost(&none));
        // The rule's hedges depend only on the flow: -$325 flat (6.5 BTC at $50), -$175 band (2 + 1.5 BTC).
        assert_eq!(cost(&flat), Money::usd(-325));
        assert_eq!(cost(&band), Money::usd(-175));
        assert_eq!(flat.buckets[2].stdev, Money::ZERO);
        // Flat carries no residual through any move: its PnL is the same on every path.
        assert_eq!(flat.total.stdev, Money::ZERO);
        assert_eq!(flat.total.mean, Money::usd(-2000));
        // Customer edges are kept: spread edge +$225 and the stale fill's -$1,900 on every path.
        for s in [&none, &band, &flat] {
            assert_eq!(
                s.buckets[0],
                Spread {
                    mean: Money::usd(225),
                    stdev: Money::ZERO
                }
            );
            assert_eq!(s.buckets[3].mean, Money::usd(-1900));
        }
        // The moves have mean zero, so the unhedged book's mean PnL is its edge, within noise:
        // +$225 - $1,900 = -$1,675. Its stdev is $1,000 x sqrt(1 + 9 + 2.25 + 0.25) = $3,536
        // (the residuals carried through the four moves), so the mean's is $25.
        let m = none.total.mean.as_f64();
        assert!((m + 1675.0).abs() < 100.0, "{m}");
        let sd = none.total.stdev.as_f64();
        assert!((sd - 3536.0).abs() < 100.0, "{sd}");
        assert!(none.total.p05 < none.total.p50 && none.total.p50 < none.total.p95);
    }

    #[test]
    fn tape_rule_keeps_the_tapes_hedges() {
        let s = run(HedgeRule::Tape, 3, 1000);
        assert_eq!(
            s.buckets[2],
            Spread {
                mean: Money::usd(-200),
                stdev: Money::ZERO
            }
        );
        assert_eq!(s.max_abs_r_residual.0, Qty::btc(3));
    }

    #[test]
    fn bad_parameters_are_refused() {
        let t = chapter();
        let p = |paths, cost| SimParams {
            paths,
            cost: Price::from_cents(cost),
            ..SimParams::default()
        };
        assert_eq!(simulate(&t, p(0, 0)), Err(SimError::Paths(0)));
        assert_eq!(
            simulate(&t, p(MAX_PATHS + 1, 0)),
            Err(SimError::Paths(MAX_PATHS + 1))
        );
        assert_eq!(simulate(&t, p(1, -1)), Err(SimError::Cost));
        assert!(simulate(&t, p(1, 0)).is_ok());
    }
}

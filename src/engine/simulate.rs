//! Many simulated paths of a tape: what a hedge rule does to the *distribution* of PnL, which
//! one path cannot show.
//!
//! # The model (simple on purpose)
//! - **Ordinary customer flow is kept.** Every customer fill on a fresh quote keeps its side,
//!   quantity and edge relative to fresh fair value at that moment (`price - fair` on the tape),
//!   so a fill at fair + $50 stays at fair + $50 wherever fair has gone. Stale flags and
//!   refreshes are kept. Under the `tape` rule the tape's own hedges are kept the same way (side,
//!   quantity, edge to fair, whatever the drawn market does: a script, not a rule); under
//!   `none`, `band` and `flat` they are dropped and the rule hedges at fresh fair ± the hedge
//!   cost, as in [`crate::engine::hedge_rule`], the band rule to the regime's green limit.
//! - **The stale fill follows the drawn move.** A customer fill the tape took on a quote resting
//!   on a stale reference becomes an *informed* customer of the tape's size who trades the side
//!   the drawn move left stale: with `Δ = fair - reference` and `h` the resting half-spread the
//!   tape's fill shows (`|price - reference|`), it sells into the resting bid when `Δ < -h`,
//!   buys from the resting ask when `Δ > h`, and does not trade when `|Δ| <= h`. The dealer's
//!   stale-fill markout is `-q x max(|Δ| - h, 0)`: never positive, and larger the further the
//!   move ran (ECONOMICS: the pick-off loss).
//! - **Fair moves are drawn.** Each `fair` event of the tape is replaced by a move drawn from a
//!   normal distribution with mean zero, in cents (an arithmetic random walk). The regime's
//!   volatility shock `v` ([`crate::engine::quote::shock_bp`]: calm 1%, normal 2%, stressed 5%) is read
//!   as the standard deviation of fair's whole move over the tape, spread evenly over its `m`
//!   fair moves: `σ_move = fair_0 x v / √m`. On the chapter's tape (four moves, normal regime)
//!   that is $1,000 per move, the size of its own largest move. Each draw is rounded to the
//!   cent and fair is floored at $0.01.
//! - **What this leaves out.** Ordinary flow does not react to the moves or to the quotes (no
//!   customer responds to a skew, no size limit the engine would impose applies), so the model
//!   has no adverse selection beyond the stale fills, no jumps or fat tails. Spread edge is the
//!   same on every path; the randomness is residual inventory markout, `R_residual x move`, and
//!   the stale fills.
//! - **Exact values.** Moves are independent normals and, given which side (if any) each stale
//!   fill trades, the total is linear in the moves, so its mean and standard deviation follow in
//!   closed form from truncated-normal moments ([`Model::exact`]), for tapes where each stale
//!   fill's gap comes from one stale move. The simulation rounds each move to the cent and floors
//!   fair at $0.01, which the closed form ignores (a difference far below a cent on the chapter's
//!   tape).
//!
//! Randomness comes from `rand_pcg`'s `Pcg64Mcg` seeded with the user's seed and `rand_distr`'s
//! standard normal (no OS entropy, no `getrandom`; the crate's `libm` maths keeps native and
//! WebAssembly draws alike). Draws do not depend on the rule, so two rules run with one seed
//! see the same market (common random numbers) and their difference is the rule's alone.

use rand_core::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rand_pcg::Pcg64Mcg;

use crate::engine::book::BandLimits;
use crate::engine::hedge_rule::{hedge_event, HedgeRule, MAX_HEDGE_COST};
use crate::engine::num::{Money, Price, Qty};
use crate::engine::pnl::{Bucket, EngineError, Ledger};
use crate::engine::quote::{regime_limits, shock_bp, Regime};
use crate::engine::risk::{Risk, RiskTracker};
use crate::engine::stats::{self, Stats};
use crate::engine::tape::{Event, Start, Tape};

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
            cost: crate::engine::hedge_rule::DEFAULT_HEDGE_COST,
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
    /// An informed customer of size `qty` on a quote resting on a stale reference, with resting
    /// half-spread `h` cents: trades the side the move left stale, or not at all.
    StaleFill { qty: Qty, h: i64 },
    /// A drawn fair move.
    Move { stale: bool },
    /// The quote reference catches up.
    Refresh,
}

/// The informed customer's trade on a stale quote: the dealer's signed size and price, or
/// nothing when the gap `fair - reference` is inside the half-spread `h`.
fn informed_fill(qty: Qty, h: i64, fair: i64, reference: i64) -> Option<Event> {
    let gap = fair.saturating_sub(reference);
    if gap < -h {
        // Fair fell below the resting bid: sell into it (the dealer buys).
        Some(Event::ClientSell {
            qty,
            price: Price::from_cents(reference.saturating_sub(h)),
        })
    } else if gap > h {
        Some(Event::ClientBuy {
            qty,
            price: Price::from_cents(reference.saturating_add(h)),
        })
    } else {
        None
    }
}

/// A tape turned into the simulation's template for one rule and regime.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    start: Start,
    template: Vec<Template>,
    rule: HedgeRule,
    cost: Price,
    sigma_cents: f64,
    /// The regime's limits (the band rule hedges to its green limit).
    limits: BandLimits,
}

impl Model {
    /// Builds the template from a tape.
    pub fn new(tape: &Tape, rule: HedgeRule, cost: Price, regime: Regime) -> Model {
        // The tape replayed by the ledger tells which customer fills hit a quote resting on a
        // stale reference: the ones it books as stale-fill markout (one rule, the ledger's).
        // A tape the ledger cannot replay fails in `run` as well; here its fills stay ordinary.
        let mut ledger = Ledger::new(&tape.start).ok();
        let mut template = Vec::with_capacity(tape.event_count());
        for e in tape.steps.iter().flat_map(|s| s.events.iter()) {
            let bucket = ledger
                .as_mut()
                .and_then(|l| l.apply(e).ok().flatten())
                .map(|c| c.bucket);
            let book = ledger.as_ref().map_or(
                crate::engine::book::Book::new(tape.start.fair, Qty::ZERO, Qty::ZERO),
                |l| l.book,
            );
            match *e {
                Event::Fair { stale, .. } => template.push(Template::Move { stale }),
                Event::Refresh => template.push(Template::Refresh),
                _ => {
                    let Some((d, price)) = e.dealer_fill() else {
                        continue;
                    };
                    let hedge = e.is_hedge();
                    if hedge && rule != HedgeRule::Tape {
                        continue;
                    }
                    template.push(if bucket == Some(Bucket::ToxicMarkout) {
                        Template::StaleFill {
                            qty: d.abs(),
                            h: price.cents().saturating_sub(book.quote_ref.cents()).abs(),
                        }
                    } else {
                        Template::Fill {
                            d,
                            edge: price.cents() - book.fair.cents(),
                            hedge,
                        }
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
            limits: regime_limits(&BandLimits::default(), regime),
        }
    }

    /// Standard deviation of one fair move, rounded to the cent.
    pub fn sigma_per_move(&self) -> Price {
        Price::from_cents(self.sigma_cents.round() as i64)
    }

    /// The exact mean and standard deviation of the total PnL under the model (moves unrounded),
    /// or `None` where the closed form does not apply: a stale fill whose gap comes from more
    /// than one stale move, more than [`MAX_EXACT_CASES`] combinations of stale-fill sides, or a
    /// zero volatility.
    ///
    /// Given which interval each stale move falls in (below `-h`, between the thresholds, above
    /// `h`, for the half-spreads `h` of the fills resting on it), every fill and hedge is known,
    /// and the total is `K + Σ w_i Δ_i`: linear in the independent normal moves `Δ_i`, the
    /// constrained ones truncated to their interval. The mixture of those cases gives the
    /// moments exactly.
    pub fn exact(&self) -> Option<Moments> {
        let sigma = self.sigma_cents;
        if sigma.is_nan() || sigma <= 0.0 {
            return None;
        }
        // Which move each stale fill rests on, and the thresholds it brings.
        let moves = self
            .template
            .iter()
            .filter(|t| matches!(t, Template::Move { .. }))
            .count();
        let mut thresholds: Vec<Vec<i64>> = vec![Vec::new(); moves];
        let (mut source, mut fresh, mut mi) = (None::<usize>, true, 0usize);
        for t in &self.template {
            match *t {
                Template::Move { stale } => {
                    source = match (stale, fresh) {
                        (true, true) => Some(mi),
                        _ => None,
                    };
                    fresh = !stale;
                    mi += 1;
                }
                Template::Refresh => {
                    (source, fresh) = (None, true);
                }
                Template::StaleFill { h, .. } => thresholds[source?].push(h.max(0)),
                Template::Fill { .. } => {}
            }
        }
        // The intervals of each constrained move: cut at ±h for every h it carries.
        let intervals: Vec<Vec<(f64, f64)>> = thresholds
            .iter_mut()
            .map(|hs| {
                if hs.is_empty() {
                    return Vec::new();
                }
                hs.sort_unstable();
                hs.dedup();
                let mut cuts: Vec<f64> = hs.iter().rev().map(|&h| -(h as f64)).collect();
                cuts.extend(hs.iter().map(|&h| h as f64));
                let mut edges = vec![f64::NEG_INFINITY];
                edges.extend(cuts);
                edges.push(f64::INFINITY);
                edges.windows(2).map(|w| (w[0], w[1])).collect()
            })
            .collect();
        let cases = intervals
            .iter()
            .filter(|v| !v.is_empty())
            .try_fold(1usize, |n, v| n.checked_mul(v.len()))?;
        if cases > MAX_EXACT_CASES {
            return None;
        }
        let (mut mean, mut second) = (0.0f64, 0.0f64);
        let mut choice = vec![0usize; moves];
        for case in 0..cases {
            // Decode the case into one interval per constrained move.
            let mut rest = case;
            let mut p = 1.0;
            let mut moments = vec![(0.0, sigma * sigma); moves];
            for (m, iv) in intervals.iter().enumerate() {
                if iv.is_empty() {
                    continue;
                }
                choice[m] = rest % iv.len();
                rest /= iv.len();
                let (lo, hi) = iv[choice[m]];
                let t = truncated(lo, hi, sigma);
                p *= t.0;
                moments[m] = (t.1, t.2);
            }
            if p <= 0.0 {
                continue;
            }
            let (k, w) = self.linear_total(&intervals, &choice);
            let mu = k + w
                .iter()
                .zip(&moments)
                .map(|(w, (m1, _))| w * m1)
                .sum::<f64>();
            let var: f64 = w.iter().zip(&moments).map(|(w, (_, v))| w * w * v).sum();
            mean += p * mu;
            second += p * (var + mu * mu);
        }
        Some(Moments {
            mean_cents: mean,
            stdev_cents: (second - mean * mean).max(0.0).sqrt(),
        })
    }

    /// The total PnL in one case as `K + Σ w_i Δ_i` (cents, `w` in BTC per move), with each
    /// constrained move's interval given by `choice`.
    fn linear_total(&self, intervals: &[Vec<(f64, f64)>], choice: &[usize]) -> (f64, Vec<f64>) {
        let btc = |q: i64| q as f64 / crate::engine::num::SATS_PER_BTC as f64;
        let mut r = self
            .start
            .i_client
            .sats()
            .saturating_add(self.start.h_external.sats());
        let mut k = 0.0;
        let mut w = vec![0.0; intervals.len()];
        let (mut mi, mut source) = (0usize, None::<usize>);
        let cost = self.cost.cents() as f64;
        let after_customer = |r: &mut i64, k: &mut f64| {
            if let Some(h) = self.rule.hedge_for(Qty::from_sats(*r), &self.limits) {
                *k -= btc(h.sats().abs()) * cost;
                *r = r.saturating_add(h.sats());
            }
        };
        for t in &self.template {
            match *t {
                Template::Move { stale } => {
                    w[mi] += btc(r);
                    source = stale.then_some(mi);
                    mi += 1;
                }
                Template::Refresh => source = None,
                Template::Fill { d, edge, hedge } => {
                    k -= btc(d.sats()) * edge as f64;
                    r = r.saturating_add(d.sats());
                    if !hedge {
                        after_customer(&mut r, &mut k);
                    }
                }
                Template::StaleFill { qty, h } => {
                    let Some(m) = source else { continue };
                    let (lo, hi) = intervals[m][choice[m]];
                    let (q, h) = (btc(qty.sats()), h.max(0) as f64);
                    let side = if hi <= -h {
                        1 // fair fell through the bid: the dealer buys
                    } else if lo >= h {
                        -1 // fair rose through the ask: the dealer sells
                    } else {
                        continue;
                    };
                    k += q * h;
                    w[m] += side as f64 * q;
                    r = r.saturating_add(side * qty.sats());
                    after_customer(&mut r, &mut k);
                }
            }
        }
        (k, w)
    }

    /// Engine events of one path before any rule hedge (the template's length).
    pub fn events(&self) -> usize {
        self.template.len()
    }

    /// Runs `paths` paths from `seed`.
    pub fn run(&self, paths: usize, seed: u64) -> Result<Outcomes, SimError> {
        self.run_with_progress(paths, seed, &mut |_| {})
    }

    /// [`Model::run`], telling `progress` how many paths are done every [`PROGRESS_EVERY`] paths
    /// (the same outcomes: progress draws no random numbers).
    pub fn run_with_progress(
        &self,
        paths: usize,
        seed: u64,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Outcomes, SimError> {
        let mut run = PathRun::new(self.clone(), paths, seed)?;
        while !run.advance(PROGRESS_EVERY)? {
            progress(run.done());
        }
        Ok(run.finish())
    }

    /// One path: draws its fair moves from `rng` and applies the template to a copy of `base`.
    fn one_path(
        &self,
        path: usize,
        rng: &mut Pcg64Mcg,
        base: &Ledger,
        start_r: Qty,
        out: &mut Outcomes,
    ) -> Result<(), SimError> {
        let limits = self.limits;
        let engine = |error| SimError::Engine {
            path: path + 1,
            error,
        };
        let mut ledger = base.clone();
        let mut risk = RiskTracker::new(start_r);
        let mut events = 0u64;
        for t in &self.template {
            let event = match *t {
                Template::StaleFill { qty, h } => {
                    let b = &ledger.book;
                    match informed_fill(qty, h, b.fair.cents(), b.quote_ref.cents()) {
                        Some(e) => e,
                        None => {
                            // No trade, but this is where the tape's engine learned of the
                            // gap; later fills sit on its protective quotes, as on the tape.
                            ledger.book.stale_detected = ledger.book.is_stale();
                            continue;
                        }
                    }
                }
                Template::Move { stale } => {
                    let z: f64 = StandardNormal.sample(rng);
                    let step = (z * self.sigma_cents).round() as i64;
                    let f = ledger.book.fair.cents().saturating_add(step).max(1);
                    Event::Fair {
                        price: Price::from_cents(f),
                        stale,
                    }
                }
                Template::Refresh => Event::Refresh,
                Template::Fill { d, edge, hedge } => {
                    // A fill the tape made on a fresh or protective quote stays an ordinary
                    // fill whatever the drawn reference gap: only the tape's stale fills
                    // become informed trades (and the stale-fill bucket holds only them).
                    if !hedge {
                        ledger.book.stale_detected = ledger.book.is_stale();
                    }
                    let price = Price::from_cents(ledger.book.fair.cents().saturating_add(edge));
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
            if matches!(
                t,
                Template::Fill { hedge: false, .. } | Template::StaleFill { .. }
            ) {
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
            out.buckets[i].push(stats::to_cents(ledger.buckets.get(*b)));
        }
        out.events += events;
        Ok(())
    }
}

/// A simulation in progress, run a slice of paths at a time so a page stays responsive between
/// slices and can drop a run a reader no longer wants. Slices give exactly the paths one
/// [`Model::run`] gives: the same generator carries on from slice to slice.
#[derive(Clone, Debug)]
pub struct PathRun {
    model: Model,
    rng: Pcg64Mcg,
    base: Ledger,
    start_r: Qty,
    paths: usize,
    out: Outcomes,
}

impl PathRun {
    /// A run of `paths` paths of `model` from `seed`, none done yet.
    pub fn new(model: Model, paths: usize, seed: u64) -> Result<PathRun, SimError> {
        let base =
            Ledger::new(&model.start).map_err(|error| SimError::Engine { path: 1, error })?;
        let start_r = base.book.r_residual();
        let mut buckets: [Vec<i64>; 4] = Default::default();
        for b in &mut buckets {
            b.reserve(paths);
        }
        Ok(PathRun {
            model,
            rng: Pcg64Mcg::seed_from_u64(seed),
            base,
            start_r,
            paths,
            out: Outcomes {
                totals: Vec::with_capacity(paths),
                max_abs_r: Vec::with_capacity(paths),
                drawdowns: Vec::with_capacity(paths),
                buckets,
                events: 0,
            },
        })
    }

    /// Runs up to `max_paths` more paths; true once every path is done.
    pub fn advance(&mut self, max_paths: usize) -> Result<bool, SimError> {
        let end = self.done().saturating_add(max_paths).min(self.paths);
        for path in self.done()..end {
            self.model
                .one_path(path, &mut self.rng, &self.base, self.start_r, &mut self.out)?;
        }
        Ok(self.done() == self.paths)
    }

    /// Paths done so far.
    pub fn done(&self) -> usize {
        self.out.totals.len()
    }

    /// Paths asked for.
    pub fn paths(&self) -> usize {
        self.paths
    }

    /// The model being run.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The outcomes of the paths done.
    pub fn finish(self) -> Outcomes {
        self.out
    }
}

/// Most combinations of stale-fill sides [`Model::exact`] enumerates.
pub const MAX_EXACT_CASES: usize = 4096;

/// Exact moments of a total, in cents.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moments {
    /// Mean, in cents.
    pub mean_cents: f64,
    /// Standard deviation, in cents.
    pub stdev_cents: f64,
}

impl Moments {
    /// Mean and standard deviation rounded to the cent, as amounts.
    pub fn rounded(&self) -> Spread {
        Spread {
            mean: stats::from_cents(self.mean_cents.round() as i64),
            stdev: stats::from_cents(self.stdev_cents.round() as i64),
        }
    }

    /// The variance in dollars squared (for certainty equivalents).
    pub fn variance_usd2(&self) -> f64 {
        (self.stdev_cents / 100.0).powi(2)
    }
}

/// `(P(lo < Z σ < hi), E[Δ | lo < Δ < hi], Var[Δ | lo < Δ < hi])` for `Δ ~ N(0, σ²)`.
fn truncated(lo: f64, hi: f64, sigma: f64) -> (f64, f64, f64) {
    let phi = |x: f64| {
        if x.is_infinite() {
            0.0
        } else {
            (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
        }
    };
    let cdf = |x: f64| 0.5 * libm::erfc(-x / std::f64::consts::SQRT_2);
    let xphi = |x: f64| if x.is_infinite() { 0.0 } else { x * phi(x) };
    let (a, b) = (lo / sigma, hi / sigma);
    let p = cdf(b) - cdf(a);
    if p <= 0.0 {
        return (0.0, 0.0, 0.0);
    }
    let m1 = (phi(a) - phi(b)) / p;
    let m2 = 1.0 + (xphi(a) - xphi(b)) / p;
    (p, sigma * m1, sigma * sigma * (m2 - m1 * m1).max(0.0))
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
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
    /// The model's exact mean and standard deviation of the total, where it gives them
    /// ([`Model::exact`]).
    pub exact: Option<Spread>,
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
            exact: None,
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

/// How many paths [`Model::run_with_progress`] runs between two progress calls.
pub const PROGRESS_EVERY: usize = 4096;

/// Checks the parameters, runs the paths and summarizes them.
pub fn simulate(tape: &Tape, params: SimParams) -> Result<Summary, SimError> {
    simulate_with_progress(tape, params, &mut |_| {})
}

/// [`simulate`], telling `progress` how many paths are done as it goes (see
/// [`Model::run_with_progress`]); the summary is the same.
pub fn simulate_with_progress(
    tape: &Tape,
    params: SimParams,
    progress: &mut dyn FnMut(usize),
) -> Result<Summary, SimError> {
    check(&params)?;
    let model = Model::new(tape, params.rule, params.cost, params.regime);
    let mut summary = model
        .run_with_progress(params.paths, params.seed, progress)?
        .summary(params);
    summary.exact = model.exact().map(|m| m.rounded());
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::stats::Stats;

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
        // Flat carries no residual into any move: its inventory markout is zero on every path.
        assert_eq!(flat.buckets[1], Spread::default());
        // Ordinary customer edges are kept: spread edge +$225 on every path.
        for s in [&none, &band, &flat] {
            assert_eq!(
                s.buckets[0],
                Spread {
                    mean: Money::usd(225),
                    stdev: Money::ZERO
                }
            );
        }
        assert!(none.total.p05 < none.total.p50 && none.total.p50 < none.total.p95);
    }

    /// The stale fill follows the drawn move: the informed customer trades only when the move
    /// left the resting quote on the wrong side of fair, so the stale-fill markout is never
    /// positive, is zero on paths where the move stayed inside the half-spread, and grows with
    /// the size of the move.
    #[test]
    fn the_stale_fill_follows_the_move() {
        let m = Model::new(&chapter(), HedgeRule::None, Price::usd(50), Regime::Normal);
        let out = m.run(5_000, 9).unwrap();
        let stale = &out.buckets[3];
        assert!(
            stale.iter().all(|&c| c <= 0),
            "an informed fill never gains the dealer"
        );
        let zero = stale.iter().filter(|&&c| c == 0).count();
        assert!(zero > 0 && zero < 5_000, "{zero} paths without a pick-off");
        // σ = $1,000, h = $50: P(|Δ| <= h) = 4.0%.
        let share = zero as f64 / 5_000.0;
        assert!((share - 0.0399).abs() < 0.015, "{share}");
        assert!(
            stats::stdev(stale) > 50_000,
            "the loss varies with the move"
        );
        // Exactly q x max(|Δ| - h, 0): the smallest loss is just beyond the half-spread.
        let worst = *stale.iter().min().unwrap();
        assert!(worst < -300_000, "{worst}");
    }

    #[test]
    fn informed_fill_sides() {
        let q = Qty::btc(2);
        assert_eq!(
            informed_fill(q, 5_000, 9_950_000, 10_050_000),
            Some(Event::ClientSell {
                qty: q,
                price: Price::usd(100_450)
            })
        );
        assert_eq!(
            informed_fill(q, 5_000, 10_150_000, 10_050_000),
            Some(Event::ClientBuy {
                qty: q,
                price: Price::usd(100_550)
            })
        );
        assert_eq!(informed_fill(q, 5_000, 10_047_000, 10_050_000), None);
        assert_eq!(
            informed_fill(q, 5_000, 10_045_000, 10_050_000),
            None,
            "exactly h"
        );
        assert_eq!(
            informed_fill(q, 5_000, 10_055_000, 10_050_000),
            None,
            "exactly h"
        );
    }

    /// The closed form agrees with the simulation on the chapter's tape, every rule and regime.
    #[test]
    fn exact_moments_match_the_simulation() {
        for rule in HedgeRule::ALL {
            for regime in Regime::ALL {
                let m = Model::new(&chapter(), rule, Price::usd(50), regime);
                let exact = m.exact().expect("the chapter's stale fill has one source");
                let out = m.run(40_000, 5).unwrap();
                let sim = Stats::of_cents(&out.totals);
                let se = sim.stderr.as_f64() * 100.0;
                let gap = (sim.mean.as_f64() * 100.0 - exact.mean_cents).abs();
                assert!(
                    gap <= 5.0 * se + 1.0,
                    "{rule:?} {regime:?}: mean off by {gap} cents, se {se}"
                );
                let sd = sim.stdev.as_f64() * 100.0;
                assert!(
                    (sd - exact.stdev_cents).abs() <= 0.03 * exact.stdev_cents + 1.0,
                    "{rule:?} {regime:?}: stdev {sd} vs {}",
                    exact.stdev_cents
                );
            }
        }
    }

    #[test]
    fn no_exact_moments_for_a_gap_built_by_two_stale_moves() {
        let t = Tape::from_json(
            r#"{"title":"t","start":{"fair":100000},"steps":[{"title":"s","events":[
                {"type":"fair","price":99900,"stale":true},{"type":"fair","price":99800,"stale":true},
                {"type":"client_sell","qty":1,"price":99950}]}]}"#,
        )
        .unwrap();
        assert_eq!(
            Model::new(&t, HedgeRule::None, Price::usd(50), Regime::Normal).exact(),
            None
        );
        let s = simulate(
            &t,
            SimParams {
                paths: 10,
                ..SimParams::default()
            },
        )
        .unwrap();
        assert_eq!(s.exact, None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        /// Over random tapes: the simulated mean is within five standard errors of the exact
        /// one, and the stale-fill bucket is never positive on any path.
        #[test]
        fn exact_and_simulated_agree_on_random_tapes(
            events in proptest::collection::vec((0u8..7, 1i64..300, -200i64..200), 1..10),
            rule in 0usize..4,
        ) {
            let mut list = Vec::new();
            for (kind, q, dp) in &events {
                let qty = format!("{}.{:02}", q / 100, q % 100);
                let qty = if *q < 100 { "1".to_string() } else { qty };
                let price = 100_000 + dp;
                list.push(match kind {
                    0 => format!(r#"{{"type":"client_buy","qty":{qty},"price":{price}}}"#),
                    1 => format!(r#"{{"type":"client_sell","qty":{qty},"price":{price}}}"#),
                    2 => format!(r#"{{"type":"hedge_buy","qty":{qty},"price":{price}}}"#),
                    3 => format!(r#"{{"type":"hedge_sell","qty":{qty},"price":{price}}}"#),
                    4 => format!(r#"{{"type":"fair","price":{price},"stale":true}}"#),
                    5 => format!(r#"{{"type":"fair","price":{price}}}"#),
                    _ => r#"{"type":"refresh"}"#.to_string(),
                });
            }
            let text = format!(r#"{{"title":"t","start":{{"fair":100000}},"steps":[{{"title":"s","events":[{}]}}]}}"#, list.join(","));
            let tape = Tape::from_json(&text).unwrap();
            let m = Model::new(&tape, HedgeRule::ALL[rule], Price::usd(30), Regime::Normal);
            let out = m.run(4_000, 11).unwrap();
            proptest::prop_assert!(out.buckets[3].iter().all(|&c| c <= 0));
            if let Some(exact) = m.exact() {
                let sim = Stats::of_cents(&out.totals);
                let se = sim.stderr.as_f64() * 100.0;
                let gap = (sim.mean.as_f64() * 100.0 - exact.mean_cents).abs();
                proptest::prop_assert!(gap <= 5.0 * se + 2.0, "mean off by {} cents, se {}", gap, se);
            }
        }
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
        assert!(s.max_abs_r_residual.0 >= Qty::btc(3));
        assert!(s.exact.is_some());
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

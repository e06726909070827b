//! Replays a tape step by step into reports: the book after every event and step, each PnL
//! contribution with its worked calculation, cumulative buckets, the band, and how much customer
//! flow was internalized versus hedged externally.
//!
//! A replay is computed once; widgets index into it with a cursor (0 = the starting book,
//! `n` = after step `n`) and never recompute accounting.

use crate::engine::book::{Band, BandLimits, Book};
use crate::engine::num::EngineError;
use crate::engine::num::{Money, Qty};
use crate::engine::pnl::{Buckets, Contribution, Ledger};
use crate::engine::tape::{Event, Location, Start, Step, Tape};

/// Customer and hedge flow over a stretch of the tape.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flow {
    /// BTC customers bought from the dealer.
    pub client_bought: Qty,
    /// BTC customers sold to the dealer.
    pub client_sold: Qty,
    /// Customer quantity that offset earlier, opposite customer flow already on the book
    /// (it reduced `|I_client|`): risk netted internally, with no external trade.
    pub internalized: Qty,
    /// The part of `internalized` that came from fills on a stale quote (booked as stale-fill
    /// markout): toxic flow absorbed into the book, not healthy netting.
    pub internalized_toxic: Qty,
    /// Customer quantity that moved `R_residual` toward zero: risk actually netted. Netting
    /// `I_client` is not the same thing: when earlier flow was already hedged, a customer trade
    /// that shrinks `|I_client|` can grow `|R_residual|`.
    pub risk_reduced: Qty,
    /// Customer quantity that moved `R_residual` away from zero (new risk taken on).
    pub risk_added: Qty,
    /// BTC traded on external venues (both directions).
    pub hedged: Qty,
    /// External hedge cost incurred (the hedge bucket's change).
    pub hedge_cost: Money,
}

impl Flow {
    fn add(&mut self, other: &Flow) {
        self.client_bought = self.client_bought.saturating_add(other.client_bought);
        self.client_sold = self.client_sold.saturating_add(other.client_sold);
        self.internalized = self.internalized.saturating_add(other.internalized);
        self.internalized_toxic = self
            .internalized_toxic
            .saturating_add(other.internalized_toxic);
        self.risk_reduced = self.risk_reduced.saturating_add(other.risk_reduced);
        self.risk_added = self.risk_added.saturating_add(other.risk_added);
        self.hedged = self.hedged.saturating_add(other.hedged);
        self.hedge_cost = self.hedge_cost.saturating_add(other.hedge_cost);
    }
}

/// One event with the book right after it and its PnL contribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventReport {
    /// The event as written on the tape.
    pub event: Event,
    /// The book after the event.
    pub book: Book,
    /// What it added to which bucket, if anything.
    pub contribution: Option<Contribution>,
}

/// One step after replay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepReport {
    /// Step title.
    pub title: String,
    /// Optional narration.
    pub note: Option<String>,
    /// Each event with its effect.
    pub events: Vec<EventReport>,
    /// The book at the end of the step.
    pub book: Book,
    /// The band at the end of the step.
    pub band: Band,
    /// The worst band seen after any event of the step (e.g. red mid-step before a hedge).
    pub peak_band: Band,
    /// PnL added by this step alone.
    pub step_pnl: Buckets,
    /// Cumulative PnL up to and including this step.
    pub pnl: Buckets,
    /// Flow in this step alone.
    pub flow: Flow,
    /// Mark-to-market PnL computed from cash and positions (equals `pnl.total()`).
    pub mark_to_market: Money,
}

/// A whole tape after replay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replay {
    /// The tape's title.
    pub title: String,
    /// The starting book.
    pub start: Book,
    /// Band limits used for every band in the report.
    pub limits: BandLimits,
    /// Decimal places the tape uses for quantities (at least 1).
    pub qty_decimals: u32,
    /// One report per step.
    pub steps: Vec<StepReport>,
}

/// A replay failure: the engine's exact range was exceeded at a given event.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {error}")]
pub struct ReplayError {
    /// Where.
    pub location: Location,
    /// What.
    pub error: EngineError,
}

/// Replays a tape with the chapter's band limits.
pub fn replay(tape: &Tape) -> Result<Replay, ReplayError> {
    replay_with(tape, BandLimits::default())
}

/// Replays a tape with the given band limits.
pub fn replay_with(tape: &Tape, limits: BandLimits) -> Result<Replay, ReplayError> {
    let mut replayer = Replayer::new(&tape.start, limits)?;
    let steps = tape
        .steps
        .iter()
        .map(|step| replayer.step(step))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Replay {
        title: tape.title.clone(),
        start: replayer.start,
        limits,
        qty_decimals: tape.qty_decimals(),
        steps,
    })
}

/// Replays a tape one step at a time, for callers that read a tape as a stream
/// ([`crate::engine::tape::read`]) and never hold all of it.
#[derive(Clone, Debug)]
pub struct Replayer {
    ledger: Ledger,
    limits: BandLimits,
    start: Book,
    done: usize,
    risk: crate::engine::risk::RiskTracker,
}

impl Replayer {
    /// A replayer at the tape's starting book.
    pub fn new(start: &Start, limits: BandLimits) -> Result<Replayer, ReplayError> {
        let ledger = Ledger::new(start).map_err(|error| ReplayError {
            location: Location::Start,
            error,
        })?;
        Ok(Replayer {
            start: ledger.book,
            risk: crate::engine::risk::RiskTracker::new(ledger.book.r_residual()),
            ledger,
            limits,
            done: 0,
        })
    }

    /// The path risk so far (largest `|R_residual|`, worst drawdown), as [`Replay::risk`]
    /// reads it from a whole replay.
    pub fn risk(&self) -> crate::engine::risk::Risk {
        self.risk.risk()
    }

    /// Applies the next step and reports it.
    pub fn step(&mut self, step: &Step) -> Result<StepReport, ReplayError> {
        self.advance(step, true)
    }

    /// Applies the next step and reports its end state only: `events` is left empty, which
    /// saves a per-event record when only step totals are wanted (the CLI's `--json`).
    pub fn step_totals(&mut self, step: &Step) -> Result<StepReport, ReplayError> {
        self.advance(step, false)
    }

    fn advance(&mut self, step: &Step, keep_events: bool) -> Result<StepReport, ReplayError> {
        self.done += 1;
        let (ledger, limits, risk) = (&mut self.ledger, &self.limits, &mut self.risk);
        let before = ledger.buckets;
        let mut flow = Flow::default();
        let mut peak_band = ledger.book.band(limits);
        let mut events = Vec::with_capacity(if keep_events { step.events.len() } else { 0 });
        for (ei, event) in step.events.iter().enumerate() {
            let (i_before, r_before) = (ledger.book.i_client, ledger.book.r_residual());
            let contribution = ledger.apply(event).map_err(|error| ReplayError {
                location: Location::Event {
                    step: self.done,
                    event: ei + 1,
                },
                error,
            })?;
            record_flow(
                &mut flow,
                event,
                (i_before, r_before),
                contribution.as_ref(),
            );
            risk.observe(ledger.book.r_residual(), ledger.buckets.total());
            peak_band = peak_band.max(ledger.book.band(limits));
            if keep_events {
                events.push(EventReport {
                    event: *event,
                    book: ledger.book,
                    contribution,
                });
            }
        }
        let pnl = ledger.buckets;
        let step_pnl = Buckets {
            spread_edge: pnl.spread_edge - before.spread_edge,
            inventory_markout: pnl.inventory_markout - before.inventory_markout,
            hedge_cost: pnl.hedge_cost - before.hedge_cost,
            toxic_markout: pnl.toxic_markout - before.toxic_markout,
        };
        Ok(StepReport {
            title: step.title.clone(),
            note: step.note.clone(),
            events,
            book: ledger.book,
            band: ledger.book.band(limits),
            peak_band,
            step_pnl,
            pnl,
            flow,
            mark_to_market: ledger.mark_to_market(),
        })
    }
}

fn record_flow(
    flow: &mut Flow,
    event: &Event,
    (i_before, r_before): (Qty, Qty),
    contribution: Option<&Contribution>,
) {
    let Some((d, _)) = event.dealer_fill() else {
        return;
    };
    if event.is_hedge() {
        flow.hedged = flow.hedged.saturating_add(d.abs());
        if let Some(c) = contribution {
            flow.hedge_cost = flow.hedge_cost.saturating_add(c.amount);
        }
        return;
    }
    match event {
        Event::ClientBuy { qty, .. } => {
            flow.client_bought = flow.client_bought.saturating_add(*qty)
        }
        _ => flow.client_sold = flow.client_sold.saturating_add(d),
    }
    // The part of this fill that moves R_residual toward zero reduces risk; the rest adds it.
    let reduced = if !r_before.is_zero() && r_before.is_positive() != d.is_positive() {
        d.abs().min(r_before.abs())
    } else {
        Qty::ZERO
    };
    flow.risk_reduced = flow.risk_reduced.saturating_add(reduced);
    flow.risk_added = flow
        .risk_added
        .saturating_add(Qty::from_sats(d.abs().sats() - reduced.sats()));
    // The part of this fill that moves I_client back toward zero offsets earlier customer flow.
    if !i_before.is_zero() && i_before.is_positive() != d.is_positive() {
        let offset = d.abs().min(i_before.abs());
        flow.internalized = flow.internalized.saturating_add(offset);
        if contribution.is_some_and(|c| c.bucket == crate::engine::pnl::Bucket::ToxicMarkout) {
            flow.internalized_toxic = flow.internalized_toxic.saturating_add(offset);
        }
    }
}

impl Replay {
    /// The path risk of the whole replay (largest `|R_residual|`, worst drawdown; [`crate::engine::risk`]).
    pub fn risk(&self) -> crate::engine::risk::Risk {
        let mut t = crate::engine::risk::RiskTracker::new(self.start.r_residual());
        let mut total = Money::ZERO;
        for s in &self.steps {
            for e in &s.events {
                if let Some(c) = &e.contribution {
                    total += c.amount;
                }
                t.observe(e.book.r_residual(), total);
            }
        }
        t.risk()
    }

    /// Number of steps.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// True if the replay has no steps (never, for a parsed tape).
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The book at a cursor: 0 is the start, `n` is after step `n` (clamped to the last step).
    pub fn book_at(&self, cursor: usize) -> Book {
        match cursor.min(self.len()) {
            0 => self.start,
            n => self.steps[n - 1].book,
        }
    }

    /// The band at a cursor.
    pub fn band_at(&self, cursor: usize) -> Band {
        self.book_at(cursor).band(&self.limits)
    }

    /// Cumulative buckets at a cursor (zero at the start).
    pub fn pnl_at(&self, cursor: usize) -> Buckets {
        match cursor.min(self.len()) {
            0 => Buckets::default(),
            n => self.steps[n - 1].pnl,
        }
    }

    /// The step report that brought the book to this cursor (`None` at the start).
    pub fn step_at(&self, cursor: usize) -> Option<&StepReport> {
        match cursor.min(self.len()) {
            0 => None,
            n => Some(&self.steps[n - 1]),
        }
    }

    /// Flow summed over steps `1..=cursor`.
    pub fn flow_until(&self, cursor: usize) -> Flow {
        let mut total = Flow::default();
        for s in self.steps.iter().take(cursor) {
            total.add(&s.flow);
        }
        total
    }

    /// Largest absolute cumulative bucket amount over the whole replay, for a stable chart scale.
    pub fn max_abs_pnl(&self) -> Money {
        let mut m = Money::ZERO;
        for s in &self.steps {
            for b in crate::engine::pnl::Bucket::ALL {
                m = m.max(s.pnl.get(b).abs());
            }
            m = m.max(s.pnl.total().abs());
        }
        m
    }

    /// Every contribution to every bucket up to a cursor, in tape order.
    pub fn contributions_until(&self, cursor: usize) -> impl Iterator<Item = &Contribution> {
        self.steps
            .iter()
            .take(cursor)
            .flat_map(|s| s.events.iter().filter_map(|e| e.contribution.as_ref()))
    }
}

/// The chapter's tape, replayed: the fixture the crate's unit tests share.
#[cfg(test)]
pub(crate) fn chapter_replay() -> Replay {
    let tape =
        crate::engine::tape::Tape::from_json(crate::CHAPTER_TAPE).expect("the chapter tape parses");
    replay(&tape).expect("the chapter tape replays")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapter_tape_risk() {
        let r = chapter_replay();
        let k = r.risk();
        // -3 BTC after the second customer buy, before the hedge.
        assert_eq!(k.max_abs_r_residual, Qty::btc(3));
        // Totals after each event: 50, 30, 130 (peak), -10, -490, -415, -915, -2,815, -2,875
        // (trough, after the hedge sale), -2,575: the worst fall is 130 + 2,875 = $3,005.
        assert_eq!(k.worst_drawdown, Money::usd(3005));
        assert_eq!(k.worst_drawdown, walk(&r));
    }

    /// The same definition written out longhand from per-step cumulative totals of each event.
    fn walk(r: &Replay) -> Money {
        let mut totals = vec![0i128];
        let mut t = 0i128;
        for s in &r.steps {
            for e in &s.events {
                t += e.contribution.map(|c| c.amount.units()).unwrap_or(0);
                totals.push(t);
            }
        }
        let mut worst = 0i128;
        for (i, &v) in totals.iter().enumerate() {
            let peak = totals[..=i].iter().copied().max().unwrap_or(0);
            worst = worst.max(peak - v);
        }
        Money::from_units(worst)
    }
}

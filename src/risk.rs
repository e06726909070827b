//! Path risk of a replay: how large the unhedged position got and how far PnL fell.
//!
//! - `max_abs_r_residual`: the largest `|R_residual|` over the starting book and the book after
//!   every event;
//! - `worst_drawdown`: the largest fall of total PnL from its running peak, with the peak
//!   starting at 0 before the first event and PnL measured after every event; a positive amount
//!   (0 when PnL never falls below an earlier peak).
//!
//! [`RiskTracker`] is fed event by event (the simulation uses it directly); [`risk`] reads a
//! finished [`Replay`].

use crate::num::{Money, Qty};
use crate::replay::Replay;

/// The risk figures of one path.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Risk {
    /// Largest `|R_residual|` seen (unsigned).
    pub max_abs_r_residual: Qty,
    /// Largest fall of total PnL from its running peak (positive or zero).
    pub worst_drawdown: Money,
}

/// Accumulates [`Risk`] event by event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RiskTracker {
    risk: Risk,
    peak: Money,
}

impl RiskTracker {
    /// Starts at the starting book's residual, with the PnL peak at 0.
    pub fn new(start_r_residual: Qty) -> RiskTracker {
        RiskTracker {
            risk: Risk {
                max_abs_r_residual: start_r_residual.abs(),
                worst_drawdown: Money::ZERO,
            },
            peak: Money::ZERO,
        }
    }

    /// Records the book's residual and the total PnL right after an event.
    #[inline]
    pub fn observe(&mut self, r_residual: Qty, total: Money) {
        let r = r_residual.abs();
        if r > self.risk.max_abs_r_residual {
            self.risk.max_abs_r_residual = r;
        }
        if total > self.peak {
            self.peak = total;
        } else {
            let fall = Money::from_units(self.peak.units() - total.units());
            if fall > self.risk.worst_drawdown {
                self.risk.worst_drawdown = fall;
            }
        }
    }

    /// The figures so far.
    pub fn risk(&self) -> Risk {
        self.risk
    }
}

/// The risk figures of a replayed tape.
pub fn risk(replay: &Replay) -> Risk {
    let mut t = RiskTracker::new(replay.start.r_residual());
    let mut total = Money::ZERO;
    for s in &replay.steps {
        for e in &s.events {
            if let Some(c) = &e.contribution {
                total += c.amount;
            }
            t.observe(e.book.r_residual(), total);
        }
    }
    t.risk()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tape::Tape;

    #[test]
    fn chapter_tape_risk() {
        let r = crate::replay::replay(&Tape::from_json(crate::CHAPTER_TAPE).unwrap()).unwrap();
        let k = risk(&r);
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

    #[test]
    fn drawdown_from_zero_peak_and_recovery() {
        let mut t = RiskTracker::new(Qty::btc(-2));
        t.observe(Qty::btc(1), Money::usd(-30));
        t.observe(Qty::btc(1), Money::usd(100));
        t.observe(Qty::ZERO, Money::usd(40));
        t.observe(Qty::ZERO, Money::usd(90));
        assert_eq!(
            t.risk(),
            Risk {
                max_abs_r_residual: Qty::btc(2),
                worst_drawdown: Money::usd(60)
            }
        );
    }
}

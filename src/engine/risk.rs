//! Path risk of a replay: how large the unhedged position got and how far PnL fell.
//!
//! - `max_abs_r_residual`: the largest `|R_residual|` over the starting book and the book after
//!   every event;
//! - `worst_drawdown`: the largest fall of total PnL from its running peak, with the peak
//!   starting at 0 before the first event and PnL measured after every event; a positive amount
//!   (0 when PnL never falls below an earlier peak).
//!
//! [`RiskTracker`] is fed event by event (the simulation and the replayer use it directly);
//! `Replay::risk` reads a finished replay with it.

use crate::engine::num::{Money, Qty};

/// The risk figures of one path.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
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

#[cfg(test)]
mod tests {
    use super::*;

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

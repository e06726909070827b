//! A PnL contribution in words: its worked calculation as the chapter prints it. The engine's
//! [`Contribution`] holds the numbers; this is the one place they become a line of text, for the
//! widgets, the CLI, the exports and the chapter's prose alike.

use crate::engine::pnl::{Calculation, Contribution};
use crate::words::format;

/// The worked calculation of one contribution: `qty x (received - paid) = amount` for a fill,
/// `R_residual x (new fair - old fair) = amount` for a markout, e.g.
/// `1.5 x ($100,500 - $100,450) = +$75`.
pub fn worked(c: &Contribution) -> String {
    let (factor, a, b) = match c.calc {
        Calculation::Fill {
            qty,
            received,
            paid,
        } => (format::qty(qty), received, paid),
        Calculation::Markout {
            r_residual,
            to,
            from,
        } => (format::factor(r_residual), to, from),
    };
    format!(
        "{factor} x ({} - {}) = {}",
        format::price(a),
        format::price(b),
        format::money(c.amount)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::num::{Money, Price, Qty};
    use crate::engine::pnl::Bucket;

    #[test]
    fn a_fill_reads_qty_times_received_minus_paid() {
        let buy = Contribution {
            bucket: Bucket::SpreadEdge,
            amount: Money::usd(50),
            calc: Calculation::Fill {
                qty: Qty::btc(1),
                received: Price::usd(100_050),
                paid: Price::usd(100_000),
            },
        };
        assert_eq!(worked(&buy), "1 x ($100,050 - $100,000) = +$50");
        let hedge = Contribution {
            bucket: Bucket::HedgeCost,
            amount: Money::usd(-60),
            calc: Calculation::Fill {
                qty: Qty::from_sats(150_000_000),
                received: Price::usd(99_960),
                paid: Price::usd(100_000),
            },
        };
        assert_eq!(worked(&hedge), "1.5 x ($99,960 - $100,000) = -$60");
    }

    #[test]
    fn a_markout_reads_signed_residual_times_the_move() {
        let m = Contribution {
            bucket: Bucket::InventoryMarkout,
            amount: Money::usd(-480),
            calc: Calculation::Markout {
                r_residual: Qty::btc(-1),
                to: Price::usd(100_500),
                from: Price::usd(100_020),
            },
        };
        assert_eq!(worked(&m), "-1 x ($100,500 - $100,020) = -$480");
    }
}

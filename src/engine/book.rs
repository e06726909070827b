//! The dealer's book: the three BTC quantities, fresh fair value, the quote reference and the
//! toy risk band, with the sign conventions of the chapter (always the dealer's point of view).
//!
//! - customer buys: `i_client -= qty`; customer sells: `i_client += qty`;
//! - dealer buys a hedge: `h_external += qty`; dealer sells a hedge: `h_external -= qty`;
//! - `r_residual = i_client + h_external` (positive: net long; negative: net short).

use crate::engine::num::{EngineError, Price, Qty};

/// A snapshot of the book. Plain data: apply events with [`crate::engine::pnl::Ledger`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Book {
    /// Inventory created by customer trades.
    pub i_client: Qty,
    /// Position from external hedge trades.
    pub h_external: Qty,
    /// Fresh fair value: the mark every fill and position is valued at.
    pub fair: Price,
    /// The fair value the dealer's resting quotes are built on.
    pub quote_ref: Price,
    /// True once the engine has seen that `quote_ref` lags fresh fair value: set by the first
    /// fill after a stale move (a customer hitting the stale quote, or the dealer's own hedge at
    /// the market's fresh price), cleared by every fair move and refresh. Until then the quote
    /// customers can hit is the one resting on `quote_ref` ([`crate::engine::quote::shown_quote`]).
    pub stale_detected: bool,
}

impl Book {
    /// A book with the given positions, quoting on a fresh reference.
    pub fn new(fair: Price, i_client: Qty, h_external: Qty) -> Book {
        Book {
            i_client,
            h_external,
            fair,
            quote_ref: fair,
            stale_detected: false,
        }
    }

    /// `I_client + H_external`: the unhedged delta the dealer carries. Saturates at the `i64`
    /// satoshi range; the ledger rejects any event that would get there, so it never does in a replay.
    pub fn r_residual(&self) -> Qty {
        self.i_client.saturating_add(self.h_external)
    }

    /// True when the quotes rest on a reference that differs from fresh fair value (by any
    /// amount: whether the gap matters is [`Book::is_stale_beyond`]).
    pub fn is_stale(&self) -> bool {
        self.quote_ref != self.fair
    }

    /// Fresh fair minus the quote reference, in cents (negative: fair fell below the reference,
    /// so the resting bid is the side at risk). Saturating.
    pub fn reference_gap_cents(&self) -> i64 {
        self.fair.cents().saturating_sub(self.quote_ref.cents())
    }

    /// True when the reference gap exceeds `tolerance`: the resting quote, whose half-spread is
    /// the tolerance, then sits on the wrong side of fresh fair and can be picked off. A gap
    /// inside the half-spread cannot be traded against at a profit, so it does not count.
    pub fn is_stale_beyond(&self, tolerance: Price) -> bool {
        self.reference_gap_cents().unsigned_abs() > tolerance.cents().max(0) as u64
    }

    /// The toy risk band under the given limits (a reference stale beyond the limits' tolerance
    /// is always red).
    pub fn band(&self, limits: &BandLimits) -> Band {
        limits.classify(
            self.r_residual(),
            self.is_stale_beyond(limits.stale_tolerance),
        )
    }
}

/// The toy risk band.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    strum::Display,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum Band {
    /// Small residual: quote normally.
    Green,
    /// Medium residual: skew quotes and consider a partial hedge.
    Amber,
    /// Large residual or stale reference: reduce size, widen, hedge or pause.
    Red,
}

impl Band {
    /// Lower-case name used in JSON and URLs: `green`, `amber`, `red`.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// Thresholds of the toy risk band on `|R_residual|`. Synthetic numbers, as in the chapter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BandLimits {
    /// Green while `|R| <= green_max`.
    pub green_max: Qty,
    /// Amber while `green_max < |R| <= amber_max`; red beyond.
    pub amber_max: Qty,
    /// A reference gap up to this is not stale (the resting half-spread: such a gap cannot be
    /// picked off at a profit); beyond it the book is red.
    pub stale_tolerance: Price,
}

impl Default for BandLimits {
    /// The chapter's limits: green up to 1.0 BTC, amber up to 2.5 BTC, and a stale tolerance of
    /// $50, the normal regime's base half-spread.
    fn default() -> Self {
        BandLimits {
            green_max: Qty::btc(1),
            amber_max: Qty::from_sats(250_000_000),
            stale_tolerance: Price::usd(50),
        }
    }
}

impl BandLimits {
    /// The band for a residual and a staleness flag.
    pub fn classify(&self, r_residual: Qty, stale: bool) -> Band {
        let size = r_residual.abs();
        if stale || size > self.amber_max {
            Band::Red
        } else if size > self.green_max {
            Band::Amber
        } else {
            Band::Green
        }
    }
}

/// A quantity-only trade for the book trainer (no prices, so no PnL).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Trade {
    /// Customer buys from the dealer.
    ClientBuy,
    /// Customer sells to the dealer.
    ClientSell,
    /// Dealer buys on an external venue.
    HedgeBuy,
    /// Dealer sells on an external venue.
    HedgeSell,
}

impl Trade {
    /// Every trade, in the trainer's button order.
    pub const ALL: [Trade; 4] = [
        Trade::ClientBuy,
        Trade::ClientSell,
        Trade::HedgeBuy,
        Trade::HedgeSell,
    ];

    /// Applies the trade to `book` and returns the signed change of the number it moved
    /// (`I_client` for customer trades, `H_external` for hedges). A trade that would take a
    /// position past the engine's range is refused and leaves the book alone.
    pub fn apply(self, book: &mut Book, qty: Qty) -> Result<Qty, EngineError> {
        let (delta, is_client) = match self {
            Trade::ClientBuy => (-qty, true),
            Trade::ClientSell => (qty, true),
            Trade::HedgeBuy => (qty, false),
            Trade::HedgeSell => (-qty, false),
        };
        let mut next = *book;
        if is_client {
            next.i_client = next.i_client.try_position_add(delta)?;
        } else {
            next.h_external = next.h_external.try_position_add(delta)?;
        }
        next.i_client.try_position_add(next.h_external)?;
        *book = next;
        Ok(delta)
    }

    /// True for customer trades (they move `I_client`); hedges move `H_external`.
    pub fn is_client(self) -> bool {
        matches!(self, Trade::ClientBuy | Trade::ClientSell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_edges_follow_the_table() {
        let l = BandLimits::default();
        assert_eq!(l.classify(Qty::btc(1), false), Band::Green);
        assert_eq!(l.classify(Qty::btc(-1), false), Band::Green);
        assert_eq!(l.classify(Qty::from_sats(100_000_001), false), Band::Amber);
        assert_eq!(l.classify(Qty::from_sats(-250_000_000), false), Band::Amber);
        assert_eq!(l.classify(Qty::from_sats(250_000_001), false), Band::Red);
        assert_eq!(l.classify(Qty::ZERO, true), Band::Red);
    }

    #[test]
    fn a_gap_inside_the_half_spread_is_not_stale() {
        let l = BandLimits::default();
        let mut b = Book::new(Price::usd(100_000), Qty::ZERO, Qty::ZERO);
        b.quote_ref = Price::from_cents(10_000_001);
        assert!(b.is_stale() && !b.is_stale_beyond(l.stale_tolerance));
        assert_eq!(b.band(&l), Band::Green, "a one-cent gap is not red");
        b.quote_ref = Price::usd(100_050);
        assert_eq!(
            b.band(&l),
            Band::Green,
            "a gap of exactly the half-spread is not red"
        );
        b.quote_ref = Price::from_cents(10_005_001);
        assert_eq!(b.band(&l), Band::Red);
        assert_eq!(b.reference_gap_cents(), -5_001);
    }

    #[test]
    fn trades_move_one_number() {
        let mut b = Book::new(Price::usd(100_000), Qty::ZERO, Qty::ZERO);
        assert_eq!(
            Trade::ClientBuy.apply(&mut b, Qty::btc(1)),
            Ok(Qty::btc(-1))
        );
        assert_eq!(
            Trade::HedgeBuy.apply(&mut b, Qty::from_sats(50_000_000)),
            Ok(Qty::from_sats(50_000_000))
        );
        assert_eq!(
            (b.i_client, b.h_external),
            (Qty::btc(-1), Qty::from_sats(50_000_000))
        );
        let mut huge = Book::new(Price::usd(1), crate::engine::num::MAX_POSITION, Qty::ZERO);
        assert!(Trade::ClientSell.apply(&mut huge, Qty::btc(1)).is_err());
        assert_eq!(
            huge.i_client,
            crate::engine::num::MAX_POSITION,
            "a failed trade leaves the book alone"
        );
    }

    #[test]
    fn residual_is_the_sum() {
        let b = Book::new(Price::usd(1), Qty::btc(-3), Qty::btc(2));
        assert_eq!(b.r_residual(), Qty::btc(-1));
        assert!(!b.is_stale());
    }
}

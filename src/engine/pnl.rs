//! The four-bucket PnL decomposition and the ledger that applies tape events to a book.
//!
//! Every fill is marked against fresh fair value `f` at the moment it happens. For a dealer
//! trade of signed quantity `d` (+ buy, - sell) at price `p`, its edge is `d x (f - p)`:
//! - a customer fill's edge is **spread edge**, unless it hit a quote still resting on a stale
//!   reference (before the engine noticed the gap), when it is **stale-fill markout** (JSON key
//!   `toxic_markout`). That bucket is what its name says: the markout of fills taken on a stale
//!   quote. It is negative when someone picked the stale quote off and can be positive when an
//!   uninformed customer happened to trade the favourable side. Informed flow on *fresh* quotes
//!   never lands here: it shows up as spread edge followed by residual inventory markout;
//! - a hedge fill's edge is **external hedge cost**;
//! - a fair-value move from `f0` to `f1` adds `R_residual x (f1 - f0)` to **residual inventory
//!   markout**. Inventory PnL lives only in that bucket: it is never spread capture.
//!
//! The four buckets always sum to mark-to-market PnL, `cash + R x fair - R0 x fair0`: each fill
//! adds `-d p` to cash and `d f` to position value, which is exactly its edge; each fair move
//! changes position value by exactly the markout. [`Ledger::mark_to_market`] computes the
//! right-hand side independently so tests can check the identity on any tape.

use crate::engine::book::Book;
pub use crate::engine::num::EngineError;
use crate::engine::num::{Money, Price, Qty};
use crate::engine::tape::{Event, Start};

/// One of the four PnL buckets.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum Bucket {
    /// Edge on ordinary customer fills against fresh fair value.
    SpreadEdge,
    /// PnL from carrying `R_residual` through fair-value moves.
    InventoryMarkout,
    /// Edge (usually a cost) of external hedge fills against fresh fair value.
    HedgeCost,
    /// Edge of customer fills taken on a quote resting on a stale reference (stale-fill markout).
    ToxicMarkout,
}

impl Bucket {
    /// All buckets in the chapter's table order.
    pub const ALL: [Bucket; 4] =
        crate::engine::names::variants(<Bucket as strum::VariantArray>::VARIANTS);

    /// Key used in JSON: `spread_edge`, `inventory_markout`, `hedge_cost`, `toxic_markout`.
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// Reader-facing label.
    pub fn label(self) -> &'static str {
        match self {
            Bucket::SpreadEdge => "Client spread edge",
            Bucket::InventoryMarkout => "Residual inventory markout",
            Bucket::HedgeCost => "External hedge cost",
            Bucket::ToxicMarkout => "Stale-fill markout",
        }
    }
}

/// Amounts per bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Buckets {
    /// Client spread edge.
    pub spread_edge: Money,
    /// Residual inventory markout.
    pub inventory_markout: Money,
    /// External hedge cost.
    pub hedge_cost: Money,
    /// Stale-fill markout.
    pub toxic_markout: Money,
}

impl Buckets {
    /// The amount in one bucket.
    pub fn get(&self, b: Bucket) -> Money {
        match b {
            Bucket::SpreadEdge => self.spread_edge,
            Bucket::InventoryMarkout => self.inventory_markout,
            Bucket::HedgeCost => self.hedge_cost,
            Bucket::ToxicMarkout => self.toxic_markout,
        }
    }

    fn slot(&mut self, b: Bucket) -> &mut Money {
        match b {
            Bucket::SpreadEdge => &mut self.spread_edge,
            Bucket::InventoryMarkout => &mut self.inventory_markout,
            Bucket::HedgeCost => &mut self.hedge_cost,
            Bucket::ToxicMarkout => &mut self.toxic_markout,
        }
    }

    /// Adds an amount to a bucket; `None` on overflow.
    pub fn checked_add(&mut self, b: Bucket, amount: Money) -> Option<()> {
        let slot = self.slot(b);
        *slot = slot.checked_add(amount)?;
        Some(())
    }

    /// Sum of the four buckets: the net PnL.
    pub fn total(&self) -> Money {
        self.spread_edge + self.inventory_markout + self.hedge_cost + self.toxic_markout
    }
}

impl serde::Serialize for Buckets {
    /// The four buckets under their JSON keys ([`Bucket::key`]), then `total`: exact numbers.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(Bucket::ALL.len() + 1))?;
        for b in Bucket::ALL {
            m.serialize_entry(b.key(), &self.get(b))?;
        }
        m.serialize_entry("total", &self.total())?;
        m.end()
    }
}

/// The numbers of the worked calculation behind one contribution (`explain::pnl::worked`
/// prints them as the chapter does).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Calculation {
    /// `qty x (received - paid)`: for a dealer buy, `(fair - price)`; for a dealer sell,
    /// `(price - fair)`. Prints like `2 x ($100,070 - $100,020) = +$100`.
    Fill {
        /// Traded quantity (unsigned).
        qty: Qty,
        /// What the dealer received per BTC (fair value for a buy, the price for a sell).
        received: Price,
        /// What the dealer gave up per BTC (the price for a buy, fair value for a sell).
        paid: Price,
    },
    /// `R_residual x (new fair - old fair)`. Prints like `-1 x ($100,500 - $100,020) = -$480`.
    Markout {
        /// The residual carried through the move (signed).
        r_residual: Qty,
        /// Fair value after the move.
        to: Price,
        /// Fair value before the move.
        from: Price,
    },
}

/// One event's addition to one bucket, with its worked calculation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contribution {
    /// The bucket it goes to.
    pub bucket: Bucket,
    /// The exact amount.
    pub amount: Money,
    /// How it was computed.
    pub calc: Calculation,
}

/// Applies events to a book and accumulates the four buckets and cash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ledger {
    /// The current book.
    pub book: Book,
    /// Cumulative PnL per bucket.
    pub buckets: Buckets,
    /// Cash from every fill (dealer buy of `d` at `p`: `-d x p`).
    pub cash: Money,
    /// Starting position value, `R0 x fair0`.
    start_value: Money,
}

impl Ledger {
    /// A ledger at the tape's starting book, with zero PnL.
    pub fn new(start: &Start) -> Result<Ledger, EngineError> {
        let book = Book::new(start.fair, start.i_client, start.h_external);
        let r = start.i_client.try_position_add(start.h_external)?;
        Ok(Ledger {
            book,
            buckets: Buckets::default(),
            cash: Money::ZERO,
            start_value: Money::value(r, start.fair),
        })
    }

    /// Mark-to-market PnL computed from cash and positions, independently of the buckets:
    /// `cash + R x fair - R0 x fair0`.
    pub fn mark_to_market(&self) -> Money {
        let value = Money::value(self.book.r_residual(), self.book.fair);
        self.cash + value - self.start_value
    }

    /// Applies one event. Returns the PnL contribution it made, if any (fills always make one;
    /// a fair move makes one when the residual is not zero and the price changed).
    pub fn apply(&mut self, event: &Event) -> Result<Option<Contribution>, EngineError> {
        let book = &mut self.book;
        let contribution = match *event {
            Event::Fair { price, stale } => {
                let r = book.r_residual();
                let from = book.fair;
                book.fair = price;
                if !stale {
                    book.quote_ref = price;
                }
                book.stale_detected = false;
                if r.is_zero() || price == from {
                    None
                } else {
                    Some(Contribution {
                        bucket: Bucket::InventoryMarkout,
                        amount: Money::edge(r, price, from),
                        calc: Calculation::Markout {
                            r_residual: r,
                            to: price,
                            from,
                        },
                    })
                }
            }
            Event::Refresh => {
                book.quote_ref = book.fair;
                book.stale_detected = false;
                None
            }
            _ => {
                let Some((d, price)) = event.dealer_fill() else {
                    return Ok(None);
                };
                let fair = book.fair;
                let bucket = if event.is_hedge() {
                    book.h_external = book.h_external.try_position_add(d)?;
                    Bucket::HedgeCost
                } else {
                    book.i_client = book.i_client.try_position_add(d)?;
                    // A fill on the quote still resting on a stale reference (before the engine
                    // noticed the gap): stale-fill markout. After detection the quotes are the
                    // protective ones on fresh fair, and fills earn spread edge again.
                    if book.is_stale() && !book.stale_detected {
                        Bucket::ToxicMarkout
                    } else {
                        Bucket::SpreadEdge
                    }
                };
                book.i_client.try_position_add(book.h_external)?;
                if book.is_stale() {
                    book.stale_detected = true;
                }
                self.cash = self.cash.try_add(-Money::value(d, price))?;
                let calc = if d.is_positive() {
                    Calculation::Fill {
                        qty: d,
                        received: fair,
                        paid: price,
                    }
                } else {
                    Calculation::Fill {
                        qty: d.abs(),
                        received: price,
                        paid: fair,
                    }
                };
                Some(Contribution {
                    bucket,
                    amount: Money::edge(d, fair, price),
                    calc,
                })
            }
        };
        if let Some(c) = &contribution {
            self.buckets
                .checked_add(c.bucket, c.amount)
                .ok_or(EngineError::MoneyOverflow)?;
        }
        Ok(contribution)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> Start {
        Start {
            fair: Price::usd(100_000),
            i_client: Qty::ZERO,
            h_external: Qty::ZERO,
        }
    }

    #[test]
    fn customer_buy_is_spread_edge() {
        let mut l = Ledger::new(&start()).unwrap();
        let c = l
            .apply(&Event::ClientBuy {
                qty: Qty::btc(1),
                price: Price::usd(100_050),
            })
            .unwrap()
            .unwrap();
        assert_eq!(c.bucket, Bucket::SpreadEdge);
        assert_eq!(
            c.calc,
            Calculation::Fill {
                qty: Qty::btc(1),
                received: Price::usd(100_050),
                paid: Price::usd(100_000)
            }
        );
        assert_eq!(c.amount, Money::usd(50));
        assert_eq!(l.book.i_client, Qty::btc(-1));
        assert_eq!(l.mark_to_market(), Money::usd(50));
    }

    #[test]
    fn stale_fill_is_toxic_and_refresh_ends_it() {
        let mut l = Ledger::new(&start()).unwrap();
        l.apply(&Event::Fair {
            price: Price::usd(99_000),
            stale: true,
        })
        .unwrap();
        let c = l
            .apply(&Event::ClientSell {
                qty: Qty::btc(1),
                price: Price::usd(99_950),
            })
            .unwrap()
            .unwrap();
        assert_eq!(
            (c.bucket, c.amount),
            (Bucket::ToxicMarkout, Money::usd(-950))
        );
        l.apply(&Event::Refresh).unwrap();
        let c = l
            .apply(&Event::ClientSell {
                qty: Qty::btc(1),
                price: Price::usd(98_950),
            })
            .unwrap()
            .unwrap();
        assert_eq!((c.bucket, c.amount), (Bucket::SpreadEdge, Money::usd(50)));
    }

    #[test]
    fn the_first_fill_after_a_stale_move_is_when_the_engine_detects_it() {
        let mut l = Ledger::new(&start()).unwrap();
        l.apply(&Event::Fair {
            price: Price::usd(99_000),
            stale: true,
        })
        .unwrap();
        assert!(l.book.is_stale() && !l.book.stale_detected);
        l.apply(&Event::ClientSell {
            qty: Qty::btc(1),
            price: Price::usd(99_950),
        })
        .unwrap();
        assert!(l.book.stale_detected, "the pick-off reveals the gap");
        // A later customer fill hits the protective quote on fresh fair: spread edge.
        let c = l
            .apply(&Event::ClientBuy {
                qty: Qty::btc(1),
                price: Price::usd(99_100),
            })
            .unwrap()
            .unwrap();
        assert_eq!((c.bucket, c.amount), (Bucket::SpreadEdge, Money::usd(100)));
        // A new stale move is a new, unseen gap; the dealer's own hedge also reveals it.
        l.apply(&Event::Fair {
            price: Price::usd(98_000),
            stale: true,
        })
        .unwrap();
        assert!(!l.book.stale_detected);
        l.apply(&Event::HedgeSell {
            qty: Qty::btc(1),
            price: Price::usd(97_990),
        })
        .unwrap();
        assert!(l.book.stale_detected);
    }

    #[test]
    fn hedge_sell_prints_price_minus_fair() {
        let mut l = Ledger::new(&start()).unwrap();
        let c = l
            .apply(&Event::HedgeSell {
                qty: Qty::from_sats(150_000_000),
                price: Price::usd(99_960),
            })
            .unwrap()
            .unwrap();
        assert_eq!(
            c.calc,
            Calculation::Fill {
                qty: Qty::from_sats(150_000_000),
                received: Price::usd(99_960),
                paid: Price::usd(100_000)
            }
        );
        assert_eq!(c.amount, Money::usd(-60));
        assert_eq!(l.book.h_external, Qty::from_sats(-150_000_000));
    }

    #[test]
    fn flat_book_fair_move_adds_nothing() {
        let mut l = Ledger::new(&start()).unwrap();
        assert_eq!(
            l.apply(&Event::Fair {
                price: Price::usd(1),
                stale: false
            })
            .unwrap(),
            None
        );
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let big = Start {
            fair: Price::usd(1),
            i_client: crate::engine::num::MAX_POSITION,
            h_external: Qty::ZERO,
        };
        let mut l = Ledger::new(&big).unwrap();
        assert_eq!(
            l.apply(&Event::ClientSell {
                qty: Qty::btc(1),
                price: Price::usd(1)
            }),
            Err(EngineError::PositionOverflow)
        );
    }
}

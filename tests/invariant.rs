//! The accounting invariant over random tapes: the four buckets sum to mark-to-market PnL,
//! positions follow the sign conventions, and nothing panics.

use dealer_book::num::{Money, Price, Qty};
use dealer_book::pnl::Bucket;
use dealer_book::replay::replay;
use dealer_book::tape::{Event, Start, Step, Tape};
use proptest::prelude::*;

mod common;

const SIZES: common::Sizes = common::Sizes {
    max_sats: 100_000_000_000, // up to 1,000 BTC, any satoshi
    max_cents: 10_000_000_000, // up to $100M, any cent
    events: 12,
    steps: 8,
    client_weight: 1,
};

fn tape() -> impl Strategy<Value = Tape> {
    common::tape(SIZES)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn buckets_sum_to_mark_to_market(t in tape()) {
        let r = replay(&t).expect("bounded tapes stay in range");
        let r0 = t.start.i_client.sats() as i128 + t.start.h_external.sats() as i128;
        let mut cash: i128 = 0;
        for (s, report) in t.steps.iter().zip(&r.steps) {
            for e in &s.events {
                if let Some((d, p)) = e.dealer_fill() {
                    cash -= d.sats() as i128 * p.cents() as i128;
                }
            }
            // Recomputed here from scratch, independently of the ledger.
            let b = report.book;
            let mtm = cash + (b.i_client.sats() as i128 + b.h_external.sats() as i128) * b.fair.cents() as i128 - r0 * t.start.fair.cents() as i128;
            prop_assert_eq!(report.pnl.total(), Money::from_units(mtm));
            prop_assert_eq!(report.mark_to_market, Money::from_units(mtm));
            let summed = Bucket::ALL.iter().fold(Money::ZERO, |acc, &k| acc + report.pnl.get(k));
            prop_assert_eq!(summed, report.pnl.total());
        }
    }

    #[test]
    fn positions_follow_the_sign_conventions(t in tape()) {
        let r = replay(&t).expect("in range");
        let mut i = t.start.i_client.sats();
        let mut h = t.start.h_external.sats();
        for (s, report) in t.steps.iter().zip(&r.steps) {
            for (e, er) in s.events.iter().zip(&report.events) {
                match *e {
                    Event::ClientBuy { qty, .. } => i -= qty.sats(),
                    Event::ClientSell { qty, .. } => i += qty.sats(),
                    Event::HedgeBuy { qty, .. } => h += qty.sats(),
                    Event::HedgeSell { qty, .. } => h -= qty.sats(),
                    _ => {}
                }
                prop_assert_eq!((er.book.i_client.sats(), er.book.h_external.sats()), (i, h));
                prop_assert_eq!(er.book.r_residual().sats(), i + h);
                // Customer fills land in spread edge or toxic markout, never inventory markout.
                if let Some(c) = er.contribution {
                    if e.is_client() {
                        prop_assert!(matches!(c.bucket, Bucket::SpreadEdge | Bucket::ToxicMarkout));
                    }
                }
            }
        }
    }
}

#[test]
fn a_huge_tape_overflows_into_an_error_not_a_panic() {
    let big = Event::ClientSell {
        qty: dealer_book::num::MAX_QTY,
        price: dealer_book::num::MAX_PRICE,
    };
    let t = Tape {
        title: "big".into(),
        start: Start {
            fair: Price::from_cents(1),
            i_client: Qty::ZERO,
            h_external: Qty::ZERO,
        },
        steps: vec![Step {
            title: "s".into(),
            note: None,
            events: vec![big; 1_001],
        }],
    };
    let err = replay(&t).unwrap_err();
    assert!(err.to_string().starts_with("step 1, event "), "{err}");
    assert!(err
        .to_string()
        .ends_with("position exceeds the engine's range (1,000,000,000 BTC)"));
}

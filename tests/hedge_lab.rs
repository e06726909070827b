//! The hedge lab over random tapes and rules: counterfactual replays keep the accounting
//! invariant, keep the customer flow, hedge at fair ± cost and leave the book where the rule
//! says; the risk figures bound what the replay shows; simulations are deterministic per seed.

use dealer_book::book::BandLimits;
use dealer_book::hedge_rule::{counterfactual, HedgeRule};
use dealer_book::num::{Money, Price};
use dealer_book::pnl::Bucket;
use dealer_book::quote::{regime_limits, Regime};
use dealer_book::replay::replay;
use dealer_book::simulate::Model;
use dealer_book::tape::{Event, Tape};
use proptest::prelude::*;

mod common;

const SIZES: common::Sizes = common::Sizes {
    max_sats: 10_000_000_000, // up to 100 BTC, any satoshi
    max_cents: 1_000_000_000, // up to $10M, any cent
    events: 10,
    steps: 6,
    client_weight: 3,
};

fn tape() -> impl Strategy<Value = Tape> {
    common::tape(SIZES)
}

fn rule() -> impl Strategy<Value = HedgeRule> {
    prop::sample::select(HedgeRule::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn counterfactual_keeps_the_invariant_and_the_flow(
        t in tape(), rule in rule(), cost in 0i64..=1_000_000, regime in 0usize..3,
    ) {
        let cost = Price::from_cents(cost);
        let regime = Regime::ALL[regime];
        let cf = counterfactual(&t, rule, cost, regime);
        let r = replay(&cf).expect("bounded tapes stay in range");
        // The band rule hedges to the green limit of the regime in force.
        let limits = regime_limits(&BandLimits::default(), regime);
        let mut fair = t.start.fair;
        let mut hedged_abs: i128 = 0;
        for (orig, (step, report)) in t.steps.iter().zip(cf.steps.iter().zip(&r.steps)) {
            // The non-hedge events are the tape's own, in order.
            let kept: Vec<&Event> = orig.events.iter().filter(|e| rule == HedgeRule::Tape || !e.is_hedge()).collect();
            let ours: Vec<&Event> = step.events.iter().filter(|e| !e.is_hedge() || rule == HedgeRule::Tape).collect();
            prop_assert_eq!(kept, ours);
            let mut after_client = false;
            for er in &report.events {
                match er.event {
                    Event::Fair { price, .. } => fair = price,
                    Event::HedgeBuy { qty, price } if rule != HedgeRule::Tape => {
                        prop_assert!(after_client);
                        prop_assert_eq!(price.cents(), fair.cents() + cost.cents());
                        hedged_abs += qty.sats() as i128;
                    }
                    Event::HedgeSell { qty, price } if rule != HedgeRule::Tape => {
                        prop_assert!(after_client);
                        prop_assert_eq!(price.cents(), fair.cents() - cost.cents());
                        hedged_abs += qty.sats() as i128;
                    }
                    _ => {}
                }
                after_client = er.event.is_client();
                // Right after a rule's hedge, the book sits where the rule says.
                if er.event.is_hedge() && rule != HedgeRule::Tape {
                    let res = er.book.r_residual().sats();
                    match rule {
                        HedgeRule::Flat => prop_assert_eq!(res, 0),
                        HedgeRule::Band => prop_assert_eq!(res.abs(), limits.green_max.sats()),
                        _ => prop_assert!(false, "{:?} hedged", rule),
                    }
                }
            }
            // The invariant: buckets sum to mark-to-market PnL, exactly.
            prop_assert_eq!(report.pnl.total(), report.mark_to_market);
        }
        let end = r.pnl_at(r.len());
        if rule != HedgeRule::Tape {
            // Every rule hedge costs exactly |qty| x cost, booked in the hedge bucket.
            prop_assert_eq!(end.get(Bucket::HedgeCost), Money::from_units(-hedged_abs * cost.cents() as i128));
        }
        if rule == HedgeRule::None {
            prop_assert_eq!(end.get(Bucket::HedgeCost), Money::ZERO);
        }
        // Risk bounds every book the replay shows, and the drawdown is a fall, never negative.
        let k = r.risk();
        prop_assert!(k.worst_drawdown >= Money::ZERO);
        prop_assert!(k.max_abs_r_residual >= t.start.i_client.checked_add(t.start.h_external).unwrap().abs());
        for s in &r.steps {
            for e in &s.events {
                prop_assert!(e.book.r_residual().abs() <= k.max_abs_r_residual);
            }
            prop_assert!(Money::from_units(-end.total().units().min(0)) <= k.worst_drawdown);
        }
    }

    #[test]
    fn simulation_is_deterministic_and_keeps_flow(t in tape(), rule in rule(), seed in any::<u64>()) {
        let m = Model::new(&t, rule, Price::usd(50), Regime::Stressed);
        let a = m.run(20, seed).expect("bounded tapes stay in range");
        prop_assert_eq!(&a, &m.run(20, seed).unwrap());
        prop_assert_eq!(a.totals.len(), 20);
        // Spread edge is kept exactly: the same on every path, and equal to the tape's own when
        // no fill was stale (the edge to fair does not depend on where fair went).
        prop_assert!(a.buckets[0].iter().all(|&v| v == a.buckets[0][0]));
        // An informed fill on a stale quote never gains the dealer anything.
        prop_assert!(a.buckets[3].iter().all(|&v| v <= 0));
    }
}

#[test]
fn the_chapter_lab_numbers() {
    let t = Tape::from_json(dealer_book::CHAPTER_TAPE).unwrap();
    let net = |rule| {
        let r = replay(&counterfactual(&t, rule, Price::usd(50), Regime::Normal)).unwrap();
        dealer_book::format::money(r.pnl_at(r.len()).total())
    };
    assert_eq!(net(HedgeRule::None), "-$1,485");
    assert_eq!(net(HedgeRule::Tape), "-$2,575");
    assert_eq!(net(HedgeRule::Flat), "-$2,000");
    // Band: +50 - 20 + 100 - 100 (buy 2 at fair + $50) - 480 + 75 - 500 - 1,900 - 75 (sell 1.5)
    // + 300 = -$2,550.
    assert_eq!(net(HedgeRule::Band), "-$2,550");
}

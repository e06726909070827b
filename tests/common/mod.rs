//! Random tapes for the property tests (`invariant.rs`, `hedge_lab.rs`): one generator, sized by
//! each suite.

use dealer_book::num::{Price, Qty};
use dealer_book::tape::{Event, Start, Step, Tape};
use proptest::prelude::*;

/// How large and how busy the random tapes are.
#[derive(Clone, Copy)]
pub struct Sizes {
    /// Largest trade and starting position, in satoshis.
    pub max_sats: i64,
    /// Largest price, in cents.
    pub max_cents: i64,
    /// Most events in one step (exclusive).
    pub events: usize,
    /// Most steps (exclusive).
    pub steps: usize,
    /// Relative weight of customer fills against each other event kind (1 = all alike).
    pub client_weight: u32,
}

/// One random event of every kind, customer fills weighted by `client_weight`.
pub fn event(s: Sizes) -> impl Strategy<Value = Event> {
    let qty = (1i64..=s.max_sats).prop_map(Qty::from_sats);
    let price = (1i64..=s.max_cents).prop_map(Price::from_cents);
    let w = s.client_weight;
    prop_oneof![
        w => (qty.clone(), price.clone()).prop_map(|(qty, price)| Event::ClientBuy { qty, price }),
        w => (qty.clone(), price.clone()).prop_map(|(qty, price)| Event::ClientSell { qty, price }),
        1 => (qty.clone(), price.clone()).prop_map(|(qty, price)| Event::HedgeBuy { qty, price }),
        1 => (qty, price.clone()).prop_map(|(qty, price)| Event::HedgeSell { qty, price }),
        1 => (price, any::<bool>()).prop_map(|(price, stale)| Event::Fair { price, stale }),
        1 => Just(Event::Refresh),
    ]
}

/// A random tape: a random starting book and 1 to `steps` steps of up to `events` events.
pub fn tape(s: Sizes) -> impl Strategy<Value = Tape> {
    let start = (
        1i64..=s.max_cents,
        -s.max_sats..s.max_sats,
        -s.max_sats..s.max_sats,
    )
        .prop_map(|(f, i, h)| Start {
            fair: Price::from_cents(f),
            i_client: Qty::from_sats(i),
            h_external: Qty::from_sats(h),
        });
    let steps = prop::collection::vec(prop::collection::vec(event(s), 0..s.events), 1..s.steps);
    (start, steps).prop_map(|(start, steps)| Tape {
        title: "random".into(),
        start,
        steps: steps
            .into_iter()
            .map(|events| Step {
                title: "s".into(),
                note: None,
                events,
            })
            .collect(),
    })
}

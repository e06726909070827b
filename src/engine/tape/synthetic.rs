//! Deterministic generated tapes for benchmarks and scale measurements: customer flow both
//! ways, hedges, fair moves (fresh and stale) and refreshes, from a fixed xorshift seed, so every
//! run and every machine sees the same tape.

use super::{Event, Start, Step, Tape};
use crate::engine::num::{Price, Qty};

/// A tape of `events` events in steps of `per_step` (the last step may be shorter).
pub fn tape(events: usize, per_step: usize) -> Tape {
    let per_step = per_step.max(1);
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let start_fair: i64 = 10_000_000;
    let mut fair = start_fair;
    let mut steps = Vec::with_capacity(events.div_ceil(per_step));
    let mut batch = Vec::with_capacity(per_step.min(events));
    for i in 0..events {
        let r = next();
        let qty = Qty::from_sats(((r >> 8) % 300_000_000) as i64 + 1);
        let price = Price::from_cents(fair + ((r >> 40) % 20_001) as i64 - 10_000);
        let e = match r % 10 {
            0..=2 => Event::ClientBuy { qty, price },
            3..=5 => Event::ClientSell { qty, price },
            6 if r & 1 == 0 => Event::HedgeBuy { qty, price },
            6 => Event::HedgeSell { qty, price },
            7 | 8 => {
                fair = (fair + ((r >> 20) % 2_001) as i64 - 1_000).max(1_000_000);
                Event::Fair {
                    price: Price::from_cents(fair),
                    stale: r & 0x100 == 0,
                }
            }
            _ => Event::Refresh,
        };
        batch.push(e);
        if (i + 1) % per_step == 0 || i + 1 == events {
            steps.push(Step {
                title: format!("step {}", steps.len() + 1),
                note: None,
                events: std::mem::take(&mut batch),
            });
        }
    }
    Tape {
        title: "generated".into(),
        start: Start {
            fair: Price::from_cents(start_fair),
            i_client: Qty::ZERO,
            h_external: Qty::ZERO,
        },
        steps,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_tapes_round_trip_through_json() {
        let t = super::tape(5_000, 300);
        assert_eq!(t.event_count(), 5_000);
        assert_eq!(t.steps.len(), 17);
        assert_eq!(super::super::Tape::from_json(&t.to_json()), Ok(t.clone()));
        crate::engine::replay::replay(&t).expect("a generated tape stays in range");
    }
}

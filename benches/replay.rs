//! Replays a generated 1,000,000-event tape: the engine alone (ledger) and the full per-step report.
//! Run: `cargo bench --bench replay`. Report events/second from criterion's throughput line.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dealer_book::num::{Price, Qty};
use dealer_book::pnl::Ledger;
use dealer_book::replay::replay;
use dealer_book::tape::{Event, Start, Step, Tape};

const EVENTS: usize = 1_000_000;
const PER_STEP: usize = 1_000;

/// A deterministic mixed tape: customer flow both ways, hedges, fair moves, stale moves, refreshes.
fn generated_tape() -> Tape {
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut fair: i64 = 10_000_000;
    let mut steps = Vec::new();
    let mut events = Vec::with_capacity(PER_STEP);
    for i in 0..EVENTS {
        let r = next();
        let qty = Qty::from_sats(((r >> 8) % 300_000_000) as i64 + 1);
        let price = Price::from_cents(fair + ((r >> 40) % 20_001) as i64 - 10_000);
        let e = match r % 10 {
            0..=2 => Event::ClientBuy { qty, price },
            3..=5 => Event::ClientSell { qty, price },
            6 => {
                if r & 1 == 0 {
                    Event::HedgeBuy { qty, price }
                } else {
                    Event::HedgeSell { qty, price }
                }
            }
            7 | 8 => {
                fair = (fair + ((r >> 20) % 2_001) as i64 - 1_000).max(1_000_000);
                Event::Fair {
                    price: Price::from_cents(fair),
                    stale: r & 0x100 == 0,
                }
            }
            _ => Event::Refresh,
        };
        events.push(e);
        if (i + 1) % PER_STEP == 0 {
            steps.push(Step {
                title: format!("step {}", steps.len() + 1),
                note: None,
                events: std::mem::take(&mut events),
            });
        }
    }
    Tape {
        title: "generated".into(),
        start: Start {
            fair: Price::from_cents(fair),
            i_client: Qty::ZERO,
            h_external: Qty::ZERO,
        },
        steps,
    }
}

fn bench(c: &mut Criterion) {
    let tape = generated_tape();
    let mut group = c.benchmark_group("replay_1m_events");
    group.throughput(Throughput::Elements(EVENTS as u64));
    group.sample_size(20);
    group.bench_function("ledger", |b| {
        b.iter(|| {
            let mut ledger = Ledger::new(&tape.start).expect("start");
            for step in &tape.steps {
                for e in &step.events {
                    ledger.apply(e).expect("in range");
                }
            }
            ledger.buckets.total()
        })
    });
    group.bench_function("full_report", |b| {
        b.iter(|| replay(&tape).expect("in range").len())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

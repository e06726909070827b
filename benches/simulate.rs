//! Simulates 100,000 paths of the chapter's tape under each hedge rule (normal regime, $50 cost).
//! Run: `cargo bench --bench simulate`. Criterion's throughput line gives simulated events per
//! second (tape events plus rule hedges, counted by the engine); its time line is the wall time
//! of one 100,000-path run, summary statistics included.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dealer_book::hedge_rule::HedgeRule;
use dealer_book::simulate::{simulate, Model, SimParams};
use dealer_book::tape::Tape;

const PATHS: usize = 100_000;

fn bench(c: &mut Criterion) {
    let tape = Tape::from_json(dealer_book::CHAPTER_TAPE).expect("chapter tape");
    let mut group = c.benchmark_group("simulate_chapter_100k_paths");
    group.sample_size(10);
    for rule in HedgeRule::ALL {
        let params = SimParams {
            paths: PATHS,
            seed: 1,
            rule,
            ..SimParams::default()
        };
        let model = Model::new(&tape, rule, params.cost, params.regime);
        let events = model.run(PATHS, 1).expect("in range").events;
        group.throughput(Throughput::Elements(events));
        group.bench_function(rule.key(), |b| {
            b.iter(|| simulate(&tape, params).expect("in range"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

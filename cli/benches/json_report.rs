//! The CLI's whole `replay --json` path from a tape's text: a generated 1,000,000-event tape read,
//! replayed step by step and written as the JSON report (per-step totals, not trees).
//! Run: `cargo bench -p dealer-book-cli --bench json_report`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dealer_book_cli::streamed_json_report;

const EVENTS: usize = 1_000_000;
const PER_STEP: usize = 1_000;

fn bench(c: &mut Criterion) {
    let text = dealer_book::tape::synthetic::tape(EVENTS, PER_STEP).to_json();
    let mut group = c.benchmark_group("read_1m_events");
    group.throughput(Throughput::Elements(EVENTS as u64));
    group.sample_size(10);
    group.bench_function("cli_json_report", |b| {
        b.iter(|| streamed_json_report(&text).expect("valid").len())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

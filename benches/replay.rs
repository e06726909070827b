//! Replays a generated 1,000,000-event tape: the engine alone (ledger), the full per-step report,
//! reading the tape from JSON (as written, with whitespace after every `,` and `:`, and with a
//! bad event at the very end, which the reader reads twice: scanner, then serde visitors). The
//! CLI's `--json` report straight from the text is the CLI crate's bench (`cli/benches`).
//! Run: `cargo bench --bench replay`. Report events/second from criterion's throughput line.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dealer_book::pnl::Ledger;
use dealer_book::replay::replay;
use dealer_book::tape::Tape;

const EVENTS: usize = 1_000_000;
const PER_STEP: usize = 1_000;

fn bench(c: &mut Criterion) {
    let tape = dealer_book::tape::synthetic::tape(EVENTS, PER_STEP);
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

    // The same tape as JSON text: reading it.
    let text = tape.to_json();
    let mut group = c.benchmark_group("read_1m_events");
    group.throughput(Throughput::Elements(EVENTS as u64));
    group.sample_size(10);
    group.bench_function("from_json", |b| {
        b.iter(|| Tape::from_json(&text).expect("valid").event_count())
    });
    // Titles are "generated" and "step N": no `,` or `:` inside strings to disturb.
    let spaced = text.replace(',', ", ").replace(':', ": ");
    group.bench_function("from_json_spaced", |b| {
        b.iter(|| Tape::from_json(&spaced).expect("valid").event_count())
    });
    let end = text
        .rfind("\n]}")
        .expect("the generator ends the steps array so");
    let broken = format!(
        "{},\n{{\"title\":\"bad\",\"events\":[{{\"type\":\"client_buy\",\"qty\":0,\"price\":1}}]}}{}",
        &text[..end],
        &text[end..]
    );
    group.bench_function("from_json_bad_last_event", |b| {
        b.iter(|| Tape::from_json(&broken).expect_err("qty 0").to_string())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Writes a generated tape (see `dealer_book::tape::synthetic`) to stdout:
//! `cargo run --release --example gen-tape -- EVENTS [PER_STEP] > tape.json`
//! (defaults: 1,000,000 events, 1,000 per step). Used by `scripts/bench-tape.sh`.

use std::io::Write;

fn main() {
    let mut args = std::env::args()
        .skip(1)
        .map(|a| a.replace('_', "").parse::<usize>());
    let events = args.next().unwrap_or(Ok(1_000_000));
    let per_step = args.next().unwrap_or(Ok(1_000));
    let (Ok(events), Ok(per_step)) = (events, per_step) else {
        eprintln!("usage: gen-tape [EVENTS] [PER_STEP]");
        std::process::exit(2);
    };
    let tape = dealer_book::tape::synthetic::tape(events, per_step);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = out
        .write_all(tape.to_json().as_bytes())
        .and_then(|()| out.flush());
    if let Err(e) = written {
        eprintln!("gen-tape: {e}");
        std::process::exit(1);
    }
}

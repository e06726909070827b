//! The chapter's tape (`content/tapes/chapter-1.json`) as Rust values, so that the chapter
//! page replays it without the JSON reader in its download (the reader stays in the
//! single-widget and studio code, for authors' tapes).
//!
//! Generated from the JSON by the test `tape::tests::chapter_tape_is_its_json`, which fails
//! when this file and the JSON differ; `DEALER_BOOK_BLESS=1 cargo test -p dealer-book
//! chapter_tape` writes it again.

use super::{Event, Start, Step, Tape};
use crate::engine::num::{Price, Qty};

/// The chapter's tape, exactly as `content/tapes/chapter-1.json` reads.
pub fn tape() -> Tape {
    Tape {
        title: "Chapter 1: the dealer book".into(),
        start: Start { fair: Price::from_cents(10000000), i_client: Qty::from_sats(0), h_external: Qty::from_sats(0) },
        steps: vec![
            Step {
                title: "A customer buys 1 BTC".into(),
                note: Some("The customer lifts the ask. The dealer sells, so customer-created inventory goes short.".into()),
                events: vec![
                    Event::ClientBuy { qty: Qty::from_sats(100000000), price: Price::from_cents(10005000) },
                ],
            },
            Step {
                title: "More one-sided flow arrives".into(),
                note: Some("Fair nudges up, another customer buys 2 BTC, and the dealer hedges back toward the band.".into()),
                events: vec![
                    Event::Fair { price: Price::from_cents(10002000), stale: false },
                    Event::ClientBuy { qty: Qty::from_sats(200000000), price: Price::from_cents(10007000) },
                    Event::HedgeBuy { qty: Qty::from_sats(200000000), price: Price::from_cents(10009000) },
                ],
            },
            Step {
                title: "Flow flips".into(),
                note: Some("Fair rises against the short residual, then a customer sells 1.5 BTC into the bid.".into()),
                events: vec![
                    Event::Fair { price: Price::from_cents(10050000), stale: false },
                    Event::ClientSell { qty: Qty::from_sats(150000000), price: Price::from_cents(10045000) },
                ],
            },
            Step {
                title: "A toxic stale-quote event".into(),
                note: Some("Fresh fair drops while the quote still rests on the old reference; a fast seller hits the stale bid and the engine hedges.".into()),
                events: vec![
                    Event::Fair { price: Price::from_cents(9950000), stale: true },
                    Event::ClientSell { qty: Qty::from_sats(200000000), price: Price::from_cents(10045000) },
                    Event::HedgeSell { qty: Qty::from_sats(150000000), price: Price::from_cents(9946000) },
                ],
            },
            Step {
                title: "The book recovers".into(),
                note: Some("Fair recovers and the quote reference catches up. The gain is inventory PnL, not spread capture.".into()),
                events: vec![
                    Event::Fair { price: Price::from_cents(9980000), stale: false },
                ],
            },
        ],
    }
}

//! # dealer-book
//!
//! An exact engine for what happens on a market maker's (dealer's) book when a customer trades.
//! No web dependencies: it compiles for native targets and `wasm32-unknown-unknown`, and the
//! browser widgets only format and draw what it returns.
//!
//! The crate is three layers, each a folder, each importing only the ones before it:
//!
//! 1. [`engine`]: numbers, book, tape, PnL, replay, quote, policy, hedge rules, simulation. It
//!    returns data, never sentences.
//! 2. [`words`]: `format`, `explain` and `narrative`, the text a reader sees, built from the
//!    engine's data.
//! 3. [`page`]: settings, lessons, the replay cursor, follow my reading, links, exports, the
//!    studio's rules: what a page holds, without a browser.
//!
//! The front ends sit on top in their own crates: the CLI (`cli/`), the widgets (`widgets/`) and
//! the chapter renderer (`chapter/`). Every module is also re-exported at the crate root
//! (`dealer_book::tape`, `dealer_book::explain`, …), the paths those crates use.
//!
//! ```
//! let tape = dealer_book::tape::Tape::from_json(include_str!("../content/tapes/chapter-1.json")).unwrap();
//! let replay = dealer_book::replay::replay(&tape).unwrap();
//! let net = replay.pnl_at(replay.len()).total();
//! assert_eq!(dealer_book::format::money(net), "-$2,575");
//! ```

#![warn(missing_docs)]

pub mod engine;
pub mod page;
pub mod words;

pub use engine::{
    book, hedge_rule, lab, num, pnl, policy, quote, replay, risk, simulate, stats, tape,
};
pub use page::{cursor, export, lesson, link, notice, reading, settings, studio, widget, window};
pub use words::{explain, format, narrative};

/// The chapter's tape, as shipped in `content/tapes/chapter-1.json`.
pub const CHAPTER_TAPE: &str = include_str!("../content/tapes/chapter-1.json");

//! # dealer-book
//!
//! An exact engine for what happens on a market maker's (dealer's) book when a customer trades.
//! No web dependencies: it compiles for native targets and `wasm32-unknown-unknown`, and the
//! browser widgets only format and draw what it returns.
//!
//! - [`tape`]: the JSON event tape authors write, parsed exactly, with located errors.
//! - [`book`]: `I_client`, `H_external`, `R_residual`, fair value, quote reference, risk band.
//! - [`pnl`]: the ledger and the four PnL buckets (spread edge, residual inventory markout,
//!   external hedge cost, toxic / stale-fill markout), each contribution with its worked
//!   calculation; the buckets always sum to mark-to-market PnL.
//! - [`replay`]: a tape replayed into per-step reports, including internalized vs hedged flow.
//! - [`quote`]: the toy Avellaneda-Stoikov-style quote engine (regime, risk aversion, band,
//!   control action).
//! - [`policy`]: the internalize / skew / hedge / widen / pause decision of the heatmap.
//! - [`settings`]: widget settings from URL parameters and custom-element attributes.
//! - [`narrative`]: engine numbers under stable keys for the chapter's prose.
//! - [`format`](mod@format): how numbers read (`+$1,900`, `$100,050`, `+0.5`), shared by every front end.
//! - [`num`]: the fixed-point types behind it all.
//!
//! ```
//! let tape = dealer_book::tape::Tape::from_json(include_str!("../content/tapes/chapter-1.json")).unwrap();
//! let replay = dealer_book::replay::replay(&tape).unwrap();
//! let net = replay.pnl_at(replay.len()).total();
//! assert_eq!(dealer_book::format::money(net), "-$2,575");
//! ```

#![warn(missing_docs)]

pub mod book;
pub mod cli;
pub mod format;
pub mod narrative;
pub mod num;
pub mod pnl;
pub mod policy;
pub mod quote;
pub mod replay;
pub mod settings;
pub mod tape;

/// The chapter's tape, as shipped in `content/tapes/chapter-1.json`.
pub const CHAPTER_TAPE: &str = include_str!("../content/tapes/chapter-1.json");

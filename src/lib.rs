//! # dealer-book
//!
//! An exact engine for what happens on a market maker's (dealer's) book when a customer trades.
//! No web dependencies: it compiles for native targets and `wasm32-unknown-unknown`, and the
//! browser widgets only format and draw what it returns.
//!
//! - [`tape`]: the JSON event tape authors write, parsed exactly, with located errors.
//! - [`book`]: `I_client`, `H_external`, `R_residual`, fair value, quote reference, risk band.
//! - [`pnl`]: the ledger and the four PnL buckets (spread edge, residual inventory markout,
//!   external hedge cost, stale-fill markout), each contribution with its worked
//!   calculation; the buckets always sum to mark-to-market PnL.
//! - [`replay`]: a tape replayed into per-step reports, including internalized vs hedged flow.
//! - [`quote`]: the toy inventory-aware quote engine (regime, risk aversion, band, control
//!   action), with where and why it departs from Avellaneda–Stoikov (2008).
//! - [`policy`]: the internalize / skew / hedge / widen / pause decision of the heatmap.
//! - [`notice`]: settings that could not be used as given, and the lines a page shows.
//! - [`settings`]: widget settings from URL parameters and custom-element attributes.
//! - [`lesson`]: lesson links (reachable steps, locked controls, predict mode, theme).
//! - [`hedge_rule`]: the `none` / `band` / `flat` hedge rules and the exact counterfactual of a
//!   tape under a rule.
//! - [`lab`]: the hedge lab's exact and distribution panels, for the widget and the prose.
//! - [`risk`]: a path's largest `|R_residual|` and worst drawdown.
//! - [`simulate`]: many seeded paths of a tape with drawn fair moves, summarized by [`stats`].
//! - [`export`]: a replay as CSV and JSON text for downloads.
//! - [`explain`]: every reader-facing sentence (quote worked by hand, policy reasons, lane
//!   callouts), built from what the engine returns.
//! - [`link`]: tapes inside links (`#tape=`: DEFLATE, base64url).
//! - [`studio`]: the tape studio's rules (caret place, palette, error places, snippets).
//! - [`reading`]: follow my reading: when the chapter's replay cursor follows the step being read.
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
pub mod explain;
pub mod export;
pub mod format;
pub mod hedge_rule;
pub mod lab;
pub mod lesson;
pub mod link;
pub mod narrative;
pub mod notice;
pub mod num;
pub mod pnl;
pub mod policy;
pub mod quote;
pub mod reading;
pub mod replay;
pub mod risk;
pub mod settings;
pub mod simulate;
pub mod stats;
pub mod studio;
pub mod tape;
pub mod window;

/// The chapter's tape, as shipped in `content/tapes/chapter-1.json`.
pub const CHAPTER_TAPE: &str = include_str!("../content/tapes/chapter-1.json");

//! The engine: exact numbers in, exact numbers out. Nothing here builds a sentence for a reader
//! (error messages aside); the [`words`](crate::words) layer does that from what these modules
//! return. Nothing here imports the layers above it.
//!
//! - [`num`]: the fixed-point types behind it all (`Qty`, `Price`, `Money`).
//! - [`tape`]: the JSON event tape authors write, parsed exactly, with located errors.
//! - [`book`]: `I_client`, `H_external`, `R_residual`, fair value, quote reference, risk band.
//! - [`pnl`]: the ledger and the four PnL buckets (spread edge, residual inventory markout,
//!   external hedge cost, stale-fill markout), each contribution with the numbers of its worked
//!   calculation; the buckets always sum to mark-to-market PnL.
//! - [`replay`]: a tape replayed into per-step reports, including internalized vs hedged flow.
//! - [`risk`]: a path's largest `|R_residual|` and worst drawdown.
//! - [`quote`]: the toy inventory-aware quote engine (regime, risk aversion, band, control
//!   action), with where and why it departs from Avellaneda–Stoikov (2008).
//! - [`policy`]: the internalize / skew / hedge / widen / pause decision of the heatmap.
//! - [`hedge_rule`]: the `none` / `band` / `flat` hedge rules and the exact counterfactual of a
//!   tape under a rule.
//! - [`simulate`]: many seeded paths of a tape with drawn fair moves, summarized by [`stats`].
//! - [`lab`]: the hedge lab's exact and distribution panels.
//! - [`names`]: the names of the enums (parsing, `FromStr`, `ALL`).

pub mod book;
pub mod hedge_rule;
pub mod lab;
pub mod names;
pub mod num;
pub mod pnl;
pub mod policy;
pub mod quote;
pub mod replay;
pub mod risk;
pub mod simulate;
pub mod stats;
pub mod tape;

//! Reader-facing sentences: everything a widget, the CLI or the chapter says in words is built
//! here from what the engine returns (book, PnL, replay, quote, policy), with single numbers
//! formatted by [`format`](mod@crate::words::format). Widgets only lay the results out, so every
//! sentence here has a native test.
//!
//! - [`event`]: an event in words, and a fill as its lane shows it;
//! - [`quote`]: the toy quote formula worked by hand for one book, and the line each replay
//!   event shows about the quote after it;
//! - [`policy`]: the heatmap's reasons and the chapter's rule table, rendered from the policy's
//!   named thresholds;
//! - [`lanes`]: the DealerBook callouts (internalized flow, pick-offs, protective logic) and lane
//!   texts;
//! - [`pnl`]: a PnL contribution's worked calculation (`1 x ($100,050 - $100,000) = +$50`);
//! - [`replay`]: the start message, step headings, the quote panel's fine print and the risk
//!   proxy line;
//! - [`lab`]: the hedge lab's figures with their precision, what a comparison holds fixed, and
//!   the ranking by certainty equivalent;
//! - [`predict`]: predict-then-reveal questions for any tape and step, with worked answers;
//! - [`trainer`]: the book trainer's labels, guidance, press messages and quantity errors.

pub mod event;
pub mod lab;
pub mod lanes;
pub mod pnl;
pub mod policy;
pub mod predict;
pub mod quote;
pub mod replay;
pub mod trainer;

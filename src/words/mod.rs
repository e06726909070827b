//! Words: every sentence and number a reader sees, built from what the
//! [`engine`](crate::engine) returns. It imports the engine, never the page model or a front end.
//!
//! - [`format`](mod@format): how numbers read (`+$1,900`, `$100,050`, `+0.5`), shared by every
//!   front end.
//! - [`explain`]: the reader-facing sentences (quote worked by hand, policy reasons, lane
//!   callouts, predict questions, announcements, the worked calculation of a PnL contribution).
//! - [`narrative`]: engine numbers under stable keys for the chapter's prose.

pub mod explain;
pub mod format;
pub mod narrative;

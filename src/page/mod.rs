//! The page model: what a page or an embed holds, with no browser in it, so every rule has
//! native tests. It imports the engine and the words; the front ends (the CLI crate, the widgets
//! and the chapter renderer) import it.
//!
//! - [`widget`]: the widgets an author can embed, with their keys, titles and summaries.
//! - [`settings`]: widget settings from URL parameters and custom-element attributes.
//! - [`notice`]: settings that could not be used as given, and the lines a page shows.
//! - [`lesson`]: lesson links (reachable steps, locked controls, predict mode, theme).
//! - [`cursor`]: the replay cursor's rules: range, predict ask/reveal, follow my reading, Play,
//!   and what each move announces.
//! - [`reading`]: follow my reading: when the chapter's replay cursor follows the step being read.
//! - [`window`]: which steps a long view draws around the cursor.
//! - [`link`]: tapes inside links (`#tape=`: DEFLATE, base64url).
//! - [`export`]: a replay as CSV and JSON text for downloads.
//! - [`studio`]: the tape studio's rules (caret place, palette, error places, snippets).

pub mod cursor;
pub mod export;
pub mod lesson;
pub mod link;
pub mod notice;
pub mod reading;
pub mod settings;
pub mod studio;
pub mod widget;
pub mod window;

//! The tape reader's front door: the size limits, a byte-order mark, then the fastest reader this
//! build has (the byte scanner natively, the serde visitors in the browser), with the step and
//! event counts checked as the steps arrive.

use super::parse::{TapeHead, TapeSink};
use super::TapeError;

/// Reads and checks a tape, handing its steps to `sink` as they come. The size limits of
/// [`super::limits`] are checked first (bytes) and while reading (steps, events); a leading
/// byte-order mark is skipped.
///
/// Natively, a byte scanner (module `tape::scan`) reads tapes that are valid as written and
/// anything else is read again by serde visitors, which report the located error. The browser
/// bundle leaves the scanner out (its size budget, `scripts/size-report.sh`) and reads every
/// tape with the serde visitors: the same results, at about a third of the speed.
pub fn read(text: &str, sink: &mut dyn TapeSink) -> Result<TapeHead, TapeError> {
    #[cfg(not(target_arch = "wasm32"))]
    let read = super::scan::read;
    #[cfg(target_arch = "wasm32")]
    let read = super::parse::read_serde;
    super::limits::check_size(text.len())?;
    let text = super::limits::strip_bom(text);
    let mut counted = super::limits::Counted::new(sink);
    let head = read(text, &mut counted)?;
    match counted.over() {
        Some(over) => Err(over),
        None => Ok(head),
    }
}

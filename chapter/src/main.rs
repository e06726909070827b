//! Trunk post-build hook: puts the rendered chapter into the built `index.html`
//! (`$TRUNK_STAGING_DIR/index.html`, or the file given as the only argument).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let page = match (
        std::env::args_os().nth(1),
        std::env::var_os("TRUNK_STAGING_DIR"),
    ) {
        (Some(path), _) => PathBuf::from(path),
        (None, Some(dir)) => PathBuf::from(dir).join("index.html"),
        (None, None) => {
            eprintln!("usage: dealer-book-chapter PAGE.html (or run as a Trunk hook)");
            return ExitCode::from(2);
        }
    };
    match dealer_book_chapter::build_page(&root, &page) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

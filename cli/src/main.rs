//! `dealer-book replay|quote|policy|simulate ...`: see [`dealer_book_cli`].

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::io::Write;
    // Arguments as the system gives them: one that is not UTF-8 is a usage error, not a panic.
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    let ended = dealer_book_cli::run_to(&args, &dealer_book_cli::SystemIo, &mut stdout);
    drop(stdout);
    // Nowhere left to report a failure to write the error itself.
    let _ = std::io::stderr().write_all(ended.stderr.as_bytes());
    std::process::exit(ended.code);
}

/// The command line is native only; the library is what the browser uses.
#[cfg(target_arch = "wasm32")]
fn main() {}

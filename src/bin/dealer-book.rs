//! `dealer-book replay|quote|policy ...`: see [`dealer_book::cli`].

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::io::Write;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = dealer_book::cli::run(&args, &dealer_book::cli::SystemIo);
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    std::process::exit(out.code);
}

/// The command line is native only; the library is what the browser uses.
#[cfg(target_arch = "wasm32")]
fn main() {}

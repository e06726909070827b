//! `dealer-book replay PATH [--json]`: see [`dealer_book::cli`].

use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = dealer_book::cli::run(&args, |path| std::fs::read_to_string(path));
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    std::process::exit(out.code);
}

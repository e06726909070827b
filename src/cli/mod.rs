//! The `dealer-book` command line, for authors and instructors who want to check a tape, a quote
//! or a policy cell without a browser. Parsed with clap (derive); one subcommand per module:
//!
//! - `dealer-book replay PATH [--hedge-rule none|band|flat] [--hedge-cost USD] [--json]`
//!   ([`replay`]): a tape's steps, bands, PnL buckets and risk, as written or under a hedge rule;
//! - `dealer-book simulate PATH --paths N --seed S [--hedge-rule tape|none|band|flat]
//!   [--hedge-cost USD] [--regime calm|normal|stressed] [--json]` ([`simulate`]): the PnL
//!   distribution over many paths with drawn fair moves;
//! - `dealer-book quote --r-residual R [--fair F] [--regime calm|normal|stressed] [--gamma G]
//!   [--stale] [--reference P] [--json]` ([`quote`]): the toy engine's quote for one book;
//! - `dealer-book policy --flow X --toxicity X --volatility X --hedge-cost X --latency X [--json]`
//!   or `dealer-book policy --stdin` ([`policy`]): the heatmap's action and reason.
//!
//! Exit status: 0 on success; 2 for bad usage or invalid input (a tape, a level, a price), with
//! one `error: ...` line on stderr and nothing on stdout; 1 when a file or stdin cannot be read.
//! Kept as a function from arguments and inputs to output ([`run`]) so it is tested in-process.
//!
//! Adding a subcommand: a module with an `Args` struct (clap derive) and a `run(&Args, ...) ->
//! Output`, a variant in [`Command`], one arm in [`run`].

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Parser, Subcommand};

pub mod policy;
pub mod quote;
pub mod replay;
pub mod simulate;

pub use replay::{json_report, streamed_json_report, text_report};

/// What a run printed and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// Exit status.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Output {
    /// Success with this text on stdout.
    pub fn ok(stdout: String) -> Output {
        Output {
            code: 0,
            stdout,
            stderr: String::new(),
        }
    }

    /// Failure: one `error: {message}` line on stderr, nothing on stdout.
    pub fn fail(code: i32, message: impl std::fmt::Display) -> Output {
        Output {
            code,
            stdout: String::new(),
            stderr: format!("error: {message}\n"),
        }
    }
}

/// Where the CLI reads its inputs (the real file system and stdin, or a test double).
pub trait Io {
    /// Reads a whole file.
    fn read_file(&self, path: &str) -> std::io::Result<String>;
    /// Reads all of standard input.
    fn read_stdin(&self) -> std::io::Result<String>;
}

/// The process's own files and standard input.
pub struct SystemIo;

impl Io for SystemIo {
    fn read_file(&self, path: &str) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }
    fn read_stdin(&self) -> std::io::Result<String> {
        std::io::read_to_string(std::io::stdin())
    }
}

const AFTER_HELP: &str = "Exit status: 0 ok; 1 file or stdin unreadable; 2 invalid input or usage \
(one `error:` line on stderr, nothing on stdout).";

/// `dealer-book`: check dealer-book tapes, quotes and policy cells.
#[derive(Debug, Parser)]
#[command(
    name = "dealer-book",
    version,
    about = "Check a Dealer Book tape, a toy quote or a policy cell.",
    after_help = AFTER_HELP,
    subcommand_required = true
)]
pub struct Cli {
    /// Print machine-readable JSON instead of the readable report.
    #[arg(long, global = true)]
    pub json: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Replay an event tape: each step's book, band and PnL buckets with their worked
    /// calculations, then the decomposition.
    Replay(replay::ReplayArgs),
    /// The toy engine's quote for one book: bid, ask, size, skew, band and action.
    Quote(quote::QuoteArgs),
    /// The internalize-or-hedge policy for one environment (or one per JSON line on stdin).
    Policy(policy::PolicyArgs),
    /// Many simulated paths of a tape under a hedge rule: the distribution of PnL and risk.
    Simulate(simulate::SimulateArgs),
}

/// Runs the CLI. `args` excludes the program name.
pub fn run(args: &[String], io: &dyn Io) -> Output {
    let argv = std::iter::once("dealer-book".to_string()).chain(args.iter().cloned());
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    match &cli.command {
        Command::Replay(a) => replay::run(a, cli.json, io),
        Command::Quote(a) => quote::run(a, cli.json),
        Command::Policy(a) => policy::run(a, cli.json, io),
        Command::Simulate(a) => simulate::run(a, cli.json, io),
    }
}

/// A clap error as the CLI promises it: help and version on stdout with status 0, anything else
/// as one `error:` line with status 2.
fn usage_error(e: &clap::Error) -> Output {
    let strings = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        _ => Vec::new(),
    };
    let arg = strings(ContextKind::InvalidArg).join(", ");
    let message = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            return Output::ok(e.render().to_string())
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "missing command; usage: dealer-book replay PATH [--json] | quote ... | policy ... | simulate ... (see --help)".to_string()
        }
        ErrorKind::InvalidSubcommand => format!(
            "unknown command `{}` (see --help)",
            strings(ContextKind::InvalidSubcommand).join(", ")
        ),
        ErrorKind::UnknownArgument if arg.starts_with('-') => {
            format!("unknown option `{arg}` (see --help)")
        }
        ErrorKind::UnknownArgument => format!("unexpected argument `{arg}` (see --help)"),
        ErrorKind::MissingRequiredArgument if arg == "<PATH>" => {
            "replay needs a tape PATH (see --help)".to_string()
        }
        ErrorKind::MissingRequiredArgument => format!("missing {arg} (see --help)"),
        _ => {
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or("invalid usage");
            format!(
                "{} (see --help)",
                first.strip_prefix("error: ").unwrap_or(first)
            )
        }
    };
    Output::fail(2, message)
}

pub(crate) use crate::export::number;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A test double: every file and stdin hold the given text.
    pub struct Text(pub String);

    impl Io for Text {
        fn read_file(&self, _: &str) -> std::io::Result<String> {
            Ok(self.0.clone())
        }
        fn read_stdin(&self) -> std::io::Result<String> {
            Ok(self.0.clone())
        }
    }

    pub fn run_on(args: &[&str], text: &str) -> Output {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        run(&args, &Text(text.to_string()))
    }

    #[test]
    fn usage_errors_exit_2_with_one_line() {
        assert_eq!(run_on(&["--help"], "").code, 0);
        assert!(run_on(&["--help"], "").stdout.contains("replay"));
        for args in [
            &[][..],
            &["replay"],
            &["replay", "a", "b"],
            &["replay", "a", "--yaml"],
            &["play", "a"],
            &["quote"],
            &["quote", "--r-residual", "x"],
            &["policy", "--flow", "0.5"],
            &["policy", "--stdin", "--flow", "0.5"],
        ] {
            let out = run_on(args, "");
            assert_eq!(out.code, 2, "{args:?}");
            assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {}", out.stderr);
            assert!(
                out.stderr.starts_with("error: "),
                "{args:?}: {}",
                out.stderr
            );
            assert_eq!(out.stdout, "");
        }
        assert_eq!(
            run_on(&["play", "a"], "").stderr,
            "error: unknown command `play` (see --help)\n"
        );
        assert_eq!(
            run_on(&["replay", "a", "--yaml"], "").stderr,
            "error: unknown option `--yaml` (see --help)\n"
        );
    }

    #[test]
    fn json_flag_works_before_the_command_too() {
        let a = run_on(&["--json", "quote", "--r-residual", "0"], "");
        let b = run_on(&["quote", "--r-residual", "0", "--json"], "");
        assert_eq!((a.code, &a.stdout), (0, &b.stdout));
    }
}

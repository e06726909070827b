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
//!   or `dealer-book policy --stdin` ([`policy`]): the heatmap's action and reason;
//! - `dealer-book link TAPE [--page studio|embed|present] [--widget KIND] [--base URL] [--json]`
//!   ([`link`]): a checked tape as a link that carries it in its fragment.
//!
//! Exit status: 0 on success; 2 for bad usage or invalid input (a tape, a level, a price, an
//! argument that is not UTF-8 text), with one `error: ...` line on stderr and nothing on stdout;
//! 1 when a file or stdin cannot be read, or when the output cannot be written (one `error:
//! cannot write output: ...` line). A closed pipe on stdout (`| head -1`) is not an error: the
//! run stops quietly with status 0. `policy --stdin` answers each line as it arrives, so a bad
//! line stops it after the answers to the lines before it.
//!
//! Inputs are read as bytes, with the tape limits of [`dealer_book::tape::limits`]: a file is read up
//! to [`MAX_TAPE_BYTES`] plus one byte and no further (a regular file over the limit is refused
//! from its size, before it is read), a UTF-8 byte-order mark is skipped, and any other byte that
//! is not UTF-8 is refused with its line and column.
//!
//! Kept as a function from arguments and inputs to output ([`run`], or [`run_to`] writing to a
//! stream) so it is tested in-process.
//!
//! Adding a subcommand: a module with an `Args` struct (clap derive) and a `run(&Args, ...) ->
//! Output`, a variant in [`Command`], one arm in [`run`].

#![warn(missing_docs)]

use std::ffi::OsString;
use std::io::{self, BufRead, Read, Write};

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Parser, Subcommand};

use dealer_book::tape::limits::{self, MAX_TAPE_BYTES};
use dealer_book::tape::TapeError;

pub mod link;
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

    /// A write to standard output failed: status 1 and one `error: cannot write output: ...`
    /// line, except for a closed pipe (the reader has all it wanted), which ends quietly with 0.
    pub fn write_failed(e: &io::Error) -> Output {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Output::ok(String::new())
        } else {
            Output::fail(1, format!("cannot write output: {e}"))
        }
    }
}

/// How a run that wrote its output to a stream ended ([`run_to`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ended {
    /// Exit status.
    pub code: i32,
    /// Standard error.
    pub stderr: String,
}

/// A file opened for reading.
pub struct Opened<'a> {
    /// Its bytes, as they are read.
    pub bytes: Box<dyn Read + 'a>,
    /// Its length, when the file system knows it (a regular file); `None` for a pipe or device.
    pub len: Option<u64>,
}

/// Where the CLI reads its inputs and shows progress (the real file system, stdin and stderr, or
/// a test double).
pub trait Io {
    /// Opens a file for reading.
    fn open(&self, path: &str) -> io::Result<Opened<'_>>;
    /// Standard input, read as it arrives.
    fn stdin(&self) -> Box<dyn BufRead + '_>;
    /// Where long runs show their progress: standard error when it is a terminal, else nowhere.
    fn progress(&self) -> Option<Box<dyn Write + '_>> {
        None
    }
}

/// The process's own files, standard input and standard error.
pub struct SystemIo;

impl Io for SystemIo {
    fn open(&self, path: &str) -> io::Result<Opened<'_>> {
        let file = std::fs::File::open(path)?;
        let len = file
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        Ok(Opened {
            bytes: Box::new(file),
            len,
        })
    }
    fn stdin(&self) -> Box<dyn BufRead + '_> {
        Box::new(io::stdin().lock())
    }
    fn progress(&self) -> Option<Box<dyn Write + '_>> {
        use std::io::IsTerminal;
        let stderr = io::stderr();
        if stderr.is_terminal() {
            Some(Box::new(stderr))
        } else {
            None
        }
    }
}

/// A file's bytes, read up to the tape size limit and no further: exit 1 when it cannot be read,
/// 2 when it is over the limit (a regular file from its size, before reading).
fn read_bounded(path: &str, io: &dyn Io) -> Result<Vec<u8>, Output> {
    let unreadable = |e: io::Error| Output::fail(1, format!("{path}: cannot read: {e}"));
    let too_large = |e: TapeError| Output::fail(2, format!("{path}: {e}"));
    let opened = io.open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    if let Some(len) = opened.len {
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        limits::check_size(len).map_err(too_large)?;
        // One byte more, so the read that finds the end needs no second allocation.
        bytes.reserve_exact(len + 1);
    }
    let cap = MAX_TAPE_BYTES as u64 + 1;
    opened
        .bytes
        .take(cap)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    limits::check_size(bytes.len()).map_err(too_large)?;
    Ok(bytes)
}

/// A tape file's text: read up to the size limit (exit 1 when unreadable), a byte-order mark
/// skipped, other bytes that are not UTF-8 refused with their line and column (exit 2).
pub(crate) fn read_text(path: &str, io: &dyn Io) -> Result<String, Output> {
    let mut bytes = read_bounded(path, io)?;
    let skip = match limits::decode(&bytes) {
        Ok(text) => bytes.len() - text.len(),
        Err(e) => return Err(Output::fail(2, format!("{path}: {e}"))),
    };
    bytes.drain(..skip);
    String::from_utf8(bytes).map_err(|e| Output::fail(2, format!("{path}: {e}")))
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
    /// A link that carries a tape in its fragment: to the tape studio, one widget, or one widget
    /// in classroom presentation.
    Link(link::LinkArgs),
}

/// Runs the CLI on UTF-8 arguments, collecting standard output. `args` excludes the program
/// name.
pub fn run(args: &[String], io: &dyn Io) -> Output {
    let args: Vec<OsString> = args.iter().map(OsString::from).collect();
    let mut stdout = Vec::new();
    let ended = run_to(&args, io, &mut stdout);
    Output {
        code: ended.code,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: ended.stderr,
    }
}

/// Runs the CLI as the binary does: arguments as the operating system gives them (one that is
/// not UTF-8 is a usage error naming its position, counted from 1 after the program name),
/// standard output written to `stdout` and flushed (`policy --stdin` writes each answer as its
/// line is read). A failed write ends the run as [`Output::write_failed`] says.
pub fn run_to(args: &[OsString], io: &dyn Io, stdout: &mut dyn Write) -> Ended {
    let out = match utf8_args(args) {
        Ok(args) => dispatch(&args, io, stdout),
        Err(out) => out,
    };
    let out = match stdout
        .write_all(out.stdout.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => out,
        Err(e) => Output::write_failed(&e),
    };
    Ended {
        code: out.code,
        stderr: out.stderr,
    }
}

/// The arguments as text, or a usage error naming the first that is not UTF-8.
fn utf8_args(args: &[OsString]) -> Result<Vec<String>, Output> {
    args.iter()
        .enumerate()
        .map(|(i, a)| {
            a.to_str().map(str::to_owned).ok_or_else(|| {
                Output::fail(2, format!("argument {} is not valid UTF-8 text", i + 1))
            })
        })
        .collect()
}

/// Parses the arguments and runs the subcommand.
fn dispatch(args: &[String], io: &dyn Io, stdout: &mut dyn Write) -> Output {
    let argv = std::iter::once("dealer-book".to_string()).chain(args.iter().cloned());
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    match &cli.command {
        Command::Replay(a) => replay::run(a, cli.json, io),
        Command::Quote(a) => quote::run(a, cli.json),
        Command::Policy(a) => policy::run(a, cli.json, io, stdout),
        Command::Simulate(a) => simulate::run(a, cli.json, io),
        Command::Link(a) => link::run(a, cli.json, io),
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
        ErrorKind::MissingRequiredArgument if arg == "<TAPE>" => {
            "link needs a TAPE file (see --help)".to_string()
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

pub(crate) use dealer_book::export::{number, ExactNumber};

/// Names as a reader lists them: `a, b or c`.
pub(crate) fn one_of(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A test double: every file and stdin hold the given bytes.
    pub struct Text(pub Vec<u8>);

    impl Io for Text {
        fn open(&self, _: &str) -> io::Result<Opened<'_>> {
            Ok(Opened {
                bytes: Box::new(&self.0[..]),
                len: None,
            })
        }
        fn stdin(&self) -> Box<dyn BufRead + '_> {
            Box::new(&self.0[..])
        }
    }

    pub fn run_on(args: &[&str], text: &str) -> Output {
        run_on_bytes(args, text.as_bytes())
    }

    pub fn run_on_bytes(args: &[&str], bytes: &[u8]) -> Output {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        run(&args, &Text(bytes.to_vec()))
    }

    /// A stdout that takes `n` bytes and then fails with `kind`.
    struct Failing(usize, io::ErrorKind);

    impl Write for Failing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            match self.0.min(buf.len()) {
                0 => Err(io::Error::from(self.1)),
                n => {
                    self.0 -= n;
                    Ok(n)
                }
            }
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failed_write_is_an_error_and_a_closed_pipe_is_quiet() {
        let args: Vec<OsString> = ["quote", "--r-residual", "0"]
            .iter()
            .map(OsString::from)
            .collect();
        let full = run_to(
            &args,
            &Text(Vec::new()),
            &mut Failing(10, io::ErrorKind::StorageFull),
        );
        assert_eq!(full.code, 1);
        assert!(
            full.stderr.starts_with("error: cannot write output: "),
            "{}",
            full.stderr
        );
        assert_eq!(full.stderr.lines().count(), 1);
        let pipe = run_to(
            &args,
            &Text(Vec::new()),
            &mut Failing(0, io::ErrorKind::BrokenPipe),
        );
        assert_eq!((pipe.code, pipe.stderr.as_str()), (0, ""));
    }

    #[cfg(unix)]
    #[test]
    fn an_argument_that_is_not_utf8_is_named_by_position() {
        use std::os::unix::ffi::OsStringExt;
        let args = vec![
            OsString::from("quote"),
            OsString::from("--fair"),
            OsString::from_vec(vec![0xFF]),
        ];
        let mut stdout = Vec::new();
        let ended = run_to(&args, &Text(Vec::new()), &mut stdout);
        assert_eq!(
            (ended.code, ended.stderr.as_str(), stdout.len()),
            (2, "error: argument 3 is not valid UTF-8 text\n", 0)
        );
    }

    #[test]
    fn tape_bytes_are_checked_with_the_tape_limits() {
        let bom = [&b"\xEF\xBB\xBF"[..], dealer_book::CHAPTER_TAPE.as_bytes()].concat();
        let plain = run_on(&["replay", "c.json", "--json"], dealer_book::CHAPTER_TAPE);
        let with_bom = run_on_bytes(&["replay", "c.json", "--json"], &bom);
        assert_eq!((with_bom.code, &with_bom.stdout), (0, &plain.stdout));
        let bad = run_on_bytes(&["replay", "c.json"], b"{\n  \"title\": \"caf\xFF\"}");
        assert_eq!((bad.code, bad.stdout.as_str()), (2, ""));
        assert_eq!(
            bad.stderr,
            "error: c.json: line 2, column 16: the tape is not UTF-8 text (byte 0xFF); save it as UTF-8\n"
        );
    }

    /// Endless input: a device or pipe that never ends.
    struct Endless;

    impl Io for Endless {
        fn open(&self, _: &str) -> io::Result<Opened<'_>> {
            Ok(Opened {
                bytes: Box::new(io::repeat(b' ')),
                len: None,
            })
        }
        fn stdin(&self) -> Box<dyn BufRead + '_> {
            Box::new(io::BufReader::new(io::repeat(b' ')))
        }
    }

    #[test]
    fn endless_input_stops_at_the_size_limit() {
        for command in ["replay", "simulate"] {
            let args: Vec<String> = [command, "z.json", "--paths", "1", "--seed", "1"]
                .iter()
                .take(if command == "replay" { 2 } else { 6 })
                .map(|s| s.to_string())
                .collect();
            let out = run(&args, &Endless);
            assert_eq!((out.code, out.stdout.as_str()), (2, ""), "{command}");
            assert_eq!(
                out.stderr,
                "error: z.json: tape: the tape is larger than the limit of 67,108,864 bytes (64 MiB); \
                 split it into shorter tapes\n"
            );
        }
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

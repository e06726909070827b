//! `dealer-book link TAPE [--page studio|embed|present] [--widget KIND] [--base URL]`: checks a
//! tape and prints a link that carries it in its fragment ([`dealer_book::link`]), so authors and
//! instructors can script scenario links. An invalid tape is refused like `replay` refuses it
//! (exit 2, one `error:` line). A link longer than [`MAX_LINK_CHARS`] is still printed, with a
//! warning on stderr that it may not survive being pasted.

use clap::Args;

use super::{Io, Output};
use dealer_book::link::{self, Page, MAX_LINK_CHARS};
use dealer_book::settings::WidgetKind;
use dealer_book::tape::Tape;

/// Arguments of `dealer-book link`.
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The tape file (JSON).
    #[arg(value_name = "TAPE")]
    pub path: String,
    /// The page the link opens: the tape studio, one widget for an iframe, or one widget in
    /// classroom presentation.
    #[arg(long, value_name = "PAGE", value_parser = parse_page, default_value = "studio")]
    pub page: Page,
    /// The widget shown by `--page embed` or `present` (default replay).
    #[arg(long, value_name = "KIND", value_parser = parse_widget)]
    pub widget: Option<WidgetKind>,
    /// Where the chapter is published (`https://example.org/dealer-book/`); without it the link
    /// is relative to that folder.
    #[arg(long, value_name = "URL", default_value = "")]
    pub base: String,
}

fn parse_page(s: &str) -> Result<Page, String> {
    s.parse().map_err(|_| {
        let names = super::one_of(&Page::ALL.map(Page::name));
        format!("unknown page `{s}` (expected {names})")
    })
}

fn parse_widget(s: &str) -> Result<WidgetKind, String> {
    match WidgetKind::from_key(s) {
        Some(WidgetKind::BookTrainer) => {
            Err("the book trainer does not replay a tape; choose replay, maker-inventory, dealer-book, heatmap or hedge-lab".into())
        }
        Some(k) => Ok(k),
        None => Err(format!(
            "unknown widget `{s}` (expected replay, maker-inventory, dealer-book, heatmap or hedge-lab)"
        )),
    }
}

/// Runs `dealer-book link`.
pub fn run(args: &LinkArgs, json: bool, io: &dyn Io) -> Output {
    let path = args.path.as_str();
    if args.page == Page::Studio && args.widget.is_some() {
        return Output::fail(
            2,
            "--widget applies to --page embed or present; the studio shows its own preview",
        );
    }
    let text = match super::read_text(path, io) {
        Ok(t) => t,
        Err(out) => return out,
    };
    let checked = Tape::from_json(&text)
        .map_err(|e| e.to_string())
        .and_then(|tape| dealer_book::replay::replay(&tape).map_err(|e| e.to_string()));
    if let Err(e) = checked {
        return Output::fail(2, format!("{path}: {e}"));
    }
    let url = link::link(&args.base, args.page, args.widget, &link::encode(&text));
    let chars = url.chars().count();
    let too_long = chars > MAX_LINK_CHARS;
    let stdout = if json {
        #[derive(serde::Serialize)]
        struct LinkJson<'a> {
            link: &'a str,
            page: &'static str,
            widget: Option<&'static str>,
            tape_bytes: usize,
            link_characters: usize,
            too_long: bool,
        }
        let report = LinkJson {
            link: &url,
            page: args.page.name(),
            widget: (args.page != Page::Studio)
                .then(|| args.widget.unwrap_or(WidgetKind::Replay).key()),
            tape_bytes: text.len(),
            link_characters: chars,
            too_long,
        };
        format!("{}\n", serde_json::to_string(&report).unwrap_or_default())
    } else {
        format!("{url}\n")
    };
    let mut out = Output::ok(stdout);
    if too_long {
        out.stderr = format!(
            "warning: the link is {chars} characters, over the {MAX_LINK_CHARS} that links reliably carry; share the tape as a file instead\n"
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::run as cli;
    use super::super::tests::Text;

    fn run(args: &[&str], tape: &str) -> super::Output {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        cli(&args, &Text(tape.as_bytes().to_vec()))
    }

    #[test]
    fn prints_a_studio_link_that_carries_the_tape() {
        let out = run(&["link", "t.json"], dealer_book::CHAPTER_TAPE);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let url = out.stdout.trim_end();
        assert!(url.starts_with("studio.html#tape="), "{url}");
        let encoded = dealer_book::link::fragment_tape(url).unwrap();
        assert_eq!(
            dealer_book::link::decode(encoded).unwrap(),
            dealer_book::CHAPTER_TAPE.as_bytes()
        );
    }

    #[test]
    fn pages_widgets_and_base() {
        let out = run(
            &[
                "link",
                "t.json",
                "--page",
                "present",
                "--widget",
                "hedge-lab",
                "--base",
                "https://x.org/db",
            ],
            dealer_book::CHAPTER_TAPE,
        );
        assert!(
            out.stdout
                .starts_with("https://x.org/db/?widget=hedge-lab#tape="),
            "{}",
            out.stdout
        );
        let out = run(
            &["link", "t.json", "--page", "embed", "--json"],
            dealer_book::CHAPTER_TAPE,
        );
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["page"], "embed");
        assert_eq!(v["widget"], "replay");
        assert_eq!(v["too_long"], false);
        assert!(v["link"]
            .as_str()
            .unwrap()
            .starts_with("embed.html?widget=replay#tape="));
    }

    #[test]
    fn refuses_invalid_tapes_and_usage() {
        let bad = dealer_book::CHAPTER_TAPE.replacen("\"qty\": 1,", "\"qty\": 0,", 1);
        let out = run(&["link", "t.json"], &bad);
        assert_eq!(out.code, 2);
        assert_eq!(out.stdout, "");
        assert_eq!(
            out.stderr,
            "error: t.json: step 1, event 1: qty must be positive\n"
        );
        let out = run(
            &["link", "t.json", "--page", "lecture"],
            dealer_book::CHAPTER_TAPE,
        );
        assert_eq!(out.code, 2);
        assert!(
            out.stderr.contains("unknown page `lecture`"),
            "{}",
            out.stderr
        );
        let out = run(
            &["link", "t.json", "--widget", "heatmap"],
            dealer_book::CHAPTER_TAPE,
        );
        assert_eq!(out.code, 2);
        assert!(out.stderr.contains("--widget applies to"), "{}", out.stderr);
        let out = run(
            &[
                "link",
                "t.json",
                "--page",
                "embed",
                "--widget",
                "book-trainer",
            ],
            dealer_book::CHAPTER_TAPE,
        );
        assert_eq!(out.code, 2);
        assert!(
            out.stderr.contains("does not replay a tape"),
            "{}",
            out.stderr
        );
    }

    #[test]
    fn warns_when_the_link_is_too_long() {
        let tape = dealer_book::tape::synthetic::tape(20_000, 5).to_json();
        let out = run(&["link", "t.json"], &tape);
        assert_eq!(out.code, 0);
        assert!(
            out.stderr.starts_with("warning: the link is "),
            "{}",
            out.stderr
        );
    }
}

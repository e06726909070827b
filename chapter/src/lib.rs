//! # dealer-book-chapter
//!
//! Renders `content/chapter.md` into the chapter page at build time, so the whole chapter is in
//! the HTML: prose, tables, engine numbers (`{{key}}` placeholders filled from the replayed
//! chapter tape), evidence notes with links back, the contents, and one slot per
//! `{{widget:NAME}}` paragraph. A slot holds a box with the widget's title and a one-line
//! summary; the widgets' WebAssembly later mounts each widget into its slot as an island.
//!
//! [`build_page`] is what the Trunk post-build hook runs: it fills the two markers of the built
//! `index.html` ([`TOC_MARKER`], [`BODY_MARKER`]) with [`render`]'s output.

#![warn(missing_docs)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use dealer_book::narrative;
use dealer_book::replay::{replay, Replay};
use dealer_book::settings::WidgetKind;
use dealer_book::tape::Tape;
use pulldown_cmark::TextMergeStream;
use pulldown_cmark::{
    html, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};

/// Text in the page template replaced by the contents' list items.
pub const TOC_MARKER: &str = "DEALER_BOOK_TOC";
/// Text in the page template replaced by the chapter's body.
pub const BODY_MARKER: &str = "DEALER_BOOK_CHAPTER";

/// What can stop the chapter from rendering; each says what and where.
#[derive(Debug, thiserror::Error)]
pub enum ChapterError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The chapter tape is invalid.
    #[error("content/tapes/chapter-1.json: {0}")]
    Tape(String),
    /// Unknown or missing `{{placeholders}}`.
    #[error("content/chapter.md: {}", .0.join("; "))]
    Placeholders(Vec<String>),
    /// A `{{widget:NAME}}` slot names no widget.
    #[error("content/chapter.md: unknown widget slot `{{{{widget:{0}}}}}`")]
    UnknownWidget(String),
    /// A claim is cited but never defined.
    #[error("content/chapter.md: claim [^{0}] is cited but has no definition")]
    MissingClaim(String),
    /// The page template lacks a marker.
    #[error("{0}: the page has no `{1}` marker to replace")]
    Marker(PathBuf, &'static str),
}

/// The rendered chapter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chapter {
    /// Prose blocks and widget slots, in reading order.
    pub body: String,
    /// The contents: one `<li>` per h2/h3.
    pub toc: String,
    /// The widget slots, in order.
    pub widgets: Vec<WidgetKind>,
}

fn slug(text: &str) -> String {
    let mut s = String::new();
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            s.push(ch.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    s.trim_end_matches('-').to_string()
}

/// Text as HTML (`&`, `<`, `>`, `"` and `'` escaped), with the escaper pulldown-cmark itself
/// uses.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// The static place of one widget: a box with its title and summary that the island replaces,
/// the link that presents it full-window, and the place of its lesson builder (a folded panel,
/// one line high until opened). CSS reserves each kind's mounted height. `data-code` names the
/// code the slot needs ([`WidgetKind::chapter_code`]): the page's loader fetches its files as
/// soon as the slot is on screen.
pub fn widget_slot(kind: WidgetKind) -> String {
    let key = kind.key();
    format!(
        "<div class=\"widget-slot\" data-widget=\"{key}\" data-code=\"{code}\">\
<div class=\"island\" data-island=\"{key}\">\
<div class=\"dbw island-placeholder\">\
<p class=\"dbw-title\">{title}</p>\
<p class=\"island-summary\">{summary}</p>\
<p class=\"island-status\" role=\"status\">The interactive widget is starting…<noscript> It needs JavaScript and WebAssembly.</noscript></p>\
</div></div>\
<a class=\"present-link\" href=\"?widget={key}\">Present this widget ↗</a>\
<div class=\"lesson-builder-island\" data-lesson-builder=\"{key}\"></div>\
</div>\n",
        title = escape(kind.title()),
        summary = escape(kind.summary()),
        code = kind.chapter_code().join(" "),
    )
}

/// Fills the placeholders of `markdown` from the replayed chapter tape.
pub fn fill(markdown: &str, report: &Replay) -> Result<String, ChapterError> {
    narrative::fill(
        markdown,
        &narrative::values(report),
        &narrative::required_keys(report),
    )
    .map_err(|errors| ChapterError::Placeholders(errors.iter().map(|e| e.to_string()).collect()))
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        _ => 4,
    }
}

/// `{{widget:NAME}}` when a paragraph holds only that.
fn widget_name<'a>(events: &'a [Event<'a>], i: usize) -> Option<&'a str> {
    match (events.get(i), events.get(i + 1), events.get(i + 2)) {
        (
            Some(Event::Start(Tag::Paragraph)),
            Some(Event::Text(t)),
            Some(Event::End(TagEnd::Paragraph)),
        ) => t
            .trim()
            .strip_prefix("{{widget:")
            .and_then(|r| r.strip_suffix("}}")),
        _ => None,
    }
}

fn prose(events: &mut Vec<Event>, out: &mut String) {
    if events.is_empty() {
        return;
    }
    out.push_str("<div class=\"prose\">");
    html::push_html(out, events.drain(..));
    out.push_str("</div>\n");
}

/// Text of the heading starting at `events[i]`, and the index of its end.
fn heading_text(events: &[Event], i: usize) -> (String, usize) {
    let end = (i + 1..events.len())
        .find(|&j| matches!(events[j], Event::End(TagEnd::Heading(_))))
        .unwrap_or(events.len());
    let text = events[i + 1..end]
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    (text, end)
}

/// The h2 sections whose h3s include replay steps ("Step N: ..."): the follow regions, where
/// the replay's widgets sit beside the steps on wide screens and follow the reading.
fn follow_regions(events: &[Event]) -> Vec<String> {
    let mut regions = Vec::new();
    let mut h2 = None;
    for (i, e) in events.iter().enumerate() {
        if let Event::Start(Tag::Heading { level, .. }) = e {
            let (text, _) = heading_text(events, i);
            match level {
                HeadingLevel::H1 | HeadingLevel::H2 => h2 = Some(slug(&text)),
                HeadingLevel::H3 if dealer_book::reading::step_of_heading(&text).is_some() => {
                    if let Some(id) = h2.clone().filter(|id| !regions.contains(id)) {
                        regions.push(id);
                    }
                }
                _ => {}
            }
        }
    }
    regions
}

/// The open containers of the page body, closed innermost first: an h2 section, a follow row
/// (a widget rail beside its text column) and an h3 section.
#[derive(Default)]
struct Outline {
    h2: bool,
    row: Option<WidgetKind>,
    h3: bool,
    follow: bool,
}

impl Outline {
    fn close_h3(&mut self, body: &mut String) {
        if std::mem::take(&mut self.h3) {
            body.push_str("</section>\n");
        }
    }
    fn close_row(&mut self, body: &mut String) {
        self.close_h3(body);
        if self.row.take().is_some() {
            body.push_str("</div></div>\n");
        }
    }
    fn close_h2(&mut self, body: &mut String) {
        self.close_row(body);
        if std::mem::take(&mut self.h2) {
            body.push_str("</section>\n");
        }
        self.follow = false;
    }
}

/// The rail id of a widget beside the text (the target of "jump to the widget" links).
pub fn rail_id(kind: WidgetKind) -> String {
    format!("beside-{}", kind.key())
}

/// A follow row's start: the widget's rail (its follow bar's place, then its slot) and the text
/// column the rail stays beside on wide screens. On narrow screens the rail is simply inline,
/// where the widget's slot was in the text.
fn row_start(kind: WidgetKind) -> String {
    format!(
        "<div class=\"follow-row\"><div class=\"follow-rail\" id=\"{id}\" tabindex=\"-1\">\
<div class=\"follow-bar\" data-follow-bar=\"{key}\"></div>{slot}</div><div class=\"follow-text\">\n",
        id = rail_id(kind),
        key = kind.key(),
        slot = widget_slot(kind),
    )
}

/// Renders filled Markdown (no placeholders left) to the chapter body and contents.
///
/// The body is an outline: each h2 and h3 opens a `<section class="sec" data-toc=ID>` (the
/// contents' scrollspy and the follow mode watch these), sections of replay steps carry
/// `data-step=N`, and in a follow region each replay widget's slot starts a follow row whose
/// text column holds the steps up to the next such widget.
pub fn render_filled(filled: &str) -> Result<Chapter, ChapterError> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let events: Vec<Event> = TextMergeStream::new(Parser::new_ext(filled, options)).collect();
    let regions = follow_regions(&events);
    let mut body = String::new();
    let mut toc = String::new();
    let mut widgets = Vec::new();
    let mut current: Vec<Event> = Vec::new();
    // Each evidence note links back to every citation of it, so count them first.
    let cited: BTreeMap<&str, usize> = events.iter().fold(BTreeMap::new(), |mut cited, e| {
        if let Event::FootnoteReference(name) = e {
            *cited.entry(name.as_ref()).or_insert(0) += 1;
        }
        cited
    });
    let mut citations: BTreeMap<&str, usize> = BTreeMap::new();
    let mut defined: Option<&str> = None;
    let mut notes: Vec<&str> = Vec::new();
    let mut outline = Outline::default();
    let mut tables = 0usize;
    let mut i = 0;
    while i < events.len() {
        if let Some(name) = widget_name(&events, i) {
            let kind = WidgetKind::from_key(name)
                .ok_or_else(|| ChapterError::UnknownWidget(name.into()))?;
            prose(&mut current, &mut body);
            if outline.follow && kind.uses_replay() {
                outline.close_row(&mut body);
                body.push_str(&row_start(kind));
                outline.row = Some(kind);
            } else {
                body.push_str(&widget_slot(kind));
            }
            widgets.push(kind);
            i += 3;
            continue;
        }
        match &events[i] {
            Event::Start(Tag::Heading { level, .. }) => {
                let n = heading_level(*level);
                let (text, end) = heading_text(&events, i);
                let id = slug(&text);
                prose(&mut current, &mut body);
                let step = dealer_book::reading::step_of_heading(&text).filter(|_| outline.follow);
                match n {
                    1 | 2 => {
                        outline.close_h2(&mut body);
                        if n == 2 {
                            outline.follow = regions.contains(&id);
                            let follow = if outline.follow { " data-follow" } else { "" };
                            let _ =
                                writeln!(body, "<section class=\"sec\" data-toc=\"{id}\"{follow}>");
                            outline.h2 = true;
                        }
                    }
                    3 => {
                        outline.close_h3(&mut body);
                        let step_attr = step
                            .map(|s| format!(" data-step=\"{s}\""))
                            .unwrap_or_default();
                        let _ =
                            writeln!(body, "<section class=\"sec\" data-toc=\"{id}\"{step_attr}>");
                        outline.h3 = true;
                    }
                    _ => {}
                }
                if n == 2 || n == 3 {
                    let _ = write!(
                        toc,
                        "<li class=\"toc-h{n}\"><a href=\"#{id}\">{}</a></li>",
                        escape(&text)
                    );
                }
                current.push(Event::Html(CowStr::from(format!("<h{n} id=\"{id}\">"))));
                current.extend(events[i + 1..end].iter().cloned());
                if n > 1 {
                    current.push(Event::Html(CowStr::from(format!(
                        " <a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a>"
                    ))));
                }
                current.push(Event::Html(CowStr::from(format!("</h{n}>\n"))));
                // Keyboard readers jump from a step's text to the widget beside it.
                if let (Some(s), Some(kind)) = (step, outline.row) {
                    current.push(Event::Html(CowStr::from(format!(
                        "<p class=\"to-widget\"><a href=\"#{}\">Jump to the widget beside step {s} ({})</a></p>\n",
                        rail_id(kind),
                        escape(kind.title())
                    ))));
                }
                i = end + 1;
                continue;
            }
            // A table that is wider than a phone scrolls inside a keyboard-reachable region.
            Event::Start(Tag::Table(_)) => {
                tables += 1;
                current.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Table {tables} (scrolls sideways on a narrow screen)\">"
                ))));
                current.push(events[i].clone());
            }
            Event::End(TagEnd::Table) => {
                current.push(events[i].clone());
                current.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::FootnoteReference(name) => {
                let count = citations.entry(name.as_ref()).or_insert(0);
                *count += 1;
                let name = escape(name);
                current.push(Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"claim-ref\"><a id=\"ref-{name}-{count}\" href=\"#claim-{name}\" aria-label=\"Evidence note {name}\">[{name}]</a></sup>"
                ))));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                defined = Some(name.as_ref());
                notes.push(name.as_ref());
                let name = escape(name);
                current.push(Event::Html(CowStr::from(format!(
                    "<div class=\"claim\" id=\"claim-{name}\" role=\"note\">"
                ))));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                let links = defined
                    .take()
                    .map(|name| backrefs(name, cited.get(name).copied().unwrap_or(0)))
                    .unwrap_or_default();
                current.push(Event::Html(CowStr::from(format!("{links}</div>\n"))));
            }
            // Code blocks may scroll sideways on phones: reachable by keyboard.
            Event::Start(Tag::CodeBlock(kind)) => {
                let class = match kind {
                    CodeBlockKind::Fenced(lang) if !lang.is_empty() => {
                        let lang = lang.split(' ').next().unwrap_or_default();
                        format!(" class=\"language-{}\"", escape(lang))
                    }
                    _ => String::new(),
                };
                current.push(Event::Html(CowStr::from(format!(
                    "<pre tabindex=\"0\"><code{class}>"
                ))));
            }
            Event::End(TagEnd::CodeBlock) => {
                current.push(Event::Html(CowStr::from("</code></pre>\n")));
            }
            other => current.push(other.clone()),
        }
        i += 1;
    }
    prose(&mut current, &mut body);
    outline.close_h2(&mut body);
    // A citation of a note the chapter never defines.
    if let Some(name) = citations.keys().find(|name| !notes.contains(name)) {
        return Err(ChapterError::MissingClaim(name.to_string()));
    }
    Ok(Chapter { body, toc, widgets })
}

/// The links from an evidence note back to each of its `count` citations in the text.
fn backrefs(name: &str, count: usize) -> String {
    if count == 0 {
        return String::new();
    }
    let name = escape(name);
    let mut links = String::from(" <span class=\"backrefs\">Cited at ");
    for k in 1..=count {
        let _ = write!(
            links,
            "<a href=\"#ref-{name}-{k}\" aria-label=\"Back to citation {k} of {name}\">↩{k}</a> "
        );
    }
    links.push_str("</span>");
    links
}

/// Fills and renders the chapter against its tape.
pub fn render(markdown: &str, tape_json: &str) -> Result<Chapter, ChapterError> {
    let tape = Tape::from_json(tape_json).map_err(|e| ChapterError::Tape(e.to_string()))?;
    let report = replay(&tape).map_err(|e| ChapterError::Tape(e.to_string()))?;
    render_filled(&fill(markdown, &report)?)
}

/// Replaces the page's markers with the chapter; `page` names the file in errors.
pub fn splice(html: &str, chapter: &Chapter, page: &Path) -> Result<String, ChapterError> {
    for marker in [TOC_MARKER, BODY_MARKER] {
        if !html.contains(marker) {
            return Err(ChapterError::Marker(page.to_path_buf(), marker));
        }
    }
    let html = html
        .replacen(TOC_MARKER, &chapter.toc, 1)
        .replacen(BODY_MARKER, &chapter.body, 1);
    Ok(drop_trunk_links(&html))
}

/// Drops the `<link data-trunk ...>` elements Trunk leaves when it injects no scripts (the Rust
/// app's link would otherwise ship as a dead `rel=rust` link).
fn drop_trunk_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<link") {
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        out.push_str(&rest[..start]);
        if !rest[start..end].contains("data-trunk") {
            out.push_str(&rest[start..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn read(path: &Path) -> Result<String, ChapterError> {
    std::fs::read_to_string(path).map_err(|source| ChapterError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Renders `content/chapter.md` (under the repository `root`) into the built page at `page`.
pub fn build_page(root: &Path, page: &Path) -> Result<(), ChapterError> {
    let chapter = render(
        &read(&root.join("content/chapter.md"))?,
        &read(&root.join("content/tapes/chapter-1.json"))?,
    )?;
    let html = splice(&read(page)?, &chapter, page)?;
    std::fs::write(page, html).map_err(|source| ChapterError::Io {
        path: page.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter() -> Chapter {
        render(
            include_str!("../../content/chapter.md"),
            dealer_book::CHAPTER_TAPE,
        )
        .expect("the chapter renders")
    }

    #[test]
    fn the_whole_chapter_is_rendered_with_numbers_and_slots() {
        let c = chapter();
        assert!(!c.body.contains("{{"), "no placeholder left");
        assert!(c.body.contains("<h1 id=\"the-dealer-book\">"));
        assert!(c.body.contains("<table>"));
        assert!(c.body.contains("class=\"claim\" id=\"claim-C016\""));
        assert!(c.body.contains("href=\"#ref-C016-1\""), "back-links");
        assert_eq!(
            c.widgets.len(),
            c.body.matches("class=\"widget-slot\"").count()
        );
        for kind in &c.widgets {
            assert!(c.body.contains(&widget_slot(*kind)));
        }
        assert!(c
            .toc
            .contains("<li class=\"toc-h2\"><a href=\"#follow-the-trade\">"));
    }

    #[test]
    fn the_outline_nests_and_the_replay_steps_sit_beside_their_widgets() {
        let c = chapter();
        // Balanced containers: every section and div opened is closed.
        assert_eq!(
            c.body.matches("<section").count(),
            c.body.matches("</section>").count()
        );
        assert_eq!(
            c.body.matches("<div").count(),
            c.body.matches("</div>").count()
        );
        // One section per contents entry, each named by its heading.
        assert_eq!(
            c.body.matches("<section class=\"sec\"").count(),
            c.toc.matches("<li").count()
        );
        // Steps 1..=5 are marked, in order, inside the one follow region.
        let region = c.body.find("data-follow>").expect("a follow region");
        let mut at = region;
        for n in 1..=5 {
            let p = c.body[at..]
                .find(&format!("data-step=\"{n}\""))
                .map(|p| p + at)
                .unwrap_or_else(|| panic!("step {n} is marked after step {}", n - 1));
            at = p;
        }
        assert_eq!(c.body.matches("data-step=").count(), 5);
        // The replay widgets of the region each start a row with a rail and a follow bar; the
        // other widgets stay inline.
        for kind in [
            WidgetKind::Replay,
            WidgetKind::MakerInventory,
            WidgetKind::DealerBook,
        ] {
            assert!(c.body.contains(&row_start(kind)), "{kind:?} has a rail");
        }
        assert_eq!(c.body.matches("class=\"follow-row\"").count(), 3);
        assert!(!c.body.contains("data-follow-bar=\"heatmap\""));
        // Step 3 is read beside MakerInventory, and its text links to it.
        let step3 = c.body.find("data-step=\"3\"").unwrap();
        let rail = c.body[..step3].rfind("class=\"follow-rail\"").unwrap();
        assert!(c.body[rail..step3].contains("id=\"beside-maker-inventory\""));
        assert!(c.body[step3..].contains(
            "<a href=\"#beside-maker-inventory\">Jump to the widget beside step 3 (Maker inventory and PnL buckets)</a>"
        ));
    }

    #[test]
    fn sections_close_before_the_next_heading_or_widget() {
        let c = render_filled(
            "# T\n\n## A\n\nx\n\n### Step 1: one\n\ny\n\n{{widget:replay}}\n\n### Step 2: two\n\nz\n\n## B\n\nw\n",
        )
        .unwrap();
        let sec = |id: &str, step: &str| format!("<section class=\"sec\" data-toc=\"{id}\"{step}>");
        let body = &c.body;
        let order = [
            sec("a", " data-follow"),
            sec("step-1-one", " data-step=\"1\""),
            "</section>".into(),
            row_start(WidgetKind::Replay),
            sec("step-2-two", " data-step=\"2\""),
            "</section>\n</div></div>\n</section>".into(),
            sec("b", ""),
        ];
        let mut at = 0;
        for part in order {
            at += body[at..]
                .find(&part)
                .unwrap_or_else(|| panic!("{part} after {at} in\n{body}"));
        }
        // Step 1 has no widget beside it yet, so no jump link; step 2 does.
        assert_eq!(body.matches("class=\"to-widget\"").count(), 1);
    }

    #[test]
    fn a_slot_is_a_box_with_title_summary_and_present_link() {
        let s = widget_slot(WidgetKind::Replay);
        assert!(s.contains("data-island=\"replay\""));
        assert!(s.contains("Interactive replay"));
        assert!(s.contains(&escape(WidgetKind::Replay.summary())));
        assert!(s.contains("Steps through the chapter&#39;s tape"));
        assert!(s.contains("href=\"?widget=replay\""));
    }

    #[test]
    fn unknown_widgets_are_errors() {
        let e = render_filled("# T\n\n{{widget:pie-chart}}\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "content/chapter.md: unknown widget slot `{{widget:pie-chart}}`"
        );
    }

    #[test]
    fn unknown_placeholders_are_errors() {
        let e = render("{{no.such.key}}", dealer_book::CHAPTER_TAPE).unwrap_err();
        assert!(e.to_string().contains("no.such.key"), "{e}");
    }

    #[test]
    fn splice_fills_both_markers_or_says_which_is_missing() {
        let c = Chapter {
            body: "<p>b</p>".into(),
            toc: "<li>t</li>".into(),
            widgets: vec![],
        };
        let page = Path::new("index.html");
        let out = splice(
            "<ol>DEALER_BOOK_TOC</ol><main>DEALER_BOOK_CHAPTER</main>",
            &c,
            page,
        )
        .unwrap();
        assert_eq!(out, "<ol><li>t</li></ol><main><p>b</p></main>");
        let trunk_link = "<link data-trunk rel=rust href=w/Cargo.toml><link rel=icon href=f.svg>";
        let out = splice(
            &format!("{trunk_link}<ol>DEALER_BOOK_TOC</ol>DEALER_BOOK_CHAPTER"),
            &c,
            page,
        )
        .unwrap();
        assert_eq!(out, "<link rel=icon href=f.svg><ol><li>t</li></ol><p>b</p>");
        let e = splice("<main>DEALER_BOOK_CHAPTER</main>", &c, page).unwrap_err();
        assert_eq!(
            e.to_string(),
            "index.html: the page has no `DEALER_BOOK_TOC` marker to replace"
        );
    }
}

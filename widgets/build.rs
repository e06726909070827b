//! Renders `content/chapter.md` to HTML at build time: engine numbers go into `{{key}}`
//! placeholders, `{{widget:NAME}}` paragraphs become widget slots, headings get anchors and a
//! table of contents, and claim footnotes become links with a way back. No Markdown parser
//! ships to the browser.

use std::fmt::Write as _;
use std::path::Path;

use dealer_book::narrative;
use dealer_book::replay::replay;
use dealer_book::settings::WidgetKind;
use dealer_book::tape::Tape;
use pulldown_cmark::{
    html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeStream,
};

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

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let md_path = root.join("content/chapter.md");
    let tape_path = root.join("content/tapes/chapter-1.json");
    println!("cargo:rerun-if-changed={}", md_path.display());
    println!("cargo:rerun-if-changed={}", tape_path.display());

    let markdown = std::fs::read_to_string(&md_path).expect("content/chapter.md is readable");
    let tape_text = std::fs::read_to_string(&tape_path).expect("chapter tape is readable");
    let tape =
        Tape::from_json(&tape_text).unwrap_or_else(|e| panic!("content/tapes/chapter-1.json: {e}"));
    let report = replay(&tape).unwrap_or_else(|e| panic!("content/tapes/chapter-1.json: {e}"));
    let filled = narrative::fill(
        &markdown,
        &narrative::values(&report),
        &narrative::required_keys(&report),
    )
    .unwrap_or_else(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| format!("content/chapter.md: {e}"))
            .collect();
        panic!("\n{}\n", lines.join("\n"))
    });

    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let events: Vec<Event> = TextMergeStream::new(Parser::new_ext(&filled, options)).collect();

    let mut segments: Vec<(bool, String)> = Vec::new(); // (is_widget, html or name)
    let mut toc: Vec<(u8, String, String)> = Vec::new();
    let mut current: Vec<Event> = Vec::new();
    let mut ref_counts: std::collections::BTreeMap<String, usize> = Default::default();
    let mut i = 0;
    let flush = |current: &mut Vec<Event>, segments: &mut Vec<(bool, String)>| {
        if !current.is_empty() {
            let mut out = String::new();
            html::push_html(&mut out, current.drain(..));
            // Code blocks may scroll sideways on phones: make them reachable by keyboard.
            segments.push((false, out.replace("<pre>", "<pre tabindex=\"0\">")));
        }
    };
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Paragraph) => {
                if let (Some(Event::Text(t)), Some(Event::End(TagEnd::Paragraph))) =
                    (events.get(i + 1), events.get(i + 2))
                {
                    let t = t.trim();
                    if let Some(name) = t
                        .strip_prefix("{{widget:")
                        .and_then(|r| r.strip_suffix("}}"))
                    {
                        if WidgetKind::from_key(name).is_none() {
                            panic!(
                                "content/chapter.md: unknown widget slot `{{{{widget:{name}}}}}`"
                            );
                        }
                        flush(&mut current, &mut segments);
                        segments.push((true, name.to_string()));
                        i += 3;
                        continue;
                    }
                }
                current.push(events[i].clone());
            }
            Event::Start(Tag::Heading { level, .. }) => {
                let level = *level;
                let mut text = String::new();
                let mut j = i + 1;
                while !matches!(events.get(j), Some(Event::End(TagEnd::Heading(_))) | None) {
                    if let Event::Text(t) | Event::Code(t) = &events[j] {
                        text.push_str(t);
                    }
                    j += 1;
                }
                let id = slug(&text);
                let n = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    _ => 4,
                };
                if n == 2 || n == 3 {
                    toc.push((n, id.clone(), text.clone()));
                }
                current.push(Event::Html(CowStr::from(format!("<h{n} id=\"{id}\">"))));
                current.extend(events[i + 1..j].iter().cloned());
                if n > 1 {
                    current.push(Event::Html(CowStr::from(format!(
                        " <a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a>"
                    ))));
                }
                current.push(Event::Html(CowStr::from(format!("</h{n}>\n"))));
                i = j + 1;
                continue;
            }
            Event::FootnoteReference(name) => {
                let count = ref_counts.entry(name.to_string()).or_insert(0);
                *count += 1;
                let name = escape(name);
                current.push(Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"claim-ref\"><a id=\"ref-{name}-{count}\" href=\"#claim-{name}\" aria-label=\"Evidence note {name}\">[{name}]</a></sup>"
                ))));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let name = escape(name);
                current.push(Event::Html(CowStr::from(format!(
                    "<div class=\"claim\" id=\"claim-{name}\" role=\"note\">"
                ))));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                current.push(Event::Html(CowStr::from("</div>\n")));
            }
            other => current.push(other.clone()),
        }
        i += 1;
    }
    flush(&mut current, &mut segments);

    // Back-links: every claim definition links to its citations in the text.
    for (_, html) in segments.iter_mut().filter(|(w, _)| !*w) {
        for (name, count) in &ref_counts {
            let open = format!("<div class=\"claim\" id=\"claim-{name}\" role=\"note\">");
            if let Some(pos) = html.find(&open) {
                let close = html[pos..]
                    .find("</div>")
                    .map(|p| p + pos)
                    .expect("claim div closes");
                let mut links = String::from(" <span class=\"backrefs\">Cited at ");
                for k in 1..=*count {
                    let _ = write!(links, "<a href=\"#ref-{name}-{k}\" aria-label=\"Back to citation {k} of {name}\">↩{k}</a> ");
                }
                links.push_str("</span>");
                html.insert_str(close, &links);
            }
        }
    }
    for name in ref_counts.keys() {
        if !segments
            .iter()
            .any(|(w, h)| !*w && h.contains(&format!("id=\"claim-{name}\"")))
        {
            panic!("content/chapter.md: claim [^{name}] is cited but has no definition");
        }
    }

    let mut out = String::from("// Generated by build.rs from content/chapter.md. Do not edit.\n");
    out.push_str("pub static SEGMENTS: &[Segment] = &[\n");
    for (is_widget, body) in &segments {
        if *is_widget {
            let _ = writeln!(out, "    Segment::Widget({body:?}),");
        } else {
            let _ = writeln!(out, "    Segment::Html({body:?}),");
        }
    }
    out.push_str("];\npub static TOC: &[(u8, &str, &str)] = &[\n");
    for (level, id, text) in &toc {
        let _ = writeln!(out, "    ({level}, {id:?}, {text:?}),");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("chapter.rs");
    std::fs::write(dest, out).expect("write generated chapter");
}

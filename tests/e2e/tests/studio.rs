//! End-to-end: the tape studio (`studio.html`) and tapes in links (`#tape=`). Typing a mistake
//! marks it at its line and column and dims the preview; fixing it replays the new tape; the
//! caret and the preview's cursor follow each other; the palette works from the keyboard alone
//! and Ctrl+Z takes an insert back; a share link opens the same tape, with the same numbers, in a
//! fresh browser; links made by the CLI's encoder open a widget and presentation mode; a corrupt
//! fragment gives a notice. Keystroke-to-preview latency on a small and a 10,000-event tape is
//! written to `target/screenshots/studio.json`.

use dealer_book::link;
use dealer_book::quote::QuoteParams;
use dealer_book::studio::{self, Insert};
use dealer_book_e2e::{repo_root, Harness};
use serde_json::json;

const READY: &str = "document.querySelector('.studio-check') && /valid tape/.test(document.querySelector('.studio-check').innerText)";
const AREA: &str = "document.querySelector('textarea.studio-text')";

/// Opens the studio with no draft kept from an earlier test.
async fn fresh_studio(h: &Harness, path: &str) {
    h.open("/studio.html", "document.readyState === 'complete'")
        .await;
    h.js("localStorage.clear();").await;
    h.open(path, READY).await;
}

/// Types through the keyboard into the focused element.
async fn keys(h: &Harness, keys: &str) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let mut actions = KeyActions::new("keyboard".into());
    for value in keys.chars() {
        actions = actions
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
    }
    h.client.perform_actions(actions).await.expect("keys");
    h.settle().await;
}

/// A chord: `modifier` held while `key` is pressed.
async fn chord(h: &Harness, modifier: char, key: char) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let actions = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: modifier })
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key })
        .then(KeyAction::Up { value: modifier });
    h.client.perform_actions(actions).await.expect("chord");
    h.settle().await;
}

/// Puts the editor's caret at the UTF-16 offset of `needle` (plus `skip`), focused.
async fn caret_at(h: &Harness, needle: &str, skip: usize) {
    h.js(&format!(
        "const a = {AREA}; a.focus(); const i = a.value.indexOf({needle:?}) + {skip}; a.setSelectionRange(i, i);"
    ))
    .await;
}

async fn editor_text(h: &Harness) -> String {
    h.js(&format!("return {AREA}.value;"))
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn wait_checks_past(h: &Harness, n: u64) {
    h.wait_js(
        &format!("+document.querySelector('.studio-preview').dataset.checks > {n}"),
        "the studio to read the text",
    )
    .await;
    h.settle().await;
}

async fn checks(h: &Harness) -> u64 {
    h.js("return +document.querySelector('.studio-preview').dataset.checks;")
        .await
        .as_u64()
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mistake_is_marked_then_fixed_and_replayed() {
    let h = Harness::start(1280, 1000).await;
    fresh_studio(&h, "/studio.html").await;
    assert!(h.text(".studio-check").await.contains("5 steps, 10 events"));
    // A stray letter after step 1's price.
    let n = checks(&h).await;
    caret_at(&h, "\"price\": 100050", 15).await;
    keys(&h, "x").await;
    wait_checks_past(&h, n).await;
    let check = h.text(".studio-check").await;
    assert!(
        check.contains("line 10, column 58: invalid JSON: expected `,` or `}`"),
        "{check}"
    );
    assert_eq!(h.text(".studio-backdrop mark").await, "x");
    assert_eq!(
        h.js(&format!("return {AREA}.getAttribute('aria-invalid');"))
            .await,
        json!("true")
    );
    assert!(h
        .text(".studio-preview .studio-stale")
        .await
        .contains("Showing the last valid tape"));
    assert!(h.text(".studio-preview .step-count").await.ends_with("/ 5"));
    h.screenshot("studio-error-1280", None).await;
    // "Go to the error" selects the marked text.
    h.js("document.querySelector('.studio-check-row .btn').click();")
        .await;
    h.settle().await;
    assert_eq!(
        h.js(&format!(
            "const a = {AREA}; return a.value.slice(a.selectionStart, a.selectionEnd);"
        ))
        .await,
        json!("x")
    );
    // A tape error (not JSON) is located too, worded as the CLI words it.
    caret_at(&h, "100050x", 7).await;
    let n = checks(&h).await;
    keys(&h, "\u{E003}").await; // Backspace
    caret_at(&h, "\"qty\": 1,", 8).await;
    keys(&h, "\u{E003}0").await;
    wait_checks_past(&h, n).await;
    let check = h.text(".studio-check").await;
    assert!(
        check.contains("line 10, column 33, step 1, event 1: qty must be positive"),
        "{check}"
    );
    assert_eq!(h.text(".studio-backdrop mark").await, "\"qty\": 0");
    // Fixed with a different size: the preview replays the new tape.
    let n = checks(&h).await;
    keys(&h, "\u{E003}3").await;
    wait_checks_past(&h, n).await;
    assert!(h.text(".studio-check").await.contains("valid tape"));
    assert_eq!(
        h.js("return !!document.querySelector('.studio-preview.stale');")
            .await,
        json!(false)
    );
    // The caret is in step 1: the preview shows the book after it, I_client -3.
    let inventory = h.text(".studio-preview .dbw-maker-inventory").await;
    assert!(inventory.contains("1 / 5"), "{inventory}");
    assert!(inventory.contains("-3"), "{inventory}");
    h.assert_no_console_errors("the studio").await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_caret_and_the_preview_cursor_follow_each_other() {
    let h = Harness::start(1280, 1000).await;
    fresh_studio(&h, "/studio.html").await;
    caret_at(&h, "Flow flips", 0).await;
    keys(&h, "\u{E014}").await; // ArrowRight: a real key moves the caret
    assert!(h
        .text(".studio-preview .dbw-replay .step-count")
        .await
        .starts_with("3 /"));
    // Next in the preview: the caret moves to step 4's first line, and the editor scrolls there.
    // (As a reader's click does, the button takes the focus: the caret is only moved while the
    // author is not in the editor.)
    h.js("const b = document.querySelector('.studio-preview .dbw-replay button[aria-keyshortcuts=ArrowRight]'); b.focus(); b.click();").await;
    h.settle().await;
    assert!(h
        .text(".studio-preview .dbw-replay .step-count")
        .await
        .starts_with("4 /"));
    let at = h
        .js(&format!(
            "const a = {AREA}; return a.value.slice(a.selectionStart, a.selectionStart + 80);"
        ))
        .await;
    let at = at.as_str().unwrap_or_default();
    assert!(
        at.starts_with('{') && at.contains("A toxic stale-quote event"),
        "{at:?}"
    );
    let scrolled = h.js(&format!("return {AREA}.scrollTop;")).await;
    assert!(scrolled.as_f64().unwrap_or(0.0) > 100.0, "{scrolled}");
    // Typing inside a step does not move the caret away, and the preview stays on its step.
    caret_at(&h, "\"title\": \"Chapter 1", 10).await;
    let n = checks(&h).await;
    keys(&h, "!").await;
    wait_checks_past(&h, n).await;
    assert!(editor_text(&h).await.contains("\"title\": \"!Chapter 1"));
    let caret = h
        .js(&format!(
            "const a = {AREA}; return a.value.slice(a.selectionStart - 2, a.selectionStart + 2);"
        ))
        .await;
    assert_eq!(
        caret,
        json!("\"!Ch"),
        "the caret stays where the author typed"
    );
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_palette_and_the_editor_by_keyboard_alone() {
    let h = Harness::start(1280, 1000).await;
    fresh_studio(&h, "/studio.html").await;
    let before = editor_text(&h).await;
    // Into the editor by Tab, then to step 1's event line with the arrow keys.
    h.js("document.querySelector('.studio-palette .btn:last-of-type').focus();")
        .await;
    keys(&h, "\u{E004}").await; // Tab
    assert_eq!(
        h.js(&format!("return document.activeElement === {AREA};"))
            .await,
        json!(true)
    );
    chord(&h, '\u{E009}', '\u{E011}').await; // Ctrl+Home
    keys(&h, &"\u{E015}".repeat(9)).await; // 9 x ArrowDown: line 10
    keys(&h, "\u{E010}").await; // End
                                // Back to the palette's first button (Shift+Tab seven times) and Enter.
    for _ in 0..7 {
        chord(&h, '\u{E008}', '\u{E004}').await;
    }
    assert_eq!(
        h.js("return document.activeElement.textContent;").await,
        json!("Customer buys")
    );
    let n = checks(&h).await;
    keys(&h, "\u{E007}").await; // Enter
    wait_checks_past(&h, n).await;
    // The same edit the core computes for a caret at the end of line 10.
    let caret = before
        .match_indices('\n')
        .nth(9)
        .map(|(i, _)| i)
        .unwrap_or(0);
    let replay = dealer_book::replay::replay(
        &dealer_book::tape::Tape::from_json(&before).expect("chapter tape"),
    )
    .expect("replay");
    let edit = studio::palette_edit(
        &before,
        caret,
        Insert::ClientBuy,
        Some(&replay),
        &QuoteParams::default(),
    )
    .expect("edit");
    assert_eq!(editor_text(&h).await, edit.apply(&before));
    assert!(h.text(".studio-check").await.contains("5 steps, 11 events"));
    assert_eq!(
        h.js(&format!("return document.activeElement === {AREA};"))
            .await,
        json!(true),
        "focus back in the editor"
    );
    // Ctrl+Z takes the insert back.
    let n = checks(&h).await;
    chord(&h, '\u{E009}', 'z').await;
    wait_checks_past(&h, n).await;
    assert_eq!(editor_text(&h).await, before);
    // A new step from the keyboard, its title selected to type over.
    for _ in 0..1 {
        chord(&h, '\u{E008}', '\u{E004}').await;
    }
    assert_eq!(
        h.js("return document.activeElement.textContent;").await,
        json!("New step")
    );
    let n = checks(&h).await;
    keys(&h, "\u{E007}").await;
    wait_checks_past(&h, n).await;
    let n = checks(&h).await;
    keys(&h, "Quiet").await;
    wait_checks_past(&h, n).await;
    assert!(editor_text(&h).await.contains("\"title\": \"Quiet\""));
    assert!(h.text(".studio-check").await.contains("6 steps, 10 events"));
    let violations = h.axe("document").await;
    assert!(violations.is_empty(), "axe:\n{}", violations.join("\n"));
    h.screenshot("studio-1280", None).await;
    h.close().await;
    let h = Harness::start(390, 844).await;
    fresh_studio(&h, "/studio.html").await;
    let violations = h.axe("document").await;
    assert!(
        violations.is_empty(),
        "axe at 390 px:\n{}",
        violations.join("\n")
    );
    let wide = h
        .js("return document.documentElement.scrollWidth <= window.innerWidth;")
        .await;
    assert_eq!(wide, json!(true), "no sideways scrolling at 390 px");
    h.screenshot("studio-390", None).await;
    h.close().await;
}

/// The studio's share link, opened in a fresh browser, holds the same text and shows the same
/// numbers; the link is the one format the CLI writes (decoded natively here).
#[tokio::test(flavor = "multi_thread")]
async fn a_share_link_round_trip() {
    let h = Harness::start(1280, 1000).await;
    fresh_studio(&h, "/studio.html").await;
    // Make the tape our own: step 2's customer buys 2.5 BTC, not 2.
    caret_at(&h, "\"qty\": 2, \"price\": 100070", 8).await;
    let n = checks(&h).await;
    keys(&h, ".5").await;
    wait_checks_past(&h, n).await;
    caret_at(&h, "The book recovers", 0).await;
    keys(&h, "\u{E014}").await;
    let text = editor_text(&h).await;
    let numbers = h.text(".studio-preview .dbw-maker-inventory").await;
    assert!(numbers.contains("5 / 5"), "{numbers}");
    h.js("[...document.querySelectorAll('.studio-outputs .btn')].find(b => /share link/.test(b.textContent)).click();").await;
    h.wait_js(
        "document.querySelector('.studio-field input')",
        "the share link",
    )
    .await;
    let url = h
        .js("return document.querySelector('.studio-field input').value;")
        .await
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(url.contains("/studio.html#tape="), "{url}");
    let encoded = link::fragment_tape(&url).expect("fragment");
    assert_eq!(
        link::decode(encoded).expect("the CLI's decoder reads it"),
        text.as_bytes()
    );
    let path = url[url.find("/studio.html").unwrap_or(0)..].to_string();
    h.close().await;

    let h = Harness::start(1280, 1000).await;
    h.open("/studio.html", "document.readyState === 'complete'")
        .await;
    // An earlier draft in this browser: opening a link must not overwrite it.
    h.js("localStorage.clear(); localStorage.setItem('dealer-book-studio-draft', '{\"title\": \"my draft\"}');").await;
    h.open("/embed.html", "true").await; // leave the page, so the next open is a fresh load
    h.open(&path, READY).await;
    assert_eq!(editor_text(&h).await, text);
    assert!(h.text(".studio-status").await.contains("from the link"));
    assert_eq!(
        h.js("return localStorage.getItem('dealer-book-studio-draft');")
            .await,
        json!("{\"title\": \"my draft\"}")
    );
    caret_at(&h, "The book recovers", 0).await;
    keys(&h, "\u{E014}").await;
    assert_eq!(
        h.text(".studio-preview .dbw-maker-inventory").await,
        numbers
    );
    // The first edit makes it the author's draft: the link leaves the address, the draft is saved.
    caret_at(&h, "\"title\": \"Chapter 1", 10).await;
    let n = checks(&h).await;
    keys(&h, "My ").await;
    wait_checks_past(&h, n).await;
    assert_eq!(h.js("return location.hash;").await, json!(""));
    let draft = h
        .js("return localStorage.getItem('dealer-book-studio-draft');")
        .await;
    assert!(
        draft.as_str().unwrap_or_default().contains("My Chapter 1"),
        "{draft}"
    );
    h.assert_no_console_errors("the studio from a link").await;
    h.close().await;
}

/// Links made by the CLI's encoder open one widget and presentation mode, with the provenance
/// line naming the link; the custom element takes `tape="#tape=…"`.
#[tokio::test(flavor = "multi_thread")]
async fn cli_links_open_widgets_and_presentation() {
    let tape = dealer_book::CHAPTER_TAPE
        .replacen("Chapter 1: the dealer book", "A linked scenario", 1)
        .replacen("\"qty\": 1,", "\"qty\": 4,", 1);
    let encoded = link::encode(&tape);
    let h = Harness::start(1280, 1000).await;
    let embed = link::link(
        "",
        link::Page::Embed,
        Some(dealer_book::settings::WidgetKind::MakerInventory),
        &encoded,
    );
    h.open(
        &format!("/{}", embed.replacen("?", "?step=1&", 1)),
        "document.querySelector('.dbw-maker-inventory .step-count')",
    )
    .await;
    let prov = h.text(".provenance").await;
    assert!(
        prov.contains("A linked scenario") && prov.contains("the link"),
        "{prov}"
    );
    assert!(h.text(".dbw-maker-inventory").await.contains("-4"));
    // The address keeps the tape in its fragment while the state goes to the query.
    let href = h.js("return location.href;").await;
    assert!(
        href.as_str()
            .unwrap_or_default()
            .ends_with(&format!("#tape={encoded}")),
        "{href}"
    );
    let present = link::link("", link::Page::Present, None, &encoded);
    h.open(
        &format!("/{}", present.trim_start_matches("./")),
        "document.querySelector('body.presenting .dbw-replay .step-count')",
    )
    .await;
    assert!(h.text(".provenance").await.contains("A linked scenario"));
    h.screenshot("studio-link-present", None).await;
    h.assert_no_console_errors("pages opened from links").await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_corrupt_fragment_gives_a_notice() {
    let h = Harness::start(1280, 900).await;
    h.open(
        "/embed.html?widget=replay#tape=AAAA!!",
        "document.querySelector('.error-box')",
    )
    .await;
    let e = h.text(".error-box").await;
    assert!(
        e.contains("the link's tape is damaged: character 5 ('!') is not base64url"),
        "{e}"
    );
    let cut = link::encode(dealer_book::CHAPTER_TAPE);
    let cut = &cut[..cut.len() / 2];
    h.open(
        &format!("/?widget=replay#tape={cut}"),
        "document.querySelector('.error-box')",
    )
    .await;
    let e = h.text(".error-box").await;
    assert!(e.contains("the link's tape"), "{e}");
    // A link whose tape is not a valid tape: located like any tape.
    let bad = link::encode(&dealer_book::CHAPTER_TAPE.replacen("\"qty\": 1,", "\"qty\": 0,", 1));
    h.open(
        &format!("/embed.html?widget=replay#tape={bad}"),
        "document.querySelector('.error-box')",
    )
    .await;
    let e = h.text(".error-box").await;
    assert!(
        e.contains("the link's tape, line 10, column 33, step 1, event 1: qty must be positive"),
        "{e}"
    );
    // The studio says so and keeps working.
    h.open("/studio.html", "document.readyState === 'complete'")
        .await;
    h.js("localStorage.clear();").await;
    h.open("/embed.html", "true").await;
    h.open(
        "/studio.html#tape=AAAA",
        "/could not be opened/.test(document.querySelector('.studio-status')?.innerText)",
    )
    .await;
    assert!(h.text(".studio-status").await.contains("does not inflate"));
    h.close().await;
}

/// Keystroke latency on the chapter's tape and on a 10,000-event tape, two ways: to the next
/// painted frame (typing: the editor's own cost, Chromium laying out the textarea included) and
/// to the redrawn preview (the studio's debounce, reading and replaying the tape, rebuilding the
/// three widgets). Written to target/screenshots/studio.json for the closing note.
#[tokio::test(flavor = "multi_thread")]
async fn keystroke_to_preview_latency() {
    let big = dealer_book::tape::synthetic::tape(10_000, 10).to_json();
    let pretty = big.replace("},{", "},\n{");
    let h = Harness::start(1280, 1000).await;
    fresh_studio(&h, "/studio.html").await;
    // One keystroke: a digit typed into the first price (an input event, as typing makes).
    // Returns [ms to the next frame after layout, ms to the frame after the preview redrew].
    const MEASURE: &str = "const done = arguments[arguments.length - 1];
        const a = document.querySelector('textarea.studio-text');
        const p = document.querySelector('.studio-preview');
        const before = +p.dataset.checks;
        const m = /\"price\": ?(\\d)/.exec(a.value);
        const i = m.index + m[0].length - 1;
        const t0 = performance.now();
        let typed = null;
        a.setRangeText(String(Math.floor(Math.random() * 9) + 1), i, i + 1);
        a.dispatchEvent(new InputEvent('input', { inputType: 'insertText' }));
        requestAnimationFrame(() => setTimeout(() => { typed = performance.now() - t0; }, 0));
        const wait = () => {
          if (typed !== null && +p.dataset.checks > before) requestAnimationFrame(() => done([typed, performance.now() - t0]));
          else setTimeout(wait, 1);
        };
        wait();";
    async fn run(h: &Harness) -> (Vec<f64>, Vec<f64>) {
        let (mut typed, mut preview) = (Vec::new(), Vec::new());
        for _ in 0..9 {
            let v = h
                .client
                .execute_async(MEASURE, vec![])
                .await
                .expect("measure");
            typed.push(v[0].as_f64().unwrap_or(f64::NAN));
            preview.push(v[1].as_f64().unwrap_or(f64::NAN));
            h.settle().await;
        }
        (typed, preview)
    }
    let small = run(&h).await;
    h.js(&format!(
        "const a = {AREA}; a.value = {pretty:?}; a.dispatchEvent(new InputEvent('input'));"
    ))
    .await;
    h.wait_js(
        "/10000 events/.test(document.querySelector('.studio-check').innerText)",
        "the 10,000-event tape",
    )
    .await;
    let large = run(&h).await;
    // Too large for a link: the studio says so and offers the file.
    h.js("[...document.querySelectorAll('.studio-outputs .btn')].find(b => /share link/.test(b.textContent)).click();").await;
    h.wait_js(
        "/too large for a link/.test(document.querySelector('.studio-status').innerText)",
        "the too-large notice",
    )
    .await;
    assert!(h
        .text(".studio-status")
        .await
        .contains("over the 32,000 a link reliably carries. Download tape.json"));
    // The same keystroke in a plain textarea holding the same text, on a page with nothing else:
    // what Chromium itself takes to lay out an edit of this size.
    const PLAIN: &str = "const done = arguments[arguments.length - 1];
        const t = document.createElement('textarea'); t.wrap = 'off'; t.rows = 30; t.cols = 80;
        t.value = arguments[0]; document.body.replaceChildren(t);
        const out = [];
        const one = (k) => {
          const m = /\"price\": ?(\\d)/.exec(t.value); const i = m.index + m[0].length - 1;
          const t0 = performance.now();
          t.setRangeText(String(Math.floor(Math.random() * 9) + 1), i, i + 1);
          requestAnimationFrame(() => setTimeout(() => { out.push(performance.now() - t0); if (k > 1) setTimeout(() => one(k - 1), 100); else done(out); }, 0));
        };
        requestAnimationFrame(() => setTimeout(() => one(9), 200));";
    h.open("/embed.html", "true").await;
    let plain = h
        .client
        .execute_async(PLAIN, vec![json!(pretty)])
        .await
        .expect("plain textarea");
    let plain: Vec<f64> = plain
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
        .unwrap_or_default();
    let median = |v: &[f64]| {
        let mut x = v.to_vec();
        x.sort_by(f64::total_cmp);
        x.get(x.len() / 2).copied().unwrap_or(f64::NAN)
    };
    let report = json!({
        "chapter_tape": { "to_next_frame_ms": small.0, "to_preview_ms": small.1,
                          "median_next_frame_ms": median(&small.0), "median_preview_ms": median(&small.1) },
        "tape_10k_events": { "bytes": pretty.len(), "to_next_frame_ms": large.0, "to_preview_ms": large.1,
                             "median_next_frame_ms": median(&large.0), "median_preview_ms": median(&large.1),
                             "plain_textarea_next_frame_ms": plain, "plain_textarea_median_ms": median(&plain) },
    });
    let dir = repo_root().join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("studio.json"), report.to_string()).expect("write");
    eprintln!("studio latency: {report}");
    assert_eq!(large.1.len(), 9);
    h.close().await;
}

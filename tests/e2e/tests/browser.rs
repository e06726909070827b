//! End-to-end tests of the built site in headless Chromium: the chapter, stepping by keyboard,
//! the sliders, embedding, classroom URLs, print media, accessibility (axe) and screenshots.

use dealer_book_e2e::Harness;

const RIGHT: &str = "\u{E014}";
const LEFT: &str = "\u{E012}";
const HOME: &str = "\u{E011}";
const READY: &str = "document.querySelector('.dbw-maker-inventory .quantities') && document.querySelector('.heatmap-canvas')";

/// Opens the chapter with "Follow my reading" switched off: these tests drive the widgets
/// themselves, and focusing a widget scrolls the page (following is tested in reading.rs).
async fn open_chapter(h: &Harness) {
    h.open("/", READY).await;
    h.wait_js("document.querySelector('.follow-switch')", "the follow bar")
        .await;
    h.js("document.querySelector('.follow-switch').click();")
        .await;
    h.settle().await;
}

async fn quantities(h: &Harness) -> Vec<String> {
    let v = h.js("return [...document.querySelectorAll('.dbw-maker-inventory .quantities dd')].map(e => e.innerText.trim());").await;
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn chapter_loads_renders_and_has_no_console_errors() {
    let h = Harness::start(1280, 900).await;
    open_chapter(&h).await;
    let title = h.text("h1").await;
    assert_eq!(title.trim_end_matches('#').trim(), "The Dealer Book");
    // Prose numbers come from the engine.
    let body = h.text("#chapter-body").await;
    for needle in [
        "+$225 - $700 - $200 - $1,900 = -$2,575",
        "2 x ($99,500 - $100,450) = -$1,900",
        "C016",
        "C053",
    ] {
        assert!(body.contains(needle), "chapter text lacks {needle:?}");
    }
    let toc = h
        .js("return document.querySelectorAll('.toc a').length")
        .await;
    assert!(
        toc.as_u64().unwrap_or(0) >= 10,
        "table of contents has {toc} links"
    );
    // Every claim reference leads to a definition.
    let dangling = h.js("return [...document.querySelectorAll('.claim-ref a')].filter(a => !document.querySelector(a.getAttribute('href'))).length").await;
    assert_eq!(dangling, 0);
    h.assert_no_console_errors("/").await;
    h.screenshot("chapter-1280", None).await;
    h.js("window.scrollTo(0, 0)").await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn stepping_with_the_keyboard_shows_the_chapter_numbers() {
    let h = Harness::start(1280, 1000).await;
    open_chapter(&h).await;
    assert_eq!(quantities(&h).await, ["0.0", "0.0", "0.0", "● GREEN"]);
    let frame = ".dbw-maker-inventory";
    let expected = [
        ["-1.0", "0.0", "-1.0", "● GREEN"],
        ["-3.0", "+2.0", "-1.0", "● GREEN"],
        ["-1.5", "+2.0", "+0.5", "● GREEN"],
        ["+0.5", "+0.5", "+1.0", "■ RED"],
        ["+0.5", "+0.5", "+1.0", "● GREEN"],
    ];
    for (i, want) in expected.iter().enumerate() {
        h.key(frame, RIGHT).await;
        assert_eq!(quantities(&h).await, want, "after step {}", i + 1);
        let values = h.text(".dbw-maker-inventory .bar-values").await;
        if i == 3 {
            assert!(
                values.contains("-$1,900"),
                "toxic markout at step 4: {values}"
            );
            let calcs = h.text(".dbw-maker-inventory .calcs").await;
            assert!(
                calcs.contains("2 x ($99,500 - $100,450) = -$1,900"),
                "{calcs}"
            );
            // The other widgets follow the same cursor.
            let lanes = h.text(".dbw-dealer-book .callouts").await;
            assert!(lanes.contains("Protective logic"), "{lanes}");
            let replay = h.text(".dbw-replay .replay-step").await;
            assert!(replay.starts_with("Step 4"), "{replay}");
        }
        if i == 2 {
            let lanes = h.text(".dbw-dealer-book .callouts").await;
            assert!(lanes.contains("offset 1.5 BTC"), "{lanes}");
        }
        for (name, sel) in [
            ("maker-inventory", ".dbw-maker-inventory"),
            ("dealer-book", ".dbw-dealer-book"),
            ("replay", ".dbw-replay"),
        ] {
            h.screenshot(&format!("step{}-{name}", i + 1), Some(sel))
                .await;
        }
    }
    let final_values = h.text(".dbw-maker-inventory .bar-values").await;
    for v in ["+$225", "-$700", "-$200", "-$1,900", "-$2,575"] {
        assert!(final_values.contains(v), "{v} missing in {final_values}");
    }
    let live = h.text("[aria-live=polite][role=status].sr-only").await;
    assert!(live.starts_with("Step 5:"), "live region: {live}");
    h.key(frame, LEFT).await;
    assert_eq!(quantities(&h).await[2], "+1.0");
    h.key(frame, HOME).await;
    assert_eq!(quantities(&h).await[2], "0.0");
    h.screenshot("widget-heatmap", Some(".dbw-heatmap")).await;
    h.screenshot("widget-book-trainer", Some(".dbw-book-trainer"))
        .await;
    h.assert_no_console_errors("stepping").await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn book_trainer_moves_the_right_numbers() {
    let h = Harness::start(1280, 900).await;
    open_chapter(&h).await;
    h.js("[...document.querySelectorAll('.dbw-book-trainer button')].find(b => b.innerText === 'Customer buys').click()").await;
    h.wait_js("document.querySelector('.dbw-book-trainer .explanation').innerText.includes('I_client -1.0')", "trainer explanation").await;
    let eq = h.text(".dbw-book-trainer .equation").await;
    assert_eq!(eq, "I_client -1.0 + H_external 0.0 = R_residual -1.0");
    h.js("[...document.querySelectorAll('.dbw-book-trainer button')].find(b => b.innerText === '↶ Undo').click()").await;
    h.wait_js("document.querySelector('.dbw-book-trainer .equation').innerText.includes('R_residual 0.0')", "undo").await;
    h.assert_no_console_errors("trainer").await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sliders_change_quotes_and_actions() {
    let h = Harness::start(1280, 900).await;
    open_chapter(&h).await;
    h.key(".dbw-replay", &RIGHT.repeat(4)).await;
    let before = h.text(".dbw-replay .quote-facts").await;
    h.js(
        "window.__before = document.querySelector('.dbw-replay .quote-facts').innerText;
          document.querySelector('.dbw-replay input[value=stressed]').click();",
    )
    .await;
    h.wait_js(
        "document.querySelector('.dbw-replay .quote-facts').innerText !== window.__before",
        "quote change",
    )
    .await;
    let after = h.text(".dbw-replay .quote-facts").await;
    assert_ne!(before, after, "regime change must change the quote");
    // Heatmap: pushing latency to the top pauses.
    let action_before = h.text(".dbw-heatmap .hm-reason").await;
    h.js("const s = [...document.querySelectorAll('.dbw-heatmap input[type=range]')].find(i => i.id.startsWith('hm-latency'));
          s.value = 1000; s.dispatchEvent(new Event('input', {bubbles: true}));").await;
    h.wait_js(
        "document.querySelector('.dbw-heatmap .hm-reason').innerText.includes('pause')",
        "heatmap pauses",
    )
    .await;
    let action_after = h.text(".dbw-heatmap .hm-reason").await;
    assert_ne!(action_before, action_after);
    h.assert_no_console_errors("sliders").await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn play_advances_one_step_at_a_time_and_keys_act_once() {
    let h = Harness::start(1280, 900).await;
    open_chapter(&h).await;
    // Three widgets show replay controls for one cursor; Play must still step by one.
    h.js("document.querySelector('.dbw-maker-inventory .btn-primary').click()")
        .await;
    h.wait_js(
        "!document.querySelector('.dbw-maker-inventory .step-count').innerText.startsWith('0 /')",
        "first auto-step",
    )
    .await;
    let count = h.text(".dbw-maker-inventory .step-count").await;
    assert!(count.starts_with("1 /"), "play jumped to {count}");
    h.js("document.querySelector('.dbw-maker-inventory .btn-primary').click()")
        .await;
    h.assert_no_console_errors("play").await;
    // In presentation mode a key pressed inside the widget moves the cursor once, not twice.
    h.open(
        "/?widget=maker-inventory&step=1",
        "document.querySelector('.dbw-maker-inventory .quantities')",
    )
    .await;
    h.key(".dbw-maker-inventory", RIGHT).await;
    assert!(
        h.text(".step-count").await.starts_with("2 /"),
        "one key, one step"
    );
    h.close().await;
}

//! End-to-end: classroom v2. Every widget in presentation mode at projector sizes (smallest text
//! and page height against the viewport, emulated exactly with DevTools device metrics), lesson
//! links that lock the step range and controls, predict-then-reveal, the lesson builder.

use dealer_book_e2e::Harness;
use serde_json::{json, Value};

const RIGHT: &str = "\u{E014}";
const LEFT: &str = "\u{E012}";
const HOME: &str = "\u{E011}";
const END: &str = "\u{E010}";

/// Every widget kind in presentation mode.
const KINDS: [&str; 6] = [
    "book-trainer",
    "replay",
    "maker-inventory",
    "dealer-book",
    "heatmap",
    "hedge-lab",
];

/// Smallest computed font size among visible text, how many texts are under 24 px, the page's
/// height and the viewport's height. A text is an element with a non-blank text node of its own,
/// a box larger than 1 x 1 px, and no `.sr-only` ancestor (screen-reader text is not shown).
const MEASURE: &str = r#"
    const els = [...document.querySelectorAll('body *')].filter(e =>
        [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) &&
        !e.closest('.sr-only, noscript, script, style, option') &&
        getComputedStyle(e).visibility !== 'hidden' &&
        e.getClientRects().length > 0 &&
        e.getBoundingClientRect().width > 1 && e.getBoundingClientRect().height > 1);
    const sizes = els.map(e => parseFloat(getComputedStyle(e).fontSize));
    const small = els.filter((e, i) => sizes[i] < 24).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 30));
    return { min: Math.min(...sizes), texts: els.length, small,
             height: document.documentElement.scrollHeight,
             bottom: Math.ceil(document.querySelector('main').getBoundingClientRect().bottom), width: document.documentElement.scrollWidth,
             viewport: innerHeight, vw: innerWidth };
"#;

/// [`MEASURE`]'s smallest text, page height and viewport height, and the whole measurement.
async fn measure(h: &Harness) -> (f64, u64, u64, Value) {
    let m = h.js(MEASURE).await;
    (
        m["min"].as_f64().unwrap_or(0.0),
        m["height"].as_u64().unwrap_or(0),
        m["viewport"].as_u64().unwrap_or(0),
        m,
    )
}

async fn viewport(h: &Harness, width: u32, height: u32) {
    h.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_widget_is_legible_and_fits_one_projector_screen() {
    let h = Harness::start(1280, 1000).await;
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for (w, ht) in [(1024u32, 768u32), (1920, 1080)] {
        viewport(&h, w, ht).await;
        for kind in KINDS {
            for theme in ["dark", "light"] {
                if theme == "light" && w != 1024 {
                    continue;
                }
                h.open(
                    &format!("/?widget={kind}&step=4&theme={theme}"),
                    "document.querySelector('main .dbw') && window.__dbLastRedraw !== undefined || document.querySelector('.dbw-book-trainer')",
                )
                .await;
                h.settle().await;
                let (min, height, vh, m) = measure(&h).await;
                report.push(format!(
                    "{kind} {w}x{ht} {theme}: smallest text {min} px over {} texts, content ends at {} px, page {height} px in a {vh} px viewport",
                    m["texts"], m["bottom"]
                ));
                h.screenshot(&format!("present-{kind}-{w}x{ht}-{theme}"), None)
                    .await;
                assert_eq!(vh as u32, ht, "the viewport is emulated exactly");
                // Collected, so one run reports every widget at every size.
                if min < 24.0 {
                    failures.push(format!(
                        "{kind} at {w}x{ht}: text under 24 px: {}",
                        m["small"]
                    ));
                }
                if height > vh {
                    failures.push(format!(
                        "{kind} at {w}x{ht}: page {height} px does not fit the {vh} px screen"
                    ));
                }
                if m["width"].as_u64() > m["vw"].as_u64() {
                    failures.push(format!("{kind} at {w}x{ht}: scrolls sideways"));
                }
                if theme == "light" {
                    assert_eq!(
                        h.js("return document.body.classList.contains('theme-light')")
                            .await,
                        true
                    );
                }
                h.assert_no_console_errors(kind).await;
            }
        }
    }
    println!("presentation report:\n{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    viewport(&h, 1024, 768).await;
    let violations = h.axe("document").await;
    assert!(violations.is_empty(), "axe:\n{}", violations.join("\n"));
    h.close().await;
}

async fn step_count(h: &Harness) -> String {
    h.text(".step-count").await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_range_locked_link_stays_in_range() {
    let h = Harness::start(1280, 1000).await;
    h.open(
        "/?widget=dealer-book&from=2&to=4&lock=regime",
        "document.querySelector('.dbw-dealer-book .step-count')",
    )
    .await;
    assert_eq!(
        step_count(&h).await,
        "2 / 5",
        "opens at the lesson's first step"
    );
    let frame = ".dbw-dealer-book";
    h.key(frame, END).await;
    assert_eq!(step_count(&h).await, "4 / 5", "End stops at to=4");
    h.key(frame, RIGHT).await;
    assert_eq!(step_count(&h).await, "4 / 5", "Next stays at to=4");
    h.key(frame, HOME).await;
    assert_eq!(step_count(&h).await, "2 / 5", "Home goes to from=2");
    h.key(frame, LEFT).await;
    assert_eq!(step_count(&h).await, "2 / 5", "Prev stays at from=2");
    // The jump list offers only the lesson's steps.
    let options = h
        .js("return [...document.querySelectorAll('.jump option')].map(o => o.value).join(',')")
        .await;
    assert_eq!(options, "2,3,4");
    // Play runs to the end of the range and stops there.
    h.js("document.querySelector('.replay-controls .btn-primary').click()")
        .await;
    h.wait_js(
        "document.querySelector('.step-count').innerText === '4 / 5' && document.querySelector('.replay-controls .btn-primary').getAttribute('aria-pressed') === 'false'",
        "play stops at to=4",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(2000)).await;
    assert_eq!(step_count(&h).await, "4 / 5", "nothing moves past to=4");
    let url = h.js("return location.search").await;
    assert_eq!(url, "?widget=dealer-book&step=4&from=2&to=4&lock=regime");
    h.screenshot("lesson-range", None).await;

    // Locked controls are disabled and say so; garbled lesson parameters fall back with notices.
    h.open(
        "/?widget=replay&lock=regime,colour&from=4&to=2&predict=maybe&theme=neon",
        "document.querySelector('.dbw-replay .quote-facts')",
    )
    .await;
    assert_eq!(
        h.js("return document.querySelector('.dbw-replay fieldset.regime').disabled")
            .await,
        true
    );
    assert!(h
        .text(".dbw-replay .regime legend")
        .await
        .contains("locked"));
    assert_eq!(
        h.js("return document.querySelector('.dbw-replay input[type=range]').disabled")
            .await,
        false,
        "gamma was not locked"
    );
    let notice = h.text(".notice").await;
    for n in [
        "lock=\"colour\": no control by that name",
        "predict=\"maybe\"",
        "theme=\"neon\": expected light or dark",
        "from=\"4\": comes after to=2; the lesson shows every step (0 to 5)",
    ] {
        assert!(notice.contains(n), "{n} not in {notice}");
    }
    h.open(
        "/?widget=maker-inventory&to=99",
        "document.querySelector('.dbw-maker-inventory')",
    )
    .await;
    assert!(h
        .text(".notice")
        .await
        .contains("to=\"99\": past the last step; using step 5"));
    h.assert_no_console_errors("lesson links").await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn predict_mode_asks_before_it_reveals() {
    let h = Harness::start(1280, 1000).await;
    h.open(
        "/?widget=maker-inventory&predict=1",
        "document.querySelector('.dbw-maker-inventory .predict')",
    )
    .await;
    let frame = ".dbw-maker-inventory";
    h.key(frame, RIGHT).await;
    // The question is asked; the step is not shown yet.
    assert_eq!(step_count(&h).await, "0 / 5");
    let panel = h.text(".predict").await;
    assert!(
        panel.contains("Step 1: customer buys 1 BTC at $100,050.")
            && panel.contains("After this step, what is R_residual?"),
        "{panel}"
    );
    assert_eq!(
        h.js("return document.querySelectorAll('.predict [role=radiogroup] input[type=radio]').length")
            .await,
        3
    );
    assert!(!panel.contains("Answer:"));
    assert!(h
        .text("[role=status][aria-live=polite]")
        .await
        .contains("After this step, what is R_residual?"));
    // Keyboard only: focus the first choice, arrow to the next (a radio group), then reveal.
    h.js("document.querySelector('.predict input[type=radio]').focus()")
        .await;
    h.key(".predict input[type=radio]", " ").await;
    h.key(".predict input[type=radio]:checked", "\u{E015}")
        .await; // down arrow
    let picked = h
        .js("return document.querySelector('.predict input:checked').value")
        .await;
    assert_eq!(picked, "1");
    h.key(frame, "r").await;
    assert_eq!(step_count(&h).await, "1 / 5", "the reveal shows the step");
    let panel = h.text(".predict").await;
    assert!(panel.contains("Answer: A) -1.0"), "{panel}");
    assert!(panel.contains("The class picked B) 0.0."), "{panel}");
    assert!(
        panel.contains("R_residual = I_client + H_external = -1.0 + 0.0 = -1.0."),
        "{panel}"
    );
    assert!(h
        .text("[role=status][aria-live=polite]")
        .await
        .starts_with("Answer: -1.0."));
    // Next asks the following step's question; a second Next reveals it.
    h.key(frame, RIGHT).await;
    assert_eq!(step_count(&h).await, "1 / 5");
    // Step 2 ends with R_residual exactly on the green limit: no band question on a boundary.
    assert!(h
        .text(".predict")
        .await
        .contains("What does this step add to net PnL?"));
    h.key(frame, RIGHT).await;
    assert_eq!(step_count(&h).await, "2 / 5");
    let panel = h.text(".predict").await;
    assert!(
        panel.contains("Answer: ") && panel.contains("-$60"),
        "{panel}"
    );
    h.screenshot("predict-revealed", None).await;
    let violations = h.axe("document").await;
    assert!(violations.is_empty(), "axe:\n{}", violations.join("\n"));
    h.assert_no_console_errors("predict").await;
    h.close().await;
}

/// Presentation mode at 1024x768 with a predict question open (replay, MakerInventory, lanes) and
/// with the hedge lab's other panel: still one screen, still no text under 24 px.
#[tokio::test(flavor = "multi_thread")]
async fn open_questions_and_the_lab_panels_fit_the_projector() {
    let h = Harness::start(1280, 1000).await;
    viewport(&h, 1024, 768).await;
    let mut failures = Vec::new();
    let mut report = Vec::new();
    for kind in [
        "replay",
        "maker-inventory",
        "dealer-book",
        "hedge-lab",
        "heatmap",
        "equation",
    ] {
        let url = match kind {
            "hedge-lab" | "heatmap" => format!("/?widget={kind}"),
            "equation" => "/?widget=replay&step=2&regime=stressed".to_string(),
            _ => format!("/?widget={kind}&predict=1&step=3"),
        };
        h.open(&url, "document.querySelector('main .dbw')").await;
        h.settle().await;
        let what = if kind == "hedge-lab" {
            h.js("[...document.querySelectorAll('.lab-view-switch button')][0].click()")
                .await;
            "exact panel"
        } else if kind == "heatmap" {
            h.js("document.querySelector('.hm-why-toggle').click()")
                .await;
            "why panel"
        } else if kind == "equation" {
            h.js("document.querySelector('.eq-toggle').click()").await;
            h.js("document.querySelector('.as-toggle input')?.click()")
                .await;
            "equation open"
        } else {
            // Ask the question about step 4, the busiest step.
            h.key(&format!(".dbw-{kind}"), RIGHT).await;
            h.wait_js(
                "document.querySelector('.predict [role=radiogroup]')",
                "question open",
            )
            .await;
            "question open"
        };
        h.settle().await;
        let (min, height, vh, m) = measure(&h).await;
        report.push(format!(
            "{kind} ({what}): smallest text {min} px, page {height} px"
        ));
        h.screenshot(
            &format!("present-{kind}-1024x768-{}", what.replace(' ', "-")),
            None,
        )
        .await;
        if min < 24.0 {
            failures.push(format!("{kind} ({what}): text under 24 px: {}", m["small"]));
        }
        if height > vh {
            failures.push(format!(
                "{kind} ({what}): page {height} px in a {vh} px screen"
            ));
        }
        h.assert_no_console_errors(kind).await;
    }
    println!("presentation report:\n{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_lesson_builder_prepares_a_link() {
    let h = Harness::start(1280, 1000).await;
    h.open(
        "/",
        "document.querySelector('.widget-slot[data-widget=replay] .lesson-builder')",
    )
    .await;
    let slot = ".widget-slot[data-widget=replay] .lesson-builder";
    h.js(&format!(
        "const b = document.querySelector('{slot}'); b.open = true;
         const [from, to] = b.querySelectorAll('.lb-range select');
         from.value = '2'; from.dispatchEvent(new Event('change'));
         to.value = '4'; to.dispatchEvent(new Event('change'));
         const boxes = b.querySelectorAll('input[type=checkbox]');
         boxes[0].click(); boxes[2].click();"
    ))
    .await;
    h.settle().await;
    let link = h
        .js(&format!(
            "return document.querySelector('{slot} .lb-link input').value"
        ))
        .await;
    assert_eq!(
        link,
        "?widget=replay&step=2&from=2&to=4&lock=regime&predict=1"
    );
    h.screenshot("lesson-builder", Some(".widget-slot[data-widget=replay]"))
        .await;
    h.js(&format!(
        "document.querySelector('{slot} .lb-link a').click()"
    ))
    .await;
    h.wait_js(
        "document.body.classList.contains('presenting') && document.querySelector('.dbw-replay .predict')",
        "the link opens the lesson",
    )
    .await;
    assert_eq!(step_count(&h).await, "2 / 5");
    assert_eq!(
        h.js("return document.querySelector('.dbw-replay fieldset.regime').disabled")
            .await,
        true
    );
    h.assert_no_console_errors("lesson builder").await;
    h.close().await;
}

//! End-to-end: the explorable explanations. On the chapter page a heatmap cell is chosen by
//! keyboard, its trace says why and what would change it, and "show me" moves the shared cursor
//! to the step of the tape that lands on the same answer; in the replay the quote's equation
//! updates while γ is dragged (with the latency of one drag step reported) and the
//! Avellaneda–Stoikov overlay shows where the toy departs.

use dealer_book_e2e::Harness;

/// Every chapter island has mounted its widget.
const READY: &str = "document.querySelectorAll('.widget-slot .island .dbw:not(.island-placeholder)').length === document.querySelectorAll('.widget-slot').length";

#[tokio::test(flavor = "multi_thread")]
async fn why_this_cell_and_show_me_in_the_replay() {
    let h = Harness::start(1280, 900).await;
    h.open("/", READY).await;
    h.settle().await;
    let surface = ".dbw-heatmap .heatmap-surface";
    h.js("document.querySelector('.dbw-heatmap .heatmap-surface').scrollIntoView()")
        .await;
    // Keyboard only: Home goes to the corner cell (no one-sidedness, no toxicity), Enter
    // chooses it, which opens the trace.
    h.key(surface, "\u{E011}").await; // Home
    h.key(surface, "\u{E007}").await; // Enter
    h.wait_js("document.querySelector('.hm-why')", "the trace opens")
        .await;
    let why = h.text(".hm-why").await;
    assert!(why.contains("Rules that fired:"), "{why}");
    assert_eq!(
        h.js("return document.querySelectorAll('.hm-trace tbody tr').length")
            .await,
        5
    );
    assert_eq!(
        h.js("return document.querySelectorAll('.hm-changes li').length")
            .await,
        5
    );
    assert!(
        why.contains("if toxicity score rose to 0.60"),
        "the boundary in toxicity is named: {why}"
    );
    // The corner internalizes; step 3 of the tape is where customer flow netted inside the book.
    let reason = h.text(".hm-reason").await;
    assert!(reason.contains("internalize"), "{reason}");
    let show = h.text(".hm-show-me").await;
    assert!(show.starts_with("Show me in the replay: step 3"), "{show}");
    h.screenshot("explain-heatmap-why", Some(".dbw-heatmap"))
        .await;
    h.js("document.querySelector('.hm-show-me').click()").await;
    h.wait_js(
        "[...document.querySelectorAll('.dbw-replay .step-count')].every(c => c.textContent.startsWith('3 /'))",
        "the shared cursor at step 3",
    )
    .await;
    let top = h
        .js("return document.querySelector('[data-step=\"3\"]').getBoundingClientRect().top")
        .await
        .as_f64()
        .unwrap_or(9e9);
    assert!(
        top.abs() < 450.0,
        "step 3's text scrolled into view (top {top})"
    );
    let violations = h.axe("document").await;
    assert!(violations.is_empty(), "axe:\n{}", violations.join("\n"));
    h.assert_no_console_errors("why this cell").await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_equation_follows_gamma() {
    let h = Harness::start(1280, 1000).await;
    // Stressed regime: the green limit is 0.4 BTC, so the -1 BTC book of step 2 leans with γ.
    h.open(
        "/?widget=replay&step=2&regime=stressed",
        "document.querySelector('.dbw-replay .eq-toggle')",
    )
    .await;
    h.js("document.querySelector('.eq-toggle').click()").await;
    h.wait_js(
        "document.querySelector('.equation-lines li')",
        "equation open",
    )
    .await;
    let before = h.text(".equation-lines").await;
    assert!(before.contains("skew = −γ·q·s·v²"), "{before}");
    let set_gamma = |v: u32| {
        format!(
            "const s = [...document.querySelectorAll('.dbw-replay input[type=range]')].find(i => i.id.startsWith('gamma')); s.value = '{v}'; s.dispatchEvent(new Event('input', {{bubbles: true}}));"
        )
    };
    h.js(&set_gamma(900)).await;
    h.wait_js(
        "document.querySelectorAll('.equation-lines li.changed').length > 0",
        "changed terms marked",
    )
    .await;
    let after = h.text(".equation-lines").await;
    assert_ne!(before, after);
    assert!(after.contains("γ 0.9"), "{after}");
    assert!(
        h.js("return document.querySelectorAll('.spread-bar rect').length")
            .await
            .as_u64()
            .unwrap_or(0)
            >= 4
    );
    let parts = h.text(".spread-parts").await;
    assert!(
        parts.starts_with("Spread $") && parts.contains("inventory"),
        "{parts}"
    );
    h.js("document.querySelector('.as-toggle input').click()")
        .await;
    h.wait_js("document.querySelector('.as-lines li')", "A–S overlay")
        .await;
    // The model's quote is drawn over the toy's on the price ladder, and said in its words.
    assert_eq!(
        h.js("return document.querySelectorAll('.dbw-replay .ladder .as-spread').length")
            .await,
        1
    );
    let ladder = h
        .js("return document.querySelector('.dbw-replay .ladder').getAttribute('aria-label')")
        .await;
    assert!(
        ladder
            .as_str()
            .is_some_and(|l| l.contains("Avellaneda–Stoikov: reservation")),
        "{ladder}"
    );
    let overlay = h.text(".as-lines").await;
    assert!(
        overlay.contains("Avellaneda–Stoikov (k = 0.025 per $)"),
        "{overlay}"
    );
    h.screenshot("explain-equation", Some(".dbw-replay")).await;
    // Latency: 60 γ steps with the equation open, from the input event to the next frame.
    let result = h
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const s = [...document.querySelectorAll('.dbw-replay input[type=range]')].find(i => i.id.startsWith('gamma'));
             const times = [];
             (async () => {
               for (let i = 0; i < 60; i++) {
                 const t0 = performance.now();
                 s.value = String((i * 170) % 1000); s.dispatchEvent(new Event('input', { bubbles: true }));
                 await new Promise(r => requestAnimationFrame(() => r()));
                 times.push(performance.now() - t0);
               }
               times.sort((a, b) => a - b);
               done({ n: times.length, median: times[30], p95: times[57], max: times[59] });
             })();",
            vec![],
        )
        .await
        .expect("latency run");
    println!("gamma drag with the equation open (ms, input to next frame): {result}");
    let dir = dealer_book_e2e::repo_root().join("target/screenshots");
    std::fs::create_dir_all(&dir).ok();
    std::fs::write(dir.join("equation-latency.json"), result.to_string()).ok();
    let violations = h.axe("document").await;
    assert!(violations.is_empty(), "axe:\n{}", violations.join("\n"));
    h.assert_no_console_errors("equation").await;
    h.close().await;
}

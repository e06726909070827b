//! End-to-end: embedding for authors, classroom URLs, print media, axe, phone width, latency.

use dealer_book_e2e::Harness;

const RIGHT: &str = "\u{E014}";
/// All seven elements of the embedding example have mounted (a widget or an error box) in
/// their shadow roots.
const MOUNTED_7: &str = "[...document.querySelectorAll('dealer-book-widget')].filter(w => w.shadowRoot && w.shadowRoot.querySelector('.dbw, .error-box')).length >= 7";

#[tokio::test(flavor = "multi_thread")]
async fn embed_example_mounts_each_widget_independently() {
    let h = Harness::start(1280, 1000).await;
    h.open("/examples/embed.html", MOUNTED_7).await;
    let inv = h.text("#w-inventory >>> .quantities").await;
    assert!(inv.contains("+0.5"), "chapter tape at step 3: {inv}");
    let other = h.text("#w-other >>> .quantities").await;
    assert!(other.contains("-0.05"), "other tape at step 2: {other}");
    // Stepping one instance leaves the other alone.
    h.key("#w-inventory >>> .dbw", RIGHT).await;
    assert!(h
        .text("#w-inventory >>> .step-count")
        .await
        .starts_with("4 /"));
    assert!(h.text("#w-other >>> .step-count").await.starts_with("2 /"));
    let bad_tape = h.text("#w-bad-tape >>> .error-box").await;
    assert!(
        bad_tape.contains("tapes/broken.json: step 2, event 2: qty must be positive"),
        "{bad_tape}"
    );
    let bad_attr = h.text("#w-bad-attr >>> .notice").await;
    assert!(
        bad_attr.contains("step=\"lots\"") && bad_attr.contains("gamma=\"9\""),
        "{bad_attr}"
    );
    assert!(
        h.text("#w-bad-attr >>> .dbw-replay")
            .await
            .contains("Interactive replay"),
        "falls back to defaults"
    );
    // Changing an attribute re-mounts that widget with the new setting.
    h.js("document.getElementById('w-other').setAttribute('step', '4')")
        .await;
    h.wait_js("document.querySelector('#w-other').shadowRoot.querySelector('.step-count') && document.querySelector('#w-other').shadowRoot.querySelector('.step-count').innerText.startsWith('4 /')", "attribute change").await;
    let bad_kind = h.text("#w-bad-kind >>> .error-box").await;
    assert!(bad_kind.contains("kind=\"pie-chart\""), "{bad_kind}");
    assert!(h.text("#after").await.contains("still here"));
    let errors = h.console_errors().await;
    assert!(
        errors
            .iter()
            .all(|e| e.contains("broken.json") || e.contains("pie-chart")),
        "unexpected console errors: {errors:?}"
    );
    h.screenshot("embed-example", None).await;
    let violations = h.axe("document").await;
    assert!(
        violations.is_empty(),
        "axe on embed example:\n{}",
        violations.join("\n")
    );
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn iframe_embed_page_takes_url_parameters() {
    let h = Harness::start(1000, 800).await;
    h.open(
        "/embed.html?widget=heatmap&step=4",
        "document.querySelector('.dbw-heatmap .heatmap-canvas')",
    )
    .await;
    let proxy = h.text(".risk-proxy").await;
    assert!(
        proxy.contains("step 4") && proxy.contains("+1.0 BTC"),
        "{proxy}"
    );
    let violations = h.axe("document").await;
    assert!(
        violations.is_empty(),
        "axe on embed.html (heatmap):\n{}",
        violations.join("\n")
    );
    // Another tape by URL; stepping keeps the tape in the URL so the link still reopens it.
    h.open(
        "/embed.html?widget=maker-inventory&tape=examples/tapes/two-sided.json&step=1",
        "document.querySelector('.dbw-maker-inventory .quantities')",
    )
    .await;
    assert!(h.text(".quantities").await.contains("-0.25"));
    h.key("body", RIGHT).await;
    h.wait_js("location.search.includes('step=2')", "URL follows")
        .await;
    assert_eq!(
        h.js("return location.search").await,
        "?widget=maker-inventory&step=2&tape=examples/tapes/two-sided.json"
    );
    // The chapter itself opens at a step given in the URL.
    h.open(
        "/?step=3",
        "document.querySelector('.dbw-maker-inventory .quantities')",
    )
    .await;
    assert!(h
        .text(".dbw-maker-inventory .step-count")
        .await
        .starts_with("3 /"));
    h.assert_no_console_errors("embed.html").await;
    let violations = h.axe("document").await;
    assert!(
        violations.is_empty(),
        "axe on embed.html:\n{}",
        violations.join("\n")
    );
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn classroom_link_reopens_the_exact_state() {
    let h = Harness::start(1280, 800).await;
    h.open(
        "/?widget=replay&step=4&regime=stressed&gamma=0.6",
        "document.querySelector('.dbw-replay .quote-facts')",
    )
    .await;
    assert_eq!(
        h.js("return document.body.classList.contains('presenting')")
            .await,
        true
    );
    assert!(h.text(".replay-step").await.starts_with("Step 4"));
    assert_eq!(
        h.js("return document.querySelector('.dbw-replay input[value=stressed]').checked")
            .await,
        true
    );
    assert!(h.text(".dbw-replay .slider output").await.contains("0.60"));
    h.screenshot("classroom-replay", None).await;
    // Keys work on the whole document; the URL follows.
    h.js("document.activeElement && document.activeElement.blur()")
        .await;
    h.key("body", RIGHT).await;
    h.wait_js("location.search.includes('step=5')", "URL follows the step")
        .await;
    let url = h.js("return location.search").await;
    assert_eq!(url, "?widget=replay&step=5&regime=stressed&gamma=0.6");
    h.assert_no_console_errors("classroom").await;
    let violations = h.axe("document").await;
    assert!(
        violations.is_empty(),
        "axe in presentation mode:\n{}",
        violations.join("\n")
    );
    // Garbled parameters fall back with a visible notice, never a blank page.
    h.open(
        "/?widget=heatmap&step=banana&regime=%00&gamma=-3&x=nope",
        "document.querySelector('.notice') && document.querySelector('.dbw-heatmap .heatmap-canvas')",
    )
    .await;
    let notice = h.text(".notice").await;
    for n in ["step=\"banana\"", "gamma=\"-3\"", "x=\"nope\""] {
        assert!(notice.contains(n), "{n} not in {notice}");
    }
    h.open(
        "/?widget=maker-inventory&step=99",
        "document.querySelector('.dbw-maker-inventory')",
    )
    .await;
    assert!(h
        .text(".notice")
        .await
        .contains("past the last step; showing step 5"));
    h.assert_no_console_errors("garbled URLs").await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn phone_width_print_media_and_axe_on_the_chapter() {
    let h = Harness::start(360, 800).await;
    h.open(
        "/",
        "document.querySelector('.dbw-maker-inventory .quantities')",
    )
    .await;
    let overflow = h
        .js("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        .await;
    assert!(
        overflow.as_i64().unwrap_or(99) <= 0,
        "page scrolls sideways at 360 px by {overflow} px"
    );
    h.screenshot("chapter-360", None).await;
    let violations = h.axe("document").await;
    assert!(
        violations.is_empty(),
        "axe on the chapter:\n{}",
        violations.join("\n")
    );
    h.cdp(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "media": "print" }),
    )
    .await;
    let hidden = h
        .js("return ['.toc', '.replay-controls', '.heatmap-controls', '.trainer-buttons'].every(s => [...document.querySelectorAll(s)].every(e => getComputedStyle(e).display === 'none'))")
        .await;
    assert_eq!(hidden, true, "print hides controls");
    let prose = h
        .js("return getComputedStyle(document.querySelector('.prose')).display")
        .await;
    assert_eq!(prose, "block");
    h.screenshot("chapter-print", None).await;
    h.assert_no_console_errors("360 px").await;
    h.close().await;
}

/// Interaction latency harness (a measurement, not an assertion): 100 heatmap slider moves and
/// 100 risk-aversion moves with all chapter widgets on the page; time from the input event to the
/// end of the last redraw it caused.
#[tokio::test(flavor = "multi_thread")]
async fn slider_latency_report() {
    let h = Harness::start(1280, 900).await;
    h.open(
        "/",
        "document.querySelector('.heatmap-canvas') && document.querySelector('.follow-switch')",
    )
    .await;
    // The widgets are driven directly: following the reading is off (see reading.rs).
    h.js("document.querySelector('.follow-switch').click();")
        .await;
    // Step 2 holds an R_residual of -3 mid-step, so risk aversion visibly moves those quotes.
    h.key(".dbw-replay", &RIGHT.repeat(2)).await;
    let result = h
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const sliders = [...document.querySelectorAll('.dbw-heatmap input[type=range]')];
             const gamma = document.querySelector('.dbw-replay input[type=range]');
             const times = { heatmap: [], gamma: [] };
             const stats = t => { t.sort((a, b) => a - b); const q = p => t[Math.min(t.length - 1, Math.floor(p * t.length))];
                                  return { n: t.length, median: q(0.5), p95: q(0.95), max: t[t.length - 1] }; };
             (async () => {
               for (let i = 0; i < 200; i++) {
                 const heat = i % 2 === 1;
                 const s = heat ? sliders[i % sliders.length] : gamma;
                 const v = heat ? (i * 37) % 1000 : (i * 50) % 1000;
                 window.__dbLastRedraw = 0;
                 const t0 = performance.now();
                 s.value = v; s.dispatchEvent(new Event('input', { bubbles: true }));
                 await new Promise(r => setTimeout(r, 0));
                 await new Promise(r => requestAnimationFrame(() => r()));
                 (heat ? times.heatmap : times.gamma).push(Math.max(0, (window.__dbLastRedraw || performance.now()) - t0));
               }
               done({ heatmap_slider: stats(times.heatmap), gamma_slider: stats(times.gamma) });
             })();",
            vec![],
        )
        .await
        .expect("latency run");
    println!("slider latency, 100 moves each (ms): {result}");
    let dir = dealer_book_e2e::repo_root().join("target/screenshots");
    std::fs::create_dir_all(&dir).ok();
    std::fs::write(dir.join("latency.json"), result.to_string()).ok();
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn dark_theme_passes_axe() {
    let h = Harness::start(1280, 900).await;
    h.cdp(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] }),
    )
    .await;
    h.open(
        "/",
        "document.querySelector('.dbw-maker-inventory .quantities')",
    )
    .await;
    h.key(".dbw-maker-inventory", &RIGHT.repeat(4)).await;
    let bg = h
        .js("return getComputedStyle(document.body).backgroundColor")
        .await;
    assert_eq!(
        bg, "rgb(22, 23, 26)",
        "dark background follows the system setting"
    );
    let violations = h.axe("document").await;
    assert!(
        violations.is_empty(),
        "axe in dark theme:\n{}",
        violations.join("\n")
    );
    h.screenshot("dark-maker-inventory", Some(".dbw-maker-inventory"))
        .await;
    h.assert_no_console_errors("dark theme").await;
    h.close().await;
}

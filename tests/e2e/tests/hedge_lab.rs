//! End-to-end: the hedge-rule lab from a classroom URL (exact numbers, notices for garbled
//! parameters, axe, screenshots) and the recompute-and-redraw latency of its distribution panel.

use dealer_book_e2e::Harness;

const LAB_URL: &str = "/?widget=hedge-lab&rule=band&cost=50&regime=stressed&paths=2000";
const READY: &str =
    "document.querySelector('.lab-dist tbody td') && document.querySelector('.lab-hist-canvas')";

#[tokio::test(flavor = "multi_thread")]
async fn hedge_lab_classroom_url_and_notices() {
    let h = Harness::start(1280, 1000).await;
    h.open(LAB_URL, READY).await;
    assert!(
        h.text(".lab-heading").await.contains("step 0"),
        "opens at the start"
    );
    // The stressed regime and 2,000 paths came from the URL. (A classroom URL presents one
    // panel at a time, the many-paths one first; both headings are in the page.)
    let headings = h
        .js("return [...document.querySelectorAll('.lab-heading')].map(e => e.textContent).join(' | ')")
        .await;
    assert!(
        headings
            .as_str()
            .is_some_and(|t| t.contains("Over 2,000 simulated paths per rule (stressed regime")),
        "{headings}"
    );
    // Jump to the end: the exact net line is the chapter's.
    h.js("const s = document.querySelector('.dbw-hedge-lab .replay-controls select'); s.value = '5'; s.dispatchEvent(new Event('change', {bubbles: true}));").await;
    h.wait_js(
        "document.querySelector('.lab-heading').innerText.includes('step 5')",
        "cursor at step 5",
    )
    .await;
    let net = h.text(".lab-exact tbody tr:nth-child(5)").await;
    // The band rule hedges to the stressed regime's green limit (0.4 BTC): -$2,420, not the
    // normal regime's -$2,550.
    assert!(
        net.contains("-$2,575") && net.contains("-$1,485") && net.contains("-$2,420"),
        "{net}"
    );
    // Exact moments, standard errors and the ranking by certainty equivalent are shown.
    // (textContent: presentation mode hides the "(exact)" tags and simulated means.)
    let dist = h
        .js("return document.querySelector('.lab-dist').textContent")
        .await
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(dist.contains("(exact)") && dist.contains("±"), "{dist}");
    assert!(dist.contains("★ best"), "{dist}");
    let ranking = h.text(".lab-ranking").await;
    assert!(
        ranking.contains("ranks first") && ranking.contains("The best rule changes at"),
        "{ranking}"
    );
    // Risk neutral: the best mean wins; very risk averse: the flattest book.
    h.js("const s = [...document.querySelectorAll('.dbw-hedge-lab input[type=range]')].find(i => i.id.startsWith('lab-lambda')); s.value = '0'; s.dispatchEvent(new Event('input', {bubbles: true}));").await;
    h.wait_js("document.querySelector('.lab-ranking').innerText.startsWith('At λ = 0 per $, Never hedge ranks first')", "risk neutral ranking").await;
    h.js("const s = [...document.querySelectorAll('.dbw-hedge-lab input[type=range]')].find(i => i.id.startsWith('lab-lambda')); s.value = '13'; s.dispatchEvent(new Event('input', {bubbles: true}));").await;
    h.wait_js("document.querySelector('.lab-ranking').innerText.startsWith('At λ = 0.01 per $, Hedge flat ranks first')", "risk averse ranking").await;
    // The URL keeps the lab's settings.
    let url = h.js("return location.search").await;
    assert!(
        url.as_str().is_some_and(|u| u.contains("rule=band")
            && u.contains("cost=50")
            && u.contains("paths=2000")),
        "{url}"
    );
    let violations = h.axe("document").await;
    assert!(
        violations.is_empty(),
        "axe on the hedge lab:\n{}",
        violations.join("\n")
    );
    h.screenshot("hedge-lab", None).await;
    // The projector shows one panel at a time; the switch brings the exact one.
    h.js("document.querySelectorAll('.lab-view-switch button')[0].click()")
        .await;
    h.settle().await;
    h.screenshot("hedge-lab-exact", Some(".lab-exact")).await;
    h.js("document.querySelectorAll('.lab-view-switch button')[1].click()")
        .await;
    h.settle().await;
    h.screenshot("hedge-lab-histograms", Some(".lab-hist"))
        .await;
    h.assert_no_console_errors("hedge lab").await;
    // Garbled parameters fall back with visible notices.
    h.open(
        "/?widget=hedge-lab&rule=sometimes&cost=-3&paths=0",
        "document.querySelector('.notice') && document.querySelector('.lab-dist tbody td')",
    )
    .await;
    let notice = h.text(".notice").await;
    assert!(
        notice.contains("rule=\"sometimes\"")
            && notice.contains("cost=\"-3\"")
            && notice.contains("paths=\"0\""),
        "{notice}"
    );
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hedge_lab_latency_report() {
    let h = Harness::start(1280, 1000).await;
    h.open(LAB_URL, READY).await;
    // Each hedge-cost move recomputes 2,000 paths for each of the four rules (8,000 paths) and
    // redraws both charts; the time runs from the input event to the end of the last redraw, once
    // the distribution's run (a slice per turn of the event loop) has ended.
    let result = h
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const s = [...document.querySelectorAll('.dbw-hedge-lab input[type=range]')].find(i => i.id.startsWith('lab-cost'));
             const times = [];
             const stats = t => { t.sort((a, b) => a - b); const q = p => t[Math.min(t.length - 1, Math.floor(p * t.length))];
                                  return { n: t.length, median: q(0.5), p95: q(0.95), max: t[t.length - 1] }; };
             (async () => {
               for (let i = 0; i < 100; i++) {
                 window.__dbLastRedraw = 0;
                 const t0 = performance.now();
                 s.value = (i * 35) % 200; s.dispatchEvent(new Event('input', { bubbles: true }));
                 await new Promise(r => setTimeout(r, 0));
                 while (document.querySelector('.lab-panel-dist[aria-busy=true]')) await new Promise(r => setTimeout(r, 0));
                 await new Promise(r => requestAnimationFrame(() => r()));
                 times.push(Math.max(0, (window.__dbLastRedraw || performance.now()) - t0));
               }
               done({ hedge_cost_slider_2000_paths_x4_rules: stats(times) });
             })();",
            vec![],
        )
        .await
        .expect("latency run");
    println!("hedge lab latency, 100 moves (ms): {result}");
    let dir = dealer_book_e2e::repo_root().join("target/screenshots");
    std::fs::create_dir_all(&dir).ok();
    std::fs::write(dir.join("hedge-lab-latency.json"), result.to_string()).ok();
    h.assert_no_console_errors("hedge lab latency").await;
    h.close().await;
}

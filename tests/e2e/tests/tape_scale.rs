//! End-to-end: a large tape in a widget. Loads a generated 100,000-event tape (1,000 events per
//! step) into the replay widget and reports the time from navigation to the first frame painted
//! with the replayed tape, split at the moment the tape finished downloading. A figure, not a
//! gate: the test asserts only that the widget shows the whole tape. Written to
//! `target/screenshots/tape-load.json`.

use dealer_book_e2e::Harness;
use serde_json::json;

/// Records, on every page, the first animation frame after the replay widget shows its step
/// counter: the first paint of a replayed tape.
const FIRST_PAINT_PROBE: &str = r#"
window.__dbFirstPaint = null;
new MutationObserver((_, observer) => {
  if (document.querySelector('.dbw-replay .step-count')) {
    observer.disconnect();
    requestAnimationFrame(() => { window.__dbFirstPaint = performance.now(); });
  }
}).observe(document, { subtree: true, childList: true });
"#;

#[tokio::test(flavor = "multi_thread")]
async fn large_tape_first_paint_report() {
    let events = 100_000;
    let dir_name = format!("e2e-scale-{}", std::process::id());
    let dir = dealer_book_e2e::repo_root().join("dist").join(&dir_name);
    std::fs::create_dir_all(&dir).expect("temp dir in dist");
    let text = dealer_book::tape::synthetic::tape(events, 1_000).to_json();
    std::fs::write(dir.join("tape.json"), &text).expect("write tape");

    let h = Harness::start(1280, 900).await;
    h.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": FIRST_PAINT_PROBE }),
    )
    .await;
    let mut runs = Vec::new();
    for _ in 0..3 {
        h.open(
            &format!("/embed.html?widget=replay&tape={dir_name}/tape.json"),
            "window.__dbFirstPaint !== null",
        )
        .await;
        let t = h
            .js("const r = performance.getEntriesByType('resource').find(e => e.name.endsWith('/tape.json'));
                 return { first_paint_ms: window.__dbFirstPaint, tape_downloaded_ms: r ? r.responseEnd : null };")
            .await;
        runs.push(t);
    }
    let count = h.text(".dbw-replay .step-count").await;
    assert!(count.ends_with("/ 100"), "all 100 steps replayed: {count}");
    h.screenshot("large-tape", None).await;
    h.close().await;
    std::fs::remove_dir_all(&dir).ok();

    let mut paint: Vec<f64> = runs
        .iter()
        .filter_map(|r| r["first_paint_ms"].as_f64())
        .collect();
    paint.sort_by(f64::total_cmp);
    let median = paint.get(paint.len() / 2).copied().unwrap_or(f64::NAN);
    let report = json!({
        "events": events,
        "tape_bytes": text.len(),
        "runs": runs,
        "median_first_paint_ms": median,
    });
    println!(
        "large tape ({events} events, {} bytes): {report}",
        text.len()
    );
    let out = dealer_book_e2e::repo_root().join("target/screenshots");
    std::fs::create_dir_all(&out).ok();
    std::fs::write(out.join("tape-load.json"), report.to_string()).ok();
}

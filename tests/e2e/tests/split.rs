//! The split WebAssembly (issue 19). The chapter downloads the main module and nothing of the
//! widgets until the reader nears one; then that widget's chunk arrives and it mounts in the box
//! the static page reserved. Every widget kind must *work* from its chunk (split builds have
//! failed at run time upstream, not at first paint), a chunk that cannot load must say so in its
//! own box, and a step must redraw only the widgets a reader can see. The byte figures are the
//! gate of issue 19's goals, measured as Chromium counts them (transfer sizes, gzip server).

use dealer_book_e2e::{dist, Harness, Site};
use serde_json::Value;

/// Issue 19's goal: bytes a reader downloads before scrolling the chapter at 1280×900.
const BEFORE_SCROLLING_GOAL: f64 = 150.0 * 1024.0;
/// The unsplit chapter page before the split (html + loader + glue + wasm + css, gzip -9),
/// measured at 0ff2ea0 by scripts/size-report.sh. Issue 19's goal for all the chunks together
/// is 1.15 times this. The split first measured 1.17 (416,043 bytes: code that several split
/// points share sits in chunks of its own, and a chunk's calls into the main module cannot be
/// inlined).
const UNSPLIT_PAGE: f64 = 355_304.0;
/// The gate is the measured total, so it can only shrink: lower it with every saving. Issue 22
/// (cursor machine, strum names, the axum test server, numbers without serde_json's
/// `arbitrary_precision`) measured 418,027 bytes; drawing each chart's first frame after the
/// mount (issue 19) 418,838. The chapter's tape compiled in (no JSON reader in the chapter's
/// chunks) took 14,801 off: 404,037 bytes, 1.137 times the unsplit page's files with every HTTP
/// header counted (1.111 times in bodies alone): the goal is met. The server sends each file as
/// one body frame, so gzip gives the same size on every run. The review's mends to the deferred
/// first draw and the hedge lab's runs added 806: 404,843 (1.139 times; bodies 1.113); the
/// progress bar that follows a new run at once, 130: 404,973. The loader's preload of a slot on
/// screen (its chunk manifest and observer, and the slots' `data-code`), 457: 405,430. The float
/// printer moved from the main module into the chunks that print numbers: 405,228. A drawing's
/// first run in a task after the frame (`FirstInFrame`), 72: 405,300. The hedge lab building its
/// distribution panel a frame after the rest (`later_part`, issue 19's long-task goal), 2,863:
/// 408,163 (1.149 times; 437 bytes under the goal).
const ALL_CHUNKS_CEILING: f64 = 408_200.0;

/// The bytes Chromium has received for the page so far (document and every resource, HTTP
/// headers included), the names of the wasm files among them, and the bodies alone (the gzip
/// files, without headers: what the unsplit page's figure counts).
const BYTES: &str = "const nav = performance.getEntriesByType('navigation')[0]; \
    const res = performance.getEntriesByType('resource'); \
    return [nav.transferSize + res.reduce((a, e) => a + e.transferSize, 0), \
            res.map(e => e.name.split('/').pop()).filter(n => n.endsWith('.wasm')).sort(), \
            nav.encodedBodySize + res.reduce((a, e) => a + e.encodedBodySize, 0)];";

const STARTED: &str = "document.querySelector('.toc details[open]')";

/// Bytes received with headers, the wasm files, and the bodies alone.
async fn bytes(h: &Harness) -> (f64, Vec<String>, f64) {
    let v = h.js(BYTES).await;
    let total = v[0].as_f64().unwrap_or(f64::NAN);
    let files = v[1]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    (total, files, v[2].as_f64().unwrap_or(f64::NAN))
}

/// Waits until no new resource has arrived for a second.
async fn quiet(h: &Harness) {
    let mut last = -1.0;
    for _ in 0..40 {
        let n = h
            .js("return performance.getEntriesByType('resource').length;")
            .await
            .as_f64()
            .unwrap_or(0.0);
        if n == last {
            return;
        }
        last = n;
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    }
}

fn slot(kind: &str) -> String {
    format!(".widget-slot[data-widget=\"{kind}\"]")
}

/// Scrolls the slot of `kind` to the top of the window, as a reader would, and waits for its
/// widget to mount from its chunk.
async fn scroll_to(h: &Harness, kind: &str) {
    let slot = slot(kind);
    h.js(&format!(
        "window.scrollTo(0, document.querySelector('{slot}').getBoundingClientRect().top + scrollY - 80);"
    ))
    .await;
    h.wait_js(
        &format!("document.querySelector('{slot} .island .dbw:not(.island-placeholder)')"),
        &format!("the {kind} mounts from its chunk"),
    )
    .await;
    h.settle().await;
}

/// Clicks "Next ▶" in a widget's replay controls.
fn next(widget: &str) -> String {
    format!("[...document.querySelectorAll('{widget} .replay-controls button')].find(b => b.innerText.includes('Next')).click();")
}

/// Clicks Next in a widget and waits until its step count changes.
async fn next_advances(h: &Harness, widget: &str, what: &str) {
    let before = h.text(&format!("{widget} .step-count")).await;
    h.js(&next(widget)).await;
    h.wait_js(
        &format!("document.querySelector('{widget} .step-count').innerText !== {before:?}"),
        what,
    )
    .await;
}

fn mounted(v: &Value) -> usize {
    v.as_f64().unwrap_or(0.0) as usize
}

#[tokio::test(flavor = "multi_thread")]
async fn before_scrolling_the_chapter_stays_under_150_kb() {
    let site = Site {
        gzip: true,
        ..Site::root(dist())
    };
    let h = Harness::start_site(1280, 900, site).await;
    h.open_as_reader("/", STARTED).await;
    quiet(&h).await;
    let (before, files, _) = bytes(&h).await;
    println!("before scrolling: {before:.0} bytes; wasm files: {files:?}");
    assert!(
        before <= BEFORE_SCROLLING_GOAL,
        "before scrolling the chapter downloads {before:.0} bytes, over the goal of {BEFORE_SCROLLING_GOAL:.0}; files: {files:?}"
    );
    assert_eq!(
        files,
        vec!["dealer-book-app_bg.wasm".to_string()],
        "only the main module before the reader nears a widget"
    );
    let islands = h
        .js("return document.querySelectorAll('.island .dbw:not(.island-placeholder)').length;")
        .await;
    assert_eq!(mounted(&islands), 0, "no widget mounts far from the screen");
    // Scroll the whole chapter: every widget mounts, and all the chunks together stay within
    // 15% of the unsplit page.
    for kind in [
        "book-trainer",
        "replay",
        "maker-inventory",
        "dealer-book",
        "heatmap",
        "hedge-lab",
    ] {
        scroll_to(&h, kind).await;
    }
    quiet(&h).await;
    let (after, files, bodies) = bytes(&h).await;
    println!(
        "after scrolling the whole chapter: {after:.0} bytes ({:.2}x the unsplit page); {} wasm files: {files:?}",
        after / UNSPLIT_PAGE,
        files.len()
    );
    println!(
        "  of which bodies (the gzip files, without HTTP headers): {bodies:.0} bytes ({:.3}x)",
        bodies / UNSPLIT_PAGE
    );
    println!(
        "goal 1.15 x {UNSPLIT_PAGE:.0} = {:.0}: {}",
        1.15 * UNSPLIT_PAGE,
        if after <= 1.15 * UNSPLIT_PAGE {
            "met"
        } else {
            "not met"
        }
    );
    assert!(
        after <= ALL_CHUNKS_CEILING,
        "all chunks together: {after:.0} bytes, over the ceiling of {ALL_CHUNKS_CEILING:.0}"
    );
    assert!(
        !files.iter().any(|f| f == "split_single.wasm"),
        "the chapter never needs the single-widget code: {files:?}"
    );
    h.assert_no_console_errors("scrolling the split chapter")
        .await;
    h.close().await;
}

/// A reader who goes straight to the first widget while the main module is still on its way (a
/// slow link) has that widget's code fetched beside the main module, not after it: the page
/// loader preloads the files of a slot on screen (`data-code`, the manifest scripts/build-app.sh
/// writes into dealer-book.js), and the chunk loader takes those responses, so each file is
/// fetched once. (An order of requests on a throttled link, not a timing.)
#[tokio::test(flavor = "multi_thread")]
async fn a_widget_on_screen_has_its_code_fetched_beside_the_main_module() {
    let site = Site {
        gzip: true,
        ..Site::root(dist())
    };
    let h = Harness::start_site(1280, 900, site).await;
    h.cdp("Network.enable", serde_json::json!({})).await;
    h.cdp(
        "Network.emulateNetworkConditions",
        serde_json::json!({ "offline": false, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8 }),
    )
    .await;
    h.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        serde_json::json!({ "source": "document.addEventListener('DOMContentLoaded', () => document.querySelector('.widget-slot')?.scrollIntoView());" }),
    )
    .await;
    h.open_as_reader(
        "/",
        "document.querySelector('.widget-slot[data-widget=book-trainer] .island button')",
    )
    .await;
    let code = h
        .js("return document.querySelector('.widget-slot').dataset.code;")
        .await;
    assert_eq!(code, "trainer", "the first slot names its code");
    let timing = h
        .js("return performance.getEntriesByType('resource').filter(e => e.name.endsWith('.wasm')) \
             .map(e => [e.name.split('/').pop(), e.startTime, e.responseEnd]);")
        .await;
    let rows: Vec<(String, f64, f64)> = timing
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r[0].as_str().unwrap_or("?").to_string(),
                r[1].as_f64().unwrap_or(f64::NAN),
                r[2].as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect();
    println!("wasm files (name, request start ms, last byte ms): {rows:?}");
    let main_done = rows
        .iter()
        .find(|r| r.0 == "dealer-book-app_bg.wasm")
        .map(|r| r.2)
        .expect("the main module was fetched");
    let trainer = rows
        .iter()
        .find(|r| r.0 == "split_trainer.wasm")
        .expect("the trainer's code was fetched");
    assert!(
        trainer.1 < main_done,
        "the trainer's code was asked for only after the main module arrived: {rows:?}"
    );
    let mut names: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    names.sort_unstable();
    let all = names.len();
    names.dedup();
    assert_eq!(
        names.len(),
        all,
        "a wasm file was fetched twice (a preload the chunk loader did not take): {rows:?}"
    );
    h.assert_no_console_errors("a widget on screen while the page loads")
        .await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_widget_works_from_its_chunk_when_scrolled_to() {
    let h = Harness::start(1280, 900).await;
    h.open_as_reader("/", STARTED).await;
    // Following off: these steps are the widgets' own, not the reading's.
    scroll_to(&h, "book-trainer").await;
    h.js("[...document.querySelectorAll('.dbw-book-trainer button')].find(b => b.innerText === 'Customer buys').click()").await;
    h.wait_js(
        "document.querySelector('.dbw-book-trainer').innerText.includes('I_client -1.0')",
        "the trainer's customer buy moves I_client",
    )
    .await;

    scroll_to(&h, "replay").await;
    h.wait_js("document.querySelector('.follow-switch')", "the follow bar")
        .await;
    h.js("document.querySelector('.follow-switch[aria-pressed=true]')?.click();")
        .await;
    next_advances(&h, ".dbw-replay", "Next advances the replay").await;

    scroll_to(&h, "maker-inventory").await;
    next_advances(&h, ".dbw-maker-inventory", "Next moves the inventory").await;

    scroll_to(&h, "dealer-book").await;
    next_advances(&h, ".dbw-dealer-book", "Next advances the lanes").await;

    scroll_to(&h, "heatmap").await;
    let surface = ".dbw-heatmap .heatmap-surface";
    h.key(surface, "\u{E011}").await; // Home: the corner cell
    h.key(surface, "\u{E007}").await; // Enter chooses it
    h.wait_js(
        "document.querySelector('.hm-why') && document.querySelector('.hm-reason').innerText.includes('internalize')",
        "a heatmap cell selects and explains itself",
    )
    .await;
    // A slider redraws the map.
    let before = h.text(".dbw-heatmap .hm-reason").await;
    h.js("const s = [...document.querySelectorAll('.dbw-heatmap input[type=range]')].find(i => i.id.startsWith('hm-latency')); s.value = s.max; s.dispatchEvent(new Event('input', {bubbles: true}));").await;
    h.wait_js(
        &format!("document.querySelector('.dbw-heatmap .hm-reason').innerText !== {before:?}"),
        "the latency slider redraws the heatmap",
    )
    .await;

    scroll_to(&h, "hedge-lab").await;
    h.wait_js(
        "document.querySelector('.lab-dist tbody td') && document.querySelector('.lab-ranking')",
        "the hedge lab runs its simulation",
    )
    .await;
    let before = h.text(".lab-ranking").await;
    h.js("const s = [...document.querySelectorAll('.dbw-hedge-lab input[type=range]')].find(i => i.id.startsWith('lab-lambda')); s.value = '13'; s.dispatchEvent(new Event('input', {bubbles: true}));").await;
    h.wait_js(
        &format!("document.querySelector('.lab-ranking').innerText !== {before:?}"),
        "risk aversion re-ranks the rules",
    )
    .await;
    h.screenshot("split-hedge-lab", Some(&slot("hedge-lab")))
        .await;
    h.assert_no_console_errors("widgets from their chunks")
        .await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lesson_link_loads_only_its_widgets_chunks() {
    let h = Harness::start(1280, 900).await;
    // A lesson link for the heatmap opens one widget: the main module, the single-widget code
    // and the chunks of that widget, never the others'.
    h.open_as_reader(
        "/?widget=heatmap",
        "document.querySelector('.dbw-heatmap .heatmap-surface')",
    )
    .await;
    let surface = ".dbw-heatmap .heatmap-surface";
    h.key(surface, "\u{E011}").await;
    h.key(surface, "\u{E007}").await;
    h.wait_js(
        "document.querySelector('.hm-why')",
        "the heatmap's cell selects",
    )
    .await;
    let (_, files, _) = bytes(&h).await;
    assert!(
        files.contains(&"split_single.wasm".to_string())
            && files.contains(&"split_replays.wasm".to_string()),
        "{files:?}"
    );
    for other in ["split_hedge_lab.wasm", "split_chapter.wasm"] {
        assert!(
            !files.contains(&other.to_string()),
            "{other} loaded for the heatmap: {files:?}"
        );
    }
    // The replay widgets, each by a lesson link (a range of steps): Next advances from the chunk.
    for (kind, class) in [
        ("replay", ".dbw-replay"),
        ("maker-inventory", ".dbw-maker-inventory"),
        ("dealer-book", ".dbw-dealer-book"),
    ] {
        h.open_as_reader(
            &format!("/?widget={kind}&from=1&to=4"),
            &format!("document.querySelector('{class} .step-count')"),
        )
        .await;
        next_advances(
            &h,
            class,
            &format!("Next advances the {kind} opened by a lesson link"),
        )
        .await;
    }
    // The hedge lab's lesson link, in the plain frame.
    h.open_as_reader(
        "/embed.html?widget=hedge-lab&rule=band&cost=50",
        "document.querySelector('.lab-dist tbody td')",
    )
    .await;
    let (_, files, _) = bytes(&h).await;
    assert!(
        !files.contains(&"split_replays.wasm".to_string()),
        "{files:?}"
    );
    // The book trainer presented in class.
    h.open_as_reader(
        "/?widget=book-trainer",
        "document.querySelector('.dbw-book-trainer button')",
    )
    .await;
    h.js("[...document.querySelectorAll('.dbw-book-trainer button')].find(b => b.innerText === 'Customer buys').click()").await;
    h.wait_js(
        "document.querySelector('.dbw-book-trainer').innerText.includes('I_client -1.0')",
        "the presented trainer works",
    )
    .await;
    h.assert_no_console_errors("lesson links on the split build")
        .await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_chunk_that_cannot_load_says_so_in_its_own_box() {
    let site = Site {
        missing: vec!["split_replays.wasm".into()],
        ..Site::root(dist())
    };
    let h = Harness::start_site(1280, 900, site).await;
    h.open_as_reader("/", STARTED).await;
    // The trainer's chunk is there: it works.
    scroll_to(&h, "book-trainer").await;
    // The replay's is not: its box says why, the prose and the trainer stay.
    let replay = slot("replay");
    h.js(&format!(
        "window.scrollTo(0, document.querySelector('{replay}').getBoundingClientRect().top + scrollY - 80);"
    ))
    .await;
    h.wait_js(
        &format!("document.querySelector('{replay} .island.island-failed')"),
        "the replay's box fails visibly",
    )
    .await;
    let status = h.text(&format!("{replay} .island-status")).await;
    assert!(
        status.starts_with("The interactive part of this widget could not start: the code of the Interactive replay (a WebAssembly file) could not be loaded:")
            && status.contains("split_replays.wasm: ")
            && status.contains("HTTP status code is not ok"),
        "{status}"
    );
    let role = h
        .js(&format!(
            "return document.querySelector('{replay} .island-status').getAttribute('role');"
        ))
        .await;
    assert_eq!(role, Value::from("alert"));
    assert!(h.text("#chapter-body").await.contains("R_residual"));
    h.js("[...document.querySelectorAll('.dbw-book-trainer button')].find(b => b.innerText === 'Customer buys').click()").await;
    h.wait_js(
        "document.querySelector('.dbw-book-trainer').innerText.includes('I_client -1.0')",
        "the trainer still works",
    )
    .await;
    h.screenshot("split-chunk-missing", Some(&replay)).await;
    h.close().await;

    // A single widget whose code is missing says so in its frame.
    let site = Site {
        missing: vec!["split_single.wasm".into()],
        ..Site::root(dist())
    };
    let h = Harness::start_site(1280, 900, site).await;
    h.open_as_reader(
        "/embed.html?widget=replay",
        "document.querySelector('.error-box')",
    )
    .await;
    let text = h.text(".error-box").await;
    assert!(
        text.contains("This widget could not start") && text.contains("could not be loaded"),
        "{text}"
    );
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_step_redraws_what_is_seen_and_the_rest_catch_up() {
    let h = Harness::start(1280, 900).await;
    h.open_as_reader("/", STARTED).await;
    // Mount the lanes, then go back up to the replay: the lanes are now two screens away.
    scroll_to(&h, "dealer-book").await;
    scroll_to(&h, "replay").await;
    h.js("document.querySelector('.follow-switch[aria-pressed=true]')?.click();")
        .await;
    h.settle().await;
    // The lanes still show the step that was being read when they were last in view.
    let lanes_before = h.text(".dbw-dealer-book .step-count").await;
    let replay_before = h.text(".dbw-replay .step-count").await;
    println!("lanes at {lanes_before}, replay at {replay_before}");
    h.js(&next(".dbw-replay")).await;
    h.wait_js(
        &format!(
            "document.querySelector('.dbw-replay .step-count').innerText !== {replay_before:?}"
        ),
        "the replay steps",
    )
    .await;
    h.settle().await;
    let replay_now = h.text(".dbw-replay .step-count").await;
    // Off the screen, the lanes did not redraw...
    assert_eq!(h.text(".dbw-dealer-book .step-count").await, lanes_before);
    // ...but the live region spoke the step once, for the page.
    let live = h.text("#chapter-live").await;
    assert!(!live.trim().is_empty(), "the step is announced");
    // In view, they catch up.
    scroll_to(&h, "dealer-book").await;
    h.wait_js(
        &format!(
            "document.querySelector('.dbw-dealer-book .step-count').innerText === {replay_now:?}"
        ),
        "the lanes catch up in view",
    )
    .await;
    h.close().await;
}

//! End-to-end: the chapter deploys anywhere. Its prose is in the HTML (readable with JavaScript
//! off), there is no inline script in `dist/`, every page runs under a strict
//! Content-Security-Policy copied under a sub-path, a failed WebAssembly load leaves the prose and
//! says why in each widget's place, mounting the islands shifts nothing, and a
//! `<dealer-book-widget>` neither restyles its host page nor is restyled by it.

use std::path::{Path, PathBuf};

use dealer_book_e2e::{dist, repo_root, Harness, Site, QUERY, STRICT_CSP};
use serde_json::{json, Value};

/// Widget slots in the chapter.
const SLOTS: &str = "document.querySelectorAll('.widget-slot[data-widget]').length";
/// Every chapter island has mounted its widget.
const ISLANDS_MOUNTED: &str = "document.querySelectorAll('.widget-slot .island .dbw:not(.island-placeholder)').length === document.querySelectorAll('.widget-slot').length && document.querySelector('.heatmap-canvas')";

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dist").flatten() {
        let path = entry.path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

/// Inside a widget's shadow root `rem` is the host page's root size (mdBook's is 10 px), so every
/// length in the stylesheet is written in `var(--u)` (1rem on our pages, 16 px in a widget);
/// only media-query conditions (the viewport's, where rem is always the browser default) use rem.
#[test]
fn the_stylesheet_sizes_in_its_own_unit() {
    let css = std::fs::read_to_string(repo_root().join("style/dealer-book.css")).expect("css");
    let mut offenders = Vec::new();
    for (n, line) in css.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("/*") || t.starts_with("--u:") || t.contains("--u: 1rem") {
            continue;
        }
        // The condition of a media query may use rem; its rules may not.
        let rules = if t.starts_with("@media") {
            line.split_once('{').map_or("", |(_, body)| body)
        } else {
            line
        };
        let bytes = rules.as_bytes();
        for (i, _) in rules.match_indices("rem") {
            let digit_before = i > 0 && (bytes[i - 1].is_ascii_digit() || bytes[i - 1] == b'.');
            let word_after = bytes.get(i + 3).is_some_and(|b| b.is_ascii_alphanumeric());
            if digit_before && !word_after {
                offenders.push(format!("line {}: {}", n + 1, line.trim()));
                break;
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "rem lengths outside media conditions:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn dist_has_no_inline_script_or_style_and_only_relative_urls() {
    let mut pages = Vec::new();
    html_files(&dist(), &mut pages);
    assert!(pages.len() >= 3, "chapter, embed.html, examples: {pages:?}");
    for page in pages {
        let html = std::fs::read_to_string(&page).expect("read page");
        let name = page.display();
        for (i, tag) in html.match_indices("<script").map(|(i, _)| (i, &html[i..])) {
            let open = &tag[..tag.find('>').unwrap_or(tag.len())];
            assert!(
                open.contains("src="),
                "{name}: inline script at byte {i}: {open}"
            );
        }
        assert!(!html.contains("<style"), "{name}: inline <style> element");
        for attr in [
            " style=",
            " onclick=",
            " onload=",
            " onerror=",
            "javascript:",
        ] {
            assert!(!html.contains(attr), "{name}: inline `{attr}`");
        }
        for attr in ["href=\"/", "src=\"/", "href=/", "src=/"] {
            assert!(
                !html.contains(attr),
                "{name}: root-absolute URL `{attr}` breaks under a sub-path"
            );
        }
    }
}

#[test]
fn the_chapter_page_holds_the_whole_chapter_as_html() {
    let html = std::fs::read_to_string(dist().join("index.html")).expect("dist/index.html");
    for needle in [
        "id=\"follow-the-trade\"",
        "<table>",
        "+$225 - $700 - $200 - $1,900 = -$2,575",
        "id=\"claim-C016\"",
        "class=\"toc-h2\"",
        "data-island=\"heatmap\"",
    ] {
        assert!(html.contains(needle), "dist/index.html lacks {needle:?}");
    }
    assert!(!html.contains("{{"), "an unfilled placeholder");
    assert!(!html.contains("DEALER_BOOK_"), "a marker left unreplaced");
    assert_eq!(html.matches("class=\"widget-slot\"").count(), 6);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_chapter_reads_with_javascript_off() {
    let h = Harness::start(1280, 900).await;
    h.cdp(
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": true }),
    )
    .await;
    h.client.goto(&format!("{}/", h.base)).await.expect("open");
    h.cdp(
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": false }),
    )
    .await;
    let text = h.text("#chapter-body").await;
    assert!(text.len() > 12_000, "only {} characters", text.len());
    assert!(text.contains("2 x ($99,500 - $100,450) = -$1,900"));
    assert_eq!(h.js(&format!("return {SLOTS};")).await, 6);
    let summary = h
        .text(".widget-slot[data-widget=replay] .island-summary")
        .await;
    assert!(summary.contains("Steps through"), "{summary}");
    h.screenshot("chapter-no-js", None).await;
    h.close().await;
}

fn subpath_site(csp: &str) -> Site {
    Site {
        mounts: vec![("/book/".into(), dist())],
        csp: Some(csp.into()),
        ..Site::default()
    }
}

/// Opens a page, waits for it, and fails on any CSP violation or unexpected console error.
async fn open_clean(h: &Harness, path: &str, ready: &str, allowed: &[&str]) {
    h.open(path, ready).await;
    h.settle().await;
    let violations = h.csp_violations().await;
    assert!(
        violations.is_empty(),
        "CSP violations on {path}: {violations:?}"
    );
    let errors: Vec<String> = h
        .console_errors()
        .await
        .into_iter()
        .filter(|e| !allowed.iter().any(|a| e.contains(a)))
        .collect();
    assert!(errors.is_empty(), "console errors on {path}: {errors:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_page_runs_under_a_strict_csp_copied_under_a_sub_path() {
    let h = Harness::start_site(1280, 900, subpath_site(STRICT_CSP)).await;
    h.record_csp_violations().await;
    open_clean(&h, "/book/", ISLANDS_MOUNTED, &[]).await;
    // The islands share one cursor: a key in one widget moves every widget. (Following the
    // reading is switched off first: focusing the widget scrolls the page.)
    h.js("document.querySelector('.follow-switch').click();")
        .await;
    h.key(".dbw-maker-inventory", "\u{E014}").await;
    assert!(h
        .text(".dbw-dealer-book .step-count")
        .await
        .starts_with("1 /"));
    open_clean(
        &h,
        "/book/?widget=replay&step=4",
        "document.querySelector('.dbw-replay .quote-facts')",
        &[],
    )
    .await;
    open_clean(
        &h,
        "/book/embed.html?widget=heatmap&step=4",
        "document.querySelector('.dbw-heatmap .heatmap-canvas')",
        &[],
    )
    .await;
    open_clean(
        &h,
        "/book/examples/embed.html",
        "[...document.querySelectorAll('dealer-book-widget')].filter(w => w.shadowRoot && w.shadowRoot.querySelector('.dbw, .error-box')).length >= 7",
        &["broken.json", "pie-chart"],
    )
    .await;
    // The tape studio, opened from a link, under the same policy and sub-path: its own wasm, the
    // browser's DEFLATE, an example fetched as a template, and a share link under the sub-path.
    let encoded = dealer_book::link::encode(dealer_book::CHAPTER_TAPE);
    open_clean(
        &h,
        &format!("/book/studio.html#tape={encoded}"),
        "/5 steps, 10 events/.test(document.querySelector('.studio-check')?.innerText)",
        &[],
    )
    .await;
    h.js("document.querySelector('.studio-bar select').value = 'two-sided'; document.querySelector('.studio-bar select').dispatchEvent(new Event('change')); document.querySelector('.studio-bar .btn').click();").await;
    h.wait_js(
        "/4 steps, 6 events/.test(document.querySelector('.studio-check').innerText)",
        "the example template",
    )
    .await;
    h.js("[...document.querySelectorAll('.studio-outputs .btn')].find(b => /share link/.test(b.textContent)).click();").await;
    h.wait_js(
        "document.querySelector('.studio-field input')",
        "the share link",
    )
    .await;
    let link = h
        .js("return document.querySelector('.studio-field input').value;")
        .await;
    assert!(
        link.as_str()
            .unwrap_or_default()
            .contains("/book/studio.html#tape="),
        "{link}"
    );
    assert!(h.csp_violations().await.is_empty());
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_wasm_leaves_the_prose_and_says_why_in_each_place() {
    let site = Site {
        missing: vec!["dealer-book-app_bg.wasm".into()],
        ..Site::root(dist())
    };
    let h = Harness::start_site(1280, 900, site).await;
    h.open(
        "/",
        "document.querySelectorAll('.island-failed').length === 6",
    )
    .await;
    let status = h
        .text(".widget-slot[data-widget=replay] .island-status")
        .await;
    assert_eq!(
        status,
        "The interactive part of this widget could not start: dealer-book-app_bg.wasm could not be loaded (HTTP 404)."
    );
    assert!(h.text("#chapter-body").await.len() > 12_000, "prose stays");
    h.screenshot("chapter-wasm-404", Some(".widget-slot[data-widget=replay]"))
        .await;
    h.open(
        "/examples/embed.html",
        "document.querySelector('#w-inventory').shadowRoot && document.querySelector('#w-inventory').shadowRoot.querySelector('.error-box')",
    )
    .await;
    let box_text = h.text("#w-other >>> .error-box").await;
    assert!(box_text.contains("HTTP 404"), "{box_text}");
    h.close().await;
    // The studio's own wasm missing: its page says which file and why.
    let site = Site {
        missing: vec!["dealer-book-studio_bg.wasm".into()],
        ..Site::root(dist())
    };
    let h = Harness::start_site(1280, 900, site).await;
    h.open(
        "/studio.html",
        "/could not start/.test(document.querySelector('#app .island-status').innerText)",
    )
    .await;
    assert_eq!(
        h.text("#app .island-status").await,
        "The tape studio could not start: dealer-book-studio_bg.wasm could not be loaded (HTTP 404)."
    );
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_csp_without_wasm_says_so_in_each_place() {
    let csp = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'";
    let h = Harness::start_site(1280, 900, subpath_site(csp)).await;
    h.open(
        "/book/",
        "document.querySelectorAll('.island-failed').length === 6",
    )
    .await;
    let status = h
        .text(".widget-slot[data-widget=heatmap] .island-status")
        .await;
    assert!(
        status.contains("could not start: the WebAssembly could not start")
            && status.contains("Content Security Policy"),
        "{status}"
    );
    h.close().await;
}

/// Heights of the chapter's widget slots.
async fn slot_heights(h: &Harness) -> Vec<f64> {
    let v = h
        .js("return [...document.querySelectorAll('.widget-slot')].map(s => s.getBoundingClientRect().height);")
        .await;
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

/// Mounting an island never makes its slot taller than the static page reserved, so nothing
/// below it moves; the browser's own layout-shift score (CLS) is reported too.
async fn mounting_shifts_nothing(width: u32) {
    let h = Harness::start(width, 900).await;
    h.cdp(
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": true }),
    )
    .await;
    h.client.goto(&format!("{}/", h.base)).await.expect("open");
    let reserved = slot_heights(&h).await;
    h.cdp(
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": false }),
    )
    .await;
    h.open("/?cls", ISLANDS_MOUNTED).await;
    h.settle().await;
    let mounted = slot_heights(&h).await;
    let kinds = h
        .js("return [...document.querySelectorAll('.widget-slot')].map(s => s.dataset.widget);")
        .await;
    for (i, (r, m)) in reserved.iter().zip(&mounted).enumerate() {
        assert!(
            m <= &(r + 1.0),
            "at {width} px the {} slot grows from {r} to {m} px when it mounts",
            kinds[i]
        );
    }
    let cls = h
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; let cls = 0;
             new PerformanceObserver(l => { for (const e of l.getEntries()) if (!e.hadRecentInput) cls += e.value; })
               .observe({ type: 'layout-shift', buffered: true });
             setTimeout(() => done(cls), 50);",
            vec![],
        )
        .await
        .expect("cls");
    println!("width {width}: reserved {reserved:?}, mounted {mounted:?}, CLS {cls}");
    assert!(
        cls.as_f64().unwrap_or(1.0) <= 0.1,
        "CLS {cls} at {width} px"
    );
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn mounting_the_islands_shifts_nothing_wide() {
    mounting_shifts_nothing(1280).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn mounting_the_islands_shifts_nothing_on_a_phone() {
    mounting_shifts_nothing(390).await;
}

fn host_site() -> Site {
    Site {
        mounts: vec![
            ("/host/".into(), repo_root().join("tests/e2e/fixtures")),
            ("/dealer-book/".into(), dist()),
        ],
        csp: Some(STRICT_CSP.into()),
        ..Site::default()
    }
}

const HOST_LOOK: &str = "const b = getComputedStyle(document.body); const a = getComputedStyle(document.getElementById('link'));
    return [b.margin, b.backgroundColor, b.fontFamily, b.fontSize, b.lineHeight, b.color, a.color].join(' | ');";
const WIDGET_READY: &str = "document.getElementById('w').shadowRoot && document.getElementById('w').shadowRoot.querySelector('.quantities')";
/// The widget's size and the computed look of every element inside its shadow root.
const WIDGET_LOOK: &str = "const w = document.getElementById('w'); const r = w.getBoundingClientRect();
    return [r.width + 'x' + r.height].concat([...w.shadowRoot.querySelectorAll('*')].map(e => { const c = getComputedStyle(e);
      return [e.tagName, e.className, c.fontFamily, c.fontSize, c.fontWeight, c.letterSpacing, c.textTransform, c.color, c.backgroundColor,
              c.padding, c.margin, c.borderTopWidth, c.display, c.width, c.height].join(' | '); }));";

#[tokio::test(flavor = "multi_thread")]
async fn a_widget_leaves_the_host_page_alone_and_keeps_its_own_look() {
    let h = Harness::start_site(1280, 1000, host_site()).await;
    h.record_csp_violations().await;
    h.open("/host/host-none.html", "document.body").await;
    let without = h.js(HOST_LOOK).await;
    open_clean(&h, "/host/host-widget.html", WIDGET_READY, &[]).await;
    let with = h.js(HOST_LOOK).await;
    assert_eq!(with, without, "embedding changed the host page");
    assert_eq!(
        without,
        "40px | rgb(253, 246, 227) | Georgia, serif | 18px | normal | rgb(0, 0, 0) | rgb(122, 92, 0)"
    );
    let plain = h.js(WIDGET_LOOK).await;
    h.screenshot("host-widget", Some("#w")).await;
    open_clean(&h, "/host/host-aggressive.html", WIDGET_READY, &[]).await;
    let aggressive = h.js(WIDGET_LOOK).await;
    h.screenshot("host-aggressive", Some("#w")).await;
    let (plain, aggressive) = (plain.as_array().unwrap(), aggressive.as_array().unwrap());
    assert_eq!(plain.len(), aggressive.len());
    for (p, a) in plain.iter().zip(aggressive) {
        assert_eq!(p, a, "the host's global styles reached into the widget");
    }
    // Keyboard and focus still work inside the shadow root.
    h.key("#w >>> .dbw", "\u{E014}").await;
    assert!(h.text("#w >>> .step-count").await.starts_with("4 /"));
    let outline = h
        .js(&format!(
            "{QUERY} return getComputedStyle(dbq('#w >>> .dbw')).outlineStyle;"
        ))
        .await;
    assert_eq!(outline, "solid", "visible focus");
    let violations = h.axe("document").await;
    assert!(
        violations.is_empty(),
        "axe on the host page:\n{}",
        violations.join("\n")
    );
    h.close().await;
}

/// Not a check: measures every island's natural height against its slot's width over a sweep of
/// viewport widths, for the reserved heights in `style/dealer-book.css` (run with `--ignored`).
#[tokio::test(flavor = "multi_thread")]
#[ignore]
async fn measure_reserved_heights() {
    let h = Harness::start(1280, 900).await;
    h.open("/", ISLANDS_MOUNTED).await;
    h.js("const s = document.createElement('style'); s.textContent = '.widget-slot .island { min-height: 0 !important; }'; document.head.appendChild(s);").await;
    let mut rows = Vec::new();
    for width in (340..=1440).step_by(20) {
        h.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
        )
        .await;
        h.settle().await;
        h.settle().await;
        let v = h
            .js("return [...document.querySelectorAll('.widget-slot')].map(s => [s.dataset.widget, s.getBoundingClientRect().width, s.querySelector('.island').getBoundingClientRect().height]);")
            .await;
        rows.push(json!({ "viewport": width, "slots": v }));
    }
    let dir = dealer_book_e2e::repo_root().join("target/screenshots");
    std::fs::create_dir_all(&dir).ok();
    std::fs::write(
        dir.join("slot-heights.json"),
        Value::Array(rows).to_string(),
    )
    .ok();
    h.close().await;
}

//! Page-load measurement harness (figures, not assertions): cold loads served gzipped under
//! three profiles (unthrottled; 150 ms RTT and 1.6 Mbit/s down through the DevTools protocol;
//! the same with the CPU slowed 4×), recording first contentful paint, largest contentful paint,
//! layout shift, the bytes downloaded before the reader scrolls, and the time until the first
//! widget is interactive (its first button exists) for a reader who goes straight to it. Prints
//! the median of each, and with `--peer DIR` the same figures for another static app served at
//! its own root, in the same run, so the two are compared under the same load of the machine.
//!
//! ```sh
//! cargo run -p dealer-book-e2e --bin measure-load -- [--dist DIR] [--runs N] \
//!     [--peer DIR --peer-ready 'CSS selector']
//! ```
//! Issue 19 compared the chapter with Picked Off (github.com/YASHBHOSALE8/picked-off, its `web/`
//! built with `npm install && npx vite build`), whose first control is `#root button`.

use std::path::PathBuf;

use dealer_book_e2e::{dist, Harness, Site};
use serde_json::{json, Value};

/// Records paints, layout shifts and bytes into `window.__perf`; `READY` marks the moment the
/// first interactive control exists, `REACH` is what the reader does once the HTML is parsed.
fn observer(ready: &str, reach: &str) -> String {
    format!(
        "window.__perf = {{ fcp: null, lcp: null, cls: 0, interactive: null }};
new PerformanceObserver(l => {{ for (const e of l.getEntries()) if (e.name === 'first-contentful-paint') window.__perf.fcp = e.startTime; }}).observe({{ type: 'paint', buffered: true }});
new PerformanceObserver(l => {{ for (const e of l.getEntries()) window.__perf.lcp = e.startTime; }}).observe({{ type: 'largest-contentful-paint', buffered: true }});
new PerformanceObserver(l => {{ for (const e of l.getEntries()) if (!e.hadRecentInput) window.__perf.cls += e.value; }}).observe({{ type: 'layout-shift', buffered: true }});
document.addEventListener('DOMContentLoaded', () => {{ {reach} }});
(function poll() {{ if (document.querySelector({ready:?})) window.__perf.interactive = performance.now(); else requestAnimationFrame(poll); }})();"
    )
}

/// Bytes received so far: the document and every resource (transfer sizes).
const BYTES: &str = "const nav = performance.getEntriesByType('navigation')[0]; \
    return nav.transferSize + performance.getEntriesByType('resource').reduce((a, e) => a + e.transferSize, 0);";

#[derive(Clone, Copy)]
enum Profile {
    Unthrottled,
    Throttled,
    ThrottledSlowCpu,
}

impl Profile {
    fn name(self) -> &'static str {
        match self {
            Profile::Unthrottled => "unthrottled",
            Profile::Throttled => "150 ms RTT, 1.6 Mbit/s",
            Profile::ThrottledSlowCpu => "150 ms RTT, 1.6 Mbit/s, CPU 4x slower",
        }
    }
}

struct Target {
    name: String,
    dir: PathBuf,
    /// The first interactive control.
    ready: String,
    /// What the reader does once the HTML is parsed (go to the first widget).
    reach: String,
}

/// One cold load: `reach` false measures paints and bytes before any scrolling, true the time
/// until the first widget is interactive.
async fn one_load(t: &Target, profile: Profile, reach: bool) -> Value {
    let site = Site {
        gzip: true,
        ..Site::root(t.dir.clone())
    };
    let h = Harness::start_site(1280, 900, site).await;
    h.cdp("Network.enable", json!({})).await;
    h.cdp("Network.setCacheDisabled", json!({ "cacheDisabled": true }))
        .await;
    if !matches!(profile, Profile::Unthrottled) {
        h.cdp(
            "Network.emulateNetworkConditions",
            json!({ "offline": false, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8 }),
        )
        .await;
    }
    if matches!(profile, Profile::ThrottledSlowCpu) {
        h.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 4 }))
            .await;
    }
    let script = observer(&t.ready, if reach { &t.reach } else { "" });
    h.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": script }),
    )
    .await;
    let perf = if reach {
        h.open_as_reader("/", "window.__perf && window.__perf.interactive")
            .await;
        if std::env::var_os("DEALER_BOOK_WATERFALL").is_some() {
            print_waterfall(&h, &t.name).await;
        }
        h.js("return window.__perf;").await
    } else {
        h.open_as_reader("/", "document.readyState === 'complete'")
            .await;
        // Let late layout shifts and lazy fetches land before reading.
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        let mut p = h.js("return window.__perf;").await;
        p["bytes"] = h.js(BYTES).await;
        p
    };
    h.close().await;
    perf
}

/// With `DEALER_BOOK_WATERFALL=1`: every file fetched before the first widget was interactive,
/// when its request started and its last byte arrived, and its transfer size (what competes for
/// the link on the way to the first widget).
async fn print_waterfall(h: &Harness, name: &str) {
    let rows = h
        .js("const t = window.__perf.interactive; \
             const nav = performance.getEntriesByType('navigation')[0]; \
             return [[ 'document', 0, nav.responseEnd, nav.transferSize ]].concat( \
               performance.getEntriesByType('resource').filter(e => e.startTime < t) \
               .map(e => [ e.name.split('/').pop(), e.startTime, e.responseEnd, e.transferSize ]));")
        .await;
    let interactive = h.js("return window.__perf.interactive;").await;
    eprintln!(
        "{name}: interactive at {:.0} ms",
        interactive.as_f64().unwrap_or(f64::NAN)
    );
    for row in rows.as_array().into_iter().flatten() {
        eprintln!(
            "  {:>6.0} -> {:>6.0} ms  {:>7} B  {}",
            row[1].as_f64().unwrap_or(f64::NAN),
            row[2].as_f64().unwrap_or(f64::NAN),
            row[3],
            row[0].as_str().unwrap_or("?")
        );
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return f64::NAN;
    }
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

async fn measure(t: &Target, profile: Profile, runs: usize) -> [f64; 5] {
    let mut reader = Vec::new();
    let mut reaching = Vec::new();
    for _ in 0..runs {
        reader.push(one_load(t, profile, false).await);
        reaching.push(one_load(t, profile, true).await);
    }
    let pick =
        |all: &[Value], k: &str| -> Vec<f64> { all.iter().filter_map(|p| p[k].as_f64()).collect() };
    [
        median(pick(&reader, "fcp")),
        median(pick(&reader, "lcp")),
        median(pick(&reader, "cls")),
        median(pick(&reader, "bytes")),
        median(pick(&reaching, "interactive")),
    ]
}

fn usage() -> ! {
    eprintln!("usage: measure-load [--dist DIR] [--runs N] [--peer DIR [--peer-ready SELECTOR]]");
    std::process::exit(2);
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut runs = 5;
    let mut peer: Option<PathBuf> = None;
    let mut peer_ready = "#root button".to_string();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dist" => dir = args.next().map(PathBuf::from),
            "--runs" => {
                runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--peer" => peer = args.next().map(PathBuf::from),
            "--peer-ready" => peer_ready = args.next().unwrap_or_else(|| usage()),
            _ => usage(),
        }
    }
    let mut targets = vec![Target {
        name: "Dealer Book".into(),
        dir: dir.unwrap_or_else(dist),
        ready: ".widget-slot .island button".into(),
        reach: "document.querySelector('.widget-slot')?.scrollIntoView();".into(),
    }];
    if let Some(p) = peer {
        targets.push(Target {
            name: format!("peer ({})", p.display()),
            dir: p,
            ready: peer_ready,
            reach: String::new(),
        });
    }
    println!("cold loads, gzip, 1280x900, medians of {runs}");
    println!("| profile | page | FCP ms | LCP ms | CLS | bytes before scrolling | first widget interactive ms |");
    println!("|---|---|---|---|---|---|---|");
    for profile in [
        Profile::Throttled,
        Profile::ThrottledSlowCpu,
        Profile::Unthrottled,
    ] {
        for t in &targets {
            let [fcp, lcp, cls, bytes, interactive] = measure(t, profile, runs).await;
            println!(
                "| {} | {} | {fcp:.0} | {lcp:.0} | {cls:.3} | {bytes:.0} | {interactive:.0} |",
                profile.name(),
                t.name
            );
        }
    }
}

//! Page-load measurement harness (figures, not assertions): cold loads of the chapter served
//! gzipped, unthrottled and throttled through the DevTools protocol (150 ms RTT, 1.6 Mbit/s
//! down), recording first contentful paint, largest contentful paint, cumulative layout shift
//! and the time until every widget has mounted. Prints the median of each and every run.
//!
//! ```sh
//! cargo run -p dealer-book-e2e --bin measure-load -- [--dist DIR] [--runs N]
//! ```

use std::path::{Path, PathBuf};

use dealer_book_e2e::{dist, Harness, Site};
use serde_json::{json, Value};

/// Records paint entries, layout shifts and the moment all widgets are mounted into `window.__perf`.
const OBSERVER: &str = "window.__perf = { fcp: null, lcp: null, cls: 0, mounted: null };
new PerformanceObserver(l => { for (const e of l.getEntries()) if (e.name === 'first-contentful-paint') window.__perf.fcp = e.startTime; }).observe({ type: 'paint', buffered: true });
new PerformanceObserver(l => { for (const e of l.getEntries()) window.__perf.lcp = e.startTime; }).observe({ type: 'largest-contentful-paint', buffered: true });
new PerformanceObserver(l => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__perf.cls += e.value; }).observe({ type: 'layout-shift', buffered: true });
(function poll() { if (document.querySelectorAll('.dbw:not(.island-placeholder)').length >= 5 && document.querySelector('.heatmap-canvas')) window.__perf.mounted = performance.now(); else requestAnimationFrame(poll); })();";

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

async fn one_load(dir: &Path, throttled: bool) -> Value {
    let site = Site {
        gzip: true,
        ..Site::root(dir.to_path_buf())
    };
    let h = Harness::start_site(1280, 900, site).await;
    h.cdp("Network.enable", json!({})).await;
    h.cdp("Network.setCacheDisabled", json!({ "cacheDisabled": true }))
        .await;
    if throttled {
        h.cdp(
            "Network.emulateNetworkConditions",
            json!({ "offline": false, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8 }),
        )
        .await;
    }
    h.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": OBSERVER }),
    )
    .await;
    h.open("/", "window.__perf && window.__perf.mounted").await;
    // Let late layout shifts land before reading.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let perf = h.js("return window.__perf;").await;
    h.close().await;
    perf
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut runs = 5;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dist" => dir = args.next().map(PathBuf::from),
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(5),
            _ => {
                eprintln!("usage: measure-load [--dist DIR] [--runs N]");
                std::process::exit(2);
            }
        }
    }
    let dir = dir.unwrap_or_else(dist);
    println!("cold loads of {} ({runs} runs each, gzip)", dir.display());
    for throttled in [false, true] {
        let mut all = Vec::new();
        for _ in 0..runs {
            all.push(one_load(&dir, throttled).await);
        }
        let pick = |k: &str| -> Vec<f64> { all.iter().filter_map(|p| p[k].as_f64()).collect() };
        println!(
            "{}: median FCP {:.0} ms, LCP {:.0} ms, all widgets mounted {:.0} ms, CLS {:.3}",
            if throttled {
                "throttled (150 ms RTT, 1.6 Mbit/s)"
            } else {
                "unthrottled"
            },
            median(pick("fcp")),
            median(pick("lcp")),
            median(pick("mounted")),
            median(pick("cls")),
        );
        for p in &all {
            println!("  {p}");
        }
    }
}

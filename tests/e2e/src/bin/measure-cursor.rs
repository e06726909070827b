//! Cursor measurement harness (figures, not assertions), issue 19: the script time of one step
//! of the chapter's shared cursor, and the long tasks while a reader scrolls the whole chapter
//! with "Follow my reading" on and the CPU slowed 4×.
//!
//! ```sh
//! cargo run -p dealer-book-e2e --bin measure-cursor -- [--dist DIR] [--steps N] [--scroll-only]
//! ```
//! A step is "Next" in the replay; its cost is the DevTools `ScriptDuration` that the click and
//! the redraws it causes add up to (two animation frames later). Measured twice: as a reader
//! has it (the widgets near the screen redraw, the others catch up in view) and with every
//! widget reached for (each holds the focus, so each redraws every step, as before issue 19).

use std::path::{Path, PathBuf};

use dealer_book_e2e::{dist, Harness, Site};
use serde_json::{json, Value};

async fn script_seconds(h: &Harness) -> f64 {
    let m = h.cdp("Performance.getMetrics", json!({})).await;
    m["metrics"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["name"] == "ScriptDuration"))
        .and_then(|x| x["value"].as_f64())
        .unwrap_or(f64::NAN)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return f64::NAN;
    }
    v[v.len() / 2]
}

async fn open(dir: &Path, every_widget: bool) -> Harness {
    let site = Site {
        gzip: true,
        ..Site::root(dir.to_path_buf())
    };
    let h = Harness::start_site(1280, 900, site).await;
    let ready = "document.querySelector('.toc details[open]')";
    if every_widget {
        h.open("/", ready).await;
    } else {
        h.open_as_reader("/", ready).await;
    }
    h.js("window.scrollTo(0, document.querySelector('.widget-slot[data-widget=replay]').getBoundingClientRect().top + scrollY - 80);").await;
    h.wait_js(
        "document.querySelector('.dbw-replay .replay-controls .btn-primary') && document.querySelector('.follow-switch')",
        "the replay mounts",
    )
    .await;
    h.js("document.querySelector('.follow-switch[aria-pressed=true]')?.click();")
        .await;
    h.settle().await;
    h.cdp("Performance.enable", json!({})).await;
    h
}

/// Median script milliseconds of one step (Next, then Reset every few steps).
async fn step_cost(dir: &Path, every_widget: bool, steps: usize) -> f64 {
    let h = open(dir, every_widget).await;
    let mut costs = Vec::new();
    for i in 0..steps {
        let button = if i % 5 == 4 { "Reset" } else { "Next" };
        let before = script_seconds(&h).await;
        h.js(&format!("[...document.querySelectorAll('.dbw-replay .replay-controls button')].find(b => b.innerText.includes('{button}')).click();")).await;
        h.settle().await;
        let after = script_seconds(&h).await;
        if button == "Next" {
            costs.push((after - before) * 1000.0);
        }
    }
    h.close().await;
    median(costs)
}

/// Long tasks (count, longest ms) while scrolling top to bottom with following on, CPU 4×.
async fn scroll_long_tasks(dir: &Path) -> Value {
    let site = Site {
        gzip: true,
        ..Site::root(dir.to_path_buf())
    };
    let h = Harness::start_site(1280, 900, site).await;
    h.open_as_reader("/", "document.querySelector('.toc details[open]')")
        .await;
    h.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 4 }))
        .await;
    // Each long task with its start, and the widget slots whose content changed (a mount, a
    // redraw), so that a long task can be put down to the widgets it drew.
    h.js("window.__long = []; window.__slots = [];
          new PerformanceObserver(l => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); }).observe({ type: 'longtask' });
          window.__loaf = [];
          new PerformanceObserver(l => { for (const e of l.getEntries()) { if (e.duration <= 50) continue;
            const end = e.startTime + e.duration;
            const layout = e.styleAndLayoutStart ? end - e.styleAndLayoutStart : 0;
            const render = e.renderStart ? end - e.renderStart : 0;
            const scripts = e.scripts.map(x => `${x.invoker.slice(0, 60)} ${x.duration.toFixed(0)}ms forced ${x.forcedStyleAndLayoutDuration.toFixed(0)}`).join(' | ');
            window.__loaf.push(`at ${e.startTime.toFixed(0)}: ${e.duration.toFixed(0)} ms (render ${render.toFixed(0)}, style+layout ${layout.toFixed(0)}): ${scripts}`); } }).observe({ type: 'long-animation-frame' });
          new MutationObserver(rs => { const t = performance.now(); const seen = new Set();
            for (const r of rs) { const el = r.target.nodeType === 1 ? r.target : r.target.parentElement; const slot = el && el.closest('.widget-slot'); if (slot) seen.add(slot.dataset.widget); }
            for (const w of seen) window.__slots.push([t, w]); }).observe(document.body, { childList: true, subtree: true, attributes: true });").await;
    let profile = std::env::var_os("DEALER_BOOK_PROFILE").is_some();
    if profile {
        h.cdp("Profiler.enable", json!({})).await;
        h.cdp("Profiler.setSamplingInterval", json!({ "interval": 200 }))
            .await;
        h.cdp("Profiler.start", json!({})).await;
    }
    let first = scroll_once(&h).await;
    if std::env::var_os("DEALER_BOOK_FRAMES").is_some() {
        for f in h
            .js("return window.__loaf;")
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            println!("{}", f.as_str().unwrap_or(""));
        }
        println!(
            "long tasks [start, ms]: {}",
            h.js("return window.__long;").await
        );
    }
    if profile {
        print_profile(&h.cdp("Profiler.stop", json!({})).await["profile"]);
    }
    // The second pass: every widget is mounted, so what remains is following the reading (back
    // at the top, Home on the replay puts the cursor at the start again).
    h.js("window.scrollTo(0, 0); window.__long = []; window.__slots = [];")
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    h.js("window.__long = []; window.__slots = [];").await;
    let second = scroll_once(&h).await;
    h.close().await;
    json!({ "first_pass_with_mounts": first, "second_pass_following_only": second })
}

/// Self time by function (DEALER_BOOK_PROFILE=1): the wasm-bindgen glue's `__wbg_*` names tell
/// which browser calls (layout reads, DOM building, canvas text) the time went to.
fn print_profile(p: &Value) {
    let nodes = p["nodes"].as_array().cloned().unwrap_or_default();
    let samples = p["samples"].as_array().cloned().unwrap_or_default();
    let deltas = p["timeDeltas"].as_array().cloned().unwrap_or_default();
    let mut name_of = std::collections::HashMap::new();
    for n in &nodes {
        let f = &n["callFrame"];
        let name = format!(
            "{} {}",
            f["functionName"].as_str().unwrap_or(""),
            f["url"]
                .as_str()
                .unwrap_or("")
                .rsplit('/')
                .next()
                .unwrap_or("")
        );
        name_of.insert(n["id"].as_i64().unwrap_or(0), name);
    }
    let mut by = std::collections::HashMap::<String, f64>::new();
    for (s, d) in samples
        .iter()
        .zip(deltas.iter().skip(1).chain(std::iter::once(&json!(0))))
    {
        let name = name_of
            .get(&s.as_i64().unwrap_or(0))
            .cloned()
            .unwrap_or_default();
        *by.entry(name).or_default() += d.as_f64().unwrap_or(0.0) / 1000.0;
    }
    let mut v: Vec<_> = by.into_iter().collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (name, ms) in v.iter().take(40) {
        println!("{ms:8.1} ms  {name}");
    }
}

async fn scroll_once(h: &Harness) -> Value {
    let done = h
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const end = document.documentElement.scrollHeight - innerHeight;
             let moves = 0; const live = document.querySelector('#chapter-live');
             const counter = new MutationObserver(() => moves++);
             if (live) counter.observe(live, { childList: true, subtree: true, characterData: true });
             (function step() { window.scrollBy(0, 120); if (scrollY >= end - 1) setTimeout(() => { counter.disconnect(); done([window.__long, moves, window.__slots]); }, 1500); else requestAnimationFrame(step); })();",
            vec![],
        )
        .await
        .unwrap_or(Value::Null);
    let moves = done[1].as_u64().unwrap_or(0);
    let pair = |v: &Value| (v[0].as_f64().unwrap_or(0.0), v[1].clone());
    let tasks: Vec<(f64, Value)> = done[0]
        .as_array()
        .map(|a| a.iter().map(pair).collect())
        .unwrap_or_default();
    let slots: Vec<(f64, Value)> = done[2]
        .as_array()
        .map(|a| a.iter().map(pair).collect())
        .unwrap_or_default();
    let all: Vec<f64> = tasks.iter().filter_map(|(_, d)| d.as_f64()).collect();
    // "155 ms: replay, maker_inventory": the slots that changed while the task ran.
    let detail: Vec<String> = tasks
        .iter()
        .map(|(start, d)| {
            let d = d.as_f64().unwrap_or(0.0);
            let mut drew: Vec<&str> = slots
                .iter()
                .filter(|(t, _)| *t >= *start && *t <= start + d + 1.0)
                .filter_map(|(_, w)| w.as_str())
                .collect();
            drew.sort_unstable();
            drew.dedup();
            format!(
                "{d:.0} ms: {}",
                if drew.is_empty() {
                    "no slot changed".to_string()
                } else {
                    drew.join(", ")
                }
            )
        })
        .collect();
    json!({
        "cursor_moves_announced": moves,
        "long_tasks": all.len(),
        "over_50ms": all.iter().filter(|d| **d > 50.0).count(),
        "longest_ms": all.iter().cloned().fold(0.0, f64::max),
        // Total blocking time: what the long tasks held the page beyond 50 ms each.
        "blocking_ms": all.iter().map(|d| (d - 50.0).max(0.0)).sum::<f64>().round(),
        "tasks": detail,
    })
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut steps = 20;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dist" => dir = args.next().map(PathBuf::from),
            "--steps" => steps = args.next().and_then(|n| n.parse().ok()).unwrap_or(20),
            "--scroll-only" => steps = 0,
            _ => {
                eprintln!("usage: measure-cursor [--dist DIR] [--steps N] [--scroll-only]");
                std::process::exit(2);
            }
        }
    }
    let dir = dir.unwrap_or_else(dist);
    if steps > 0 {
        let reader = step_cost(&dir, false, steps).await;
        let every = step_cost(&dir, true, steps).await;
        println!("one step, median script time: {reader:.1} ms as a reader has it (widgets in view redraw), {every:.1} ms with every widget redrawing");
    }
    println!(
        "scrolling the whole chapter, following on, CPU 4x: {}",
        scroll_long_tasks(&dir).await
    );
}

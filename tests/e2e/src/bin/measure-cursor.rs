//! Cursor measurement harness (figures, not assertions), issue 19: the script time of one step
//! of the chapter's shared cursor, and the long tasks while a reader scrolls the whole chapter
//! with "Follow my reading" on and the CPU slowed 4×.
//!
//! ```sh
//! cargo run -p dealer-book-e2e --bin measure-cursor -- [--dist DIR] [--steps N]
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
    h.js("window.__long = []; new PerformanceObserver(l => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' });").await;
    let first = scroll_once(&h).await;
    // The second pass: every widget is mounted, so what remains is following the reading (back
    // at the top, Home on the replay puts the cursor at the start again).
    h.js("window.scrollTo(0, 0); window.__long = [];").await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    h.js("window.__long = [];").await;
    let second = scroll_once(&h).await;
    h.close().await;
    json!({ "first_pass_with_mounts": first, "second_pass_following_only": second })
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
             (function step() { window.scrollBy(0, 120); if (scrollY >= end - 1) setTimeout(() => { counter.disconnect(); done([window.__long, moves]); }, 1500); else requestAnimationFrame(step); })();",
            vec![],
        )
        .await
        .unwrap_or(Value::Null);
    let moves = done[1].as_u64().unwrap_or(0);
    let all: Vec<f64> = done[0]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    json!({
        "cursor_moves_announced": moves,
        "long_tasks": all.len(),
        "over_50ms": all.iter().filter(|d| **d > 50.0).count(),
        "longest_ms": all.iter().cloned().fold(0.0, f64::max),
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
            _ => {
                eprintln!("usage: measure-cursor [--dist DIR] [--steps N]");
                std::process::exit(2);
            }
        }
    }
    let dir = dir.unwrap_or_else(dist);
    let reader = step_cost(&dir, false, steps).await;
    let every = step_cost(&dir, true, steps).await;
    println!("one step, median script time: {reader:.1} ms as a reader has it (widgets in view redraw), {every:.1} ms with every widget redrawing");
    println!(
        "scrolling the whole chapter, following on, CPU 4x: {}",
        scroll_long_tasks(&dir).await
    );
}

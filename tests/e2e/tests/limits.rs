//! End-to-end: limits and resilience. Large tapes in the lanes, the step picker and the hedge lab
//! keep the page working (the figures are printed and written to
//! `target/screenshots/limits.json`, never asserted as times); an over-limit tape, a foreign or
//! `data:` address, byte-order marks and non-UTF-8 bytes, repeated attribute changes and garbled
//! addresses each get a true answer.

use dealer_book::tape::synthetic;
use dealer_book_e2e::{inside, repo_root, Harness, Scratch, QUERY};
use serde_json::{json, Value};

/// Records long tasks (over 50 ms) from the first script on, in `window.__longTasks`.
const LONG_TASKS: &str = "window.__longTasks = []; try { new PerformanceObserver(l => { for (const e of l.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true }); } catch (e) {}";

/// Clicks a widget's Next button (inside a shadow root with `A >>> B`) and returns the
/// milliseconds of script and layout it cost, measured in the page (the click, the reactive
/// redraw it schedules, and a forced layout).
async fn timed_next(h: &Harness, widget: &str) -> f64 {
    let controls = if widget.starts_with('#') {
        format!("{widget} >>> .replay-controls")
    } else {
        format!("{widget} .replay-controls")
    };
    h.js(&format!(
        "{QUERY} const b = [...dbq({controls:?}).querySelectorAll('button')].find(b => b.textContent.includes('Next'));
         const t = performance.now(); b.click();
         // The widgets redraw in microtasks after the click; a message posted now arrives after them.
         return new Promise(done => {{ const c = new MessageChannel(); c.port1.onmessage = () => {{ document.body.offsetHeight; done(performance.now() - t); }}; c.port2.postMessage(0); }});"
    ))
    .await
    .as_f64()
    .unwrap_or(f64::NAN)
}

/// The shared WebAssembly memory, in MB (the glue returns the running instance's exports).
async fn wasm_mb(h: &Harness) -> f64 {
    h.js("return import('/dealer-book-app.js').then(m => m.default()).then(w => w.memory.buffer.byteLength);")
        .await
        .as_f64()
        .unwrap_or(0.0)
        / 1e6
}

fn heap_mb(v: &Value) -> f64 {
    v.as_f64().unwrap_or(0.0) / 1e6
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_tape_keeps_every_widget_on_the_page_working() {
    let s = Scratch::new("limits-lanes");
    let steps = 100_000;
    let big = s.write("big.json", synthetic::tape(steps, 1).to_json());
    let page = s.host_page(
        "page.html",
        "",
        "<dealer-book-widget id=\"inv\" kind=\"maker-inventory\"></dealer-book-widget>\
         <dealer-book-widget id=\"heat\" kind=\"heatmap\"></dealer-book-widget>\
         <dealer-book-widget id=\"lanes\" kind=\"dealer-book\" tape=\"big.json\"></dealer-book-widget>",
    );
    let h = Harness::start(1280, 900).await;
    h.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": LONG_TASKS }),
    )
    .await;
    let t0 = std::time::Instant::now();
    h.open(
        &format!("/{page}"),
        &inside("dbq('#lanes >>> table.lanes') && dbq('#inv >>> .step-count')"),
    )
    .await;
    let mount_s = t0.elapsed().as_secs_f64();
    let _ = big;
    // A window of columns, not one per step.
    let columns = h
        .js(&format!(
            "{QUERY} return dbq('#lanes >>> table.lanes thead tr').children.length;"
        ))
        .await;
    assert_eq!(columns, json!(16), "the lane label and 15 step columns");
    assert!(h
        .text("#lanes >>> .lanes-window")
        .await
        .contains("of 100,000"));
    let mut next_ms = Vec::new();
    for _ in 0..5 {
        next_ms.push(timed_next(&h, "#lanes").await);
    }
    assert!(h.text("#lanes >>> .step-count").await.starts_with("5 /"));
    let nodes = h
        .js(&format!(
            "{QUERY} return dbq('#lanes').shadowRoot.querySelectorAll('*').length;"
        ))
        .await;
    let heap = h
        .js("return performance.memory ? performance.memory.usedJSHeapSize : 0;")
        .await;
    let wasm = wasm_mb(&h).await;
    // The other widgets still answer, and a widget added now starts.
    timed_next(&h, "#inv").await;
    assert!(h.text("#inv >>> .step-count").await.starts_with("1 /"));
    h.js("const w = document.createElement('dealer-book-widget'); w.id = 'late'; w.setAttribute('kind', 'replay'); document.body.append(w);").await;
    h.wait_js(
        &inside("dbq('#late >>> .step-count')"),
        "a widget added after the big tape",
    )
    .await;
    let long_tasks = h.js("return window.__longTasks;").await;
    h.screenshot("limits-lanes", None).await;
    h.assert_no_console_errors("long tape page").await;
    h.close().await;
    let report = json!({
        "steps": steps, "mount_s": mount_s, "next_ms": next_ms, "shadow_nodes": nodes,
        "js_heap_mb": heap_mb(&heap), "wasm_mb": wasm, "long_tasks_ms": long_tasks,
    });
    println!("lanes on {steps} one-event steps: {report}");
    write_figure("lanes", report);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_replay_picker_and_the_hedge_lab_stay_bounded() {
    let s = Scratch::new("limits-replay");
    let steps = s.write("steps.json", synthetic::tape(100_000, 1).to_json());
    let events = s.write("events.json", synthetic::tape(100_000, 1_000).to_json());
    let h = Harness::start(1280, 900).await;
    h.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": LONG_TASKS }),
    )
    .await;
    let t0 = std::time::Instant::now();
    h.open(
        &format!("/embed.html?widget=replay&tape={steps}"),
        "document.querySelector('.dbw-replay .step-count')",
    )
    .await;
    let replay_mount_s = t0.elapsed().as_secs_f64();
    let options = h
        .js("return document.querySelector('.dbw-replay .replay-controls select').options.length;")
        .await;
    assert!(options.as_u64().is_some_and(|n| n <= 103), "{options}");
    let mut next_ms = Vec::new();
    for _ in 0..5 {
        next_ms.push(timed_next(&h, ".dbw-replay").await);
    }
    assert!(h.text(".dbw-replay .step-count").await.starts_with("5 /"));
    let replay_nodes = h.js("return document.querySelectorAll('*').length;").await;

    // The hedge lab: the budget says how many paths fit; the run is sliced and shows progress.
    let t0 = std::time::Instant::now();
    h.open(
        &format!("/embed.html?widget=hedge-lab&tape={events}"),
        "document.querySelector('.lab-budget') && document.querySelector('.lab-dist tbody td')",
    )
    .await;
    let lab_s = t0.elapsed().as_secs_f64();
    let budget = h.text(".lab-budget").await;
    assert!(budget.contains("100,000 events"), "{budget}");
    assert!(budget.contains("200 paths per rule"), "{budget}");
    let load_tasks = h.js("return window.__longTasks.splice(0);").await;
    // A control change starts a new run; the page keeps answering while it runs.
    h.js("document.querySelector('.dbw-hedge-lab .regime input[value=stressed]').click();")
        .await;
    h.wait_js(
        "document.querySelector('.lab-heading') && [...document.querySelectorAll('.lab-heading')].some(e => e.textContent.includes('stressed'))",
        "the regime changed",
    )
    .await;
    h.wait_js(
        "!document.querySelector('.lab-progress') && !document.querySelector('.lab-panel-dist[aria-busy=true]')",
        "the stressed run finishes",
    )
    .await;
    let change_tasks = h.js("return window.__longTasks.splice(0);").await;
    h.screenshot("limits-hedge-lab", None).await;
    h.assert_no_console_errors("long tapes in the replay and the lab")
        .await;
    h.close().await;
    let report = json!({
        "replay": { "steps": 100_000, "mount_s": replay_mount_s, "picker_options": options, "next_ms": next_ms, "nodes": replay_nodes },
        "hedge_lab": { "events": 100_000, "open_s": lab_s, "budget": budget, "long_tasks_on_load_ms": load_tasks, "long_tasks_on_change_ms": change_tasks },
    });
    println!("replay and hedge lab on long tapes: {report}");
    write_figure("replay-lab", report);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_million_events_stay_within_budget() {
    let s = Scratch::new("limits-million");
    let million = s.write("million.json", synthetic::tape(1_000_000, 1_000).to_json());
    let over = s.write("over.json", synthetic::tape(100_001, 1).to_json());
    let h = Harness::start(1280, 900).await;
    let t0 = std::time::Instant::now();
    h.open(
        &format!("/embed.html?widget=dealer-book&tape={million}"),
        "document.querySelector('.dbw-dealer-book table.lanes')",
    )
    .await;
    let lanes_mount_s = t0.elapsed().as_secs_f64();
    let mut lanes_next_ms = Vec::new();
    for _ in 0..3 {
        lanes_next_ms.push(timed_next(&h, ".dbw-dealer-book").await);
    }
    let lanes_nodes = h.js("return document.querySelectorAll('*').length;").await;
    let lanes_wasm_mb = wasm_mb(&h).await;
    assert!(
        h.text(".dbw-dealer-book .lane-client")
            .await
            .contains("more customer trades"),
        "a long step lists some trades and counts the rest"
    );
    let t0 = std::time::Instant::now();
    h.open(
        &format!("/embed.html?widget=replay&tape={million}"),
        "document.querySelector('.dbw-replay .step-count')",
    )
    .await;
    let replay_mount_s = t0.elapsed().as_secs_f64();
    let mut replay_next_ms = Vec::new();
    for _ in 0..3 {
        replay_next_ms.push(timed_next(&h, ".dbw-replay").await);
    }
    assert!(h
        .text(".dbw-replay .replay-step")
        .await
        .contains("more events in this step"));
    let replay_nodes = h.js("return document.querySelectorAll('*').length;").await;
    let t0 = std::time::Instant::now();
    h.open(
        &format!("/embed.html?widget=hedge-lab&tape={million}"),
        "document.querySelector('.lab-budget') && document.querySelector('.lab-exact tbody td')",
    )
    .await;
    let lab_s = t0.elapsed().as_secs_f64();
    assert!(h.text(".lab-budget").await.contains("not drawn"));
    h.open(
        &format!("/embed.html?widget=replay&tape={over}"),
        "document.querySelector('.error-box')",
    )
    .await;
    let msg = h.text(".error-box").await;
    assert!(
        msg.contains("step 100001: the tape has more than 100,000 steps"),
        "{msg}"
    );
    h.assert_no_console_errors("a million events").await;
    h.close().await;
    let report = json!({
        "events": 1_000_000, "steps": 1_000,
        "tape_mb": std::fs::metadata(s.dir.join("million.json")).map(|m| m.len() as f64 / 1e6).unwrap_or(0.0),
        "lanes": { "mount_s": lanes_mount_s, "next_ms": lanes_next_ms, "nodes": lanes_nodes, "wasm_mb": lanes_wasm_mb },
        "replay": { "mount_s": replay_mount_s, "next_ms": replay_next_ms, "nodes": replay_nodes },
        "hedge_lab_open_s": lab_s,
    });
    println!("a million events: {report}");
    write_figure("million", report);
}

#[tokio::test(flavor = "multi_thread")]
async fn tapes_get_true_verdicts_on_size_origin_and_bytes() {
    let s = Scratch::new("limits-verdicts");
    let small = synthetic::tape(3, 1).to_json();
    // Over the size limit: valid JSON padded with spaces past 64 MiB.
    let mut huge = small.clone().into_bytes();
    huge.pop();
    huge.extend(std::iter::repeat_n(b' ', 64 * 1024 * 1024));
    huge.push(b'}');
    let huge = s.write("huge.json", huge);
    let bom = s.write(
        "bom.json",
        [b"\xEF\xBB\xBF".as_slice(), small.as_bytes()].concat(),
    );
    let mut bad = small.clone().into_bytes();
    let at = small.find("\"title\":\"").expect("a title") + "\"title\":\"".len();
    bad.insert(at, 0xFF);
    let bad = s.write("bad.json", bad);
    let ok = s.write("ok.json", &small);
    let h = Harness::start(1280, 900).await;
    let error = "document.querySelector('.error-box')";
    h.open(&format!("/embed.html?widget=replay&tape={huge}"), error)
        .await;
    let msg = h.text(".error-box").await;
    assert!(
        msg.contains("larger than the limit of 67,108,864 bytes"),
        "{msg}"
    );
    assert!(!msg.contains("invalid JSON"), "{msg}");

    h.open(
        &format!("/embed.html?widget=replay&tape={bom}"),
        "document.querySelector('.dbw-replay .step-count')",
    )
    .await;
    h.open(&format!("/embed.html?widget=replay&tape={bad}"), error)
        .await;
    let msg = h.text(".error-box").await;
    assert!(
        msg.contains("line 1, column") && msg.contains("not UTF-8 text (byte 0xFF)"),
        "{msg}"
    );

    // Provenance: a tape from a link names itself and where it came from.
    h.open(
        &format!("/?widget=replay&tape={ok}"),
        "document.querySelector('.dbw-replay .step-count')",
    )
    .await;
    let provenance = h.text(".provenance").await;
    assert!(
        provenance.contains("Tape: ") && provenance.contains(&format!("this site, {ok}")),
        "{provenance}"
    );
    // Another site, or a data: address, is refused before any request.
    h.open("/?widget=replay&tape=http://127.0.0.2:9/t.json", error)
        .await;
    let msg = h.text(".error-box").await;
    assert!(msg.contains("only loads tapes from its own site"), "{msg}");
    h.open("/?widget=replay&tape=data:application/json,%7B%7D", error)
        .await;
    let msg = h.text(".error-box").await;
    assert!(msg.contains("over http or https"), "{msg}");
    let csp = h
        .js("return document.querySelector('meta[http-equiv=Content-Security-Policy]').content;")
        .await;
    assert!(
        csp.as_str()
            .is_some_and(|c| c.contains("connect-src 'self'")),
        "{csp}"
    );
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn attribute_changes_update_in_place_and_fetch_the_tape_once() {
    let s = Scratch::new("limits-attrs");
    s.write("t.json", synthetic::tape(20, 1).to_json());
    let page = s.host_page(
        "page.html",
        "",
        "<dealer-book-widget id=\"r\" kind=\"replay\" tape=\"t.json\" step=\"1\"></dealer-book-widget>\
         <dealer-book-widget id=\"lab\" kind=\"hedge-lab\" tape=\"t.json\" step=\"1\" paths=\"200\"></dealer-book-widget>",
    );
    let h = Harness::start(1280, 900).await;
    h.open(
        &format!("/{page}"),
        &inside("dbq('#r >>> .step-count') && dbq('#lab >>> .lab-dist tbody td')"),
    )
    .await;
    let count = "const n = (id) => document.getElementById(id).shadowRoot.querySelectorAll('*').length; return [n('r'), n('lab')];";
    let before = h.js(count).await;
    // Mark the mounted widgets: an update in place keeps these very nodes.
    h.js("for (const id of ['r', 'lab']) document.getElementById(id).shadowRoot.querySelector('.dbw').dataset.mark = 'kept';").await;
    for round in 0..300 {
        let step = 2 + round % 10;
        h.js(&format!(
            "document.getElementById('r').setAttribute('step', '{step}'); document.getElementById('lab').setAttribute('step', '{step}');"
        ))
        .await;
    }
    h.js("document.getElementById('r').setAttribute('step', '7'); document.getElementById('lab').setAttribute('step', '7');").await;
    h.wait_js(
        &inside("dbq('#r >>> .step-count').textContent.startsWith('7 /') && dbq('#lab >>> .step-count').textContent.startsWith('7 /')"),
        "both widgets at step 7",
    )
    .await;
    let after = h.js(count).await;
    let fetches = h
        .js("return performance.getEntriesByType('resource').filter(e => e.name.endsWith('/t.json')).length;")
        .await;
    assert_eq!(
        fetches,
        json!(1),
        "one fetch for two widgets and 600 changes"
    );
    for i in 0..2 {
        let (b, a) = (
            before[i].as_i64().unwrap_or(0),
            after[i].as_i64().unwrap_or(0),
        );
        assert!(
            (a - b).abs() < 50,
            "widget {i}: {b} nodes before, {a} after"
        );
    }
    // A step past the end gives a notice; a step back inside removes it (no stale notice).
    h.js("document.getElementById('r').setAttribute('step', '99');")
        .await;
    h.wait_js(
        &inside("(dbq('#r >>> .notice') || {}).textContent?.includes('past the last step')"),
        "the past-the-end notice",
    )
    .await;
    h.js("document.getElementById('r').setAttribute('step', '5');")
        .await;
    h.wait_js(
        &inside(
            "dbq('#r >>> .step-count').textContent.startsWith('5 /') && !dbq('#r >>> .notice')",
        ),
        "the notice gone at step 5",
    )
    .await;
    // A change a widget cannot take in place (another kind) still mounts it afresh.
    h.js("document.getElementById('r').setAttribute('kind', 'maker-inventory');")
        .await;
    h.wait_js(
        &inside("dbq('#r >>> .dbw-maker-inventory')"),
        "kind change remounts",
    )
    .await;
    h.assert_no_console_errors("attribute changes").await;
    h.close().await;
    println!("attribute changes: nodes before {before}, after 600 changes {after}, tape fetches {fetches}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stopped_webassembly_says_so_in_every_widget() {
    let s = Scratch::new("limits-stopped");
    let page = s.host_page(
        "page.html",
        "",
        "<dealer-book-widget id=\"a\" kind=\"replay\"></dealer-book-widget>\
         <dealer-book-widget id=\"b\" kind=\"heatmap\"></dealer-book-widget>",
    );
    let h = Harness::start(1280, 900).await;
    h.open(
        &format!("/{page}"),
        &inside("dbq('#a >>> .step-count') && dbq('#b >>> .heatmap-canvas')"),
    )
    .await;
    // What the browser reports when the shared instance traps (as when it runs out of memory).
    h.js("window.dispatchEvent(new ErrorEvent('error', { error: new WebAssembly.RuntimeError('unreachable'), message: 'unreachable' }));").await;
    for id in ["a", "b"] {
        let text = h.text(&format!("#{id} >>> .error-box")).await;
        assert!(
            text.contains("stopped") && text.contains("reload the page"),
            "{id}: {text}"
        );
    }
    h.js("const w = document.createElement('dealer-book-widget'); w.id = 'c'; w.setAttribute('kind', 'replay'); document.body.append(w);").await;
    h.wait_js(
        &inside("dbq('#c >>> .error-box')"),
        "a late widget says why it cannot start",
    )
    .await;
    assert!(h
        .text("#c >>> .error-box")
        .await
        .contains("WebAssembly stopped"));
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn garbled_addresses_get_true_condensed_notices() {
    let h = Harness::start(1024, 768).await;
    h.open(
        "/?from=2&to=4",
        "document.querySelector('#chapter-notices .notice')",
    )
    .await;
    let text = h.text("#chapter-notices").await;
    assert!(
        text.contains("lesson settings apply to one widget"),
        "{text}"
    );
    h.open(
        "/?widget=replay&step=1&step=2&step=abc",
        "document.querySelector('.dbw-replay .step-count')",
    )
    .await;
    assert!(h.text(".dbw-replay .step-count").await.starts_with("1 /"));
    let text = h.text(".notice").await;
    assert!(text.contains("given more than once"), "{text}");
    h.open(
        "/?widget=replay&step=4294967296",
        "document.querySelector('.dbw-replay .step-count')",
    )
    .await;
    assert!(h.text(".dbw-replay .step-count").await.starts_with("5 /"));
    assert!(h.text(".notice").await.contains("past the last step"));
    // 9,000 unknown locks: a 53 KB address, under the 64 KB that HTTP servers (hyper's `http`
    // types among them) accept in a request line and far past the eight notices a page lists.
    let locks: Vec<String> = (0..9_000).map(|i| format!("x{i}")).collect();
    h.open(
        &format!("/?widget=replay&lock={}", locks.join(",")),
        "document.querySelector('.dbw-replay .step-count')",
    )
    .await;
    let items = h
        .js("return document.querySelectorAll('.notice li').length;")
        .await;
    assert_eq!(items, json!(9), "8 notices and a count of the rest");
    let geometry = h
        .js("const n = document.querySelector('.notice').getBoundingClientRect(); const b = document.querySelector('.back-link').getBoundingClientRect();
             return { height: n.height, overlap: !(b.bottom <= n.top || n.bottom <= b.top || b.right <= n.left || n.right <= b.left) };")
        .await;
    h.screenshot("limits-notices", None).await;
    assert!(
        geometry["height"].as_f64().is_some_and(|v| v < 500.0),
        "{geometry}"
    );
    assert_eq!(geometry["overlap"], json!(false), "{geometry}");
    h.close().await;
}

fn write_figure(name: &str, report: Value) {
    let out = repo_root().join("target/screenshots");
    std::fs::create_dir_all(&out).ok();
    let path = out.join("limits.json");
    let mut all: Value = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_else(|| json!({}));
    all[name] = report;
    std::fs::write(path, all.to_string()).ok();
}

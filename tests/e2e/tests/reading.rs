//! End-to-end: the reading layout. On a wide screen the replay's widgets sit beside the steps in
//! sticky rails and follow the step being read; the reader's own choice sticks until they read
//! another step; the contents stay in view with the current section marked; on a phone-sized
//! viewport (DevTools device-metrics emulation: headless windows are at least 500 px wide)
//! nothing scrolls sideways. Also reports the cost of scroll handling (long tasks and the
//! longest frame while scrolling the whole chapter).

use dealer_book_e2e::Harness;
use serde_json::{json, Value};

/// Every chapter island has mounted its widget, and the follow bars are up.
const READY: &str = "document.querySelectorAll('.widget-slot .island .dbw:not(.island-placeholder)').length === document.querySelectorAll('.widget-slot').length && document.querySelectorAll('.follow-bar .follow-status').length === 3";

/// The step headings' ids, in order.
const STEPS: [&str; 5] = [
    "step-1-a-customer-buys-1-btc",
    "step-2-more-one-sided-flow",
    "step-3-flow-flips",
    "step-4-a-toxic-stale-quote-event",
    "step-5-the-book-recovers",
];

/// For each rail in the viewport: its widget, its follow status, the step the widget itself
/// shows, whether it is fully in view and whether it sits right of the text column.
const RAILS_IN_VIEW: &str = r#"
  const text = document.querySelector('.follow-text').getBoundingClientRect();
  return [...document.querySelectorAll('.follow-rail')].filter(r => {
      const b = r.getBoundingClientRect(); return b.bottom > 0 && b.top < innerHeight;
    }).map(r => {
      const b = r.getBoundingClientRect(); const slot = r.querySelector('.widget-slot');
      const kind = slot.dataset.widget; let shows = null;
      if (kind === 'replay') shows = parseInt(slot.querySelector('.step-count').textContent);
      if (kind === 'maker-inventory') shows = parseInt(slot.querySelector('caption').textContent.match(/step (\d+)/)[1]);
      if (kind === 'dealer-book') {
        // The cursor's column counts only if it is scrolled into the table's view.
        const c = slot.querySelector('.lanes td.current'); const sc = slot.querySelector('.lanes-scroll').getBoundingClientRect();
        const cr = c ? c.getBoundingClientRect() : null;
        shows = !c ? 0 : (cr.left >= sc.left - 1 && cr.right <= sc.right + 1) ? c.cellIndex : -c.cellIndex;
      }
      const bar = r.querySelector('.follow-bar').getBoundingClientRect();
      return { kind, status: r.querySelector('.follow-status').textContent, shows,
               barInView: bar.top >= 0 && bar.bottom <= innerHeight,
               beside: b.left >= text.right - 1 };
    });"#;

async fn scroll_heading_to_top(h: &Harness, id: &str) {
    h.js(&format!(
        "document.getElementById({id:?}).scrollIntoView({{block: 'start'}});"
    ))
    .await;
    // The observer reports on its next frame; the widgets redraw in the microtasks after it.
    h.settle().await;
    h.settle().await;
}

/// Waits (up to 15 s) until the shared cursor is at `n`.
async fn wait_cursor(h: &Harness, n: impl std::fmt::Display, what: &str) {
    h.wait_js(
        &format!("parseInt(document.querySelector('.dbw-replay .step-count').textContent) === {n}"),
        what,
    )
    .await;
}

async fn cursor(h: &Harness) -> u64 {
    h.js("return parseInt(document.querySelector('.dbw-replay .step-count').textContent);")
        .await
        .as_u64()
        .unwrap_or(u64::MAX)
}

async fn status(h: &Harness, kind: &str) -> String {
    h.text(&format!("#beside-{kind} .follow-status")).await
}

async fn no_sideways_scroll(h: &Harness, when: &str) {
    let w = h
        .js("return [document.documentElement.scrollWidth, innerWidth, [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 0.5 && getComputedStyle(e).position !== 'fixed').slice(0, 5).map(e => e.tagName + '.' + e.className).join(', ')];")
        .await;
    assert!(
        w[0].as_f64() <= w[1].as_f64(),
        "{when}: the page is {} px wide in a {} px viewport ({})",
        w[0],
        w[1],
        w[2]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn wide_the_widget_beside_each_step_follows_the_reading() {
    let h = wide().await;
    h.open("/", READY).await;
    assert_eq!(
        h.js("return [innerWidth, innerHeight];").await,
        json!([1280, 900])
    );
    for (i, id) in STEPS.iter().enumerate() {
        let n = i as u64 + 1;
        scroll_heading_to_top(&h, id).await;
        wait_cursor(&h, n, &format!("the cursor to follow step {n}")).await;
        let rails = h.js(RAILS_IN_VIEW).await;
        let rails = rails.as_array().cloned().unwrap_or_default();
        let showing: Vec<&Value> = rails
            .iter()
            .filter(|r| {
                r["shows"] == json!(n)
                    && r["beside"] == json!(true)
                    && r["barInView"] == json!(true)
            })
            .collect();
        assert!(
            !showing.is_empty(),
            "with step {n}'s heading at the top, no widget beside the text shows step {n}: {rails:?}"
        );
        assert_eq!(
            showing[0]["status"],
            json!(format!("Following your reading: step {n}")),
            "{rails:?}"
        );
        if n == 1 || n == 3 || n == 5 {
            h.screenshot(&format!("reading-1280-step{n}"), None).await;
        }
    }
    // The contents are in view while reading step 4, with step 4 marked.
    scroll_heading_to_top(&h, STEPS[3]).await;
    let toc = h
        .js(
            "const t = document.querySelector('.toc').getBoundingClientRect(); const a = document.querySelector('.toc a[aria-current]');
             return [t.top >= 0 && t.top < innerHeight && t.width > 100, a ? a.getAttribute('href') : null, getComputedStyle(document.querySelector('.toc details ol')).display];",
        )
        .await;
    assert_eq!(
        toc,
        json!([true, format!("#{}", STEPS[3]), "block"]),
        "contents while reading step 4"
    );
    h.screenshot("reading-1280-step4", None).await;
    // Below the replay's steps the cursor stays where the reading left it.
    h.js("document.getElementById('pnl-decomposition').scrollIntoView({block: 'start'});")
        .await;
    h.settle().await;
    h.settle().await;
    assert_eq!(cursor(&h).await, 4);
    no_sideways_scroll(&h, "1280 px").await;
    h.assert_no_console_errors("the reading layout").await;
    let violations = h.axe("document").await;
    assert!(violations.is_empty(), "axe:\n{}", violations.join("\n"));
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn next_while_staying_put_sticks_until_another_step_is_read() {
    let h = wide().await;
    h.open("/", READY).await;
    scroll_heading_to_top(&h, STEPS[1]).await;
    wait_cursor(&h, 2, "following step 2").await;
    // Next, in the replay beside step 2.
    h.js("[...document.querySelectorAll('#beside-replay .replay-controls button')].find(b => b.textContent.includes('Next')).click();")
        .await;
    h.settle().await;
    assert_eq!(cursor(&h).await, 3);
    assert_eq!(
        status(&h, "replay").await,
        "You chose step 3. Following resumes when you scroll to another step."
    );
    // The widget offers the text of the chosen step.
    let link = h
        .js("const a = document.querySelector('#beside-replay .follow-read'); return a ? [a.textContent, a.getAttribute('href')] : null;")
        .await;
    assert_eq!(
        link,
        json!(["Read step 3 in the text", format!("#{}", STEPS[2])])
    );
    // Scrolling a little, still inside step 2's text, keeps the reader's choice.
    for _ in 0..3 {
        h.js("window.scrollBy(0, 60);").await;
        h.settle().await;
        h.settle().await;
    }
    assert_eq!(cursor(&h).await, 3, "the reader's choice was overridden");
    // Reading step 4 resumes following.
    scroll_heading_to_top(&h, STEPS[3]).await;
    wait_cursor(&h, 4, "following again at step 4").await;
    assert_eq!(
        status(&h, "maker-inventory").await,
        "Following your reading: step 4"
    );
    // The switch turns following off (by keyboard), and on again.
    h.key("#beside-maker-inventory .follow-switch", "\u{E007}")
        .await;
    assert_eq!(
        h.js("return document.querySelector('#beside-maker-inventory .follow-switch').getAttribute('aria-pressed');")
            .await,
        json!("false")
    );
    scroll_heading_to_top(&h, STEPS[4]).await;
    assert_eq!(cursor(&h).await, 4, "following is off");
    h.key("#beside-dealer-book .follow-switch", "\u{E007}")
        .await;
    wait_cursor(&h, 5, "following on again").await;
    // Keyboard: from a step's text to the widget beside it.
    h.key(
        &format!("[data-toc=\"{}\"] .to-widget a", STEPS[2]),
        "\u{E007}",
    )
    .await;
    assert_eq!(
        h.js("return document.activeElement.id;").await,
        json!("beside-maker-inventory")
    );
    h.assert_no_console_errors("taking control").await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_url_step_opens_there_and_follow_waits_for_the_reader() {
    let h = wide().await;
    h.open("/?step=4", READY).await;
    h.settle().await;
    assert_eq!(cursor(&h).await, 4);
    assert_eq!(
        status(&h, "replay").await,
        "You chose step 4. Following resumes when you scroll to another step."
    );
    scroll_heading_to_top(&h, STEPS[0]).await;
    wait_cursor(&h, 1, "following once the reader scrolls").await;
    h.close().await;
}

/// A browser whose viewport is exactly 1280×900 (a window of that size has less: its frame).
async fn wide() -> Harness {
    let h = Harness::start(1280, 1000).await;
    h.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
    )
    .await;
    h
}

async fn phone(h: &Harness) {
    h.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true }),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn phone_widgets_stay_inline_follow_and_nothing_scrolls_sideways() {
    let h = Harness::start(800, 900).await;
    phone(&h).await;
    h.open("/", READY).await;
    assert_eq!(h.js("return innerWidth;").await, json!(390));
    no_sideways_scroll(&h, "390 px, mounted").await;
    for (i, id) in STEPS.iter().enumerate() {
        scroll_heading_to_top(&h, id).await;
        wait_cursor(&h, i + 1, "following on a phone").await;
        no_sideways_scroll(&h, &format!("390 px, step {}", i + 1)).await;
    }
    // Inline: the rail is in the text's column, above the steps it shows.
    let inline = h
        .js("const r = document.getElementById('beside-maker-inventory').getBoundingClientRect(); const s = document.querySelector('[data-step=\"3\"]').getBoundingClientRect(); return r.bottom <= s.top && Math.abs(r.left - s.left) < 2;")
        .await;
    assert_eq!(inline, json!(true));
    // Next sticks here too.
    scroll_heading_to_top(&h, STEPS[1]).await;
    h.js("document.getElementById('beside-replay').scrollIntoView({block: 'start'}); window.scrollBy(0, 0);")
        .await;
    h.settle().await;
    h.settle().await;
    let before = cursor(&h).await;
    h.js("[...document.querySelectorAll('#beside-replay .replay-controls button')].find(b => b.textContent.includes('Next')).click();")
        .await;
    h.settle().await;
    h.js("window.scrollBy(0, 20);").await;
    h.settle().await;
    h.settle().await;
    assert_eq!(cursor(&h).await, before + 1);
    // The contents are a bar stuck to the top that names the section being read.
    scroll_heading_to_top(&h, STEPS[3]).await;
    let bar = h
        .js("const t = document.querySelector('.toc').getBoundingClientRect(); return [Math.round(t.top), t.height < 60, document.querySelector('.toc-current').textContent];")
        .await;
    assert_eq!(bar, json!([0, true, "Step 4: A toxic stale-quote event"]));
    // The step's heading is not hidden under it.
    let gap = h
        .js(&format!("return document.getElementById({:?}).getBoundingClientRect().top - document.querySelector('.toc').getBoundingClientRect().bottom;", STEPS[3]))
        .await;
    assert!(
        gap.as_f64().unwrap_or(-1.0) >= 0.0,
        "heading under the bar: {gap}"
    );
    h.screenshot("reading-390-contents-bar", None).await;
    // Choosing a section from the opened bar folds it again.
    h.js("document.querySelector('.toc summary').click();")
        .await;
    h.settle().await;
    no_sideways_scroll(&h, "390 px, contents open").await;
    h.js(&format!(
        "document.querySelector('.toc a[href=\"#{}\"]').click();",
        STEPS[1]
    ))
    .await;
    h.settle().await;
    assert_eq!(
        h.js("return document.querySelector('.toc details').open;")
            .await,
        json!(false)
    );
    h.js("document.querySelector('.toc details').open = true; window.scrollTo(0, 0);")
        .await;
    h.settle().await;
    no_sideways_scroll(&h, "390 px, contents open").await;
    h.screenshot("reading-390-top", None).await;
    scroll_heading_to_top(&h, STEPS[2]).await;
    h.js("window.scrollBy(0, -400);").await;
    h.settle().await;
    h.screenshot("reading-390-step3", None).await;
    h.assert_no_console_errors("the phone layout").await;
    h.close().await;
}

/// Scrolls from the top to the bottom 120 px a frame; reports frames, cursor moves, the longest
/// frame and the long tasks that started meanwhile.
const SCROLL_THE_CHAPTER: &str = "const done = arguments[arguments.length - 1];
     const start = performance.now(); let last = start, worst = 0, frames = 0, moves = 0;
     const replay = document.querySelector('.dbw-replay .step-count');
     let seen = replay.textContent;
     function frame(t) {
       worst = Math.max(worst, t - last); last = t; frames++;
       if (replay.textContent !== seen) { seen = replay.textContent; moves++; }
       if (scrollY + innerHeight >= document.documentElement.scrollHeight - 1) {
         const long = window.__long.filter(e => e[0] >= start).map(e => e[1]);
         done({ frames, moves, longestFrameMs: worst, longTasks: long, height: document.documentElement.scrollHeight });
         return;
       }
       window.scrollBy(0, 120); requestAnimationFrame(frame);
     }
     window.scrollTo(0, 0); requestAnimationFrame(t => { last = t; requestAnimationFrame(frame); });";

/// Not a test of speed (no timing is asserted): scrolls the whole chapter a frame at a time and
/// prints the long tasks (over 50 ms, PerformanceObserver `longtask`) and the longest frame.
#[tokio::test(flavor = "multi_thread")]
async fn scroll_handling_cost_is_reported() {
    let h = wide().await;
    h.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": "window.__long = []; new PerformanceObserver(l => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });" }),
    )
    .await;
    // Each CPU speed twice: following, and with following switched off (the same scroll
    // without cursor moves), so the cost of following shows as the difference.
    for throttle in [1, 4] {
        h.cdp(
            "Emulation.setCPUThrottlingRate",
            json!({ "rate": throttle }),
        )
        .await;
        for follow in [true, false] {
            h.open("/", READY).await;
            // Let the page go idle after mounting (the hedge lab draws its paths in slices).
            h.client
                .execute_async(
                    "const done = arguments[arguments.length - 1]; setTimeout(() => requestIdleCallback(() => done(true), { timeout: 5000 }), 1000);",
                    vec![],
                )
                .await
                .expect("idle");
            if !follow {
                h.js("document.querySelector('.follow-switch').click();")
                    .await;
            }
            let report = h
                .client
                .execute_async(SCROLL_THE_CHAPTER, vec![])
                .await
                .expect("scroll run");
            println!(
                "scrolling the chapter at 120 px a frame, CPU slowed {throttle}x, following {}: {report}",
                if follow { "on" } else { "off" }
            );
            if !follow {
                // What one cursor move costs (every widget redraws): script time from Next's
                // click until the updates' microtasks are done, for each of the five steps.
                let per_move = h
                    .client
                    .execute_async(
                        "const done = arguments[arguments.length - 1];
                         const next = [...document.querySelectorAll('.dbw-replay .replay-controls button')].find(b => b.textContent.includes('Next'));
                         const reset = document.querySelector('.dbw-replay .replay-controls button');
                         reset.click(); const times = [];
                         (function one() {
                           if (times.length === 5) { done(times); return; }
                           const t0 = performance.now(); next.click();
                           setTimeout(() => { times.push(Math.round(performance.now() - t0)); requestAnimationFrame(() => setTimeout(one, 50)); }, 0);
                         })();",
                        vec![],
                    )
                    .await
                    .expect("cursor moves");
                println!("  one cursor move (all widgets redraw), CPU slowed {throttle}x, ms per step 1..5: {per_move}");
            }
            let moves = report["moves"].as_u64().unwrap_or(0);
            if follow {
                assert!(
                    moves >= 5,
                    "the cursor followed the reading through the steps: {report}"
                );
            } else {
                assert_eq!(moves, 0, "following off moved the cursor: {report}");
            }
        }
    }
    h.close().await;
}

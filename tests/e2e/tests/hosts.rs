//! End-to-end: widgets in pages that are not ours. Drawings keep legible labels on a 360 px
//! phone; a page that paints no background is judged by its text; a page whose navigation swaps
//! `<body>` is still followed; a widget has block spacing and the host's font family.

use dealer_book_e2e::{inside, scheme, Harness, Scratch, QUERY};
use serde_json::{json, Value};

/// Every SVG text in `root` (a selector; `A >>> B` reaches into a shadow root): its rendered
/// size in CSS pixels (font size times the drawing's scale) and whether it lies inside its
/// drawing.
const LABELS: &str = "const root = dbq(arguments[0]); return [...root.querySelectorAll('svg text')].map(t => {
    const svg = t.ownerSVGElement; const box = svg.getBoundingClientRect(); const r = t.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    return { text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale,
             inside: r.left >= box.left - 1 && r.right <= box.right + 1 }; });";

async fn labels(h: &Harness, root: &str) -> Vec<Value> {
    let v = h
        .client
        .execute(&format!("{QUERY} {LABELS}"), vec![json!(root)])
        .await
        .expect("labels");
    v.as_array().cloned().unwrap_or_default()
}

fn check_labels(labels: &[Value], at: &str) {
    assert!(labels.len() >= 4, "{at}: {labels:?}");
    for l in labels {
        let px = l["px"].as_f64().unwrap_or(0.0);
        assert!(px >= 11.0, "{at}: label {} at {px:.1} px", l["text"]);
        assert_eq!(
            l["inside"],
            json!(true),
            "{at}: label {} is cut off",
            l["text"]
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn chart_labels_stay_legible_at_360_px() {
    let s = Scratch::new("hosts-labels");
    let page = s.host_page(
        "page.html",
        "",
        "<dealer-book-widget id=\"r\" kind=\"replay\" step=\"4\"></dealer-book-widget>",
    );
    let h = Harness::start(360, 740).await;
    h.open(
        "/embed.html?widget=replay&step=4",
        "document.querySelector('.dbw-replay .ladder')",
    )
    .await;
    h.js("document.querySelector('.dbw-replay .eq-toggle').click();")
        .await;
    h.wait_js(
        "document.querySelector('.dbw-replay .spread-bar')",
        "equation open",
    )
    .await;
    h.js("document.querySelector('.dbw-replay .as-toggle input').click();")
        .await;
    h.wait_js(
        "document.querySelector('.dbw-replay .ladder .as')",
        "A–S overlay",
    )
    .await;
    h.settle().await;
    let l = labels(&h, ".dbw-replay").await;
    h.screenshot("hosts-labels-360", Some(".dbw-replay .quote-panel"))
        .await;
    check_labels(&l, "embed.html at 360 px");
    // The same inside an author's page (a shadow root).
    h.open(&format!("/{page}"), &inside("dbq('#r >>> .ladder')"))
        .await;
    h.settle().await;
    let l = labels(&h, "#r >>> .dbw").await;
    check_labels(&l, "custom element at 360 px");
    h.close().await;
}

const DARK_PANEL: &str = "rgb(31, 33, 37)";
const LIGHT_PANEL: &str = "rgb(243, 241, 236)";

#[tokio::test(flavor = "multi_thread")]
async fn transparent_pages_and_swapped_bodies_are_followed() {
    let s = Scratch::new("hosts-theme");
    s.write(
        "host.css",
        "body { font: 16px/1.5 'DejaVu Sans', sans-serif; } .after { margin: 0; }\
         html[data-theme=dark] { color-scheme: dark; } html[data-theme=dark] body { color: #e3e3e3; }\
         body.night { background: #101010; color: #eee; }",
    );
    // A bare page (no background anywhere), as Docusaurus's light theme is.
    let bare = s.host_page(
        "bare.html",
        "<link rel=\"stylesheet\" href=\"host.css\">",
        "<p>Before.</p><dealer-book-widget id=\"w\" kind=\"replay\"></dealer-book-widget><p class=\"after\">After.</p>",
    );
    let h = Harness::start(1024, 800).await;
    // The reader's system is dark; the page itself is white: the widget is light.
    h.cdp(
        "Emulation.setEmulatedMedia",
        json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] }),
    )
    .await;
    h.open(&format!("/{bare}"), &inside("dbq('#w >>> .dbw')"))
        .await;
    assert_eq!(scheme(&h, "w").await, format!("light | {LIGHT_PANEL}"));
    // The page's own dark theme (color-scheme dark, light text, still no background painted).
    h.js("document.documentElement.dataset.theme = 'dark';")
        .await;
    h.wait_js(
        &inside(&format!(
            "getComputedStyle(dbq('#w >>> .dbw')).backgroundColor === '{DARK_PANEL}'"
        )),
        "the widget follows the page's dark theme",
    )
    .await;
    h.js("delete document.documentElement.dataset.theme;").await;
    h.wait_js(
        &inside(&format!(
            "getComputedStyle(dbq('#w >>> .dbw')).backgroundColor === '{LIGHT_PANEL}'"
        )),
        "and back",
    )
    .await;
    // Manners: block spacing before the next paragraph, the host's font family, own unit.
    let manners = h
        .js(&format!(
            "{QUERY} const w = document.getElementById('w'); const a = document.querySelector('.after');
             return {{ gap: a.getBoundingClientRect().top - w.getBoundingClientRect().bottom,
                       font: getComputedStyle(dbq('#w >>> .dbw')).fontFamily,
                       size: getComputedStyle(dbq('#w >>> .dbw')).fontSize }};"
        ))
        .await;
    assert!(
        manners["gap"].as_f64().is_some_and(|g| g >= 16.0),
        "{manners}"
    );
    assert!(
        manners["font"]
            .as_str()
            .is_some_and(|f| f.contains("DejaVu Sans")),
        "{manners}"
    );
    assert_eq!(manners["size"], json!("15.2px"), "{manners}");
    // font="own" keeps the widget's stacks.
    h.js("document.getElementById('w').setAttribute('font', 'own');")
        .await;
    let own = h
        .js(&format!(
            "{QUERY} return getComputedStyle(dbq('#w >>> .dbw')).fontFamily;"
        ))
        .await;
    assert!(
        own.as_str().is_some_and(|f| f.contains("system-ui")),
        "{own}"
    );
    h.screenshot("hosts-bare-page", None).await;

    // Navigation that swaps <body> (as Turbo-style sites do): the new body is watched.
    h.js("const b = document.createElement('body'); b.innerHTML = '<p>New page.</p><dealer-book-widget id=\"v\" kind=\"heatmap\"></dealer-book-widget>'; document.documentElement.replaceChild(b, document.body);").await;
    h.wait_js(&inside("dbq('#v >>> .dbw')"), "the new body's widget")
        .await;
    assert!(scheme(&h, "v").await.starts_with("light"));
    h.js("document.body.classList.add('night');").await;
    h.wait_js(
        &inside(&format!(
            "getComputedStyle(dbq('#v >>> .dbw')).backgroundColor === '{DARK_PANEL}'"
        )),
        "a theme class on the new body is followed",
    )
    .await;
    h.assert_no_console_errors("host pages").await;
    h.close().await;
}

//! End-to-end on a real docs site: `tests/e2e/mdbook` built with the `mdbook` tool (installed,
//! pinned, by `scripts/setup.sh`), with `dist/` copied beside its pages as `dealer-book/`. One page
//! embeds two widgets through the loader; both mount, the console stays clean, and mdBook's own
//! styles and theme switcher keep working.

use std::process::Command;

use dealer_book_e2e::{dist, repo_root, scheme, Harness, Site, QUERY};

const BOTH_MOUNTED: &str = "['w-inventory', 'w-replay'].every(id => { const w = document.getElementById(id); return w && w.shadowRoot && w.shadowRoot.querySelector('.dbw .step-count'); })";

/// Builds `tests/e2e/mdbook` into a fresh folder (named for the test) and serves it with `dist/`
/// beside its pages as `dealer-book/`.
fn book(name: &str) -> (std::path::PathBuf, Site) {
    let out =
        std::env::temp_dir().join(format!("dealer-book-mdbook-{name}-{}", std::process::id()));
    let mdbook = std::env::var("MDBOOK").unwrap_or_else(|_| "mdbook".into());
    let status = Command::new(&mdbook)
        .arg("build")
        .arg(repo_root().join("tests/e2e/mdbook"))
        .arg("-d")
        .arg(&out)
        .status()
        .unwrap_or_else(|e| panic!("`{mdbook}` did not run ({e}); scripts/setup.sh installs it"));
    assert!(status.success(), "mdbook build failed");
    let site = Site {
        mounts: vec![("/".into(), out.clone()), ("/dealer-book/".into(), dist())],
        ..Site::default()
    };
    (out, site)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_mdbook_page_embeds_two_widgets() {
    let (out, site) = book("two");
    let h = Harness::start_site(1280, 1000, site).await;
    h.open("/intro.html", "document.querySelector('#theme-toggle')")
        .await;
    let look = "const b = getComputedStyle(document.body); const m = getComputedStyle(document.querySelector('.content main'));
        return [b.fontFamily, b.backgroundColor, b.color, m.maxWidth, getComputedStyle(document.querySelector('.sidebar')).width].join(' | ');";
    let plain_page = h.js(look).await;
    h.open("/widgets.html", BOTH_MOUNTED).await;
    assert_eq!(
        h.js(look).await,
        plain_page,
        "mdBook's styles changed on the widget page"
    );
    assert!(
        plain_page
            .as_str()
            .unwrap_or_default()
            .contains("Open Sans"),
        "{plain_page}"
    );
    assert!(h
        .text("#w-inventory >>> .step-count")
        .await
        .starts_with("3 /"));
    assert!(h.text("#w-replay >>> .step-count").await.starts_with("2 /"));
    h.assert_no_console_errors("the mdBook page").await;
    assert_eq!(scheme(&h, "w-replay").await, "light | rgb(243, 241, 236)");
    // mdBook's 10 px root font does not shrink the widget: its own unit is 16 px.
    assert_eq!(
        h.js(&format!(
            "{QUERY} return [getComputedStyle(dbq('#w-replay >>> .dbw')).fontSize, getComputedStyle(dbq('#w-replay >>> .downloads')).fontSize];"
        ))
        .await,
        serde_json::json!(["15.2px", "12.8px"])
    );
    h.screenshot("mdbook-light", None).await;
    // The theme switcher still works, and the widgets stay as they were.
    h.js(
        "document.getElementById('theme-toggle').click(); document.getElementById('coal').click();",
    )
    .await;
    h.wait_js(
        "document.documentElement.classList.contains('coal')",
        "coal theme",
    )
    .await;
    let dark = h
        .js("return getComputedStyle(document.body).backgroundColor")
        .await;
    assert_ne!(
        dark,
        h.js("return 'rgb(255, 255, 255)'").await,
        "coal background"
    );
    assert!(h.text("#w-replay >>> .step-count").await.starts_with("2 /"));
    // The widgets follow mdBook's theme: dark panels on coal, unless an author fixes the theme.
    h.wait_js(
        &format!("(() => {{ {QUERY} return getComputedStyle(dbq('#w-replay >>> .dbw')).backgroundColor === 'rgb(31, 33, 37)'; }})()"),
        "the widget to follow the coal theme",
    )
    .await;
    assert_eq!(scheme(&h, "w-replay").await, "dark | rgb(31, 33, 37)");
    h.js("document.getElementById('w-inventory').setAttribute('theme', 'light');")
        .await;
    assert_eq!(
        scheme(&h, "w-inventory").await,
        "light | rgb(243, 241, 236)"
    );
    h.js("document.getElementById('w-inventory').removeAttribute('theme');")
        .await;
    assert_eq!(scheme(&h, "w-inventory").await, "dark | rgb(31, 33, 37)");
    // Escape closes mdBook's theme menu (which takes focus back to its button when it closes).
    h.key("#coal", "\u{E00C}").await;
    h.key("#w-replay >>> .dbw", "\u{E014}").await;
    assert!(h.text("#w-replay >>> .step-count").await.starts_with("3 /"));
    // A key the widget uses is not also mdBook's "previous chapter" shortcut.
    h.key("#w-replay >>> .dbw", "\u{E012}").await;
    assert!(h.text("#w-replay >>> .step-count").await.starts_with("2 /"));
    assert!(
        h.js("return location.pathname").await == "/widgets.html",
        "stayed on the page"
    );
    assert!(
        h.text("#w-inventory >>> .step-count")
            .await
            .starts_with("3 /"),
        "independent"
    );
    h.screenshot("mdbook-coal", None).await;
    h.assert_no_console_errors("the mdBook page after switching theme")
        .await;
    h.close().await;
    let _ = std::fs::remove_dir_all(out);
}

/// A tape written inside the element, on an mdBook page: the widget replays it (its own title,
/// no tape file), and a mistake in a block is shown in that widget's box at its line and column
/// within the block, while the other widget and the page carry on.
#[tokio::test(flavor = "multi_thread")]
async fn an_mdbook_page_with_inline_tapes() {
    let (out, site) = book("inline");
    let h = Harness::start_site(1280, 1000, site).await;
    h.open(
        "/inline.html",
        &format!("(() => {{ {QUERY} return dbq('#w-inline >>> .step-count') && dbq('#w-broken >>> .error-box'); }})()"),
    )
    .await;
    let inventory = h.text("#w-inline >>> .dbw").await;
    assert!(inventory.contains("2 / 2"), "{inventory}");
    // After a 0.75 BTC customer buy and a 0.5 BTC hedge buy: I_client -0.75, H_external +0.5.
    assert!(inventory.contains("-0.75"), "{inventory}");
    assert!(inventory.contains("+0.5"), "{inventory}");
    let error = h.text("#w-broken >>> .error-box").await;
    assert!(
        error.contains("the tape inside this element (<script type=\"application/json\">), line 5, column 72, step 1, event 1: qty must be positive"),
        "{error}"
    );
    assert!(h.text("main").await.contains("Text after the widgets."));
    h.screenshot("mdbook-inline", None).await;
    h.close().await;
    let _ = std::fs::remove_dir_all(out);
}

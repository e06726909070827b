//! End-to-end: the README's recipes for Astro Starlight and Docusaurus, run as an author would.
//! Each tiny site (`tests/e2e/starlight`, `tests/e2e/docusaurus`: versions pinned by their
//! lockfiles, installed by `scripts/setup.sh`) is built under the base path `/docs/`, the four
//! files of `scripts/embed-kit.sh` are served at `/docs/dealer-book/`, and the widgets are
//! checked for: arrival by the site's own navigation (client-side in Docusaurus), mounting,
//! the host's computed styles (unchanged against the same page without the widgets), theme
//! following (the site's switcher both ways, the system setting both ways), a phone-width
//! column, the element's fallback when the files are missing, and the dev server.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dealer_book_e2e::{free_port, repo_root, Harness, Site, QUERY};
use serde_json::{json, Value};

/// One docs framework's recipe.
struct Framework {
    name: &'static str,
    /// The site's folder under `tests/e2e`.
    dir: &'static str,
    /// The production build (run with `npx` in the site's folder) and where it writes.
    build: &'static [&'static str],
    out: &'static str,
    /// The dev server (`npx`, with `--port P` appended).
    dev: &'static [&'static str],
    /// Where the dev server serves static files from (the kit is linked in there).
    public: &'static str,
    /// JavaScript that moves the site's own theme switcher to `arguments[0]` (`light`/`dark`).
    switch: &'static str,
    /// True when in-site links are followed without a page load.
    client_side: bool,
}

const STARLIGHT: Framework = Framework {
    name: "starlight",
    dir: "starlight",
    build: &["astro", "build"],
    out: "dist",
    dev: &["astro", "dev", "--host", "127.0.0.1"],
    public: "public",
    switch: "const s = document.querySelector('starlight-theme-select select'); s.value = arguments[0]; s.dispatchEvent(new Event('change', { bubbles: true }));",
    client_side: false,
};

const DOCUSAURUS: Framework = Framework {
    name: "docusaurus",
    dir: "docusaurus",
    build: &["docusaurus", "build"],
    out: "build",
    dev: &["docusaurus", "start", "--host", "127.0.0.1", "--no-open"],
    public: "static",
    // The toggle cycles light, dark, system: one click per call (React renders in between);
    // `switch` repeats it until the page shows the wanted theme.
    switch: "if (document.documentElement.dataset.theme !== arguments[0]) document.querySelector('button[class*=toggleButton]').click();",
    client_side: true,
};

const BOTH_MOUNTED: &str = "(() => { return ['w-inventory', 'w-replay'].every(id => { const w = document.getElementById(id); return w && w.shadowRoot && w.shadowRoot.querySelector('.dbw .step-count'); }); })()";
const DARK_PANEL: &str = "rgb(31, 33, 37)";
const LIGHT_PANEL: &str = "rgb(243, 241, 236)";

/// Computed styles of the host page's own elements (everything outside the widgets).
const HOST_STYLES: &str = "const props = ['font-family', 'font-size', 'line-height', 'color', 'background-color', 'letter-spacing', 'text-transform', 'margin-top', 'margin-bottom', 'padding-left', 'display', 'width'];
    const els = [...document.querySelectorAll('html, body, header, nav, main, h1, h2, p, a, li')].filter(e => !e.closest('dealer-book-widget'));
    return els.slice(0, 60).map(e => e.tagName + ':' + props.map(p => getComputedStyle(e).getPropertyValue(p)).join('|'));";

fn site_dir(fw: &Framework) -> PathBuf {
    repo_root().join("tests/e2e").join(fw.dir)
}

fn npx(fw: &Framework, args: &[&str]) -> Command {
    let dir = site_dir(fw);
    assert!(
        dir.join("node_modules").is_dir(),
        "{}: node_modules missing; scripts/setup.sh installs it (npm ci)",
        fw.name
    );
    let mut c = Command::new("npx");
    c.args(args)
        .current_dir(dir)
        .env("ASTRO_TELEMETRY_DISABLED", "1")
        .env("NO_UPDATE_NOTIFIER", "1")
        .env("BROWSER", "none");
    c
}

/// The four files authors copy (`scripts/embed-kit.sh`), in a fresh folder.
fn kit(tag: &str) -> PathBuf {
    let dest = std::env::temp_dir().join(format!("dealer-book-kit-{tag}-{}", std::process::id()));
    let status = Command::new("bash")
        .arg(repo_root().join("scripts/embed-kit.sh"))
        .arg(&dest)
        .status()
        .expect("embed-kit runs");
    assert!(status.success(), "embed-kit failed");
    dest
}

async fn panel_colour(h: &Harness, id: &str) -> String {
    h.js(&format!(
        "{QUERY} return getComputedStyle(dbq('#{id} >>> .dbw')).backgroundColor;"
    ))
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

async fn wait_panel(h: &Harness, colour: &str, what: &str) {
    h.wait_js(
        &format!("(() => {{ {QUERY} return ['w-inventory', 'w-replay'].every(id => getComputedStyle(dbq('#' + id + ' >>> .dbw')).backgroundColor === '{colour}'); }})()"),
        what,
    )
    .await;
}

async fn system(h: &Harness, dark: bool) {
    h.cdp(
        "Emulation.setEmulatedMedia",
        json!({ "features": [{ "name": "prefers-color-scheme", "value": if dark { "dark" } else { "light" } }] }),
    )
    .await;
}

async fn switch(h: &Harness, fw: &Framework, theme: &str) {
    for _ in 0..3 {
        h.client
            .execute(fw.switch, vec![json!(theme)])
            .await
            .expect("theme switcher");
        tokio::time::sleep(Duration::from_millis(300)).await;
        if h.js("return document.documentElement.dataset.theme;").await == json!(theme) {
            return;
        }
    }
    panic!("{}: the theme switcher did not reach {theme}", fw.name);
}

async fn phone(h: &Harness, on: bool) {
    if on {
        h.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true }),
        )
        .await;
    } else {
        h.cdp("Emulation.clearDeviceMetricsOverride", json!({}))
            .await;
    }
}

fn build(fw: &Framework) -> f64 {
    // A dev run's link to the kit must not be copied into the build.
    let _ = std::fs::remove_file(site_dir(fw).join(fw.public).join("dealer-book"));
    let t = Instant::now();
    let out = npx(fw, fw.build)
        .stdout(Stdio::null())
        .output()
        .expect("build runs");
    assert!(
        out.status.success(),
        "{} build failed:\n{}",
        fw.name,
        String::from_utf8_lossy(&out.stderr)
    );
    t.elapsed().as_secs_f64()
}

/// The built site, the widgets arriving by the site's own link, host styles, themes, a phone.
async fn built_site(fw: &Framework) -> Value {
    let build_s = build(fw);
    let out = site_dir(fw).join(fw.out);
    let kit = kit(fw.name);
    let site = |missing: Vec<String>| Site {
        mounts: vec![
            ("/docs/".into(), out.clone()),
            ("/docs/dealer-book/".into(), kit.clone()),
        ],
        missing,
        ..Site::default()
    };

    // Without the files (a wrong path, a copy forgotten): the element's own fallback says so.
    let h = Harness::start_site(1280, 900, site(vec!["dealer-book.js".into()])).await;
    system(&h, false).await;
    h.open("/docs/widgets/", "document.getElementById('w-replay')")
        .await;
    h.settle().await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let fallback = h.text("#w-replay").await;
    assert!(
        fallback.contains("needs JavaScript and the Dealer Book files in /docs/dealer-book/"),
        "{}: {fallback}",
        fw.name
    );
    let plain = h.js(HOST_STYLES).await;
    h.close().await;

    let h = Harness::start_site(1280, 900, site(Vec::new())).await;
    system(&h, false).await;
    h.open(
        "/docs/",
        "document.querySelector('a[href=\"/docs/widgets/\"]')",
    )
    .await;
    h.js("window.__arrived = 'by link';").await;
    let t = Instant::now();
    h.js("[...document.querySelectorAll('a[href=\"/docs/widgets/\"]')].pop().click();")
        .await;
    h.wait_js(BOTH_MOUNTED, "both widgets mount after the site's link")
        .await;
    let mount_s = t.elapsed().as_secs_f64();
    let same_document = h.js("return window.__arrived === 'by link';").await;
    if fw.client_side {
        assert_eq!(
            same_document,
            json!(true),
            "{}: arrived client-side",
            fw.name
        );
    }
    assert!(h
        .text("#w-inventory >>> .step-count")
        .await
        .starts_with("3 /"));
    assert!(h.text("#w-replay >>> .step-count").await.starts_with("4 /"));
    // The host's styles, on the page opened the same way as without the files.
    h.open("/docs/widgets/", BOTH_MOUNTED).await;
    h.settle().await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let with_widgets = h.js(HOST_STYLES).await;
    let changed: Vec<String> = plain
        .as_array()
        .into_iter()
        .flatten()
        .zip(with_widgets.as_array().into_iter().flatten())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("{a} -> {b}"))
        .collect();
    assert!(
        changed.is_empty()
            && plain.as_array().map(Vec::len) == with_widgets.as_array().map(Vec::len),
        "{}: the widgets changed the host page's styles: {changed:?}",
        fw.name
    );
    // Themes: the system's light, the switcher to dark and back, then the system's dark.
    assert_eq!(
        panel_colour(&h, "w-replay").await,
        LIGHT_PANEL,
        "{}",
        fw.name
    );
    h.screenshot(&format!("{}-1280-light", fw.name), None).await;
    switch(&h, fw, "dark").await;
    wait_panel(&h, DARK_PANEL, "the switcher to dark").await;
    h.screenshot(&format!("{}-1280-dark", fw.name), None).await;
    phone(&h, true).await;
    h.settle().await;
    let overflow = h
        .js("return document.scrollingElement.scrollWidth - window.innerWidth;")
        .await;
    assert!(
        overflow.as_i64().is_some_and(|o| o <= 0),
        "{}: the page scrolls sideways by {overflow} px at 390",
        fw.name
    );
    h.screenshot(&format!("{}-390-dark", fw.name), None).await;
    switch(&h, fw, "light").await;
    wait_panel(&h, LIGHT_PANEL, "the switcher back to light").await;
    h.screenshot(&format!("{}-390-light", fw.name), None).await;
    phone(&h, false).await;
    // A reader whose system is dark, with the site left on its automatic setting; then the
    // site's light theme over that dark system (Docusaurus paints no background there).
    h.js("localStorage.clear();").await;
    system(&h, true).await;
    h.open("/docs/widgets/", BOTH_MOUNTED).await;
    wait_panel(&h, DARK_PANEL, "the system's dark setting").await;
    switch(&h, fw, "light").await;
    wait_panel(&h, LIGHT_PANEL, "the site's light theme on a dark system").await;
    switch(&h, fw, "dark").await;
    wait_panel(&h, DARK_PANEL, "and its dark theme again").await;
    // Titles in words, not code names.
    assert_eq!(
        h.text("#w-inventory >>> .dbw-title").await,
        "Maker inventory and PnL buckets"
    );
    let errors = h.console_errors().await;
    assert!(errors.is_empty(), "{}: console errors {errors:?}", fw.name);
    h.close().await;
    std::fs::remove_dir_all(&kit).ok();
    json!({ "build_s": build_s, "mount_after_link_s": mount_s, "client_side": same_document })
}

/// Kills a dev server's whole process group when dropped, and removes the kit's link.
struct Dev {
    child: Child,
    link: PathBuf,
}

impl Drop for Dev {
    fn drop(&mut self) {
        // The whole group (npx, its shell, node); `--` so the negative id is not an option.
        let group = format!("-{}", self.child.id());
        for signal in ["TERM", "KILL"] {
            let _ = Command::new("kill")
                .args(["-s", signal, "--", &group])
                .stderr(Stdio::null())
                .status();
            for _ in 0..50 {
                if matches!(self.child.try_wait(), Ok(Some(_))) {
                    let _ = std::fs::remove_file(&self.link);
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        let _ = std::fs::remove_file(&self.link);
    }
}

fn start_dev(fw: &Framework, kit: &Path, port: u16) -> Dev {
    use std::os::unix::process::CommandExt;
    let link = site_dir(fw).join(fw.public).join("dealer-book");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(kit, &link).expect("link the kit into the dev server's files");
    let port = port.to_string();
    let mut args = fw.dev.to_vec();
    args.extend(["--port", port.as_str()]);
    let child = npx(fw, &args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("dev server starts");
    Dev { child, link }
}

async fn dev_server(fw: &Framework) -> Value {
    let kit = kit(&format!("{}-dev", fw.name));
    let port = free_port();
    let t = Instant::now();
    let _dev = start_dev(fw, &kit, port);
    let url = format!("http://127.0.0.1:{port}/docs/");
    // Ready when the landing page answers with its link to the widgets.
    let h = Harness::start(1280, 900).await;
    let mut ready = false;
    // Wait for the server's port, then for the page (the first request compiles the site).
    for _ in 0..240 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    for _ in 0..12 {
        let loaded = tokio::time::timeout(Duration::from_secs(30), h.client.goto(&url)).await;
        if matches!(loaded, Ok(Ok(()))) {
            for _ in 0..40 {
                if h.js("return !!document.querySelector('a[href=\"/docs/widgets/\"]');")
                    .await
                    == json!(true)
                {
                    ready = true;
                    break;
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        }
        if ready {
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    assert!(ready, "{}: the dev server did not answer at {url}", fw.name);
    let start_s = t.elapsed().as_secs_f64();
    h.js("[...document.querySelectorAll('a[href=\"/docs/widgets/\"]')].pop().click();")
        .await;
    h.wait_js(BOTH_MOUNTED, "both widgets mount on the dev server")
        .await;
    h.close().await;
    std::fs::remove_dir_all(&kit).ok();
    json!({ "dev_start_s": start_s })
}

fn report(fw: &Framework, built: Value, dev: Value) {
    let report = json!({ "built": built, "dev": dev });
    println!("{} recipe: {report}", fw.name);
    let out = repo_root().join("target/screenshots");
    std::fs::create_dir_all(&out).ok();
    std::fs::write(out.join(format!("{}.json", fw.name)), report.to_string()).ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_starlight_recipe_works() {
    let built = built_site(&STARLIGHT).await;
    let dev = dev_server(&STARLIGHT).await;
    report(&STARLIGHT, built, dev);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_docusaurus_recipe_works() {
    let built = built_site(&DOCUSAURUS).await;
    let dev = dev_server(&DOCUSAURUS).await;
    report(&DOCUSAURUS, built, dev);
}

//! Harness for end-to-end tests: a static file server for `dist/` on a free 127.0.0.1 port
//! (axum and tower-http: files, gzip, a CSP header, missing files on request),
//! chromedriver with headless Chromium, console-log collection and screenshots into
//! `target/screenshots/`. Everything started here is killed when the harness drops.

#![warn(missing_docs)]

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

/// The built `dist/` (fails with a hint when it is missing).
pub fn dist() -> PathBuf {
    let dist = repo_root().join("dist");
    assert!(
        dist.join("index.html").exists(),
        "dist/ is missing: run `trunk build --release` first (scripts/test.sh does)"
    );
    dist
}

/// Repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// What the static server serves: directories mounted at URL prefixes, an optional
/// Content-Security-Policy header on every response, gzip on request, and paths that answer 404.
#[derive(Clone, Debug, Default)]
pub struct Site {
    /// `(URL prefix, directory)`, e.g. `("/book/", dist)`; the longest matching prefix wins.
    pub mounts: Vec<(String, PathBuf)>,
    /// Sent as `Content-Security-Policy` with every response.
    pub csp: Option<String>,
    /// Gzip (level 9) every response whose request accepts it, as a production host would.
    pub gzip: bool,
    /// Paths ending with one of these answer 404 (to simulate a missing file).
    pub missing: Vec<String>,
}

impl Site {
    /// `dir` served at `/`.
    pub fn root(dir: PathBuf) -> Site {
        Site {
            mounts: vec![("/".into(), dir)],
            ..Site::default()
        }
    }
}

/// The strict policy every page must run under (no inline script or style).
pub const STRICT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'";

fn resolve(site: &Site, path: &str) -> Option<PathBuf> {
    if site.missing.iter().any(|m| path.ends_with(m.as_str())) {
        return None;
    }
    let (prefix, root) = site
        .mounts
        .iter()
        .filter(|(p, _)| path.starts_with(p.as_str()) || format!("{path}/") == *p)
        .max_by_key(|(p, _)| p.len())?;
    let rel = path
        .get(prefix.len()..)
        .unwrap_or("")
        .trim_start_matches('/');
    let mut file = root.join(if rel.is_empty() { "index.html" } else { rel });
    if file.is_dir() {
        file = file.join("index.html");
    }
    file.canonicalize().ok().filter(|f| f.starts_with(root))
}

/// Serves the file a request names ([`resolve`]), or 404.
async fn serve(
    axum::extract::State(site): axum::extract::State<std::sync::Arc<Site>>,
    req: axum::extract::Request,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use tower::ServiceExt;
    match resolve(&site, req.uri().path()) {
        Some(file) => {
            let response = match tower_http::services::ServeFile::new(file)
                .oneshot(req)
                .await
            {
                Ok(response) => response,
                Err(never) => match never {},
            };
            // One body frame, not the file's streamed chunks: gzip then compresses it in one
            // go, so a file's transfer size is the same on every run (the size gates rely on it).
            let (parts, body) = response.into_parts();
            match axum::body::to_bytes(axum::body::Body::new(body), usize::MAX).await {
                Ok(bytes) => {
                    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
                }
                Err(_) => http::StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            }
        }
        None => (http::StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// Starts a static server for `root` on a free port; returns the base URL.
pub fn start_server(root: PathBuf) -> String {
    start_site(Site::root(root))
}

/// Starts a static server for a [`Site`] on a free port; returns the base URL (no trailing `/`).
/// Every response is `no-store` and carries the site's CSP; with `gzip`, responses a request
/// accepts gzipped are compressed at the best level, as a production host would.
pub fn start_site(mut site: Site) -> String {
    use http::header::{HeaderValue, CACHE_CONTROL, CONTENT_SECURITY_POLICY};
    use tower_http::compression::{CompressionLayer, CompressionLevel};
    use tower_http::set_header::SetResponseHeaderLayer;
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let addr = listener.local_addr().expect("local addr");
    listener
        .set_nonblocking(true)
        .expect("non-blocking listener");
    for (_, dir) in &mut site.mounts {
        *dir = dir.canonicalize().expect("served directory exists");
    }
    let csp = site
        .csp
        .as_deref()
        .map(|c| HeaderValue::from_str(c).expect("a CSP fits in a header"));
    let gzip = site.gzip;
    let app = axum::Router::new()
        .fallback(serve)
        .with_state(std::sync::Arc::new(site))
        // Every response when gzip is on (files of any size or type), none otherwise.
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Best)
                .compress_when(move |_: _, _: _, _: &_, _: &_| gzip),
        )
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            CONTENT_SECURITY_POLICY,
            move |_: &http::Response<_>| csp.clone(),
        ));
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the server");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            let _ = axum::serve(listener, app).await;
        });
    });
    format!("http://{addr}")
}

/// A TCP port on 127.0.0.1 that is free right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// A chromedriver extension command: POST `body` to `session/{id}/{path}`. Used for the
/// legacy log endpoint (`se/log`, console messages) and DevTools (`goog/cdp/execute`).
#[derive(Debug)]
struct SessionPost {
    path: &'static str,
    body: Value,
}

impl WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/{}",
            session.unwrap_or_default(),
            self.path
        ))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// JavaScript defining `dbq(selector)`: `querySelector`, where `A >>> B` steps into A's shadow root.
pub const QUERY: &str = "const dbq = (sel) => sel.split('>>>').reduce((root, part) => root && (root.shadowRoot || root).querySelector(part.trim()), document);";

/// The strings of a JSON array (none if it is not one).
fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// A running browser session against a served `dist/`.
pub struct Harness {
    /// The WebDriver client.
    pub client: Client,
    /// Base URL of the static server.
    pub base: String,
    driver: Child,
    profile: PathBuf,
}

impl Harness {
    /// Serves `dist/`, starts chromedriver and a headless Chromium at the given window size.
    pub async fn start(width: u32, height: u32) -> Harness {
        Harness::start_site(width, height, Site::root(dist())).await
    }

    /// Like [`Harness::start`], serving a [`Site`] (sub-paths, CSP header, gzip, missing files).
    pub async fn start_site(width: u32, height: u32, site: Site) -> Harness {
        let base = start_site(site);
        let port = free_port();
        let driver_bin =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let driver = Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile =
            std::env::temp_dir().join(format!("dealer-book-e2e-{}-{port}", std::process::id()));
        let caps = json!({
            "browserName": "chrome",
            "goog:loggingPrefs": { "browser": "ALL" },
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", "--hide-scrollbars",
                    format!("--user-data-dir={}", profile.display()),
                    format!("--window-size={width},{height}"),
                ]
            }
        });
        let caps = caps.as_object().cloned().unwrap_or_default();
        let mut client = None;
        for _ in 0..100 {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(c) => {
                    client = Some(c);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        let client = client.expect("chromedriver accepted a session");
        Harness {
            client,
            base,
            driver,
            profile,
        }
    }

    /// Opens a path on the served site and waits until `ready_js` returns true. On the chapter
    /// every widget is reached for (a focus event on each slot, which mounts it without moving
    /// the page), as most tests drive widgets far below the first screen; [`Harness::open_as_reader`]
    /// leaves them to mount as a reader scrolls.
    pub async fn open(&self, path: &str, ready_js: &str) {
        self.goto(path).await;
        let reach = "document.querySelectorAll('.widget-slot').forEach((s) => s.dispatchEvent(new FocusEvent('focusin')));";
        self.wait_js(
            &format!("(() => {{ {reach} return true; }})() && ({ready_js})"),
            "page ready",
        )
        .await;
        // Once every island is there, reach for each again: the focus keeps every widget drawing
        // every step, as these tests expect of widgets off the screen.
        let all = "document.querySelectorAll('.widget-slot .island .dbw:not(.island-placeholder)').length === document.querySelectorAll('.widget-slot').length";
        if self
            .js("return document.querySelectorAll('.widget-slot').length > 0;")
            .await
            == Value::Bool(true)
        {
            let settled = format!("({all}) || document.querySelector('.island-failed')");
            self.wait_js(&settled, "every island mounted (or one failed)")
                .await;
            self.js(&format!("{reach} return true;")).await;
        }
    }

    /// Opens a path and waits until `ready_js` returns true, touching nothing: chapter widgets
    /// mount only when scrolled near (or focused).
    pub async fn open_as_reader(&self, path: &str, ready_js: &str) {
        self.goto(path).await;
        self.wait_js(ready_js, "page ready").await;
    }

    async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{}", self.base, path))
            .await
            .expect("navigate");
    }

    /// Waits (up to 15 s) for a JavaScript expression to be truthy.
    pub async fn wait_js(&self, expr: &str, what: &str) {
        for _ in 0..150 {
            let v = self.js(&format!("return !!({expr});")).await;
            if v == Value::Bool(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("timed out waiting for {what}: {expr}");
    }

    /// Runs a script and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Text of the first element matching a selector ("" if none). `A >>> B` finds B inside the
    /// shadow root of A (as in `#w-inventory >>> .quantities`).
    pub async fn text(&self, selector: &str) -> String {
        self.js(&format!(
            "{QUERY} const e = dbq({selector:?}); return e ? e.innerText : '';"
        ))
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// Sends keys to an element (`\u{E014}` right arrow, `\u{E012}` left, `\u{E011}` home). With
    /// `A >>> B` (inside a shadow root) it focuses the element and types through the keyboard.
    pub async fn key(&self, selector: &str, keys: &str) {
        if selector.contains(">>>") {
            self.js(&format!("{QUERY} dbq({selector:?}).focus();"))
                .await;
            use fantoccini::actions::{InputSource, KeyAction, KeyActions};
            let mut actions = KeyActions::new("keyboard".into());
            for value in keys.chars() {
                actions = actions
                    .then(KeyAction::Down { value })
                    .then(KeyAction::Up { value });
            }
            self.client
                .perform_actions(actions)
                .await
                .expect("type keys");
        } else {
            let el = self
                .client
                .find(fantoccini::Locator::Css(selector))
                .await
                .expect("element to type into");
            el.send_keys(keys).await.expect("send keys");
        }
        self.settle().await;
    }

    /// Waits until the page has handled pending input: two animation frames (Leptos applies its
    /// updates in microtasks, which always run before the next frame).
    pub async fn settle(&self) {
        let _ = self
            .client
            .execute_async("const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));", vec![])
            .await;
    }

    /// Console messages at SEVERE level (errors, failed requests) since the last call.
    pub async fn console_errors(&self) -> Vec<String> {
        let logs = self
            .client
            .issue_cmd(SessionPost {
                path: "se/log",
                body: json!({ "type": "browser" }),
            })
            .await
            .unwrap_or(Value::Null);
        logs.as_array()
            .map(|a| {
                a.iter()
                    .filter(|e| e["level"] == "SEVERE")
                    .map(|e| e["message"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Fails on any console error.
    pub async fn assert_no_console_errors(&self, context: &str) {
        let errors = self.console_errors().await;
        assert!(
            errors.is_empty(),
            "console errors on {context}:\n{}",
            errors.join("\n")
        );
    }

    /// Runs a Chrome DevTools command.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.client
            .issue_cmd(SessionPost {
                path: "goog/cdp/execute",
                body: json!({ "cmd": cmd, "params": params }),
            })
            .await
            .expect("cdp command")
    }

    /// Saves a PNG of the viewport (or of one element) under `target/screenshots/NAME.png`.
    pub async fn screenshot(&self, name: &str, selector: Option<&str>) -> PathBuf {
        let png = match selector {
            Some(sel) => {
                let el = self
                    .client
                    .find(fantoccini::Locator::Css(sel))
                    .await
                    .expect("element for screenshot");
                self.js(&format!(
                    "document.querySelector({sel:?}).scrollIntoView({{block:'start'}});"
                ))
                .await;
                el.screenshot().await.expect("element screenshot")
            }
            None => self.client.screenshot().await.expect("screenshot"),
        };
        let dir = repo_root().join("target/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Runs axe-core on the page; returns violations as "id: help (n nodes)" lines.
    pub async fn axe(&self, context: &str) -> Vec<String> {
        let axe_path = repo_root().join(".tools/node_modules/axe-core/axe.min.js");
        let mut src = String::new();
        std::fs::File::open(&axe_path)
            .and_then(|mut f| f.read_to_string(&mut src))
            .unwrap_or_else(|e| {
                panic!(
                    "axe-core missing at {} ({e}); run scripts/setup.sh",
                    axe_path.display()
                )
            });
        self.client.execute(&src, vec![]).await.expect("inject axe");
        let result = self
            .client
            .execute_async(
                &format!(
                    "const done = arguments[arguments.length - 1];
                     axe.run({context}, {{ resultTypes: ['violations'] }}).then(r => done(r.violations.map(v =>
                        v.id + ': ' + v.help + ' (' + v.nodes.length + ' nodes: ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ') + ')')))
                       .catch(e => done(['axe failed: ' + e]));"
                ),
                vec![],
            )
            .await
            .expect("axe run");
        strings(&result)
    }

    /// From now on, every page records its Content-Security-Policy violations in
    /// `window.__csp` (installed before any page script runs); read them with [`Harness::csp_violations`].
    pub async fn record_csp_violations(&self) {
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));" }),
        )
        .await;
    }

    /// The CSP violations recorded on the current page.
    pub async fn csp_violations(&self) -> Vec<String> {
        strings(
            &self
                .js("return window.__csp || ['no recorder: call record_csp_violations first'];")
                .await,
        )
    }

    /// Closes the browser and stops chromedriver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

/// A wait condition or script that looks inside shadow roots (`A >>> B`, see [`QUERY`]).
pub fn inside(expr: &str) -> String {
    format!("(() => {{ {QUERY} return {expr}; }})()")
}

/// The colour scheme a `<dealer-book-widget id=ID>` chose (`system` when none) and its panel's
/// background, as `light | rgb(...)`.
pub async fn scheme(h: &Harness, id: &str) -> String {
    h.js(&format!(
        "{QUERY} return (dbq('#{id} >>> .dbw-root').dataset.scheme || 'system') + ' | ' + getComputedStyle(dbq('#{id} >>> .dbw')).backgroundColor;"
    ))
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// A scratch folder inside `dist/` (served at `/{name}/`), removed when dropped.
pub struct Scratch {
    /// Its name, the first segment of its URL path.
    pub name: String,
    /// Where it is on disk.
    pub dir: std::path::PathBuf,
}

impl Scratch {
    /// A fresh folder `dist/e2e-{tag}-{pid}`.
    pub fn new(tag: &str) -> Scratch {
        let name = format!("e2e-{tag}-{}", std::process::id());
        let dir = repo_root().join("dist").join(&name);
        std::fs::create_dir_all(&dir).expect("scratch dir in dist");
        Scratch { name, dir }
    }
    /// Writes a file and returns its path below the site root (no leading slash).
    pub fn write(&self, file: &str, bytes: impl AsRef<[u8]>) -> String {
        std::fs::write(self.dir.join(file), bytes).expect("write scratch file");
        format!("{}/{file}", self.name)
    }

    /// Writes an author's page that loads the widgets as the README says (the loader from
    /// `dist/`, one level up), with `head` added to its head and `body` as its body.
    pub fn host_page(&self, file: &str, head: &str, body: &str) -> String {
        self.write(
            file,
            format!(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
                 <meta name=\"viewport\" content=\"width=device-width\"><title>Host page</title>\
                 <link rel=\"icon\" href=\"../favicon.svg\">{head}\
                 <script type=\"module\" src=\"../dealer-book.js\"></script></head><body>{body}</body></html>"
            ),
        )
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

//! Where a widget's tape comes from: a fetch that reads at most the tape limit
//! ([`dealer_book::tape::limits`]) and decodes bytes exactly as the CLI does (a byte-order mark
//! skipped, other non-UTF-8 bytes refused with their place); one fetch per address per page
//! (widgets sharing a tape, and attribute changes, reuse it); and the provenance line a tape from
//! a link or an attribute shows (its own title and where it came from). A tape can also travel
//! inside an address (`#tape=…`, [`dealer_book::link`]): it is inflated with the browser's own
//! `DecompressionStream`, under the same limit, and never fetched; an author's element can hold
//! its tape inline ([`from_text`]).

use std::cell::RefCell;
use std::sync::Arc;

use dealer_book::replay::{replay, Replay};
use dealer_book::tape::limits::{self, MAX_TAPE_BYTES};
use dealer_book::tape::{Tape, TapeError};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Replayed tapes by resolved address, newest last; a few kept so a page of widgets on the same
/// tape, or an element whose attributes change, fetch it once.
const CACHED: usize = 4;

/// One address: on its way (the promise settles when the result is stored), or replayed.
enum Entry {
    Loading(js_sys::Promise),
    Done(Result<Arc<Replay>, String>),
}

thread_local! {
    static CACHE: RefCell<Vec<(String, Entry)>> = const { RefCell::new(Vec::new()) };
}

/// Stores a finished fetch, dropping the oldest finished ones past [`CACHED`].
fn store(url: &str, result: Result<Arc<Replay>, String>) {
    CACHE.with_borrow_mut(|c| {
        c.retain(|(u, _)| u != url);
        c.push((url.to_string(), Entry::Done(result)));
        while c
            .iter()
            .filter(|(_, e)| matches!(e, Entry::Done(_)))
            .count()
            > CACHED
        {
            if let Some(i) = c.iter().position(|(_, e)| matches!(e, Entry::Done(_))) {
                let _evicted = c.remove(i);
            }
        }
    });
}

/// Drops a failed fetch from the cache once a widget has read it.
fn forget_failure(url: &str) {
    CACHE.with_borrow_mut(|c| c.retain(|(u, e)| u != url || !matches!(e, Entry::Done(Err(_)))));
}

/// Where a tape may come from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Origins {
    /// Only the page's own origin: our pages, where the address comes from a link anyone can
    /// write (the pages' Content-Security-Policy says the same).
    Own,
    /// Any address the page's own policy allows: an author's page, where the address is the
    /// author's attribute.
    Any,
}

/// A loaded tape and where it came from.
#[derive(Clone)]
pub struct Loaded {
    /// The replayed tape.
    pub replay: Arc<Replay>,
    /// Where it came from, in words (`this site, tapes/x.json` or `https://other.example`);
    /// empty for an author's own tape on their own page.
    pub source: String,
}

/// The address resolved against the page, or why it cannot be used.
fn resolve(address: &str, origins: Origins) -> Result<(String, String), String> {
    let base = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let url = web_sys::Url::new_with_base(address, &base)
        .map_err(|_| format!("{address}: not a usable address"))?;
    let protocol = url.protocol();
    if protocol != "https:" && protocol != "http:" {
        return Err(format!(
            "{address}: a tape must be fetched over http or https (this address uses {protocol})"
        ));
    }
    let own = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let same = url.origin() == own;
    if !same && origins == Origins::Own {
        return Err(format!(
            "{address}: this page only loads tapes from its own site ({own}); a tape from {} is \
             refused so that a link cannot pass someone else's scenario off as this chapter's. \
             Download the tape and open it from a copy of the chapter instead.",
            url.origin()
        ));
    }
    // Links name every tape's source; an author's own attribute on their own site needs no label.
    let source = if !same {
        url.origin()
    } else if origins == Origins::Own {
        format!("this site, {}", url.pathname().trim_start_matches('/'))
    } else {
        String::new()
    };
    Ok((url.href(), source))
}

/// Reads a response body, stopping as soon as it passes the tape limit.
async fn body_bytes(resp: &web_sys::Response, address: &str) -> Result<Vec<u8>, String> {
    let too_large = || {
        format!(
            "{address}: {}",
            TapeError::TooLarge {
                bytes: MAX_TAPE_BYTES + 1
            }
        )
    };
    let declared = resp
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<usize>().ok());
    let Some(body) = resp.body() else {
        return Ok(Vec::new());
    };
    let reader: web_sys::ReadableStreamDefaultReader = body
        .get_reader()
        .dyn_into()
        .map_err(|_| format!("{address}: the response cannot be read"))?;
    // A compressed body's declared length is smaller than the text, so this never refuses early
    // by mistake; the count below catches the rest.
    if declared.is_some_and(|n| n > MAX_TAPE_BYTES) {
        let _ = reader.cancel();
        return Err(too_large());
    }
    let mut out = Vec::with_capacity(declared.unwrap_or(0).min(MAX_TAPE_BYTES));
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|_| format!("{address}: the download broke off"))?;
        let done = js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(out);
        }
        let value: js_sys::Uint8Array = js_sys::Reflect::get(&chunk, &"value".into())
            .ok()
            .and_then(|v| v.dyn_into().ok())
            .ok_or_else(|| format!("{address}: the response is not bytes"))?;
        let n = value.length() as usize;
        if out.len() + n > MAX_TAPE_BYTES {
            let _ = reader.cancel();
            return Err(too_large());
        }
        let at = out.len();
        out.resize(at + n, 0);
        value.copy_to(&mut out[at..]);
    }
}

/// A tape file's bytes from a resolved `url`, at most the tape limit; errors name `address`.
async fn fetch_bytes(url: &str, address: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| {
            format!("{address}: could not be loaded (network error or blocked request)")
        })?;
    let resp: web_sys::Response = resp
        .dyn_into()
        .map_err(|_| format!("{address}: unexpected fetch result"))?;
    if !resp.ok() {
        return Err(format!(
            "{address}: could not be loaded (HTTP {})",
            resp.status()
        ));
    }
    body_bytes(&resp, address).await
}

async fn fetch_replay(url: &str, address: &str) -> Result<Arc<Replay>, String> {
    let bytes = fetch_bytes(url, address).await?;
    let text = limits::decode(&bytes).map_err(|e| format!("{address}: {e}"))?;
    let tape = Tape::from_json(text).map_err(|e| format!("{address}: {e}"))?;
    drop(bytes);
    replay(&tape)
        .map(Arc::new)
        .map_err(|e| format!("{address}: {e}"))
}

// The Compression Streams API (every current browser); web-sys keeps it behind an unstable flag,
// so the two constructors are bound here.
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = CompressionStream)]
    type Compressor;
    #[wasm_bindgen(constructor, js_class = "CompressionStream", catch)]
    fn new(format: &str) -> Result<Compressor, wasm_bindgen::JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &Compressor) -> web_sys::ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &Compressor) -> web_sys::WritableStream;

    #[wasm_bindgen(js_name = DecompressionStream)]
    type Decompressor;
    #[wasm_bindgen(constructor, js_class = "DecompressionStream", catch)]
    fn new(format: &str) -> Result<Decompressor, wasm_bindgen::JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &Decompressor) -> web_sys::ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &Decompressor) -> web_sys::WritableStream;
}

/// A stream of bytes through the browser's DEFLATE (raw, RFC 1951) compressor or decompressor.
fn deflate_raw(bytes: &[u8], compress: bool) -> Result<web_sys::Response, String> {
    let fail =
        |_| "this browser cannot (de)compress DEFLATE streams (CompressionStream)".to_string();
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(fail)?;
    let pair = if compress {
        let s = Compressor::new("deflate-raw").map_err(fail)?;
        web_sys::ReadableWritablePair::new(&s.readable(), &s.writable())
    } else {
        let s = Decompressor::new("deflate-raw").map_err(fail)?;
        web_sys::ReadableWritablePair::new(&s.readable(), &s.writable())
    };
    let stream = blob.stream().pipe_through(&pair);
    web_sys::Response::new_with_opt_readable_stream(Some(&stream)).map_err(fail)
}

/// The text of a tape carried in a link (the base64url text after `#tape=`), inflated up to the
/// tape limit and decoded like a file (a byte-order mark skipped, other non-UTF-8 refused).
pub async fn link_text(encoded: &str) -> Result<String, String> {
    let bytes = dealer_book::link::from_base64url(encoded).map_err(|e| e.to_string())?;
    let resp = deflate_raw(&bytes, false)?;
    let bytes = match body_bytes(&resp, "the link's tape").await {
        Ok(bytes) => bytes,
        Err(e) if e.ends_with(&TapeError::TooLarge { bytes: 0 }.to_string()) => {
            return Err(dealer_book::link::LinkError::TooLarge.to_string())
        }
        Err(_) => {
            return Err(dealer_book::link::LinkError::NotDeflate(
                "the stream is not valid DEFLATE or ends early".into(),
            )
            .to_string())
        }
    };
    limits::decode(&bytes)
        .map(str::to_string)
        .map_err(|e| format!("the link's tape: {e}"))
}

/// The base64url text for `#tape=` of a tape's text (the browser's DEFLATE).
pub async fn link_encode(text: &str) -> Result<String, String> {
    let resp = deflate_raw(text.as_bytes(), true)?;
    let bytes = body_bytes(&resp, "the tape").await?;
    Ok(dealer_book::link::to_base64url(&bytes))
}

/// The text of a tape file from an address on this page's own site (the studio opens it in its
/// editor), read and decoded like any tape: at most the tape limit, UTF-8.
pub async fn fetch_text(address: &str) -> Result<String, String> {
    let (url, _) = resolve(address, Origins::Own)?;
    let bytes = fetch_bytes(&url, address).await?;
    limits::decode(&bytes)
        .map(str::to_string)
        .map_err(|e| format!("{address}: {e}"))
}

/// A tape from its text (a link's, or inline in an author's element), replayed; errors start with
/// `label` (where the text came from).
pub fn from_text(text: &str, label: &str) -> Result<Arc<Replay>, String> {
    let tape = Tape::from_json(text).map_err(|e| {
        format!(
            "{label}, {}",
            dealer_book::studio::located_message(text, &e)
        )
    })?;
    replay(&tape).map(Arc::new).map_err(|e| {
        format!(
            "{label}, {}",
            dealer_book::studio::located_replay_message(text, &e)
        )
    })
}

/// Loads a tape from an address (relative to the page), once per page for each address: widgets
/// asking for an address already on its way wait for that fetch. An address with the tape in its
/// fragment (`#tape=…`) is read from the address itself.
pub async fn load(address: String, origins: Origins) -> Result<Loaded, String> {
    if let Some(encoded) = dealer_book::link::fragment_tape(&address) {
        let text = link_text(encoded).await?;
        let replay = from_text(&text, "the link's tape")?;
        let source = match origins {
            Origins::Own => "the link (not this chapter's own tape)".to_string(),
            Origins::Any => String::new(),
        };
        return Ok(Loaded { replay, source });
    }
    let (url, source) = resolve(&address, origins)?;
    loop {
        let pending = CACHE.with_borrow(|c| {
            c.iter().find(|(u, _)| *u == url).map(|(_, e)| match e {
                Entry::Loading(p) => Err(p.clone()),
                Entry::Done(r) => Ok(r.clone()),
            })
        });
        match pending {
            Some(Ok(result)) => {
                if result.is_err() {
                    // Every widget waiting for this fetch has had its turn: forget the failure.
                    forget_failure(&url);
                }
                return result.map(|replay| Loaded { replay, source });
            }
            Some(Err(promise)) => {
                let _ = JsFuture::from(promise).await;
                // Settled: the result is stored (or, rarely, already evicted: fetch again).
                if CACHE.with_borrow(|c| c.iter().all(|(u, _)| *u != url)) {
                    return fetch_replay(&url, &address)
                        .await
                        .map(|replay| Loaded { replay, source });
                }
            }
            None => {
                let (u, a) = (url.clone(), address.clone());
                let promise = wasm_bindgen_futures::future_to_promise(async move {
                    let result = fetch_replay(&u, &a).await;
                    store(&u, result);
                    Ok(wasm_bindgen::JsValue::UNDEFINED)
                });
                // (A failure is handed to the widgets waiting now and then forgotten, so a fixed
                // tape or a network that came back is fetched again.)
                CACHE.with_borrow_mut(|c| c.push((url.clone(), Entry::Loading(promise))));
            }
        }
    }
}

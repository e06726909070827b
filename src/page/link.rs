//! Tapes inside links. A link carries a whole tape in its URL fragment, which never reaches a
//! server: `#tape=` followed by base64url without padding (RFC 4648 §5) of the raw DEFLATE stream
//! (RFC 1951, no zlib or gzip header) of the tape's UTF-8 text. The pages, the custom element's
//! `tape` attribute, the tape studio and `dealer-book link` all read and write this one format.
//!
//! Natively this module compresses and inflates (miniz_oxide); the browser bundle uses the
//! browser's own `CompressionStream("deflate-raw")` for the same stream and takes only the
//! base64url half from here, so the codec costs the wasm nothing.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

use crate::page::settings::WidgetKind;

/// The fragment's key: `#tape=…`.
pub const FRAGMENT_KEY: &str = "tape";

/// The longest link the studio makes, in characters: past it the studio offers the tape as a file
/// instead (the CLI still prints the link, with a warning). 32,000 characters is under what browsers, chat apps and mail clients pass along
/// intact (Chromium takes 2 MB, but pasted links are cut well before that), and fits about 2,000
/// events with random 8-decimal sizes (more with round numbers).
pub const MAX_LINK_CHARS: usize = 32_000;

/// base64url; writes no padding, reads it either way (a hand-edited link may carry `=`).
const B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why a link's tape cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// `#tape=` with nothing after it.
    #[error("the link's tape is empty (nothing after #tape=)")]
    Empty,
    /// A character outside base64url.
    #[error("the link's tape is damaged: character {position} ({found:?}) is not base64url; copy the whole link again")]
    NotBase64 {
        /// 1-based position after `#tape=`.
        position: usize,
        /// The character found.
        found: char,
    },
    /// A base64url text of impossible length (a link cut short).
    #[error("the link's tape is cut short ({length} characters is not a whole base64url text); copy the whole link again")]
    CutShort {
        /// Characters after `#tape=`.
        length: usize,
    },
    /// The bytes are not a DEFLATE stream.
    #[error("the link's tape is damaged: it does not inflate ({0}); copy the whole link again")]
    NotDeflate(String),
    /// The inflated tape passes the tape size limit.
    #[error(
        "the link's tape inflates past the tape limit of {} bytes",
        crate::engine::tape::limits::MAX_TAPE_BYTES
    )]
    TooLarge,
}

/// The base64url text after `#tape=` in an address or fragment (`#tape=…`, `page.html?x=1#tape=…`,
/// `#a=1&tape=…`), up to the next `&`. `None` when there is no tape in it.
pub fn fragment_tape(address: &str) -> Option<&str> {
    let (_, fragment) = address.split_once('#')?;
    fragment.split('&').find_map(|part| {
        part.strip_prefix(FRAGMENT_KEY)
            .and_then(|rest| rest.strip_prefix('='))
    })
}

/// A tape address as a notice quotes it: `tape="tapes/x.json"`, or for a tape carried in a link
/// `tape="#tape=…" (a tape of 1,005 characters in the link)`, never the whole fragment.
pub fn quoted_address(address: &str) -> String {
    match fragment_tape(address) {
        Some(encoded) => format!(
            "tape=\"#tape=…\" (a tape of {} characters in the link)",
            crate::words::format::count(encoded.len() as u64)
        ),
        None => format!("tape=\"{address}\""),
    }
}

/// base64url (no padding) of `bytes`.
pub fn to_base64url(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

/// The bytes of a base64url text, or where it is damaged.
pub fn from_base64url(text: &str) -> Result<Vec<u8>, LinkError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(LinkError::Empty);
    }
    B64.decode(text).map_err(|e| match e {
        base64::DecodeError::InvalidByte(at, _) => LinkError::NotBase64 {
            position: text[..at].chars().count() + 1,
            found: text[at..].chars().next().unwrap_or('?'),
        },
        _ => LinkError::CutShort {
            length: text.chars().count(),
        },
    })
}

/// Compresses a tape's text into a fragment's base64url text.
#[cfg(not(target_arch = "wasm32"))]
pub fn encode(text: &str) -> String {
    to_base64url(&miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9))
}

/// The tape's text from a fragment's base64url text, inflated up to the tape limit. The text is
/// not checked as UTF-8 or as a tape here: the caller reads it like any tape file.
#[cfg(not(target_arch = "wasm32"))]
pub fn decode(encoded: &str) -> Result<Vec<u8>, LinkError> {
    let bytes = from_base64url(encoded)?;
    miniz_oxide::inflate::decompress_to_vec_with_limit(
        &bytes,
        crate::engine::tape::limits::MAX_TAPE_BYTES,
    )
    .map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
        miniz_oxide::inflate::TINFLStatus::FailedCannotMakeProgress => {
            LinkError::NotDeflate("the stream ends early".into())
        }
        _ => LinkError::NotDeflate("the stream is not valid DEFLATE".into()),
    })
}

/// Which page a link opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Page {
    /// The tape studio (`studio.html`), with the tape in its editor.
    Studio,
    /// One widget, plain (`embed.html?widget=…`), for an iframe.
    Embed,
    /// One widget in classroom presentation (the chapter page with `?widget=…`).
    Present,
}

impl Page {
    /// Every page, in the CLI's order.
    pub const ALL: [Page; 3] =
        crate::engine::names::variants(<Page as strum::VariantArray>::VARIANTS);

    /// The name the CLI takes (`--page studio`).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// Parses a [`Page::name`] (exactly as written).
    pub fn from_name(name: &str) -> Option<Page> {
        crate::engine::names::by_name(&Page::ALL, Page::name, name, false)
    }
}

crate::engine::names::from_str_by!(Page, Page::from_name);

/// A link opening `page` under `base` (a site folder, `https://example.org/dealer-book/`, or
/// empty for a link relative to that folder) with the tape whose fragment text is `encoded`.
/// `widget` chooses the widget of `embed` and `present` (the replay by default); the studio shows
/// its own preview and takes none.
pub fn link(base: &str, page: Page, widget: Option<WidgetKind>, encoded: &str) -> String {
    let mut base = base.trim().to_string();
    if !base.is_empty() && !base.ends_with('/') {
        base.push('/');
    }
    let widget = widget.unwrap_or(WidgetKind::Replay).key();
    let path = match page {
        Page::Studio => "studio.html".to_string(),
        Page::Embed => format!("embed.html?widget={widget}"),
        Page::Present if base.is_empty() => format!("./?widget={widget}"),
        Page::Present => format!("?widget={widget}"),
    };
    format!("{base}{path}#{FRAGMENT_KEY}={encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tape::Tape;
    use proptest::prelude::*;

    #[test]
    fn the_chapter_tape_round_trips_and_is_short() {
        let encoded = encode(crate::CHAPTER_TAPE);
        assert!(
            encoded.len() < crate::CHAPTER_TAPE.len() / 2,
            "{}",
            encoded.len()
        );
        assert!(encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        let back = decode(&encoded).unwrap();
        assert_eq!(back, crate::CHAPTER_TAPE.as_bytes());
        Tape::from_json(std::str::from_utf8(&back).unwrap()).unwrap();
    }

    #[test]
    fn finds_the_tape_in_a_fragment() {
        assert_eq!(fragment_tape("#tape=abc"), Some("abc"));
        assert_eq!(
            fragment_tape("https://x/?widget=replay#tape=abc"),
            Some("abc")
        );
        assert_eq!(fragment_tape("#a=1&tape=abc&b=2"), Some("abc"));
        assert_eq!(fragment_tape("#chapter"), None);
        assert_eq!(fragment_tape("tapes/x.json"), None);
        assert_eq!(fragment_tape("#tapes=abc"), None);
    }

    #[test]
    fn damaged_links_say_how() {
        let encoded = encode(crate::CHAPTER_TAPE);
        assert_eq!(decode(""), Err(LinkError::Empty));
        let bad = format!("{}!{}", &encoded[..10], &encoded[11..]);
        assert_eq!(
            decode(&bad),
            Err(LinkError::NotBase64 {
                position: 11,
                found: '!'
            })
        );
        let e = decode(&encoded[..encoded.len() / 2]).unwrap_err();
        assert!(
            matches!(e, LinkError::NotDeflate(_) | LinkError::CutShort { .. }),
            "{e}"
        );
        for cut in 1..40 {
            let e = decode(&encoded[..encoded.len() - cut]).unwrap_err();
            assert!(!matches!(e, LinkError::NotBase64 { .. }), "{e}");
        }
        assert!(matches!(decode("AAAA"), Err(LinkError::NotDeflate(_))));
        // Padding written by hand is accepted.
        let padded = to_base64url(&miniz_oxide::deflate::compress_to_vec(b"{}", 9)) + "=";
        assert_eq!(decode(&padded).unwrap(), b"{}");
    }

    #[test]
    fn a_bomb_stops_at_the_limit() {
        let zeros = vec![b' '; crate::engine::tape::limits::MAX_TAPE_BYTES + 10];
        let encoded = to_base64url(&miniz_oxide::deflate::compress_to_vec(&zeros, 9));
        assert!(encoded.len() < 200_000);
        assert_eq!(decode(&encoded), Err(LinkError::TooLarge));
    }

    #[test]
    fn notices_quote_a_link_short() {
        assert_eq!(quoted_address("tapes/x.json"), "tape=\"tapes/x.json\"");
        let long = format!("#tape={}", "A".repeat(5000));
        assert_eq!(
            quoted_address(&long),
            "tape=\"#tape=…\" (a tape of 5,000 characters in the link)"
        );
    }

    #[test]
    fn links_for_each_page() {
        let e = "abc";
        assert_eq!(link("", Page::Studio, None, e), "studio.html#tape=abc");
        assert_eq!(
            link(
                "https://x.org/db",
                Page::Embed,
                Some(WidgetKind::HedgeLab),
                e
            ),
            "https://x.org/db/embed.html?widget=hedge-lab#tape=abc"
        );
        assert_eq!(
            link("https://x.org/db/", Page::Present, None, e),
            "https://x.org/db/?widget=replay#tape=abc"
        );
        assert_eq!(
            link("", Page::Present, None, e),
            "./?widget=replay#tape=abc"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        #[test]
        fn any_text_round_trips(text in ".{0,400}") {
            prop_assert_eq!(decode(&encode(&text)).unwrap(), text.as_bytes());
        }

        #[test]
        fn any_fragment_is_read_or_refused(s in "[A-Za-z0-9_=!%-]{0,200}") {
            let _ = decode(&s);
        }
    }
}

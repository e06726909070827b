//! Engine numbers for prose: every state, worked calculation and total of a replay under a
//! stable key, and the `{{key}}` substitution that puts them into the chapter's Markdown, so the
//! text can never disagree with the widgets.
//!
//! Keys (steps `sN` and events `eK` are 1-based):
//! - `start.fair`, `start.i_client`, `start.h_external`, `start.r_residual`;
//! - `quote.start.bid`, `quote.start.ask`: the default quote on the starting book;
//! - `band.green_max`, `band.amber_max`;
//! - after step N: `sN.i_client`, `sN.h_external`, `sN.r_residual`, `sN.fair`, `sN.band`;
//! - after event K of step N: `sN.eK.i_client`, `.h_external`, `.r_residual`, `.fair`, `.quote_ref`;
//!   for fills also `.qty`, `.price`; for PnL contributions `.calc` and `.amount`;
//! - `total.<bucket>` and `total.<bucket>.calc` for each bucket key, `total.net`, `total.net.calc`.
//!
//! `{{widget:NAME}}` slots are left in place for the page builder.

use std::collections::BTreeMap;

use crate::book::Book;
use crate::format;
use crate::num::Qty;
use crate::pnl::Bucket;
use crate::quote::{quote, QuoteParams};
use crate::replay::Replay;

fn put_book(values: &mut BTreeMap<String, String>, prefix: &str, book: &Book, decimals: u32) {
    values.insert(
        format!("{prefix}.i_client"),
        format::btc_signed(book.i_client, decimals),
    );
    values.insert(
        format!("{prefix}.h_external"),
        format::btc_signed(book.h_external, decimals),
    );
    values.insert(
        format!("{prefix}.r_residual"),
        format::btc_signed(book.r_residual(), decimals),
    );
    values.insert(format!("{prefix}.fair"), format::price(book.fair));
}

fn limit_text(q: Qty, decimals: u32) -> String {
    q.to_plain(decimals)
}

/// Every value a replay offers to prose, by key.
pub fn values(replay: &Replay) -> BTreeMap<String, String> {
    let d = replay.qty_decimals;
    let mut v = BTreeMap::new();
    put_book(&mut v, "start", &replay.start, d);
    let q = quote(&replay.start, &QuoteParams::default());
    v.insert("quote.start.bid".into(), format::price(q.bid));
    v.insert("quote.start.ask".into(), format::price(q.ask));
    v.insert(
        "band.green_max".into(),
        limit_text(replay.limits.green_max, d),
    );
    v.insert(
        "band.amber_max".into(),
        limit_text(replay.limits.amber_max, d),
    );
    for (si, step) in replay.steps.iter().enumerate() {
        let s = format!("s{}", si + 1);
        put_book(&mut v, &s, &step.book, d);
        v.insert(format!("{s}.band"), step.band.name().to_string());
        for (ei, ev) in step.events.iter().enumerate() {
            let e = format!("{s}.e{}", ei + 1);
            put_book(&mut v, &e, &ev.book, d);
            v.insert(format!("{e}.quote_ref"), format::price(ev.book.quote_ref));
            if let Some((qty, price)) = ev.event.dealer_fill() {
                v.insert(format!("{e}.qty"), format::qty(qty));
                v.insert(format!("{e}.price"), format::price(price));
            }
            if let Some(c) = &ev.contribution {
                v.insert(format!("{e}.calc"), c.to_string());
                v.insert(format!("{e}.amount"), format::money(c.amount));
            }
        }
    }
    let totals = replay.pnl_at(replay.len());
    for b in Bucket::ALL {
        v.insert(format!("total.{}", b.key()), format::money(totals.get(b)));
        v.insert(format!("total.{}.calc", b.key()), replay.bucket_sum_line(b));
    }
    v.insert("total.net".into(), format::money(totals.total()));
    v.insert("total.net.calc".into(), replay.net_sum_line());
    v
}

/// The keys a chapter about this replay must use: each step's three book numbers, every worked
/// calculation and every bucket total. Leaving one out of the text is an error.
pub fn required_keys(replay: &Replay) -> Vec<String> {
    let mut keys = Vec::new();
    for (si, step) in replay.steps.iter().enumerate() {
        for field in ["i_client", "h_external", "r_residual"] {
            keys.push(format!("s{}.{field}", si + 1));
        }
        for (ei, ev) in step.events.iter().enumerate() {
            if ev.contribution.is_some() {
                keys.push(format!("s{}.e{}.calc", si + 1, ei + 1));
            }
        }
    }
    for b in Bucket::ALL {
        keys.push(format!("total.{}.calc", b.key()));
    }
    keys.push("total.net.calc".into());
    keys
}

/// What is wrong with the placeholders of a text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlaceholderError {
    /// `{{key}}` names no value.
    #[error("line {line}: unknown placeholder `{{{{{key}}}}}`")]
    Unknown {
        /// 1-based line.
        line: usize,
        /// The key.
        key: String,
    },
    /// A `{{` without a closing `}}`.
    #[error("line {line}: `{{{{` is never closed")]
    Unclosed {
        /// 1-based line.
        line: usize,
    },
    /// A required key never appears.
    #[error("required placeholder `{{{{{0}}}}}` is not used in the text")]
    Unused(String),
}

/// Replaces every `{{key}}` with its value; `{{widget:...}}` slots stay as written. Reports every
/// unknown or unclosed placeholder and every required key the text leaves out.
pub fn fill(
    text: &str,
    values: &BTreeMap<String, String>,
    required: &[String],
) -> Result<String, Vec<PlaceholderError>> {
    let mut out = String::with_capacity(text.len());
    let mut errors = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let line = text[..text.len() - rest.len() + open].matches('\n').count() + 1;
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            errors.push(PlaceholderError::Unclosed { line });
            rest = after;
            continue;
        };
        let key = after[..close].trim();
        if key.starts_with("widget:") {
            out.push_str(&rest[open..open + 2 + close + 2]);
        } else if let Some(value) = values.get(key) {
            out.push_str(value);
            used.insert(key.to_string());
        } else {
            errors.push(PlaceholderError::Unknown {
                line,
                key: key.to_string(),
            });
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    errors.extend(
        required
            .iter()
            .filter(|k| !used.contains(*k))
            .map(|k| PlaceholderError::Unused(k.clone())),
    );
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals() -> BTreeMap<String, String> {
        BTreeMap::from([("a".to_string(), "+$1".to_string())])
    }

    #[test]
    fn fills_and_keeps_widget_slots() {
        assert_eq!(
            fill("x {{a}} {{widget:heatmap}}", &vals(), &[]).unwrap(),
            "x +$1 {{widget:heatmap}}"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_fills_without_panic(text in "(\\PC|\\{|\\}|\n){0,80}") {
            let _ = fill(&text, &vals(), &["a".to_string()]);
        }
    }

    #[test]
    fn reports_unknown_unclosed_and_unused() {
        let errs = fill("{{a}}\n{{b}}\n{{a", &vals(), &["c".to_string()]).unwrap_err();
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            text,
            vec![
                "line 2: unknown placeholder `{{b}}`",
                "line 3: `{{` is never closed",
                "required placeholder `{{c}}` is not used in the text",
            ]
        );
    }
}

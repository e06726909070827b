//! Engine numbers for prose: every state, worked calculation and total of a replay under a
//! stable key, and the `{{key}}` substitution that puts them into the chapter's Markdown, so the
//! text can never disagree with the widgets.
//!
//! Keys (steps `sN` and events `eK` are 1-based):
//! - `start.fair`, `start.i_client`, `start.h_external`, `start.r_residual`;
//! - `quote.start.bid`, `quote.start.ask`: the default quote on the starting book;
//! - `band.green_max`, `band.amber_max`;
//! - after step N: `sN.i_client`, `sN.h_external`, `sN.r_residual`, `sN.fair`, `sN.band`,
//!   `sN.internalized` and `sN.internalized_toxic` (customer BTC that offset earlier flow in
//!   `I_client`, and the part of it that was a stale-quote fill), `sN.risk_reduced` and
//!   `sN.risk_added` (customer BTC that moved `R_residual` toward zero, and away from it);
//! - after event K of step N: `sN.eK.i_client`, `.h_external`, `.r_residual`, `.fair`, `.quote_ref`;
//!   for fills also `.qty`, `.price`; for PnL contributions `.calc` and `.amount`;
//! - for fills also `sN.eK.gap`: the distance between fill price and fresh fair, per BTC;
//! - after every event, the quote customers could hit then ([`crate::engine::quote::shown_quote`]):
//!   `sN.eK.shown.bid`, `.ask`, `.size`, and `sN.eK.shown.basis` (`fresh`, `resting`,
//!   `protective`); `quote.as_k`, the Avellaneda–Stoikov `k` of the replay's overlay; with a stale reference also `sN.eK.pick_off` (a picker-off's gain per BTC,
//!   `max(|Δ| - h, 0)`) and `quote.stale_tolerance` (the normal regime's tolerance `h`);
//! - `total.<bucket>` and `total.<bucket>.calc` for each bucket key, `total.net`, `total.net.calc`;
//! - the toy quote model ([`crate::engine::quote`]): `quote.base` (base half-spread), `quote.size`,
//!   `quote.gamma` (default γ), `quote.shock.<regime>`, `quote.pause_gap`,
//!   `band.<regime>.green_max` / `.amber_max`, and `quote.worked.sN` / `quote.worked.sN.eK`:
//!   the default quote on that book worked by hand (several lines, for a code block), with
//!   `quote.worked.sN.calm` / `.stressed` for the other regimes;
//! - the policy ([`crate::engine::policy`]): `policy.rules` (the rule table, several Markdown lines) and
//!   every threshold as `policy.<name>` (`stale_latency`, `pause_latency`, `toxic`,
//!   `informed_toxicity`, `stressed_volatility`, `low_pressure`, `cheap_hedge`,
//!   `full_hedge_pressure`, `costly_hedge_pressure`), plus `policy.default.action` and
//!   `policy.default.reason` at the heatmap's default levels.
//! - the hedge lab's `lab.*` numbers (see [`crate::words::explain::lab::narrative_values`]).
//!
//! `{{widget:NAME}}` slots are left in place for the page builder.

use std::collections::BTreeMap;

use crate::engine::book::Book;
use crate::engine::num::Price;
use crate::engine::num::{plain_decimal, Qty};
use crate::engine::pnl::Bucket;
use crate::engine::policy;
use crate::engine::quote::{quote, regime_limits, QuoteParams, Regime};
use crate::engine::replay::Replay;
use crate::words::explain;
use crate::words::format;

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
    plain_decimal(q.sats() as i128, 8, decimals)
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
        for r in Regime::ALL {
            let p = QuoteParams {
                regime: r,
                ..QuoteParams::default()
            };
            let key = if r == Regime::Normal {
                format!("quote.worked.{s}")
            } else {
                format!("quote.worked.{s}.{}", r.name())
            };
            v.insert(key, explain::quote::worked(&step.book, &p).join("\n"));
        }
        v.insert(
            format!("{s}.internalized"),
            format::qty(step.flow.internalized),
        );
        v.insert(
            format!("{s}.internalized_toxic"),
            format::qty(step.flow.internalized_toxic),
        );
        v.insert(
            format!("{s}.risk_reduced"),
            format::qty(step.flow.risk_reduced),
        );
        v.insert(format!("{s}.risk_added"), format::qty(step.flow.risk_added));
        for (ei, ev) in step.events.iter().enumerate() {
            let e = format!("{s}.e{}", ei + 1);
            put_book(&mut v, &e, &ev.book, d);
            v.insert(format!("{e}.quote_ref"), format::price(ev.book.quote_ref));
            let p = QuoteParams::default();
            let shown = crate::engine::quote::shown_quote(&ev.book, &p);
            v.insert(format!("{e}.shown.bid"), format::price(shown.bid));
            v.insert(format!("{e}.shown.ask"), format::price(shown.ask));
            v.insert(format!("{e}.shown.size"), format::qty(shown.size));
            let basis = match shown.basis {
                crate::engine::quote::Basis::Fresh => "fresh",
                crate::engine::quote::Basis::Resting => "resting",
                crate::engine::quote::Basis::Protective => "protective",
            };
            v.insert(format!("{e}.shown.basis"), basis.into());
            if ev.book.is_stale() {
                let st = crate::engine::quote::staleness(&ev.book, &p);
                v.insert(
                    format!("{e}.pick_off"),
                    format::price(Price::from_cents(st.pick_off_per_btc_cents())),
                );
            }
            if let Some((qty, price)) = ev.event.dealer_fill() {
                v.insert(format!("{e}.qty"), format::qty(qty));
                v.insert(format!("{e}.price"), format::price(price));
                let gap = (price.cents() - ev.book.fair.cents()).abs();
                v.insert(format!("{e}.gap"), format::price(Price::from_cents(gap)));
            }
            v.insert(
                format!("quote.worked.{e}"),
                explain::quote::worked(&ev.book, &QuoteParams::default()).join("\n"),
            );
            if let Some(c) = &ev.contribution {
                v.insert(format!("{e}.calc"), explain::pnl::worked(c));
                v.insert(format!("{e}.amount"), format::money(c.amount));
            }
        }
    }
    model_values(&mut v, replay);
    let totals = replay.pnl_at(replay.len());
    for b in Bucket::ALL {
        v.insert(format!("total.{}", b.key()), format::money(totals.get(b)));
        v.insert(
            format!("total.{}.calc", b.key()),
            crate::words::explain::replay::bucket_sum_line(replay, b),
        );
    }
    v.insert("total.net".into(), format::money(totals.total()));
    v.insert(
        "total.net.calc".into(),
        crate::words::explain::replay::net_sum_line(replay),
    );
    v.extend(crate::words::explain::lab::narrative_values(replay));
    v
}

/// The quote model's parameters and the policy's thresholds and rule table.
fn model_values(v: &mut BTreeMap<String, String>, replay: &Replay) {
    v.insert(
        "quote.as_k".into(),
        crate::engine::quote::AS_K_PER_USD.to_string(),
    );
    v.insert(
        "quote.stale_tolerance".into(),
        format::price(replay.limits.stale_tolerance),
    );
    let p = QuoteParams::default();
    v.insert("quote.base".into(), format::price(p.base_half_spread));
    v.insert("quote.size".into(), format::qty(p.base_size));
    v.insert("quote.gamma".into(), p.gamma.text());
    v.insert(
        "quote.pause_gap".into(),
        format!("{}%", plain_decimal(p.pause_gap_bp as i128, 2, 0)),
    );
    for r in Regime::ALL {
        let rp = QuoteParams { regime: r, ..p };
        v.insert(
            format!("quote.shock.{}", r.name()),
            explain::quote::shock_text(&rp),
        );
        let l = regime_limits(&replay.limits, r);
        let d = replay.qty_decimals;
        v.insert(
            format!("band.{}.green_max", r.name()),
            limit_text(l.green_max, d),
        );
        v.insert(
            format!("band.{}.amber_max", r.name()),
            limit_text(l.amber_max, d),
        );
    }
    v.insert("policy.rules".into(), explain::policy::rule_table());
    for (name, level) in policy::THRESHOLDS {
        v.insert(format!("policy.{name}"), explain::policy::level(level));
    }
    let x = crate::engine::policy::DEFAULT_LEVELS;
    let dcs = policy::decide(&x);
    v.insert("policy.default.action".into(), dcs.action.key().into());
    v.insert("policy.default.pair".into(), explain::policy::pair(&dcs));
    v.insert(
        "policy.default.reason".into(),
        explain::policy::reason(&dcs, &x),
    );
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
    keys.push("policy.rules".into());
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

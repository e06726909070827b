//! A replay as downloadable data: CSV (one row per event, plus the starting book) and JSON (per
//! step: the book, band and cumulative buckets; per event: the fill and its contribution), with
//! the path's risk figures. Numbers are exact plain decimals (`-1900`, `0.5`), never rounded.
//! Also the JSON of a simulation summary, as `dealer-book simulate --json` prints it.
//!
//! The JSON is derived from report structs over the engine's exact number types (each
//! `Serialize`s as its plain decimal): one shape for a book ([`BookJson`]), used by these
//! downloads and by the CLI's `replay --json` ([`StepTotals`]), which leaves out `quote_ref`.

use serde::Serialize;

use crate::engine::book::{Band, BandLimits, Book};
use crate::engine::num::{Money, Price, Qty};
use crate::engine::pnl::{Bucket, Buckets, Contribution};
use crate::engine::replay::{Replay, StepReport};
use crate::engine::risk::Risk;
use crate::engine::simulate::{Spread, Summary};
use crate::engine::tape::Event;

/// An exact JSON number from a fixed-point value's plain decimal text (for numbers that are
/// not one of the [`crate::engine::num`] types, such as γ in thousandths).
pub fn number(text: String) -> ExactNumber {
    ExactNumber(text)
}

/// A plain decimal (`0.25`, `-3`) that serializes as an exact JSON number, never through `f64`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExactNumber(String);

impl Serialize for ExactNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::engine::num::exact_number(self.0.clone(), s)
    }
}

/// The book, in the one JSON shape every report uses: `i_client`, `h_external`, `r_residual`,
/// `fair`, then `quote_ref` where the report shows it, then `band`. Exact numbers.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct BookJson {
    /// `I_client`, BTC.
    pub i_client: Qty,
    /// `H_external`, BTC.
    pub h_external: Qty,
    /// `R_residual`, BTC.
    pub r_residual: Qty,
    /// Fair value, USD.
    pub fair: Price,
    /// The price the resting quote is built around (downloads only; the CLI's report leaves
    /// it out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote_ref: Option<Price>,
    /// The band's name (`green`, `amber`, `red`).
    pub band: &'static str,
}

impl BookJson {
    /// A book in `band`, with its quote reference.
    pub fn new(b: &Book, band: Band) -> BookJson {
        BookJson {
            quote_ref: Some(b.quote_ref),
            ..BookJson::without_quote_ref(b, band)
        }
    }

    /// A book in `band`, without its quote reference (the CLI's `replay --json`).
    pub fn without_quote_ref(b: &Book, band: Band) -> BookJson {
        BookJson {
            i_client: b.i_client,
            h_external: b.h_external,
            r_residual: b.r_residual(),
            fair: b.fair,
            quote_ref: None,
            band: band.name(),
        }
    }
}

/// One step as `dealer-book replay --json` prints it: its title, the book and band after it
/// and the cumulative buckets.
#[derive(Clone, Debug, Serialize)]
pub struct StepTotals<'a> {
    /// The step's title.
    pub title: &'a str,
    /// The book after the step.
    #[serde(flatten)]
    pub book: BookJson,
    /// Cumulative PnL by bucket, and the total.
    pub pnl: Buckets,
}

impl<'a> StepTotals<'a> {
    /// The totals of one replayed step.
    pub fn of(s: &'a StepReport) -> StepTotals<'a> {
        StepTotals {
            title: &s.title,
            book: BookJson::without_quote_ref(&s.book, s.band),
            pnl: s.pnl,
        }
    }
}

/// A replay's download: the start, each step with its events, and the path's risk.
#[derive(Serialize)]
struct ReplayJson<'a> {
    title: &'a str,
    start: BookJson,
    steps: Vec<StepJson<'a>>,
    risk: Risk,
}

#[derive(Serialize)]
struct StepJson<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(flatten)]
    book: BookJson,
    pnl: Buckets,
    events: Vec<EventJson>,
}

/// An event as written on a tape (type, and qty / price / stale where it has them), the
/// residual after it and its contribution.
#[derive(Serialize)]
struct EventJson {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    qty: Option<Qty>,
    #[serde(skip_serializing_if = "Option::is_none")]
    price: Option<Price>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stale: Option<bool>,
    r_residual: Qty,
    contribution: Option<ContributionJson>,
}

#[derive(Serialize)]
struct ContributionJson {
    bucket: &'static str,
    amount: Money,
    calculation: String,
}

/// The event's own fields as written on a tape: type, and qty / price / stale where it has them.
fn event_fields(e: &Event) -> (Option<Qty>, Option<Price>, Option<bool>) {
    match *e {
        Event::ClientBuy { qty, price }
        | Event::ClientSell { qty, price }
        | Event::HedgeBuy { qty, price }
        | Event::HedgeSell { qty, price } => (Some(qty), Some(price), None),
        Event::Fair { price, stale } => (None, Some(price), Some(stale)),
        Event::Refresh => (None, None, None),
    }
}

/// Pretty JSON text with a final line break.
pub fn pretty(value: &impl Serialize) -> String {
    // Every report serializes without error: plain structs, string keys, exact numbers.
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

/// The replay as JSON, bands under `limits` (the regime the reader selected).
pub fn replay_json(r: &Replay, limits: &BandLimits) -> String {
    let steps = r
        .steps
        .iter()
        .map(|s| StepJson {
            title: &s.title,
            note: s.note.as_deref(),
            book: BookJson::new(&s.book, s.book.band(limits)),
            pnl: s.pnl,
            events: s
                .events
                .iter()
                .map(|e| {
                    let (qty, price, stale) = event_fields(&e.event);
                    EventJson {
                        kind: e.event.type_name(),
                        qty,
                        price,
                        stale,
                        r_residual: e.book.r_residual(),
                        contribution: e.contribution.map(|c| ContributionJson {
                            bucket: c.bucket.key(),
                            amount: c.amount,
                            calculation: crate::words::explain::pnl::worked(&c),
                        }),
                    }
                })
                .collect(),
        })
        .collect();
    pretty(&ReplayJson {
        title: &r.title,
        start: BookJson::new(&r.start, r.start.band(limits)),
        steps,
        risk: r.risk(),
    })
}

/// A simulation summary with exactly the keys `dealer-book simulate --json` promises:
/// `paths, seed, hedge_rule, hedge_cost, regime, total {mean, stdev, p05, p50, p95, stderr},
/// buckets {<bucket> {mean, stdev}}, risk {max_abs_r_residual {mean, p95}, worst_drawdown
/// {mean, p95}}`, and `exact {mean, stdev}` where the model gives it.
pub fn summary_json(s: &Summary) -> String {
    #[derive(Serialize)]
    struct Total {
        mean: Money,
        stdev: Money,
        p05: Money,
        p50: Money,
        p95: Money,
        stderr: Money,
    }
    #[derive(Serialize)]
    struct MeanP95<T> {
        mean: T,
        p95: T,
    }
    #[derive(Serialize)]
    struct RiskSummary {
        max_abs_r_residual: MeanP95<Qty>,
        worst_drawdown: MeanP95<Money>,
    }
    struct PerBucket<'a>(&'a [Spread; 4]);
    impl Serialize for PerBucket<'_> {
        fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut m = ser.serialize_map(Some(Bucket::ALL.len()))?;
            for (b, spread) in Bucket::ALL.iter().zip(self.0) {
                m.serialize_entry(b.key(), spread)?;
            }
            m.end()
        }
    }
    #[derive(Serialize)]
    struct SummaryJson<'a> {
        paths: usize,
        seed: u64,
        hedge_rule: &'static str,
        hedge_cost: Price,
        regime: &'static str,
        total: Total,
        buckets: PerBucket<'a>,
        risk: RiskSummary,
        #[serde(skip_serializing_if = "Option::is_none")]
        exact: Option<Spread>,
    }
    let (p, t) = (&s.params, &s.total);
    pretty(&SummaryJson {
        paths: p.paths,
        seed: p.seed,
        hedge_rule: p.rule.key(),
        hedge_cost: p.cost,
        regime: p.regime.name(),
        total: Total {
            mean: t.mean,
            stdev: t.stdev,
            p05: t.p05,
            p50: t.p50,
            p95: t.p95,
            stderr: t.stderr,
        },
        buckets: PerBucket(&s.buckets),
        risk: RiskSummary {
            max_abs_r_residual: MeanP95 {
                mean: s.max_abs_r_residual.0,
                p95: s.max_abs_r_residual.1,
            },
            worst_drawdown: MeanP95 {
                mean: s.worst_drawdown.0,
                p95: s.worst_drawdown.1,
            },
        },
        exact: s.exact,
    })
}

/// RFC 4180 field: quoted when it holds a comma, quote or line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A text cell (a step title from the tape, a calculation in words) as a CSV field that a
/// spreadsheet shows as text: a cell that would start a formula (`=`, `+`, `-`, `@`, a tab or a
/// carriage return) gets a leading apostrophe, the usual neutralising rule (OWASP, "CSV
/// Injection"). Numeric columns are never passed through here, so they stay numbers.
fn csv_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        csv_field(&format!("'{s}"))
    } else {
        csv_field(s)
    }
}

/// The CSV header of [`replay_csv`].
pub const CSV_HEADER: &str = "step,step_title,event,type,qty,price,stale,bucket,contribution,calculation,i_client,h_external,r_residual,fair,quote_ref,band,spread_edge,inventory_markout,hedge_cost,toxic_markout,total";

/// The replay as CSV: a row for the starting book (step 0, event 0), then one row per event
/// with the fill, its contribution, the book and band after it and the cumulative buckets.
pub fn replay_csv(r: &Replay, limits: &BandLimits) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    let mut row = |step: usize,
                   title: &str,
                   event: usize,
                   e: Option<&Event>,
                   c: Option<&Contribution>,
                   b: &Book,
                   pnl: &Buckets| {
        let (qty, price, stale) = e.map(event_fields).unwrap_or((None, None, None));
        let opt = |v: Option<String>| v.unwrap_or_default();
        let mut cells = vec![
            step.to_string(),
            csv_text(title),
            event.to_string(),
            e.map(|e| e.type_name().to_string()).unwrap_or_default(),
            opt(qty.map(|q| q.to_string())),
            opt(price.map(|p| p.to_string())),
            opt(stale.map(|s| s.to_string())),
            opt(c.map(|c| c.bucket.key().to_string())),
            opt(c.map(|c| c.amount.to_string())),
            csv_text(&opt(c.map(crate::words::explain::pnl::worked))),
            b.i_client.to_string(),
            b.h_external.to_string(),
            b.r_residual().to_string(),
            b.fair.to_string(),
            b.quote_ref.to_string(),
            b.band(limits).name().to_string(),
        ];
        cells.extend(Bucket::ALL.iter().map(|&k| pnl.get(k).to_string()));
        cells.push(pnl.total().to_string());
        out.push_str(&cells.join(","));
        out.push('\n');
    };
    row(0, "Start", 0, None, None, &r.start, &Buckets::default());
    let mut pnl = Buckets::default();
    for (si, s) in r.steps.iter().enumerate() {
        for (ei, e) in s.events.iter().enumerate() {
            if let Some(c) = &e.contribution {
                // Cannot overflow: the replay already summed these same amounts.
                let _ = pnl.checked_add(c.bucket, c.amount);
            }
            row(
                si + 1,
                &s.title,
                ei + 1,
                Some(&e.event),
                e.contribution.as_ref(),
                &e.book,
                &pnl,
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tape::Tape;
    use serde_json::Value;

    fn chapter() -> Replay {
        crate::engine::replay::chapter_replay()
    }

    #[test]
    fn csv_has_a_row_per_event_and_ends_at_the_net() {
        let csv = replay_csv(&chapter(), &BandLimits::default());
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], CSV_HEADER);
        assert_eq!(lines.len(), 2 + 10, "header, start, ten events");
        assert_eq!(
            lines[1],
            "0,Start,0,,,,,,,,0,0,0,100000,100000,green,0,0,0,0,0"
        );
        assert_eq!(
            lines[9],
            "4,A toxic stale-quote event,2,client_sell,2,100450,,toxic_markout,-1900,\
             \"2 x ($99,500 - $100,450) = -$1,900\",0.5,2,2.5,99500,100500,red,\
             225,-1000,-140,-1900,-2815"
        );
        assert!(
            lines[11].ends_with(",225,-700,-200,-1900,-2575"),
            "{}",
            lines[11]
        );
    }

    #[test]
    fn json_keeps_every_event_and_the_risk() {
        let text = replay_json(&chapter(), &BandLimits::default());
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["steps"].as_array().unwrap().len(), 5);
        let ev = &v["steps"][3]["events"][1];
        assert_eq!(ev["type"], "client_sell");
        assert_eq!(ev["contribution"]["bucket"], "toxic_markout");
        assert_eq!(ev["contribution"]["amount"].to_string(), "-1900");
        assert_eq!(v["steps"][3]["events"][0]["stale"], true);
        assert_eq!(v["steps"][4]["pnl"]["total"].to_string(), "-2575");
        assert_eq!(v["risk"]["max_abs_r_residual"].to_string(), "3");
        assert_eq!(v["risk"]["worst_drawdown"].to_string(), "3005");
        assert_eq!(v["start"]["band"], "green");
    }

    #[test]
    fn summary_has_exactly_the_promised_keys() {
        let tape = Tape::from_json(crate::CHAPTER_TAPE).unwrap();
        let params = crate::engine::simulate::SimParams {
            paths: 200,
            ..Default::default()
        };
        let text = summary_json(&crate::engine::simulate::simulate(&tape, params).unwrap());
        let v: Value = serde_json::from_str(&text).unwrap();
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            keys(&v),
            [
                "paths",
                "seed",
                "hedge_rule",
                "hedge_cost",
                "regime",
                "total",
                "buckets",
                "risk",
                "exact"
            ]
        );
        assert_eq!(
            keys(&v["total"]),
            ["mean", "stdev", "p05", "p50", "p95", "stderr"]
        );
        assert_eq!(keys(&v["exact"]), ["mean", "stdev"]);
        assert_eq!(
            keys(&v["buckets"]),
            [
                "spread_edge",
                "inventory_markout",
                "hedge_cost",
                "toxic_markout"
            ]
        );
        assert_eq!(keys(&v["buckets"]["toxic_markout"]), ["mean", "stdev"]);
        assert_eq!(keys(&v["risk"]), ["max_abs_r_residual", "worst_drawdown"]);
        assert_eq!(keys(&v["risk"]["worst_drawdown"]), ["mean", "p95"]);
        assert_eq!(v["hedge_rule"], "tape");
        assert_eq!(v["hedge_cost"].to_string(), "50");
        assert_eq!(v["buckets"]["hedge_cost"]["mean"].to_string(), "-200");
    }

    #[test]
    fn csv_text_cells_cannot_start_a_formula() {
        for bad in [
            "=HYPERLINK(\"http://x\",\"Click\")",
            "+1",
            "-1+2",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            let cell = csv_text(bad);
            let inner = cell.trim_start_matches('"');
            assert!(inner.starts_with('\''), "{bad:?} -> {cell:?}");
        }
        assert_eq!(csv_text("Step one"), "Step one");
        let text = crate::engine::tape::synthetic::tape(3, 1)
            .to_json()
            .replacen(
                "\"title\":\"",
                "\"title\":\"=HYPERLINK(\\\"http://x\\\",\\\"Click\\\")",
                2,
            );
        let tape = Tape::from_json(&text).unwrap();
        let csv = replay_csv(
            &crate::engine::replay::replay(&tape).unwrap(),
            &BandLimits::default(),
        );
        let row = csv.lines().nth(2).unwrap();
        assert!(
            row.starts_with("1,\"'=HYPERLINK(\"\"http://x\"\",\"\"Click\"\")"),
            "{row}"
        );
    }

    #[test]
    fn csv_quotes_awkward_titles() {
        assert_eq!(csv_field("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}

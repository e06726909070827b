//! A replay as downloadable data: CSV (one row per event, plus the starting book) and JSON (per
//! step: the book, band and cumulative buckets; per event: the fill and its contribution), with
//! the path's risk figures. Numbers are exact plain decimals (`-1900`, `0.5`), never rounded.
//! Also the JSON of a simulation summary, as `dealer-book simulate --json` prints it.
//!
//! Widgets offer these texts as downloads; the CLI's `replay --json` shape is separate and
//! unchanged (see the `dealer-book-cli` crate).

use serde_json::{Map, Number, Value};

use crate::engine::book::{BandLimits, Book};
use crate::engine::num::{Money, Price, Qty};
use crate::engine::pnl::{Bucket, Buckets, Contribution};
use crate::engine::replay::Replay;
use crate::engine::simulate::Summary;
use crate::engine::tape::Event;

/// An exact JSON number from a fixed-point value's plain decimal text.
pub fn number(text: String) -> Value {
    // The text is always a valid JSON number (digits, optional '-', optional '.digits').
    text.parse::<Number>()
        .map(Value::Number)
        .unwrap_or(Value::String(text))
}

/// A quantity as an exact JSON number of BTC.
pub fn qty_number(q: Qty) -> Value {
    number(q.to_string())
}

/// A price as an exact JSON number of dollars.
pub fn price_number(p: Price) -> Value {
    number(p.to_string())
}

/// An amount as an exact JSON number of dollars.
pub fn money_number(m: Money) -> Value {
    number(m.to_string())
}

/// The four buckets and their total under their JSON keys.
pub fn pnl_json(b: &Buckets) -> Value {
    let mut m = Map::new();
    for bucket in Bucket::ALL {
        m.insert(bucket.key().into(), money_number(b.get(bucket)));
    }
    m.insert("total".into(), money_number(b.total()));
    Value::Object(m)
}

/// The `"risk"` block: `max_abs_r_residual` (BTC) and `worst_drawdown` (positive dollars).
pub fn risk_json(r: &Replay) -> Value {
    risk_value(&r.risk())
}

/// The `"risk"` block for risk figures computed elsewhere (e.g. while streaming a tape).
pub fn risk_value(k: &crate::engine::risk::Risk) -> Value {
    let mut m = Map::new();
    m.insert(
        "max_abs_r_residual".into(),
        qty_number(k.max_abs_r_residual),
    );
    m.insert("worst_drawdown".into(), money_number(k.worst_drawdown));
    Value::Object(m)
}

fn book_json(m: &mut Map<String, Value>, b: &Book, limits: &BandLimits) {
    m.insert("i_client".into(), qty_number(b.i_client));
    m.insert("h_external".into(), qty_number(b.h_external));
    m.insert("r_residual".into(), qty_number(b.r_residual()));
    m.insert("fair".into(), price_number(b.fair));
    m.insert("quote_ref".into(), price_number(b.quote_ref));
    m.insert("band".into(), Value::String(b.band(limits).name().into()));
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

/// The replay as JSON, bands under `limits` (the regime the reader selected).
pub fn replay_json(r: &Replay, limits: &BandLimits) -> String {
    let mut start = Map::new();
    book_json(&mut start, &r.start, limits);
    let steps: Vec<Value> = r
        .steps
        .iter()
        .map(|s| {
            let mut m = Map::new();
            m.insert("title".into(), Value::String(s.title.clone()));
            if let Some(n) = &s.note {
                m.insert("note".into(), Value::String(n.clone()));
            }
            book_json(&mut m, &s.book, limits);
            m.insert("pnl".into(), pnl_json(&s.pnl));
            let events: Vec<Value> = s
                .events
                .iter()
                .map(|e| {
                    let mut o = Map::new();
                    o.insert("type".into(), Value::String(e.event.type_name().into()));
                    let (qty, price, stale) = event_fields(&e.event);
                    if let Some(q) = qty {
                        o.insert("qty".into(), qty_number(q));
                    }
                    if let Some(p) = price {
                        o.insert("price".into(), price_number(p));
                    }
                    if let Some(st) = stale {
                        o.insert("stale".into(), Value::Bool(st));
                    }
                    o.insert("r_residual".into(), qty_number(e.book.r_residual()));
                    let c = e.contribution.map(|c| {
                        let mut cm = Map::new();
                        cm.insert("bucket".into(), Value::String(c.bucket.key().into()));
                        cm.insert("amount".into(), money_number(c.amount));
                        cm.insert(
                            "calculation".into(),
                            Value::String(crate::words::explain::pnl::worked(&c)),
                        );
                        Value::Object(cm)
                    });
                    o.insert("contribution".into(), c.unwrap_or(Value::Null));
                    Value::Object(o)
                })
                .collect();
            m.insert("events".into(), Value::Array(events));
            Value::Object(m)
        })
        .collect();
    let mut root = Map::new();
    root.insert("title".into(), Value::String(r.title.clone()));
    root.insert("start".into(), Value::Object(start));
    root.insert("steps".into(), Value::Array(steps));
    root.insert("risk".into(), risk_json(r));
    let mut s = serde_json::to_string_pretty(&Value::Object(root)).unwrap_or_default();
    s.push('\n');
    s
}

/// A simulation summary with exactly the keys `dealer-book simulate --json` promises:
/// `paths, seed, hedge_rule, hedge_cost, regime, total {mean, stdev, p05, p50, p95}, buckets
/// {<bucket> {mean, stdev}}, risk {max_abs_r_residual {mean, p95}, worst_drawdown {mean, p95}}`.
pub fn summary_json(s: &Summary) -> String {
    let obj = |pairs: Vec<(&str, Value)>| {
        Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    };
    let p = &s.params;
    let t = &s.total;
    let buckets = Bucket::ALL
        .iter()
        .zip(&s.buckets)
        .map(|(b, sp)| {
            (
                b.key(),
                obj(vec![
                    ("mean", money_number(sp.mean)),
                    ("stdev", money_number(sp.stdev)),
                ]),
            )
        })
        .collect();
    let root = obj(vec![
        ("paths", Value::from(p.paths as u64)),
        ("seed", Value::from(p.seed)),
        ("hedge_rule", Value::String(p.rule.key().into())),
        ("hedge_cost", price_number(p.cost)),
        ("regime", Value::String(p.regime.name().into())),
        (
            "total",
            obj(vec![
                ("mean", money_number(t.mean)),
                ("stdev", money_number(t.stdev)),
                ("p05", money_number(t.p05)),
                ("p50", money_number(t.p50)),
                ("p95", money_number(t.p95)),
                ("stderr", money_number(t.stderr)),
            ]),
        ),
        ("buckets", obj(buckets)),
        (
            "risk",
            obj(vec![
                (
                    "max_abs_r_residual",
                    obj(vec![
                        ("mean", qty_number(s.max_abs_r_residual.0)),
                        ("p95", qty_number(s.max_abs_r_residual.1)),
                    ]),
                ),
                (
                    "worst_drawdown",
                    obj(vec![
                        ("mean", money_number(s.worst_drawdown.0)),
                        ("p95", money_number(s.worst_drawdown.1)),
                    ]),
                ),
            ]),
        ),
    ]);
    let mut root = root;
    if let (Some(e), Value::Object(m)) = (s.exact, &mut root) {
        m.insert(
            "exact".into(),
            obj(vec![
                ("mean", money_number(e.mean)),
                ("stdev", money_number(e.stdev)),
            ]),
        );
    }
    let mut text = serde_json::to_string_pretty(&root).unwrap_or_default();
    text.push('\n');
    text
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

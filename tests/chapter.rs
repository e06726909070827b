//! The chapter's numbers, asserted from the shipped tape: states, worked calculations, buckets.

use dealer_book::book::Band;
use dealer_book::format;
use dealer_book::narrative;
use dealer_book::num::Money;
use dealer_book::pnl::Bucket;
use dealer_book::quote::{quote, resting_quote, ControlAction, QuoteParams};
use dealer_book::replay::{replay, Replay};
use dealer_book::tape::{Event, Tape};
use dealer_book::CHAPTER_TAPE;

fn chapter() -> Replay {
    replay(&Tape::from_json(CHAPTER_TAPE).expect("chapter tape parses"))
        .expect("chapter tape replays")
}

fn state(r: &Replay, step: usize) -> (String, String, String, &'static str) {
    let s = &r.steps[step - 1];
    let d = r.qty_decimals;
    (
        format::btc_signed(s.book.i_client, d),
        format::btc_signed(s.book.h_external, d),
        format::btc_signed(s.book.r_residual(), d),
        s.band.name(),
    )
}

fn calcs(r: &Replay, step: usize) -> Vec<String> {
    r.steps[step - 1]
        .events
        .iter()
        .filter_map(|e| {
            e.contribution
                .as_ref()
                .map(dealer_book::explain::pnl::worked)
        })
        .collect()
}

#[test]
fn book_after_each_step() {
    let r = chapter();
    let s = |a: &str, b: &str, c: &str, band| (a.to_string(), b.to_string(), c.to_string(), band);
    assert_eq!(state(&r, 1), s("-1.0", "0.0", "-1.0", "green"));
    assert_eq!(state(&r, 2), s("-3.0", "+2.0", "-1.0", "green"));
    assert_eq!(state(&r, 3), s("-1.5", "+2.0", "+0.5", "green"));
    assert_eq!(state(&r, 4), s("+0.5", "+0.5", "+1.0", "red"));
    assert_eq!(state(&r, 5), s("+0.5", "+0.5", "+1.0", "green"));
}

#[test]
fn intermediate_states_of_the_chapter() {
    let r = chapter();
    // Step 2 after the customer buy, before the hedge: past the red band.
    let b = r.steps[1].events[1].book;
    assert_eq!(
        (b.i_client.to_string(), b.r_residual().to_string()),
        ("-3".into(), "-3".into())
    );
    assert_eq!(r.steps[1].peak_band, Band::Red);
    // Step 4 after the stale fill, before the protective hedge.
    let b = r.steps[3].events[1].book;
    assert_eq!(
        (
            b.i_client.to_string(),
            b.h_external.to_string(),
            b.r_residual().to_string()
        ),
        ("0.5".into(), "2".into(), "2.5".into())
    );
}

#[test]
fn worked_calculations() {
    let r = chapter();
    assert_eq!(calcs(&r, 1), ["1 x ($100,050 - $100,000) = +$50"]);
    assert_eq!(
        calcs(&r, 2),
        [
            "-1 x ($100,020 - $100,000) = -$20",
            "2 x ($100,070 - $100,020) = +$100",
            "2 x ($100,020 - $100,090) = -$140"
        ]
    );
    assert_eq!(
        calcs(&r, 3),
        [
            "-1 x ($100,500 - $100,020) = -$480",
            "1.5 x ($100,500 - $100,450) = +$75"
        ]
    );
    assert_eq!(
        calcs(&r, 4),
        [
            "0.5 x ($99,500 - $100,500) = -$500",
            "2 x ($99,500 - $100,450) = -$1,900",
            "1.5 x ($99,460 - $99,500) = -$60"
        ]
    );
    assert_eq!(calcs(&r, 5), ["1 x ($99,800 - $99,500) = +$300"]);
}

#[test]
fn buckets_of_each_contribution() {
    let r = chapter();
    let buckets: Vec<Vec<Bucket>> = r
        .steps
        .iter()
        .map(|s| {
            s.events
                .iter()
                .filter_map(|e| e.contribution.map(|c| c.bucket))
                .collect()
        })
        .collect();
    use Bucket::*;
    assert_eq!(
        buckets,
        vec![
            vec![SpreadEdge],
            vec![InventoryMarkout, SpreadEdge, HedgeCost],
            vec![InventoryMarkout, SpreadEdge],
            vec![InventoryMarkout, ToxicMarkout, HedgeCost],
            vec![InventoryMarkout],
        ]
    );
}

#[test]
fn decomposition_table() {
    let r = chapter();
    let t = r.pnl_at(r.len());
    assert_eq!(t.spread_edge, Money::usd(225));
    assert_eq!(t.inventory_markout, Money::usd(-700));
    assert_eq!(t.hedge_cost, Money::usd(-200));
    assert_eq!(t.toxic_markout, Money::usd(-1_900));
    assert_eq!(t.total(), Money::usd(-2_575));
    assert_eq!(r.steps[4].mark_to_market, Money::usd(-2_575));
    let v = narrative::values(&r);
    assert_eq!(v["total.spread_edge.calc"], "+$50 + $100 + $75 = +$225");
    assert_eq!(
        v["total.inventory_markout.calc"],
        "-$20 - $480 - $500 + $300 = -$700"
    );
    assert_eq!(v["total.hedge_cost.calc"], "-$140 - $60 = -$200");
    assert_eq!(v["total.toxic_markout.calc"], "-$1,900");
    assert_eq!(
        v["total.net.calc"],
        "+$225 - $700 - $200 - $1,900 = -$2,575"
    );
}

#[test]
fn cumulative_pnl_per_step() {
    let r = chapter();
    let totals: Vec<String> = r
        .steps
        .iter()
        .map(|s| format::money(s.pnl.total()))
        .collect();
    assert_eq!(totals, ["+$50", "-$10", "-$415", "-$2,875", "-$2,575"]);
    for s in &r.steps {
        assert_eq!(s.pnl.total(), s.mark_to_market);
    }
}

#[test]
fn internalized_versus_hedged() {
    let r = chapter();
    let q = |s: usize| {
        (
            r.steps[s - 1].flow.internalized.to_string(),
            r.steps[s - 1].flow.hedged.to_string(),
        )
    };
    assert_eq!(q(2), ("0".into(), "2".into()));
    assert_eq!(q(3), ("1.5".into(), "0".into()));
    assert_eq!(q(4), ("1.5".into(), "1.5".into()));
    // Step 4's offset came from the stale-quote fill: toxic flow absorbed, not healthy netting.
    let toxic = |s: usize| r.steps[s - 1].flow.internalized_toxic.to_string();
    assert_eq!((toxic(3), toxic(4)), ("0".into(), "1.5".into()));
    let total = r.flow_until(5);
    assert_eq!(
        (total.internalized.to_string(), total.hedged.to_string()),
        ("3".into(), "3.5".into())
    );
    assert_eq!(total.hedge_cost, Money::usd(-200));
}

#[test]
fn every_customer_fill_is_a_price_the_engine_quoted() {
    let r = chapter();
    let p = QuoteParams::default();
    let mut book = r.start;
    let mut checked = 0;
    for s in &r.steps {
        for e in &s.events {
            let q = resting_quote(&book, &p);
            match e.event {
                dealer_book::tape::Event::ClientBuy { price, .. } => {
                    assert_eq!(price, q.ask, "{}", s.title);
                    checked += 1;
                }
                dealer_book::tape::Event::ClientSell { price, .. } => {
                    assert_eq!(price, q.bid, "{}", s.title);
                    checked += 1;
                }
                _ => {}
            }
            book = e.book;
        }
    }
    assert_eq!(checked, 4);
}

#[test]
fn engine_reacts_at_the_chapter_moments() {
    let r = chapter();
    let p = QuoteParams::default();
    let flat = quote(&r.start, &p);
    assert_eq!(
        (format::price(flat.bid), format::price(flat.ask)),
        ("$99,950".into(), "$100,050".into())
    );
    assert_eq!(
        quote(&r.steps[2].book, &p).action,
        ControlAction::QuoteNormally
    );
    // Step 4: the stale reference makes the engine protective.
    let q4 = quote(&r.steps[3].book, &p);
    assert_eq!(
        (q4.band, q4.action),
        (Band::Red, ControlAction::ReduceWidenHedge)
    );
    // Step 2 before the hedge: R = -3 is past the red band, and the quote is skewed up.
    let mid = quote(&r.steps[1].events[1].book, &p);
    assert_eq!(mid.band, Band::Red);
    assert!(mid.skew_cents > 0);
}

#[test]
fn chapter_text_uses_only_known_placeholders_and_every_required_one() {
    let r = chapter();
    let text = include_str!("../content/chapter.md");
    if let Err(errors) =
        narrative::fill(text, &narrative::values(&r), &narrative::required_keys(&r))
    {
        let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        panic!("content/chapter.md:\n{}", lines.join("\n"));
    }
}

#[test]
fn chapter_types_no_model_number_by_hand() {
    use dealer_book::explain::policy::level;
    let text = include_str!("../content/chapter.md");
    for (_, c) in dealer_book::policy::THRESHOLDS {
        let typed = level(c);
        assert!(
            !text.contains(&typed),
            "threshold {typed} is typed in content/chapter.md; use its placeholder"
        );
    }
    for typed in ["$50", "2%", "5%", "1%", "0.4 BTC", "2.5 BTC"] {
        assert!(
            !text.contains(typed),
            "{typed} is typed in content/chapter.md"
        );
    }
}

#[test]
fn chapter_quote_example_is_the_engine_quote() {
    let r = chapter();
    let v = narrative::values(&r);
    let worked = &v["quote.worked.s2.e2"];
    let q = quote(&r.steps[1].events[1].book, &QuoteParams::default());
    assert!(worked.ends_with(&format!(
        "quote: bid {} / ask {}, size {} BTC, action: reduce size, widen, hedge",
        format::price(q.bid),
        format::price(q.ask),
        format::qty(q.size)
    )));
    assert_eq!(
        (format::price(q.bid), format::price(q.ask)),
        ("$99,990".into(), "$100,180".into())
    );
    // The no-skew zone: at step 1 (R -1) γ changes nothing in the normal regime.
    for g in [0, 500, 1000] {
        let p = QuoteParams {
            gamma: dealer_book::quote::Gamma::from_milli(g),
            ..QuoteParams::default()
        };
        let q1 = quote(&r.steps[0].book, &p);
        assert_eq!((q1.bid, q1.ask, q1.skew_cents), (flat_bid(), flat_ask(), 0));
    }
    assert_eq!(v["s2.e3.gap"], "$70");
    assert_eq!(v["policy.default.action"], "partial_hedge");
}

fn flat_bid() -> dealer_book::num::Price {
    dealer_book::num::Price::usd(99_950)
}

fn flat_ask() -> dealer_book::num::Price {
    dealer_book::num::Price::usd(100_050)
}

#[test]
fn announcements_read_the_step() {
    let r = chapter();
    assert_eq!(
        dealer_book::explain::replay::announcement(&r, 0, r.band_at(0)),
        "Start: R_residual 0.0; band green."
    );
    assert_eq!(dealer_book::explain::replay::announcement(&r, 3, r.band_at(3)), "Step 3: fair value moves to $100,500, then customer sells 1.5 BTC at $100,450; R_residual +0.5; band green.");
    assert_eq!(r.max_abs_pnl(), Money::usd(2_875));
}

/// Step 4 as the replay tells it event by event: the quote customers could hit after the stale
/// move is the one resting on the old reference (the bid the fast seller hit), and only after
/// the pick-off does the engine show its protective quote on fresh fair.
#[test]
fn step_4_shows_the_resting_quote_before_the_pick_off() {
    use dealer_book::explain::quote::after_event;
    use dealer_book::quote::{shown_quote, Basis};
    let r = chapter();
    let p = QuoteParams::default();
    let step = &r.steps[3];
    let after_move = &step.events[0].book;
    let line = after_event(after_move, &p, r.qty_decimals);
    assert_eq!(
        line,
        "then R_residual +0.5: resting quote on the stale reference $100,500: $100,450 / $100,550, size 2 BTC; customers can hit it until the engine sees the gap"
    );
    let resting = shown_quote(after_move, &p);
    let Event::ClientSell { qty, price } = step.events[1].event else {
        panic!("step 4's second event is the customer sale");
    };
    assert_eq!(
        (resting.bid, resting.size),
        (price, qty),
        "the seller hit the resting bid, at its size"
    );
    let after_fill = &step.events[1].book;
    assert_eq!(shown_quote(after_fill, &p).basis, Basis::Protective);
    assert!(after_event(after_fill, &p, r.qty_decimals)
        .contains("stale reference detected; protective quote"));
    assert!(shown_quote(after_fill, &p).bid < after_fill.fair);
    // Step 5's fresh move ends it: the quote is fresh again.
    assert_eq!(shown_quote(&r.steps[4].book, &p).basis, Basis::Fresh);
}

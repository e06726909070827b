//! The toy quote in words: the formula of [`crate::engine::quote`] worked step by step for one book, so a
//! reader (or the `dealer-book quote` command) can check every number by hand, and the short
//! line the replay shows about the quote after each event.

use crate::engine::book::Book;
use crate::engine::num::{Price, Qty};
use crate::engine::quote::{quote, resting_quote, shock_bp, staleness, Basis, Quote, QuoteParams};
use crate::words::format;

/// The regime's volatility shock as a percentage: `2%`.
pub fn shock_text(params: &QuoteParams) -> String {
    format!(
        "{}%",
        crate::engine::num::plain_decimal(shock_bp(params.regime) as i128, 2, 0)
    )
}

/// The shock as a decimal fraction: `0.02`.
fn shock_fraction(params: &QuoteParams) -> String {
    crate::engine::num::plain_decimal(shock_bp(params.regime) as i128, 4, 0)
}

fn gamma_text(params: &QuoteParams) -> String {
    params.gamma.text()
}

fn qty(q: Qty) -> String {
    format::btc_signed(q, 0)
}

/// The quote for `book` worked by hand, one line per step of the formula. On a stale reference
/// (any gap) the resting quote on the reference comes first, then how the gap is judged against
/// the tolerance, then the engine's quote once it knows fresh fair:
///
/// ```text
/// book: R_residual -3 BTC, fair $100,020, normal regime (v = 2%), γ 0.5, fresh reference
/// limits (normal): green up to 1 BTC, amber up to 2.5 BTC -> band red
/// excess q = sign(R) x max(|R| - 1, 0) = -2 BTC
/// skew = -γ q fair v² = -0.5 x (-2) x $100,020 x 0.02² = +$40.008 -> +$40 (toward zero, whole cents)
/// ...
/// ```
pub fn worked(book: &Book, params: &QuoteParams) -> Vec<String> {
    let q = quote(book, params);
    if !book.is_stale() {
        return worked_quote(book, params, &q);
    }
    let resting = resting_quote(book, params);
    let st = staleness(book, params);
    let mut out = vec![format!(
        "resting quote on the reference {}: bid {} / ask {}, size {} BTC (what customers can hit until the engine sees the gap)",
        format::price(book.quote_ref),
        side(resting.quoted_bid()),
        side(resting.quoted_ask()),
        format::qty(resting.size)
    )];
    out.push(stale_line(book, params));
    if st.stale {
        out.push("once the engine detects the gap, it quotes on fresh fair:".to_string());
    } else {
        out.push("the engine's quote on fresh fair:".to_string());
    }
    out.extend(worked_quote(book, params, &q));
    out
}

/// How a reference gap is judged: `gap: fair $99,500 - reference $100,500 = -$1,000; beyond the
/// $50 tolerance (the resting half-spread), so stale: a picker-off makes $950 per BTC`.
pub fn stale_line(book: &Book, params: &QuoteParams) -> String {
    let st = staleness(book, params);
    let tol = format::price(Price::from_cents(st.tolerance_cents));
    let head = format!(
        "gap: fair {} - reference {} = {}",
        format::price(book.fair),
        format::price(book.quote_ref),
        format::price_delta(st.gap_cents)
    );
    if st.stale {
        format!(
            "{head}; beyond the {tol} tolerance (the base half-spread), so stale: the resting {} sits {} on the wrong side of fair, which a picker-off makes per BTC",
            if st.gap_cents < 0 { "bid" } else { "ask" },
            format::price(Price::from_cents(st.pick_off_per_btc_cents()))
        )
    } else {
        format!(
            "{head}; within the {tol} tolerance (the base half-spread), so not stale: an unskewed resting quote cannot be picked off at a profit"
        )
    }
}

fn worked_quote(book: &Book, params: &QuoteParams, q: &Quote) -> Vec<String> {
    let r = book.r_residual();
    let (g, v, vf) = (
        gamma_text(params),
        shock_text(params),
        shock_fraction(params),
    );
    let fair = format::price(q.center);
    let mut out = Vec::new();
    let stale = q.basis == Basis::Protective;
    out.push(format!(
        "book: R_residual {} BTC, fair {fair}, {} regime (v = {v}), γ {g}, {}",
        qty(r),
        params.regime.name(),
        if stale {
            format!("stale reference {}", format::price(book.quote_ref))
        } else if book.is_stale() {
            format!(
                "reference {} (within tolerance)",
                format::price(book.quote_ref)
            )
        } else {
            "fresh reference".to_string()
        }
    ));
    out.push(format!(
        "limits ({}): green up to {} BTC, amber up to {} BTC -> band {}{}",
        params.regime.name(),
        format::qty(q.limits.green_max),
        format::qty(q.limits.amber_max),
        q.band.name(),
        if stale {
            " (a reference stale beyond tolerance is red)"
        } else {
            ""
        }
    ));
    out.push(format!(
        "excess q = sign(R) x max(|R| - {}, 0) = {} BTC{}",
        format::qty(q.limits.green_max),
        qty(q.excess),
        if q.excess.sats() == 0 {
            " (inside green: no skew, no inventory widening)"
        } else {
            ""
        }
    ));
    let neg_q = if q.excess.sats() < 0 {
        format!("({})", qty(q.excess))
    } else {
        qty(q.excess)
    };
    out.push(format!(
        "skew = -γ q fair v² = -{g} x {neg_q} x {fair} x {vf}² = {} -> {} (toward zero, whole cents)",
        signed_dollars(-q.excess.sats().signum(), &q.penalty.dollars_text()),
        format::price_delta(q.skew_cents)
    ));
    out.push(format!(
        "half-spread = base x v / {} + ½ γ |q| fair v² = {} + {} -> {}",
        normal_shock_text(),
        format::price(Price::from_cents(q.base_cents)),
        format::usd_text(&q.penalty.half_dollars_text()),
        format::price(Price::from_cents(q.half_spread_cents))
    ));
    let res = q.reservation();
    let half = format::price(Price::from_cents(q.half_spread_cents));
    out.push(format!(
        "reservation = fair + skew = {}; bid = {} - {half} = {}; ask = {} + {half} = {}",
        format::price(res),
        format::price(res),
        format::price(Price::from_cents(res.cents() - q.half_spread_cents)),
        format::price(res),
        format::price(Price::from_cents(res.cents() + q.half_spread_cents)),
    ));
    if q.stale_widening_cents != 0 {
        out.push(format!(
            "stale reference: both sides {} wider",
            format::price(Price::from_cents(q.stale_widening_cents))
        ));
    }
    if q.size_widening_cents != 0 {
        out.push(format!(
            "red by size ({}): the {} another {} wider, so the side that adds risk is less attractive",
            if r.sats() > 0 { "long" } else { "short" },
            if r.sats() > 0 { "bid" } else { "ask" },
            format::price(Price::from_cents(q.size_widening_cents))
        ));
    }
    let withdrawn = if q.quoted_bid().is_none() || q.quoted_ask().is_none() {
        format!(
            " (a side priced at {} or below is withdrawn)",
            format::price(crate::engine::quote::MIN_QUOTED_PRICE)
        )
    } else {
        String::new()
    };
    out.push(format!(
        "quote: bid {} / ask {}{withdrawn}, size {} BTC, action: {}",
        side(q.quoted_bid()),
        side(q.quoted_ask()),
        format::qty(q.size),
        q.action.label().to_ascii_lowercase()
    ));
    out
}

/// A side's price, or `withdrawn` when it is not quoted ([`Quote::quoted_bid`]).
pub fn side(price: Option<Price>) -> String {
    price.map_or_else(|| "withdrawn".to_string(), format::price)
}

fn signed_dollars(sign: i64, body: &str) -> String {
    match (sign, body) {
        (_, "0") | (0, _) => "$0".to_string(),
        (1, b) => format!("+{}", format::usd_text(b)),
        (_, b) => format!("-{}", format::usd_text(b)),
    }
}

/// The normal regime's shock, the unit the base half-spread is quoted in: `2%`.
pub fn normal_shock_text() -> String {
    shock_text(&QuoteParams {
        regime: crate::engine::quote::Regime::Normal,
        ..QuoteParams::default()
    })
}

/// What a shown quote is, for its label: `Quote`, `Resting quote on the stale reference
/// $100,500 (not yet detected)`, `Protective quote on fresh fair (stale reference detected)`.
pub fn basis_label(q: &Quote, book: &Book) -> String {
    match q.basis {
        Basis::Fresh => "Quote".to_string(),
        Basis::Resting => format!(
            "Resting quote on the stale reference {} (the engine has not seen the gap yet)",
            format::price(book.quote_ref)
        ),
        Basis::Protective => {
            "Protective quote on fresh fair (stale reference detected)".to_string()
        }
    }
}

/// The line the replay shows after an event, about the quote customers can hit then ([`crate::engine::quote::shown_quote`]):
/// `then R_residual -3: quote $99,990 / $100,180, skew +$40, size 1 BTC, reduce size, widen,
/// hedge`; on a stale reference not yet seen, `then R_residual +0.5: resting quote on the stale
/// reference $100,500: $100,450 / $100,550, size 2 BTC; customers can hit it until the engine
/// sees the gap`.
pub fn after_event(book: &Book, params: &QuoteParams, qty_decimals: u32) -> String {
    let q = crate::engine::quote::shown_quote(book, params);
    let r = format::btc_signed(book.r_residual(), qty_decimals);
    match q.basis {
        Basis::Resting => format!(
            "then R_residual {r}: resting quote on the stale reference {}: {} / {}, size {} BTC; customers can hit it until the engine sees the gap",
            format::price(book.quote_ref),
            side(q.quoted_bid()),
            side(q.quoted_ask()),
            format::qty(q.size)
        ),
        basis => format!(
            "then R_residual {r}: {}quote {} / {}, skew {}, size {} BTC, {}",
            if basis == Basis::Protective {
                "stale reference detected; protective "
            } else {
                ""
            },
            side(q.quoted_bid()),
            side(q.quoted_ask()),
            format::price_delta(q.skew_cents),
            format::qty(q.size),
            q.action.label().to_ascii_lowercase()
        ),
    }
}

/// Why dragging γ changes nothing on this book, when it does not: inside the green limit the
/// toy does not skew (its no-skew zone), so both γ-terms vanish. `None` when γ moves the quote.
pub fn gamma_note(book: &Book, params: &QuoteParams) -> Option<String> {
    let q = crate::engine::quote::shown_quote(book, params);
    (q.excess.sats() == 0).then(|| {
        format!(
            "γ has no effect here: |R_residual| {} BTC is within the {} regime's green limit of {} BTC, where the toy does not skew. γ moves the quote beyond it: in step 2 before the hedge (see its event lines), in step 4 after the pick-off, or in the stressed regime.",
            format::qty(book.r_residual().abs()),
            params.regime.name(),
            format::qty(q.limits.green_max)
        )
    })
}

/// The toy's formula with the current value of every symbol, compact enough for the replay's
/// equation panel (the CLI's [`worked`] shows each step of the arithmetic instead). For the
/// quote customers can hit ([`crate::engine::quote::shown_quote`]): on a stale reference not yet
/// detected, that is the resting quote built on the reference.
pub fn equation(book: &Book, params: &QuoteParams) -> Vec<String> {
    let q = crate::engine::quote::shown_quote(book, params);
    let money = |c: i64| format::price(Price::from_cents(c));
    vec![
        format!(
            "R {} BTC, γ {}, s {}, v {}, green limit G {} BTC",
            qty(book.r_residual()),
            gamma_text(params),
            format::price(q.center),
            shock_text(params),
            format::qty(q.limits.green_max)
        ),
        format!("q = sign(R) × max(|R| − G, 0) = {} BTC", qty(q.excess)),
        format!("skew = −γ·q·s·v² = {}", format::price_delta(q.skew_cents)),
        format!(
            "half-spread = base + ½·γ·|q|·s·v² = {} + {} = {}",
            money(q.base_cents),
            money(q.half_spread_cents - q.base_cents),
            money(q.half_spread_cents)
        ),
        format!(
            "add-ons: stale {} each side, red by size {}",
            money(q.stale_widening_cents),
            money(q.size_widening_cents)
        ),
        format!(
            "bid {} = s + skew − half − add-ons; ask {}; size {} BTC",
            side(q.quoted_bid()),
            side(q.quoted_ask()),
            format::qty(q.size)
        ),
    ]
}

/// Dollars from an `f64` (the model overlay only), rounded to the cent: `$100,080.01`.
fn usd_f64(x: f64) -> String {
    let cents = (x * 100.0).round() as i128;
    let sign = if cents < 0 { "-" } else { "" };
    format!(
        "{sign}{}",
        format::usd_text(&crate::engine::num::plain_decimal(cents.abs(), 2, 2))
    )
}

/// The Avellaneda–Stoikov reservation price and spread for the same book, γ and volatility, next
/// to the toy's, so the reader sees where the toy departs (two lines).
pub fn avellaneda_stoikov_lines(book: &Book, params: &QuoteParams) -> Vec<String> {
    let q = crate::engine::quote::shown_quote(book, params);
    let a = crate::engine::quote::avellaneda_stoikov(book, params);
    let base = Book {
        fair: q.center,
        ..*book
    };
    vec![
        format!(
            "Avellaneda–Stoikov (k = {} per $): reservation r = s − R·γ·s·v² = {} on all {} BTC; the toy's {} skews only the {} BTC beyond green",
            a.k,
            usd_f64(a.reservation),
            qty(base.r_residual()),
            format::price(q.reservation()),
            qty(q.excess)
        ),
        format!(
            "A–S spread = γ·s·v² + (2s/γ)·ln(1 + γ/(s·k)) = {}, whatever the inventory; the toy's is {}",
            usd_f64(a.spread),
            spread(&q)
        ),
    ]
}

/// Which side of the quote a part of the spread widens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Below the reservation price.
    Bid,
    /// Above it.
    Ask,
}

/// The parts the spread is built from, bid side outward then ask side outward, in cents: the
/// regime's base half-spread, the inventory term, the stale add-on and the red-by-size add-on.
/// They add up to the spread shown (before the floor at zero on absurd books).
pub fn spread_parts(q: &Quote) -> Vec<(&'static str, Side, i64)> {
    let inv = q.half_spread_cents - q.base_cents;
    // Red by size means |R| is beyond amber, so beyond green: the excess carries R's sign.
    let long = q.excess.sats() > 0;
    let mut parts = Vec::new();
    for side in [Side::Bid, Side::Ask] {
        parts.push(("base", side, q.base_cents));
        parts.push(("inventory", side, inv));
        parts.push(("stale", side, q.stale_widening_cents));
        let size_side = if long { Side::Bid } else { Side::Ask };
        if side == size_side {
            parts.push(("red by size", side, q.size_widening_cents));
        }
    }
    parts.retain(|p| p.2 != 0);
    parts
}

/// The spread's parts in words, the stacked bar's text alternative: `Spread $190: base $50 +
/// $50, inventory $20 + $20, red by size $50 (ask).`
pub fn spread_parts_text(q: &Quote) -> String {
    let parts = spread_parts(q);
    let mut out = Vec::new();
    for name in ["base", "inventory", "stale", "red by size"] {
        let sides: Vec<&(&str, Side, i64)> = parts.iter().filter(|p| p.0 == name).collect();
        match sides.as_slice() {
            [] => {}
            [one] => out.push(format!(
                "{name} {} ({})",
                format::price(Price::from_cents(one.2)),
                if one.1 == Side::Bid { "bid" } else { "ask" }
            )),
            many => out.push(format!(
                "{name} {}",
                many.iter()
                    .map(|p| format::price(Price::from_cents(p.2)))
                    .collect::<Vec<_>>()
                    .join(" + ")
            )),
        }
    }
    format!("Spread {}: {}.", spread(q), out.join(", "))
}

/// The ladder's text alternative for the Avellaneda–Stoikov overlay: `Avellaneda–Stoikov:
/// reservation $99,980, bid $99,930 and ask $100,030`.
pub fn as_ladder_label(book: &Book, params: &QuoteParams) -> String {
    let (b, r, a) = crate::engine::quote::avellaneda_stoikov(book, params).quote_cents();
    format!(
        "Avellaneda–Stoikov: reservation {}, bid {} and ask {}",
        format::price(Price::from_cents(r)),
        format::price(Price::from_cents(b)),
        format::price(Price::from_cents(a))
    )
}

/// The text alternative of the replay's price ladder: `Bid $99,950 and ask $100,050 around
/// fair $100,000`.
pub fn ladder_label(q: &Quote, fair: Price) -> String {
    format!(
        "Bid {} and ask {} around fair {}",
        side(q.quoted_bid()),
        side(q.quoted_ask()),
        format::price(fair)
    )
}

/// The full spread as a price: `$100`.
pub fn spread(q: &Quote) -> String {
    format::price(Price::from_cents(q.spread_cents()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::quote::Regime;

    #[test]
    fn step_2_book_worked_by_hand() {
        let book = Book::new(Price::usd(100_020), Qty::btc(-3), Qty::ZERO);
        let lines = worked(&book, &QuoteParams::default());
        assert_eq!(
            lines,
            [
                "book: R_residual -3 BTC, fair $100,020, normal regime (v = 2%), γ 0.5, fresh reference",
                "limits (normal): green up to 1 BTC, amber up to 2.5 BTC -> band red",
                "excess q = sign(R) x max(|R| - 1, 0) = -2 BTC",
                "skew = -γ q fair v² = -0.5 x (-2) x $100,020 x 0.02² = +$40.008 -> +$40 (toward zero, whole cents)",
                "half-spread = base x v / 2% + ½ γ |q| fair v² = $50 + $20.004 -> $70",
                "reservation = fair + skew = $100,060; bid = $100,060 - $70 = $99,990; ask = $100,060 + $70 = $100,130",
                "red by size (short): the ask another $50 wider, so the side that adds risk is less attractive",
                "quote: bid $99,990 / ask $100,180, size 1 BTC, action: reduce size, widen, hedge",
            ]
        );
    }

    #[test]
    fn green_book_has_no_skew() {
        let book = Book::new(Price::usd(100_000), Qty::btc(-1), Qty::ZERO);
        let p = QuoteParams {
            gamma: crate::engine::quote::Gamma::from_milli(1000),
            ..QuoteParams::default()
        };
        let lines = worked(&book, &p);
        assert!(lines[2].ends_with("= 0 BTC (inside green: no skew, no inventory widening)"));
        assert!(lines[3].contains("= $0 -> $0"), "{}", lines[3]);
        assert_eq!(
            lines.last().unwrap(),
            "quote: bid $99,950 / ask $100,050, size 2 BTC, action: quote normally"
        );
    }

    #[test]
    fn stale_and_stressed() {
        let mut book = Book::new(Price::usd(99_500), Qty::btc(1), Qty::ZERO);
        book.quote_ref = Price::usd(100_500);
        let p = QuoteParams {
            regime: Regime::Stressed,
            ..QuoteParams::default()
        };
        let lines = worked(&book, &p);
        assert!(lines
            .iter()
            .any(|l| l.starts_with("book:") && l.ends_with("stale reference $100,500")));
        assert!(lines
            .iter()
            .any(|l| l == "stale reference: both sides $125 wider"));
    }

    #[test]
    fn stale_gap_is_judged_against_the_tolerance() {
        let mut book = Book::new(Price::usd(99_500), Qty::from_sats(50_000_000), Qty::ZERO);
        book.quote_ref = Price::usd(100_500);
        let lines = worked(&book, &QuoteParams::default());
        assert_eq!(
            lines[0],
            "resting quote on the reference $100,500: bid $100,450 / ask $100,550, size 2 BTC (what customers can hit until the engine sees the gap)"
        );
        assert_eq!(
            lines[1],
            "gap: fair $99,500 - reference $100,500 = -$1,000; beyond the $50 tolerance (the base half-spread), so stale: the resting bid sits $950 on the wrong side of fair, which a picker-off makes per BTC"
        );
        assert_eq!(
            after_event(&book, &QuoteParams::default(), 1),
            "then R_residual +0.5: resting quote on the stale reference $100,500: $100,450 / $100,550, size 2 BTC; customers can hit it until the engine sees the gap"
        );
        book.stale_detected = true;
        assert!(after_event(&book, &QuoteParams::default(), 1).starts_with(
            "then R_residual +0.5: stale reference detected; protective quote $99,400 / $99,600"
        ));
        book.quote_ref = Price::from_cents(9_950_001);
        assert!(worked(&book, &QuoteParams::default())[1].contains("within the $50 tolerance"));
    }

    #[test]
    fn model_overlay_lines() {
        let book = Book::new(Price::usd(100_020), Qty::btc(-3), Qty::ZERO);
        let l = avellaneda_stoikov_lines(&book, &QuoteParams::default());
        assert!(l[0].contains("r = s − R·γ·s·v² = $100,080.01 on all -3 BTC; the toy's $100,060 skews only the -2 BTC"), "{}", l[0]);
        assert!(
            l[1].contains("= $100.00, whatever the inventory; the toy's is $190"),
            "{}",
            l[1]
        );
        let e = equation(&book, &QuoteParams::default());
        assert_eq!(e[1], "q = sign(R) × max(|R| − G, 0) = -2 BTC");
        assert_eq!(e[3], "half-spread = base + ½·γ·|q|·s·v² = $50 + $20 = $70");
        assert_eq!(
            e[5],
            "bid $99,990 = s + skew − half − add-ons; ask $100,180; size 1 BTC"
        );
    }

    #[test]
    fn gamma_note_only_inside_green() {
        let green = Book::new(Price::usd(100_000), Qty::btc(-1), Qty::ZERO);
        assert!(gamma_note(&green, &QuoteParams::default())
            .unwrap()
            .starts_with("γ has no effect here: |R_residual| 1 BTC is within the normal regime's green limit of 1 BTC"));
        let stressed = QuoteParams {
            regime: Regime::Stressed,
            ..QuoteParams::default()
        };
        assert_eq!(gamma_note(&green, &stressed), None);
    }

    #[test]
    fn the_spread_parts_add_up_to_the_spread() {
        let book = Book::new(Price::usd(100_020), Qty::btc(-3), Qty::ZERO);
        let q = quote(&book, &QuoteParams::default());
        let parts = spread_parts(&q);
        assert_eq!(parts.iter().map(|p| p.2).sum::<i64>(), q.spread_cents());
        assert_eq!(
            spread_parts_text(&q),
            "Spread $190: base $50 + $50, inventory $20 + $20, red by size $50 (ask)."
        );
    }

    proptest::proptest! {
        /// Over any book and setting, the parts sum to the spread shown (away from the zero floor).
        #[test]
        fn parts_always_sum_to_the_spread(r in -1_000_000_000i64..1_000_000_000, fair in 1_000_000i64..20_000_000,
                                          gap in -300_000i64..300_000, g in 0u32..=1000, regime in 0usize..3) {
            let mut b = Book::new(Price::from_cents(fair), Qty::from_sats(r), Qty::ZERO);
            b.quote_ref = Price::from_cents(fair + gap);
            b.stale_detected = true;
            let p = QuoteParams { regime: Regime::ALL[regime], gamma: crate::engine::quote::Gamma::from_milli(g), ..QuoteParams::default() };
            let q = quote(&b, &p);
            proptest::prop_assume!(q.bid.cents() > 0);
            let sum: i64 = spread_parts(&q).iter().map(|p| p.2).sum();
            proptest::prop_assert_eq!(sum, q.spread_cents());
        }
    }

    #[test]
    fn ladder_text_alternative() {
        let book = Book::new(Price::usd(100_000), Qty::ZERO, Qty::ZERO);
        let q = quote(&book, &QuoteParams::default());
        assert_eq!(
            ladder_label(&q, book.fair),
            "Bid $99,950 and ask $100,050 around fair $100,000"
        );
        assert_eq!(spread(&q), "$100");
    }

    #[test]
    fn withdrawn_sides_are_said_in_words() {
        let book = Book::new(Price::usd(100_000), Qty::btc(1_000), Qty::ZERO);
        let p = QuoteParams {
            regime: Regime::Stressed,
            gamma: crate::engine::quote::Gamma::from_milli(1_000),
            ..QuoteParams::default()
        };
        let q = crate::engine::quote::quote(&book, &p);
        assert_eq!(q.quoted_bid(), None);
        assert!(
            ladder_label(&q, book.fair).starts_with("Bid withdrawn"),
            "{}",
            ladder_label(&q, book.fair)
        );
        assert!(!after_event(&book, &p, 1).contains("$0 /"));
    }

    #[test]
    fn after_event_line() {
        let book = Book::new(Price::usd(100_020), Qty::btc(-3), Qty::ZERO);
        assert_eq!(
            after_event(&book, &QuoteParams::default(), 1),
            "then R_residual -3.0: quote $99,990 / $100,180, skew +$40, size 1 BTC, reduce size, widen, hedge"
        );
    }
}

//! The replay and MakerInventory in words: the start message, step headings, the fine print
//! under the quote panel and the inventory risk proxy line.

use crate::engine::book::{Band, Book};
use crate::engine::num::Money;
use crate::engine::quote::{inventory_risk_proxy, Quote, Regime};
use crate::engine::replay::Replay;
use crate::words::format;

/// One sentence for a screen reader when the cursor lands here, with the band as shown (the
/// caller's regime): `Step 3: customer sells 1.5 BTC at $100,450; R_residual +0.5; band green.`
pub fn announcement(r: &Replay, cursor: usize, band: Band) -> String {
    let res = format::btc_signed(r.book_at(cursor).r_residual(), r.qty_decimals);
    let band = band.name();
    match r.step_at(cursor) {
        None => format!("Start: R_residual {res}; band {band}."),
        Some(s) => {
            let what: Vec<String> = s
                .events
                .iter()
                .map(|e| super::event::describe(&e.event))
                .collect();
            let what = if what.is_empty() {
                s.title.clone()
            } else {
                what.join(", then ")
            };
            format!(
                "Step {}: {what}; R_residual {res}; band {band}.",
                cursor.min(r.len())
            )
        }
    }
}

/// What the replay says before the first step.
pub const START: &str = "Start. The book before the first step.";

/// What MakerInventory says before the first step.
pub const START_CALCS: &str = "Start: nothing has traded yet.";

/// The bold heading of a step: `Step 4: A toxic stale-quote event. `
pub fn step_heading(cursor: usize, title: &str) -> String {
    format!("Step {cursor}: {title}. ")
}

/// MakerInventory's heading over a step's worked calculations.
pub fn calcs_heading(cursor: usize) -> String {
    match cursor {
        0 => START_CALCS.to_string(),
        c => format!("Step {c} contributions"),
    }
}

/// The fine print under the quote panel: the regime's band limits and the tape's PnL so far.
pub fn quote_fine_print(q: &Quote, regime: Regime, pnl_so_far: Money) -> String {
    format!(
        "Band limits in the {} regime: green up to {} BTC, amber up to {} BTC. Tape PnL so far: {} (fills and PnL are the tape's; only the quote responds to the controls).",
        regime.name(),
        format::qty(q.limits.green_max),
        format::qty(q.limits.amber_max),
        format::money(pnl_so_far)
    )
}

/// The inventory risk proxy of a book in a regime, as an unsigned amount: `$2,000`.
pub fn risk_proxy(book: &Book, regime: Regime) -> String {
    format::amount(inventory_risk_proxy(book.r_residual(), book.fair, regime))
}

/// The heatmap's risk-proxy sentence before the per-regime amounts.
pub fn risk_proxy_intro(cursor: usize, book: &Book, qty_decimals: u32) -> String {
    format!(
        "inventoryRiskProxy = |R_residual| × fair × volatility shock. It is shown, not used by the policy: a size for the same residual in each regime. At replay step {cursor}, R_residual {} BTC at {}: ",
        format::btc_signed(book.r_residual(), qty_decimals),
        format::price(book.fair)
    )
}

/// Writes a bucket's running sum like the chapter's table: `+$50 + $100 + $75 = +$225`.
pub fn sum_line(amounts: &[Money]) -> String {
    let total = amounts.iter().fold(Money::ZERO, |acc, &m| acc + m);
    let mut s = String::new();
    for (i, &m) in amounts.iter().enumerate() {
        if i == 0 {
            s.push_str(&format::money(m));
        } else {
            s.push_str(&format::money_term(m));
        }
    }
    if amounts.len() == 1 {
        return s;
    }
    if amounts.is_empty() {
        return format::money(total);
    }
    format!("{s} = {}", format::money(total))
}

/// A bucket's running sum over the whole tape, as in the chapter's table:
/// `+$50 + $100 + $75 = +$225`.
pub fn bucket_sum_line(replay: &Replay, bucket: crate::engine::pnl::Bucket) -> String {
    let amounts: Vec<Money> = replay
        .contributions_until(replay.len())
        .filter(|c| c.bucket == bucket)
        .map(|c| c.amount)
        .collect();
    sum_line(&amounts)
}

/// The net line over the four bucket totals: `+$225 - $700 - $200 - $1,900 = -$2,575`.
pub fn net_sum_line(replay: &Replay) -> String {
    let totals = replay.pnl_at(replay.len());
    let terms: Vec<Money> = crate::engine::pnl::Bucket::ALL
        .iter()
        .map(|&b| totals.get(b))
        .collect();
    sum_line(&terms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::num::{Price, Qty};

    #[test]
    fn words() {
        let b = Book::new(Price::usd(100_000), Qty::btc(-1), Qty::ZERO);
        assert_eq!(risk_proxy(&b, Regime::Normal), "$2,000");
        assert_eq!(risk_proxy(&b, Regime::Stressed), "$5,000");
        assert_eq!(calcs_heading(0), START_CALCS);
        assert_eq!(calcs_heading(4), "Step 4 contributions");
        assert_eq!(step_heading(2, "Flow"), "Step 2: Flow. ");
        let q = crate::engine::quote::quote(&b, &crate::engine::quote::QuoteParams::default());
        assert!(quote_fine_print(&q, Regime::Normal, Money::usd(-10))
            .starts_with("Band limits in the normal regime: green up to 1 BTC, amber up to 2.5 BTC. Tape PnL so far: -$10"));
        assert!(risk_proxy_intro(1, &b, 1).ends_with("R_residual -1.0 BTC at $100,000: "));
    }

    #[test]
    fn sum_lines() {
        assert_eq!(
            sum_line(&[Money::usd(50), Money::usd(100), Money::usd(75)]),
            "+$50 + $100 + $75 = +$225"
        );
        assert_eq!(sum_line(&[Money::usd(-1900)]), "-$1,900");
        assert_eq!(sum_line(&[]), "$0");
    }
}

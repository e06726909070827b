//! Reader-facing text for numbers: `+$1,900`, `$100,050`, `+0.5` BTC.
//!
//! The CLI, the chapter text and every widget format through these functions, so one number
//! always reads the same everywhere. Hyphen-minus is used for negatives (`-$1,900`), PnL always
//! carries a sign unless it is zero, and nothing is rounded: sub-cent amounts show every digit.

use crate::engine::num::{group_thousands, Money, Price, Qty};

/// Dollar magnitude with separators, cents only when present: `1,900`, `0.50`, `0.001`, from
/// the plain text of a non-negative amount.
fn dollars(plain: String) -> String {
    // Show cents as two digits (`0.5` -> `0.50`) when the fraction is exactly cents.
    let plain = match plain.find('.') {
        Some(p) if plain.len() - p - 1 == 1 => format!("{plain}0"),
        _ => plain,
    };
    group_thousands(&plain)
}

/// A PnL amount with its sign always shown: `+$75`, `-$1,900`, `$0`, `+$0.50`.
pub fn money(m: Money) -> String {
    let body = dollars(m.abs().to_string());
    match m.signum() {
        1 => format!("+${body}"),
        -1 => format!("-${body}"),
        _ => "$0".to_string(),
    }
}

/// Dollars from an exact plain decimal text (any number of decimals), with separators and cents
/// shown as two digits when the fraction is shorter: `20.004` -> `$20.004`, `37.5` -> `$37.50`,
/// `-1234` -> `-$1,234`.
pub fn usd_text(plain: &str) -> String {
    let (sign, body) = match plain.strip_prefix('-') {
        Some(b) => ("-", b),
        None => ("", plain),
    };
    let body = match body.find('.') {
        Some(p) if body.len() - p - 1 == 1 => format!("{body}0"),
        _ => body.to_string(),
    };
    format!("{sign}${}", group_thousands(&body))
}

/// A PnL amount rounded to the nearest multiple of `step` whole dollars (halves away from zero),
/// for figures whose noise or model makes finer digits meaningless: `money_rounded(-1_675.4, 1)`
/// is `-$1,675`, with `step` 10 it is `-$1,680`.
pub fn money_rounded(m: Money, step: i64) -> String {
    let unit = crate::engine::num::MONEY_UNITS_PER_USD * step.max(1) as i128;
    let u = m.units();
    let q = if u >= 0 {
        (u + unit / 2) / unit
    } else {
        (u - unit / 2) / unit
    };
    money(Money::from_units(q * unit))
}

/// An unsigned amount rounded to the nearest multiple of `step` whole dollars: `$97`.
pub fn amount_rounded(m: Money, step: i64) -> String {
    money_rounded(m.abs(), step)
        .trim_start_matches('+')
        .to_string()
}

/// A positive decimal with two significant digits, as plain text: `0.000056`, `0.012`, `3.4`.
/// Non-finite or non-positive values read `0`.
pub fn two_significant(x: f64) -> String {
    if !x.is_finite() || x <= 0.0 {
        return "0".to_string();
    }
    let mut scale = 0u32;
    let mut v = x;
    while v < 10.0 && scale < 30 {
        v *= 10.0;
        scale += 1;
    }
    let mut units = v.round() as i128;
    let mut scale = scale as i64;
    while units >= 100 {
        units = (units + 5) / 10;
        scale -= 1;
    }
    if scale < 0 {
        return (units * 10i128.pow((-scale) as u32)).to_string();
    }
    crate::engine::num::plain_decimal(units, scale as u32, 0)
}

/// A money amount without a sign, for sizes that are never gains or losses: `$2,000`.
pub fn amount(m: Money) -> String {
    format!("${}", dollars(m.abs().to_string()))
}

/// A money amount as a term in a running sum: ` + $100`, ` - $700` (the first term uses [`money`]).
pub fn money_term(m: Money) -> String {
    let body = dollars(m.abs().to_string());
    if m.is_negative() {
        format!(" - ${body}")
    } else {
        format!(" + ${body}")
    }
}

/// A price: `$100,050`, `$99.50`.
pub fn price(p: Price) -> String {
    let body = dollars(p.abs().to_string());
    if p.cents() < 0 {
        format!("-${body}")
    } else {
        format!("${body}")
    }
}

/// A signed price difference for the quote skew: `+$40`, `-$12.50`, `$0`.
pub fn price_delta(cents: i64) -> String {
    let body = dollars(Price::from_cents(cents).abs().to_string());
    match cents.signum() {
        1 => format!("+${body}"),
        -1 => format!("-${body}"),
        _ => "$0".to_string(),
    }
}

/// A trade size as written, no sign: `1.5`, `2`, `1,000`.
pub fn qty(q: Qty) -> String {
    group_thousands(&q.abs().to_string())
}

/// A book position with its sign and at least `decimals` places: `+0.5`, `-3.0`, `0.0`.
pub fn btc_signed(q: Qty, decimals: u32) -> String {
    let body = group_thousands(&q.abs().to_plain(decimals));
    match q.signum() {
        1 => format!("+{body}"),
        -1 => format!("-{body}"),
        _ => body,
    }
}

/// A signed factor in a worked calculation: `-1`, `0.5`, `2` (sign only when negative).
pub fn factor(q: Qty) -> String {
    group_thousands(&q.to_string())
}

/// A level kept in thousandths, shown to two decimals (truncated): `500` -> `0.50`, `1000` -> `1.00`.
/// Used for risk aversion and the heatmap inputs; integer-only, so no float formatting is needed.
pub fn thousandths(v: u32) -> String {
    format!("{}.{:02}", v / 1000, (v % 1000) / 10)
}

/// A count with thousands separators: `2000` -> `2,000`.
pub fn count(n: u64) -> String {
    group_thousands(&n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_and_significant() {
        assert_eq!(
            money_rounded(Money::from_units(-1_675_400_000_000), 1),
            "-$168"
        );
        assert_eq!(money_rounded(Money::usd(-1_675), 10), "-$1,680");
        assert_eq!(money_rounded(Money::usd(1_674), 10), "+$1,670");
        assert_eq!(money_rounded(Money::ZERO, 10), "$0");
        assert_eq!(two_significant(0.0000563), "0.000056");
        assert_eq!(two_significant(0.0125), "0.013");
        assert_eq!(two_significant(3.44), "3.4");
        assert_eq!(two_significant(1234.0), "1200");
        assert_eq!(two_significant(-1.0), "0");
    }

    #[test]
    fn usd_text_pads_cents_and_groups() {
        assert_eq!(usd_text("37.5"), "$37.50");
        assert_eq!(usd_text("20.004"), "$20.004");
        assert_eq!(usd_text("-1234"), "-$1,234");
    }

    #[test]
    fn money_reads_like_the_chapter() {
        assert_eq!(money(Money::usd(75)), "+$75");
        assert_eq!(money(Money::usd(-1900)), "-$1,900");
        assert_eq!(money(Money::usd(-2575)), "-$2,575");
        assert_eq!(money(Money::ZERO), "$0");
        assert_eq!(money(Money::from_units(5_000_000_000)), "+$0.50");
        assert_eq!(money(Money::from_units(-10_000_000)), "-$0.001");
        assert_eq!(money(Money::usd(1_234_567)), "+$1,234,567");
        assert_eq!(money_term(Money::usd(-700)), " - $700");
        assert_eq!(money_term(Money::usd(100)), " + $100");
    }

    #[test]
    fn prices_and_quantities() {
        assert_eq!(price(Price::usd(100_050)), "$100,050");
        assert_eq!(price(Price::from_cents(9_946_050)), "$99,460.50");
        assert_eq!(price_delta(-1250), "-$12.50");
        assert_eq!(qty(Qty::from_sats(150_000_000)), "1.5");
        assert_eq!(qty(Qty::btc(-2)), "2");
        assert_eq!(btc_signed(Qty::from_sats(50_000_000), 1), "+0.5");
        assert_eq!(btc_signed(Qty::btc(-3), 1), "-3.0");
        assert_eq!(btc_signed(Qty::ZERO, 1), "0.0");
        assert_eq!(btc_signed(Qty::from_sats(12_345), 1), "+0.00012345");
        assert_eq!(btc_signed(Qty::btc(1200), 0), "+1,200");
        assert_eq!(factor(Qty::btc(-1)), "-1");
        assert_eq!(thousandths(0), "0.00");
        assert_eq!(thousandths(605), "0.60");
        assert_eq!(thousandths(1000), "1.00");
    }
}

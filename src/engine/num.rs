//! Exact fixed-point numbers: BTC quantities, dollar prices and dollar amounts.
//!
//! Why fixed-point integers and not `f64` or a decimal crate: every number a reader sees must
//! add up to the cent (`0.1 + 0.2` BTC is `0.3` BTC), the accounting invariant must hold with
//! `==`, and the replay loop must stay fast. Integers give all three:
//!
//! - [`Qty`] counts satoshis (10^-8 BTC) in an `i64`.
//! - [`Price`] counts cents (10^-2 USD) in an `i64`.
//! - [`Money`] counts 10^-10 USD in an `i128`: exactly one satoshi times one cent, so any
//!   `qty x price` product is representable with no rounding at all. Sums of products are exact
//!   too; `i128` leaves ample headroom for the tape limits below, and every addition is checked.
//!
//! Tape inputs are bounded by [`MAX_QTY`] and [`MAX_PRICE`]; inside those bounds a single product
//! is at most 10^14 x 10^11 = 10^25 units, thirteen orders of magnitude below `i128::MAX`.

use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub};

/// Decimal places of a [`Qty`]: one satoshi is 10^-8 BTC.
pub const QTY_DECIMALS: u32 = 8;
/// Decimal places of a [`Price`]: one cent is 10^-2 USD.
pub const PRICE_DECIMALS: u32 = 2;
/// Decimal places of [`Money`]: one satoshi times one cent, 10^-10 USD.
pub const MONEY_DECIMALS: u32 = QTY_DECIMALS + PRICE_DECIMALS;
/// Satoshis per BTC.
pub const SATS_PER_BTC: i64 = 10i64.pow(QTY_DECIMALS);
/// Cents per dollar.
pub const CENTS_PER_USD: i64 = 10i64.pow(PRICE_DECIMALS);
/// [`Money`] units per dollar (10^10).
pub const MONEY_UNITS_PER_USD: i128 = 10i128.pow(MONEY_DECIMALS);
/// Largest quantity a single tape event may carry: 1,000,000 BTC.
pub const MAX_QTY: Qty = Qty::btc(1_000_000);
/// Largest price a tape may carry: $1,000,000,000.
pub const MAX_PRICE: Price = Price::usd(1_000_000_000);
/// Largest absolute position (`I_client`, `H_external` or `R_residual`) the engine carries:
/// 1,000,000,000 BTC. Bounding positions bounds every later product (quotes, risk proxy).
pub const MAX_POSITION: Qty = Qty::btc(1_000_000_000);

/// A signed BTC quantity in satoshis (10^-8 BTC).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Qty(i64);

/// A dollar price in cents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Price(i64);

/// A signed dollar amount in units of 10^-10 USD (one satoshi times one cent).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i128);

/// Why the engine could not apply something: the book would leave the exact range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// A position would exceed [`MAX_POSITION`].
    #[error("position exceeds the engine's range (1,000,000,000 BTC)")]
    PositionOverflow,
    /// A money total left the range of `i128` units.
    #[error("PnL exceeds the engine's range")]
    MoneyOverflow,
}

impl Qty {
    /// Zero BTC.
    pub const ZERO: Qty = Qty(0);

    /// A quantity of `sats` satoshis.
    pub const fn from_sats(sats: i64) -> Qty {
        Qty(sats)
    }

    /// The quantity in satoshis.
    pub const fn sats(self) -> i64 {
        self.0
    }

    /// Whole BTC, for tests and generated tapes.
    pub const fn btc(n: i64) -> Qty {
        Qty(n * SATS_PER_BTC)
    }

    /// Parses a decimal text (`1.5`, `0.00000001`, `2e-3`) exactly, up to [`MAX_QTY`] in size.
    pub fn parse(text: &str) -> Result<Qty, DecimalError> {
        parse_decimal(text, QTY_DECIMALS, MAX_QTY.0 as i128).map(|v| Qty(v as i64))
    }

    /// Absolute value (saturating at `i64::MAX` satoshis).
    pub const fn abs(self) -> Qty {
        Qty(self.0.saturating_abs())
    }

    /// -1, 0 or +1.
    pub const fn signum(self) -> i64 {
        self.0.signum()
    }

    /// True for zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// True above zero.
    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// Checked sum; `None` past the `i64` range.
    pub fn checked_add(self, other: Qty) -> Option<Qty> {
        self.0.checked_add(other.0).map(Qty)
    }

    /// Sum that stops at the ends of the `i64` range, for running totals of flow.
    pub const fn saturating_add(self, other: Qty) -> Qty {
        Qty(self.0.saturating_add(other.0))
    }

    /// Checked sum for a position; `None` when the result exceeds [`MAX_POSITION`] in size.
    pub fn position_add(self, other: Qty) -> Option<Qty> {
        self.checked_add(other)
            .filter(|q| q.0.abs() <= MAX_POSITION.0)
    }

    /// Like [`Qty::position_add`], as the engine's error.
    pub fn try_position_add(self, other: Qty) -> Result<Qty, EngineError> {
        self.position_add(other)
            .ok_or(EngineError::PositionOverflow)
    }

    /// The quantity clamped into `±MAX_POSITION`.
    pub fn clamp_position(self) -> Qty {
        self.clamp(-MAX_POSITION, MAX_POSITION)
    }

    /// `self x num / den`, rounded toward zero (`den > 0`); saturates at the `i64` range.
    pub fn scale(self, num: i64, den: i64) -> Qty {
        let v = self.0 as i128 * num as i128 / den as i128;
        Qty(v.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
    }

    /// Number of decimal places needed to write this quantity exactly (0 to 8).
    pub fn decimals(self) -> u32 {
        decimals_needed(self.0 as i128, QTY_DECIMALS)
    }

    /// Plain BTC with at least `min_decimals` places (up to 8): `-1.50`, `0.0`, `3`.
    pub fn to_plain(self, min_decimals: u32) -> String {
        plain_decimal(self.0 as i128, QTY_DECIMALS, min_decimals)
    }

    /// The quantity as BTC in `f64`, for drawing only (never for accounting).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / SATS_PER_BTC as f64
    }
}

impl Neg for Qty {
    type Output = Qty;
    /// The opposite side (saturating at the `i64` range).
    fn neg(self) -> Qty {
        Qty(self.0.saturating_neg())
    }
}

impl Price {
    /// A price of `cents` cents.
    pub const fn from_cents(cents: i64) -> Price {
        Price(cents)
    }

    /// The price in cents.
    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Whole dollars.
    pub const fn usd(n: i64) -> Price {
        Price(n * CENTS_PER_USD)
    }

    /// Parses a decimal text (`100050`, `99.5`) exactly, up to [`MAX_PRICE`] in size.
    pub fn parse(text: &str) -> Result<Price, DecimalError> {
        parse_decimal(text, PRICE_DECIMALS, MAX_PRICE.0 as i128).map(|v| Price(v as i64))
    }

    /// Absolute value (saturating).
    pub const fn abs(self) -> Price {
        Price(self.0.saturating_abs())
    }

    /// The price moved by `cents` (saturating at the `i64` range).
    pub const fn offset(self, cents: i64) -> Price {
        Price(self.0.saturating_add(cents))
    }

    /// `self - other` in cents (saturating).
    pub const fn cents_above(self, other: Price) -> i64 {
        self.0.saturating_sub(other.0)
    }

    /// The price as dollars in `f64`, for drawing only (never for accounting).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / CENTS_PER_USD as f64
    }
}

impl Money {
    /// Zero dollars.
    pub const ZERO: Money = Money(0);

    /// An amount of `units` x 10^-10 USD.
    pub const fn from_units(units: i128) -> Money {
        Money(units)
    }

    /// The amount in units of 10^-10 USD.
    pub const fn units(self) -> i128 {
        self.0
    }

    /// Whole dollars, for tests.
    pub const fn usd(n: i64) -> Money {
        Money(n as i128 * MONEY_UNITS_PER_USD)
    }

    /// `qty x price_difference`, exact: satoshis times cents is one money unit.
    pub fn product(qty: Qty, cents: i64) -> Money {
        Money(qty.0 as i128 * cents as i128)
    }

    /// `qty x price`, exact: what `qty` is worth at `price`.
    pub fn value(qty: Qty, price: Price) -> Money {
        Money::product(qty, price.0)
    }

    /// `qty x (to - from)`, exact: the edge of a fill or the markout of a move.
    pub fn edge(qty: Qty, to: Price, from: Price) -> Money {
        Money(qty.0 as i128 * (to.0 as i128 - from.0 as i128))
    }

    /// Checked sum; `None` past the `i128` range.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// Like [`Money::checked_add`], as the engine's error.
    pub fn try_add(self, other: Money) -> Result<Money, EngineError> {
        self.checked_add(other).ok_or(EngineError::MoneyOverflow)
    }

    /// Sum that stops at the ends of the `i128` range, for running totals.
    pub const fn saturating_add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }

    /// `self x num / den`, rounded toward zero (`den > 0`); for a proxy scaled by basis points.
    pub fn scale(self, num: i128, den: i128) -> Money {
        Money(self.0 * num / den)
    }

    /// Absolute value (saturating).
    pub const fn abs(self) -> Money {
        Money(self.0.saturating_abs())
    }

    /// -1, 0 or +1.
    pub const fn signum(self) -> i128 {
        self.0.signum()
    }

    /// True for zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// True below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The amount in dollars as `f64`, for drawing only (never for accounting).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / MONEY_UNITS_PER_USD as f64
    }

    /// True when the amount is a whole number of cents.
    pub fn is_whole_cents(self) -> bool {
        self.0 % (MONEY_UNITS_PER_USD / CENTS_PER_USD as i128) == 0
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0 + other.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, other: Money) {
        self.0 += other.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money(self.0 - other.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

/// How many of `max` decimal places a fixed-point value with `max` places really needs.
fn decimals_needed(units: i128, max: u32) -> u32 {
    let mut v = units.unsigned_abs();
    let mut d = max;
    while d > 0 && v.is_multiple_of(10) {
        v /= 10;
        d -= 1;
    }
    d
}

/// Inserts thousands separators into the integer part of a plain decimal (`-1900.5` -> `-1,900.5`).
pub fn group_thousands(plain: &str) -> String {
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", plain),
    };
    let (int, frac) = match rest.find('.') {
        Some(p) => (&rest[..p], &rest[p..]),
        None => (rest, ""),
    };
    let mut out = String::with_capacity(plain.len() + int.len() / 3);
    out.push_str(sign);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out.push_str(frac);
    out
}

/// Writes `units / 10^scale` as a plain decimal, trimming trailing zeros but keeping at least
/// `min_decimals` places; no sign for zero, `-` for negatives, no thousands separators.
pub fn plain_decimal(units: i128, scale: u32, min_decimals: u32) -> String {
    let decimals = decimals_needed(units, scale).max(min_decimals.min(scale));
    let pow = 10u128.pow(scale);
    let abs = units.unsigned_abs();
    let int = abs / pow;
    let frac = abs % pow;
    let mut s = String::new();
    if units < 0 {
        s.push('-');
    }
    s.push_str(&int.to_string());
    if decimals > 0 {
        let frac_digits = format!("{:0width$}", frac, width = scale as usize);
        s.push('.');
        s.push_str(&frac_digits[..decimals as usize]);
    }
    s
}

/// Writes a plain decimal as an exact JSON number: its text goes out as written (a serde_json
/// `RawValue`), never through a float.
pub(crate) fn exact_number<S: serde::Serializer>(plain: String, s: S) -> Result<S::Ok, S::Error> {
    use serde::Serialize;
    match serde_json::value::RawValue::from_string(plain) {
        Ok(raw) => raw.serialize(s),
        // Unreachable: a plain decimal is always a JSON number.
        Err(e) => Err(serde::ser::Error::custom(e)),
    }
}

impl serde::Serialize for Qty {
    /// An exact JSON number of BTC: `1.5`, `-3`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        exact_number(self.to_string(), s)
    }
}

impl serde::Serialize for Price {
    /// An exact JSON number of dollars: `100050`, `99.5`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        exact_number(self.to_string(), s)
    }
}

impl serde::Serialize for Money {
    /// An exact JSON number of dollars: `-1900`, `0.001`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        exact_number(self.to_string(), s)
    }
}

impl fmt::Display for Qty {
    /// Plain BTC, as few decimals as needed: `1.5`, `-3`, `0.00000001`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&plain_decimal(self.0 as i128, QTY_DECIMALS, 0))
    }
}

impl fmt::Display for Price {
    /// Plain dollars, as few decimals as needed: `100050`, `99.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&plain_decimal(self.0 as i128, PRICE_DECIMALS, 0))
    }
}

impl fmt::Display for Money {
    /// Plain dollars, as few decimals as needed: `-1900`, `0.001`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&plain_decimal(self.0, MONEY_DECIMALS, 0))
    }
}

/// Why a decimal text could not become a fixed-point number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    /// The text is not a decimal number at all.
    #[error("is not a decimal number")]
    Syntax,
    /// The value needs more decimal places than the unit allows.
    #[error("has more than {0} decimal places")]
    TooPrecise(u32),
    /// The value is outside the representable range.
    #[error("is too large")]
    TooLarge,
}

/// Parses a JSON-number-shaped text (`-12.5`, `1e3`, `2.50E-1`) into units of 10^-`scale`,
/// exactly. Fails on anything that would need rounding or exceed `limit` in absolute value.
pub fn parse_decimal(text: &str, scale: u32, limit: i128) -> Result<i128, DecimalError> {
    match parse_decimal_prefix(text.as_bytes(), scale, limit) {
        Some((n, units)) if n == text.len() => units,
        _ => parse_any_decimal(text, scale, limit),
    }
}

/// The common case in one pass, for a number at the start of `bytes` (the tape scanner reads
/// numbers in place): optional `-`, digits, optional `.digits`, as [`parse_decimal`] would read
/// them, with the number of bytes read. `None` for more than 18 digits (so that they fit a
/// `u64`); an exponent is not read, so the caller sees it after the bytes read.
pub(crate) fn parse_decimal_prefix(
    bytes: &[u8],
    scale: u32,
    limit: i128,
) -> Option<(usize, Result<i128, DecimalError>)> {
    const POW10: [u64; 19] = {
        let mut p = [1u64; 19];
        let mut i = 1;
        while i < 19 {
            p[i] = p[i - 1] * 10;
            i += 1;
        }
        p
    };
    let digit = |i: usize| {
        bytes
            .get(i)
            .map(|b| b.wrapping_sub(b'0'))
            .filter(|d| *d < 10)
    };
    let negative = bytes.first() == Some(&b'-');
    let mut i = usize::from(negative);
    let mut mantissa: u64 = 0;
    while let Some(d) = digit(i) {
        mantissa = mantissa.wrapping_mul(10).wrapping_add(d as u64);
        i += 1;
    }
    let int_digits = i - usize::from(negative);
    let mut frac = 0;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        while let Some(d) = digit(i) {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(d as u64);
            i += 1;
            frac += 1;
        }
        if frac == 0 {
            return Some((i, Err(DecimalError::Syntax)));
        }
    }
    // More digits could have wrapped the u64.
    if int_digits + frac as usize > 18 {
        return None;
    }
    if int_digits == 0 {
        return Some((i, Err(DecimalError::Syntax)));
    }
    let value = if frac > scale {
        // frac <= 18, so the divisor is in the table.
        let div = POW10[(frac - scale) as usize];
        if !mantissa.is_multiple_of(div) {
            return Some((i, Err(DecimalError::TooPrecise(scale))));
        }
        (mantissa / div) as i128
    } else {
        // mantissa < 10^18; a shift of up to 20 places stays within i128.
        let shift = scale - frac;
        if shift > 20 {
            return None;
        }
        mantissa as i128 * 10i128.pow(shift)
    };
    Some((
        i,
        if value <= limit {
            Ok(if negative { -value } else { value })
        } else {
            Err(DecimalError::TooLarge)
        },
    ))
}

/// Any JSON-number-shaped text, exponent included.
fn parse_any_decimal(text: &str, scale: u32, limit: i128) -> Result<i128, DecimalError> {
    fn digits(b: &[u8]) -> usize {
        b.iter().take_while(|c| c.is_ascii_digit()).count()
    }
    let bytes = text.as_bytes();
    let (negative, rest) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let (int, rest) = rest.split_at(digits(rest));
    if int.is_empty() {
        return Err(DecimalError::Syntax);
    }
    let (frac, rest) = match rest.split_first() {
        Some((b'.', after)) => match digits(after) {
            0 => return Err(DecimalError::Syntax),
            n => after.split_at(n),
        },
        _ => (&[][..], rest),
    };
    let exponent: i64 = match rest.split_first() {
        None => 0,
        Some((b'e' | b'E', after)) => {
            let (exp_negative, after) = match after.split_first() {
                Some((b'-', a)) => (true, a),
                Some((b'+', a)) => (false, a),
                _ => (false, after),
            };
            if after.is_empty() || digits(after) != after.len() {
                return Err(DecimalError::Syntax);
            }
            // Saturate: anything past a few hundred is out of range either way.
            let e = after
                .iter()
                .fold(0i64, |e, &d| (e * 10 + (d - b'0') as i64).min(1_000_000));
            if exp_negative {
                -e
            } else {
                e
            }
        }
        Some(_) => return Err(DecimalError::Syntax),
    };
    // value = mantissa x 10^(exponent - frac_len); the mantissa's digits are int then frac.
    let mantissa = || int.iter().chain(frac);
    let total = int.len() + frac.len();
    let leading = mantissa().take_while(|&&d| d == b'0').count();
    if leading == total {
        return Ok(0);
    }
    let trailing = mantissa().rev().take_while(|&&d| d == b'0').count();
    let significant = total - leading - trailing;
    let shift = exponent - frac.len() as i64 + trailing as i64 + scale as i64;
    if shift < 0 {
        return Err(DecimalError::TooPrecise(scale));
    }
    // i128 holds 38 digits; anything longer is beyond every limit we use.
    if significant as i64 + shift > 38 {
        return Err(DecimalError::TooLarge);
    }
    let value = mantissa()
        .skip(leading)
        .take(significant)
        .fold(0i128, |v, &d| v * 10 + (d - b'0') as i128)
        * 10i128.pow(shift as u32);
    if value > limit {
        return Err(DecimalError::TooLarge);
    }
    Ok(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exact_decimals() {
        assert_eq!(parse_decimal("1.5", 8, i128::MAX), Ok(150_000_000));
        assert_eq!(parse_decimal("0.1", 8, i128::MAX), Ok(10_000_000));
        assert_eq!(parse_decimal("-2", 2, i128::MAX), Ok(-200));
        assert_eq!(parse_decimal("1e3", 2, i128::MAX), Ok(100_000));
        assert_eq!(parse_decimal("2.50E-1", 2, i128::MAX), Ok(25));
        assert_eq!(parse_decimal("100050.00", 2, i128::MAX), Ok(10_005_000));
        assert_eq!(parse_decimal("0.000", 2, i128::MAX), Ok(0));
        assert_eq!(
            parse_decimal("1.0000000000000000000000", 2, i128::MAX),
            Ok(100)
        );
    }

    #[test]
    fn rejects_rounding_and_overflow() {
        assert_eq!(
            parse_decimal("0.001", 2, i128::MAX),
            Err(DecimalError::TooPrecise(2))
        );
        assert_eq!(
            parse_decimal("1e-9", 8, i128::MAX),
            Err(DecimalError::TooPrecise(8))
        );
        assert_eq!(
            parse_decimal("1e999999999", 8, i128::MAX),
            Err(DecimalError::TooLarge)
        );
        assert_eq!(parse_decimal("11", 0, 10), Err(DecimalError::TooLarge));
        for bad in [
            "", "-", ".", "1.", ".5", "1e", "1e+", "abc", "1.2.3", "--1", "1 ",
        ] {
            assert_eq!(
                parse_decimal(bad, 8, i128::MAX),
                Err(DecimalError::Syntax),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn tenths_add_up_exactly() {
        let a = parse_decimal("0.1", 8, i128::MAX).unwrap();
        let b = parse_decimal("0.2", 8, i128::MAX).unwrap();
        assert_eq!(Qty((a + b) as i64).to_string(), "0.3");
    }

    #[test]
    fn displays_plainly() {
        assert_eq!(Qty(150_000_000).to_string(), "1.5");
        assert_eq!(Qty(-300_000_000).to_string(), "-3");
        assert_eq!(Qty(1).to_string(), "0.00000001");
        assert_eq!(Price(10_005_000).to_string(), "100050");
        assert_eq!(Price(9_950).to_string(), "99.5");
        assert_eq!(Money::usd(-1900).to_string(), "-1900");
        assert_eq!(Money(10_000_000).to_string(), "0.001");
        assert_eq!(plain_decimal(0, 8, 1), "0.0");
    }

    #[test]
    fn json_numbers_are_exact() {
        let json = |v: &dyn erased::Json| v.json();
        assert_eq!(
            json(&Money::from_units(-1_675_400_000_001)),
            "-167.5400000001"
        );
        assert_eq!(json(&Qty::from_sats(1)), "0.00000001");
        assert_eq!(json(&Price::usd(100_050)), "100050");
        assert_eq!(json(&Qty::from_sats(i64::MAX)), "92233720368.54775807");
    }

    /// Serialize is not object safe; this lets one helper take any of the three types.
    mod erased {
        pub trait Json {
            fn json(&self) -> String;
        }
        impl<T: serde::Serialize> Json for T {
            fn json(&self) -> String {
                serde_json::to_string(self).unwrap()
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn every_value_is_its_plain_decimal_in_json(sats in proptest::prelude::any::<i64>(), units in proptest::prelude::any::<i64>()) {
            proptest::prop_assert_eq!(serde_json::to_string(&Qty::from_sats(sats)).unwrap(), Qty::from_sats(sats).to_string());
            let m = Money::from_units(units as i128);
            proptest::prop_assert_eq!(serde_json::to_string(&m).unwrap(), m.to_string());
        }
    }

    proptest::proptest! {
        #[test]
        fn display_then_parse_round_trips(units in -(1i64 << 60)..(1i64 << 60)) {
            let text = Qty(units).to_string();
            proptest::prop_assert_eq!(parse_decimal(&text, 8, i128::MAX), Ok(units as i128));
        }

        #[test]
        fn never_panics_on_any_text(text in ".{0,40}") {
            let _ = parse_decimal(&text, 8, MAX_QTY.0 as i128);
        }

        #[test]
        fn one_pass_agrees_with_the_general_reader(text in "-?[0-9]{0,21}(\\.[0-9]{0,21})?", scale in 0u32..12, limit in proptest::prop_oneof![proptest::strategy::Just(i128::MAX), 0i128..1_000_000_000_000_000]) {
            if let Some((n, short)) = parse_decimal_prefix(text.as_bytes(), scale, limit) {
                if n == text.len() {
                    proptest::prop_assert_eq!(short, parse_any_decimal(&text, scale, limit), "{}", text);
                }
            }
        }

        #[test]
        fn never_panics_on_number_like_text(text in "-?[0-9]{0,45}(\\.[0-9]{0,45})?([eE][+-]?[0-9]{0,25})?") {
            let _ = parse_decimal(&text, 2, MAX_PRICE.0 as i128);
        }
    }
}

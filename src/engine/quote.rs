//! The toy quote engine: bid, ask, size, skew, band and control action from the book, the
//! volatility regime and a risk-aversion parameter. All arithmetic is in integer cents.
//!
//! # The formula
//!
//! With `s` fresh fair value, `R` the residual, `v` the regime's one-horizon volatility shock as a
//! fraction of fair ([`shock_bp`]: calm 1%, normal 2%, stressed 5%), `γ` the risk-aversion
//! setting (0 to 1, default 0.5, [`QuoteParams::gamma`]) and `G` the regime's green limit:
//!
//! ```text
//! q            = sign(R) x max(|R| - G, 0)                  excess inventory beyond green
//! skew         = -γ x q x s x v²                            reservation minus fair, toward zero
//! half-spread  = base x v / v_normal + ½ γ |q| s v²          base $50, v_normal 2%, each term toward zero
//! bid, ask     = s + skew ∓ half-spread
//! ```
//!
//! then: **red by size** (`|R|` beyond the amber limit) adds another regime-scaled base to the
//! side that would *add* risk (the bid when long, the ask when short); a **stale reference** adds
//! it to both sides, and the engine pauses when the reference-to-fair gap reaches 2% or the
//! residual is red by size as well; **size** is 2 BTC in green and amber, halved in red, zero
//! when paused. **Band limits** hold a constant dollar risk: the chapter's 1.0 / 2.5 BTC apply
//! in the normal regime and scale by `v_normal / v` (calm 2.0 / 5.0, stressed 0.4 / 1.0).
//!
//! **Withdrawn sides.** On an extreme book the skew can push a side to zero or below (long 1,000
//! BTC, stressed, γ 1: the reservation price is negative). A side whose price would be at or
//! below [`MIN_QUOTED_PRICE`] ($0.01) is not quoted: [`Quote::quoted_bid`] and
//! [`Quote::quoted_ask`] give `None` for it, the CLI prints `null` (JSON) or `withdrawn` (text)
//! there. The `bid` and `ask` fields keep the price floored at zero, as before.
//!
//! Worked by hand (`dealer-book quote --r-residual -3 --fair 100020`, the chapter's step-2 book
//! before the hedge): `q = -2`; skew `= 0.5 x 2 x 100,020 x 0.02² = $40.008 -> +$40`;
//! half-spread `= $50 + $20.004 -> $70`; bid/ask `= 100,060 ∓ 70`, and the ask `+$50` for red by
//! size: **$99,990 / $100,180**, size 1 BTC. [`crate::words::explain::quote::worked`] prints these lines.
//!
//! # Where it departs from Avellaneda–Stoikov (2008)
//!
//! In A–S the dealer has CARA utility with *absolute* risk aversion `γ`, the mid follows an
//! arithmetic Brownian motion with volatility `σ`, and orders arrive at intensity `A e^{-kδ}`.
//! The reservation price is `r = s - q γ σ² (T - t)` (on the whole inventory `q`), and the
//! optimal total spread is `γ σ² (T - t) + (2/γ) ln(1 + γ/k)`: independent of inventory, and not
//! monotone in `γ` (the second term falls as `γ` rises). The toy keeps the direction of the
//! reservation price and departs on purpose:
//!
//! - **Units.** `σ² (T - t)` becomes the one-horizon dollar variance `(s v)²` with no clock
//!   running down; `γ q s v² = (γ / s) q (s v)²`, so the slider's dimensionless `γ` is an
//!   absolute risk aversion of `γ / s` per dollar in A–S terms (not a relative one).
//! - **Target band, not target point.** Only the excess beyond the green limit is skewed, so
//!   inside green there is no skew and `γ` has no effect (the chapter's no-skew zone). This is
//!   what makes the chapter's fills at `fair ± $50` with `|R| <= 1` quotes the engine really
//!   made.
//! - **Spread.** There is no order-arrival model (no `k`), so a fixed, regime-scaled base
//!   replaces `(2/γ) ln(1 + γ/k)`, and the toy *adds* an inventory term `½ γ |q| s v²` that A–S
//!   does not have. The toy's width therefore never falls as `γ` or `v` rise.
//!
//! Every parameter lives in [`QuoteParams`] with these defaults.

use crate::engine::book::{Band, BandLimits, Book};
use crate::engine::num::{Money, Price, Qty, MAX_PRICE, SATS_PER_BTC};

/// Volatility regime.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    strum::Display,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum Regime {
    /// Quiet market: 1% shock.
    Calm,
    /// Ordinary market: 2% shock; the chapter's limits apply as written.
    Normal,
    /// Stressed market: 5% shock.
    Stressed,
}

impl Regime {
    /// All regimes, calm to stressed.
    pub const ALL: [Regime; 3] =
        crate::engine::names::variants(<Regime as strum::VariantArray>::VARIANTS);

    /// Lower-case name used in URLs and attributes.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// Parses `calm`, `normal` or `stressed` (case-insensitive).
    pub fn from_name(name: &str) -> Option<Regime> {
        crate::engine::names::by_name(&Regime::ALL, Regime::name, name.trim(), true)
    }
}

crate::engine::names::from_str_by!(Regime, Regime::from_name);

/// What the engine does about the book, from mildest to most protective.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum ControlAction {
    /// Green: quote normally, no hedge needed.
    QuoteNormally,
    /// Amber: skew quotes and consider a partial hedge.
    #[strum(serialize = "skew_partial_hedge")]
    SkewAndPartialHedge,
    /// Red: reduce size, widen, hedge.
    ReduceWidenHedge,
    /// Stop quoting until the reference is trusted again.
    Pause,
}

impl ControlAction {
    /// Machine name.
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// Reader-facing text.
    pub fn label(self) -> &'static str {
        match self {
            ControlAction::QuoteNormally => "Quote normally",
            ControlAction::SkewAndPartialHedge => "Skew quotes, consider a partial hedge",
            ControlAction::ReduceWidenHedge => "Reduce size, widen, hedge",
            ControlAction::Pause => "Pause quoting",
        }
    }
}

/// Every knob of the toy quote model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuoteParams {
    /// Volatility regime.
    pub regime: Regime,
    /// Risk aversion γ, 0 to 1 ([`Gamma`]). Default 0.5. Dimensionless: in Avellaneda–Stoikov
    /// terms it is an absolute (CARA) risk aversion of γ / fair per dollar.
    pub gamma: Gamma,
    /// Band limits in the normal regime (scaled for the others).
    pub limits: BandLimits,
    /// Base half-spread in the normal regime. Default $50.
    pub base_half_spread: Price,
    /// Quote size in green and amber. Default 2 BTC.
    pub base_size: Qty,
    /// Reference-to-fair gap, in basis points, at which a stale book pauses. Default 200.
    pub pause_gap_bp: i64,
}

/// Largest risk aversion accepted, in thousandths.
pub const MAX_GAMMA_MILLI: u32 = 1000;

/// Risk aversion γ from 0 to 1 in thousandths: one precision (3 decimals) and one clamp for every
/// way in (URL, attribute, slider, CLI), so every front end agrees on the same γ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Gamma(u32);

/// Why a risk aversion was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GammaError {
    /// Below zero.
    #[error("risk aversion must be from 0 to 1")]
    Negative,
    /// Not a decimal of at most 3 places within 0 to 1.
    #[error("risk aversion {0} (from 0 to 1, up to 3 decimals)")]
    Number(crate::engine::num::DecimalError),
}

impl Gamma {
    /// γ = 1, the largest.
    pub const MAX: Gamma = Gamma(MAX_GAMMA_MILLI);
    /// γ = 0.5, the default.
    pub const DEFAULT: Gamma = Gamma(500);
    /// Decimals a γ may carry.
    pub const DECIMALS: u32 = 3;

    /// γ from thousandths, clamped to 1 (the one clamp).
    pub const fn from_milli(milli: u32) -> Gamma {
        Gamma(if milli > MAX_GAMMA_MILLI {
            MAX_GAMMA_MILLI
        } else {
            milli
        })
    }

    /// γ in thousandths (0 to 1000).
    pub const fn milli(self) -> u32 {
        self.0
    }

    /// Reads `0.5`, `1`, `0.125`: 0 to 1 with at most 3 decimals (the one precision).
    pub fn parse(text: &str) -> Result<Gamma, GammaError> {
        match crate::engine::num::parse_decimal(
            text.trim(),
            Self::DECIMALS,
            MAX_GAMMA_MILLI as i128,
        ) {
            Ok(v) if v >= 0 => Ok(Gamma(v as u32)),
            Ok(_) => Err(GammaError::Negative),
            Err(e) => Err(GammaError::Number(e)),
        }
    }

    /// As a plain decimal: `0.5`, `1`, `0.125`.
    pub fn text(self) -> String {
        crate::engine::num::plain_decimal(self.0 as i128, Self::DECIMALS, 0)
    }
}

impl Default for Gamma {
    fn default() -> Gamma {
        Gamma::DEFAULT
    }
}

impl Default for QuoteParams {
    fn default() -> Self {
        QuoteParams {
            regime: Regime::Normal,
            gamma: Gamma::DEFAULT,
            limits: BandLimits::default(),
            base_half_spread: Price::usd(50),
            base_size: Qty::btc(2),
            pause_gap_bp: 200,
        }
    }
}

/// Volatility shock per regime, in basis points of fair.
pub fn shock_bp(regime: Regime) -> i64 {
    match regime {
        Regime::Calm => 100,
        Regime::Normal => 200,
        Regime::Stressed => 500,
    }
}

const NORMAL_SHOCK_BP: i64 = 200;

/// The band limits in force for a regime: the normal-regime limits scaled by `v_normal / v`.
pub fn regime_limits(limits: &BandLimits, regime: Regime) -> BandLimits {
    let v = shock_bp(regime);
    BandLimits {
        green_max: limits.green_max.scale(NORMAL_SHOCK_BP, v),
        amber_max: limits.amber_max.scale(NORMAL_SHOCK_BP, v),
        // The tolerance is the resting half-spread, which widens with the regime.
        stale_tolerance: Price::from_cents(div_trunc(
            limits.stale_tolerance.cents() as i128 * v as i128,
            NORMAL_SHOCK_BP as i128,
        )),
    }
}

/// The band of a book under a regime's limits (what the quote engine and every widget show).
pub fn band_in(book: &Book, limits: &BandLimits, regime: Regime) -> Band {
    book.band(&regime_limits(limits, regime))
}

/// A stale reference judged against its tolerance, and what a pick-off costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Staleness {
    /// Fresh fair minus the quote reference, in cents.
    pub gap_cents: i64,
    /// The regime's tolerance (the base half-spread `h`), in cents: the engine's staleness check.
    pub tolerance_cents: i64,
    /// True when `|gap| > h`: the check calls the reference stale.
    pub stale: bool,
    /// What a picker-off makes per BTC on the resting quote's side that the move left stale
    /// (the resting bid above fresh fair, or the resting ask below it), in cents; 0 when neither.
    pub pick_off_cents: i64,
}

impl Staleness {
    /// What a picker-off makes (the dealer loses) per BTC: `max(|Δ| - h, 0)` for a resting quote
    /// that does not lean with inventory, `Δ` the gap; measured on the resting quote's actual side,
    /// so a quote leaning with inventory can be picked off a little sooner on its shedding side.
    /// The loss on `q` BTC is `q` times this (reference $100,500, fair $99,500, h $50: $950 per
    /// BTC, $1,900 on 2 BTC).
    pub fn pick_off_per_btc_cents(&self) -> i64 {
        self.pick_off_cents
    }
}

/// The book's reference gap judged against the regime's tolerance, and the pick-off it allows.
pub fn staleness(book: &Book, params: &QuoteParams) -> Staleness {
    let tolerance = regime_limits(&params.limits, params.regime).stale_tolerance;
    let gap = book.reference_gap_cents();
    let pick_off_cents = if book.is_stale() {
        let resting = resting_quote(book, params);
        let fair = book.fair.cents();
        (resting.bid.cents() - fair)
            .max(fair - resting.ask.cents())
            .max(0)
    } else {
        0
    };
    Staleness {
        gap_cents: gap,
        tolerance_cents: tolerance.cents(),
        stale: book.is_stale_beyond(tolerance),
        pick_off_cents,
    }
}

/// `inventoryRiskProxy = |R_residual| x fair x volatility shock`, in dollars. A teaching proxy,
/// not VaR. Exact to 10^-10 USD (anything finer is truncated).
pub fn inventory_risk_proxy(r_residual: Qty, fair: Price, regime: Regime) -> Money {
    Money::value(r_residual.abs(), fair).scale(shock_bp(regime) as i128, 10_000)
}

/// The inventory term `γ x |q| x fair x v²` before rounding, exactly, in units of 10^-21 USD
/// (γ in thousandths, `q` in satoshis, fair in cents, `v` in basis points).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Penalty(i128);

/// Units of [`Penalty`] per cent: 10^3 (γ) x 10^8 (sats) x 10^8 (bp²).
const PENALTY_PER_CENT: i128 = 1_000 * SATS_PER_BTC as i128 * 100_000_000;

impl Penalty {
    /// `γ x |excess| x fair x v²` for a regime (inputs clamped to the engine's ranges).
    pub fn new(gamma: Gamma, excess: Qty, fair: Price, regime: Regime) -> Penalty {
        let v = shock_bp(regime) as i128;
        let q = excess
            .sats()
            .unsigned_abs()
            .min(crate::engine::num::MAX_POSITION.sats() as u64) as i128;
        let f = fair.cents().clamp(0, MAX_PRICE.cents()) as i128;
        Penalty(gamma.milli() as i128 * q * f * v * v)
    }

    /// In whole cents, rounded toward zero (what the skew uses).
    pub fn cents(self) -> i64 {
        (self.0 / PENALTY_PER_CENT) as i64
    }

    /// Half of it in whole cents, rounded toward zero (what the half-spread adds).
    pub fn half_cents(self) -> i64 {
        (self.0 / (2 * PENALTY_PER_CENT)) as i64
    }

    /// Exact dollars as plain decimal text: `40.008`.
    pub fn dollars_text(self) -> String {
        crate::engine::num::plain_decimal(self.0, 21, 0)
    }

    /// Half of it in exact dollars as plain decimal text: `20.004`.
    pub fn half_dollars_text(self) -> String {
        crate::engine::num::plain_decimal(self.0 * 5, 22, 0)
    }
}

/// What a quote is built on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Basis {
    /// On fresh fair value, with no stale reference beyond tolerance.
    Fresh,
    /// Resting on the quote reference, which lags fresh fair: what customers can hit until the
    /// engine notices the gap.
    Resting,
    /// Re-centred on fresh fair after the engine detected a stale reference: widened, smaller
    /// or paused.
    Protective,
}

/// The engine's quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quote {
    /// What the quote is built on.
    pub basis: Basis,
    /// Price the dealer buys at, floored at zero; at or below [`MIN_QUOTED_PRICE`] the bid is
    /// withdrawn ([`Quote::quoted_bid`]).
    pub bid: Price,
    /// Price the dealer sells at, floored at the bid; at or below [`MIN_QUOTED_PRICE`] the ask is
    /// withdrawn ([`Quote::quoted_ask`]).
    pub ask: Price,
    /// Size shown on each side (zero when paused).
    pub size: Qty,
    /// The price the quotes are centred on before skew (fresh fair value).
    pub center: Price,
    /// Reservation price minus fair, in cents (negative when long, positive when short).
    pub skew_cents: i64,
    /// Half-spread before any red widening, in cents.
    pub half_spread_cents: i64,
    /// Band under the regime's limits.
    pub band: Band,
    /// What the engine does.
    pub action: ControlAction,
    /// The limits in force for the regime.
    pub limits: BandLimits,
    /// Excess inventory beyond the green band that the skew acts on (signed).
    pub excess: Qty,
    /// The inventory term `γ |q| fair v²` behind skew and half-spread, before rounding.
    pub penalty: Penalty,
    /// The regime-scaled base half-spread `base x v / v_normal`, in cents.
    pub base_cents: i64,
    /// Extra width for a stale reference, on each side, in cents (0 when fresh).
    pub stale_widening_cents: i64,
    /// Extra width on the side that would add risk when red by size, in cents (0 otherwise);
    /// on the bid when long, on the ask when short.
    pub size_widening_cents: i64,
}

/// A side priced at or below this ($0.01) is withdrawn: not quoted at all.
pub const MIN_QUOTED_PRICE: Price = Price::from_cents(1);

impl Quote {
    /// The bid, or `None` when it is withdrawn (its price would be at or below
    /// [`MIN_QUOTED_PRICE`]).
    pub fn quoted_bid(&self) -> Option<Price> {
        (self.bid > MIN_QUOTED_PRICE).then_some(self.bid)
    }

    /// The ask, or `None` when it is withdrawn (its price would be at or below
    /// [`MIN_QUOTED_PRICE`]).
    pub fn quoted_ask(&self) -> Option<Price> {
        (self.ask > MIN_QUOTED_PRICE).then_some(self.ask)
    }

    /// Reservation price: centre plus skew.
    pub fn reservation(&self) -> Price {
        self.center.offset(self.skew_cents)
    }

    /// Full spread, ask minus bid, in cents.
    pub fn spread_cents(&self) -> i64 {
        self.ask.cents_above(self.bid)
    }
}

/// Rounds `num / den` toward zero (den > 0).
fn div_trunc(num: i128, den: i128) -> i64 {
    (num / den) as i64
}

/// The quote the engine makes for a book now, knowing fresh fair value. A reference that lags
/// fair by more than the tolerance ([`staleness`]) makes it protective: red, both sides wider,
/// half size, or paused.
pub fn quote(book: &Book, params: &QuoteParams) -> Quote {
    let v = shock_bp(params.regime) as i128;
    let limits = regime_limits(&params.limits, params.regime);
    // Inputs are clamped to the engine's ranges (the ledger never exceeds them), which keeps
    // every product below in i128 and every price in i64.
    let r = book.r_residual().clamp_position();
    let stale = book.is_stale_beyond(limits.stale_tolerance);
    let band = limits.classify(r, stale);
    let red_by_size = r.abs() > limits.amber_max;
    let center = book.fair.clamp(Price::from_cents(0), MAX_PRICE);
    let fair = center.cents() as i128;

    let excess_abs = (r.abs().sats() - limits.green_max.sats()).max(0);
    let excess = Qty::from_sats(excess_abs * r.signum());
    // γ (milli) x q (sats) x fair (cents) x v² (bp²) / (1e3 x 1e8 x 1e8) = cents.
    let penalty = Penalty::new(params.gamma, excess, center, params.regime);
    let skew_cents = -penalty.cents() * r.signum();
    let base = div_trunc(
        params.base_half_spread.cents() as i128 * v,
        NORMAL_SHOCK_BP as i128,
    );
    let half_spread_cents = base + penalty.half_cents();

    let reservation = center.cents() + skew_cents;
    let mut bid = reservation - half_spread_cents;
    let mut ask = reservation + half_spread_cents;
    if stale {
        bid -= base;
        ask += base;
    }
    if red_by_size {
        if r.is_positive() {
            bid -= base;
        } else {
            ask += base;
        }
    }

    let gap_bp = if fair > 0 {
        (book.quote_ref.cents() as i128 - fair).abs() * 10_000 / fair
    } else {
        0
    };
    let action = if stale && (gap_bp >= params.pause_gap_bp as i128 || red_by_size) {
        ControlAction::Pause
    } else {
        match band {
            Band::Green => ControlAction::QuoteNormally,
            Band::Amber => ControlAction::SkewAndPartialHedge,
            Band::Red => ControlAction::ReduceWidenHedge,
        }
    };
    let size = match action {
        ControlAction::Pause => Qty::ZERO,
        ControlAction::ReduceWidenHedge => params.base_size.scale(1, 2),
        _ => params.base_size,
    };
    // Prices cannot go below zero; on absurd books the whole quote floors at zero.
    let (bid, ask) = (bid.max(0), ask.max(bid.max(0)));
    Quote {
        basis: if stale {
            Basis::Protective
        } else {
            Basis::Fresh
        },
        bid: Price::from_cents(bid),
        ask: Price::from_cents(ask),
        size,
        center,
        skew_cents,
        half_spread_cents,
        band,
        action,
        limits,
        excess,
        penalty,
        base_cents: base,
        stale_widening_cents: if stale { base } else { 0 },
        size_widening_cents: if red_by_size { base } else { 0 },
    }
}

/// The quote that was resting in the market: built on the quote reference, as the engine saw
/// the book before it learned whether that reference was stale.
pub fn resting_quote(book: &Book, params: &QuoteParams) -> Quote {
    let q = quote(
        &Book {
            fair: book.quote_ref,
            ..*book
        },
        params,
    );
    Quote {
        basis: if book.is_stale() {
            Basis::Resting
        } else {
            q.basis
        },
        ..q
    }
}

/// The quote customers can hit now: the one resting on the reference while the reference lags
/// fair and the engine has not noticed ([`Book::stale_detected`]), else the engine's [`quote`]
/// (protective when the gap is beyond tolerance).
pub fn shown_quote(book: &Book, params: &QuoteParams) -> Quote {
    if book.is_stale() && !book.stale_detected {
        resting_quote(book, params)
    } else {
        quote(book, params)
    }
}

/// The order-arrival decay `k` (per dollar) the Avellaneda–Stoikov overlay uses: chosen so that
/// at γ 0.5 in the normal regime on a $100,000 book the model's spread equals the toy's $100.
pub const AS_K_PER_USD: f64 = 0.025;

/// Avellaneda–Stoikov (2008) for the same book, γ and volatility, in dollars: reservation price
/// `r = s - q γa σ² (T - t)` on the *whole* inventory `q = R_residual` and total spread
/// `γa σ² (T - t) + (2/γa) ln(1 + γa/k)`, with the toy's units (`γa = γ / s` per dollar, `σ² (T -
/// t) = (s v)²`, one horizon) and `k` = [`AS_K_PER_USD`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AvellanedaStoikov {
    /// Reservation price, dollars.
    pub reservation: f64,
    /// Total optimal spread, dollars.
    pub spread: f64,
    /// The `k` used, per dollar.
    pub k: f64,
}

impl AvellanedaStoikov {
    /// The model's bid and ask around its reservation price, `r ∓ spread / 2`, in whole cents
    /// (rounded), for drawing next to the toy's quote.
    pub fn quote_cents(&self) -> (i64, i64, i64) {
        let r = (self.reservation * 100.0).round() as i64;
        let half = (self.spread * 50.0).round() as i64;
        (r - half, r, r + half)
    }
}

/// The Avellaneda–Stoikov reservation price and spread for a book (see [`AvellanedaStoikov`]).
pub fn avellaneda_stoikov(book: &Book, params: &QuoteParams) -> AvellanedaStoikov {
    let s = book.fair.as_f64().max(0.01);
    let q = book.r_residual().as_f64();
    let v = shock_bp(params.regime) as f64 / 10_000.0;
    let gamma = params.gamma.milli() as f64 / 1000.0;
    let var = (s * v) * (s * v);
    let ga = gamma / s;
    let k = AS_K_PER_USD;
    // As γ goes to 0 the second term tends to 2/k.
    let arrival = if ga > 0.0 {
        (2.0 / ga) * (ga / k).ln_1p()
    } else {
        2.0 / k
    };
    AvellanedaStoikov {
        reservation: s - q * ga * var,
        spread: ga * var + arrival,
        k,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn avellaneda_stoikov_overlay() {
        let p = QuoteParams::default();
        let flat = avellaneda_stoikov(&book(0, 100_000), &p);
        assert!((flat.spread - 100.0).abs() < 0.05, "{flat:?}");
        assert_eq!(flat.reservation, 100_000.0);
        // Long 1 BTC: r = s - q γ s v² = 100,000 - 0.5 x 100,000 x 0.0004 = 99,980 (the toy does
        // not skew inside green).
        let long = avellaneda_stoikov(&book(10, 100_000), &p);
        assert!((long.reservation - 99_980.0).abs() < 1e-6, "{long:?}");
        assert_eq!(
            long.spread, flat.spread,
            "the model's spread ignores inventory"
        );
        let (b, r, a) = long.quote_cents();
        assert_eq!((r, a - b), (9_998_000, 10_000));
        // The spread rises with volatility.
        let stressed = QuoteParams {
            regime: Regime::Stressed,
            ..p
        };
        assert!(avellaneda_stoikov(&book(0, 100_000), &stressed).spread > flat.spread);
    }

    fn book(r_btc_tenths: i64, fair: i64) -> Book {
        Book::new(
            Price::usd(fair),
            Qty::from_sats(r_btc_tenths * 10_000_000),
            Qty::ZERO,
        )
    }

    #[test]
    fn flat_book_quotes_the_chapter_prices() {
        let q = quote(&book(0, 100_000), &QuoteParams::default());
        assert_eq!((q.bid, q.ask), (Price::usd(99_950), Price::usd(100_050)));
        assert_eq!(
            (q.band, q.action, q.size),
            (Band::Green, ControlAction::QuoteNormally, Qty::btc(2))
        );
    }

    #[test]
    fn excess_inventory_skews_against_the_position() {
        // Step 2, after the customer buy: R = -3, fair $100,020.
        let q = quote(&book(-30, 100_020), &QuoteParams::default());
        assert_eq!(q.band, Band::Red);
        assert_eq!(q.excess, Qty::btc(-2));
        // 0.5 x 2 x 100,020 x 0.02² = $40.008 -> 4000 cents (toward zero).
        assert_eq!(q.skew_cents, 4_000);
        assert_eq!(q.half_spread_cents, 5_000 + 2_000);
        assert_eq!(q.action, ControlAction::ReduceWidenHedge);
        assert_eq!(q.size, Qty::btc(1));
    }

    #[test]
    fn regimes_scale_limits_and_width() {
        let p = |regime| QuoteParams {
            regime,
            ..QuoteParams::default()
        };
        let one = book(10, 100_000);
        assert_eq!(quote(&one, &p(Regime::Calm)).band, Band::Green);
        assert_eq!(quote(&one, &p(Regime::Normal)).band, Band::Green);
        assert_eq!(quote(&one, &p(Regime::Stressed)).band, Band::Amber);
        assert_eq!(
            quote(&book(0, 100_000), &p(Regime::Calm)).half_spread_cents,
            2_500
        );
        assert_eq!(
            quote(&book(0, 100_000), &p(Regime::Stressed)).half_spread_cents,
            12_500
        );
        assert_eq!(
            inventory_risk_proxy(Qty::btc(-1), Price::usd(100_000), Regime::Calm),
            Money::usd(1_000)
        );
        assert_eq!(
            inventory_risk_proxy(Qty::btc(1), Price::usd(100_000), Regime::Stressed),
            Money::usd(5_000)
        );
    }

    #[test]
    fn extreme_books_do_not_overflow() {
        let max = crate::engine::num::MAX_POSITION.sats();
        for r in [i64::MIN, -max, max, i64::MAX] {
            for fair in [1, MAX_PRICE.cents(), i64::MAX] {
                let half = Qty::from_sats(r / 2);
                let mut b = Book::new(Price::from_cents(fair), half, half);
                b.quote_ref = Price::from_cents(i64::MIN / 2);
                for regime in Regime::ALL {
                    let q = quote(
                        &b,
                        &QuoteParams {
                            regime,
                            gamma: Gamma::from_milli(1000),
                            ..QuoteParams::default()
                        },
                    );
                    assert!(q.bid <= q.ask);
                    assert_eq!(q.band, Band::Red);
                }
            }
        }
    }

    #[test]
    fn a_side_at_or_below_a_cent_is_withdrawn() {
        let stressed = QuoteParams {
            regime: Regime::Stressed,
            gamma: Gamma::from_milli(1000),
            ..QuoteParams::default()
        };
        // Long 1,000 BTC: the reservation price is -$149,900, both sides below zero.
        let q = quote(&book(10_000, 100_000), &stressed);
        assert_eq!((q.quoted_bid(), q.quoted_ask()), (None, None));
        // Long 300 BTC: the bid is gone, the ask still quoted.
        let q = quote(&book(3_000, 100_000), &stressed);
        assert_eq!(q.quoted_bid(), None);
        assert_eq!(q.quoted_ask(), Some(Price::usd(62_675)));
        let flat = quote(&book(0, 100_000), &QuoteParams::default());
        assert_eq!(
            (flat.quoted_bid(), flat.quoted_ask()),
            (Some(flat.bid), Some(flat.ask))
        );
    }

    #[test]
    fn band_in_a_regime() {
        let b = book(5, 100_000);
        assert_eq!(
            band_in(&b, &BandLimits::default(), Regime::Normal),
            Band::Green
        );
        assert_eq!(
            band_in(&b, &BandLimits::default(), Regime::Stressed),
            Band::Amber
        );
    }

    #[test]
    fn step_4_shows_the_resting_quote_until_the_pick_off() {
        // The chapter's step 4: R +0.5, reference $100,500, fresh fair $99,500, not yet seen.
        let mut b = book(5, 99_500);
        b.quote_ref = Price::usd(100_500);
        let p = QuoteParams::default();
        let shown = shown_quote(&b, &p);
        assert_eq!(shown.basis, Basis::Resting);
        assert_eq!(
            (shown.bid, shown.ask, shown.size),
            (Price::usd(100_450), Price::usd(100_550), Qty::btc(2))
        );
        let s = staleness(&b, &p);
        assert!(s.stale);
        assert_eq!(s.pick_off_per_btc_cents(), 95_000);
        b.stale_detected = true;
        let shown = shown_quote(&b, &p);
        assert_eq!(shown.basis, Basis::Protective);
        assert_eq!(shown.band, Band::Red);
        assert!(shown.bid < b.fair, "the protective bid is below fresh fair");
    }

    #[test]
    fn a_leaning_resting_quote_is_picked_off_on_its_real_side() {
        // Stressed regime, long 0.5 BTC (beyond the 0.4 green limit): the resting bid leans below
        // the reference by more than the $125 base, so a picker-off makes less than |Δ| - h.
        let mut b = book(5, 99_500);
        b.quote_ref = Price::usd(100_500);
        let p = QuoteParams {
            regime: Regime::Stressed,
            ..QuoteParams::default()
        };
        let s = staleness(&b, &p);
        let resting = resting_quote(&b, &p);
        assert_eq!(s.pick_off_cents, resting.bid.cents() - b.fair.cents());
        assert!(s.pick_off_cents < 100_000 - 12_500, "{s:?}");
    }

    #[test]
    fn a_gap_inside_the_tolerance_is_quoted_as_fresh() {
        let mut b = book(0, 100_000);
        b.quote_ref = Price::from_cents(10_000_001);
        b.stale_detected = true;
        let q = quote(&b, &QuoteParams::default());
        assert_eq!(q.basis, Basis::Fresh);
        assert_eq!(
            (q.band, q.size),
            (Band::Green, Qty::btc(2)),
            "one cent is not stale"
        );
        assert_eq!(
            staleness(&b, &QuoteParams::default()).pick_off_per_btc_cents(),
            0
        );
        // The stressed regime's tolerance is $125.
        b.quote_ref = Price::usd(100_100);
        let stressed = QuoteParams {
            regime: Regime::Stressed,
            ..QuoteParams::default()
        };
        assert!(!staleness(&b, &stressed).stale);
        assert!(staleness(&b, &QuoteParams::default()).stale);
    }

    #[test]
    fn stale_reference_is_red_and_protective() {
        let mut b = book(10, 99_500);
        b.quote_ref = Price::usd(100_500);
        let q = quote(&b, &QuoteParams::default());
        assert_eq!(
            (q.band, q.action),
            (Band::Red, ControlAction::ReduceWidenHedge)
        );
        b.quote_ref = Price::usd(102_000);
        assert_eq!(
            quote(&b, &QuoteParams::default()).action,
            ControlAction::Pause
        );
    }

    fn params() -> impl Strategy<Value = QuoteParams> {
        (0usize..3, 0u32..=1000).prop_map(|(r, g)| QuoteParams {
            regime: Regime::ALL[r],
            gamma: Gamma::from_milli(g),
            ..QuoteParams::default()
        })
    }

    fn any_book() -> impl Strategy<Value = Book> {
        (
            -2_000_000_000i64..2_000_000_000,
            1_000_000i64..100_000_000,
            -500i64..500,
            any::<bool>(),
        )
            .prop_map(|(r, fair, gap, stale)| {
                let mut b = Book::new(Price::from_cents(fair), Qty::from_sats(r), Qty::ZERO);
                if stale {
                    b.quote_ref = Price::from_cents(fair + gap * 100);
                }
                b
            })
    }

    proptest! {
        #[test]
        fn short_and_long_mirror_exactly(b in any_book(), p in params()) {
            let long = quote(&b, &p);
            let short = quote(&Book { i_client: -b.i_client, ..b }, &p);
            let c = long.center.cents();
            prop_assert_eq!(short.skew_cents, -long.skew_cents);
            prop_assert_eq!(short.bid.cents(), (2 * c - long.ask.cents()).max(0));
            prop_assert_eq!(short.ask.cents(), 2 * c - long.bid.cents());
            prop_assert_eq!((short.band, short.action, short.size), (long.band, long.action, long.size));
        }

        #[test]
        fn long_lowers_both_sides_and_short_raises_them(b in any_book(), p in params()) {
            prop_assume!(!b.is_stale());
            let flat = quote(&Book { i_client: Qty::ZERO, ..b }, &p);
            let q = quote(&b, &p);
            if b.r_residual().is_positive() {
                prop_assert!(q.bid <= flat.bid && q.ask <= flat.ask);
                prop_assert!(q.skew_cents <= 0);
            } else {
                prop_assert!(q.bid >= flat.bid && q.ask >= flat.ask);
                prop_assert!(q.skew_cents >= 0);
            }
            if !q.excess.is_zero() && q.skew_cents != 0 {
                prop_assert!(q.reservation() != flat.reservation());
            }
        }

        #[test]
        fn more_risk_aversion_never_narrows(b in any_book(), p in params(), extra in 0u32..=1000) {
            let lo = quote(&b, &p);
            let hi = quote(&b, &QuoteParams { gamma: Gamma::from_milli(p.gamma.milli() + extra), ..p });
            prop_assert!(hi.skew_cents.abs() >= lo.skew_cents.abs());
            prop_assert!(hi.spread_cents() >= lo.spread_cents());
            prop_assert!(hi.half_spread_cents >= lo.half_spread_cents);
        }

        #[test]
        fn more_volatility_never_narrows(b in any_book(), g in 0u32..=1000, lo_i in 0usize..3, step in 0usize..3) {
            let hi_i = (lo_i + step).min(2);
            let p = |i: usize| QuoteParams { regime: Regime::ALL[i], gamma: Gamma::from_milli(g), ..QuoteParams::default() };
            let lo = quote(&b, &p(lo_i));
            let hi = quote(&b, &p(hi_i));
            prop_assert!(hi.skew_cents.abs() >= lo.skew_cents.abs());
            prop_assert!(hi.spread_cents() >= lo.spread_cents());
            // A wider regime widens the stale tolerance too, so a gap can stop counting as stale;
            // the band and action only rise with volatility on a fresh reference.
            if !b.is_stale() {
                prop_assert!(hi.band >= lo.band);
                prop_assert!(hi.action >= lo.action);
            }
        }

        #[test]
        fn stale_is_always_red_and_protective(b in any_book(), p in params()) {
            prop_assume!(staleness(&b, &p).stale);
            let q = quote(&b, &p);
            prop_assert_eq!(q.band, Band::Red);
            prop_assert!(q.action >= ControlAction::ReduceWidenHedge);
        }
    }
}

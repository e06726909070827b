//! The internalize-or-hedge decision behind the heatmap: five environment inputs, each from low
//! (0) to high (1000, in thousandths), decide **two** things: how much of the residual to hedge
//! ([`Hedge`]: none < partial < full) and how to quote ([`QuoteStance`]: normal < skew < widen <
//! pause). The seed's six labels ([`Action`]) display the pair by a fixed precedence.
//!
//! Inventory pressure `p = flow x (0.5 + volatility/2 + toxicity/2)`, capped at 1: how fast
//! one-sided flow builds residual and how costly it is to carry. A venue is *cheap* while hedge
//! cost <= [`CHEAP_HEDGE`].
//!
//! **How much to hedge** (first match wins, [`HedgeReason`]):
//! 1. toxicity >= [`TOXIC`]: informed flow is warehoused as little as the venue allows: `full`
//!    on a cheap venue, `partial` on an expensive one (the hedge stops further losses if the
//!    drift continues; it does not undo the adverse selection already in the fill price);
//! 2. cheap venue: `full` when `p >=` [`FULL_HEDGE_PRESSURE`], `partial` when `p >=`
//!    [`LOW_PRESSURE`];
//! 3. expensive venue: `partial` when `p >=` [`COSTLY_HEDGE_PRESSURE`]; from [`LOW_PRESSURE`]
//!    the dealer leans on the quote skew instead of paying the venue, unless the quotes widen or
//!    pause (then they cannot lean, and it pays for a partial hedge);
//! 4. otherwise `none`: flow is two-sided enough to net inside the book.
//!
//! **How to quote** (first match wins, [`QuoteReason`]):
//! 1. latency risk >= [`PAUSE_LATENCY`], or toxicity >= [`INFORMED_TOXICITY`] with volatility >=
//!    [`STRESSED_VOLATILITY`]: `pause`;
//! 2. latency risk >= [`STALE_LATENCY`], toxicity >= [`TOXIC`] or volatility >=
//!    [`STRESSED_VOLATILITY`]: `widen`;
//! 3. `p >=` [`LOW_PRESSURE`]: `skew` (lean the quotes so the side that sheds the residual is the
//!    attractive one);
//! 4. otherwise `normal`.
//!
//! **The label** ([`label`]): `pause` if quoting pauses; else `full_hedge` if the hedge is full;
//! else `widen` if the quote widens; else `partial_hedge` if the hedge is partial; else `skew`
//! if the quote skews; else `internalize` (no hedge, normal quotes). Every label is true of its
//! pair; the reason ([`crate::words::explain::policy::reason`]) and the heatmap name both decisions, so
//! no action in a pair is hidden.
//!
//! Properties (property-tested below over the whole grid): volatility up never hedges less or
//! quotes less protectively; toxicity up the same, and toxicity at the top of its scale always
//! hedges (at least partly) and is never internalized or met by a skew alone; one-sided flow up
//! never hedges less; hedge cost up never hedges more; latency up never quotes less
//! protectively, and latency at the top of its scale pauses; the benign corner internalizes;
//! all six labels occur; each label is true of its pair.
//!
//! The economics behind each direction (Glosten–Milgrom 1985 for toxic flow, Ho–Stoll 1981 and
//! Avellaneda–Stoikov 2008 for inventory and volatility) is in the chapter; the thresholds are
//! synthetic teaching numbers.

/// An input level in thousandths, 0 (low) to 1000 (high).
pub type Level = u16;

/// Highest [`Level`].
pub const MAX_LEVEL: Level = 1000;

/// Default heatmap levels: a mildly one-sided, benign, normal market with a fresh reference.
pub const DEFAULT_LEVELS: Inputs = Inputs {
    flow: 400,
    toxicity: 200,
    volatility: 500,
    hedge_cost: 300,
    latency: 100,
};

/// Why a text is not a usable [`Level`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LevelError {
    /// Not a number at all.
    #[error("`{0}` is not a number; levels are from 0 to 1")]
    NotANumber(String),
    /// A number below 0 or above 1.
    #[error("{0} is out of range; levels are from 0 to 1")]
    OutOfRange(String),
    /// More than three decimals (levels are thousandths).
    #[error("{0} has more than 3 decimal places")]
    TooPrecise(String),
}

/// Parses a level from 0 to 1 with at most 3 decimals (`0.35`, `1`, `5e-1`) into thousandths.
pub fn parse_level(text: &str) -> Result<Level, LevelError> {
    use crate::engine::num::{parse_decimal, DecimalError};
    let t = text.trim();
    match parse_decimal(t, 3, MAX_LEVEL as i128) {
        Ok(v) if v >= 0 => Ok(v as Level),
        Ok(_) | Err(DecimalError::TooLarge) => Err(LevelError::OutOfRange(t.to_string())),
        Err(DecimalError::TooPrecise(_)) => Err(LevelError::TooPrecise(t.to_string())),
        Err(DecimalError::Syntax) => Err(LevelError::NotANumber(t.to_string())),
    }
}

/// The five environment inputs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Inputs {
    /// Client flow balance: 0 two-sided offsetting flow, 1000 one-sided flow.
    pub flow: Level,
    /// Toxicity score: 0 benign/random flow, 1000 stale-quote or informed flow.
    pub toxicity: Level,
    /// Volatility: 0 calm, 1000 stressed.
    pub volatility: Level,
    /// Hedge cost: 0 cheap/deep venue, 1000 expensive/thin venue.
    pub hedge_cost: Level,
    /// Latency risk: 0 fresh reference, 1000 stale reference.
    pub latency: Level,
}

/// One of the five inputs, for choosing heatmap axes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Input {
    /// Client flow balance.
    Flow,
    /// Toxicity score.
    Toxicity,
    /// Volatility.
    Volatility,
    /// Hedge cost.
    HedgeCost,
    /// Latency risk.
    Latency,
}

impl Input {
    /// All inputs in the chapter's table order.
    pub const ALL: [Input; 5] =
        crate::engine::names::variants(<Input as strum::VariantArray>::VARIANTS);

    /// Machine name used in URLs: `flow`, `toxicity`, `volatility`, `hedge_cost`, `latency`.
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// Parses a [`Input::key`].
    pub fn from_key(key: &str) -> Option<Input> {
        crate::engine::names::by_name(&Input::ALL, Input::key, key, false)
    }
}

crate::engine::names::from_str_by!(Input, Input::from_key);

impl Inputs {
    /// The five levels, in the chapter's table order.
    pub const fn new(
        flow: Level,
        toxicity: Level,
        volatility: Level,
        hedge_cost: Level,
        latency: Level,
    ) -> Inputs {
        Inputs {
            flow,
            toxicity,
            volatility,
            hedge_cost,
            latency,
        }
    }

    /// Reads one input.
    pub fn get(&self, input: Input) -> Level {
        match input {
            Input::Flow => self.flow,
            Input::Toxicity => self.toxicity,
            Input::Volatility => self.volatility,
            Input::HedgeCost => self.hedge_cost,
            Input::Latency => self.latency,
        }
    }

    /// Returns a copy with one input set (clamped to [`MAX_LEVEL`]).
    pub fn with(mut self, input: Input, level: Level) -> Inputs {
        let level = level.min(MAX_LEVEL);
        match input {
            Input::Flow => self.flow = level,
            Input::Toxicity => self.toxicity = level,
            Input::Volatility => self.volatility = level,
            Input::HedgeCost => self.hedge_cost = level,
            Input::Latency => self.latency = level,
        }
        self
    }
}

/// The heatmap's six labels: a display of the pair ([`Hedge`], [`QuoteStance`]) by [`label`].
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
pub enum Action {
    /// Net offsetting customer flow inside the book.
    Internalize,
    /// Lean quotes to attract offsetting flow.
    Skew,
    /// Hedge part of the residual externally.
    PartialHedge,
    /// Hedge the residual externally.
    FullHedge,
    /// Widen the spread.
    Widen,
    /// Stop quoting.
    Pause,
}

impl Action {
    /// All six labels.
    pub const ALL: [Action; 6] =
        crate::engine::names::variants(<Action as strum::VariantArray>::VARIANTS);

    /// The chapter's name: `internalize`, `skew`, `partial_hedge`, `full_hedge`, `widen`, `pause`.
    pub fn key(self) -> &'static str {
        self.into()
    }
}

/// How much of the residual to hedge externally.
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
pub enum Hedge {
    /// No external hedge: the residual is carried (and netted by offsetting flow).
    None,
    /// Hedge part of the residual.
    Partial,
    /// Hedge the residual out.
    Full,
}

impl Hedge {
    /// Every amount, least to most.
    pub const ALL: [Hedge; 3] =
        crate::engine::names::variants(<Hedge as strum::VariantArray>::VARIANTS);

    /// Machine name: `none`, `partial`, `full`.
    pub fn key(self) -> &'static str {
        self.into()
    }
}

/// How to quote.
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
pub enum QuoteStance {
    /// Quote normally around fair value.
    Normal,
    /// Lean both quotes so the side that sheds the residual is the attractive one.
    Skew,
    /// Widen the spread (and quote less size).
    Widen,
    /// Stop quoting.
    Pause,
}

impl QuoteStance {
    /// Every stance, least to most protective.
    pub const ALL: [QuoteStance; 4] =
        crate::engine::names::variants(<QuoteStance as strum::VariantArray>::VARIANTS);

    /// Machine name: `normal`, `skew`, `widen`, `pause`.
    pub fn key(self) -> &'static str {
        self.into()
    }
}

/// Why the hedge is what it is (numbered as in the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HedgeReason {
    /// 1. Toxic flow: full on a cheap venue, partial on an expensive one.
    ToxicFlow,
    /// 2. Pressure on a cheap venue: full or partial.
    CheapVenue,
    /// 3. Pressure high enough to pay an expensive venue for a partial hedge.
    ExpensiveVenue,
    /// 3. Pressure on an expensive venue while the quotes widen or pause, so no skew can shed
    ///    the residual: a partial hedge.
    NoSkewToLeanOn,
    /// 3. Pressure on an expensive venue, below what is worth paying for: no hedge, skew instead.
    LeanOnSkew,
    /// 4. Low pressure: flow nets inside the book.
    LowPressure,
}

impl HedgeReason {
    /// Every reason, in the order they are tried.
    pub const ALL: [HedgeReason; 6] = [
        HedgeReason::ToxicFlow,
        HedgeReason::CheapVenue,
        HedgeReason::ExpensiveVenue,
        HedgeReason::NoSkewToLeanOn,
        HedgeReason::LeanOnSkew,
        HedgeReason::LowPressure,
    ];
}

/// Why the quote stance is what it is (numbered as in the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuoteReason {
    /// 1. Latency risk at the pause threshold: the reference is stale.
    StaleReference,
    /// 1. Informed flow in a stressed market.
    InformedFlowInStress,
    /// 2. Latency risk at the stale threshold: the reference is ageing.
    AgeingReference,
    /// 2. Toxic flow.
    ToxicFlow,
    /// 2. Stressed market.
    StressedMarket,
    /// 3. Inventory builds: lean the quotes.
    InventoryBuilds,
    /// 4. Nothing to lean against.
    Quiet,
}

impl QuoteReason {
    /// Every reason, in the order they are tried.
    pub const ALL: [QuoteReason; 7] = [
        QuoteReason::StaleReference,
        QuoteReason::InformedFlowInStress,
        QuoteReason::AgeingReference,
        QuoteReason::ToxicFlow,
        QuoteReason::StressedMarket,
        QuoteReason::InventoryBuilds,
        QuoteReason::Quiet,
    ];
}

/// The two decisions, their label and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decision {
    /// The label the heatmap colours the cell with ([`label`] of the pair).
    pub action: Action,
    /// How much to hedge.
    pub hedge: Hedge,
    /// How to quote.
    pub quote: QuoteStance,
    /// Which hedge rule decided.
    pub hedge_reason: HedgeReason,
    /// Which quote rule decided.
    pub quote_reason: QuoteReason,
    /// Inventory pressure, in thousandths.
    pub pressure: Level,
}

/// Latency risk at which the quote reference counts as ageing: widen at least.
pub const STALE_LATENCY: Level = 600;
/// Latency risk at which quoting stops.
pub const PAUSE_LATENCY: Level = 800;
/// Toxicity at which flow counts as toxic: hedged, never warehoused, quotes widened.
pub const TOXIC: Level = 600;
/// Toxicity at which flow counts as informed: pause in a stressed market.
pub const INFORMED_TOXICITY: Level = 850;
/// Volatility at which the market counts as stressed.
pub const STRESSED_VOLATILITY: Level = 600;
/// Inventory pressure from which the dealer acts on inventory (hedges on a cheap venue, skews).
pub const LOW_PRESSURE: Level = 300;
/// Hedge cost up to which the venue counts as cheap.
pub const CHEAP_HEDGE: Level = 500;
/// Inventory pressure from which a cheap venue hedges fully.
pub const FULL_HEDGE_PRESSURE: Level = 600;
/// Inventory pressure from which an expensive venue is still paid for a partial hedge.
pub const COSTLY_HEDGE_PRESSURE: Level = 700;

/// Every threshold by the name the chapter's placeholders use (`policy.<name>`).
pub const THRESHOLDS: [(&str, Level); 9] = [
    ("stale_latency", STALE_LATENCY),
    ("pause_latency", PAUSE_LATENCY),
    ("toxic", TOXIC),
    ("informed_toxicity", INFORMED_TOXICITY),
    ("stressed_volatility", STRESSED_VOLATILITY),
    ("low_pressure", LOW_PRESSURE),
    ("cheap_hedge", CHEAP_HEDGE),
    ("full_hedge_pressure", FULL_HEDGE_PRESSURE),
    ("costly_hedge_pressure", COSTLY_HEDGE_PRESSURE),
];

/// Inventory pressure `flow x (0.5 + volatility/2 + toxicity/2)`, capped at 1000.
pub fn pressure(x: &Inputs) -> Level {
    let factor =
        500 + x.volatility.min(MAX_LEVEL) as u32 / 2 + x.toxicity.min(MAX_LEVEL) as u32 / 2;
    ((x.flow.min(MAX_LEVEL) as u32 * factor / 1000).min(MAX_LEVEL as u32)) as Level
}

/// The label that displays a pair: `pause` > `full_hedge` > `widen` > `partial_hedge` > `skew` >
/// `internalize`, the first that is true of the pair.
pub fn label(hedge: Hedge, quote: QuoteStance) -> Action {
    match (hedge, quote) {
        (_, QuoteStance::Pause) => Action::Pause,
        (Hedge::Full, _) => Action::FullHedge,
        (_, QuoteStance::Widen) => Action::Widen,
        (Hedge::Partial, _) => Action::PartialHedge,
        (_, QuoteStance::Skew) => Action::Skew,
        (Hedge::None, QuoteStance::Normal) => Action::Internalize,
    }
}

/// How much to hedge, and why.
pub fn hedge_decision(x: &Inputs) -> (Hedge, HedgeReason) {
    let (tox, cost) = (x.toxicity.min(MAX_LEVEL), x.hedge_cost.min(MAX_LEVEL));
    let p = pressure(x);
    let cheap = cost <= CHEAP_HEDGE;
    if tox >= TOXIC {
        let h = if cheap { Hedge::Full } else { Hedge::Partial };
        (h, HedgeReason::ToxicFlow)
    } else if cheap && p >= FULL_HEDGE_PRESSURE {
        (Hedge::Full, HedgeReason::CheapVenue)
    } else if cheap && p >= LOW_PRESSURE {
        (Hedge::Partial, HedgeReason::CheapVenue)
    } else if !cheap && p >= COSTLY_HEDGE_PRESSURE {
        (Hedge::Partial, HedgeReason::ExpensiveVenue)
    } else if !cheap && p >= LOW_PRESSURE && quote_decision(x).0 >= QuoteStance::Widen {
        // The skew is the cheap substitute for a hedge; quotes that widen or pause cannot lean,
        // so the residual is not left to them.
        (Hedge::Partial, HedgeReason::NoSkewToLeanOn)
    } else if !cheap && p >= LOW_PRESSURE {
        (Hedge::None, HedgeReason::LeanOnSkew)
    } else {
        (Hedge::None, HedgeReason::LowPressure)
    }
}

/// How to quote, and why.
pub fn quote_decision(x: &Inputs) -> (QuoteStance, QuoteReason) {
    let (tox, vol, lat) = (
        x.toxicity.min(MAX_LEVEL),
        x.volatility.min(MAX_LEVEL),
        x.latency.min(MAX_LEVEL),
    );
    if lat >= PAUSE_LATENCY {
        (QuoteStance::Pause, QuoteReason::StaleReference)
    } else if tox >= INFORMED_TOXICITY && vol >= STRESSED_VOLATILITY {
        (QuoteStance::Pause, QuoteReason::InformedFlowInStress)
    } else if lat >= STALE_LATENCY {
        (QuoteStance::Widen, QuoteReason::AgeingReference)
    } else if tox >= TOXIC {
        (QuoteStance::Widen, QuoteReason::ToxicFlow)
    } else if vol >= STRESSED_VOLATILITY {
        (QuoteStance::Widen, QuoteReason::StressedMarket)
    } else if pressure(x) >= LOW_PRESSURE {
        (QuoteStance::Skew, QuoteReason::InventoryBuilds)
    } else {
        (QuoteStance::Normal, QuoteReason::Quiet)
    }
}

/// Both decisions for one environment (inputs above 1000 count as 1000).
pub fn decide(x: &Inputs) -> Decision {
    let (hedge, hedge_reason) = hedge_decision(x);
    let (quote, quote_reason) = quote_decision(x);
    Decision {
        action: label(hedge, quote),
        hedge,
        quote,
        hedge_reason,
        quote_reason,
        pressure: pressure(x),
    }
}

/// The nearest level of one input at which the label would change, and what it would become.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Boundary {
    /// The input moved (the others stay where they are).
    pub input: Input,
    /// The first level, moving away from the current one, at which the label differs.
    pub at: Level,
    /// The label there.
    pub becomes: Action,
}

/// The nearest level of `input` (in thousandths, others fixed) at which [`decide`] gives another
/// label, or `None` when no level of that input changes it. Ties between a level below and one
/// above go to the one below.
pub fn boundary(x: &Inputs, input: Input) -> Option<Boundary> {
    let here = decide(x).action;
    let l = x.get(input).min(MAX_LEVEL);
    for dist in 1..=MAX_LEVEL {
        let below = l.checked_sub(dist);
        let above = (l + dist <= MAX_LEVEL).then_some(l + dist);
        if below.is_none() && above.is_none() {
            break;
        }
        for at in [below, above].into_iter().flatten() {
            let becomes = decide(&x.with(input, at)).action;
            if becomes != here {
                return Some(Boundary { input, at, becomes });
            }
        }
    }
    None
}

/// [`boundary`] for each of the five inputs that has one, in table order.
pub fn boundaries(x: &Inputs) -> Vec<Boundary> {
    Input::ALL
        .into_iter()
        .filter_map(|i| boundary(x, i))
        .collect()
}

/// The lowest flow level at which pressure reaches `p` with the other inputs of `x`, if any.
pub fn flow_for_pressure(x: &Inputs, p: Level) -> Option<Level> {
    (0..=MAX_LEVEL).find(|&f| pressure(&x.with(Input::Flow, f)) >= p)
}

/// The heatmap's five inputs read off a replayed tape at one step: where that step's situation
/// sits on the map. The mapping is the toy's own, stated here:
/// - flow: one-sidedness of customer fills over this step and the one before,
///   `|bought - sold| / (bought + sold)` (0 when no customer traded);
/// - toxicity: the share of that customer quantity that was filled on a stale quote;
/// - volatility: the regime (calm 0.2, normal 0.5, stressed 0.9);
/// - hedge cost: the latest hedge so far, its distance from fair per BTC over $100 (capped at
///   1; before any hedge, the lab's default $50: 0.5);
/// - latency: 1 when the step ends on a reference stale beyond tolerance, 0.6 when it was stale
///   at the step's start or during it and caught up, else 0.
pub fn operating_point(
    replay: &crate::engine::replay::Replay,
    step: usize,
    regime: crate::engine::quote::Regime,
) -> Inputs {
    use crate::engine::quote::Regime;
    let step = step.clamp(1, replay.len().max(1));
    let (mut bought, mut sold, mut stale_qty) = (0i128, 0i128, 0i128);
    for s in replay.steps.iter().take(step).skip(step.saturating_sub(2)) {
        bought += s.flow.client_bought.sats() as i128;
        sold += s.flow.client_sold.sats() as i128;
        for e in &s.events {
            if e.contribution
                .is_some_and(|c| c.bucket == crate::engine::pnl::Bucket::ToxicMarkout)
            {
                if let Some((d, _)) = e.event.dealer_fill() {
                    stale_qty += d.abs().sats() as i128;
                }
            }
        }
    }
    let total = bought + sold;
    let share = |x: i128| {
        if total == 0 {
            0
        } else {
            (x * MAX_LEVEL as i128 / total) as Level
        }
    };
    let mut hedge_cost = MAX_LEVEL / 2;
    let mut latency = 0;
    let tolerance = replay.limits.stale_tolerance;
    let mut before = replay.start;
    for (si, s) in replay.steps.iter().take(step).enumerate() {
        let mut was_stale = before.is_stale_beyond(tolerance);
        before = s.book;
        for e in &s.events {
            if e.event.is_hedge() {
                if let Some((_, price)) = e.event.dealer_fill() {
                    let gap = (price.cents() - e.book.fair.cents()).unsigned_abs();
                    hedge_cost = (gap.min(10_000) * MAX_LEVEL as u64 / 10_000) as Level;
                }
            }
            was_stale |= e.book.is_stale_beyond(tolerance);
        }
        if si + 1 == step {
            latency = if s.book.is_stale_beyond(tolerance) {
                MAX_LEVEL
            } else if was_stale {
                STALE_LATENCY
            } else {
                0
            };
        }
    }
    Inputs {
        flow: share((bought - sold).abs()),
        toxicity: share(stale_qty),
        volatility: match regime {
            Regime::Calm => 200,
            Regime::Normal => 500,
            Regime::Stressed => 900,
        },
        hedge_cost,
        latency,
    }
}

/// The step whose operating point ([`operating_point`]) gets the same label as `target`, nearest
/// to it (sum of level differences), or `None` when no step of the tape lands on that label.
pub fn step_like(
    replay: &crate::engine::replay::Replay,
    regime: crate::engine::quote::Regime,
    target: &Inputs,
) -> Option<usize> {
    let want = decide(target).action;
    (1..=replay.len())
        .map(|s| (s, operating_point(replay, s, regime)))
        .filter(|(_, p)| decide(p).action == want)
        .min_by_key(|(_, p)| {
            Input::ALL
                .into_iter()
                .map(|i| p.get(i).abs_diff(target.get(i)) as u32)
                .sum::<u32>()
        })
        .map(|(s, _)| s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn x(a: Level, b: Level, c: Level, d: Level, e: Level) -> Inputs {
        Inputs::new(a, b, c, d, e)
    }

    #[test]
    fn named_cases() {
        use Hedge as H;
        use QuoteStance as Q;
        let cases = [
            (
                x(0, 0, 0, 0, 0),
                Action::Internalize,
                H::None,
                Q::Normal,
                "benign corner",
            ),
            (
                x(0, 0, 0, 0, 1000),
                Action::Pause,
                H::None,
                Q::Pause,
                "stale reference",
            ),
            (
                x(0, 0, 0, 0, 700),
                Action::Widen,
                H::None,
                Q::Widen,
                "ageing reference",
            ),
            (
                x(1000, 0, 0, 0, 0),
                Action::PartialHedge,
                H::Partial,
                Q::Skew,
                "one-sided, cheap, calm: p 0.50",
            ),
            (
                x(1000, 300, 300, 0, 0),
                Action::FullHedge,
                H::Full,
                Q::Skew,
                "one-sided, cheap: p 0.80",
            ),
            (
                x(1000, 0, 0, 1000, 0),
                Action::Skew,
                H::None,
                Q::Skew,
                "one-sided, expensive, calm",
            ),
            (
                x(1000, 500, 500, 1000, 0),
                Action::PartialHedge,
                H::Partial,
                Q::Skew,
                "one-sided, expensive: p 1",
            ),
            (
                x(0, 0, 1000, 0, 0),
                Action::Widen,
                H::None,
                Q::Widen,
                "stressed, otherwise quiet",
            ),
            (
                x(1000, 0, 1000, 0, 0),
                Action::FullHedge,
                H::Full,
                Q::Widen,
                "stressed, one-sided, cheap",
            ),
            (
                x(1000, 0, 1000, 1000, 0),
                Action::Widen,
                H::Partial,
                Q::Widen,
                "stressed, one-sided, expensive: hedges too",
            ),
            (
                x(0, 700, 0, 0, 0),
                Action::FullHedge,
                H::Full,
                Q::Widen,
                "toxic, cheap venue",
            ),
            (
                x(0, 700, 0, 1000, 0),
                Action::Widen,
                H::Partial,
                Q::Widen,
                "toxic, expensive venue: widen and hedge",
            ),
            (
                x(0, 900, 1000, 0, 0),
                Action::Pause,
                H::Full,
                Q::Pause,
                "informed and stressed",
            ),
            (
                x(500, 0, 0, 0, 0),
                Action::Internalize,
                H::None,
                Q::Normal,
                "half one-sided, calm: p 0.25",
            ),
            // The expert's reproduction: volatility 0.59 -> 0.60 must not switch the hedge off.
            (
                x(1000, 0, 590, 1000, 0),
                Action::PartialHedge,
                H::Partial,
                Q::Skew,
                "vol 0.59",
            ),
            (
                x(1000, 0, 600, 1000, 0),
                Action::Widen,
                H::Partial,
                Q::Widen,
                "vol 0.60",
            ),
        ];
        for (inputs, action, hedge, quote, what) in cases {
            let d = decide(&inputs);
            assert_eq!(
                (d.action, d.hedge, d.quote),
                (action, hedge, quote),
                "{what}"
            );
        }
    }

    #[test]
    fn parse_level_accepts_0_to_1_only() {
        assert_eq!(parse_level("0.35"), Ok(350));
        assert_eq!(parse_level("1"), Ok(1000));
        assert_eq!(parse_level("5e-1"), Ok(500));
        assert!(matches!(
            parse_level("1.001"),
            Err(LevelError::OutOfRange(_))
        ));
        assert!(matches!(
            parse_level("-0.1"),
            Err(LevelError::OutOfRange(_))
        ));
        assert!(matches!(
            parse_level("0.0001"),
            Err(LevelError::TooPrecise(_))
        ));
        assert!(matches!(parse_level("x"), Err(LevelError::NotANumber(_))));
    }

    /// Every cell of a grid over all five inputs (step 50 on the three the properties move most,
    /// 100 on the others): 21 x 21 x 21 x 11 x 11 = 1,120,581 environments.
    fn grid() -> impl Iterator<Item = Inputs> {
        let fine = || (0..=MAX_LEVEL).step_by(50);
        let coarse = || (0..=MAX_LEVEL).step_by(100);
        fine().flat_map(move |a| {
            fine().flat_map(move |b| {
                fine().flat_map(move |c| {
                    coarse().flat_map(move |d| coarse().map(move |e| x(a, b, c, d, e)))
                })
            })
        })
    }

    /// One grid step up of an input, if there is one.
    fn up(i: &Inputs, input: Input) -> Option<Inputs> {
        let step = match input {
            Input::Flow | Input::Toxicity | Input::Volatility => 50,
            _ => 100,
        };
        let l = i.get(input);
        (l < MAX_LEVEL).then(|| i.with(input, l + step))
    }

    #[test]
    fn directions_hold_over_the_whole_grid() {
        let mut checked = 0u32;
        for i in grid() {
            let d = decide(&i);
            // Each label is true of its pair.
            match d.action {
                Action::Internalize => {
                    assert_eq!((d.hedge, d.quote), (Hedge::None, QuoteStance::Normal))
                }
                Action::Skew => assert_eq!(d.quote, QuoteStance::Skew),
                Action::PartialHedge => assert_eq!(d.hedge, Hedge::Partial),
                Action::FullHedge => assert_eq!(d.hedge, Hedge::Full),
                Action::Widen => assert_eq!(d.quote, QuoteStance::Widen),
                Action::Pause => assert_eq!(d.quote, QuoteStance::Pause),
            }
            for input in Input::ALL {
                let Some(j) = up(&i, input) else { continue };
                let e = decide(&j);
                let what = format!("{input:?} up from {i:?}: {d:?} -> {e:?}");
                match input {
                    Input::Volatility | Input::Toxicity => {
                        assert!(e.hedge >= d.hedge && e.quote >= d.quote, "{what}")
                    }
                    Input::Flow => assert!(e.hedge >= d.hedge, "{what}"),
                    Input::HedgeCost => assert!(e.hedge <= d.hedge, "{what}"),
                    Input::Latency => assert!(e.quote >= d.quote, "{what}"),
                }
                checked += 1;
            }
            if i.toxicity == MAX_LEVEL {
                assert!(d.hedge >= Hedge::Partial, "{i:?}");
                assert!(
                    !matches!(d.action, Action::Internalize | Action::Skew),
                    "{i:?}"
                );
            }
            if i.latency == MAX_LEVEL {
                assert_eq!(d.quote, QuoteStance::Pause, "{i:?}");
            }
        }
        assert!(checked > 5_000_000, "{checked}");
    }

    fn inputs() -> impl Strategy<Value = Inputs> {
        (
            0..=MAX_LEVEL,
            0..=MAX_LEVEL,
            0..=MAX_LEVEL,
            0..=MAX_LEVEL,
            0..=MAX_LEVEL,
        )
            .prop_map(|(a, b, c, d, e)| x(a, b, c, d, e))
    }

    proptest! {
        /// The benign corner internalizes (and so does its neighbourhood).
        #[test]
        fn benign_corner_internalizes(flow in 0..LOW_PRESSURE / 2, rest in 0..100u16, cost in 0..=MAX_LEVEL) {
            let d = decide(&x(flow, rest, rest, cost, rest));
            prop_assert_eq!((d.action, d.hedge, d.quote), (Action::Internalize, Hedge::None, QuoteStance::Normal));
        }

        /// Between grid points too: raising any input by any amount keeps every direction.
        #[test]
        fn directions_hold_between_grid_points(i in inputs(), which in 0..5usize, by in 0..=MAX_LEVEL) {
            let input = Input::ALL[which];
            let d = decide(&i);
            let e = decide(&i.with(input, i.get(input).saturating_add(by)));
            match input {
                Input::Volatility | Input::Toxicity => prop_assert!(e.hedge >= d.hedge && e.quote >= d.quote),
                Input::Flow => prop_assert!(e.hedge >= d.hedge),
                Input::HedgeCost => prop_assert!(e.hedge <= d.hedge),
                Input::Latency => prop_assert!(e.quote >= d.quote),
            }
        }

        /// Toxic flow is hedged and widened against, never internalized or skewed alone.
        #[test]
        fn toxic_flow_is_never_warehoused(i in inputs(), tox in TOXIC..=MAX_LEVEL) {
            let d = decide(&Inputs { toxicity: tox, ..i });
            prop_assert!(d.hedge >= Hedge::Partial && d.quote >= QuoteStance::Widen, "{:?}", d);
        }

        #[test]
        fn out_of_range_inputs_count_as_the_maximum(i in inputs(), over in 1001u16..u16::MAX, which in 0..5usize) {
            let input = Input::ALL[which];
            let over_i = match input {
                Input::Flow => Inputs { flow: over, ..i },
                Input::Toxicity => Inputs { toxicity: over, ..i },
                Input::Volatility => Inputs { volatility: over, ..i },
                Input::HedgeCost => Inputs { hedge_cost: over, ..i },
                Input::Latency => Inputs { latency: over, ..i },
            };
            prop_assert_eq!(decide(&over_i), decide(&i.with(input, MAX_LEVEL)));
        }
    }

    proptest! {
        /// Every boundary is exact: at it the label is the one stated, one step back toward the
        /// current level it is still the current label, and no level in between changes it.
        /// Without a boundary, no level of that input changes the label.
        #[test]
        fn boundaries_are_exact(i in inputs(), which in 0..5usize) {
            let input = Input::ALL[which];
            let here = decide(&i).action;
            let l = i.get(input);
            match boundary(&i, input) {
                Some(b) => {
                    prop_assert_eq!(decide(&i.with(input, b.at)).action, b.becomes);
                    prop_assert_ne!(b.becomes, here);
                    let (lo, hi) = if b.at < l { (b.at + 1, l) } else { (l, b.at - 1) };
                    for lev in lo..=hi {
                        prop_assert_eq!(decide(&i.with(input, lev)).action, here, "level {}", lev);
                    }
                    // Nearest: nothing changes on the other side closer than the boundary.
                    let dist = b.at.abs_diff(l);
                    for d in 1..dist {
                        for lev in [l.checked_sub(d), (l + d <= MAX_LEVEL).then_some(l + d)].into_iter().flatten() {
                            prop_assert_eq!(decide(&i.with(input, lev)).action, here);
                        }
                    }
                }
                None => {
                    for lev in (0..=MAX_LEVEL).step_by(7).chain([MAX_LEVEL]) {
                        prop_assert_eq!(decide(&i.with(input, lev)).action, here);
                    }
                }
            }
        }
    }

    #[test]
    fn the_default_operating_points_boundaries() {
        let x = crate::engine::policy::DEFAULT_LEVELS;
        let b = boundaries(&x);
        // Toxicity up to 0.60: toxic flow on a cheap venue, hedged out.
        assert!(
            b.contains(&Boundary {
                input: Input::Toxicity,
                at: 600,
                becomes: Action::FullHedge
            }),
            "{b:?}"
        );
        // Pressure 0.30 needs flow x 0.85 >= 0.30: flow 0.353.
        assert_eq!(flow_for_pressure(&x, LOW_PRESSURE), Some(353));
    }

    #[test]
    fn the_chapter_steps_on_the_map() {
        use crate::engine::quote::Regime;
        let r = crate::engine::replay::chapter_replay();
        let points: Vec<Inputs> = (1..=5)
            .map(|s| operating_point(&r, s, Regime::Normal))
            .collect();
        // Step 2: one-sided buying (3 BTC bought, none sold), the tape's hedge $70 from fair.
        assert_eq!(points[1], Inputs::new(1000, 0, 500, 700, 0));
        // Step 4: steps 3-4 sold 3.5 BTC, 2 of them on the stale quote; the hedge $40 from fair;
        // the step ends on a stale reference.
        assert_eq!(points[3], Inputs::new(1000, 571, 500, 400, 1000));
        assert_eq!(decide(&points[3]).action, Action::Pause);
        // Step 5: the reference caught up during the step.
        assert_eq!(points[4].latency, STALE_LATENCY);
        // Step 3's two-sided flow nets inside the book.
        assert_eq!(decide(&points[2]).action, Action::Internalize);
        // "Show me": a paused cell leads to step 4, the benign corner to step 3; no step of this
        // tape skews without hedging.
        assert_eq!(
            step_like(&r, Regime::Normal, &Inputs::new(0, 0, 0, 0, 1000)),
            Some(4)
        );
        assert_eq!(step_like(&r, Regime::Normal, &Inputs::default()), Some(3));
        assert_eq!(
            step_like(&r, Regime::Normal, &Inputs::new(1000, 0, 0, 1000, 0)),
            None
        );
    }

    /// All six labels occur, on the heatmap's own grid at its default levels.
    #[test]
    fn all_six_labels_occur() {
        let mut seen = std::collections::BTreeSet::new();
        for a in (0..=MAX_LEVEL).step_by(50) {
            for b in (0..=MAX_LEVEL).step_by(50) {
                for c in [0, 300, 700] {
                    for lat in [0, 700, 900] {
                        seen.insert(
                            decide(&x(a, b, c, if a > 500 { 1000 } else { 0 }, lat)).action,
                        );
                    }
                }
            }
        }
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), Action::ALL);
    }
}

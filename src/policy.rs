//! The internalize-or-hedge decision behind the InternalizationHeatmap: five environment inputs,
//! each from low (0) to high (1000, in thousandths), map to one of six actions.
//!
//! The rules, first match wins (deterministic, integer arithmetic; the thresholds are the named
//! constants below, and the chapter's table and every reason are rendered from them by
//! [`crate::explain::policy`]):
//! 1. **Stale reference**: latency risk >= [`PAUSE_LATENCY`] -> `pause`.
//! 2. **Informed flow in stress**: toxicity >= [`INFORMED_TOXICITY`] and volatility >=
//!    [`STRESSED_VOLATILITY`] -> `pause`.
//! 3. **Ageing reference**: latency risk >= [`STALE_LATENCY`] -> `widen`.
//! 4. **Toxic flow**: toxicity >= [`TOXIC`] -> never warehoused: `full_hedge` on a cheap venue
//!    (hedge cost <= [`CHEAP_HEDGE`]), else `widen` (make informed flow pay for what it knows).
//! 5. **Stressed market**: volatility >= [`STRESSED_VOLATILITY`] -> `widen` (the quote engine
//!    widens with volatility too), or `full_hedge` when inventory pressure >=
//!    [`FULL_HEDGE_PRESSURE`] on a cheap venue.
//! 6. **Inventory pressure** `p = flow x (0.5 + volatility/2 + toxicity/2)`, capped at 1: how
//!    fast one-sided flow builds residual and how costly it is to carry. `p <` [`LOW_PRESSURE`]
//!    -> `internalize` (offsetting customer flow nets inside the book).
//! 7. Cheap venue (hedge cost <= [`CHEAP_HEDGE`]): `full_hedge` when `p >=`
//!    [`FULL_HEDGE_PRESSURE`], else `partial_hedge`.
//! 8. Expensive venue: `partial_hedge` when `p >=` [`COSTLY_HEDGE_PRESSURE`], else `skew` (lean the
//!    quotes to attract offsetting flow instead of paying the venue).
//!
//! Properties (property-tested below): the benign corner internalizes; toxic flow is never
//! internalized or skewed; a stale reference gives `pause` or `widen`; a stressed but otherwise
//! quiet market widens; with the protective rank `internalize` < `skew` < `partial_hedge` <
//! `full_hedge` = `widen` < `pause` ([`Action::rank`]) the action never becomes less protective as
//! flow imbalance, toxicity, volatility or latency risk rises; all six actions occur.

use std::fmt;

/// An input level in thousandths, 0 (low) to 1000 (high).
pub type Level = u16;

/// Highest [`Level`].
pub const MAX_LEVEL: Level = 1000;

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
    use crate::num::{parse_decimal, DecimalError};
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    pub const ALL: [Input; 5] = [
        Input::Flow,
        Input::Toxicity,
        Input::Volatility,
        Input::HedgeCost,
        Input::Latency,
    ];

    /// Machine name used in URLs: `flow`, `toxicity`, `volatility`, `hedge_cost`, `latency`.
    pub fn key(self) -> &'static str {
        match self {
            Input::Flow => "flow",
            Input::Toxicity => "toxicity",
            Input::Volatility => "volatility",
            Input::HedgeCost => "hedge_cost",
            Input::Latency => "latency",
        }
    }

    /// Parses a [`Input::key`].
    pub fn from_key(key: &str) -> Option<Input> {
        Input::ALL.into_iter().find(|i| i.key() == key)
    }
}

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

/// The heatmap's six actions, from least to most protective.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// All actions, least to most protective.
    pub const ALL: [Action; 6] = [
        Action::Internalize,
        Action::Skew,
        Action::PartialHedge,
        Action::FullHedge,
        Action::Widen,
        Action::Pause,
    ];

    /// How protective the action is: internalize 0, skew 1, partial_hedge 2, full_hedge and
    /// widen 3 (two different answers of the same strength), pause 4.
    pub fn rank(self) -> u8 {
        match self {
            Action::Internalize => 0,
            Action::Skew => 1,
            Action::PartialHedge => 2,
            Action::FullHedge | Action::Widen => 3,
            Action::Pause => 4,
        }
    }

    /// The chapter's name: `internalize`, `skew`, `partial_hedge`, `full_hedge`, `widen`, `pause`.
    pub fn key(self) -> &'static str {
        match self {
            Action::Internalize => "internalize",
            Action::Skew => "skew",
            Action::PartialHedge => "partial_hedge",
            Action::FullHedge => "full_hedge",
            Action::Widen => "widen",
            Action::Pause => "pause",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Which rule decided, so the reason can be told in words (numbered as in the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// 1. Latency risk at the pause threshold.
    StaleReference,
    /// 2. Informed flow in a stressed market.
    InformedFlowInStress,
    /// 3. Latency risk at the stale threshold, below pause.
    AgeingReference,
    /// 4. Toxic flow.
    ToxicFlow,
    /// 5. Stressed market.
    StressedMarket,
    /// 6. Low inventory pressure.
    LowPressure,
    /// 7. Cheap venue.
    CheapHedge,
    /// 8. Expensive venue.
    ExpensiveHedge,
}

impl Rule {
    /// Every rule, in the order they are tried.
    pub const ALL: [Rule; 8] = [
        Rule::StaleReference,
        Rule::InformedFlowInStress,
        Rule::AgeingReference,
        Rule::ToxicFlow,
        Rule::StressedMarket,
        Rule::LowPressure,
        Rule::CheapHedge,
        Rule::ExpensiveHedge,
    ];

    /// The actions this rule can give.
    pub fn actions(self) -> &'static [Action] {
        match self {
            Rule::StaleReference | Rule::InformedFlowInStress => &[Action::Pause],
            Rule::AgeingReference => &[Action::Widen],
            Rule::ToxicFlow | Rule::StressedMarket => &[Action::FullHedge, Action::Widen],
            Rule::LowPressure => &[Action::Internalize],
            Rule::CheapHedge => &[Action::FullHedge, Action::PartialHedge],
            Rule::ExpensiveHedge => &[Action::PartialHedge, Action::Skew],
        }
    }
}

/// The action and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decision {
    /// What to do.
    pub action: Action,
    /// Which rule said so.
    pub rule: Rule,
    /// Inventory pressure, in thousandths.
    pub pressure: Level,
}

/// Latency risk at which the quote reference counts as stale: `widen` at least.
pub const STALE_LATENCY: Level = 600;
/// Latency risk at which quoting stops.
pub const PAUSE_LATENCY: Level = 800;
/// Toxicity at which flow counts as toxic: never internalized or skewed.
pub const TOXIC: Level = 600;
/// Toxicity at which flow counts as informed: `pause` in a stressed market.
pub const INFORMED_TOXICITY: Level = 850;
/// Volatility at which the market counts as stressed.
pub const STRESSED_VOLATILITY: Level = 600;
/// Inventory pressure below which customer flow is internalized.
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

/// The decision for one environment (inputs above 1000 count as 1000).
pub fn decide(x: &Inputs) -> Decision {
    let clamp = |l: Level| l.min(MAX_LEVEL);
    let (tox, vol, cost, lat) = (
        clamp(x.toxicity),
        clamp(x.volatility),
        clamp(x.hedge_cost),
        clamp(x.latency),
    );
    let p = pressure(x);
    let cheap = cost <= CHEAP_HEDGE;
    let (action, rule) = if lat >= PAUSE_LATENCY {
        (Action::Pause, Rule::StaleReference)
    } else if tox >= INFORMED_TOXICITY && vol >= STRESSED_VOLATILITY {
        (Action::Pause, Rule::InformedFlowInStress)
    } else if lat >= STALE_LATENCY {
        (Action::Widen, Rule::AgeingReference)
    } else if tox >= TOXIC {
        let a = if cheap {
            Action::FullHedge
        } else {
            Action::Widen
        };
        (a, Rule::ToxicFlow)
    } else if vol >= STRESSED_VOLATILITY {
        let a = if cheap && p >= FULL_HEDGE_PRESSURE {
            Action::FullHedge
        } else {
            Action::Widen
        };
        (a, Rule::StressedMarket)
    } else if p < LOW_PRESSURE {
        (Action::Internalize, Rule::LowPressure)
    } else if cheap {
        let a = if p >= FULL_HEDGE_PRESSURE {
            Action::FullHedge
        } else {
            Action::PartialHedge
        };
        (a, Rule::CheapHedge)
    } else {
        let a = if p >= COSTLY_HEDGE_PRESSURE {
            Action::PartialHedge
        } else {
            Action::Skew
        };
        (a, Rule::ExpensiveHedge)
    };
    Decision {
        action,
        rule,
        pressure: p,
    }
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
        let cases = [
            (x(0, 0, 0, 0, 0), Action::Internalize, "benign corner"),
            (x(0, 0, 0, 0, 1000), Action::Pause, "stale reference"),
            (x(0, 0, 0, 0, 700), Action::Widen, "ageing reference"),
            (
                x(1000, 0, 0, 0, 0),
                Action::PartialHedge,
                "one-sided, cheap, calm: p 0.50",
            ),
            (
                x(1000, 300, 300, 0, 0),
                Action::FullHedge,
                "one-sided, cheap: p 0.80",
            ),
            (
                x(1000, 0, 0, 1000, 0),
                Action::Skew,
                "one-sided, expensive, calm",
            ),
            (
                x(1000, 500, 500, 1000, 0),
                Action::PartialHedge,
                "one-sided, expensive: p 1",
            ),
            (
                x(0, 0, 1000, 0, 0),
                Action::Widen,
                "stressed, otherwise quiet",
            ),
            (
                x(1000, 0, 1000, 0, 0),
                Action::FullHedge,
                "stressed, one-sided, cheap",
            ),
            (
                x(1000, 0, 1000, 1000, 0),
                Action::Widen,
                "stressed, one-sided, expensive",
            ),
            (
                x(0, 700, 0, 0, 0),
                Action::FullHedge,
                "toxic, cheap venue: hedge it out",
            ),
            (
                x(0, 700, 0, 1000, 0),
                Action::Widen,
                "toxic, expensive venue",
            ),
            (
                x(0, 900, 1000, 0, 0),
                Action::Pause,
                "informed and stressed",
            ),
            (
                x(500, 0, 0, 0, 0),
                Action::Internalize,
                "half one-sided, calm: p 0.25",
            ),
        ];
        for (inputs, action, what) in cases {
            assert_eq!(decide(&inputs).action, action, "{what}");
        }
    }

    #[test]
    fn every_rule_gives_one_of_its_actions() {
        for flow in (0..=MAX_LEVEL).step_by(100) {
            for tox in (0..=MAX_LEVEL).step_by(100) {
                for vol in (0..=MAX_LEVEL).step_by(100) {
                    for cost in (0..=MAX_LEVEL).step_by(250) {
                        for lat in (0..=MAX_LEVEL).step_by(100) {
                            let d = decide(&x(flow, tox, vol, cost, lat));
                            assert!(d.rule.actions().contains(&d.action), "{d:?}");
                        }
                    }
                }
            }
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

    /// The inputs whose rise must never make the action less protective.
    const RISING: [Input; 4] = [
        Input::Flow,
        Input::Toxicity,
        Input::Volatility,
        Input::Latency,
    ];

    proptest! {
        /// Property 1: the benign corner internalizes (and so does its neighbourhood).
        #[test]
        fn benign_corner_internalizes(flow in 0..LOW_PRESSURE / 2, rest in 0..100u16, cost in 0..=MAX_LEVEL) {
            let i = x(flow, rest, rest, cost, rest);
            prop_assert_eq!(decide(&i).action, Action::Internalize);
        }

        /// Property 2: toxic flow is never warehoused (never internalized or skewed).
        #[test]
        fn toxic_flow_is_never_warehoused(i in inputs(), tox in TOXIC..=MAX_LEVEL) {
            let a = decide(&Inputs { toxicity: tox, ..i }).action;
            prop_assert!(a != Action::Internalize && a != Action::Skew, "{:?}", a);
        }

        /// Property 3: a stale reference gives pause or widen.
        #[test]
        fn stale_reference_pauses_or_widens(i in inputs(), lat in STALE_LATENCY..=MAX_LEVEL) {
            let a = decide(&Inputs { latency: lat, ..i }).action;
            prop_assert!(a == Action::Pause || a == Action::Widen, "{:?}", a);
        }

        /// Property 4: a stressed but otherwise quiet market widens.
        #[test]
        fn stressed_quiet_market_widens(
            vol in STRESSED_VOLATILITY..=MAX_LEVEL,
            flow in 0..=LOW_PRESSURE,
            tox in 0..TOXIC,
            cost in 0..=MAX_LEVEL,
            lat in 0..STALE_LATENCY,
        ) {
            prop_assert_eq!(decide(&x(flow, tox, vol, cost, lat)).action, Action::Widen);
        }

        /// Property 5: raising flow imbalance, toxicity, volatility or latency risk never makes
        /// the action less protective.
        #[test]
        fn rising_risk_is_never_less_protective(i in inputs(), which in 0..4usize, up in 0..=MAX_LEVEL) {
            let input = RISING[which];
            let raised = i.with(input, i.get(input).saturating_add(up));
            prop_assert!(
                decide(&raised).action.rank() >= decide(&i).action.rank(),
                "{:?}: {:?} -> {:?}", input, decide(&i), decide(&raised)
            );
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
            prop_assert_eq!(decide(&over_i).action, decide(&i.with(input, MAX_LEVEL)).action);
        }
    }

    /// Property 6: all six actions occur, on the heatmap's own grid at its default levels.
    #[test]
    fn all_six_actions_occur() {
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

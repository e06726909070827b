//! The internalize-or-hedge decision behind the InternalizationHeatmap: five environment inputs,
//! each from low (0) to high (1000, in thousandths), map to one of six actions.
//!
//! The rule, in order (deterministic, integer arithmetic):
//! 1. **Stale reference**: latency risk >= 0.80 -> `pause` (quotes cannot be trusted).
//! 2. **Adverse selection** `a = max(toxicity, latency)`. If `a >= 0.60` in a stressed market
//!    (volatility >= 0.60): `pause` when `a >= 0.85`, else `widen`.
//! 3. If `a >= 0.60` otherwise: `widen` (charge for being picked off rather than warehouse it).
//! 4. **Inventory pressure** `p = flow x (0.5 + volatility/2 + toxicity/2)`, capped at 1: how
//!    fast one-sided flow builds residual and how costly it is to carry. `p < 0.30` ->
//!    `internalize` (offsetting customer flow nets inside the book).
//! 5. Cheap hedging (hedge cost <= 0.50): `full_hedge` when `p >= 0.60`, else `partial_hedge`.
//!    Expensive hedging: `partial_hedge` when `p >= 0.70`, else `skew` (lean the quotes to
//!    attract offsetting flow instead of paying the venue).
//!
//! Actions are ordered by how protective they are, `internalize` < `skew` < `partial_hedge` <
//! `full_hedge` < `widen` < `pause`; raising toxicity or latency never lowers the action.

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

    /// Reader-facing name.
    pub fn label(self) -> &'static str {
        match self {
            Input::Flow => "Client flow balance",
            Input::Toxicity => "Toxicity score",
            Input::Volatility => "Volatility",
            Input::HedgeCost => "Hedge cost",
            Input::Latency => "Latency risk",
        }
    }

    /// What the low and high ends mean.
    pub fn ends(self) -> (&'static str, &'static str) {
        match self {
            Input::Flow => ("two-sided", "one-sided"),
            Input::Toxicity => ("benign", "informed/stale"),
            Input::Volatility => ("calm", "stressed"),
            Input::HedgeCost => ("deep venue", "thin venue"),
            Input::Latency => ("fresh reference", "stale reference"),
        }
    }
}

impl Inputs {
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

/// Which rule decided, so the reason can be told in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Rule 1.
    StaleReference,
    /// Rule 2, pause branch.
    InformedFlowInStress,
    /// Rule 2, widen branch.
    AdverseFlowInStress,
    /// Rule 3.
    AdverseFlow,
    /// Rule 4.
    LowPressure,
    /// Rule 5, cheap venue.
    CheapHedge,
    /// Rule 5, expensive venue.
    ExpensiveHedge,
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
    /// Adverse-selection risk `max(toxicity, latency)`, in thousandths.
    pub adverse: Level,
}

const PAUSE_LATENCY: Level = 800;
const ADVERSE: Level = 600;
const STRESSED: Level = 600;
const INFORMED: Level = 850;
const LOW_PRESSURE: Level = 300;
const CHEAP_HEDGE: Level = 500;
const FULL_HEDGE_PRESSURE: Level = 600;
const COSTLY_HEDGE_PRESSURE: Level = 700;

/// Inventory pressure `flow x (0.5 + volatility/2 + toxicity/2)`, capped at 1000.
pub fn pressure(x: &Inputs) -> Level {
    let factor =
        500 + x.volatility.min(MAX_LEVEL) as u32 / 2 + x.toxicity.min(MAX_LEVEL) as u32 / 2;
    ((x.flow.min(MAX_LEVEL) as u32 * factor / 1000).min(MAX_LEVEL as u32)) as Level
}

/// The decision for one environment (inputs above 1000 count as 1000).
pub fn decide(x: &Inputs) -> Decision {
    let adverse = x.toxicity.max(x.latency).min(MAX_LEVEL);
    let p = pressure(x);
    let (action, rule) = if x.latency >= PAUSE_LATENCY {
        (Action::Pause, Rule::StaleReference)
    } else if adverse >= ADVERSE && x.volatility >= STRESSED {
        if adverse >= INFORMED {
            (Action::Pause, Rule::InformedFlowInStress)
        } else {
            (Action::Widen, Rule::AdverseFlowInStress)
        }
    } else if adverse >= ADVERSE {
        (Action::Widen, Rule::AdverseFlow)
    } else if p < LOW_PRESSURE {
        (Action::Internalize, Rule::LowPressure)
    } else if x.hedge_cost <= CHEAP_HEDGE {
        (
            if p >= FULL_HEDGE_PRESSURE {
                Action::FullHedge
            } else {
                Action::PartialHedge
            },
            Rule::CheapHedge,
        )
    } else {
        (
            if p >= COSTLY_HEDGE_PRESSURE {
                Action::PartialHedge
            } else {
                Action::Skew
            },
            Rule::ExpensiveHedge,
        )
    };
    Decision {
        action,
        rule,
        pressure: p,
        adverse,
    }
}

fn frac(level: Level) -> String {
    crate::format::thousandths(level as u32)
}

impl Decision {
    /// The reason in words, e.g. for the focused heatmap cell.
    pub fn reason(&self, x: &Inputs) -> String {
        let (a, p) = (frac(self.adverse), frac(self.pressure));
        match self.rule {
            Rule::StaleReference => format!(
                "Latency risk {} is at or above 0.80: the quote reference is stale, so any fill is likely a pick-off. Pause until it refreshes.",
                frac(x.latency)
            ),
            Rule::InformedFlowInStress => format!(
                "Adverse-selection risk {a} (at least 0.85) in a stressed market (volatility {}): informed flow would pick off every quote. Pause.",
                frac(x.volatility)
            ),
            Rule::AdverseFlowInStress => format!(
                "Adverse-selection risk {a} in a stressed market (volatility {}): charge for it with a wider spread; pause above 0.85.",
                frac(x.volatility)
            ),
            Rule::AdverseFlow => {
                format!("Adverse-selection risk {a} is at or above 0.60: widen the spread rather than warehouse toxic flow.")
            }
            Rule::LowPressure => format!(
                "Inventory pressure {p} is below 0.30: customer flow is two-sided enough to offset inside the book. Internalize."
            ),
            Rule::CheapHedge => format!(
                "Inventory pressure {p} with a cheap venue (hedge cost {}): {}.",
                frac(x.hedge_cost),
                if self.action == Action::FullHedge {
                    "at 0.60 or more, hedge the residual fully"
                } else {
                    "below 0.60, hedge part of the residual"
                }
            ),
            Rule::ExpensiveHedge => format!(
                "Inventory pressure {p} with an expensive venue (hedge cost {}): {}.",
                frac(x.hedge_cost),
                if self.action == Action::PartialHedge {
                    "at 0.70 or more, pay for a partial hedge"
                } else {
                    "below 0.70, skew quotes to attract offsetting flow instead of paying the venue"
                }
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn x(
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

    #[test]
    fn corners() {
        let cases = [
            (
                x(0, 0, 0, 0, 0),
                Action::Internalize,
                "two-sided benign calm cheap fresh",
            ),
            (x(0, 0, 0, 0, 1000), Action::Pause, "stale reference"),
            (
                x(1000, 0, 1000, 1000, 1000),
                Action::Pause,
                "stale reference, everything else bad",
            ),
            (
                x(1000, 0, 0, 0, 0),
                Action::PartialHedge,
                "one-sided, cheap hedge, calm",
            ),
            (
                x(1000, 0, 1000, 0, 0),
                Action::FullHedge,
                "one-sided, cheap hedge, stressed",
            ),
            (
                x(1000, 0, 0, 1000, 0),
                Action::Skew,
                "one-sided, expensive hedge, calm",
            ),
            (
                x(1000, 400, 1000, 1000, 0),
                Action::PartialHedge,
                "one-sided, expensive hedge, stressed",
            ),
            (x(0, 1000, 1000, 0, 0), Action::Pause, "toxic and stressed"),
            (
                x(0, 700, 1000, 0, 0),
                Action::Widen,
                "fairly toxic and stressed",
            ),
            (x(0, 700, 0, 0, 0), Action::Widen, "toxic, calm"),
            (
                x(500, 0, 0, 0, 0),
                Action::Internalize,
                "half one-sided, calm: pressure 0.25",
            ),
        ];
        for (inputs, action, what) in cases {
            assert_eq!(decide(&inputs).action, action, "{what}");
        }
    }

    #[test]
    fn reasons_name_the_numbers() {
        let i = x(0, 0, 0, 0, 900);
        assert!(decide(&i).reason(&i).contains("Latency risk 0.90"));
        let i = x(1000, 0, 0, 0, 0);
        assert_eq!(
            decide(&i).reason(&i),
            "Inventory pressure 0.50 with a cheap venue (hedge cost 0.00): below 0.60, hedge part of the residual."
        );
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
        #[test]
        fn more_toxicity_is_never_less_protective(i in inputs(), up in 0..=MAX_LEVEL) {
            let raised = i.with(Input::Toxicity, i.toxicity.saturating_add(up));
            prop_assert!(decide(&raised).action >= decide(&i).action);
        }

        #[test]
        fn more_latency_is_never_less_protective(i in inputs(), up in 0..=MAX_LEVEL) {
            let raised = i.with(Input::Latency, i.latency.saturating_add(up));
            prop_assert!(decide(&raised).action >= decide(&i).action);
        }

        #[test]
        fn out_of_range_inputs_count_as_the_maximum(i in inputs(), over in 1001u16..u16::MAX) {
            let over_flow = Inputs { flow: over, ..i };
            prop_assert_eq!(decide(&over_flow).action, decide(&Inputs { flow: MAX_LEVEL, ..i }).action);
        }
    }
}

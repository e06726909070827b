//! The policy in words: the reason for one decision and the chapter's rule table, both rendered
//! from the named thresholds of [`crate::policy`] so no threshold is ever typed by hand.

use crate::format;
use crate::policy::{
    Action, Decision, Input, Inputs, Level, Rule, CHEAP_HEDGE, COSTLY_HEDGE_PRESSURE,
    FULL_HEDGE_PRESSURE, INFORMED_TOXICITY, LOW_PRESSURE, PAUSE_LATENCY, STALE_LATENCY,
    STRESSED_VOLATILITY, TOXIC,
};

/// A level as the reader sees it: `0.60`.
pub fn level(l: Level) -> String {
    format::thousandths(l as u32)
}

/// Reader-facing name of an input.
pub fn input_label(i: Input) -> &'static str {
    match i {
        Input::Flow => "Client flow balance",
        Input::Toxicity => "Toxicity score",
        Input::Volatility => "Volatility",
        Input::HedgeCost => "Hedge cost",
        Input::Latency => "Latency risk",
    }
}

/// What the low and high ends of an input mean.
pub fn input_ends(i: Input) -> (&'static str, &'static str) {
    match i {
        Input::Flow => ("two-sided", "one-sided"),
        Input::Toxicity => ("benign", "informed/stale"),
        Input::Volatility => ("calm", "stressed"),
        Input::HedgeCost => ("deep venue", "thin venue"),
        Input::Latency => ("fresh reference", "stale reference"),
    }
}

/// An axis caption: `Client flow balance (two-sided → one-sided)`.
pub fn axis_caption(i: Input) -> String {
    let (lo, hi) = input_ends(i);
    format!("{} ({lo} → {hi})", input_label(i))
}

/// A slider's spoken value: `0.40 (two-sided to one-sided)`.
pub fn slider_value_text(i: Input, l: Level) -> String {
    let (lo, hi) = input_ends(i);
    format!("{} ({lo} to {hi})", level(l))
}

/// The heatmap's keyboard help for its surface.
pub fn surface_label(x: Input, y: Input) -> String {
    format!(
        "Policy heatmap: {} across, {} up. Arrow keys move the cell, Shift moves faster, Enter sets the operating point.",
        input_label(x),
        input_label(y)
    )
}

/// The status line under the heatmap: the cell (or the operating point), its action and why.
/// `Operating point (Client flow balance 0.40, Toxicity score 0.20): partial_hedge. Inventory ...`
pub fn cell_line(focused: bool, x: Input, y: Input, inputs: &Inputs) -> String {
    let d = crate::policy::decide(inputs);
    format!(
        "{} ({} {}, {} {}): {}. {}",
        if focused { "Cell" } else { "Operating point" },
        input_label(x),
        level(inputs.get(x)),
        input_label(y),
        level(inputs.get(y)),
        d.action.key(),
        reason(&d, inputs)
    )
}

/// Why the policy chose its action for these inputs.
pub fn reason(d: &Decision, x: &Inputs) -> String {
    let p = level(d.pressure);
    let cost = level(x.hedge_cost);
    let cheap = x.hedge_cost <= CHEAP_HEDGE;
    match d.rule {
        Rule::StaleReference => format!(
            "Latency risk {} is at or above {}: the quote reference is stale, so any fill is likely a pick-off. Pause until it refreshes.",
            level(x.latency),
            level(PAUSE_LATENCY)
        ),
        Rule::InformedFlowInStress => format!(
            "Toxicity {} (at least {}) in a stressed market (volatility {}, at least {}): informed flow would pick off every quote. Pause.",
            level(x.toxicity),
            level(INFORMED_TOXICITY),
            level(x.volatility),
            level(STRESSED_VOLATILITY)
        ),
        Rule::AgeingReference => format!(
            "Latency risk {} is at or above {}: the reference is going stale. Widen so a fill on an old price still pays; pause from {}.",
            level(x.latency),
            level(STALE_LATENCY),
            level(PAUSE_LATENCY)
        ),
        Rule::ToxicFlow if d.action == Action::FullHedge => format!(
            "Toxicity {} is at or above {}: do not warehouse this flow. Stop internalizing it and hedge it out on the cheap venue (hedge cost {}, at most {}), and widen.",
            level(x.toxicity),
            level(TOXIC),
            cost,
            level(CHEAP_HEDGE)
        ),
        Rule::ToxicFlow => format!(
            "Toxicity {} is at or above {}: do not warehouse this flow. The venue is expensive (hedge cost {}, above {}), so widen until informed flow pays for what it knows, and hedge what still lands.",
            level(x.toxicity),
            level(TOXIC),
            cost,
            level(CHEAP_HEDGE)
        ),
        Rule::StressedMarket if d.action == Action::FullHedge => format!(
            "Volatility {} is at or above {} and inventory pressure {p} is at or above {} on a cheap venue (hedge cost {cost}): hedge the residual fully, and widen.",
            level(x.volatility),
            level(STRESSED_VOLATILITY),
            level(FULL_HEDGE_PRESSURE)
        ),
        Rule::StressedMarket => format!(
            "Volatility {} is at or above {}: a stressed market moves the mark faster than offsetting flow arrives, so widen, as the quote engine does in its stressed regime{}.",
            level(x.volatility),
            level(STRESSED_VOLATILITY),
            if cheap {
                format!(" (inventory pressure {p} is below the {} that would call for a full hedge)", level(FULL_HEDGE_PRESSURE))
            } else {
                format!(" (the venue is expensive: hedge cost {cost}, above {})", level(CHEAP_HEDGE))
            }
        ),
        Rule::LowPressure => format!(
            "Inventory pressure {p} is below {}: customer flow is two-sided enough to offset inside the book. Internalize.",
            level(LOW_PRESSURE)
        ),
        Rule::CheapHedge => format!(
            "Inventory pressure {p} with a cheap venue (hedge cost {cost}, at most {}): {}.",
            level(CHEAP_HEDGE),
            if d.action == Action::FullHedge {
                format!("at {} or more, hedge the residual fully", level(FULL_HEDGE_PRESSURE))
            } else {
                format!("below {}, hedge part of the residual", level(FULL_HEDGE_PRESSURE))
            }
        ),
        Rule::ExpensiveHedge => format!(
            "Inventory pressure {p} with an expensive venue (hedge cost {cost}, above {}): {}.",
            level(CHEAP_HEDGE),
            if d.action == Action::PartialHedge {
                format!("at {} or more, pay for a partial hedge", level(COSTLY_HEDGE_PRESSURE))
            } else {
                format!(
                    "below {}, skew quotes to attract offsetting flow instead of paying the venue",
                    level(COSTLY_HEDGE_PRESSURE)
                )
            }
        ),
    }
}

/// One row of the rule table: the condition and what it gives, in words.
pub fn rule_row(rule: Rule) -> (String, String) {
    let l = level;
    match rule {
        Rule::StaleReference => (
            format!("latency risk ≥ {}", l(PAUSE_LATENCY)),
            "`pause`".into(),
        ),
        Rule::InformedFlowInStress => (
            format!(
                "toxicity ≥ {} and volatility ≥ {}",
                l(INFORMED_TOXICITY),
                l(STRESSED_VOLATILITY)
            ),
            "`pause`".into(),
        ),
        Rule::AgeingReference => (
            format!("latency risk ≥ {}", l(STALE_LATENCY)),
            "`widen`".into(),
        ),
        Rule::ToxicFlow => (
            format!("toxicity ≥ {}", l(TOXIC)),
            format!(
                "`full_hedge` if hedge cost ≤ {}, else `widen`",
                l(CHEAP_HEDGE)
            ),
        ),
        Rule::StressedMarket => (
            format!("volatility ≥ {}", l(STRESSED_VOLATILITY)),
            format!(
                "`full_hedge` if pressure ≥ {} and hedge cost ≤ {}, else `widen`",
                l(FULL_HEDGE_PRESSURE),
                l(CHEAP_HEDGE)
            ),
        ),
        Rule::LowPressure => (
            format!("pressure < {}", l(LOW_PRESSURE)),
            "`internalize`".into(),
        ),
        Rule::CheapHedge => (
            format!("hedge cost ≤ {}", l(CHEAP_HEDGE)),
            format!(
                "`full_hedge` if pressure ≥ {}, else `partial_hedge`",
                l(FULL_HEDGE_PRESSURE)
            ),
        ),
        Rule::ExpensiveHedge => (
            "otherwise (expensive venue)".into(),
            format!(
                "`partial_hedge` if pressure ≥ {}, else `skew`",
                l(COSTLY_HEDGE_PRESSURE)
            ),
        ),
    }
}

/// The chapter's rule table in Markdown, one row per rule in the order they are tried.
pub fn rule_table() -> String {
    let mut out = String::from("| # | When (first match wins) | Action |\n|---|---|---|\n");
    for (i, rule) in Rule::ALL.into_iter().enumerate() {
        let (when, action) = rule_row(rule);
        out.push_str(&format!("| {} | {when} | {action} |\n", i + 1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{decide, MAX_LEVEL};

    fn x(a: Level, b: Level, c: Level, d: Level, e: Level) -> Inputs {
        Inputs::new(a, b, c, d, e)
    }

    #[test]
    fn reasons_name_the_numbers_and_thresholds() {
        let i = x(0, 0, 0, 0, 900);
        assert!(reason(&decide(&i), &i).starts_with("Latency risk 0.90 is at or above 0.80"));
        let i = x(1000, 0, 0, 0, 0);
        assert_eq!(
            reason(&decide(&i), &i),
            "Inventory pressure 0.50 with a cheap venue (hedge cost 0.00, at most 0.50): below 0.60, hedge part of the residual."
        );
        let i = x(0, 700, 0, 0, 0);
        assert!(reason(&decide(&i), &i).contains("hedge it out"));
    }

    #[test]
    fn heatmap_words() {
        let i = crate::settings::DEFAULT_LEVELS;
        assert_eq!(
            cell_line(false, Input::Flow, Input::Toxicity, &i),
            "Operating point (Client flow balance 0.40, Toxicity score 0.20): partial_hedge. Inventory pressure 0.34 with a cheap venue (hedge cost 0.30, at most 0.50): below 0.60, hedge part of the residual."
        );
        assert_eq!(
            axis_caption(Input::Latency),
            "Latency risk (fresh reference → stale reference)"
        );
        assert_eq!(
            slider_value_text(Input::Flow, 400),
            "0.40 (two-sided to one-sided)"
        );
        assert!(surface_label(Input::Flow, Input::Toxicity)
            .starts_with("Policy heatmap: Client flow balance across"));
    }

    #[test]
    fn every_reason_is_a_sentence() {
        for a in (0..=MAX_LEVEL).step_by(125) {
            for b in (0..=MAX_LEVEL).step_by(125) {
                for c in [0, 500, 1000] {
                    let i = x(a, b, c, a, b);
                    let r = reason(&decide(&i), &i);
                    assert!(r.ends_with('.') && !r.contains("{"), "{r}");
                }
            }
        }
    }

    #[test]
    fn table_is_rendered_from_the_constants() {
        let t = rule_table();
        for (_, c) in crate::policy::THRESHOLDS {
            assert!(t.contains(&level(c)), "{} missing from\n{t}", level(c));
        }
        assert_eq!(t.lines().count(), 2 + Rule::ALL.len());
        for r in Rule::ALL {
            let (_, action) = rule_row(r);
            for a in r.actions() {
                assert!(action.contains(&format!("`{}`", a.key())), "{r:?}");
            }
        }
    }
}

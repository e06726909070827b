//! The policy in words: the reason for one decision and the chapter's rule table, both rendered
//! from the named thresholds of [`crate::engine::policy`] so no threshold is ever typed by hand.

use crate::engine::policy::{
    Decision, Hedge, HedgeReason, Input, Inputs, Level, QuoteReason, QuoteStance, CHEAP_HEDGE,
    COSTLY_HEDGE_PRESSURE, FULL_HEDGE_PRESSURE, INFORMED_TOXICITY, LOW_PRESSURE, PAUSE_LATENCY,
    STALE_LATENCY, STRESSED_VOLATILITY, TOXIC,
};

/// A level as the reader sees it: `0.60`.
pub fn level(l: Level) -> String {
    // Two decimals, three when the level has them (a boundary at 0.501 is not at 0.50).
    crate::engine::num::plain_decimal(l.min(crate::engine::policy::MAX_LEVEL) as i128, 3, 2)
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

/// The pair in a few words: `hedge partial, quote widen`.
pub fn pair(d: &Decision) -> String {
    format!("hedge {}, quote {}", d.hedge.key(), d.quote.key())
}

/// The first part of the status line under the heatmap: the cell (or the operating point), its
/// label and both decisions. `Operating point (Client flow balance 0.40, Toxicity score 0.20):
/// partial_hedge (hedge partial, quote skew).`
pub fn cell_head(focused: bool, x: Input, y: Input, inputs: &Inputs) -> String {
    let d = crate::engine::policy::decide(inputs);
    format!(
        "{} ({} {}, {} {}): {} ({}).",
        if focused { "Cell" } else { "Operating point" },
        input_label(x),
        level(inputs.get(x)),
        input_label(y),
        level(inputs.get(y)),
        d.action.key(),
        pair(&d)
    )
}

/// The status line under the heatmap: [`cell_head`] and why ([`reason`]).
pub fn cell_line(focused: bool, x: Input, y: Input, inputs: &Inputs) -> String {
    let d = crate::engine::policy::decide(inputs);
    format!(
        "{} {}",
        cell_head(focused, x, y, inputs),
        reason(&d, inputs)
    )
}

/// Why the policy hedges what it hedges: one sentence.
pub fn hedge_reason(d: &Decision, x: &Inputs) -> String {
    let p = level(d.pressure);
    let cost = level(x.hedge_cost);
    match (d.hedge_reason, d.hedge) {
        (HedgeReason::ToxicFlow, Hedge::Full) => format!(
            "toxicity {} is at or above {}, and informed flow is warehoused as little as the venue allows: hedge the residual out on the cheap venue (hedge cost {cost}, at most {}). The hedge stops further losses if prices keep moving against the book; it cannot recover what the fill already lost.",
            level(x.toxicity),
            level(TOXIC),
            level(CHEAP_HEDGE)
        ),
        (HedgeReason::ToxicFlow, _) => format!(
            "toxicity {} is at or above {}, and informed flow is warehoused as little as the venue allows: the venue is expensive (hedge cost {cost}, above {}), so hedge part of the residual; the rest is carried at a cost the desk should see.",
            level(x.toxicity),
            level(TOXIC),
            level(CHEAP_HEDGE)
        ),
        (HedgeReason::CheapVenue, Hedge::Full) => format!(
            "inventory pressure {p} is at or above {} on a cheap venue (hedge cost {cost}, at most {}): hedge the residual fully.",
            level(FULL_HEDGE_PRESSURE),
            level(CHEAP_HEDGE)
        ),
        (HedgeReason::CheapVenue, _) => format!(
            "inventory pressure {p} is at or above {} but below {} on a cheap venue (hedge cost {cost}, at most {}): hedge part of the residual.",
            level(LOW_PRESSURE),
            level(FULL_HEDGE_PRESSURE),
            level(CHEAP_HEDGE)
        ),
        (HedgeReason::ExpensiveVenue, _) => format!(
            "inventory pressure {p} is at or above {}: worth paying the expensive venue (hedge cost {cost}, above {}) for a partial hedge.",
            level(COSTLY_HEDGE_PRESSURE),
            level(CHEAP_HEDGE)
        ),
        (HedgeReason::NoSkewToLeanOn, _) => format!(
            "inventory pressure {p} is at or above {} on an expensive venue (hedge cost {cost}, above {}), and the quotes widen or pause, so no skew can shed the residual: pay for a partial hedge.",
            level(LOW_PRESSURE),
            level(CHEAP_HEDGE)
        ),
        (HedgeReason::LeanOnSkew, _) => format!(
            "inventory pressure {p} is below the {} that would justify the expensive venue (hedge cost {cost}, above {}): no hedge; the skewed quotes attract offsetting flow instead.",
            level(COSTLY_HEDGE_PRESSURE),
            level(CHEAP_HEDGE)
        ),
        (HedgeReason::LowPressure, _) => format!(
            "inventory pressure {p} is below {}: flow is two-sided enough to net inside the book, so no hedge.",
            level(LOW_PRESSURE)
        ),
    }
}

/// Why the policy quotes as it does: one sentence.
pub fn quote_reason(d: &Decision, x: &Inputs) -> String {
    match d.quote_reason {
        QuoteReason::StaleReference => format!(
            "latency risk {} is at or above {}: the quote reference cannot be trusted, so stop quoting on it until it refreshes (hedging what is already held stays allowed).",
            level(x.latency),
            level(PAUSE_LATENCY)
        ),
        QuoteReason::InformedFlowInStress => format!(
            "toxicity {} (at least {}) in a stressed market (volatility {}, at least {}): no spread the uninformed would still pay covers what informed flow knows now, so stop quoting.",
            level(x.toxicity),
            level(INFORMED_TOXICITY),
            level(x.volatility),
            level(STRESSED_VOLATILITY)
        ),
        QuoteReason::AgeingReference => format!(
            "latency risk {} is at or above {}: the reference is ageing, so widen until it is refreshed (pause from {}).",
            level(x.latency),
            level(STALE_LATENCY),
            level(PAUSE_LATENCY)
        ),
        QuoteReason::ToxicFlow => format!(
            "toxicity {} is at or above {}: widen, so that the edge earned from uninformed customers covers the expected loss to informed ones. Informed flow still trades whenever it knows more than the half-spread, which is why the hedge is needed too.",
            level(x.toxicity),
            level(TOXIC)
        ),
        QuoteReason::StressedMarket => format!(
            "volatility {} is at or above {}: widen, as the quote engine does in its stressed regime. Widening slows new inventory; it does nothing to the residual already held.",
            level(x.volatility),
            level(STRESSED_VOLATILITY)
        ),
        QuoteReason::InventoryBuilds => format!(
            "inventory pressure {} is at or above {}: skew the quotes, so the side that sheds the residual is the attractive one.",
            level(d.pressure),
            level(LOW_PRESSURE)
        ),
        QuoteReason::Quiet => "nothing to lean against: quote normally.".to_string(),
    }
}

/// Why the policy chose its pair: `Hedge partial: ... Quote skew: ...`.
pub fn reason(d: &Decision, x: &Inputs) -> String {
    format!(
        "Hedge {}: {} Quote {}: {}",
        d.hedge.key(),
        hedge_reason(d, x),
        d.quote.key(),
        quote_reason(d, x)
    )
}

/// One row of a decision's trace: an input, its level, the threshold it was compared with (in
/// the input's own units) and what that comparison decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceRow {
    /// The input.
    pub input: Input,
    /// Its level.
    pub level: Level,
    /// The threshold it was compared with.
    pub threshold: Level,
    /// What the comparison decided: the hedge amount, the quote stance, or nothing.
    pub decides: String,
}

/// The rule of the hedge table that fired, in words: `toxic flow`, `cheap venue`, ...
pub fn hedge_rule_name(r: HedgeReason) -> &'static str {
    match r {
        HedgeReason::ToxicFlow => "hedge rule 1: toxic flow",
        HedgeReason::CheapVenue => "hedge rules 2 and 3: a cheap venue",
        HedgeReason::ExpensiveVenue => "hedge rule 4: an expensive venue worth paying",
        HedgeReason::NoSkewToLeanOn => "hedge rule 5: an expensive venue, and no skew to lean on",
        HedgeReason::LeanOnSkew | HedgeReason::LowPressure => "hedge rule 6: otherwise",
    }
}

/// The rule of the quote table that fired, in words.
pub fn quote_rule_name(r: QuoteReason) -> &'static str {
    match r {
        QuoteReason::StaleReference => "quote rule 1: a stale reference",
        QuoteReason::InformedFlowInStress => "quote rule 1: informed flow in a stressed market",
        QuoteReason::AgeingReference => "quote rule 2: an ageing reference",
        QuoteReason::ToxicFlow => "quote rule 2: toxic flow",
        QuoteReason::StressedMarket => "quote rule 2: a stressed market",
        QuoteReason::InventoryBuilds => "quote rule 3: inventory builds",
        QuoteReason::Quiet => "quote rule 4: otherwise",
    }
}

/// Each of the five inputs with its level, the threshold it met and what that decided. Flow is
/// compared through pressure, so its threshold is the flow at which pressure reaches the
/// pressure threshold that decided.
pub fn trace(d: &Decision, x: &Inputs) -> Vec<TraceRow> {
    let clamp = |l: Level| l.min(crate::engine::policy::MAX_LEVEL);
    let (tox, vol, cost, lat) = (
        clamp(x.toxicity),
        clamp(x.volatility),
        clamp(x.hedge_cost),
        clamp(x.latency),
    );
    let hedge = format!("hedge {}", d.hedge.key());
    let quote = format!("quote {}", d.quote.key());
    let row = |input, threshold, decides: String| TraceRow {
        input,
        level: clamp(x.get(input)),
        threshold,
        decides,
    };
    let mut rows = Vec::new();
    // Flow, through pressure: the pressure threshold the hedge decision turned on.
    let cheap = cost <= CHEAP_HEDGE;
    let p_threshold = match d.hedge_reason {
        HedgeReason::CheapVenue if d.hedge == Hedge::Full => FULL_HEDGE_PRESSURE,
        HedgeReason::ExpensiveVenue | HedgeReason::LeanOnSkew => COSTLY_HEDGE_PRESSURE,
        _ => LOW_PRESSURE,
    };
    let flow_at = crate::engine::policy::flow_for_pressure(x, p_threshold)
        .unwrap_or(crate::engine::policy::MAX_LEVEL);
    let flow_decides = match d.hedge_reason {
        HedgeReason::ToxicFlow => format!(
            "pressure {} (the hedge is set by toxicity); {}",
            level(d.pressure),
            if d.quote == QuoteStance::Skew {
                quote.clone()
            } else {
                "no quote decision".into()
            }
        ),
        _ => format!(
            "pressure {} {} {}: {hedge}{}",
            level(d.pressure),
            if d.pressure >= p_threshold {
                "≥"
            } else {
                "<"
            },
            level(p_threshold),
            if matches!(
                d.quote_reason,
                QuoteReason::InventoryBuilds | QuoteReason::Quiet
            ) {
                format!(", {quote}")
            } else {
                String::new()
            }
        ),
    };
    rows.push(row(Input::Flow, flow_at, flow_decides));
    let (t, tox_decides) =
        if tox >= INFORMED_TOXICITY && vol >= STRESSED_VOLATILITY && lat < PAUSE_LATENCY {
            (
                INFORMED_TOXICITY,
                format!(
                    "≥ {}: informed flow in stress, {quote}",
                    level(INFORMED_TOXICITY)
                ),
            )
        } else if tox >= TOXIC {
            (
                TOXIC,
                format!(
                    "≥ {}: toxic flow, {hedge}; quote at least widen",
                    level(TOXIC)
                ),
            )
        } else {
            (
                TOXIC,
                format!(
                    "< {}: nothing directly (it still raises pressure)",
                    level(TOXIC)
                ),
            )
        };
    rows.push(row(Input::Toxicity, t, tox_decides));
    let vol_decides = if vol >= STRESSED_VOLATILITY {
        format!(
            "≥ {}: stressed market, quote at least widen",
            level(STRESSED_VOLATILITY)
        )
    } else {
        format!(
            "< {}: nothing directly (it still raises pressure)",
            level(STRESSED_VOLATILITY)
        )
    };
    rows.push(row(Input::Volatility, STRESSED_VOLATILITY, vol_decides));
    let cost_decides = if cheap {
        format!("≤ {}: cheap venue, {hedge}", level(CHEAP_HEDGE))
    } else {
        format!(
            "> {}: expensive venue, {hedge}{}",
            level(CHEAP_HEDGE),
            if d.hedge_reason == HedgeReason::LeanOnSkew {
                " (the skew does the work)"
            } else {
                ""
            }
        )
    };
    rows.push(row(Input::HedgeCost, CHEAP_HEDGE, cost_decides));
    let (lt, lat_decides) = if lat >= PAUSE_LATENCY {
        (
            PAUSE_LATENCY,
            format!("≥ {}: stale reference, quote pause", level(PAUSE_LATENCY)),
        )
    } else if lat >= STALE_LATENCY {
        (
            STALE_LATENCY,
            format!(
                "≥ {}: ageing reference, quote at least widen",
                level(STALE_LATENCY)
            ),
        )
    } else {
        (
            STALE_LATENCY,
            format!("< {}: nothing", level(STALE_LATENCY)),
        )
    };
    rows.push(row(Input::Latency, lt, lat_decides));
    rows
}

/// One boundary in words: `if toxicity rose to 0.60: full_hedge`.
pub fn boundary_text(b: &crate::engine::policy::Boundary, x: &Inputs) -> String {
    format!(
        "if {} {} to {}: {}",
        input_label(b.input).to_ascii_lowercase(),
        if b.at > x.get(b.input) {
            "rose"
        } else {
            "fell"
        },
        level(b.at),
        b.becomes.key()
    )
}

/// What would change the answer, one line per input: its boundary, or that no level of it does.
pub fn what_would_change(x: &Inputs) -> Vec<String> {
    Input::ALL
        .into_iter()
        .map(|i| match crate::engine::policy::boundary(x, i) {
            Some(b) => boundary_text(&b, x),
            None => format!(
                "no level of {} changes it",
                input_label(i).to_ascii_lowercase()
            ),
        })
        .collect()
}

/// The rules that fired, in one sentence: `Rules that fired: hedge rules 2 and 3: a cheap venue;
/// quote rule 3: inventory builds.`
pub fn rules_fired(d: &Decision) -> String {
    format!(
        "Rules that fired: {}; {}.",
        hedge_rule_name(d.hedge_reason),
        quote_rule_name(d.quote_reason)
    )
}

/// The "show me" line in predict mode, where jumping would show a step before the class is
/// asked about it.
pub fn show_me_predicting(step: usize) -> String {
    format!("Step {step} of the tape lands here; predict mode keeps the jump off until the class has answered.")
}

/// The "show me in the replay" line: which step of the tape lands on the same label, or that none
/// does.
pub fn show_me(step: Option<usize>, action: crate::engine::policy::Action) -> String {
    match step {
        Some(s) => format!("Show me in the replay: step {s}, where the policy also says {}", action.key()),
        None => format!(
            "No step of this tape lands where the policy says {} (each step's situation is read off the tape: recent one-sidedness, stale fills, the regime, the last hedge price, a stale reference).",
            action.key()
        ),
    }
}

/// The hedge table's rows: the condition and what it gives, in words (first match wins).
pub fn hedge_rows() -> Vec<(String, String)> {
    let l = level;
    vec![
        (
            format!("toxicity ≥ {}", l(TOXIC)),
            format!("`full` if hedge cost ≤ {}, else `partial`", l(CHEAP_HEDGE)),
        ),
        (
            format!(
                "hedge cost ≤ {} and pressure ≥ {}",
                l(CHEAP_HEDGE),
                l(FULL_HEDGE_PRESSURE)
            ),
            "`full`".into(),
        ),
        (
            format!(
                "hedge cost ≤ {} and pressure ≥ {}",
                l(CHEAP_HEDGE),
                l(LOW_PRESSURE)
            ),
            "`partial`".into(),
        ),
        (
            format!(
                "hedge cost > {} and pressure ≥ {}",
                l(CHEAP_HEDGE),
                l(COSTLY_HEDGE_PRESSURE)
            ),
            "`partial`".into(),
        ),
        (
            format!(
                "hedge cost > {} and pressure ≥ {} while the quote widens or pauses",
                l(CHEAP_HEDGE),
                l(LOW_PRESSURE)
            ),
            "`partial` (no skew can shed the residual)".into(),
        ),
        (
            "otherwise".into(),
            format!(
                "`none` (from pressure {} on an expensive venue, the skew does the work)",
                l(LOW_PRESSURE)
            ),
        ),
    ]
}

/// The quote table's rows (first match wins).
pub fn quote_rows() -> Vec<(String, String)> {
    let l = level;
    vec![
        (
            format!(
                "latency risk ≥ {}, or toxicity ≥ {} and volatility ≥ {}",
                l(PAUSE_LATENCY),
                l(INFORMED_TOXICITY),
                l(STRESSED_VOLATILITY)
            ),
            "`pause`".into(),
        ),
        (
            format!(
                "latency risk ≥ {}, toxicity ≥ {} or volatility ≥ {}",
                l(STALE_LATENCY),
                l(TOXIC),
                l(STRESSED_VOLATILITY)
            ),
            "`widen`".into(),
        ),
        (format!("pressure ≥ {}", l(LOW_PRESSURE)), "`skew`".into()),
        ("otherwise".into(), "`normal`".into()),
    ]
}

/// The heatmap's note on the marks for the decision a label does not name.
pub const HEATMAP_MARKS: &str = "Each cell's colour and pattern give its label. A dark line along a cell's bottom edge means a quote label also hedges (dashed: partly, solid: fully); along its right edge, a hedge label also leans the quotes (dashed: skew, solid: widen). The line under the map names both decisions for the cell in words.";

/// How the six labels display the pair, in words.
pub const LABEL_RULE: &str = "The cell's label is the first of these that is true of its pair: `pause` (quoting pauses), `full_hedge` (the hedge is full), `widen` (the quote widens), `partial_hedge` (the hedge is partial), `skew` (the quote skews), `internalize` (no hedge and normal quotes). The heatmap marks the decision a label does not name: a line along a cell's bottom edge when a quote label also hedges (dashed partly, solid fully), along its right edge when a hedge label also leans the quotes (dashed skew, solid widen).";

/// The chapter's two rule tables in Markdown and the label rule.
pub fn rule_table() -> String {
    let mut out =
        String::from("| # | How much to hedge (first match wins) | Hedge |\n|---|---|---|\n");
    for (i, (when, what)) in hedge_rows().into_iter().enumerate() {
        out.push_str(&format!("| {} | {when} | {what} |\n", i + 1));
    }
    out.push_str("\n| # | How to quote (first match wins) | Quote |\n|---|---|---|\n");
    for (i, (when, what)) in quote_rows().into_iter().enumerate() {
        out.push_str(&format!("| {} | {when} | {what} |\n", i + 1));
    }
    out.push('\n');
    out.push_str(LABEL_RULE);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::policy::{decide, MAX_LEVEL};

    fn x(a: Level, b: Level, c: Level, d: Level, e: Level) -> Inputs {
        Inputs::new(a, b, c, d, e)
    }

    #[test]
    fn reasons_name_the_numbers_and_thresholds() {
        let i = x(0, 0, 0, 0, 900);
        assert!(
            reason(&decide(&i), &i).contains("Quote pause: latency risk 0.90 is at or above 0.80")
        );
        let i = x(1000, 0, 0, 0, 0);
        assert_eq!(
            reason(&decide(&i), &i),
            "Hedge partial: inventory pressure 0.50 is at or above 0.30 but below 0.60 on a cheap venue (hedge cost 0.00, at most 0.50): hedge part of the residual. Quote skew: inventory pressure 0.50 is at or above 0.30: skew the quotes, so the side that sheds the residual is the attractive one."
        );
        let i = x(0, 700, 0, 0, 0);
        assert!(reason(&decide(&i), &i).contains("hedge the residual out"));
    }

    /// The reason names every action of the pair, and nothing the pair does not contain.
    #[test]
    fn reasons_name_exactly_the_pair() {
        for a in (0..=MAX_LEVEL).step_by(100) {
            for b in (0..=MAX_LEVEL).step_by(100) {
                for c in (0..=MAX_LEVEL).step_by(200) {
                    for cost in [0, 500, 510, 1000] {
                        for lat in [0, 600, 800] {
                            let i = x(a, b, c, cost, lat);
                            let d = decide(&i);
                            let r = reason(&d, &i);
                            assert!(r.starts_with(&format!("Hedge {}: ", d.hedge.key())), "{r}");
                            assert!(r.contains(&format!(" Quote {}: ", d.quote.key())), "{r}");
                            let hedge_part = hedge_reason(&d, &i);
                            if d.hedge == Hedge::None {
                                assert!(hedge_part.contains("no hedge"), "{r}");
                            }
                            assert!(!quote_reason(&d, &i).contains("hedge what"), "{r}");
                            assert!(!r.contains("until informed flow pays"), "{r}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn levels_read_exactly() {
        assert_eq!(level(600), "0.60");
        assert_eq!(level(501), "0.501");
        assert_eq!(level(0), "0.00");
        assert_eq!(level(1000), "1.00");
        let x = crate::engine::policy::DEFAULT_LEVELS;
        let w = what_would_change(&x);
        assert!(
            w.contains(&"if hedge cost rose to 0.501: skew".to_string()),
            "{w:?}"
        );
    }

    #[test]
    fn trace_and_what_would_change() {
        let x = crate::engine::policy::DEFAULT_LEVELS;
        let d = decide(&x);
        let t = trace(&d, &x);
        assert_eq!(t.len(), 5);
        assert_eq!(t[0].input, Input::Flow);
        assert_eq!((t[0].level, t[0].threshold), (400, 353));
        assert_eq!(
            t[0].decides,
            "pressure 0.34 ≥ 0.30: hedge partial, quote skew"
        );
        assert_eq!(
            t[1].decides,
            "< 0.60: nothing directly (it still raises pressure)"
        );
        let w = what_would_change(&x);
        assert!(
            w.contains(&"if toxicity score rose to 0.60: full_hedge".to_string()),
            "{w:?}"
        );
        assert_eq!(
            hedge_rule_name(d.hedge_reason),
            "hedge rules 2 and 3: a cheap venue"
        );
    }

    /// The trace names the decisions the policy took, for every cell of a coarse grid.
    #[test]
    fn trace_names_the_decisions_taken() {
        for a in (0..=MAX_LEVEL).step_by(125) {
            for b in (0..=MAX_LEVEL).step_by(125) {
                for c in (0..=MAX_LEVEL).step_by(250) {
                    for e in [0, 700, 900] {
                        let x = Inputs::new(a, b, c, 1000 - a, e);
                        let d = decide(&x);
                        let rows = trace(&d, &x);
                        let all: String = rows.iter().map(|r| r.decides.clone()).collect();
                        if d.hedge != Hedge::None || d.hedge_reason == HedgeReason::LeanOnSkew {
                            assert!(all.contains(&format!("hedge {}", d.hedge.key())), "{all}");
                        }
                        if d.quote == QuoteStance::Pause {
                            assert!(all.contains("quote pause"), "{x:?}: {all}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn heatmap_words() {
        let i = crate::engine::policy::DEFAULT_LEVELS;
        assert_eq!(
            cell_line(false, Input::Flow, Input::Toxicity, &i),
            "Operating point (Client flow balance 0.40, Toxicity score 0.20): partial_hedge (hedge partial, quote skew). Hedge partial: inventory pressure 0.34 is at or above 0.30 but below 0.60 on a cheap venue (hedge cost 0.30, at most 0.50): hedge part of the residual. Quote skew: inventory pressure 0.34 is at or above 0.30: skew the quotes, so the side that sheds the residual is the attractive one."
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
        for (_, c) in crate::engine::policy::THRESHOLDS {
            assert!(t.contains(&level(c)), "{} missing from\n{t}", level(c));
        }
        assert_eq!(
            t.lines()
                .filter(|l| l.starts_with("| ") && !l.starts_with("| #"))
                .count(),
            hedge_rows().len() + quote_rows().len()
        );
        for h in crate::engine::policy::Hedge::ALL {
            assert!(t.contains(&format!("`{}`", h.key())), "{h:?}");
        }
        for q in crate::engine::policy::QuoteStance::ALL {
            assert!(t.contains(&format!("`{}`", q.key())), "{q:?}");
        }
        for a in crate::engine::policy::Action::ALL {
            assert!(LABEL_RULE.contains(&format!("`{}`", a.key())), "{a:?}");
        }
    }
}

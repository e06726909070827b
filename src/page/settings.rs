//! Widget settings from URL parameters or custom-element attributes, validated: a bad value
//! never fails, it falls back to the default and leaves a [`Notice`] saying what and where.
//!
//! Names (the embedding interface; extend, never rename):
//! `widget` / `kind` (`book-trainer`, `replay`, `maker-inventory`, `dealer-book`, `heatmap`),
//! `step` (0 = start, N = after step N), `regime` (`calm`, `normal`, `stressed`),
//! `gamma` (risk aversion 0 to 1), `tape` (URL of a tape JSON), `x` and `y` (heatmap axes:
//! `flow`, `toxicity`, `volatility`, `hedge_cost`, `latency`) and the five heatmap levels by the
//! same names (0 to 1); for the hedge lab `rule` (`tape`, `none`, `band`, `flat`: the rule it
//! highlights), `cost` (hedge cost in USD per BTC, 0 to 10,000, at most 2 decimals) and `paths`
//! (simulated paths per rule, 100 to 20,000). Lesson links add `from`, `to`, `lock`, `predict`
//! and `theme` ([`crate::page::lesson`]).

use std::ops::RangeInclusive;

use crate::engine::hedge_rule::{HedgeRule, DEFAULT_HEDGE_COST};
use crate::engine::lab::{LAB_PATHS, MAX_LAB_PATHS};
use crate::engine::num::{parse_decimal, Price};
use crate::engine::policy::{Input, Inputs, Level, MAX_LEVEL};
use crate::engine::quote::{Gamma, Regime};
use crate::page::lesson::Lesson;

pub use crate::page::notice::{notice_lines, Notice, MAX_NOTICES};
pub use crate::page::widget::WidgetKind;

/// Everything a widget can be opened with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WidgetSettings {
    /// Which widget (`None` when not given).
    pub kind: Option<WidgetKind>,
    /// Replay cursor: 0 = start, N = after step N (clamped to the tape by [`Self::clamp_step`]).
    pub step: usize,
    /// Volatility regime.
    pub regime: Regime,
    /// Risk aversion γ (0 to 1, up to 3 decimals).
    pub gamma: Gamma,
    /// Tape URL, if not the chapter's.
    pub tape: Option<String>,
    /// Heatmap horizontal axis.
    pub x: Input,
    /// Heatmap vertical axis.
    pub y: Input,
    /// Heatmap input levels (the two axes' levels only mark the operating point).
    pub levels: Inputs,
    /// Hedge lab: the rule it highlights.
    pub rule: HedgeRule,
    /// Hedge lab: hedge cost per BTC.
    pub cost: Price,
    /// Hedge lab: simulated paths per rule.
    pub paths: usize,
    /// What a lesson link fixes: step range, locked controls, predictions, theme.
    pub lesson: Lesson,
}

/// Largest hedge cost the lab's URL and slider accept: $10,000 per BTC.
pub const MAX_LAB_COST: Price = Price::usd(10_000);

/// Fewest simulated paths the lab accepts from a URL.
pub use crate::engine::lab::MIN_LAB_PATHS;

/// Default heatmap levels (see [`crate::engine::policy::DEFAULT_LEVELS`]).
pub use crate::engine::policy::DEFAULT_LEVELS;

impl Default for WidgetSettings {
    fn default() -> Self {
        WidgetSettings {
            kind: None,
            step: 0,
            regime: Regime::Normal,
            gamma: Gamma::DEFAULT,
            tape: None,
            x: Input::Flow,
            y: Input::Toxicity,
            levels: DEFAULT_LEVELS,
            rule: HedgeRule::Band,
            cost: DEFAULT_HEDGE_COST,
            paths: LAB_PATHS,
            lesson: Lesson::default(),
        }
    }
}

/// The names [`WidgetSettings::parse`] reads (besides the heatmap's input names).
pub const KNOWN: [&str; 16] = [
    "widget", "kind", "step", "regime", "gamma", "rule", "cost", "paths", "tape", "x", "y", "from",
    "to", "lock", "predict", "theme",
];

/// The names that shape a lesson: they apply to a single widget (`widget=`), not the chapter.
pub const LESSON_NAMES: [&str; 4] = ["from", "to", "lock", "predict"];

/// A number from 0 to `max_milli / 1000` with at most 2 decimals, in thousandths.
fn fraction(text: &str, max_milli: i128) -> Option<i128> {
    parse_decimal(text.trim(), 2, max_milli / 10)
        .ok()
        .filter(|v| *v >= 0)
        .map(|v| v * 10)
}

impl WidgetSettings {
    /// Reads name/value pairs (URL query or attributes); unknown names are ignored so pages can
    /// carry their own parameters. Returns the settings and a notice per unusable value.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (WidgetSettings, Vec<Notice>) {
        let mut s = WidgetSettings::default();
        let mut notices = Vec::new();
        let mut lesson_notices = Vec::new();
        let (mut x_set, mut y_set) = (false, false);
        // Names seen so far: a name given twice keeps its first value, with a notice (`lock`
        // may repeat: each adds locks).
        let mut seen: Vec<String> = Vec::new();
        let mut repeated = Vec::new();
        let mut note = |name: &str, value: &str, message: String| {
            notices.push(Notice {
                name: name.to_string(),
                value: value.to_string(),
                message,
            })
        };
        for (name, value) in pairs {
            if (name != "lock" && KNOWN.contains(&name)) || Input::from_key(name).is_some() {
                if seen.iter().any(|n| n == name) {
                    repeated.push(Notice {
                        name: name.to_string(),
                        value: value.to_string(),
                        message: "given more than once; the first value is used".into(),
                    });
                    continue;
                }
                seen.push(name.to_string());
            }
            if s.lesson.read(name, value, &mut lesson_notices) {
                continue;
            }
            match name {
                "widget" | "kind" => match WidgetKind::from_key(value) {
                    Some(k) => s.kind = Some(k),
                    None => note(
                        name,
                        value,
                        "unknown widget; expected book-trainer, replay, maker-inventory, dealer-book, heatmap or hedge-lab".into(),
                    ),
                },
                // Any whole number is a step: one past the tape's end is clamped to the last step
                // later, with its own notice (so a huge one must not read as "not a number").
                "step" => match value.trim().parse::<u128>() {
                    Ok(n) if n < usize::MAX as u128 => s.step = n as usize,
                    Err(_) if !value.trim().is_empty() && value.trim().bytes().all(|b| b.is_ascii_digit()) => {
                        note(name, value, "past the last step; showing the last step".into());
                        s.step = usize::MAX;
                    }
                    Ok(_) => {
                        // Past any tape's end (and past what this platform counts to).
                        note(name, value, "past the last step; showing the last step".into());
                        s.step = usize::MAX;
                    }
                    Err(_) => note(name, value, "not a whole number of steps; showing the start (step 0)".into()),
                },
                "regime" => match Regime::from_name(value) {
                    Some(r) => s.regime = r,
                    None => note(name, value, "expected calm, normal or stressed; using normal".into()),
                },
                "gamma" => match Gamma::parse(value) {
                    Ok(g) => s.gamma = g,
                    Err(_) => note(name, value, "risk aversion must be a number from 0 to 1 with at most 3 decimals; using 0.5".into()),
                },
                "rule" => match HedgeRule::from_key(value) {
                    Some(r) => s.rule = r,
                    None => note(name, value, "expected tape, none, band or flat; using band".into()),
                },
                "cost" => match parse_decimal(value.trim(), 2, MAX_LAB_COST.cents() as i128) {
                    Ok(c) if c >= 0 => s.cost = Price::from_cents(c as i64),
                    _ => note(name, value, "hedge cost must be from 0 to 10000 USD per BTC with at most 2 decimals; using 50".into()),
                },
                "paths" => match value.trim().parse::<usize>() {
                    Ok(n) if (MIN_LAB_PATHS..=MAX_LAB_PATHS).contains(&n) => s.paths = n,
                    _ => note(name, value, format!("paths must be a whole number from {MIN_LAB_PATHS} to {MAX_LAB_PATHS}; using {LAB_PATHS}")),
                },
                "tape" => {
                    if value.trim().is_empty() {
                        note(name, value, "empty tape address; using the chapter's tape".into());
                    } else {
                        s.tape = Some(value.trim().to_string());
                    }
                }
                "x" | "y" => match Input::from_key(value.trim()) {
                    Some(i) if name == "x" => {
                        s.x = i;
                        x_set = true;
                    }
                    Some(i) => {
                        s.y = i;
                        y_set = true;
                    }
                    None => note(
                        name,
                        value,
                        format!(
                            "unknown heatmap axis; expected flow, toxicity, volatility, hedge_cost or latency; using {}",
                            if name == "x" { "flow" } else { "toxicity" }
                        ),
                    ),
                },
                other => {
                    if let Some(input) = Input::from_key(other) {
                        match fraction(value, MAX_LEVEL as i128) {
                            Some(v) => s.levels = s.levels.with(input, v as Level),
                            None => note(name, value, "must be a number from 0 to 1 with at most 2 decimals; using the default".into()),
                        }
                    }
                }
            }
        }
        notices.append(&mut lesson_notices);
        notices.append(&mut repeated);
        if s.x == s.y {
            // Only the author setting both axes to one input is worth a notice; a default that
            // collides with the one axis they chose just moves aside.
            let other = |i: Input| {
                if i == Input::Toxicity {
                    Input::Flow
                } else {
                    Input::Toxicity
                }
            };
            if x_set && !y_set {
                s.y = other(s.x);
            } else if y_set && !x_set {
                s.x = other(s.y);
            } else {
                let fallback = other(s.x);
                notices.push(Notice {
                    name: "y".into(),
                    value: s.y.key().into(),
                    message: format!(
                        "the heatmap needs two different axes; using {}",
                        fallback.key()
                    ),
                });
                s.y = fallback;
            }
        }
        (s, notices)
    }

    /// Clamps `step` to a tape of `steps` steps, with a notice if it was past the end.
    pub fn clamp_step(&mut self, steps: usize) -> Option<Notice> {
        if self.step == usize::MAX {
            // A step too large to count, already noted by `parse`.
            self.step = steps;
            None
        } else if self.step > steps {
            let n = Notice {
                name: "step".into(),
                value: self.step.to_string(),
                message: format!("past the last step; showing step {steps}"),
            };
            self.step = steps;
            Some(n)
        } else {
            None
        }
    }

    /// Applies the lesson's step range to a tape of `steps` steps: returns the reachable cursor
    /// range and moves `step` inside it (a link that sets `from` opens there), with a notice for
    /// every bound that had to change. Call after [`Self::clamp_step`].
    pub fn lesson_range(&mut self, steps: usize) -> (RangeInclusive<usize>, Vec<Notice>) {
        let (range, mut notices) = self.lesson.range(steps);
        if !range.contains(&self.step) {
            let inside = self.step.clamp(*range.start(), *range.end());
            if self.step != 0 {
                notices.push(Notice {
                    name: "step".into(),
                    value: self.step.to_string(),
                    message: format!(
                        "outside the lesson's steps {} to {}; showing step {inside}",
                        range.start(),
                        range.end()
                    ),
                });
            }
            self.step = inside;
        }
        (range, notices)
    }

    /// The query string that reopens these settings (only non-default values).
    pub fn to_query(&self) -> String {
        let d = WidgetSettings::default();
        let mut parts = Vec::new();
        if let Some(k) = self.kind {
            parts.push(format!("widget={}", k.key()));
        }
        parts.push(format!("step={}", self.step));
        if self.regime != d.regime {
            parts.push(format!("regime={}", self.regime.name()));
        }
        if self.gamma != d.gamma {
            parts.push(format!(
                "gamma={}",
                crate::engine::num::plain_decimal(self.gamma.milli() as i128, 3, 1)
            ));
        }
        if let Some(t) = &self.tape {
            parts.push(format!("tape={}", percent_encode(t)));
        }
        if self.x != d.x || self.y != d.y {
            parts.push(format!("x={}&y={}", self.x.key(), self.y.key()));
        }
        for input in Input::ALL {
            if self.levels.get(input) != d.levels.get(input) {
                parts.push(format!(
                    "{}={}",
                    input.key(),
                    crate::engine::num::plain_decimal(self.levels.get(input) as i128, 3, 1)
                ));
            }
        }
        if self.kind == Some(WidgetKind::HedgeLab) || self.rule != d.rule {
            parts.push(format!("rule={}", self.rule.key()));
        }
        if self.kind == Some(WidgetKind::HedgeLab) || self.cost != d.cost {
            parts.push(format!("cost={}", self.cost));
        }
        if self.kind == Some(WidgetKind::HedgeLab) || self.paths != d.paths {
            parts.push(format!("paths={}", self.paths));
        }
        let lesson = self.lesson.to_query();
        if !lesson.is_empty() {
            parts.push(lesson);
        }
        parts.join("&")
    }
}

fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn classroom_link_parses() {
        let (s, n) = WidgetSettings::parse([
            ("widget", "replay"),
            ("step", "4"),
            ("regime", "stressed"),
            ("gamma", "0.6"),
        ]);
        assert!(n.is_empty());
        assert_eq!(s.kind, Some(WidgetKind::Replay));
        assert_eq!(
            (s.step, s.regime, s.gamma.milli()),
            (4, Regime::Stressed, 600)
        );
        assert_eq!(
            s.to_query(),
            "widget=replay&step=4&regime=stressed&gamma=0.6"
        );
    }

    #[test]
    fn garbage_falls_back_with_notices() {
        let (s, n) = WidgetSettings::parse([
            ("step", "-1"),
            ("regime", "panic"),
            ("gamma", "7"),
            ("widget", "x"),
            ("x", "flow"),
            ("y", "flow"),
        ]);
        assert_eq!(
            s,
            WidgetSettings {
                y: Input::Toxicity,
                ..WidgetSettings::default()
            }
        );
        let names: Vec<&str> = n.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["step", "regime", "gamma", "widget", "y"]);
        assert_eq!(
            n[1].to_string(),
            "regime=\"panic\": expected calm, normal or stressed; using normal"
        );
    }

    #[test]
    fn one_axis_moves_the_default_aside_silently() {
        let (s, n) = WidgetSettings::parse([("x", "toxicity")]);
        assert!(n.is_empty());
        assert_eq!((s.x, s.y), (Input::Toxicity, Input::Flow));
        let (s, n) = WidgetSettings::parse([("y", "flow")]);
        assert!(n.is_empty());
        assert_eq!((s.x, s.y), (Input::Toxicity, Input::Flow));
        let (_, n) = WidgetSettings::parse([("gamma", "0.5555"), ("flow", "0.255")]);
        assert_eq!(
            n.len(),
            2,
            "γ takes up to three decimals, as the CLI does; levels two"
        );
        let (s, n) = WidgetSettings::parse([("gamma", "0.555")]);
        assert!(n.is_empty());
        assert_eq!(s.gamma, Gamma::from_milli(555));
    }

    #[test]
    fn lesson_links_clamp_the_step_into_their_range() {
        let (mut s, n) = WidgetSettings::parse([
            ("widget", "dealer-book"),
            ("from", "2"),
            ("to", "4"),
            ("lock", "regime"),
            ("predict", "1"),
        ]);
        assert!(n.is_empty());
        let (range, n) = s.lesson_range(5);
        assert!(
            n.is_empty(),
            "no step given: the lesson opens at its first step"
        );
        assert_eq!((range, s.step), (2..=4, 2));
        assert_eq!(
            s.to_query(),
            "widget=dealer-book&step=2&from=2&to=4&lock=regime&predict=1"
        );
        let (mut s, _) = WidgetSettings::parse([("step", "5"), ("to", "3")]);
        let (_, n) = s.lesson_range(5);
        assert_eq!(s.step, 3);
        assert_eq!(
            n[0].to_string(),
            "step=\"5\": outside the lesson's steps 0 to 3; showing step 3"
        );
    }

    #[test]
    fn hedge_lab_link_parses_and_garbles_to_notices() {
        let (s, n) = WidgetSettings::parse([
            ("widget", "hedge-lab"),
            ("rule", "band"),
            ("cost", "50"),
            ("regime", "stressed"),
            ("paths", "2000"),
        ]);
        assert!(n.is_empty(), "{n:?}");
        assert_eq!(s.kind, Some(WidgetKind::HedgeLab));
        assert_eq!(
            (s.rule, s.cost, s.paths),
            (HedgeRule::Band, Price::usd(50), 2000)
        );
        assert_eq!(
            s.to_query(),
            "widget=hedge-lab&step=0&regime=stressed&rule=band&cost=50&paths=2000"
        );
        let (s, n) = WidgetSettings::parse([
            ("rule", "sometimes"),
            ("cost", "-5"),
            ("paths", "0"),
            ("paths", "1e9"),
            ("cost", "12.345"),
        ]);
        assert_eq!(
            (s.rule, s.cost, s.paths),
            (HedgeRule::Band, Price::usd(50), 2000)
        );
        let names: Vec<&str> = n.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["rule", "cost", "paths", "paths", "cost"]);
        let (s, _) = WidgetSettings::parse([("cost", "12.5"), ("rule", "FLAT")]);
        assert_eq!((s.cost, s.rule), (Price::from_cents(1250), HedgeRule::Flat));
    }

    #[test]
    fn a_name_given_twice_keeps_its_first_value_and_says_so() {
        let (s, n) = WidgetSettings::parse([("step", "1"), ("step", "2"), ("step", "abc")]);
        assert_eq!(s.step, 1);
        let lines = notice_lines(&n);
        assert_eq!(
            lines,
            vec![
                "step=\"2\": given more than once; the first value is used".to_string(),
                "step=\"abc\": given more than once; the first value is used".to_string(),
            ]
        );
        // lock may repeat.
        let (s, n) = WidgetSettings::parse([("lock", "regime"), ("lock", "gamma")]);
        assert!(n.is_empty(), "{n:?}");
        assert_eq!(s.lesson.locks.len(), 2);
    }

    #[test]
    fn a_huge_step_is_past_the_end_not_a_bad_number() {
        let (mut s, n) = WidgetSettings::parse([("step", "4294967296")]);
        let past = match n.first() {
            Some(n) => n.clone(), // a 32-bit platform: noted at once
            None => s.clamp_step(5).unwrap(),
        };
        assert_eq!(past.name, "step");
        assert!(past.message.starts_with("past the last step"), "{past}");
        assert_eq!(s.clamp_step(5), None);
        assert_eq!(s.step, 5);
        let (mut s, n) = WidgetSettings::parse([("step", "99999999999999999999999999")]);
        assert_eq!(
            n[0].to_string(),
            "step=\"99999999999999999999999999\": past the last step; showing the last step"
        );
        assert_eq!(s.clamp_step(5), None);
        assert_eq!(s.step, 5);
    }

    #[test]
    fn notices_are_de_duplicated_clipped_and_counted() {
        let names = vec!["nope"; 30_000].join(",");
        let (_, n) = WidgetSettings::parse([("lock", names.as_str())]);
        assert_eq!(n.len(), 30_000);
        let lines = notice_lines(&n);
        assert_eq!(lines.len(), 1, "{lines:?}");
        let many: Vec<String> = (0..30_000).map(|i| format!("x{i}")).collect();
        let mut twice = many.clone();
        twice.extend(many.iter().cloned());
        let (_, n) = WidgetSettings::parse([("lock", twice.join(",").as_str())]);
        let lines = notice_lines(&n);
        assert_eq!(lines.len(), MAX_NOTICES + 1);
        assert_eq!(
            lines[MAX_NOTICES],
            "… and 29992 more settings that could not be used"
        );
        let long = "y".repeat(10_000);
        let (_, n) = WidgetSettings::parse([("regime", long.as_str())]);
        let line = &notice_lines(&n)[0];
        assert!(line.chars().count() < 150, "{line}");
        assert!(line.contains('…'));
    }

    #[test]
    fn step_is_clamped_to_the_tape() {
        let (mut s, _) = WidgetSettings::parse([("step", "9")]);
        assert_eq!(
            s.clamp_step(5).map(|n| n.message),
            Some("past the last step; showing step 5".into())
        );
        assert_eq!(s.step, 5);
    }

    proptest! {
        #[test]
        fn any_pairs_parse_without_panic(pairs in prop::collection::vec(("[a-z_]{1,10}", "\\PC{0,20}"), 0..8)) {
            let (s, _) = WidgetSettings::parse(pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())));
            prop_assert!(s.gamma <= Gamma::MAX);
            prop_assert!(s.x != s.y);
            prop_assert!((MIN_LAB_PATHS..=MAX_LAB_PATHS).contains(&s.paths));
            prop_assert!(s.cost >= Price::from_cents(0) && s.cost <= MAX_LAB_COST);
        }

        #[test]
        fn to_query_round_trips(step in 0usize..50, r in 0usize..3, g in 0u32..=100, lv in 0u16..=100) {
            let s = WidgetSettings {
                kind: Some(WidgetKind::Heatmap), step, regime: Regime::ALL[r], gamma: Gamma::from_milli(g * 10),
                levels: DEFAULT_LEVELS.with(Input::Latency, lv * 10), ..WidgetSettings::default()
            };
            let q = s.to_query();
            let pairs: Vec<(&str, &str)> = q.split('&').filter_map(|p| p.split_once('=')).collect();
            let (back, notices) = WidgetSettings::parse(pairs);
            prop_assert!(notices.is_empty());
            prop_assert_eq!(back, s);
        }
    }
}

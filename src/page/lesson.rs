//! Lesson links: what an instructor fixes in a shared link before class — the steps a widget may
//! reach (`from`, `to`), the controls the class may not touch (`lock`), predict-then-reveal
//! (`predict`) and the projector theme (`theme`). Parsing never fails: a garbled or contradictory
//! value falls back to the default with a [`Notice`], like every other setting.

use std::ops::RangeInclusive;

use crate::engine::policy::Input;
use crate::page::notice::Notice;

/// A control a lesson link can lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lock {
    /// The volatility regime selector.
    Regime,
    /// The risk-aversion slider.
    Gamma,
    /// The heatmap's axis choosers.
    Axes,
    /// One heatmap level slider.
    Level(Input),
}

impl Lock {
    /// Every lockable control, in the order they are written back into a link.
    pub const ALL: [Lock; 8] = [
        Lock::Regime,
        Lock::Gamma,
        Lock::Axes,
        Lock::Level(Input::Flow),
        Lock::Level(Input::Toxicity),
        Lock::Level(Input::Volatility),
        Lock::Level(Input::HedgeCost),
        Lock::Level(Input::Latency),
    ];

    /// The name used in `lock=`: `regime`, `gamma`, `axes`, or a heatmap level key.
    pub fn key(self) -> &'static str {
        match self {
            Lock::Regime => "regime",
            Lock::Gamma => "gamma",
            Lock::Axes => "axes",
            Lock::Level(input) => input.key(),
        }
    }

    /// Parses a [`Lock::key`].
    pub fn from_key(key: &str) -> Option<Lock> {
        Lock::ALL.into_iter().find(|l| l.key() == key.trim())
    }

    /// The reader-facing name of the control, for the lesson builder.
    pub fn label(self) -> &'static str {
        match self {
            Lock::Regime => "Volatility regime",
            Lock::Gamma => "Risk aversion γ",
            Lock::Axes => "Heatmap axes",
            Lock::Level(input) => crate::words::explain::policy::input_label(input),
        }
    }
}

/// The colours of presentation mode.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    strum::Display,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum Theme {
    /// Light text on a dark ground (the default: most projectors and dim rooms).
    #[default]
    Dark,
    /// Dark text on a light ground, for bright rooms.
    Light,
}

impl Theme {
    /// `dark` or `light`.
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// Parses [`Theme::key`] (case-insensitive).
    pub fn from_key(key: &str) -> Option<Theme> {
        crate::engine::names::by_name(
            <Theme as strum::VariantArray>::VARIANTS,
            Theme::key,
            key.trim(),
            true,
        )
    }
}

crate::engine::names::from_str_by!(Theme, Theme::from_key);

/// What a lesson link fixes. The default is no lesson at all: every step, every control, no
/// predictions, dark theme.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lesson {
    /// First reachable step (cursor), if the link sets one.
    pub from: Option<usize>,
    /// Last reachable step (cursor), if the link sets one.
    pub to: Option<usize>,
    /// Locked controls, without duplicates, in [`Lock::ALL`] order.
    pub locks: Vec<Lock>,
    /// Predict-then-reveal: each step asks a question before its result is shown.
    pub predict: bool,
    /// Presentation colours.
    pub theme: Theme,
}

fn notice(name: &str, value: &str, message: impl Into<String>) -> Notice {
    Notice {
        name: name.to_string(),
        value: value.to_string(),
        message: message.into(),
    }
}

impl Lesson {
    /// Reads one lesson parameter. Returns `false` when `name` is not a lesson parameter, so the
    /// caller can try its own names; unusable values leave a notice and change nothing.
    pub fn read(&mut self, name: &str, value: &str, notices: &mut Vec<Notice>) -> bool {
        match name {
            "from" | "to" => match value.trim().parse::<usize>() {
                Ok(n) if name == "from" => self.from = Some(n),
                Ok(n) => self.to = Some(n),
                Err(_) => notices.push(notice(
                    name,
                    value,
                    "not a whole step number; the lesson range ignores it",
                )),
            },
            "lock" => {
                for part in value.split(',').filter(|p| !p.trim().is_empty()) {
                    match Lock::from_key(part) {
                        Some(l) if !self.locks.contains(&l) => self.locks.push(l),
                        Some(_) => {}
                        None => notices.push(notice(
                            name,
                            part.trim(),
                            format!(
                                "no control by that name; lockable: {}; left unlocked",
                                Lock::ALL.map(Lock::key).join(", ")
                            ),
                        )),
                    }
                }
                self.locks
                    .sort_by_key(|l| Lock::ALL.iter().position(|a| a == l));
            }
            "predict" => match value.trim() {
                "1" | "true" | "yes" | "on" => self.predict = true,
                "0" | "false" | "no" | "off" => self.predict = false,
                _ => notices.push(notice(
                    name,
                    value,
                    "expected 1 (ask before each step) or 0; predictions are off",
                )),
            },
            "theme" => match Theme::from_key(value) {
                Some(t) => self.theme = t,
                None => notices.push(notice(name, value, "expected light or dark; using dark")),
            },
            _ => return false,
        }
        true
    }

    /// True when `lock` is locked.
    pub fn is_locked(&self, lock: Lock) -> bool {
        self.locks.contains(&lock)
    }

    /// The reachable cursor range on a tape of `steps` steps (cursor 0 is the start). A bound
    /// past the end is pulled back to the last step, and a range that runs backwards
    /// (`from` after `to`) is dropped for the whole tape; each with a notice.
    pub fn range(&mut self, steps: usize) -> (RangeInclusive<usize>, Vec<Notice>) {
        let mut notices = Vec::new();
        for (name, bound) in [("from", &mut self.from), ("to", &mut self.to)] {
            if let Some(n) = *bound {
                if n > steps {
                    notices.push(notice(
                        name,
                        &n.to_string(),
                        format!("past the last step; using step {steps}"),
                    ));
                    *bound = Some(steps);
                }
            }
        }
        let from = self.from.unwrap_or(0);
        let to = self.to.unwrap_or(steps);
        if from > to {
            notices.push(notice(
                "from",
                &from.to_string(),
                format!("comes after to={to}; the lesson shows every step (0 to {steps})"),
            ));
            self.from = None;
            self.to = None;
            return (0..=steps, notices);
        }
        (from..=to, notices)
    }

    /// The `&`-joined query parameters that reopen this lesson (empty for no lesson).
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(f) = self.from {
            parts.push(format!("from={f}"));
        }
        if let Some(t) = self.to {
            parts.push(format!("to={t}"));
        }
        if !self.locks.is_empty() {
            let names: Vec<&str> = self.locks.iter().map(|l| l.key()).collect();
            parts.push(format!("lock={}", names.join(",")));
        }
        if self.predict {
            parts.push("predict=1".to_string());
        }
        if self.theme != Theme::default() {
            parts.push(format!("theme={}", self.theme.key()));
        }
        parts.join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lesson(pairs: &[(&str, &str)]) -> (Lesson, Vec<Notice>) {
        let mut l = Lesson::default();
        let mut n = Vec::new();
        for (k, v) in pairs {
            assert!(l.read(k, v, &mut n), "{k} is a lesson parameter");
        }
        (l, n)
    }

    #[test]
    fn a_prepared_link_reads_back() {
        let (mut l, n) = lesson(&[
            ("from", "2"),
            ("to", "4"),
            ("lock", "regime,gamma"),
            ("predict", "1"),
            ("theme", "light"),
        ]);
        assert!(n.is_empty());
        assert_eq!(l.range(5).0, 2..=4);
        assert!(l.is_locked(Lock::Gamma) && !l.is_locked(Lock::Axes));
        assert_eq!(
            l.to_query(),
            "from=2&to=4&lock=regime,gamma&predict=1&theme=light"
        );
        assert_eq!(Lesson::default().to_query(), "");
    }

    #[test]
    fn contradictions_fall_back_with_notices() {
        let (mut l, n) = lesson(&[("from", "4"), ("to", "2")]);
        assert!(
            n.is_empty(),
            "the contradiction needs the tape to be judged"
        );
        let (range, n) = l.range(5);
        assert_eq!(range, 0..=5);
        assert_eq!(
            n[0].to_string(),
            "from=\"4\": comes after to=2; the lesson shows every step (0 to 5)"
        );
        assert_eq!(l.to_query(), "", "a dropped range is not written back");

        let (mut l, _) = lesson(&[("to", "99")]);
        let (range, n) = l.range(5);
        assert_eq!(range, 0..=5);
        assert_eq!(
            n[0].to_string(),
            "to=\"99\": past the last step; using step 5"
        );

        let (l, n) = lesson(&[
            ("lock", "regime,colour,,gamma,regime"),
            ("predict", "maybe"),
            ("theme", "neon"),
            ("from", "two"),
        ]);
        assert_eq!(l.locks, [Lock::Regime, Lock::Gamma]);
        let names: Vec<&str> = n.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["lock", "predict", "theme", "from"]);
        assert!(n[0]
            .message
            .starts_with("no control by that name; lockable: regime, gamma, axes, flow"));
        assert_eq!(n[0].value, "colour");
        assert!(!l.predict);
        assert_eq!(l.theme, Theme::Dark);
    }

    #[test]
    fn other_names_are_left_to_the_caller() {
        let mut l = Lesson::default();
        let mut n = Vec::new();
        assert!(!l.read("step", "3", &mut n));
        assert_eq!(l, Lesson::default());
    }

    proptest! {
        #[test]
        fn range_is_always_inside_the_tape(from in proptest::option::of(0usize..20), to in proptest::option::of(0usize..20), steps in 0usize..10) {
            let mut l = Lesson { from, to, ..Lesson::default() };
            let (range, _) = l.range(steps);
            prop_assert!(range.start() <= range.end());
            prop_assert!(*range.end() <= steps);
        }

        #[test]
        fn any_values_parse_without_panic(name in "(from|to|lock|predict|theme)", value in "\\PC{0,20}") {
            let mut l = Lesson::default();
            let mut n = Vec::new();
            prop_assert!(l.read(&name, &value, &mut n));
            let q = l.to_query();
            let mut back = Lesson::default();
            for (k, v) in q.split('&').filter_map(|p| p.split_once('=')) {
                back.read(k, v, &mut n);
            }
            prop_assert_eq!(back, l);
        }
    }
}

//! Predict-then-reveal questions for the classroom: before a step's result is shown, the class is
//! asked one question about it, with three or four choices, and the reveal carries the worked
//! calculation. Questions are computed from the replay alone, so they exist for any tape and are
//! the same every time for the same tape and step.
//!
//! Which question a step gets: the four kinds (residual, band, step PnL, bucket) rotate with the
//! step number, skipping a kind that says nothing about that step (no fill: no residual
//! question; no PnL contribution: no PnL or bucket question). Numeric choices are listed in
//! ascending order, so the position of the right answer carries no hint beyond its value.

use crate::engine::book::{Band, BandLimits};
use crate::engine::num::{Money, Qty};
use crate::engine::pnl::{Bucket, Contribution};
use crate::engine::replay::Replay;
use crate::words::format;

/// What a question asks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuestionKind {
    /// `R_residual` after the step.
    Residual,
    /// The band after the step.
    Band,
    /// What the step adds to net PnL.
    StepPnl,
    /// Which bucket the step's largest contribution lands in.
    Bucket,
}

impl QuestionKind {
    /// The rotation order.
    pub const ALL: [QuestionKind; 4] = [
        QuestionKind::Residual,
        QuestionKind::Band,
        QuestionKind::StepPnl,
        QuestionKind::Bucket,
    ];
}

/// One question about one step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// The step asked about (1-based: the cursor after it).
    pub step: usize,
    /// What is asked.
    pub kind: QuestionKind,
    /// What happens in the step, in words (shown with the question).
    pub setup: String,
    /// The question.
    pub prompt: String,
    /// Three or four distinct choices.
    pub choices: Vec<String>,
    /// Index of the right choice.
    pub answer: usize,
    /// The worked calculation shown on reveal, one line each.
    pub explanation: Vec<String>,
}

const LETTERS: [&str; 4] = ["A", "B", "C", "D"];

impl Question {
    /// Choice `i` as shown: `B) 0.0`, with `✓ answer` once revealed on the right one.
    pub fn choice_label(&self, i: usize, revealed: bool) -> String {
        let mark = if revealed && i == self.answer {
            " ✓ answer"
        } else {
            ""
        };
        let text = self.choices.get(i).map(String::as_str).unwrap_or("");
        format!("{}) {text}{mark}", LETTERS[i.min(3)])
    }

    /// The answer line: `Answer: A) -1.0`.
    pub fn answer_line(&self) -> String {
        format!("Answer: {}", self.choice_label(self.answer, false))
    }

    /// How the class's pick compares with the answer, in words (never colour alone).
    pub fn verdict(&self, picked: Option<usize>) -> String {
        match picked {
            None => "(no choice was picked)".to_string(),
            Some(c) if c == self.answer => "The class's pick was right.".to_string(),
            Some(c) => format!("The class picked {}.", self.choice_label(c, false)),
        }
    }

    /// What a screen reader hears when the question is asked.
    pub fn announce_question(&self) -> String {
        format!(
            "Predict before the reveal. {} {} Choices: {}.",
            self.setup,
            self.prompt,
            self.choices.join(", ")
        )
    }

    /// What a screen reader hears on the reveal, before the step's own announcement.
    pub fn announce_answer(&self) -> String {
        format!(
            "Answer: {}. {}",
            self.choices[self.answer],
            self.explanation.join(" ")
        )
    }
}

/// The predict panel's line when no question is open.
pub fn idle_hint(at_lesson_end: bool) -> &'static str {
    if at_lesson_end {
        "Predict mode: the lesson's last step is shown."
    } else {
        "Predict mode: press Next (→) to ask the class about the next step."
    }
}

/// The question for step `step` (1-based) of a replay, with bands judged under `limits` (the
/// limits the widget shows, e.g. scaled for the regime). `None` for step 0 or past the end.
pub fn question(replay: &Replay, step: usize, limits: &BandLimits) -> Option<Question> {
    let report = replay.steps.get(step.checked_sub(1)?)?;
    let contributions: Vec<&Contribution> = report
        .events
        .iter()
        .filter_map(|e| e.contribution.as_ref())
        .collect();
    let has_fill = report
        .events
        .iter()
        .any(|e| e.event.dealer_fill().is_some());
    // A band question whose residual sits exactly on a limit turns on `<` against `<=`, not on
    // the mechanism: ask something else about that step.
    let book = replay.book_at(step);
    let size = book.r_residual().abs();
    let on_boundary = !book.is_stale_beyond(limits.stale_tolerance)
        && (size == limits.green_max || size == limits.amber_max);
    let applies = |k: QuestionKind| match k {
        QuestionKind::Residual => has_fill,
        QuestionKind::Band => !on_boundary,
        QuestionKind::StepPnl | QuestionKind::Bucket => !contributions.is_empty(),
    };
    let n = QuestionKind::ALL.len();
    let kind = (0..n)
        .map(|i| QuestionKind::ALL[(step - 1 + i) % n])
        .find(|&k| applies(k))
        // A step with nothing but a boundary band to ask about still gets its band question.
        .unwrap_or(QuestionKind::Band);
    let what: Vec<String> = report
        .events
        .iter()
        .map(|e| super::event::describe(&e.event))
        .collect();
    let setup = if what.is_empty() {
        format!("Step {step}: {}.", report.title)
    } else {
        format!("Step {step}: {}.", what.join(", then "))
    };
    let (prompt, choices, answer, mut explanation) = match kind {
        QuestionKind::Residual => residual(replay, step),
        QuestionKind::Band => band(replay, step, limits),
        QuestionKind::StepPnl => step_pnl(report.step_pnl, &contributions),
        QuestionKind::Bucket => bucket(&contributions),
    };
    // The mechanism behind a change of band that no trade made: the reference caught up.
    let before = replay.book_at(step - 1);
    if before.is_stale_beyond(limits.stale_tolerance)
        && !book.is_stale_beyond(limits.stale_tolerance)
    {
        explanation.push(format!(
            "The quote reference caught up with fresh fair at this step ({} to {}), so the quotes no longer rest on a stale price: the band goes from {} to {} with no trade, judged on size alone.",
            format::price(before.quote_ref),
            format::price(book.quote_ref),
            before.band(limits),
            book.band(limits)
        ));
    }
    Some(Question {
        step,
        kind,
        setup,
        prompt,
        choices,
        answer,
        explanation,
    })
}

type Parts = (String, Vec<String>, usize, Vec<String>);

/// Sorts distinct values ascending, keeps the right one and up to three wrong ones, and pads with
/// `pad` steps away from the answer when fewer than two wrong ones are distinct.
fn numeric_choices<T: Ord + Copy>(
    right: T,
    wrong: &[T],
    pad: impl Fn(T, i32) -> Option<T>,
) -> (Vec<T>, usize) {
    let mut values = vec![right];
    for &w in wrong {
        if values.len() == 4 {
            break;
        }
        if !values.contains(&w) {
            values.push(w);
        }
    }
    let mut k = 1;
    while values.len() < 3 && k < 10 {
        for sign in [1, -1] {
            if let Some(v) = pad(right, sign * k) {
                if values.len() < 3 && !values.contains(&v) {
                    values.push(v);
                }
            }
        }
        k += 1;
    }
    values.sort();
    let answer = values.iter().position(|v| *v == right).unwrap_or(0);
    (values, answer)
}

fn residual(replay: &Replay, step: usize) -> Parts {
    let d = replay.qty_decimals;
    let before = replay.book_at(step - 1);
    let after = replay.book_at(step);
    let (r0, r1) = (before.r_residual().sats(), after.r_residual().sats());
    let change = r1.saturating_sub(r0);
    // The usual slips: nothing changes, the change taken with the wrong sign, the hedge
    // forgotten (I_client alone), the sign of the whole position flipped.
    let wrong = [
        r0,
        r0.saturating_sub(change),
        after.i_client.sats(),
        r1.saturating_neg(),
    ];
    let unit = 10i64.pow(8 - d.min(8));
    let (values, answer) = numeric_choices(r1, &wrong, |v, k| {
        v.checked_add(unit.checked_mul(k as i64)?)
    });
    let show = |s: i64| format::btc_signed(Qty::from_sats(s), d);
    let explanation = vec![
        format!(
            "I_client {} and H_external {} after the step.",
            show(after.i_client.sats()),
            show(after.h_external.sats())
        ),
        format!(
            "R_residual = I_client + H_external = {} + {} = {}.",
            show(after.i_client.sats()),
            show(after.h_external.sats()),
            show(r1)
        ),
    ];
    (
        "After this step, what is R_residual?".to_string(),
        values.into_iter().map(show).collect(),
        answer,
        explanation,
    )
}

fn band(replay: &Replay, step: usize, limits: &BandLimits) -> Parts {
    let d = replay.qty_decimals;
    let book = replay.book_at(step);
    let right = book.band(limits);
    let choices = [Band::Green, Band::Amber, Band::Red];
    let r = format::btc_signed(book.r_residual(), d);
    let green = format::qty(limits.green_max);
    let amber = format::qty(limits.amber_max);
    let why = if book.is_stale_beyond(limits.stale_tolerance) {
        format!(
            "The quotes still rest on {} while fresh fair is {}: a gap beyond the {} tolerance is red whatever the size.",
            format::price(book.quote_ref),
            format::price(book.fair),
            format::price(limits.stale_tolerance)
        )
    } else {
        let size = format::qty(book.r_residual().abs());
        match right {
            Band::Green => format!("|R_residual| = {size} BTC is at most the green limit of {green} BTC."),
            Band::Amber => format!("|R_residual| = {size} BTC is above the green limit of {green} BTC and at most the amber limit of {amber} BTC."),
            Band::Red => format!("|R_residual| = {size} BTC is above the amber limit of {amber} BTC."),
        }
    };
    (
        "Which band is the book in after this step?".to_string(),
        choices.iter().map(|b| b.name().to_string()).collect(),
        choices.iter().position(|b| *b == right).unwrap_or(0),
        vec![
            format!("R_residual is {r}."),
            why,
            format!("Band: {right}."),
        ],
    )
}

fn step_pnl(step_pnl: crate::engine::pnl::Buckets, contributions: &[&Contribution]) -> Parts {
    let right = step_pnl.total();
    // The usual slips: the sign flipped, the inventory markout or the hedge cost left out, the
    // step taken as flat.
    let wrong = [
        Money::from_units(right.units().saturating_neg()),
        Money::from_units(right.units() - step_pnl.inventory_markout.units()),
        Money::from_units(right.units() - step_pnl.hedge_cost.units()),
        Money::ZERO,
    ];
    let hundred = Money::usd(100).units();
    let (values, answer) = numeric_choices(right, &wrong, |v, k| {
        Some(Money::from_units(
            v.units().checked_add(hundred * k as i128)?,
        ))
    });
    let mut explanation: Vec<String> = contributions
        .iter()
        .map(|c| format!("{}: {}", c.bucket.label(), super::pnl::worked(c)))
        .collect();
    let amounts: Vec<Money> = contributions.iter().map(|c| c.amount).collect();
    explanation.push(format!(
        "The step adds {} to net PnL.",
        super::replay::sum_line(&amounts)
    ));
    (
        "What does this step add to net PnL?".to_string(),
        values.into_iter().map(format::money).collect(),
        answer,
        explanation,
    )
}

fn bucket(contributions: &[&Contribution]) -> Parts {
    // The largest contribution by size; the first one on a tie.
    let largest = contributions
        .iter()
        .copied()
        .reduce(|a, b| {
            if b.amount.units().abs() > a.amount.units().abs() {
                b
            } else {
                a
            }
        })
        .copied();
    let right = largest.map(|c| c.bucket).unwrap_or(Bucket::SpreadEdge);
    let why = match right {
        Bucket::SpreadEdge => "a customer fill on a fresh quote earns its edge against fair value as spread edge",
        Bucket::InventoryMarkout => "a fair-value move revalues the residual the dealer carries: inventory markout, not spread",
        Bucket::HedgeCost => "an external hedge fill's edge against fair value is hedge cost",
        Bucket::ToxicMarkout => "a customer fill while the quote reference is stale is a stale-fill (toxic) markout",
    };
    let mut explanation = Vec::new();
    if let Some(c) = largest {
        explanation.push(format!(
            "The largest contribution: {}.",
            super::pnl::worked(&c)
        ));
    }
    explanation.push(format!("It goes to {}: {why}.", right.label()));
    (
        "Which bucket does this step's largest PnL contribution go to?".to_string(),
        Bucket::ALL.iter().map(|b| b.label().to_string()).collect(),
        Bucket::ALL.iter().position(|b| *b == right).unwrap_or(0),
        explanation,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::replay::replay;
    use crate::engine::tape::Tape;

    fn chapter() -> Replay {
        crate::engine::replay::chapter_replay()
    }

    #[test]
    fn the_chapter_gets_one_question_per_step() {
        let r = chapter();
        let limits = BandLimits::default();
        let kinds: Vec<QuestionKind> = (1..=r.len())
            .map(|s| question(&r, s, &limits).unwrap().kind)
            .collect();
        // Steps 2 and 5 end with |R_residual| exactly on the green limit, so they rotate past
        // the band question; step 5 has no fill and rotates past the residual question too.
        assert_eq!(
            kinds,
            [
                QuestionKind::Residual,
                QuestionKind::StepPnl,
                QuestionKind::StepPnl,
                QuestionKind::Bucket,
                QuestionKind::StepPnl
            ]
        );
        assert!(question(&r, 0, &limits).is_none());
        assert!(question(&r, 6, &limits).is_none());
    }

    #[test]
    fn worked_answers_match_the_chapter() {
        let r = chapter();
        let limits = BandLimits::default();
        let q1 = question(&r, 1, &limits).unwrap();
        assert_eq!(q1.setup, "Step 1: customer buys 1 BTC at $100,050.");
        assert_eq!(q1.choices[q1.answer], "-1.0");
        assert_eq!(q1.choices, ["-1.0", "0.0", "+1.0"]);
        assert_eq!(
            q1.explanation[1],
            "R_residual = I_client + H_external = -1.0 + 0.0 = -1.0."
        );

        let q2 = question(&r, 2, &limits).unwrap();
        assert_eq!(q2.choices[q2.answer], "-$60");

        let q3 = question(&r, 3, &limits).unwrap();
        assert_eq!(q3.choices[q3.answer], "-$405");
        assert_eq!(
            q3.explanation.last().unwrap(),
            "The step adds -$480 + $75 = -$405 to net PnL."
        );

        let q4 = question(&r, 4, &limits).unwrap();
        assert_eq!(q4.choices[q4.answer], "Stale-fill markout");
        assert_eq!(
            q4.explanation[0],
            "The largest contribution: 2 x ($99,500 - $100,450) = -$1,900."
        );

        let q5 = question(&r, 5, &limits).unwrap();
        assert_eq!(q5.choices[q5.answer], "+$300");
        assert_eq!(
            q5.explanation.last().unwrap(),
            "The quote reference caught up with fresh fair at this step ($100,500 to $99,800), so the quotes no longer rest on a stale price: the band goes from red to green with no trade, judged on size alone."
        );
    }

    #[test]
    fn panel_words() {
        let q = question(&chapter(), 1, &BandLimits::default()).unwrap();
        assert_eq!(q.choice_label(0, true), "A) -1.0 ✓ answer");
        assert_eq!(q.answer_line(), "Answer: A) -1.0");
        assert_eq!(q.verdict(Some(1)), "The class picked B) 0.0.");
        assert_eq!(q.verdict(Some(0)), "The class's pick was right.");
        assert!(q
            .announce_answer()
            .starts_with("Answer: -1.0. I_client -1.0 and H_external 0.0"));
    }

    #[test]
    fn the_stale_step_is_red_by_its_reference() {
        let r = chapter();
        let limits = BandLimits::default();
        // Step 4 asks for the bucket; ask the band directly through the helper.
        let (_, choices, answer, why) = band(&r, 4, &limits);
        assert_eq!(choices[answer], "red");
        assert!(why[1].contains("beyond the $50 tolerance is red whatever the size"));
    }

    proptest::proptest! {
        #[test]
        fn every_step_of_any_tape_has_a_fair_question(
            fills in proptest::collection::vec((0u8..6, 1i64..400, -300i64..300), 1..12)
        ) {
            // A generated tape: one event per step, of every kind.
            let mut steps = Vec::new();
            for (kind, q, dp) in &fills {
                let qty = format!("{}.{:02}", q / 100, q % 100);
                let qty = if *q < 1 { "0.01".to_string() } else { qty };
                let price = 100_000 + dp;
                let event = match kind {
                    0 => format!(r#"{{"type":"client_buy","qty":{qty},"price":{price}}}"#),
                    1 => format!(r#"{{"type":"client_sell","qty":{qty},"price":{price}}}"#),
                    2 => format!(r#"{{"type":"hedge_buy","qty":{qty},"price":{price}}}"#),
                    3 => format!(r#"{{"type":"hedge_sell","qty":{qty},"price":{price}}}"#),
                    4 => format!(r#"{{"type":"fair","price":{price},"stale":{}}}"#, dp % 2 == 0),
                    _ => r#"{"type":"refresh"}"#.to_string(),
                };
                steps.push(format!(r#"{{"title":"s","events":[{event}]}}"#));
            }
            let text = format!(r#"{{"title":"t","start":{{"fair":100000}},"steps":[{}]}}"#, steps.join(","));
            let r = replay(&Tape::from_json(&text).unwrap()).unwrap();
            let limits = BandLimits::default();
            for s in 1..=r.len() {
                let q = question(&r, s, &limits).unwrap();
                proptest::prop_assert!((3..=4).contains(&q.choices.len()), "{:?}", q.choices);
                let mut distinct = q.choices.clone();
                distinct.sort();
                distinct.dedup();
                proptest::prop_assert_eq!(distinct.len(), q.choices.len());
                proptest::prop_assert!(q.answer < q.choices.len());
                proptest::prop_assert!(!q.explanation.is_empty());
                let again = question(&r, s, &limits);
                proptest::prop_assert_eq!(Some(&q), again.as_ref());
            }
        }
    }
}

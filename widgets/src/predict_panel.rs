//! Predict-then-reveal for lesson links with `predict=1`: before a step's result is shown, the
//! class answers the engine's question for that step (a radio group), and the reveal (button,
//! Next or the R key) moves the replay on and shows the answer with its worked calculation.
//! The questions and their wording come from the core's `explain::predict` module; this only lays out.

use leptos::prelude::*;

use crate::controls::{next_id, Prediction, ReplayState};

const LETTERS: [&str; 4] = ["A", "B", "C", "D"];

/// The question panel of a replay widget in predict mode (nothing otherwise).
#[component]
pub fn PredictPanel() -> impl IntoView {
    let state = expect_context::<ReplayState>();
    if !state.predicting() {
        return ().into_any();
    }
    let id = next_id();
    let body = move || match state.prediction.get() {
        None => {
            let text = if state.cursor.get() >= state.hi {
                "Predict mode: the lesson's last step is shown."
            } else {
                "Predict mode: press Next (→) to ask the class about the next step."
            };
            view! { <p class="predict-hint">{text}</p> }.into_any()
        }
        Some(p) => match state.question(p.step) {
            None => view! { <p class="predict-hint">"No question for this step."</p> }.into_any(),
            Some(q) => {
                let name = format!("predict-{id}-{}", p.step);
                let choices = q
                    .choices
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let right = p.revealed && i == q.answer;
                        let mark = if right { " ✓ answer" } else { "" };
                        view! {
                            <label class="predict-choice" class:right=right>
                                <input type="radio" name=name.clone() value=i.to_string()
                                    prop:checked=move || state.prediction.get().and_then(|p| p.choice) == Some(i)
                                    on:change=move |_| state.prediction.update(|p| {
                                        if let Some(p) = p { p.choice = Some(i) }
                                    }) />
                                <span>{format!("{}) {c}{mark}", LETTERS[i.min(3)])}</span>
                            </label>
                        }
                    })
                    .collect_view();
                let verdict = verdict(&p, q.answer, &q.choices);
                view! {
                    <p class="predict-setup">{q.setup.clone()}</p>
                    <fieldset class="predict-choices" role="radiogroup">
                        <legend>{q.prompt.clone()}</legend>
                        {choices}
                    </fieldset>
                    {if p.revealed {
                        view! {
                            <div class="predict-answer">
                                <p><strong>{format!("Answer: {}) {}", LETTERS[q.answer.min(3)], q.choices[q.answer])}</strong>" "{verdict}</p>
                                <ul>{q.explanation.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                            </div>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="btn btn-primary predict-reveal" aria-keyshortcuts="R"
                                on:click=move |_| state.reveal()>"Reveal the answer (R)"</button>
                        }.into_any()
                    }}
                }
                .into_any()
            }
        },
    };
    view! {
        <section class="predict" aria-label="Predict, then reveal">{body}</section>
    }
    .into_any()
}

/// How the class's pick compares with the answer, in words (never colour alone).
fn verdict(p: &Prediction, answer: usize, choices: &[String]) -> String {
    match p.choice {
        None => "(no choice was picked)".to_string(),
        Some(c) if c == answer => "The class's pick was right.".to_string(),
        Some(c) => format!(
            "The class picked {}) {}.",
            LETTERS[c.min(3)],
            choices.get(c).map(String::as_str).unwrap_or("")
        ),
    }
}

//! Predict-then-reveal for lesson links with `predict=1`: before a step's result is shown, the
//! class answers the engine's question for that step (a radio group), and the reveal (button,
//! Next or the R key) moves the replay on and shows the answer with its worked calculation.
//! The questions and their wording come from the core's `explain::predict` module; this only lays out.

use leptos::prelude::*;

use dealer_book::explain::predict::idle_hint;

use crate::controls::{next_id, ReplayState};

/// The question panel of a replay widget in predict mode (nothing otherwise).
#[component]
pub fn PredictPanel() -> impl IntoView {
    let state = expect_context::<ReplayState>();
    if !state.predicting() {
        return ().into_any();
    }
    let id = next_id();
    let body = move || match state.prediction() {
        None => {
            let text = idle_hint(state.step() >= state.hi);
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
                    .map(|(i, _)| {
                        let right = p.revealed && i == q.answer;
                        let label = q.choice_label(i, p.revealed);
                        view! {
                            <label class="predict-choice" class:right=right>
                                <input
                                    type="radio"
                                    name=name.clone()
                                    value=i.to_string()
                                    prop:checked=move || {
                                        state.prediction().and_then(|p| p.choice) == Some(i)
                                    }
                                    on:change=move |_| state.choose(i)
                                />
                                <span>{label}</span>
                            </label>
                        }
                    })
                    .collect_view();
                let verdict = q.verdict(p.choice);
                let answer = q.answer_line();
                view! {
                    <p class="predict-setup">{q.setup.clone()}</p>
                    <fieldset class="predict-choices" role="radiogroup">
                        <legend>{q.prompt.clone()}</legend>
                        {choices}
                    </fieldset>
                    {if p.revealed {
                        view! {
                            <div class="predict-answer">
                                <p>
                                    <strong>{answer}</strong>
                                    " "
                                    {verdict}
                                </p>
                                <ul>
                                    {q
                                        .explanation
                                        .into_iter()
                                        .map(|l| view! { <li>{l}</li> })
                                        .collect_view()}
                                </ul>
                            </div>
                        }
                            .into_any()
                    } else {
                        view! {
                            <button
                                type="button"
                                class="btn btn-primary predict-reveal"
                                aria-keyshortcuts="R"
                                on:click=move |_| state.reveal()
                            >
                                "Reveal the answer (R)"
                            </button>
                        }
                            .into_any()
                    }}
                }
                .into_any()
            }
        },
    };
    view! {
        <section class="predict" aria-label="Predict, then reveal">
            {body}
        </section>
    }
    .into_any()
}

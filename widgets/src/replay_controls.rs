//! The replay's controls: previous, next, reset, play, the step picker and the step counter, with
//! the predict-then-reveal panel of lesson links below them. Every widget that steps through the
//! tape shows them; the rules they drive are [`ReplayState`]'s.

use leptos::prelude::*;

use crate::controls::ReplayState;

/// Previous / next / reset / jump / play, and the step counter. Keyboard: Left/Right, Home, Space
/// on the surrounding widget (see [`crate::controls::WidgetFrame`]). Buttons only: the play timer lives in the state.
#[component]
pub fn ReplayControls() -> impl IntoView {
    let state = expect_context::<ReplayState>();
    let n = state.steps();
    let (lo, hi) = (state.lo, state.hi);
    // The choices: every step of a short tape; a window around the cursor on a long one.
    let choices = Memo::new(move |_| dealer_book::window::picker(state.step(), lo, hi));
    let next_label = move || match state.prediction() {
        Some(p) if !p.revealed => "Reveal ▶",
        _ if state.predicting() => "Ask next ▶",
        _ => "Next ▶",
    };
    view! {
        <div class="replay-controls" role="group" aria-label="Replay controls">
            <button
                type="button"
                class="btn"
                on:click=move |_| state.restart()
                title="Reset (Home)"
                aria-keyshortcuts="Home"
            >
                "↺ Reset"
            </button>
            <button
                type="button"
                class="btn"
                on:click=move |_| state.step_by(-1)
                disabled=move || state.step() <= lo
                title="Previous step (Left arrow)"
                aria-keyshortcuts="ArrowLeft"
            >
                "◀ Prev"
            </button>
            <button
                type="button"
                class="btn btn-primary"
                on:click=move |_| state.toggle_play()
                aria-pressed=move || state.playing().to_string()
                title="Play or pause (Space)"
                aria-keyshortcuts="Space"
            >
                {move || if state.playing() { "❚❚ Pause" } else { "▶ Play" }}
            </button>
            <button
                type="button"
                class="btn"
                on:click=move |_| state.step_by(1)
                disabled=move || {
                    state.step() >= hi && state.prediction().is_none_or(|p| p.revealed)
                }
                title="Next step (Right arrow)"
                aria-keyshortcuts="ArrowRight"
            >
                {next_label}
            </button>
            <label class="jump">
                <span>"Step"</span>
                <select
                    prop:value=move || state.step().to_string()
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                            state.go_to(v)
                        }
                    }
                >
                    {move || {
                        choices
                            .get()
                            .into_iter()
                            .map(|c| {
                                let label = if c == 0 {
                                    "0 · Start".to_string()
                                } else {
                                    state.with(|r| format!("{c} · {}", r.steps[c - 1].title))
                                };
                                let selected = untrack(|| state.step() == c);
                                view! {
                                    <option value=c.to_string() selected=selected>
                                        {label}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            <span class="step-count" aria-hidden="true">
                {move || format!("{} / {n}", state.step())}
            </span>
        </div>
        <crate::predict_panel::PredictPanel />
    }
}

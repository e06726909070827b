//! The lesson builder beside every "Present this widget" link: the instructor picks the steps the
//! class may reach, the controls to lock, predict mode and the projector theme, and gets the
//! link (with a copy button) that opens the widget exactly so. The link is built by the core's
//! settings (`WidgetSettings::to_query`), the same code that reads it back.

use dealer_book::lesson::{Lesson, Lock, Theme};
use dealer_book::policy::Input;
use dealer_book::settings::WidgetKind;
use leptos::prelude::*;

use crate::controls::{next_id, ReplayState};

/// The controls a widget kind has that a lesson can lock.
pub fn lockable(kind: WidgetKind) -> Vec<Lock> {
    match kind {
        WidgetKind::Replay => vec![Lock::Regime, Lock::Gamma],
        WidgetKind::Heatmap => {
            let mut v = vec![Lock::Axes];
            v.extend(Input::ALL.map(Lock::Level));
            v
        }
        _ => Vec::new(),
    }
}

/// True for widgets that step through the tape (so a step range and predictions apply).
fn steps_through(kind: WidgetKind) -> bool {
    matches!(
        kind,
        WidgetKind::Replay | WidgetKind::MakerInventory | WidgetKind::DealerBook
    )
}

/// A folded panel that prepares a lesson link for one widget of the chapter.
#[component]
pub fn LessonBuilder(
    /// The widget the link presents.
    kind: WidgetKind,
) -> impl IntoView {
    let state = expect_context::<ReplayState>();
    let n = state.steps();
    let lesson = RwSignal::new(Lesson::default());
    let copied = RwSignal::new(String::new());
    let id = next_id();
    let link = move || {
        let mut s = state.settings(kind, None);
        s.lesson = lesson.get();
        if let (true, Some(from)) = (steps_through(kind), s.lesson.from) {
            s.step = from;
        }
        format!("?{}", s.to_query())
    };
    let step_select = move |label: &'static str, is_from: bool| {
        let sid = format!("lb-{id}-{label}");
        view! {
            <label for=sid.clone()>{label}</label>
            <select
                id=sid
                on:change=move |ev| {
                    let v = event_target_value(&ev).parse::<usize>().ok();
                    lesson.update(|l| if is_from { l.from = v } else { l.to = v });
                }
            >
                <option value="" selected=true>
                    {if is_from { "start" } else { "last step" }}
                </option>
                {(0..=n)
                    .map(|i| view! { <option value=i.to_string()>{i.to_string()}</option> })
                    .collect_view()}
            </select>
        }
    };
    let locks = lockable(kind);
    let copy = move |_| {
        let text = link();
        let Some(w) = web_sys::window() else { return };
        let href = w.location().href().unwrap_or_default();
        let base = href
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .to_string();
        let full = format!("{base}{text}");
        leptos::task::spawn_local(async move {
            copied.set(if crate::downloads::copy_text(&full).await {
                format!("Copied: {full}")
            } else {
                format!("This browser did not allow copying; the link: {full}")
            });
        });
    };
    view! {
        <details class="lesson-builder">
            <summary>"Prepare a lesson link"</summary>
            <div class="lb-fields">
                {steps_through(kind)
                    .then(|| {
                        view! {
                            <div class="lb-range">
                                {step_select("From step", true)}{step_select("To step", false)}
                            </div>
                        }
                    })}
                {(!locks.is_empty())
                    .then(|| {
                        view! {
                            <fieldset class="lb-locks">
                                <legend>"Lock controls"</legend>
                                {locks
                                    .into_iter()
                                    .map(|l| {
                                        view! {
                                            <label class="radio">
                                                <input
                                                    type="checkbox"
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        lesson
                                                            .update(|les| {
                                                                les.locks.retain(|x| *x != l);
                                                                if on {
                                                                    les.locks.push(l)
                                                                }
                                                                les.locks
                                                                    .sort_by_key(|x| Lock::ALL.iter().position(|a| a == x));
                                                            });
                                                    }
                                                />
                                                <span>{l.label()}</span>
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </fieldset>
                        }
                    })}
                {steps_through(kind)
                    .then(|| {
                        view! {
                            <label class="radio">
                                <input
                                    type="checkbox"
                                    on:change=move |ev| {
                                        lesson.update(|l| l.predict = event_target_checked(&ev))
                                    }
                                />
                                <span>"Predict, then reveal each step"</span>
                            </label>
                        }
                    })} <label class="radio">
                    <input
                        type="checkbox"
                        on:change=move |ev| {
                            lesson
                                .update(|l| {
                                    l.theme = if event_target_checked(&ev) {
                                        Theme::Light
                                    } else {
                                        Theme::Dark
                                    };
                                })
                        }
                    />
                    <span>"Light theme (bright rooms)"</span>
                </label>
            </div>
            <p class="lb-link">
                <label for=format!("lb-{id}-link")>"Link"</label>
                <input id=format!("lb-{id}-link") type="text" readonly=true prop:value=link />
                <button type="button" class="btn" on:click=copy>
                    "Copy link"
                </button>
                <a class="btn" href=link>
                    "Open ↗"
                </a>
            </p>
            <p class="fine" role="status">
                {move || copied.get()}
            </p>
        </details>
    }
}

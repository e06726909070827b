//! DealerBook lanes: one column per step on a shared time axis; the client lane (customer trades),
//! the dealer lane (I_client and R_residual after the step), the hedge lane (external trades and
//! their cost) and the engine's quoting mode. The cursor's column is highlighted, and the two
//! teaching moments are called out in words: customer flow internalized against earlier flow, and
//! the switch to protective logic. Every word comes from `dealer_book::explain::lanes`.

use dealer_book::explain::lanes::{self, Callout};
use dealer_book::format;
use dealer_book::quote::shown_quote;
use dealer_book::replay::StepReport;
use dealer_book::settings::WidgetKind;
use dealer_book::window;
use leptos::prelude::*;

use crate::controls::{band_glyph, mark_redraw, FirstInFrame, ReplayState, WidgetFrame};
use crate::replay_controls::ReplayControls;

/// DealerBook lanes widget.
#[component]
pub fn DealerBookLanes() -> impl IntoView {
    let state = expect_context::<ReplayState>();
    let d = state.with(|r| r.qty_decimals);
    let n = state.steps();
    let cursor = move || state.step();
    let is_current = move |i: usize| cursor() == i + 1;
    // Presentation mode shows three steps around the cursor; the others are marked `far`.
    let far = move |i: usize| {
        let first = cursor()
            .saturating_sub(1)
            .clamp(1, n.saturating_sub(2).max(1));
        i + 1 < first || i + 1 > first + 2
    };
    let mode = move |i: usize| {
        let p = state.quote_params();
        state.with(|r| shown_quote(&r.steps[i].book, &p).action)
    };
    // Long tapes draw a window of columns around the cursor: a step change costs the same on 10
    // and on 100,000 steps. Short tapes (the chapter's) draw every step, and the window never moves.
    let shown = Memo::new(move |_| {
        let w = window::around(cursor(), 1, n, window::LANE_COLUMNS);
        (w.start().saturating_sub(1))..*w.end()
    });
    let cells = move |f: fn(usize, &StepReport, u32) -> AnyView| {
        move || {
            shown
                .get()
                .map(move |i| {
                    let content = state.with(|r| f(i, &r.steps[i], d));
                    view! {
                        <td
                            class:current=move || is_current(i)
                            class:far=move || far(i)
                            class:future=move || { cursor() < i + 1 }
                            on:click=move |_| state.go_to(i + 1)
                        >
                            {content}
                        </td>
                    }
                })
                .collect_view()
        }
    };
    let callouts = move || {
        let p = state.quote_params();
        state.with(|r| lanes::callouts(r, cursor(), &p))
    };
    // On narrow widths (a phone, the rail beside the text) the table scrolls sideways: keep the
    // cursor's column in view by scrolling the table itself, never the page.
    let scroller = NodeRef::<leptos::html::Div>::new();
    let mut soon = FirstInFrame::new();
    Effect::new(move |_| {
        cursor();
        state.regime.track();
        let Some(sc) = scroller.get() else {
            mark_redraw();
            return;
        };
        soon.run(move || {
            if sc.scroll_width() > sc.client_width() {
                if let Ok(Some(cell)) = sc.query_selector("thead th.current") {
                    let (box_, c) = (
                        sc.get_bounding_client_rect(),
                        cell.get_bounding_client_rect(),
                    );
                    if c.left() < box_.left() || c.right() > box_.right() {
                        let centre = c.left() - box_.left() - (box_.width() - c.width()) / 2.0;
                        sc.set_scroll_left(sc.scroll_left() + centre.round() as i32);
                    }
                }
            }
            mark_redraw();
        });
    });
    view! {
        <WidgetFrame title=WidgetKind::DealerBook.title() kind="dealer-book">
            <ReplayControls />
            {(n > window::LANE_COLUMNS)
                .then(|| {
                    view! {
                        <p class="lanes-window">
                            {move || {
                                let w = shown.get();
                                format!(
                                    "Steps {} to {} of {}: the lanes show {} steps around the cursor.",
                                    format::count(w.start as u64 + 1),
                                    format::count(w.end as u64),
                                    format::count(n as u64),
                                    window::LANE_COLUMNS,
                                )
                            }}
                        </p>
                    }
                })}
            <div
                class="lanes-scroll"
                node_ref=scroller
                tabindex="0"
                role="region"
                aria-label="Lanes table; scrolls sideways on narrow screens"
            >
                <table class="lanes">
                    <caption class="sr-only">
                        "Client, dealer and hedge lanes for each step of the tape"
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">"Lane"</th>
                            {move || {
                                shown
                                    .get()
                                    .map(|i| {
                                        view! {
                                            <th
                                                scope="col"
                                                class:current=move || is_current(i)
                                                class:far=move || far(i)
                                                aria-current=move || is_current(i).then_some("step")
                                            >
                                                {format!("Step {}", i + 1)}
                                            </th>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </tr>
                    </thead>
                    <tbody>
                        <tr class="lane-client">
                            <th scope="row">"Client"</th>
                            {cells(|_, s, _| {
                                let t = lanes::client_trades(s);
                                if t.is_empty() {
                                    return view! { <span class="muted">"—"</span> }.into_any();
                                }
                                let more = lanes::more_trades(s, true)
                                    .map(|m| view! { <div class="trade muted">{m}</div> });
                                view! {
                                    {t
                                        .into_iter()
                                        .map(|(text, stale)| {
                                            view! {
                                                <div class="trade" class:stale=stale>
                                                    {text}
                                                    {stale.then_some(lanes::STALE_MARK)}
                                                </div>
                                            }
                                        })
                                        .collect_view()}
                                    {more}
                                }
                                    .into_any()
                            })}
                        </tr>
                        <tr class="lane-dealer">
                            <th scope="row">"Dealer"</th>
                            {move || {
                                shown
                                    .get()
                                    .map(|i| {
                                        let book = state.with(|r| r.steps[i].book);
                                        let band = Memo::new(move |_| state.band(&book));
                                        view! {
                                            <td
                                                class:current=move || is_current(i)
                                                class:far=move || far(i)
                                                class:future=move || { cursor() < i + 1 }
                                                on:click=move |_| state.go_to(i + 1)
                                            >
                                                <div>"I " {format::btc_signed(book.i_client, d)}</div>
                                                <div>
                                                    <b>"R " {format::btc_signed(book.r_residual(), d)}</b>
                                                </div>
                                                <div class=move || {
                                                    format!("band band-{}", band.get().name())
                                                }>
                                                    {move || {
                                                        format!("{} {}", band_glyph(band.get()), band.get().name())
                                                    }}
                                                </div>
                                            </td>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </tr>
                        <tr class="lane-hedge">
                            <th scope="row">"Hedge"</th>
                            {cells(|_, s, _| {
                                let t = lanes::hedge_trades(s);
                                if t.is_empty() {
                                    return view! { <span class="muted">"no hedge"</span> }
                                        .into_any();
                                }
                                let more = lanes::more_trades(s, false)
                                    .map(|m| view! { <div class="trade muted">{m}</div> });
                                view! {
                                    {t
                                        .into_iter()
                                        .map(|text| view! { <div class="trade">{text}</div> })
                                        .collect_view()}
                                    {more}
                                }
                                    .into_any()
                            })}
                        </tr>
                        <tr class="lane-engine">
                            <th scope="row">"Engine"</th>
                            {move || {
                                shown
                                    .get()
                                    .map(|i| {
                                        let action = Memo::new(move |_| mode(i));
                                        let protective = move || lanes::is_protective(action.get());
                                        view! {
                                            <td
                                                class:current=move || is_current(i)
                                                class:far=move || far(i)
                                                class:future=move || { cursor() < i + 1 }
                                                class:protective=protective
                                            >
                                                {move || lanes::engine_mode(action.get())}
                                            </td>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </tr>
                    </tbody>
                </table>
            </div>
            <crate::downloads::ReplayDownloads />
            <div class="callouts">
                {move || {
                    callouts()
                        .into_iter()
                        .map(|Callout { title, text }| {
                            view! {
                                <div class="callout">
                                    <strong>{title}</strong>
                                    <p>{text}</p>
                                </div>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </WidgetFrame>
    }
}

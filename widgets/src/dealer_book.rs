//! DealerBook lanes: one column per step on a shared time axis; the client lane (customer trades),
//! the dealer lane (I_client and R_residual after the step), the hedge lane (external trades and
//! their cost) and the engine's quoting mode. The cursor's column is highlighted, and the two
//! teaching moments are called out in words: customer flow internalized against earlier flow, and
//! the switch to protective logic.

use dealer_book::format;
use dealer_book::pnl::Bucket;
use dealer_book::quote::{quote, ControlAction};
use dealer_book::replay::StepReport;
use leptos::prelude::*;

use crate::controls::{band_glyph, mark_redraw, ReplayControls, ReplayState, WidgetFrame};

fn client_trades(s: &StepReport) -> Vec<(String, bool)> {
    s.events
        .iter()
        .filter(|e| e.event.is_client())
        .filter_map(|e| {
            let stale = e
                .contribution
                .is_some_and(|c| c.bucket == Bucket::ToxicMarkout);
            e.event.lane_text().map(|t| (t, stale))
        })
        .collect()
}

fn hedge_trades(s: &StepReport) -> Vec<String> {
    s.events
        .iter()
        .filter(|e| e.event.is_hedge())
        .filter_map(|e| {
            let cost = e
                .contribution
                .map(|c| format::money(c.amount))
                .unwrap_or_default();
            e.event.lane_text().map(|t| format!("{t} ({cost})"))
        })
        .collect()
}

/// DealerBook lanes widget.
#[component]
pub fn DealerBookLanes() -> impl IntoView {
    let state = expect_context::<ReplayState>();
    let d = state.with(|r| r.qty_decimals);
    let n = state.steps();
    let cursor = state.cursor;
    let is_current = move |i: usize| cursor.get() == i + 1;
    let mode = move |i: usize| {
        let p = state.quote_params();
        state.with(|r| quote(&r.steps[i].book, &p).action)
    };
    let cells = move |f: fn(usize, &StepReport, u32) -> AnyView| {
        (0..n)
            .map(move |i| {
                let content = state.with(|r| f(i, &r.steps[i], d));
                view! {
                    <td class:current=move || is_current(i) class:future=move || { cursor.get() < i + 1 }
                        on:click=move |_| cursor.set(i + 1)>{content}</td>
                }
            })
            .collect_view()
    };
    let callouts = move || {
        let c = cursor.get();
        if c == 0 {
            return Vec::new();
        }
        let p = state.quote_params();
        state.with(|r| {
            let s = &r.steps[c - 1];
            let total = r.flow_until(c);
            let mut out = Vec::new();
            if s.flow.internalized.is_positive() {
                out.push((
                    "⇄ Internalized",
                    format!(
                        "This step's customer flow offset {} BTC of earlier, opposite customer flow inside the book; {} BTC was hedged externally this step. So far: {} BTC internalized, {} BTC hedged externally (hedge cost {}).",
                        format::qty(s.flow.internalized),
                        format::qty(s.flow.hedged),
                        format::qty(total.internalized),
                        format::qty(total.hedged),
                        format::money(total.hedge_cost)
                    ),
                ));
            }
            let toxic = s.step_pnl.toxic_markout;
            if !toxic.is_zero() {
                out.push((
                    "⚠ Picked off",
                    format!(
                        "A customer traded against a stale quote this step: {} of toxic / stale-fill markout, booked apart from spread edge.",
                        format::money(toxic)
                    ),
                ));
            }
            let q = quote(&s.book, &p);
            if q.action >= ControlAction::ReduceWidenHedge {
                let why = if s.book.is_stale() {
                    format!(
                        "the quote reference ({}) is stale against fresh fair ({})",
                        format::price(s.book.quote_ref),
                        format::price(s.book.fair)
                    )
                } else {
                    format!(
                        "R_residual {} BTC is beyond the amber limit of {} BTC in the {} regime",
                        format::btc_signed(s.book.r_residual(), d),
                        format::qty(q.limits.amber_max),
                        p.regime.name()
                    )
                };
                out.push((
                    "■ Protective logic",
                    format!(
                        "Internalization is not enough here: {why}. The engine leaves ordinary quoting: {} (size {} BTC, spread {}).",
                        q.action.label().to_lowercase(),
                        format::qty(q.size),
                        format::price(dealer_book::num::Price::from_cents(q.spread_cents()))
                    ),
                ));
            }
            out
        })
    };
    Effect::new(move |_| {
        cursor.track();
        state.regime.track();
        mark_redraw();
    });
    view! {
        <WidgetFrame title="DealerBook lanes" kind="dealer-book">
            <ReplayControls />
            <div class="lanes-scroll" tabindex="0" role="region" aria-label="Lanes table; scrolls sideways on narrow screens">
                <table class="lanes">
                    <caption class="sr-only">"Client, dealer and hedge lanes for each step of the tape"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Lane"</th>
                            {(0..n).map(|i| view! {
                                <th scope="col" class:current=move || is_current(i) aria-current=move || is_current(i).then_some("step")>
                                    {format!("Step {}", i + 1)}
                                </th>
                            }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        <tr class="lane-client">
                            <th scope="row">"Client"</th>
                            {cells(|_, s, _| {
                                let t = client_trades(s);
                                if t.is_empty() { return view! { <span class="muted">"—"</span> }.into_any() }
                                t.into_iter().map(|(text, stale)| view! {
                                    <div class="trade" class:stale=stale>{text}{stale.then_some(" ⚠ stale")}</div>
                                }).collect_view().into_any()
                            })}
                        </tr>
                        <tr class="lane-dealer">
                            <th scope="row">"Dealer"</th>
                            {(0..n).map(|i| {
                                let book = state.with(|r| r.steps[i].book);
                                let band = Memo::new(move |_| state.band(&book));
                                view! {
                                    <td class:current=move || is_current(i) class:future=move || { cursor.get() < i + 1 }
                                        on:click=move |_| cursor.set(i + 1)>
                                        <div>"I " {format::btc_signed(book.i_client, d)}</div>
                                        <div><b>"R " {format::btc_signed(book.r_residual(), d)}</b></div>
                                        <div class=move || format!("band band-{}", band.get().name())>
                                            {move || format!("{} {}", band_glyph(band.get()), band.get().name())}
                                        </div>
                                    </td>
                                }
                            }).collect_view()}
                        </tr>
                        <tr class="lane-hedge">
                            <th scope="row">"Hedge"</th>
                            {cells(|_, s, _| {
                                let t = hedge_trades(s);
                                if t.is_empty() { return view! { <span class="muted">"no hedge"</span> }.into_any() }
                                t.into_iter().map(|text| view! { <div class="trade">{text}</div> }).collect_view().into_any()
                            })}
                        </tr>
                        <tr class="lane-engine">
                            <th scope="row">"Engine"</th>
                            {(0..n).map(|i| {
                                let action = Memo::new(move |_| mode(i));
                                let protective = move || action.get() >= ControlAction::ReduceWidenHedge;
                                view! {
                                    <td class:current=move || is_current(i) class:future=move || { cursor.get() < i + 1 }
                                        class:protective=protective>
                                        {move || format!("{} {}", if protective() { "■" } else { "●" }, action.get().label())}
                                    </td>
                                }
                            }).collect_view()}
                        </tr>
                    </tbody>
                </table>
            </div>
            <div class="callouts">
                {move || callouts().into_iter().map(|(title, text)| view! {
                    <div class="callout"><strong>{title}</strong><p>{text}</p></div>
                }).collect_view()}
            </div>
        </WidgetFrame>
    }
}

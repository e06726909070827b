//! The book trainer: four buttons move I_client and H_external, the live equation shows
//! R_residual, the band's guidance is in words, and every press says which number moved and why.
//!
//! This is the widget to read first: it is the smallest one and shows the pattern all of them
//! follow (1. plain core state in one signal, 2. derived views as closures, 3. the core does the
//! arithmetic and the wording, 4. the widget only lays it out).

use dealer_book::book::{BandLimits, Book, Trade};
use dealer_book::explain::trainer;
use dealer_book::format;
use dealer_book::num::{Price, Qty};
use dealer_book::settings::WidgetKind;
use leptos::prelude::*;

use crate::controls::{BandBadge, WidgetFrame};

/// The book trainer. Independent of the replay: it starts flat and keeps its own history.
#[component]
pub fn BookTrainer() -> impl IntoView {
    // 1. One signal holds the plain core state: the history of books (last = current) and of
    //    explanations, so undo is just a pop.
    let start = Book::new(Price::usd(100_000), Qty::ZERO, Qty::ZERO);
    let history = RwSignal::new(vec![(start, trainer::START.to_string())]);
    let qty_text = RwSignal::new(String::from("1"));
    let limits = BandLimits::default();

    // 2. Derived views.
    let book = move || history.with(|h| h.last().map(|(b, _)| *b).unwrap_or(start));
    let qty = Memo::new(move |_| qty_text.with(|t| trainer::parse_qty(t)));
    let decimals = move || {
        qty.with(|q| q.as_ref().map(|q| q.decimals()).unwrap_or(1))
            .max(1)
    };

    // 3. The core applies the trade and explains it.
    let press = move |trade: Trade| {
        let Ok(q) = qty.get_untracked() else { return };
        let mut next = book();
        let d = decimals();
        let said = trainer::press(trade, &mut next, q, d);
        history.update(|h| h.push((next, said)));
    };
    let moved = move |f: fn(&Book) -> Qty| {
        history.with(|h| {
            h.len() > 1
                && h.get(h.len().wrapping_sub(2))
                    .is_some_and(|(p, _)| f(p) != f(&h[h.len() - 1].0))
        })
    };

    // 4. Layout only.
    view! {
        <WidgetFrame title=WidgetKind::BookTrainer.title() kind="book-trainer" replay_keys=false>
            <p class="equation">
                <span class="term" class:moved=move || moved(|b| b.i_client)>
                    "I_client "
                    <b>{move || format::btc_signed(book().i_client, decimals())}</b>
                </span>
                " + "
                <span class="term" class:moved=move || moved(|b| b.h_external)>
                    "H_external "
                    <b>{move || format::btc_signed(book().h_external, decimals())}</b>
                </span>
                " = "
                <span class="term result" class:moved=move || moved(|b| b.r_residual())>
                    "R_residual "
                    <b>{move || format::btc_signed(book().r_residual(), decimals())}</b>
                </span>
            </p>
            <p class="trainer-band">
                <BandBadge band=Signal::derive(move || book().band(&limits)) />
                " "
                <span class="guidance">{move || trainer::guidance(&book(), &limits)}</span>
            </p>
            <div class="trainer-buttons" role="group" aria-label="Trades">
                <label class="qty">
                    <span>"Quantity (BTC)"</span>
                    <input
                        type="text"
                        inputmode="decimal"
                        size="8"
                        prop:value=move || qty_text.get()
                        on:input=move |ev| qty_text.set(event_target_value(&ev))
                        aria-invalid=move || qty.with(|q| q.is_err()).to_string()
                    />
                </label>
                {Trade::ALL
                    .into_iter()
                    .map(|t| {
                        view! {
                            <button
                                type="button"
                                class="btn"
                                on:click=move |_| press(t)
                                disabled=move || qty.with(|q| q.is_err())
                            >
                                {trainer::label(t)}
                            </button>
                        }
                    })
                    .collect_view()}
                <button
                    type="button"
                    class="btn btn-quiet"
                    on:click=move |_| {
                        history
                            .update(|h| {
                                if h.len() > 1 {
                                    h.pop();
                                }
                            })
                    }
                    disabled=move || history.with(|h| h.len() <= 1)
                >
                    "↶ Undo"
                </button>
                <button
                    type="button"
                    class="btn btn-quiet"
                    on:click=move |_| history.update(|h| h.truncate(1))
                    disabled=move || history.with(|h| h.len() <= 1)
                >
                    "Reset"
                </button>
            </div>
            <p class="qty-error" aria-live="polite">
                {move || qty.with(|q| q.as_ref().err().cloned())}
            </p>
            <p class="explanation" role="status" aria-live="polite">
                {move || history.with(|h| h.last().map(|(_, s)| s.clone()).unwrap_or_default())}
            </p>
        </WidgetFrame>
    }
}

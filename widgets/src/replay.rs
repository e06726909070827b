//! The interactive replay: the tape step by step with a volatility-regime selector and a
//! risk-aversion slider. For the book at the cursor it shows the engine's quote (bid and ask
//! drawn around fair value), skew, size, band and control action. Fills and PnL stay the tape's.

use dealer_book::explain;
use dealer_book::format;
use dealer_book::lesson::Lock;
use dealer_book::num::Price;
use dealer_book::quote::{shown_quote, Basis, Gamma, Quote, Regime, MAX_GAMMA_MILLI};
use dealer_book::settings::WidgetKind;
use leptos::prelude::*;

use crate::controls::{mark_redraw, BandBadge, ReplayState, WidgetFrame};
use crate::downloads::ReplayDownloads;
use crate::replay_controls::ReplayControls;

/// Regime radio buttons.
#[component]
pub fn RegimeSelector() -> impl IntoView {
    let state = expect_context::<ReplayState>();
    let name = format!("regime-{}", crate::controls::next_id());
    let locked = state.locked(Lock::Regime);
    view! {
        <fieldset class="regime" disabled=locked>
            <legend>"Volatility regime"{locked.then_some(" 🔒 locked for this lesson")}</legend>
            {Regime::ALL
                .into_iter()
                .map(|r| {
                    let name = name.clone();
                    view! {
                        <label class="radio">
                            <input
                                type="radio"
                                name=name
                                value=r.name()
                                prop:checked=move || state.regime.get() == r
                                on:change=move |_| state.regime.set(r)
                            />
                            <span>{r.name()}</span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// Risk-aversion slider (γ from 0 to 1).
#[component]
pub fn GammaSlider() -> impl IntoView {
    let state = expect_context::<ReplayState>();
    let id = format!("gamma-{}", crate::controls::next_id());
    let locked = state.locked(Lock::Gamma);
    view! {
        <div class="slider">
            <label for=id
                .clone()>
                "Risk aversion γ "
                <output>{move || format::thousandths(state.gamma.get().milli())}</output>
                {locked.then_some(" 🔒 locked")}
            </label>
            <input
                id=id
                type="range"
                disabled=locked
                min="0"
                max=MAX_GAMMA_MILLI
                step="10"
                prop:value=move || state.gamma.get().milli().to_string()
                on:input=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse::<u32>() {
                        state.gamma.set(Gamma::from_milli(v))
                    }
                }
            />
        </div>
    }
}

/// SVG price ladder: bid, ask, fresh fair, reservation and a stale reference on one axis.
/// With `model` (the Avellaneda–Stoikov bid, reservation and ask in cents, and its words) the
/// model's quote is drawn over the toy's, dashed, so the reader sees where the toy departs.
fn ladder(
    q: &Quote,
    fair: i64,
    reference: i64,
    model: Option<((i64, i64, i64), String)>,
    width: i64,
) -> impl IntoView {
    // One user unit is one CSS pixel down to 160 px wide, so the 12 px labels stay 12 px on a
    // phone (a fixed 600-unit drawing shrank them to 7 px at 390 px).
    let w = width.clamp(160, 600);
    let (mb, mr, ma) = model.as_ref().map(|m| m.0).unwrap_or((fair, fair, fair));
    let lo = [q.bid.cents(), fair, reference, q.reservation().cents(), mb]
        .into_iter()
        .min()
        .unwrap_or(fair);
    let hi = [q.ask.cents(), fair, reference, q.reservation().cents(), ma]
        .into_iter()
        .max()
        .unwrap_or(fair);
    let pad = ((hi - lo) / 6).max(2_000);
    let (lo, hi) = (lo - pad, hi + pad);
    // Integer SVG coordinates: no float formatting in the bundle.
    let x =
        move |p: i64| 10 + ((p - lo) as i128 * (w - 20) as i128 / (hi - lo).max(1) as i128) as i64;
    // Price labels stay inside the drawing (about 7 px per character at 12 px).
    let (bl, al) = (bx_label(q), ax_label(q));
    let (bx, ax, fx, rx, qx) = (
        x(q.bid.cents()),
        x(q.ask.cents()),
        x(fair),
        x(q.reservation().cents()),
        x(reference),
    );
    let stale = reference != fair;
    let label = match &model {
        Some((_, words)) => format!(
            "{}. {words}",
            explain::quote::ladder_label(q, Price::from_cents(fair))
        ),
        None => explain::quote::ladder_label(q, Price::from_cents(fair)),
    };
    let overlay = model.map(|_| (x(mb), x(mr), x(ma)));
    view! {
        <svg class="ladder" viewBox=format!("0 0 {w} 90") role="img" aria-label=label>
            <line x1="10" y1="50" x2=w - 10 y2="50" class="axis" />
            <rect x=bx y="38" width=(ax - bx).max(1) height="24" class="spread" />
            <line x1=fx y1="22" x2=fx y2="78" class="fair" />
            <text x=fx y="16" class="lbl" text-anchor="middle">
                "fair"
            </text>
            <line x1=rx y1="40" x2=rx y2="60" class="reservation" stroke-dasharray="3 2" />
            <text x=bx.max(2 + 7 * bl.chars().count() as i64) y="82" class="lbl" text-anchor="end">
                {bl.clone()}
            </text>
            <text
                x=ax.min(w - 2 - 7 * al.chars().count() as i64)
                y="82"
                class="lbl"
                text-anchor="start"
            >
                {al.clone()}
            </text>
            {stale
                .then(|| {
                    view! {
                        <line
                            x1=qx
                            y1="26"
                            x2=qx
                            y2="74"
                            class="stale-ref"
                            stroke-dasharray="5 3"
                        />
                        <text x=qx y="16" class="lbl stale" text-anchor="middle">
                            "stale ref"
                        </text>
                    }
                })}
            {overlay
                .map(|(b, r, a)| {
                    view! {
                        <rect
                            x=b
                            y="32"
                            width=(a - b).max(1)
                            height="36"
                            class="as-spread"
                            stroke-dasharray="6 3"
                        />
                        <line x1=r y1="28" x2=r y2="72" class="as-res" stroke-dasharray="2 2" />
                        <text x=r y="88" class="lbl as" text-anchor="middle">
                            "A–S"
                        </text>
                    }
                })}
        </svg>
    }
}

fn bx_label(q: &Quote) -> String {
    format!("bid {}", explain::quote::side(q.quoted_bid()))
}

fn ax_label(q: &Quote) -> String {
    format!("ask {}", explain::quote::side(q.quoted_ask()))
}

/// The spread as a stacked bar: the parts from [`explain::quote::spread_parts`], bid side on the
/// left of the reservation mark, ask side on the right, each labelled in its title and in the
/// figure's text alternative.
fn spread_bar(q: &Quote, width: i64) -> impl IntoView {
    let w = width.clamp(160, 600);
    let span = (w - 20) as i128;
    let parts = explain::quote::spread_parts(q);
    let total: i64 = parts.iter().map(|p| p.2).sum::<i64>().max(1);
    let bid: Vec<_> = parts
        .iter()
        .filter(|p| p.1 == explain::quote::Side::Bid)
        .rev()
        .cloned()
        .collect();
    let ask: Vec<_> = parts
        .iter()
        .filter(|p| p.1 == explain::quote::Side::Ask)
        .cloned()
        .collect();
    let mut x = 10i64;
    let mut rects = Vec::new();
    for (name, _, cents) in bid.into_iter().chain(ask) {
        let part = (cents as i128 * span / total as i128) as i64;
        rects.push((x, part.max(1), name, cents));
        x += part;
    }
    let mid = 10
        + (parts
            .iter()
            .filter(|p| p.1 == explain::quote::Side::Bid)
            .map(|p| p.2)
            .sum::<i64>() as i128
            * span
            / total as i128) as i64;
    view! {
        <svg
            class="spread-bar"
            viewBox=format!("0 0 {w} 44")
            role="img"
            aria-label=explain::quote::spread_parts_text(q)
        >
            {rects
                .into_iter()
                .map(|(x, w, name, cents)| {
                    view! {
                        <rect
                            x=x
                            y="6"
                            width=w
                            height="22"
                            class=format!("part part-{}", name.replace(' ', "-"))
                        >
                            <title>
                                {format!("{name} {}", format::price(Price::from_cents(cents)))}
                            </title>
                        </rect>
                    }
                })
                .collect_view()}
            <line x1=mid y1="2" x2=mid y2="32" class="reservation" />
            <text x="10" y="42" class="lbl">
                "bid side"
            </text>
            <text x=w - 10 y="42" class="lbl" text-anchor="end">
                "ask side"
            </text>
        </svg>
        <p class="fine spread-parts">{explain::quote::spread_parts_text(q)}</p>
    }
}

/// The interactive replay widget.
#[component]
pub fn InteractiveReplay() -> impl IntoView {
    let state = expect_context::<ReplayState>();
    let d = state.with(|r| r.qty_decimals);
    let book = Memo::new(move |_| state.with(|r| r.book_at(state.step())));
    // The quote customers can hit at the cursor: resting on a stale reference until the engine
    // notices, then the protective one (labelled either way).
    let q = Memo::new(move |_| shown_quote(&book.get(), &state.quote_params()));
    // Each event of the step with its worked calculation and the quote the engine makes right
    // after it (so the controls show on intermediate books too, e.g. R_residual -3 in step 2).
    let step = move || {
        let p = state.quote_params();
        state.with(|r| {
            r.step_at(state.step()).map(|s| {
                let events = s
                    .events
                    .iter()
                    .take(dealer_book::window::STEP_EVENTS)
                    .map(|e| {
                        (
                            dealer_book::explain::event::describe(&e.event),
                            e.contribution
                                .as_ref()
                                .map(dealer_book::explain::pnl::worked),
                            explain::quote::after_event(&e.book, &p, d),
                        )
                    })
                    .collect::<Vec<_>>();
                let more = dealer_book::window::more_events(s.events.len());
                (s.title.clone(), s.note.clone(), events, more)
            })
        })
    };
    // The equation panel: the worked formula for the quote at the cursor, lines that changed since
    // the last look marked; the spread as a stacked bar; the A–S overlay on request.
    let eq_open = RwSignal::new(false);
    // The drawings' widths in CSS pixels, so their labels keep their size (see `ladder`).
    let panel_box = NodeRef::<leptos::html::Div>::new();
    let eq_box = NodeRef::<leptos::html::Div>::new();
    let panel_width = crate::controls::measured_width(panel_box);
    let eq_width = crate::controls::measured_width(eq_box);
    let as_on = RwSignal::new(false);
    let prev_lines = StoredValue::new(Vec::<String>::new());
    let eq_lines = Memo::new(move |_| explain::quote::equation(&book.get(), &state.quote_params()));
    Effect::new(move |_| {
        q.track();
        state.gamma.track();
        state.regime.track();
        mark_redraw();
    });
    view! {
        <WidgetFrame title=WidgetKind::Replay.title() kind="replay">
            <ReplayControls />
            <div class="replay-settings">
                <RegimeSelector />
                <GammaSlider />
            </div>
            <div class="replay-left">
                <div class="replay-step">
                    {move || match step() {
                        None => {
                            view! {
                                <p>
                                    <b>{explain::replay::START}</b>
                                </p>
                            }
                                .into_any()
                        }
                        Some((title, note, events, more)) => {
                            view! {
                                <p>
                                    <b>{explain::replay::step_heading(state.step(), &title)}</b>
                                    {note.unwrap_or_default()}
                                </p>
                                <ol class="events">
                                    {events
                                        .into_iter()
                                        .map(|(what, calc, after)| {
                                            view! {
                                                <li>
                                                    {what}
                                                    {calc
                                                        .map(|c| {
                                                            view! {
                                                                <br />
                                                                <code class="calc">{c}</code>
                                                            }
                                                        })} <br /><span class="after-quote">{after}</span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                                {more.map(|m| view! { <p class="muted">{m}</p> })}
                            }
                                .into_any()
                        }
                    }}
                </div>
                <button
                    type="button"
                    class="btn eq-toggle"
                    aria-expanded=move || eq_open.get().to_string()
                    on:click=move |_| eq_open.update(|o| *o = !*o)
                >
                    "The quote's equation, term by term"
                </button>
                {move || {
                    eq_open
                        .get()
                        .then(|| {
                            view! {
                                <div
                                    class="equation-panel"
                                    role="region"
                                    aria-label="The quote's equation"
                                >
                                    <ol class="equation-lines">
                                        {move || {
                                            let lines = eq_lines.get();
                                            let prev = prev_lines.get_value();
                                            prev_lines.set_value(lines.clone());
                                            lines
                                                .into_iter()
                                                .enumerate()
                                                .map(|(k, l)| {
                                                    let changed = !prev.is_empty() && prev.get(k) != Some(&l);
                                                    view! {
                                                        <li class:changed=changed>
                                                            {changed.then_some("▸ changed: ")}{l}
                                                        </li>
                                                    }
                                                })
                                                .collect_view()
                                        }}
                                    </ol>
                                    <div node_ref=eq_box>
                                        {move || spread_bar(&q.get(), eq_width.get())}
                                    </div>
                                    <label class="as-toggle">
                                        <input
                                            type="checkbox"
                                            prop:checked=move || as_on.get()
                                            on:change=move |_| as_on.update(|v| *v = !*v)
                                        />
                                        " Compare with Avellaneda–Stoikov"
                                    </label>
                                    {move || {
                                        as_on
                                            .get()
                                            .then(|| {
                                                view! {
                                                    <ul class="as-lines">
                                                        {explain::quote::avellaneda_stoikov_lines(
                                                                &book.get(),
                                                                &state.quote_params(),
                                                            )
                                                            .into_iter()
                                                            .map(|l| view! { <li>{l}</li> })
                                                            .collect_view()}
                                                    </ul>
                                                }
                                            })
                                    }}
                                </div>
                            }
                        })
                }}
            </div>
            <div class="quote-panel" node_ref=panel_box>
                <p
                    class="quote-basis"
                    class:stale=move || q.get().basis != Basis::Fresh
                    class:fresh=move || q.get().basis == Basis::Fresh
                >
                    {move || explain::quote::basis_label(&q.get(), &book.get())}
                </p>
                {move || {
                    let b = book.get();
                    let p = state.quote_params();
                    let model = (eq_open.get() && as_on.get())
                        .then(|| {
                            (
                                dealer_book::quote::avellaneda_stoikov(&b, &p).quote_cents(),
                                explain::quote::as_ladder_label(&b, &p),
                            )
                        });
                    ladder(&q.get(), b.fair.cents(), b.quote_ref.cents(), model, panel_width.get())
                }}
                <dl class="quote-facts">
                    <div>
                        <dt>"Bid / ask"</dt>
                        <dd>
                            {move || {
                                format!(
                                    "{} / {}",
                                    explain::quote::side(q.get().quoted_bid()),
                                    explain::quote::side(q.get().quoted_ask()),
                                )
                            }}
                        </dd>
                    </div>
                    <div>
                        <dt>"Spread"</dt>
                        <dd>{move || explain::quote::spread(&q.get())}</dd>
                    </div>
                    <div>
                        <dt>"Skew (reservation − fair)"</dt>
                        <dd>{move || format::price_delta(q.get().skew_cents)}</dd>
                    </div>
                    <div>
                        <dt>"Size"</dt>
                        <dd>{move || format!("{} BTC", format::qty(q.get().size))}</dd>
                    </div>
                    <div>
                        <dt>"R_residual"</dt>
                        <dd>{move || format::btc_signed(book.get().r_residual(), d)}</dd>
                    </div>
                    <div>
                        <dt>"Band"</dt>
                        <dd>
                            <BandBadge band=Signal::derive(move || q.get().band) />
                        </dd>
                    </div>
                    <div>
                        <dt>"Control action"</dt>
                        <dd class="action">{move || q.get().action.label()}</dd>
                    </div>
                    <div class="proxy-row">
                        <dt>"Inventory risk proxy"</dt>
                        <dd>
                            {move || explain::replay::risk_proxy(&book.get(), state.regime.get())}
                        </dd>
                    </div>
                </dl>
                {move || {
                    explain::quote::gamma_note(&book.get(), &state.quote_params())
                        .map(|n| view! { <p class="fine gamma-note">{n}</p> })
                }}
                <p class="fine">
                    {move || {
                        let pnl = state.with(|r| r.pnl_at(state.step()).total());
                        explain::replay::quote_fine_print(&q.get(), state.regime.get(), pnl)
                    }}
                </p>

            </div>
            <ReplayDownloads />
        </WidgetFrame>
    }
}

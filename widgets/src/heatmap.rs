//! InternalizationHeatmap: the core's internalize/hedge policy drawn over two inputs the reader
//! chooses, with the other three as sliders. Each action has a colour *and* a pixel pattern; the
//! operating point is marked; arrow keys or the mouse pick a cell whose reason is given in words.
//! It also shows the inventory risk proxy of the replay's current step in each regime.

use dealer_book::explain;
use dealer_book::format;
use dealer_book::lesson::Lock;
use dealer_book::policy::{
    decide, Action, Decision, Hedge, Input, Inputs, Level, QuoteStance, MAX_LEVEL,
};
use dealer_book::quote::Regime;
use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::{Clamped, JsCast};

use crate::controls::{mark_redraw, ReplayState, WidgetFrame};
use dealer_book::settings::WidgetKind;

/// Cells per axis.
pub const CELLS: usize = 64;
/// Pixels per cell edge in the canvas bitmap.
const CELL_PX: usize = 5;
const SIZE: usize = CELLS * CELL_PX;

/// Base colour of an action.
pub fn color(a: Action) -> [u8; 3] {
    match a {
        Action::Internalize => [0x2e, 0x7d, 0x32],
        Action::Skew => [0x8b, 0xc3, 0x4a],
        Action::PartialHedge => [0xf9, 0xc8, 0x2b],
        Action::FullHedge => [0xef, 0x7c, 0x00],
        Action::Widen => [0xc6, 0x28, 0x28],
        Action::Pause => [0x4a, 0x14, 0x8c],
    }
}

/// True where the action's pattern puts dark ink at (x, y) inside a 5 x 5 tile.
pub fn pattern_ink(a: Action, x: usize, y: usize) -> bool {
    match a {
        Action::Internalize => false,              // solid
        Action::Skew => (x + y).is_multiple_of(5), // diagonal hatch
        Action::PartialHedge => x == 2 && y == 2,  // dots
        Action::FullHedge => y == 2,               // horizontal stripes
        Action::Widen => x == 2,                   // vertical stripes
        Action::Pause => x == y || x + y == 4,     // crosses
    }
}

/// Pattern name for the legend's text.
pub fn pattern_name(a: Action) -> &'static str {
    match a {
        Action::Internalize => "solid",
        Action::Skew => "diagonal hatch",
        Action::PartialHedge => "dots",
        Action::FullHedge => "horizontal stripes",
        Action::Widen => "vertical stripes",
        Action::Pause => "crosses",
    }
}

/// True where a cell's tile carries the mark of a decision its label does not name: along the
/// bottom edge when a quote label (`skew`, `widen`, `pause`) also hedges (dashed: partly, solid:
/// fully), along the right edge when a hedge label also leans the quotes (dashed: skew, solid:
/// widen). So no action in a cell is shown by colour alone or hidden.
pub fn extra_ink(d: &Decision, x: usize, y: usize) -> bool {
    let dashed = |i: usize| i.is_multiple_of(2);
    let quote_label = matches!(d.action, Action::Skew | Action::Widen | Action::Pause);
    let hedge_label = matches!(d.action, Action::PartialHedge | Action::FullHedge);
    let bottom = quote_label
        && y == CELL_PX - 1
        && match d.hedge {
            Hedge::None => false,
            Hedge::Partial => dashed(x),
            Hedge::Full => true,
        };
    let right = hedge_label
        && x == CELL_PX - 1
        && match d.quote {
            QuoteStance::Skew => dashed(y),
            QuoteStance::Widen => true,
            _ => false,
        };
    bottom || right
}

/// The input level of cell `i` (0..CELLS).
pub fn level_of(i: usize) -> Level {
    (i.min(CELLS - 1) * MAX_LEVEL as usize / (CELLS - 1)) as Level
}

/// The cell nearest a level.
pub fn cell_of(level: Level) -> usize {
    ((level.min(MAX_LEVEL) as usize * (CELLS - 1) + MAX_LEVEL as usize / 2) / MAX_LEVEL as usize)
        .min(CELLS - 1)
}

/// Inputs at cell (cx, cy) of the grid for axes x, y.
pub fn inputs_at(base: Inputs, x: Input, y: Input, cx: usize, cy: usize) -> Inputs {
    base.with(x, level_of(cx)).with(y, level_of(cy))
}

/// Fills an RGBA bitmap (SIZE x SIZE) with the policy; row 0 at the top is the *highest* y level.
pub fn render(base: Inputs, x: Input, y: Input, rgba: &mut [u8]) {
    for cy in 0..CELLS {
        for cx in 0..CELLS {
            let d = decide(&inputs_at(base, x, y, cx, cy));
            let a = d.action;
            let [r, g, b] = color(a);
            let top = (CELLS - 1 - cy) * CELL_PX;
            for py in 0..CELL_PX {
                let row = (top + py) * SIZE;
                for px in 0..CELL_PX {
                    let i = (row + cx * CELL_PX + px) * 4;
                    let ink = pattern_ink(a, px, py);
                    let extra = extra_ink(&d, px, py);
                    let k = |c: u8| {
                        if extra {
                            (c as u16 / 6) as u8
                        } else if ink {
                            (c as u16 * 9 / 20) as u8
                        } else {
                            c
                        }
                    };
                    rgba[i] = k(r);
                    rgba[i + 1] = k(g);
                    rgba[i + 2] = k(b);
                    rgba[i + 3] = 255;
                }
            }
        }
    }
}

fn context(canvas: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten()?.dyn_into().ok()
}

fn paint(
    canvas: &web_sys::HtmlCanvasElement,
    rgba: &mut Vec<u8>,
    base: Inputs,
    x: Input,
    y: Input,
    op: (usize, usize),
    focus: Option<(usize, usize)>,
) {
    rgba.resize(SIZE * SIZE * 4, 0);
    render(base, x, y, rgba);
    let Some(ctx) = context(canvas) else { return };
    if let Ok(img) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
        Clamped(rgba.as_slice()),
        SIZE as u32,
        SIZE as u32,
    ) {
        let _ = ctx.put_image_data(&img, 0.0, 0.0);
    }
    let centre = |(cx, cy): (usize, usize)| {
        (
            (cx * CELL_PX) as f64 + 2.5,
            ((CELLS - 1 - cy) * CELL_PX) as f64 + 2.5,
        )
    };
    // Operating point: a white-and-black ring.
    let (ox, oy) = centre(op);
    for (w, c) in [(4.0, "#000"), (2.0, "#fff")] {
        ctx.set_line_width(w);
        ctx.set_stroke_style_str(c);
        ctx.begin_path();
        let _ = ctx.arc(ox, oy, 9.0, 0.0, std::f64::consts::TAU);
        ctx.stroke();
    }
    if let Some(f) = focus {
        let (fx, fy) = centre(f);
        for (w, c) in [(3.0, "#000"), (1.5, "#fff")] {
            ctx.set_line_width(w);
            ctx.set_stroke_style_str(c);
            ctx.stroke_rect(fx - 6.0, fy - 6.0, 12.0, 12.0);
        }
    }
    mark_redraw();
}

fn swatch(a: Action) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let Some(c) = canvas.get() else { return };
        let Some(ctx) = context(&c) else { return };
        let mut px = vec![0u8; 20 * 20 * 4];
        let [r, g, b] = color(a);
        for y in 0..20 {
            for x in 0..20 {
                let ink = pattern_ink(a, x % 5, y % 5);
                let k = |v: u8| if ink { (v as u16 * 9 / 20) as u8 } else { v };
                let i = (y * 20 + x) * 4;
                px[i..i + 4].copy_from_slice(&[k(r), k(g), k(b), 255]);
            }
        }
        if let Ok(img) =
            web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(px.as_slice()), 20, 20)
        {
            let _ = ctx.put_image_data(&img, 0.0, 0.0);
        }
    });
    view! { <canvas node_ref=canvas width="20" height="20" class="swatch" aria-hidden="true"></canvas> }
}

/// A select for one axis.
fn axis_select(
    label: &'static str,
    axis: RwSignal<Input>,
    other: RwSignal<Input>,
    locked: bool,
) -> impl IntoView {
    view! {
        <label class="axis-select">
            <span>{label}{locked.then_some(" 🔒 locked")}</span>
            <select
                disabled=locked
                prop:value=move || axis.get().key()
                on:change=move |ev| {
                    if let Some(i) = Input::from_key(&event_target_value(&ev)) {
                        if i == other.get_untracked() {
                            other.set(axis.get_untracked());
                        }
                        axis.set(i);
                    }
                }
            >
                {Input::ALL
                    .into_iter()
                    .map(|i| {
                        view! { <option value=i.key()>{explain::policy::input_label(i)}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// The InternalizationHeatmap widget.
#[component]
pub fn InternalizationHeatmap() -> impl IntoView {
    let state = expect_context::<ReplayState>();
    let (levels, x, y) = (state.levels, state.x, state.y);
    let canvas = NodeRef::<Canvas>::new();
    let focus = RwSignal::new(None::<(usize, usize)>);
    // The trace opens when a cell is chosen (click or Enter) and by its own button.
    let why_open = RwSignal::new(false);
    let op =
        Memo::new(move |_| levels.with(|l| (cell_of(l.get(x.get())), cell_of(l.get(y.get())))));
    let mut buffer = Vec::new();
    Effect::new(move |_| {
        let (base, xa, ya, o, f) = (levels.get(), x.get(), y.get(), op.get(), focus.get());
        if let Some(c) = canvas.get() {
            paint(&c, &mut buffer, base, xa, ya, o, f);
        }
    });
    // The focused or hovered cell, else the operating point itself (exact levels, not its cell).
    let shown = move || {
        let i = match focus.get() {
            Some((cx, cy)) => inputs_at(levels.get(), x.get(), y.get(), cx, cy),
            None => levels.get(),
        };
        (i, decide(&i), focus.get().is_some())
    };
    let set_op = move |(cx, cy): (usize, usize)| {
        why_open.set(true);
        // A level a lesson locked stays where the link put it.
        let (xa, ya) = (x.get_untracked(), y.get_untracked());
        levels.update(|l| {
            for (axis, cell) in [(xa, cx), (ya, cy)] {
                if !state.locked(Lock::Level(axis)) {
                    *l = l.with(axis, level_of(cell));
                }
            }
        });
    };
    let cell_at = move |ev: &leptos::ev::MouseEvent| -> Option<(usize, usize)> {
        let c = canvas.get_untracked()?;
        let rect = c.get_bounding_client_rect();
        let fx = (ev.client_x() as f64 - rect.left()) / rect.width().max(1.0);
        let fy = (ev.client_y() as f64 - rect.top()) / rect.height().max(1.0);
        if !(0.0..1.0).contains(&fx) || !(0.0..1.0).contains(&fy) {
            return None;
        }
        Some((
            (fx * CELLS as f64) as usize,
            CELLS - 1 - (fy * CELLS as f64) as usize,
        ))
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let (cx, cy) = focus.get_untracked().unwrap_or_else(|| op.get_untracked());
        let big = if ev.shift_key() { 8 } else { 1 };
        let next = match ev.key().as_str() {
            "ArrowLeft" => (cx.saturating_sub(big), cy),
            "ArrowRight" => ((cx + big).min(CELLS - 1), cy),
            "ArrowUp" => (cx, (cy + big).min(CELLS - 1)),
            "ArrowDown" => (cx, cy.saturating_sub(big)),
            "Home" => (0, 0),
            "End" => (CELLS - 1, CELLS - 1),
            "Enter" | " " => {
                set_op((cx, cy));
                ev.prevent_default();
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        focus.set(Some(next));
    };
    let others = move || {
        Input::ALL
            .into_iter()
            .filter(|i| *i != x.get() && *i != y.get())
            .collect::<Vec<_>>()
    };
    let proxy = move || {
        let c = state.step();
        let b = state.with(|r| r.book_at(c));
        let d = state.with(|r| r.qty_decimals);
        let per: Vec<(Regime, String)> = Regime::ALL
            .into_iter()
            .map(|g| (g, explain::replay::risk_proxy(&b, g)))
            .collect();
        (explain::replay::risk_proxy_intro(c, &b, d), per)
    };
    view! {
        <WidgetFrame title=WidgetKind::Heatmap.title() kind="heatmap" replay_keys=false>
            <div class="heatmap-layout">
                <div class="heatmap-controls">
                    {axis_select("Horizontal axis", x, y, state.locked(Lock::Axes))}
                    {axis_select("Vertical axis", y, x, state.locked(Lock::Axes))}
                    {move || {
                        others()
                            .into_iter()
                            .map(|input| {
                                let id = format!(
                                    "hm-{}-{}",
                                    input.key(),
                                    crate::controls::next_id(),
                                );
                                let (lo, hi) = explain::policy::input_ends(input);
                                let locked = state.locked(Lock::Level(input));
                                view! {
                                    <div class="slider">
                                        <label for=id
                                            .clone()>
                                            {explain::policy::input_label(input)}" "
                                            <output>
                                                {move || format::thousandths(
                                                    levels.get().get(input) as u32,
                                                )}
                                            </output>{locked.then_some(" 🔒 locked")}
                                        </label>
                                        <input
                                            id=id
                                            type="range"
                                            disabled=locked
                                            min="0"
                                            max="1000"
                                            step="10"
                                            prop:value=move || levels.get().get(input).to_string()
                                            aria-valuetext=move || explain::policy::slider_value_text(
                                                input,
                                                levels.get().get(input),
                                            )
                                            on:input=move |ev| {
                                                if let Ok(v) = event_target_value(&ev).parse::<u16>() {
                                                    levels.update(|l| *l = l.with(input, v))
                                                }
                                            }
                                        />
                                        <span class="ends" aria-hidden="true">
                                            <span>{lo}</span>
                                            <span>{hi}</span>
                                        </span>
                                    </div>
                                }
                            })
                            .collect_view()
                    }}
                </div>
                <div class="heatmap-figure">
                    <div class="y-label" aria-hidden="true">
                        {move || format!("↑ {}", explain::policy::axis_caption(y.get()))}
                    </div>
                    <div
                        class="heatmap-surface"
                        data-own-keys="true"
                        tabindex="0"
                        role="application"
                        aria-roledescription="heatmap"
                        aria-label=move || explain::policy::surface_label(x.get(), y.get())
                        on:keydown=on_key
                        on:blur=move |_| focus.set(None)
                        on:mousemove=move |ev| focus.set(cell_at(&ev))
                        on:mouseleave=move |_| focus.set(None)
                        on:click=move |ev| {
                            if let Some(c) = cell_at(&ev) {
                                set_op(c)
                            }
                        }
                    >
                        <canvas
                            node_ref=canvas
                            width=SIZE
                            height=SIZE
                            class="heatmap-canvas"
                        ></canvas>
                    </div>
                    <div class="x-label" aria-hidden="true">
                        {move || format!("{} →", explain::policy::axis_caption(x.get()))}
                    </div>
                </div>
                <crate::downloads::ChartDownloads canvas=canvas name="heatmap" what="heatmap" />
            </div>
            <p class="hm-reason" role="status" aria-live="polite">
                {move || {
                    let (i, d, focused) = shown();
                    view! {
                        <span class="hm-pair">
                            {explain::policy::cell_head(focused, x.get(), y.get(), &i)}
                        </span>
                        " "
                        <span class="hm-because">{explain::policy::reason(&d, &i)}</span>
                    }
                }}
            </p>
            <button
                type="button"
                class="btn hm-why-toggle"
                aria-expanded=move || why_open.get().to_string()
                on:click=move |_| why_open.update(|o| *o = !*o)
            >
                "Why this cell, and what would change it"
            </button>
            {move || {
                why_open
                    .get()
                    .then(|| {
                        let (i, d, _) = shown();
                        let rows = explain::policy::trace(&d, &i);
                        let changes = explain::policy::what_would_change(&i);
                        let regime = state.regime.get();
                        let like = state.with(|r| dealer_book::policy::step_like(r, regime, &i));
                        view! {
                            <div class="hm-why" role="region" aria-label="Why this cell">
                                <p class="hm-rules">{explain::policy::rules_fired(&d)}</p>
                                <div
                                    class="table-scroll"
                                    tabindex="0"
                                    role="region"
                                    aria-label="Each input against its threshold, scrolls sideways"
                                >
                                    <table class="hm-trace">
                                        <caption class="sr-only">
                                            "Each input, its level, the threshold it was compared with and what that decided"
                                        </caption>
                                        <thead>
                                            <tr>
                                                <th scope="col">"Input"</th>
                                                <th scope="col">"Level"</th>
                                                <th scope="col">"Threshold"</th>
                                                <th scope="col">"What it decided"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {rows
                                                .into_iter()
                                                .map(|r| {
                                                    view! {
                                                        <tr>
                                                            <th scope="row">{explain::policy::input_label(r.input)}</th>
                                                            <td>{explain::policy::level(r.level)}</td>
                                                            <td>{explain::policy::level(r.threshold)}</td>
                                                            <td>{r.decides}</td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <p class="hm-change-title">"What would change the answer:"</p>
                                <ul class="hm-changes">
                                    {changes
                                        .into_iter()
                                        .map(|c| view! { <li>{c}</li> })
                                        .collect_view()}
                                </ul>
                                {match like {
                                    Some(step) if state.predicting() => {
                                        // In predict mode a jump would show a step before the class is asked.
                                        view! {
                                            <p class="hm-show-me-none">
                                                {explain::policy::show_me_predicting(step)}
                                            </p>
                                        }
                                            .into_any()
                                    }
                                    Some(step) => {
                                        view! {
                                            <button
                                                type="button"
                                                class="btn hm-show-me"
                                                on:click=move |_| {
                                                    state.go_to(step);
                                                    if let Some(el) = web_sys::window()
                                                        .and_then(|w| w.document())
                                                        .and_then(|doc| {
                                                            doc.query_selector(&format!("[data-step=\"{step}\"]"))
                                                                .ok()
                                                                .flatten()
                                                        })
                                                    {
                                                        el.scroll_into_view();
                                                    }
                                                }
                                            >
                                                {explain::policy::show_me(Some(step), d.action)}
                                            </button>
                                        }
                                            .into_any()
                                    }
                                    None => {
                                        view! {
                                            <p class="hm-show-me-none">
                                                {explain::policy::show_me(None, d.action)}
                                            </p>
                                        }
                                            .into_any()
                                    }
                                }}
                            </div>
                        }
                    })
            }}
            <ul class="legend" aria-label="Legend">
                {Action::ALL
                    .into_iter()
                    .map(|a| {
                        view! {
                            <li class:current=move || {
                                shown().1.action == a
                            }>
                                {swatch(a)}<code>{a.key()}</code>
                                <span class="pattern">{format!("({})", pattern_name(a))}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p class="legend-note">{explain::policy::HEATMAP_MARKS}</p>
            <div class="risk-proxy">
                {move || {
                    let (intro, per) = proxy();
                    view! {
                        <p>
                            {intro}
                            {per
                                .into_iter()
                                .map(|(g, v)| {
                                    view! {
                                        <span
                                            class="proxy"
                                            class:current=move || state.regime.get() == g
                                        >
                                            {format!("{} {v}", g.name())}
                                        </span>
                                    }
                                })
                                .collect_view()}
                        </p>
                    }
                }}
            </div>
        </WidgetFrame>
    }
}

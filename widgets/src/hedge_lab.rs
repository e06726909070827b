//! The hedge-rule lab: "what if the dealer had hedged differently?"
//!
//! - **Exact panel**: the tape as written next to never hedging, hedging to the band and hedging
//!   flat ([`dealer_book::lab::Exact`]): the four buckets and net at the shared cursor with each
//!   rule's difference against the tape, the `R_residual` path of each over the steps (cursor
//!   marked), and each path's risk.
//! - **Distribution panel**: total PnL of every rule over many simulated paths
//!   ([`dealer_book::lab::distribution`], one seed for all rules), as histograms with the mean,
//!   ±1 standard deviation and the worst 5% marked, and as a table with the model's exact mean
//!   and standard deviation, simulated figures with their standard error, and each rule's
//!   certainty equivalent for a risk aversion the reader sets, ranked, with the break-even risk
//!   aversions. Sliders set the hedge cost, the paths and the risk aversion; the regime is the
//!   shared one (the band rule hedges to its green limit).
//!
//! The core computes everything; this file lays it out and draws it.

use std::ops::ControlFlow;

use dealer_book::explain::lab as words;
use dealer_book::format;
use dealer_book::hedge_rule::HedgeRule;
use dealer_book::lab::{
    best_rule, lab_paths, tape_of, Distribution, DistributionRun, Exact, LAB_RULES, LAB_SEED,
    MAX_LAB_PATHS,
};
use dealer_book::num::{Money, Price};
use dealer_book::pnl::Bucket;
use dealer_book::settings::WidgetKind;
use dealer_book::settings::MIN_LAB_PATHS;
use dealer_book::stats::from_cents;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

use crate::controls::{later_part, mark_redraw, next_id, FirstInFrame, ReplayState, WidgetFrame};
use crate::downloads::{ChartDownloads, ReplayDownloads};
use crate::lab_charts::{draw_histograms, draw_r_paths, svg, HIST_ROW_PX, RULE_GLYPHS};
use crate::replay::RegimeSelector;
use crate::replay_controls::ReplayControls;

/// Classes of the distribution table's columns after the mean (presentation mode keeps `keep`).
const DIST_COLS: [&str; 4] = ["p05", "cost", "vs", "keep ce"];

/// Engine events simulated per slice: a few milliseconds (under 50 with the CPU slowed 4×), so
/// the page answers input and scrolls while a run goes on.
const SLICE_EVENTS: usize = 25_000;

/// A run that ends within this many slices (the chapter's tape: about 80,000 events, a few
/// frames) shows no progress bar and keeps the last result undimmed: both would only flicker.
const QUIET_SLICES: usize = 4;

/// Simulates one slice: the result once the run has ended, or the run to continue.
fn slice(mut run: DistributionRun) -> ControlFlow<Result<Distribution, String>, DistributionRun> {
    match run.advance(SLICE_EVENTS) {
        Err(e) => ControlFlow::Break(Err(e.to_string())),
        Ok(true) => ControlFlow::Break(Ok(run.finish())),
        Ok(false) => ControlFlow::Continue(run),
    }
}

/// Waits for the next turn of the browser's event loop (input and painting come first).
async fn next_turn() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Height of the R_residual chart in CSS pixels.
const R_CHART_PX: u32 = 180;
/// Largest hedge cost on the slider, in dollars (the URL accepts more).
const COST_SLIDER_MAX: i64 = 200;

fn unsigned(m: Money) -> String {
    format::money(m).trim_start_matches('+').to_string()
}

fn rule_index(rule: HedgeRule) -> usize {
    LAB_RULES.iter().position(|&r| r == rule).unwrap_or(0)
}

/// Sizes a canvas's bitmap for the device pixel ratio and hands plotters its backend, with the
/// ink to draw in.
fn backend(canvas: &web_sys::HtmlCanvasElement, css_h: u32) -> Option<(CanvasBackend, RGBColor)> {
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .max(1.0);
    let css_w = canvas.client_width().max(200) as f64;
    canvas.set_width((css_w * dpr) as u32);
    canvas.set_height((css_h as f64 * dpr) as u32);
    CanvasBackend::with_canvas_object(canvas.clone()).map(|b| (b, crate::controls::ink(canvas)))
}

/// A panel heading one level below the widget's title (h3 on single-widget pages, h4 in the chapter).
#[component]
fn SubHeading(
    /// The heading text.
    text: Signal<String>,
) -> impl IntoView {
    let level = use_context::<crate::controls::TitleLevel>()
        .map(|l| l.0)
        .unwrap_or(3);
    if level == 2 {
        view! { <h3 class="lab-heading">{move || text.get()}</h3> }.into_any()
    } else {
        view! { <h4 class="lab-heading">{move || text.get()}</h4> }.into_any()
    }
}

/// A chart's numbers as a table, one column per rule: the chart's text alternative, folded.
#[component]
fn RuleTable(
    /// The fold's line.
    summary: &'static str,
    /// The heading of the first column (what each row is).
    first: &'static str,
    /// Each row: its heading and one cell per rule.
    rows: Signal<Vec<(String, Vec<String>)>>,
) -> impl IntoView {
    view! {
        <details class="lab-table-alt">
            <summary>{summary}</summary>
            <table>
                <thead>
                    <tr>
                        <th scope="col">{first}</th>
                        {LAB_RULES
                            .iter()
                            .map(|r| view! { <th scope="col">{r.label()}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        rows.get()
                            .into_iter()
                            .map(|(head, cells)| {
                                view! {
                                    <tr>
                                        <th scope="row">{head}</th>
                                        {cells
                                            .into_iter()
                                            .map(|c| view! { <td>{c}</td> })
                                            .collect_view()}
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </details>
    }
}

/// The hedge-lab widget.
#[component]
pub fn HedgeLab() -> impl IntoView {
    let state = expect_context::<ReplayState>();
    let tape = StoredValue::new(state.with(tape_of));
    let exact = Memo::new(move |_| {
        let (cost, regime) = (state.cost.get(), state.regime.get());
        tape.with_value(|t| Exact::new(t, cost, regime))
            .map_err(|e| e.to_string())
    });
    // The distribution: simulated in slices of about SLICE_EVENTS engine events, one per turn of
    // the browser's event loop, with a progress bar; a control change drops the run in progress.
    // `dist` keeps the last finished result (shown dimmed while a new one runs); an empty error
    // means none yet (or none for this tape: `budget` says why).
    let dist = RwSignal::new(Err::<Distribution, String>(String::new()));
    let progress = RwSignal::new(None::<(usize, usize)>);
    // A run is going on (`aria-busy` on the distribution panel), shown or quiet.
    let busy = RwSignal::new(false);
    let budget = RwSignal::new(None::<String>);
    let generation = StoredValue::new(0u64);
    // The paths actually simulated: the slider's, or fewer when the tape is long (the budget).
    let events = tape.with_value(|t| t.event_count());
    let simulated_paths = Memo::new(move |_| lab_paths(events, state.paths.get()).0.unwrap_or(0));
    Effect::new(move |_| {
        let (cost, regime, asked) = (state.cost.get(), state.regime.get(), state.paths.get());
        let run_id = generation.get_value() + 1;
        generation.set_value(run_id);
        let (paths, note) = lab_paths(events, asked);
        budget.set(note.map(|n| n.to_string()));
        let Some(paths) = paths else {
            progress.set(None);
            busy.set(false);
            dist.set(Err(String::new()));
            return;
        };
        // The result, shown once a run ends (finished or failed).
        let done = move |result: Result<Distribution, String>| {
            progress.set(None);
            busy.set(false);
            dist.set(result);
        };
        let mut run =
            match tape.with_value(|t| DistributionRun::new(t, cost, regime, paths, LAB_SEED)) {
                Ok(run) => run,
                Err(e) => return done(Err(e.to_string())),
            };
        // Every slice runs in a turn of its own, the first too: not inside the task that mounts
        // the widget or handles the control that changed.
        busy.set(true);
        // A bar still showing (a long run dropped for this one) shows this run from now on.
        if progress.get_untracked().is_some() {
            progress.set(Some(run.progress()));
        }
        leptos::task::spawn_local(async move {
            let mut slices = 0;
            loop {
                next_turn().await;
                // Dropped: a newer run started, or the widget is gone.
                if generation.try_get_value() != Some(run_id) {
                    return;
                }
                match slice(run) {
                    ControlFlow::Break(result) => return done(result),
                    ControlFlow::Continue(more) => {
                        slices += 1;
                        if slices >= QUIET_SLICES {
                            progress.set(Some(more.progress()));
                        }
                        run = more;
                    }
                }
            }
        });
    });
    let highlight = Memo::new(move |_| rule_index(state.rule.get()));
    let lambda = RwSignal::new(words::DEFAULT_LAMBDA);
    // Which panel presentation mode shows (the page shows both otherwise).
    let show_dist = RwSignal::new(true);
    let green = Memo::new(move |_| {
        let limits = state.with(|r| r.limits);
        dealer_book::quote::regime_limits(&limits, state.regime.get())
            .green_max
            .as_f64()
    });

    // Charts: redrawn when their data, the cursor, the highlight or the window size change.
    let r_canvas = NodeRef::<Canvas>::new();
    let h_canvas = NodeRef::<Canvas>::new();
    let resized = crate::controls::repaint_ticks();
    let r_paths = move || {
        exact.with(|e| match e {
            Ok(e) => (
                (0..LAB_RULES.len())
                    .map(|i| e.r_path(i).iter().map(|q| q.as_f64()).collect())
                    .collect::<Vec<Vec<f64>>>(),
                e.max_abs_r().as_f64(),
            ),
            Err(_) => (Vec::new(), 1.0),
        })
    };
    let mut soon = FirstInFrame::new();
    Effect::new(move |_| {
        resized.track();
        let (paths, max) = r_paths();
        let (cursor, hl, green) = (state.step(), highlight.get(), green.get());
        let Some(canvas) = r_canvas.get() else { return };
        soon.run(move || {
            if let Some((b, ink)) = backend(&canvas, R_CHART_PX) {
                let _ = draw_r_paths(&b.into_drawing_area(), &paths, max, green, cursor, hl, ink);
            }
            mark_redraw();
        });
    });
    let mut soon_hist = FirstInFrame::new();
    Effect::new(move |_| {
        resized.track();
        let hl = highlight.get();
        dist.track();
        let Some(canvas) = h_canvas.get() else { return };
        soon_hist.run(move || {
            // Read when drawn (the run may have finished since): no copy of the result.
            // `try_`: the widget may be gone by the frame.
            dist.try_with_untracked(|d| {
                if let (Ok(d), Some((b, ink))) = (d, backend(&canvas, HIST_ROW_PX * 4)) {
                    let _ =
                        draw_histograms(&b.into_drawing_area(), &d.histogram, &d.stats, hl, ink);
                }
            });
            mark_redraw();
        });
    });
    let r_svg = Callback::new(move |_| {
        let (paths, max) = r_paths();
        let (cursor, hl) = (state.step_untracked(), highlight.get_untracked());
        let green = green.get_untracked();
        svg((720, R_CHART_PX), |a| {
            let _ = draw_r_paths(
                a,
                &paths,
                max,
                green,
                cursor,
                hl,
                RGBColor(0x22, 0x22, 0x22),
            );
        })
    });
    let h_svg = Callback::new(move |_| {
        let hl = highlight.get_untracked();
        dist.with_untracked(|d| match d {
            Ok(d) => svg((720, HIST_ROW_PX * 4), |a| {
                let _ = draw_histograms(a, &d.histogram, &d.stats, hl, RGBColor(0x22, 0x22, 0x22));
            }),
            Err(_) => String::new(),
        })
    });

    let dist_part = later_part();
    let cost_id = format!("lab-cost-{}", next_id());
    let paths_id = format!("lab-paths-{}", next_id());
    let rule_id = format!("lab-rule-{}", next_id());
    let d = state.with(|r| r.qty_decimals);

    // The exact table at the cursor: one row per bucket and the net, one column per rule.
    let exact_rows = move || {
        let c = state.step();
        exact.with(|e| {
            let Ok(e) = e else { return Vec::new() };
            let labels = Bucket::ALL
                .map(|b| b.label())
                .into_iter()
                .chain(["Net PnL"]);
            labels
                .enumerate()
                .map(|(row, label)| {
                    let cells: Vec<(String, Option<String>)> = (0..LAB_RULES.len())
                        .map(|i| {
                            let p = e.pnl_at(i, c);
                            let v = if row < 4 {
                                p.get(Bucket::ALL[row])
                            } else {
                                p.total()
                            };
                            let diff = (i > 0).then(|| format::money(e.diff_at(i, c)[row]));
                            (format::money(v), diff)
                        })
                        .collect();
                    (label, cells)
                })
                .collect::<Vec<_>>()
        })
    };
    let risk_cells = move || {
        exact.with(|e| match e {
            Ok(e) => e
                .runs
                .iter()
                .map(|r| {
                    (
                        format!("{} BTC", format::qty(r.risk.max_abs_r_residual)),
                        unsigned(r.risk.worst_drawdown),
                    )
                })
                .collect::<Vec<_>>(),
            Err(_) => Vec::new(),
        })
    };
    let r_rows = move || {
        exact.with(|e| match e {
            Ok(e) => {
                let paths: Vec<_> = (0..LAB_RULES.len()).map(|i| e.r_path(i)).collect();
                (0..paths[0].len())
                    .map(|s| {
                        (
                            s.to_string(),
                            paths
                                .iter()
                                .map(|p| format::btc_signed(p[s], d))
                                .collect::<Vec<_>>(),
                        )
                    })
                    .collect::<Vec<_>>()
            }
            Err(_) => Vec::new(),
        })
    };
    // One row per rule: mean, stdev, worst 5%, hedge cost, against the tape, certainty
    // equivalent at the reader's risk aversion; and which rule ranks first.
    let dist_rows = move || {
        let l = words::lambda(lambda.get());
        dist.with(|d| match d {
            Ok(d) => {
                let points = d.points();
                let ce = words::ce_cells(&points, l);
                let best = best_rule(&points, l);
                LAB_RULES
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        (
                            i,
                            r.label(),
                            words::mean_parts(d, i),
                            words::stdev_parts(d, i),
                            [
                                words::p05_cell(d, i),
                                words::hedge_cost_cell(d, i),
                                if i == 0 {
                                    "—".to_string()
                                } else {
                                    words::difference_cell(d, i, 0)
                                },
                                if i == best {
                                    format!("{} ★ best", ce[i])
                                } else {
                                    ce[i].clone()
                                },
                            ],
                        )
                    })
                    .collect::<Vec<_>>()
            }
            Err(_) => Vec::new(),
        })
    };
    let ranking = move || {
        let i = lambda.get();
        dist.with(|d| match d {
            Ok(d) => words::ranking(&d.points(), i),
            Err(_) => String::new(),
        })
    };
    let lambda_id = format!("lab-lambda-{}", next_id());
    let bins_rows = move || {
        dist.with(|d| match d {
            Ok(d) => (0..d.histogram.bins())
                .map(|b| {
                    let (l, r) = d.histogram.edges(b);
                    (
                        format!(
                            "{} to {}",
                            format::money(from_cents(l)),
                            format::money(from_cents(r))
                        ),
                        d.histogram
                            .counts
                            .iter()
                            .map(|c| c[b].to_string())
                            .collect::<Vec<_>>(),
                    )
                })
                .collect::<Vec<_>>(),
            Err(_) => Vec::new(),
        })
    };
    let axis = move || {
        dist.with(|d| match d {
            Ok(d) => {
                let (lo, _) = d.histogram.edges(0);
                let (_, hi) = d.histogram.edges(d.histogram.bins().saturating_sub(1));
                (
                    format::money_rounded(from_cents(lo), 10),
                    format::money_rounded(from_cents(hi), 10),
                )
            }
            Err(_) => (String::new(), String::new()),
        })
    };
    let error = move || {
        exact
            .with(|e| e.as_ref().err().cloned())
            .or_else(|| dist.with(|d| d.as_ref().err().filter(|e| !e.is_empty()).cloned()))
    };

    view! {
        <WidgetFrame title=WidgetKind::HedgeLab.title() kind="hedge-lab">
            <ReplayControls />
            <div class="lab-settings">
                <div class="slider">
                    <label for=cost_id
                        .clone()>
                        "Hedge cost per BTC "
                        <output>{move || format::price(state.cost.get())}</output>
                    </label>
                    <input
                        id=cost_id
                        type="range"
                        min="0"
                        max=COST_SLIDER_MAX
                        step="5"
                        prop:value=move || (state.cost.get().cents() / 100).to_string()
                        aria-valuetext=move || {
                            format!("{} per BTC", format::price(state.cost.get()))
                        }
                        on:input=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<i64>() {
                                state.cost.set(Price::usd(v.clamp(0, COST_SLIDER_MAX)))
                            }
                        }
                    />
                </div>
                <div class="slider lab-paths">
                    <label for=paths_id
                        .clone()>
                        "Simulated paths per rule "
                        <output>{move || format::count(state.paths.get() as u64)}</output>
                    </label>
                    <input
                        id=paths_id
                        type="range"
                        min=MIN_LAB_PATHS
                        max=MAX_LAB_PATHS
                        step="100"
                        prop:value=move || state.paths.get().to_string()
                        on:input=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                                state.paths.set(v.clamp(MIN_LAB_PATHS, MAX_LAB_PATHS))
                            }
                        }
                    />
                </div>
                <RegimeSelector />
                <div class="slider lab-lambda">
                    <label for=lambda_id
                        .clone()>
                        "Risk aversion λ (per $) "
                        <output>{move || words::lambda_text(lambda.get())}</output>
                    </label>
                    <input
                        id=lambda_id
                        type="range"
                        min="0"
                        max=words::LAMBDAS.len() - 1
                        step="1"
                        prop:value=move || lambda.get().to_string()
                        aria-valuetext=move || {
                            format!("{} per dollar", words::lambda_text(lambda.get()))
                        }
                        on:input=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                                lambda.set(v.min(words::LAMBDAS.len() - 1))
                            }
                        }
                    />
                </div>
                <label class="jump lab-rule" for=rule_id.clone()>
                    <span>"Highlight"</span>
                    <select
                        id=rule_id.clone()
                        prop:value=move || state.rule.get().key().to_string()
                        on:change=move |ev| {
                            if let Some(r) = HedgeRule::from_key(&event_target_value(&ev)) {
                                state.rule.set(r)
                            }
                        }
                    >
                        {LAB_RULES
                            .iter()
                            .map(|r| view! { <option value=r.key()>{r.label()}</option> })
                            .collect_view()}
                    </select>
                </label>
            </div>
            {move || {
                error()
                    .map(|e| {
                        view! {
                            <p class="error-box" role="alert">
                                {format!("The lab cannot run on this tape: {e}")}
                            </p>
                        }
                    })
            }}

            <div class="lab-view-switch" role="group" aria-label="Panel to present">
                <button
                    type="button"
                    class="btn"
                    aria-pressed=move || (!show_dist.get()).to_string()
                    on:click=move |_| show_dist.set(false)
                >
                    "This tape, exactly"
                </button>
                <button
                    type="button"
                    class="btn"
                    aria-pressed=move || show_dist.get().to_string()
                    on:click=move |_| show_dist.set(true)
                >
                    "Many paths"
                </button>
            </div>
            <div class="lab-panel lab-panel-exact" class:lab-off=move || show_dist.get()>
                <SubHeading text=Signal::derive(move || {
                    format!("On this tape, exactly (step {})", state.step())
                }) />
                <div
                    class="table-scroll"
                    tabindex="0"
                    role="region"
                    aria-label="Exact comparison table, scrolls sideways"
                >
                    <table class="lab-exact">
                        <caption class="sr-only">
                            "Buckets and net at the cursor for the tape and each rule, with the difference against the tape"
                        </caption>
                        <thead>
                            <tr>
                                <th scope="col">"Bucket"</th>
                                {LAB_RULES
                                    .iter()
                                    .enumerate()
                                    .map(|(i, r)| {
                                        view! {
                                            <th
                                                scope="col"
                                                class:highlight=move || highlight.get() == i
                                            >
                                                <span
                                                    class=format!("rule-glyph rule-{}", r.key())
                                                    aria-hidden="true"
                                                >
                                                    {RULE_GLYPHS[i]}
                                                </span>
                                                " "
                                                {r.label()}
                                            </th>
                                        }
                                    })
                                    .collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                exact_rows()
                                    .into_iter()
                                    .map(|(label, cells)| {
                                        view! {
                                            <tr>
                                                <th scope="row">{label}</th>
                                                {cells
                                                    .into_iter()
                                                    .enumerate()
                                                    .map(|(i, (v, diff))| {
                                                        view! {
                                                            <td class:highlight=move || {
                                                                highlight.get() == i
                                                            }>
                                                                {v}
                                                                {diff
                                                                    .map(|d| {
                                                                        view! {
                                                                            <span class="diff">{format!(" ({d} vs tape)")}</span>
                                                                        }
                                                                    })}
                                                            </td>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </tr>
                                        }
                                    })
                                    .collect_view()
                            }} <tr class="risk-row">
                                <th scope="row">"Largest |R_residual| (whole tape)"</th>
                                {move || {
                                    risk_cells()
                                        .into_iter()
                                        .enumerate()
                                        .map(|(i, (r, _))| {
                                            view! {
                                                <td class:highlight=move || highlight.get() == i>{r}</td>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </tr> <tr class="risk-row">
                                <th scope="row">"Worst drawdown (whole tape)"</th>
                                {move || {
                                    risk_cells()
                                        .into_iter()
                                        .enumerate()
                                        .map(|(i, (_, dd))| {
                                            view! {
                                                <td class:highlight=move || highlight.get() == i>{dd}</td>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </tr>
                        </tbody>
                    </table>
                </div>
                <p class="chart-title">
                    {move || {
                        format!(
                            "R_residual after each step, per rule (shaded: the {} regime's green band, ±{} BTC; vertical line: the cursor)",
                            state.regime.get().name(),
                            format::two_significant(green.get()),
                        )
                    }}
                </p>
                <ul class="lab-legend" aria-hidden="true">
                    {LAB_RULES
                        .iter()
                        .enumerate()
                        .map(|(i, r)| {
                            view! {
                                <li>
                                    <span class=format!(
                                        "rule-glyph rule-{}",
                                        r.key(),
                                    )>{RULE_GLYPHS[i]}</span>
                                    " "
                                    {r.label()}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <canvas
                    node_ref=r_canvas
                    class="lab-r-canvas"
                    aria-hidden="true"
                    height=R_CHART_PX
                ></canvas>
                <ChartDownloads
                    canvas=r_canvas
                    name="hedge-lab-r-residual"
                    what="R_residual chart"
                    svg=r_svg
                />
                <RuleTable
                    summary="R_residual paths as a table"
                    first="Step"
                    rows=Signal::derive(r_rows)
                />

            </div>
            // In the chapter the simulated distribution (349 of the lab's 541 elements) is built
            // a frame after the rest: at CPU 4× the lab's mount and its first layout were each
            // just over 50 ms.
            {move || {
                dist_part
                    .get()
                    .then(|| {
                        view! {
                            <div
                                class="lab-panel lab-panel-dist"
                                class:lab-off=move || !show_dist.get()
                                aria-busy=move || busy.get().to_string()
                            >
                                <SubHeading text=Signal::derive(move || match simulated_paths.get()
                                {
                                    0 => {
                                        "Over many simulated paths: not drawn for this tape"
                                            .to_string()
                                    }
                                    paths => {
                                        format!(
                                            "Over {} simulated paths per rule ({} regime, seed {LAB_SEED})",
                                            format::count(paths as u64),
                                            state.regime.get().name(),
                                        )
                                    }
                                }) />
                                {move || {
                                    budget
                                        .get()
                                        .map(|b| {
                                            view! {
                                                <p class="notice lab-budget" role="status">
                                                    {b}
                                                </p>
                                            }
                                        })
                                }}
                                {move || {
                                    progress
                                        .get()
                                        .map(|(done, all)| {
                                            view! {
                                                <p class="lab-progress" role="status">
                                                    <label>
                                                        {format!(
                                                            "Simulating: {} of {} paths ",
                                                            format::count(done as u64),
                                                            format::count(all as u64),
                                                        )}
                                                        <progress
                                                            max=all.to_string()
                                                            value=done.to_string()
                                                        ></progress>
                                                    </label>
                                                </p>
                                            }
                                        })
                                }}
                                <p class="fine">{words::HELD_FIXED}</p>
                                <p class="fine">{words::AS_WRITTEN}</p>
                                <p class="fine">
                                    "Every fair move is drawn afresh. Thick line: mean; bracket: ±1 standard deviation; thin line and solid bars: the worst 5% of paths. Bar heights are scaled per row."
                                </p>
                                <div
                                    class="lab-hist"
                                    class:lab-running=move || progress.get().is_some()
                                >
                                    <ul class="lab-hist-captions" aria-hidden="true">
                                        {move || {
                                            dist_rows()
                                                .into_iter()
                                                .map(|(i, label, mean, sd, _)| {
                                                    view! {
                                                        <li>
                                                            <span class="rule-glyph">{RULE_GLYPHS[i]}</span>
                                                            " "
                                                            <b>{label}</b>
                                                            <span class="cap-num">
                                                                <br />
                                                                {format!("mean {}", mean.0)}
                                                                <br />
                                                                {format!("stdev {}", sd.0)}
                                                            </span>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()
                                        }}
                                    </ul>
                                    <div class="lab-hist-plot">
                                        <canvas
                                            node_ref=h_canvas
                                            class="lab-hist-canvas"
                                            aria-hidden="true"
                                            height=HIST_ROW_PX * 4
                                        ></canvas>
                                        <div class="lab-axis" aria-hidden="true">
                                            <span>{move || axis().0}</span>
                                            <span>"total PnL per path"</span>
                                            <span>{move || axis().1}</span>
                                        </div>
                                    </div>
                                </div>
                                <ChartDownloads
                                    canvas=h_canvas
                                    name="hedge-lab-histograms"
                                    what="PnL histograms"
                                    svg=h_svg
                                />
                                <div
                                    class="table-scroll"
                                    tabindex="0"
                                    role="region"
                                    aria-label="Simulated PnL table, scrolls sideways"
                                >
                                    <table
                                        class="lab-dist"
                                        class:lab-running=move || progress.get().is_some()
                                    >
                                        <caption>
                                            "Total PnL: exact under the model where it gives a value, simulated with its standard error (±) otherwise"
                                        </caption>
                                        <thead>
                                            <tr>
                                                <th scope="col">"Rule"</th>
                                                <th scope="col">"Mean"</th>
                                                <th scope="col" class="keep">
                                                    "Stdev"
                                                </th>
                                                <th scope="col" class="p05">
                                                    "5th percentile"
                                                </th>
                                                <th scope="col" class="cost">
                                                    "Mean hedge cost"
                                                </th>
                                                <th scope="col" class="vs">
                                                    "Against as written"
                                                </th>
                                                <th scope="col" class="keep ce">
                                                    {move || {
                                                        format!(
                                                            "Certainty equivalent at λ = {}",
                                                            words::lambda_text(lambda.get()),
                                                        )
                                                    }}
                                                </th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {move || {
                                                dist_rows()
                                                    .into_iter()
                                                    .map(|(i, label, mean, sd, v)| {
                                                        view! {
                                                            <tr class:highlight=move || highlight.get() == i>
                                                                <th scope="row">{label}</th>
                                                                <td>
                                                                    {mean.0}<span class="tag">{format!(" ({})", mean.1)}</span>
                                                                    {(!mean.2.is_empty())
                                                                        .then(|| {
                                                                            view! { <span class="sim">{format!("; {}", mean.2)}</span> }
                                                                        })}
                                                                </td>
                                                                <td class="keep">
                                                                    {sd.0}<span class="tag">{format!(" ({})", sd.1)}</span>
                                                                </td>
                                                                {v
                                                                    .into_iter()
                                                                    .enumerate()
                                                                    .map(|(k, c)| view! { <td class=DIST_COLS[k]>{c}</td> })
                                                                    .collect_view()}
                                                            </tr>
                                                        }
                                                    })
                                                    .collect_view()
                                            }}
                                        </tbody>
                                    </table>
                                </div>
                                <p class="lab-ranking" aria-live="polite">
                                    {ranking}
                                </p>
                                <RuleTable
                                    summary="Histogram counts as a table"
                                    first="Total PnL"
                                    rows=Signal::derive(bins_rows)
                                />
                            </div>
                        }
                    })
            }}
            <ReplayDownloads />
        </WidgetFrame>
    }
}

//! MakerInventory: the three book quantities and the band at the replay cursor, and the four PnL
//! buckets plus the net as bars (plotters on a canvas), cumulative to the cursor, with this
//! step's worked calculations and a table of the same numbers for screen readers.

use dealer_book::format;
use dealer_book::num::Money;
use dealer_book::pnl::{Bucket, Buckets};
use dealer_book::settings::WidgetKind;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

use crate::controls::{mark_redraw, BandBadge, FirstInFrame, ReplayState, WidgetFrame};
use crate::downloads::{ChartDownloads, ReplayDownloads};
use crate::replay_controls::ReplayControls;

/// Bar colours (each bar also carries its label and signed value in text).
const COLORS: [RGBColor; 5] = [
    RGBColor(0x1b, 0x9e, 0x77), // spread edge
    RGBColor(0x75, 0x70, 0xb3), // inventory markout
    RGBColor(0xd9, 0x5f, 0x02), // hedge cost
    RGBColor(0xc0, 0x1c, 0x3c), // toxic markout
    RGBColor(0x55, 0x55, 0x55), // net
];

/// Height of one bar row in CSS pixels before the stylesheet applies (`--bar-row` in the CSS,
/// which the HTML labels and the canvas share).
pub const ROW_PX: u32 = 34;

/// Draws the five horizontal bars (four buckets and the net) centred on zero.
/// `scale` is the absolute amount that fills half the width.
pub fn draw_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    values: &[Money; 5],
    scale: Money,
    ink: RGBColor,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&TRANSPARENT)?;
    let (w, h) = area.dim_in_pixel();
    let rows = values.len() as i32;
    let row_h = h as i32 / rows;
    let mid = w as i32 / 2;
    let half = (w as i32 / 2 - 4).max(1) as f64;
    let scale = scale.as_f64().abs().max(1.0);
    for (i, v) in values.iter().enumerate() {
        let len = (v.as_f64() / scale * half).round() as i32;
        let top = i as i32 * row_h + row_h / 5;
        let bottom = (i as i32 + 1) * row_h - row_h / 5;
        let (x0, x1) = if len >= 0 {
            (mid, mid + len.max(if !v.is_zero() { 2 } else { 0 }))
        } else {
            (mid + len.min(-2), mid)
        };
        if x0 != x1 {
            area.draw(&Rectangle::new(
                [(x0, top), (x1, bottom)],
                COLORS[i].filled(),
            ))?;
        }
    }
    // Net row separator and the zero line.
    area.draw(&PathElement::new(
        vec![(0, 4 * row_h), (w as i32, 4 * row_h)],
        ink.mix(0.25),
    ))?;
    area.draw(&PathElement::new(
        vec![(mid, 0), (mid, h as i32)],
        ink.stroke_width(2),
    ))?;
    area.present()
}

fn values(b: &Buckets) -> [Money; 5] {
    [
        b.spread_edge,
        b.inventory_markout,
        b.hedge_cost,
        b.toxic_markout,
        b.total(),
    ]
}

fn labels() -> [&'static str; 5] {
    [
        Bucket::SpreadEdge.label(),
        Bucket::InventoryMarkout.label(),
        Bucket::HedgeCost.label(),
        Bucket::ToxicMarkout.label(),
        "Net PnL",
    ]
}

/// Draws on a canvas element, scaled for the device pixel ratio.
fn paint(canvas: &web_sys::HtmlCanvasElement, values: &[Money; 5], scale: Money) {
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .max(1.0);
    let css_w = canvas.client_width().max(160) as f64;
    // The stylesheet sets the row height (taller in presentation mode); ROW_PX before layout.
    let css_h = match canvas.client_height() {
        h if h > 0 => h as f64,
        _ => (ROW_PX * 5) as f64,
    };
    canvas.set_width((css_w * dpr) as u32);
    canvas.set_height((css_h * dpr) as u32);
    // The canvas's own text colour: light, dark, the host page's theme or the classroom's.
    let ink = crate::controls::ink(canvas);
    if let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) {
        let _ = draw_bars(&backend.into_drawing_area(), values, scale, ink);
    }
    mark_redraw();
}

/// MakerInventory widget.
#[component]
pub fn MakerInventory() -> impl IntoView {
    let state = expect_context::<ReplayState>();
    let d = state.with(|r| r.qty_decimals);
    let scale = state.with(|r| r.max_abs_pnl());
    let book = move || state.with(|r| r.book_at(state.step()));
    let pnl = move || state.with(|r| r.pnl_at(state.step()));
    let band = Signal::derive(move || state.band(&book()));
    let canvas = NodeRef::<Canvas>::new();
    // Repaint at the new size or in the new colours.
    let resized = crate::controls::repaint_ticks();
    let mut soon = FirstInFrame::new();
    Effect::new(move |_| {
        resized.track();
        let v = values(&pnl());
        if let Some(c) = canvas.get() {
            soon.run(move || paint(&c, &v, scale));
        }
    });
    let bars_svg = Callback::new(move |_| {
        let v = values(&pnl());
        crate::lab_charts::svg((480, ROW_PX * 5), |a| {
            let _ = draw_bars(a, &v, scale, RGBColor(0x22, 0x22, 0x22));
        })
    });
    let step_calcs = move || {
        state.with(|r| {
            r.step_at(state.step())
                .map(|s| {
                    s.events
                        .iter()
                        .filter_map(|e| e.contribution)
                        .map(|c| (c.bucket.label(), dealer_book::explain::pnl::worked(&c)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <WidgetFrame title=WidgetKind::MakerInventory.title() kind="maker-inventory">
            <ReplayControls />
            <dl class="quantities">
                <div>
                    <dt>"I_client"</dt>
                    <dd>{move || format::btc_signed(book().i_client, d)}</dd>
                </div>
                <div>
                    <dt>"H_external"</dt>
                    <dd>{move || format::btc_signed(book().h_external, d)}</dd>
                </div>
                <div>
                    <dt>"R_residual"</dt>
                    <dd>{move || format::btc_signed(book().r_residual(), d)}</dd>
                </div>
                <div>
                    <dt>"Band"</dt>
                    <dd>
                        <BandBadge band=band />
                    </dd>
                </div>
            </dl>
            <div class="bars">
                <ul class="bar-labels" aria-hidden="true">
                    {labels().into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                </ul>
                <canvas
                    node_ref=canvas
                    class="bar-canvas"
                    aria-hidden="true"
                    height=ROW_PX * 5
                ></canvas>
                <ul class="bar-values" aria-hidden="true">
                    {(0..5)
                        .map(|i| view! { <li>{move || format::money(values(&pnl())[i])}</li> })
                        .collect_view()}
                </ul>
            </div>
            // Hidden in a box, not on the table: tables ignore a 1 px width and overflow.
            <div class="sr-only">
                <table>
                    <caption>
                        {move || { format!("PnL by bucket, cumulative to step {}", state.step()) }}
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">"Bucket"</th>
                            <th scope="col">"Cumulative PnL"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {(0..5)
                            .map(|i| {
                                view! {
                                    <tr>
                                        <th scope="row">{labels()[i]}</th>
                                        <td>{move || format::money(values(&pnl())[i])}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="calcs">
                <p class="calcs-title">
                    {move || dealer_book::explain::replay::calcs_heading(state.step())}
                </p>
                <ul>
                    {move || {
                        step_calcs()
                            .into_iter()
                            .map(|(label, calc)| {
                                view! {
                                    <li>
                                        <span class="calc-label">{label}": "</span>
                                        <code class="calc">{calc}</code>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
            <ChartDownloads canvas=canvas name="maker-inventory-pnl" what="PnL bars" svg=bars_svg />
            <ReplayDownloads />
        </WidgetFrame>
    }
}

#[cfg(test)]
mod tests {
    //! Natively, against plotters' SVG backend: the bars' geometry without a browser.
    use super::*;
    use dealer_book::replay::replay;
    use dealer_book::tape::Tape;

    /// The `(x, width)` of every filled bar in an SVG drawing, top to bottom.
    fn bars(svg: &str) -> Vec<(i32, i32, String)> {
        svg.split("<rect")
            .skip(1)
            .filter_map(|r| {
                let attr = |name: &str| {
                    let at = r.find(&format!(" {name}=\""))? + name.len() + 3;
                    let end = r[at..].find('"')? + at;
                    Some(r[at..end].to_string())
                };
                Some((
                    attr("x")?.parse().ok()?,
                    attr("width")?.parse().ok()?,
                    attr("fill")?,
                ))
            })
            .collect()
    }

    fn draw(values: &[Money; 5], scale: Money) -> String {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (400, 5 * ROW_PX)).into_drawing_area();
            draw_bars(&area, values, scale, RGBColor(0, 0, 0)).expect("draws");
        }
        svg
    }

    #[test]
    fn the_chapter_bars_point_the_right_way_at_the_right_length() {
        let r = replay(&Tape::from_json(dealer_book::CHAPTER_TAPE).unwrap()).unwrap();
        let v = values(&r.pnl_at(r.len()));
        let svg = draw(&v, r.max_abs_pnl());
        let b = bars(&svg);
        // One bar per non-zero value (the transparent background draws no rect).
        let drawn: Vec<_> = b.iter().filter(|(_, _, fill)| fill != "none").collect();
        assert_eq!(
            drawn.len(),
            v.iter().filter(|m| !m.is_zero()).count(),
            "{svg}"
        );
        let mid = 200;
        let half = 196.0;
        let scale = r.max_abs_pnl().as_f64().abs();
        for ((x, w, _), m) in drawn.iter().zip(v.iter().filter(|m| !m.is_zero())) {
            let expected = (m.as_f64().abs() / scale * half).round() as i32;
            assert!(
                (w - expected).abs() <= 1,
                "{m:?}: width {w}, expected {expected}"
            );
            if m.is_negative() {
                assert_eq!(x + w, mid, "a loss grows left of zero");
            } else {
                assert_eq!(*x, mid, "a gain grows right of zero");
            }
        }
        // The net (-$2,575) is the largest amount here: it fills half the width.
        assert_eq!(v[4], Money::usd(-2575));
    }

    #[test]
    fn a_tiny_amount_still_shows_a_sliver_and_zero_shows_none() {
        let v = [
            Money::usd(0),
            Money::from_units(1),
            Money::usd(-1),
            Money::usd(0),
            Money::usd(0),
        ];
        let b = bars(&draw(&v, Money::usd(1_000_000)));
        let drawn: Vec<_> = b.iter().filter(|(_, _, fill)| fill != "none").collect();
        assert_eq!(drawn.len(), 2);
        assert!(drawn.iter().all(|(_, w, _)| *w >= 2), "{drawn:?}");
    }
}

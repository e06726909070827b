//! The hedge lab's two charts, drawn with plotters on any backend (a canvas in the page, an SVG
//! string for downloads and tests): the `R_residual` path of each rule over the steps, and one
//! histogram row of simulated total PnL per rule with its mean, ±1 standard deviation and 5%
//! tail marked. Labels and numbers are HTML beside the charts; each rule also has its own
//! marker shape, so nothing relies on colour alone.

use dealer_book::stats::{Histogram, Stats};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One colour per rule, in [`dealer_book::lab::LAB_RULES`] order (tape, none, band, flat).
pub const RULE_COLORS: [RGBColor; 4] = [
    RGBColor(0x55, 0x55, 0x55),
    RGBColor(0xc0, 0x1c, 0x3c),
    RGBColor(0xd9, 0x5f, 0x02),
    RGBColor(0x1b, 0x6e, 0xc2),
];

/// The marker of each rule as text, for legends and tables: ● ▲ ■ ✕.
pub const RULE_GLYPHS: [&str; 4] = ["●", "▲", "■", "✕"];

/// Height of one histogram row in CSS pixels (the HTML captions use the same).
pub const HIST_ROW_PX: u32 = 70;

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Clears the area and returns its size in pixels.
fn clear<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
) -> Result<(i32, i32), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&TRANSPARENT)?;
    let (w, h) = area.dim_in_pixel();
    Ok((w as i32, h as i32))
}

fn marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rule: usize,
    (x, y): (i32, i32),
    size: i32,
) -> DrawResult<DB> {
    let c = RULE_COLORS[rule % 4];
    match rule % 4 {
        0 => area.draw(&Circle::new((x, y), size, c.filled())),
        // An upward triangle from integer offsets (cos 30° ≈ 7/8): plotters' TriangleMarker
        // would pull sin/cos into the wasm for this one shape.
        1 => {
            let (s, half, dx) = (size + 1, (size + 1) / 2, (size + 1) * 7 / 8);
            area.draw(&Polygon::new(
                vec![(x, y - s), (x - dx, y + half), (x + dx, y + half)],
                c.filled(),
            ))
        }
        2 => area.draw(&Rectangle::new(
            [(x - size, y - size), (x + size, y + size)],
            c.filled(),
        )),
        _ => area.draw(&Cross::new((x, y), size, c.stroke_width(2))),
    }
}

/// `R_residual` (BTC) of each rule at every cursor, on a symmetric axis of `±max_abs`, with the
/// green band `±green` shaded, the zero line, the cursor, and the `highlight`ed rule drawn bold.
pub fn draw_r_paths<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    paths: &[Vec<f64>],
    max_abs: f64,
    green: f64,
    cursor: usize,
    highlight: usize,
    ink: RGBColor,
) -> DrawResult<DB> {
    let (w, h) = clear(area)?;
    let pad = 12;
    let steps = paths.iter().map(|p| p.len()).max().unwrap_or(1).max(2) - 1;
    let scale = max_abs.abs().max(green).max(0.5) * 1.1;
    let x = |i: usize| pad + (i as i32 * (w - 2 * pad)) / steps as i32;
    let y = |r: f64| h / 2 - (r / scale * (h / 2 - pad) as f64).round() as i32;
    area.draw(&Rectangle::new(
        [(pad, y(green)), (w - pad, y(-green))],
        RULE_COLORS[3].mix(0.08).filled(),
    ))?;
    area.draw(&PathElement::new(
        vec![(pad, y(0.0)), (w - pad, y(0.0))],
        ink.mix(0.5),
    ))?;
    let cx = x(cursor.min(steps));
    area.draw(&PathElement::new(
        vec![(cx, pad / 2), (cx, h - pad / 2)],
        ink.stroke_width(2),
    ))?;
    // The highlighted rule last, so it sits on top.
    let order = (0..paths.len())
        .filter(|&i| i != highlight)
        .chain((highlight < paths.len()).then_some(highlight));
    for i in order {
        let bold = i == highlight;
        let pts: Vec<(i32, i32)> = paths[i]
            .iter()
            .enumerate()
            .map(|(s, &r)| (x(s), y(r)))
            .collect();
        let style = RULE_COLORS[i % 4].stroke_width(if bold { 3 } else { 1 });
        area.draw(&PathElement::new(pts.clone(), style))?;
        for p in pts {
            marker(area, i, p, if bold { 5 } else { 3 })?;
        }
    }
    area.present()
}

/// One histogram row per rule over the shared bins: bars (bar height scaled to the row's
/// fullest bin), the bins of the worst 5% (left of the 5th percentile) solid and the rest pale,
/// a thick line at the mean, a thin line at the 5th percentile and a bracket of ±1 standard
/// deviation around the mean.
pub fn draw_histograms<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    hist: &Histogram,
    stats: &[Stats],
    highlight: usize,
    ink: RGBColor,
) -> DrawResult<DB> {
    let (w, h) = clear(area)?;
    let rows = hist.counts.len().max(1) as i32;
    let row_h = h / rows;
    let pad = 8;
    let bins = hist.bins().max(1);
    let span = (hist.width as f64) * bins as f64;
    let x = |cents: f64| {
        pad + (((cents - hist.lo as f64) / span) * (w - 2 * pad) as f64).round() as i32
    };
    for (r, counts) in hist.counts.iter().enumerate() {
        let top = r as i32 * row_h;
        let base = top + row_h - 6;
        let tall = row_h - 22;
        let color = RULE_COLORS[r % 4];
        let max = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
        let s = stats.get(r).copied().unwrap_or_default();
        let p05 = dealer_book::stats::to_cents(s.p05) as f64;
        for (i, &c) in counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            let (l, rr) = hist.edges(i);
            let bh = ((c as f64 / max) * tall as f64).round().max(1.0) as i32;
            let tail = (l as f64) < p05;
            let style = if tail {
                color.filled()
            } else {
                color.mix(0.45).filled()
            };
            let (x0, x1) = (x(l as f64), (x(rr as f64) - 1).max(x(l as f64) + 1));
            area.draw(&Rectangle::new([(x0, base - bh), (x1, base)], style))?;
        }
        area.draw(&PathElement::new(
            vec![(pad, base), (w - pad, base)],
            ink.mix(0.3),
        ))?;
        let mean = dealer_book::stats::to_cents(s.mean) as f64;
        let sd = dealer_book::stats::to_cents(s.stdev) as f64;
        let (mx, px) = (x(mean), x(p05));
        area.draw(&PathElement::new(
            vec![(px, top + 10), (px, base)],
            ink.stroke_width(1),
        ))?;
        area.draw(&PathElement::new(
            vec![(mx, top + 6), (mx, base)],
            ink.stroke_width(3),
        ))?;
        let (sl, sr) = (x(mean - sd), x(mean + sd));
        let by = top + 8;
        area.draw(&PathElement::new(
            vec![(sl, by), (sr, by)],
            ink.stroke_width(2),
        ))?;
        area.draw(&PathElement::new(
            vec![(sl, by - 4), (sl, by + 4)],
            ink.stroke_width(2),
        ))?;
        area.draw(&PathElement::new(
            vec![(sr, by - 4), (sr, by + 4)],
            ink.stroke_width(2),
        ))?;
        marker(
            area,
            r,
            (w - pad - 6, top + 10),
            if r == highlight { 5 } else { 3 },
        )?;
        if r == highlight {
            area.draw(&Rectangle::new(
                [(1, top + 1), (w - 2, top + row_h - 2)],
                color.stroke_width(2),
            ))?;
        }
    }
    area.present()
}

/// Both charts as SVG text (for downloads): `(width, height)` in pixels.
pub fn svg<F>(size: (u32, u32), draw: F) -> String
where
    F: FnOnce(&DrawingArea<SVGBackend<'_>, Shift>),
{
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(&area);
    }
    out
}

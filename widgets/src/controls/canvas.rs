//! Helpers for the widgets that draw on a canvas: the theme's ink, repaint ticks on resize and
//! theme change, a measured width, and the redraw mark the latency harness reads.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;

/// Ink for chart lines: the canvas's own CSS text colour, so lines follow the light, dark and
/// classroom themes; near-black if it cannot be read.
pub fn ink(canvas: &web_sys::HtmlCanvasElement) -> plotters::style::RGBColor {
    let color = web_sys::window()
        .and_then(|w| w.get_computed_style(canvas).ok().flatten())
        .and_then(|st| st.get_property_value("color").ok())
        .unwrap_or_default();
    let parts: Vec<u8> = color
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .filter_map(|p| p.trim().parse::<u8>().ok())
        .collect();
    match parts[..] {
        [r, g, b, ..] => plotters::style::RGBColor(r, g, b),
        _ => plotters::style::RGBColor(0x22, 0x22, 0x22),
    }
}

/// A counter that ticks when canvases must repaint: the window changed size (resize, full
/// screen, rotation), or the colours changed (the system's dark mode, or the host page's theme:
/// the loader's `dealer-book-scheme` event).
pub fn repaint_ticks() -> RwSignal<u32> {
    let ticks = RwSignal::new(0u32);
    let resize = window_event_listener(leptos::ev::resize, move |_| ticks.update(|n| *n += 1));
    let scheme =
        window_event_listener_untyped("dealer-book-scheme", move |_| ticks.update(|n| *n += 1));
    on_cleanup(move || {
        resize.remove();
        scheme.remove();
    });
    ticks
}

/// The width of an element in CSS pixels (600 until it is in the page), measured again on every
/// window resize and theme change: for drawings whose text must keep its size on a phone.
pub fn measured_width(node: NodeRef<leptos::html::Div>) -> Signal<i64> {
    let width = RwSignal::new(600i64);
    let ticks = repaint_ticks();
    let mut soon = FirstInFrame::new();
    Effect::new(move |_| {
        ticks.track();
        if let Some(el) = node.get() {
            soon.run(move || {
                let w = el.client_width() as i64;
                // The widget may be gone by the frame (a remounted element): no panic then.
                if w > 0 && width.try_get_untracked().is_some_and(|old| old != w) {
                    width.try_set(w);
                }
            });
        }
    });
    width.into()
}

/// Runs a drawing's first run in a task after the next animation frame, and every later run at
/// once. A drawing reads its laid-out size (`client_width`); in the task that has just built the
/// widget, that read forces a layout of the new widget in the middle of the mount (measured at CPU
/// 4×: 220 ms of forced layout while a reader scrolled the chapter and its widgets mounted), and
/// in the frame itself it forced the same layout inside the frame's callbacks, with the drawing
/// on top of it (the frame after a mount was the longest task while scrolling). After the frame
/// the page is laid out: the drawing reads its size for free, in a task of its own, and its pixels
/// appear in the next frame. Later runs (a step, a slider) stay in the task of the change:
/// deferring them too put the redraw and the frame's own layout in one task, and long tasks while
/// following the reading rose from 0–3 to 1–5 (measured). A run that comes while the first still
/// waits takes its place: the drawing shows the newest data, once. Deferred drawings must not
/// panic on a disposed signal (`try_` reads): the widget may be gone by then.
pub struct FirstInFrame {
    first: bool,
    /// The drawing waiting for its frame, if any.
    waiting: Rc<RefCell<Option<Drawing>>>,
}

/// One run of a drawing.
type Drawing = Box<dyn FnOnce()>;

impl FirstInFrame {
    /// Nothing drawn yet.
    pub fn new() -> Self {
        FirstInFrame {
            first: true,
            waiting: Rc::default(),
        }
    }

    /// Runs `draw`: after the next animation frame the first time, at once afterwards.
    pub fn run(&mut self, draw: impl FnOnce() + 'static) {
        self.run_boxed(Box::new(draw));
    }

    /// One copy of each drawing and of the frame request: called directly and deferred, a
    /// generic closure was compiled twice (the chunks grew 1.3 KB gzip; boxed, 0.5 KB).
    fn run_boxed(&mut self, draw: Drawing) {
        if std::mem::replace(&mut self.first, false) {
            *self.waiting.borrow_mut() = Some(draw);
            let waiting = self.waiting.clone();
            super::stage::after_next_frame(move || {
                let draw = waiting.borrow_mut().take();
                if let Some(draw) = draw {
                    draw();
                }
            });
        } else if self.waiting.borrow().is_some() {
            *self.waiting.borrow_mut() = Some(draw);
        } else {
            draw();
        }
    }
}

impl Default for FirstInFrame {
    fn default() -> Self {
        Self::new()
    }
}

/// Records when a widget finished drawing (read by the in-browser latency harness).
pub fn mark_redraw() {
    if let Some(w) = web_sys::window() {
        if let Some(p) = w.performance() {
            let _ = js_sys::Reflect::set(&w, &"__dbLastRedraw".into(), &p.now().into());
        }
    }
}

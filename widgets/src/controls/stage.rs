//! Staged mounting: in the chapter, a large widget builds its lower part a frame after the rest,
//! so that building and laying it out never fills one long task while a reader scrolls past
//! (issue 19). Elsewhere (one widget on its own page, the in-browser tests) everything is built
//! at once.

use std::time::Duration;

use leptos::prelude::*;

/// In context where widgets are built in stages (the chapter's islands).
#[derive(Clone, Copy, Debug)]
pub struct Staged;

/// Runs `f` in a task after the next animation frame: by then what the current task built has
/// been laid out and painted, so `f` neither forces that layout nor adds to that frame.
pub fn after_next_frame(f: impl FnOnce() + 'static) {
    request_animation_frame(move || set_timeout(f, Duration::ZERO));
}

/// Whether a widget's later part may be built: at once, or where [`Staged`] is in context from
/// a task after the next animation frame (the first part has then been laid out and painted;
/// the island's reserved height keeps the page still meanwhile).
pub fn later_part() -> Signal<bool> {
    if use_context::<Staged>().is_none() {
        return Signal::from(true);
    }
    let ready = RwSignal::new(false);
    after_next_frame(move || {
        // The widget may be gone by then.
        let _ = ready.try_set(true);
    });
    ready.into()
}

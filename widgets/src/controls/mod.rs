//! Shared state and controls, each in one place: the replay state every widget follows
//! ([`state`]), the frame, badge, live region, notices and error boxes ([`frame`]), and the
//! canvas helpers ([`canvas`]), and the staged building of large widgets in the chapter
//! ([`stage`]). The replay buttons are the `replay_controls` module.

pub mod canvas;
pub mod frame;
pub mod stage;
pub mod state;

pub use canvas::{ink, mark_redraw, measured_width, repaint_ticks, FirstInFrame};
pub use frame::{
    band_glyph, key_belongs_to_control, next_id, BandBadge, ErrorBox, LiveRegion, Notices,
    TitleLevel, WidgetFrame,
};
pub use stage::{after_next_frame, later_part, Staged};
pub use state::{Prediction, ReplayState};

//! Which steps a long view draws: a window of steps around the replay cursor, so that moving the
//! cursor costs the same on a tape of 10 steps and of 100,000 (the lanes' columns, the step
//! picker's choices). Pure, so the rule has native tests; the widgets only draw what it names.

use std::ops::RangeInclusive;

/// Step columns the DealerBook lanes draw at most.
pub const LANE_COLUMNS: usize = 15;

/// Choices the step picker lists in full; longer ranges list a window around the cursor plus the
/// first and last step.
pub const PICKER_ALL: usize = 201;

/// Steps the picker lists on each side of the cursor when the range is long.
pub const PICKER_REACH: usize = 50;

/// Events of one step the replay lists with their calculations; the rest are counted.
pub const STEP_EVENTS: usize = 50;

/// `… and 950 more events in this step (the CSV download lists every one)` for a step of
/// `events` events, when the replay lists fewer.
pub fn more_events(events: usize) -> Option<String> {
    (events > STEP_EVENTS).then(|| {
        format!(
            "… and {} more events in this step (the CSV download lists every one)",
            crate::words::format::count((events - STEP_EVENTS) as u64)
        )
    })
}

/// At most `width` consecutive steps of `first..=last` (1-based steps), the cursor's step as
/// central as the ends allow. Cursor 0 (the start) counts as step 1. Empty ranges give
/// `first..=last` unchanged.
pub fn around(cursor: usize, first: usize, last: usize, width: usize) -> RangeInclusive<usize> {
    if last < first || width == 0 || last - first < width {
        return first..=last;
    }
    let at = cursor.clamp(first, last);
    let lo = at.saturating_sub(width / 2).clamp(first, last + 1 - width);
    lo..=lo + width - 1
}

/// The cursor positions the step picker offers for a reachable range `lo..=hi` (0 = start):
/// all of them when there are at most [`PICKER_ALL`], else the first, the positions within
/// [`PICKER_REACH`] of the cursor, and the last. Always includes the cursor, in order.
pub fn picker(cursor: usize, lo: usize, hi: usize) -> Vec<usize> {
    if hi < lo {
        return vec![cursor];
    }
    if hi - lo < PICKER_ALL {
        return (lo..=hi).collect();
    }
    let c = cursor.clamp(lo, hi);
    let near = c.saturating_sub(PICKER_REACH).max(lo)..=(c + PICKER_REACH).min(hi);
    let mut out = Vec::with_capacity(2 * PICKER_REACH + 3);
    if *near.start() > lo {
        out.push(lo);
    }
    out.extend(near.clone());
    if *near.end() < hi {
        out.push(hi);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn long_steps_list_some_events_and_count_the_rest() {
        assert_eq!(more_events(STEP_EVENTS), None);
        assert_eq!(
            more_events(1_000).as_deref(),
            Some("… and 950 more events in this step (the CSV download lists every one)")
        );
    }

    #[test]
    fn short_tapes_show_every_step() {
        assert_eq!(around(3, 1, 5, LANE_COLUMNS), 1..=5);
        assert_eq!(picker(2, 0, 5), vec![0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn long_tapes_show_a_window_around_the_cursor() {
        assert_eq!(around(0, 1, 100_000, 15), 1..=15);
        assert_eq!(around(500, 1, 100_000, 15), 493..=507);
        assert_eq!(around(100_000, 1, 100_000, 15), 99_986..=100_000);
        let p = picker(500, 0, 100_000);
        assert_eq!(p.first(), Some(&0));
        assert_eq!(p.last(), Some(&100_000));
        assert_eq!(p.len(), 2 * PICKER_REACH + 3);
        assert!(p.contains(&450) && p.contains(&550) && !p.contains(&551));
    }

    proptest! {
        #[test]
        fn the_window_holds_the_cursor_and_stays_small(
            first in 1usize..50, len in 0usize..100_000, cursor in 0usize..200_000, width in 1usize..40,
        ) {
            let last = first + len;
            let w = around(cursor, first, last, width);
            prop_assert!(*w.start() >= first && *w.end() <= last);
            prop_assert_eq!(w.clone().count(), width.min(len + 1));
            prop_assert!(w.contains(&cursor.clamp(first, last)));
        }

        #[test]
        fn the_picker_lists_the_cursor_the_ends_and_at_most_a_bounded_count(
            lo in 0usize..3, len in 0usize..1_000_000, cursor in 0usize..1_000_000,
        ) {
            let hi = lo + len;
            let p = picker(cursor, lo, hi);
            prop_assert!(p.contains(&cursor.clamp(lo, hi)));
            prop_assert_eq!(p.first(), Some(&lo));
            prop_assert_eq!(p.last(), Some(&hi));
            prop_assert!(p.len() <= PICKER_ALL.max(2 * PICKER_REACH + 3));
            prop_assert!(p.windows(2).all(|w| w[0] < w[1]));
        }
    }
}

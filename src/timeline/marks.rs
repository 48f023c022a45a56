//! What is marked on an event besides its glyph, decided once for every
//! painter: the selection, search matches, stars, the map's hover.

use crate::model::Instant;
use crate::store::filter::STARRED;
use crate::store::{EventIx, Lane};

/// Per-event marks drawn over the items. Any slice may be empty (nothing
/// marked).
#[derive(Clone, Copy, Debug, Default)]
pub struct Marks<'a> {
    /// Search matches by event.
    pub search: &'a [bool],
    /// Annotation flags by event (`store::filter::STARRED`…).
    pub flags: &'a [u8],
    /// Per event: truce violation bits (`analysis::truce`).
    pub violations: &'a [u8],
    /// Events to ring (the network panel's hover), sorted.
    pub highlight: &'a [EventIx],
    /// The event under the pointer elsewhere (the map): ringed here.
    pub linked: Option<EventIx>,
}

/// The halo behind an event's mark, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Halo {
    /// The selected event: a filled disc (points) or a wider bar (spans)
    /// in the theme's highlight colour.
    Selected,
    /// Under the pointer on the map: a ring in the highlight colour.
    Linked,
    /// A search match: a ring or a wider bar in the search colour.
    Match,
}

impl Marks<'_> {
    pub fn is_match(&self, ix: EventIx) -> bool {
        self.search.get(ix as usize).copied().unwrap_or(false)
    }

    pub fn is_starred(&self, ix: EventIx) -> bool {
        self.flags
            .get(ix as usize)
            .is_some_and(|f| f & STARRED != 0)
    }

    /// The halo event `ix` gets, `selected` being the selected event.
    pub fn halo(&self, selected: Option<EventIx>, ix: EventIx) -> Option<Halo> {
        if selected == Some(ix) {
            Some(Halo::Selected)
        } else if self.linked == Some(ix) {
            Some(Halo::Linked)
        } else if self.is_match(ix) {
            Some(Halo::Match)
        } else {
            None
        }
    }

    /// Whether a fold over `[t0, t1]` (anchors) in `lane` holds a search
    /// match. Its points are checked; a fold is at most a few thousand
    /// events at the densities that fold, and the check stops at 10,000.
    pub fn fold_holds_match(&self, lane: &Lane, t0: Instant, t1: Instant) -> bool {
        !self.search.is_empty()
            && lane.points[lane.point_range(t0, t1.saturating_add(1))]
                .iter()
                .take(10_000)
                .any(|&p| self.is_match(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selection_outranks_the_hover_which_outranks_a_match() {
        let search = [true, true, true, false];
        let marks = Marks {
            search: &search,
            linked: Some(1),
            ..Marks::default()
        };
        assert_eq!(marks.halo(Some(0), 0), Some(Halo::Selected));
        assert_eq!(marks.halo(Some(0), 1), Some(Halo::Linked));
        assert_eq!(marks.halo(Some(0), 2), Some(Halo::Match));
        assert_eq!(marks.halo(Some(0), 3), None);
        // Past the end of the slices: unmarked, not a panic.
        assert_eq!(marks.halo(None, 99), None);
        assert!(!marks.is_starred(0));
    }

    #[test]
    fn stars_come_from_the_flags() {
        let flags = [0, STARRED, !STARRED];
        let marks = Marks {
            flags: &flags,
            ..Marks::default()
        };
        assert!(!marks.is_starred(0));
        assert!(marks.is_starred(1));
        assert!(!marks.is_starred(2));
    }
}

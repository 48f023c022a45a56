//! Back and Forward (Alt+Left/Right) over the ranges and filters the
//! analyst has looked at, as a browser walks pages.
//!
//! The app reports what is on screen every frame; a state that has held
//! still for a moment becomes a step, so a drag or a burst of keystrokes
//! is one step, not hundreds. Pure: no egui, time is passed in.

use crate::model::Instant;
use crate::store::LaneGrouping;
use crate::store::filter::Filter;

/// What Back and Forward restore.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewState {
    /// The range on screen (`None` before the timeline was first shown).
    pub visible: Option<(Instant, Instant)>,
    pub filter: Filter,
    pub grouping: LaneGrouping,
}

impl ViewState {
    /// Equal but for the rounding of a range put back on a screen of
    /// another width (within 0.1 % of the span, or a second).
    fn same(&self, other: &ViewState) -> bool {
        let close = match (self.visible, other.visible) {
            (Some((a0, a1)), Some((b0, b1))) => {
                let tolerance = (((a1 - a0).abs() as f64) * 0.001).max(1.0);
                ((a0 - b0).abs() as f64) <= tolerance && ((a1 - b1).abs() as f64) <= tolerance
            }
            (a, b) => a == b,
        };
        close && self.filter == other.filter && self.grouping == other.grouping
    }
}

/// How long a state must hold still to become a step.
pub const SETTLE_SECONDS: f64 = 0.6;
/// Steps kept each way.
const MAX_STEPS: usize = 200;

#[derive(Debug, Default)]
pub struct History {
    back: Vec<ViewState>,
    forward: Vec<ViewState>,
    /// The last state that became a step (where Back returns from).
    settled: Option<ViewState>,
    /// The state on screen while it differs from `settled`, and since
    /// when it has looked like this.
    pending: Option<ViewState>,
    changed_at: Option<f64>,
}

impl History {
    /// A new dataset: nothing to go back to.
    pub fn reset(&mut self) {
        *self = History::default();
    }

    /// Report the state on screen at `time` (seconds); `moving` while a
    /// drag or an animation is under way. Returns whether a change is
    /// waiting to settle (the caller repaints after [`SETTLE_SECONDS`]).
    pub fn observe(&mut self, now: ViewState, time: f64, moving: bool) -> bool {
        let Some(settled) = &self.settled else {
            self.settled = Some(now);
            return false;
        };
        if settled.same(&now) {
            self.changed_at = None;
            self.pending = None;
            return false;
        }
        // The first frame that shows the timeline gives a range to a state
        // that had none: the same view, not a step.
        if settled.visible.is_none() && settled.filter == now.filter && !moving {
            self.settled = Some(now);
            return false;
        }
        if moving || self.pending.as_ref().is_none_or(|p| !p.same(&now)) {
            self.changed_at = Some(time);
            self.pending = Some(now);
            return true;
        }
        let since = self.changed_at.unwrap_or(time);
        if time - since >= SETTLE_SECONDS {
            self.commit(now);
            false
        } else {
            true
        }
    }

    fn commit(&mut self, now: ViewState) {
        if let Some(old) = self.settled.replace(now) {
            self.back.push(old);
            if self.back.len() > MAX_STEPS {
                self.back.remove(0);
            }
        }
        self.forward.clear();
        self.changed_at = None;
        self.pending = None;
    }

    /// Step back from `now`: the state to restore, if any. A change that
    /// had not settled yet counts as a step, so Back returns to where it
    /// started and Forward comes back to it.
    pub fn back(&mut self, now: ViewState) -> Option<ViewState> {
        if self.settled.as_ref().is_some_and(|s| !s.same(&now)) {
            self.commit(now);
        }
        let previous = self.back.pop()?;
        if let Some(current) = self.settled.replace(previous.clone()) {
            self.forward.push(current);
        }
        self.changed_at = None;
        self.pending = None;
        Some(previous)
    }

    /// Step forward again, unless something changed since stepping back
    /// (that change, like a new page in a browser, ends the way forward).
    pub fn forward(&mut self, now: ViewState) -> Option<ViewState> {
        if self.settled.as_ref().is_some_and(|s| !s.same(&now)) {
            self.commit(now);
            return None;
        }
        let next = self.forward.pop()?;
        if let Some(current) = self.settled.replace(next.clone()) {
            self.back.push(current);
        }
        self.changed_at = None;
        self.pending = None;
        Some(next)
    }

    pub fn can_back(&self) -> bool {
        !self.back.is_empty() || self.changed_at.is_some()
    }

    pub fn can_forward(&self) -> bool {
        !self.forward.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(t0: Instant, search: &str) -> ViewState {
        ViewState {
            visible: Some((t0, t0 + 86_400)),
            filter: Filter {
                search: search.into(),
                ..Filter::default()
            },
            grouping: LaneGrouping::Kind,
        }
    }

    #[test]
    fn only_states_that_hold_still_become_steps() {
        let mut h = History::default();
        assert!(!h.observe(state(0, ""), 0.0, false));
        // A pan in progress: many frames, one step once it settles.
        for (i, t) in [100, 200, 300].into_iter().enumerate() {
            assert!(h.observe(state(t, ""), 0.1 * i as f64, true));
        }
        assert!(h.observe(state(300, ""), 0.5, false));
        // Still settling at 0.2 s + SETTLE - a little.
        assert!(h.observe(state(300, ""), 0.7, false));
        assert!(!h.observe(state(300, ""), 0.5 + SETTLE_SECONDS, false));
        assert_eq!(h.back.len(), 1);
        // Typing: each keystroke held briefly, one step.
        h.observe(state(300, "a"), 2.0, false);
        h.observe(state(300, "ar"), 2.2, false);
        h.observe(state(300, "arm"), 2.4, false);
        h.observe(state(300, "arm"), 3.1, false);
        assert_eq!(h.back.len(), 2);
        assert_eq!(h.back(state(300, "arm")), Some(state(300, "")));
        assert_eq!(h.back(state(300, "")), Some(state(0, "")));
        assert_eq!(h.back(state(0, "")), None);
        assert_eq!(h.forward(state(0, "")), Some(state(300, "")));
        assert_eq!(h.forward(state(300, "")), Some(state(300, "arm")));
        assert_eq!(h.forward(state(300, "arm")), None);
    }

    #[test]
    fn back_right_after_a_change_returns_to_before_it() {
        let mut h = History::default();
        h.observe(state(0, ""), 0.0, false);
        h.observe(state(0, "truce"), 0.1, false);
        assert!(h.can_back());
        assert_eq!(h.back(state(0, "truce")), Some(state(0, "")));
        assert_eq!(h.forward(state(0, "")), Some(state(0, "truce")));
    }

    #[test]
    fn a_new_change_after_going_back_ends_the_way_forward() {
        let mut h = History::default();
        h.observe(state(0, ""), 0.0, false);
        h.observe(state(5_000, ""), 1.0, false);
        h.observe(state(5_000, ""), 2.0, false);
        assert_eq!(h.back(state(5_000, "")), Some(state(0, "")));
        assert!(h.can_forward());
        assert_eq!(h.forward(state(9_000, "")), None);
        assert!(!h.can_forward());
        assert_eq!(h.back(state(9_000, "")), Some(state(0, "")));
    }

    #[test]
    fn the_first_range_is_not_a_step_and_rounding_is_ignored() {
        let mut h = History::default();
        let mut first = state(0, "");
        first.visible = None;
        h.observe(first, 0.0, false);
        h.observe(state(0, ""), 0.1, false);
        h.observe(state(0, ""), 5.0, false);
        assert!(!h.can_back());
        // A restored range a few seconds off on a wider window is the same.
        let mut rounded = state(0, "");
        rounded.visible = Some((3, 86_402));
        assert!(!h.observe(rounded, 6.0, false));
        assert!(!h.can_back());
    }

    #[test]
    fn steps_are_bounded() {
        let mut h = History::default();
        for i in 0..(MAX_STEPS as i64 + 50) {
            h.observe(state(i * 100_000, ""), i as f64 * 10.0, false);
            h.observe(state(i * 100_000, ""), i as f64 * 10.0 + 1.0, false);
        }
        assert_eq!(h.back.len(), MAX_STEPS);
    }
}

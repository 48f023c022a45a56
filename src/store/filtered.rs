//! One filter run as the viewer needs it: the filter's result, the lanes of
//! the events it lets through, the search matches as a mask and the anchors
//! of the visible events (for the overview). Pure: the UI runs it inline or
//! on its filter worker, and the benchmark calls it directly.

use std::sync::Arc;

use super::filter::{Compiled, FilterResult, SearchText};
use super::{EventIx, LaneGrouping, LaneSet, Store};

/// What a filter run produces: everything the views need.
pub struct FilterOutput {
    pub result: Arc<FilterResult>,
    pub match_mask: Arc<Vec<bool>>,
    pub shown: Shown,
}

/// What the timeline shows under a filter (its search aside).
#[derive(Clone)]
pub struct Shown {
    pub lanes: Arc<LaneSet>,
    /// Anchors of the shown events, for the overview strip.
    pub anchors: Arc<Vec<i64>>,
    /// The shown events in time order; `None` when every event is shown.
    pub events: Option<Arc<Vec<EventIx>>>,
}

/// Run `compiled` over `store`. `active`: whether the filter (without its
/// search) hides anything, so the lanes must be rebuilt from the shown
/// events only. `reuse`: what a previous run showed, kept when only the
/// search changed (the search highlights; it does not change what the
/// timeline shows).
pub fn run_filter(
    compiled: &Compiled,
    store: &Store,
    text: &SearchText,
    flags: &[u8],
    grouping: LaneGrouping,
    active: bool,
    reuse: Option<Shown>,
) -> FilterOutput {
    let result = compiled.run(store, text, flags);
    let shown = match reuse {
        Some(r) => r,
        None => {
            let lanes = if active {
                LaneSet::build_filtered(store, grouping, Some(&result.visible))
            } else {
                LaneSet::build(store, grouping)
            };
            if active {
                let events: Vec<EventIx> = (0..store.len() as EventIx)
                    .filter(|&i| result.visible[i as usize])
                    .collect();
                let anchors = events.iter().map(|&i| store.anchor[i as usize]).collect();
                Shown {
                    lanes: Arc::new(lanes),
                    anchors: Arc::new(anchors),
                    events: Some(Arc::new(events)),
                }
            } else {
                // Every event shown: the store's own anchors.
                Shown {
                    lanes: Arc::new(lanes),
                    anchors: store.anchor.clone(),
                    events: None,
                }
            }
        }
    };
    let mut match_mask = Vec::new();
    if result.searching {
        match_mask = vec![false; store.len()];
        for &m in &result.matched {
            match_mask[m as usize] = true;
        }
    }
    FilterOutput {
        result: Arc::new(result),
        match_mask: Arc::new(match_mask),
        shown,
    }
}

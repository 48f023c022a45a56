//! The range and width a picture starts with when none is asked for, and
//! range ends typed as Eventline dates: shared by `eventline render` and
//! the window's Export view.

use crate::model::{FuzzyDate, Instant};
use crate::store::Store;
use crate::timeline::axis::TimeAxis;
use crate::timeline::metrics::FIT_MARGIN;

/// Default width of a picture, in layout pixels: a large window's timeline.
pub const DEFAULT_WIDTH: f32 = 1600.0;

/// Parse a range end; `end`: take its last second ("2022-08" → 31 August).
pub fn parse_range_end(text: &str, end: bool) -> Result<Instant, String> {
    let d = FuzzyDate::parse(text.trim()).map_err(|e| e.to_string())?;
    Ok(if end {
        d.latest.saturating_add(1)
    } else {
        d.earliest
    })
}

/// The range a view of the whole store starts with, as the window fits it.
pub fn default_range(store: &Store, width: f32) -> Option<(Instant, Instant)> {
    let (d0, d1) = store.time_range()?;
    Some(TimeAxis::fit_for_labels(0.0, width, d0, d1, FIT_MARGIN).visible())
}

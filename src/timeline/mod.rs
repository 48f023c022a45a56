//! What to draw, for every painter: the window (`ui`) and the exports
//! (`render`) both draw from here, so a picture matches the screen and a
//! change to how a mark looks is made once.
//!
//! - [`axis`]: time ↔ x, zoom and pan;
//! - [`ticks`]: calendar ticks and their labels;
//! - [`layout`]: level of detail, from a lane's events to the few items
//!   worth drawing (points, spans, folds, density columns);
//! - [`metrics`]: the measures (header width, row height, radii…);
//! - [`geometry`]: where each part of a mark goes;
//! - [`marks`]: selection, matches, stars: which halo an event gets;
//! - [`glyph`], [`palette`]: shapes and colours;
//! - [`labels`]: dates, ranges, durations and counts in words.
//!
//! No egui here: the layer sits on `model` and `store` and is usable from
//! the command line, tests and benchmarks without a window.

pub mod axis;
pub(crate) mod geometry;
pub(crate) mod glyph;
pub(crate) mod labels;
pub mod layout;
pub(crate) mod marks;
pub(crate) mod metrics;
pub(crate) mod palette;
pub(crate) mod ticks;

pub use axis::TimeAxis;
pub use layout::{DensityColumn, Item, ItemKind, LaneLayout, LayoutParams, layout_lane};
pub use marks::{Halo, Marks};
pub use palette::Theme;

//! The event model. No UI here: usable from the CLI, tests and benchmarks.

pub mod dataset;
pub mod date;
pub mod event;
pub mod kind;

pub use dataset::{Dataset, Era};
pub use date::{DateError, FuzzyDate, Instant, Precision};
pub use event::{Actor, Casualties, Event, Place, Provenance, Role, Source, When};
pub use kind::{Glyph, KindDef, Rgb};

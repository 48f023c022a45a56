//! The event model. No UI here: usable from the CLI, tests and benchmarks.

pub mod date;
pub mod era;
pub mod event;
pub mod kind;

pub use date::{DateError, FuzzyDate, Instant, Precision};
pub use era::Era;
pub use event::{Actor, Casualties, Event, Place, Provenance, Role, Source, When};
pub use kind::{Glyph, KindDef, Rgb};

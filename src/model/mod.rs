//! The event model: events, fuzzy dates, kinds, and what each format's
//! codes and words mean as kinds ([`classify`]). No UI here, and no other
//! room: usable from the CLI, tests and benchmarks, and by `io` and
//! `analysis` alike.

pub mod classify;
pub(crate) mod date;
mod era;
mod event;
pub(crate) mod kind;

pub use date::{DateError, FuzzyDate, Instant, Precision};
pub use era::Era;
pub use event::{Actor, Casualties, Event, Place, Provenance, Role, Source, When};
pub use kind::{Glyph, KindDef, Rgb};

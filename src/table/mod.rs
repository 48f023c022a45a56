//! The column table: a dataset's events kept as columns rather than as a
//! `Vec<Event>`.
//!
//! A million `Event`s cost ~3 KB each as Rust values (a `String`, `Vec` or
//! map node per field) and most of an import's time went into allocating
//! and freeing them. Here every text field is one buffer plus offsets, and
//! every repeated value (names, roles, places, publishers, codes, `extra`
//! keys and values) is stored once in a dictionary and referred to by a
//! 4-byte code; a row's list of actors, its place, sources, tags and codes,
//! which repeat from row to row, are each stored once per distinct list
//! and referred to by a list number. An [`Event`](crate::model::Event) is
//! built only when asked for ([`EventTable::get`]);
//! the hot fields (id, title, dates, kind, actors, coordinates) have
//! accessors that read the columns without building one.
//!
//! Rows keep the order they were pushed in.
//!
//! This room sits above [`model`](crate::model): it stores the model's
//! events, dates and roles, and the model knows nothing of it. It sits
//! below [`store`](crate::store) and [`io`](crate::io), which build and
//! read tables. Its parts: `texts` (text buffers), `dict` (the
//! dictionary), `dates` (date columns), `lists` (list columns, shared when
//! they repeat), `cells` (what list columns hold), `event_table` (the
//! table and its readers), `builder` (writing rows), `codec` (the column
//! cache's bytes) and `dataset` (a whole dataset: title, kinds, eras and
//! its events as a table).

mod builder;
mod cells;
mod codec;
mod dataset;
mod dates;
mod dict;
mod event_table;
mod lists;
mod texts;

#[cfg(test)]
pub(crate) mod tests;

pub use builder::{PlaceParts, RowBuilder, RowHead, SourceParts};
pub use cells::WordField;
pub use codec::DecodeError;
pub use dataset::Dataset;
pub use event_table::EventTable;

/// `n` times `scale`, for room reserved ahead of a large import.
fn scaled(n: usize, scale: f64) -> usize {
    (n as f64 * scale) as usize
}

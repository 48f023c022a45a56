//! Delimited tables with a header row, as the table readers (ACLED, UCDP,
//! generic CSV, TimelineJS's sheet) read them: the delimiter sniffed and
//! the header's names made comparable ([`sniff`]); the table read record
//! by record, each with what places a problem in it ([`rows`]); a row's
//! cells read with what is wrong reported ([`fields`]); and the pipeline
//! that turns the rows into events, on every core for a large file
//! ([`pipeline`]).

mod fields;
mod pipeline;
mod rows;
mod sniff;

pub(crate) use fields::{coordinates, optional, required, required_day};
pub(crate) use pipeline::{loaded, read_rows, read_strict};
pub(crate) use rows::{ExtraKeys, Named, Row, Sheet, Table};
pub(crate) use sniff::normalise_name;

//! Eventline: a fast desktop viewer for timelines of conflict and diplomacy.
//!
//! The house, bottom up (each room names only rooms below it; the test
//! `tests/it/layering.rs` fails on any other arrow):
//!
//! - [`model`]: events, fuzzy dates, kinds, eras. Names no other room.
//! - [`table`]: the events as columns, and a whole [`table::Dataset`].
//! - [`store`] (immutable indexed columns, lanes, filters, search) and
//!   [`io`] (file formats, the column cache, the notes sidecar), side by
//!   side: neither names the other.
//! - [`analysis`] (compare, truce periods, histogram, call network) and
//!   [`geo`] (projection, basemap, clusters), over the store.
//! - [`view`]: saved views, joining the store's filter to the sidecar.
//! - [`timeline`]: what to draw — axis, ticks, layout, metrics, geometry,
//!   marks, palette, labels. No egui.
//! - [`render`]: SVG, PNG and PDF from the timeline. No egui.
//! - [`cli`]: the headless commands (`inspect`, `convert`, `render`).
//! - [`ui`]: the window (egui/eframe), and only `main` names it.
//! - [`synth`]: synthetic datasets for benchmarks, examples and tests.
//!
//! Data flows one way: file → `io` → `table`/`store` (shared as `Arc`) →
//! `timeline` → `ui` or `render`.

pub mod analysis;
pub mod cli;
mod geo;
pub mod io;
pub mod model;
pub mod render;
pub mod store;
pub mod synth;
pub mod table;
pub mod timeline;
pub mod ui;
pub mod view;

/// The dataset shown when Eventline starts with no file.
pub const DEFAULT_DATASET: &[u8] = include_bytes!("../assets/nagorno-karabakh-2022.json");
pub const DEFAULT_DATASET_NAME: &str = "nagorno-karabakh-2022.json";

/// Read the embedded default dataset.
pub fn default_dataset() -> Result<io::Loaded, io::LoadError> {
    io::load_bytes(
        std::path::Path::new(DEFAULT_DATASET_NAME),
        DEFAULT_DATASET,
        Some(io::Format::Eventline),
    )
}

//! Eventline: a fast desktop viewer for timelines of conflict and diplomacy.
//!
//! Layers, bottom up: [`model`] (events, fuzzy dates, kinds); over it
//! [`table`] (the events as columns); over those, side by side and
//! independent of each other, [`store`] (immutable indexed columns,
//! filtering) and [`io`] (file formats: reading, saving, the notes
//! sidecar). None of these know about the UI; [`ui`] sits on top and is the
//! only place that joins `io` to `store`, besides the headless commands
//! ([`convert`], [`inspect`]) and [`view`] (saved views, which put a store
//! filter into the notes sidecar). Data flows one way: file → `io` →
//! `store` (shared as `Arc`) → `ui`.

pub mod analysis;
pub mod cli;
pub mod geo;
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

//! Eventline: a fast desktop viewer for timelines of conflict and diplomacy.
//!
//! Layers, bottom up: [`model`] (events, fuzzy dates) → [`store`] (immutable
//! indexed columns) → [`io`] (file formats). None of these know about the
//! UI; [`ui`] sits on top.

pub mod convert;
pub mod inspect;
pub mod io;
pub mod model;
pub mod store;
pub mod synth;
pub mod ui;

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

//! Eventline's integration tests, as one test binary with a module per
//! concern.
//!
//! Cargo builds every file directly in `tests/` as a test binary of its
//! own, and links each one with the whole crate and everything it pulls in
//! (egui, wgpu, Arrow and Parquet, the SVG/PDF export stack): 24 files
//! were 24 slow links of much the same code, and 24 large binaries of it
//! on disk. As modules of this one binary they are linked once. Run one
//! concern with a filter: `cargo test --test it ui_map::`.
//!
//! `fixtures` holds what the modules share (fixture paths, the default
//! dataset, the built binary, the app in a test harness).

mod fixtures;

mod classify_table;
mod cli;
mod convert;
mod dataset;
mod format_acled;
mod format_api;
mod format_csv;
mod format_gdelt;
mod format_older;
mod format_thetimeline;
mod format_timelinejs;
mod format_ucdp;
mod fuzz_regressions;
mod golden_svg;
mod layering;
mod native_format;
mod no_silent_wrong_facts;
mod parquet;
mod render;
mod ui;
mod ui_analysis;
mod ui_export;
mod ui_files;
mod ui_map;
mod ui_review;
mod ui_views;

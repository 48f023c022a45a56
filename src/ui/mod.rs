//! The window: eframe/egui on top of `model`, `store` and `io`.
//!
//! [`app`] owns the state and applies [`command::Command`]s; each panel
//! ([`detail`], [`notes`], [`filters`], [`table`], [`timeline`], [`map`]) is a
//! struct with `fn ui(&mut self, ui, …)` that reads the store and the view
//! state and pushes commands. [`style`] holds colours and number formats;
//! [`annotations`] the user's notes; [`loader`] reads files on a worker.

mod analysis;
mod annotations;
pub mod app;
mod command;
mod compare;
mod detail;
mod export_view;
mod file_browser;
mod filters;
mod frame_stats;
pub mod histogram;
pub mod loader;
pub mod map;
mod network;
mod notes;
mod style;
mod table;
pub mod timeline;

use std::path::PathBuf;

pub use app::EventlineApp;
pub use command::Command;

use crate::io::LoadOptions;

/// Open the main window and run until it is closed.
pub fn run(
    files: Vec<PathBuf>,
    load_options: LoadOptions,
    view: Option<String>,
) -> eframe::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Eventline")
            .with_app_id("eventline")
            .with_inner_size([1360.0, 820.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true),
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        "Eventline",
        options,
        Box::new(move |cc| {
            Ok(Box::new(
                EventlineApp::new(cc, files, load_options).open_view_when_loaded(view),
            ))
        }),
    )
}

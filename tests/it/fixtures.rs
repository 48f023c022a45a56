//! What the test modules share: where the fixture files and the default
//! dataset's file are, the default dataset saved where a test wants it, the
//! built `eventline` binary, and the real app opened in a test harness.

use std::path::{Path, PathBuf};
use std::process::Command;

use egui::Vec2;
use egui_kittest::Harness;
use eventline::ui::EventlineApp;

/// `tests/fixtures/REL`, e.g. `path("malformed.json")` or
/// `path("csv/wars.tsv")`.
pub fn path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// `tests/fixtures/DIR/NAME`, e.g. `in_dir("acled", "api-2022-08.csv")`.
pub fn in_dir(dir: &str, name: &str) -> PathBuf {
    path(dir).join(name)
}

/// `assets/NAME`.
pub fn asset(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join(name)
}

/// The file the embedded default dataset is built from
/// (`assets/nagorno-karabakh-2022.json`).
pub fn default_dataset_file() -> PathBuf {
    asset(eventline::DEFAULT_DATASET_NAME)
}

/// The embedded default dataset saved in the native format at `path`.
pub fn save_default_dataset(path: &Path) {
    eventline::io::native::save(path, &eventline::default_dataset().unwrap().dataset).unwrap();
}

/// The embedded default dataset saved as `DIR/nk.json`, so notes and
/// views have a sidecar to go to.
pub fn default_dataset_in(dir: &Path) -> PathBuf {
    let p = dir.join("nk.json");
    save_default_dataset(&p);
    p
}

/// The built `eventline` binary, to run as the command line.
pub fn eventline() -> Command {
    Command::new(env!("CARGO_BIN_EXE_eventline"))
}

/// The real app (eframe `App`) in a 1400×800 test window, opened on
/// `files` (none: the built-in dataset), loaded and settled.
pub fn open(files: Vec<PathBuf>) -> Harness<'static, EventlineApp> {
    open_sized(files, Vec2::new(1400.0, 800.0))
}

/// As [`open`], in a window of `size`.
pub fn open_sized(files: Vec<PathBuf>, size: Vec2) -> Harness<'static, EventlineApp> {
    let mut h = Harness::builder()
        .with_max_steps(64)
        .with_size(size)
        .build_eframe(move |cc| EventlineApp::new(cc, files, Default::default()));
    h.state_mut().wait_for_load();
    h.run();
    h
}

/// Apply `c` the way the app's keys, buttons and dialogs do.
pub fn apply(h: &mut Harness<'static, EventlineApp>, c: eventline::ui::Command) {
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, c);
}

//! What every fuzz target checks once a reader has run: nothing may panic,
//! and a dataset that was read can be indexed, saved and read back, and
//! exported, without panicking either.

use std::path::Path;

use eventline::io::{self, Format};
use eventline::store::Store;

/// Read `data` as if it were the file `name`, in `format` (or the detected
/// one when `None`), then exercise what the viewer does with the result.
pub fn read(name: &str, data: &[u8], format: Option<Format>) {
    let path = Path::new(name);
    let Ok(loaded) = io::load_bytes(path, data, format) else {
        return;
    };
    after_load(loaded);
}

/// Save (native JSON) and re-read, export CSV, build the store.
pub fn after_load(loaded: io::Loaded) {
    let mut saved = Vec::new();
    if io::native::write_to(&loaded.dataset, &mut saved).is_ok() {
        let _ = io::load_bytes(Path::new("saved.json"), &saved, Some(Format::Eventline));
    }
    let mut csv = Vec::new();
    let _ = io::export::write_csv(&loaded.dataset.events, &mut csv);
    let _ = Store::build(loaded.dataset);
}

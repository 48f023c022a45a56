//! The notes sidecar (`<dataset>.eventline-notes.json`) on arbitrary bytes:
//! parsing must never panic, and notes it accepts must survive being
//! written the way `notes::save` writes them and read again.
#![no_main]

use eventline::io::notes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = notes::parse(data) else {
        return;
    };
    let file = serde_json::json!({ "eventline_notes": notes::VERSION, "notes": parsed });
    let text = serde_json::to_vec_pretty(&file).expect("notes serialise");
    let back = notes::parse(&text).expect("saved notes read back");
    assert_eq!(back, parsed, "notes changed on a save and re-read");
});

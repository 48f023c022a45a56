//! Inputs that once crashed a fuzz target (see docs/FUZZING.md), kept in
//! `tests/fixtures/fuzz/<target>/` and read here the way that target reads
//! them (fuzz/src/lib.rs): each must now be read, or refused with a reason,
//! without a panic, and a dataset that is read must survive what the fuzz
//! targets do next (index, save and read back, export). The short smoke
//! runs found nothing, so the folders may still be empty.

use std::path::{Path, PathBuf};

use eventline::io::{self, Format, notes};
use eventline::store::Store;

use crate::fixtures;

/// The fuzz targets' names (and folders), with the format each reads as
/// (`None` for `detect`, which takes the first byte as the choice of name).
const TARGETS: [(&str, Option<Format>, &str); 9] = [
    ("detect", None, ""),
    ("native", Some(Format::Eventline), "fuzz.json"),
    ("acled", Some(Format::Acled), "fuzz.csv"),
    ("ucdp", Some(Format::Ucdp), "fuzz.csv"),
    ("gdelt", Some(Format::Gdelt), "fuzz.CSV"),
    ("timelinejs", Some(Format::TimelineJs), "fuzz.json"),
    (
        "timelinejs_sheet",
        Some(Format::TimelineJsSheet),
        "fuzz.csv",
    ),
    ("thetimeline", Some(Format::TheTimeline), "fuzz.timeline"),
    ("csv", Some(Format::Csv), "fuzz.csv"),
];

/// As in fuzz/fuzz_targets/detect.rs.
const DETECT_NAMES: [&str; 10] = [
    "fuzz",
    "fuzz.json",
    "fuzz.csv",
    "fuzz.tsv",
    "fuzz.txt",
    "fuzz.tab",
    "fuzz.CSV",
    "fuzz.timeline",
    "fuzz.export.CSV",
    "fuzz.geojson",
];

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = fixtures::in_dir("fuzz", target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// Read as the fuzz target does; say what came of it.
fn read(name: &str, bytes: &[u8], format: Option<Format>) -> String {
    match io::load_bytes(Path::new(name), bytes, format) {
        Err(e) => {
            let reason = e.reason();
            assert!(
                !reason.trim().is_empty(),
                "{name}: refused without a reason"
            );
            format!("refused: {reason}")
        }
        Ok(loaded) => {
            let outcome = format!(
                "read {} events, {} problems, {} skipped",
                loaded.dataset.events.len(),
                loaded.problems.len(),
                loaded.skipped
            );
            let mut saved = Vec::new();
            if io::native::write_to(&loaded.dataset, &mut saved).is_ok() {
                let _ = io::load_bytes(Path::new("saved.json"), &saved, Some(Format::Eventline));
            }
            let mut csv = Vec::new();
            let _ = io::export::write_csv(loaded.dataset.events.iter(), &mut csv);
            let _ = Store::build(loaded.dataset);
            outcome
        }
    }
}

#[test]
fn every_kept_crasher_is_read_or_refused_without_a_panic() {
    for (target, format, name) in TARGETS {
        for file in inputs(target) {
            let bytes = std::fs::read(&file).unwrap();
            let outcome = match format {
                Some(_) => read(name, &bytes, format),
                None => {
                    let Some((&pick, rest)) = bytes.split_first() else {
                        continue;
                    };
                    let name = DETECT_NAMES[pick as usize % DETECT_NAMES.len()];
                    let _ = io::detect(Path::new(name), rest);
                    read(name, rest, None)
                }
            };
            eprintln!("{}: {outcome}", file.display());
        }
    }
    // As in fuzz/fuzz_targets/notes.rs.
    for file in inputs("notes") {
        let bytes = std::fs::read(&file).unwrap();
        if let Ok(parsed) = notes::parse(&bytes) {
            let saved = serde_json::json!({ "eventline_notes": notes::VERSION, "notes": parsed });
            let text = serde_json::to_vec_pretty(&saved).unwrap();
            assert_eq!(notes::parse(&text).unwrap(), parsed, "{}", file.display());
        }
    }
}

//! Parquet: `convert IN OUT.parquet`, and opening the result by content.

use std::path::Path;

use eventline::cli::convert::{self, Options, Output};
use eventline::io::{self, Format, LoadError, Loaded};

use crate::fixtures;

/// Convert `input` to Parquet at `out`; what was read from `input`.
fn to_parquet(input: &Path, out: &Path) -> Loaded {
    let done = convert::convert(input, out, &Options::default()).unwrap();
    assert_eq!(done.output, Output::Parquet);
    assert_eq!(&std::fs::read(out).unwrap()[..4], b"PAR1");
    done.loaded
}

fn assert_same(back: &Loaded, first: &Loaded) {
    assert_eq!(back.format, Format::Parquet);
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    assert_eq!(back.skipped, 0);
    assert_eq!(back.dataset.events.to_vec(), first.dataset.events.to_vec());
    assert_eq!(back.dataset.title, first.dataset.title);
    assert_eq!(back.dataset.description, first.dataset.description);
    assert_eq!(back.dataset.kinds, first.dataset.kinds);
    assert_eq!(back.dataset.eras, first.dataset.eras);
}

#[test]
fn the_default_dataset_comes_back_field_for_field() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nk.parquet");
    let first = to_parquet(&fixtures::default_dataset_file(), &out);
    assert!(!first.dataset.eras.is_empty());
    let back = io::load_path(&out, None).unwrap();
    assert_same(&back, &first);
    assert_eq!(
        back.dataset.events.to_vec(),
        eventline::default_dataset()
            .unwrap()
            .dataset
            .events
            .to_vec()
    );
}

#[test]
fn the_content_not_the_name_says_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nk.parquet");
    let first = to_parquet(&fixtures::default_dataset_file(), &out);
    for name in ["misleading.csv", "misleading.json", "no-extension"] {
        let renamed = dir.path().join(name);
        std::fs::copy(&out, &renamed).unwrap();
        let back = io::load_path(&renamed, None).unwrap();
        assert_same(&back, &first);
    }
    // And `--format parquet` names it.
    let back = io::load_path(&out, Format::parse_name("parquet")).unwrap();
    assert_same(&back, &first);
}

#[test]
fn an_import_with_codes_extra_and_provenance_survives() {
    // ACLED rows carry every kind of field: places, casualties, codes,
    // extra values of several JSON types, provenance with lines.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("acled.parquet");
    let first = to_parquet(
        &fixtures::in_dir("acled", "armenia-azerbaijan-2020-2022.csv"),
        &out,
    );
    let events = first.dataset.events.to_vec();
    assert!(
        events
            .iter()
            .any(|e| !e.extra.is_empty() && !e.codes.is_empty())
    );
    assert!(
        events
            .iter()
            .any(|e| e.provenance.is_some() && e.place.is_some())
    );
    let back = io::load_path(&out, None).unwrap();
    assert_same(&back, &first);
    // Parquet back to Eventline's JSON: the same events again.
    let json = dir.path().join("acled.json");
    let done = convert::convert(&out, &json, &Options::default()).unwrap();
    assert_eq!(done.loaded.format, Format::Parquet);
    let again = io::load_path(&json, None).unwrap();
    assert_eq!(again.dataset.events.to_vec(), events);
}

#[test]
fn a_damaged_file_is_an_error_naming_it_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nk.parquet");
    to_parquet(&fixtures::default_dataset_file(), &out);
    let bytes = std::fs::read(&out).unwrap();
    let cut = dir.path().join("cut.parquet");
    for len in [4, 12, bytes.len() / 3, bytes.len() - 9, bytes.len() - 1] {
        std::fs::write(&cut, &bytes[..len]).unwrap();
        let err = io::load_path(&cut, None).unwrap_err();
        assert!(matches!(err, LoadError::Invalid { .. }), "{len}: {err}");
        let text = err.to_string();
        assert!(text.contains("cut.parquet"), "{len}: {text}");
        assert!(text.contains("Parquet"), "{len}: {text}");
    }
    // The footer intact but the data pages garbled: refused or read, never
    // a panic that escapes.
    let mut garbled = bytes.clone();
    for b in &mut garbled[8..bytes.len() / 2] {
        *b = 0xA5;
    }
    std::fs::write(&cut, &garbled).unwrap();
    if let Err(e) = io::load_path(&cut, None) {
        assert!(e.to_string().contains("cut.parquet"), "{e}");
    }
}

#[test]
fn an_unwritable_output_name_mentions_parquet() {
    let err = convert::convert(
        &fixtures::default_dataset_file(),
        Path::new("out.xlsx"),
        &Options::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains(".parquet"), "{err}");
}

//! The native format: round trips, problems, atomic saves.

use std::path::Path;

use eventline::io::{self, Format, Severity, native};

use crate::fixtures;

#[test]
fn load_save_load_gives_equal_events() {
    let first = eventline::default_dataset().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.json");
    native::save(&path, &first.dataset).unwrap();
    let second = io::load_path(&path, None).unwrap();
    assert_eq!(second.format, Format::Eventline);
    assert!(second.problems.is_empty());
    assert_eq!(second.dataset.events, first.dataset.events);
    assert_eq!(second.dataset.title, first.dataset.title);
    assert_eq!(second.dataset.eras, first.dataset.eras);
    // Saving what was read again gives the same bytes.
    let again = dir.path().join("again.json");
    native::save(&again, &second.dataset).unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read(&again).unwrap()
    );
}

#[test]
fn saved_files_have_one_event_per_line() {
    let d = eventline::default_dataset().unwrap().dataset;
    let mut out = Vec::new();
    native::write_to(&d, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let event_lines = text
        .lines()
        .filter(|l| l.trim_start().starts_with("{\"id\""))
        .count();
    assert_eq!(event_lines, d.events.len());
}

#[test]
fn malformed_events_are_skipped_and_listed() {
    let loaded = io::load_path(&fixtures::path("malformed.json"), None).unwrap();
    assert_eq!(loaded.dataset.events.len(), 2);
    assert_eq!(loaded.skipped, 3);
    let fields: Vec<(Option<u64>, Option<&str>)> = loaded
        .problems
        .iter()
        .map(|p| (p.line, p.field.as_deref()))
        .collect();
    assert_eq!(
        fields,
        vec![
            (Some(6), Some("events[1].when.start")),
            (Some(7), Some("events[2]")),
            (Some(8), Some("events[3].casualties.best")),
        ]
    );
    assert!(
        loaded
            .problems
            .iter()
            .all(|p| p.severity == Severity::Error)
    );
    assert!(loaded.problems[1].message.contains("missing field `title`"));
}

#[test]
fn a_save_that_fails_leaves_the_target_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let d = eventline::default_dataset().unwrap().dataset;
    // The target is a non-empty folder: the final rename must fail.
    let target = dir.path().join("taken");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("keep.txt"), "precious").unwrap();
    let err = native::save(&target, &d).unwrap_err();
    assert!(err.to_string().contains("taken"), "{err}");
    assert_eq!(
        std::fs::read_to_string(target.join("keep.txt")).unwrap(),
        "precious"
    );
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn a_successful_save_replaces_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.json");
    std::fs::write(&path, "x".repeat(1_000_000)).unwrap();
    let d = eventline::default_dataset().unwrap().dataset;
    native::save(&path, &d).unwrap();
    let reread = io::load_path(&path, None).unwrap();
    assert_eq!(reread.dataset.events.len(), d.events.len());
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn a_missing_file_and_a_binary_file_give_one_sentence() {
    let err = io::load_path(Path::new("/nonexistent/where.json"), None).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("/nonexistent/where.json: cannot be read"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("blob.bin");
    std::fs::write(&bin, [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    let err = io::load_path(&bin, None).unwrap_err();
    assert!(err.to_string().contains("binary file"), "{err}");
    let folder = io::load_path(dir.path(), None).unwrap_err();
    assert!(folder.to_string().contains("folder"), "{folder}");
}

#[cfg(unix)]
#[test]
fn a_save_keeps_the_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = eventline::default_dataset().unwrap().dataset;
    let fresh = dir.path().join("fresh.json");
    native::save(&fresh, &d).unwrap();
    assert_eq!(
        std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777,
        0o644
    );
    let shared = dir.path().join("shared.json");
    std::fs::write(&shared, "{}").unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o664)).unwrap();
    native::save(&shared, &d).unwrap();
    assert_eq!(
        std::fs::metadata(&shared).unwrap().permissions().mode() & 0o777,
        0o664
    );
}

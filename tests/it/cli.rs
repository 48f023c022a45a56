//! The command line: `inspect` and `--help`.

use crate::fixtures::{self, eventline};

/// `tests/fixtures/NAME` as an argument.
fn fixture(name: &str) -> String {
    fixtures::path(name).display().to_string()
}

#[test]
fn inspect_summarises_a_good_file() {
    let asset = fixtures::default_dataset_file().display().to_string();
    let out = eventline().args(["inspect", &asset]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "eventline");
    assert_eq!(v["events"], 15);
    assert_eq!(v["kinds"]["call"], 3);
    assert_eq!(v["kinds"]["truce"], 1);
    assert_eq!(v["earliest"], "1991-01-01");
    assert_eq!(v["latest"], "2022-08-05");
    assert_eq!(v["skipped"], 0);
    assert_eq!(v["problems"], serde_json::json!([]));
    assert_eq!(v["file"], asset);
    assert_eq!(v["title"], "Nagorno-Karabakh, August 2022 (RFE/RL)");
}

#[test]
fn inspect_lists_problems_and_still_succeeds() {
    let out = eventline()
        .args(["inspect", &fixture("malformed.json")])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["events"], 2);
    assert_eq!(v["skipped"], 3);
    let first = &v["problems"][0];
    assert_eq!(first["line"], 6);
    assert_eq!(first["field"], "events[1].when.start");
    assert!(first["column"].as_u64().unwrap() > 1);
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .contains("`2022-02-30` is not a date")
    );
}

#[test]
fn inspect_fails_with_one_line_when_unreadable() {
    let out = eventline()
        .args(["inspect", "/no/such/file.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("/no/such/file.json"));

    let dir = tempfile::tempdir().unwrap();
    let truncated = dir.path().join("cut.json");
    std::fs::write(&truncated, "{\"eventline\": 1, \"events\": [{\"id\": ").unwrap();
    let out = eventline().arg("inspect").arg(&truncated).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("line 1"), "{err}");
}

#[test]
fn help_documents_every_option() {
    let out = eventline().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "inspect",
        "convert",
        "--format",
        "--dates",
        "[FILES]",
        "--help",
        "--version",
    ] {
        assert!(text.contains(needle), "--help lacks {needle}:\n{text}");
    }
    let out = eventline().args(["inspect", "--help"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Exit status 0"), "{text}");
}

#[test]
fn an_unknown_format_is_named() {
    let out = eventline()
        .args(["inspect", "--format", "xls", "x"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("unknown format `xls`"), "{err}");
}

fn earliest(args: &[&str]) -> String {
    let out = eventline().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["earliest"].as_str().unwrap_or_default().to_string()
}

#[test]
fn dates_choose_the_order_of_all_number_days() {
    let file = fixture("csv/ambiguous-dates.csv");
    // Undecidable from the column: day first, with a warning naming --dates.
    let out = eventline().args(["inspect", &file]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["earliest"], "2022-04-03");
    assert!(v["problems"].to_string().contains("--dates"), "{v}");
    assert_eq!(
        earliest(&["inspect", "--dates", "mdy", &file]),
        "2022-03-04"
    );
    assert_eq!(
        earliest(&["inspect", "--dates", "dmy", &file]),
        "2022-04-03"
    );
    let bad = eventline()
        .args(["inspect", "--dates", "myd", &file])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let err = String::from_utf8(bad.stderr).unwrap();
    assert!(err.contains("unknown date order `myd`"), "{err}");
}

#[test]
fn convert_takes_the_date_order_too() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out.json");
    let out_str = out_path.display().to_string();
    let file = fixture("csv/ambiguous-dates.csv");
    let out = eventline()
        .args(["convert", "--dates", "mdy", &file, &out_str])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(earliest(&["inspect", &out_str]), "2022-03-04");
}

//! `eventline convert IN OUT`: any readable file to Eventline's format or
//! CSV, with `inspect`'s exit status and messages.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::fixtures::{self, eventline};

fn run(args: &[&Path]) -> Output {
    let mut c = eventline();
    c.arg("convert");
    for a in args {
        c.arg(a);
    }
    c.output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Each event's `when` as the file writes it, by id.
fn whens(path: &Path) -> Vec<(String, Value)> {
    let v: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_str().unwrap().to_string(), e["when"].clone()))
        .collect()
}

/// Every date form the parser reads back to the same text, each ending
/// flagged or not, as points and as spans, with and without notes.
fn date_forms_file(dir: &Path) -> PathBuf {
    let bases = [
        "2022",
        "2022-08",
        "2022-W31",
        "2022-08-05",
        "2022-08-05T14",
        "2022-08-05T14:30",
        "2022-08-05T14:30:15",
        "2022/2024",
        "2022-08/2022-10",
        "2022-08-01/2022-08-05",
        "2022-08-05T10/2022-08-05T18",
        // Mixed precisions and flags on either end: once saved lossily.
        "2020-09-27/2020-11",
        "2022-08-05T10:00/2022-08-06",
        "2022/2022-06",
        "2020-09~/2022-08-05",
        "2020-09-29?/2020-11-10~",
        "2022-08-05T10:00/2022-08-05T18:30",
        "2022-W31/2022-08",
        "-0500",
        "0033-04",
    ];
    let mut events = Vec::new();
    let mut n = 0;
    for base in bases {
        // A flag after another is another spelling (`~?` is `%`): not added
        // to texts that end in one.
        let flags: &[&str] = if base.ends_with(['~', '?', '%']) {
            &[""]
        } else {
            &["", "~", "?", "%"]
        };
        for flag in flags {
            n += 1;
            let start = format!("{base}{flag}");
            events.push(serde_json::json!({
                "id": format!("p{n}"), "title": "t", "kind": "other",
                "when": {"start": start}
            }));
            events.push(serde_json::json!({
                "id": format!("s{n}"), "title": "t", "kind": "other",
                "when": {"start": start, "end": "2030-01-01", "note": "a note"}
            }));
        }
    }
    let path = dir.join("forms.json");
    let file = serde_json::json!({"eventline": 1, "title": "Forms", "events": events});
    std::fs::write(&path, serde_json::to_vec_pretty(&file).unwrap()).unwrap();
    path
}

#[test]
fn a_native_file_converts_to_itself_with_every_when_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    for input in [
        fixtures::default_dataset_file(),
        date_forms_file(dir.path()),
    ] {
        let out = dir.path().join("back.json");
        let r = run(&[&input, &out]);
        assert!(r.status.success(), "{}", stderr(&r));
        assert!(stderr(&r).is_empty(), "{}", stderr(&r));
        let (a, b) = (whens(&input), whens(&out));
        assert!(!a.is_empty());
        assert_eq!(a, b, "{}", input.display());
    }
}

#[test]
fn an_acled_api_response_converts_to_csv_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("acled.csv");
    let r = run(&[&fixtures::path("acled/api-2022-08-10.json"), &csv]);
    assert!(r.status.success(), "{}", stderr(&r));
    let mut reader = csv::Reader::from_path(&csv).unwrap();
    let headers = reader.headers().unwrap().clone();
    let id = headers.iter().position(|h| h == "id").unwrap();
    let ids: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[id].to_string())
        .collect();
    assert_eq!(ids.len(), 5);
    assert!(ids.contains(&"ARM0300".to_string()), "{ids:?}");
    // The CSV written is a file Eventline reads.
    let json = dir.path().join("again.json");
    let r = run(&[&csv, &json]);
    assert!(r.status.success(), "{}", stderr(&r));
    assert_eq!(whens(&json).len(), 5);
}

#[test]
fn problems_are_summed_up_on_stderr_and_still_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let r = run(&[&fixtures::path("malformed.json"), &out]);
    assert!(r.status.success(), "{}", stderr(&r));
    assert!(r.stdout.is_empty());
    let err = stderr(&r);
    let last = err.lines().last().unwrap_or("");
    assert!(
        last.contains("read 2 events as eventline") && last.contains("3 records skipped"),
        "{err}"
    );
    assert!(err.contains("events[1].when.start"), "{err}");
    assert_eq!(whens(&out).len(), 2);
}

#[test]
fn format_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let r = eventline()
        .args(["convert", "--format", "csv"])
        .arg(fixtures::path("acled/api-2022-08.csv"))
        .arg(&out)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", stderr(&r));
    let v: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["events"][0]["provenance"]["format"], "csv");
}

#[test]
fn unreadable_input_or_unwritable_output_fail_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let cases: [(PathBuf, PathBuf, &str); 4] = [
        (dir.path().join("missing.json"), out.clone(), "missing.json"),
        (
            fixtures::path("json/places.geojson.json"),
            out.clone(),
            "TimelineJS 2",
        ),
        (
            fixtures::default_dataset_file(),
            dir.path().join("no/such/dir/out.json"),
            "cannot be saved",
        ),
        (
            fixtures::default_dataset_file(),
            dir.path().join("out.xlsx"),
            "out.xlsx",
        ),
    ];
    for (input, output, needle) in cases {
        let r = run(&[&input, &output]);
        assert_eq!(r.status.code(), Some(1), "{}", input.display());
        assert!(r.stdout.is_empty());
        let err = stderr(&r);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{err}");
    }
    assert!(!out.exists());
}

#[test]
fn a_failed_write_leaves_the_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    std::fs::write(&out, "old").unwrap();
    let r = run(&[&dir.path().join("missing.json"), &out]);
    assert_eq!(r.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
}

#[test]
fn help_documents_convert() {
    let out = eventline().arg("--help").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("convert"), "{text}");
    let out = eventline().args(["convert", "--help"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Exit status 0"), "{text}");
    assert!(text.contains(".csv"), "{text}");
}

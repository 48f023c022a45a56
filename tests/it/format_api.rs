//! The ACLED and UCDP APIs' JSON: detected by content, read row by row as
//! the CSV readers read the same rows, problems placed in the JSON.

use eventline::io::{self, Format, Severity};
use eventline::model::Event;

use crate::fixtures;

fn load(dir: &str, name: &str, format: Option<Format>) -> io::Loaded {
    match io::load_path(&fixtures::in_dir(dir, name), format) {
        Ok(l) => l,
        Err(e) => panic!("{name}: {e}"),
    }
}

/// An event without where it was read from (line and file differ between
/// a CSV and a JSON holding the same row).
fn without_origin(e: &Event) -> Event {
    let mut e = e.clone();
    e.provenance = None;
    e
}

fn by_id(events: &eventline::table::EventTable, id: &str) -> Event {
    match events.iter().find(|e| e.id == id) {
        Some(e) => e,
        None => panic!("no event {id}"),
    }
}

#[test]
fn an_acled_api_response_is_detected_and_read_like_the_csv() {
    let api = load("acled", "api-2022-08-10.json", None);
    assert_eq!(api.format, Format::Acled);
    assert!(api.problems.is_empty(), "{:#?}", api.problems);
    assert_eq!(api.skipped, 0);
    assert_eq!(api.dataset.title, "ACLED API: api-2022-08-10.json");
    assert!(api.dataset.description.contains("1666310400"));
    // The same rows, exported as CSV by other routes.
    let a = load("acled", "api-2022-08.csv", None);
    let b = load("acled", "armenia-azerbaijan-2020-2022.csv", None);
    let csv_events: Vec<Event> = a
        .dataset
        .events
        .iter()
        .chain(b.dataset.events.iter())
        .collect();
    assert_eq!(api.dataset.events.len(), 5);
    for e in api.dataset.events.iter() {
        let same = csv_events
            .iter()
            .find(|c| c.id == e.id)
            .unwrap_or_else(|| panic!("{} is in no CSV fixture", e.id));
        assert_eq!(without_origin(&e), without_origin(same), "{}", e.id);
    }
    let kinds: Vec<&str> = api.dataset.kinds.iter().map(|k| k.id.as_str()).collect();
    assert_eq!(kinds, ["violence"]);
    // Each event says where in the JSON its row starts.
    let text = std::fs::read_to_string(fixtures::in_dir("acled", "api-2022-08-10.json")).unwrap();
    for e in api.dataset.events.iter() {
        let p = e.provenance.as_ref().unwrap();
        assert_eq!(p.format, "acled");
        let line = p.line.unwrap() as usize;
        let next = text.lines().nth(line).unwrap_or("");
        assert!(
            next.contains(&format!("\"event_id_cnty\": \"{}\"", e.id)),
            "{}: line {line} is followed by {next}",
            e.id
        );
    }
}

#[test]
fn acled_api_problems_name_the_json_path_line_and_column() {
    let l = load("acled", "api-problems.json", None);
    let text = std::fs::read_to_string(fixtures::in_dir("acled", "api-problems.json")).unwrap();
    assert_eq!(l.format, Format::Acled);
    assert_eq!(l.dataset.events.len(), 2);
    assert_eq!(l.skipped, 1);
    let find = |field: &str| {
        l.problems
            .iter()
            .find(|p| p.field.as_deref() == Some(field))
            .unwrap_or_else(|| panic!("no problem at {field}: {:#?}", l.problems))
    };
    // Everything is on line 1: the column tells the value.
    let column_of = |needle: &str| text.find(needle).unwrap() as u64 + 1;
    let date = find("data[1].event_date");
    assert_eq!(date.severity, Severity::Error);
    assert_eq!(date.line, Some(1));
    assert_eq!(date.column, Some(column_of("\"2022-08-32\"")));
    assert!(date.message.contains("2022-08-32"), "{}", date.message);
    let lat = find("data[2].latitude");
    assert_eq!(lat.severity, Severity::Warning);
    assert_eq!(lat.column, Some(column_of("\"139.8417\"")));
    let dup = find("data[2].event_id_cnty");
    assert!(
        dup.message.contains("in data[0] on line 1"),
        "{}",
        dup.message
    );
    let limit = find("messages[0]");
    assert!(limit.message.contains("more rows than the limit"));
    assert!(
        l.problems
            .iter()
            .any(|p| p.message.contains("holds 4 rows but it holds 3")),
        "{:#?}",
        l.problems
    );
}

#[test]
fn format_acled_reads_both_the_csv_and_the_json() {
    let json = load("acled", "api-2022-08-10.json", Some(Format::Acled));
    assert_eq!(json.dataset.events.len(), 5);
    let csv = load("acled", "api-2022-08.csv", Some(Format::Acled));
    assert_eq!(csv.dataset.events.len(), 2);
}

#[test]
fn a_ucdp_api_page_is_detected_and_read_like_the_csv() {
    let api = load("ucdp", "ged-api-page.json", None);
    let csv = load("ucdp", "ged-armenia-azerbaijan.csv", None);
    assert_eq!(api.format, Format::Ucdp);
    assert_eq!(api.dataset.title, "UCDP GED API: ged-api-page.json");
    let ids: Vec<String> = api.dataset.events.iter().map(|e| e.id).collect();
    let csv_ids: Vec<String> = csv.dataset.events.iter().map(|e| e.id).collect();
    assert_eq!(ids, csv_ids);
    for e in api.dataset.events.iter() {
        assert_eq!(
            without_origin(&e),
            without_origin(&by_id(&csv.dataset.events, &e.id)),
            "{}",
            e.id
        );
    }
    // The same rows give the same problems, placed in the JSON.
    assert_eq!(api.skipped, csv.skipped);
    assert_eq!(
        api.problems.len(),
        csv.problems.len(),
        "{:#?}",
        api.problems
    );
    for (j, c) in api.problems.iter().zip(&csv.problems) {
        assert_eq!(j.severity, c.severity);
        // The API writes its times with a `T`.
        assert_eq!(j.message.replace("T00:00", " 00:00"), c.message);
        let field = j.field.as_deref().unwrap_or("");
        assert!(field.starts_with("Result["), "{field}");
        if let Some(name) = &c.field {
            assert!(field.ends_with(&format!(".{name}")), "{field} / {name}");
        }
        assert_eq!(j.line, Some(1));
    }
}

//! Generic CSV/TSV tables: delimiter sniffing, column names, dates, kinds.

use std::path::Path;

use eventline::io::{self, Format, LoadError, Severity, native};
use eventline::model::{FuzzyDate, Precision, Role};

use crate::fixtures;

fn load(name: &str) -> io::Loaded {
    io::load_path(&fixtures::in_dir("csv", name), None).unwrap()
}

#[test]
fn semicolon_table_with_quoted_newlines() {
    let l = load("karabakh-diplomacy-semicolon.csv");
    assert_eq!(l.format, Format::Csv);
    let ids: Vec<String> = l.dataset.events.iter().map(|e| e.id).collect();
    // The row without an id gets one from its content, not its position.
    let content = eventline::io::ids::content_key(&l.dataset.events.get(1).unwrap());
    let made = format!("row-{:016x}", eventline::io::ids::fnv1a(content.as_bytes()));
    assert_eq!(ids, ["tr-1", made.as_str(), "ex-3", "mt-4", "cl-5", "mo-7"]);
    let kinds: Vec<String> = l.dataset.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            "truce",
            "call",
            "prisoner-exchange",
            "meeting",
            "clash",
            "deployment"
        ]
    );
    // The one kind of its own is defined with its words as the label.
    assert_eq!(l.dataset.kinds.len(), 1);
    assert_eq!(l.dataset.kinds[0].id, "prisoner-exchange");
    assert_eq!(l.dataset.kinds[0].label, "Prisoner exchange");
    assert_eq!(
        l.dataset.events.to_vec()[2].codes["csv.type"],
        "Prisoner exchange"
    );
    assert!(
        l.dataset
            .resolved_kinds()
            .iter()
            .any(|k| k.id == "prisoner-exchange")
    );
}

#[test]
fn dates_in_many_spellings() {
    let l = load("karabakh-diplomacy-semicolon.csv");
    let e = l.dataset.events.to_vec();
    assert_eq!(e[0].when.start, FuzzyDate::day(2020, 11, 10).unwrap());
    assert_eq!(e[1].when.start, FuzzyDate::day(2022, 8, 5).unwrap());
    assert_eq!(e[2].when.start, FuzzyDate::day(2022, 8, 5).unwrap());
    assert_eq!(e[3].when.start.precision, Precision::Minute);
    assert_eq!(e[3].when.start.to_text(), "2022-08-31T14:30");
    assert_eq!(e[3].when.end.unwrap().to_text(), "2022-08-31T18:00");
    assert_eq!(e[4].when.start, FuzzyDate::day(2022, 9, 13).unwrap());
    assert_eq!(e[4].when.end, Some(FuzzyDate::day(2022, 9, 14).unwrap()));
    assert_eq!(e[5].when.start, FuzzyDate::month(2022, 9).unwrap());
}

#[test]
fn bad_rows_are_reported_by_line() {
    let l = load("karabakh-diplomacy-semicolon.csv");
    assert_eq!(l.skipped, 2);
    assert_eq!(l.problems.len(), 2, "{:#?}", l.problems);
    let p = &l.problems[0];
    assert_eq!(p.severity, Severity::Error);
    // Two quoted newlines come before it.
    assert_eq!(p.line, Some(9));
    assert_eq!(p.column, Some(7));
    assert_eq!(p.field.as_deref(), Some("Date"));
    assert!(
        p.message.contains("February 2022 has no day 30"),
        "{}",
        p.message
    );
    let p = &l.problems[1];
    assert_eq!(p.line, Some(11));
    assert!(p.message.contains("row 8 has no date"), "{}", p.message);
}

#[test]
fn columns_find_their_homes() {
    let l = load("karabakh-diplomacy-semicolon.csv");
    let e = l.dataset.events.get(0).unwrap();
    assert_eq!(e.title, "Trilateral statement ends the war");
    assert_eq!(
        e.description,
        "Signed overnight;\ntook effect 01:00 Moscow time."
    );
    let names: Vec<&str> = e.actors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Pashinyan", "Aliyev", "Putin"]);
    assert!(e.actors.iter().all(|a| a.role == Role::Participant));
    let place = e.place.as_ref().unwrap();
    assert_eq!(place.name, "Moscow");
    assert_eq!(place.country.as_deref(), Some("Russia"));
    assert_eq!((place.lat, place.lon), (Some(55.7558), Some(37.6173)));
    assert_eq!(
        e.sources[0].url.as_deref(),
        Some("https://en.kremlin.ru/events/president/news/64384")
    );
    assert_eq!(e.tags, ["war", "diplomacy"]);
    assert_eq!(e.extra["Analyst"], "AK");
    assert_eq!(e.extra.len(), 1);
    assert_eq!(
        e.provenance.as_ref().unwrap().record.as_deref(),
        Some("tr-1")
    );
    assert_eq!(e.provenance.as_ref().unwrap().line, Some(2));

    let call = l.dataset.events.get(1).unwrap();
    assert_eq!(call.provenance.as_ref().unwrap().record, None);
    assert_eq!(call.provenance.as_ref().unwrap().line, Some(4));
    assert_eq!(
        call.sources[0].publisher.as_deref(),
        Some("U.S. Department of State")
    );
    assert_eq!(call.place, None);

    let clash = l.dataset.events.get(4).unwrap();
    assert_eq!(clash.casualties.as_ref().unwrap().best, Some(207));
    assert!(clash.description.contains("\"dozens killed\""));
}

#[test]
fn tsv_with_bom_and_loose_header_names() {
    let l = load("wars.tsv");
    assert_eq!(l.format, Format::Csv);
    assert!(l.problems.is_empty(), "{:#?}", l.problems);
    let war = l.dataset.events.get(0).unwrap();
    assert_eq!(war.title, "Second Karabakh War");
    assert_eq!(war.kind, "war");
    assert_eq!(war.when.start, FuzzyDate::day(2020, 9, 27).unwrap());
    assert_eq!(war.when.end, Some(FuzzyDate::day(2020, 11, 10).unwrap()));
    assert_eq!(war.actors.len(), 2);
    assert_eq!(war.place.as_ref().unwrap().name, "Nagorno-Karabakh");
    let year = l.dataset.events.get(1).unwrap();
    assert_eq!(year.when.start.precision, Precision::Year);
    assert_eq!(year.kind, "other");
    let made = format!(
        "row-{:016x}",
        eventline::io::ids::fnv1a(eventline::io::ids::content_key(&year).as_bytes())
    );
    assert_eq!(year.id, made);
    assert_eq!(year.provenance.as_ref().unwrap().line, Some(3));
}

#[test]
fn no_date_column_is_a_clear_error() {
    let err = io::load_path(&fixtures::in_dir("csv", "no-date-column.csv"), None).unwrap_err();
    assert!(matches!(err, LoadError::Invalid { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("has no date column"), "{msg}");
    assert!(msg.contains("`name`, `place`, `notes`"), "{msg}");
}

#[test]
fn round_trip_through_the_native_format() {
    for name in ["karabakh-diplomacy-semicolon.csv", "wars.tsv"] {
        let first = load(name);
        let mut bytes = Vec::new();
        native::write_to(&first.dataset, &mut bytes).unwrap();
        let back = native::read(Path::new("x.json"), &bytes).unwrap();
        assert!(back.problems.is_empty(), "{name}: {:#?}", back.problems);
        assert_eq!(back.dataset.events, first.dataset.events, "{name}");
        assert_eq!(back.dataset.kinds, first.dataset.kinds, "{name}");
    }
}

#[test]
fn ragged_rows_and_windows_1252() {
    let bytes =
        b"date;title;place\r\n2022-08-05;Caf\xe9 talks\r\n2022-08-06;x;y;z\r\n2022-08-05;dup;p\r\n";
    let l = io::csv_generic::read(Path::new("t.csv"), bytes).unwrap();
    assert_eq!(l.dataset.events.len(), 3);
    assert_eq!(l.dataset.events.to_vec()[0].title, "Café talks");
    assert_eq!(l.dataset.events.to_vec()[1].extra["column 4"], "z");
    let lines: Vec<(Severity, Option<u64>)> =
        l.problems.iter().map(|p| (p.severity, p.line)).collect();
    assert_eq!(
        lines,
        [
            (Severity::Warning, None),
            (Severity::Warning, Some(2)),
            (Severity::Warning, Some(3)),
        ]
    );
    assert!(l.problems[0].message.contains("Windows-1252"));
}

#[test]
fn duplicate_ids_are_warned_about() {
    let text = "id,date\na,2022\na,2023\n";
    let l = io::csv_generic::read(Path::new("t.csv"), text.as_bytes()).unwrap();
    assert_eq!(l.dataset.events.len(), 2);
    assert_eq!(l.problems.len(), 1);
    assert_eq!(l.problems[0].line, Some(3));
    assert!(l.problems[0].message.contains("line 2"));
}

//! TimelineJS3 JSON and its spreadsheet form.

use std::path::{Path, PathBuf};

use eventline::io::{self, Format, Severity, native, timelinejs};
use eventline::model::Precision;

use crate::fixtures;

fn fixture(name: &str) -> PathBuf {
    fixtures::in_dir("timelinejs", name)
}

const JSON: &str = "karabakh-2022.json";
const SHEET: &str = "karabakh-2022-sheet.csv";

/// 1-based line and column of the first `needle` after line `after`.
fn find(text: &str, needle: &str, line: u64) -> (u64, u64) {
    let l = text.lines().nth(line as usize - 1).unwrap();
    let byte = l.find(needle).unwrap();
    (line, l[..byte].chars().count() as u64 + 1)
}

#[test]
fn json_is_detected_and_read() {
    let loaded = io::load_path(&fixture(JSON), None).unwrap();
    assert_eq!(loaded.format, Format::TimelineJs);
    let d = &loaded.dataset;
    assert_eq!(d.title, "Nagorno-Karabakh & the 2022 crisis");
    assert_eq!(
        d.description,
        "Diplomacy and fighting around Lachin, August 2022."
    );
    assert_eq!(d.source.as_deref(), Some(JSON));
    let ids: Vec<String> = d.events.iter().map(|e| e.id).collect();
    // Slides without a `unique_id` get one from their content.
    let made = |i: usize| {
        let content = eventline::io::ids::content_key(&d.events.get(i).unwrap());
        format!(
            "slide-{:016x}",
            eventline::io::ids::fnv1a(content.as_bytes())
        )
    };
    assert_eq!(
        ids,
        [
            "war-2020",
            made(1).as_str(),
            "clash-0803",
            "call-blinken",
            made(4).as_str(),
            made(5).as_str()
        ]
    );
    let kinds: Vec<String> = d.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            "truce",
            "meeting",
            "clash",
            "call",
            "deployment",
            "territorial"
        ]
    );
    let precisions: Vec<Precision> = d
        .events
        .to_vec()
        .iter()
        .map(|e| e.when.start.precision)
        .collect();
    assert_eq!(
        precisions,
        [
            Precision::Year,
            Precision::Month,
            Precision::Day,
            Precision::Hour,
            Precision::Minute,
            Precision::Day
        ]
    );
    assert_eq!(d.events.to_vec()[3].when.start.to_text(), "2022-08-05T14");
    assert_eq!(
        d.events.to_vec()[4].when.start.to_text(),
        "2022-08-13T10:30"
    );
    // A span: August to September 2022.
    let talks = d.events.get(1).unwrap();
    assert_eq!(talks.when.start.to_text(), "2022-08");
    assert_eq!(talks.when.end.unwrap().to_text(), "2022-09");
    assert_eq!(
        talks.description,
        "Negotiations on the new road & the corridor."
    );
    assert_eq!(talks.tags, ["Diplomacy"]);
    assert_eq!(talks.codes["timelinejs.group"], "Diplomacy");
    for e in d.events.iter() {
        let p = e.provenance.as_ref().unwrap();
        assert_eq!(p.format, "timelinejs");
        assert_eq!(p.file.as_deref(), Some(JSON));
    }
    assert_eq!(
        d.events.to_vec()[0].provenance.as_ref().unwrap().line,
        Some(23)
    );
    assert_eq!(
        d.events.to_vec()[2]
            .provenance
            .as_ref()
            .unwrap()
            .record
            .as_deref(),
        Some("clash-0803")
    );
}

#[test]
fn json_slide_details() {
    let d = io::load_path(&fixture(JSON), None).unwrap().dataset;
    let clash = d.events.get(2).unwrap();
    assert_eq!(clash.title, "Fighting near Lachin");
    assert_eq!(
        clash.description,
        "Azerbaijan's defence ministry says one soldier was killed; Karabakh authorities report two dead."
    );
    assert!(
        clash.extra["timelinejs.text_html"]
            .as_str()
            .unwrap()
            .starts_with("<p>")
    );
    let src = &clash.sources[0];
    assert_eq!(
        src.url.as_deref(),
        Some("https://www.rferl.org/a/31972345.html")
    );
    assert_eq!(src.title.as_deref(), Some("RFE/RL report"));
    assert_eq!(src.credit.as_deref(), Some("RFE/RL"));
    assert_eq!(clash.extra["timelinejs.media"]["alt"], "Smoke over hills");
    assert_eq!(
        clash.extra["timelinejs.media"]["thumbnail"],
        "https://example.org/t.jpg"
    );
    assert_eq!(
        clash.extra["timelinejs.start_date.display_date"],
        "3 August 2022"
    );
    let deploy = d.events.get(4).unwrap();
    assert_eq!(deploy.extra["timelinejs.background"]["color"], "#334455");
}

#[test]
fn json_eras() {
    let d = io::load_path(&fixture(JSON), None).unwrap().dataset;
    assert_eq!(d.eras.len(), 2);
    assert_eq!(d.eras[0].name, "Second Karabakh war");
    assert_eq!(d.eras[0].start.to_text(), "2020-09-27");
    assert_eq!(d.eras[0].end.to_text(), "2020-11-10");
    assert_eq!(d.eras[1].name, "Trilateral ceasefire");
    assert_eq!(d.eras[1].end.to_text(), "2022-09");
}

#[test]
fn json_bad_dates_are_skipped_with_path_line_and_column() {
    let loaded = io::load_path(&fixture(JSON), None).unwrap();
    let text = std::fs::read_to_string(fixture(JSON)).unwrap();
    assert_eq!(loaded.skipped, 3);
    let errors: Vec<_> = loaded
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 3, "{:?}", loaded.problems);
    assert_eq!(loaded.problems.len(), 3, "{:?}", loaded.problems);

    let month = errors[0];
    assert_eq!(month.field.as_deref(), Some("events[5].start_date.month"));
    assert_eq!(
        (month.line.unwrap(), month.column.unwrap()),
        find(&text, "\"13\"", 54)
    );
    assert!(month.message.contains("no month 13"), "{}", month.message);

    let year = errors[1];
    assert_eq!(year.field.as_deref(), Some("events[6].start_date.year"));
    assert_eq!(
        (year.line.unwrap(), year.column.unwrap()),
        find(&text, "{\"month\"", 58)
    );
    assert!(year.message.contains("no year"), "{}", year.message);

    let day = errors[2];
    assert_eq!(day.field.as_deref(), Some("events[7].start_date.day"));
    assert_eq!(
        (day.line.unwrap(), day.column.unwrap()),
        find(&text, "\"31\"", 62)
    );
    assert!(
        day.message.contains("September 2022 has no day 31"),
        "{}",
        day.message
    );
}

#[test]
fn json_that_is_not_timelinejs_is_named() {
    let err = timelinejs::read_json(Path::new("x.json"), b"{\"eventline\": 1}").unwrap_err();
    assert!(err.to_string().contains("no `events` list"), "{err}");
    let err =
        timelinejs::read_json(Path::new("x.json"), b"{\"events\": [\n{\"a\": }]}").unwrap_err();
    assert!(
        matches!(err, io::LoadError::Syntax { line: 2, .. }),
        "{err}"
    );
}

#[test]
fn sheet_is_detected_and_read() {
    let loaded = io::load_path(&fixture(SHEET), None).unwrap();
    assert_eq!(loaded.format, Format::TimelineJsSheet);
    let d = &loaded.dataset;
    assert_eq!(d.title, "Nagorno-Karabakh 2022");
    assert_eq!(d.description, "A timeline of August 2022.");
    assert_eq!(d.eras.len(), 1);
    assert_eq!(d.eras[0].name, "Second Karabakh war");
    assert_eq!(d.eras[0].end.to_text(), "2020-11-10");
    let titles: Vec<String> = d.events.iter().map(|e| e.title).collect();
    assert_eq!(
        titles,
        [
            "Fighting near Lachin",
            "Blinken phone call with Pashinyan",
            "Statement by the EU",
            "Talks on the Lachin road",
            "Year only"
        ]
    );
    let kinds: Vec<String> = d.events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["clash", "call", "statement", "meeting", "other"]);
    let starts: Vec<String> = d
        .events
        .to_vec()
        .iter()
        .map(|e| e.when.start.to_text())
        .collect();
    assert_eq!(
        starts,
        [
            "2022-08-03",
            "2022-08-05T14:30",
            "2022-08-05T14:45",
            "2022-08",
            "2022"
        ]
    );
    let stmt = d.events.get(2).unwrap();
    assert_eq!(stmt.when.end.unwrap().to_text(), "2022-08-05T15:30");
    assert_eq!(stmt.when.start.precision, Precision::Minute);
    let call = d.events.get(1).unwrap();
    assert_eq!(
        call.description,
        "Blinken spoke by phone\nwith Pashinyan and Aliyev."
    );
    // The quoted field spans two lines; the record starts on line 5.
    assert_eq!(call.provenance.as_ref().unwrap().line, Some(5));
    let clash = d.events.get(0).unwrap();
    assert_eq!(clash.sources[0].credit.as_deref(), Some("RFE/RL"));
    assert_eq!(
        clash.sources[0].title.as_deref(),
        Some("Report on the fighting")
    );
    assert_eq!(clash.extra["timelinejs.background"], "#aa0000");
    assert_eq!(clash.extra["timelinejs.display_date"], "3 August 2022");
    assert_eq!(
        clash.extra["timelinejs.media"]["thumbnail"],
        "https://example.org/t.jpg"
    );
    assert_eq!(clash.tags, ["Military"]);
}

#[test]
fn sheet_problems_name_line_and_column() {
    let loaded = io::load_path(&fixture(SHEET), None).unwrap();
    assert_eq!(loaded.skipped, 2);
    assert_eq!(loaded.problems.len(), 2, "{:?}", loaded.problems);
    let month = &loaded.problems[0];
    assert_eq!(month.line, Some(9));
    assert_eq!(month.field.as_deref(), Some("Month"));
    assert!(month.message.contains("no month 13"), "{}", month.message);
    let time = &loaded.problems[1];
    assert_eq!(time.line, Some(10));
    assert_eq!(time.field.as_deref(), Some("Time"));
}

#[test]
fn round_trip_through_the_native_format() {
    for name in [JSON, SHEET] {
        let first = io::load_path(&fixture(name), None).unwrap();
        let mut bytes = Vec::new();
        native::write_to(&first.dataset, &mut bytes).unwrap();
        let back = native::read(Path::new("x.json"), &bytes).unwrap();
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        assert_eq!(back.dataset.events, first.dataset.events);
        assert_eq!(back.dataset.eras, first.dataset.eras);
        assert_eq!(back.dataset.title, first.dataset.title);
    }
}

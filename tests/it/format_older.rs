//! Older layouts analysts still have — TimelineJS 2 JSON and Timeline's
//! pre-XML text files — a TimelineJS title slide without a date, and JSON
//! that is in no format Eventline reads.

use std::path::Path;

use eventline::io::{self, Format, LoadError, Severity, native};
use eventline::model::Precision;

use crate::fixtures;

fn load(dir: &str, name: &str) -> io::Loaded {
    match io::load_path(&fixtures::in_dir(dir, name), None) {
        Ok(l) => l,
        Err(e) => panic!("{name}: {e}"),
    }
}

const V2: &str = "karabakh-2022-v2.json";
const OLD: &str = "karabakh-0.9.timeline";

#[test]
fn timelinejs_2_is_detected_and_read() {
    let l = load("timelinejs", V2);
    assert_eq!(l.format, Format::TimelineJs);
    let d = &l.dataset;
    assert_eq!(d.title, "Nagorno-Karabakh & the August 2022 crisis");
    assert_eq!(
        d.description,
        "Calls, clashes and the 2020 truce behind them."
    );
    let dates: Vec<(String, Option<String>, Precision)> = d
        .events
        .iter()
        .map(|e| {
            (
                e.when.start.to_text(),
                e.when.end.map(|x| x.to_text()),
                e.when.start.precision,
            )
        })
        .collect();
    assert_eq!(
        dates,
        [
            (
                "2020-09-27".to_string(),
                Some("2020-11-10".to_string()),
                Precision::Day
            ),
            ("2020-11-10".to_string(), None, Precision::Day),
            ("2022-08".to_string(), None, Precision::Month),
            ("2022-08-05T14:30".to_string(), None, Precision::Minute),
            ("2022".to_string(), None, Precision::Year),
        ]
    );
    // Slides keep their numbers even when one before them was skipped.
    let ids: Vec<String> = d.events.iter().map(|e| e.id).collect();
    assert_eq!(ids, ["slide-1", "slide-2", "slide-3", "slide-4", "slide-6"]);
    let fight = d.events.get(2).unwrap();
    assert_eq!(fight.kind, "clash");
    assert_eq!(fight.tags, ["Fighting"]);
    assert_eq!(fight.sources[0].credit.as_deref(), Some("RFE/RL"));
    assert_eq!(fight.sources[0].title.as_deref(), Some("RFE/RL report"));
    assert_eq!(d.events.to_vec()[1].kind, "truce");
    assert_eq!(
        d.events.to_vec()[1].extra["timelinejs.classname"],
        serde_json::json!("truce-slide")
    );
    assert_eq!(
        d.events.to_vec()[3].description,
        "Blinken \"urged direct dialogue\"."
    );
    assert_eq!(d.eras.len(), 1);
    assert_eq!(d.eras[0].name, "Second Karabakh war");
    assert_eq!(d.eras[0].end.to_text(), "2020-11-10");
}

#[test]
fn a_bad_timelinejs_2_date_is_placed() {
    let l = load("timelinejs", V2);
    let text = std::fs::read_to_string(fixtures::in_dir("timelinejs", V2)).unwrap();
    assert_eq!(l.skipped, 1);
    assert_eq!(l.problems.len(), 1, "{:#?}", l.problems);
    let p = &l.problems[0];
    assert_eq!(p.severity, Severity::Error);
    assert_eq!(p.field.as_deref(), Some("timeline.date[4].startDate"));
    let line = text
        .lines()
        .position(|l| l.contains("\"2022,2,30\""))
        .unwrap() as u64
        + 1;
    assert_eq!(p.line, Some(line));
    assert!(p.message.contains("no day 30"), "{}", p.message);
}

#[test]
fn timeline_0_9_text_is_detected_and_read() {
    let l = load("thetimeline", OLD);
    assert_eq!(l.format, Format::TheTimeline);
    let d = &l.dataset;
    assert!(d.description.contains("0.9.0"), "{}", d.description);
    let titles: Vec<String> = d.events.iter().map(|e| e.title).collect();
    assert_eq!(
        titles,
        [
            "Six-week war",
            "Truce brokered by Moscow",
            "Blinken calls Pashinian; then Aliyev",
            "Renewed fighting",
            "Michel speaks with Aliyev",
        ]
    );
    let war = d.events.get(0).unwrap();
    assert_eq!(war.when.start.to_text(), "2020-09-27");
    assert_eq!(
        war.when.end.map(|e| e.to_text()).as_deref(),
        Some("2020-11-10")
    );
    assert_eq!(
        war.description,
        "More than 6,500 people died.\nThe war ended with a truce brokered by Moscow."
    );
    // Unpadded times with minutes: minute precision.
    let call = d.events.get(2).unwrap();
    assert_eq!(call.when.start.to_text(), "2022-08-05T14:30");
    assert_eq!(call.when.start.precision, Precision::Minute);
    assert_eq!(call.description, "Calls for \"direct dialogue\"");
    let icon = call.extra["timeline.icon"].as_str().unwrap_or("");
    assert!(icon.starts_with("iVBORw0KGgo"), "{icon}");
    // A point: start and end the same.
    assert!(d.events.to_vec()[1].when.end.is_none());
    // Categories become kinds with their colours; an event without one
    // stays `other`.
    let diplomacy = d.kinds.iter().find(|k| k.label == "Diplomacy");
    assert_eq!(
        diplomacy.map(|k| (k.color.0, k.color.1, k.color.2)),
        Some((0, 102, 204))
    );
    assert_eq!(d.events.to_vec()[4].kind, "other");
    assert!(d.events.to_vec().iter().all(|e| {
        e.provenance
            .as_ref()
            .is_some_and(|p| p.format == "timeline" && p.line.is_some())
    }));
    // The impossible day is skipped and placed.
    assert_eq!(l.skipped, 1);
    assert_eq!(l.problems.len(), 1, "{:#?}", l.problems);
    assert_eq!(l.problems[0].line, Some(10));
    assert_eq!(l.problems[0].column, Some(7));
}

#[test]
fn timeline_0_9_text_is_told_by_content_not_name() {
    let bytes = std::fs::read(fixtures::in_dir("thetimeline", OLD)).unwrap();
    let l = io::load_bytes(Path::new("export.txt"), &bytes, None).unwrap();
    assert_eq!(l.format, Format::TheTimeline);
    assert_eq!(l.dataset.events.len(), 5);
    let xml = load("thetimeline", "karabakh-2022.timeline");
    assert!(!xml.dataset.events.is_empty());
}

#[test]
fn older_files_survive_a_round_trip_through_eventline_format() {
    for (dir, name) in [("timelinejs", V2), ("thetimeline", OLD)] {
        let first = load(dir, name);
        let mut bytes = Vec::new();
        native::write_to(&first.dataset, &mut bytes).unwrap();
        let back = native::read(Path::new("x.json"), &bytes).unwrap();
        assert!(back.problems.is_empty(), "{name}: {:#?}", back.problems);
        assert_eq!(back.dataset.events, first.dataset.events, "{name}");
    }
}

#[test]
fn a_timelinejs_title_slide_without_a_date_is_the_title() {
    let text = r#"{
  "title": {"text": {"headline": "Karabakh <i>timeline</i>", "text": "<p>From the article.</p>"}},
  "events": [
    {"start_date": {"year": 2022, "month": 8, "day": 5}, "text": {"headline": "Calls"}}
  ]
}"#;
    let l = io::load_bytes(Path::new("t.json"), text.as_bytes(), None).unwrap();
    assert!(l.problems.is_empty(), "{:#?}", l.problems);
    assert_eq!(l.dataset.title, "Karabakh timeline");
    assert_eq!(l.dataset.description, "From the article.");
    assert_eq!(l.dataset.events.len(), 1);
    let sheet = "Year,Month,Day,Headline,Text,Type\n,,,Karabakh timeline,From the article.,title\n2022,8,5,Calls,,\n";
    let l = io::load_bytes(Path::new("t.csv"), sheet.as_bytes(), None).unwrap();
    assert_eq!(l.format, Format::TimelineJsSheet);
    assert!(l.problems.is_empty(), "{:#?}", l.problems);
    assert_eq!(l.dataset.title, "Karabakh timeline");
    assert_eq!(l.dataset.description, "From the article.");
    assert_eq!(l.dataset.events.len(), 1);
}

#[test]
fn json_in_no_known_format_says_what_it_was_tried_as() {
    let path = fixtures::in_dir("json", "places.geojson.json");
    let err = io::load_path(&path, None).unwrap_err();
    let LoadError::NoFormat { tried, .. } = &err else {
        panic!("{err}");
    };
    let names: Vec<&str> = tried.iter().map(|t| t.as_what.as_str()).collect();
    assert_eq!(
        names,
        [
            "an Eventline dataset",
            "TimelineJS 3",
            "TimelineJS 2",
            "an ACLED API response",
            "a UCDP API page"
        ]
    );
    let text = err.to_string();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains("no top-level `eventline` version field"),
        "{text}"
    );
    assert!(text.contains("no `events` list"), "{text}");
    assert!(text.contains("no `timeline` object"), "{text}");
    assert!(text.contains("no `data` list"), "{text}");
    assert!(text.contains("no `Result` list"), "{text}");
    assert!(!text.contains("places.geojson.json: the"), "{text}");
}

#[test]
fn broken_json_is_one_syntax_error_not_five() {
    let err = io::load_bytes(Path::new("x.json"), b"{\"a\": [1, 2", None).unwrap_err();
    assert!(matches!(err, LoadError::Syntax { .. }), "{err}");
}

#[test]
fn an_acled_api_response_is_no_longer_taken_for_an_eventline_file() {
    let text = r#"{"status": 200, "success": true, "last_update": 1, "count": 0, "messages": [], "data": [], "filename": "x"}"#;
    let l = io::load_bytes(Path::new("acled.json"), text.as_bytes(), None).unwrap();
    assert_eq!(l.format, Format::Acled);
    assert!(l.dataset.events.is_empty());
}

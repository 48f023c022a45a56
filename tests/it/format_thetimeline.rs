//! The desktop program Timeline's `.timeline` XML.

use std::path::{Path, PathBuf};

use eventline::io::{self, Format, Severity, native, thetimeline};
use eventline::model::{Precision, Rgb};

use crate::fixtures;

fn fixture(name: &str) -> PathBuf {
    fixtures::in_dir("thetimeline", name)
}

const FILE: &str = "karabakh-2022.timeline";

#[test]
fn detected_and_read() {
    let loaded = io::load_path(&fixture(FILE), None).unwrap();
    assert_eq!(loaded.format, Format::TheTimeline);
    let d = &loaded.dataset;
    assert_eq!(d.title, "karabakh-2022");
    assert!(d.description.contains("2.6.0"), "{}", d.description);
    assert_eq!(d.source.as_deref(), Some(FILE));
    let titles: Vec<String> = d.events.iter().map(|e| e.title).collect();
    assert_eq!(
        titles,
        [
            "Fighting near Lachin",
            "Blinken calls Pashinyan",
            "Lachin corridor negotiations",
            "Working group meets in Moscow",
            "Draft on the new road circulated",
            "Humanitarian convoys delayed",
            "Lachin handed over",
        ]
    );
    let kinds: Vec<String> = d.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            "clash",
            "call",
            "diplomacy",
            "diplomacy",
            "other",
            "humanitarian",
            "other"
        ]
    );
    for e in d.events.iter() {
        // Timeline events have no ids: each gets one from its content.
        let content = eventline::io::ids::content_key(&e);
        let made = format!(
            "timeline-{:016x}",
            eventline::io::ids::fnv1a(content.as_bytes())
        );
        assert!(
            e.id == made || e.id.starts_with(&format!("{made}-")),
            "{}",
            e.id
        );
        let p = e.provenance.as_ref().unwrap();
        assert_eq!(p.format, "timeline");
        assert_eq!(p.file.as_deref(), Some(FILE));
    }
    assert_eq!(
        d.events.to_vec()[0].provenance.as_ref().unwrap().line,
        Some(46)
    );
}

#[test]
fn categories_become_kinds_with_their_colours() {
    let d = io::load_path(&fixture(FILE), None).unwrap().dataset;
    let ids: Vec<&str> = d.kinds.iter().map(|k| k.id.as_str()).collect();
    // "Phone calls" and "Clashes" are built-in kinds; the others are new.
    assert_eq!(ids, ["diplomacy", "humanitarian"]);
    assert_eq!(d.kinds[0].label, "Diplomacy");
    assert_eq!(d.kinds[0].color, Rgb(31, 119, 180));
    assert_eq!(d.kinds[1].color, Rgb(140, 86, 75));
    assert_ne!(d.kinds[0].glyph, d.kinds[1].glyph);
    let call = d.events.get(1).unwrap();
    assert_eq!(call.codes["timeline.category"], "Phone calls");
    assert_eq!(call.codes["timeline.category_parent"], "Diplomacy");
    assert_eq!(d.events.to_vec()[0].codes["timeline.category"], "Clashes");
    // Every event's kind resolves.
    let resolved = d.resolved_kinds();
    assert!(
        d.events
            .iter()
            .all(|e| resolved.iter().any(|k| k.id == e.kind))
    );
}

#[test]
fn dates_precision_and_fuzziness() {
    let d = io::load_path(&fixture(FILE), None).unwrap().dataset;
    let e = d.events.to_vec();
    // Midnight on both ends: a day; start == end: a point.
    assert_eq!(e[0].when.start.to_text(), "2022-08-03");
    assert_eq!(e[0].when.end, None);
    assert_eq!(e[1].when.start.to_text(), "2022-08-05T14:30");
    assert_eq!(e[1].when.start.precision, Precision::Minute);
    // A span of days.
    assert_eq!(e[2].when.start.to_text(), "2022-08-01");
    assert_eq!(e[2].when.end.unwrap().to_text(), "2022-08-07");
    // A span within a day.
    assert_eq!(e[3].when.start.to_text(), "2022-08-02T09:00");
    assert_eq!(e[3].when.end.unwrap().to_text(), "2022-08-02T12:15");
    // fuzzy: both ends approximate.
    let fuzzy = &e[5];
    assert!(fuzzy.when.start.approximate);
    assert!(fuzzy.when.end.unwrap().approximate);
    assert_eq!(
        fuzzy.when.describe(),
        "about 10 August 2022 – about 20 August 2022"
    );
    assert_eq!(fuzzy.extra["timeline.fuzzy"], true);
    assert!(!e[0].when.is_fuzzy());
}

#[test]
fn containers_milestones_and_fields() {
    let d = io::load_path(&fixture(FILE), None).unwrap().dataset;
    let e = d.events.to_vec();
    let container = &e[2];
    assert_eq!(container.codes["timeline.container_id"], "1");
    assert_eq!(container.codes["timeline.is_container"], "true");
    for member in &e[3..5] {
        assert_eq!(member.tags[0], "Lachin corridor negotiations");
        assert_eq!(
            member.codes["timeline.container"],
            "Lachin corridor negotiations"
        );
        assert_eq!(member.codes["timeline.container_id"], "1");
    }
    assert_eq!(e[3].extra["timeline.progress"], 50);
    assert_eq!(e[3].extra["timeline.labels"], "working-group");

    let milestone = &e[6];
    assert_eq!(milestone.codes["timeline.milestone"], "true");
    assert_eq!(milestone.extra["timeline.locked"], true);
    assert_eq!(milestone.extra["timeline.default_color"], "#e377c2");
    assert!(!e[0].codes.contains_key("timeline.milestone"));

    let fighting = &e[0];
    assert_eq!(
        fighting.description,
        "Azerbaijan's defence ministry reports one soldier killed; Karabakh authorities report two dead & more wounded."
    );
    assert_eq!(
        fighting.sources[0].url.as_deref(),
        Some("https://www.rferl.org/a/31972345.html")
    );
    assert!(
        e[5].extra["timeline.icon"]
            .as_str()
            .unwrap()
            .starts_with("iVBOR")
    );
}

#[test]
fn eras() {
    let d = io::load_path(&fixture(FILE), None).unwrap().dataset;
    assert_eq!(d.eras.len(), 1);
    let era = &d.eras[0];
    assert_eq!(era.name, "Trilateral ceasefire in force");
    assert_eq!(era.start.to_text(), "2020-11-10");
    assert_eq!(era.end.to_text(), "2022-09-13");
    assert_eq!(era.color, Some(Rgb(200, 230, 200)));
}

#[test]
fn a_bad_date_is_skipped_with_its_line() {
    let loaded = io::load_path(&fixture(FILE), None).unwrap();
    assert_eq!(loaded.skipped, 1);
    assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
    let p = &loaded.problems[0];
    assert_eq!(p.severity, Severity::Error);
    assert_eq!(p.field.as_deref(), Some("event[7].start"));
    assert_eq!(p.line, Some(128));
    assert_eq!(p.column, Some(7));
    assert!(p.message.contains("2022-08-32"), "{}", p.message);
}

#[test]
fn hostile_xml_is_refused_in_one_sentence() {
    let bomb = b"<?xml version=\"1.0\"?>\n<!DOCTYPE timeline [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>\n<timeline><events><event><text>&b;</text></event></events></timeline>";
    let err = io::load_bytes(Path::new("bomb.timeline"), bomb, None).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("DOCTYPE on line 2"), "{text}");
    let err = thetimeline::read(
        Path::new("x.timeline"),
        b"<timeline><events><event>\n<text>x</txet>",
    )
    .unwrap_err();
    assert!(
        matches!(err, io::LoadError::Syntax { line: 2, .. }),
        "{err}"
    );
}

#[test]
fn round_trip_through_the_native_format() {
    let first = io::load_path(&fixture(FILE), None).unwrap();
    let mut bytes = Vec::new();
    native::write_to(&first.dataset, &mut bytes).unwrap();
    let back = native::read(Path::new("x.json"), &bytes).unwrap();
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    assert_eq!(back.dataset.events, first.dataset.events);
    assert_eq!(back.dataset.kinds, first.dataset.kinds);
    assert_eq!(back.dataset.eras, first.dataset.eras);
}

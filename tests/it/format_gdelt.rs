//! GDELT event files: layouts, CAMEO kinds, actors, places, problems.

use std::path::{Path, PathBuf};

use eventline::io::{self, Format, Severity, gdelt, native};
use eventline::model::{Precision, Role};

use crate::fixtures;

fn fixture(name: &str) -> PathBuf {
    fixtures::in_dir("gdelt", name)
}

const V2: &str = "20220805121500.export.CSV";
const V1: &str = "20220804.export.CSV";

#[test]
fn a_2_0_file_is_detected_and_read() {
    let loaded = io::load_path(&fixture(V2), None).unwrap();
    assert_eq!(loaded.format, Format::Gdelt);
    let d = &loaded.dataset;
    assert_eq!(d.source.as_deref(), Some(V2));
    assert!(d.description.contains("2.0"), "{}", d.description);
    let ids: Vec<String> = d.events.iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        [
            "gdelt-1054501001",
            "gdelt-1054501002",
            "gdelt-1054501003",
            "gdelt-1054501004",
            "gdelt-1054501005",
            "gdelt-1054501006",
            "gdelt-1054501007",
        ]
    );
    let kinds: Vec<String> = d.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            "call",
            "truce",
            "clash",
            "strike",
            "statement",
            "meeting",
            "territorial"
        ]
    );
    for e in d.events.iter() {
        assert_eq!(e.when.start.precision, Precision::Day);
        assert_eq!(e.when.end, None);
        let p = e.provenance.as_ref().unwrap();
        assert_eq!(p.format, "gdelt");
        assert_eq!(p.file.as_deref(), Some(V2));
        assert_eq!(Some(e.id.trim_start_matches("gdelt-")), p.record.as_deref());
    }
}

#[test]
fn the_phone_call_row_in_detail() {
    let loaded = io::load_path(&fixture(V2), None).unwrap();
    let call = loaded.dataset.events.get(0).unwrap();
    assert_eq!(call.title, "ARMENIA discuss by telephone AZERBAIJAN");
    assert_eq!(call.when.start.to_text(), "2022-08-05");
    assert_eq!(call.actors.len(), 2);
    assert_eq!(call.actors[0].name, "ARMENIA");
    assert_eq!(call.actors[0].role, Role::Initiator);
    assert_eq!(call.actors[0].country.as_deref(), Some("ARM"));
    assert_eq!(call.actors[1].name, "AZERBAIJAN");
    assert_eq!(call.actors[1].role, Role::Target);
    // Codes keep their leading zeros.
    assert_eq!(call.codes["cameo.event_code"], "041");
    assert_eq!(call.codes["cameo.event_base_code"], "041");
    assert_eq!(call.codes["cameo.event_root_code"], "04");
    assert_eq!(call.codes["gdelt.quad_class"], "1");
    assert_eq!(call.codes["gdelt.is_root_event"], "1");
    assert_eq!(call.codes["cameo.actor1_country"], "ARM");
    assert_eq!(call.codes["cameo.actor2_code"], "AZE");
    let place = call.place.as_ref().unwrap();
    assert_eq!(place.name, "Armenia");
    assert_eq!(place.country.as_deref(), Some("AM"));
    assert_eq!(place.lat, Some(40.0));
    assert_eq!(place.lon, Some(45.0));
    assert_eq!(place.precision.as_deref(), Some("country"));
    let src = &call.sources[0];
    assert_eq!(src.publisher.as_deref(), Some("rferl.org"));
    assert!(
        src.url
            .as_deref()
            .unwrap()
            .starts_with("https://www.rferl.org/")
    );
    // Numbers are JSON numbers; the rest is kept too.
    assert_eq!(call.extra["GoldsteinScale"], serde_json::json!(1.0));
    assert_eq!(call.extra["NumMentions"], serde_json::json!(10));
    assert_eq!(call.extra["AvgTone"], serde_json::json!(-1.84615384615385));
    assert_eq!(
        call.extra["DATEADDED"],
        serde_json::json!(20220805121500i64)
    );
    assert_eq!(call.extra["FractionDate"], serde_json::json!(2022.5918));
    assert_eq!(
        call.extra["Actor2Geo_FullName"],
        serde_json::json!("Azerbaijan")
    );
}

#[test]
fn truce_clash_and_strike_rows() {
    let d = io::load_path(&fixture(V2), None).unwrap().dataset;
    let truce = d.events.get(1).unwrap();
    assert_eq!(truce.codes["cameo.event_code"], "0871");
    assert_eq!(truce.title, "RUSSIA declare truce, ceasefire ARMENIA");
    let lachin = truce.place.as_ref().unwrap();
    assert_eq!(lachin.name, "Lachin, Laçın, Azerbaijan");
    assert_eq!(lachin.admin.as_deref(), Some("AJ46"));
    assert_eq!(lachin.precision.as_deref(), Some("world city"));
    assert_eq!(
        truce.extra["ActionGeo_FeatureID"],
        serde_json::json!("-2601889")
    );
    assert_eq!(truce.extra["ActionGeo_ADM2Code"], serde_json::json!(10952));

    let violation = d.events.get(2).unwrap();
    assert_eq!(violation.title, "AZERBAIJAN violate ceasefire ARMENIA");
    assert_eq!(violation.codes["cameo.actor1_type1"], "MIL");
    let strike = d.events.get(3).unwrap();
    assert_eq!(strike.title, "AZERBAIJAN employ aerial weapons ARMENIA");
    assert_eq!(strike.codes["gdelt.is_root_event"], "0");
    let accuse = d.events.get(4).unwrap();
    assert_eq!(accuse.codes["cameo.event_code"], "1123");
    assert_eq!(accuse.title, "ARMENIA accuse of aggression AZERBAIJAN");
    // Actor1Name empty: the code stands in; no target, no source URL.
    let occupy = d.events.get(6).unwrap();
    assert_eq!(occupy.actors.len(), 1);
    assert_eq!(occupy.actors[0].name, "AZEGOV");
    assert_eq!(occupy.title, "AZEGOV occupy territory");
    assert!(occupy.sources.is_empty());
    // A http:// URL still gives its host.
    assert_eq!(
        d.events.to_vec()[5].sources[0].publisher.as_deref(),
        Some("consilium.europa.eu")
    );
}

#[test]
fn malformed_rows_are_reported_by_line() {
    let loaded = io::load_path(&fixture(V2), None).unwrap();
    assert_eq!(loaded.skipped, 2);
    assert_eq!(loaded.problems.len(), 2, "{:?}", loaded.problems);
    let short = &loaded.problems[0];
    assert_eq!(short.severity, Severity::Error);
    assert_eq!(short.line, Some(4));
    assert!(short.message.contains("has 9 columns"), "{}", short.message);
    assert!(short.message.contains("61"), "{}", short.message);
    let date = &loaded.problems[1];
    assert_eq!(date.line, Some(10));
    assert_eq!(date.field.as_deref(), Some("SQLDATE"));
    assert_eq!(date.column, Some(12));
    assert!(date.message.contains("20220832"), "{}", date.message);
}

#[test]
fn a_1_0_file_with_58_columns() {
    let loaded = io::load_path(&fixture(V1), None).unwrap();
    assert_eq!(loaded.format, Format::Gdelt);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let d = &loaded.dataset;
    assert!(d.description.contains("58"), "{}", d.description);
    let kinds: Vec<String> = d.events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["statement", "deployment", "agreement"]);
    let threat = d.events.get(0).unwrap();
    assert_eq!(threat.title, "ARMENIA threaten military force AZERBAIJAN");
    // DATEADDED is a day in 1.0; the last column (before CR LF) is the URL.
    assert_eq!(threat.extra["DATEADDED"], serde_json::json!(20220803));
    assert_eq!(
        threat.sources[0].url.as_deref(),
        Some("https://armenpress.am/eng/news/1088765.html")
    );
    assert!(!threat.extra.contains_key("ActionGeo_ADM2Code"));
    assert_eq!(threat.place.as_ref().unwrap().lat, Some(40.0));
    assert_eq!(
        d.events.to_vec()[1].title,
        "RUSSIA mobilize or increase armed forces"
    );
    assert_eq!(
        d.events.to_vec()[2].title,
        "AZERBAIJAN sign formal agreement ARMENIA"
    );
}

#[test]
fn a_57_column_file_has_no_source_url() {
    let v1 = std::fs::read_to_string(fixture(V1)).unwrap();
    let first = v1.lines().next().unwrap();
    let mut cols: Vec<&str> = first.split('\t').collect();
    cols.pop();
    let text = cols.join("\t") + "\n";
    let loaded = io::load_bytes(Path::new("20130301.export.CSV"), text.as_bytes(), None).unwrap();
    assert_eq!(loaded.format, Format::Gdelt);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let e = loaded.dataset.events.get(0).unwrap();
    assert!(e.sources.is_empty());
    assert_eq!(e.extra["DATEADDED"], serde_json::json!(20220803));
    assert_eq!(e.codes["cameo.event_code"], "138");
}

#[test]
fn a_file_that_is_not_gdelt_is_refused_in_one_sentence() {
    let err = gdelt::read(Path::new("x.CSV"), b"id\tdate\n1\t2\n").unwrap_err();
    let text = err.to_string();
    assert!(text.contains("is not a GDELT event file"), "{text}");
    assert!(text.contains("2 tab-separated columns"), "{text}");
}

#[test]
fn round_trip_through_the_native_format() {
    for name in [V2, V1] {
        let first = io::load_path(&fixture(name), Some(Format::Gdelt)).unwrap();
        let mut bytes = Vec::new();
        native::write_to(&first.dataset, &mut bytes).unwrap();
        let back = native::read(Path::new("x.json"), &bytes).unwrap();
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        assert_eq!(back.dataset.events, first.dataset.events);
    }
}

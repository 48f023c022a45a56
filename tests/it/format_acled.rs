//! ACLED CSV: the current 31-column export, the API's with population
//! columns, a spreadsheet re-save, and the legacy cp1252 layout.

use std::path::Path;

use eventline::io::{self, Format, Severity, native};
use eventline::model::{Precision, Role};

use crate::fixtures;

fn load(name: &str) -> io::Loaded {
    io::load_path(&fixtures::in_dir("acled", name), None).unwrap()
}

#[test]
fn current_export_is_detected_and_read() {
    let l = load("armenia-azerbaijan-2020-2022.csv");
    assert_eq!(l.format, Format::Acled);
    assert_eq!(
        l.dataset.title,
        "ACLED export: armenia-azerbaijan-2020-2022.csv"
    );
    assert_eq!(
        l.dataset.source.as_deref(),
        Some("armenia-azerbaijan-2020-2022.csv")
    );
    let ids: Vec<String> = l.dataset.events.iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        [
            "AZE6011", "AZE6200", "ARM0045", "ARM0046", "ARM0047", "ARM0100", "ARM0310", "ARM0300",
            "ARM0301"
        ]
    );
    let kinds: Vec<String> = l.dataset.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            "clash",
            "strike",
            "truce",
            "riot",
            "protest",
            "territorial",
            "deployment",
            "clash",
            "violence"
        ]
    );
    // The non-built-in kinds used are defined, and only those.
    let defined: Vec<&str> = l.dataset.kinds.iter().map(|k| k.id.as_str()).collect();
    assert_eq!(defined, ["riot", "protest", "violence"]);
    let violence = &l.dataset.kinds[2];
    assert_eq!(violence.label, "Violence against civilians");
    assert!(violence.color.to_hex().starts_with('#'));
}

#[test]
fn bad_rows_are_skipped_with_their_lines() {
    let l = load("armenia-azerbaijan-2020-2022.csv");
    assert_eq!(l.skipped, 2);
    let errors: Vec<_> = l
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 2, "{:#?}", l.problems);
    // The third event's notes hold a newline, so the impossible date of the
    // seventh data row is on line 9, not 8.
    assert_eq!(errors[0].line, Some(9));
    assert_eq!(errors[0].column, Some(9));
    assert_eq!(errors[0].field.as_deref(), Some("event_date"));
    assert!(
        errors[0]
            .message
            .contains("`30 February 2021` is not a date: February 2021 has no day 30"),
        "{}",
        errors[0].message
    );
    assert!(errors[0].message.contains("ARM0200 was skipped"));
    assert_eq!(errors[1].line, Some(10));
    assert_eq!(errors[1].column, Some(1));
    assert_eq!(errors[1].field.as_deref(), Some("event_id_cnty"));
    assert!(errors[1].message.contains("no event id"));
    assert_eq!(l.problems.len(), 2, "{:#?}", l.problems);
}

#[test]
fn precisions_follow_time_precision() {
    let l = load("armenia-azerbaijan-2020-2022.csv");
    let by_id = |id: &str| l.dataset.events.iter().find(|e| e.id == id).unwrap();
    let day = by_id("AZE6011");
    assert_eq!(day.when.start.precision, Precision::Day);
    assert_eq!(day.when.start.to_text(), "2020-09-27");
    assert_eq!(day.when.end, None);
    // time_precision 2: the ISO week holding 5 October 2020 (a Monday).
    let week = by_id("AZE6200");
    assert_eq!(week.when.start.precision, Precision::Week);
    assert_eq!(week.when.start.to_text(), "2020-W41");
    assert_eq!(week.extra["event_date"], "05 October 2020");
    // time_precision 3: the month.
    let month = by_id("ARM0100");
    assert_eq!(month.when.start.precision, Precision::Month);
    assert_eq!(month.when.start.to_text(), "2021-05");
    assert_eq!(month.when.start.describe(), "May 2021");
}

#[test]
fn actors_places_casualties_sources_and_codes() {
    let l = load("armenia-azerbaijan-2020-2022.csv");
    let e = l.dataset.events.get(0).unwrap();
    assert_eq!(
        e.title,
        "Armed clash: Military Forces of Azerbaijan (2003-) vs Military Forces of Nagorno-Karabakh (Horadiz)"
    );
    let actors: Vec<(&str, Role, Option<&str>)> = e
        .actors
        .iter()
        .map(|a| (a.name.as_str(), a.role, a.country.as_deref()))
        .collect();
    assert_eq!(
        actors,
        [
            (
                "Military Forces of Azerbaijan (2003-)",
                Role::SideA,
                Some("Azerbaijan")
            ),
            (
                "Military Forces of Nagorno-Karabakh",
                Role::SideB,
                Some("Nagorno-Karabakh")
            ),
            (
                "Military Forces of Armenia (2018-)",
                Role::SideB,
                Some("Armenia")
            ),
            (
                "Armed Forces of Artsakh Reservists",
                Role::SideB,
                Some("Artsakh Reservists")
            ),
        ]
    );
    let place = e.place.as_ref().unwrap();
    assert_eq!(place.name, "Horadiz");
    assert_eq!(place.admin.as_deref(), Some("Fuzuli"));
    assert_eq!(place.country.as_deref(), Some("Azerbaijan"));
    assert_eq!(place.lat, Some(39.4531));
    assert_eq!(place.lon, Some(47.3386));
    assert_eq!(
        place.precision.as_deref(),
        Some("2: near a town or part of a region")
    );
    let c = e.casualties.as_ref().unwrap();
    assert_eq!((c.low, c.best, c.high), (Some(25), Some(25), None));
    let publishers: Vec<&str> = e
        .sources
        .iter()
        .filter_map(|s| s.publisher.as_deref())
        .collect();
    assert_eq!(
        publishers,
        ["Azerbaijan Ministry of Defence", "Armenpress", "Reuters"]
    );
    assert!(e.description.starts_with("On 27 September 2020"));
    assert_eq!(e.codes["acled.event_type"], "Battles");
    assert_eq!(e.codes["acled.sub_event_type"], "Armed clash");
    assert_eq!(e.codes["acled.disorder_type"], "Political violence");
    assert_eq!(e.codes["acled.interaction"], "State forces-Rebel group");
    assert_eq!(e.codes["acled.inter1"], "State forces");
    assert_eq!(e.codes["acled.inter2"], "Rebel group");
    assert!(!e.codes.contains_key("acled.civilian_targeting"));
    // Columns without a home are kept.
    assert_eq!(e.extra["source_scale"], "Mixed");
    assert_eq!(e.extra["iso"], 31);
    assert_eq!(e.extra["region"], "Caucasus and Central Asia");
    assert_eq!(e.extra["admin2"], "Fuzuli");
    assert_eq!(e.extra["timestamp"], 1618435012i64);
    assert!(!e.extra.contains_key("year"));
    let p = e.provenance.as_ref().unwrap();
    assert_eq!(p.format, "acled");
    assert_eq!(p.file.as_deref(), Some("armenia-azerbaijan-2020-2022.csv"));
    assert_eq!(p.record.as_deref(), Some("AZE6011"));
    assert_eq!(p.line, Some(2));

    // The ceasefire: notes with a newline; assoc actors on side A.
    let truce = l.dataset.events.get(2).unwrap();
    assert_eq!(truce.kind, "truce");
    assert!(truce.description.contains('\n'));
    assert_eq!(truce.actors.len(), 3);
    assert!(truce.actors.iter().all(|a| a.role == Role::SideA));
    assert_eq!(truce.casualties.as_ref().unwrap().best, Some(0));
    assert_eq!(truce.provenance.as_ref().unwrap().line, Some(4));
    // The riot after it starts on line 6.
    assert_eq!(
        l.dataset.events.to_vec()[3]
            .provenance
            .as_ref()
            .unwrap()
            .line,
        Some(6)
    );

    let protest = l.dataset.events.get(4).unwrap();
    assert_eq!(protest.tags, ["crowd size=thousands", "opposition"]);
    assert_eq!(protest.actors[0].country.as_deref(), Some("Armenia"));

    let civilians = l.dataset.events.get(8).unwrap();
    assert_eq!(
        civilians.codes["acled.civilian_targeting"],
        "Civilian targeting"
    );
}

#[test]
fn api_export_with_population_columns() {
    let l = load("api-2022-08.csv");
    assert_eq!(l.format, Format::Acled);
    assert!(l.problems.is_empty(), "{:#?}", l.problems);
    assert_eq!(l.dataset.events.len(), 2);
    let e = l.dataset.events.get(0).unwrap();
    assert_eq!(e.when.start.to_text(), "2022-08-03");
    assert_eq!(e.extra["population_best"], 812);
    assert!(!e.extra.contains_key("population_1km"));
    assert_eq!(l.dataset.events.to_vec()[1].kind, "territorial");
    assert_eq!(l.dataset.events.to_vec()[1].extra["population_1km"], 0);
}

#[test]
fn spreadsheet_dates_and_bom() {
    let l = load("resaved-in-excel.csv");
    assert_eq!(l.format, Format::Acled);
    assert!(l.problems.is_empty(), "{:#?}", l.problems);
    let days: Vec<String> = l
        .dataset
        .events
        .iter()
        .map(|e| e.when.start.to_text())
        .collect();
    assert_eq!(days, ["2022-08-03", "2022-08-04"]);
}

#[test]
fn legacy_file_in_windows_1252() {
    let l = load("legacy-ivory-coast-2015.csv");
    assert_eq!(l.format, Format::Acled);
    assert_eq!(l.dataset.events.len(), 3);
    assert_eq!(l.skipped, 1);
    assert_eq!(l.problems[0].severity, Severity::Warning);
    assert!(l.problems[0].message.contains("Windows-1252"));
    let bad = &l.problems[1];
    assert_eq!(bad.severity, Severity::Error);
    assert_eq!(bad.line, Some(5));
    assert_eq!(bad.field.as_deref(), Some("EVENT_DATE"));
    assert!(
        bad.message.contains("December 2015 has no day 32"),
        "{}",
        bad.message
    );

    let e = l.dataset.events.get(0).unwrap();
    assert_eq!(e.id, "1234CDI");
    assert_eq!(e.when.start.to_text(), "2015-12-29");
    assert_eq!(e.kind, "protest");
    let place = e.place.as_ref().unwrap();
    assert_eq!(place.admin.as_deref(), Some("Gbêkê"));
    assert_eq!(place.name, "Bouaké");
    assert!(e.description.starts_with("Étudiants"));
    assert_eq!(e.extra["gwno"], 437);
    assert_eq!(e.extra["event_id_no_cnty"], 1234);
    assert_eq!(e.codes["acled.interaction"], "16");
    assert!(!e.codes.contains_key("acled.sub_event_type"));
    assert!(
        e.title
            .starts_with("Riots/Protests: Protesters (Ivory Coast) vs")
    );
    // Legacy `ALLY_ACTOR_*` and the old event types.
    let battle = l.dataset.events.get(1).unwrap();
    assert_eq!(battle.kind, "clash");
    assert_eq!(battle.when.start.to_text(), "2015-W53");
    assert_eq!(l.dataset.events.to_vec()[2].kind, "violence");
}

#[test]
fn round_trip_through_the_native_format() {
    for name in [
        "armenia-azerbaijan-2020-2022.csv",
        "api-2022-08.csv",
        "legacy-ivory-coast-2015.csv",
    ] {
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
fn files_that_are_not_acled_are_refused_in_one_sentence() {
    let err = io::acled::read(
        Path::new("ged.csv"),
        b"id,date_start,type_of_violence\n1,2020-01-01,1\n",
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("has no `event_id_cnty` column, so it is not an ACLED export"),
        "{msg}"
    );
    let err = io::acled::read(Path::new("x.csv"), b"\xff\xfe\x00\x01garbage").unwrap_err();
    assert!(err.to_string().contains("not an ACLED export"), "{err}");
}

#[test]
fn short_rows_are_problems_not_failures() {
    let text = "event_id_cnty,event_date,event_type,fatalities\nA1,2022-08-03,Battles,2\nA2,2022-08-04\nA3,2022-08-05,Protests,x\n";
    let l = io::acled::read(Path::new("s.csv"), text.as_bytes()).unwrap();
    assert_eq!(l.dataset.events.len(), 2);
    assert_eq!(l.skipped, 1);
    assert_eq!(l.problems[0].line, Some(3));
    assert!(
        l.problems[0]
            .message
            .contains("has 2 fields but the header has 4")
    );
    assert_eq!(l.problems[1].severity, Severity::Warning);
    assert_eq!(l.problems[1].line, Some(4));
    assert_eq!(l.problems[1].column, Some(24));
    assert_eq!(l.dataset.events.to_vec()[1].extra["fatalities"], "x");
    assert_eq!(l.dataset.events.to_vec()[1].casualties, None);
}

/// A file large enough to be read in batches split over the cores: ids,
/// counts and problem lines must come out as if read row by row.
#[test]
fn a_large_export_read_in_parallel_keeps_rows_and_problems_in_order() {
    let header = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";
    let mut text = String::from(header);
    text.push('\n');
    let rows = 40_000;
    for i in 0..rows {
        let id = if i == 39_000 {
            "T5".to_string()
        } else {
            format!("T{i}")
        };
        let date = if i == 20_000 {
            "2022-02-30"
        } else {
            "2022-08-03"
        };
        text.push_str(&format!(
            "{id},{date},2022,1,Political violence,Battles,Armed clash,Military Forces of Azerbaijan (2003-),,State forces,Military Forces of Armenia (2018-),,State forces,State forces-State forces,,31,Caucasus and Central Asia,Azerbaijan,Tovuz,,,Agdam,40.97,45.63,1,Trend,National,\"Row {i}, clash\",{},,1660000000\n",
            i % 4
        ));
    }
    let l = io::load_bytes(Path::new("big.csv"), text.as_bytes(), Some(Format::Acled)).unwrap();
    assert_eq!(l.dataset.events.len(), rows - 1);
    assert_eq!(l.skipped, 1);
    // Events keep file order.
    assert_eq!(l.dataset.events.to_vec()[0].id, "T0");
    assert_eq!(l.dataset.events.to_vec()[19_999].id, "T19999");
    assert_eq!(l.dataset.events.to_vec()[20_000].id, "T20001");
    let lines: Vec<Option<u64>> = l.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, vec![Some(20_002), Some(39_002)], "{:?}", l.problems);
    assert_eq!(l.problems[0].severity, Severity::Error);
    assert_eq!(l.problems[1].severity, Severity::Warning);
    assert!(
        l.problems[1].message.contains("line 7"),
        "{}",
        l.problems[1].message
    );
}

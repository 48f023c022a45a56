//! UCDP GED CSV: date windows, deaths, sides, sources.

use std::path::{Path, PathBuf};

use eventline::io::{self, Format, Severity, native};
use eventline::model::{FuzzyDate, Precision, Role};

use crate::fixtures;

/// The GED fixture.
fn ged() -> PathBuf {
    fixtures::in_dir("ucdp", "ged-armenia-azerbaijan.csv")
}

fn load() -> io::Loaded {
    io::load_path(&ged(), None).unwrap()
}

#[test]
fn ged_file_is_detected_and_read() {
    let l = load();
    assert_eq!(l.format, Format::Ucdp);
    assert_eq!(l.dataset.title, "UCDP GED: ged-armenia-azerbaijan.csv");
    let ids: Vec<String> = l.dataset.events.iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        ["ucdp-337050", "ucdp-337061", "ucdp-337070", "ucdp-412300"]
    );
    let kinds: Vec<String> = l.dataset.events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["clash", "clash", "violence", "clash"]);
    assert_eq!(l.dataset.kinds.len(), 1);
    assert_eq!(l.dataset.kinds[0].id, "violence");
    assert_eq!(l.dataset.kinds[0].label, "Violence against civilians");
}

#[test]
fn the_impossible_date_is_skipped_and_located() {
    let l = load();
    assert_eq!(l.skipped, 1);
    assert_eq!(l.problems.len(), 1, "{:#?}", l.problems);
    let p = &l.problems[0];
    assert_eq!(p.severity, Severity::Error);
    assert_eq!(p.line, Some(5));
    assert_eq!(p.field.as_deref(), Some("date_start"));
    assert!(p.message.contains("there is no month 13"), "{}", p.message);
    assert!(
        p.message.contains("event 337080 was skipped"),
        "{}",
        p.message
    );
    // The column counts characters of the line up to `date_start`.
    let line = std::fs::read_to_string(ged()).unwrap();
    let line = line.lines().nth(4).unwrap();
    let byte = line.find("2020-13-01").unwrap();
    assert_eq!(p.column, Some(line[..byte].chars().count() as u64 + 1));
}

#[test]
fn dates_are_days_or_uncertainty_windows() {
    let l = load();
    let one = l.dataset.events.get(0).unwrap().when;
    assert_eq!(one.start, FuzzyDate::day(2020, 9, 27).unwrap());
    assert_eq!(one.end, None);
    assert!(!one.start.is_window());
    // 1–4 October 2020: a window of days, not a duration.
    let w = l.dataset.events.get(1).unwrap().when;
    assert_eq!(w.end, None);
    assert!(w.start.is_window());
    assert_eq!(w.start.precision, Precision::Day);
    assert_eq!(w.start.to_text(), "2020-10-01/2020-10-04");
    assert_eq!(
        w.start.earliest,
        FuzzyDate::day(2020, 10, 1).unwrap().earliest
    );
    assert_eq!(w.start.latest, FuzzyDate::day(2020, 10, 4).unwrap().latest);
    assert_eq!(
        w.start.describe(),
        "between 1 October 2020 and 4 October 2020"
    );
    assert_eq!(l.dataset.events.to_vec()[1].codes["ucdp.date_prec"], "2");
    // Plain dates without a time work too.
    assert_eq!(
        l.dataset.events.to_vec()[2].when.start,
        FuzzyDate::day(2020, 10, 4).unwrap()
    );
    assert_eq!(
        l.dataset.events.to_vec()[3].when.start.to_text(),
        "2022-09-12/2022-09-18"
    );
}

#[test]
fn sides_deaths_place_sources_codes() {
    let l = load();
    let e = l.dataset.events.get(0).unwrap();
    assert_eq!(
        e.title,
        "Fighting: Government of Azerbaijan vs Republic of Artsakh (Füzuli)"
    );
    assert_eq!(e.actors.len(), 2);
    assert_eq!(e.actors[0].name, "Government of Azerbaijan");
    assert_eq!(e.actors[0].role, Role::SideA);
    assert_eq!(e.actors[0].country.as_deref(), Some("Azerbaijan"));
    assert_eq!(e.actors[1].name, "Republic of Artsakh");
    assert_eq!(e.actors[1].role, Role::SideB);
    let c = e.casualties.as_ref().unwrap();
    assert_eq!((c.low, c.best, c.high), (Some(20), Some(26), Some(40)));
    assert_eq!(e.extra["deaths_a"], 10);
    assert_eq!(e.extra["deaths_b"], 16);
    assert_eq!(e.extra["deaths_civilians"], 0);
    assert_eq!(e.extra["deaths_unknown"], 0);
    let place = e.place.as_ref().unwrap();
    assert_eq!(place.name, "Füzuli");
    assert_eq!(place.admin.as_deref(), Some("Füzuli rayon"));
    assert_eq!(place.country.as_deref(), Some("Azerbaijan"));
    assert_eq!((place.lat, place.lon), (Some(39.6003), Some(47.1431)));
    assert_eq!(place.precision.as_deref(), Some("1: exact location"));
    // Two offices, two dates, two headlines: two sources.
    assert_eq!(e.sources.len(), 2);
    assert_eq!(
        e.sources[1].publisher.as_deref(),
        Some("Agence France Presse")
    );
    assert_eq!(
        e.sources[1].title.as_deref(),
        Some("Azerbaijan, Armenia clash over disputed region")
    );
    assert_eq!(
        e.sources[1].published,
        Some(FuzzyDate::day(2020, 9, 27).unwrap())
    );
    assert!(
        e.extra["source_article"]
            .as_str()
            .unwrap()
            .starts_with("Reuters,2020-09-27")
    );
    assert_eq!(e.codes["ucdp.type_of_violence"], "1");
    assert_eq!(
        e.codes["ucdp.conflict_name"],
        "Azerbaijan: Nagorno-Karabakh"
    );
    assert_eq!(
        e.codes["ucdp.dyad_name"],
        "Government of Azerbaijan - Republic of Artsakh"
    );
    assert_eq!(e.codes["ucdp.where_prec"], "1");
    assert_eq!(e.codes["ucdp.event_clarity"], "1");
    assert_eq!(e.extra["relid"], "AZE-2020-1-388-12");
    assert_eq!(e.extra["country_id"], 373);
    assert_eq!(e.extra["geom_wkt"], "POINT (47.1431 39.6003)");
    assert!(!e.extra.contains_key("gwnob"));
    let p = e.provenance.as_ref().unwrap();
    assert_eq!(p.format, "ucdp");
    assert_eq!(p.record.as_deref(), Some("337050"));
    assert_eq!(p.line, Some(2));

    // No where_description: the place falls back to adm_1.
    let w = l.dataset.events.get(1).unwrap();
    assert_eq!(w.place.as_ref().unwrap().name, "Khojavend rayon");
    assert_eq!(
        w.place.as_ref().unwrap().precision.as_deref(),
        Some("4: province")
    );
    // One-sided violence; the article reference titles the only source.
    let v = l.dataset.events.get(2).unwrap();
    assert_eq!(
        v.title,
        "One-sided violence by Government of Azerbaijan (Stepanakert (Khankendi))"
    );
    assert_eq!(v.sources.len(), 1);
    assert_eq!(
        v.sources[0].title.as_deref(),
        Some("Human Rights Watch report, 2020-12-11")
    );
    assert_eq!(v.codes["ucdp.event_clarity"], "2");
    // Three sources line up.
    assert_eq!(l.dataset.events.to_vec()[3].sources.len(), 3);
    assert_eq!(
        l.dataset.events.to_vec()[3].sources[2].title.as_deref(),
        Some("Border fighting")
    );
}

#[test]
fn round_trip_through_the_native_format() {
    let first = load();
    let mut bytes = Vec::new();
    native::write_to(&first.dataset, &mut bytes).unwrap();
    let back = native::read(Path::new("x.json"), &bytes).unwrap();
    assert!(back.problems.is_empty(), "{:#?}", back.problems);
    assert_eq!(back.dataset.events, first.dataset.events);
    assert_eq!(back.dataset.kinds, first.dataset.kinds);
}

#[test]
fn repairs_are_warnings() {
    let text = "id,type_of_violence,date_start,date_end,best,latitude\n\
                1,4,2020-10-05,2020-10-01,many,95\n\
                2,1,,2020-10-02,3,40\n\
                3,1,,,3,40\n";
    let l = io::ucdp::read(Path::new("g.csv"), text.as_bytes()).unwrap();
    assert_eq!(l.dataset.events.len(), 2);
    assert_eq!(l.skipped, 1);
    let e = l.dataset.events.get(0).unwrap();
    assert_eq!(e.kind, "other");
    assert_eq!(e.when.start, FuzzyDate::day(2020, 10, 5).unwrap());
    assert_eq!(e.casualties, None);
    assert_eq!(e.extra["best"], "many");
    assert_eq!(e.place.as_ref().map(|p| p.lat), None);
    let fields: Vec<(Severity, Option<u64>, Option<&str>)> = l
        .problems
        .iter()
        .map(|p| (p.severity, p.line, p.field.as_deref()))
        .collect();
    assert_eq!(
        fields,
        [
            (Severity::Warning, Some(2), Some("date_end")),
            (Severity::Warning, Some(2), Some("type_of_violence")),
            (Severity::Warning, Some(2), Some("latitude")),
            (Severity::Warning, Some(2), Some("best")),
            (Severity::Warning, Some(3), Some("date_start")),
            (Severity::Error, Some(4), Some("date_start")),
        ]
    );
    assert_eq!(
        l.dataset.events.to_vec()[1].when.start,
        FuzzyDate::day(2020, 10, 2).unwrap()
    );
}

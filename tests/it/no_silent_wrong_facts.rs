//! Issue 10, the reading side: dates read per column, encodings read per
//! line, ids made from content, problems bounded.

use std::path::Path;

use eventline::io::{self, DateOrder, LoadOptions, Severity};

use crate::fixtures;

fn load(name: &str) -> io::Loaded {
    io::load_path(&fixtures::path(name), None).unwrap()
}

fn starts(l: &io::Loaded) -> Vec<String> {
    l.dataset
        .events
        .iter()
        .map(|e| e.when.start.to_text())
        .collect()
}

fn warnings(l: &io::Loaded) -> Vec<&str> {
    l.problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .map(|p| p.message.as_str())
        .collect()
}

// ------------------------------------------------------------- 1. dates --

#[test]
fn us_excel_acled_is_read_month_first_throughout() {
    let l = load("acled/us-excel-month-first.csv");
    assert_eq!(l.format, io::Format::Acled);
    assert_eq!(
        starts(&l),
        [
            "2022-08-03",
            "2022-08-04",
            "2022-08-12",
            "2022-09-13",
            "2022-09-14"
        ]
    );
    // One `9/13/2022` settled it: nothing to warn about.
    assert!(l.problems.is_empty(), "{:?}", l.problems);
    // The first event is in August, as the notes say.
    assert!(
        l.dataset.events.to_vec()[0]
            .description
            .contains("3 August 2022")
    );
}

#[test]
fn acled_timestamps_settle_a_column_that_reads_either_way() {
    let l = load("acled/us-excel-timestamps-only.csv");
    assert_eq!(starts(&l), ["2022-08-03", "2022-08-04", "2022-08-05"]);
    let w = warnings(&l);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("month-first") && w[0].contains("timestamp"),
        "{}",
        w[0]
    );
    // The user's choice wins, and is taken without a word.
    let forced = io::load_path_with(
        &fixtures::path("acled/us-excel-timestamps-only.csv"),
        &LoadOptions {
            dates: Some(DateOrder::Dmy),
            ..LoadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(starts(&forced), ["2022-03-08", "2022-04-08", "2022-05-08"]);
    assert!(forced.problems.is_empty(), "{:?}", forced.problems);
}

#[test]
fn an_ambiguous_column_says_once_how_it_was_read() {
    let l = load("csv/ambiguous-dates.csv");
    assert_eq!(starts(&l), ["2022-04-03", "2022-06-05", "2022-08-07"]);
    let w = warnings(&l);
    assert_eq!(w.len(), 1, "{w:?}");
    for part in ["ambiguous-dates.csv", "`date`", "day-first", "--dates mdy"] {
        assert!(w[0].contains(part), "{part} missing from: {}", w[0]);
    }
    let mdy = io::load_path_with(
        &fixtures::path("csv/ambiguous-dates.csv"),
        &LoadOptions {
            dates: Some(DateOrder::Mdy),
            ..LoadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(starts(&mdy), ["2022-03-04", "2022-05-06", "2022-07-08"]);
    assert!(mdy.problems.is_empty());
}

#[test]
fn acled_spellings_still_read() {
    for (name, first) in [
        ("acled/armenia-azerbaijan-2020-2022.csv", "2020-09-27"),
        ("acled/resaved-in-excel.csv", "2022-08-03"),
        ("acled/legacy-ivory-coast-2015.csv", "2015-12-29"),
    ] {
        let l = load(name);
        assert!(
            starts(&l).iter().any(|s| s == first),
            "{name}: {:?}",
            starts(&l)
        );
    }
}

#[test]
fn two_digit_years_and_offsets_are_said_once_and_offsets_kept() {
    let l = load("csv/two-digit-years-and-offsets.csv");
    let e = l.dataset.events.to_vec();
    assert_eq!(e[0].when.start.to_text(), "1967-06-05");
    assert_eq!(
        e[0].when.end.map(|d| d.to_text()).as_deref(),
        Some("1967-06-10")
    );
    assert_eq!(e[1].when.start.to_text(), "2022-08-05T10:00");
    assert_eq!(e[1].extra["utc_offset"], "+04:00");
    assert_eq!(e[2].extra["end_utc_offset"], "+04:00");
    let w = warnings(&l);
    assert_eq!(
        w.iter().filter(|m| m.contains("two-digit year")).count(),
        1,
        "{w:?}"
    );
    assert_eq!(
        w.iter().filter(|m| m.contains("UTC offset")).count(),
        1,
        "{w:?}"
    );
    assert!(w.iter().any(|m| m.contains("5 June 1967")), "{w:?}");
}

// ---------------------------------------------------------- 2. encoding --

#[test]
fn one_bad_byte_leaves_every_name_intact() {
    let l = load("csv/utf8-one-bad-byte.csv");
    let titles: Vec<String> = l.dataset.events.iter().map(|e| e.title).collect();
    assert_eq!(
        titles,
        [
            "Перестрелка у Лачинского коридора",
            "Զինադադարի խախտում",
            "Ağdam rayonunda atışma",
            "Statement by the \u{fffd}EU"
        ]
    );
    assert_eq!(l.dataset.events.to_vec()[2].actors[0].name, "Azərbaycan MN");
    assert_eq!(l.problems.len(), 1, "{:?}", l.problems);
    assert_eq!(l.problems[0].line, Some(5));
    assert!(l.problems[0].message.contains("not UTF-8"));
}

#[test]
fn a_legacy_file_names_its_encoding() {
    let l = load("acled/legacy-ivory-coast-2015.csv");
    let w = warnings(&l);
    assert!(w.iter().any(|m| m.contains("Windows-1252")), "{w:?}");
}

// ----------------------------------------------------- 5. content ids --

fn ids_by_title(events: &eventline::table::EventTable) -> Vec<(String, String)> {
    events
        .iter()
        .map(|e| (e.title.clone(), e.id.clone()))
        .collect()
}

#[test]
fn an_inserted_row_leaves_the_other_ids_alone() {
    let before = load("csv/no-ids.csv");
    let after = load("csv/no-ids-row-inserted.csv");
    assert_eq!(after.dataset.events.len(), before.dataset.events.len() + 1);
    let b = ids_by_title(&before.dataset.events);
    let a = ids_by_title(&after.dataset.events);
    assert_eq!(&a[1..], &b[..]);
    // Exact duplicates are told apart by their occurrence.
    assert_eq!(b[2].1, format!("{}-2", b[1].1));
    // No id is a position.
    assert!(
        b.iter()
            .all(|(_, id)| !id.starts_with("row-") || id.len() > 10)
    );
    // Reordering keeps them too.
    let text = std::fs::read_to_string(fixtures::path("csv/no-ids.csv")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1..].reverse();
    let reversed =
        io::load_bytes(Path::new("no-ids.csv"), lines.join("\n").as_bytes(), None).unwrap();
    let mut r = ids_by_title(&reversed.dataset.events);
    r.reverse();
    // The duplicates swap occurrence numbers, being the same record.
    assert_eq!(r[0], b[0]);
    assert_eq!(r[3], b[3]);
}

#[test]
fn timelinejs_slides_and_timeline_events_get_content_ids() {
    let json = br#"{"events": [
        {"start_date": {"year": 2022, "month": 8, "day": 5}, "text": {"headline": "Call"}},
        {"start_date": {"year": 2022, "month": 8, "day": 6}, "text": {"headline": "Clash"}}
    ]}"#;
    let inserted = br#"{"events": [
        {"start_date": {"year": 2022, "month": 8, "day": 1}, "text": {"headline": "New"}},
        {"start_date": {"year": 2022, "month": 8, "day": 5}, "text": {"headline": "Call"}},
        {"start_date": {"year": 2022, "month": 8, "day": 6}, "text": {"headline": "Clash"}}
    ]}"#;
    let a = io::load_bytes(Path::new("t.json"), json, None).unwrap();
    let b = io::load_bytes(Path::new("t.json"), inserted, None).unwrap();
    assert_eq!(
        ids_by_title(&a.dataset.events),
        ids_by_title(&b.dataset.events)[1..]
    );
    let t = load("thetimeline/karabakh-2022.timeline");
    assert!(
        t.dataset
            .events
            .iter()
            .all(|e| !e.id.starts_with("timeline-") || e.id.len() > 20),
        "{:?}",
        ids_by_title(&t.dataset.events)
    );
}

// ------------------------------------------------------ 6. bounded problems --

#[test]
fn every_reader_keeps_at_most_a_thousand_problems() {
    // GDELT: rows of the wrong width.
    let mut gdelt = String::new();
    let mut good = vec!["0"; 61];
    good[0] = "1";
    good[1] = "20220805";
    gdelt.push_str(&good.join("\t"));
    gdelt.push('\n');
    for _ in 0..1500 {
        gdelt.push_str("1\t20220805\tx\n");
    }
    let l = io::load_bytes(
        Path::new("big.export.CSV"),
        gdelt.as_bytes(),
        Some(io::Format::Gdelt),
    )
    .unwrap();
    assert_eq!(l.problems.len(), 1001);
    assert!(l.problems_omitted >= 500);
    assert!(l.skipped >= 1500);
    assert!(
        l.problems[1000]
            .message
            .ends_with("more problems were found but are not listed")
    );
    let s = l.summary();
    assert!(
        s.contains("big.export.CSV")
            && s.contains(" problems")
            && s.contains("(the first 1000 listed)"),
        "{s}"
    );

    // Native: events with bad dates.
    let mut native = String::from("{\"eventline\": 1, \"title\": \"t\", \"events\": [");
    for i in 0..1200 {
        if i > 0 {
            native.push(',');
        }
        native.push_str(&format!(
            "{{\"id\": \"e{i}\", \"title\": \"x\", \"kind\": \"other\", \"when\": {{\"start\": \"2022-02-30\"}}}}"
        ));
    }
    native.push_str("]}");
    let l = io::load_bytes(Path::new("big.json"), native.as_bytes(), None).unwrap();
    assert_eq!(l.format, io::Format::Eventline);
    assert_eq!(l.problems.len(), 1001);
    assert_eq!(l.problems_omitted, 200);
    assert_eq!(l.skipped, 1200);

    // TimelineJS: slides without a start date.
    let mut tl = String::from("{\"events\": [");
    for i in 0..1100 {
        if i > 0 {
            tl.push(',');
        }
        tl.push_str("{\"text\": {\"headline\": \"x\"}}");
    }
    tl.push_str("]}");
    let l = io::load_bytes(Path::new("big-tl.json"), tl.as_bytes(), None).unwrap();
    assert_eq!(l.format, io::Format::TimelineJs);
    assert!(l.problems.len() <= 1001, "{}", l.problems.len());
    assert!(l.problem_count() >= 1100, "{}", l.problem_count());
}

#[test]
fn an_acled_date_that_contradicts_its_year_is_warned() {
    let text = std::fs::read_to_string(fixtures::path("acled/us-excel-month-first.csv")).unwrap();
    // The second row's year column says 2021, its date 2022.
    let changed = text.replacen("ARM1202,8/4/2022,2022,", "ARM1202,8/4/2022,2021,", 1);
    assert_ne!(changed, text);
    let l = io::load_bytes(Path::new("a.csv"), changed.as_bytes(), None).unwrap();
    let w = warnings(&l);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("the row's year is 2021"), "{}", w[0]);
    assert_eq!(l.problems[0].line, Some(3));
}

#[test]
fn an_acled_offset_is_kept_and_said_once() {
    let text = std::fs::read_to_string(fixtures::path("acled/us-excel-month-first.csv")).unwrap();
    let changed = text
        .replacen("ARM1201,8/3/2022,", "ARM1201,2022-08-03T10:00+04:00,", 1)
        .replacen("ARM1202,8/4/2022,", "ARM1202,2022-08-04T09:00+04:00,", 1);
    let l = io::load_bytes(Path::new("a.csv"), changed.as_bytes(), None).unwrap();
    let e = l.dataset.events.to_vec();
    assert_eq!(e[0].when.start.to_text(), "2022-08-03");
    assert_eq!(e[0].extra["utc_offset"], "+04:00");
    assert_eq!(e[1].extra["utc_offset"], "+04:00");
    assert!(!e[2].extra.contains_key("utc_offset"));
    let w = warnings(&l);
    assert_eq!(
        w.iter().filter(|m| m.contains("UTC offset")).count(),
        1,
        "{w:?}"
    );
}

#[test]
fn a_late_cell_settles_the_rows_read_before_it() {
    // 40,000 rows that read either way, then one that only reads
    // month-first: the first rows are read month-first too, in ACLED (read
    // in batches on every core) and in a plain table (read row by row).
    let text = std::fs::read_to_string(fixtures::path("acled/us-excel-month-first.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let template = lines.next().unwrap();
    let mut acled = format!("{header}\n");
    let mut table = String::from("date,title\n");
    for i in 0..40_000 {
        let day = format!("{}/{}/2022", 1 + i % 12, 1 + (i / 12) % 12);
        acled.push_str(&template.replacen("ARM1201,8/3/2022,", &format!("X{i},{day},"), 1));
        acled.push('\n');
        table.push_str(&format!("{day},Row {i}\n"));
    }
    acled.push_str(&template.replacen("ARM1201,8/3/2022,", "LAST,9/13/2022,", 1));
    acled.push('\n');
    table.push_str("9/13/2022,Last\n");
    for (name, bytes) in [("a.csv", acled), ("t.csv", table)] {
        let l = io::load_bytes(Path::new(name), bytes.as_bytes(), None).unwrap();
        let e = l.dataset.events.to_vec();
        assert_eq!(e.len(), 40_001, "{name}");
        // Row 13 (i = 13) is `2/2/2022`; row 1 (i = 1) is `2/1/2022`: 1 February.
        assert_eq!(e[1].when.start.to_text(), "2022-02-01", "{name}");
        assert_eq!(e[40_000].when.start.to_text(), "2022-09-13", "{name}");
        assert!(
            l.problems.is_empty(),
            "{name}: {:?}",
            &l.problems[..l.problems.len().min(3)]
        );
    }
}

#[test]
fn a_ucdp_date_that_contradicts_its_year_is_warned() {
    let text = std::fs::read_to_string(fixtures::path("ucdp/ged-armenia-azerbaijan.csv")).unwrap();
    let before = io::load_bytes(Path::new("g.csv"), text.as_bytes(), None).unwrap();
    let changed = text.replacen(
        "337050,AZE-2020-1-388-12,2020,",
        "337050,AZE-2020-1-388-12,2019,",
        1,
    );
    assert_ne!(changed, text);
    let l = io::load_bytes(Path::new("g.csv"), changed.as_bytes(), None).unwrap();
    let new: Vec<&str> = warnings(&l)
        .into_iter()
        .filter(|m| !warnings(&before).contains(m))
        .collect();
    assert_eq!(new.len(), 1, "{new:?}");
    assert!(new[0].contains("the row's year is 2019"), "{}", new[0]);
}

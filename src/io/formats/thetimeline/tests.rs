//! Unit tests of the Timeline XML reader.

use super::*;
use proptest::prelude::*;

fn read_str(text: &str) -> Result<Loaded, LoadError> {
    read(Path::new("t.timeline"), text.as_bytes())
}

fn doc(events: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<timeline>\n<version>2.4.0</version>\n<timetype>gregoriantime</timetype>\n<categories>\n<category><name>Diplomacy</name><color>31,119,180</color></category>\n<category><name>Clashes</name><color>214,39,40</color></category>\n</categories>\n<events>\n{events}</events>\n</timeline>\n"
    )
}

#[test]
fn booleans_and_colours() {
    assert_eq!(parse_bool("True"), Some(true));
    assert_eq!(parse_bool("False"), Some(false));
    assert_eq!(parse_bool(" true "), Some(true));
    assert_eq!(parse_bool("Maybe"), None);
    assert_eq!(parse_rgb("255,153,153"), Some(Rgb(255, 153, 153)));
    assert_eq!(parse_rgb("(1, 2, 3)"), Some(Rgb(1, 2, 3)));
    assert_eq!(parse_rgb("256,0,0"), None);
    assert_eq!(parse_rgb("1,2"), None);
}

#[test]
fn dates_and_precision() {
    let d = parse_datetime("2022-08-05 14:30:00").unwrap();
    assert_eq!(precision_of(&[d]), Precision::Minute);
    let m = parse_datetime("2022-08-05 00:00:00").unwrap();
    assert_eq!(precision_of(&[m]), Precision::Day);
    assert_eq!(precision_of(&[m, d]), Precision::Minute);
    let s = parse_datetime("2022-08-05 14:30:15").unwrap();
    assert_eq!(precision_of(&[m, s]), Precision::Second);
    assert!(parse_datetime("-473-03-15 08:47:24").is_some());
    assert!(parse_datetime("281-08-17 21:59:47").is_some());
    assert!(parse_datetime("2022-02-30 00:00:00").is_none());
    assert!(parse_datetime("2022-08-05 25:00:00").is_none());
    assert!(parse_datetime("yesterday").is_none());
}

#[test]
fn containers_and_members() {
    assert_eq!(
        split_container_prefix("[2]Talks in Brussels"),
        (Some(Grouping::Container(2)), "Talks in Brussels")
    );
    assert_eq!(
        split_container_prefix(" (2)Dinner"),
        (Some(Grouping::Member(2)), "Dinner")
    );
    assert_eq!(
        split_container_prefix("(UN) statement"),
        (None, "(UN) statement")
    );
    assert_eq!(split_container_prefix("[]x"), (None, "[]x"));
    assert_eq!(slug("Peace process / OSCE"), "peace-process-osce");
}

#[test]
fn categories_become_kinds() {
    let text = doc(
        "<event><start>2022-08-05 00:00:00</start><end>2022-08-05 00:00:00</end><text>[1]Brussels talks</text><category>Diplomacy</category></event>\n\
         <event><start>2022-08-05 10:00:00</start><end>2022-08-05 11:30:00</end><text>(1)Dinner</text><fuzzy>True</fuzzy></event>\n\
         <event><start>2022-08-03 00:00:00</start><end>2022-08-03 00:00:00</end><text>Fighting</text><category>Clashes</category><milestone>True</milestone></event>\n",
    );
    let l = read_str(&text).unwrap();
    assert!(l.problems.is_empty(), "{:?}", l.problems);
    let kinds: Vec<&str> = l.dataset.kinds.iter().map(|k| k.id.as_str()).collect();
    assert_eq!(kinds, ["diplomacy"]);
    assert_eq!(l.dataset.kinds[0].color, Rgb(31, 119, 180));
    let e = l.dataset.events.to_vec();
    assert_eq!(e[0].kind, "diplomacy");
    assert_eq!(e[0].title, "Brussels talks");
    assert_eq!(e[0].when.end, None);
    assert_eq!(e[0].when.start.precision, Precision::Day);
    assert_eq!(e[1].tags, ["Brussels talks"]);
    assert_eq!(e[1].codes["timeline.container"], "Brussels talks");
    assert_eq!(e[1].kind, "other");
    assert!(e[1].when.start.approximate);
    assert!(e[1].when.end.unwrap().approximate);
    assert_eq!(e[1].when.start.precision, Precision::Minute);
    assert_eq!(e[2].kind, "clash");
    assert_eq!(e[2].codes["timeline.category"], "Clashes");
    assert_eq!(e[2].codes["timeline.milestone"], "true");
}

#[test]
fn hostile_and_broken_xml_is_refused() {
    let bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><timeline><events><event><text>&lol2;</text></event></events></timeline>";
    let err = read_str(bomb).unwrap_err();
    assert!(err.to_string().contains("DOCTYPE"), "{err}");
    let err = read_str("<timeline><events><event><text>&foo;</text></event></events></timeline>")
        .unwrap_err();
    assert!(err.to_string().contains("not defined"), "{err}");
    let err = read_str("<html><body/></html>").unwrap_err();
    assert!(err.to_string().contains("root element is <html>"), "{err}");
    let err = read_str("<timeline><events><event>").unwrap_err();
    assert!(err.to_string().contains("cut short"), "{err}");
    let err = read_str("<timeline><events></event></timeline>").unwrap_err();
    assert!(matches!(err, LoadError::Syntax { line: 1, .. }), "{err}");
    let err = read_str("just text").unwrap_err();
    assert!(err.to_string().contains("no <timeline> element"), "{err}");
    let err = read_str("<timeline><timetype>numtime</timetype></timeline>").unwrap_err();
    assert!(err.to_string().contains("numtime"), "{err}");
    let deep = format!("<timeline>{}", "<a>".repeat(10_000));
    assert!(read_str(&deep).is_err());
}

#[test]
fn an_end_before_the_start_is_kept_aside() {
    let text = doc(
        "<event><start>2022-08-05 00:00:00</start><end>2022-08-01 00:00:00</end><text>x</text></event>\n",
    );
    let l = read_str(&text).unwrap();
    assert_eq!(l.problems.len(), 1);
    assert_eq!(l.problems[0].severity, Severity::Warning);
    assert_eq!(l.problems[0].field.as_deref(), Some("event[0].end"));
    let e = l.dataset.events.get(0).unwrap();
    assert_eq!(e.when.end, None);
    assert_eq!(e.extra["timeline.end"], "2022-08-01 00:00:00");
}

#[test]
fn bad_dates_are_located() {
    let text = doc(
        "<event>\n<start>2022-08-05 00:00:00</start>\n<end>2022-08-05 00:00:00</end>\n<text>ok</text>\n</event>\n\
         <event>\n<start>2022-13-05 00:00:00</start>\n<end>2022-08-05 00:00:00</end>\n<text>bad</text>\n</event>\n",
    );
    let l = read_str(&text).unwrap();
    assert_eq!(l.dataset.events.len(), 1);
    assert_eq!(l.skipped, 1);
    let p = &l.problems[0];
    assert_eq!(p.field.as_deref(), Some("event[1].start"));
    let line = text.lines().position(|x| x.contains("2022-13-05")).unwrap() as u64 + 1;
    assert_eq!(p.line, Some(line));
    assert_eq!(p.column, Some(1));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read(Path::new("x.timeline"), &bytes);
    }

    #[test]
    fn arbitrary_fields_never_panic(
        start in "[-0-9 :]{0,22}", end in "[-0-9 :]{0,22}",
        text in "[\\[\\]()0-9a-z &;<]{0,16}", flag in "[A-Za-z]{0,6}", color in "[0-9, ]{0,12}"
    ) {
        let body = format!(
            "<event><start>{start}</start><end>{end}</end><text>{text}</text><fuzzy>{flag}</fuzzy><default_color>{color}</default_color><category>{text}</category></event>"
        );
        let _ = read_str(&doc(&body));
    }
}

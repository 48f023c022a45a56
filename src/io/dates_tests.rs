use super::*;
use crate::model::Precision;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn survey(cells: &[&str]) -> Survey {
    let mut s = Survey::default();
    for c in cells {
        s.add(c, None, None);
    }
    s
}

#[test]
fn one_cell_settles_the_column() {
    let (r, p) = decide(&survey(&["8/3/2022", "9/13/2022"]), None, "f.csv", "date");
    assert_eq!(r.order, DateOrder::Mdy);
    assert!(p.is_empty());
    let (r, p) = decide(&survey(&["8/3/2022", "29/12/2015"]), None, "f.csv", "date");
    assert_eq!(r.order, DateOrder::Dmy);
    assert!(p.is_empty());
    let mdy = DateReading::new(DateOrder::Mdy);
    assert_eq!(
        read_day("8/3/2022", &mdy, None).unwrap().date,
        day(2022, 8, 3)
    );
    let dmy = DateReading::new(DateOrder::Dmy);
    assert_eq!(
        read_day("8/3/2022", &dmy, None).unwrap().date,
        day(2022, 3, 8)
    );
}

#[test]
fn an_ambiguous_column_is_read_day_first_with_one_warning() {
    let (r, p) = decide(
        &survey(&["3/4/2022", "5/6/2022", "2022-08-01"]),
        None,
        "f.csv",
        "date",
    );
    assert_eq!(r.order, DateOrder::Dmy);
    assert_eq!(p.len(), 1);
    let m = &p[0].message;
    assert!(
        m.contains("f.csv") && m.contains("`date`") && m.contains("--dates mdy"),
        "{m}"
    );
    assert!(m.contains("3 April 2022"), "{m}");
    // A choice is taken as it is, without a word.
    let (r, p) = decide(
        &survey(&["3/4/2022"]),
        Some(DateOrder::Mdy),
        "f.csv",
        "date",
    );
    assert_eq!(r.order, DateOrder::Mdy);
    assert!(p.is_empty());
}

#[test]
fn timestamps_settle_what_the_column_cannot() {
    // 3/8/2022 day-first is 3 August, after a row updated in March.
    let ts_march = 1_647_302_400; // 2022-03-15
    let mut s = Survey::default();
    s.add("3/8/2022", Some(2022), Some(ts_march));
    let (r, p) = decide(&s, None, "a.csv", "event_date");
    assert_eq!(r.order, DateOrder::Mdy);
    assert_eq!(p.len(), 1);
    assert!(p[0].message.contains("timestamp"), "{}", p[0].message);
    // 8/3/2022 updated on 9 August 2022: only 3 August is a recent day.
    let mut s = Survey::default();
    s.add("8/3/2022", Some(2022), Some(1_660_003_200));
    s.add("8/5/2022", Some(2022), Some(1_660_003_200));
    assert_eq!(
        decide(&s, None, "a.csv", "event_date").0.order,
        DateOrder::Mdy
    );
}

#[test]
fn two_digit_years_are_placed_and_warned_once() {
    let reading = DateReading {
        order: DateOrder::Dmy,
        last_year: 2026,
    };
    assert_eq!(
        read_day("5-Jun-67", &reading, None).unwrap().date,
        day(1967, 6, 5)
    );
    assert_eq!(
        read_day("3-Aug-22", &reading, None).unwrap().date,
        day(2022, 8, 3)
    );
    // The row's own year wins over the pivot.
    assert_eq!(
        read_day("5-Jun-27", &reading, Some(1927)).unwrap().date,
        day(1927, 6, 5)
    );
    let (_, p) = decide(&survey(&["5-Jun-67", "6-Jun-67"]), None, "w.csv", "date");
    assert_eq!(p.len(), 1);
    assert!(
        p[0].message.contains("2 dates with a two-digit year"),
        "{}",
        p[0].message
    );
    assert!(p[0].message.contains("5 June 1967"), "{}", p[0].message);
    let mut s = Survey::default();
    s.add("5-Jun-67", Some(1967), None);
    assert!(decide(&s, None, "w.csv", "date").1.is_empty());
}

#[test]
fn offsets_are_kept_apart_and_warned_once() {
    let r = read_date("2022-08-05T10:00+04:00", &DateReading::default()).unwrap();
    assert_eq!(r.offset.as_deref(), Some("+04:00"));
    assert_eq!(r.date.to_text(), "2022-08-05T10:00");
    let (_, p) = decide(
        &survey(&["2022-08-05T10:00+04:00", "2022-08-06T11:00+04:00"]),
        None,
        "o.csv",
        "when",
    );
    assert_eq!(p.len(), 1);
    assert!(p[0].message.contains("utc_offset"));
}

#[test]
fn cells_against_the_order_are_flagged() {
    let dmy = DateReading::new(DateOrder::Dmy);
    let d = read_day("12/29/2015", &dmy, None).unwrap();
    assert!(d.against_order);
    assert_eq!(d.date, day(2015, 12, 29));
    let mdy = DateReading::new(DateOrder::Mdy);
    let d = read_day("29/12/2015", &mdy, None).unwrap();
    assert!(d.against_order);
    assert!(!read_day("2015-12-29", &mdy, None).unwrap().against_order);
}

#[test]
fn year_first_reads_two_digit_years_first() {
    let ymd = DateReading {
        order: DateOrder::Ymd,
        last_year: 2026,
    };
    assert_eq!(
        read_day("22/08/03", &ymd, None).unwrap().date,
        day(2022, 8, 3)
    );
    // A four-digit year last cannot be year-first: read day-first.
    let d = read_day("03/08/2022", &ymd, None).unwrap();
    assert_eq!(d.date, day(2022, 8, 3));
    assert!(d.against_order);
}

#[test]
fn date_orders_have_names() {
    for o in DateOrder::ALL {
        assert_eq!(DateOrder::parse_name(o.name()), Some(o));
    }
    assert_eq!(DateOrder::parse_name(" MDY "), Some(DateOrder::Mdy));
    assert_eq!(DateOrder::parse_name("x"), None);
}

#[test]
fn day_spellings() {
    let aug3 = day(2022, 8, 3);
    for t in [
        "2022-08-03",
        "03 August 2022",
        "3 August 2022",
        "3-Aug-22",
        "03-Aug-2022",
        "Aug 3, 2022",
        "August 3, 2022",
        "August 3 2022",
        "3rd August 2022",
        "03/08/2022",
        "3.8.2022",
        "2022/08/03",
        "20220803",
        "2022-08-03 00:00:00.000",
        "2022-08-03T12:00",
        "  3 aug 2022 ",
    ] {
        assert_eq!(parse_day(t).unwrap(), aug3, "{t}");
    }
    assert_eq!(parse_day("29/12/2015").unwrap(), day(2015, 12, 29));
    assert_eq!(parse_day("12/29/2015").unwrap(), day(2015, 12, 29));
    assert_eq!(parse_day("5 Sept 2020").unwrap(), day(2020, 9, 5));
    assert_eq!(parse_day("1-Jan-99").unwrap(), day(1999, 1, 1));
}

#[test]
fn impossible_days_are_refused_in_words() {
    let e = parse_day("2021-02-30").unwrap_err();
    assert_eq!(
        e.to_string(),
        "`2021-02-30` is not a date: February 2021 has no day 30"
    );
    let e = parse_day("31/02/2021").unwrap_err();
    assert!(e.to_string().contains("no day 31"), "{e}");
    assert!(
        parse_day("2021-13-01")
            .unwrap_err()
            .to_string()
            .contains("no month 13")
    );
    assert!(parse_day("").is_err());
    assert!(parse_day("yesterday").is_err());
    assert!(
        parse_day("3 Foo 2022")
            .unwrap_err()
            .to_string()
            .contains("not a month")
    );
    assert!(parse_day("2022-08").is_err());
    assert!(parse_day("1/2/3/4").is_err());
}

#[test]
fn general_dates() {
    assert_eq!(parse_date("2022").unwrap().precision, Precision::Year);
    assert_eq!(parse_date("2022-08").unwrap().precision, Precision::Month);
    let m = parse_date("2022-08-05T14:30").unwrap();
    assert_eq!(m.precision, Precision::Minute);
    assert_eq!(parse_date("2022-08-05T14:30+04:00").unwrap(), m);
    let d = FuzzyDate::day(2022, 8, 5).unwrap();
    for t in [
        "05/08/2022",
        "5.8.2022",
        "5 August 2022",
        "Aug 5, 2022",
        "August 5, 2022",
    ] {
        assert_eq!(parse_date(t).unwrap(), d, "{t}");
    }
    assert_eq!(
        parse_date("August 2022").unwrap(),
        FuzzyDate::month(2022, 8).unwrap()
    );
    assert!(
        parse_date("2022-02-30")
            .unwrap_err()
            .to_string()
            .contains("no day 30")
    );
    assert!(
        parse_date("30/02/2022")
            .unwrap_err()
            .to_string()
            .contains("no day 30")
    );
    assert!(parse_date("soon").is_err());
}

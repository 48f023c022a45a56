//! Dates with a precision and honest doubt.
//!
//! Instants are `i64` seconds since 1970-01-01T00:00:00 on a *floating*
//! calendar: no format we read stores a time zone for an event, so a day is
//! never shifted through one (the 10 November 2020 truce stays on the 10th).

use std::fmt;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Seconds since the Unix epoch on a floating (zone-less) calendar.
pub type Instant = i64;

pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 3_600;
pub const DAY: i64 = 86_400;
pub const WEEK: i64 = 7 * DAY;

/// The unit in which a date was stated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
}

impl Precision {
    pub const ALL: [Precision; 7] = [
        Precision::Year,
        Precision::Month,
        Precision::Week,
        Precision::Day,
        Precision::Hour,
        Precision::Minute,
        Precision::Second,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Week => "week",
            Precision::Day => "day",
            Precision::Hour => "hour",
            Precision::Minute => "minute",
            Precision::Second => "second",
        }
    }

    pub fn parse_name(name: &str) -> Option<Precision> {
        Precision::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// Why a date text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a date: {reason}")]
pub struct DateError {
    pub text: String,
    pub reason: String,
}

fn date_err(text: &str, reason: impl Into<String>) -> DateError {
    DateError {
        text: text.to_string(),
        reason: reason.into(),
    }
}

/// A date that may be known only to a year, month, week or day, may be
/// approximate ("about September 2020") and may be uncertain ("2022?").
///
/// `earliest..=latest` is the window in which the moment lies: one day for a
/// day-precision date, the whole month for a month, or a wider window given
/// explicitly (`2022-08-01/2022-08-07`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FuzzyDate {
    pub earliest: Instant,
    /// Last second of the window (inclusive).
    pub latest: Instant,
    /// The precision of the date; for a window, the coarser of its ends'.
    pub precision: Precision,
    /// True when the date (for a window: either end) is approximate.
    pub approximate: bool,
    /// True when the date (for a window: either end) is uncertain.
    pub uncertain: bool,
    /// For a window written `A/B`: how each end was written, so that the
    /// text form gives back each end's own precision and flags
    /// (`2020-09-27/2020-11`, `2022/2022-06`, `2020-09~/2020-11-10`).
    pub window: Option<WindowEnds>,
}

/// How one end of a window `A/B` was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EndForm {
    pub precision: Precision,
    pub approximate: bool,
    pub uncertain: bool,
}

impl EndForm {
    fn of(d: &FuzzyDate) -> EndForm {
        EndForm {
            precision: d.precision,
            approximate: d.approximate,
            uncertain: d.uncertain,
        }
    }

    fn suffix(&self) -> &'static str {
        flag_suffix(self.approximate, self.uncertain)
    }
}

/// The two ends of a window as they were written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WindowEnds {
    pub start: EndForm,
    pub end: EndForm,
}

pub fn to_instant(dt: NaiveDateTime) -> Instant {
    dt.and_utc().timestamp()
}

pub fn from_instant(t: Instant) -> Option<NaiveDateTime> {
    chrono::DateTime::from_timestamp(t, 0).map(|d| d.naive_utc())
}

fn day_start(d: NaiveDate) -> Instant {
    to_instant(d.and_time(NaiveTime::MIN))
}

/// First day of the month after `(year, month)`.
fn next_month(year: i32, month: u32) -> Option<NaiveDate> {
    if month == 12 {
        NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
}

impl FuzzyDate {
    /// The window of one unit of `precision` that starts at `start`.
    pub fn at(start: NaiveDateTime, precision: Precision) -> FuzzyDate {
        let earliest = to_instant(start);
        let end_exclusive = match precision {
            Precision::Year => NaiveDate::from_ymd_opt(start.year() + 1, 1, 1)
                .map(day_start)
                .unwrap_or(earliest + 365 * DAY),
            Precision::Month => next_month(start.year(), start.month())
                .map(day_start)
                .unwrap_or(earliest + 31 * DAY),
            Precision::Week => earliest + WEEK,
            Precision::Day => earliest + DAY,
            Precision::Hour => earliest + HOUR,
            Precision::Minute => earliest + MINUTE,
            Precision::Second => earliest + 1,
        };
        FuzzyDate {
            earliest,
            latest: end_exclusive - 1,
            precision,
            approximate: false,
            uncertain: false,
            window: None,
        }
    }

    pub fn day(year: i32, month: u32, day: u32) -> Option<FuzzyDate> {
        NaiveDate::from_ymd_opt(year, month, day)
            .map(|d| FuzzyDate::at(d.and_time(NaiveTime::MIN), Precision::Day))
    }

    pub fn month(year: i32, month: u32) -> Option<FuzzyDate> {
        NaiveDate::from_ymd_opt(year, month, 1)
            .map(|d| FuzzyDate::at(d.and_time(NaiveTime::MIN), Precision::Month))
    }

    pub fn year(year: i32) -> Option<FuzzyDate> {
        NaiveDate::from_ymd_opt(year, 1, 1)
            .map(|d| FuzzyDate::at(d.and_time(NaiveTime::MIN), Precision::Year))
    }

    /// The ISO week (Monday to Sunday) that contains `date`.
    pub fn week_containing(date: NaiveDate) -> FuzzyDate {
        let monday = date - Duration::days(date.weekday().num_days_from_monday() as i64);
        FuzzyDate::at(monday.and_time(NaiveTime::MIN), Precision::Week)
    }

    pub fn approximate(mut self) -> FuzzyDate {
        self.approximate = true;
        self
    }

    pub fn uncertain(mut self) -> FuzzyDate {
        self.uncertain = true;
        self
    }

    /// The likeliest moment: the middle of the window.
    pub fn mid(&self) -> Instant {
        self.earliest + (self.latest - self.earliest) / 2
    }

    /// Length of one unit of the precision starting at `earliest`.
    fn unit_window(&self) -> i64 {
        match from_instant(self.earliest) {
            Some(dt) => {
                let one = FuzzyDate::at(dt, self.precision);
                one.latest - one.earliest
            }
            None => 0,
        }
    }

    /// True when the window is wider than one unit of its precision, i.e.
    /// it was given as an explicit range `A/B`.
    pub fn is_window(&self) -> bool {
        self.window.is_some() || self.latest - self.earliest > self.unit_window()
    }

    /// A window from the start of `start` to the end of `end`, each end
    /// keeping its own precision and flags. `None` when `end` ends before
    /// `start` begins.
    pub fn between(start: &FuzzyDate, end: &FuzzyDate) -> Option<FuzzyDate> {
        if end.latest < start.earliest {
            return None;
        }
        Some(FuzzyDate {
            earliest: start.earliest,
            latest: end.latest,
            precision: start.precision.min(end.precision),
            approximate: start.approximate || end.approximate,
            uncertain: start.uncertain || end.uncertain,
            window: Some(WindowEnds {
                start: EndForm::of(start),
                end: EndForm::of(end),
            }),
        })
    }

    /// How each end of the window is written: as parsed, or (for a window
    /// made by widening `latest`) both at the date's precision with the
    /// flags after the end. Flags set or cleared on the whole date after
    /// parsing win over the parsed ones.
    fn ends(&self) -> WindowEnds {
        let plain = EndForm {
            precision: self.precision,
            approximate: false,
            uncertain: false,
        };
        let mut w = self.window.unwrap_or(WindowEnds {
            start: plain,
            end: plain,
        });
        if !self.approximate {
            w.start.approximate = false;
            w.end.approximate = false;
        } else if !w.start.approximate && !w.end.approximate {
            w.end.approximate = true;
        }
        if !self.uncertain {
            w.start.uncertain = false;
            w.end.uncertain = false;
        } else if !w.start.uncertain && !w.end.uncertain {
            w.end.uncertain = true;
        }
        w
    }

    /// True when a reader should see this date as not exactly known.
    pub fn is_fuzzy(&self) -> bool {
        self.approximate || self.uncertain || self.is_window()
    }

    /// Parse the text form: ISO 8601 / EDTF subset.
    ///
    /// `2022`, `2022-08`, `2022-W31`, `2022-08-05`, `2022-08-05T14`,
    /// `2022-08-05T14:30`, `2022-08-05T14:30:15` (a space may replace `T`),
    /// each optionally followed by `~` (approximate), `?` (uncertain) or
    /// `%` (both); and windows `A/B` whose endpoints are any of those.
    pub fn parse(text: &str) -> Result<FuzzyDate, DateError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(date_err(text, "it is empty"));
        }
        if trimmed.len() > 64 {
            let head: String = trimmed.chars().take(32).collect();
            return Err(date_err(&head, "it is far too long"));
        }
        if let Some((a, b)) = trimmed.split_once('/') {
            let start = parse_single(a, text)?;
            let end = parse_single(b, text)?;
            return FuzzyDate::between(&start, &end)
                .ok_or_else(|| date_err(text, "the window ends before it starts"));
        }
        parse_single(trimmed, text)
    }

    /// The canonical text form, which [`FuzzyDate::parse`] reads back to the
    /// same value.
    pub fn to_text(&self) -> String {
        if self.is_window() {
            let (start, end, w) = self.end_dates();
            return format!(
                "{}{}/{}{}",
                start.plain_text(),
                w.start.suffix(),
                end.plain_text(),
                w.end.suffix()
            );
        }
        format!("{}{}", self.plain_text(), self.flag_suffix())
    }

    /// The two ends of a window as dates of their own precision.
    fn end_dates(&self) -> (FuzzyDate, FuzzyDate, WindowEnds) {
        let w = self.ends();
        let start = FuzzyDate::at_instant(self.earliest, w.start.precision);
        let end = FuzzyDate::at_instant(
            last_unit_start(self.latest, w.end.precision),
            w.end.precision,
        );
        (start, end, w)
    }

    fn at_instant(t: Instant, precision: Precision) -> FuzzyDate {
        match from_instant(t) {
            Some(dt) => FuzzyDate::at(dt, precision),
            None => FuzzyDate {
                earliest: t,
                latest: t,
                precision,
                approximate: false,
                uncertain: false,
                window: None,
            },
        }
    }

    fn flag_suffix(&self) -> &'static str {
        flag_suffix(self.approximate, self.uncertain)
    }

    fn plain_text(&self) -> String {
        let Some(dt) = from_instant(self.earliest) else {
            return self.earliest.to_string();
        };
        let year = format_year(dt.year());
        match self.precision {
            Precision::Year => year,
            Precision::Month => format!("{year}-{:02}", dt.month()),
            Precision::Week => {
                let iso = dt.date().iso_week();
                format!("{}-W{:02}", format_year(iso.year()), iso.week())
            }
            Precision::Day => format!("{year}-{:02}-{:02}", dt.month(), dt.day()),
            Precision::Hour => format!("{year}-{:02}-{:02}T{:02}", dt.month(), dt.day(), dt.hour()),
            Precision::Minute => format!(
                "{year}-{:02}-{:02}T{:02}:{:02}",
                dt.month(),
                dt.day(),
                dt.hour(),
                dt.minute()
            ),
            Precision::Second => format!(
                "{year}-{:02}-{:02}T{:02}:{:02}:{:02}",
                dt.month(),
                dt.day(),
                dt.hour(),
                dt.minute(),
                dt.second()
            ),
        }
    }

    /// Words for a reader: "5 August 2022", "week of 1 August 2022",
    /// "about September 2020", "between 1991 and 1993".
    pub fn describe(&self) -> String {
        let core = if self.is_window() {
            let (start, end, _) = self.end_dates();
            format!("between {} and {}", start.plain_words(), end.plain_words())
        } else {
            self.plain_words()
        };
        let mut out = if self.approximate && self.is_window() {
            format!("roughly {core}")
        } else if self.approximate {
            format!("about {core}")
        } else {
            core
        };
        if self.uncertain {
            out.push_str(" (uncertain)");
        }
        out
    }

    fn plain_words(&self) -> String {
        let Some(dt) = from_instant(self.earliest) else {
            return self.earliest.to_string();
        };
        let day = format!(
            "{} {} {}",
            dt.day(),
            month_name(dt.month()),
            year_words(dt.year())
        );
        match self.precision {
            Precision::Year => year_words(dt.year()),
            Precision::Month => format!("{} {}", month_name(dt.month()), year_words(dt.year())),
            Precision::Week => format!("week of {day}"),
            Precision::Day => day,
            Precision::Hour | Precision::Minute => {
                format!("{day}, {:02}:{:02}", dt.hour(), dt.minute())
            }
            Precision::Second => {
                format!(
                    "{day}, {:02}:{:02}:{:02}",
                    dt.hour(),
                    dt.minute(),
                    dt.second()
                )
            }
        }
    }
}

impl fmt::Display for FuzzyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl Serialize for FuzzyDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_text())
    }
}

impl<'de> Deserialize<'de> for FuzzyDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        FuzzyDate::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Words for a span: "27 September – 10 November 2020", sharing the year
/// when both ends are plain days of the same year.
pub fn describe_span(start: &FuzzyDate, end: &FuzzyDate) -> String {
    let plain = |d: &FuzzyDate| !d.is_fuzzy() && d.precision == Precision::Day;
    if plain(start)
        && plain(end)
        && let (Some(a), Some(b)) = (from_instant(start.earliest), from_instant(end.earliest))
        && a.year() == b.year()
    {
        if a.month() == b.month() {
            return format!(
                "{}–{} {} {}",
                a.day(),
                b.day(),
                month_name(b.month()),
                year_words(b.year())
            );
        }
        return format!(
            "{} {} – {} {} {}",
            a.day(),
            month_name(a.month()),
            b.day(),
            month_name(b.month()),
            year_words(b.year())
        );
    }
    format!("{} – {}", start.describe(), end.describe())
}

pub fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES
        .get(month.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("?")
}

fn year_words(year: i32) -> String {
    if year <= 0 {
        format!("{} BCE", 1 - year)
    } else {
        year.to_string()
    }
}

fn flag_suffix(approximate: bool, uncertain: bool) -> &'static str {
    match (approximate, uncertain) {
        (true, true) => "%",
        (true, false) => "~",
        (false, true) => "?",
        (false, false) => "",
    }
}

/// Start of the unit of `precision` that holds `t`.
fn last_unit_start(t: Instant, precision: Precision) -> Instant {
    let Some(dt) = from_instant(t) else {
        return t;
    };
    let d = dt.date();
    let start = match precision {
        Precision::Year => {
            NaiveDate::from_ymd_opt(d.year(), 1, 1).map(|x| x.and_time(NaiveTime::MIN))
        }
        Precision::Month => {
            NaiveDate::from_ymd_opt(d.year(), d.month(), 1).map(|x| x.and_time(NaiveTime::MIN))
        }
        Precision::Week => Some(
            (d - Duration::days(d.weekday().num_days_from_monday() as i64))
                .and_time(NaiveTime::MIN),
        ),
        Precision::Day => Some(d.and_time(NaiveTime::MIN)),
        Precision::Hour => d.and_hms_opt(dt.hour(), 0, 0),
        Precision::Minute => d.and_hms_opt(dt.hour(), dt.minute(), 0),
        Precision::Second => Some(dt),
    };
    start.map(to_instant).unwrap_or(t)
}

fn format_year(year: i32) -> String {
    if year < 0 {
        format!("-{:04}", -year)
    } else {
        format!("{year:04}")
    }
}

fn parse_single(part: &str, whole: &str) -> Result<FuzzyDate, DateError> {
    let mut s = part.trim();
    let mut approximate = false;
    let mut uncertain = false;
    loop {
        if let Some(rest) = s.strip_suffix('~') {
            approximate = true;
            s = rest;
        } else if let Some(rest) = s.strip_suffix('?') {
            uncertain = true;
            s = rest;
        } else if let Some(rest) = s.strip_suffix('%') {
            approximate = true;
            uncertain = true;
            s = rest;
        } else {
            break;
        }
    }
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (date_part, time_part) = match body.find(['T', ' ']) {
        Some(i) => (&body[..i], Some(body[i + 1..].trim())),
        None => (body, None),
    };
    let fields: Vec<&str> = date_part.split('-').collect();
    let year_text = fields[0];
    if year_text.len() < 4 || !year_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(date_err(whole, "the year must have four digits"));
    }
    let mut year: i32 = year_text
        .parse()
        .map_err(|_| date_err(whole, "the year is out of range"))?;
    if negative {
        year = -year;
    }
    if !(-200_000..=200_000).contains(&year) {
        return Err(date_err(whole, "the year is out of range"));
    }
    let number = |t: &str, what: &str| -> Result<u32, DateError> {
        if t.is_empty() || t.len() > 2 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(date_err(
                whole,
                format!("the {what} must be one or two digits"),
            ));
        }
        t.parse()
            .map_err(|_| date_err(whole, format!("bad {what}")))
    };
    let mut date = match fields.len() {
        1 => {
            let d = NaiveDate::from_ymd_opt(year, 1, 1)
                .ok_or_else(|| date_err(whole, "the year is out of range"))?;
            FuzzyDate::at(d.and_time(NaiveTime::MIN), Precision::Year)
        }
        2 if fields[1].starts_with('W') => {
            let week = number(&fields[1][1..], "week")?;
            let d = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
                .ok_or_else(|| date_err(whole, format!("{year} has no week {week}")))?;
            FuzzyDate::at(d.and_time(NaiveTime::MIN), Precision::Week)
        }
        2 => {
            let month = number(fields[1], "month")?;
            if !(1..=12).contains(&month) {
                return Err(date_err(whole, format!("there is no month {month}")));
            }
            FuzzyDate::month(year, month)
                .ok_or_else(|| date_err(whole, "the year is out of range"))?
        }
        3 => {
            let month = number(fields[1], "month")?;
            let day = number(fields[2], "day")?;
            if !(1..=12).contains(&month) {
                return Err(date_err(whole, format!("there is no month {month}")));
            }
            let d = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
                date_err(
                    whole,
                    format!("{} {year} has no day {day}", month_name(month)),
                )
            })?;
            match time_part {
                None | Some("") => FuzzyDate::at(d.and_time(NaiveTime::MIN), Precision::Day),
                Some(time) => parse_time(d, time, whole)?,
            }
        }
        _ => {
            return Err(date_err(
                whole,
                "expected YYYY, YYYY-MM, YYYY-Www or YYYY-MM-DD",
            ));
        }
    };
    if time_part.is_some() && fields.len() != 3 {
        return Err(date_err(whole, "a time needs a full date before it"));
    }
    date.approximate = approximate;
    date.uncertain = uncertain;
    Ok(date)
}

fn parse_time(d: NaiveDate, time: &str, whole: &str) -> Result<FuzzyDate, DateError> {
    // Zone designators are accepted only as UTC; the calendar stays floating.
    let time = time.trim_end_matches('Z');
    // Fractions of a second ("00:00:00.000", as UCDP writes) carry no meaning here.
    let time = time.split('.').next().unwrap_or(time);
    let parts: Vec<&str> = time.split(':').collect();
    let num = |t: &str, max: u32, what: &str| -> Result<u32, DateError> {
        if t.len() != 2 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(date_err(whole, format!("the {what} must be two digits")));
        }
        let v: u32 = t
            .parse()
            .map_err(|_| date_err(whole, format!("bad {what}")))?;
        if v > max {
            return Err(date_err(whole, format!("there is no {what} {v}")));
        }
        Ok(v)
    };
    let (h, m, s, precision) = match parts.as_slice() {
        [h] => (num(h, 23, "hour")?, 0, 0, Precision::Hour),
        [h, m] => (
            num(h, 23, "hour")?,
            num(m, 59, "minute")?,
            0,
            Precision::Minute,
        ),
        [h, m, s] => (
            num(h, 23, "hour")?,
            num(m, 59, "minute")?,
            num(s, 59, "second")?,
            Precision::Second,
        ),
        _ => {
            return Err(date_err(
                whole,
                "expected HH, HH:MM or HH:MM:SS after the date",
            ));
        }
    };
    let dt = d
        .and_hms_opt(h, m, s)
        .ok_or_else(|| date_err(whole, "bad time of day"))?;
    Ok(FuzzyDate::at(dt, precision))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn day_is_a_floating_calendar_day() {
        let d = FuzzyDate::parse("2020-11-10").unwrap();
        assert_eq!(d.precision, Precision::Day);
        assert_eq!(d.latest - d.earliest, DAY - 1);
        let dt = from_instant(d.earliest).unwrap();
        assert_eq!(
            (dt.year(), dt.month(), dt.day(), dt.hour()),
            (2020, 11, 10, 0)
        );
        assert_eq!(d.to_text(), "2020-11-10");
        assert_eq!(d.describe(), "10 November 2020");
    }

    #[test]
    fn impossible_dates_are_refused_in_words() {
        let e = FuzzyDate::parse("2022-02-30").unwrap_err();
        assert_eq!(
            e.to_string(),
            "`2022-02-30` is not a date: February 2022 has no day 30"
        );
        assert!(FuzzyDate::parse("2022-13").is_err());
        assert!(FuzzyDate::parse("22-08-05").is_err());
        assert!(FuzzyDate::parse("2022-08-05T25:00").is_err());
        assert!(FuzzyDate::parse("").is_err());
        assert!(FuzzyDate::parse("2022-08-07/2022-08-01").is_err());
        assert!(FuzzyDate::parse("2021-W53").is_err());
    }

    #[test]
    fn week_precision_and_words() {
        let w = FuzzyDate::parse("2022-W31").unwrap();
        assert_eq!(w.precision, Precision::Week);
        assert_eq!(w.describe(), "week of 1 August 2022");
        assert_eq!(w.latest - w.earliest, WEEK - 1);
        let same = FuzzyDate::week_containing(NaiveDate::from_ymd_opt(2022, 8, 5).unwrap());
        assert_eq!(w, same);
    }

    #[test]
    fn approximate_and_uncertain_flags() {
        let d = FuzzyDate::parse("2020-09~").unwrap();
        assert!(d.approximate && !d.uncertain);
        assert_eq!(d.describe(), "about September 2020");
        assert_eq!(d.to_text(), "2020-09~");
        let u = FuzzyDate::parse("2022?").unwrap();
        assert!(u.uncertain);
        assert_eq!(u.describe(), "2022 (uncertain)");
        let both = FuzzyDate::parse("2022-08%").unwrap();
        assert!(both.approximate && both.uncertain);
        assert_eq!(both.to_text(), "2022-08%");
    }

    #[test]
    fn windows_keep_their_bounds() {
        let w = FuzzyDate::parse("1991/1993~").unwrap();
        assert!(w.is_window() && w.approximate);
        assert_eq!(w.to_text(), "1991/1993~");
        assert_eq!(w.describe(), "roughly between 1991 and 1993");
        let days = FuzzyDate::parse("2022-08-01/2022-08-07").unwrap();
        assert_eq!(days.latest - days.earliest, WEEK - 1);
        assert_eq!(days.to_text(), "2022-08-01/2022-08-07");
    }

    #[test]
    fn times_and_ucdp_style_timestamps() {
        let t = FuzzyDate::parse("2020-09-27 00:00:00.000").unwrap();
        assert_eq!(t.precision, Precision::Second);
        let m = FuzzyDate::parse("2022-08-05T14:30").unwrap();
        assert_eq!(m.describe(), "5 August 2022, 14:30");
        assert_eq!(m.to_text(), "2022-08-05T14:30");
    }

    #[test]
    fn spans_share_the_year() {
        let a = FuzzyDate::day(2020, 9, 27).unwrap();
        let b = FuzzyDate::day(2020, 11, 10).unwrap();
        assert_eq!(describe_span(&a, &b), "27 September – 10 November 2020");
        let c = FuzzyDate::day(2022, 8, 1).unwrap();
        let d = FuzzyDate::day(2022, 8, 7).unwrap();
        assert_eq!(describe_span(&c, &d), "1–7 August 2022");
        let approx = FuzzyDate::month(2020, 9).unwrap().approximate();
        assert_eq!(
            describe_span(&approx, &b),
            "about September 2020 – 10 November 2020"
        );
    }

    #[test]
    fn bce_years_round_trip() {
        let d = FuzzyDate::parse("-0044-03-15").unwrap();
        assert_eq!(d.to_text(), "-0044-03-15");
        assert_eq!(d.describe(), "15 March 45 BCE");
    }

    fn any_precision() -> impl Strategy<Value = Precision> {
        prop::sample::select(Precision::ALL.to_vec())
    }

    /// The text of one end: the unit of `precision` holding `secs`,
    /// followed by its flags.
    fn end_text(secs: i64, precision: Precision, approximate: bool, uncertain: bool) -> String {
        let d = FuzzyDate::at_instant(last_unit_start(secs, precision), precision);
        format!("{}{}", d.plain_text(), flag_suffix(approximate, uncertain))
    }

    #[test]
    fn equivalent_spellings_save_in_the_documented_form() {
        for (text, saved) in [
            ("2022-08-05 14:30", "2022-08-05T14:30"),
            ("2020-09-27 00:00:00.000", "2020-09-27T00:00:00"),
            ("2022-08-05T14:30Z", "2022-08-05T14:30"),
            ("2022~?", "2022%"),
            ("  2022-08  ", "2022-08"),
        ] {
            assert_eq!(FuzzyDate::parse(text).unwrap().to_text(), saved, "{text}");
        }
    }

    #[test]
    fn known_lossy_windows_now_round_trip() {
        for text in [
            "2020-09-27/2020-11",
            "2022-08-05T10:00/2022-08-06",
            "2022/2022-06",
            "2020-09~/2020-11-10",
            "2020-09-27?/2020-11-10~",
            "2022-08-05T10/2022-08-05T12",
            "2022-08-05T10:15/2022-08-05T10:45%",
            "2022-W31/2022-08",
            "2022/2022",
        ] {
            let d = FuzzyDate::parse(text).unwrap();
            assert_eq!(d.to_text(), text);
            assert!(d.is_window(), "{text}");
        }
        let d = FuzzyDate::parse("2020-09-27/2020-11").unwrap();
        assert_eq!(d.describe(), "between 27 September 2020 and November 2020");
        // Flags stay a property of the whole date for readers.
        let d = FuzzyDate::parse("2020-09~/2020-11-10").unwrap();
        assert!(d.approximate && !d.uncertain);
    }

    proptest! {
        #[test]
        fn text_form_round_trips(
            secs in -4_000_000_000i64..8_000_000_000i64,
            precision in any_precision(),
            approximate: bool,
            uncertain: bool,
            end in prop::option::of((0i64..400_000_000, any_precision(), any::<bool>(), any::<bool>())),
        ) {
            let mut text = end_text(secs, precision, approximate, uncertain);
            if let Some((after, end_precision, end_approximate, end_uncertain)) = end {
                text.push('/');
                text.push_str(&end_text(secs + after, end_precision, end_approximate, end_uncertain));
            }
            let d = FuzzyDate::parse(&text).unwrap();
            prop_assert_eq!(d.to_text(), text.clone());
            prop_assert_eq!(FuzzyDate::parse(&d.to_text()).unwrap(), d);
            prop_assert_eq!(d.approximate, approximate || end.is_some_and(|e| e.2));
            prop_assert_eq!(d.uncertain, uncertain || end.is_some_and(|e| e.3));
            if let Some((after, end_precision, ..)) = end {
                let last = FuzzyDate::at_instant(last_unit_start(secs + after, end_precision), end_precision);
                prop_assert_eq!(d.latest, last.latest);
            }
        }

        /// A window widened in code (not parsed) still saves as text that
        /// reads back to the same window.
        #[test]
        fn widened_windows_round_trip(
            secs in -4_000_000_000i64..8_000_000_000i64,
            precision in any_precision(),
            approximate: bool,
            uncertain: bool,
            window_units in 0u32..3,
        ) {
            let dt = from_instant(secs).unwrap();
            let mut d = FuzzyDate::at(dt, precision);
            d = FuzzyDate::parse(&d.plain_text()).unwrap();
            for _ in 0..window_units {
                let next = FuzzyDate::at(from_instant(d.latest + 1).unwrap(), precision);
                d.latest = next.latest;
            }
            d.approximate = approximate;
            d.uncertain = uncertain;
            let back = FuzzyDate::parse(&d.to_text()).unwrap();
            prop_assert_eq!((back.earliest, back.latest, back.precision, back.approximate, back.uncertain),
                (d.earliest, d.latest, d.precision, d.approximate, d.uncertain));
            prop_assert_eq!(back.to_text(), d.to_text());
        }

        /// Whatever date-like text the parser accepts saves as a text that
        /// reads back to the same date, and saves again unchanged.
        #[test]
        fn accepted_text_saves_to_the_same_date(
            s in "-?[0-9]{4}(-(W[0-9]{2}|[01][0-9](-[0-3][0-9]([T ][0-2][0-9](:[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,3})?)?)?Z?)?)?))?[~?%]{0,2}(/[0-9]{4}(-[01][0-9](-[0-3][0-9](T[0-2][0-9](:[0-5][0-9])?)?)?)?[~?%]?)?"
        ) {
            if let Ok(d) = FuzzyDate::parse(&s) {
                let text = d.to_text();
                let back = FuzzyDate::parse(&text).unwrap();
                prop_assert_eq!(back, d);
                prop_assert_eq!(back.to_text(), text);
            }
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = FuzzyDate::parse(&s);
        }
    }
}

//! Lenient dates, as hand-made tables and spreadsheet re-saves write them,
//! read per column rather than per cell.
//!
//! A cell such as `8/3/2022` means 8 March to most of the world and
//! 3 August to US Excel. One cell cannot tell; a column can: a single
//! `13/8/2022` shows it is day-first, a single `9/13/2022` month-first. So
//! a reader [`Survey`]s each row's date cells as it reads the row (a cheap
//! look at the digits, no second pass over the file), decides the order
//! once for the column as soon as a cell settles it (see [`DatePlan`]:
//! rows read before wait), cross-checked with ACLED's `timestamp` where
//! nothing else does, and reads every cell the same way. When nothing
//! settles it, the column is read day-first and one warning says so and
//! how to choose (`--dates mdy`).

use chrono::{Datelike, NaiveDate};

use super::report::{Problem, Severity};
use crate::model::date::{from_instant, month_name};
use crate::model::{DateError, FuzzyDate};

/// The order of day, month and year in all-number dates (`8/3/2022`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateOrder {
    /// Day first: `8/3/2022` is 8 March 2022 (most of the world).
    Dmy,
    /// Month first: `8/3/2022` is 3 August 2022 (the United States).
    Mdy,
    /// Year first, also with a two-digit year: `22/08/03` is 3 August 2022.
    Ymd,
}

impl DateOrder {
    pub const ALL: [DateOrder; 3] = [DateOrder::Dmy, DateOrder::Mdy, DateOrder::Ymd];

    /// The name used on the command line: `dmy`, `mdy`, `ymd`.
    pub fn name(self) -> &'static str {
        match self {
            DateOrder::Dmy => "dmy",
            DateOrder::Mdy => "mdy",
            DateOrder::Ymd => "ymd",
        }
    }

    pub fn parse_name(name: &str) -> Option<DateOrder> {
        DateOrder::ALL
            .into_iter()
            .find(|o| o.name().eq_ignore_ascii_case(name.trim()))
    }

    /// Words for messages: "day-first".
    pub fn words(self) -> &'static str {
        match self {
            DateOrder::Dmy => "day-first",
            DateOrder::Mdy => "month-first",
            DateOrder::Ymd => "year-first",
        }
    }
}

impl std::fmt::Display for DateOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How a column's dates are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateReading {
    pub order: DateOrder,
    /// A two-digit year `yy` is the latest year up to this one that ends
    /// in `yy` (with this 2026: `67` is 1967, `22` is 2022).
    pub last_year: i32,
}

impl Default for DateReading {
    fn default() -> DateReading {
        DateReading::new(DateOrder::Dmy)
    }
}

impl DateReading {
    pub fn new(order: DateOrder) -> DateReading {
        DateReading {
            order,
            last_year: chrono::Utc::now().year(),
        }
    }

    /// The year a two-digit `yy` stands for.
    pub fn full_year(&self, yy: i32) -> i32 {
        self.last_year - (self.last_year - yy).rem_euclid(100)
    }
}

fn date_error(text: &str, reason: impl Into<String>) -> DateError {
    DateError {
        text: super::text::shorten(text, 40),
        reason: reason.into(),
    }
}

fn month_from_name(word: &str) -> Option<u32> {
    // Compared without allocating (this runs for every date of an ACLED
    // export): month names are ASCII, so a word with other letters never
    // matches either way.
    let w = word.trim_end_matches('.').as_bytes();
    if w.len() < 3 {
        return None;
    }
    (1..=12u32).find(|&m| {
        month_name(m)
            .as_bytes()
            .get(..w.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(w))
    })
}

/// A year of four digits, or of two read with `reading` (or as `hint`, the
/// row's own full year, when that ends in the same two digits).
fn parse_year(
    t: &str,
    whole: &str,
    reading: &DateReading,
    hint: Option<i32>,
) -> Result<(i32, bool), DateError> {
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(date_err_year(whole));
    }
    match t.len() {
        4 => t
            .parse::<i32>()
            .map(|y| (y, false))
            .map_err(|_| date_err_year(whole)),
        2 => {
            let yy = t.parse::<i32>().map_err(|_| date_err_year(whole))?;
            match hint {
                Some(h) if h.rem_euclid(100) == yy => Ok((h, false)),
                _ => Ok((reading.full_year(yy), true)),
            }
        }
        _ => Err(date_err_year(whole)),
    }
}

fn date_err_year(whole: &str) -> DateError {
    date_error(whole, "the year must have two or four digits")
}

fn parse_small(t: &str, what: &str, whole: &str) -> Result<u32, DateError> {
    let digits = t
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .to_string();
    let suffix = &t[digits.len()..];
    let ordinal_ok = suffix.is_empty()
        || (what == "day" && ["st", "nd", "rd", "th"].contains(&suffix.to_lowercase().as_str()));
    if digits.is_empty() || digits.len() > 2 || !ordinal_ok {
        return Err(date_error(
            whole,
            format!("the {what} must be one or two digits"),
        ));
    }
    digits
        .parse()
        .map_err(|_| date_error(whole, format!("bad {what}")))
}

fn make_day(year: i32, month: u32, day: u32, whole: &str) -> Result<NaiveDate, DateError> {
    if !(1..=12).contains(&month) {
        return Err(date_error(whole, format!("there is no month {month}")));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        date_error(
            whole,
            format!("{} {year} has no day {day}", month_name(month)),
        )
    })
}

const DAY_FORMS: &str =
    "expected a day like 2022-08-05, 05/08/2022, 5 August 2022, Aug 5, 2022 or 3-Aug-22";

/// A day read from a cell, with what the reader should say about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    /// The cell could only be read in the other order than its column's
    /// (`12/29/2015` in a day-first column).
    pub against_order: bool,
    /// The year had two digits and was placed by the pivot.
    pub two_digit_year: bool,
}

/// The date part of an ISO date-time (`2020-09-27 00:00:00.000`).
fn iso_day_part(t: &str) -> &str {
    match t.find([' ', 'T']) {
        Some(10)
            if t.as_bytes().get(4) == Some(&b'-')
                && t.as_bytes()[..4].iter().all(u8::is_ascii_digit) =>
        {
            &t[..10]
        }
        _ => t,
    }
}

fn tokens(t: &str) -> Vec<&str> {
    t.split([' ', ',', '-', '/', '.'])
        .filter(|s| !s.is_empty())
        .collect()
}

/// A calendar day in any of the spellings the CSV formats use: ISO
/// `2022-08-05` (a time after it is ignored), `20220805`, `2022/08/05`,
/// all-number `05/08/2022` and `5.8.2022` in the column's `reading` order
/// (the other order only when the cell allows no other, as `12/29/2015`
/// in a day-first column), `5 August 2022`, `03 August 2022`,
/// `Aug 5, 2022`, `August 5, 2022` and spreadsheet `3-Aug-22`. `hint` is
/// the row's full year where the file has one (ACLED's `year`), which
/// places a two-digit year.
pub fn read_day(text: &str, reading: &DateReading, hint: Option<i32>) -> Result<Day, DateError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(date_error(text, "it is empty"));
    }
    if t.chars().count() > 40 {
        return Err(date_error(text, "it is far too long"));
    }
    let t = iso_day_part(t);
    let plain = |date| Day {
        date,
        against_order: false,
        two_digit_year: false,
    };
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        let (year, _) = parse_year(&t[..4], text, reading, hint)?;
        let month = parse_small(&t[4..6], "month", text)?;
        let day = parse_small(&t[6..8], "day", text)?;
        return make_day(year, month, day, text).map(plain);
    }
    let tokens = tokens(t);
    if tokens.len() != 3 {
        return Err(date_error(text, DAY_FORMS));
    }
    let alpha = |s: &str| s.chars().next().is_some_and(|c| c.is_alphabetic());
    let (year_token, month, day, against_order) =
        match (alpha(tokens[0]), alpha(tokens[1]), alpha(tokens[2])) {
            (false, false, false) => {
                // Year first: always with four digits, with two when chosen.
                if tokens[0].len() == 4 || (reading.order == DateOrder::Ymd && tokens[2].len() <= 2)
                {
                    let month = parse_small(tokens[1], "month", text)?;
                    let day = parse_small(tokens[2], "day", text)?;
                    (tokens[0], month, day, false)
                } else {
                    let a = parse_small(tokens[0], "day", text)?;
                    let b = parse_small(tokens[1], "month", text)?;
                    let month_first = reading.order == DateOrder::Mdy;
                    let (d, m, against) = match (month_first, a > 12, b > 12) {
                        // Only month-first can be meant (12/29/2015).
                        (false, false, true) => (b, a, true),
                        (false, ..) => (a, b, reading.order == DateOrder::Ymd),
                        // Only day-first can be meant (29/12/2015).
                        (true, true, false) => (a, b, true),
                        (true, ..) => (b, a, false),
                    };
                    (tokens[2], m, d, against)
                }
            }
            (false, true, false) => {
                let day = parse_small(tokens[0], "day", text)?;
                let month = month_from_name(tokens[1])
                    .ok_or_else(|| date_error(text, format!("`{}` is not a month", tokens[1])))?;
                (tokens[2], month, day, false)
            }
            (true, false, false) => {
                let month = month_from_name(tokens[0])
                    .ok_or_else(|| date_error(text, format!("`{}` is not a month", tokens[0])))?;
                let day = parse_small(tokens[1], "day", text)?;
                (tokens[2], month, day, false)
            }
            _ => return Err(date_error(text, DAY_FORMS)),
        };
    let (year, two_digit_year) = parse_year(year_token, text, reading, hint)?;
    Ok(Day {
        date: make_day(year, month, day, text)?,
        against_order,
        two_digit_year,
    })
}

/// [`read_day`] day-first, without a year hint.
pub fn parse_day(text: &str) -> Result<NaiveDate, DateError> {
    read_day(text, &DateReading::default(), None).map(|d| d.date)
}

/// Split a zone offset (`+03:00`, `-0500`) from the end of an ISO
/// date-time: the date-time as written, and the offset.
pub fn split_offset(t: &str) -> Option<(&str, &str)> {
    if !t.contains(['T', ' ']) || !t.contains(':') {
        return None;
    }
    let b = t.as_bytes();
    for len in [6usize, 5, 3] {
        if b.len() > len + 10 {
            let cut = b.len() - len;
            let tail = &b[cut..];
            let sign_ok = tail[0] == b'+' || tail[0] == b'-';
            let digits_ok = tail[1..].iter().all(|c| c.is_ascii_digit() || *c == b':');
            if sign_ok && digits_ok && t.is_char_boundary(cut) {
                return Some((&t[..cut], &t[cut..]));
            }
        }
    }
    None
}

/// Keep the UTC offset of `cell` (if it has one) in `extra` under `key`:
/// readers keep the local day or time as written, never the offset alone.
pub fn keep_offset(
    cell: &str,
    key: &str,
    extra: &mut std::collections::BTreeMap<String, serde_json::Value>,
) {
    if let Some((_, offset)) = split_offset(cell.trim()) {
        extra.insert(key.to_string(), offset.into());
    }
}

/// A date read from a cell, with what the reader should keep or say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateRead {
    pub date: FuzzyDate,
    /// The UTC offset the cell gave (`+04:00`); the date keeps the local
    /// time as written, so the reader keeps this beside it.
    pub offset: Option<String>,
    /// See [`Day::against_order`].
    pub against_order: bool,
    /// See [`Day::two_digit_year`].
    pub two_digit_year: bool,
}

/// Any date a hand-made table may hold: everything [`FuzzyDate::parse`]
/// takes (`2022`, `2022-08`, `2022-08-05T14:30`, windows, EDTF flags), the
/// same with a UTC offset (kept apart), the day spellings of [`read_day`],
/// and months in words (`August 2022`).
pub fn read_date(text: &str, reading: &DateReading) -> Result<DateRead, DateError> {
    let t = text.trim();
    let plain = |date| DateRead {
        date,
        offset: None,
        against_order: false,
        two_digit_year: false,
    };
    let iso = FuzzyDate::parse(t);
    if let Ok(d) = iso {
        return Ok(plain(d));
    }
    if let Some((bare, offset)) = split_offset(t)
        && let Ok(d) = FuzzyDate::parse(bare)
    {
        return Ok(DateRead {
            offset: Some(offset.to_string()),
            ..plain(d)
        });
    }
    let day = read_day(t, reading, None);
    if let Ok(d) = day {
        let date = FuzzyDate::day(d.date.year(), d.date.month(), d.date.day())
            .ok_or_else(|| date_error(text, "the year is out of range"))?;
        return Ok(DateRead {
            against_order: d.against_order,
            two_digit_year: d.two_digit_year,
            ..plain(date)
        });
    }
    // `August 2022`, `Aug 2022`
    if let [m, y] = tokens(t).as_slice()
        && let Some(month) = month_from_name(m)
        && y.len() == 4
        && let Ok((year, _)) = parse_year(y, text, reading, None)
        && let Some(d) = FuzzyDate::month(year, month)
    {
        return Ok(plain(d));
    }
    // The more telling of the two reasons: ISO's for ISO-looking text.
    let iso_like = t.len() >= 4 && t.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    match (iso, day) {
        (Err(e), _) if iso_like && !t.contains('/') => Err(date_error(text, e.reason)),
        (_, Err(e)) => Err(e),
        (Err(e), Ok(_)) => Err(e),
        (Ok(d), Ok(_)) => Ok(plain(d)),
    }
}

/// [`read_date`] day-first, dropping what it would keep apart (for tests).
#[cfg(test)]
pub fn parse_date(text: &str) -> Result<FuzzyDate, DateError> {
    read_date(text, &DateReading::default()).map(|d| d.date)
}

// --------------------------------------------------------------- survey --

/// What a column's cells say about how to read them, gathered cheaply
/// (digits only, no calendar) in one pass before the rows are read.
#[derive(Clone, Debug, Default)]
pub struct Survey {
    /// Cells whose first number exceeds 12 (`29/12/2015`): day-first.
    pub day_first: usize,
    pub day_first_example: Option<String>,
    /// Cells whose second number exceeds 12 (`12/29/2015`): month-first.
    pub month_first: usize,
    pub month_first_example: Option<String>,
    /// Cells either order reads, as two different days (`8/3/2022`).
    pub ambiguous: usize,
    pub ambiguous_example: Option<String>,
    /// Ambiguous cells whose day-first (`[0]`) or month-first (`[1]`)
    /// reading is after the row's `timestamp` (the row's last update): that
    /// reading cannot be right.
    pub after_timestamp: [usize; 2],
    /// Ambiguous cells whose day-first (`[0]`) or month-first (`[1]`)
    /// reading is within [`CLOSE_DAYS`] before the row's `timestamp`.
    pub close_to_timestamp: [usize; 2],
    /// Two-digit years the row's own year column did not place.
    pub two_digit_years: usize,
    pub two_digit_example: Option<String>,
    /// Cells with a UTC offset (`2022-08-05T10:00+04:00`).
    pub offsets: usize,
    pub offset_example: Option<String>,
}

/// A row updated within this many days of its date is taken as reported
/// soon after it: see [`Survey::close_to_timestamp`].
pub const CLOSE_DAYS: i64 = 60;

fn keep_example(slot: &mut Option<String>, cell: &str) {
    if slot.is_none() {
        *slot = Some(super::text::shorten(cell, 40));
    }
}

impl Survey {
    /// Look at one cell. `year` is the row's full year and `timestamp` its
    /// Unix time of last update, where the file has them (for tests).
    #[cfg(test)]
    pub fn add(&mut self, cell: &str, year: Option<i32>, timestamp: Option<i64>) {
        self.add_with(cell, || (year, timestamp));
    }

    /// Look at one cell, asking for the row's full year and its Unix time
    /// of last update (where the file has them) only when the cell needs
    /// them (most cells do not).
    pub fn add_with(&mut self, cell: &str, row: impl Fn() -> (Option<i32>, Option<i64>)) {
        let year = || row().0;
        let timestamp = || row().1;
        let t = cell.trim();
        if t.is_empty() {
            return;
        }
        if split_offset(t).is_some() {
            self.offsets += 1;
            keep_example(&mut self.offset_example, t);
            return;
        }
        let bytes = t.as_bytes();
        if bytes.len() >= 5 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-' {
            // ISO (`2022-08-03`, `2022-08`): nothing to decide.
            return;
        }
        // The first three parts, without collecting them (this runs on
        // every cell of the column).
        let mut parts = t.split([' ', ',', '-', '/', '.']).filter(|s| !s.is_empty());
        let (Some(a), Some(b), Some(c), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return;
        };
        let digits =
            |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
        if c.len() == 2 && digits(c) && !(digits(a) && a.len() == 4) {
            let placed =
                year().is_some_and(|y| c.parse::<i32>().is_ok_and(|yy| y.rem_euclid(100) == yy));
            if !placed {
                self.two_digit_years += 1;
                keep_example(&mut self.two_digit_example, t);
            }
        }
        if !(digits(a) && digits(b) && digits(c)) || a.len() > 2 || b.len() > 2 {
            return;
        }
        let (Ok(x), Ok(y)) = (a.parse::<u32>(), b.parse::<u32>()) else {
            return;
        };
        match (x > 12, y > 12) {
            (true, false) => {
                self.day_first += 1;
                keep_example(&mut self.day_first_example, t);
            }
            (false, true) => {
                self.month_first += 1;
                keep_example(&mut self.month_first_example, t);
            }
            (false, false) if x != y => {
                self.ambiguous += 1;
                keep_example(&mut self.ambiguous_example, t);
                if let Some(ts) = timestamp().and_then(from_instant) {
                    let full = match c.len() {
                        4 => c.parse::<i32>().ok(),
                        _ => year().or_else(|| {
                            c.parse::<i32>()
                                .ok()
                                .map(|yy| DateReading::default().full_year(yy))
                        }),
                    };
                    let Some(full) = full else { return };
                    let updated = ts.date();
                    for (i, (m, d)) in [(y, x), (x, y)].into_iter().enumerate() {
                        let Some(day) = NaiveDate::from_ymd_opt(full, m, d) else {
                            continue;
                        };
                        let gap = (updated - day).num_days();
                        if gap < -1 {
                            self.after_timestamp[i] += 1;
                        } else if gap <= CLOSE_DAYS {
                            self.close_to_timestamp[i] += 1;
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn warning(column: &str, message: String) -> Problem {
    Problem {
        severity: Severity::Warning,
        line: None,
        column: None,
        field: Some(column.to_string()),
        message,
    }
}

/// The other way round than `chosen`, offered in a message.
fn how_to(chosen: DateOrder) -> String {
    let other = match chosen {
        DateOrder::Dmy => DateOrder::Mdy,
        _ => DateOrder::Dmy,
    };
    format!(
        "if that is wrong, open the file again with `--dates {}` (or `--dates dmy|mdy|ymd`)",
        other.name()
    )
}

fn example(e: &Option<String>) -> String {
    e.clone().unwrap_or_default()
}

/// The order the cells surveyed so far settle, if they do: the user's
/// choice; else a cell only one order reads (the more common such order
/// when both occur). With `at_end` (the whole column surveyed) a column
/// that reads both ways is settled too: by ACLED's timestamps where they
/// tell, else day-first; each with one warning naming `file`, `column` and
/// the way to choose.
pub fn decide_order(
    survey: &Survey,
    chosen: Option<DateOrder>,
    at_end: bool,
    file: &str,
    column: &str,
) -> Option<(DateOrder, Option<Problem>)> {
    if let Some(order) = chosen {
        return Some((order, None));
    }
    let s = survey;
    if s.day_first > 0 || s.month_first > 0 {
        let order = if s.month_first > s.day_first {
            DateOrder::Mdy
        } else {
            DateOrder::Dmy
        };
        return Some((order, None));
    }
    if !at_end {
        return None;
    }
    if s.ambiguous == 0 {
        return Some((DateOrder::Dmy, None));
    }
    let [after_dmy, after_mdy] = s.after_timestamp;
    let [close_dmy, close_mdy] = s.close_to_timestamp;
    let by_timestamp = match (after_dmy > 0, after_mdy > 0) {
        (true, false) => Some(DateOrder::Mdy),
        (false, true) => Some(DateOrder::Dmy),
        (true, true) => None,
        (false, false) => match (close_dmy > 0, close_mdy > 0) {
            (false, true) => Some(DateOrder::Mdy),
            (true, false) => Some(DateOrder::Dmy),
            _ => None,
        },
    };
    let ex = example(&s.ambiguous_example);
    let message = match by_timestamp {
        Some(order) => format!(
            "{file}: the dates in column `{column}` (like `{ex}`) read either way; they were read {} because only that way do they fit the rows' `timestamp` (the time each row was last updated); {}",
            order.words(),
            how_to(order)
        ),
        None => {
            let as_read = read_day(&ex, &DateReading::new(DateOrder::Dmy), None)
                .map(|d| d.date.format(" (%-d %B %Y)").to_string())
                .unwrap_or_default();
            format!(
                "{file}: the dates in column `{column}` (like `{ex}`) can be read day-first or month-first and nothing in the file settles which; they were read day-first{as_read}; if they are month-first, open the file with `--dates mdy` (`--dates dmy|mdy|ymd` sets the order)"
            )
        }
    };
    Some((
        by_timestamp.unwrap_or(DateOrder::Dmy),
        Some(warning(column, message)),
    ))
}

/// What the whole column, once read in `reading`, has to be warned about
/// once: day-first and month-first dates mixed (unless the user chose),
/// two-digit years placed by the pivot, UTC offsets kept apart.
pub fn column_notes(
    survey: &Survey,
    reading: &DateReading,
    chosen: bool,
    file: &str,
    column: &str,
) -> Vec<Problem> {
    let mut out = Vec::new();
    let s = survey;
    if !chosen && s.day_first > 0 && s.month_first > 0 {
        out.push(warning(
            column,
            format!(
                "{file}: column `{column}` mixes day-first dates ({} like `{}`) and month-first dates ({} like `{}`); the column is read {} and each date that can only be read the other way is warned about; {}",
                s.day_first,
                example(&s.day_first_example),
                s.month_first,
                example(&s.month_first_example),
                reading.order.words(),
                how_to(reading.order)
            ),
        ));
    }
    if s.two_digit_years > 0 {
        let ex = example(&s.two_digit_example);
        let as_read = read_day(&ex, reading, None)
            .map(|d| format!(" (`{ex}` as {})", d.date.format("%-d %B %Y")))
            .unwrap_or_default();
        out.push(warning(
            column,
            format!(
                "{file}: column `{column}` has {} date{} with a two-digit year; each was read as the latest year up to {} ending in those digits{as_read}",
                s.two_digit_years,
                if s.two_digit_years == 1 { "" } else { "s" },
                reading.last_year,
            ),
        ));
    }
    if s.offsets > 0 {
        out.push(warning(
            column,
            format!(
                "{file}: column `{column}` has {} date{} with a UTC offset (like `{}`); each keeps its local time as written, and its offset is kept in the event's `utc_offset` field",
                s.offsets,
                if s.offsets == 1 { "" } else { "s" },
                example(&s.offset_example),
            ),
        ));
    }
    out
}

/// The order to read a whole surveyed column in, and all its warnings
/// (see [`decide_order`] and [`column_notes`]). `chosen` is the user's
/// choice (`--dates`), taken as it is. (For tests: [`DatePlan`] decides
/// column by column as the rows come.)
#[cfg(test)]
pub fn decide(
    survey: &Survey,
    chosen: Option<DateOrder>,
    file: &str,
    column: &str,
) -> (DateReading, Vec<Problem>) {
    let (order, first) =
        decide_order(survey, chosen, true, file, column).unwrap_or((DateOrder::Dmy, None));
    let reading = DateReading::new(order);
    let mut problems: Vec<Problem> = first.into_iter().collect();
    problems.extend(column_notes(
        survey,
        &reading,
        chosen.is_some(),
        file,
        column,
    ));
    (reading, problems)
}

/// A table's date columns while its rows are read: every row's date cells
/// are surveyed as the row is read (no second pass over the file), and
/// the order is decided as soon as the cells seen settle it — rows read
/// before that wait, so they are read in the order decided too. A column
/// that never settles waits for the end of the file.
pub struct DatePlan {
    cols: Vec<usize>,
    year: Option<usize>,
    timestamp: Option<usize>,
    chosen: Option<DateOrder>,
    file: String,
    column: String,
    survey: Survey,
    reading: Option<DateReading>,
}

impl DatePlan {
    /// `names` are the date columns' header names, for messages.
    pub fn new(
        cols: Vec<usize>,
        names: &[&str],
        (year, timestamp): (Option<usize>, Option<usize>),
        chosen: Option<DateOrder>,
        file: &str,
    ) -> DatePlan {
        DatePlan {
            cols,
            year,
            timestamp,
            chosen,
            file: file.to_string(),
            column: names.join("` and `"),
            survey: Survey::default(),
            reading: chosen.map(DateReading::new),
        }
    }

    /// Survey the date cells of one record.
    pub fn look(&mut self, rec: &csv::StringRecord) {
        let cell = |col: Option<usize>| col.and_then(|c| rec.get(c)).map(str::trim);
        let row = || {
            let year = cell(self.year).and_then(|t| t.parse::<i32>().ok());
            let timestamp = cell(self.timestamp).and_then(|t| {
                t.parse::<i64>().ok().or_else(|| {
                    t.parse::<f64>()
                        .ok()
                        .filter(|f| f.is_finite())
                        .map(|f| f as i64)
                })
            });
            (year, timestamp)
        };
        for &col in &self.cols {
            if let Some(text) = cell(Some(col)) {
                self.survey.add_with(text, row);
            }
        }
    }

    /// The reading the rows surveyed so far can be read in: the decided
    /// one, or, while no all-number date that day-first and month-first
    /// would read differently has been seen (`30 December 2001`, ISO
    /// dates), any order, since none changes them. Rows need to wait for
    /// the decision only once such a date has turned up, so a column of
    /// month-name dates is read as it streams instead of held to the end.
    pub fn reading_so_far(&self) -> Option<DateReading> {
        let s = &self.survey;
        self.reading.or_else(|| {
            (s.day_first == 0 && s.month_first == 0 && s.ambiguous == 0).then(DateReading::default)
        })
    }

    /// Decide the order if the cells seen settle it, or (`at_end`) in any
    /// case; a warning the decision needs goes into `report`.
    pub fn settle(&mut self, at_end: bool, report: &mut super::report::Report) {
        if self.reading.is_some() {
            return;
        }
        if let Some((order, problem)) =
            decide_order(&self.survey, self.chosen, at_end, &self.file, &self.column)
        {
            self.reading = Some(DateReading::new(order));
            if let Some(p) = problem {
                report.push(p);
            }
        }
    }

    /// After the last row: the column's notes (see [`column_notes`]).
    pub fn finish(mut self, report: &mut super::report::Report) {
        self.settle(true, report);
        let reading = self.reading.unwrap_or_default();
        for p in column_notes(
            &self.survey,
            &reading,
            self.chosen.is_some(),
            &self.file,
            &self.column,
        ) {
            report.push(p);
        }
    }
}

/// The warning for a day whose year is not its row's own `year` (ACLED's
/// and UCDP's `year` columns), if it is not.
pub fn year_mismatch(
    cell: &str,
    day: NaiveDate,
    year: Option<i32>,
    who: &dyn std::fmt::Display,
) -> Option<String> {
    let year = year?;
    (year != day.year()).then(|| {
        format!(
            "`{cell}` is in {} but the row's year is {year}; {who} is dated as its date says",
            day.year()
        )
    })
}

/// The words for a cell read against its column's order.
pub fn against_order_message(cell: &str, day: NaiveDate, reading: &DateReading) -> String {
    let other = match reading.order {
        DateOrder::Mdy => DateOrder::Dmy,
        _ => DateOrder::Mdy,
    };
    format!(
        "`{cell}` cannot be read {} like the rest of its column, so it was read {} ({})",
        reading.order.words(),
        other.words(),
        day.format("%-d %B %Y")
    )
}

#[cfg(test)]
#[path = "dates_tests.rs"]
mod tests;

//! TimelineJS's spreadsheet form, as CSV: one row a slide, with `Year`,
//! `Month`, `Day`, `Time` (and their `End` twins), `Headline`, `Text`,
//! `Media`, `Group` and the rest of the template's columns.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::{
    DateField, DateParts, html_to_line, html_to_text, kind_from, parse_whole, title_or_fallback,
};
use crate::io::error::LoadError;
use crate::io::format::Format;
use crate::io::loaded::Loaded;
use crate::io::names::display_name;
use crate::io::report::{Problem, Report, Severity};
use crate::io::sheet::{ExtraKeys, Table};
use crate::model::{Era, Event, FuzzyDate, Provenance, Source, When};
use crate::table::Dataset;

/// A time of day as the sheet writes it: `14:30`, `14:30:15`, `2:30 PM`,
/// `2 pm`. Returns hour, minute and second where given.
pub fn parse_time(text: &str) -> Option<(i64, Option<i64>, Option<i64>)> {
    let t = text.trim().to_ascii_lowercase();
    let (clock, pm) = if let Some(rest) = t.strip_suffix("pm").or_else(|| t.strip_suffix("p.m.")) {
        (rest.trim(), Some(true))
    } else if let Some(rest) = t.strip_suffix("am").or_else(|| t.strip_suffix("a.m.")) {
        (rest.trim(), Some(false))
    } else {
        (t.as_str(), None)
    };
    let parts: Vec<&str> = clock.split(':').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let num = |s: &str| -> Option<i64> {
        let s = s.trim();
        // Seconds may carry a fraction (`15.250`); it is dropped.
        let s = s.split('.').next().unwrap_or(s);
        if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let mut hour = num(parts[0])?;
    let minute = match parts.get(1) {
        Some(m) => Some(num(m)?),
        None => None,
    };
    let second = match parts.get(2) {
        Some(s) => Some(num(s)?),
        None => None,
    };
    if let Some(pm) = pm {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = match (pm, hour) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, h) => h,
        };
    } else if parts.len() == 1 {
        // A bare number is not a time.
        return None;
    }
    Some((hour, minute, second))
}

const SHEET_COLUMNS: [&str; 18] = [
    "year",
    "month",
    "day",
    "time",
    "end year",
    "end month",
    "end day",
    "end time",
    "display date",
    "headline",
    "text",
    "media",
    "media credit",
    "media caption",
    "media thumbnail",
    "type",
    "group",
    "background",
];

struct SheetRow<'r> {
    header: &'r [String],
    record: &'r csv::StringRecord,
}

impl SheetRow<'_> {
    fn get(&self, name: &str) -> &str {
        self.header
            .iter()
            .position(|h| h == name)
            .and_then(|i| self.record.get(i))
            .map_or("", str::trim)
    }

    /// A date from `prefix` columns (`""` or `"end "`). `Ok(None)` when
    /// the year is empty.
    fn date(&self, prefix: &str) -> Result<Option<FuzzyDate>, (String, String)> {
        let col = |n: &str| format!("{prefix}{n}");
        let title_case = |n: &str| {
            n.split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    match c.next() {
                        Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                        None => String::new(),
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let number = |n: &str| -> Result<Option<i64>, (String, String)> {
            parse_whole(self.get(&col(n))).map_err(|m| (title_case(&col(n)), m))
        };
        let year = number("year")?;
        if year.is_none() {
            return Ok(None);
        }
        let mut parts = DateParts {
            year,
            month: number("month")?,
            day: number("day")?,
            ..DateParts::default()
        };
        let time = self.get(&col("time"));
        if !time.is_empty() {
            let Some((h, m, s)) = parse_time(time) else {
                return Err((
                    title_case(&col("time")),
                    format!("`{time}` is not a time like 14:30 or 2:30 PM"),
                ));
            };
            parts.hour = Some(h);
            parts.minute = m;
            parts.second = s;
        }
        parts.to_fuzzy().map(Some).map_err(|(field, message)| {
            let name = match field {
                DateField::Year => "year",
                DateField::Month => "month",
                DateField::Day => "day",
                _ => "time",
            };
            (title_case(&col(name)), message)
        })
    }
}

pub fn read_sheet(path: &Path, bytes: &[u8]) -> Result<Loaded, LoadError> {
    let file = display_name(path);
    let mut table = Table::decode(bytes);
    let (mut sheet, mut report) = table.open(path, ExtraKeys::AsWritten)?;
    let header = sheet_header(path, &sheet.headers)?;
    let original_header = sheet.headers.clone();

    let mut title = String::new();
    let mut description = String::new();
    let mut eras = Vec::new();
    let mut events = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut n = 0usize;
    while let Some(sheet_row) = sheet.next(&mut record, &mut report) {
        let line = sheet_row.line;
        let record = sheet_row.rec;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        n += 1;
        let row = SheetRow {
            header: &header,
            record,
        };
        let kind_of_row = row.get("type").to_ascii_lowercase();
        let headline_html = row.get("headline").to_string();
        let text_html = row.get("text").to_string();
        let headline = html_to_line(&headline_html);
        let text_plain = html_to_text(&text_html);
        if kind_of_row == "title" {
            title = headline;
            description = text_plain;
            continue;
        }
        let what = if kind_of_row == "era" { "era" } else { "row" };
        let Some(start) = row_start(&row, line, what, &mut report) else {
            continue;
        };
        let mut extra = BTreeMap::new();
        let end = row_end(&row, line, start, &mut report, &mut extra);
        if kind_of_row == "era" {
            eras.push(Era {
                name: if headline.is_empty() {
                    format!("Era {}", eras.len() + 1)
                } else {
                    headline
                },
                start,
                end: end.unwrap_or(start),
                color: None,
            });
            continue;
        }
        let group = row.get("group").to_string();
        let display = row.get("display date");
        let mut event = Event::new(
            format!("row-{line}"),
            title_or_fallback(&headline, &text_plain, Some(display), n),
            kind_from(&headline, &group),
            When {
                start,
                end,
                note: None,
            },
        );
        event.description = text_plain;
        crate::model::classify::headline_and_group(&headline, &group).apply(&mut event);
        if !text_html.is_empty() {
            event
                .extra
                .insert("timelinejs.text_html".into(), Value::String(text_html));
        }
        if headline_html != headline {
            event.extra.insert(
                "timelinejs.headline_html".into(),
                Value::String(headline_html),
            );
        }
        if !group.is_empty() {
            event.tags.push(group.clone());
            event.codes.insert("timelinejs.group".into(), group);
        }
        add_media(&row, &mut event);
        add_other_columns(&row, &original_header, &mut event);
        event.extra.extend(extra);
        event.provenance = Some(Provenance {
            format: "timelinejs".into(),
            file: Some(file.clone()),
            record: None,
            line: Some(line),
        });
        events.push(event);
    }
    crate::io::ids::assign_content_ids(&mut events, "row");
    Ok(Loaded::of_report(
        path,
        Format::TimelineJsSheet,
        Dataset {
            title,
            description,
            kinds: Vec::new(),
            eras,
            events: events.into(),
            ..Dataset::default()
        },
        report,
    ))
}

/// The header: the sheet's column names in lower case, which rows are
/// read by (TimelineJS names its columns with spaces, "End Year"). A sheet
/// without a `Year` or a `Headline` column is not a TimelineJS one.
fn sheet_header(path: &Path, headers: &[String]) -> Result<Vec<String>, LoadError> {
    let header: Vec<String> = headers.iter().map(|h| h.to_ascii_lowercase()).collect();
    for needed in ["year", "headline"] {
        if !header.iter().any(|h| h == needed) {
            return Err(LoadError::Invalid {
                path: path.to_path_buf(),
                message: format!(
                    "is not a TimelineJS spreadsheet: the header has no `{}` column",
                    if needed == "year" { "Year" } else { "Headline" }
                ),
            });
        }
    }
    Ok(header)
}

/// The start of a row (`what`: an era or a row). A row without a year, or
/// with a start that cannot be read, is an error and counted as skipped:
/// `None`, and the caller skips it.
fn row_start(row: &SheetRow, line: u64, what: &str, report: &mut Report) -> Option<FuzzyDate> {
    let problem = |field: String, message: String, what: &str| Problem {
        severity: Severity::Error,
        line: Some(line),
        column: None,
        field: Some(field),
        message: format!("{message}; the {what} was skipped"),
    };
    match row.date("") {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            report.skipped += 1;
            report.push(problem("Year".into(), "the row has no Year".into(), what));
            None
        }
        Err((field, message)) => {
            report.skipped += 1;
            report.push(problem(field, message, what));
            None
        }
    }
}

/// The end of a row, `None` for a point in time. An end before `start` is
/// a warning and is kept in `extra`; one that cannot be read is a warning
/// and dropped.
fn row_end(
    row: &SheetRow,
    line: u64,
    start: FuzzyDate,
    report: &mut Report,
    extra: &mut BTreeMap<String, Value>,
) -> Option<FuzzyDate> {
    match row.date("end ") {
        Ok(Some(d)) if d.latest < start.earliest => {
            report.push(Problem {
                severity: Severity::Warning,
                line: Some(line),
                column: None,
                field: Some("End Year".into()),
                message: "the end is before the start; the row was read as a point in time".into(),
            });
            extra.insert("timelinejs.end_date".into(), Value::String(d.to_text()));
            None
        }
        Ok(d) => d,
        Err((field, message)) => {
            report.push(Problem {
                severity: Severity::Warning,
                line: Some(line),
                column: None,
                field: Some(field),
                message: format!("{message}; the row was read without its end"),
            });
            None
        }
    }
}

/// The media of a row: a source from its URL, caption and credit, and
/// every media cell kept in `extra` as `timelinejs.media`.
fn add_media(row: &SheetRow, event: &mut Event) {
    let media = row.get("media");
    let caption = html_to_line(row.get("media caption"));
    let credit = html_to_line(row.get("media credit"));
    if !media.is_empty() || !caption.is_empty() || !credit.is_empty() {
        event.sources.push(Source {
            url: (!media.is_empty()).then(|| media.to_string()),
            title: (!caption.is_empty()).then_some(caption),
            credit: (!credit.is_empty()).then_some(credit),
            ..Source::default()
        });
    }
    let mut media_extra = serde_json::Map::new();
    for (col, key) in [
        ("media", "url"),
        ("media credit", "credit"),
        ("media caption", "caption"),
        ("media thumbnail", "thumbnail"),
    ] {
        let v = row.get(col);
        if !v.is_empty() {
            media_extra.insert(key.into(), Value::String(v.to_string()));
        }
    }
    if !media_extra.is_empty() {
        event
            .extra
            .insert("timelinejs.media".into(), Value::Object(media_extra));
    }
}

/// The cells kept in `extra`: the template's display date, background and
/// type, then every column the template does not have, under its name as
/// written (`original_header`).
fn add_other_columns(row: &SheetRow, original_header: &[String], event: &mut Event) {
    for (col, key) in [
        ("display date", "timelinejs.display_date"),
        ("background", "timelinejs.background"),
        ("type", "timelinejs.type"),
    ] {
        let v = row.get(col);
        if !v.is_empty() {
            event.extra.insert(key.into(), Value::String(v.to_string()));
        }
    }
    // Columns the template does not have.
    for (i, h) in row.header.iter().enumerate() {
        if SHEET_COLUMNS.contains(&h.as_str()) || h.is_empty() {
            continue;
        }
        let v = row.record.get(i).map_or("", str::trim);
        if !v.is_empty() {
            let name = original_header.get(i).map_or(h.as_str(), String::as_str);
            event
                .extra
                .insert(format!("timelinejs.{name}"), Value::String(v.to_string()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day() {
        assert_eq!(parse_time("14:30"), Some((14, Some(30), None)));
        assert_eq!(parse_time("2:30 PM"), Some((14, Some(30), None)));
        assert_eq!(parse_time("12:05 am"), Some((0, Some(5), None)));
        assert_eq!(parse_time("2 pm"), Some((14, None, None)));
        assert_eq!(parse_time("09:15:20"), Some((9, Some(15), Some(20))));
        assert_eq!(parse_time("14"), None);
        assert_eq!(parse_time("13 PM"), None);
        assert_eq!(parse_time("noon"), None);
    }
}

//! A row's cells read with what is wrong reported: a cell the row cannot
//! do without (skipped when it is bad), a day, a cell the event can do
//! without (kept in `extra` when it is bad), coordinates.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::rows::{Row, Sheet};
use crate::io::cells::parse_coordinate;
use crate::io::dates::{self, DateReading};
use crate::io::report::Report;

/// The parsed value of a cell a row cannot do without. An empty cell or
/// one `parse` refuses skips the row, reported as "`who` has no `noun`"
/// or with the parse error.
pub fn required<T, E: std::fmt::Display>(
    sheet: &Sheet,
    row: &Row,
    col: usize,
    report: &mut Report,
    who: &dyn std::fmt::Display,
    noun: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Option<T> {
    let text = row.get(Some(col));
    if text.is_empty() {
        report.skip(
            row,
            col,
            sheet.name(col),
            format!("{who} has no {noun}; it was skipped"),
        );
        return None;
    }
    match parse(text) {
        Ok(v) => Some(v),
        Err(e) => {
            report.skip(row, col, sheet.name(col), format!("{e}; {who} was skipped"));
            None
        }
    }
}

/// The day in cell `col`, which the row cannot do without, read in the
/// column's `reading` with the row's full year `hint`; a cell that could
/// only be read in the other order is warned about.
pub fn required_day(
    sheet: &Sheet,
    row: &Row,
    col: usize,
    report: &mut Report,
    who: &dyn std::fmt::Display,
    reading: &DateReading,
    hint: Option<i32>,
) -> Option<NaiveDate> {
    let day = required(sheet, row, col, report, who, "date", |t| {
        dates::read_day(t, reading, hint)
    })?;
    let text = row.get(Some(col));
    if day.against_order {
        report.warn_cell(
            sheet,
            row,
            col,
            dates::against_order_message(text, day.date, reading),
        );
    }
    if let Some(message) = dates::year_mismatch(text, day.date, hint, who) {
        report.warn_cell(sheet, row, col, message);
    }
    Some(day.date)
}

/// A cell the event can do without, read with `parse`. A value `parse`
/// refuses is a warning ("`who` is kept without `lost`") and the cell goes
/// to `extra` as it was, so nothing is lost.
#[allow(clippy::too_many_arguments)]
pub fn optional<T, E: std::fmt::Display>(
    sheet: &Sheet,
    row: &Row,
    col: Option<usize>,
    report: &mut Report,
    extra: &mut BTreeMap<String, serde_json::Value>,
    who: &dyn std::fmt::Display,
    lost: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Option<T> {
    let col = col?;
    let cell = row.get(Some(col));
    if cell.is_empty() {
        return None;
    }
    match parse(cell) {
        Ok(v) => Some(v),
        Err(reason) => {
            report.warn_cell(
                sheet,
                row,
                col,
                format!("{reason}; {who} is kept without {lost}"),
            );
            extra.insert(sheet.extra_key(col), cell.into());
            None
        }
    }
}

/// Latitude and longitude cells, checked against their ranges.
pub fn coordinates(
    sheet: &Sheet,
    row: &Row,
    (lat, lon): (Option<usize>, Option<usize>),
    report: &mut Report,
    extra: &mut BTreeMap<String, serde_json::Value>,
    who: &dyn std::fmt::Display,
) -> (Option<f64>, Option<f64>) {
    let mut read = |col, max| {
        optional(sheet, row, col, report, extra, who, "a map position", |t| {
            parse_coordinate(t, max)
        })
    };
    (read(lat, 90.0), read(lon, 180.0))
}

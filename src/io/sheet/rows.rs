//! A delimited table with a header row, read record by record: the
//! decoded text ([`Table`]), the header and its columns ([`Sheet`]), each
//! record with what places a problem in it ([`Row`]), and the parts of the
//! shared [`Report`] that place problems in a table's rows.

use std::collections::BTreeMap;
use std::path::Path;

use csv::StringRecord;

use super::sniff::{normalise_name, sniff_delimiter};
use crate::io::cells::{is_plain_integer, json_value};
use crate::io::dates::{DateOrder, DatePlan};
use crate::io::error::{LoadError, invalid};
use crate::io::report::{Problem, Report, Severity};
use crate::io::text::decode_text;

/// How leftover columns are named in `Event.extra`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtraKeys {
    /// Normalised (`GWNO` → `gwno`): for formats with a known schema.
    Normalised,
    /// As the header wrote them: for tables of unknown shape.
    AsWritten,
}

/// A table file's text, decoded (see [`crate::io::text::decode_text`]), with
/// what decoding had to say, ready to open as a [`Sheet`].
pub struct Table<'b> {
    text: std::borrow::Cow<'b, str>,
    problems: Vec<Problem>,
}

impl<'b> Table<'b> {
    pub fn decode(bytes: &'b [u8]) -> Table<'b> {
        let d = decode_text(bytes);
        Table {
            text: d.text,
            problems: d.problems,
        }
    }

    /// The sheet, and a report that opens with the decoding warnings.
    pub fn open(&mut self, path: &Path, keys: ExtraKeys) -> Result<(Sheet<'_>, Report), LoadError> {
        let sheet = Sheet::open(&self.text, keys).map_err(|m| invalid(path, m))?;
        Ok((sheet, Report::with(std::mem::take(&mut self.problems))))
    }
}

/// A delimited table with a header row, read record by record.
pub struct Sheet<'t> {
    pub(super) text: &'t str,
    pub(super) delimiter: u8,
    /// Header names as written (trimmed).
    pub headers: Vec<String>,
    norm: Vec<String>,
    extra_keys: Vec<String>,
    used: Vec<bool>,
    records: Records<'t>,
}

/// The reading side of a [`Sheet`]: where the next record starts. Split
/// off ([`Sheet::split_records`]) so one thread reads records while
/// others turn earlier ones into events through the shared `&Sheet`.
pub struct Records<'t> {
    text: &'t str,
    delimiter: u8,
    reader: csv::Reader<&'t [u8]>,
    rows: usize,
    last_offset: Option<u64>,
}

impl<'t> Sheet<'t> {
    /// Open `text` and read its header. The error is a sentence for
    /// [`LoadError::Invalid`].
    pub fn open(text: &'t str, keys: ExtraKeys) -> Result<Sheet<'t>, String> {
        // A byte-order mark survives decoding when the Windows-1252 fallback
        // read it as three characters.
        let text = text
            .strip_prefix('\u{feff}')
            .or_else(|| text.strip_prefix("\u{ef}\u{bb}\u{bf}"))
            .unwrap_or(text);
        if text.trim().is_empty() {
            return Err("is empty".into());
        }
        let delimiter = sniff_delimiter(text);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
            Err(e) => return Err(format!("has a header row that cannot be read: {e}")),
        };
        let norm: Vec<String> = headers.iter().map(|h| normalise_name(h)).collect();
        let mut extra_keys: Vec<String> = Vec::with_capacity(headers.len());
        for (i, (h, n)) in headers.iter().zip(&norm).enumerate() {
            let mut key = match keys {
                ExtraKeys::Normalised => n.clone(),
                ExtraKeys::AsWritten => h.clone(),
            };
            if key.is_empty() {
                key = format!("column {}", i + 1);
            }
            if extra_keys.contains(&key) {
                key = format!("{key} (column {})", i + 1);
            }
            extra_keys.push(key);
        }
        let used = vec![false; headers.len()];
        Ok(Sheet {
            text,
            delimiter,
            headers,
            norm,
            extra_keys,
            used,
            records: Records {
                text,
                delimiter,
                reader,
                rows: 0,
                last_offset: None,
            },
        })
    }

    /// Take the reading side; this sheet then reads no more records.
    pub fn split_records(&mut self) -> Records<'t> {
        let empty = Records {
            text: "",
            delimiter: self.delimiter,
            reader: csv::ReaderBuilder::new().from_reader(&[][..]),
            rows: 0,
            last_offset: None,
        };
        std::mem::replace(&mut self.records, empty)
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The first column whose name is one of `names` (normalised, in the
    /// order of `names`), marked as used so it is left out of `extra`.
    pub fn take(&mut self, names: &[&str]) -> Option<usize> {
        let i = self.peek(names)?;
        self.used[i] = true;
        Some(i)
    }

    /// Like [`Sheet::take`] but without marking the column as used.
    pub fn peek(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.norm.iter().position(|h| h == n))
    }

    /// Every column whose name is one of `names`, in file order, marked used.
    pub fn take_all(&mut self, names: &[&str]) -> Vec<usize> {
        let found: Vec<usize> = (0..self.norm.len())
            .filter(|&i| names.contains(&self.norm[i].as_str()))
            .collect();
        for &i in &found {
            self.used[i] = true;
        }
        found
    }

    /// The header name of column `i`, as written.
    pub fn name(&self, i: usize) -> &str {
        self.headers.get(i).map_or("", String::as_str)
    }

    /// The first few header names, for a message saying what the file has.
    /// Column `names[0]` (or an alias), without which the file is not
    /// `what` ("an ACLED export"): the error is a sentence for
    /// [`invalid`].
    pub fn require(&mut self, names: &[&str], what: &str) -> Result<usize, String> {
        self.take(names).ok_or_else(|| {
            format!(
                "has no `{}` column, so it is not {what} (its columns: {})",
                names.first().copied().unwrap_or(""),
                self.found_columns()
            )
        })
    }

    /// The columns named `names` (or the file is not `what`, and the error
    /// says so).
    pub fn require_all<const N: usize>(
        &mut self,
        path: &Path,
        names: [&str; N],
        what: &str,
    ) -> Result<[usize; N], LoadError> {
        let mut out = [0; N];
        for (slot, name) in out.iter_mut().zip(names) {
            *slot = self.require(&[name], what).map_err(|m| invalid(path, m))?;
        }
        Ok(out)
    }

    /// The plan for reading the date columns `cols` (see [`DatePlan`]),
    /// with the row's `year` and `timestamp` columns where the file has
    /// them and the user's `chosen` order.
    pub fn date_plan(
        &self,
        cols: &[usize],
        year_and_timestamp: (Option<usize>, Option<usize>),
        chosen: Option<DateOrder>,
        file: &str,
    ) -> DatePlan {
        let names: Vec<&str> = cols.iter().map(|&c| self.name(c)).collect();
        DatePlan::new(cols.to_vec(), &names, year_and_timestamp, chosen, file)
    }

    pub fn found_columns(&self) -> String {
        let shown: Vec<String> = self
            .headers
            .iter()
            .take(12)
            .map(|h| {
                let short: String = h.chars().take(30).collect();
                format!("`{short}`")
            })
            .collect();
        let mut text = shown.join(", ");
        if self.headers.len() > 12 {
            text.push_str(&format!(" and {} more", self.headers.len() - 12));
        }
        if text.is_empty() {
            text = "none".into();
        }
        text
    }

    /// Read the next record into `rec`. Unreadable records are reported and
    /// counted as skipped.
    pub fn next<'r>(&mut self, rec: &'r mut StringRecord, report: &mut Report) -> Option<Row<'r>>
    where
        't: 'r,
    {
        self.records.next(rec, report)
    }

    /// Every non-empty cell of a column no one took, keyed by its header.
    pub fn extra(&self, row: &Row) -> BTreeMap<String, serde_json::Value> {
        self.extra_cells(row)
            .map(|(key, cell)| (key.into_owned(), json_value(cell)))
            .collect()
    }

    /// [`Sheet::extra`], written straight into a table row: no map and,
    /// for text and whole numbers, no copy of the cell.
    pub fn extra_into(&self, row: &Row, out: &mut crate::table::RowBuilder<'_>) {
        for (key, cell) in self.extra_cells(row) {
            if is_plain_integer(cell) {
                // Its JSON text is the cell itself.
                out.extra_json(&key, cell);
            } else if cell.bytes().any(|b| b.is_ascii_digit()) {
                out.extra(&key, &json_value(cell));
            } else {
                out.extra_text(&key, cell);
            }
        }
    }

    /// The trimmed non-empty cells of the columns no one took, with their
    /// keys in `extra`.
    fn extra_cells<'a>(
        &'a self,
        row: &'a Row,
    ) -> impl Iterator<Item = (std::borrow::Cow<'a, str>, &'a str)> + 'a {
        row.rec
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.used.get(*i).copied().unwrap_or(false))
            .map(|(i, cell)| (i, cell.trim()))
            .filter(|(_, cell)| !cell.is_empty())
            .map(|(i, cell)| {
                let key = match self.extra_keys.get(i) {
                    Some(k) => std::borrow::Cow::Borrowed(k.as_str()),
                    None => std::borrow::Cow::Owned(format!("column {}", i + 1)),
                };
                (key, cell)
            })
    }

    /// The key column `i` has in `extra`.
    pub fn extra_key(&self, i: usize) -> String {
        self.extra_keys
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("column {}", i + 1))
    }
}

impl<'t> Records<'t> {
    /// Read the next record into `rec`. Unreadable records are reported and
    /// counted as skipped.
    pub fn next<'r>(&mut self, rec: &'r mut StringRecord, report: &mut Report) -> Option<Row<'r>>
    where
        't: 'r,
    {
        loop {
            match self.reader.read_record(rec) {
                Ok(false) => return None,
                Ok(true) => break,
                Err(e) => {
                    let offset = e.position().map(|p| p.byte());
                    let line = e.position().map(|p| p.line());
                    report.push(Problem {
                        severity: Severity::Error,
                        line,
                        column: None,
                        field: None,
                        message: format!("the row cannot be read ({e}); it was skipped"),
                    });
                    report.skipped += 1;
                    // Never loop on a reader that does not move on.
                    if offset.is_none() || offset == self.last_offset {
                        return None;
                    }
                    self.last_offset = offset;
                }
            }
        }
        self.rows += 1;
        let (mut line, mut start) = rec
            .position()
            .map_or((0, self.text.len()), |p| (p.line(), p.byte() as usize));
        // After a `\r\n` the reader may report the record as starting at
        // the `\n` (and on the line before), and skipped blank lines count
        // towards the record: move to its first real byte.
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(start) {
            match b {
                b'\n' => line += 1,
                b'\r' => {}
                _ => break,
            }
            start += 1;
        }
        self.last_offset = Some(start as u64);
        Some(Row {
            rec,
            number: self.rows,
            line,
            start,
            text: self.text,
            delimiter: self.delimiter,
        })
    }
}

/// One record of a [`Sheet`], with what is needed to place problems.
pub struct Row<'r> {
    pub rec: &'r StringRecord,
    /// 1-based number of the data row (the header is row 0).
    pub number: usize,
    /// 1-based line the record starts on.
    pub line: u64,
    pub(super) start: usize,
    pub(super) text: &'r str,
    pub(super) delimiter: u8,
}

impl Row<'_> {
    /// The trimmed cell of column `col`; empty when absent.
    pub fn get(&self, col: Option<usize>) -> &str {
        col.and_then(|c| self.rec.get(c)).map_or("", trim)
    }

    /// A format's codes (key, column) that are not empty in this row, each
    /// kept under its key (`acled.event_type`, `ucdp.date_prec`…).
    #[inline]
    pub fn codes_into(
        &self,
        codes: &[(&str, Option<usize>)],
        out: &mut crate::table::RowBuilder<'_>,
    ) {
        for &(key, col) in codes {
            let v = self.get(col);
            if !v.is_empty() {
                out.code(key, v);
            }
        }
    }

    /// Line and character column where field `col` starts, found by
    /// scanning the record's own text (quotes may hide delimiters and
    /// newlines).
    pub fn position(&self, col: usize) -> (u64, u64) {
        let bytes = self.text.as_bytes();
        let mut i = self.start.min(bytes.len());
        let mut line = self.line.max(1);
        let mut line_start = i;
        let mut field = 0;
        let mut in_quotes = false;
        while field < col && i < bytes.len() {
            let b = bytes[i];
            if b == b'"' {
                in_quotes = !in_quotes;
            } else if b == b'\n' {
                if !in_quotes {
                    break;
                }
                line += 1;
                line_start = i + 1;
            } else if b == self.delimiter && !in_quotes {
                field += 1;
            }
            i += 1;
        }
        let column = self
            .text
            .get(line_start..i)
            .map_or(i - line_start, |s| s.chars().count())
            + 1;
        (line, column as u64)
    }
}

/// How a row is named in a problem message (`event AZE1`, `row 12`):
/// written only when there is a problem, not a `String` made for every row.
pub struct Named<T>(pub &'static str, pub T);

impl<T: std::fmt::Display> std::fmt::Display for Named<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.0, self.1)
    }
}

/// The parts of the shared [`Report`] that place problems in a table's
/// rows.
impl Report {
    /// A problem at field `col` of `row`, named by `field`.
    pub fn at(&mut self, severity: Severity, row: &Row, col: usize, field: &str, message: String) {
        if self.is_full() {
            // Counted without the cost of finding the position.
            self.count_unlisted();
            return;
        }
        let (line, column) = row.position(col);
        self.push(Problem {
            severity,
            line: Some(line),
            column: Some(column),
            field: Some(field.to_string()),
            message,
        });
    }

    /// A warning at cell `col` of `row`, named by its header.
    pub fn warn_cell(&mut self, sheet: &Sheet, row: &Row, col: usize, message: String) {
        self.at(Severity::Warning, row, col, sheet.name(col), message);
    }

    /// A problem with the row as a whole.
    pub fn row(&mut self, severity: Severity, row: &Row, message: String) {
        self.push(Problem {
            severity,
            line: Some(row.line),
            column: Some(1),
            field: None,
            message,
        });
    }

    /// Report and count a row left out because of field `col`.
    pub fn skip(&mut self, row: &Row, col: usize, field: &str, message: String) {
        self.at(Severity::Error, row, col, field, message);
        self.skipped += 1;
    }

    /// Warn when `id` was already used by an earlier row.
    pub fn check_id(&mut self, id: &str, row: &Row, col: Option<usize>, field: &str) {
        if let Some(message) = self.repeated_id(id, row.line) {
            match col {
                Some(c) => self.at(Severity::Warning, row, c, field, message),
                None => self.row(Severity::Warning, row, message),
            }
        }
    }
}

/// `str::trim`, with a fast way out for the usual cell: one that starts
/// and ends with an ASCII byte that is not a space (a Unicode space would
/// start with a byte of 0x80 or more).
fn trim(cell: &str) -> &str {
    match cell.as_bytes() {
        [] => cell,
        [first, .., last] | [first @ last]
            if first.is_ascii_graphic() && last.is_ascii_graphic() =>
        {
            cell
        }
        _ => cell.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::report::MAX_PROBLEMS;

    #[test]
    fn cells_are_trimmed_as_str_trim_does() {
        for cell in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{a0}a",
            "a\u{2003}",
            "ab",
            "\ta b\n",
            "é",
            "x é",
        ] {
            assert_eq!(trim(cell), cell.trim(), "{cell:?}");
        }
    }

    #[test]
    fn field_positions_follow_quotes_and_newlines() {
        let text = "a,b,c\n1,\"x\ny\",été,z\n";
        let mut sheet = Sheet::open(text, ExtraKeys::Normalised).unwrap();
        let mut rec = StringRecord::new();
        let mut report = Report::default();
        let row = sheet.next(&mut rec, &mut report).unwrap();
        assert_eq!(row.line, 2);
        assert_eq!(row.position(0), (2, 1));
        assert_eq!(row.position(1), (2, 3));
        assert_eq!(row.position(2), (3, 4));
        assert_eq!(row.position(3), (3, 8));
        assert_eq!(row.position(9), (3, 9));
    }

    #[test]
    fn lines_survive_crlf_and_blank_lines() {
        for text in ["h1,h2\r\na,b\r\n\r\n\r\nc,d\r\n", "h1,h2\na,b\n\n\nc,d\n"] {
            let mut sheet = Sheet::open(text, ExtraKeys::Normalised).unwrap();
            let mut rec = StringRecord::new();
            let mut report = Report::default();
            let row = sheet.next(&mut rec, &mut report).unwrap();
            assert_eq!((row.line, row.position(1)), (2, (2, 3)), "{text:?}");
            let row = sheet.next(&mut rec, &mut report).unwrap();
            assert_eq!(row.number, 2);
            assert_eq!((row.line, row.position(1)), (5, (5, 3)), "{text:?}");
        }
    }

    #[test]
    fn problems_are_capped() {
        let text = format!("a,b\n{}", "1,2\n".repeat(MAX_PROBLEMS + 5));
        let mut sheet = Sheet::open(&text, ExtraKeys::Normalised).unwrap();
        let mut rec = StringRecord::new();
        let mut report = Report::default();
        while let Some(row) = sheet.next(&mut rec, &mut report) {
            report.at(Severity::Warning, &row, 1, "b", "x".into());
        }
        let f = report.finish();
        assert_eq!(f.problems.len(), MAX_PROBLEMS + 1);
        assert_eq!(f.omitted, 5);
        assert!(f.problems[MAX_PROBLEMS].message.starts_with("5 more"));
    }
}

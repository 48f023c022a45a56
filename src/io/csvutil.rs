//! Plumbing shared by the CSV readers (ACLED, UCDP GED, generic CSV):
//! delimiter sniffing, header lookup by name, lenient date parsing, field
//! positions for problems, and the problem list itself.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use csv::StringRecord;

use super::{LoadError, Problem, Severity};
use crate::model::KindDef;
use crate::table::EventTable;

use super::dates::{DatePlan, DateReading};
pub use super::dates::{parse_date, parse_day};
pub use super::report::{MAX_PROBLEMS, Report};

/// `LoadError::Invalid` for the file at `path`.
pub fn invalid(path: &Path, message: impl Into<String>) -> LoadError {
    LoadError::Invalid {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// A header name made comparable: trimmed, lower-case, spaces and hyphens
/// as underscores (`Start Date` → `start_date`).
pub fn normalise_name(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The most frequent of `,`, tab, `;` and `|` outside quotes in the first
/// line; a comma when there is none.
pub fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 4];
    const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];
    let mut in_quotes = false;
    for &b in text.as_bytes().iter().take(64 * 1024) {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => break,
            _ if !in_quotes => {
                if let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..CANDIDATES.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    CANDIDATES[best]
}

/// How leftover columns are named in `Event.extra`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtraKeys {
    /// Normalised (`GWNO` → `gwno`): for formats with a known schema.
    Normalised,
    /// As the header wrote them: for tables of unknown shape.
    AsWritten,
}

/// A table file's text, decoded (see [`super::text::decode_text`]), with
/// what decoding had to say, ready to open as a [`Sheet`].
pub struct Table<'b> {
    text: std::borrow::Cow<'b, str>,
    problems: Vec<Problem>,
}

impl<'b> Table<'b> {
    pub fn decode(bytes: &'b [u8]) -> Table<'b> {
        let d = super::text::decode_text(bytes);
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
    text: &'t str,
    delimiter: u8,
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
        chosen: Option<super::DateOrder>,
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
    start: usize,
    text: &'r str,
    delimiter: u8,
}

impl Row<'_> {
    /// The trimmed cell of column `col`; empty when absent.
    pub fn get(&self, col: Option<usize>) -> &str {
        col.and_then(|c| self.rec.get(c)).map_or("", trim)
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

/// Read every row of a sheet whose rows must be as wide as its header
/// (ACLED, UCDP): a row of another width is skipped as an error, since its
/// columns cannot be trusted; `read_row` makes the events of the others.
pub fn read_strict_rows(
    sheet: &mut Sheet,
    report: &mut Report,
    dates: &mut DatePlan,
    read_row: impl Fn(&Sheet, &Row, &mut Report, &DateReading, &mut EventTable) + Sync,
) -> EventTable {
    // Three stages at once: one thread reads records in batches (sequential
    // tokenising), this one splits each batch over the cores to turn its
    // records into rows in tables of their own (most of the work), and a
    // third appends those tables to the result in order (dictionary codes
    // and shared lists mapped, texts copied) while the next batch is
    // turned into rows. Problems are merged back in file order.
    let threads = rayon::current_num_threads();
    let width = sheet.headers.len();
    let mut records = sheet.split_records();
    let sheet: &Sheet = sheet;
    let text_len = sheet.text.len();
    // Batches read before the date columns' order is settled wait here.
    let mut waiting: Vec<Vec<(StringRecord, usize, u64, usize)>> = Vec::new();
    // Two batches in flight at most: one being read, one being turned
    // into rows (each batch holds its records' text).
    let (batches, batch_rx) = std::sync::mpsc::sync_channel::<Batch>(1);
    let (spares, spare_rx) = std::sync::mpsc::channel::<Vec<StringRecord>>();
    // Sets of worker tables: one being filled while the other is appended
    // ([`super::TableSets`]).
    let (filled, filled_rx) = std::sync::mpsc::sync_channel::<Filled>(1);
    let (emptied, emptied_rx) = std::sync::mpsc::channel::<Vec<EventTable>>();
    std::thread::scope(|scope| {
        let dates = &mut *dates;
        // Cancel is kept per thread: the reader obeys the caller's.
        let progress = super::progress::current();
        scope.spawn(move || {
            super::progress::within(progress.as_ref(), || {
                read_batches(&mut records, dates, &batches, &spare_rx);
            });
        });
        let appender = scope.spawn(move || append_parts(&filled_rx, &emptied, text_len));
        let mut sets = super::TableSets::new(emptied_rx);
        'feed: for batch in batch_rx.iter() {
            report.absorb(batch.report);
            waiting.push(batch.rows);
            let Some(reading) = batch.reading else {
                continue;
            };
            for batch in std::mem::take(&mut waiting) {
                // Batches may have waited for the dates: check between them too.
                if super::progress::cancelled() {
                    break 'feed;
                }
                let Some(mut parts) = sets.next() else {
                    break 'feed;
                };
                let reports = process_batch(
                    sheet,
                    &batch,
                    (width, threads),
                    &mut parts,
                    |s, row, r, out| read_row(s, row, r, &reading, out),
                );
                let reached = batch.last().map_or(0, |b| b.3 as u64);
                // The text before this batch's last row is done with.
                if let Some(done) = sheet.text.as_bytes().get(..reached as usize) {
                    super::release_read(done);
                }
                let made: usize = parts.iter().map(EventTable::len).sum();
                super::progress::parsed(made, reached);
                // Its records go back to be read into again (each holds
                // its own buffers); a reader that has stopped needs none.
                let _ = spares.send(batch.into_iter().map(|b| b.0).collect());
                if filled
                    .send(Filled {
                        parts,
                        reports,
                        reached,
                    })
                    .is_err()
                {
                    break 'feed;
                }
            }
        }
        // Dropping the receiver stops a reader still sending (on cancel);
        // dropping the sender ends the appender.
        drop(batch_rx);
        drop(filled);
        match appender.join() {
            Ok((events, mut parts_report)) => {
                // The parts' report holds the ids (a million of them):
                // the rest is merged into it, not it into the rest.
                parts_report.absorb(std::mem::take(report));
                *report = parts_report;
                events
            }
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Worker tables filled from one batch, their problems, and how far into
/// the text the batch reached.
struct Filled {
    parts: Vec<EventTable>,
    reports: Vec<Report>,
    reached: u64,
}

/// The appending thread of [`read_strict_rows`]: each set of worker
/// tables added to the result in order, then sent back to be filled again;
/// their problems merged in order too (ids repeated across parts are found
/// here).
fn append_parts(
    filled: &std::sync::mpsc::Receiver<Filled>,
    emptied: &std::sync::mpsc::Sender<Vec<EventTable>>,
    text_len: usize,
) -> (EventTable, Report) {
    let mut events = EventTable::new();
    let mut report = Report::default();
    for Filled {
        parts,
        reports,
        reached,
    } in filled.iter()
    {
        let first = events.is_empty();
        for part_report in reports {
            report.absorb(part_report);
        }
        let made: usize = parts.iter().map(EventTable::len).sum();
        if first && reached > 0 {
            // Room for every id the file will hold, at once: grown step by
            // step, the table would move every id it holds each time.
            let rows = text_len as f64 / reached as f64 * made as f64 * 1.05;
            report
                .ids
                .reserve((rows as usize).saturating_sub(report.ids.len()));
        }
        for part in &parts {
            if events.is_empty() && reached > 0 && !part.is_empty() {
                // The first part tells how much the whole file will need.
                let scale =
                    text_len as f64 / part.len() as f64 * made as f64 / reached as f64 * 1.05;
                events.reserve_like(part, scale);
            }
            events.append(part);
        }
        // A receiver gone (the parse stopped) needs no more tables.
        let _ = emptied.send(parts);
    }
    (events, report)
}

/// Records read by [`read_batches`]: each with its row number, line and
/// byte offset; the problems met reading them; the order of the date
/// columns if settled by then.
struct Batch {
    rows: Vec<(StringRecord, usize, u64, usize)>,
    report: Report,
    reading: Option<DateReading>,
}

/// The reading thread of [`read_strict_rows`]: records in batches, the
/// dates surveyed on the way, until the end, a cancel, or a receiver gone.
fn read_batches(
    records: &mut Records,
    dates: &mut DatePlan,
    batches: &std::sync::mpsc::SyncSender<Batch>,
    spare_rx: &std::sync::mpsc::Receiver<Vec<StringRecord>>,
) {
    // Up to three batches of records are alive at once (read, queued,
    // being turned into rows), each record with its own buffers: 16k rows
    // a batch keeps that under ~40 MB for ACLED-wide rows (32k held ~65 MB
    // more at the peak, for no measurable speed).
    const BATCH: usize = 16_384;
    let mut spare: Vec<StringRecord> = Vec::new();
    loop {
        if super::progress::cancelled() {
            return;
        }
        let mut report = Report::default();
        let mut rows: Vec<(StringRecord, usize, u64, usize)> = Vec::with_capacity(BATCH);
        while rows.len() < BATCH {
            if spare.is_empty() {
                spare.extend(spare_rx.try_iter().flatten());
            }
            let mut rec = spare.pop().unwrap_or_default();
            let Some(meta) = records
                .next(&mut rec, &mut report)
                .map(|r| (r.number, r.line, r.start))
            else {
                break;
            };
            dates.look(&rec);
            rows.push((rec, meta.0, meta.1, meta.2));
        }
        let last = rows.len() < BATCH;
        dates.settle(last, &mut report);
        let reading = dates.reading_so_far();
        if batches
            .send(Batch {
                rows,
                report,
                reading,
            })
            .is_err()
            || last
        {
            return;
        }
    }
}

/// Turn one batch of records into events on every core (see
/// [`read_strict_rows`]), their problems merged back in file order.
fn process_batch(
    sheet: &Sheet,
    batch: &[(StringRecord, usize, u64, usize)],
    (width, threads): (usize, usize),
    parts: &mut Vec<EventTable>,
    read_row: impl Fn(&Sheet, &Row, &mut Report, &mut EventTable) + Sync,
) -> Vec<Report> {
    // Each part goes straight into a table of its own; `read_row` writes a
    // good row into it. The tables are the previous batch's, emptied: their
    // room is reused rather than fresh pages faulted in and zeroed again.
    let process = |part: &[(StringRecord, usize, u64, usize)], out: &mut EventTable| {
        out.clear();
        let mut local = Report::default();
        // Most rows add an id: room for them all at once.
        local.ids.reserve(part.len());
        for (rec, number, line, start) in part {
            let row = Row {
                rec,
                number: *number,
                line: *line,
                start: *start,
                text: sheet.text,
                delimiter: sheet.delimiter,
            };
            if rec.len() != width {
                local.row(
                    Severity::Error,
                    &row,
                    format!(
                        "the row has {} fields but the header has {width}, so its columns cannot be trusted; it was skipped",
                        rec.len()
                    ),
                );
                local.skipped += 1;
                continue;
            }
            read_row(sheet, &row, &mut local, out);
        }
        local
    };
    let chunk = if threads < 2 || batch.len() < 2048 {
        batch.len().max(1)
    } else {
        batch.len().div_ceil(threads)
    };
    parts.resize_with(batch.chunks(chunk).count(), EventTable::new);
    if parts.len() <= 1 {
        parts
            .iter_mut()
            .zip(batch.chunks(chunk))
            .map(|(out, part)| process(part, out))
            .collect()
    } else {
        use rayon::prelude::*;
        parts
            .par_iter_mut()
            .zip(batch.par_chunks(chunk))
            .map(|(out, part)| process(part, out))
            .collect()
    }
}

/// Read every row of a sheet in order with `read_row`, each in its date
/// columns' order: rows read before the order is settled wait (see
/// [`DatePlan`]). Rows of another width than the header are kept.
/// Rows between two progress reports (and cancel checks) of [`read_rows`].
const PROGRESS_ROWS: usize = 4096;

pub fn read_rows(
    sheet: &mut Sheet,
    report: &mut Report,
    dates: &mut DatePlan,
    mut read_row: impl FnMut(&Sheet, &Row, &mut Report, &DateReading),
) {
    let mut waiting: Vec<(StringRecord, usize, u64, usize)> = Vec::new();
    // Rows read since the last progress report.
    let mut unreported = 0;
    loop {
        let mut rec = StringRecord::new();
        let meta = sheet
            .next(&mut rec, report)
            .map(|r| (r.number, r.line, r.start));
        let last = meta.is_none();
        if let Some((number, line, start)) = meta {
            dates.look(&rec);
            waiting.push((rec, number, line, start));
        }
        dates.settle(last, report);
        if let Some(reading) = dates.reading_so_far() {
            for (rec, number, line, start) in waiting.drain(..) {
                unreported += 1;
                if unreported == PROGRESS_ROWS {
                    super::progress::parsed(unreported, start as u64);
                    unreported = 0;
                    if super::progress::cancelled() {
                        return;
                    }
                }
                let row = Row {
                    rec: &rec,
                    number,
                    line,
                    start,
                    text: sheet.text,
                    delimiter: sheet.delimiter,
                };
                read_row(sheet, &row, report, &reading);
            }
        }
        if last {
            super::progress::parsed(unreported, sheet.text.len() as u64);
            break;
        }
    }
}

/// Read a strict table (see [`read_strict_rows`]) into what the reader
/// hands back: its events, the kinds they use, its problems.
#[allow(clippy::too_many_arguments)]
pub fn read_strict(
    path: &Path,
    sheet: &mut Sheet,
    mut report: Report,
    mut dates: DatePlan,
    format: super::Format,
    title: String,
    read_row: impl Fn(&Sheet, &Row, &mut Report, &DateReading, &mut EventTable) + Sync,
) -> super::Loaded {
    let events = read_strict_rows(sheet, &mut report, &mut dates, read_row);
    dates.finish(&mut report);
    let kinds = crate::model::classify::kinds_used(events.kinds_used());
    loaded(path, format, title, kinds, events, report)
}

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
        super::dates::read_day(t, reading, hint)
    })?;
    let text = row.get(Some(col));
    if day.against_order {
        report.warn_cell(
            sheet,
            row,
            col,
            super::dates::against_order_message(text, day.date, reading),
        );
    }
    if let Some(message) = super::dates::year_mismatch(text, day.date, hint, who) {
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

/// What a table reader hands back: the dataset named after its file, with
/// the problems found on the way.
pub fn loaded(
    path: &Path,
    format: super::Format,
    title: String,
    kinds: Vec<KindDef>,
    events: EventTable,
    report: Report,
) -> super::Loaded {
    super::Loaded::of_report(
        path,
        format,
        crate::table::Dataset {
            title,
            kinds,
            events,
            ..crate::table::Dataset::default()
        },
        report,
    )
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

/// A cell as JSON: a number when the text is exactly a number's usual
/// spelling (so `041` stays a string and nothing changes on the way back),
/// else the text.
pub fn json_value(cell: &str) -> serde_json::Value {
    if let Ok(n) = cell.parse::<i64>()
        && n.to_string() == cell
    {
        return serde_json::Value::from(n);
    }
    if cell.bytes().any(|b| b.is_ascii_digit())
        && let Ok(f) = cell.parse::<f64>()
        && f.is_finite()
        && f.to_string() == cell
        && let Some(n) = serde_json::Number::from_f64(f)
    {
        return serde_json::Value::Number(n);
    }
    serde_json::Value::String(cell.to_string())
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

/// A whole number in an `i64` written the way `i64` writes it (no sign
/// but `-`, no leading zero, not `-0`): [`json_value`] makes it a number.
fn is_plain_integer(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && cell != "-0"
        && (digits == "0" || !digits.starts_with('0'))
        && cell.parse::<i64>().is_ok()
}

/// The items of a `;`-separated list, trimmed, empties dropped.
pub fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// A whole non-negative count (`12`, also `12.0`), or a reason.
pub fn parse_count(cell: &str) -> Result<u64, String> {
    let t = cell.trim();
    if let Ok(n) = t.parse::<u64>() {
        return Ok(n);
    }
    if let Some(whole) = t.strip_suffix(".0").or_else(|| t.strip_suffix(".00"))
        && let Ok(n) = whole.parse::<u64>()
    {
        return Ok(n);
    }
    Err(format!("`{t}` is not a whole number of people"))
}

/// A latitude (`max` 90) or longitude (`max` 180), or a reason.
pub fn parse_coordinate(cell: &str, max: f64) -> Result<f64, String> {
    let t = cell.trim();
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= max => Ok(v),
        Ok(_) => Err(format!("`{t}` is outside −{max}…{max}")),
        Err(_) => Err(format!("`{t}` is not a number")),
    }
}

/// The country an actor's name points to: `Military Forces of Azerbaijan
/// (2003-)` → Azerbaijan, `Protesters (Armenia)` → Armenia.
pub fn country_in(name: &str) -> Option<&str> {
    let name = name.trim();
    // A trailing parenthesis: a country unless it holds years.
    // Names are short: a plain scan of their bytes beats setting up a
    // substring searcher, and this runs for every actor of every row.
    let last = |needle: &[u8]| {
        name.as_bytes()
            .windows(needle.len())
            .rposition(|w| w == needle)
    };
    let paren_at = if name.ends_with(')') {
        last(b" (")
    } else {
        None
    };
    let (base, paren) = match paren_at {
        Some(i) => (&name[..i], Some(&name[i + 2..name.len() - 1])),
        None => (name, None),
    };
    let looks_like_name = |s: &str| {
        let s = s.trim();
        !s.is_empty()
            && s.len() <= 40
            && s.chars().next().is_some_and(char::is_uppercase)
            && !s.chars().any(|c| c.is_ascii_digit())
    };
    if let Some(p) = paren
        && looks_like_name(p)
    {
        return Some(p.trim());
    }
    let of = base.as_bytes().windows(4).rposition(|w| w == b" of ")?;
    let after = &base[of + 4..];
    looks_like_name(after).then(|| after.trim())
}

/// A kind id made from free text: lower-case words joined by `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Shorten `text` to at most `max` characters, ending with `…` if cut.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out = out.trim_end().to_string();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The fast path of `extra_into` agrees with `json_value`: a cell
        /// it calls a plain integer is a JSON number written as the cell.
        #[test]
        fn plain_integers_are_the_numbers_json_value_makes(cell in "[-+0-9.e]{0,22}") {
            if is_plain_integer(&cell) {
                let v = json_value(&cell);
                prop_assert!(v.is_number(), "{cell}");
                prop_assert_eq!(v.to_string(), cell);
            } else if let serde_json::Value::Number(n) = json_value(&cell) {
                prop_assert!(!n.is_i64() || n.to_string() != cell, "{cell}");
            }
        }
    }

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
    fn plain_integers() {
        for yes in ["0", "7", "-7", "1234567890", "9223372036854775807"] {
            assert!(is_plain_integer(yes), "{yes}");
        }
        for no in [
            "",
            "-",
            "-0",
            "007",
            "+7",
            "1.0",
            "9223372036854775808",
            "1e3",
        ] {
            assert!(!is_plain_integer(no), "{no}");
        }
    }

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff_delimiter("a,b,c\n1;2"), b',');
        assert_eq!(sniff_delimiter("a;b;\"c,d,e\"\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("single"), b',');
    }

    #[test]
    fn numbers_in_extra_keep_their_spelling() {
        assert_eq!(json_value("12"), serde_json::json!(12));
        assert_eq!(json_value("40.1234"), serde_json::json!(40.1234));
        assert_eq!(json_value("041"), serde_json::json!("041"));
        assert_eq!(json_value("1.0"), serde_json::json!("1.0"));
        assert_eq!(json_value("NaN"), serde_json::json!("NaN"));
        assert_eq!(json_value("inf"), serde_json::json!("inf"));
    }

    #[test]
    fn countries_in_actor_names() {
        assert_eq!(
            country_in("Military Forces of Azerbaijan (2003-)"),
            Some("Azerbaijan")
        );
        assert_eq!(country_in("Protesters (Armenia)"), Some("Armenia"));
        assert_eq!(country_in("Government of Armenia"), Some("Armenia"));
        assert_eq!(country_in("Rioters"), None);
        assert_eq!(country_in("Sheikh of the tribe"), None);
        assert_eq!(country_in("("), None);
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

//! The CSV readers' pipeline: a table's rows turned into events, on every
//! core for the strict tables (ACLED, UCDP: records read on one thread,
//! turned into rows on all, appended in order on a third) or in order
//! ([`read_rows`]), each in its date columns' settled order; and what a
//! table reader hands back ([`loaded`]).

use std::path::Path;

use csv::StringRecord;

use super::rows::{Records, Row, Sheet};
use crate::io::dates::{DatePlan, DateReading};
use crate::io::format::Format;
use crate::io::loaded::Loaded;
use crate::io::mapped::release_read;
use crate::io::progress;
use crate::io::report::{Report, Severity};
use crate::io::table_sets::TableSets;
use crate::model::KindDef;
use crate::model::classify::kinds_used;
use crate::table::EventTable;

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
    // ([`TableSets`]).
    let (filled, filled_rx) = std::sync::mpsc::sync_channel::<Filled>(1);
    let (emptied, emptied_rx) = std::sync::mpsc::channel::<Vec<EventTable>>();
    std::thread::scope(|scope| {
        let dates = &mut *dates;
        // Cancel is kept per thread: the reader obeys the caller's.
        let progress = progress::current();
        scope.spawn(move || {
            progress::within(progress.as_ref(), || {
                read_batches(&mut records, dates, &batches, &spare_rx);
            });
        });
        let appender = scope.spawn(move || append_parts(&filled_rx, &emptied, text_len));
        let mut sets = TableSets::new(emptied_rx);
        'feed: for batch in batch_rx.iter() {
            report.absorb(batch.report);
            waiting.push(batch.rows);
            let Some(reading) = batch.reading else {
                continue;
            };
            for batch in std::mem::take(&mut waiting) {
                // Batches may have waited for the dates: check between them too.
                if progress::cancelled() {
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
                    release_read(done);
                }
                let made: usize = parts.iter().map(EventTable::len).sum();
                progress::parsed(made, reached);
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
        if progress::cancelled() {
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

/// Rows between two progress reports (and cancel checks) of [`read_rows`].
const PROGRESS_ROWS: usize = 4096;

/// Read every row of a sheet in order with `read_row`, each in its date
/// columns' order: rows read before the order is settled wait (see
/// [`DatePlan`]). Rows of another width than the header are kept.
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
                    progress::parsed(unreported, start as u64);
                    unreported = 0;
                    if progress::cancelled() {
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
            progress::parsed(unreported, sheet.text.len() as u64);
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
    format: Format,
    title: String,
    read_row: impl Fn(&Sheet, &Row, &mut Report, &DateReading, &mut EventTable) + Sync,
) -> Loaded {
    let events = read_strict_rows(sheet, &mut report, &mut dates, read_row);
    dates.finish(&mut report);
    let kinds = kinds_used(events.kinds_used());
    loaded(path, format, title, kinds, events, report)
}

/// What a table reader hands back: the dataset named after its file, with
/// the problems found on the way.
pub fn loaded(
    path: &Path,
    format: Format,
    title: String,
    kinds: Vec<KindDef>,
    events: EventTable,
    report: Report,
) -> Loaded {
    Loaded::of_report(
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

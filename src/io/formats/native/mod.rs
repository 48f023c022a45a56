//! Eventline's own format: versioned JSON, documented in `docs/FORMAT.md`.
//!
//! Events are read one by one from the raw text so that a bad event is
//! skipped and reported (line, column, JSON path) while the rest load.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::io::error::{LoadError, SaveError};
use crate::io::format::Format;
use crate::io::json::bare_message;
use crate::io::loaded::Loaded;
use crate::io::report::{Problem, Report, Severity};
use crate::io::table_sets::TableSets;
use crate::io::text::{LineCursor, utf8_text};
use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::model::{Casualties, Era, Event, FuzzyDate, KindDef, Role, When};
use crate::table::Dataset;
use crate::table::{EventTable, PlaceParts, RowHead, SourceParts};

/// The format version this build reads and writes.
pub const VERSION: u64 = 1;

/// A file's fields other than its events, read while the events stream
/// past to be parsed (see [`FileSeed`]).
#[derive(Default)]
struct FileHead {
    eventline: Option<u64>,
    title: String,
    description: String,
    kinds: Vec<KindDef>,
    eras: Vec<Era>,
}

/// The fields a file may have, in the order they are written.
const FIELDS: &[&str] = &[
    "eventline",
    "title",
    "description",
    "kinds",
    "eras",
    "events",
];

/// Reads a whole file: its header fields into a [`FileHead`], its events
/// as raw texts handed to `sink` in blocks of [`PROGRESS_BLOCK`] as they
/// are found, so that the first blocks are parsed while the rest of the
/// file is still being scanned. A sink that answers `false` (the parse
/// was stopped) ends the scan with an error.
struct FileSeed<'s, 'a> {
    sink: &'s mut dyn FnMut(Vec<&'a RawValue>) -> bool,
}

/// The message of the error that ends a scan whose sink stopped.
const SCAN_STOPPED: &str = "the parse was stopped";

impl<'a> serde::de::DeserializeSeed<'a> for FileSeed<'_, 'a> {
    type Value = FileHead;

    fn deserialize<D: serde::Deserializer<'a>>(self, d: D) -> Result<FileHead, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'a> serde::de::Visitor<'a> for FileSeed<'_, 'a> {
    type Value = FileHead;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an Eventline dataset (a JSON object)")
    }

    fn visit_map<M: serde::de::MapAccess<'a>>(self, mut map: M) -> Result<FileHead, M::Error> {
        use serde::de::Error;
        let mut head = FileHead::default();
        let mut seen = [false; 6];
        while let Some(key) = map.next_key::<Cow<'a, str>>()? {
            let Some(i) = FIELDS.iter().position(|f| *f == key) else {
                return Err(M::Error::unknown_field(&key, FIELDS));
            };
            if std::mem::replace(&mut seen[i], true) {
                return Err(M::Error::duplicate_field(FIELDS[i]));
            }
            match i {
                0 => head.eventline = Some(map.next_value()?),
                1 => head.title = map.next_value()?,
                2 => head.description = map.next_value()?,
                3 => head.kinds = map.next_value()?,
                4 => head.eras = map.next_value()?,
                // A file of another version is refused once read (see
                // `read`): its events are skipped, not parsed in vain.
                _ if head.eventline.is_some_and(|v| v != VERSION) => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                _ => map.next_value_seed(EventsSeed {
                    sink: &mut *self.sink,
                })?,
            }
        }
        if head.eventline.is_none() {
            return Err(M::Error::missing_field("eventline"));
        }
        Ok(head)
    }
}

/// The `events` array of [`FileSeed`].
struct EventsSeed<'s, 'a> {
    sink: &'s mut dyn FnMut(Vec<&'a RawValue>) -> bool,
}

impl<'a> serde::de::DeserializeSeed<'a> for EventsSeed<'_, 'a> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'a>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'a> serde::de::Visitor<'a> for EventsSeed<'_, 'a> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of events")
    }

    fn visit_seq<S: serde::de::SeqAccess<'a>>(self, mut seq: S) -> Result<(), S::Error> {
        let mut block = Vec::with_capacity(PROGRESS_BLOCK);
        while let Some(raw) = seq.next_element::<&'a RawValue>()? {
            block.push(raw);
            if block.len() == PROGRESS_BLOCK
                && !(self.sink)(std::mem::replace(
                    &mut block,
                    Vec::with_capacity(PROGRESS_BLOCK),
                ))
            {
                return Err(serde::de::Error::custom(SCAN_STOPPED));
            }
        }
        if !block.is_empty() && !(self.sink)(block) {
            return Err(serde::de::Error::custom(SCAN_STOPPED));
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct Header<'a> {
    eventline: u64,
    title: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    kinds: &'a [KindDef],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    eras: &'a [Era],
}

pub fn read<'t>(path: &Path, bytes: &'t [u8]) -> Result<Loaded, LoadError> {
    let text = utf8_text(bytes).map_err(|(line, column)| LoadError::Syntax {
        path: path.to_path_buf(),
        line,
        column,
        message: "the file is not UTF-8 text".into(),
    })?;
    // Three stages at once: this thread scans the file for its events
    // (serde's scan is sequential), a second has each block of them parsed
    // on every core, each share into a table of its own, and a third takes
    // the blocks' tables into the result in file order (problems reported
    // in order). Blocks also let the window count events as they come and
    // a cancel stop the parse within one block.
    let (found, found_rx) = std::sync::mpsc::sync_channel::<Vec<&'t RawValue>>(1);
    let (parsed, parsed_rx) = std::sync::mpsc::sync_channel::<ParsedBlock>(1);
    let (emptied, emptied_rx) = std::sync::mpsc::channel::<Vec<EventTable>>();
    let mut total = 0;
    let (scanned, events, report, cancelled) = std::thread::scope(|scope| {
        // Progress and cancel are kept per thread: the helpers report to
        // and obey the caller's.
        let progress = crate::io::progress::current();
        let taker_progress = progress.clone();
        let taker = scope.spawn(move || {
            crate::io::progress::within(taker_progress.as_ref(), || {
                take_blocks(text, &parsed_rx, &emptied)
            })
        });
        let parser = scope.spawn(move || {
            crate::io::progress::within(progress.as_ref(), || {
                parse_blocks(&found_rx, &parsed, TableSets::new(emptied_rx))
            })
        });
        let mut sink = |block: Vec<&'t RawValue>| {
            total += block.len();
            found.send(block).is_ok()
        };
        let mut de = serde_json::Deserializer::from_str(text);
        let mut track = serde_path_to_error::Track::new();
        let scanned = serde::de::DeserializeSeed::deserialize(
            FileSeed { sink: &mut sink },
            serde_path_to_error::Deserializer::new(&mut de, &mut track),
        )
        .map_err(|e| (track.path().to_string(), e))
        .and_then(|head| de.end().map(|()| head).map_err(|e| (String::new(), e)));
        // The parser ends when the blocks do, the taker when the parser does.
        drop(found);
        let cancelled = match parser.join() {
            Ok(cancelled) => cancelled,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        match taker.join() {
            Ok((events, report)) => (scanned, events, report, cancelled),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    if cancelled || crate::io::progress::cancelled() {
        return Err(LoadError::Cancelled {
            path: path.to_path_buf(),
        });
    }
    let header = match scanned {
        Ok(h) => h,
        Err((field, inner)) => {
            let mut message = bare_message(&inner);
            if message.contains("missing field `eventline`") {
                message = "this is JSON but not an Eventline dataset: the top-level `eventline` version field is missing".into();
            } else if field != "." && !field.is_empty() {
                message = format!("{field}: {message}");
            }
            return Err(LoadError::Syntax {
                path: path.to_path_buf(),
                line: inner.line() as u64,
                column: inner.column() as u64,
                message,
            });
        }
    };
    let version = header.eventline.unwrap_or_default();
    if version != VERSION {
        return Err(LoadError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "is Eventline format version {version}, but this build reads version {VERSION}"
            ),
        });
    }
    let mut report = report;
    report.skipped = total - events.len();
    Ok(Loaded::of_report(
        path,
        Format::Eventline,
        Dataset {
            title: header.title,
            description: header.description,
            kinds: header.kinds,
            eras: header.eras,
            events,
            ..Dataset::default()
        },
        report,
    ))
}

/// Events parsed between two progress reports (and cancel checks): about
/// a tenth of a second's work on two cores.
const PROGRESS_BLOCK: usize = 32_768;

/// A block parsed into share tables, on its way to [`take_blocks`]:
/// `first` is the index of its first event in the file.
struct ParsedBlock<'a> {
    first: usize,
    block: Vec<&'a RawValue>,
    parts: Vec<Part>,
    tables: Vec<EventTable>,
}

/// The parsing thread of [`read`]: each block of events found is parsed
/// on every core into a set of share tables ([`TableSets`]) and
/// passed on to be taken in. True when the parse was cancelled.
fn parse_blocks<'a>(
    found: &std::sync::mpsc::Receiver<Vec<&'a RawValue>>,
    parsed: &std::sync::mpsc::SyncSender<ParsedBlock<'a>>,
    mut sets: TableSets,
) -> bool {
    let mut first = 0;
    for block in found.iter() {
        if crate::io::progress::cancelled() {
            return true;
        }
        let Some(mut tables) = sets.next() else {
            return false;
        };
        let parts = parse_parallel(&block, &mut tables);
        let len = block.len();
        let sent = parsed.send(ParsedBlock {
            first,
            block,
            parts,
            tables,
        });
        if sent.is_err() {
            return false;
        }
        first += len;
    }
    false
}

/// The taking thread of [`read`]: each parsed block's tables appended to
/// the result in file order, repeated ids and unreadable events reported
/// (an unreadable one parsed again, slowly, for the path of its fault),
/// then the tables sent back to be filled again.
fn take_blocks(
    text: &str,
    parsed: &std::sync::mpsc::Receiver<ParsedBlock<'_>>,
    emptied: &std::sync::mpsc::Sender<Vec<EventTable>>,
) -> (EventTable, Report) {
    let mut report = Report::default();
    let mut events = EventTable::new();
    let mut cursor = LineCursor::new(text);
    for ParsedBlock {
        first,
        block,
        parts,
        tables,
    } in parsed.iter()
    {
        let reached = block.last().map_or(0, |raw| {
            (raw.get().as_ptr() as usize - text.as_ptr() as usize + raw.get().len()) as u64
        });
        if first == 0 && reached > 0 {
            // Room for every id the file will hold, at once: grown step by
            // step, the table would move every id it holds each time.
            let rows = text.len() as f64 / reached as f64 * block.len() as f64 * 1.05;
            report.ids.reserve(rows as usize);
        }
        let mut at = 0;
        for (part, table) in parts.into_iter().zip(&tables) {
            let raws = block.get(at..at + part.len).unwrap_or(&[]);
            let mut row = 0;
            let mut failed = part.failed.iter().peekable();
            for (k, raw) in raws.iter().enumerate() {
                let i = first + at + k;
                let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
                let (line, column) = cursor.position(offset);
                if failed.next_if_eq(&&k).is_none() {
                    if let Some(message) = report.repeated_id(table.id(row), line) {
                        report.push(Problem {
                            severity: Severity::Warning,
                            line: Some(line),
                            column: Some(column),
                            field: Some(format!("events[{i}].id")),
                            message,
                        });
                    }
                    row += 1;
                    continue;
                }
                report.push(unreadable_event(raw, i, (line, column)));
            }
            if events.is_empty() && reached > 0 && !table.is_empty() {
                // The first part tells how much the whole file will need.
                let share = part.len as f64 / block.len() as f64;
                events.reserve_like(table, text.len() as f64 / reached as f64 / share * 1.05);
            }
            events.append(table);
            at += part.len;
        }
        crate::io::progress::parsed(block.len(), reached);
        // The text up to here is parsed: give its pages back.
        if let Some(done) = text.as_bytes().get(..reached as usize) {
            crate::io::mapped::release_read(done);
        }
        // A receiver gone (the parse stopped) needs no more tables.
        let _ = emptied.send(tables);
    }
    (events, report)
}

/// The problem of event `i` (at `line`, `column`) that the fast parse
/// refused: parsed again, slowly, only to learn the path of the fault.
fn unreadable_event(raw: &RawValue, i: usize, (line, column): (u64, u64)) -> Problem {
    let mut de = serde_json::Deserializer::from_str(raw.get());
    let err = match serde_path_to_error::deserialize::<_, Event>(&mut de) {
        Ok(_) => {
            // The fast parse refused what this one took: keep the file's
            // word, as an error, not a guess.
            return Problem {
                severity: Severity::Error,
                line: Some(line),
                column: Some(column),
                field: Some(format!("events[{i}]")),
                message: "the event could not be read; it was skipped".into(),
            };
        }
        Err(e) => e,
    };
    let sub = err.path().to_string();
    let inner = err.into_inner();
    let (l, c) = if inner.line() <= 1 {
        (line, column + inner.column().saturating_sub(1) as u64)
    } else {
        (line + inner.line() as u64 - 1, inner.column() as u64)
    };
    let field = if sub == "." || sub.is_empty() {
        format!("events[{i}]")
    } else {
        format!("events[{i}].{sub}")
    };
    Problem {
        severity: Severity::Error,
        line: Some(l),
        column: Some(c),
        field: Some(field),
        message: format!("{}; the event was skipped", bare_message(&inner)),
    }
}

/// One worker's share of a block: how many events it held, and the
/// positions (within the share) of those it could not read. The events it
/// read are in its table.
struct Part {
    len: usize,
    failed: Vec<usize>,
}

fn parse_part(raws: &[&RawValue], table: &mut EventTable) -> Part {
    table.clear();
    let mut failed = Vec::new();
    for (k, r) in raws.iter().enumerate() {
        match serde_json::from_str::<EventIn>(r.get()) {
            Ok(e) => e.write_to(table),
            Err(_) => failed.push(k),
        }
    }
    Part {
        len: raws.len(),
        failed,
    }
}

/// Parse a block on every core, each share into a table of its own
/// (`tables`, one per share; the events never cross threads), the shares
/// in file order.
fn parse_parallel(raws: &[&RawValue], tables: &mut Vec<EventTable>) -> Vec<Part> {
    let threads = rayon::current_num_threads();
    let chunk = if threads < 2 || raws.len() < 10_000 {
        raws.len().max(1)
    } else {
        raws.len().div_ceil(threads)
    };
    tables.resize_with(raws.chunks(chunk).count(), EventTable::new);
    tables
        .par_iter_mut()
        .zip(raws.par_chunks(chunk))
        .map(|(table, raws)| parse_part(raws, table))
        .collect()
}

/// An event as the file spells it, its texts borrowed from the file where
/// they hold no escapes: read straight into the columns, without the
/// `String`s and maps of an [`Event`]. It accepts exactly what `Event`
/// accepts (same fields, same types, unknown fields refused), so that an
/// event it refuses is the one `Event`'s error message describes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventIn<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(borrow, default)]
    description: Cow<'a, str>,
    #[serde(borrow)]
    when: WhenIn<'a>,
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow, default)]
    actors: Vec<ActorIn<'a>>,
    #[serde(borrow, default)]
    place: Option<PlaceIn<'a>>,
    #[serde(default)]
    casualties: Option<Casualties>,
    #[serde(borrow, default)]
    sources: Vec<SourceIn<'a>>,
    #[serde(borrow, default)]
    tags: Vec<Text<'a>>,
    #[serde(borrow, default)]
    codes: BTreeMap<Text<'a>, Text<'a>>,
    #[serde(borrow, default)]
    provenance: Option<ProvenanceIn<'a>>,
    #[serde(borrow, default)]
    extra: BTreeMap<Text<'a>, serde_json::Value>,
}

/// A text borrowed from the file where it holds no escapes. Serde borrows
/// a bare `Cow` field but not one inside an `Option`, `Vec` or map; this
/// wrapper borrows wherever it is.
#[derive(Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(transparent)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WhenIn<'a> {
    start: FuzzyDate,
    #[serde(default)]
    end: Option<FuzzyDate>,
    #[serde(borrow, default)]
    note: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorIn<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(default)]
    role: Role,
    #[serde(borrow, default)]
    affiliation: Option<Text<'a>>,
    #[serde(borrow, default)]
    country: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceIn<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow, default)]
    admin: Option<Text<'a>>,
    #[serde(borrow, default)]
    country: Option<Text<'a>>,
    #[serde(default)]
    lat: Option<f64>,
    #[serde(default)]
    lon: Option<f64>,
    #[serde(borrow, default)]
    precision: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceIn<'a> {
    #[serde(borrow, default)]
    publisher: Option<Text<'a>>,
    #[serde(borrow, default)]
    title: Option<Text<'a>>,
    #[serde(borrow, default)]
    url: Option<Text<'a>>,
    #[serde(default)]
    published: Option<FuzzyDate>,
    #[serde(borrow, default)]
    quote: Option<Text<'a>>,
    #[serde(borrow, default)]
    credit: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProvenanceIn<'a> {
    #[serde(borrow)]
    format: Cow<'a, str>,
    #[serde(borrow, default)]
    file: Option<Text<'a>>,
    #[serde(borrow, default)]
    record: Option<Text<'a>>,
    #[serde(default)]
    line: Option<u64>,
}

impl EventIn<'_> {
    /// One row, its cells in the order `EventTable::push` writes an
    /// `Event`'s (so both give the same table).
    fn write_to(self, table: &mut EventTable) {
        let mut row = table.begin_row();
        for a in &self.actors {
            row.actor(
                &a.name,
                a.role,
                a.affiliation.as_deref(),
                a.country.as_deref(),
            );
        }
        if let Some(p) = &self.place {
            row.place(PlaceParts {
                name: &p.name,
                admin: p.admin.as_deref(),
                country: p.country.as_deref(),
                precision: p.precision.as_deref(),
                lat: p.lat,
                lon: p.lon,
            });
        }
        if let Some(c) = self.casualties {
            row.casualties(c);
        }
        for s in &self.sources {
            row.source(SourceParts {
                publisher: s.publisher.as_deref(),
                title: s.title.as_deref(),
                url: s.url.as_deref(),
                credit: s.credit.as_deref(),
                quote: s.quote.as_deref(),
                published: s.published,
            });
        }
        for t in &self.tags {
            row.tag(t);
        }
        for (k, v) in &self.codes {
            row.code(k, v);
        }
        if let Some(p) = &self.provenance {
            row.provenance(&p.format, p.file.as_deref(), p.record.as_deref(), p.line);
        }
        for (k, v) in &self.extra {
            row.extra(k, v);
        }
        let when = When {
            start: self.when.start,
            end: self.when.end,
            note: self.when.note.map(|n| n.0.into_owned()),
        };
        row.finish(RowHead {
            id: &self.id,
            title: &self.title,
            description: &self.description,
            when: &when,
            kind: &self.kind,
        });
    }
}

/// Write the dataset to `out`: the header pretty, then one event per line so
/// that files diff well and problem line numbers name one event.
pub fn write_to(dataset: &Dataset, out: &mut dyn Write) -> Result<(), serde_json::Error> {
    let header = Header {
        eventline: VERSION,
        title: &dataset.title,
        description: &dataset.description,
        kinds: &dataset.kinds,
        eras: &dataset.eras,
    };
    let head = serde_json::to_string_pretty(&header)?;
    // Re-open the header object to append the events array.
    let head = head.trim_end().trim_end_matches('}').trim_end();
    let io = serde_json::Error::io;
    write!(out, "{head},\n  \"events\": [").map_err(io)?;
    for (i, e) in dataset.events.iter().enumerate() {
        out.write_all(if i == 0 { b"\n    " } else { b",\n    " })
            .map_err(io)?;
        serde_json::to_writer(&mut *out, &e)?;
    }
    out.write_all(b"\n  ]\n}\n").map_err(io)?;
    Ok(())
}

/// Save atomically (see [`crate::io::atomic`]): a failed save never damages
/// the file that was there.
pub fn save(path: &Path, dataset: &Dataset) -> Result<(), SaveError> {
    crate::io::atomic::write_atomically(path, |w| write_to(dataset, w).map_err(|e| e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The borrowed reader gives the table `Event` gives, for events
        /// written as the file writes them (escapes and all).
        #[test]
        fn events_read_into_the_columns_as_whole_events_would_be(
            events in proptest::collection::vec(crate::table::tests::event(), 0..20)
        ) {
            let mut direct = EventTable::new();
            let mut via_event = EventTable::new();
            for e in &events {
                let text = serde_json::to_string(e).unwrap();
                serde_json::from_str::<EventIn>(&text).unwrap().write_to(&mut direct);
                via_event.push(&serde_json::from_str::<Event>(&text).unwrap());
            }
            proptest::prop_assert_eq!(direct.iter().collect::<Vec<_>>(), events.clone());
            proptest::prop_assert_eq!(via_event, direct);
        }
    }

    #[test]
    fn the_borrowed_reader_refuses_what_event_refuses() {
        let good = r#"{"id":"a","title":"t","kind":"call","when":{"start":"2022"}}"#;
        assert!(serde_json::from_str::<EventIn>(good).is_ok());
        for bad in [
            r#"{"id":"a","title":"t","kind":"call","when":{"start":"2022"},"titel":"x"}"#,
            r#"{"id":"a","title":"t","kind":"call","when":{"start":"2022-02-30"}}"#,
            r#"{"id":"a","title":null,"kind":"call","when":{"start":"2022"}}"#,
            r#"{"id":"a","title":"t","kind":"call","when":{"start":"2022"},"actors":[{"name":"x","role":"boss"}]}"#,
            r#"{"id":"a","title":"t","kind":"call","when":{"start":"2022"},"place":{"name":"x","lat":"north"}}"#,
            r#"{"id":"a","title":"t","kind":"call","when":{"start":"2022"},"tags":[1]}"#,
            r#"{"id":"a","title":"t","kind":"call","when":{"start":"2022","when":1}}"#,
            r#"{"id":"a","title":"t","kind":"call"}"#,
        ] {
            assert!(serde_json::from_str::<Event>(bad).is_err(), "{bad}");
            assert!(serde_json::from_str::<EventIn>(bad).is_err(), "{bad}");
        }
    }

    fn read_str(text: &str) -> Result<Loaded, LoadError> {
        read(Path::new("test.json"), text.as_bytes())
    }

    #[test]
    fn a_bad_date_is_reported_with_its_path_and_position() {
        let text = "{\"eventline\": 1, \"title\": \"T\", \"events\": [\n  {\"id\": \"a\", \"title\": \"ok\", \"kind\": \"call\", \"when\": {\"start\": \"2022-08-05\"}},\n  {\"id\": \"b\", \"title\": \"bad\", \"kind\": \"call\", \"when\": {\"start\": \"2022-02-30\"}}\n]}";
        let loaded = read_str(text).unwrap();
        assert_eq!(loaded.dataset.events.len(), 1);
        assert_eq!(loaded.skipped, 1);
        let p = &loaded.problems[0];
        assert_eq!(p.field.as_deref(), Some("events[1].when.start"));
        assert_eq!(p.line, Some(3));
        assert!(
            p.message.contains("`2022-02-30` is not a date"),
            "{}",
            p.message
        );
        // The column points into the offending event.
        assert!(p.column.unwrap() > 40, "{:?}", p.column);
    }

    #[test]
    fn json_that_is_not_a_dataset_is_named() {
        let err = read_str("{\"events\": []}").unwrap_err();
        assert!(
            err.to_string().contains("not an Eventline dataset"),
            "{err}"
        );
        let err = read_str("{\"eventline\": 9, \"events\": []}").unwrap_err();
        assert!(err.to_string().contains("version 9"), "{err}");
        let err = read_str("{\"eventline\": 1, \"events\": [}").unwrap_err();
        assert!(matches!(err, LoadError::Syntax { line: 1, .. }), "{err}");
    }

    #[test]
    fn deeply_nested_json_is_an_error_not_a_crash() {
        let mut text = String::from("{\"eventline\": 1, \"events\": [");
        text.push_str(&"[".repeat(100_000));
        let err = read_str(&text).unwrap_err();
        assert!(matches!(err, LoadError::Syntax { .. }));
    }

    #[test]
    fn binary_garbage_is_refused() {
        let err = read(Path::new("x.json"), b"{\"eventline\": 1, \xff\xfe}").unwrap_err();
        assert!(err.to_string().contains("not UTF-8"), "{err}");
    }

    #[test]
    fn a_large_file_read_on_every_core_keeps_order_and_names_its_bad_events() {
        // Over 10 000 events a block is split between workers; over 65 536
        // the blocks are three, parsed while the one before is taken in.
        let d = crate::synth::generate(70_000, 4, true);
        let mut out = Vec::new();
        write_to(&d, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        // One event per line after the header: break two of them, and
        // give a third the id of the first.
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let first_event = lines
            .iter()
            .position(|l| l.trim_start().starts_with("{\"id\""))
            .unwrap();
        let first_id = d.events.id(0).to_string();
        let (bad_a, bad_b, twin) = (first_event + 7, first_event + 40_001, first_event + 69_000);
        lines[bad_a] = lines[bad_a].replacen("\"title\":", "\"titel\":", 1);
        lines[bad_b] = lines[bad_b].replacen("\"title\":", "\"titel\":", 1);
        let twin_id = d.events.id(69_000).to_string();
        lines[twin] = lines[twin].replacen(
            &format!("\"id\":\"{twin_id}\""),
            &format!("\"id\":\"{first_id}\""),
            1,
        );
        let l = read_str(&lines.join("\n")).unwrap();
        assert_eq!(l.dataset.events.len(), 70_000 - 2);
        assert_eq!(l.skipped, 2);
        let errors: Vec<&Problem> = l
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].field.as_deref(), Some("events[7].titel"));
        assert_eq!(errors[0].line, Some(bad_a as u64 + 1));
        assert_eq!(errors[1].field.as_deref(), Some("events[40001].titel"));
        assert_eq!(errors[1].line, Some(bad_b as u64 + 1));
        assert!(
            l.problems.iter().any(|p| p.severity == Severity::Warning
                && p.field.as_deref() == Some("events[69000].id"))
        );
        // The rest in file order.
        let expected: Vec<&str> = (0..70_000)
            .filter(|&i| i != 7 && i != 40_001)
            .map(|i| d.events.id(i))
            .collect();
        let ids: Vec<&str> = (0..l.dataset.events.len())
            .map(|i| l.dataset.events.id(i))
            .collect();
        assert_eq!(ids[..68_997], expected[..68_997]);
    }

    #[test]
    fn a_file_of_another_version_is_refused_without_parsing_its_events() {
        let mut out = Vec::new();
        write_to(&crate::synth::generate(40_000, 3, true), &mut out).unwrap();
        let text =
            String::from_utf8(out)
                .unwrap()
                .replacen("\"eventline\": 1", "\"eventline\": 2", 1);
        let progress = std::sync::Arc::new(crate::io::progress::ParseProgress::default());
        let err = crate::io::progress::with(&progress, || read_str(&text)).unwrap_err();
        assert!(err.to_string().contains("version 2"), "{err}");
        assert_eq!(progress.events(), 0);
    }

    #[test]
    fn duplicate_ids_are_warned_about() {
        let text = r#"{"eventline": 1, "events": [
{"id": "a", "title": "one", "kind": "call", "when": {"start": "2022"}},
{"id": "a", "title": "two", "kind": "call", "when": {"start": "2022"}}]}"#;
        let loaded = read_str(text).unwrap();
        assert_eq!(loaded.dataset.events.len(), 2);
        assert_eq!(loaded.problems[0].severity, Severity::Warning);
        assert_eq!(loaded.problems[0].line, Some(3));
    }
}

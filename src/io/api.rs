//! An API's JSON answer (ACLED's, UCDP's: each described by its format's
//! [`Api`]) read by that format's own CSV reader. An answer is an envelope
//! with a list of rows, each row an object with the CSV export's column
//! names; a bare list of such rows is read too.
//!
//! The rows are laid out as the CSV the format's reader takes (one column
//! per key, in the order the keys first appear), so a row from the API
//! becomes exactly the event the same row in a CSV export becomes, and
//! every rule those readers have (dates, precision, kinds, actors,
//! casualties, `extra`) holds for both without a second copy. The problems
//! they report are then moved back onto the JSON: the field becomes its
//! JSON path (`data[3].event_date`) and the line and column those of the
//! value in the file.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::error::LoadError;
use super::json::{bare_message, inner_position, offset_in};
use super::loaded::Loaded;
use super::names::display_name;
use super::options::LoadOptions;
use super::report::{Problem, Severity};
use super::text::{shorten, utf8_text};

/// What tells one API's answer from another's.
pub(crate) struct Api {
    /// "an ACLED API response"
    pub what: &'static str,
    /// The key of the list of rows.
    pub rows: &'static str,
    /// Keys a row cannot do without (the CSV reader's required columns).
    pub required: [&'static str; 3],
    /// Dataset title: "ACLED API: file".
    pub title: &'static str,
    pub read_csv: fn(&Path, &[u8], &LoadOptions) -> Result<Loaded, LoadError>,
    /// Check the envelope of an answer: an error answer is refused in its
    /// own words (the error is a sentence for [`LoadError::Invalid`]);
    /// what the answer says about itself becomes warnings, or words in the
    /// dataset's description.
    pub check_envelope:
        for<'a> fn(&Members<'a>, &mut Vec<Warning<'a>>, &mut String) -> Result<(), String>,
    /// The row count the envelope states, when it states one for the rows
    /// it holds.
    pub count: fn(&Members) -> Option<u64>,
}

/// A warning about an answer: the value it is about (for its place), its
/// JSON path (empty for the answer as a whole), and words.
pub(crate) type Warning<'a> = (Option<&'a RawValue>, String, String);

/// A JSON object's members in file order, values unparsed.
pub(crate) struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Members<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, &'de RawValue>()? {
                    out.push((k, v));
                }
                Ok(Members(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'a> Members<'a> {
    /// The last value of `key` (JSON readers keep the last of repeats).
    pub(crate) fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| *v)
    }
}

/// A cell's text for the CSV: strings unescaped, numbers and booleans as
/// written, `null` empty, objects and lists as their JSON.
pub(crate) fn cell_text(raw: &RawValue) -> String {
    let t = raw.get().trim();
    match t.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(t).unwrap_or_else(|_| t.to_string()),
        Some(b'n') if t == "null" => String::new(),
        _ => t.to_string(),
    }
}

/// A number written as a number or as text.
pub(crate) fn number(raw: &RawValue) -> Option<u64> {
    cell_text(raw).trim().parse().ok()
}

/// Line and 1-based column (in characters) of byte offsets asked for in
/// increasing order, in time linear in the text however long its lines
/// are: an API answer is often one line of many megabytes.
struct Cursor<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
    column: u64,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Cursor<'a> {
        Cursor {
            bytes: text.as_bytes(),
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    fn position(&mut self, offset: usize) -> (u64, u64) {
        let offset = offset.min(self.bytes.len());
        if offset < self.offset {
            *self = Cursor {
                bytes: self.bytes,
                offset: 0,
                line: 1,
                column: 1,
            };
        }
        for &b in &self.bytes[self.offset..offset] {
            if b == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if b & 0xC0 != 0x80 {
                // Not a continuation byte: a character starts here.
                self.column += 1;
            }
        }
        self.offset = offset;
        (self.line, self.column)
    }
}

/// One JSON row laid out as a CSV record.
struct RowPlace<'a> {
    /// Index in the JSON list.
    index: usize,
    /// 1-based line the record starts on in the CSV.
    csv_line: u64,
    raw: &'a RawValue,
}

fn keys_shown(keys: &[String]) -> String {
    let mut shown: Vec<String> = keys
        .iter()
        .take(12)
        .map(|k| format!("`{}`", shorten(k, 30)))
        .collect();
    if keys.len() > 12 {
        shown.push(format!("and {} more", keys.len() - 12));
    }
    if shown.is_empty() {
        "none".into()
    } else {
        shown.join(", ")
    }
}

/// Read an answer of `api` (see the module's doc).
pub(crate) fn read(
    api: &Api,
    path: &Path,
    bytes: &[u8],
    options: &LoadOptions,
) -> Result<Loaded, LoadError> {
    let invalid = |message: String| LoadError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let text = utf8_text(bytes).map_err(|(line, column)| LoadError::Syntax {
        path: path.to_path_buf(),
        line,
        column,
        message: "the file is not UTF-8 text, as JSON must be".into(),
    })?;
    let top: &RawValue = serde_json::from_str(text).map_err(|e| LoadError::Syntax {
        path: path.to_path_buf(),
        line: e.line() as u64,
        column: e.column() as u64,
        message: bare_message(&e),
    })?;
    let mut warnings: Vec<Warning> = Vec::new();
    let mut description = format!("Read from {}", api.what);
    let (list, rows_path) = row_list(api, top, &mut warnings, &mut description).map_err(invalid)?;

    // Lay the rows out as CSV: one column per key, in first-seen order.
    // Rows are parsed once for their keys and again, one at a time, for
    // their values, so memory holds the CSV text and not every row's map.
    let Layout {
        header,
        column_of,
        mut places,
        skipped_rows,
    } = lay_out(api, &list).map_err(invalid)?;
    let csv_text = write_csv(&header, &column_of, &mut places, &rows_path, &mut warnings)
        .map_err(|e| invalid(format!("cannot be laid out as rows: {e}")))?;
    let mut loaded = (api.read_csv)(path, &csv_text, options)?;

    // Move what the CSV reader said back onto the JSON. Rows are found in
    // file order, so one pass places them all; a value is placed from its
    // row.
    let mut cursor = Cursor::new(text);
    let row_pos: Vec<(u64, u64)> = places
        .iter()
        .map(|p| cursor.position(offset_in(text, p.raw.get())))
        .collect();
    let mut problems = relocate_problems(
        text,
        (&places, &row_pos),
        &rows_path,
        warnings,
        &skipped_rows,
        std::mem::take(&mut loaded.problems),
    );
    problems.sort_by_key(|p| p.line.unwrap_or(0));
    // Lines of the records' rows in the API response (the table reader
    // counted lines of the flattened table).
    let mut events: Vec<crate::model::Event> = loaded.dataset.events.to_vec();
    for event in &mut events {
        if let Some(prov) = event.provenance.as_mut()
            && let Some(r) = prov.line.and_then(|l| record_of(&places, l))
        {
            prov.line = Some(row_pos[r].0);
        }
    }
    loaded.dataset.events = events.into();
    loaded.problems = problems;
    loaded.skipped += skipped_rows.len();
    loaded.dataset.title = format!("{}: {}", api.title, display_name(path));
    loaded.dataset.description = description;
    Ok(loaded)
}

/// The list of rows of the answer `top` and its JSON path (empty for a bare
/// list). The envelope is checked by `api` first, and a row count it states
/// that the list does not hold is a warning. `Err` is why the answer is not
/// one of `api`'s (a sentence for [`LoadError::Invalid`]).
fn row_list<'a>(
    api: &Api,
    top: &'a RawValue,
    warnings: &mut Vec<Warning<'a>>,
    description: &mut String,
) -> Result<(Vec<&'a RawValue>, String), String> {
    let (rows_raw, rows_path) = if top.get().starts_with('[') {
        (top, String::new())
    } else {
        let envelope: Members = serde_json::from_str(top.get())
            .map_err(|_| format!("is JSON but not {}: it is not an object", api.what))?;
        (api.check_envelope)(&envelope, warnings, description)?;
        let Some(rows) = envelope.get(api.rows) else {
            let keys: Vec<String> = envelope.0.iter().map(|(k, _)| k.clone()).collect();
            return Err(format!(
                "has no `{}` list of rows, so it is not {} (its keys: {})",
                api.rows,
                api.what,
                keys_shown(&keys)
            ));
        };
        (rows, api.rows.to_string())
    };
    let list: Vec<&RawValue> = serde_json::from_str(rows_raw.get()).map_err(|_| {
        format!(
            "`{}` is not a list of rows, so it is not {}",
            if rows_path.is_empty() {
                "the top level"
            } else {
                rows_path.as_str()
            },
            api.what
        )
    })?;
    if let Some(count) = envelope_count(api, top) {
        let n = list.len() as u64;
        if count != n {
            warnings.push((
                None,
                String::new(),
                format!(
                    "the response says it holds {count} rows but it holds {n}; the {n} were read"
                ),
            ));
        }
    }
    Ok((list, rows_path))
}

/// The JSON path of row `index` of the list at `rows_path`.
fn row_path(rows_path: &str, index: usize) -> String {
    format!("{rows_path}[{index}]")
}

/// The rows of an answer as the columns of a CSV: see [`lay_out`].
struct Layout<'a> {
    /// One column per key, in the order the keys first appear.
    header: Vec<String>,
    column_of: HashMap<String, usize>,
    /// The rows that are objects, in list order.
    places: Vec<RowPlace<'a>>,
    /// The rows that are not objects: index in the list, and the value.
    skipped_rows: Vec<(usize, &'a RawValue)>,
}

/// The header: which column is which, from the keys of the rows in the
/// order they first appear (the required ones alone when no row is an
/// object), and which rows are objects. `Err` (a sentence for
/// [`LoadError::Invalid`]) when rows lack a key `api` requires.
fn lay_out<'a>(api: &Api, list: &[&'a RawValue]) -> Result<Layout<'a>, String> {
    let mut header: Vec<String> = Vec::new();
    let mut column_of: HashMap<String, usize> = HashMap::new();
    let mut places: Vec<RowPlace> = Vec::with_capacity(list.len());
    let mut skipped_rows: Vec<(usize, &RawValue)> = Vec::new();
    for (index, raw) in list.iter().copied().enumerate() {
        match serde_json::from_str::<Members>(raw.get()) {
            Ok(members) => {
                for (k, _) in members.0 {
                    if !column_of.contains_key(&k) {
                        column_of.insert(k.clone(), header.len());
                        header.push(k);
                    }
                }
                places.push(RowPlace {
                    index,
                    csv_line: 0,
                    raw,
                });
            }
            Err(_) => skipped_rows.push((index, raw)),
        }
    }
    if let Some(missing) = api
        .required
        .iter()
        .find(|r| !header.iter().any(|h| h.as_str() == **r))
        && !places.is_empty()
    {
        return Err(format!(
            "its rows have no `{missing}` field, so it is not {} (their fields: {})",
            api.what,
            keys_shown(&header)
        ));
    }
    if places.is_empty() {
        header = api.required.iter().map(|s| s.to_string()).collect();
    }
    Ok(Layout {
        header,
        column_of,
        places,
        skipped_rows,
    })
}

/// The CSV text: the header, then each row's cells under their columns,
/// each row's first CSV line noted in its place. A key given twice in a
/// row is a warning (the last value is read). `Err` is the CSV writer's.
fn write_csv<'a>(
    header: &[String],
    column_of: &HashMap<String, usize>,
    places: &mut [RowPlace<'a>],
    rows_path: &str,
    warnings: &mut Vec<Warning<'a>>,
) -> Result<Vec<u8>, String> {
    // One writer for the whole text, flushed after each record to count the
    // lines it took (a value may hold line breaks).
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut counted = 0usize;
    let mut line = 1u64;
    let mut write = |w: &mut csv::Writer<Vec<u8>>, cells: &[String]| -> Result<u64, String> {
        w.write_record(cells).map_err(|e| e.to_string())?;
        w.flush().map_err(|e| e.to_string())?;
        let written = w.get_ref();
        let lines = written[counted..].iter().filter(|&&b| b == b'\n').count() as u64;
        counted = written.len();
        Ok(lines)
    };
    line += write(&mut w, header)?;
    let mut cells = vec![String::new(); header.len()];
    for place in places.iter_mut() {
        for c in cells.iter_mut() {
            c.clear();
        }
        let members: Members = serde_json::from_str(place.raw.get()).unwrap_or(Members(Vec::new()));
        let mut seen = vec![false; header.len()];
        for (k, v) in &members.0 {
            let Some(&col) = column_of.get(k) else {
                continue;
            };
            if seen[col] {
                warnings.push((
                    Some(*v),
                    format!("{}.{k}", row_path(rows_path, place.index)),
                    format!("`{k}` is given twice in the row; the last value was read"),
                ));
            }
            seen[col] = true;
            cells[col] = cell_text(v);
        }
        place.csv_line = line;
        line += write(&mut w, &cells)?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// The row (index in `places`) whose CSV record holds CSV line `csv_line`.
fn record_of(places: &[RowPlace], csv_line: u64) -> Option<usize> {
    places
        .partition_point(|p| p.csv_line <= csv_line)
        .checked_sub(1)
}

/// The problems placed on the JSON, in this order: the answer's own
/// `warnings`, the rows that are not objects, then what the CSV reader
/// said (`csv_problems`), each moved from its CSV line to its row (at
/// `row_pos`) or the row's value, its field to its JSON path, and each
/// "on line N" in its words to the row it names.
fn relocate_problems(
    text: &str,
    (places, row_pos): (&[RowPlace], &[(u64, u64)]),
    rows_path: &str,
    warnings: Vec<Warning>,
    skipped_rows: &[(usize, &RawValue)],
    csv_problems: Vec<Problem>,
) -> Vec<Problem> {
    let mut problems = Vec::with_capacity(csv_problems.len() + warnings.len());
    let mut cursor = Cursor::new(text);
    for (at, field, message) in warnings {
        let (l, c) = at.map_or((None, None), |raw| {
            let (l, c) = cursor.position(offset_in(text, raw.get()));
            (Some(l), Some(c))
        });
        problems.push(Problem {
            severity: Severity::Warning,
            line: l,
            column: c,
            field: (!field.is_empty()).then_some(field),
            message,
        });
    }
    let mut cursor = Cursor::new(text);
    for (index, raw) in skipped_rows {
        let (l, c) = cursor.position(offset_in(text, raw.get()));
        problems.push(Problem {
            severity: Severity::Error,
            line: Some(l),
            column: Some(c),
            field: Some(row_path(rows_path, *index)),
            message: "the row is not an object of fields; it was skipped".into(),
        });
    }
    for p in csv_problems {
        let Some(r) = p.line.and_then(|l| record_of(places, l)) else {
            problems.push(p);
            continue;
        };
        let place = &places[r];
        let members: Members = serde_json::from_str(place.raw.get()).unwrap_or(Members(Vec::new()));
        let (l, c) = match p.field.as_deref().and_then(|f| members.get(f)) {
            Some(value) => inner_position(row_pos[r], place.raw.get(), value.get()),
            None => row_pos[r],
        };
        let field = match &p.field {
            Some(f) => format!("{}.{f}", row_path(rows_path, place.index)),
            None => row_path(rows_path, place.index),
        };
        let message = relocate_lines(&p.message, |csv_line| {
            let other = record_of(places, csv_line)?;
            Some(format!(
                "in {} on line {}",
                row_path(rows_path, places[other].index),
                row_pos[other].0
            ))
        });
        problems.push(Problem {
            severity: p.severity,
            line: Some(l),
            column: Some(c),
            field: Some(field),
            message,
        });
    }
    problems
}

/// The row count an envelope states (see [`Api::count`]).
fn envelope_count(api: &Api, top: &RawValue) -> Option<u64> {
    let envelope: Members = serde_json::from_str(top.get()).ok()?;
    (api.count)(&envelope)
}

/// Rewrite each "on line N" in a CSV reader's message (a row it refers to)
/// with `place(N)`, where that names a row.
fn relocate_lines(message: &str, mut place: impl FnMut(u64) -> Option<String>) -> String {
    const NEEDLE: &str = "on line ";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(NEEDLE) {
        let after = &rest[i + NEEDLE.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let replaced = after[..digits].parse::<u64>().ok().and_then(&mut place);
        out.push_str(&rest[..i]);
        match replaced {
            Some(r) => out.push_str(&r),
            None => out.push_str(&rest[i..i + NEEDLE.len() + digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_on_long_lines() {
        let text = "ab\néé{x\n\"y\"";
        let mut c = Cursor::new(text);
        assert_eq!(c.position(0), (1, 1));
        assert_eq!(c.position(text.find('{').unwrap()), (2, 3));
        assert_eq!(c.position(text.find('"').unwrap()), (3, 1));
        assert_eq!(c.position(1), (1, 2));
        assert_eq!(c.position(usize::MAX), (3, 4));
    }

    #[test]
    fn lines_in_messages_are_moved() {
        let moved = relocate_lines("also used by the row on line 12; and on line x", |n| {
            Some(format!("in data[{n}]"))
        });
        assert_eq!(moved, "also used by the row in data[12]; and on line x");
    }
}

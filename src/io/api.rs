//! The JSON the ACLED and UCDP APIs answer with:
//!
//! - ACLED (`/api/acled/read`): `{"status": 200, "success": true,
//!   "last_update", "count", "messages": [], "data": [row…], "filename"}`,
//!   each row with the CSV export's column names and every value a string;
//! - UCDP (`/api/gedevents/<version>`): `{"TotalCount", "TotalPages",
//!   "PreviousPageUrl", "NextPageUrl", "Result": [row…]}`, rows with the GED
//!   CSV's column names and numbers as numbers.
//!
//! A bare list of such rows is read too.
//!
//! The rows are read by the CSV readers themselves ([`super::acled`],
//! [`super::ucdp`]): the rows are laid out as the CSV those readers take
//! (one column per key, in the order the keys first appear), so a row from
//! the API becomes exactly the event the same row in a CSV export becomes,
//! and every rule those readers have (dates, precision, kinds, actors,
//! casualties, `extra`) holds for both without a second copy. The problems
//! they report are then moved back onto the JSON: the field becomes its
//! JSON path (`data[3].event_date`) and the line and column those of the
//! value in the file.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::text::utf8_text;
use super::{Format, LoadError, LoadOptions, Loaded, Problem, Severity, display_name};

/// What tells one API's answer from another's.
struct Api {
    format: Format,
    /// "an ACLED API response"
    what: &'static str,
    /// The key of the list of rows.
    rows: &'static str,
    /// Keys a row cannot do without (the CSV reader's required columns).
    required: [&'static str; 3],
    /// Dataset title: "ACLED API: file".
    title: &'static str,
    read_csv: fn(&Path, &[u8], &LoadOptions) -> Result<Loaded, LoadError>,
}

const ACLED: Api = Api {
    format: Format::Acled,
    what: "an ACLED API response",
    rows: "data",
    required: ["event_id_cnty", "event_date", "event_type"],
    title: "ACLED API",
    read_csv: super::acled::read_with,
};

const UCDP: Api = Api {
    format: Format::Ucdp,
    what: "a UCDP API page",
    rows: "Result",
    required: ["id", "date_start", "type_of_violence"],
    title: "UCDP GED API",
    read_csv: super::ucdp::read_with,
};

/// Read the ACLED API's JSON (or a bare list of its rows).
pub fn read_acled(path: &Path, bytes: &[u8], options: &LoadOptions) -> Result<Loaded, LoadError> {
    read(&ACLED, path, bytes, options)
}

/// Read a page of the UCDP GED API's JSON (or a bare list of its rows).
pub fn read_ucdp(path: &Path, bytes: &[u8], options: &LoadOptions) -> Result<Loaded, LoadError> {
    read(&UCDP, path, bytes, options)
}

/// A JSON object's members in file order, values unparsed.
struct Members<'a>(Vec<(String, &'a RawValue)>);

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
    fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| *v)
    }
}

/// A cell's text for the CSV: strings unescaped, numbers and booleans as
/// written, `null` empty, objects and lists as their JSON.
fn cell_text(raw: &RawValue) -> String {
    let t = raw.get().trim();
    match t.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(t).unwrap_or_else(|_| t.to_string()),
        Some(b'n') if t == "null" => String::new(),
        _ => t.to_string(),
    }
}

/// A number written as a number or as text.
fn number(raw: &RawValue) -> Option<u64> {
    cell_text(raw).trim().parse().ok()
}

/// serde_json appends " at line L column C" to its messages; positions are
/// given in fields of their own.
fn bare_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Byte offset of `inner`, a slice of `outer`.
fn offset_in(outer: &str, inner: &str) -> usize {
    (inner.as_ptr() as usize)
        .saturating_sub(outer.as_ptr() as usize)
        .min(outer.len())
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

/// Line and column of `inner`, a slice of `outer`, given `outer`'s own.
fn inner_position(base: (u64, u64), outer: &str, inner: &str) -> (u64, u64) {
    let before = outer.get(..offset_in(outer, inner)).unwrap_or("");
    match before.rfind('\n') {
        None => (base.0, base.1 + before.chars().count() as u64),
        Some(i) => (
            base.0 + before.matches('\n').count() as u64,
            before[i + 1..].chars().count() as u64 + 1,
        ),
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
        .map(|k| format!("`{}`", super::csvutil::shorten(k, 30)))
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

fn read(api: &Api, path: &Path, bytes: &[u8], options: &LoadOptions) -> Result<Loaded, LoadError> {
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
    let mut warnings: Vec<(Option<&RawValue>, String, String)> = Vec::new();
    let mut description = format!("Read from {}", api.what);
    let (rows_raw, rows_path) = if top.get().starts_with('[') {
        (top, String::new())
    } else {
        let envelope: Members = serde_json::from_str(top.get())
            .map_err(|_| invalid(format!("is JSON but not {}: it is not an object", api.what)))?;
        check_envelope(api, &envelope, &mut warnings, &mut description).map_err(invalid)?;
        let Some(rows) = envelope.get(api.rows) else {
            let keys: Vec<String> = envelope.0.iter().map(|(k, _)| k.clone()).collect();
            return Err(invalid(format!(
                "has no `{}` list of rows, so it is not {} (its keys: {})",
                api.rows,
                api.what,
                keys_shown(&keys)
            )));
        };
        (rows, api.rows.to_string())
    };
    let list: Vec<&RawValue> = serde_json::from_str(rows_raw.get()).map_err(|_| {
        invalid(format!(
            "`{}` is not a list of rows, so it is not {}",
            if rows_path.is_empty() {
                "the top level"
            } else {
                rows_path.as_str()
            },
            api.what
        ))
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
    let row_path = |i: usize| format!("{rows_path}[{i}]");

    // Lay the rows out as CSV: one column per key, in first-seen order.
    // Rows are parsed once for their keys and again, one at a time, for
    // their values, so memory holds the CSV text and not every row's map.
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
        return Err(invalid(format!(
            "its rows have no `{missing}` field, so it is not {} (their fields: {})",
            api.what,
            keys_shown(&header)
        )));
    }
    if places.is_empty() {
        header = api.required.iter().map(|s| s.to_string()).collect();
    }
    // One writer for the whole text, flushed after each record to count the
    // lines it took (a value may hold line breaks).
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let laid_out = |e: String| invalid(format!("cannot be laid out as rows: {e}"));
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
    line += write(&mut w, &header).map_err(laid_out)?;
    let mut cells = vec![String::new(); header.len()];
    for place in &mut places {
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
                    format!("{}.{k}", row_path(place.index)),
                    format!("`{k}` is given twice in the row; the last value was read"),
                ));
            }
            seen[col] = true;
            cells[col] = cell_text(v);
        }
        place.csv_line = line;
        line += write(&mut w, &cells).map_err(laid_out)?;
    }

    let csv_text = w.into_inner().map_err(|e| laid_out(e.to_string()))?;
    let mut loaded = (api.read_csv)(path, &csv_text, options)?;

    // Move what the CSV reader said back onto the JSON. Rows are found in
    // file order, so one pass places them all; a value is placed from its
    // row.
    let mut cursor = Cursor::new(text);
    let row_pos: Vec<(u64, u64)> = places
        .iter()
        .map(|p| cursor.position(offset_in(text, p.raw.get())))
        .collect();
    let record_of = |csv_line: u64| -> Option<usize> {
        places
            .partition_point(|p| p.csv_line <= csv_line)
            .checked_sub(1)
    };
    let mut problems = Vec::with_capacity(loaded.problems.len() + warnings.len());
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
    for (index, raw) in &skipped_rows {
        let (l, c) = cursor.position(offset_in(text, raw.get()));
        problems.push(Problem {
            severity: Severity::Error,
            line: Some(l),
            column: Some(c),
            field: Some(row_path(*index)),
            message: "the row is not an object of fields; it was skipped".into(),
        });
    }
    for p in std::mem::take(&mut loaded.problems) {
        let Some(r) = p.line.and_then(record_of) else {
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
            Some(f) => format!("{}.{f}", row_path(place.index)),
            None => row_path(place.index),
        };
        let message = relocate_lines(&p.message, |csv_line| {
            let other = record_of(csv_line)?;
            Some(format!(
                "in {} on line {}",
                row_path(places[other].index),
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
    problems.sort_by_key(|p| p.line.unwrap_or(0));
    // Lines of the records' rows in the API response (the table reader
    // counted lines of the flattened table).
    let mut events: Vec<crate::model::Event> = loaded.dataset.events.to_vec();
    for event in &mut events {
        if let Some(prov) = event.provenance.as_mut()
            && let Some(r) = prov.line.and_then(record_of)
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

/// Check the envelope of an API answer: an error answer is refused in its
/// own words, messages and a partial page are warnings.
fn check_envelope<'a>(
    api: &Api,
    envelope: &Members<'a>,
    warnings: &mut Vec<(Option<&'a RawValue>, String, String)>,
    description: &mut String,
) -> Result<(), String> {
    let text = |key: &str| envelope.get(key).map(cell_text);
    match api.format {
        Format::Acled => {
            let success = text("success");
            let status = text("status");
            let failed = success.as_deref() == Some("false")
                || status
                    .as_deref()
                    .is_some_and(|s| !s.is_empty() && s != "200");
            if failed {
                let why = ["error", "messages", "message"]
                    .iter()
                    .find_map(|&k| text(k))
                    .filter(|s| !s.is_empty() && s != "[]")
                    .map_or_else(String::new, |s| {
                        format!(": {}", super::csvutil::shorten(&s, 300))
                    });
                return Err(format!(
                    "is an ACLED API error response (status {}, no rows){why}",
                    status.as_deref().unwrap_or("unknown")
                ));
            }
            if let Some(raw) = envelope.get("messages")
                && let Ok(list) = serde_json::from_str::<Vec<&RawValue>>(raw.get())
            {
                for (i, m) in list.into_iter().enumerate() {
                    warnings.push((
                        Some(m),
                        format!("messages[{i}]"),
                        format!(
                            "the API says: {}",
                            super::csvutil::shorten(&cell_text(m), 300)
                        ),
                    ));
                }
            }
            if let Some(t) = text("last_update").filter(|s| !s.is_empty()) {
                description.push_str(&format!(" (last_update {t})"));
            }
        }
        _ => {
            let pages = envelope.get("TotalPages").and_then(number);
            let next = text("NextPageUrl").filter(|s| !s.is_empty());
            if pages.is_some_and(|p| p > 1) || next.is_some() {
                let total = envelope
                    .get("TotalCount")
                    .and_then(number)
                    .map_or_else(String::new, |n| format!(" of {n} rows"));
                let pages = pages.map_or_else(String::new, |p| format!(" in {p} pages"));
                let next = next.map_or_else(String::new, |u| {
                    format!("; the next page is at {}", super::csvutil::shorten(&u, 200))
                });
                warnings.push((
                    envelope
                        .get("TotalPages")
                        .or_else(|| envelope.get("NextPageUrl")),
                    "TotalPages".into(),
                    format!(
                        "this file is one page of the API's answer{total}{pages}: only its own rows were read{next}"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The row count an envelope states: ACLED's `count`; UCDP's `TotalCount`
/// when the answer is one page.
fn envelope_count(api: &Api, top: &RawValue) -> Option<u64> {
    let envelope: Members = serde_json::from_str(top.get()).ok()?;
    match api.format {
        Format::Acled => envelope.get("count").and_then(number),
        _ => {
            let pages = envelope.get("TotalPages").and_then(number);
            let next = envelope.get("NextPageUrl").map(cell_text);
            if pages.is_some_and(|p| p > 1) || next.is_some_and(|u| !u.is_empty()) {
                return None;
            }
            envelope.get("TotalCount").and_then(number)
        }
    }
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
    use proptest::prelude::*;

    fn acled(text: &str) -> Result<Loaded, LoadError> {
        read_acled(
            Path::new("acled.json"),
            text.as_bytes(),
            &LoadOptions::default(),
        )
    }

    const ROW: &str = r#"{"event_id_cnty": "AZE1", "event_date": "2022-08-03", "year": "2022", "time_precision": "1", "event_type": "Battles", "sub_event_type": "Armed clash", "actor1": "Military Forces of Azerbaijan (2003-)", "actor2": "Military Forces of Nagorno-Karabakh", "country": "Azerbaijan", "location": "Saribaba", "latitude": "39.64", "longitude": "46.45", "fatalities": "3", "notes": "Line one\nline \"two\", with a comma"}"#;

    #[test]
    fn a_row_is_read_as_the_csv_reader_reads_it() {
        let text = format!(r#"{{"status": 200, "success": true, "count": 1, "data": [{ROW}]}}"#);
        let l = acled(&text).unwrap();
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        let e = l.dataset.events.get(0).unwrap();
        assert_eq!(e.id, "AZE1");
        assert_eq!(e.kind, "clash");
        assert_eq!(e.when.start.to_text(), "2022-08-03");
        assert_eq!(e.description, "Line one\nline \"two\", with a comma");
        assert_eq!(e.casualties.as_ref().and_then(|c| c.best), Some(3));
        assert_eq!(l.format, Format::Acled);
    }

    #[test]
    fn problems_point_into_the_json() {
        let bad = ROW.replace("2022-08-03", "2022-02-30");
        let text = format!("{{\"data\": [\n{ROW},\n{ROW},\n  {bad}\n]}}");
        let l = acled(&text).unwrap();
        assert_eq!(l.dataset.events.len(), 2);
        assert_eq!(l.skipped, 1);
        let date = l
            .problems
            .iter()
            .find(|p| p.severity == Severity::Error)
            .unwrap();
        assert_eq!(date.field.as_deref(), Some("data[2].event_date"));
        assert_eq!(date.line, Some(4));
        let col = bad.find("\"2022-02-30\"").unwrap() as u64 + 3;
        assert_eq!(date.column, Some(col));
        let dup = l
            .problems
            .iter()
            .find(|p| p.message.contains("also used"))
            .unwrap();
        assert_eq!(dup.line, Some(3));
        assert_eq!(dup.field.as_deref(), Some("data[1].event_id_cnty"));
        assert!(
            dup.message.contains("in data[0] on line 2"),
            "{}",
            dup.message
        );
        let lines: Vec<Option<u64>> = l
            .dataset
            .events
            .iter()
            .map(|e| e.provenance.as_ref().and_then(|p| p.line))
            .collect();
        assert_eq!(lines, [Some(2), Some(3)]);
    }

    #[test]
    fn an_error_answer_is_refused_in_its_own_words() {
        let err =
            acled(r#"{"status": 403, "success": false, "error": {"message": "Access denied"}}"#)
                .unwrap_err();
        assert!(err.to_string().contains("status 403"), "{err}");
        assert!(err.to_string().contains("Access denied"), "{err}");
        let err = acled(r#"{"status": 200, "rows": []}"#).unwrap_err();
        assert!(err.to_string().contains("no `data` list"), "{err}");
        let err = acled(r#"{"data": [{"name": "x"}]}"#).unwrap_err();
        assert!(
            err.to_string().contains("no `event_id_cnty` field"),
            "{err}"
        );
    }

    #[test]
    fn an_empty_answer_is_an_empty_dataset() {
        let l = acled(r#"{"status": 200, "success": true, "count": 0, "data": []}"#).unwrap();
        assert!(l.dataset.events.is_empty());
        assert!(l.problems.is_empty(), "{:?}", l.problems);
    }

    #[test]
    fn counts_messages_and_odd_rows_are_reported() {
        let text = format!(
            r#"{{"success": true, "count": 3, "messages": ["Limit reached"], "data": [{ROW}, 7]}}"#
        );
        let l = acled(&text).unwrap();
        assert_eq!(l.dataset.events.len(), 1);
        assert_eq!(l.skipped, 1);
        let all: Vec<String> = l.problems.iter().map(|p| p.to_string()).collect();
        assert!(
            all.iter()
                .any(|p| p.contains("holds 3 rows but it holds 2")),
            "{all:?}"
        );
        assert!(all.iter().any(|p| p.contains("Limit reached")), "{all:?}");
        assert!(all.iter().any(|p| p.contains("data[1]")), "{all:?}");
    }

    #[test]
    fn a_key_given_twice_is_read_as_json_readers_do_and_said() {
        let text = r#"{"data": [{"event_id_cnty": "A1", "event_date": "2022-08-03", "event_type": "Battles", "event_id_cnty": "A2"}]}"#;
        let l = acled(text).unwrap();
        assert_eq!(l.dataset.events.get(0).unwrap().id, "A2");
        let p = &l.problems[0];
        assert_eq!(p.field.as_deref(), Some("data[0].event_id_cnty"));
        assert!(p.message.contains("given twice"), "{}", p.message);
        assert_eq!(p.column, Some(text.rfind("\"A2\"").unwrap() as u64 + 1));
    }

    #[test]
    fn ucdp_numbers_are_read_as_written() {
        let text = r#"{"TotalCount": 1, "TotalPages": 1, "NextPageUrl": "", "Result": [{"id": 337050, "type_of_violence": 1, "side_a": "Government of Azerbaijan", "side_b": "Republic of Artsakh", "date_start": "2020-09-27T00:00:00", "date_end": "2020-09-28T00:00:00", "latitude": 39.6003, "longitude": 47.1431, "best": 26, "low": 20, "high": 40, "country_id": 373}]}"#;
        let l = read_ucdp(
            Path::new("ged.json"),
            text.as_bytes(),
            &LoadOptions::default(),
        )
        .unwrap();
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        let e = l.dataset.events.get(0).unwrap();
        assert_eq!(e.id, "ucdp-337050");
        assert_eq!(e.when.start.to_text(), "2020-09-27/2020-09-28");
        assert_eq!(e.place.as_ref().and_then(|p| p.lat), Some(39.6003));
        assert_eq!(e.extra["country_id"], serde_json::json!(373));
    }

    #[test]
    fn a_ucdp_page_says_the_others_are_missing() {
        let text = r#"{"TotalCount": 2500, "TotalPages": 3, "NextPageUrl": "https://example.org/p2", "Result": [{"id": 1, "type_of_violence": 1, "date_start": "2020-09-27"}]}"#;
        let l = read_ucdp(
            Path::new("ged.json"),
            text.as_bytes(),
            &LoadOptions::default(),
        )
        .unwrap();
        assert_eq!(l.dataset.events.len(), 1);
        assert!(
            l.problems[0].message.contains("one page") && l.problems[0].message.contains("2500"),
            "{:?}",
            l.problems
        );
    }

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

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let _ = read_acled(Path::new("x.json"), &bytes, &LoadOptions::default());
            let _ = read_ucdp(Path::new("x.json"), &bytes, &LoadOptions::default());
        }

        #[test]
        fn arbitrary_rows_never_panic(body in "[a-z_0-9\\[\\]{}:,\" \n.\\\\-]{0,200}") {
            let text = format!("{{\"data\": [{ROW}, {body}]}}");
            let _ = read_acled(Path::new("x.json"), text.as_bytes(), &LoadOptions::default());
            let text = format!("{{\"Result\": [{{\"id\": 1, {body}}}]}}");
            let _ = read_ucdp(Path::new("x.json"), text.as_bytes(), &LoadOptions::default());
        }
    }
}

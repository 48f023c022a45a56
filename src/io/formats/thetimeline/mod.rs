//! The desktop program Timeline (thetimelineproj): `.timeline` XML.
//!
//! Read with quick-xml's streaming reader, so memory stays bounded by the
//! events kept. Documents that declare a DOCTYPE (and with it, perhaps,
//! entities) are refused: Timeline never writes one, and entity expansion
//! is a classic attack on XML readers.
//!
//! Categories become dataset kinds (or a built-in kind when the name
//! plainly says one), containers (`[N]Title`) tag their members (`(N)Title`),
//! and every field without a home in the model is kept in `extra`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use quick_xml::events::Event as XmlEvent;
use serde_json::Value;

use crate::io::cells::lenient_json_value;
use crate::io::error::LoadError;
use crate::io::format::Format;
use crate::io::loaded::Loaded;
use crate::io::names::{display_name, slug};
use crate::io::report::{Problem, Severity};
use crate::io::text::{LineCursor, decode_text};
use crate::model::classify::guess_kind;
use crate::model::kind::fallback_kind;
use crate::model::{
    Era, Event, FuzzyDate, Glyph, KindDef, Precision, Provenance, Rgb, Source, When,
};
use crate::table::Dataset;

pub(crate) mod legacy;

/// Deeper nesting than this is not a Timeline file.
const MAX_DEPTH: usize = 32;

/// `True` / `False` as Timeline writes them (any case; `1`/`0` too).
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" | "" => Some(false),
        _ => None,
    }
}

/// A colour written `r,g,b` (optionally in parentheses).
pub fn parse_rgb(text: &str) -> Option<Rgb> {
    let t = text.trim().trim_start_matches('(').trim_end_matches(')');
    let parts: Vec<&str> = t.split(',').collect();
    if parts.len() != 3 {
        return None;
    }
    let c = |s: &str| s.trim().parse::<u8>().ok();
    Some(Rgb(c(parts[0])?, c(parts[1])?, c(parts[2])?))
}

/// `YYYY-MM-DD HH:MM:SS` (the year may be negative or short, as Timeline
/// writes years before 1000; the time may be missing).
pub fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (date, time) = match body.find([' ', 'T']) {
        Some(i) => (&body[..i], Some(body[i + 1..].trim())),
        None => (body, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, max_len: usize| {
        !s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(y, 6) || !digits(m, 2) || !digits(d, 2) {
        return None;
    }
    let mut year: i32 = y.parse().ok()?;
    if neg {
        year = -year;
    }
    let date = NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?)?;
    let (h, mi, s) = match time {
        None | Some("") => (0, 0, 0),
        Some(time) => {
            let time = time.split('.').next().unwrap_or(time);
            let tp: Vec<&str> = time.split(':').collect();
            if tp.len() < 2 || tp.len() > 3 || !tp.iter().all(|p| digits(p, 2)) {
                return None;
            }
            let n = |i: usize| tp.get(i).map_or(Some(0), |p| p.parse::<u32>().ok());
            (n(0)?, n(1)?, n(2)?)
        }
    };
    date.and_hms_opt(h, mi, s)
}

/// The precision Timeline's two times imply: midnight on both ends means
/// the times were not shown (day precision).
pub fn precision_of(times: &[NaiveDateTime]) -> Precision {
    if times
        .iter()
        .all(|t| t.hour() == 0 && t.minute() == 0 && t.second() == 0)
    {
        Precision::Day
    } else if times.iter().all(|t| t.second() == 0) {
        Precision::Minute
    } else {
        Precision::Second
    }
}

/// A container (`[N]`) or member (`(N)`) prefix of an event text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    Container(u64),
    Member(u64),
}

/// Split `[3]Title` / `(3)Title` into the grouping and the title.
pub fn split_container_prefix(text: &str) -> (Option<Grouping>, &str) {
    let t = text.trim_start();
    for (open, close, make) in [
        ('[', ']', Grouping::Container as fn(u64) -> Grouping),
        ('(', ')', Grouping::Member as fn(u64) -> Grouping),
    ] {
        if let Some(rest) = t.strip_prefix(open)
            && let Some(end) = rest.find(close)
            && end > 0
            && end <= 12
            && rest[..end].bytes().all(|b| b.is_ascii_digit())
            && let Ok(n) = rest[..end].parse::<u64>()
        {
            return (Some(make(n)), rest[end + 1..].trim());
        }
    }
    (None, text.trim())
}

const GLYPHS: [Glyph; 6] = [
    Glyph::Circle,
    Glyph::Square,
    Glyph::Diamond,
    Glyph::TriangleUp,
    Glyph::Hexagon,
    Glyph::TriangleDown,
];

/// A field as read: its text and where its element starts.
#[derive(Clone, Debug, Default)]
struct Field {
    value: String,
    line: u64,
    column: u64,
}

#[derive(Default)]
struct Record {
    index: usize,
    line: u64,
    column: u64,
    fields: BTreeMap<String, Field>,
    categories: Vec<String>,
}

struct Category {
    name: String,
    color: Option<Rgb>,
    parent: Option<String>,
}

/// An event read, waiting for its category and container to be resolved.
struct Pending {
    event: Event,
    category: Option<String>,
    grouping: Option<Grouping>,
}

struct Reader {
    file: String,
    problems: Vec<Problem>,
    skipped: usize,
    events: Vec<Pending>,
    eras: Vec<Era>,
    categories: Vec<Category>,
    version: Option<String>,
}

impl Reader {
    fn problem(&mut self, severity: Severity, field: &Field, name: String, message: String) {
        self.problems.push(Problem {
            severity,
            line: Some(field.line),
            column: Some(field.column),
            field: Some(name),
            message,
        });
    }

    fn flag(&mut self, rec: &Record, what: &str, name: &str) -> bool {
        let Some(f) = rec.fields.get(name) else {
            return false;
        };
        match parse_bool(&f.value) {
            Some(b) => b,
            None => {
                let f = f.clone();
                self.problem(
                    Severity::Warning,
                    &f,
                    format!("{what}[{}].{name}", rec.index),
                    format!("`{}` is not True or False; it was read as False", f.value),
                );
                false
            }
        }
    }

    /// Start and end of an event or era, with Timeline's precision rule.
    fn dates(
        &mut self,
        rec: &Record,
        what: &str,
    ) -> Result<(FuzzyDate, Option<FuzzyDate>), Problem> {
        let missing = || Field {
            value: String::new(),
            line: rec.line,
            column: rec.column,
        };
        let bad = |name: &str, f: &Field, message: String| Problem {
            severity: Severity::Error,
            line: Some(f.line),
            column: Some(f.column),
            field: Some(format!("{what}[{}].{name}", rec.index)),
            message,
        };
        let skipped = if what == "era" { "era" } else { "event" };
        let start_field = rec.fields.get("start").cloned().unwrap_or_else(missing);
        if start_field.value.trim().is_empty() {
            return Err(bad(
                "start",
                &start_field,
                format!("the {skipped} has no start; it was skipped"),
            ));
        }
        let Some(start) = parse_datetime(&start_field.value) else {
            return Err(bad(
                "start",
                &start_field,
                format!(
                    "`{}` is not a date like 2022-08-05 14:30:00; the {skipped} was skipped",
                    shorten(&start_field.value)
                ),
            ));
        };
        let end = match rec.fields.get("end") {
            Some(f) if !f.value.trim().is_empty() => match parse_datetime(&f.value) {
                Some(e) => Some(e),
                None => {
                    return Err(bad(
                        "end",
                        f,
                        format!(
                            "`{}` is not a date like 2022-08-05 14:30:00; the {skipped} was skipped",
                            shorten(&f.value)
                        ),
                    ));
                }
            },
            _ => None,
        };
        let end = match end {
            Some(e) if e < start => {
                let f = rec.fields.get("end").cloned().unwrap_or_else(missing);
                self.problem(
                    Severity::Warning,
                    &f,
                    format!("{what}[{}].end", rec.index),
                    format!("the {skipped} ends before it starts; it was read as a point in time"),
                );
                None
            }
            other => other,
        };
        let times: Vec<NaiveDateTime> = std::iter::once(start).chain(end).collect();
        let precision = precision_of(&times);
        let s = FuzzyDate::at(start, precision);
        let e = end
            .filter(|e| *e != start)
            .map(|e| FuzzyDate::at(e, precision));
        Ok((s, e))
    }

    fn finish_era(&mut self, rec: Record) {
        match self.dates(&rec, "era") {
            Ok((start, end)) => {
                let name = rec
                    .fields
                    .get("name")
                    .map(|f| f.value.trim().to_string())
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| format!("Era {}", rec.index + 1));
                let color = rec.fields.get("color").and_then(|f| parse_rgb(&f.value));
                self.eras.push(Era {
                    name,
                    start,
                    end: end.unwrap_or(start),
                    color,
                });
            }
            Err(p) => {
                self.skipped += 1;
                self.problems.push(p);
            }
        }
    }

    fn finish_category(&mut self, rec: Record) {
        let get = |n: &str| {
            rec.fields
                .get(n)
                .map(|f| f.value.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let Some(name) = get("name") else {
            self.problems.push(Problem {
                severity: Severity::Warning,
                line: Some(rec.line),
                column: Some(rec.column),
                field: Some(format!("category[{}].name", rec.index)),
                message: "the category has no name; it was ignored".into(),
            });
            return;
        };
        self.categories.push(Category {
            name,
            color: get("color").and_then(|c| parse_rgb(&c)),
            parent: get("parent"),
        });
    }

    fn finish_event(&mut self, rec: Record) {
        let (start, end) = match self.dates(&rec, "event") {
            Ok(d) => d,
            Err(p) => {
                self.skipped += 1;
                self.problems.push(p);
                return;
            }
        };
        let start_dt = rec
            .fields
            .get("start")
            .and_then(|f| parse_datetime(&f.value));
        let fuzzy = self.flag(&rec, "event", "fuzzy");
        let fuzzy_start = self.flag(&rec, "event", "fuzzy_start");
        let fuzzy_end = self.flag(&rec, "event", "fuzzy_end");
        let mut start = start;
        let mut end = end;
        if fuzzy || fuzzy_start || (fuzzy_end && end.is_none()) {
            start = start.approximate();
        }
        if fuzzy || fuzzy_end {
            end = end.map(FuzzyDate::approximate);
        }
        let get = |n: &str| {
            rec.fields
                .get(n)
                .map(|f| f.value.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let text = rec
            .fields
            .get("text")
            .map(|f| f.value.clone())
            .unwrap_or_default();
        let (grouping, title) = split_container_prefix(&text);
        let description = get("description").unwrap_or_default();
        let title = if !title.is_empty() {
            title.to_string()
        } else if let Some(first) = description.lines().find(|l| !l.trim().is_empty()) {
            first.trim().chars().take(80).collect()
        } else {
            "Untitled event".to_string()
        };
        let n = rec.index + 1;
        let mut event = Event::new(
            format!("timeline-{n}"),
            title,
            "other",
            When {
                start,
                end,
                note: None,
            },
        );
        event.description = description;
        let mut category = get("category");
        if !rec.categories.is_empty() {
            let names: Vec<String> = rec
                .categories
                .iter()
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect();
            if category.is_none() {
                category = names.first().cloned();
            }
            if !names.is_empty() {
                event
                    .codes
                    .insert("timeline.categories".into(), names.join("; "));
            }
            for c in names {
                if Some(&c) != category.as_ref() && !event.tags.contains(&c) {
                    event.tags.push(c);
                }
            }
        }
        if let Some(url) = get("hyperlink") {
            event.sources.push(Source {
                url: Some(url),
                ..Source::default()
            });
        }
        if self.flag(&rec, "event", "milestone") {
            event
                .codes
                .insert("timeline.milestone".into(), "true".into());
        }
        for (name, f) in &rec.fields {
            let v = f.value.trim();
            match name.as_str() {
                // An end dropped because it came before the start is kept.
                "end"
                    if event.when.end.is_none()
                        && parse_datetime(v).is_some_and(|e| Some(e) != start_dt) =>
                {
                    event
                        .extra
                        .insert("timeline.end".into(), Value::String(v.to_string()));
                }
                "start" | "end" | "text" | "description" | "category" | "hyperlink"
                | "milestone" => {}
                "fuzzy" | "fuzzy_start" | "fuzzy_end" | "locked" | "ends_today" => {
                    match parse_bool(v) {
                        Some(false) => {}
                        Some(true) => {
                            event
                                .extra
                                .insert(format!("timeline.{name}"), Value::Bool(true));
                        }
                        None => {
                            event
                                .extra
                                .insert(format!("timeline.{name}"), Value::String(v.into()));
                        }
                    }
                }
                "progress" if !v.is_empty() => {
                    event
                        .extra
                        .insert("timeline.progress".into(), lenient_json_value(v));
                }
                "default_color" if !v.is_empty() => {
                    let value = parse_rgb(v).map_or_else(|| v.to_string(), Rgb::to_hex);
                    event
                        .extra
                        .insert("timeline.default_color".into(), Value::String(value));
                }
                _ if !v.is_empty() => {
                    event
                        .extra
                        .insert(format!("timeline.{name}"), Value::String(v.to_string()));
                }
                _ => {}
            }
        }
        event.provenance = Some(Provenance {
            format: "timeline".into(),
            file: Some(self.file.clone()),
            record: None,
            line: Some(rec.line),
        });
        self.events.push(Pending {
            event,
            category,
            grouping,
        });
    }

    /// Resolve categories to kinds and containers to tags.
    fn finish(mut self) -> (Vec<Event>, Vec<KindDef>, Vec<Problem>, usize, Vec<Era>) {
        let mut kinds: Vec<KindDef> = Vec::new();
        let mut kind_of: HashMap<String, String> = HashMap::new();
        let mut parent_of: HashMap<String, String> = HashMap::new();
        let declared: Vec<(String, Option<Rgb>)> = self
            .categories
            .iter()
            .map(|c| (c.name.clone(), c.color))
            .collect();
        for c in &self.categories {
            if let Some(p) = &c.parent {
                parent_of.insert(c.name.clone(), p.clone());
            }
        }
        let used: Vec<(String, Option<Rgb>)> = self
            .events
            .iter()
            .filter_map(|p| p.category.clone())
            .filter(|c| !declared.iter().any(|(d, _)| d == c))
            .map(|c| (c, None))
            .collect();
        for (name, color) in declared.into_iter().chain(used) {
            if kind_of.contains_key(&name) {
                continue;
            }
            if let Some(builtin) = guess_kind(&name) {
                kind_of.insert(name, builtin.to_string());
                continue;
            }
            let mut id = slug(&name);
            if id.is_empty() {
                id = format!("category-{}", kinds.len() + 1);
            }
            let base = id.clone();
            let mut k = 2;
            while kinds.iter().any(|d| d.id == id)
                || crate::model::kind::BUILTIN_KINDS
                    .iter()
                    .any(|(b, ..)| *b == id)
            {
                id = format!("{base}-{k}");
                k += 1;
            }
            let fallback = fallback_kind(&id);
            kinds.push(KindDef {
                id: id.clone(),
                label: name.clone(),
                color: color.unwrap_or(fallback.color),
                glyph: GLYPHS[kinds.len() % GLYPHS.len()],
            });
            kind_of.insert(name, id);
        }
        let containers: HashMap<u64, String> = self
            .events
            .iter()
            .filter_map(|p| match p.grouping {
                Some(Grouping::Container(n)) => Some((n, p.event.title.clone())),
                _ => None,
            })
            .collect();
        let mut events = Vec::with_capacity(self.events.len());
        for p in std::mem::take(&mut self.events) {
            let mut e = p.event;
            if let Some(c) = p.category {
                if let Some(k) = kind_of.get(&c) {
                    e.kind = k.clone();
                }
                if let Some(parent) = parent_of.get(&c) {
                    e.codes
                        .insert("timeline.category_parent".into(), parent.clone());
                }
                e.codes.insert("timeline.category".into(), c);
            }
            match p.grouping {
                Some(Grouping::Container(n)) => {
                    e.codes
                        .insert("timeline.container_id".into(), n.to_string());
                    e.codes.insert("timeline.container".into(), e.title.clone());
                    e.codes
                        .insert("timeline.is_container".into(), "true".into());
                    let t = e.title.clone();
                    if !e.tags.contains(&t) {
                        e.tags.insert(0, t);
                    }
                }
                Some(Grouping::Member(n)) => {
                    e.codes
                        .insert("timeline.container_id".into(), n.to_string());
                    if let Some(t) = containers.get(&n) {
                        e.codes.insert("timeline.container".into(), t.clone());
                        if !e.tags.contains(t) {
                            e.tags.insert(0, t.clone());
                        }
                    }
                }
                None => {}
            }
            events.push(e);
        }
        (events, kinds, self.problems, self.skipped, self.eras)
    }
}

fn shorten(text: &str) -> String {
    crate::io::text::shorten(text, 41)
}

/// Where we are in the document.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Event,
    Era,
    Category,
}

/// The record being read as the document is walked: the event, era or
/// category element open (if any), where its field being read started, and
/// how many events, eras and categories were opened.
#[derive(Default)]
struct Reading {
    record: Option<(Section, Record)>,
    field_pos: (u64, u64),
    counts: [usize; 3],
}

pub fn read(path: &Path, bytes: &[u8]) -> Result<Loaded, LoadError> {
    let invalid = |message: String| LoadError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    crate::io::text::refuse_binary(path, bytes, "a Timeline (.timeline) XML file")?;
    let decoded = decode_text(bytes);
    let text = decoded.text;
    let text: &str = &text;
    let mut cursor = LineCursor::new(text);
    let mut syntax = |offset: u64, message: String| {
        let (line, column) = cursor.position(offset as usize);
        LoadError::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let mut positions = LineCursor::new(text);
    let file = display_name(path);
    let mut r = Reader {
        file: file.clone(),
        problems: Vec::new(),
        skipped: 0,
        events: Vec::new(),
        eras: Vec::new(),
        categories: Vec::new(),
        version: None,
    };
    r.problems.extend(decoded.problems);

    let mut xml = xml_reader(text);
    let mut stack: Vec<String> = Vec::new();
    let mut buf = String::new();
    let mut seen_root = false;
    let mut reading = Reading::default();
    loop {
        let before = xml.buffer_position();
        let ev = match xml.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                return Err(syntax(
                    xml.error_position(),
                    format!("the XML is malformed: {e}"),
                ));
            }
        };
        match ev {
            XmlEvent::DocType(_) => {
                let (line, _) = positions.position(before as usize);
                return Err(invalid(format!(
                    "declares a DOCTYPE on line {line}; Eventline refuses DTDs and entity declarations in Timeline files (Timeline never writes them, and they can be used to attack XML readers)"
                )));
            }
            XmlEvent::Start(s) => {
                let name = String::from_utf8_lossy(s.local_name().as_ref()).into_owned();
                if stack.is_empty() {
                    if name != "timeline" {
                        return Err(invalid(format!(
                            "is XML but not a Timeline file: its root element is <{name}>, not <timeline>"
                        )));
                    }
                    seen_root = true;
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(syntax(
                        before,
                        format!(
                            "elements are nested more than {MAX_DEPTH} deep; this is not a Timeline file"
                        ),
                    ));
                }
                stack.push(name);
                buf.clear();
                open_element(&mut reading, &stack, before, &mut positions);
            }
            XmlEvent::End(_) => {
                let value = std::mem::take(&mut buf);
                close_element(&mut reading, &stack, value, &mut r).map_err(invalid)?;
                stack.pop();
            }
            XmlEvent::Text(t) if !stack.is_empty() => {
                let s = t
                    .xml10_content()
                    .map_err(|e| syntax(before, format!("the XML text cannot be read: {e}")))?;
                buf.push_str(&s);
            }
            XmlEvent::CData(c) if !stack.is_empty() => {
                let s = c
                    .decode()
                    .map_err(|e| syntax(before, format!("the XML text cannot be read: {e}")))?;
                buf.push_str(&s);
            }
            XmlEvent::GeneralRef(g) => {
                resolve_reference(&g, &mut buf).map_err(|message| syntax(before, message))?;
            }
            XmlEvent::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(syntax(
            text.len() as u64,
            format!("the file ends inside <{open}>; it seems cut short"),
        ));
    }
    if !seen_root {
        return Err(invalid(
            "is not a Timeline file: it has no <timeline> element".into(),
        ));
    }
    Ok(loaded(path, file, r))
}

/// The XML reader over `text`: empty elements expanded (so each has an
/// end), end names checked, text kept untrimmed.
fn xml_reader(text: &str) -> quick_xml::Reader<&[u8]> {
    let mut xml = quick_xml::Reader::from_str(text);
    {
        let config = xml.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        config.trim_text(false);
    }
    xml
}

/// An element opened at offset `before`, `stack` its path: an event, era
/// or category element starts a record (numbered by its count, placed
/// where it starts); a field element of a record notes where it starts.
fn open_element(reading: &mut Reading, stack: &[String], before: u64, positions: &mut LineCursor) {
    let path: Vec<&str> = stack.iter().map(String::as_str).collect();
    let section = match path.as_slice() {
        ["timeline", "events", "event"] => Some((Section::Event, 0)),
        ["timeline", "eras", "era"] => Some((Section::Era, 1)),
        ["timeline", "categories", "category"] => Some((Section::Category, 2)),
        _ => None,
    };
    if let Some((section, slot)) = section {
        let (line, column) = positions.position(before as usize);
        reading.record = Some((
            section,
            Record {
                index: reading.counts[slot],
                line,
                column,
                ..Record::default()
            },
        ));
        reading.counts[slot] += 1;
    } else if reading.record.is_some() && path.len() == 4 {
        reading.field_pos = positions.position(before as usize);
    }
}

/// An element closes, `stack` its path and `value` its text: a record ends
/// and is finished into `r`, a field (or a category of an event) is kept
/// in its record, or the file's version and time type are read. `Err` is
/// why the file is refused (a time type other than calendar dates), a
/// sentence for [`LoadError::Invalid`].
fn close_element(
    reading: &mut Reading,
    stack: &[String],
    value: String,
    r: &mut Reader,
) -> Result<(), String> {
    let path: Vec<&str> = stack.iter().map(String::as_str).collect();
    match path.as_slice() {
        ["timeline", "events", "event"]
        | ["timeline", "eras", "era"]
        | ["timeline", "categories", "category"] => {
            if let Some((section, rec)) = reading.record.take() {
                match section {
                    Section::Event => r.finish_event(rec),
                    Section::Era => r.finish_era(rec),
                    Section::Category => r.finish_category(rec),
                }
            }
        }
        ["timeline", "events", "event", "categories", "category"] => {
            if let Some((_, rec)) = reading.record.as_mut() {
                rec.categories.push(value);
            }
        }
        ["timeline", "events", "event", "categories"] => {}
        ["timeline", _, _, field] => {
            if let Some((_, rec)) = reading.record.as_mut() {
                rec.fields.insert(
                    (*field).to_string(),
                    Field {
                        value,
                        line: reading.field_pos.0,
                        column: reading.field_pos.1,
                    },
                );
            }
        }
        ["timeline", "events", "event", rest @ ..] if rest.len() > 1 => {
            // Nested fields a later Timeline may add: keep them.
            if let Some((_, rec)) = reading.record.as_mut()
                && !value.trim().is_empty()
            {
                rec.fields.insert(
                    rest.join("."),
                    Field {
                        value,
                        line: reading.field_pos.0,
                        column: reading.field_pos.1,
                    },
                );
            }
        }
        ["timeline", "version"] => r.version = Some(value.trim().to_string()),
        ["timeline", "timetype"] => {
            let t = value.trim();
            if !t.is_empty() && t != "gregoriantime" {
                return Err(format!(
                    "uses Timeline's `{t}` time type (plain numbers, not calendar dates), which Eventline cannot place on a calendar"
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

/// A character or entity reference (`&#233;`, `&amp;`) appended to the
/// text `buf` as the character it stands for. `Err` is why it cannot be (a
/// bad character reference, an entity XML does not predefine), a message
/// for [`LoadError::Syntax`].
fn resolve_reference(g: &quick_xml::events::BytesRef, buf: &mut String) -> Result<(), String> {
    let name = String::from_utf8_lossy(g).into_owned();
    if g.is_char_ref() {
        match g.resolve_char_ref() {
            Ok(Some(c)) => buf.push(c),
            _ => {
                return Err(format!("`&{name};` is not a valid character reference"));
            }
        }
    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
        buf.push_str(s);
    } else {
        return Err(format!(
            "the entity `&{name};` is not defined (Eventline reads no DTD)"
        ));
    }
    Ok(())
}

/// What the walk read, loaded: categories resolved to kinds and containers
/// to tags (see [`Reader::finish`]), content ids for events without one,
/// the file's stem as title and Timeline's version in the description.
fn loaded(path: &Path, file: String, r: Reader) -> Loaded {
    let version = r.version.clone();
    let (mut events, kinds, problems, skipped, eras) = r.finish();
    crate::io::ids::assign_content_ids(&mut events, "timeline");
    let title = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| file.clone());
    Loaded::of_file(
        path,
        Format::TheTimeline,
        Dataset {
            title,
            description: match version {
                Some(v) if !v.is_empty() => format!("Timeline file (written by Timeline {v})"),
                _ => "Timeline file".to_string(),
            },
            kinds,
            eras,
            events: events.into(),
            ..Dataset::default()
        },
        problems,
        skipped,
    )
}

#[cfg(test)]
mod tests;

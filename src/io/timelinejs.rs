//! TimelineJS3: its JSON form and its spreadsheet form (as CSV).
//!
//! JSON slides are read one by one from the raw text, so a slide with a bad
//! date is skipped and reported with its JSON path
//! (`events[3].start_date.month`), line and column while the rest load.
//!
//! Dates: the finest field present is the precision (`year` only → year,
//! `hour` → hour, `minute` → minute, `second`/`millisecond` → second).
//! TimelineJS writes BCE years as negative numbers (`-500` is 500 BCE);
//! Eventline counts years astronomically (year 0 is 1 BCE), so a negative
//! year `y` is read as `y + 1`.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;
use serde_json::value::RawValue;

use super::text::{LineCursor, decode_text};
use super::{Format, LoadError, Loaded, Problem, Severity, display_name};
use crate::model::{Era, Event, FuzzyDate, Precision, Provenance, Source, When};
use crate::table::Dataset;

pub mod v2;

// ---------------------------------------------------------------------------
// Shared helpers: HTML to text, dates.

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        "ndash" => Some('–'),
        "mdash" => Some('—'),
        "hellip" => Some('…'),
        "lsquo" => Some('‘'),
        "rsquo" => Some('’'),
        "ldquo" => Some('“'),
        "rdquo" => Some('”'),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            match char::from_u32(code)? {
                '\u{a0}' => Some(' '),
                '\0' => None,
                c => Some(c),
            }
        }
    }
}

/// Decode `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`, `&nbsp;` and other
/// common or numeric entities; anything else stays as written.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after
            .char_indices()
            .take(12)
            .find(|(_, c)| *c == ';')
            .map(|(j, _)| j);
        match end.and_then(|j| decode_entity(&after[..j]).map(|c| (j, c))) {
            Some((j, c)) => {
                out.push(c);
                rest = &after[j + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

const BLOCK_TAGS: [&str; 15] = [
    "p",
    "br",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "hr",
];

/// Plain text of an HTML fragment: tags dropped (block tags become line
/// breaks), entities decoded, runs of spaces collapsed, empty lines dropped.
pub fn html_to_text(html: &str) -> String {
    let mut raw = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        raw.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let starts_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        match after.find('>') {
            Some(j) if starts_tag => {
                let name: String = after[..j]
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                // Inline tags (`<b>`, `<a>`) vanish without a trace.
                if BLOCK_TAGS.contains(&name.as_str()) {
                    raw.push('\n');
                }
                rest = &after[j + 1..];
            }
            _ => {
                raw.push('<');
                rest = after;
            }
        }
    }
    raw.push_str(rest);
    let text = decode_entities(&raw);
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line of plain text (for titles).
pub fn html_to_line(html: &str) -> String {
    html_to_text(html)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The fields of a TimelineJS date, as numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DateParts {
    pub year: Option<i64>,
    pub month: Option<i64>,
    pub day: Option<i64>,
    pub hour: Option<i64>,
    pub minute: Option<i64>,
    pub second: Option<i64>,
    pub millisecond: Option<i64>,
}

/// Which field of a date is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateField {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
}

impl DateField {
    pub fn json_name(self) -> &'static str {
        match self {
            DateField::Year => "year",
            DateField::Month => "month",
            DateField::Day => "day",
            DateField::Hour => "hour",
            DateField::Minute => "minute",
            DateField::Second => "second",
            DateField::Millisecond => "millisecond",
        }
    }
}

impl DateParts {
    /// The date these parts name, at the precision of the finest field.
    pub fn to_fuzzy(self) -> Result<FuzzyDate, (DateField, String)> {
        let Some(year) = self.year else {
            return Err((DateField::Year, "the date has no year".into()));
        };
        if !(-200_000..=200_000).contains(&year) {
            return Err((
                DateField::Year,
                format!("the year {year} is outside the years Eventline shows (±200000)"),
            ));
        }
        let year = if year < 0 { year + 1 } else { year } as i32;
        let check = |v: Option<i64>, lo: i64, hi: i64, field: DateField, what: &str| match v {
            Some(x) if !(lo..=hi).contains(&x) => Err((field, format!("there is no {what} {x}"))),
            _ => Ok(v.map(|x| x as u32)),
        };
        let month = check(self.month, 1, 12, DateField::Month, "month")?;
        let day = check(self.day, 1, 31, DateField::Day, "day")?;
        let hour = check(self.hour, 0, 23, DateField::Hour, "hour")?;
        let minute = check(self.minute, 0, 59, DateField::Minute, "minute")?;
        let second = check(self.second, 0, 59, DateField::Second, "second")?;
        check(
            self.millisecond,
            0,
            999,
            DateField::Millisecond,
            "millisecond",
        )?;
        let m = month.unwrap_or(1);
        let d = day.unwrap_or(1);
        let date = NaiveDate::from_ymd_opt(year, m, d).ok_or_else(|| {
            (
                DateField::Day,
                format!(
                    "{} {} has no day {d}",
                    crate::model::date::month_name(m),
                    year
                ),
            )
        })?;
        let dt = date
            .and_hms_opt(hour.unwrap_or(0), minute.unwrap_or(0), second.unwrap_or(0))
            .ok_or_else(|| (DateField::Hour, "bad time of day".to_string()))?;
        let precision = if self.second.is_some() || self.millisecond.is_some() {
            Precision::Second
        } else if self.minute.is_some() {
            Precision::Minute
        } else if self.hour.is_some() {
            Precision::Hour
        } else if self.day.is_some() {
            Precision::Day
        } else if self.month.is_some() {
            Precision::Month
        } else {
            Precision::Year
        };
        Ok(FuzzyDate::at(dt, precision))
    }
}

/// A whole number written as a number or as text (`2020`, `"2020"`,
/// `"08"`, `2020.0`); `Ok(None)` for null or an empty string.
fn whole_number(v: &Value) -> Result<Option<i64>, String> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Ok(Some(i))
            } else {
                match n.as_f64() {
                    Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => Ok(Some(f as i64)),
                    _ => Err(format!("`{n}` is not a whole number")),
                }
            }
        }
        Value::String(s) => parse_whole(s),
        other => Err(format!("`{other}` is not a whole number")),
    }
}

fn parse_whole(s: &str) -> Result<Option<i64>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Ok(i) = t.parse::<i64>() {
        return Ok(Some(i));
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 => Ok(Some(f as i64)),
        _ => {
            let shown: String = t.chars().take(40).collect();
            Err(format!("`{shown}` is not a whole number"))
        }
    }
}

/// Text of a JSON value that should be text (numbers are written out).
fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

fn kind_from(headline: &str, group: &str) -> &'static str {
    crate::model::classify::headline_and_group(headline, group).kind
}

fn title_or_fallback(headline: &str, description: &str, display: Option<&str>, n: usize) -> String {
    if !headline.is_empty() {
        return headline.to_string();
    }
    let first = description.lines().next().unwrap_or("");
    if !first.is_empty() {
        let mut t: String = first.chars().take(80).collect();
        if first.chars().count() > 80 {
            t.push('…');
        }
        return t;
    }
    match display {
        Some(d) if !d.trim().is_empty() => d.trim().to_string(),
        _ => format!("Untitled slide {n}"),
    }
}

// ---------------------------------------------------------------------------
// JSON

/// serde_json appends " at line L column C" to its messages; positions are
/// reported in fields of their own.
fn bare_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Line and column of `inner`, a slice of `outer`, given `outer`'s own.
fn inner_position(base: (u64, u64), outer: &str, inner: &str) -> (u64, u64) {
    let off = (inner.as_ptr() as usize)
        .saturating_sub(outer.as_ptr() as usize)
        .min(outer.len());
    let before = outer.get(..off).unwrap_or("");
    match before.rfind('\n') {
        None => (base.0, base.1 + before.chars().count() as u64),
        Some(i) => (
            base.0 + before.matches('\n').count() as u64,
            before[i + 1..].chars().count() as u64 + 1,
        ),
    }
}

type Object<'a> = BTreeMap<String, &'a RawValue>;

/// A fault in one record: the JSON path below the record, the raw value it
/// points at (for its position) and words.
struct Fault<'a> {
    path: String,
    at: Option<&'a RawValue>,
    message: String,
}

fn fault<'a>(
    path: impl Into<String>,
    at: Option<&'a RawValue>,
    message: impl Into<String>,
) -> Fault<'a> {
    Fault {
        path: path.into(),
        at,
        message: message.into(),
    }
}

fn parse_value(raw: &RawValue) -> Value {
    serde_json::from_str(raw.get()).unwrap_or(Value::Null)
}

/// Read a TimelineJS date object. `name` is its key (`start_date`).
fn read_date<'a>(
    name: &str,
    raw: &'a RawValue,
) -> Result<(FuzzyDate, Option<String>, Option<i64>), Fault<'a>> {
    let obj: Object<'a> = serde_json::from_str(raw.get()).map_err(|_| {
        fault(
            name,
            Some(raw),
            "a date must be an object like {\"year\": 2022}",
        )
    })?;
    let mut parts = DateParts::default();
    for field in [
        DateField::Year,
        DateField::Month,
        DateField::Day,
        DateField::Hour,
        DateField::Minute,
        DateField::Second,
        DateField::Millisecond,
    ] {
        let Some(v) = obj.get(field.json_name()) else {
            continue;
        };
        let n = whole_number(&parse_value(v))
            .map_err(|m| fault(format!("{name}.{}", field.json_name()), Some(*v), m))?;
        let slot = match field {
            DateField::Year => &mut parts.year,
            DateField::Month => &mut parts.month,
            DateField::Day => &mut parts.day,
            DateField::Hour => &mut parts.hour,
            DateField::Minute => &mut parts.minute,
            DateField::Second => &mut parts.second,
            DateField::Millisecond => &mut parts.millisecond,
        };
        *slot = n;
    }
    let date = parts.to_fuzzy().map_err(|(field, message)| {
        let at = obj.get(field.json_name()).copied().or(Some(raw));
        fault(format!("{name}.{}", field.json_name()), at, message)
    })?;
    let display = obj
        .get("display_date")
        .and_then(|v| value_text(&parse_value(v)))
        .filter(|s| !s.trim().is_empty());
    Ok((date, display, parts.millisecond))
}

/// `text {headline, text}`: the headline and text as written.
fn read_text_object(raw: &RawValue) -> (String, String, Option<Value>) {
    match parse_value(raw) {
        Value::Object(map) => {
            let headline = map.get("headline").and_then(value_text).unwrap_or_default();
            let text = map.get("text").and_then(value_text).unwrap_or_default();
            let others: serde_json::Map<String, Value> = map
                .into_iter()
                .filter(|(k, _)| k != "headline" && k != "text")
                .collect();
            (
                headline,
                text,
                (!others.is_empty()).then_some(Value::Object(others)),
            )
        }
        Value::String(s) => (String::new(), s, None),
        Value::Null => (String::new(), String::new(), None),
        other => (String::new(), String::new(), Some(other)),
    }
}

struct Slide {
    headline: String,
    description: String,
    text_html: String,
    headline_html: String,
    start: Option<FuzzyDate>,
    end: Option<FuzzyDate>,
    extra: BTreeMap<String, Value>,
    group: Option<String>,
    unique_id: Option<String>,
    display: Option<String>,
    media: Option<Source>,
}

/// Read a slide's fields. Dates are required only when `need_start`.
/// Problems that keep the slide go to `warnings` as (path, raw, message).
fn read_slide<'a>(
    raw: &'a RawValue,
    need_start: bool,
    warnings: &mut Vec<Fault<'a>>,
) -> Result<Slide, Fault<'a>> {
    let obj: Object<'a> = serde_json::from_str(raw.get())
        .map_err(|_| fault("", Some(raw), "a slide must be an object"))?;
    let mut slide = Slide {
        headline: String::new(),
        description: String::new(),
        text_html: String::new(),
        headline_html: String::new(),
        start: None,
        end: None,
        extra: BTreeMap::new(),
        group: None,
        unique_id: None,
        display: None,
        media: None,
    };
    match obj.get("start_date") {
        Some(v) if parse_value(v) != Value::Null => {
            let (d, display, ms) = read_date("start_date", v)?;
            slide.start = Some(d);
            if let Some(display) = display {
                slide.extra.insert(
                    "timelinejs.start_date.display_date".into(),
                    Value::String(display),
                );
            }
            if let Some(ms) = ms {
                slide
                    .extra
                    .insert("timelinejs.start_date.millisecond".into(), Value::from(ms));
            }
        }
        _ if need_start => {
            return Err(fault(
                "start_date",
                Some(raw),
                "the slide has no start_date",
            ));
        }
        _ => {}
    }
    if let Some(v) = obj.get("end_date")
        && parse_value(v) != Value::Null
    {
        match read_date("end_date", v) {
            Ok((d, display, ms)) => {
                if let Some(display) = display {
                    slide.extra.insert(
                        "timelinejs.end_date.display_date".into(),
                        Value::String(display),
                    );
                }
                if let Some(ms) = ms {
                    slide
                        .extra
                        .insert("timelinejs.end_date.millisecond".into(), Value::from(ms));
                }
                match slide.start {
                    Some(s) if d.latest < s.earliest => {
                        warnings.push(fault(
                            "end_date",
                            Some(*v),
                            "the end is before the start; the slide was read as a point in time",
                        ));
                        slide
                            .extra
                            .insert("timelinejs.end_date".into(), Value::String(d.to_text()));
                    }
                    _ => slide.end = Some(d),
                }
            }
            Err(mut f) => {
                f.message = format!("{}; the slide was read without its end", f.message);
                warnings.push(f);
                slide
                    .extra
                    .insert("timelinejs.end_date".into(), parse_value(v));
            }
        }
    }
    for (key, v) in &obj {
        match key.as_str() {
            "start_date" | "end_date" => {}
            "text" => {
                let (headline, text, others) = read_text_object(v);
                slide.headline = html_to_line(&headline);
                slide.description = html_to_text(&text);
                slide.headline_html = headline;
                slide.text_html = text;
                if let Some(o) = others {
                    slide.extra.insert("timelinejs.text".into(), o);
                }
            }
            "media" => {
                let value = parse_value(v);
                if let Some(source) = media_source(&value, "url") {
                    slide.media = Some(source);
                }
                if value != Value::Null {
                    slide.extra.insert("timelinejs.media".into(), value);
                }
            }
            "group" => {
                let value = parse_value(v);
                slide.group = non_empty(value_text(&value));
                if slide.group.is_none() && value != Value::Null {
                    slide.extra.insert("timelinejs.group".into(), value);
                }
            }
            "unique_id" => {
                let value = parse_value(v);
                slide.unique_id = non_empty(value_text(&value));
                if slide.unique_id.is_none() && value != Value::Null {
                    slide.extra.insert("timelinejs.unique_id".into(), value);
                }
            }
            "display_date" => {
                let value = parse_value(v);
                slide.display = non_empty(value_text(&value));
                if value != Value::Null {
                    slide.extra.insert("timelinejs.display_date".into(), value);
                }
            }
            other => {
                let value = parse_value(v);
                if value != Value::Null {
                    slide.extra.insert(format!("timelinejs.{other}"), value);
                }
            }
        }
    }
    Ok(slide)
}

fn slide_to_event(slide: Slide, n: usize, file: &str, line: Option<u64>) -> Option<Event> {
    let start = slide.start?;
    let title = title_or_fallback(
        &slide.headline,
        &slide.description,
        slide.display.as_deref(),
        n,
    );
    let group = slide.group.clone().unwrap_or_default();
    let id = slide
        .unique_id
        .clone()
        .unwrap_or_else(|| format!("slide-{n}"));
    let mut event = Event::new(
        id,
        title,
        kind_from(&slide.headline, &group),
        When {
            start,
            end: slide.end,
            note: None,
        },
    );
    event.description = slide.description;
    crate::model::classify::headline_and_group(&slide.headline, &group).apply(&mut event);
    if !slide.text_html.trim().is_empty() {
        event.extra.insert(
            "timelinejs.text_html".into(),
            Value::String(slide.text_html),
        );
    }
    if slide.headline_html.trim() != slide.headline {
        event.extra.insert(
            "timelinejs.headline_html".into(),
            Value::String(slide.headline_html),
        );
    }
    if let Some(g) = slide.group {
        event.tags.push(g.clone());
        event.codes.insert("timelinejs.group".into(), g);
    }
    if let Some(m) = slide.media {
        event.sources.push(m);
    }
    event.extra.extend(slide.extra);
    event.provenance = Some(Provenance {
        format: "timelinejs".into(),
        file: Some(file.to_string()),
        record: slide.unique_id,
        line,
    });
    Some(event)
}

struct JsonReader<'a> {
    text: &'a str,
    cursor: LineCursor<'a>,
    problems: Vec<Problem>,
}

impl<'a> JsonReader<'a> {
    fn position(&mut self, raw: &RawValue) -> (u64, u64) {
        let offset = (raw.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        self.cursor.position(offset)
    }

    fn report(
        &mut self,
        severity: Severity,
        prefix: &str,
        base: (u64, u64),
        record: &RawValue,
        f: Fault,
        suffix: &str,
    ) {
        let (line, column) = match f.at {
            Some(at) => inner_position(base, record.get(), at.get()),
            None => base,
        };
        let field = if f.path.is_empty() {
            prefix.to_string()
        } else {
            format!("{prefix}.{}", f.path)
        };
        self.problems.push(Problem {
            severity,
            line: Some(line),
            column: Some(column),
            field: Some(field),
            message: format!("{}{suffix}", f.message),
        });
    }
}

pub fn read_json(path: &Path, bytes: &[u8]) -> Result<Loaded, LoadError> {
    let decoded = decode_text(bytes);
    let text = decoded.text;
    let text: &str = &text;
    let syntax = |e: &serde_json::Error, message: String| LoadError::Syntax {
        path: path.to_path_buf(),
        line: e.line() as u64,
        column: e.column() as u64,
        message,
    };
    let not_timeline = |why: &str| LoadError::Invalid {
        path: path.to_path_buf(),
        message: format!("is not a TimelineJS timeline: {why}"),
    };
    let top: Object = match serde_json::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            return Err(match e.classify() {
                serde_json::error::Category::Data => {
                    not_timeline("the top level of the JSON is not an object")
                }
                _ => syntax(&e, bare_message(&e)),
            });
        }
    };
    let Some(events_raw) = top.get("events") else {
        return Err(not_timeline("it has no `events` list of slides"));
    };
    let mut r = JsonReader {
        text,
        cursor: LineCursor::new(text),
        problems: Vec::new(),
    };
    r.problems.extend(decoded.problems);
    let slides: Vec<&RawValue> = match serde_json::from_str(events_raw.get()) {
        Ok(s) => s,
        Err(e) => {
            let (line, column) = r.position(events_raw);
            let message = if e.classify() == serde_json::error::Category::Data {
                "`events` must be a list of slides".to_string()
            } else {
                bare_message(&e)
            };
            return Err(LoadError::Syntax {
                path: path.to_path_buf(),
                line,
                column,
                message,
            });
        }
    };
    let file = display_name(path);
    let mut title = String::new();
    let mut description = String::new();

    // Positions must be asked for in file order; collect the top-level
    // records and sort them by offset.
    enum Rec<'b> {
        Title(&'b RawValue),
        Era(usize, &'b RawValue),
        Slide(usize, &'b RawValue),
    }
    let mut recs: Vec<(usize, Rec)> = Vec::new();
    let offset =
        |raw: &RawValue| (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    if let Some(t) = top.get("title") {
        recs.push((offset(t), Rec::Title(t)));
    }
    if let Some(eras_raw) = top.get("eras") {
        match serde_json::from_str::<Option<Vec<&RawValue>>>(eras_raw.get()) {
            Ok(list) => {
                for (i, e) in list.unwrap_or_default().into_iter().enumerate() {
                    recs.push((offset(e), Rec::Era(i, e)));
                }
            }
            Err(_) => {
                let pos = r.position(eras_raw);
                r.problems.push(Problem {
                    severity: Severity::Warning,
                    line: Some(pos.0),
                    column: Some(pos.1),
                    field: Some("eras".into()),
                    message: "`eras` is not a list; it was ignored".into(),
                });
            }
        }
    }
    for (i, s) in slides.iter().enumerate() {
        recs.push((offset(s), Rec::Slide(i, s)));
    }
    recs.sort_by_key(|(o, _)| *o);

    let mut events = Vec::with_capacity(slides.len());
    let mut eras = Vec::new();
    let mut skipped = 0usize;
    let mut seen_ids = super::report::IdWatch::default();
    for (_, rec) in recs {
        match rec {
            Rec::Title(raw) => {
                let pos = r.position(raw);
                let mut warnings = Vec::new();
                match read_slide(raw, false, &mut warnings) {
                    Ok(s) => {
                        title = s.headline;
                        description = s.description;
                    }
                    Err(f) => r.report(
                        Severity::Warning,
                        "title",
                        pos,
                        raw,
                        f,
                        "; the title slide was ignored",
                    ),
                }
                for w in warnings {
                    r.report(Severity::Warning, "title", pos, raw, w, "");
                }
            }
            Rec::Era(i, raw) => {
                let pos = r.position(raw);
                let prefix = format!("eras[{i}]");
                let mut warnings = Vec::new();
                match read_slide(raw, true, &mut warnings) {
                    Ok(s) => {
                        let Some(start) = s.start else { continue };
                        let name = if s.headline.is_empty() {
                            format!("Era {}", i + 1)
                        } else {
                            s.headline
                        };
                        eras.push(Era {
                            name,
                            start,
                            end: s.end.unwrap_or(start),
                            color: None,
                        });
                        for w in warnings {
                            r.report(Severity::Warning, &prefix, pos, raw, w, "");
                        }
                    }
                    Err(f) => {
                        skipped += 1;
                        r.report(
                            Severity::Error,
                            &prefix,
                            pos,
                            raw,
                            f,
                            "; the era was skipped",
                        );
                    }
                }
            }
            Rec::Slide(i, raw) => {
                let pos = r.position(raw);
                let prefix = format!("events[{i}]");
                let mut warnings = Vec::new();
                match read_slide(raw, true, &mut warnings) {
                    Ok(s) => {
                        for w in warnings {
                            r.report(Severity::Warning, &prefix, pos, raw, w, "");
                        }
                        if let Some(e) = slide_to_event(s, i + 1, &file, Some(pos.0)) {
                            if let Some(message) = seen_ids.repeated(&e.id, pos.0) {
                                r.problems.push(Problem {
                                    severity: Severity::Warning,
                                    line: Some(pos.0),
                                    column: Some(pos.1),
                                    field: Some(format!("{prefix}.unique_id")),
                                    message,
                                });
                            }
                            events.push(e);
                        }
                    }
                    Err(f) => {
                        skipped += 1;
                        r.report(
                            Severity::Error,
                            &prefix,
                            pos,
                            raw,
                            f,
                            "; the slide was skipped",
                        );
                    }
                }
            }
        }
    }
    super::ids::assign_content_ids(&mut events, "slide");
    Ok(Loaded::of_file(
        path,
        Format::TimelineJs,
        Dataset {
            title,
            description,
            kinds: Vec::new(),
            eras,
            events: events.into(),
            ..Dataset::default()
        },
        r.problems,
        skipped,
    ))
}

// ---------------------------------------------------------------------------
// Spreadsheet (CSV)

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

/// Guess the delimiter from the header line.
use super::csvutil::{ExtraKeys, Table};

/// A slide's media as a source: `url_key` is the link (`url` in version 3,
/// `media` in version 2's `asset`), with its caption and credit.
pub(super) fn media_source(value: &Value, url_key: &str) -> Option<Source> {
    let Value::Object(map) = value else {
        return None;
    };
    let field = |k: &str| non_empty(map.get(k).and_then(value_text));
    let url = field(url_key);
    let caption = field("caption").map(|c| html_to_line(&c));
    let credit = field("credit").map(|c| html_to_line(&c));
    (url.is_some() || caption.is_some() || credit.is_some()).then(|| Source {
        url,
        title: caption.filter(|c| !c.is_empty()),
        credit: credit.filter(|c| !c.is_empty()),
        ..Source::default()
    })
}

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
    // TimelineJS names its columns with spaces ("End Year"); the lower-case
    // names are what rows are read by.
    let header: Vec<String> = sheet
        .headers
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
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
        let problem = |field: String, message: String, what: &str| Problem {
            severity: Severity::Error,
            line: Some(line),
            column: None,
            field: Some(field),
            message: format!("{message}; the {what} was skipped"),
        };
        let what = if kind_of_row == "era" { "era" } else { "row" };
        let start = match row.date("") {
            Ok(Some(d)) => d,
            Ok(None) => {
                report.skipped += 1;
                report.push(problem("Year".into(), "the row has no Year".into(), what));
                continue;
            }
            Err((field, message)) => {
                report.skipped += 1;
                report.push(problem(field, message, what));
                continue;
            }
        };
        let mut extra = BTreeMap::new();
        let end = match row.date("end ") {
            Ok(Some(d)) if d.latest < start.earliest => {
                report.push(Problem {
                    severity: Severity::Warning,
                    line: Some(line),
                    column: None,
                    field: Some("End Year".into()),
                    message: "the end is before the start; the row was read as a point in time"
                        .into(),
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
        };
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
        for (i, h) in header.iter().enumerate() {
            if SHEET_COLUMNS.contains(&h.as_str()) || h.is_empty() {
                continue;
            }
            let v = record.get(i).map_or("", str::trim);
            if !v.is_empty() {
                let name = original_header.get(i).map_or(h.as_str(), String::as_str);
                event
                    .extra
                    .insert(format!("timelinejs.{name}"), Value::String(v.to_string()));
            }
        }
        event.extra.extend(extra);
        event.provenance = Some(Provenance {
            format: "timelinejs".into(),
            file: Some(file.clone()),
            record: None,
            line: Some(line),
        });
        events.push(event);
    }
    super::ids::assign_content_ids(&mut events, "row");
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parts(v: Value) -> Result<FuzzyDate, String> {
        let raw = serde_json::to_string(&v).unwrap();
        let raw: Box<RawValue> = RawValue::from_string(raw).unwrap();
        read_date("start_date", &raw)
            .map(|(d, _, _)| d)
            .map_err(|f| format!("{}: {}", f.path, f.message))
    }

    #[test]
    fn the_finest_field_is_the_precision() {
        use serde_json::json;
        let d = parts(json!({"year": "2022"})).unwrap();
        assert_eq!(d.precision, Precision::Year);
        assert_eq!(d.to_text(), "2022");
        let d = parts(json!({"year": 2022, "month": "8"})).unwrap();
        assert_eq!(d.to_text(), "2022-08");
        let d = parts(json!({"year": "2022", "month": "08", "day": "5"})).unwrap();
        assert_eq!(d.to_text(), "2022-08-05");
        let d = parts(json!({"year": 2022, "month": 8, "day": 5, "hour": "14"})).unwrap();
        assert_eq!(d.to_text(), "2022-08-05T14");
        let d =
            parts(json!({"year": 2022, "month": 8, "day": 5, "hour": 14, "minute": 30})).unwrap();
        assert_eq!(d.precision, Precision::Minute);
        let d = parts(json!({"year": 2022, "month": 8, "day": 5, "hour": 14, "minute": 30, "second": "0", "millisecond": 5}))
            .unwrap();
        assert_eq!(d.precision, Precision::Second);
        // Empty strings, as sheet exports write them, are absent fields.
        let d = parts(json!({"year": "2022", "month": "", "day": null})).unwrap();
        assert_eq!(d.precision, Precision::Year);
        // Negative years are BCE.
        let d = parts(json!({"year": -500})).unwrap();
        assert_eq!(d.describe(), "500 BCE");
    }

    #[test]
    fn bad_dates_name_their_field() {
        use serde_json::json;
        assert_eq!(
            parts(json!({"month": 3})).unwrap_err(),
            "start_date.year: the date has no year"
        );
        assert_eq!(
            parts(json!({"year": 2022, "month": 13})).unwrap_err(),
            "start_date.month: there is no month 13"
        );
        assert_eq!(
            parts(json!({"year": 2022, "month": 6, "day": 31})).unwrap_err(),
            "start_date.day: June 2022 has no day 31"
        );
        assert!(
            parts(json!({"year": "twenty"}))
                .unwrap_err()
                .contains("not a whole number")
        );
        assert!(parts(json!({"year": -13800000000i64})).is_err());
        assert!(parts(json!([2022])).is_err());
    }

    #[test]
    fn html_is_stripped_and_entities_decoded() {
        assert_eq!(
            html_to_line(
                "<b>Blinken</b> &amp; Pashinyan&nbsp;talk &lt;by phone&gt; &quot;today&quot; &#39;ok&#39;"
            ),
            "Blinken & Pashinyan talk <by phone> \"today\" 'ok'"
        );
        assert_eq!(
            html_to_text("<p>One</p><p>Two <a href=\"x\">link</a></p>"),
            "One\nTwo link"
        );
        assert_eq!(html_to_line("a < b and c > d"), "a < b and c > d");
        assert_eq!(decode_entities("&bogus; &#x41; &"), "&bogus; A &");
    }

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

    #[test]
    fn not_timelinejs_is_named() {
        let err = read_json(Path::new("x.json"), b"[1, 2]").unwrap_err();
        assert!(
            err.to_string().contains("not a TimelineJS timeline"),
            "{err}"
        );
        let err = read_json(Path::new("x.json"), b"{\"title\": {}}").unwrap_err();
        assert!(err.to_string().contains("no `events`"), "{err}");
        let err = read_json(Path::new("x.json"), b"{\"events\": [").unwrap_err();
        assert!(matches!(err, LoadError::Syntax { line: 1, .. }), "{err}");
        let err = read_json(Path::new("x.json"), b"{\"events\": 3}").unwrap_err();
        assert!(err.to_string().contains("list of slides"), "{err}");
        let err = read_sheet(Path::new("x.csv"), b"a,b\n1,2\n").unwrap_err();
        assert!(err.to_string().contains("no `Year` column"), "{err}");
    }

    #[test]
    fn deeply_nested_json_is_an_error_not_a_crash() {
        let mut text = String::from("{\"events\": [");
        text.push_str(&"[".repeat(100_000));
        assert!(read_json(Path::new("x.json"), text.as_bytes()).is_err());
        let mut text = String::from("{\"events\": [{\"start_date\": ");
        text.push_str(&"[".repeat(100_000));
        assert!(read_json(Path::new("x.json"), text.as_bytes()).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = read_json(Path::new("x.json"), &bytes);
            let _ = read_sheet(Path::new("x.csv"), &bytes);
        }

        #[test]
        fn arbitrary_slides_never_panic(
            year in "[-0-9a ]{0,6}", month in "[-0-9 ]{0,3}", day in "[0-9]{0,3}",
            hour in "[0-9]{0,3}", headline in "[<>&;a-z# ]{0,20}"
        ) {
            let text = format!(
                "{{\"events\": [{{\"start_date\": {{\"year\": \"{year}\", \"month\": \"{month}\", \"day\": \"{day}\", \"hour\": \"{hour}\"}}, \"text\": {{\"headline\": \"{headline}\"}}}}]}}"
            );
            let _ = read_json(Path::new("x.json"), text.as_bytes());
            let sheet = format!("Year,Month,Day,Time,Headline\n{year},{month},{day},{hour},{headline}\n");
            let _ = read_sheet(Path::new("x.csv"), sheet.as_bytes());
        }
    }
}

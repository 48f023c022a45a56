//! TimelineJS 3's JSON form. Slides are read one by one from the raw
//! text, so a slide with a bad date is skipped and reported with its JSON
//! path (`events[3].start_date.month`), line and column while the rest
//! load. Version 2 ([`super::v2`]) reads its slides with the same parts.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use serde_json::value::RawValue;

use super::{
    DateField, DateParts, html_to_line, html_to_text, kind_from, non_empty, title_or_fallback,
    value_text, whole_number,
};
use crate::io::error::LoadError;
use crate::io::format::Format;
use crate::io::json::{bare_message, inner_position};
use crate::io::loaded::Loaded;
use crate::io::names::display_name;
use crate::io::report::{Problem, Severity};
use crate::io::text::{LineCursor, decode_text};
use crate::model::{Era, Event, FuzzyDate, Provenance, Source, When};
use crate::table::Dataset;

pub(super) type Object<'a> = BTreeMap<String, &'a RawValue>;

/// A fault in one record: the JSON path below the record, the raw value it
/// points at (for its position) and words.
pub(super) struct Fault<'a> {
    pub(super) path: String,
    pub(super) at: Option<&'a RawValue>,
    pub(super) message: String,
}

pub(super) fn fault<'a>(
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

pub(super) fn parse_value(raw: &RawValue) -> Value {
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

pub(super) struct Slide {
    pub(super) headline: String,
    pub(super) description: String,
    pub(super) text_html: String,
    pub(super) headline_html: String,
    pub(super) start: Option<FuzzyDate>,
    pub(super) end: Option<FuzzyDate>,
    pub(super) extra: BTreeMap<String, Value>,
    pub(super) group: Option<String>,
    pub(super) unique_id: Option<String>,
    pub(super) display: Option<String>,
    pub(super) media: Option<Source>,
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

pub(super) fn slide_to_event(
    slide: Slide,
    n: usize,
    file: &str,
    line: Option<u64>,
) -> Option<Event> {
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

pub(super) struct JsonReader<'a> {
    pub(super) text: &'a str,
    pub(super) cursor: LineCursor<'a>,
    pub(super) problems: Vec<Problem>,
}

impl<'a> JsonReader<'a> {
    pub(super) fn position(&mut self, raw: &RawValue) -> (u64, u64) {
        let offset = (raw.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        self.cursor.position(offset)
    }

    pub(super) fn report(
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
    let recs = records(&mut r, &top, &slides);

    let mut events = Vec::with_capacity(slides.len());
    let mut eras = Vec::new();
    let mut skipped = 0usize;
    let mut seen_ids = crate::io::report::IdWatch::default();
    for (_, rec) in recs {
        match rec {
            Rec::Title(raw) => {
                if let Some((t, d)) = read_title(&mut r, raw) {
                    title = t;
                    description = d;
                }
            }
            Rec::Era(i, raw) => match read_era(&mut r, i, raw) {
                Outcome::Read(era) => eras.push(era),
                Outcome::Nothing => {}
                Outcome::Skipped => skipped += 1,
            },
            Rec::Slide(i, raw) => match read_event(&mut r, i, raw, &file, &mut seen_ids) {
                Outcome::Read(event) => events.push(event),
                Outcome::Nothing => {}
                Outcome::Skipped => skipped += 1,
            },
        }
    }
    crate::io::ids::assign_content_ids(&mut events, "slide");
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

/// A top-level record of a timeline: the title slide, an era or a slide
/// (with its index in its list).
enum Rec<'b> {
    Title(&'b RawValue),
    Era(usize, &'b RawValue),
    Slide(usize, &'b RawValue),
}

/// What reading one era or slide record came to.
enum Outcome<T> {
    /// The era or event it gave.
    Read(T),
    /// Nothing to keep, and nothing more said (a record without a start).
    Nothing,
    /// Skipped for an error, which is reported.
    Skipped,
}

/// The top-level records (the title slide, the eras, the slides) with
/// their offsets in the text, sorted into file order. An `eras` that is not
/// a list is a warning, and ignored.
fn records<'b>(
    r: &mut JsonReader,
    top: &Object<'b>,
    slides: &[&'b RawValue],
) -> Vec<(usize, Rec<'b>)> {
    let text = r.text;
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
    recs
}

/// The title slide: its headline and text, or `None` when it cannot be
/// read (a warning: it is ignored). Its other problems are warnings.
fn read_title(r: &mut JsonReader, raw: &RawValue) -> Option<(String, String)> {
    let pos = r.position(raw);
    let mut warnings = Vec::new();
    let read = match read_slide(raw, false, &mut warnings) {
        Ok(s) => Some((s.headline, s.description)),
        Err(f) => {
            r.report(
                Severity::Warning,
                "title",
                pos,
                raw,
                f,
                "; the title slide was ignored",
            );
            None
        }
    };
    for w in warnings {
        r.report(Severity::Warning, "title", pos, raw, w, "");
    }
    read
}

/// One era, `i` in the `eras` list: its headline (or `Era n`) and dates.
/// A problem that keeps it is a warning; one that does not skips it.
fn read_era(r: &mut JsonReader, i: usize, raw: &RawValue) -> Outcome<Era> {
    let pos = r.position(raw);
    let prefix = format!("eras[{i}]");
    let mut warnings = Vec::new();
    match read_slide(raw, true, &mut warnings) {
        Ok(s) => {
            let Some(start) = s.start else {
                return Outcome::Nothing;
            };
            let name = if s.headline.is_empty() {
                format!("Era {}", i + 1)
            } else {
                s.headline
            };
            let era = Era {
                name,
                start,
                end: s.end.unwrap_or(start),
                color: None,
            };
            for w in warnings {
                r.report(Severity::Warning, &prefix, pos, raw, w, "");
            }
            Outcome::Read(era)
        }
        Err(f) => {
            r.report(
                Severity::Error,
                &prefix,
                pos,
                raw,
                f,
                "; the era was skipped",
            );
            Outcome::Skipped
        }
    }
}

/// One event element: slide `i` of the `events` list as an event. A
/// problem that keeps it is a warning, and so is an id `seen_ids` has
/// seen; one that does not keep it skips it.
fn read_event(
    r: &mut JsonReader,
    i: usize,
    raw: &RawValue,
    file: &str,
    seen_ids: &mut crate::io::report::IdWatch,
) -> Outcome<Event> {
    let pos = r.position(raw);
    let prefix = format!("events[{i}]");
    let mut warnings = Vec::new();
    match read_slide(raw, true, &mut warnings) {
        Ok(s) => {
            for w in warnings {
                r.report(Severity::Warning, &prefix, pos, raw, w, "");
            }
            let Some(e) = slide_to_event(s, i + 1, file, Some(pos.0)) else {
                return Outcome::Nothing;
            };
            if let Some(message) = seen_ids.repeated(&e.id, pos.0) {
                r.problems.push(Problem {
                    severity: Severity::Warning,
                    line: Some(pos.0),
                    column: Some(pos.1),
                    field: Some(format!("{prefix}.unique_id")),
                    message,
                });
            }
            Outcome::Read(e)
        }
        Err(f) => {
            r.report(
                Severity::Error,
                &prefix,
                pos,
                raw,
                f,
                "; the slide was skipped",
            );
            Outcome::Skipped
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Precision;

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
    fn deeply_nested_json_is_an_error_not_a_crash() {
        let mut text = String::from("{\"events\": [");
        text.push_str(&"[".repeat(100_000));
        assert!(read_json(Path::new("x.json"), text.as_bytes()).is_err());
        let mut text = String::from("{\"events\": [{\"start_date\": ");
        text.push_str(&"[".repeat(100_000));
        assert!(read_json(Path::new("x.json"), text.as_bytes()).is_err());
    }
}

//! TimelineJS 2 (before 2015), still behind many published timelines:
//!
//! ```json
//! {"timeline": {"headline", "type": "default", "text", "startDate", "asset",
//!   "date": [{"startDate": "2011,12,10", "endDate", "headline", "text",
//!             "tag", "classname", "asset": {"media", "credit", "caption"}}],
//!   "era": [{"startDate", "endDate", "headline", "text", "tag"}]}}
//! ```
//!
//! Dates are `YYYY,MM,DD[,hh,mm[,ss]]` strings whose later parts are
//! optional: the finest part given is the precision. A plain year (`2011`,
//! also as a number) and ISO dates (`2011-12-10`) are read too; slashed
//! dates (`12/10/2011`) are refused rather than guessed.
//!
//! A slide becomes an event exactly as a TimelineJS 3 slide does (same
//! kinds, titles, ids `slide-N`, media as a source): `tag` is version 3's
//! `group`, `asset` its `media`. The timeline's own headline and text are
//! the dataset's title and description.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use serde_json::value::RawValue;

use super::json::{
    Fault, JsonReader, Object, Slide, fault, media_source, parse_value, slide_to_event,
};
use super::{DateParts, html_to_line, html_to_text, non_empty, parse_whole, value_text};
use crate::io::error::LoadError;
use crate::io::format::Format;
use crate::io::json::bare_message;
use crate::io::jsonsniff;
use crate::io::loaded::Loaded;
use crate::io::names::display_name;
use crate::io::report::{Problem, Severity};
use crate::io::text::{LineCursor, decode, windows_1252_warning};
use crate::model::{Era, FuzzyDate};
use crate::table::Dataset;

/// The file is TimelineJS 2 JSON (judged by its first keys).
pub fn is_v2(bytes: &[u8]) -> bool {
    if !jsonsniff::looks_like_json(bytes) {
        return false;
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    jsonsniff::shape(&String::from_utf8_lossy(head)).is_timelinejs2()
}

/// A TimelineJS 2 date: `2011,12,10`, `2011,12,10,14,30`, `2011`, or ISO.
pub fn parse_date(v: &Value) -> Result<FuzzyDate, String> {
    let text = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return Err("a date must be text like \"2011,12,10\"".into()),
    };
    if text.is_empty() {
        return Err("the date is empty".into());
    }
    let shown: String = text.chars().take(40).collect();
    if text.contains('/') {
        return Err(format!(
            "`{shown}` is not a date TimelineJS 2 writes: day and month order cannot be told; write it as YYYY,MM,DD"
        ));
    }
    if text.contains('-')
        && !text.starts_with('-')
        && let Ok(d) = FuzzyDate::parse(&text)
    {
        return Ok(d);
    }
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    // A trailing comma (`2011,12,`) leaves an empty last part.
    let used = parts
        .iter()
        .rposition(|p| !p.is_empty())
        .map_or(0, |i| i + 1);
    if used > 6 || parts[..used].iter().any(|p| p.is_empty()) {
        return Err(format!(
            "`{shown}` is not a date like 2011,12,10 or 2011,12,10,14,30"
        ));
    }
    let mut nums = [None; 6];
    for (slot, part) in nums.iter_mut().zip(&parts[..used]) {
        *slot = parse_whole(part).map_err(|m| {
            format!("`{shown}` is not a date like 2011,12,10 or 2011,12,10,14,30 ({m})")
        })?;
    }
    DateParts {
        year: nums[0],
        month: nums[1],
        day: nums[2],
        hour: nums[3],
        minute: nums[4],
        second: nums[5],
        millisecond: None,
    }
    .to_fuzzy()
    .map_err(|(_, m)| format!("`{shown}` is not a date: {m}"))
}

/// A version 2 slide read into a version 3 one.
fn read_slide<'a>(raw: &'a RawValue) -> Result<(Slide, Vec<Fault<'a>>), Fault<'a>> {
    let obj: Object<'a> = serde_json::from_str(raw.get())
        .map_err(|_| fault("", Some(raw), "a slide must be an object"))?;
    let mut warnings = Vec::new();
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
    let start_raw = obj.get("startDate").copied();
    match start_raw.map(parse_value) {
        None | Some(Value::Null) => {
            return Err(fault("startDate", Some(raw), "the slide has no startDate"));
        }
        Some(v) => {
            slide.start = Some(parse_date(&v).map_err(|m| fault("startDate", start_raw, m))?);
        }
    }
    if let Some(end_raw) = obj.get("endDate").copied() {
        let v = parse_value(end_raw);
        let empty =
            matches!(&v, Value::Null) || matches!(&v, Value::String(s) if s.trim().is_empty());
        if !empty {
            match parse_date(&v) {
                Ok(end) => match slide.start {
                    Some(s) if end.latest < s.earliest => {
                        warnings.push(fault(
                            "endDate",
                            Some(end_raw),
                            "the end is before the start; the slide was read as a point in time",
                        ));
                        slide
                            .extra
                            .insert("timelinejs.endDate".into(), Value::String(end.to_text()));
                    }
                    // TimelineJS 2 repeats the start as the end of a point.
                    Some(s) if end == s => {}
                    _ => slide.end = Some(end),
                },
                Err(m) => {
                    warnings.push(fault(
                        "endDate",
                        Some(end_raw),
                        format!("{m}; the slide was read without its end"),
                    ));
                    slide.extra.insert("timelinejs.endDate".into(), v);
                }
            }
        }
    }
    for (key, v) in &obj {
        let value = parse_value(v);
        match key.as_str() {
            "startDate" | "endDate" => {}
            "headline" => {
                let html = value_text(&value).unwrap_or_default();
                slide.headline = html_to_line(&html);
                slide.headline_html = html;
            }
            "text" => {
                let html = value_text(&value).unwrap_or_default();
                slide.description = html_to_text(&html);
                slide.text_html = html;
            }
            "tag" => {
                slide.group = non_empty(value_text(&value));
                if slide.group.is_none() && value != Value::Null {
                    slide.extra.insert("timelinejs.tag".into(), value);
                }
            }
            "asset" => {
                if let Some(source) = media_source(&value, "media") {
                    slide.media = Some(source);
                }
                if value != Value::Null {
                    slide.extra.insert("timelinejs.asset".into(), value);
                }
            }
            other => {
                if value != Value::Null {
                    slide.extra.insert(format!("timelinejs.{other}"), value);
                }
            }
        }
    }
    Ok((slide, warnings))
}

pub fn read(path: &Path, bytes: &[u8]) -> Result<Loaded, LoadError> {
    let (text, fallback) = decode(bytes);
    let text: &str = &text;
    let not_timeline = |why: &str| LoadError::Invalid {
        path: path.to_path_buf(),
        message: format!("is not a TimelineJS 2 timeline: {why}"),
    };
    let top: Object = match serde_json::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            return Err(match e.classify() {
                serde_json::error::Category::Data => {
                    not_timeline("the top level of the JSON is not an object")
                }
                _ => LoadError::Syntax {
                    path: path.to_path_buf(),
                    line: e.line() as u64,
                    column: e.column() as u64,
                    message: bare_message(&e),
                },
            });
        }
    };
    let Some(timeline_raw) = top.get("timeline") else {
        return Err(not_timeline("it has no `timeline` object"));
    };
    let Ok(timeline) = serde_json::from_str::<Object>(timeline_raw.get()) else {
        return Err(not_timeline("`timeline` is not an object"));
    };
    let mut r = JsonReader {
        text,
        cursor: LineCursor::new(text),
        problems: Vec::new(),
    };
    if fallback {
        r.problems.push(windows_1252_warning());
    }
    let list = |key: &str| -> Result<Vec<&RawValue>, LoadError> {
        match timeline.get(key) {
            None => Ok(Vec::new()),
            Some(raw) if parse_value(raw) == Value::Null => Ok(Vec::new()),
            Some(raw) => serde_json::from_str(raw.get())
                .map_err(|_| not_timeline(&format!("`timeline.{key}` is not a list"))),
        }
    };
    if !timeline.contains_key("date") {
        return Err(not_timeline("it has no `timeline.date` list of slides"));
    }
    let slides = list("date")?;
    let eras_raw = list("era")?;
    let file = display_name(path);
    let text_of = |key: &str| {
        timeline
            .get(key)
            .and_then(|v| value_text(&parse_value(v)))
            .unwrap_or_default()
    };
    let title = html_to_line(&text_of("headline"));
    let description = html_to_text(&text_of("text"));

    // Positions must be asked for in file order.
    let mut recs: Vec<(bool, usize, &RawValue)> = eras_raw
        .iter()
        .enumerate()
        .map(|(i, r)| (true, i, *r))
        .chain(slides.iter().enumerate().map(|(i, r)| (false, i, *r)))
        .collect();
    recs.sort_by_key(|(_, _, raw)| raw.get().as_ptr() as usize);
    let mut events = Vec::with_capacity(slides.len());
    let mut eras = Vec::new();
    let mut skipped = 0usize;
    let mut seen_ids: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for (is_era, i, raw) in recs {
        let pos = r.position(raw);
        let (prefix, what) = if is_era {
            (format!("timeline.era[{i}]"), "era")
        } else {
            (format!("timeline.date[{i}]"), "slide")
        };
        match read_slide(raw) {
            Ok((slide, warnings)) => {
                for w in warnings {
                    r.report(Severity::Warning, &prefix, pos, raw, w, "");
                }
                if is_era {
                    let Some(start) = slide.start else { continue };
                    eras.push(Era {
                        name: if slide.headline.is_empty() {
                            format!("Era {}", i + 1)
                        } else {
                            slide.headline
                        },
                        start,
                        end: slide.end.unwrap_or(start),
                        color: None,
                    });
                } else if let Some(e) = slide_to_event(slide, i + 1, &file, Some(pos.0)) {
                    if let Some(first) = seen_ids.insert(e.id.clone(), pos.0) {
                        r.problems.push(Problem {
                            severity: Severity::Warning,
                            line: Some(pos.0),
                            column: Some(pos.1),
                            field: Some(prefix.clone()),
                            message: format!(
                                "the id `{}` is also used by the slide on line {first}; notes on one will show on both",
                                e.id
                            ),
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
                    &format!("; the {what} was skipped"),
                );
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Precision;
    use proptest::prelude::*;

    fn date(s: &str) -> Result<FuzzyDate, String> {
        parse_date(&Value::String(s.into()))
    }

    #[test]
    fn later_parts_of_a_date_are_optional() {
        let cases = [
            ("2011", "2011", Precision::Year),
            ("2011,12", "2011-12", Precision::Month),
            ("2011,12,10", "2011-12-10", Precision::Day),
            ("2011,12,10,", "2011-12-10", Precision::Day),
            (" 2011, 12, 10, 7", "2011-12-10T07", Precision::Hour),
            ("2011,12,10,07,02", "2011-12-10T07:02", Precision::Minute),
            (
                "2011,12,10,07,02,09",
                "2011-12-10T07:02:09",
                Precision::Second,
            ),
            ("2011-12-10", "2011-12-10", Precision::Day),
        ];
        for (text, want, precision) in cases {
            let d = date(text).unwrap();
            assert_eq!(
                (d.to_text().as_str(), d.precision),
                (want, precision),
                "{text}"
            );
        }
        assert_eq!(
            parse_date(&serde_json::json!(1999)).unwrap().to_text(),
            "1999"
        );
    }

    #[test]
    fn bad_dates_are_refused_in_words() {
        assert!(date("2011,13,10").unwrap_err().contains("no month 13"));
        assert!(date("2011,2,30").unwrap_err().contains("no day 30"));
        assert!(date("12/10/2011").unwrap_err().contains("YYYY,MM,DD"));
        assert!(date("2011,,10").is_err());
        assert!(date("soon").is_err());
        assert!(date("").is_err());
        assert!(date("1,2,3,4,5,6,7").is_err());
        assert!(parse_date(&Value::Bool(true)).is_err());
    }

    proptest! {
        #[test]
        fn arbitrary_dates_never_panic(s in "[0-9,\\- /]{0,30}") {
            let _ = date(&s);
        }

        #[test]
        fn arbitrary_files_never_panic(body in "[a-zA-Z0-9,:\\[\\]{}\" ]{0,200}") {
            let text = format!("{{\"timeline\": {{\"date\": [{body}]}}}}");
            let _ = read(Path::new("x.json"), text.as_bytes());
            let _ = read(Path::new("x.json"), body.as_bytes());
        }
    }
}

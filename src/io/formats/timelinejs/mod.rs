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
//!
//! The JSON form is read in `json` (version 2's in `v2`, with the same
//! slide rules), the spreadsheet in `sheet`; the helpers all three share
//! (HTML to text, date parts, titles and kinds) are here.

use chrono::NaiveDate;
use serde_json::Value;

use crate::model::{FuzzyDate, Precision};

mod json;
mod sheet;
pub(crate) mod v2;

pub use json::read_json;
pub use sheet::read_sheet;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::error::LoadError;
    use proptest::prelude::*;
    use std::path::Path;

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

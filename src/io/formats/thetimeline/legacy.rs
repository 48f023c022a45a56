//! Timeline before 0.10 (2009) saved text, not XML:
//!
//! ```text
//! # Written by Timeline 0.9.0 on 2010-5-1 10:15:54
//! PREFERRED-PERIOD:2010-4-27 21:54:54;2010-5-13 6:33:18
//! CATEGORY:Work;255,0,0;True
//! EVENT:2010-5-2 9:0:0;2010-5-2 9:0:0;Tennis;Private;description:Med Kristoffer.
//! # END
//! ```
//!
//! Fields are split on `;` (a backslash escapes `;`, `\` and stands for
//! line breaks as `\n`); an event is `start;end;text[;category][;key:value…]`
//! with `description:` and `icon:` (a base64 PNG) as keys; times are
//! `YYYY-M-D h:m:s` without zero padding. `PREFERRED-PERIOD` is the view
//! Timeline last showed and a category's third field whether it was
//! shown: view state, not facts, so they are checked but not kept.
//!
//! Each line becomes the record the XML reader builds from an `<event>` or
//! `<category>`, and the XML reader's own rules turn it into an event
//! (precision from the times, categories as kinds, containers, `extra`).

use std::path::Path;

use super::{Field, Reader, Record, parse_datetime, parse_rgb};
use crate::io::error::LoadError;
use crate::io::format::Format;
use crate::io::loaded::Loaded;
use crate::io::names::display_name;
use crate::io::report::{Problem, Severity};
use crate::io::text::{decode, windows_1252_warning};
use crate::table::Dataset;

const PREFIXES: [&str; 3] = ["PREFERRED-PERIOD:", "CATEGORY:", "EVENT:"];

/// The text is a Timeline 0.x file: its first line that is not blank is
/// the `# Written by Timeline` header or one of its record lines.
pub fn looks_like(text: &str) -> bool {
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    first.starts_with("# Written by Timeline") || PREFIXES.iter().any(|p| first.starts_with(p))
}

/// [`looks_like`] on the first bytes of a file.
pub fn looks_like_bytes(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    looks_like(&String::from_utf8_lossy(head))
}

/// Split on `;` not escaped by a backslash; each part keeps its escapes,
/// with its character offset in the line.
fn split_fields(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut start_char = 0;
    let mut escaped = false;
    for (n, (i, c)) in text.char_indices().enumerate() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ';' {
            out.push((start_char, &text[start..i]));
            start = i + 1;
            start_char = n + 1;
        }
    }
    out.push((start_char, &text[start..]));
    out
}

/// Undo Timeline's quoting: `\n` and `\r` are line breaks, `\x` is `x`.
pub fn dequote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

pub fn read(path: &Path, bytes: &[u8]) -> Result<Loaded, LoadError> {
    if bytes.iter().take(4096).any(|&b| b == 0) {
        return Err(LoadError::Invalid {
            path: path.to_path_buf(),
            message: "is a binary file, not a Timeline file".into(),
        });
    }
    let (text, fallback) = decode(bytes);
    let text = text.trim_start_matches('\u{feff}');
    if !looks_like(text) {
        return Err(LoadError::Invalid {
            path: path.to_path_buf(),
            message: "is not a Timeline 0.x text file: it does not start with `# Written by Timeline` or an EVENT:, CATEGORY: or PREFERRED-PERIOD: line".into(),
        });
    }
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
    if fallback {
        r.problems.push(windows_1252_warning());
    }
    let mut counts = (0usize, 0usize);
    for (n, raw_line) in text.lines().enumerate() {
        let line = n as u64 + 1;
        let content = raw_line.trim_end_matches('\r');
        let trimmed = content.trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(comment) = trimmed.strip_prefix('#') {
            if let Some(rest) = comment.trim().strip_prefix("Written by Timeline ") {
                let version = rest.split(" on ").next().unwrap_or("").trim();
                if !version.is_empty() {
                    r.version = Some(version.to_string());
                }
            }
            continue;
        }
        let Some(prefix) = PREFIXES.iter().find(|p| content.starts_with(*p)) else {
            r.skipped += 1;
            let shown: String = trimmed.chars().take(30).collect();
            r.problems.push(problem(
                line,
                Severity::Error,
                0,
                format!("line {line}"),
                format!(
                    "`{shown}` is not a Timeline line (EVENT:, CATEGORY:, PREFERRED-PERIOD: or a # comment); it was skipped"
                ),
            ));
            continue;
        };
        let body = &content[prefix.len()..];
        let l = Line {
            number: line,
            body,
            offset: prefix.chars().count(),
            parts: split_fields(body),
        };
        match *prefix {
            "PREFERRED-PERIOD:" => check_period(&mut r, &l),
            "CATEGORY:" => {
                let index = counts.1;
                counts.1 += 1;
                read_category(&mut r, &l, index);
            }
            _ => {
                let index = counts.0;
                counts.0 += 1;
                read_event(&mut r, &l, index);
            }
        }
    }
    let version = r.version.clone();
    let (events, kinds, problems, skipped, eras) = r.finish();
    let title = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| file.clone());
    Ok(Loaded::of_file(
        path,
        Format::TheTimeline,
        Dataset {
            title,
            description: match version {
                Some(v) => format!("Timeline text file (written by Timeline {v})"),
                None => "Timeline text file (Timeline before 0.10)".to_string(),
            },
            kinds,
            eras,
            events: events.into(),
            ..Dataset::default()
        },
        problems,
        skipped,
    ))
}

/// A problem on line `line`, at 0-based character `column`.
fn problem(
    line: u64,
    severity: Severity,
    column: usize,
    field: String,
    message: String,
) -> Problem {
    Problem {
        severity,
        line: Some(line),
        column: Some(column as u64 + 1),
        field: Some(field),
        message,
    }
}

/// A record line split into its fields.
struct Line<'t> {
    /// 1-based.
    number: u64,
    /// The text after the prefix (`EVENT:`, `CATEGORY:`…).
    body: &'t str,
    /// Characters in the prefix: where the body starts.
    offset: usize,
    /// The body's fields, each with its character offset in the body.
    parts: Vec<(usize, &'t str)>,
}

impl Line<'_> {
    /// Field `i` unquoted, placed where it starts (at the end of the line
    /// when the line has fewer fields).
    fn field_at(&self, i: usize) -> Field {
        let (col, text) = self
            .parts
            .get(i)
            .copied()
            .unwrap_or((self.body.chars().count(), ""));
        Field {
            value: dequote(text),
            line: self.number,
            column: (self.offset + col) as u64 + 1,
        }
    }
}

/// The `PREFERRED-PERIOD:` line: the view Timeline last showed, checked
/// (two times) but not kept. One that is not two times is a warning.
fn check_period(r: &mut Reader, l: &Line) {
    let bad = l.parts.len() != 2 || l.parts.iter().any(|(_, t)| parse_datetime(t).is_none());
    if bad {
        r.problems.push(problem(
            l.number,
            Severity::Warning,
            l.offset,
            "PREFERRED-PERIOD".into(),
            "the period Timeline last showed is not two times like 2009-10-17 22:38:32; it was ignored (it is view state, not an event)".into(),
        ));
    }
}

/// A `CATEGORY:` line, category `index`: `name;r,g,b;visible`, finished
/// into `r`. A colour that is not one, or more fields, is a warning.
fn read_category(r: &mut Reader, l: &Line, index: usize) {
    let line = l.number;
    let mut rec = Record {
        index,
        line,
        column: 1,
        ..Record::default()
    };
    rec.fields.insert("name".into(), l.field_at(0));
    if l.parts.len() > 1 {
        let color = l.field_at(1);
        if parse_rgb(&color.value).is_none() {
            r.problems.push(Problem {
                severity: Severity::Warning,
                line: Some(line),
                column: Some(color.column),
                field: Some(format!("category[{index}].color")),
                message: format!(
                    "`{}` is not a colour like 255,165,0; the category's kind gets a colour of its own",
                    crate::io::text::shorten(&color.value, 30)
                ),
            });
        }
        rec.fields.insert("color".into(), color);
    }
    if l.parts.len() > 3 {
        r.problems.push(problem(
            line,
            Severity::Warning,
            l.offset,
            format!("category[{index}]"),
            format!(
                "the category has {} fields, not 2 or 3 (name;r,g,b;visible); the others were ignored",
                l.parts.len()
            ),
        ));
    }
    r.finish_category(rec);
}

/// An `EVENT:` line, event `index`: `start;end;text[;category][;key:value…]`,
/// finished into `r`. Fewer than three fields skip it (an error); an item
/// that is not `key:value`, or whose key is empty or repeated, is a
/// warning and ignored.
fn read_event(r: &mut Reader, l: &Line, index: usize) {
    let line = l.number;
    let offset = l.offset;
    let parts = &l.parts;
    let mut rec = Record {
        index,
        line,
        column: 1,
        ..Record::default()
    };
    if parts.len() < 3 {
        r.skipped += 1;
        r.problems.push(problem(
            line,
            Severity::Error,
            offset,
            format!("event[{index}]"),
            format!(
                "the event has {} fields, not start;end;text[;category]; it was skipped",
                parts.len()
            ),
        ));
        return;
    }
    rec.fields.insert("start".into(), l.field_at(0));
    rec.fields.insert("end".into(), l.field_at(1));
    rec.fields.insert("text".into(), l.field_at(2));
    let category = l.field_at(3);
    if !category.value.trim().is_empty() {
        rec.fields.insert("category".into(), category);
    }
    for (i, &(col, item)) in parts.iter().enumerate().skip(4) {
        let Some((key, value)) = item.split_once(':') else {
            r.problems.push(problem(
                line,
                Severity::Warning,
                offset + col,
                format!("event[{index}]"),
                format!(
                    "`{}` is not key:value; it was ignored",
                    crate::io::text::shorten(item, 30)
                ),
            ));
            continue;
        };
        let key = key.trim();
        if key.is_empty() || rec.fields.contains_key(key) {
            r.problems.push(problem(
                line,
                Severity::Warning,
                offset + col,
                format!("event[{index}].{key}"),
                "the field is empty-named or repeated; it was ignored".into(),
            ));
            continue;
        }
        let mut f = l.field_at(i);
        f.value = dequote(value);
        rec.fields.insert(key.to_string(), f);
    }
    r.finish_event(rec);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Precision;
    use proptest::prelude::*;

    fn read_str(text: &str) -> Result<Loaded, LoadError> {
        read(Path::new("old.timeline"), text.as_bytes())
    }

    #[test]
    fn fields_split_on_unescaped_semicolons() {
        let parts: Vec<&str> = split_fields(r"a;b\;c;;d\\;e")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(parts, ["a", r"b\;c", "", r"d\\", "e"]);
        assert_eq!(dequote(r"one\ntwo\;three\\"), "one\ntwo;three\\");
        assert_eq!(split_fields("x;yé;z")[2].0, 5);
    }

    #[test]
    fn the_files_of_timeline_0_1_and_0_9_are_read() {
        let l = read_str(
            "# Written by Timeline 0.1.0 on 2009-11-15 19:28:7\nPREFERRED-PERIOD:2009-10-17 22:38:32;2009-12-2 16:22:4\nCATEGORY:Category 1;188,129,224;True\nEVENT:2009-11-4 22:52:0;2009-11-11 22:52:0;Event 1;Category 1\nEVENT:2010-5-2 0:0:0;2010-5-2 0:0:0;Tennis\\; doubles;;description:Med\\nKristoffer.\n# END\n",
        )
        .unwrap();
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        let e = l.dataset.events.to_vec();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].when.start.to_text(), "2009-11-04T22:52");
        assert_eq!(e[0].when.start.precision, Precision::Minute);
        assert_eq!(
            e[0].when.end.map(|d| d.to_text()).as_deref(),
            Some("2009-11-11T22:52")
        );
        assert_eq!(l.dataset.kinds[0].label, "Category 1");
        assert_eq!(e[0].kind, l.dataset.kinds[0].id);
        assert_eq!(e[1].title, "Tennis; doubles");
        assert_eq!(e[1].description, "Med\nKristoffer.");
        assert_eq!(e[1].when.start.to_text(), "2010-05-02");
        assert!(e[1].when.end.is_none());
        assert!(l.dataset.description.contains("0.1.0"));
    }

    #[test]
    fn bad_lines_are_reported_where_they_are() {
        let l = read_str(
            "# Written by Timeline 0.9.0 on 2010-5-1 10:15:54\nEVENT:2010-13-2 9:0:0;2010-5-2 9:0:0;Bad month;\nEVENT:only;two\nhello\nEVENT:2010-5-2 9:0:0;2010-5-2 9:0:0;Fine;;icon:iVBORw0KGgo=\n",
        )
        .unwrap();
        assert_eq!(l.dataset.events.len(), 1);
        assert_eq!(l.skipped, 3);
        assert_eq!(l.problems[0].line, Some(2));
        assert_eq!(l.problems[0].column, Some(7));
        assert_eq!(l.problems[0].field.as_deref(), Some("event[0].start"));
        assert_eq!(l.problems[1].line, Some(3));
        assert_eq!(l.problems[2].line, Some(4));
        assert_eq!(
            l.dataset.events.get(0).unwrap().extra["timeline.icon"],
            serde_json::json!("iVBORw0KGgo=")
        );
    }

    #[test]
    fn other_text_is_not_taken_for_timeline() {
        assert!(!looks_like("date,title\n"));
        assert!(looks_like("\u{feff}\n# Written by Timeline 0.5.0 on x\n"));
        assert!(read_str("date,title\n").is_err());
    }

    proptest! {
        #[test]
        fn arbitrary_lines_never_panic(body in "[A-Za-z0-9:;,\\\\ \n#é-]{0,300}") {
            let _ = read_str(&format!("# Written by Timeline 0.9.0 on x\n{body}"));
            let _ = read_str(&format!("EVENT:{body}"));
        }
    }
}

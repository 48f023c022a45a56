//! Which JSON format a file is, told by its keys. (JSON whose keys say
//! nothing is given to every JSON reader in turn: [`super::load`].)
//!
//! The keys are found by a small scanner over the first bytes of the file
//! (it never builds the document), so telling a one-gigabyte Eventline file
//! from an ACLED API response costs nothing.

use super::format::Format;

/// The keys that tell JSON formats apart, as far as the scanned text goes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// The top level is an array (`[…]`) rather than an object.
    pub array: bool,
    /// Keys of the top-level object.
    pub top: Vec<String>,
    /// Keys of the object under the top-level `timeline` key (TimelineJS 2).
    pub timeline: Vec<String>,
    /// Keys of the first row: the first object in the top-level `data` or
    /// `Result` list, or in a top-level array.
    pub row: Vec<String>,
    /// The scan reached the end of the top-level value, so `top` holds
    /// every top-level key.
    pub complete: bool,
}

impl Shape {
    pub fn top_has(&self, key: &str) -> bool {
        self.top.iter().any(|k| k == key)
    }

    fn row_has(&self, key: &str) -> bool {
        self.row.iter().any(|k| k == key)
    }

    /// The format these keys say, if they say one.
    pub fn format(&self) -> Option<Format> {
        if self.array {
            if self.row_has("event_id_cnty") {
                return Some(Format::Acled);
            }
            if self.row_has("type_of_violence") {
                return Some(Format::Ucdp);
            }
            return None;
        }
        if self.top_has("eventline") {
            return Some(Format::Eventline);
        }
        if self.top_has("timeline") || self.top_has("events") {
            return Some(Format::TimelineJs);
        }
        if self.top_has("data")
            && (self.row_has("event_id_cnty")
                || ["success", "last_update", "filename"]
                    .iter()
                    .any(|k| self.top_has(k)))
        {
            return Some(Format::Acled);
        }
        if self.top_has("Result")
            && (self.row_has("type_of_violence")
                || ["TotalCount", "TotalPages", "NextPageUrl"]
                    .iter()
                    .any(|k| self.top_has(k)))
        {
            return Some(Format::Ucdp);
        }
        None
    }

    /// TimelineJS 2 rather than 3: everything is under `timeline`.
    pub fn is_timelinejs2(&self) -> bool {
        self.top_has("timeline") && !self.top_has("events")
    }
}

/// The text without a byte-order mark and leading white space starts a
/// JSON object or array.
pub fn looks_like_json(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    body.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{' || b == b'[')
}

/// What a container is, for knowing whose keys to keep.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Label {
    Top,
    Timeline,
    Rows,
    FirstRow,
    Other,
}

struct Frame {
    object: bool,
    label: Label,
    /// In an object: the next string is a key.
    expect_key: bool,
    /// In an object: the last key read.
    key: Option<String>,
    /// In an array: the index of the current element.
    index: usize,
}

/// Keys longer than this are not the ones we look for.
const MAX_KEY: usize = 64;
/// At most this many keys are kept per object.
const MAX_KEYS: usize = 256;

/// Scan `text` (the whole file or its first bytes) for the keys that tell
/// formats apart. Stops quietly where the text ends or stops being JSON.
pub fn shape(text: &str) -> Shape {
    let mut out = Shape::default();
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    let mut started = false;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'{' | b'[' => {
                let label = match stack.last() {
                    None => Label::Top,
                    Some(parent) => match (parent.label, parent.object, b) {
                        (Label::Top, true, b'{') if parent.key.as_deref() == Some("timeline") => {
                            Label::Timeline
                        }
                        (Label::Top, true, b'[')
                            if matches!(parent.key.as_deref(), Some("data" | "Result")) =>
                        {
                            Label::Rows
                        }
                        (Label::Top | Label::Rows, false, b'{') if parent.index == 0 => {
                            Label::FirstRow
                        }
                        _ => Label::Other,
                    },
                };
                if stack.is_empty() {
                    if started {
                        break;
                    }
                    started = true;
                    out.array = b == b'[';
                }
                if stack.len() > 64 {
                    break;
                }
                stack.push(Frame {
                    object: b == b'{',
                    label,
                    expect_key: b == b'{',
                    key: None,
                    index: 0,
                });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                if stack.is_empty() {
                    out.complete = started;
                    break;
                }
                i += 1;
            }
            b',' => {
                if let Some(f) = stack.last_mut() {
                    if f.object {
                        f.expect_key = true;
                    } else {
                        f.index += 1;
                    }
                }
                i += 1;
            }
            b'"' => {
                let (s, next) = scan_string(bytes, i + 1);
                i = next;
                let Some(f) = stack.last_mut() else {
                    break;
                };
                if f.object && f.expect_key {
                    f.expect_key = false;
                    let list = match f.label {
                        Label::Top => Some(&mut out.top),
                        Label::Timeline => Some(&mut out.timeline),
                        Label::FirstRow => Some(&mut out.row),
                        Label::Rows | Label::Other => None,
                    };
                    if let (Some(list), Some(key)) = (list, s.as_ref())
                        && list.len() < MAX_KEYS
                    {
                        list.push(key.clone());
                    }
                    f.key = s;
                }
            }
            _ => {
                let in_bom = i < 3 && text.starts_with('\u{feff}');
                if stack.is_empty() && !b.is_ascii_whitespace() && !in_bom {
                    // Text before the top-level value: not JSON.
                    break;
                }
                i += 1;
            }
        }
    }
    out
}

/// The string starting at `start` (just after its opening quote): its text
/// when it is a short key, and the index after its closing quote.
fn scan_string(bytes: &[u8], start: usize) -> (Option<String>, usize) {
    let mut i = start;
    let mut plain = true;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                plain = false;
                i += 2;
            }
            b'"' => {
                let text = (plain && i - start <= MAX_KEY)
                    .then(|| String::from_utf8_lossy(&bytes[start..i]).into_owned());
                return (text, i + 1);
            }
            _ => i += 1,
        }
    }
    (None, bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_at_their_level() {
        let s = shape(
            r#"{"status": 200, "success": true, "messages": ["a{b"], "data": [{"event_id_cnty": "AZE1", "x": {"eventline": 1}}, {"y": 2}], "filename": "f"}"#,
        );
        assert_eq!(s.top, ["status", "success", "messages", "data", "filename"]);
        assert_eq!(s.row, ["event_id_cnty", "x"]);
        assert!(s.complete);
        assert_eq!(s.format(), Some(Format::Acled));
    }

    #[test]
    fn each_format_is_told_by_its_keys() {
        let cases = [
            (r#"{"eventline": 1, "events": []}"#, Some(Format::Eventline)),
            (r#"{"title": {}, "events": []}"#, Some(Format::TimelineJs)),
            (
                r#"{"timeline": {"headline": "h", "date": []}}"#,
                Some(Format::TimelineJs),
            ),
            (
                r#"{"TotalCount": 1, "Result": [{"id": 1, "type_of_violence": 1}]}"#,
                Some(Format::Ucdp),
            ),
            (r#"[{"type_of_violence": 1}]"#, Some(Format::Ucdp)),
            (r#"[{"event_id_cnty": "A"}]"#, Some(Format::Acled)),
            (r#"{"data": [{"name": "x"}]}"#, None),
            (r#"{"weather": "fine"}"#, None),
            ("\u{feff} {\"eventline\": 1}", Some(Format::Eventline)),
            // Keys inside strings and nested objects do not count.
            (r#"{"note": "\"eventline\": 1", "x": {"events": 1}}"#, None),
        ];
        for (text, want) in cases {
            assert_eq!(shape(text).format(), want, "{text}");
        }
        assert!(shape(r#"{"timeline": {"date": []}}"#).is_timelinejs2());
        assert!(!shape(r#"{"events": [], "timeline": 1}"#).is_timelinejs2());
    }

    #[test]
    fn a_cut_or_broken_text_is_scanned_as_far_as_it_goes() {
        let s = shape(r#"{"status": 200, "data": [{"event_id_cnty": "AZE1", "no"#);
        assert_eq!(s.format(), Some(Format::Acled));
        assert!(!s.complete);
        assert_eq!(shape("{\"a\"").top, ["a"]);
        assert_eq!(shape("").format(), None);
        assert_eq!(shape("[[[[[[").format(), None);
        assert_eq!(shape("\"\\").format(), None);
    }

    #[test]
    fn json_is_recognised_by_its_first_character() {
        assert!(looks_like_json(b"\xEF\xBB\xBF  {"));
        assert!(looks_like_json(b"\n[1]"));
        assert!(!looks_like_json(b"a,b\n"));
        assert!(!looks_like_json(b""));
    }
}

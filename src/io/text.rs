//! Text helpers shared by the readers: decoding and byte offset → position.

/// Maps byte offsets in a text to 1-based line and column (in characters).
/// Offsets must be asked for in increasing order for O(n) total work.
pub struct LineCursor<'a> {
    text: &'a str,
    offset: usize,
    line: u64,
    line_start: usize,
}

impl<'a> LineCursor<'a> {
    pub fn new(text: &'a str) -> LineCursor<'a> {
        LineCursor {
            text,
            offset: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// Line and column of `offset`. Falls back to a fresh scan if asked to
    /// go backwards.
    pub fn position(&mut self, offset: usize) -> (u64, u64) {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            *self = LineCursor::new(self.text);
        }
        let bytes = self.text.as_bytes();
        for (i, &b) in bytes[self.offset..offset].iter().enumerate() {
            if b == b'\n' {
                self.line += 1;
                self.line_start = self.offset + i + 1;
            }
        }
        self.offset = offset;
        let column = self
            .text
            .get(self.line_start..offset)
            .map_or(offset - self.line_start, |s| s.chars().count())
            + 1;
        (self.line, column as u64)
    }
}

/// Line and column of a byte offset in raw bytes (for bytes that are not
/// valid text).
pub fn byte_position(bytes: &[u8], offset: usize) -> (u64, u64) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    (line, (offset - line_start) as u64 + 1)
}

/// The bytes as UTF-8 text without a byte-order mark, or the position of the
/// first byte that is not UTF-8.
pub fn utf8_text(bytes: &[u8]) -> Result<&str, (u64, u64)> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(body).map_err(|e| {
        let bom = bytes.len() - body.len();
        byte_position(bytes, bom + e.valid_up_to())
    })
}

/// Text of a file in whatever encoding it came in: UTF-8 (with or without a
/// byte-order mark, borrowed), else Windows-1252, which legacy exports
/// (ACLED's older files, spreadsheets saved on Windows) use. The flag says
/// the fallback was taken, so the reader can report it as a warning.
pub fn decode(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, bool) {
    // Excel's "Unicode Text" and some Windows tools write UTF-16 with a BOM.
    if let Some(enc) = utf16_encoding(bytes) {
        let (text, _, _) = enc.decode(bytes);
        return (std::borrow::Cow::Owned(text.into_owned()), false);
    }
    match utf8_text(bytes) {
        Ok(text) => (std::borrow::Cow::Borrowed(text), false),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text, true)
        }
    }
}

/// UTF-16 (either byte order), recognised by its byte-order mark.
pub fn utf16_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF, ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    }
}

/// The warning a reader adds when [`decode`] fell back to Windows-1252.
pub fn windows_1252_warning() -> super::Problem {
    super::Problem {
        severity: super::Severity::Warning,
        line: None,
        column: None,
        field: None,
        message: "the file is not UTF-8; it was read as Windows-1252".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "ab\nçé x\n";
        let mut c = LineCursor::new(text);
        assert_eq!(c.position(0), (1, 1));
        assert_eq!(c.position(3), (2, 1));
        let x = text.find('x').unwrap();
        assert_eq!(c.position(x), (2, 4));
        assert_eq!(c.position(1), (1, 2));
    }

    #[test]
    fn utf16_with_a_bom_is_read() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "date\ttitle\n2022-08-05\tCall".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (t, fallback) = decode(&bytes);
        assert!(!fallback);
        assert_eq!(t, "date\ttitle\n2022-08-05\tCall");
    }

    #[test]
    fn windows_1252_fallback() {
        let (t, fallback) = decode(b"Ba\xefk\xf6v");
        assert!(fallback);
        assert_eq!(t, "Ba\u{ef}k\u{f6}v");
        let (t, fallback) = decode("Bakı".as_bytes());
        assert!(!fallback);
        assert_eq!(t, "Bakı");
    }

    #[test]
    fn bad_utf8_is_located() {
        assert_eq!(utf8_text(b"ok\nab\xff"), Err((2, 3)));
        assert_eq!(utf8_text(b"\xEF\xBB\xBFhello"), Ok("hello"));
    }
}

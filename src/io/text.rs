//! Text helpers shared by the readers: decoding, byte offset → position,
//! and shortening for messages.

use super::error::LoadError;
use super::mapped::release_read;
use super::report::{MAX_PROBLEMS, Problem, Severity};

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
        // Every event of a large file asks: the lines are counted with
        // memchr's vector search, not byte by byte.
        let span = self.text.as_bytes().get(self.offset..offset).unwrap_or(&[]);
        if let Some(last) = memchr::memrchr(b'\n', span) {
            self.line += memchr::memchr_iter(b'\n', span).count() as u64;
            self.line_start = self.offset + last + 1;
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

/// Text of a file in whatever encoding it came in; the flag says a legacy
/// encoding was taken. Readers use [`decode_text`], which also says why.
pub fn decode(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, bool) {
    let d = decode_text(bytes);
    (d.text, d.legacy.is_some())
}

/// A file's text, with what decoding it had to say.
pub struct Decoded<'a> {
    pub text: std::borrow::Cow<'a, str>,
    /// The legacy encoding the file was read as, when it was not UTF-8
    /// (or UTF-16) at all.
    pub legacy: Option<&'static encoding_rs::Encoding>,
    /// Warnings: one per line that held bytes that are not UTF-8 (at most
    /// [`MAX_LINE_WARNINGS`], then one counting the rest), or the one
    /// naming the legacy encoding.
    pub problems: Vec<Problem>,
}

/// At most this many lines with bad bytes are listed one by one.
pub const MAX_LINE_WARNINGS: usize = MAX_PROBLEMS;

/// Text of a file in whatever encoding it came in:
/// - UTF-16 with a byte-order mark (Excel's "Unicode Text");
/// - UTF-8, borrowed, when it is valid (a byte-order mark is dropped);
/// - UTF-8 that has some bytes that are not UTF-8 (a file cut or joined
///   carelessly, one mis-typed character): each bad sequence becomes
///   U+FFFD and each line holding one is a warning, while every other
///   name keeps its letters. A UTF-8 byte-order mark always means this;
/// - otherwise, when most of the file's non-ASCII bytes are not UTF-8, a
///   legacy encoding (Windows-1252 for older ACLED files and spreadsheets
///   saved on Windows, Windows-1251 or KOI8-R for Russian, …) detected by
///   `chardetng`, named in a warning.
pub fn decode_text(bytes: &[u8]) -> Decoded<'_> {
    if let Some(enc) = utf16_encoding(bytes) {
        let (text, _, _) = enc.decode(bytes);
        return Decoded {
            text: std::borrow::Cow::Owned(text.into_owned()),
            legacy: None,
            problems: Vec::new(),
        };
    }
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let body = if bom { &bytes[3..] } else { bytes };
    if let Some(text) = utf8_releasing_pages(body) {
        return Decoded {
            text: std::borrow::Cow::Borrowed(text),
            legacy: None,
            problems: Vec::new(),
        };
    }
    if !bom && !mostly_utf8(body) {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(body, true);
        let enc = detector.guess(None, chardetng::Utf8Detection::Deny);
        let (text, _) = enc.decode_without_bom_handling(body);
        return Decoded {
            text: std::borrow::Cow::Owned(text.into_owned()),
            legacy: Some(enc),
            problems: vec![legacy_warning(enc)],
        };
    }
    let (text, problems) = lossy_utf8_by_line(body);
    Decoded {
        text: std::borrow::Cow::Owned(text),
        legacy: None,
        problems,
    }
}

/// `bytes` as UTF-8 text, when it is; checked in chunks on every core,
/// each chunk's pages of a mapped file given back once checked
/// ([`release_read`]), so that checking a large file does not hold
/// all of it in memory before the parser reaches it (the parser maps each
/// page in again as it reads).
fn utf8_releasing_pages(bytes: &[u8]) -> Option<&str> {
    utf8_in_chunks(bytes, 8 << 20)
}

fn utf8_in_chunks(bytes: &[u8], chunk: usize) -> Option<&str> {
    use rayon::prelude::*;
    // Chunks start where a character starts (not on a continuation byte
    // 0b10xxxxxx); four continuation bytes in a row are invalid anyway,
    // and the chunk that starts with one fails its check.
    let mut starts = vec![0];
    let mut at = chunk.max(1);
    while at < bytes.len() {
        let mut start = at;
        while start < bytes.len() && start < at + 3 && bytes[start] & 0xC0 == 0x80 {
            start += 1;
        }
        if start >= bytes.len() {
            break;
        }
        starts.push(start);
        at = start + chunk.max(1);
    }
    starts.push(bytes.len());
    let valid = starts.par_windows(2).all(|w| {
        let piece = bytes.get(w[0]..w[1]).unwrap_or(&[]);
        let ok = std::str::from_utf8(piece).is_ok();
        release_read(piece);
        ok
    });
    // SAFETY: `bytes` is the concatenation of the pieces just checked,
    // each valid UTF-8 on its own and each starting where a character
    // starts, so the whole is valid UTF-8.
    valid.then(|| unsafe { std::str::from_utf8_unchecked(bytes) })
}

/// True when at least as many of the non-ASCII bytes belong to valid UTF-8
/// sequences as do not: a UTF-8 file with a few bad bytes, not a legacy
/// file in which a valid sequence would be a rare accident.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut good = 0usize;
    let mut bad = 0usize;
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().len() - chunk.valid().bytes().filter(u8::is_ascii).count();
        bad += chunk.invalid().len();
    }
    good >= bad
}

/// UTF-8 with each bad sequence replaced by U+FFFD, and a warning for each
/// line that held one.
fn lossy_utf8_by_line(bytes: &[u8]) -> (String, Vec<Problem>) {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut problems = Vec::new();
    let mut line: u64 = 1;
    let mut bad_in_line = 0usize;
    let mut unlisted = 0usize;
    let flush = |line: u64, count: usize, problems: &mut Vec<Problem>, unlisted: &mut usize| {
        if count == 0 {
            return;
        }
        if problems.len() >= MAX_LINE_WARNINGS {
            *unlisted += 1;
            return;
        }
        problems.push(Problem {
            severity: Severity::Warning,
            line: Some(line),
            column: None,
            field: None,
            message: format!(
                "the line has {} that {} not UTF-8; {} shown as \u{fffd}, and the rest of the file is read as UTF-8",
                if count == 1 { "a byte sequence".to_string() } else { format!("{count} byte sequences") },
                if count == 1 { "is" } else { "are" },
                if count == 1 { "it is" } else { "they are" },
            ),
        });
    };
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        let mut rest = valid;
        while let Some(i) = rest.find('\n') {
            if bad_in_line > 0 {
                flush(line, bad_in_line, &mut problems, &mut unlisted);
                bad_in_line = 0;
            }
            line += 1;
            rest = &rest[i + 1..];
        }
        text.push_str(valid);
        if !chunk.invalid().is_empty() {
            text.push('\u{fffd}');
            bad_in_line += 1;
        }
    }
    if bad_in_line > 0 {
        flush(line, bad_in_line, &mut problems, &mut unlisted);
    }
    if unlisted > 0 {
        problems.push(Problem {
            severity: Severity::Warning,
            line: None,
            column: None,
            field: None,
            message: format!(
                "{unlisted} more lines have bytes that are not UTF-8 but are not listed"
            ),
        });
    }
    (text, problems)
}

/// An encoding's name as people write it: `Windows-1252`, `KOI8-R`.
pub fn encoding_name(enc: &'static encoding_rs::Encoding) -> String {
    let name = enc.name();
    match name.strip_prefix("windows-") {
        Some(rest) => format!("Windows-{rest}"),
        None => name.to_string(),
    }
}

/// The warning for a file read in a legacy encoding.
pub fn legacy_warning(enc: &'static encoding_rs::Encoding) -> Problem {
    Problem {
        severity: Severity::Warning,
        line: None,
        column: None,
        field: None,
        message: format!(
            "the file is not UTF-8; it was read as {}, the encoding its bytes look like",
            encoding_name(enc)
        ),
    }
}

/// True when the first 4 KiB hold a NUL byte: an image, archive or other
/// binary file, not text (UTF-16 is recognised before this is asked).
pub fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(4096).any(|&b| b == 0)
}

/// Refuse a binary file with "is a binary file, not `what`".
pub fn refuse_binary(path: &std::path::Path, bytes: &[u8], what: &str) -> Result<(), LoadError> {
    if looks_binary(bytes) {
        return Err(LoadError::Invalid {
            path: path.to_path_buf(),
            message: format!("is a binary file, not {what}"),
        });
    }
    Ok(())
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
pub fn windows_1252_warning() -> Problem {
    legacy_warning(encoding_rs::WINDOWS_1252)
}

/// Shorten `text` to at most `max` characters, ending with `…` if cut.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out = out.trim_end().to_string();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn utf8_checked_in_chunks_agrees_with_the_whole() {
        let samples: [&[u8]; 7] = [
            "plain ascii".as_bytes(),
            "Zürich – Київ 北京 🙂 end".as_bytes(),
            "🙂🙂🙂".as_bytes(),
            b"bad \xff byte",
            b"cut at the end \xe2\x80",
            b"\xf0\x9f\x99",
            b"",
        ];
        for bytes in samples {
            for chunk in 1..12 {
                assert_eq!(
                    super::utf8_in_chunks(bytes, chunk),
                    std::str::from_utf8(bytes).ok(),
                    "{bytes:?} in chunks of {chunk}"
                );
            }
        }
    }

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

    proptest::proptest! {
        /// Lines counted in jumps agree with a byte-by-byte count, for
        /// offsets asked for in any order (a step back rescans).
        #[test]
        fn a_cursor_agrees_with_a_plain_count(
            text in "[a-c\n]{0,200}",
            offsets in proptest::collection::vec(0usize..220, 1..12),
        ) {
            let mut c = LineCursor::new(&text);
            for o in offsets {
                proptest::prop_assert_eq!(c.position(o), byte_position(text.as_bytes(), o));
            }
        }
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
        let d = decode_text(b"Ba\xefk\xf6v, Ter-Petrosyan and M\xfcller");
        assert_eq!(d.legacy, Some(encoding_rs::WINDOWS_1252));
        assert_eq!(d.text, "Ba\u{ef}k\u{f6}v, Ter-Petrosyan and M\u{fc}ller");
        assert!(
            d.problems[0].message.contains("Windows-1252"),
            "{:?}",
            d.problems
        );
        let (t, fallback) = decode("Bakı".as_bytes());
        assert!(!fallback);
        assert_eq!(t, "Bakı");
    }

    #[test]
    fn one_bad_byte_keeps_the_file_utf8() {
        let text = [
            "name\nБаку\nԵրևան\nX".as_bytes(),
            b"\xff",
            "Y\nAğdam ".as_bytes(),
            b"\xfe\xfe",
            b" z\nok",
        ]
        .concat();
        let d = decode_text(&text);
        assert!(d.legacy.is_none());
        assert_eq!(
            d.text,
            "name\nБаку\nԵրևան\nX\u{fffd}Y\nAğdam \u{fffd}\u{fffd} z\nok"
        );
        let lines: Vec<Option<u64>> = d.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(4), Some(5)]);
        // A byte-order mark forces UTF-8 even when most bytes are bad.
        let d = decode_text(b"\xEF\xBB\xBFa\xe9\xe9\xe9\nb");
        assert!(d.legacy.is_none());
        assert_eq!(d.text, "a\u{fffd}\u{fffd}\u{fffd}\nb");
        assert_eq!(d.problems.len(), 1);
    }

    #[test]
    fn russian_in_windows_1251_is_detected() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1251.encode("Министерство обороны России сообщило о перестрелке");
        let d = decode_text(&bytes);
        assert_eq!(d.legacy, Some(encoding_rs::WINDOWS_1251));
        assert_eq!(d.text, "Министерство обороны России сообщило о перестрелке");
    }

    #[test]
    fn bad_line_warnings_are_bounded() {
        let mut bytes = Vec::new();
        for _ in 0..MAX_LINE_WARNINGS + 10 {
            bytes.extend_from_slice("Ереван ".as_bytes());
            bytes.extend_from_slice(b"\xff\n");
        }
        let d = decode_text(&bytes);
        assert_eq!(d.problems.len(), MAX_LINE_WARNINGS + 1);
        assert!(
            d.problems[MAX_LINE_WARNINGS]
                .message
                .starts_with("10 more lines")
        );
    }

    #[test]
    fn bad_utf8_is_located() {
        assert_eq!(utf8_text(b"ok\nab\xff"), Err((2, 3)));
        assert_eq!(utf8_text(b"\xEF\xBB\xBFhello"), Ok("hello"));
    }
}

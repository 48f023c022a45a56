//! Which format a file is, from its name and first bytes. JSON is told
//! by its keys ([`super::jsonsniff`]), tables by their header; Timeline's
//! old text files by the signature its reader knows.

use std::path::Path;

use super::format::Format;
use super::formats::thetimeline;
use super::{jsonsniff, text};

/// Guess the format from the name and the first bytes.
pub fn detect(path: &Path, head: &[u8]) -> Result<Format, String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let head = &head[..head.len().min(64 * 1024)];
    // Parquet's magic number; before the binary check, which would refuse it.
    if head.starts_with(b"PAR1") {
        return Ok(Format::Parquet);
    }
    let utf16_text;
    let head = match text::utf16_encoding(head) {
        Some(enc) => {
            utf16_text = enc.decode(head).0.into_owned();
            utf16_text.as_bytes()
        }
        None => head,
    };
    if text::looks_binary(head) {
        return Err("is a binary file, not a dataset Eventline reads".to_string());
    }
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return jsonsniff::shape(trimmed)
            .format()
            .ok_or_else(|| "is JSON, but its keys match no format Eventline reads".to_string());
    }
    if trimmed.starts_with('<') {
        if trimmed.contains("<timeline") {
            return Ok(Format::TheTimeline);
        }
        return Err("is XML but not a Timeline (.timeline) file".to_string());
    }
    if ext == "timeline" || thetimeline::legacy::looks_like(trimmed) {
        return Ok(Format::TheTimeline);
    }
    let first_line = trimmed.lines().next().unwrap_or("");
    let header: Vec<String> = first_line
        .split([',', '\t', ';'])
        .map(|f| f.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let has = |name: &str| header.iter().any(|h| h == name);
    if has("globaleventid") && has("sqldate") {
        // A GDELT export with a header row (BigQuery writes one).
        return Ok(Format::Gdelt);
    }
    if has("event_id_cnty") && has("event_date") {
        return Ok(Format::Acled);
    }
    if has("type_of_violence") && has("date_start") {
        return Ok(Format::Ucdp);
    }
    if has("year") && has("month") && has("day") && has("headline") {
        return Ok(Format::TimelineJsSheet);
    }
    // GDELT: no header, tab-separated, 57/58/61 columns, a numeric id and
    // a YYYYMMDD date first.
    let cols: Vec<&str> = first_line.split('\t').collect();
    if matches!(cols.len(), 57 | 58 | 61)
        && cols[0].bytes().all(|b| b.is_ascii_digit())
        && cols[1].len() == 8
        && cols[1].bytes().all(|b| b.is_ascii_digit())
    {
        return Ok(Format::Gdelt);
    }
    if matches!(ext.as_str(), "csv" | "tsv" | "txt" | "tab") || header.len() > 1 {
        return Ok(Format::Csv);
    }
    Err(format!(
        "is not in a format Eventline reads (it reads: {}); name one with --format",
        Format::ALL.map(|f| f.name()).join(", ")
    ))
}

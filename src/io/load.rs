//! Reading a file: from disk (through the column cache when asked) or
//! from bytes, in the format named or detected, handed to that format's
//! reader; JSON whose keys say nothing is given to every JSON reader in
//! turn. The top of `io`: it knows every format, and no format knows it.

use std::path::Path;

use super::cache;
use super::detect::detect;
use super::error::{LoadError, Refusal};
use super::format::Format;
use super::formats::{acled, csv_generic, gdelt, native, parquet, thetimeline, timelinejs, ucdp};
use super::json::bare_message;
use super::jsonsniff;
use super::loaded::Loaded;
use super::mapped::read_file;
use super::options::LoadOptions;

/// Read a file from disk in the given or detected format.
pub fn load_path(path: &Path, format: Option<Format>) -> Result<Loaded, LoadError> {
    load_path_with(path, &LoadOptions::format(format))
}

/// Read a file from disk with the user's choices (through the column
/// cache when they ask for it).
pub fn load_path_with(path: &Path, options: &LoadOptions) -> Result<Loaded, LoadError> {
    let (loaded, entry_due) = load_path_cached(path, options)?;
    if let Some(c) = &entry_due {
        cache::save_to_cache(c, path, options, &loaded);
    }
    Ok(loaded)
}

/// The file's events, read back from the column cache or read and parsed;
/// with the cache an entry is due in (none after a hit, or without one).
fn load_path_cached(
    path: &Path,
    options: &LoadOptions,
) -> Result<(Loaded, Option<cache::ColumnCache>), LoadError> {
    let cache = cache::cache_for(path, options);
    if let Some(c) = &cache
        && let cache::Lookup::Hit(loaded) = c.lookup(path, options)
    {
        return Ok((*loaded, None));
    }
    let bytes = read_file(path, |_| true)?;
    let loaded = load_bytes_with(path, &bytes, options)?;
    drop(bytes);
    Ok((loaded, cache))
}

/// [`load_path_with`], handing the result to `then` (borrowed) while its
/// cache entry, when one is due, is written on another thread: the
/// caller's work on the events and the writing overlap.
pub fn load_path_and<R>(
    path: &Path,
    options: &LoadOptions,
    then: impl FnOnce(&Loaded) -> R,
) -> Result<R, LoadError> {
    let (loaded, entry_due) = load_path_cached(path, options)?;
    Ok(std::thread::scope(|scope| {
        if let Some(c) = &entry_due {
            scope.spawn(|| cache::save_to_cache(c, path, options, &loaded));
        }
        then(&loaded)
    }))
}

/// Read a file's bytes already in memory (the embedded dataset, tests).
pub fn load_bytes(path: &Path, bytes: &[u8], format: Option<Format>) -> Result<Loaded, LoadError> {
    load_bytes_with(path, bytes, &LoadOptions::format(format))
}

/// Read a file's bytes already in memory with the user's choices.
pub fn load_bytes_with(
    path: &Path,
    bytes: &[u8],
    options: &LoadOptions,
) -> Result<Loaded, LoadError> {
    let format = match options.format {
        Some(f) => f,
        None => match detect(path, bytes) {
            Ok(f) => f,
            // JSON whose first keys say nothing: try every JSON reader.
            Err(_)
                if jsonsniff::looks_like_json(bytes)
                    && !bytes.iter().take(4096).any(|&b| b == 0) =>
            {
                return read_any(path, bytes, options);
            }
            Err(reason) => {
                return Err(LoadError::Unrecognised {
                    path: path.to_path_buf(),
                    reason,
                });
            }
        },
    };
    // Each format's other forms (API JSON beside CSV, TimelineJS 2 beside
    // 3, Timeline's old text beside its XML) are read under its name.
    let json = || jsonsniff::looks_like_json(bytes);
    match format {
        Format::Eventline => native::read(path, bytes),
        Format::Acled if json() => acled::api::read_acled(path, bytes, options),
        Format::Acled => acled::read_with(path, bytes, options),
        Format::Ucdp if json() => ucdp::api::read_ucdp(path, bytes, options),
        Format::Ucdp => ucdp::read_with(path, bytes, options),
        Format::Gdelt => gdelt::read(path, bytes),
        Format::TimelineJs if timelinejs::v2::is_v2(bytes) => timelinejs::v2::read(path, bytes),
        Format::TimelineJs => timelinejs::read_json(path, bytes),
        Format::TimelineJsSheet => timelinejs::read_sheet(path, bytes),
        Format::TheTimeline if thetimeline::legacy::looks_like_bytes(bytes) => {
            thetimeline::legacy::read(path, bytes)
        }
        Format::TheTimeline => thetimeline::read(path, bytes),
        Format::Csv => csv_generic::read_with(path, bytes, options),
        Format::Parquet => parquet::read(path, bytes),
    }
}

/// Every JSON reader, in the order they are tried on JSON whose keys say
/// nothing.
const JSON_READERS: [(Format, &str); 5] = [
    (Format::Eventline, "an Eventline dataset"),
    (Format::TimelineJs, "TimelineJS 3"),
    (Format::TimelineJs, "TimelineJS 2"),
    (Format::Acled, "an ACLED API response"),
    (Format::Ucdp, "a UCDP API page"),
];

/// Read JSON whose keys match no format: each JSON reader is tried in
/// turn and the first that reads it wins; when none does, the error names
/// each one tried and why it refused.
pub fn read_any(path: &Path, bytes: &[u8], options: &LoadOptions) -> Result<Loaded, LoadError> {
    // JSON that is not well formed fails the same way in every reader.
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(body) {
        return Err(LoadError::Syntax {
            path: path.to_path_buf(),
            line: e.line() as u64,
            column: e.column() as u64,
            message: bare_message(&e),
        });
    }
    let mut tried = Vec::new();
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let keys = jsonsniff::shape(&String::from_utf8_lossy(head));
    for (i, (format, what)) in JSON_READERS.into_iter().enumerate() {
        let result = match i {
            // Without its version field the Eventline reader would name the
            // first key it does not know; the missing field says more.
            0 if keys.complete && !keys.array && !keys.top_has("eventline") => {
                Err(LoadError::Invalid {
                    path: path.to_path_buf(),
                    message: format!(
                        "has no top-level `eventline` version field (its keys: {})",
                        if keys.top.is_empty() {
                            "none".to_string()
                        } else {
                            keys.top
                                .iter()
                                .take(8)
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    ),
                })
            }
            0 => native::read(path, bytes),
            1 => timelinejs::read_json(path, bytes),
            2 => timelinejs::v2::read(path, bytes),
            3 => acled::api::read_acled(path, bytes, options),
            _ => ucdp::api::read_ucdp(path, bytes, options),
        };
        match result {
            Ok(loaded) => return Ok(loaded),
            Err(e) => tried.push(Refusal {
                format,
                as_what: what.to_string(),
                reason: e.reason(),
            }),
        }
    }
    Err(LoadError::NoFormat {
        path: path.to_path_buf(),
        tried,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn detection_and_every_json_reader_never_panic(
            body in "[a-zA-Z_0-9{}\\[\\]:,\" \n.\\\\-]{0,300}"
        ) {
            let _ = jsonsniff::shape(&body);
            for text in [
                format!("{{{body}"),
                format!("[{body}"),
                format!("{{\"data\": [{{{body}}}]}}"),
                format!("{{\"timeline\": {{\"date\": [{body}]}}}}"),
            ] {
                let _ = load_bytes(Path::new("x.json"), text.as_bytes(), None);
                let _ = read_any(Path::new("x.json"), text.as_bytes(), &Default::default());
            }
        }
    }

    #[test]
    fn keys_past_the_scanned_head_are_still_found_by_trying() {
        let text = format!(
            "{{\"title\": \"{}\", \"eventline\": 1, \"events\": []}}",
            "x".repeat(70_000)
        );
        let l = load_bytes(Path::new("x.json"), text.as_bytes(), None).unwrap();
        assert_eq!(l.format, Format::Eventline);
        let err = read_any(Path::new("x.json"), b"{}", &Default::default()).unwrap_err();
        assert!(err.to_string().contains("(its keys: none)"), "{err}");
    }
}

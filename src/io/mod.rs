//! Reading and writing dataset files. No UI here.
//!
//! Every reader returns the events it could use together with a list of
//! [`Problem`]s naming line, column and field for everything it could not,
//! or a [`LoadError`] when the file cannot be read at all.

pub mod acled;
pub mod api;
pub mod atomic;
pub mod cache;
pub mod csv_generic;
pub mod csvutil;
pub mod dates;
pub mod export;
pub mod gdelt;
pub mod ids;
pub mod jsonsniff;
pub mod memory;
pub mod native;
pub mod notes;
pub mod parquet;
pub mod progress;
pub mod report;
pub mod text;
pub mod thetimeline;
pub mod timelinejs;
pub mod ucdp;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::table::Dataset;

/// Files larger than this are refused before reading: a laptop viewer must
/// not be pushed into swapping by a mislabelled disk image.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Eventline's own JSON.
    Eventline,
    /// ACLED CSV export (current 31-column layout or the legacy one), or
    /// the ACLED API's JSON.
    Acled,
    /// UCDP Georeferenced Event Dataset CSV, or a page of the UCDP API's
    /// JSON.
    Ucdp,
    /// GDELT 1.0 / 2.0 event files (tab-separated, no header).
    Gdelt,
    /// TimelineJS JSON: version 3, or version 2's `{"timeline": …}`.
    TimelineJs,
    /// TimelineJS's spreadsheet form, as CSV.
    TimelineJsSheet,
    /// The desktop program "Timeline": `.timeline` XML, or the text files
    /// of Timeline before 0.10.
    TheTimeline,
    /// Any CSV/TSV with a header row.
    Csv,
    /// The events as Parquet columns, as `convert OUT.parquet` writes them.
    Parquet,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Eventline,
        Format::Acled,
        Format::Ucdp,
        Format::Gdelt,
        Format::TimelineJs,
        Format::TimelineJsSheet,
        Format::TheTimeline,
        Format::Csv,
        Format::Parquet,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Eventline => "eventline",
            Format::Acled => "acled",
            Format::Ucdp => "ucdp",
            Format::Gdelt => "gdelt",
            Format::TimelineJs => "timelinejs",
            Format::TimelineJsSheet => "timelinejs-sheet",
            Format::TheTimeline => "timeline",
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }

    pub fn parse_name(name: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name.trim()))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The record was skipped.
    Error,
    /// The record was kept, perhaps repaired.
    Warning,
}

/// Something in a file that could not be used as it stood.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    /// 1-based line, where known.
    pub line: Option<u64>,
    /// 1-based column (in characters), where known.
    pub column: Option<u64>,
    /// The field: a JSON path (`events[3].when.start`) or a column name.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place = Vec::new();
        if let Some(l) = self.line {
            place.push(format!("line {l}"));
        }
        if let Some(c) = self.column {
            place.push(format!("column {c}"));
        }
        if !place.is_empty() {
            write!(f, "{}: ", place.join(", "))?;
        }
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// A file read, perhaps with problems.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub path: PathBuf,
    pub format: Format,
    pub dataset: Dataset,
    /// The first [`report::MAX_PROBLEMS`] problems, then (when there were
    /// more) one closing line that counts the rest.
    pub problems: Vec<Problem>,
    /// Problems found but not listed in `problems`.
    pub problems_omitted: usize,
    /// Records that could not be used and were left out.
    pub skipped: usize,
}

impl Loaded {
    /// What reading `path` gave: the dataset takes the file's name as its
    /// source, and as its title when it has none of its own. A list of
    /// more than [`report::MAX_PROBLEMS`] problems is cut to that many and
    /// closed with a count of the rest.
    pub fn of_file(
        path: &Path,
        format: Format,
        dataset: Dataset,
        mut problems: Vec<Problem>,
        skipped: usize,
    ) -> Loaded {
        let omitted = report::bound(&mut problems);
        Loaded::new(path, format, dataset, problems, omitted, skipped)
    }

    /// What reading `path` gave, with the problems of a shared
    /// [`report::Report`].
    pub fn of_report(
        path: &Path,
        format: Format,
        dataset: Dataset,
        report: report::Report,
    ) -> Loaded {
        let f = report.finish();
        Loaded::new(path, format, dataset, f.problems, f.omitted, f.skipped)
    }

    fn new(
        path: &Path,
        format: Format,
        mut dataset: Dataset,
        problems: Vec<Problem>,
        problems_omitted: usize,
        skipped: usize,
    ) -> Loaded {
        let file = display_name(path);
        if dataset.title.is_empty() {
            dataset.title = file.clone();
        }
        dataset.source = Some(file);
        Loaded {
            path: path.to_path_buf(),
            format,
            dataset,
            problems,
            problems_omitted,
            skipped,
        }
    }

    /// Every problem found, listed or not.
    pub fn problem_count(&self) -> usize {
        let closing = usize::from(self.problems_omitted > 0);
        self.problems.len() - closing.min(self.problems.len()) + self.problems_omitted
    }

    /// One line for stderr or a status bar: `acled.csv (acled): 1204
    /// events, 3 records skipped, 1502 problems (the first 1000 listed)`.
    pub fn summary(&self) -> String {
        let file = display_name(&self.path);
        let events = self.dataset.events.len();
        let mut out = format!(
            "{file} ({}): {events} event{}",
            self.format,
            if events == 1 { "" } else { "s" }
        );
        if self.skipped > 0 {
            out.push_str(&format!(
                ", {} record{} skipped",
                self.skipped,
                if self.skipped == 1 { "" } else { "s" }
            ));
        }
        let problems = self.problem_count();
        match problems {
            0 => out.push_str(", no problems"),
            1 => out.push_str(", 1 problem"),
            n => out.push_str(&format!(", {n} problems")),
        }
        if self.problems_omitted > 0 {
            out.push_str(&format!(
                " (the first {} listed)",
                problems - self.problems_omitted
            ));
        }
        out
    }
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: cannot be read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: is {size} bytes, more than the {max} bytes Eventline will open")]
    TooLarge { path: PathBuf, size: u64, max: u64 },
    #[error("{path}: {reason}")]
    Unrecognised { path: PathBuf, reason: String },
    #[error("{path}: line {line}, column {column}: {message}")]
    Syntax {
        path: PathBuf,
        line: u64,
        column: u64,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{path}: reading was cancelled")]
    Cancelled { path: PathBuf },
    #[error("{path}: is JSON, but in no format Eventline reads (tried {}); name one with --format", Refusal::list(.tried))]
    NoFormat { path: PathBuf, tried: Vec<Refusal> },
}

impl LoadError {
    /// The reason alone, without the file's path (which the message of
    /// every variant starts with).
    pub fn reason(&self) -> String {
        match self {
            LoadError::Io { source, .. } => format!("cannot be read: {source}"),
            LoadError::TooLarge { size, max, .. } => {
                format!("is {size} bytes, more than the {max} bytes Eventline will open")
            }
            LoadError::Unrecognised { reason, .. } => reason.clone(),
            LoadError::Syntax {
                line,
                column,
                message,
                ..
            } => format!("line {line}, column {column}: {message}"),
            LoadError::Invalid { message, .. } => message.clone(),
            LoadError::Cancelled { .. } => "reading was cancelled".into(),
            LoadError::NoFormat { tried, .. } => Refusal::list(tried),
        }
    }
}

/// One reader's refusal of a file, for [`LoadError::NoFormat`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub format: Format,
    /// What the file was tried as, in words ("TimelineJS 2").
    pub as_what: String,
    pub reason: String,
}

impl Refusal {
    fn list(tried: &[Refusal]) -> String {
        tried
            .iter()
            .map(|r| format!("as {}: {}", r.as_what, r.reason))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{path}: cannot be saved: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: cannot be saved: {message}")]
    Encode { path: PathBuf, message: String },
}

/// The file name alone, for messages and lane names.
pub fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

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

pub use dates::DateOrder;

/// What the user chose when opening a file; `None` means "find out".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// The format, instead of detecting it (`--format`).
    pub format: Option<Format>,
    /// The order of day and month in all-number dates (`--dates
    /// dmy|mdy|ymd`), instead of deciding it from each date column.
    pub dates: Option<DateOrder>,
    /// Read large files through the user's column cache, and write an
    /// entry after parsing one ([`cache::ColumnCache`]); the command line
    /// sets it unless `--no-cache` is given. Off by default, so that tests
    /// and library users never touch the user's cache unasked.
    pub use_cache: bool,
}

impl LoadOptions {
    pub fn format(format: Option<Format>) -> LoadOptions {
        LoadOptions {
            format,
            ..LoadOptions::default()
        }
    }
}

/// Read a file from disk in the given or detected format.
pub fn load_path(path: &Path, format: Option<Format>) -> Result<Loaded, LoadError> {
    load_path_with(path, &LoadOptions::format(format))
}

/// Read a file from disk with the user's choices (through the column
/// cache when they ask for it).
pub fn load_path_with(path: &Path, options: &LoadOptions) -> Result<Loaded, LoadError> {
    let (loaded, entry_due) = load_path_cached(path, options)?;
    if let Some(c) = &entry_due {
        save_to_cache(c, path, options, &loaded);
    }
    Ok(loaded)
}

/// The file's events, read back from the column cache or read and parsed;
/// with the cache an entry is due in (none after a hit, or without one).
fn load_path_cached(
    path: &Path,
    options: &LoadOptions,
) -> Result<(Loaded, Option<cache::ColumnCache>), LoadError> {
    let cache = cache_for(path, options);
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

/// The user's column cache, when `options` ask for it and `path` is large
/// enough to be worth an entry.
pub fn cache_for(path: &Path, options: &LoadOptions) -> Option<cache::ColumnCache> {
    if !options.use_cache {
        return None;
    }
    let size = std::fs::metadata(path).ok()?.len();
    cache::ColumnCache::user().filter(|c| c.takes(size))
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
            scope.spawn(|| save_to_cache(c, path, options, &loaded));
        }
        then(&loaded)
    }))
}

/// Write a cache entry for what was read; a cache that cannot be written
/// (full disk, read-only home) costs only the next open's speed, so it is
/// said on stderr and otherwise ignored.
pub fn save_to_cache(
    cache: &cache::ColumnCache,
    path: &Path,
    options: &LoadOptions,
    loaded: &Loaded,
) {
    save_entry_to_cache(cache, path, options, &cache::Entry::of(loaded));
}

/// [`save_to_cache`] from borrowed parts (a store's table).
pub fn save_entry_to_cache(
    cache: &cache::ColumnCache,
    path: &Path,
    options: &LoadOptions,
    entry: &cache::Entry,
) {
    if let Err(e) = cache.save_entry(path, options, entry) {
        eprintln!(
            "eventline: could not write the column cache in {}: {e}",
            cache.dir().display()
        );
    }
}

/// A file's bytes: mapped into memory for a large regular file (its pages
/// come from the page cache as the parser reaches them, with no copy and
/// no zeroed buffer first), read into a buffer otherwise.
pub enum FileBytes {
    Mapped(std::sync::Arc<memmap2::Mmap>),
    Read(Vec<u8>),
}

/// The mappings made by [`read_file`] while they live, so that a parser
/// can give back the pages it has read ([`release_read`]).
static MAPPINGS: std::sync::Mutex<Vec<std::sync::Weak<memmap2::Mmap>>> =
    std::sync::Mutex::new(Vec::new());

fn register_mapping(map: &std::sync::Arc<memmap2::Mmap>) {
    if let Ok(mut maps) = MAPPINGS.lock() {
        maps.retain(|m| m.strong_count() > 0);
        maps.push(std::sync::Arc::downgrade(map));
    }
}

/// The sets of worker tables of a pipelined importer, passed back and
/// forth between the thread that fills them and the one that appends them
/// to the result: at most two are made (one filled while the other is
/// appended), then each comes back emptied and is filled again, its room
/// kept, rather than fresh pages faulted in and zeroed for every block.
pub(crate) struct TableSets {
    made: usize,
    emptied: std::sync::mpsc::Receiver<Vec<crate::table::EventTable>>,
}

impl TableSets {
    pub(crate) fn new(emptied: std::sync::mpsc::Receiver<Vec<crate::table::EventTable>>) -> Self {
        TableSets { made: 0, emptied }
    }

    /// The next set to fill; `None` once the appending thread has gone.
    pub(crate) fn next(&mut self) -> Option<Vec<crate::table::EventTable>> {
        match self.emptied.try_recv() {
            Ok(set) => Some(set),
            Err(_) if self.made < 2 => {
                self.made += 1;
                Some(Vec::new())
            }
            Err(_) => self.emptied.recv().ok(),
        }
    }
}
/// Give back the memory of `done`, input a parser has finished with, when
/// it lies in a file mapped by [`read_file`]: its pages leave the
/// process's resident memory (the file stays in the page cache). Without
/// this a large file counts in full towards the peak once every page has
/// been read. Input read into the heap (small or transcoded files) is left
/// as it is: it is not in a mapping.
pub(crate) fn release_read(done: &[u8]) {
    const PAGE: usize = 4096;
    let Ok(maps) = MAPPINGS.lock() else {
        return;
    };
    let start = done.as_ptr() as usize;
    let end = start + done.len();
    for map in maps.iter().filter_map(std::sync::Weak::upgrade) {
        let base = map.as_ptr() as usize;
        if start < base || end > base + map.len() {
            continue;
        }
        // Whole pages inside `done` only.
        let from = (start - base).next_multiple_of(PAGE);
        let to = (end - base) / PAGE * PAGE;
        if to > from {
            // SAFETY: the mapping is a shared, read-only mapping of a
            // file (`read_file`), alive here (`map` holds it; the lock
            // keeps it registered). DONTNEED only drops this process's page
            // table entries: a later read of these bytes faults them back
            // in from the file, with the same contents, so text borrowed
            // from the range stays valid. It never zero-fills, as it would
            // for private anonymous memory, which is why heap input is
            // never passed here (it is not inside a registered mapping).
            let _ = unsafe {
                map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, from, to - from)
            };
        }
        return;
    }
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(m) => m,
            FileBytes::Read(v) => v,
        }
    }
}

/// Files at least this large are mapped rather than read.
const MAP_MIN_BYTES: u64 = 1 << 20;

/// A whole file's bytes: mapped when it is a large regular file (see
/// [`FileBytes`]), else read in chunks, calling `progress(bytes so far)`
/// after each; returning `false` from it stops the read (cancel). Refuses
/// folders and files over [`MAX_FILE_BYTES`].
pub fn read_file(path: &Path, progress: impl FnMut(u64) -> bool) -> Result<FileBytes, LoadError> {
    let io_err = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_err)?;
    let meta = file.metadata().map_err(io_err)?;
    if meta.is_file() && (MAP_MIN_BYTES..=MAX_FILE_BYTES).contains(&meta.len()) {
        // SAFETY: the mapping is only read. Another program truncating the
        // file while it is parsed would make a read of the lost pages
        // fault (as for every reader that maps files); the bytes
        // themselves are treated as untrusted input like any read file.
        if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
            // The parser reads front to back.
            let _ = map.advise(memmap2::Advice::Sequential);
            let map = std::sync::Arc::new(map);
            register_mapping(&map);
            return Ok(FileBytes::Mapped(map));
        }
    }
    read_whole(path, file, meta, progress).map(FileBytes::Read)
}

fn read_whole(
    path: &Path,
    mut file: std::fs::File,
    meta: std::fs::Metadata,
    mut progress: impl FnMut(u64) -> bool,
) -> Result<Vec<u8>, LoadError> {
    use std::io::Read;
    let io_err = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    if meta.is_dir() {
        return Err(LoadError::Unrecognised {
            path: path.to_path_buf(),
            reason: "is a folder, not a file".into(),
        });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            max: MAX_FILE_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    let mut chunk = vec![0u8; 4 << 20];
    loop {
        let n = file.read(&mut chunk).map_err(io_err)?;
        if n == 0 {
            break;
        }
        if bytes.len() as u64 + n as u64 > MAX_FILE_BYTES {
            return Err(LoadError::TooLarge {
                path: path.to_path_buf(),
                size: bytes.len() as u64 + n as u64,
                max: MAX_FILE_BYTES,
            });
        }
        bytes.extend_from_slice(&chunk[..n]);
        if !progress(bytes.len() as u64) {
            return Err(LoadError::Cancelled {
                path: path.to_path_buf(),
            });
        }
    }
    Ok(bytes)
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
                return jsonsniff::read_any(path, bytes, options);
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
        Format::Acled if json() => api::read_acled(path, bytes, options),
        Format::Acled => acled::read_with(path, bytes, options),
        Format::Ucdp if json() => api::read_ucdp(path, bytes, options),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages given back are read again from the file: the bytes a parser
    /// still borrows do not change, in a mapped file or in heap input.
    #[test]
    fn released_input_reads_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        let content: Vec<u8> = (0..3 * MAP_MIN_BYTES as usize)
            .map(|i| b"abcdefghij,\n"[i % 12])
            .collect();
        std::fs::write(&path, &content).unwrap();
        let bytes = read_file(&path, |_| true).unwrap();
        assert!(matches!(bytes, FileBytes::Mapped(_)));
        assert_eq!(&bytes[..], &content[..]);
        release_read(&bytes[10..2 * MAP_MIN_BYTES as usize + 7]);
        assert_eq!(&bytes[..], &content[..]);

        let heap = content.clone();
        release_read(&heap[..]);
        assert_eq!(heap, content);
    }
}

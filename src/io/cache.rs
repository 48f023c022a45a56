//! The column cache: the first open of a large file writes what it read
//! (the event table's columns, the file's problems) to the user's cache
//! directory; a later open of the same, unchanged file reads that back
//! instead of parsing the file again.
//!
//! An entry is named by a hash of the file's path and the reading choices
//! (`--format`, `--dates`), and holds the file's size, modification time
//! and a hash of its first and last 64 KiB: a file that changed in any of
//! these is read again (and its entry replaced). An entry whose checksum or
//! structure is wrong is deleted and rebuilt, never trusted. The directory
//! is kept under a size cap by deleting the least recently used entries.

use std::fs::File;
use std::hash::BuildHasher;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::format::Format;
use super::loaded::Loaded;
use super::names::display_name;
use super::options::LoadOptions;
use super::report::{Problem, Severity};
use crate::table::Dataset;
use crate::table::EventTable;

/// Bumped whenever what an entry holds changes: older entries then miss.
const VERSION: u32 = 3;
const MAGIC: &[u8; 8] = b"EVLCOLS\0";
const END: &[u8; 8] = b"EVLEND\0\0";
/// Bytes hashed at each end of the file to notice a change the size and
/// modification time do not show.
const EDGE: u64 = 64 * 1024;
const EXTENSION: &str = "evcols";

/// Where entries live and which files get one.
#[derive(Clone, Debug)]
pub struct ColumnCache {
    dir: PathBuf,
    /// Files smaller than this parse faster than a cache entry pays for.
    min_bytes: u64,
    /// The most the directory may hold.
    max_total: u64,
}

/// What a lookup found.
#[derive(Debug)]
pub enum Lookup {
    Hit(Box<Loaded>),
    /// No entry for this file and these choices.
    Miss,
    /// The entry was for an earlier state of the file; it was deleted.
    Stale,
    /// The entry could not be read back; it was deleted.
    Corrupt(String),
}

/// What an entry holds besides the file's stamp: what reading the file
/// gave, borrowed (from a [`Loaded`], or from a store built from one).
pub struct Entry<'a> {
    pub format: Format,
    pub title: &'a str,
    pub description: &'a str,
    pub kinds: &'a [crate::model::KindDef],
    pub eras: &'a [crate::model::Era],
    pub problems: &'a [Problem],
    pub problems_omitted: usize,
    pub skipped: usize,
    pub events: &'a EventTable,
}

impl<'a> Entry<'a> {
    pub fn of(loaded: &'a Loaded) -> Entry<'a> {
        let d = &loaded.dataset;
        Entry {
            format: loaded.format,
            title: &d.title,
            description: &d.description,
            kinds: &d.kinds,
            eras: &d.eras,
            problems: &loaded.problems,
            problems_omitted: loaded.problems_omitted,
            skipped: loaded.skipped,
            events: &d.events,
        }
    }
}

/// The file's identity as an entry records it.
#[derive(Debug, PartialEq, Eq)]
struct Stamp {
    size: u64,
    modified_ns: u128,
    edges: u64,
}

impl ColumnCache {
    /// The user's cache: `$EVENTLINE_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/eventline/columns`, else
    /// `~/.cache/eventline/columns`. `None` when there is no home.
    pub fn user() -> Option<ColumnCache> {
        let dir = match std::env::var_os("EVENTLINE_CACHE_DIR") {
            Some(d) if !d.is_empty() => PathBuf::from(d),
            _ => {
                let base = match std::env::var_os("XDG_CACHE_HOME") {
                    Some(d) if !d.is_empty() => PathBuf::from(d),
                    _ => PathBuf::from(std::env::var_os("HOME")?).join(".cache"),
                };
                base.join("eventline").join("columns")
            }
        };
        Some(ColumnCache {
            dir,
            min_bytes: 16 * 1024 * 1024,
            max_total: 8 * 1024 * 1024 * 1024,
        })
    }

    /// A cache in `dir` that takes files of any size (for tests).
    pub fn at(dir: &Path) -> ColumnCache {
        ColumnCache {
            dir: dir.to_path_buf(),
            min_bytes: 0,
            max_total: 8 * 1024 * 1024 * 1024,
        }
    }

    pub fn with_max_total(mut self, bytes: u64) -> ColumnCache {
        self.max_total = bytes;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether a file of `size` bytes is worth an entry.
    pub fn takes(&self, size: u64) -> bool {
        size >= self.min_bytes
    }

    fn entry_path(&self, file: &Path, options: &LoadOptions) -> PathBuf {
        let absolute = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
        let key = format!(
            "{}\0{}\0{:?}",
            absolute.display(),
            options.format.map_or("", |f| f.name()),
            options.dates
        );
        let hash = foldhash::fast::FixedState::with_seed(0x6576_656e_746c_696e).hash_one(key);
        self.dir.join(format!("{hash:016x}.{EXTENSION}"))
    }

    /// The entry for `file` read with `options`, if there is a sound one
    /// for the file as it is now. A stale or damaged entry is deleted.
    pub fn lookup(&self, file: &Path, options: &LoadOptions) -> Lookup {
        let entry = self.entry_path(file, options);
        let Ok(mapped) = File::open(&entry).and_then(|f| {
            // SAFETY: the entry is this cache's own file, only ever
            // replaced by renaming a new file over it (a new inode), never
            // written in place, so the mapped bytes cannot change under us.
            // What they hold is checked (CRC-32, bounds) before use.
            unsafe { memmap2::Mmap::map(&f) }
        }) else {
            return Lookup::Miss;
        };
        let bytes: &[u8] = &mapped;
        let Ok(stamp) = stamp(file) else {
            return Lookup::Miss;
        };
        match decode(bytes, file) {
            Ok((recorded, loaded)) if recorded == stamp => {
                // Least recently used goes first when the cache is full.
                if let Ok(f) = File::options().append(true).open(&entry) {
                    let _ = f.set_modified(SystemTime::now());
                }
                Lookup::Hit(Box::new(loaded))
            }
            Ok(_) => {
                let _ = std::fs::remove_file(&entry);
                Lookup::Stale
            }
            Err(reason) => {
                let _ = std::fs::remove_file(&entry);
                Lookup::Corrupt(reason)
            }
        }
    }

    /// Write an entry for `loaded`, read from `file` with `options`: to a
    /// temporary file, then renamed into place. Then trim the directory to
    /// its cap, oldest use first.
    pub fn save(&self, file: &Path, options: &LoadOptions, loaded: &Loaded) -> std::io::Result<()> {
        self.save_entry(file, options, &Entry::of(loaded))
    }

    /// [`ColumnCache::save`] from borrowed parts.
    pub fn save_entry(
        &self,
        file: &Path,
        options: &LoadOptions,
        entry: &Entry,
    ) -> std::io::Result<()> {
        let stamp = stamp(file)?;
        std::fs::create_dir_all(&self.dir)?;
        let target = self.entry_path(file, options);
        let tmp = tempfile::Builder::new()
            .prefix(".eventline-cache-")
            .suffix(".tmp")
            .tempfile_in(&self.dir)?;
        encode(&stamp, entry, std::io::BufWriter::new(tmp.as_file()))?;
        if tmp.as_file().metadata()?.len() > self.max_total {
            // Bigger than the whole cache may be: not kept.
            return Ok(());
        }
        // No fsync: a torn entry fails its checksum and is rebuilt.
        tmp.persist(&target).map_err(|e| e.error)?;
        self.trim(&target)
    }

    /// Delete the least recently used entries until the directory is under
    /// its cap, keeping `keep`.
    fn trim(&self, keep: &Path) -> std::io::Result<()> {
        let mut entries: Vec<(SystemTime, u64, PathBuf)> = std::fs::read_dir(&self.dir)?
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == EXTENSION))
            .filter_map(|e| {
                let m = e.metadata().ok()?;
                Some((m.modified().ok()?, m.len(), e.path()))
            })
            .collect();
        let mut total: u64 = entries.iter().map(|e| e.1).sum();
        entries.sort();
        for (_, size, path) in entries {
            if total <= self.max_total {
                break;
            }
            if path != keep && std::fs::remove_file(&path).is_ok() {
                total -= size;
            }
        }
        Ok(())
    }
}

/// Size, modification time and a hash of the first and last [`EDGE`]
/// bytes of `file`.
fn stamp(file: &Path) -> std::io::Result<Stamp> {
    let mut f = File::open(file)?;
    let meta = f.metadata()?;
    let size = meta.len();
    let modified_ns = meta
        .modified()?
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut edges = Vec::with_capacity(2 * EDGE as usize);
    (&mut f).take(EDGE).read_to_end(&mut edges)?;
    if size > EDGE {
        f.seek(SeekFrom::Start(size.saturating_sub(EDGE).max(EDGE)))?;
        f.take(EDGE).read_to_end(&mut edges)?;
    }
    Ok(Stamp {
        size,
        modified_ns,
        edges: u64::from(crc32fast::hash(&edges)) | (edges.len() as u64) << 32,
    })
}

fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u64(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn put_opt_u64(out: &mut Vec<u8>, v: Option<u64>) {
    out.push(u8::from(v.is_some()));
    put_u64(out, v.unwrap_or(0));
}

/// Passes bytes on to a file while computing their CRC-32.
struct Checksummed<W: Write> {
    inner: W,
    crc: crc32fast::Hasher,
}

impl<W: Write> Write for Checksummed<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The entry's bytes, written to `out`: magic, version, the file's stamp,
/// what was read, the columns, a CRC-32 of all that, and an end mark.
fn encode(stamp: &Stamp, entry: &Entry, out: impl Write) -> std::io::Result<()> {
    let mut head = Vec::new();
    head.extend_from_slice(MAGIC);
    head.extend_from_slice(&VERSION.to_le_bytes());
    put_u64(&mut head, stamp.size);
    head.extend_from_slice(&stamp.modified_ns.to_le_bytes());
    put_u64(&mut head, stamp.edges);
    put_str(&mut head, entry.format.name());
    let meta = serde_json::json!({
        "title": entry.title,
        "description": entry.description,
        "kinds": entry.kinds,
        "eras": entry.eras,
    });
    put_str(&mut head, &meta.to_string());
    put_u64(&mut head, entry.problems.len() as u64);
    for p in entry.problems {
        head.push(u8::from(p.severity == Severity::Warning));
        put_opt_u64(&mut head, p.line);
        put_opt_u64(&mut head, p.column);
        head.push(u8::from(p.field.is_some()));
        put_str(&mut head, p.field.as_deref().unwrap_or(""));
        put_str(&mut head, &p.message);
    }
    put_u64(&mut head, entry.problems_omitted as u64);
    put_u64(&mut head, entry.skipped as u64);
    let mut w = Checksummed {
        inner: out,
        crc: crc32fast::Hasher::new(),
    };
    w.write_all(&head)?;
    entry.events.encode_to(&mut w)?;
    let crc = w.crc.finalize();
    let mut out = w.inner;
    out.write_all(&crc.to_le_bytes())?;
    out.write_all(END)?;
    out.flush()
}

/// A reader over an entry's bytes whose every read is bounds-checked.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.saturating_add(n);
        let out = self
            .bytes
            .get(self.at..end)
            .ok_or_else(|| "it ends early".to_string())?;
        self.at = end;
        Ok(out)
    }
    fn u64(&mut self) -> Result<u64, String> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes(
            b.try_into().map_err(|_| "it ends early")?,
        ))
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn opt_u64(&mut self) -> Result<Option<u64>, String> {
        let some = self.u8()? != 0;
        let v = self.u64()?;
        Ok(some.then_some(v))
    }
    fn str(&mut self) -> Result<&'a str, String> {
        let n = usize::try_from(self.u64()?).map_err(|_| "a length overflows")?;
        std::str::from_utf8(self.take(n)?).map_err(|_| "a text is not UTF-8".to_string())
    }
}

fn decode(bytes: &[u8], file: &Path) -> Result<(Stamp, Loaded), String> {
    let body_len = bytes
        .len()
        .checked_sub(4 + END.len())
        .ok_or("it is too short")?;
    if !bytes.starts_with(MAGIC) || !bytes.ends_with(END) {
        return Err("it is not a column cache entry".into());
    }
    let crc = u32::from_le_bytes(
        bytes[body_len..body_len + 4]
            .try_into()
            .map_err(|_| "it ends early")?,
    );
    if crc32fast::hash(&bytes[..body_len]) != crc {
        return Err("its checksum does not match".into());
    }
    let mut r = Reader {
        bytes: &bytes[..body_len],
        at: MAGIC.len(),
    };
    let version = u32::from_le_bytes(r.take(4)?.try_into().map_err(|_| "it ends early")?);
    if version != VERSION {
        return Err(format!("it is version {version}, not {VERSION}"));
    }
    let size = r.u64()?;
    let modified_ns = u128::from_le_bytes(r.take(16)?.try_into().map_err(|_| "it ends early")?);
    let edges = r.u64()?;
    let format = Format::parse_name(r.str()?).ok_or("its format is unknown")?;
    #[derive(serde::Deserialize)]
    struct Meta {
        title: String,
        description: String,
        kinds: Vec<crate::model::KindDef>,
        eras: Vec<crate::model::Era>,
    }
    let meta: Meta = serde_json::from_str(r.str()?).map_err(|e| e.to_string())?;
    let problem_count = usize::try_from(r.u64()?).map_err(|_| "a count overflows")?;
    let mut problems = Vec::with_capacity(problem_count.min(10_000));
    for _ in 0..problem_count {
        let severity = if r.u8()? != 0 {
            Severity::Warning
        } else {
            Severity::Error
        };
        let line = r.opt_u64()?;
        let column = r.opt_u64()?;
        let has_field = r.u8()? != 0;
        let field = r.str()?;
        let message = r.str()?.to_string();
        problems.push(Problem {
            severity,
            line,
            column,
            field: has_field.then(|| field.to_string()),
            message,
        });
    }
    let problems_omitted = usize::try_from(r.u64()?).map_err(|_| "a count overflows")?;
    let skipped = usize::try_from(r.u64()?).map_err(|_| "a count overflows")?;
    let (events, used) = EventTable::decode(&r.bytes[r.at..]).map_err(|e| e.to_string())?;
    if r.at + used != body_len {
        return Err("it has bytes after the columns".into());
    }
    let loaded = Loaded {
        path: file.to_path_buf(),
        format,
        dataset: Dataset {
            title: meta.title,
            description: meta.description,
            kinds: meta.kinds,
            eras: meta.eras,
            events,
            source: Some(display_name(file)),
        },
        problems,
        problems_omitted,
        skipped,
    };
    Ok((
        Stamp {
            size,
            modified_ns,
            edges,
        },
        loaded,
    ))
}

/// The user's column cache, when `options` ask for it and `path` is large
/// enough to be worth an entry.
pub fn cache_for(path: &Path, options: &LoadOptions) -> Option<ColumnCache> {
    if !options.use_cache {
        return None;
    }
    let size = std::fs::metadata(path).ok()?.len();
    ColumnCache::user().filter(|c| c.takes(size))
}

/// Write a cache entry for what was read; a cache that cannot be written
/// (full disk, read-only home) costs only the next open's speed, so it is
/// said on stderr and otherwise ignored.
pub fn save_to_cache(cache: &ColumnCache, path: &Path, options: &LoadOptions, loaded: &Loaded) {
    save_entry_to_cache(cache, path, options, &Entry::of(loaded));
}

/// [`save_to_cache`] from borrowed parts (a store's table).
pub fn save_entry_to_cache(cache: &ColumnCache, path: &Path, options: &LoadOptions, entry: &Entry) {
    if let Err(e) = cache.save_entry(path, options, entry) {
        eprintln!(
            "eventline: could not write the column cache in {}: {e}",
            cache.dir().display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(dir: &Path) -> PathBuf {
        let path = dir.join("events.json");
        std::fs::copy(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/assets/nagorno-karabakh-2022.json"
            ),
            &path,
        )
        .unwrap();
        path
    }

    fn entries(cache: &ColumnCache) -> usize {
        std::fs::read_dir(cache.dir())
            .map(|d| d.filter_map(Result::ok).count())
            .unwrap_or(0)
    }

    #[test]
    fn a_saved_file_is_read_back_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let file = fixture(tmp.path());
        let cache = ColumnCache::at(&tmp.path().join("cache"));
        let options = LoadOptions::default();
        assert!(matches!(cache.lookup(&file, &options), Lookup::Miss));
        let loaded = crate::io::load_path(&file, None).unwrap();
        cache.save(&file, &options, &loaded).unwrap();
        let Lookup::Hit(back) = cache.lookup(&file, &options) else {
            panic!("the entry was not found");
        };
        assert_eq!(back.dataset, loaded.dataset);
        assert_eq!(back.problems, loaded.problems);
        assert_eq!(back.format, loaded.format);
        assert_eq!(back.skipped, loaded.skipped);
        // Other reading choices are another entry.
        let mdy = LoadOptions {
            dates: Some(crate::io::DateOrder::Mdy),
            ..LoadOptions::default()
        };
        assert!(matches!(cache.lookup(&file, &mdy), Lookup::Miss));
    }

    #[test]
    fn a_changed_file_bypasses_its_stale_entry() {
        let tmp = tempfile::tempdir().unwrap();
        let file = fixture(tmp.path());
        let cache = ColumnCache::at(&tmp.path().join("cache"));
        let options = LoadOptions::default();
        let loaded = crate::io::load_path(&file, None).unwrap();
        cache.save(&file, &options, &loaded).unwrap();
        // Same size, same modification time, one byte changed in the
        // middle of the head: only the edge hash can tell.
        let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
        let mut text = std::fs::read_to_string(&file).unwrap();
        let at = text.find("Pashinian").unwrap();
        text.replace_range(at..at + 1, "B");
        std::fs::write(&file, &text).unwrap();
        File::options()
            .append(true)
            .open(&file)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        assert!(matches!(cache.lookup(&file, &options), Lookup::Stale));
        assert_eq!(entries(&cache), 0, "the stale entry is deleted");
        // Touching the file is a change too.
        let loaded = crate::io::load_path(&file, None).unwrap();
        cache.save(&file, &options, &loaded).unwrap();
        File::options()
            .append(true)
            .open(&file)
            .unwrap()
            .set_modified(SystemTime::now())
            .unwrap();
        assert!(matches!(cache.lookup(&file, &options), Lookup::Stale));
    }

    #[test]
    fn a_damaged_entry_is_deleted_not_trusted() {
        let tmp = tempfile::tempdir().unwrap();
        let file = fixture(tmp.path());
        let cache = ColumnCache::at(&tmp.path().join("cache"));
        let options = LoadOptions::default();
        let loaded = crate::io::load_path(&file, None).unwrap();
        for damage in [0.1, 0.5, 0.9] {
            cache.save(&file, &options, &loaded).unwrap();
            let entry = cache.entry_path(&file, &options);
            let mut bytes = std::fs::read(&entry).unwrap();
            let i = (bytes.len() as f64 * damage) as usize;
            bytes[i] ^= 0x20;
            std::fs::write(&entry, &bytes).unwrap();
            match cache.lookup(&file, &options) {
                Lookup::Corrupt(reason) => assert!(reason.contains("checksum"), "{reason}"),
                other => panic!("a damaged entry was {other:?}"),
            }
            assert!(!entry.exists());
        }
        // Cut short.
        cache.save(&file, &options, &loaded).unwrap();
        let entry = cache.entry_path(&file, &options);
        let bytes = std::fs::read(&entry).unwrap();
        std::fs::write(&entry, &bytes[..bytes.len() / 2]).unwrap();
        assert!(matches!(cache.lookup(&file, &options), Lookup::Corrupt(_)));
    }

    #[test]
    fn a_full_cache_drops_the_least_recently_used_entries() {
        let tmp = tempfile::tempdir().unwrap();
        let options = LoadOptions::default();
        let mut files = Vec::new();
        for name in ["a.json", "b.json", "c.json"] {
            let file = tmp.path().join(name);
            std::fs::copy(fixture(tmp.path()), &file).unwrap();
            files.push(file);
        }
        let loaded = crate::io::load_path(&files[0], None).unwrap();
        let one = {
            let probe = ColumnCache::at(&tmp.path().join("probe"));
            probe.save(&files[0], &options, &loaded).unwrap();
            std::fs::metadata(probe.entry_path(&files[0], &options))
                .unwrap()
                .len()
        };
        // Room for two entries.
        let cache = ColumnCache::at(&tmp.path().join("cache")).with_max_total(one * 2 + one / 2);
        let old = SystemTime::now() - std::time::Duration::from_secs(3600);
        cache.save(&files[0], &options, &loaded).unwrap();
        cache.save(&files[1], &options, &loaded).unwrap();
        // `a` was used after `b`: `b` is the least recently used.
        for (file, age) in [(&files[1], 1), (&files[0], 2)] {
            File::options()
                .append(true)
                .open(cache.entry_path(file, &options))
                .unwrap()
                .set_modified(old + std::time::Duration::from_secs(age * 60))
                .unwrap();
        }
        cache.save(&files[2], &options, &loaded).unwrap();
        assert_eq!(entries(&cache), 2);
        assert!(cache.entry_path(&files[0], &options).exists());
        assert!(!cache.entry_path(&files[1], &options).exists());
        assert!(cache.entry_path(&files[2], &options).exists());
    }
}

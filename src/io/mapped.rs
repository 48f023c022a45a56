//! A file's bytes, mapped or read ([`read_file`]), and the registry of
//! live mappings that lets a parser give back the pages it has read
//! ([`release_read`]).

use std::path::Path;

use super::error::LoadError;

/// Files larger than this are refused before reading: a laptop viewer must
/// not be pushed into swapping by a mislabelled disk image.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024 * 1024;

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

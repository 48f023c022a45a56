//! How much memory opening a file will take, and how much the machine has,
//! so that the window can ask before an open that would push the laptop
//! into swap (or get Eventline killed) rather than after.

use std::io::Read;
use std::path::Path;

use super::format::Format;

/// Peak resident memory of a whole open per byte of file, as measured on
/// this project's benchmark machine (docs/PERFORMANCE.md, whole-process
/// `eventline inspect`, with the column store, 2026-11-30): a 1M-row ACLED
/// export in ACLED's own layout peaked at 0.98–1.04 GB for 438 MB (2.4×
/// at most), the 1M-event native file at 0.70 GB for 500 MB (1.4×; 1.5
/// kept as a margin). UCDP shares ACLED's reader.
/// The other formats still gather every event before the table and were
/// not measured again: they keep the figure measured before the column
/// store (11.7×), so the question comes too early rather than too late.
/// Parquet is compressed: synthetic datasets took 8.8–11.3 bytes of event
/// table per byte of Parquet, 7.7–9.6 bytes of native JSON; with the file
/// held twice while read (the loader's bytes and the reader's copy), the
/// id watch and the table's growth, 20× is the estimate (not measured
/// whole-process).
fn bytes_per_file_byte(format: Option<Format>) -> f64 {
    match format {
        Some(Format::Eventline) => 1.5,
        Some(Format::Acled | Format::Ucdp) => 2.4,
        Some(Format::Parquet) => 20.0,
        _ => 11.7,
    }
}

/// What the window and its first dataset need besides the events.
const BASE: u64 = 150 * 1024 * 1024;

/// The expected peak for opening files of these sizes and formats.
pub fn peak_estimate(files: &[(u64, Option<Format>)]) -> u64 {
    let events: f64 = files
        .iter()
        .map(|&(size, format)| size as f64 * bytes_per_file_byte(format))
        .sum();
    BASE + events as u64
}

/// Files smaller than this are not worth asking about (nor sniffing).
const SMALL: u64 = 16 * 1024 * 1024;

/// The size and (guessed) format of a large regular file, reading only its
/// head; `None` for small files, pipes and devices (whose reading could
/// block), and files that cannot be read (the open itself will say why).
pub fn size_and_format(path: &Path, forced: Option<Format>) -> Option<(u64, Option<Format>)> {
    let meta = std::fs::metadata(path).ok()?;
    let size = meta.len();
    if !meta.is_file() || size < SMALL {
        return None;
    }
    if forced.is_some() {
        return Some((size, forced));
    }
    let mut head = Vec::with_capacity(64 * 1024);
    std::fs::File::open(path)
        .ok()?
        .take(64 * 1024)
        .read_to_end(&mut head)
        .ok()?;
    Some((size, super::detect::detect(path, &head).ok()))
}

/// Memory the system can give without swapping (Linux `MemAvailable`);
/// `None` where that cannot be known, and then nobody is asked.
pub fn available() -> Option<u64> {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| mem_available(&t))
}

/// `MemAvailable` of a `/proc/meminfo` text, in bytes.
pub fn mem_available(meminfo: &str) -> Option<u64> {
    meminfo.lines().find_map(|line| {
        let rest = line.strip_prefix("MemAvailable:")?;
        let kb: u64 = rest.trim().strip_suffix("kB")?.trim().parse().ok()?;
        kb.checked_mul(1024)
    })
}

/// This process's resident memory now and at its peak (Linux `VmRSS` and
/// `VmHWM`), in bytes; `None` where that cannot be known.
pub fn resident() -> Option<(u64, u64)> {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|t| resident_in_status(&t))
}

/// `VmRSS` and `VmHWM` of a `/proc/PID/status` text, in bytes.
pub fn resident_in_status(status: &str) -> Option<(u64, u64)> {
    let field = |name: &str| {
        status.lines().find_map(|line| {
            let kb: u64 = line
                .strip_prefix(name)?
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse()
                .ok()?;
            kb.checked_mul(1024)
        })
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Hand memory freed by any thread back to the system now: mimalloc (the
/// binary's allocator) otherwise keeps freed pages of threads that have
/// ended — a dataset's loader, a cancelled parse — for a while, and they
/// count as the window's. Costs a few milliseconds; call it off the UI
/// thread after freeing something large.
pub fn give_back_freed() {
    // SAFETY: `mi_collect` takes no pointers and may be called from any
    // thread at any time; without mimalloc as the global allocator it only
    // tidies mimalloc's own (empty) heaps.
    let collect = || unsafe { libmimalloc_sys::mi_collect(true) };
    collect();
    // Pages a worker of the thread pool allocated go back only when that
    // worker tidies its own heap, and idle workers never do by themselves.
    rayon::broadcast(|_| collect());
}

/// mimalloc's `mi_option_purge_delay`, which its Rust bindings do not name:
/// the option just before `use_numa_nodes` in mimalloc.h (the build fails
/// here if the bindings' numbering moves).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const _: () = assert!(libmimalloc_sys::mi_option_use_numa_nodes - 1 == MI_OPTION_PURGE_DELAY);

/// Turn transparent huge pages off for this process. mimalloc asks for
/// them on its arenas; then a 2 MiB page is zeroed whole on first touch
/// and again after each purge of part of it. A 1M-row ACLED import spent
/// 1.0–1.3 s in the kernel instead of 0.4–0.5 s, took 3.6–4.0 s instead
/// of 3.1–3.3 s and peaked ~60 MB higher (five alternated runs each).
/// mimalloc's own `allow_thp` option is read before `main` runs, so the
/// process-wide switch is used instead. Call first thing in `main`.
pub fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only changes
    // how this process's later page faults are served.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Make mimalloc give freed memory back to the system at once instead of
/// 10 ms later, when it may no longer get round to it. Freed buffers then
/// stop counting as the process's: a 1M-row ACLED import peaked at
/// 0.90 GB instead of 0.96–1.00 GB, but took 0.5–1.8 s longer in four runs
/// of five (every free returns pages, and they are faulted in again), so
/// only the long-lived window sets it. Call once at start-up.
pub fn purge_freed_at_once() {
    // SAFETY: setting an option takes no pointers; mimalloc documents
    // options as settable at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}

/// "4.7 GB", "820 MB": sizes as people read them (decimal units).
pub fn describe_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else {
        format!("{:.0} MB", (b / 1e6).max(1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_follow_the_measured_ratios() {
        let mb = 1_000_000u64;
        // The measured cases come back near their measured peaks.
        let acled = peak_estimate(&[(438 * mb, Some(Format::Acled))]);
        assert!((1_050 * mb..1_300 * mb).contains(&acled), "{acled}");
        let native = peak_estimate(&[(500 * mb, Some(Format::Eventline))]);
        assert!((700 * mb..1_000 * mb).contains(&native), "{native}");
        // Unknown formats are taken as the hungriest; files add up.
        assert_eq!(
            peak_estimate(&[(mb, None)]),
            peak_estimate(&[(mb, Some(Format::Gdelt))])
        );
        let two = peak_estimate(&[(mb, None), (mb, None)]);
        assert_eq!(two - BASE, 2 * (peak_estimate(&[(mb, None)]) - BASE));
    }

    #[test]
    fn reads_mem_available_from_meminfo() {
        let text =
            "MemTotal:       24576000 kB\nMemFree:         1000 kB\nMemAvailable:   20480000 kB\n";
        assert_eq!(mem_available(text), Some(20_480_000 * 1024));
        assert_eq!(mem_available("MemTotal: 5 kB\n"), None);
        assert_eq!(mem_available("MemAvailable: lots\n"), None);
    }

    #[test]
    fn reads_resident_memory_from_status() {
        let text = "Name:\teventline\nVmHWM:\t  952844 kB\nVmRSS:\t  916376 kB\nThreads: 9\n";
        assert_eq!(
            resident_in_status(text),
            Some((916_376 * 1024, 952_844 * 1024))
        );
        assert_eq!(resident_in_status("VmRSS: 5 kB\n"), None);
        assert!(resident().is_some_and(|(now, peak)| now > 0 && peak >= now));
    }

    #[test]
    fn sizes_in_words() {
        assert_eq!(describe_bytes(4_700_000_000), "4.7 GB");
        assert_eq!(describe_bytes(820_000_000), "820 MB");
        assert_eq!(describe_bytes(10), "1 MB");
    }

    #[test]
    fn the_head_tells_the_format_and_small_or_missing_files_give_none() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.json");
        std::fs::write(&p, br#"{"eventline": 1, "events": []}"#).unwrap();
        assert_eq!(size_and_format(&p, None), None);
        let mut big = br#"{"eventline": 1, "title": ""#.to_vec();
        big.resize(SMALL as usize + 10, b'x');
        big.extend_from_slice(br#"", "events": []}"#);
        std::fs::write(&p, &big).unwrap();
        let (size, format) = size_and_format(&p, None).unwrap();
        assert_eq!(format, Some(Format::Eventline));
        assert_eq!(size, big.len() as u64);
        assert_eq!(
            size_and_format(&p, Some(Format::Csv)).unwrap().1,
            Some(Format::Csv)
        );
        assert_eq!(size_and_format(&dir.path().join("none"), None), None);
    }
}

//! Progress and cancelling from inside a parse: the importers' row loops
//! report how many events they have made and how far into the file they
//! are, and stop early when the open was cancelled, so the window can count
//! events as they are parsed and Cancel takes effect within a batch of rows
//! instead of after the whole file.
//!
//! The loader installs a [`ParseProgress`] for the duration of one parse
//! ([`with`]); the importers call [`parsed`] and [`cancelled`], which do
//! nothing outside it (the command line, tests, the fuzzers).

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

/// Shared between the parsing thread and the window.
#[derive(Debug, Default)]
pub struct ParseProgress {
    events: AtomicUsize,
    /// How far into the file being parsed, in bytes of its text.
    position: AtomicU64,
    cancelled: AtomicBool,
}

impl ParseProgress {
    /// Events made so far by the parses this progress was installed for.
    pub fn events(&self) -> usize {
        self.events.load(Ordering::Relaxed)
    }

    /// How far into the current file the parse is, in bytes.
    pub fn position(&self) -> u64 {
        self.position.load(Ordering::Relaxed)
    }

    /// Take back `n` events reported (the loader counts a finished file's
    /// events itself).
    pub fn discount(&self, n: usize) {
        self.events
            .fetch_sub(n.min(self.events()), Ordering::Relaxed);
    }

    /// A new file starts: its position starts at zero.
    pub fn start_file(&self) {
        self.position.store(0, Ordering::Relaxed);
    }

    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<ParseProgress>>> = const { RefCell::new(None) };
}

/// Run `parse` with `progress` receiving what the importers it calls on
/// this thread report.
pub fn with<R>(progress: &Arc<ParseProgress>, parse: impl FnOnce() -> R) -> R {
    struct Restore(Option<Arc<ParseProgress>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            CURRENT.with(|c| *c.borrow_mut() = previous);
        }
    }
    let previous = CURRENT.with(|c| c.borrow_mut().replace(progress.clone()));
    let _restore = Restore(previous);
    parse()
}

/// `events` more events were made; the parse has reached byte `position`
/// of the file's text.
pub fn parsed(events: usize, position: u64) {
    CURRENT.with(|c| {
        if let Some(p) = c.borrow().as_ref() {
            p.events.fetch_add(events, Ordering::Relaxed);
            p.position.fetch_max(position, Ordering::Relaxed);
        }
    });
}

/// Whether the open this parse belongs to was cancelled: stop reading (what
/// was read is thrown away by the loader).
/// The progress installed on this thread, for an importer to install on
/// the threads it starts ([`within`]): it is kept per thread.
pub fn current() -> Option<Arc<ParseProgress>> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Run `work` with `progress` installed, if there is one.
pub fn within<R>(progress: Option<&Arc<ParseProgress>>, work: impl FnOnce() -> R) -> R {
    match progress {
        Some(p) => with(p, work),
        None => work(),
    }
}

pub fn cancelled() -> bool {
    CURRENT.with(|c| c.borrow().as_ref().is_some_and(|p| p.is_cancelled()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_reach_the_installed_progress_only() {
        parsed(5, 100);
        assert!(!cancelled());
        let p = Arc::new(ParseProgress::default());
        with(&p, || {
            parsed(3, 10);
            parsed(4, 50);
            parsed(0, 20);
            assert!(!cancelled());
            p.cancel();
            assert!(cancelled());
        });
        assert_eq!(p.events(), 7);
        assert_eq!(p.position(), 50);
        // Gone once the parse is over.
        assert!(!cancelled());
        parsed(100, 1000);
        assert_eq!(p.events(), 7);
    }

    fn native_bytes(n: usize) -> Vec<u8> {
        let mut out = Vec::new();
        crate::io::native::write_to(&crate::synth::generate(n, 7, true), &mut out).unwrap();
        out
    }

    fn acled_bytes(n: usize) -> Vec<u8> {
        let mut out = Vec::new();
        crate::synth::write_acled_csv(&crate::synth::generate(n, 7, true), "%d %B %Y", &mut out)
            .unwrap();
        out
    }

    #[test]
    fn importers_count_events_as_they_parse_and_reach_the_end() {
        let path = std::path::Path::new("x");
        for (bytes, format) in [
            (native_bytes(70_000), crate::io::Format::Eventline),
            (acled_bytes(40_000), crate::io::Format::Acled),
        ] {
            let p = Arc::new(ParseProgress::default());
            let loaded = with(&p, || crate::io::load_bytes(path, &bytes, Some(format))).unwrap();
            assert_eq!(p.events(), loaded.dataset.events.len(), "{format:?}");
            assert!(p.position() * 10 >= bytes.len() as u64 * 9, "{format:?}");
        }
    }

    #[test]
    fn a_cancelled_parse_stops_without_reading_on() {
        let path = std::path::Path::new("x");
        let native = native_bytes(40_000);
        let p = Arc::new(ParseProgress::default());
        p.cancel();
        let r = with(&p, || {
            crate::io::load_bytes(path, &native, Some(crate::io::Format::Eventline))
        });
        assert!(matches!(r, Err(crate::io::LoadError::Cancelled { .. })));
        assert_eq!(p.events(), 0);
        let acled = acled_bytes(40_000);
        let r = with(&p, || {
            crate::io::load_bytes(path, &acled, Some(crate::io::Format::Acled))
        });
        // The loader throws the rest away; nothing past the cancel was made.
        assert!(r.map_or(true, |l| l.dataset.events.is_empty()));
        assert_eq!(p.events(), 0);
    }
}

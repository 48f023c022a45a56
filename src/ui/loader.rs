//! Loading off the UI thread: parse, then index, on a worker; the window
//! keeps drawing and swaps in the new store in one step when it is ready.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use super::annotations::Annotations;
use crate::io::{self, LoadOptions, Problem};
use crate::store::filter::SearchText;
use crate::store::{LaneGrouping, LaneSet, Store};

/// What to read.
#[derive(Clone, Debug)]
pub enum Source {
    /// The dataset built into the binary.
    Embedded,
    Files(Vec<PathBuf>),
}

/// A problem together with the file it was found in.
#[derive(Clone, Debug, PartialEq)]
pub struct FileProblem {
    pub file: String,
    pub problem: Problem,
}

/// A finished load: the store, its lanes, and everything worth telling.
pub struct Outcome {
    pub store: Arc<Store>,
    /// Folded text of every event, for search.
    pub search_text: Arc<SearchText>,
    /// Every event's anchor, for the overview before any filter runs.
    pub anchors: Arc<Vec<i64>>,
    pub lanes: Arc<LaneSet>,
    pub files: Vec<PathBuf>,
    pub problems: Vec<FileProblem>,
    pub skipped: usize,
    /// The analyst's notes, read from the sidecar of the first file (or of
    /// the built-in dataset's place in the data folder).
    pub annotations: Annotations,
    /// Where the open's time went (shown with the frame times, F12).
    pub timings: LoadTimings,
}

/// Where an open's time went: each file's read and parse (or its read
/// back from the column cache), then building the store, lanes, search
/// text and notes.
#[derive(Clone, Debug, Default)]
pub struct LoadTimings {
    /// File name, time, and whether it came from the column cache.
    pub files: Vec<(String, std::time::Duration, bool)>,
    pub index: std::time::Duration,
}

pub enum Message {
    Done(Box<Outcome>),
    /// Nothing could be read; the sentence says why.
    Failed(String),
}

/// What the worker is doing, shared with the window for the progress bar.
#[derive(Default, Debug)]
pub struct Progress {
    pub bytes_read: AtomicU64,
    pub bytes_total: AtomicU64,
    /// Events of the files finished so far.
    pub events: AtomicUsize,
    /// Bytes of the files finished so far.
    done_bytes: AtomicU64,
    /// What the importer of the file being parsed reports, and how the
    /// window stops it.
    pub parse: Arc<io::progress::ParseProgress>,
    phase: AtomicU8,
    cancelled: AtomicBool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Reading,
    Parsing,
    Indexing,
}

impl Progress {
    pub fn phase(&self) -> Phase {
        match self.phase.load(Ordering::Relaxed) {
            0 => Phase::Reading,
            1 => Phase::Parsing,
            _ => Phase::Indexing,
        }
    }

    fn set_phase(&self, p: Phase) {
        self.phase.store(p as u8, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Fraction of the bytes read (while reading) or parsed (while
    /// parsing), for the progress bar.
    pub fn fraction(&self) -> f32 {
        let total = self.bytes_total.load(Ordering::Relaxed).max(1);
        let reached = match self.phase() {
            Phase::Reading => self.bytes_read.load(Ordering::Relaxed),
            Phase::Parsing => self.done_bytes.load(Ordering::Relaxed) + self.parse.position(),
            Phase::Indexing => total,
        };
        (reached as f64 / total as f64).min(1.0) as f32
    }

    /// Events made so far: those of the files done and of the one being
    /// parsed.
    pub fn events_so_far(&self) -> usize {
        self.events.load(Ordering::Relaxed) + self.parse.events()
    }
}

pub struct Loading {
    pub label: String,
    pub progress: Arc<Progress>,
    rx: Receiver<Message>,
}

impl Loading {
    /// Start reading on a worker thread. `notify` is called when done (the
    /// window uses it to wake up and repaint).
    pub fn start(
        source: Source,
        options: LoadOptions,
        grouping: LaneGrouping,
        notify: impl FnOnce() + Send + 'static,
        embedded_notes: Option<PathBuf>,
    ) -> Loading {
        let label = match &source {
            Source::Embedded => crate::DEFAULT_DATASET_NAME.to_string(),
            Source::Files(f) => f
                .iter()
                .map(|p| io::display_name(p))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let (tx, rx) = channel();
        let progress = Arc::new(Progress::default());
        let worker_progress = progress.clone();
        std::thread::Builder::new()
            .name("eventline-loader".into())
            .spawn(move || {
                let (message, after) = load_with_progress(
                    source,
                    &options,
                    grouping,
                    embedded_notes,
                    &worker_progress,
                );
                // The window may have gone; nobody to tell then.
                let _ = tx.send(message);
                notify();
                // Work the view need not wait for (a cache entry).
                if let Some(after) = after {
                    after();
                }
                io::memory::give_back_freed();
            })
            .map(|_| ())
            .unwrap_or_else(|e| eprintln!("eventline: cannot start the loader thread: {e}"));
        Loading {
            label,
            progress,
            rx,
        }
    }

    /// Stop: the worker stops reading at its next chunk, and whatever it
    /// still finishes is thrown away. The open dataset stays.
    pub fn cancel(self) {
        self.progress.cancelled.store(true, Ordering::Relaxed);
        self.progress.parse.cancel();
    }

    /// The result, if the worker has finished.
    pub fn poll(&self) -> Option<Message> {
        match self.rx.try_recv() {
            Ok(m) => Some(m),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Message::Failed(
                "the loader stopped without an answer".into(),
            )),
        }
    }

    /// Wait for the result (tests, and the CLI).
    pub fn wait(self) -> Message {
        self.rx
            .recv()
            .unwrap_or_else(|_| Message::Failed("the loader stopped without an answer".into()))
    }
}

/// Read every file; merge what could be read into one store.
pub fn load(source: Source, options: &LoadOptions, grouping: LaneGrouping) -> Message {
    let (message, after) =
        load_with_progress(source, options, grouping, None, &Progress::default());
    if let Some(after) = after {
        after();
    }
    message
}

/// What an open leaves to do once the window has the data.
type After = Box<dyn FnOnce() + Send>;

/// A single file's cache entry, written after the window has its store:
/// the store holds the file's event table as it was read.
struct PendingEntry {
    cache: io::cache::ColumnCache,
    path: PathBuf,
    options: LoadOptions,
    format: io::Format,
    title: String,
    description: String,
    kinds: Vec<crate::model::KindDef>,
    eras: Vec<crate::model::Era>,
    problems: Vec<Problem>,
    problems_omitted: usize,
    skipped: usize,
}

impl PendingEntry {
    fn of(cache: io::cache::ColumnCache, options: &LoadOptions, l: &io::Loaded) -> PendingEntry {
        let d = &l.dataset;
        PendingEntry {
            cache,
            path: l.path.clone(),
            options: *options,
            format: l.format,
            title: d.title.clone(),
            description: d.description.clone(),
            kinds: d.kinds.clone(),
            eras: d.eras.clone(),
            problems: l.problems.clone(),
            problems_omitted: l.problems_omitted,
            skipped: l.skipped,
        }
    }

    fn write(self, store: &Store) {
        let entry = io::cache::Entry {
            format: self.format,
            title: &self.title,
            description: &self.description,
            kinds: &self.kinds,
            eras: &self.eras,
            problems: &self.problems,
            problems_omitted: self.problems_omitted,
            skipped: self.skipped,
            events: store.table(),
        };
        io::save_entry_to_cache(&self.cache, &self.path, &self.options, &entry);
    }
}

/// Read each file (from the cache where it can), reporting progress;
/// `None` once the user cancels. A single file's cache entry is left in
/// `pending`, to be written once the window has the store.
fn read_files(
    paths: &[PathBuf],
    options: &LoadOptions,
    progress: &Progress,
    timings: &mut LoadTimings,
    pending: &mut Option<PendingEntry>,
) -> Option<Vec<Result<io::Loaded, io::LoadError>>> {
    let single_file = paths.len() == 1;
    let total: u64 = paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    progress.bytes_total.store(total, Ordering::Relaxed);
    let mut done = 0u64;
    let mut out = Vec::new();
    for p in paths {
        let started = std::time::Instant::now();
        let cache = io::cache_for(p, options);
        if let Some(c) = &cache
            && let io::cache::Lookup::Hit(loaded) = c.lookup(p, options)
        {
            timings
                .files
                .push((io::display_name(p), started.elapsed(), true));
            done += std::fs::metadata(p).map_or(0, |m| m.len());
            progress.done_bytes.store(done, Ordering::Relaxed);
            progress
                .events
                .fetch_add(loaded.dataset.events.len(), Ordering::Relaxed);
            out.push(Ok(*loaded));
            continue;
        }
        progress.set_phase(Phase::Reading);
        let read = io::read_file(p, |n| {
            progress.bytes_read.store(done + n, Ordering::Relaxed);
            !progress.is_cancelled()
        });
        if progress.is_cancelled() {
            return None;
        }
        let r = read.and_then(|bytes| {
            progress.parse.start_file();
            progress.set_phase(Phase::Parsing);
            let r = io::progress::with(&progress.parse, || io::load_bytes_with(p, &bytes, options));
            done += bytes.len() as u64;
            progress.done_bytes.store(done, Ordering::Relaxed);
            r
        });
        if progress.is_cancelled() {
            return None;
        }
        // The importer's own count is replaced by the file's.
        let counted = progress.parse.events();
        if let Ok(l) = &r {
            progress
                .events
                .fetch_add(l.dataset.events.len(), Ordering::Relaxed);
        }
        progress.parse.discount(counted);
        timings
            .files
            .push((io::display_name(p), started.elapsed(), false));
        if let (Some(c), Ok(l)) = (cache, &r) {
            if single_file {
                // Written once the window has the store (below).
                *pending = Some(PendingEntry::of(c, options, l));
            } else {
                io::save_to_cache(&c, p, options, l);
            }
        }
        out.push(r);
    }
    Some(out)
}

fn load_with_progress(
    source: Source,
    options: &LoadOptions,
    grouping: LaneGrouping,
    embedded_notes: Option<PathBuf>,
    progress: &Progress,
) -> (Message, Option<After>) {
    let mut timings = LoadTimings::default();
    let mut pending: Option<PendingEntry> = None;
    let results: Vec<Result<io::Loaded, io::LoadError>> = match &source {
        Source::Embedded => {
            let started = std::time::Instant::now();
            let r = crate::default_dataset();
            if let Ok(l) = &r {
                timings
                    .files
                    .push((io::display_name(&l.path), started.elapsed(), false));
            }
            vec![r]
        }
        Source::Files(paths) => {
            match read_files(paths, options, progress, &mut timings, &mut pending) {
                Some(out) => out,
                None => return (Message::Failed("Opening was cancelled.".into()), None),
            }
        }
    };
    if progress.is_cancelled() {
        return (Message::Failed("Opening was cancelled.".into()), None);
    }
    progress.set_phase(Phase::Indexing);
    let indexing = std::time::Instant::now();
    let mut datasets = Vec::new();
    let mut problems = Vec::new();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = 0;
    for r in results {
        match r {
            Ok(loaded) => {
                let file = io::display_name(&loaded.path);
                problems.extend(loaded.problems.into_iter().map(|problem| FileProblem {
                    file: file.clone(),
                    problem,
                }));
                skipped += loaded.skipped;
                if matches!(source, Source::Files(_)) {
                    files.push(loaded.path);
                }
                datasets.push(loaded.dataset);
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    if datasets.is_empty() {
        return (Message::Failed(errors.join("\n")), None);
    }
    // A file that failed while others loaded is reported like a problem.
    for e in errors {
        problems.push(FileProblem {
            file: String::new(),
            problem: Problem {
                severity: io::Severity::Error,
                line: None,
                column: None,
                field: None,
                message: e,
            },
        });
    }
    let store = Arc::new(Store::from_datasets(datasets));
    let lanes = Arc::new(LaneSet::build(&store, grouping));
    let search_text = Arc::new(SearchText::build(&store));
    // One sidecar per opened file, in the order the store was built from
    // them; the built-in dataset's notes live in the app's data folder.
    let sidecars = match &source {
        Source::Embedded => vec![embedded_notes],
        Source::Files(_) => files.iter().cloned().map(Some).collect(),
    };
    let (annotations, notes_problems) = Annotations::open(sidecars, &store);
    for message in notes_problems {
        problems.push(FileProblem {
            file: String::new(),
            problem: Problem {
                severity: io::Severity::Warning,
                line: None,
                column: None,
                field: None,
                message,
            },
        });
    }
    let anchors = store.anchor.clone();
    timings.index = indexing.elapsed();
    let store_for_cache = store.clone();
    let done = Message::Done(Box::new(Outcome {
        store,
        search_text,
        anchors,
        lanes,
        files,
        problems,
        skipped,
        annotations,
        timings,
    }));
    let after = pending.map(|p| {
        let store = store_for_cache;
        Box::new(move || p.write(&store)) as After
    });
    (done, after)
}

//! Loading off the UI thread: parse, then index, on a worker; the window
//! keeps drawing and swaps in the new store in one step when it is ready.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::io::{self, Format, Problem};
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
    pub lanes: Arc<LaneSet>,
    pub files: Vec<PathBuf>,
    pub problems: Vec<FileProblem>,
    pub skipped: usize,
}

pub enum Message {
    Done(Box<Outcome>),
    /// Nothing could be read; the sentence says why.
    Failed(String),
}

pub struct Loading {
    pub label: String,
    rx: Receiver<Message>,
}

impl Loading {
    /// Start reading on a worker thread. `notify` is called when done (the
    /// window uses it to wake up and repaint).
    pub fn start(
        source: Source,
        format: Option<Format>,
        grouping: LaneGrouping,
        notify: impl FnOnce() + Send + 'static,
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
        std::thread::Builder::new()
            .name("eventline-loader".into())
            .spawn(move || {
                let message = load(source, format, grouping);
                // The window may have gone; nobody to tell then.
                let _ = tx.send(message);
                notify();
            })
            .map(|_| ())
            .unwrap_or_else(|e| eprintln!("eventline: cannot start the loader thread: {e}"));
        Loading { label, rx }
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
pub fn load(source: Source, format: Option<Format>, grouping: LaneGrouping) -> Message {
    let results = match &source {
        Source::Embedded => vec![crate::default_dataset()],
        Source::Files(paths) => paths.iter().map(|p| io::load_path(p, format)).collect(),
    };
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
        return Message::Failed(errors.join("\n"));
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
    Message::Done(Box::new(Outcome {
        store,
        lanes,
        files,
        problems,
        skipped,
    }))
}

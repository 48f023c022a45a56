//! Work off the UI thread: loading files, running the filter, saving and
//! exporting, and the system's file dialogs. The UI thread starts jobs and
//! polls their results once a frame; it never waits on them (except the
//! `wait_for_*` calls, for tests and benchmarks).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use super::filter_worker::LatestWorker;
use super::{Data, EventlineApp, MemoryQuestion, Notice};
use crate::io::{self, Severity, memory};
use crate::store::EventIx;
use crate::store::filtered::{FilterOutput, Shown, run_filter};
use crate::ui::command::DialogKind;
use crate::ui::file_browser::FileBrowser;
use crate::ui::loader::{FileProblem, Loading, Message, Outcome, Progress, Source};
use crate::ui::notes::NotesPanel;
use crate::ui::style;

/// Above this many events, filtering and regrouping run on the worker.
const BACKGROUND_FILTER: usize = 100_000;

/// A system dialog that returns nothing this fast never opened (no portal,
/// no zenity): a person takes longer to cancel one.
const NEVER_OPENED: Duration = Duration::from_millis(250);

/// `EVENTLINE_FILE_DIALOG=builtin` always uses Eventline's own browser.
fn builtin_dialog_forced() -> bool {
    std::env::var("EVENTLINE_FILE_DIALOG").is_ok_and(|v| v.eq_ignore_ascii_case("builtin"))
}

/// A finished save or export: what to tell, and where the dataset was
/// saved (not exported), if it was.
pub struct Written {
    pub(super) notice: Notice,
    pub(super) saved: Option<PathBuf>,
}

/// What the system's dialog said.
pub enum DialogAnswer {
    Chosen(Vec<PathBuf>),
    Unavailable,
}

impl EventlineApp {
    /// Open `source`, first asking if it looks too big for the memory
    /// the machine has free.
    pub(super) fn start_loading(&mut self, source: Source, adds: bool) {
        if let Source::Files(paths) = &source
            && let Some(available) = self.memory_available.unwrap_or_else(memory::available)
        {
            let files: Vec<_> = paths
                .iter()
                .filter_map(|p| memory::size_and_format(p, self.load_options.format))
                .collect();
            let needed = memory::peak_estimate(&files);
            if needed > available {
                self.memory_question = Some(MemoryQuestion {
                    source,
                    adds,
                    needed,
                    available,
                });
                return;
            }
        }
        self.start_loading_now(source, adds);
    }

    pub(super) fn start_loading_now(&mut self, source: Source, adds: bool) {
        if let Some(old) = self.loading.take() {
            old.cancel();
        }
        let ctx = self.ctx.clone();
        self.loading_adds = adds;
        self.loading = Some(Loading::start(
            source,
            self.load_options,
            self.settings.grouping,
            move || ctx.request_repaint(),
            self.embedded_notes.clone(),
        ));
    }

    /// Take `bytes` as the memory available instead of asking the system
    /// (`None`: never ask); for tests.
    #[doc(hidden)]
    pub fn assume_memory_available(&mut self, bytes: Option<u64>) {
        self.memory_available = Some(bytes);
    }

    /// Whether the "not enough memory" question is open (tests).
    pub fn memory_question_open(&self) -> bool {
        self.memory_question.is_some()
    }

    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// The running load's progress, if any (for the progress bar and tests).
    pub fn loading_progress(&self) -> Option<&Arc<Progress>> {
        self.loading.as_ref().map(|l| &l.progress)
    }

    /// Block until the current load has finished (tests).
    #[doc(hidden)]
    pub fn wait_for_load(&mut self) {
        if let Some(loading) = self.loading.take() {
            let message = loading.wait();
            self.apply_load(message);
        }
    }

    /// Block until a running save or export has finished (tests).
    #[doc(hidden)]
    pub fn wait_for_save(&mut self) {
        if let Some(rx) = self.saving.take()
            && let Ok(written) = rx.recv()
        {
            self.written(written);
        }
    }

    /// A save or export finished. A dataset saved as a file of its own
    /// takes its notes along: they move to the new file's sidecar.
    fn written(&mut self, written: Written) {
        self.notice = Some(written.notice);
        if let (Some(path), Some(d)) = (written.saved, &self.data) {
            self.annotations.move_to(&d.store, &path);
            self.request_filter();
        }
    }

    fn apply_load(&mut self, message: Message) {
        let outcome = match message {
            Message::Done(outcome) => *outcome,
            Message::Failed(reason) => {
                // The previous dataset, if any, stays open.
                eprintln!("eventline: {reason}");
                self.error = Some(reason);
                return;
            }
        };
        let Outcome {
            store,
            search_text,
            anchors,
            lanes,
            files,
            problems,
            skipped,
            annotations,
            timings,
        } = outcome;
        self.frame_stats.last_load = Some(timings);
        if let Some(line) = problems_summary(&problems, skipped) {
            eprintln!("eventline: {line}");
        }
        self.skipped_notice_dismissed = false;
        self.settings.remember_opened(&files);
        let single_native = files.len() == 1
            && !store.any_provenance()
            && files[0]
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("json"));
        self.notice = (store.replaced > 0).then(|| Notice {
            text: format!(
                "{} events were replaced by newer versions of the same records",
                store.replaced
            ),
            is_error: false,
        });
        // Their last writes land before the new notes can be written.
        self.annotations.flush();
        drop_elsewhere(std::mem::replace(&mut self.annotations, annotations));
        self.detail.notes = NotesPanel::default();
        self.filter = self.settings.filter_for(&files);
        self.filter_panel = Default::default();
        self.last_base = None;
        self.opened += 1;
        let old = self.data.replace(Data {
            shown: Shown {
                lanes,
                anchors,
                events: None,
            },
            search_text,
            result: None,
            match_mask: Arc::new(Vec::new()),
            generation: 0,
            serial: self.opened,
            save_path: single_native.then(|| files[0].clone()),
            unsaved: self.loading_adds && files.len() > 1,
            store,
            files,
            problems,
            skipped,
        });
        // Freeing a large dataset takes a while: not on the UI thread.
        drop_elsewhere(old);
        self.selected = None;
        self.timeline.reset();
        self.history.reset();
        self.error = None;
        if let Some(name) = self.pending_view.take() {
            self.open_view(&name);
        }
        self.request_filter();
        self.run_filter_if_needed();
        if let Some(d) = &self.data {
            self.ctx
                .send_viewport_cmd(egui::ViewportCommand::Title(format!(
                    "{} — Eventline",
                    d.store.title
                )));
        }
    }

    /// The filter, the grouping or the notes changed: run the filter again
    /// once this frame's commands are applied.
    pub(super) fn request_filter(&mut self) {
        self.filter_dirty = true;
    }

    /// Run the filter if something changed: inline for small stores, on the
    /// worker for large ones (where only the newest request runs).
    pub(super) fn run_filter_if_needed(&mut self) {
        if !std::mem::take(&mut self.filter_dirty) {
            return;
        }
        let Some(d) = &self.data else { return };
        let compiled = match self.filter.compile(&d.store) {
            Ok(c) => c,
            Err(e) => {
                self.filter_error = Some(e.to_string());
                return;
            }
        };
        self.filter_error = None;
        let compiled = compiled.with_violation_flags(self.violation_flags());
        let Some(d) = &self.data else { return };
        self.settings.remember_filter(&d.files, &self.filter);
        let store = d.store.clone();
        let text = d.search_text.clone();
        let flags = self.annotations.flags.clone();
        let grouping = self.settings.grouping;
        let base = self.filter.clone().with_search_cleared();
        let active = base.is_active();
        // Only the search changed: keep what the timeline shows.
        let key = (base, grouping, self.annotations.generation);
        let reuse =
            (self.last_base.as_ref() == Some(&key) && d.result.is_some()).then(|| d.shown.clone());
        self.last_base = Some(key);
        self.filter_requested += 1;
        let generation = self.filter_requested;
        let job = move || {
            let started = Instant::now();
            let out = run_filter(&compiled, &store, &text, &flags, grouping, active, reuse);
            (out, started.elapsed())
        };
        if d.store.len() > BACKGROUND_FILTER {
            let ctx = self.ctx.clone();
            self.filter_worker
                .get_or_insert_with(|| {
                    LatestWorker::start("eventline-filter", move || ctx.request_repaint())
                })
                .submit(generation, job);
        } else {
            self.inline_filter_runs += 1;
            self.install_filter(generation, job());
        }
    }

    fn install_filter(&mut self, generation: u64, (out, took): (FilterOutput, Duration)) {
        self.frame_stats.last_filter = Some(took);
        if let Some(d) = &mut self.data
            && generation > d.generation
        {
            let old = (
                d.result.replace(out.result),
                std::mem::replace(&mut d.match_mask, out.match_mask),
                std::mem::replace(&mut d.shown, out.shown),
            );
            d.generation = generation;
            if d.store.len() > BACKGROUND_FILTER {
                drop_elsewhere(old);
            }
        }
    }

    /// Run a pending filter change and wait for it (tests and benchmarks).
    #[doc(hidden)]
    pub fn wait_for_filter(&mut self) {
        self.run_filter_if_needed();
        if let Some((g, out)) = self.filter_worker.as_ref().and_then(LatestWorker::wait) {
            self.install_filter(g, out);
        }
    }

    /// How many filter runs have started, inline or on the worker.
    #[doc(hidden)]
    pub fn filter_runs(&self) -> usize {
        self.inline_filter_runs + self.filter_worker.as_ref().map_or(0, LatestWorker::runs)
    }

    pub(super) fn poll_workers(&mut self) {
        if let Some((g, out)) = self
            .filter_worker
            .as_ref()
            .and_then(LatestWorker::try_latest)
        {
            self.install_filter(g, out);
        }
        if let Some(message) = self.loading.as_ref().and_then(Loading::poll) {
            self.loading = None;
            self.apply_load(message);
        }
        if let Some((kind, rx)) = &self.dialog
            && let Ok(answer) = rx.try_recv()
        {
            let kind = *kind;
            self.dialog = None;
            self.dialog_answered(kind, answer);
        }
        if let Some(rx) = &self.saving
            && let Ok(written) = rx.try_recv()
        {
            self.saving = None;
            self.written(written);
        }
    }

    /// Ask for files: the system's dialog on its own thread (the window
    /// keeps drawing behind it), or Eventline's own browser where the
    /// system's is known not to work.
    pub(super) fn pick(&mut self, kind: DialogKind) {
        if self.dialog.is_some() || self.file_browser.is_some() {
            return;
        }
        if self.system_dialog_unavailable || builtin_dialog_forced() {
            self.open_file_browser(kind);
            return;
        }
        let (tx, rx) = channel();
        let ctx = self.ctx.clone();
        let suggested = self.suggested_file_stem();
        let view_ext = self.export_view.settings.format.extension();
        std::thread::spawn(move || {
            let asked = Instant::now();
            let paths = system_dialog(kind, &suggested, view_ext);
            // Nobody cancels a dialog this fast: it never opened.
            let answer = if paths.is_empty() && asked.elapsed() < NEVER_OPENED {
                DialogAnswer::Unavailable
            } else {
                DialogAnswer::Chosen(paths)
            };
            let _ = tx.send(answer);
            ctx.request_repaint();
        });
        self.dialog = Some((kind, rx));
    }

    fn suggested_file_stem(&self) -> String {
        self.data
            .as_ref()
            .map(|d| style::file_stem_of_title(&io::display_name(Path::new(&d.store.title))))
            .unwrap_or_else(|| "dataset".into())
    }

    pub(super) fn open_file_browser(&mut self, kind: DialogKind) {
        // Start where the open dataset is, else where Eventline was started.
        let folder = self
            .data
            .as_ref()
            .and_then(|d| d.files.first())
            .or(self.settings.recent.first())
            .and_then(|f| f.parent())
            .filter(|p| p.is_dir())
            .map(Path::to_path_buf)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        let ext = match kind {
            DialogKind::Export => "csv",
            DialogKind::ExportView => self.export_view.settings.format.extension(),
            _ => "json",
        };
        let name = format!("{}.{ext}", self.suggested_file_stem());
        self.file_browser = Some(FileBrowser::open(kind, &folder, &name));
    }

    /// The system's dialog answered: paths, or that it cannot open here.
    fn dialog_answered(&mut self, kind: DialogKind, answer: DialogAnswer) {
        match answer {
            DialogAnswer::Chosen(paths) => self.commands.extend(kind.command(paths)),
            DialogAnswer::Unavailable => {
                self.system_dialog_unavailable = true;
                self.notice = Some(Notice {
                    text: "The system's file dialog is not available here (no file-chooser \
                           portal or zenity), so Eventline uses its own file browser."
                        .into(),
                    is_error: false,
                });
                self.open_file_browser(kind);
            }
        }
    }

    /// Save or export on a worker; the result arrives as a notice.
    pub(super) fn write_in_background(&mut self, path: PathBuf, export: bool) {
        let Some(d) = &self.data else { return };
        let store = d.store.clone();
        // Export writes what the table shows: the filtered events (and
        // search matches); a save writes the whole dataset.
        let rows: Option<Vec<EventIx>> = d.result.as_ref().map(|r| r.matched.clone());
        let (tx, rx) = channel();
        let ctx = self.ctx.clone();
        let target = path.clone();
        std::thread::spawn(move || {
            let (count, result) = match (export, &rows) {
                (true, Some(rows)) => (
                    rows.len(),
                    io::export::export_csv(&target, rows.iter().filter_map(|&i| store.event(i))),
                ),
                (true, None) => (store.len(), io::export::export_csv(&target, store.events())),
                (false, _) => (store.len(), io::native::save(&target, &store.to_dataset())),
            };
            let saved = (!export && result.is_ok()).then(|| target.clone());
            let notice = match result {
                Ok(()) => Notice {
                    text: format!(
                        "{} {} events to {}",
                        if export { "Exported" } else { "Saved" },
                        count,
                        target.display()
                    ),
                    is_error: false,
                },
                Err(e) => Notice {
                    text: e.to_string(),
                    is_error: true,
                },
            };
            let _ = tx.send(Written { notice, saved });
            ctx.request_repaint();
        });
        self.saving = Some(rx);
        if !export && let Some(d) = &mut self.data {
            // A merge saved natively is a dataset of its own from now on.
            d.unsaved = false;
            d.save_path = Some(path);
        }
    }
}

/// Drop `value` on a short-lived thread: freeing the previous dataset (or
/// the lanes of the previous filter) at a million events takes long enough
/// to stall a frame.
fn drop_elsewhere<T: Send + 'static>(value: T) {
    if std::mem::needs_drop::<T>() {
        let spawned = std::thread::Builder::new()
            .name("eventline-free".into())
            .spawn(move || {
                drop(value);
                crate::io::memory::give_back_freed();
            });
        // Without a thread, it is freed here, as before.
        drop(spawned);
    }
}

/// One line for stderr: how many problems of each severity, and skipped
/// records (the list itself is in the Problems window).
fn problems_summary(problems: &[FileProblem], skipped: usize) -> Option<String> {
    if problems.is_empty() && skipped == 0 {
        return None;
    }
    let errors = problems
        .iter()
        .filter(|p| p.problem.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    Some(format!(
        "{}, {}, {} skipped (listed in the Problems window)",
        style::plural(errors, "error", "errors"),
        style::plural(warnings, "warning", "warnings"),
        style::plural(skipped, "record", "records"),
    ))
}

/// The system's dialog for `kind`; the chosen paths (none if cancelled).
fn system_dialog(kind: DialogKind, suggested: &str, view_ext: &str) -> Vec<PathBuf> {
    let dialog = rfd::FileDialog::new();
    match kind {
        DialogKind::Open | DialogKind::Add => dialog
            .set_title(if kind == DialogKind::Open {
                "Open dataset files"
            } else {
                "Add dataset files"
            })
            .add_filter(
                "Datasets",
                &["json", "csv", "tsv", "txt", "timeline", "CSV", "parquet"],
            )
            .add_filter("All files", &["*"])
            .pick_files()
            .unwrap_or_default(),
        DialogKind::SaveAs => dialog
            .set_title("Save as Eventline dataset")
            .add_filter("Eventline dataset", &["json"])
            .set_file_name(format!("{suggested}.json"))
            .save_file()
            .into_iter()
            .collect(),
        DialogKind::Export => dialog
            .set_title("Export events as CSV")
            .add_filter("CSV", &["csv"])
            .set_file_name(format!("{suggested}.csv"))
            .save_file()
            .into_iter()
            .collect(),
        DialogKind::ExportView => dialog
            .set_title("Export view")
            .add_filter(view_ext.to_uppercase(), &[view_ext])
            .set_file_name(format!("{suggested}.{view_ext}"))
            .save_file()
            .into_iter()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::Sender;

    /// Says on which thread it was dropped.
    struct Tell(Sender<Option<String>>);

    impl Drop for Tell {
        fn drop(&mut self) {
            let _ = self
                .0
                .send(std::thread::current().name().map(str::to_string));
        }
    }

    #[test]
    fn a_replaced_dataset_is_freed_off_the_ui_thread() {
        let (tx, rx) = channel();
        drop_elsewhere(Tell(tx));
        let name = rx.recv().expect("dropped");
        assert_eq!(name.as_deref(), Some("eventline-free"));
    }

    #[test]
    fn problems_are_summed_up_in_one_line() {
        use crate::io::Problem;
        let p = |severity| FileProblem {
            file: "a.csv".into(),
            problem: Problem {
                severity,
                line: Some(3),
                column: None,
                field: None,
                message: "x".into(),
            },
        };
        assert_eq!(problems_summary(&[], 0), None);
        let line = problems_summary(
            &[
                p(Severity::Error),
                p(Severity::Warning),
                p(Severity::Warning),
            ],
            1,
        );
        assert_eq!(
            line.as_deref(),
            Some("1 error, 2 warnings, 1 record skipped (listed in the Problems window)")
        );
    }
}

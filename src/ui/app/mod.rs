//! The application: owns the open dataset and the view state, draws the
//! panels, and applies the [`Command`]s they emit once a frame.
//!
//! Its rooms: [`apply`] (what each command does), [`jobs`] (loading,
//! filtering, saving and dialogs off the UI thread), [`chrome`] (toolbar,
//! status bar, the central area), [`windows`] (help, problems, the unsaved
//! question), [`settings`] (what persists between runs).

mod analysis;
mod apply;
mod chrome;
mod export;
pub mod filter_worker;
pub mod history;
mod jobs;
pub mod settings;
mod views;
mod windows;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use egui::Ui;

use super::analysis::AnalysisUi;
use super::annotations::Annotations;
use super::command::Command;
use super::detail::{DetailPanel, EventView};
use super::file_browser::FileBrowser;
use super::filters::{FilterPanel, FilterView};
use super::frame_stats::{FrameSample, FrameStats};
use super::loader::{FileProblem, Loading, Source};
use super::map::{MapInput, MapPanel};
use super::table::{TablePanel, TableView};
use super::timeline::TimelineState;
use super::timeline::overview::OVERVIEW_H;
use crate::io::LoadOptions;
use crate::store::filter::{Filter, FilterResult, SearchText};
use crate::store::filtered::{FilterOutput, Shown};
use crate::store::{EventIx, LaneGrouping, LaneSet, Store};
pub use crate::ui::command::DialogKind;
use filter_worker::LatestWorker;
use jobs::DialogAnswer;
pub use settings::Settings;

/// The open dataset.
pub struct Data {
    pub store: Arc<Store>,
    pub search_text: Arc<SearchText>,
    /// What the filter shows: lanes, overview anchors, the events.
    pub shown: Shown,
    /// The filter's outcome; `None` until the first run finishes.
    pub result: Option<Arc<FilterResult>>,
    /// Search matches as a per-event mask (empty when not searching).
    pub match_mask: Arc<Vec<bool>>,
    /// The filter request whose result is installed (the table re-sorts
    /// when it changes).
    pub generation: u64,
    /// Unique per opened dataset (caches key on it, not on addresses).
    pub serial: u64,
    pub files: Vec<PathBuf>,
    pub problems: Vec<FileProblem>,
    pub skipped: usize,
    /// Where Save writes: the file itself when one native file was opened.
    pub save_path: Option<PathBuf>,
    /// A merge of several files exists only in memory until saved.
    pub unsaved: bool,
}

/// A message for the status bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

/// What the filter was last run with, to tell a search keystroke (lanes
/// kept) from a filter change (lanes rebuilt).
type FilterBase = (Filter, LaneGrouping, u64);

pub struct EventlineApp {
    settings: Settings,
    data: Option<Data>,
    loading: Option<Loading>,
    /// Whether the running load merges into the current dataset.
    loading_adds: bool,
    /// Why the last open failed, shown until dismissed.
    error: Option<String>,
    /// The open dataset's "records were skipped" notice was dismissed.
    skipped_notice_dismissed: bool,
    notice: Option<Notice>,
    /// How files are read: `--format`, `--dates`, or the File menu's
    /// choice of date order.
    load_options: LoadOptions,
    selected: Option<EventIx>,
    timeline: TimelineState,
    show_help: bool,
    /// The frame-time window (F12) and what it shows.
    show_frame_stats: bool,
    frame_stats: FrameStats,
    show_problems: bool,
    /// A command waiting for "discard unsaved work?".
    confirm: Option<Command>,
    close_confirmed: bool,
    /// The system's file dialog, open on its own thread.
    dialog: Option<(DialogKind, Receiver<DialogAnswer>)>,
    /// Eventline's own file browser, where the system's dialog fails.
    file_browser: Option<FileBrowser>,
    /// Width the toolbar needed after the dataset title last frame (the
    /// title is cut to leave it that much).
    toolbar_rest: f32,
    system_dialog_unavailable: bool,
    filter: Filter,
    filter_error: Option<String>,
    /// The filter must run again before the next frame is drawn.
    filter_dirty: bool,
    /// Runs large filters, newest request only (started on first need);
    /// each result comes with how long it took.
    filter_worker: Option<LatestWorker<(FilterOutput, Duration)>>,
    /// The newest filter request; results of older ones are dropped.
    filter_requested: u64,
    /// Filter runs done on the UI thread (small datasets).
    inline_filter_runs: usize,
    last_base: Option<FilterBase>,
    filter_panel: FilterPanel,
    annotations: Annotations,
    detail: DetailPanel,
    table: TablePanel,
    map: MapPanel,
    search_focus: bool,
    /// Notes of the embedded dataset live in the app's data folder (none in
    /// tests, where there is no storage).
    embedded_notes: Option<PathBuf>,
    /// For waking the window from worker threads.
    ctx: egui::Context,
    saving: Option<Receiver<jobs::Written>>,
    /// The Export view dialog (Ctrl+Shift+E).
    export_view: crate::ui::export_view::ExportViewDialog,
    /// Copy view as image, rendering on a worker.
    copying: Option<Receiver<Result<egui::ColorImage, String>>>,
    commands: Vec<Command>,
    /// Datasets opened so far (for [`Data::serial`]).
    opened: u64,
    /// Back and Forward over ranges and filters.
    history: history::History,
    /// The "Save view" question, while open.
    view_prompt: Option<views::ViewPrompt>,
    /// A saved view to open once the dataset is read (`--view NAME`).
    pending_view: Option<String>,
    /// An open waiting for "it may not fit in memory: open anyway?".
    memory_question: Option<MemoryQuestion>,
    /// Memory taken as available instead of asking the system (tests).
    memory_available: Option<Option<u64>>,
    /// Compare, truce periods, histogram, who called whom.
    analysis: AnalysisUi,
}

/// Read access for the binary's callers, tests and benchmarks: the app's
/// state changes only through [`EventlineApp::apply`] and the panels'
/// commands.
impl EventlineApp {
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn data(&self) -> &Option<Data> {
        &self.data
    }

    pub fn error(&self) -> &Option<String> {
        &self.error
    }

    pub fn notice(&self) -> &Option<Notice> {
        &self.notice
    }

    pub fn load_options(&self) -> &LoadOptions {
        &self.load_options
    }

    pub fn selected(&self) -> Option<EventIx> {
        self.selected
    }

    pub fn timeline(&self) -> &TimelineState {
        &self.timeline
    }

    pub fn show_help(&self) -> bool {
        self.show_help
    }

    pub fn show_frame_stats(&self) -> bool {
        self.show_frame_stats
    }

    pub fn show_problems(&self) -> bool {
        self.show_problems
    }

    pub fn confirm(&self) -> &Option<Command> {
        &self.confirm
    }

    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    pub fn filter_error(&self) -> &Option<String> {
        &self.filter_error
    }

    pub fn annotations(&self) -> &Annotations {
        &self.annotations
    }

    pub fn table(&self) -> &TablePanel {
        &self.table
    }

    pub fn map(&self) -> &MapPanel {
        &self.map
    }

    pub fn export_view(&self) -> &crate::ui::export_view::ExportViewDialog {
        &self.export_view
    }

    pub fn analysis(&self) -> &AnalysisUi {
        &self.analysis
    }

    /// Test hook: select an event without a frame (as a click would).
    #[doc(hidden)]
    pub fn set_selected(&mut self, ix: Option<EventIx>) {
        self.selected = ix;
    }

    /// Test hook: the timeline's view state, to move it as a gesture would.
    #[doc(hidden)]
    pub fn timeline_mut(&mut self) -> &mut TimelineState {
        &mut self.timeline
    }

    /// Test hook: the settings, as a previous run would have left them.
    #[doc(hidden)]
    pub fn settings_mut(&mut self) -> &mut Settings {
        &mut self.settings
    }

    /// Test hook: the Export view dialog's choices, as the user sets them.
    #[doc(hidden)]
    pub fn export_view_mut(&mut self) -> &mut crate::ui::export_view::ExportViewDialog {
        &mut self.export_view
    }
}

/// An open that looked too big for the free memory, until answered.
pub struct MemoryQuestion {
    source: Source,
    adds: bool,
    /// Expected peak and what the system had free, in bytes.
    needed: u64,
    available: u64,
}

impl EventlineApp {
    /// Called by eframe: restore settings, start reading the files (or the
    /// embedded dataset).
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        files: Vec<PathBuf>,
        load_options: LoadOptions,
    ) -> Self {
        let settings = cc
            .storage
            .and_then(|s| eframe::get_value::<Settings>(s, settings::SETTINGS_KEY))
            .unwrap_or_default();
        let source = if files.is_empty() {
            Source::Embedded
        } else {
            Source::Files(files)
        };
        // Notes on the built-in dataset live in the app's data folder; in
        // tests there is no storage, and so no such notes.
        let embedded_notes = cc
            .storage
            .and_then(|_| eframe::storage_dir("eventline"))
            .map(|dir| dir.join(crate::DEFAULT_DATASET_NAME));
        EventlineApp::create(&cc.egui_ctx, source, load_options, settings, embedded_notes)
    }

    /// Start with `source` loading in the background.
    pub fn with_source(
        ctx: &egui::Context,
        source: Source,
        load_options: LoadOptions,
        settings: Settings,
    ) -> Self {
        EventlineApp::create(ctx, source, load_options, settings, None)
    }

    fn create(
        ctx: &egui::Context,
        source: Source,
        load_options: LoadOptions,
        settings: Settings,
        embedded_notes: Option<PathBuf>,
    ) -> Self {
        ctx.set_theme(settings.theme);
        let mut app = EventlineApp {
            settings,
            data: None,
            loading: None,
            loading_adds: false,
            error: None,
            skipped_notice_dismissed: false,
            notice: None,
            load_options,
            selected: None,
            timeline: TimelineState::default(),
            show_help: false,
            show_frame_stats: false,
            frame_stats: FrameStats::default(),
            show_problems: false,
            confirm: None,
            close_confirmed: false,
            dialog: None,
            file_browser: None,
            toolbar_rest: 1200.0,
            system_dialog_unavailable: false,
            filter: Filter::default(),
            filter_error: None,
            filter_dirty: false,
            filter_worker: None,
            filter_requested: 0,
            inline_filter_runs: 0,
            last_base: None,
            filter_panel: FilterPanel::default(),
            annotations: Annotations::default(),
            detail: DetailPanel::default(),
            table: TablePanel::default(),
            map: MapPanel::default(),
            search_focus: false,
            embedded_notes,
            ctx: ctx.clone(),
            saving: None,
            export_view: Default::default(),
            copying: None,
            commands: Vec::new(),
            opened: 0,
            history: history::History::default(),
            view_prompt: None,
            pending_view: None,
            memory_question: None,
            memory_available: None,
            analysis: AnalysisUi::default(),
        };
        app.start_loading(source, false);
        app
    }

    /// Open the saved view `name` once the dataset is read (`--view`); a
    /// missing view is reported in the status bar, naming those there are.
    pub fn open_view_when_loaded(mut self, name: Option<String>) -> Self {
        self.pending_view = name;
        self
    }

    pub fn store(&self) -> Option<&Arc<Store>> {
        self.data.as_ref().map(|d| &d.store)
    }

    pub fn lanes(&self) -> Option<&Arc<LaneSet>> {
        self.data.as_ref().map(|d| &d.shown.lanes)
    }

    /// Whether Eventline's own file browser is open (tests).
    pub fn file_browser_open(&self) -> bool {
        self.file_browser.is_some()
    }

    fn has_unsaved(&self) -> bool {
        self.data.as_ref().is_some_and(|d| d.unsaved)
    }

    /// Draw the whole window and apply what the user asked for.
    pub fn show(&mut self, ui: &mut Ui) {
        let started = Instant::now();
        let ctx = ui.ctx().clone();
        self.poll_workers();
        self.poll_analysis();
        self.window_input(&ctx);
        self.toolbar(ui);
        self.status_bar(ui);
        self.side_panels(ui);
        self.analysis_windows(ui);
        egui::CentralPanel::no_frame().show(ui, |ui| self.central(ui));
        self.histogram_catch_up(&ctx);
        // The windows only read the app and push commands.
        let mut out = Vec::new();
        self.help_window(&ctx, &mut out);
        self.frame_stats_window(&ctx, &mut out);
        self.problems_window(&ctx, &mut out);
        self.confirm_window(&ctx, &mut out);
        self.memory_window(&ctx, &mut out);
        self.commands.append(&mut out);
        self.view_prompt_window(&ctx);
        self.export_view_window(ui);
        if let Some(browser) = &mut self.file_browser {
            browser.ui(ui, &mut self.commands);
        }

        self.apply_queued(&ctx);
        // One filter run for all of this frame's changes.
        self.run_filter_if_needed();
        self.observe_history(&ctx);
        if self.loading.is_some() {
            // Keep the progress bar moving.
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        if self.data.is_some() {
            self.frame_stats.record(FrameSample {
                total: started.elapsed(),
                layout: self.timeline.last_layout,
                paint: self.timeline.last_paint,
            });
        }
    }

    /// Close requests and dropped files.
    fn window_input(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested())
            && self.has_unsaved()
            && !self.close_confirmed
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm = Some(Command::Quit);
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            self.commands.push(Command::Open(dropped));
        }
        self.global_keys(ctx);
    }

    /// The overview strip, the table, the filters and the detail panel.
    fn side_panels(&mut self, ui: &mut Ui) {
        let Some(d) = &self.data else { return };
        let store = d.store.clone();
        let anchors = d.shown.anchors.clone();
        egui::Panel::bottom("overview")
            .exact_size(OVERVIEW_H + 8.0)
            .show(ui, |ui| self.timeline.overview_ui(ui, &store, &anchors));
        // The filter's result is shared, not copied, every frame.
        let result = d.result.clone();
        let generation = (d.serial, d.generation);
        if self.settings.show_table {
            let rows: &[EventIx] = result.as_ref().map_or(&[], |r| r.matched.as_slice());
            egui::Panel::bottom("table")
                .resizable(true)
                .default_size(260.0)
                .min_size(120.0)
                .show(ui, |ui| {
                    let view = TableView {
                        store: &store,
                        rows,
                        generation,
                        selected: self.selected,
                    };
                    self.table.ui(ui, &view, &mut self.commands);
                });
        }
        if self.settings.show_filters {
            let view = FilterView {
                store: &store,
                result: result.as_deref(),
                error: self.filter_error.as_deref(),
                generation,
                current: &self.filter,
            };
            egui::Panel::left("filters")
                .default_size(280.0)
                .min_size(220.0)
                .show(ui, |ui| self.filter_panel.ui(ui, &view, &mut self.commands));
        }
        if self.map.open {
            let linked = ui
                .input(|i| i.pointer.hover_pos())
                .and_then(|p| self.timeline.event_at(p));
            let input = MapInput {
                store: &store,
                serial: d.serial,
                generation: d.generation,
                visible: result.as_ref().map(|r| r.visible.as_slice()),
                window: self.timeline.axis().map(|a| a.visible()),
                selected: self.selected,
                linked,
                filter: &self.filter,
            };
            egui::Panel::right("map")
                .resizable(true)
                .default_size(520.0)
                .min_size(260.0)
                .show(ui, |ui| self.map.ui(ui, &input, &mut self.commands));
        }
        if let Some(ix) = self.selected {
            egui::Panel::right("detail")
                .default_size(360.0)
                .min_size(260.0)
                .show(ui, |ui| {
                    let view = EventView {
                        store: &store,
                        ix,
                        annotations: &self.annotations,
                    };
                    self.detail.ui(ui, &view, &mut self.commands)
                });
        }
    }
}

impl eframe::App for EventlineApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, settings::SETTINGS_KEY, &self.settings);
    }
}

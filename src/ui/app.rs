//! The application: panels emit [`Command`]s, applied once a frame.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use egui::{Key, Modifiers, RichText, ThemePreference, Ui};
use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use super::detail::detail_ui;
use super::filters::{FilterPanel, chips_ui, filters_ui};
use super::loader::{FileProblem, Loading, Message, Outcome, Phase, Source};
use super::notes::{Annotations, NoteEditor, notes_ui};
use super::table::TableState;
use super::timeline::overview::OVERVIEW_H;
use super::timeline::{SHORTCUTS, TimelineState};
use crate::io::{self, Format, Severity};
use crate::model::date::from_instant;
use crate::store::filter::{Filter, FilterResult, SearchText};
use crate::store::{EventIx, LaneGrouping, LaneSet, Store};

const SETTINGS_KEY: &str = "eventline-settings";
/// Above this many events, filtering and regrouping run on a worker thread.
const BACKGROUND_FILTER: usize = 100_000;
const MAX_RECENT: usize = 10;

/// What panels ask the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Select(Option<EventIx>),
    /// Select and bring into view (table rows, search steps).
    SelectAndShow(EventIx),
    SetFilter(Filter),
    /// Step to the next (or, with `false`, previous) search match.
    NextMatch(bool),
    ToggleTable,
    ToggleFilters,
    FocusSearch,
    ToggleStar,
    ToggleReviewed,
    FocusTag,
    FocusNote,
    Undo,
    Redo,
    SetGrouping(LaneGrouping),
    /// Open files in place of the current dataset.
    Open(Vec<PathBuf>),
    /// Add files to the current dataset (merged; same records replaced).
    Add(Vec<PathBuf>),
    OpenEmbedded,
    OpenDialog,
    AddDialog,
    Save,
    SaveAsDialog,
    SaveTo(PathBuf),
    ExportDialog,
    ExportTo(PathBuf),
    CancelLoading,
    ToggleHelp,
    ShowProblems(bool),
    SetTheme(ThemePreference),
    DismissError,
    /// Close the window (after the unsaved-work question, if any).
    Quit,
}

/// What persists between runs (the dataset does not).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Settings {
    pub grouping: LaneGrouping,
    pub theme: ThemePreference,
    /// Most recently opened files, newest first.
    pub recent: Vec<PathBuf>,
    /// Filters per dataset (keyed by its first file, or "embedded").
    pub filters: BTreeMap<String, Filter>,
    pub show_table: bool,
    pub show_filters: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            grouping: LaneGrouping::Kind,
            theme: ThemePreference::System,
            recent: Vec::new(),
            filters: BTreeMap::new(),
            show_table: false,
            show_filters: false,
        }
    }
}

/// The open dataset.
pub struct Data {
    pub store: Arc<Store>,
    pub search_text: Arc<SearchText>,
    /// Lanes of the events the filter lets through.
    pub lanes: Arc<LaneSet>,
    /// The filter's outcome; `None` until the first run finishes.
    pub result: Option<Arc<FilterResult>>,
    /// Search matches as a per-event mask (empty when not searching).
    pub match_mask: Arc<Vec<bool>>,
    /// Bumped whenever `result` changes (the table re-sorts on it).
    pub generation: u64,
    /// Anchors of the visible events, for the overview strip.
    pub visible_anchor: Arc<Vec<i64>>,
    pub files: Vec<PathBuf>,
    pub problems: Vec<FileProblem>,
    pub skipped: usize,
    /// Where Save writes: the file itself when one native file was opened.
    pub save_path: Option<PathBuf>,
    /// A merge of several files exists only in memory until saved.
    pub unsaved: bool,
}

/// What a filter run produces: everything the views need.
pub struct FilterOutput {
    pub result: Arc<FilterResult>,
    pub lanes: Arc<LaneSet>,
    pub match_mask: Arc<Vec<bool>>,
    pub visible_anchor: Arc<Vec<i64>>,
}

/// One filter run, as the app does it on a filter change or a search
/// keystroke (public for the benchmark).
///
/// `reuse`: the lanes and overview anchors of the previous run, when only
/// the search changed (the search highlights; it does not change what the
/// timeline shows).
pub fn run_filter(
    compiled: &crate::store::filter::Compiled,
    store: &Store,
    text: &SearchText,
    flags: &[u8],
    grouping: LaneGrouping,
    active: bool,
    reuse: Option<(Arc<LaneSet>, Arc<Vec<i64>>)>,
) -> FilterOutput {
    let result = compiled.run(store, text, flags);
    let (lanes, visible_anchor) = match reuse {
        Some(r) => r,
        None => {
            let lanes = if active {
                LaneSet::build_filtered(store, grouping, Some(&result.visible))
            } else {
                LaneSet::build(store, grouping)
            };
            let anchors = (0..store.len())
                .filter(|&i| result.visible[i])
                .map(|i| store.anchor[i])
                .collect();
            (Arc::new(lanes), Arc::new(anchors))
        }
    };
    let mut match_mask = Vec::new();
    if result.searching {
        match_mask = vec![false; store.len()];
        for &m in &result.matched {
            match_mask[m as usize] = true;
        }
    }
    FilterOutput {
        result: Arc::new(result),
        lanes,
        match_mask: Arc::new(match_mask),
        visible_anchor,
    }
}

/// The key under which a dataset's filter is remembered.
fn dataset_key(files: &[PathBuf]) -> String {
    match files.first() {
        Some(f) => f.display().to_string(),
        None => "embedded".into(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DialogKind {
    Open,
    Add,
    SaveAs,
    Export,
}

/// A message for the status bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

pub struct EventlineApp {
    pub settings: Settings,
    pub data: Option<Data>,
    loading: Option<Loading>,
    /// Whether the running load merges into the current dataset.
    loading_adds: bool,
    /// Why the last open failed, shown until dismissed.
    pub error: Option<String>,
    pub notice: Option<Notice>,
    format: Option<Format>,
    pub selected: Option<EventIx>,
    pub timeline: TimelineState,
    pub show_help: bool,
    pub show_problems: bool,
    /// A command waiting for "discard unsaved work?".
    pub confirm: Option<Command>,
    close_confirmed: bool,
    dialog: Option<(DialogKind, Receiver<Vec<PathBuf>>)>,
    /// The running filter job and the generation it will produce.
    filter_job: Option<(u64, Receiver<FilterOutput>)>,
    pub filter: Filter,
    pub filter_error: Option<String>,
    /// What the lanes were last built from (filter without search,
    /// grouping, notes generation).
    last_base: Option<(Filter, LaneGrouping, u64)>,
    filter_panel: FilterPanel,
    pub annotations: Annotations,
    note_editor: NoteEditor,
    pub table: TableState,
    search_focus: bool,
    /// Notes of the embedded dataset live in the app's data folder (none in
    /// tests, where there is no storage).
    embedded_notes: Option<PathBuf>,
    /// For waking the window from worker threads.
    ctx: Option<egui::Context>,
    saving: Option<Receiver<Notice>>,
    commands: Vec<Command>,
}

impl EventlineApp {
    /// Called by eframe: restore settings, start reading the files (or the
    /// embedded dataset).
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        files: Vec<PathBuf>,
        format: Option<Format>,
    ) -> Self {
        let settings = cc
            .storage
            .and_then(|s| eframe::get_value::<Settings>(s, SETTINGS_KEY))
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
        EventlineApp::create(&cc.egui_ctx, source, format, settings, embedded_notes)
    }

    /// Start with `source` loading in the background.
    pub fn with_source(
        ctx: &egui::Context,
        source: Source,
        format: Option<Format>,
        settings: Settings,
    ) -> Self {
        EventlineApp::create(ctx, source, format, settings, None)
    }

    fn create(
        ctx: &egui::Context,
        source: Source,
        format: Option<Format>,
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
            notice: None,
            format,
            selected: None,
            timeline: TimelineState::default(),
            show_help: false,
            show_problems: false,
            confirm: None,
            close_confirmed: false,
            dialog: None,
            filter_job: None,
            filter: Filter::default(),
            filter_error: None,
            last_base: None,
            filter_panel: FilterPanel::default(),
            annotations: Annotations::default(),
            note_editor: NoteEditor::default(),
            table: TableState::default(),
            search_focus: false,
            embedded_notes,
            ctx: Some(ctx.clone()),
            saving: None,
            commands: Vec::new(),
        };
        app.start_loading(ctx, source, false);
        app
    }

    fn start_loading(&mut self, ctx: &egui::Context, source: Source, adds: bool) {
        if let Some(old) = self.loading.take() {
            old.cancel();
        }
        let ctx = ctx.clone();
        self.loading_adds = adds;
        self.loading = Some(Loading::start(
            source,
            self.format,
            self.settings.grouping,
            move || ctx.request_repaint(),
            self.embedded_notes.clone(),
        ));
    }

    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// The running load's progress, if any (for the progress bar and tests).
    pub fn loading_progress(&self) -> Option<&Arc<super::loader::Progress>> {
        self.loading.as_ref().map(|l| &l.progress)
    }

    /// Block until the current load has finished (tests).
    pub fn wait_for_load(&mut self) {
        if let Some(loading) = self.loading.take() {
            let message = loading.wait();
            self.apply_load(message);
        }
    }

    /// Block until a running save or export has finished (tests).
    pub fn wait_for_save(&mut self) {
        if let Some(rx) = self.saving.take()
            && let Ok(n) = rx.recv()
        {
            self.notice = Some(n);
        }
    }

    fn apply_load(&mut self, message: Message) {
        match message {
            Message::Done(outcome) => {
                let Outcome {
                    store,
                    search_text,
                    anchors,
                    lanes,
                    files,
                    problems,
                    skipped,
                    annotations,
                } = *outcome;
                for p in problems
                    .iter()
                    .filter(|p| p.problem.severity == Severity::Error)
                {
                    eprintln!("eventline: {}: {}", p.file, p.problem);
                }
                for f in files.iter().rev() {
                    self.settings.recent.retain(|r| r != f);
                    self.settings.recent.insert(0, f.clone());
                }
                self.settings.recent.truncate(MAX_RECENT);
                let single_native = files.len() == 1
                    && store.events().iter().all(|e| e.provenance.is_none())
                    && files[0]
                        .extension()
                        .is_some_and(|x| x.eq_ignore_ascii_case("json"));
                let mut notes = Vec::new();
                if store.replaced > 0 {
                    notes.push(format!(
                        "{} events were replaced by newer versions of the same records",
                        store.replaced
                    ));
                }
                self.notice = (!notes.is_empty()).then(|| Notice {
                    text: notes.join("; "),
                    is_error: false,
                });
                self.annotations = annotations;
                self.note_editor = NoteEditor::default();
                self.filter = self
                    .settings
                    .filters
                    .get(&dataset_key(&files))
                    .cloned()
                    .unwrap_or_default();
                self.filter_panel = FilterPanel::default();
                self.filter_job = None;
                self.last_base = None;
                self.data = Some(Data {
                    visible_anchor: anchors,
                    search_text,
                    result: None,
                    match_mask: Arc::new(Vec::new()),
                    generation: 0,
                    save_path: single_native.then(|| files[0].clone()),
                    unsaved: self.loading_adds && files.len() > 1,
                    store,
                    lanes,
                    files,
                    problems,
                    skipped,
                });
                self.selected = None;
                self.timeline.reset();
                self.error = None;
                self.refilter();
            }
            Message::Failed(reason) => {
                // The previous dataset, if any, stays open.
                eprintln!("eventline: {reason}");
                self.error = Some(reason);
            }
        }
    }

    pub fn store(&self) -> Option<&Arc<Store>> {
        self.data.as_ref().map(|d| &d.store)
    }

    pub fn lanes(&self) -> Option<&Arc<LaneSet>> {
        self.data.as_ref().map(|d| &d.lanes)
    }

    fn has_unsaved(&self) -> bool {
        self.data.as_ref().is_some_and(|d| d.unsaved)
    }

    /// Draw the whole window and apply what the user asked for.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.poll_workers(&ctx);
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
        self.global_keys(&ctx);

        self.toolbar(ui);
        self.status_bar(ui);
        if let Some(d) = &self.data {
            let store = d.store.clone();
            let anchors = d.visible_anchor.clone();
            egui::Panel::bottom("overview")
                .exact_size(OVERVIEW_H + 8.0)
                .show(ui, |ui| self.timeline.overview_ui(ui, &store, &anchors));
        }
        if self.settings.show_table
            && let Some(d) = &self.data
        {
            let store = d.store.clone();
            // The filter's result is shared, not copied, every frame.
            let result = d.result.clone();
            let rows: &[EventIx] = result.as_ref().map_or(&[], |r| r.matched.as_slice());
            let generation = d.generation;
            egui::Panel::bottom("table")
                .resizable(true)
                .default_size(260.0)
                .min_size(120.0)
                .show(ui, |ui| {
                    self.table.ui(
                        ui,
                        &store,
                        rows,
                        generation,
                        self.selected,
                        &mut self.commands,
                    );
                });
        }
        if self.settings.show_filters
            && let Some(d) = &self.data
        {
            let store = d.store.clone();
            let result = d.result.clone();
            let mut filter = self.filter.clone();
            let mut changed = false;
            egui::Panel::left("filters")
                .default_size(280.0)
                .min_size(220.0)
                .show(ui, |ui| {
                    changed = filters_ui(
                        ui,
                        &store,
                        &mut filter,
                        result.as_deref(),
                        self.filter_error.as_deref(),
                        &mut self.filter_panel,
                    );
                });
            if changed {
                self.commands.push(Command::SetFilter(filter));
            }
        }
        if let (Some(d), Some(ix)) = (&self.data, self.selected) {
            let store = d.store.clone();
            let generation = self.annotations.generation;
            egui::Panel::right("detail")
                .default_size(360.0)
                .min_size(260.0)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new("Event").small_raised());
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            if ui
                                .button("Close")
                                .on_hover_text("Clear the selection (Esc)")
                                .clicked()
                            {
                                self.commands.push(Command::Select(None));
                            }
                        });
                    });
                    ui.separator();
                    egui::ScrollArea::vertical()
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            detail_ui(ui, &store, ix);
                            notes_ui(ui, &store, ix, &mut self.annotations, &mut self.note_editor);
                        });
                });
            if self.annotations.generation != generation {
                self.refilter();
            }
        }
        egui::CentralPanel::no_frame().show(ui, |ui| self.central(ui));
        self.help_window(&ctx);
        self.problems_window(&ctx);
        self.confirm_window(&ctx);

        let commands = std::mem::take(&mut self.commands);
        for c in commands {
            self.apply(&ctx, c);
        }
        if self.loading.is_some() {
            // Keep the progress bar moving.
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// Run the filter again (after the filter, the grouping or the notes
    /// changed): inline for small stores, on a worker for large ones, the
    /// newest request winning.
    fn refilter(&mut self) {
        let Some(d) = &self.data else { return };
        let compiled = match self.filter.compile(&d.store) {
            Ok(c) => c,
            Err(e) => {
                self.filter_error = Some(e.to_string());
                return;
            }
        };
        self.filter_error = None;
        let key = dataset_key(&d.files);
        if self.filter == Filter::default() {
            self.settings.filters.remove(&key);
        } else {
            self.settings.filters.insert(key, self.filter.clone());
        }
        let store = d.store.clone();
        let text = d.search_text.clone();
        let flags = self.annotations.flags.clone();
        let grouping = self.settings.grouping;
        let base = self.filter.clone().with_search_cleared();
        let active = base.is_active();
        // Only the search changed: keep the lanes and the overview.
        let key = (base, grouping, self.annotations.generation);
        let reuse = (self.last_base.as_ref() == Some(&key) && d.result.is_some())
            .then(|| (d.lanes.clone(), d.visible_anchor.clone()));
        self.last_base = Some(key);
        let generation = d.generation + 1 + self.filter_job.as_ref().map_or(0, |j| j.0);
        let job = move || run_filter(&compiled, &store, &text, &flags, grouping, active, reuse);
        match (&self.ctx, d.store.len() > BACKGROUND_FILTER) {
            (Some(ctx), true) => {
                let (tx, rx) = channel();
                let ctx = ctx.clone();
                std::thread::spawn(move || {
                    let _ = tx.send(job());
                    ctx.request_repaint();
                });
                self.filter_job = Some((generation, rx));
            }
            _ => {
                self.filter_job = None;
                let out = job();
                self.install_filter(generation, out);
            }
        }
    }

    fn install_filter(&mut self, generation: u64, out: FilterOutput) {
        if let Some(d) = &mut self.data {
            d.result = Some(out.result);
            d.lanes = out.lanes;
            d.match_mask = out.match_mask;
            d.visible_anchor = out.visible_anchor;
            d.generation = generation;
        }
    }

    /// Wait for a running filter job (tests and benchmarks).
    pub fn wait_for_filter(&mut self) {
        if let Some((g, rx)) = self.filter_job.take()
            && let Ok(out) = rx.recv()
        {
            self.install_filter(g, out);
        }
    }

    fn step_match(&mut self, forward: bool) {
        let Some(d) = &self.data else { return };
        let Some(r) = &d.result else { return };
        if !r.searching || r.matched.is_empty() {
            return;
        }
        let m = &r.matched;
        let next = match (self.selected, forward) {
            (Some(s), true) => m.iter().copied().find(|&x| x > s).unwrap_or(m[0]),
            (Some(s), false) => m
                .iter()
                .rev()
                .copied()
                .find(|&x| x < s)
                .unwrap_or(m[m.len() - 1]),
            (None, true) => m[0],
            (None, false) => m[m.len() - 1],
        };
        self.commands.push(Command::SelectAndShow(next));
    }

    fn poll_workers(&mut self, ctx: &egui::Context) {
        if let Some((g, rx)) = &self.filter_job
            && let Ok(out) = rx.try_recv()
        {
            let g = *g;
            self.filter_job = None;
            self.install_filter(g, out);
        }
        if let Some(message) = self.loading.as_ref().and_then(Loading::poll) {
            self.loading = None;
            self.apply_load(message);
            if let Some(d) = &self.data {
                ctx.send_viewport_cmd(egui::ViewportCommand::Title(format!(
                    "{} — Eventline",
                    d.store.title
                )));
            }
        }
        if let Some((kind, rx)) = &self.dialog
            && let Ok(paths) = rx.try_recv()
        {
            let kind = *kind;
            self.dialog = None;
            if let Some(first) = paths.first().cloned() {
                self.commands.push(match kind {
                    DialogKind::Open => Command::Open(paths),
                    DialogKind::Add => Command::Add(paths),
                    DialogKind::SaveAs => Command::SaveTo(first),
                    DialogKind::Export => Command::ExportTo(first),
                });
            }
        }
        if let Some(rx) = &self.saving
            && let Ok(notice) = rx.try_recv()
        {
            self.saving = None;
            self.notice = Some(notice);
        }
    }

    fn global_keys(&mut self, ctx: &egui::Context) {
        let shortcuts = [
            (
                Modifiers::COMMAND | Modifiers::SHIFT,
                Key::O,
                Command::AddDialog,
            ),
            (Modifiers::COMMAND, Key::O, Command::OpenDialog),
            (
                Modifiers::COMMAND | Modifiers::SHIFT,
                Key::S,
                Command::SaveAsDialog,
            ),
            (Modifiers::COMMAND, Key::S, Command::Save),
            (Modifiers::COMMAND, Key::E, Command::ExportDialog),
            (
                Modifiers::COMMAND | Modifiers::SHIFT,
                Key::F,
                Command::ToggleFilters,
            ),
            (Modifiers::COMMAND, Key::F, Command::FocusSearch),
            (Modifiers::COMMAND, Key::T, Command::ToggleTable),
            (Modifiers::COMMAND | Modifiers::SHIFT, Key::Z, Command::Redo),
            (Modifiers::COMMAND, Key::Z, Command::Undo),
            (Modifiers::COMMAND, Key::Y, Command::Redo),
        ];
        for (mods, key, command) in shortcuts {
            if ctx.input_mut(|i| i.consume_key(mods, key)) {
                self.commands.push(command);
            }
        }
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        let help = ctx.input(|i| {
            i.key_pressed(Key::Questionmark)
                || i.events
                    .iter()
                    .any(|e| matches!(e, egui::Event::Text(t) if t == "?"))
        });
        if help {
            self.commands.push(Command::ToggleHelp);
        }
        if ctx.input(|i| i.key_pressed(Key::Escape)) {
            if self.show_help {
                self.show_help = false;
            } else {
                self.timeline.range = None;
                self.commands.push(Command::Select(None));
            }
        }
        if self.selected.is_some() {
            // With an event selected, S/T/N/R annotate it (S then stars
            // rather than zooms out; - still zooms out).
            let keys = [
                (Key::S, Command::ToggleStar),
                (Key::R, Command::ToggleReviewed),
                (Key::T, Command::FocusTag),
                (Key::N, Command::FocusNote),
            ];
            for (key, command) in keys {
                if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, key)) {
                    self.commands.push(command);
                }
            }
        }
        if let Some(d) = &self.data {
            let store = d.store.clone();
            self.timeline
                .handle_keys(ctx, &store, self.selected, &mut self.commands);
        }
    }

    fn toolbar(&mut self, ui: &mut Ui) {
        egui::Panel::top("toolbar").show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.menu_button("File", |ui| {
                    let item = |ui: &mut Ui, text: &str, keys: &str| {
                        ui.add(egui::Button::new(text).shortcut_text(keys))
                            .clicked()
                    };
                    if item(ui, "Open…", "Ctrl+O") {
                        self.commands.push(Command::OpenDialog);
                    }
                    if item(ui, "Add files…", "Ctrl+Shift+O") {
                        self.commands.push(Command::AddDialog);
                    }
                    ui.menu_button("Open recent", |ui| {
                        if self.settings.recent.is_empty() {
                            ui.weak("No recent files");
                        }
                        for p in self.settings.recent.clone() {
                            if ui.button(p.display().to_string()).clicked() {
                                self.commands.push(Command::Open(vec![p]));
                            }
                        }
                    });
                    if item(ui, "Open the built-in dataset", "") {
                        self.commands.push(Command::OpenEmbedded);
                    }
                    ui.separator();
                    let has_data = self.data.is_some();
                    if ui
                        .add_enabled(has_data, egui::Button::new("Save").shortcut_text("Ctrl+S"))
                        .clicked()
                    {
                        self.commands.push(Command::Save);
                    }
                    if ui
                        .add_enabled(
                            has_data,
                            egui::Button::new("Save as…").shortcut_text("Ctrl+Shift+S"),
                        )
                        .clicked()
                    {
                        self.commands.push(Command::SaveAsDialog);
                    }
                    if ui
                        .add_enabled(
                            has_data,
                            egui::Button::new("Export CSV…").shortcut_text("Ctrl+E"),
                        )
                        .clicked()
                    {
                        self.commands.push(Command::ExportDialog);
                    }
                    ui.separator();
                    if item(ui, "Quit", "") {
                        self.commands.push(Command::Quit);
                    }
                });
                if ui
                    .button("Open…")
                    .on_hover_text("Open dataset files (Ctrl+O)")
                    .clicked()
                {
                    self.commands.push(Command::OpenDialog);
                }
                ui.separator();
                match &self.data {
                    Some(d) => {
                        let title = if d.unsaved {
                            format!("{} (unsaved)", d.store.title)
                        } else {
                            d.store.title.clone()
                        };
                        ui.label(RichText::new(title).strong());
                        ui.label(format!("{} events", thousands(d.store.len())));
                    }
                    None => {
                        ui.weak("No dataset open");
                    }
                }
                ui.separator();
                let label = ui.label("Lanes:");
                let mut grouping = self.settings.grouping;
                egui::ComboBox::from_id_salt("grouping")
                    .selected_text(grouping.label())
                    .show_ui(ui, |ui| {
                        for g in LaneGrouping::ALL {
                            ui.selectable_value(&mut grouping, g, g.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if grouping != self.settings.grouping {
                    self.commands.push(Command::SetGrouping(grouping));
                }
                if ui
                    .button("Fit")
                    .on_hover_text("Fit the selected range, else everything (F)")
                    .clicked()
                    && let Some(d) = &self.data
                {
                    let now = ui.input(|i| i.time);
                    self.timeline.fit(&d.store, now);
                }
                ui.separator();
                let label = ui.label("Search:");
                let search = ui.add(
                    egui::TextEdit::singleline(&mut self.filter.search)
                        .id_salt("search")
                        .hint_text("words, actor:aliyev kind:call (Ctrl+F)")
                        .desired_width(220.0),
                );
                let search = search.labelled_by(label.id);
                if std::mem::take(&mut self.search_focus) {
                    search.request_focus();
                }
                if search.changed() {
                    self.commands.push(Command::SetFilter(self.filter.clone()));
                }
                if search.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                    let back = ui.input(|i| i.modifiers.shift);
                    self.commands.push(Command::NextMatch(!back));
                    search.request_focus();
                }
                if let Some(r) = self.data.as_ref().and_then(|d| d.result.as_ref())
                    && r.searching
                {
                    ui.label(format!(
                        "{} match{}",
                        r.matched.len(),
                        if r.matched.len() == 1 { "" } else { "es" }
                    ));
                }
                ui.separator();
                let mut filters = self.settings.show_filters;
                if ui
                    .toggle_value(&mut filters, "Filters")
                    .on_hover_text("Show the filter panel (Ctrl+Shift+F)")
                    .changed()
                {
                    self.commands.push(Command::ToggleFilters);
                }
                let mut table = self.settings.show_table;
                if ui
                    .toggle_value(&mut table, "Table")
                    .on_hover_text("Show the event table (Ctrl+T)")
                    .changed()
                {
                    self.commands.push(Command::ToggleTable);
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .button("?")
                        .on_hover_text("Keyboard shortcuts (?)")
                        .clicked()
                    {
                        self.commands.push(Command::ToggleHelp);
                    }
                    let mut theme = self.settings.theme;
                    let combo = egui::ComboBox::from_id_salt("theme")
                        .selected_text(theme_label(theme))
                        .show_ui(ui, |ui| {
                            for t in [
                                ThemePreference::System,
                                ThemePreference::Light,
                                ThemePreference::Dark,
                            ] {
                                ui.selectable_value(&mut theme, t, theme_label(t));
                            }
                        });
                    let label = ui.label("Theme:");
                    combo.response.labelled_by(label.id);
                    if theme != self.settings.theme {
                        self.commands.push(Command::SetTheme(theme));
                    }
                });
            });
            ui.add_space(2.0);
        });
    }

    fn progress_ui(&mut self, ui: &mut Ui) {
        let Some(loading) = &self.loading else { return };
        let p = &loading.progress;
        let mb = |b: u64| b as f64 / 1_048_576.0;
        let read = p.bytes_read.load(std::sync::atomic::Ordering::Relaxed);
        let total = p.bytes_total.load(std::sync::atomic::Ordering::Relaxed);
        let events = p.events.load(std::sync::atomic::Ordering::Relaxed);
        let text = match p.phase() {
            Phase::Reading if total > 0 => {
                format!(
                    "Reading {}: {:.1} of {:.1} MB",
                    loading.label,
                    mb(read),
                    mb(total)
                )
            }
            Phase::Reading => format!("Reading {}…", loading.label),
            Phase::Parsing if events == 0 => format!("Parsing {}…", loading.label),
            Phase::Parsing => format!(
                "Parsing {} ({} events so far)…",
                loading.label,
                thousands(events)
            ),
            Phase::Indexing => format!("Indexing {} events…", thousands(events)),
        };
        ui.add(
            egui::ProgressBar::new(p.fraction())
                .desired_width(180.0)
                .animate(true),
        );
        ui.label(text);
        if ui.button("Cancel").clicked() {
            self.commands.push(Command::CancelLoading);
        }
        ui.separator();
    }

    fn status_bar(&mut self, ui: &mut Ui) {
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                self.progress_ui(ui);
                if self.saving.is_some() {
                    ui.spinner();
                    ui.label("Saving…");
                    ui.separator();
                }
                if let Some(d) = &self.data {
                    ui.label(format!("{} events", thousands(d.store.len())));
                    if let Some(a) = self.timeline.axis() {
                        let (v0, v1) = a.visible();
                        let fmt = |t| {
                            from_instant(t)
                                .map_or_else(String::new, |d| d.format("%-d %b %Y").to_string())
                        };
                        ui.separator();
                        ui.label(format!("Showing {} – {}", fmt(v0), fmt(v1)));
                    }
                    if let Some(r) = &d.result {
                        ui.separator();
                        let scope = if self.filter.clone().with_search_cleared().is_active() {
                            "in this filter"
                        } else {
                            "in all"
                        };
                        ui.label(format!(
                            "{} of {} reviewed {scope}",
                            thousands(r.reviewed),
                            thousands(r.count)
                        ));
                    }
                    let n = d.problems.len();
                    if n > 0 {
                        ui.separator();
                        let text = format!(
                            "{n} problem{}{}",
                            if n == 1 { "" } else { "s" },
                            if d.skipped > 0 {
                                format!(", {} skipped", d.skipped)
                            } else {
                                String::new()
                            }
                        );
                        if ui.button(text).on_hover_text("List the problems").clicked() {
                            self.commands.push(Command::ShowProblems(true));
                        }
                    }
                }
                if let Some(n) = &self.notice {
                    ui.separator();
                    if n.is_error {
                        ui.colored_label(ui.visuals().error_fg_color, &n.text);
                    } else {
                        ui.label(&n.text);
                    }
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.weak("Press ? for shortcuts");
                });
            });
        });
    }

    fn central(&mut self, ui: &mut Ui) {
        if let Some(err) = self.error.clone() {
            egui::Frame::new()
                .fill(ui.visuals().error_fg_color.gamma_multiply(0.15))
                .inner_margin(8.0)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label(
                            RichText::new("Could not open the file")
                                .strong()
                                .color(ui.visuals().error_fg_color),
                        );
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            if self.data.is_some() && ui.button("Dismiss").clicked() {
                                self.commands.push(Command::DismissError);
                            }
                        });
                    });
                    ui.add(egui::Label::new(&err).wrap());
                    if self.data.is_none() {
                        ui.horizontal(|ui| {
                            if ui.button("Open another file…").clicked() {
                                self.commands.push(Command::OpenDialog);
                            }
                            if ui.button("Open the built-in dataset").clicked() {
                                self.commands.push(Command::OpenEmbedded);
                            }
                        });
                    }
                });
        }
        let Some(d) = &self.data else {
            if self.loading.is_some() {
                ui.centered_and_justified(|ui| ui.spinner());
            }
            return;
        };
        let store = d.store.clone();
        let lanes = d.lanes.clone();
        let match_mask = d.match_mask.clone();
        let filter_active = self.filter.clone().with_search_cleared().is_active();
        if filter_active {
            let mut filter = self.filter.clone();
            if chips_ui(ui, &mut filter, &store) {
                self.commands.push(Command::SetFilter(filter));
            }
        }
        let marks = super::timeline::Marks {
            search: &match_mask,
            flags: &self.annotations.flags,
        };
        self.timeline
            .ui(ui, &store, &lanes, self.selected, marks, &mut self.commands);
        self.timeline.header_widgets(ui, &lanes);
    }

    fn help_window(&mut self, ctx: &egui::Context) {
        let mut open = self.show_help;
        egui::Window::new("Keyboard and mouse")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        for (keys, what) in SHORTCUTS {
                            ui.label(RichText::new(*keys).monospace().strong());
                            ui.label(*what);
                            ui.end_row();
                        }
                    });
            });
        self.show_help = open && self.show_help;
    }

    fn problems_window(&mut self, ctx: &egui::Context) {
        let Some(d) = &self.data else { return };
        let mut open = self.show_problems;
        egui::Window::new(format!("Problems ({})", d.problems.len()))
            .open(&mut open)
            .default_pos([220.0, 90.0])
            .default_size([640.0, 360.0])
            .show(ctx, |ui| {
                if d.skipped > 0 {
                    ui.label(format!(
                        "{} records could not be used and were skipped.",
                        d.skipped
                    ));
                }
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        for p in &d.problems {
                            let color = match p.problem.severity {
                                Severity::Error => ui.visuals().error_fg_color,
                                Severity::Warning => ui.visuals().warn_fg_color,
                            };
                            let file = if p.file.is_empty() {
                                String::new()
                            } else {
                                format!("{}: ", p.file)
                            };
                            ui.add(
                                egui::Label::new(
                                    RichText::new(format!("{file}{}", p.problem)).color(color),
                                )
                                .wrap(),
                            );
                        }
                    });
            });
        self.show_problems = open;
    }

    fn confirm_window(&mut self, ctx: &egui::Context) {
        let Some(pending) = self.confirm.clone() else {
            return;
        };
        let files = self.data.as_ref().map_or(0, |d| d.files.len());
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("eventline-unsaved-dialog")).show(ctx, |ui| {
            ui.heading("Unsaved merged dataset");
            ui.label(format!(
                "The dataset merged from {files} files exists only in this window. Save it before going on?"
            ));
            ui.horizontal(|ui| {
                if ui.button("Save as…").clicked() {
                    answer = Some(Command::SaveAsDialog);
                }
                if ui.button("Discard").clicked() {
                    answer = Some(pending.clone());
                }
                if ui.button("Cancel").clicked() {
                    answer = Some(Command::DismissError);
                }
            });
        });
        if let Some(a) = answer {
            self.confirm = None;
            match a {
                Command::DismissError => {}
                Command::SaveAsDialog => self.commands.push(a),
                other => {
                    if let Some(d) = &mut self.data {
                        d.unsaved = false;
                    }
                    self.commands.push(other);
                }
            }
        }
    }

    fn pick(&mut self, ctx: &egui::Context, kind: DialogKind) {
        if self.dialog.is_some() {
            return;
        }
        // The system dialog runs on its own thread so the window keeps
        // drawing behind it.
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let suggested = self
            .data
            .as_ref()
            .map(|d| crate::io::display_name(Path::new(&d.store.title)))
            .unwrap_or_default();
        std::thread::spawn(move || {
            let dialog = rfd::FileDialog::new();
            let files = match kind {
                DialogKind::Open | DialogKind::Add => dialog
                    .set_title(if kind == DialogKind::Open {
                        "Open dataset files"
                    } else {
                        "Add dataset files"
                    })
                    .add_filter(
                        "Datasets",
                        &["json", "csv", "tsv", "txt", "timeline", "CSV"],
                    )
                    .add_filter("All files", &["*"])
                    .pick_files()
                    .unwrap_or_default(),
                DialogKind::SaveAs => dialog
                    .set_title("Save as Eventline dataset")
                    .add_filter("Eventline dataset", &["json"])
                    .set_file_name(format!("{}.json", sanitize(&suggested)))
                    .save_file()
                    .into_iter()
                    .collect(),
                DialogKind::Export => dialog
                    .set_title("Export events as CSV")
                    .add_filter("CSV", &["csv"])
                    .set_file_name(format!("{}.csv", sanitize(&suggested)))
                    .save_file()
                    .into_iter()
                    .collect(),
            };
            let _ = tx.send(files);
            ctx.request_repaint();
        });
        self.dialog = Some((kind, rx));
    }

    /// Save or export on a worker; the result arrives as a notice.
    fn write_in_background(&mut self, ctx: &egui::Context, path: PathBuf, export: bool) {
        let Some(d) = &self.data else { return };
        let store = d.store.clone();
        // Export writes what the table shows: the filtered events (and
        // search matches); a save writes the whole dataset.
        let rows: Option<Vec<EventIx>> = d.result.as_ref().map(|r| r.matched.clone());
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let target = path.clone();
        std::thread::spawn(move || {
            let count = if export {
                rows.as_ref().map_or(store.len(), Vec::len)
            } else {
                store.len()
            };
            let result = if export {
                match &rows {
                    Some(rows) => {
                        io::export::export_csv(&target, rows.iter().filter_map(|&i| store.event(i)))
                    }
                    None => io::export::export_csv(&target, store.events()),
                }
            } else {
                io::native::save(&target, &store.to_dataset())
            };
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
            let _ = tx.send(notice);
            ctx.request_repaint();
        });
        self.saving = Some(rx);
        if !export && let Some(d) = &mut self.data {
            // A merge saved natively is a dataset of its own from now on.
            d.unsaved = false;
            d.save_path = Some(path);
        }
    }

    /// Apply one command. Public so tests can drive the app the way its
    /// panels do (opening a file through the same path as the dialog).
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        let guarded = matches!(
            command,
            Command::Open(_) | Command::OpenEmbedded | Command::Quit
        );
        if guarded && self.has_unsaved() {
            self.confirm = Some(command);
            return;
        }
        match command {
            Command::Select(ix) => self.selected = ix,
            Command::SetGrouping(g) => {
                self.settings.grouping = g;
                self.refilter();
            }
            Command::SelectAndShow(ix) => {
                self.selected = Some(ix);
                if let Some(d) = &self.data {
                    let store = d.store.clone();
                    self.timeline.show_event(&store, ix, ctx.input(|i| i.time));
                }
            }
            Command::SetFilter(f) => {
                self.filter = f;
                self.refilter();
            }
            Command::NextMatch(forward) => self.step_match(forward),
            Command::ToggleTable => self.settings.show_table = !self.settings.show_table,
            Command::ToggleFilters => self.settings.show_filters = !self.settings.show_filters,
            Command::FocusSearch => self.search_focus = true,
            Command::ToggleStar | Command::ToggleReviewed => {
                if let (Some(d), Some(ix)) = (&self.data, self.selected) {
                    let store = d.store.clone();
                    let mut n = self.annotations.note(&store, ix);
                    if command == Command::ToggleStar {
                        n.starred = !n.starred;
                    } else {
                        n.reviewed = !n.reviewed;
                    }
                    self.annotations.set(&store, ix, n);
                    self.refilter();
                }
            }
            Command::FocusTag => self.note_editor.focus_tag = self.selected.is_some(),
            Command::FocusNote => self.note_editor.focus_note = self.selected.is_some(),
            Command::Undo | Command::Redo => {
                if let Some(d) = &self.data {
                    let store = d.store.clone();
                    let done = if command == Command::Undo {
                        self.annotations.undo(&store)
                    } else {
                        self.annotations.redo(&store)
                    };
                    if done {
                        // Show what was undone: the note editor reloads.
                        self.note_editor.event = None;
                        self.refilter();
                    }
                }
            }
            Command::Open(paths) => self.start_loading(ctx, Source::Files(paths), false),
            Command::Add(paths) => {
                let mut all = self
                    .data
                    .as_ref()
                    .map(|d| d.files.clone())
                    .unwrap_or_default();
                all.extend(paths);
                self.start_loading(ctx, Source::Files(all), true);
            }
            Command::OpenEmbedded => self.start_loading(ctx, Source::Embedded, false),
            Command::OpenDialog => self.pick(ctx, DialogKind::Open),
            Command::AddDialog => self.pick(ctx, DialogKind::Add),
            Command::SaveAsDialog => self.pick(ctx, DialogKind::SaveAs),
            Command::ExportDialog => self.pick(ctx, DialogKind::Export),
            Command::Save => match self.data.as_ref().and_then(|d| d.save_path.clone()) {
                Some(p) => self.write_in_background(ctx, p, false),
                None => self.pick(ctx, DialogKind::SaveAs),
            },
            Command::SaveTo(p) => self.write_in_background(ctx, p, false),
            Command::ExportTo(p) => self.write_in_background(ctx, p, true),
            Command::CancelLoading => {
                if let Some(l) = self.loading.take() {
                    l.cancel();
                    self.notice = Some(Notice {
                        text: "Opening was cancelled".into(),
                        is_error: false,
                    });
                }
            }
            Command::ToggleHelp => self.show_help = !self.show_help,
            Command::ShowProblems(show) => self.show_problems = show,
            Command::SetTheme(t) => {
                self.settings.theme = t;
                ctx.set_theme(t);
            }
            Command::DismissError => self.error = None,
            Command::Quit => {
                self.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }
}

/// 1234567 → "1,234,567".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A file name made from a dataset title.
fn sanitize(title: &str) -> String {
    let s: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() { "dataset".into() } else { s }
}

fn theme_label(t: ThemePreference) -> &'static str {
    match t {
        ThemePreference::System => "System",
        ThemePreference::Light => "Light",
        ThemePreference::Dark => "Dark",
    }
}

impl eframe::App for EventlineApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(
            sanitize("Nagorno-Karabakh, August 2022 (RFE/RL)"),
            "Nagorno-Karabakh--August-2022--RFE-RL"
        );
    }
}

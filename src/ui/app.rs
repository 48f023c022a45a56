//! The application: panels emit [`Command`]s, applied once a frame.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use egui::{Key, RichText, ThemePreference, Ui};
use serde::{Deserialize, Serialize};

use super::detail::detail_ui;
use super::loader::{FileProblem, Loading, Message, Outcome, Source};
use super::timeline::overview::OVERVIEW_H;
use super::timeline::{SHORTCUTS, TimelineState};
use crate::io::{Format, Severity};
use crate::model::date::from_instant;
use crate::store::{EventIx, LaneGrouping, LaneSet, Store};

const SETTINGS_KEY: &str = "eventline-settings";
/// Above this many events, regrouping lanes runs on a worker thread.
const BACKGROUND_REGROUP: usize = 200_000;

/// What panels ask the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Select(Option<EventIx>),
    SetGrouping(LaneGrouping),
    Open(Vec<PathBuf>),
    OpenDialog,
    OpenEmbedded,
    ToggleHelp,
    ShowProblems(bool),
    SetTheme(ThemePreference),
    DismissError,
}

/// What persists between runs (the dataset does not).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Settings {
    pub grouping: LaneGrouping,
    pub theme: ThemePreference,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            grouping: LaneGrouping::Kind,
            theme: ThemePreference::System,
        }
    }
}

/// The open dataset.
pub struct Data {
    pub store: Arc<Store>,
    pub lanes: Arc<LaneSet>,
    pub files: Vec<PathBuf>,
    pub problems: Vec<FileProblem>,
    pub skipped: usize,
}

pub struct EventlineApp {
    pub settings: Settings,
    pub data: Option<Data>,
    loading: Option<Loading>,
    /// Why the last open failed, shown until dismissed.
    pub error: Option<String>,
    format: Option<Format>,
    pub selected: Option<EventIx>,
    pub timeline: TimelineState,
    pub show_help: bool,
    pub show_problems: bool,
    dialog: Option<Receiver<Vec<PathBuf>>>,
    regroup: Option<Receiver<Arc<LaneSet>>>,
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
        EventlineApp::with_source(&cc.egui_ctx, source, format, settings)
    }

    /// Start with `source` loading in the background.
    pub fn with_source(
        ctx: &egui::Context,
        source: Source,
        format: Option<Format>,
        settings: Settings,
    ) -> Self {
        ctx.set_theme(settings.theme);
        let mut app = EventlineApp {
            settings,
            data: None,
            loading: None,
            error: None,
            format,
            selected: None,
            timeline: TimelineState::default(),
            show_help: false,
            show_problems: false,
            dialog: None,
            regroup: None,
            commands: Vec::new(),
        };
        app.start_loading(ctx, source);
        app
    }

    fn start_loading(&mut self, ctx: &egui::Context, source: Source) {
        let ctx = ctx.clone();
        self.loading = Some(Loading::start(
            source,
            self.format,
            self.settings.grouping,
            move || ctx.request_repaint(),
        ));
    }

    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// Block until the current load has finished (tests).
    pub fn wait_for_load(&mut self) {
        if let Some(loading) = self.loading.take() {
            let message = loading.wait();
            self.apply_load(message);
        }
    }

    fn apply_load(&mut self, message: Message) {
        match message {
            Message::Done(outcome) => {
                let Outcome {
                    store,
                    lanes,
                    files,
                    problems,
                    skipped,
                } = *outcome;
                for p in problems
                    .iter()
                    .filter(|p| p.problem.severity == Severity::Error)
                {
                    eprintln!("eventline: {}: {}", p.file, p.problem);
                }
                self.data = Some(Data {
                    store,
                    lanes,
                    files,
                    problems,
                    skipped,
                });
                self.selected = None;
                self.timeline.reset();
                self.error = None;
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

    /// Draw the whole window and apply what the user asked for.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
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
        if let Some(rx) = &self.regroup
            && let Ok(lanes) = rx.try_recv()
        {
            if let Some(d) = &mut self.data {
                d.lanes = lanes;
            }
            self.regroup = None;
        }
        if let Some(rx) = &self.dialog
            && let Ok(paths) = rx.try_recv()
        {
            self.dialog = None;
            if !paths.is_empty() {
                self.commands.push(Command::Open(paths));
            }
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
            egui::Panel::bottom("overview")
                .exact_size(OVERVIEW_H + 8.0)
                .show(ui, |ui| self.timeline.overview_ui(ui, &store));
        }
        if let (Some(d), Some(ix)) = (&self.data, self.selected) {
            let store = d.store.clone();
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
                        });
                });
        }
        egui::CentralPanel::no_frame().show(ui, |ui| self.central(ui));
        self.help_window(&ctx);
        self.problems_window(&ctx);

        let commands = std::mem::take(&mut self.commands);
        for c in commands {
            self.apply(&ctx, c);
        }
    }

    fn global_keys(&mut self, ctx: &egui::Context) {
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::O)) {
            self.commands.push(Command::OpenDialog);
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
                        ui.label(RichText::new(&d.store.title).strong());
                        ui.label(format!("{} events", d.store.len()));
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

    fn status_bar(&mut self, ui: &mut Ui) {
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                if let Some(loading) = &self.loading {
                    ui.spinner();
                    ui.label(format!("Reading {}…", loading.label));
                    ui.separator();
                }
                if let Some(d) = &self.data {
                    ui.label(format!("{} events", d.store.len()));
                    if let Some(a) = self.timeline.axis() {
                        let (v0, v1) = a.visible();
                        let fmt = |t| {
                            from_instant(t)
                                .map_or_else(String::new, |d| d.format("%-d %b %Y").to_string())
                        };
                        ui.separator();
                        ui.label(format!("Showing {} – {}", fmt(v0), fmt(v1)));
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
                        if ui.button(text).clicked() {
                            self.commands.push(Command::ShowProblems(true));
                        }
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
        self.timeline
            .ui(ui, &store, &lanes, self.selected, &mut self.commands);
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

    /// Apply one command. Public so tests can drive the app the way its
    /// panels do (opening a file through the same path as the dialog).
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Select(ix) => self.selected = ix,
            Command::SetGrouping(g) => {
                self.settings.grouping = g;
                if let Some(d) = &mut self.data {
                    if d.store.len() > BACKGROUND_REGROUP {
                        let (tx, rx) = channel();
                        let store = d.store.clone();
                        let ctx = ctx.clone();
                        std::thread::spawn(move || {
                            let _ = tx.send(Arc::new(LaneSet::build(&store, g)));
                            ctx.request_repaint();
                        });
                        self.regroup = Some(rx);
                    } else {
                        d.lanes = Arc::new(LaneSet::build(&d.store, g));
                    }
                }
            }
            Command::Open(paths) => self.start_loading(ctx, Source::Files(paths)),
            Command::OpenEmbedded => self.start_loading(ctx, Source::Embedded),
            Command::OpenDialog => {
                if self.dialog.is_none() {
                    // The system dialog runs on its own thread so the
                    // window keeps drawing behind it.
                    let (tx, rx) = channel();
                    let ctx = ctx.clone();
                    std::thread::spawn(move || {
                        let files = rfd::FileDialog::new()
                            .set_title("Open dataset files")
                            .add_filter("Eventline datasets", &["json"])
                            .add_filter("All files", &["*"])
                            .pick_files()
                            .unwrap_or_default();
                        let _ = tx.send(files);
                        ctx.request_repaint();
                    });
                    self.dialog = Some(rx);
                }
            }
            Command::ToggleHelp => self.show_help = !self.show_help,
            Command::ShowProblems(show) => self.show_problems = show,
            Command::SetTheme(t) => {
                self.settings.theme = t;
                ctx.set_theme(t);
            }
            Command::DismissError => self.error = None,
        }
    }
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

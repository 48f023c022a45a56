//! The window's chrome: the toolbar (File menu, lanes, search, panel
//! toggles, theme), the status bar (progress, counts, problems, notices)
//! and the central area (an error banner, filter chips, the timeline).

use std::sync::atomic::Ordering;

use egui::{Key, RichText, ThemePreference, Ui};

use super::EventlineApp;
use crate::io::DateOrder;
use crate::model::date::from_instant;
use crate::store::LaneGrouping;
use crate::timeline::Marks;
use crate::ui::command::Command;
use crate::ui::filters::chips_ui;
use crate::ui::loader::Phase;
use crate::ui::style::{self, thousands};
use crate::ui::timeline::TimelineView;

/// Room for the search's match count ("1,000,000 matches").
const MATCH_COUNT_WIDTH: f32 = 104.0;

impl EventlineApp {
    pub(super) fn toolbar(&mut self, ui: &mut Ui) {
        egui::Panel::top("toolbar").show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.menu_button("File", |ui| self.file_menu(ui));
                ui.menu_button("Views", |ui| self.views_menu(ui));
                if ui
                    .button("Open…")
                    .on_hover_text("Open dataset files (Ctrl+O)")
                    .clicked()
                {
                    self.commands.push(Command::OpenDialog);
                }
                ui.separator();
                let after_title = self.dataset_title(ui);
                ui.separator();
                self.lanes_and_fit(ui);
                ui.separator();
                self.search_box(ui);
                ui.separator();
                self.panel_toggles(ui);
                let left_end = ui.cursor().left();
                let right = ui
                    .with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        self.help_and_theme(ui)
                    })
                    .response
                    .rect
                    .width();
                // What follows the title, measured, for the next frame's
                // cut of the title (a gap between the two groups).
                let gap = ui.spacing().item_spacing.x;
                self.toolbar_rest = (left_end - after_title) + right + gap;
            });
            ui.add_space(2.0);
        });
    }

    fn file_menu(&mut self, ui: &mut Ui) {
        let item = |ui: &mut Ui, text: &str, keys: &str, enabled: bool| {
            ui.add_enabled(enabled, egui::Button::new(text).shortcut_text(keys))
                .clicked()
        };
        if item(ui, "Open…", "Ctrl+O", true) {
            self.commands.push(Command::OpenDialog);
        }
        if item(ui, "Add files…", "Ctrl+Shift+O", true) {
            self.commands.push(Command::AddDialog);
        }
        ui.menu_button("Open recent", |ui| {
            if self.settings.recent.is_empty() {
                ui.weak("No recent files");
            }
            for p in &self.settings.recent {
                if ui.button(p.display().to_string()).clicked() {
                    self.commands.push(Command::Open(vec![p.clone()]));
                }
            }
        });
        if item(ui, "Open the built-in dataset", "", true) {
            self.commands.push(Command::OpenEmbedded);
        }
        ui.menu_button("Read dates as", |ui| self.date_order_menu(ui));
        ui.separator();
        let has_data = self.data.is_some();
        if item(ui, "Save", "Ctrl+S", has_data) {
            self.commands.push(Command::Save);
        }
        if item(ui, "Save as…", "Ctrl+Shift+S", has_data) {
            self.commands.push(Command::SaveAsDialog);
        }
        if item(ui, "Export CSV…", "Ctrl+E", has_data) {
            self.commands.push(Command::ExportDialog);
        }
        if item(ui, "Export view…", "Ctrl+Shift+E", has_data) {
            self.commands.push(Command::ExportViewDialog);
        }
        ui.separator();
        if item(ui, "Quit", "", true) {
            self.commands.push(Command::Quit);
        }
    }

    /// How all-number dates (8/3/2022) are read; choosing reopens the
    /// open files with it.
    fn date_order_menu(&mut self, ui: &mut Ui) {
        let choices = [
            (None, "Decided by each column"),
            (Some(DateOrder::Dmy), "Day first (8/3 = 8 March)"),
            (Some(DateOrder::Mdy), "Month first (8/3 = 3 August)"),
            (Some(DateOrder::Ymd), "Year first (22/08/03)"),
        ];
        for (order, label) in choices {
            let on = self.load_options.dates == order;
            if ui.radio(on, label).clicked() && !on {
                self.commands.push(Command::SetDateOrder(order));
                ui.close();
            }
        }
    }

    /// The dataset's title and event count; gives where the title ended.
    fn dataset_title(&self, ui: &mut Ui) -> f32 {
        match &self.data {
            Some(d) => {
                let title = if d.unsaved {
                    format!("{} (unsaved)", d.store.title)
                } else {
                    d.store.title.clone()
                };
                // A long title is cut (whole on hover) so that the rest of
                // the toolbar keeps its place: what follows it needed
                // `toolbar_rest` px last frame.
                let room = (ui.available_width() - self.toolbar_rest).clamp(40.0, 420.0);
                ui.scope(|ui| {
                    ui.set_max_width(room);
                    ui.add(egui::Label::new(RichText::new(&title).strong()).truncate())
                        .on_hover_text(&title);
                });
                let after_title = ui.cursor().left();
                ui.label(format!("{} events", thousands(d.store.len())));
                after_title
            }
            None => {
                ui.weak("No dataset open");
                ui.cursor().left()
            }
        }
    }

    fn lanes_and_fit(&mut self, ui: &mut Ui) {
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
        {
            self.commands.push(Command::Fit);
        }
    }

    /// The search field edits a copy of the filter's search; each change is
    /// a command (the app filters once per frame, whatever the keystrokes).
    fn search_box(&mut self, ui: &mut Ui) {
        let label = ui.label("Search:");
        let mut text = self.filter.search.clone();
        let search = ui.add(
            egui::TextEdit::singleline(&mut text)
                .id_salt("search")
                .hint_text("words, kind:call (Ctrl+F)")
                .desired_width(150.0),
        );
        let search = search.labelled_by(label.id);
        if std::mem::take(&mut self.search_focus) {
            search.request_focus();
        }
        if search.changed() {
            let mut filter = self.filter.clone();
            filter.search = text;
            self.commands.push(Command::SetFilter(Box::new(filter)));
        }
        if search.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
            let back = ui.input(|i| i.modifiers.shift);
            self.commands.push(Command::NextMatch(!back));
            search.request_focus();
        }
        // The count has a slot of its own, empty when not searching, so
        // the toolbar neither shifts nor overruns its right-hand end as
        // the count appears and grows.
        let count = self
            .data
            .as_ref()
            .and_then(|d| d.result.as_ref())
            .filter(|r| r.searching)
            .map(|r| style::plural(r.matched.len(), "match", "matches"));
        let height = ui.spacing().interact_size.y;
        ui.allocate_ui_with_layout(
            egui::vec2(MATCH_COUNT_WIDTH, height),
            egui::Layout::left_to_right(egui::Align::Center),
            |ui| {
                ui.set_min_width(MATCH_COUNT_WIDTH);
                if let Some(count) = count {
                    ui.add(egui::Label::new(count).truncate());
                }
            },
        );
    }

    fn panel_toggles(&mut self, ui: &mut Ui) {
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
        let mut map = self.map.open;
        if ui
            .toggle_value(&mut map, "Map")
            .on_hover_text("Show the map of the visible events (M)")
            .changed()
        {
            self.commands.push(Command::ToggleMap);
        }
        let mut network = self.analysis.network.open;
        if ui
            .toggle_value(&mut network, "Network")
            .on_hover_text("Who called whom in the visible range (G)")
            .changed()
        {
            self.commands.push(Command::ToggleNetwork);
        }
    }

    fn help_and_theme(&mut self, ui: &mut Ui) {
        if ui
            .button("?")
            .on_hover_text("Keyboard shortcuts (?)")
            .clicked()
        {
            self.commands.push(Command::ToggleHelp);
        }
        let mut theme = self.settings.theme;
        let combo = egui::ComboBox::from_id_salt("theme")
            .width(72.0)
            .selected_text(style::theme_label(theme))
            .show_ui(ui, |ui| {
                for t in [
                    ThemePreference::System,
                    ThemePreference::Light,
                    ThemePreference::Dark,
                ] {
                    ui.selectable_value(&mut theme, t, style::theme_label(t));
                }
            });
        let label = ui.label("Theme:");
        combo.response.labelled_by(label.id);
        if theme != self.settings.theme {
            self.commands.push(Command::SetTheme(theme));
        }
    }

    fn progress_ui(&mut self, ui: &mut Ui) {
        let Some(loading) = &self.loading else { return };
        let p = &loading.progress;
        let mb = |b: u64| b as f64 / 1_048_576.0;
        let read = p.bytes_read.load(Ordering::Relaxed);
        let total = p.bytes_total.load(Ordering::Relaxed);
        let events = p.events_so_far();
        let text = match p.phase() {
            Phase::Reading if total > 0 => format!(
                "Reading {}: {:.1} of {:.1} MB",
                loading.label,
                mb(read),
                mb(total)
            ),
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

    pub(super) fn status_bar(&mut self, ui: &mut Ui) {
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                self.progress_ui(ui);
                if self.saving.is_some() {
                    ui.spinner();
                    ui.label("Saving…");
                    ui.separator();
                }
                self.dataset_status(ui);
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

    /// Counts, the visible range, review progress and problems.
    fn dataset_status(&mut self, ui: &mut Ui) {
        let Some(d) = &self.data else { return };
        ui.label(format!("{} events", thousands(d.store.len())));
        if let Some(a) = self.timeline.axis() {
            let (v0, v1) = a.visible();
            let fmt =
                |t| from_instant(t).map_or_else(String::new, |d| d.format("%-d %b %Y").to_string());
            ui.separator();
            ui.label(format!("Showing {} – {}", fmt(v0), fmt(v1)));
        }
        if let Some(r) = &d.result {
            ui.separator();
            let scope = if self.filter.hides_events() {
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
            let skipped = if d.skipped > 0 {
                format!(", {} skipped", thousands(d.skipped))
            } else {
                String::new()
            };
            let text = format!("{}{skipped}", style::plural(n, "problem", "problems"));
            if ui.button(text).on_hover_text("List the problems").clicked() {
                self.commands.push(Command::ShowProblems(true));
            }
        }
    }

    pub(super) fn central(&mut self, ui: &mut Ui) {
        if let Some(err) = &self.error {
            error_banner(ui, err, self.data.is_some(), &mut self.commands);
        }
        if let Some(d) = &self.data
            && d.skipped > 0
            && !self.skipped_notice_dismissed
        {
            skipped_banner(ui, d.skipped, d.problems.len(), &mut self.commands);
        }
        let Some(d) = &self.data else {
            if self.loading.is_some() {
                ui.centered_and_justified(|ui| ui.spinner());
            }
            return;
        };
        if self.filter.hides_events() {
            chips_ui(ui, &self.filter, &d.store, &mut self.commands);
        }
        self.histogram_strip(ui);
        let Some(d) = &self.data else { return };
        let violations = self.analysis.truces(d.serial).map(|t| t.flags.clone());
        let marks = Marks {
            search: &d.match_mask,
            flags: &self.annotations.flags,
            violations: violations.as_deref().map_or(&[][..], Vec::as_slice),
            highlight: &self.analysis.network.hovered,
            linked: self.map.open.then_some(self.map.hovered).flatten(),
        };
        let view = TimelineView {
            store: &d.store,
            lanes: &d.shown.lanes,
            visible: d.shown.events.as_deref().map(Vec::as_slice),
            selected: self.selected,
            marks,
        };
        self.timeline.ui(ui, &view, &mut self.commands);
        self.timeline.header_widgets(ui, &d.shown.lanes);
    }
}

/// Records were skipped: said where it cannot be missed, with the way to
/// the list of why.
fn skipped_banner(ui: &mut Ui, skipped: usize, problems: usize, out: &mut Vec<Command>) {
    egui::Frame::new()
        .fill(ui.visuals().warn_fg_color.gamma_multiply(0.15))
        .inner_margin(6.0)
        .show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!(
                        "Opened with {} skipped: {} could not be used.",
                        style::plural(skipped, "record", "records"),
                        if skipped == 1 { "it" } else { "they" }
                    ))
                    .color(ui.visuals().warn_fg_color)
                    .strong(),
                );
                if ui
                    .button(format!(
                        "Show the {}",
                        style::plural(problems, "problem", "problems")
                    ))
                    .clicked()
                {
                    out.push(Command::ShowProblems(true));
                }
                if ui.button("Dismiss").clicked() {
                    out.push(Command::DismissSkipped);
                }
            });
        });
}

/// Why the last open failed, with a way on.
fn error_banner(ui: &mut Ui, err: &str, has_data: bool, out: &mut Vec<Command>) {
    egui::Frame::new()
        .fill(ui.visuals().error_fg_color.gamma_multiply(0.15))
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new("Could not open the file")
                        .strong()
                        .color(ui.visuals().error_fg_color),
                );
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if has_data && ui.button("Dismiss").clicked() {
                        out.push(Command::DismissError);
                    }
                });
            });
            ui.add(egui::Label::new(err).wrap());
            if !has_data {
                ui.horizontal(|ui| {
                    if ui.button("Open another file…").clicked() {
                        out.push(Command::OpenDialog);
                    }
                    if ui.button("Open the built-in dataset").clicked() {
                        out.push(Command::OpenEmbedded);
                    }
                });
            }
        });
}

//! Where the analyst has been and what they keep: Back/Forward over ranges
//! and filters, the context of one event, and named views (Ctrl+B, the
//! Views menu, `--view NAME`).

use egui::{Key, RichText, Ui};

use super::history::ViewState;
use super::{EventlineApp, Notice};
use crate::model::date::from_instant;
use crate::store::EventIx;
use crate::store::filter::ContextWindow;
use crate::ui::command::Command;
use crate::view::{self, SavedView};

/// Days around an event that X shows, unless a context chip already says.
pub const DEFAULT_CONTEXT_DAYS: u32 = 7;

/// The "Save view" question: the name being typed.
#[derive(Debug)]
pub struct ViewPrompt {
    pub name: String,
    focus: bool,
}

impl ViewPrompt {
    pub fn new(name: String) -> ViewPrompt {
        ViewPrompt { name, focus: true }
    }
}

impl EventlineApp {
    /// What Back and Forward restore, as on screen now.
    pub(super) fn view_state(&self) -> ViewState {
        ViewState {
            visible: self.timeline.visible(),
            filter: self.filter.clone(),
            grouping: self.settings.grouping,
        }
    }

    /// Tell the history what is on screen (once a frame).
    pub(super) fn observe_history(&mut self, ctx: &egui::Context) {
        if self.data.is_none() {
            return;
        }
        let state = self.view_state();
        let (time, dragging) = ctx.input(|i| (i.time, i.pointer.any_down()));
        let moving = dragging || self.timeline.is_animating();
        if self.history.observe(state, time, moving) {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(
                super::history::SETTLE_SECONDS,
            ));
        }
    }

    pub(super) fn step_history(&mut self, back: bool) {
        if self.data.is_none() {
            return;
        }
        let now = self.view_state();
        let to = if back {
            self.history.back(now)
        } else {
            self.history.forward(now)
        };
        if let Some(state) = to {
            self.restore_state(state);
        }
    }

    fn restore_state(&mut self, state: ViewState) {
        if state.filter != self.filter {
            self.filter = state.filter;
            self.request_filter();
        }
        if state.grouping != self.settings.grouping {
            self.settings.grouping = state.grouping;
            self.request_filter();
        }
        if let Some((t0, t1)) = state.visible {
            self.timeline.set_visible(t0, t1);
        }
    }

    /// X: only the days around event `ix` (keeping the width of a context
    /// already shown).
    pub(super) fn show_context(&mut self, ix: EventIx) {
        let Some(d) = &self.data else { return };
        let days = self
            .filter
            .context
            .as_ref()
            .map_or(DEFAULT_CONTEXT_DAYS, |c| c.days);
        if let Some(context) = ContextWindow::around(&d.store, ix, days) {
            let (t0, t1) = context.span();
            self.filter.context = Some(Box::new(context));
            self.request_filter();
            self.selected = Some(ix);
            self.timeline.set_visible(t0, t1);
        }
    }

    /// A name for a new view: the range on screen.
    pub(super) fn suggested_view_name(&self) -> String {
        let day = |t| from_instant(t).map(|d| d.format("%-d %b %Y").to_string());
        match self.timeline.visible() {
            Some((t0, t1)) => match (day(t0), day(t1)) {
                (Some(a), Some(b)) if a == b => a,
                (Some(a), Some(b)) => format!("{a} – {b}"),
                _ => "View".into(),
            },
            None => "View".into(),
        }
    }

    /// The view on screen, named.
    fn current_view(&self, name: String) -> SavedView {
        let mut collapsed: Vec<String> = self.timeline.collapsed.iter().cloned().collect();
        collapsed.sort();
        let selected = self.data.as_ref().and_then(|d| {
            self.selected
                .and_then(|ix| d.store.event(ix))
                .map(|e| e.id.clone())
        });
        SavedView {
            name,
            visible: self.timeline.visible(),
            range: self.timeline.range,
            grouping: self.settings.grouping,
            collapsed,
            filter: self.filter.clone(),
            selected,
        }
    }

    pub(super) fn save_view(&mut self, name: String) {
        let name = name.trim().to_string();
        if name.is_empty() || self.data.is_none() {
            return;
        }
        self.view_prompt = None;
        let view = self.current_view(name.clone());
        let replaced = self.annotations.save_view(view);
        let kept = if self.annotations.in_memory_only() {
            " (kept until the window closes: the built-in dataset's notes have no folder here)"
        } else {
            ""
        };
        self.notice = Some(Notice {
            text: format!(
                "{} the view \u{201c}{name}\u{201d}{kept}",
                if replaced { "Updated" } else { "Saved" }
            ),
            is_error: false,
        });
    }

    /// Open the saved view called `name`, or say which views there are.
    pub(super) fn open_view(&mut self, name: &str) {
        if self.data.is_none() {
            return;
        }
        let found = view::find(self.annotations.views(), name).cloned();
        match found {
            Some(v) => self.apply_view(v),
            None => {
                self.notice = Some(Notice {
                    text: view::not_found(name, self.annotations.views()),
                    is_error: true,
                });
            }
        }
    }

    fn apply_view(&mut self, v: SavedView) {
        let Some(d) = &self.data else { return };
        let selected = v.selected.as_deref().map(|id| d.store.find_id(id));
        self.filter = v.filter;
        self.settings.grouping = v.grouping;
        self.timeline.collapsed = v.collapsed.into_iter().collect();
        self.timeline.range = v.range;
        match v.visible {
            Some((t0, t1)) => self.timeline.set_visible(t0, t1),
            None => {
                // The next frame fits the whole dataset.
                self.timeline.reset();
                self.timeline.range = v.range;
            }
        }
        self.request_filter();
        let missing = matches!(selected, Some(None));
        self.selected = selected.flatten();
        self.notice = Some(Notice {
            text: if missing {
                format!(
                    "Opened the view \u{201c}{}\u{201d}; its selected event is no longer in the dataset",
                    v.name
                )
            } else {
                format!("Opened the view \u{201c}{}\u{201d}", v.name)
            },
            is_error: missing,
        });
    }

    /// The Views menu: Back, Forward, Save view, the saved views.
    pub(super) fn views_menu(&mut self, ui: &mut Ui) {
        let has_data = self.data.is_some();
        let item = |ui: &mut Ui, text: &str, keys: &str, enabled: bool| {
            ui.add_enabled(enabled, egui::Button::new(text).shortcut_text(keys))
                .clicked()
        };
        if item(ui, "Back", "Alt+Left", self.history.can_back()) {
            self.commands.push(Command::Back);
        }
        if item(ui, "Forward", "Alt+Right", self.history.can_forward()) {
            self.commands.push(Command::Forward);
        }
        if item(
            ui,
            "Context of the selected event",
            "X",
            self.selected.is_some(),
        ) && let Some(ix) = self.selected
        {
            self.commands.push(Command::Context(ix));
        }
        ui.separator();
        if item(ui, "Save view…", "Ctrl+B", has_data) {
            self.commands.push(Command::SaveViewDialog);
        }
        let views = self.annotations.views();
        if views.is_empty() {
            ui.weak("No saved views");
            return;
        }
        ui.separator();
        for v in views {
            if ui
                .button(&v.name)
                .on_hover_text("Open this view: its range, lanes, filter and selection")
                .clicked()
            {
                self.commands.push(Command::OpenView(v.name.clone()));
            }
        }
        ui.separator();
        ui.menu_button("Delete a view", |ui| {
            for v in views {
                if ui.button(&v.name).clicked() {
                    self.commands.push(Command::DeleteView(v.name.clone()));
                }
            }
        });
    }

    /// Ctrl+B: name the view.
    pub(super) fn view_prompt_window(&mut self, ctx: &egui::Context) {
        let Some(prompt) = &mut self.view_prompt else {
            return;
        };
        let mut open = true;
        let mut save = false;
        let mut cancel = false;
        let exists = self
            .annotations
            .views()
            .iter()
            .any(|v| v.name == prompt.name.trim());
        egui::Window::new("Save view")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .min_width(400.0)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                ui.label("The range, lanes, filter, search and selection, under a name:");
                let label = ui.label("Name");
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut prompt.name)
                            .hint_text("Name of the view")
                            .desired_width(320.0),
                    )
                    .labelled_by(label.id);
                if std::mem::take(&mut prompt.focus) {
                    field.request_focus();
                }
                if field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                    save = true;
                }
                if exists {
                    ui.label(
                        RichText::new("A view of this name exists; saving replaces it.")
                            .color(ui.visuals().warn_fg_color),
                    );
                }
                ui.weak("Kept in the dataset's notes file; reopen it from the Views menu.");
                ui.horizontal(|ui| {
                    let ok = !prompt.name.trim().is_empty();
                    if ui.add_enabled(ok, egui::Button::new("Save view")).clicked() {
                        save = true;
                    }
                    if ui.button("Cancel").clicked() {
                        cancel = true;
                    }
                });
            });
        if ctx.input(|i| i.key_pressed(Key::Escape)) {
            cancel = true;
        }
        if save && !prompt.name.trim().is_empty() {
            self.commands.push(Command::SaveView(prompt.name.clone()));
        } else if cancel || !open {
            self.commands.push(Command::CloseViewPrompt);
        }
    }
}

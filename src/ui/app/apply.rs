//! What each [`Command`] does, and the window-wide keys that emit them.

use egui::{Key, Modifiers};

use super::EventlineApp;
use super::views::ViewPrompt;
use crate::ui::command::DialogKind;
use crate::ui::command::{Command, NoteEdit};
use crate::ui::loader::Source;

/// Shortcuts that work even while a text field has focus.
const SHORTCUTS: [(Modifiers, Key, Command); 13] = [
    (
        Modifiers::COMMAND.plus(Modifiers::SHIFT),
        Key::O,
        Command::AddDialog,
    ),
    (Modifiers::COMMAND, Key::O, Command::OpenDialog),
    (
        Modifiers::COMMAND.plus(Modifiers::SHIFT),
        Key::S,
        Command::SaveAsDialog,
    ),
    (Modifiers::COMMAND, Key::S, Command::Save),
    (
        Modifiers::COMMAND.plus(Modifiers::SHIFT),
        Key::E,
        Command::ExportViewDialog,
    ),
    (Modifiers::COMMAND, Key::E, Command::ExportDialog),
    (
        Modifiers::COMMAND.plus(Modifiers::SHIFT),
        Key::F,
        Command::ToggleFilters,
    ),
    (Modifiers::COMMAND, Key::F, Command::FocusSearch),
    (Modifiers::COMMAND, Key::T, Command::ToggleTable),
    (
        Modifiers::COMMAND.plus(Modifiers::SHIFT),
        Key::Z,
        Command::Redo,
    ),
    (Modifiers::COMMAND, Key::Z, Command::Undo),
    (Modifiers::COMMAND, Key::Y, Command::Redo),
    (Modifiers::COMMAND, Key::B, Command::SaveViewDialog),
];

impl EventlineApp {
    /// Keys for the whole window; the timeline's own keys come last.
    pub(super) fn global_keys(&mut self, ctx: &egui::Context) {
        for (mods, key, command) in SHORTCUTS {
            if ctx.input_mut(|i| i.consume_key(mods, key)) {
                self.commands.push(command);
            }
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F12)) {
            self.commands.push(Command::ToggleFrameStats);
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
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::M)) {
            self.commands.push(Command::ToggleMap);
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Space)) {
            self.commands.push(Command::TogglePlay);
        }
        if ctx.input(|i| i.key_pressed(Key::Escape)) {
            self.commands.push(Command::Escape);
        }
        // Before the timeline's own arrows, which pan.
        if ctx.input_mut(|i| i.consume_key(Modifiers::ALT, Key::ArrowLeft)) {
            self.commands.push(Command::Back);
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::ALT, Key::ArrowRight)) {
            self.commands.push(Command::Forward);
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
            if let Some(ix) = self.selected
                && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::X))
            {
                self.commands.push(Command::Context(ix));
            }
            for (key, command) in keys {
                if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, key)) {
                    self.commands.push(command);
                }
            }
        }
        // C compares, G shows who called whom.
        for (key, command) in [(Key::C, Command::Compare), (Key::G, Command::ToggleNetwork)] {
            if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, key)) {
                self.commands.push(command);
            }
        }
        if let Some(d) = &self.data {
            let visible = d.shown.events.clone();
            self.timeline.handle_keys(
                ctx,
                &d.store,
                visible.as_deref().map(Vec::as_slice),
                self.selected,
                &mut self.commands,
            );
        }
    }

    /// Apply one command and what it leads to, then filter if needed.
    /// Public so tests can drive the app the way its panels do (opening a
    /// file through the same path as the dialog).
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        self.commands.push(command);
        self.apply_queued(ctx);
        self.run_filter_if_needed();
    }

    /// Apply the queued commands, and those they queue in turn.
    pub(super) fn apply_queued(&mut self, ctx: &egui::Context) {
        // Bounded: a command queues at most one follow-up.
        for _ in 0..4 {
            let commands = std::mem::take(&mut self.commands);
            if commands.is_empty() {
                return;
            }
            for c in commands {
                self.apply_one(ctx, c);
            }
        }
    }

    fn apply_one(&mut self, ctx: &egui::Context, command: Command) {
        let guarded = matches!(
            command,
            Command::Open(_) | Command::OpenEmbedded | Command::Quit | Command::SetDateOrder(_)
        );
        if guarded && self.has_unsaved() {
            self.confirm = Some(command);
            return;
        }
        let now = ctx.input(|i| i.time);
        match command {
            Command::Select(ix) => self.selected = ix,
            Command::SelectAndShow(ix) => {
                self.selected = Some(ix);
                if let Some(d) = &self.data {
                    self.timeline.show_event(&d.store, ix, now);
                }
            }
            Command::SetFilter(f) => {
                self.filter = *f;
                self.request_filter();
            }
            Command::SetGrouping(g) => {
                self.settings.grouping = g;
                self.request_filter();
            }
            Command::NextMatch(forward) => self.step_match(forward),
            Command::Fit => {
                if let Some(d) = &self.data {
                    self.timeline.fit(&d.store, now);
                }
            }
            Command::Escape => {
                if self.show_help {
                    self.show_help = false;
                } else {
                    self.timeline.range = None;
                    self.selected = None;
                }
            }
            Command::ToggleTable => self.settings.show_table = !self.settings.show_table,
            Command::ToggleFilters => self.settings.show_filters = !self.settings.show_filters,
            Command::ToggleMap => self.map.open = !self.map.open,
            Command::TogglePlay => {
                self.map.open = true;
                let window = self.timeline.axis().map(|a| a.visible());
                self.map.play.toggle(window);
            }
            Command::FocusSearch => self.search_focus = true,
            Command::ToggleStar | Command::ToggleReviewed => {
                if let (Some(d), Some(ix)) = (&self.data, self.selected) {
                    let note = self.annotations.note(&d.store, ix);
                    let edit = if command == Command::ToggleStar {
                        NoteEdit::Star(!note.starred)
                    } else {
                        NoteEdit::Reviewed(!note.reviewed)
                    };
                    self.commands.push(Command::EditNote(ix, edit));
                }
            }
            Command::EditNote(ix, edit) => {
                if let Some(d) = &self.data {
                    self.annotations.edit(&d.store, ix, edit);
                    self.request_filter();
                }
            }
            Command::FocusTag => self.detail.notes.focus_tag = self.selected.is_some(),
            Command::FocusNote => self.detail.notes.focus_note = self.selected.is_some(),
            Command::Undo | Command::Redo => self.undo_redo(command == Command::Undo),
            Command::Open(paths) => self.start_loading(Source::Files(paths), false),
            Command::Add(paths) => {
                let mut all = self
                    .data
                    .as_ref()
                    .map(|d| d.files.clone())
                    .unwrap_or_default();
                all.extend(paths);
                self.start_loading(Source::Files(all), true);
            }
            Command::OpenEmbedded => self.start_loading(Source::Embedded, false),
            Command::SetDateOrder(order) => {
                self.load_options.dates = order;
                let files = self.data.as_ref().map(|d| d.files.clone());
                if let Some(files) = files.filter(|f| !f.is_empty()) {
                    self.start_loading(Source::Files(files), false);
                }
            }
            Command::OpenDialog => self.pick(DialogKind::Open),
            Command::AddDialog => self.pick(DialogKind::Add),
            Command::SaveAsDialog => self.pick(DialogKind::SaveAs),
            Command::ExportDialog => self.pick(DialogKind::Export),
            Command::Save => match self.data.as_ref().and_then(|d| d.save_path.clone()) {
                Some(p) => self.write_in_background(p, false),
                None => self.pick(DialogKind::SaveAs),
            },
            Command::SaveTo(p) => self.write_in_background(p, false),
            Command::ExportTo(p) => self.write_in_background(p, true),
            Command::ExportViewDialog => self.export_view.open = self.data.is_some(),
            Command::ExportViewPick => self.pick_export_view_file(),
            Command::ExportViewTo(p) => self.export_view_to(p),
            Command::CopyViewImage => self.copy_view_image(),
            Command::CancelLoading => self.cancel_loading(),
            Command::ToggleHelp => self.show_help = !self.show_help,
            Command::ToggleFrameStats => self.show_frame_stats = !self.show_frame_stats,
            Command::ShowProblems(show) => self.show_problems = show,
            Command::SetTheme(t) => {
                self.settings.theme = t;
                ctx.set_theme(t);
            }
            Command::DismissError => self.error = None,
            Command::CloseViewPrompt => self.view_prompt = None,
            Command::AnswerMemoryQuestion(open_anyway) => self.answer_memory_question(open_anyway),
            Command::AnswerUnsaved(answer) => self.answer_unsaved(answer),
            Command::CloseFileBrowser => self.file_browser = None,
            Command::DismissSkipped => self.skipped_notice_dismissed = true,
            Command::Quit => {
                self.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::Back => self.step_history(true),
            Command::Forward => self.step_history(false),
            Command::Context(ix) => self.show_context(ix),
            Command::SaveViewDialog => {
                if self.data.is_some() {
                    self.view_prompt = Some(ViewPrompt::new(self.suggested_view_name()));
                }
            }
            Command::SaveView(name) => self.save_view(name),
            Command::OpenView(name) => self.open_view(&name),
            Command::DeleteView(name) => {
                if self.annotations.delete_view(&name) {
                    self.notice = Some(super::Notice {
                        text: format!("Deleted the view \u{201c}{name}\u{201d}"),
                        is_error: false,
                    });
                }
            }
            Command::Compare => self.open_compare(),
            Command::CloseCompare => self.analysis.compare.close(),
            Command::ToggleNetwork => self.analysis.network.open = !self.analysis.network.open,
            Command::SetTruceEnd(id, end) => {
                self.analysis.set_truce_end(id, end);
                self.request_filter();
            }
        }
    }

    fn undo_redo(&mut self, undo: bool) {
        let Some(d) = &self.data else { return };
        let done = if undo {
            self.annotations.undo(&d.store)
        } else {
            self.annotations.redo(&d.store)
        };
        if done {
            // Show what was undone: the note editor reloads.
            self.detail.notes.event = None;
            self.request_filter();
        }
    }

    fn cancel_loading(&mut self) {
        if let Some(l) = self.loading.take() {
            l.cancel();
            self.notice = Some(super::Notice {
                text: "Opening was cancelled".into(),
                is_error: false,
            });
        }
    }

    /// Select the next (or previous) search match.
    fn step_match(&mut self, forward: bool) {
        let Some(r) = self.data.as_ref().and_then(|d| d.result.as_ref()) else {
            return;
        };
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
}

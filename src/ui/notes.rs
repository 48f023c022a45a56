//! The "Your notes" part of the detail panel: star, reviewed, tags and a
//! note for the selected event. It reads the annotations and emits
//! [`Command::EditNote`]; the app applies the change (one path for buttons,
//! keys and tests, and one undo step per change).

use egui::{RichText, Ui};

use super::command::{Command, NoteEdit};
use super::detail::EventView;
use crate::store::EventIx;

/// Text being edited (committed on Enter or when focus leaves, so one edit
/// is one undo step).
#[derive(Debug, Default)]
pub struct NotesPanel {
    /// The event the texts below belong to; `None` reloads them.
    pub event: Option<EventIx>,
    pub note_text: String,
    pub tag_text: String,
    pub focus_note: bool,
    pub focus_tag: bool,
}

impl NotesPanel {
    pub fn ui(&mut self, ui: &mut Ui, view: &EventView<'_>, out: &mut Vec<Command>) {
        let EventView {
            store,
            ix,
            annotations: ann,
        } = *view;
        let current = ann.note(store, ix);
        if self.event != Some(ix) {
            self.event = Some(ix);
            self.note_text = current.note.clone();
            self.tag_text.clear();
        }
        let mut edit = |e: NoteEdit| out.push(Command::EditNote(ix, e));
        ui.add_space(8.0);
        ui.label(
            RichText::new("Your notes")
                .small_raised()
                .color(ui.visuals().weak_text_color()),
        );
        ui.horizontal(|ui| {
            let mut starred = current.starred;
            let star_text = if starred { "Starred" } else { "Star" };
            if ui
                .toggle_value(&mut starred, star_text)
                .on_hover_text("Star this event (S)")
                .changed()
            {
                edit(NoteEdit::Star(starred));
            }
            let mut reviewed = current.reviewed;
            if ui
                .checkbox(&mut reviewed, "Reviewed")
                .on_hover_text("Mark as reviewed (R)")
                .changed()
            {
                edit(NoteEdit::Reviewed(reviewed));
            }
        });
        // Tags: chips with a remove button, and a field with suggestions.
        ui.horizontal_wrapped(|ui| {
            for t in &current.tags {
                if ui
                    .small_button(format!("{t} ×"))
                    .on_hover_text("Remove this tag")
                    .clicked()
                {
                    edit(NoteEdit::RemoveTag(t.clone()));
                }
            }
        });
        let tag_label = ui.label("Tags");
        let tag_edit = ui
            .add(
                egui::TextEdit::singleline(&mut self.tag_text)
                    .hint_text("Add a tag (T), Enter")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(tag_label.id);
        if std::mem::take(&mut self.focus_tag) {
            tag_edit.request_focus();
        }
        let typed = self.tag_text.trim().to_string();
        if !typed.is_empty() {
            let suggestions: Vec<String> = ann
                .all_tags()
                .into_iter()
                .filter(|t| t.starts_with(&typed) && *t != typed && !current.tags.contains(t))
                .take(5)
                .collect();
            ui.horizontal_wrapped(|ui| {
                for s in suggestions {
                    if ui.small_button(&s).clicked() {
                        edit(NoteEdit::AddTag(s));
                        self.tag_text.clear();
                    }
                }
            });
        }
        if tag_edit.lost_focus()
            && ui.input(|i| i.key_pressed(egui::Key::Enter))
            && !typed.is_empty()
        {
            edit(NoteEdit::AddTag(typed));
            self.tag_text.clear();
        }
        let note_label = ui.label("Note");
        let note_edit = ui
            .add(
                egui::TextEdit::multiline(&mut self.note_text)
                    .hint_text("A note (N); saved when you leave the field")
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(note_label.id);
        if std::mem::take(&mut self.focus_note) {
            note_edit.request_focus();
        }
        if note_edit.lost_focus() && self.note_text != current.note {
            edit(NoteEdit::Text(self.note_text.clone()));
        }
        if let Some(err) = ann.save_error() {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("Notes not saved: {err}"),
            );
        } else if ann.in_memory_only() {
            ui.weak("Notes on this dataset are kept until you close the window (save it as a file to keep them).");
        }
    }
}

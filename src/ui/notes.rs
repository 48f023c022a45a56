//! Annotations in the window: the notes of the open dataset, per-event flag
//! bits for filtering, undo/redo, and saving to the sidecar after every
//! change.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};

use egui::{RichText, Ui};

use crate::io::notes::{self, Note};
use crate::store::filter::{REVIEWED, STARRED, TAGGED};
use crate::store::{EventIx, Store};

/// One change, for undo: the event's note before and after.
#[derive(Clone, Debug, PartialEq)]
struct Change {
    id: String,
    before: Note,
    after: Note,
}

/// Writes the sidecar on its own thread, so a change never waits for the
/// disk (an atomic save flushes to it). Snapshots are written in order; a
/// burst of changes writes only the newest.
struct Saver {
    tx: Option<Sender<BTreeMap<String, Note>>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// Saves sent but not yet written.
    pending: Arc<AtomicUsize>,
    /// The last write's error, until one succeeds.
    error: Arc<Mutex<Option<String>>>,
}

impl Saver {
    fn start(anchor: PathBuf) -> Saver {
        let (tx, rx) = channel::<BTreeMap<String, Note>>();
        let pending = Arc::new(AtomicUsize::new(0));
        let error = Arc::new(Mutex::new(None));
        let (p, e) = (pending.clone(), error.clone());
        let thread = std::thread::Builder::new()
            .name("eventline-notes".into())
            .spawn(move || {
                while let Ok(mut latest) = rx.recv() {
                    let mut taken = 1;
                    while let Ok(newer) = rx.try_recv() {
                        latest = newer;
                        taken += 1;
                    }
                    let result = notes::save(&anchor, &latest).err().map(|x| x.to_string());
                    if let Ok(mut slot) = e.lock() {
                        *slot = result;
                    }
                    p.fetch_sub(taken, Ordering::SeqCst);
                }
            })
            .ok();
        Saver {
            tx: Some(tx),
            thread,
            pending,
            error,
        }
    }

    fn save(&self, notes: BTreeMap<String, Note>) {
        if let Some(tx) = &self.tx {
            self.pending.fetch_add(1, Ordering::SeqCst);
            if tx.send(notes).is_err() {
                self.pending.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }

    /// Wait until everything sent is on disk.
    fn flush(&self) {
        while self.thread.is_some() && self.pending.load(Ordering::SeqCst) > 0 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
}

impl Drop for Saver {
    /// Closing the dataset or the window finishes the last write first.
    fn drop(&mut self) {
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl std::fmt::Debug for Saver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Saver")
            .field("pending", &self.pending.load(Ordering::SeqCst))
            .finish()
    }
}

/// The open dataset's notes.
#[derive(Debug, Default)]
pub struct Annotations {
    /// Where notes are saved: the dataset file whose sidecar holds them.
    /// `None` (nothing to save beside) keeps them in memory only.
    pub anchor: Option<PathBuf>,
    pub notes: BTreeMap<String, Note>,
    /// Filter bits per event index (starred, tagged, reviewed).
    pub flags: Vec<u8>,
    undo: Vec<Change>,
    redo: Vec<Change>,
    saver: Option<Saver>,
    /// Bumped on every change, so views depending on flags can refresh.
    pub generation: u64,
}

impl Annotations {
    /// Read the sidecar beside `anchor` (reporting, not hiding, a bad one).
    /// Reads a file: the loader calls it on its worker thread.
    pub fn open(anchor: Option<PathBuf>, store: &Store) -> (Annotations, Option<String>) {
        let opened = anchor.as_deref().map(notes::open).unwrap_or_default();
        let mut a = Annotations {
            saver: anchor.clone().map(Saver::start),
            anchor,
            notes: opened.notes,
            ..Annotations::default()
        };
        a.rebuild_flags(store);
        (a, opened.problem)
    }

    fn rebuild_flags(&mut self, store: &Store) {
        self.flags = store
            .events()
            .iter()
            .map(|e| flags_of(self.notes.get(&e.id)))
            .collect();
    }

    pub fn note(&self, store: &Store, ix: EventIx) -> Note {
        store
            .event(ix)
            .and_then(|e| self.notes.get(&e.id))
            .cloned()
            .unwrap_or_default()
    }

    /// Replace an event's note, recording the change for undo, and save.
    pub fn set(&mut self, store: &Store, ix: EventIx, after: Note) {
        let Some(e) = store.event(ix) else { return };
        let before = self.notes.get(&e.id).cloned().unwrap_or_default();
        if before == after {
            return;
        }
        let change = Change {
            id: e.id.clone(),
            before,
            after,
        };
        self.apply(store, &change.id, change.after.clone());
        self.undo.push(change);
        self.redo.clear();
    }

    fn apply(&mut self, store: &Store, id: &str, note: Note) {
        if note.is_empty() {
            self.notes.remove(id);
        } else {
            self.notes.insert(id.to_string(), note);
        }
        // Several events may share an id (a warned-about duplicate): all of
        // them show the note.
        for (i, e) in store.events().iter().enumerate() {
            if e.id == id {
                self.flags[i] = flags_of(self.notes.get(id));
            }
        }
        self.generation += 1;
        self.save();
    }

    pub fn undo(&mut self, store: &Store) -> bool {
        let Some(c) = self.undo.pop() else {
            return false;
        };
        self.apply(store, &c.id, c.before.clone());
        self.redo.push(c);
        true
    }

    pub fn redo(&mut self, store: &Store) -> bool {
        let Some(c) = self.redo.pop() else {
            return false;
        };
        self.apply(store, &c.id, c.after.clone());
        self.undo.push(c);
        true
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    fn save(&mut self) {
        if let Some(saver) = &self.saver {
            saver.save(self.notes.clone());
        }
    }

    /// Why the last save failed, until one succeeds.
    pub fn save_error(&self) -> Option<String> {
        self.saver
            .as_ref()
            .and_then(|s| s.error.lock().ok().and_then(|e| e.clone()))
    }

    /// Wait until every change is written (tests; closing waits anyway).
    pub fn flush(&self) {
        if let Some(s) = &self.saver {
            s.flush();
        }
    }

    /// Every tag in use, for autocomplete.
    pub fn all_tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = self
            .notes
            .values()
            .flat_map(|n| n.tags.iter().cloned())
            .collect();
        tags.sort();
        tags.dedup();
        tags
    }
}

fn flags_of(note: Option<&Note>) -> u8 {
    match note {
        None => 0,
        Some(n) => {
            (if n.starred { STARRED } else { 0 })
                | (if n.tags.is_empty() { 0 } else { TAGGED })
                | (if n.reviewed { REVIEWED } else { 0 })
        }
    }
}

/// Text being edited in the detail panel (committed on Enter or when focus
/// leaves, so one edit is one undo step).
#[derive(Debug, Default)]
pub struct NoteEditor {
    pub event: Option<EventIx>,
    pub note_text: String,
    pub tag_text: String,
    pub focus_note: bool,
    pub focus_tag: bool,
}

/// The "Your notes" part of the detail panel.
pub fn notes_ui(
    ui: &mut Ui,
    store: &Store,
    ix: EventIx,
    ann: &mut Annotations,
    ed: &mut NoteEditor,
) {
    let current = ann.note(store, ix);
    if ed.event != Some(ix) {
        ed.event = Some(ix);
        ed.note_text = current.note.clone();
        ed.tag_text.clear();
    }
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
            ann.set(
                store,
                ix,
                Note {
                    starred,
                    ..current.clone()
                },
            );
        }
        let mut reviewed = current.reviewed;
        if ui
            .checkbox(&mut reviewed, "Reviewed")
            .on_hover_text("Mark as reviewed (R)")
            .changed()
        {
            ann.set(
                store,
                ix,
                Note {
                    reviewed,
                    ..current.clone()
                },
            );
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
                let mut n = current.clone();
                n.tags.retain(|x| x != t);
                ann.set(store, ix, n);
            }
        }
    });
    let tag_label = ui.label("Tags");
    let tag_edit = ui
        .add(
            egui::TextEdit::singleline(&mut ed.tag_text)
                .hint_text("Add a tag (T), Enter")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(tag_label.id);
    if std::mem::take(&mut ed.focus_tag) {
        tag_edit.request_focus();
    }
    let typed = ed.tag_text.trim().to_string();
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
                    let mut n = current.clone();
                    n.tags.push(s);
                    ann.set(store, ix, n);
                    ed.tag_text.clear();
                }
            }
        });
    }
    if tag_edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) && !typed.is_empty() {
        let mut n = ann.note(store, ix);
        if !n.tags.contains(&typed) {
            n.tags.push(typed);
            ann.set(store, ix, n);
        }
        ed.tag_text.clear();
    }
    let note_label = ui.label("Note");
    let note_edit = ui
        .add(
            egui::TextEdit::multiline(&mut ed.note_text)
                .hint_text("A note (N); saved when you leave the field")
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(note_label.id);
    if std::mem::take(&mut ed.focus_note) {
        note_edit.request_focus();
    }
    if note_edit.lost_focus() && ed.note_text != current.note {
        let mut n = ann.note(store, ix);
        n.note = ed.note_text.clone();
        ann.set(store, ix, n);
    }
    if let Some(err) = ann.save_error() {
        ui.colored_label(
            ui.visuals().error_fg_color,
            format!("Notes not saved: {err}"),
        );
    } else if ann.anchor.is_none() {
        ui.weak("Notes on this dataset are kept until you close the window (save it as a file to keep them).");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_and_redo_every_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.json");
        let store = Store::build(crate::default_dataset().unwrap().dataset);
        let (mut a, problem) = Annotations::open(Some(path.clone()), &store);
        assert!(problem.is_none());
        a.set(
            &store,
            2,
            Note {
                starred: true,
                ..Note::default()
            },
        );
        a.set(
            &store,
            2,
            Note {
                starred: true,
                reviewed: true,
                ..Note::default()
            },
        );
        assert_eq!(a.flags[2], STARRED | REVIEWED);
        assert!(a.undo(&store));
        assert_eq!(a.flags[2], STARRED);
        assert!(a.undo(&store));
        assert_eq!(a.flags[2], 0);
        assert!(!a.undo(&store));
        assert!(a.redo(&store));
        assert_eq!(a.flags[2], STARRED);
        // Saved as it goes: a fresh open sees the current state.
        a.flush();
        let (b, _) = Annotations::open(Some(path), &store);
        assert_eq!(b.flags[2], STARRED);
    }
}

//! The open dataset's annotations: its notes, per-event flag bits for
//! filtering, undo/redo, and saving to the sidecar after every change. App
//! state, changed only by the app applying commands; the notes panel reads
//! it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};

use super::command::NoteEdit;
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

    /// Apply one edit to the event's note as it is now.
    pub fn edit(&mut self, store: &Store, ix: EventIx, edit: NoteEdit) {
        let mut n = self.note(store, ix);
        match edit {
            NoteEdit::Star(on) => n.starred = on,
            NoteEdit::Reviewed(on) => n.reviewed = on,
            NoteEdit::AddTag(t) => {
                if !n.tags.contains(&t) {
                    n.tags.push(t);
                }
            }
            NoteEdit::RemoveTag(t) => n.tags.retain(|x| *x != t),
            NoteEdit::Text(t) => n.note = t,
        }
        self.set(store, ix, n);
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

    #[test]
    fn edits_apply_to_the_note_as_it_is() {
        let store = Store::build(crate::default_dataset().unwrap().dataset);
        let (mut a, _) = Annotations::open(None, &store);
        a.edit(&store, 1, NoteEdit::Star(true));
        a.edit(&store, 1, NoteEdit::AddTag("ceasefire".into()));
        a.edit(&store, 1, NoteEdit::AddTag("ceasefire".into()));
        a.edit(&store, 1, NoteEdit::Text("check the date".into()));
        let n = a.note(&store, 1);
        assert!(n.starred);
        assert_eq!(n.tags, vec!["ceasefire".to_string()]);
        assert_eq!(n.note, "check the date");
        a.edit(&store, 1, NoteEdit::RemoveTag("ceasefire".into()));
        assert!(a.note(&store, 1).tags.is_empty());
        assert_eq!(a.flags[1], STARRED);
    }
}

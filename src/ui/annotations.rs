//! The open dataset's annotations: its notes, per-event flag bits for
//! filtering, undo/redo, and saving to the sidecar after every change. App
//! state, changed only by the app applying commands; the notes panel reads
//! it.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};

use super::command::NoteEdit;
use crate::io::notes::{self, Note};
use crate::store::{EventIx, Store};
use crate::view::{self, SavedView};

/// What the saver writes: the notes and the saved views, as stored.
type Snapshot = (BTreeMap<String, Note>, Vec<serde_json::Value>);

/// One change, for undo: the event's note before and after.
#[derive(Clone, Debug, PartialEq)]
struct Change {
    sidecar: usize,
    id: String,
    before: Note,
    after: Note,
}

/// Writes the sidecar on its own thread, so a change never waits for the
/// disk (an atomic save flushes to it). Snapshots are written in order; a
/// burst of changes writes only the newest.
struct Saver {
    tx: Option<Sender<Snapshot>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// Saves sent but not yet written.
    pending: Arc<AtomicUsize>,
    /// The last write's error, until one succeeds.
    error: Arc<Mutex<Option<String>>>,
}

impl Saver {
    fn start(anchor: PathBuf) -> Saver {
        let (tx, rx) = channel::<Snapshot>();
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
                    let result = notes::save_with_views(&anchor, &latest.0, &latest.1)
                        .err()
                        .map(|x| x.to_string());
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

    fn save(&self, snapshot: Snapshot) {
        if let Some(tx) = &self.tx {
            self.pending.fetch_add(1, Ordering::SeqCst);
            if tx.send(snapshot).is_err() {
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

/// The notes of one opened file, saved beside it.
#[derive(Debug, Default)]
struct Sidecar {
    /// The dataset file whose sidecar holds these notes; `None` (nothing to
    /// save beside) keeps them in memory only.
    anchor: Option<PathBuf>,
    notes: BTreeMap<String, Note>,
    /// Saved views (kept in the first file's sidecar).
    views: Vec<SavedView>,
    saver: Option<Saver>,
}

impl Sidecar {
    fn open(anchor: Option<PathBuf>) -> (Sidecar, Vec<String>) {
        let opened = anchor.as_deref().map(notes::open).unwrap_or_default();
        let (views, view_problems) = view::parse_views(&opened.views);
        let file = anchor
            .as_deref()
            .map_or_else(|| "the dataset".to_string(), crate::io::display_name);
        let mut problems: Vec<String> = opened.problem.into_iter().collect();
        problems.extend(
            view_problems
                .into_iter()
                .map(|p| format!("notes of {file}: {p}")),
        );
        let sidecar = Sidecar {
            saver: anchor.clone().map(Saver::start),
            anchor,
            notes: opened.notes,
            views,
        };
        (sidecar, problems)
    }

    fn save(&self) {
        if let Some(saver) = &self.saver {
            saver.save((self.notes.clone(), view::to_values(&self.views)));
        }
    }
}

/// The open dataset's notes: one sidecar per opened file, so equal ids in
/// two merged files never share a note.
#[derive(Debug, Default)]
pub struct Annotations {
    /// Per opened file, in the order the store was built from them.
    sidecars: Vec<Sidecar>,
    /// Filter bits per event index (starred, tagged, reviewed).
    pub flags: Vec<u8>,
    undo: Vec<Change>,
    redo: Vec<Change>,
    /// Bumped on every change, so views depending on flags can refresh.
    pub generation: u64,
}

impl Annotations {
    /// Read the sidecar beside each opened file (`anchors[i]` for the
    /// store's origin `i`), reporting, not hiding, bad ones and notes whose
    /// event is gone. Reads files: the loader calls it on its worker.
    pub fn open(anchors: Vec<Option<PathBuf>>, store: &Store) -> (Annotations, Vec<String>) {
        let mut problems = Vec::new();
        let sidecars = anchors
            .into_iter()
            .map(|anchor| {
                let (sidecar, found) = Sidecar::open(anchor);
                problems.extend(found);
                sidecar
            })
            .collect();
        let mut a = Annotations {
            sidecars,
            ..Annotations::default()
        };
        a.rebuild_flags(store);
        problems.extend(a.orphans(store));
        (a, problems)
    }

    /// Notes whose event is no longer in its file, listed so the analyst
    /// can read them (they stay in the sidecar).
    fn orphans(&self, store: &Store) -> Vec<String> {
        let mut out = Vec::new();
        for (origin, sidecar) in self.sidecars.iter().enumerate() {
            if sidecar.notes.is_empty() {
                continue;
            }
            let present: HashSet<&str> = store
                .ids()
                .zip(&store.origin)
                .filter(|(_, o)| **o as usize == origin)
                .map(|(id, _)| id)
                .collect();
            let missing: Vec<(&String, &Note)> = sidecar
                .notes
                .iter()
                .filter(|(id, n)| !n.is_empty() && !present.contains(id.as_str()))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let file = sidecar
                .anchor
                .as_deref()
                .map_or_else(|| "the dataset".to_string(), crate::io::display_name);
            out.push(format!(
                "{} {} to events no longer in {file}; {} kept in its notes file:",
                missing.len(),
                if missing.len() == 1 {
                    "note refers"
                } else {
                    "notes refer"
                },
                if missing.len() == 1 {
                    "it is"
                } else {
                    "they are"
                },
            ));
            for (id, note) in missing.iter().take(MAX_ORPHANS_LISTED) {
                out.push(format!(
                    "note on `{id}` (no longer in {file}): {}",
                    describe(note)
                ));
            }
            if missing.len() > MAX_ORPHANS_LISTED {
                out.push(format!(
                    "… and {} more notes on events no longer in {file}",
                    missing.len() - MAX_ORPHANS_LISTED
                ));
            }
        }
        out
    }

    fn rebuild_flags(&mut self, store: &Store) {
        if self.sidecars.iter().all(|s| s.notes.is_empty()) {
            // Nothing to look up (a file opened for the first time).
            self.flags = vec![0; store.len()];
            return;
        }
        self.flags = (0..store.len() as EventIx)
            .map(|ix| {
                view::note_flags(
                    self.sidecar_of(store, ix)
                        .and_then(|(s, id)| s.notes.get(id)),
                )
            })
            .collect();
    }

    /// The sidecar holding `ix`'s note, and its id.
    fn sidecar_of<'s>(&self, store: &'s Store, ix: EventIx) -> Option<(&Sidecar, &'s str)> {
        let origin = *store.origin.get(ix as usize)? as usize;
        let sidecar = self.sidecars.get(origin).or(self.sidecars.first())?;
        Some((sidecar, store.id(ix)))
    }

    fn sidecar_index(&self, store: &Store, ix: EventIx) -> usize {
        let origin = store.origin.get(ix as usize).map_or(0, |&o| o as usize);
        if origin < self.sidecars.len() {
            origin
        } else {
            0
        }
    }

    pub fn note(&self, store: &Store, ix: EventIx) -> Note {
        self.sidecar_of(store, ix)
            .and_then(|(s, id)| s.notes.get(id))
            .cloned()
            .unwrap_or_default()
    }

    /// Whether notes are kept only until the window closes (nothing to
    /// save beside, e.g. the built-in dataset in tests).
    pub fn in_memory_only(&self) -> bool {
        self.sidecars.iter().all(|s| s.anchor.is_none())
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
        if self.sidecars.is_empty() {
            self.sidecars.push(Sidecar::default());
        }
        let sidecar = self.sidecar_index(store, ix);
        let before = self.sidecars[sidecar]
            .notes
            .get(&e.id)
            .cloned()
            .unwrap_or_default();
        if before == after {
            return;
        }
        let change = Change {
            sidecar,
            id: e.id.clone(),
            before,
            after,
        };
        self.apply(store, sidecar, &change.id, change.after.clone());
        self.undo.push(change);
        self.redo.clear();
    }

    fn apply(&mut self, store: &Store, sidecar: usize, id: &str, note: Note) {
        let Some(s) = self.sidecars.get_mut(sidecar) else {
            return;
        };
        if note.is_empty() {
            s.notes.remove(id);
        } else {
            s.notes.insert(id.to_string(), note);
        }
        // Several events of the file may share an id (a warned-about
        // duplicate): all of them show the note.
        let flags = view::note_flags(s.notes.get(id));
        for (i, event_id) in store.ids().enumerate() {
            if event_id == id && self.sidecar_index(store, i as EventIx) == sidecar {
                self.flags[i] = flags;
            }
        }
        self.generation += 1;
        self.sidecars[sidecar].save();
    }

    pub fn undo(&mut self, store: &Store) -> bool {
        let Some(c) = self.undo.pop() else {
            return false;
        };
        self.apply(store, c.sidecar, &c.id, c.before.clone());
        self.redo.push(c);
        true
    }

    pub fn redo(&mut self, store: &Store) -> bool {
        let Some(c) = self.redo.pop() else {
            return false;
        };
        self.apply(store, c.sidecar, &c.id, c.after.clone());
        self.undo.push(c);
        true
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// The dataset was saved as one file at `path` (Save as): from now on
    /// its notes live in that file's sidecar, which gets every note now.
    /// Where merged files gave equal ids, the first file's note is kept.
    pub fn move_to(&mut self, store: &Store, path: &Path) {
        if let [only] = self.sidecars.as_slice()
            && only.anchor.as_deref() == Some(path)
        {
            return;
        }
        let mut merged: BTreeMap<String, Note> = BTreeMap::new();
        let mut views = Vec::new();
        for s in &self.sidecars {
            for (id, n) in &s.notes {
                merged.entry(id.clone()).or_insert_with(|| n.clone());
            }
            for v in &s.views {
                if view::find(&views, &v.name).is_none_or(|f| f.name != v.name) {
                    views.push(v.clone());
                }
            }
        }
        self.sidecars = vec![Sidecar {
            anchor: Some(path.to_path_buf()),
            notes: merged,
            views,
            saver: Some(Saver::start(path.to_path_buf())),
        }];
        self.sidecars[0].save();
        // Undo steps named sidecars that are gone.
        self.undo.clear();
        self.redo.clear();
        self.rebuild_flags(store);
        self.generation += 1;
    }

    /// The dataset's saved views (those of its first file).
    pub fn views(&self) -> &[SavedView] {
        self.sidecars.first().map_or(&[], |s| s.views.as_slice())
    }

    /// Save `view` (replacing one of the same name); returns whether one
    /// was replaced.
    pub fn save_view(&mut self, view: SavedView) -> bool {
        if self.sidecars.is_empty() {
            self.sidecars.push(Sidecar::default());
        }
        let replaced = view::upsert(&mut self.sidecars[0].views, view);
        self.sidecars[0].save();
        replaced
    }

    /// Forget the view called `name`; whether there was one.
    pub fn delete_view(&mut self, name: &str) -> bool {
        let Some(first) = self.sidecars.first_mut() else {
            return false;
        };
        let before = first.views.len();
        first.views.retain(|v| v.name != name);
        let gone = first.views.len() < before;
        if gone {
            first.save();
        }
        gone
    }

    /// Why the last save failed, until one succeeds.
    pub fn save_error(&self) -> Option<String> {
        self.sidecars.iter().find_map(|s| {
            s.saver
                .as_ref()
                .and_then(|s| s.error.lock().ok().and_then(|e| e.clone()))
        })
    }

    /// Wait until every change is written (tests; closing waits anyway).
    pub fn flush(&self) {
        for s in &self.sidecars {
            if let Some(saver) = &s.saver {
                saver.flush();
            }
        }
    }

    /// Every tag in use, for autocomplete.
    pub fn all_tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = self
            .sidecars
            .iter()
            .flat_map(|s| s.notes.values())
            .flat_map(|n| n.tags.iter().cloned())
            .collect();
        tags.sort();
        tags.dedup();
        tags
    }
}

/// How many notes on missing events are listed one by one per file.
const MAX_ORPHANS_LISTED: usize = 200;

/// A note in words, for the problems list.
fn describe(n: &Note) -> String {
    let mut parts = Vec::new();
    if n.starred {
        parts.push("starred".to_string());
    }
    if n.reviewed {
        parts.push("reviewed".to_string());
    }
    if !n.tags.is_empty() {
        parts.push(format!("tags: {}", n.tags.join(", ")));
    }
    if !n.note.is_empty() {
        parts.push(format!("“{}”", n.note));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::filter::{REVIEWED, STARRED, TAGGED};

    #[test]
    fn undo_and_redo_every_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.json");
        let store = Store::build(crate::default_dataset().unwrap().dataset);
        let (mut a, problems) = Annotations::open(vec![Some(path.clone())], &store);
        assert!(problems.is_empty());
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
        let (b, _) = Annotations::open(vec![Some(path)], &store);
        assert_eq!(b.flags[2], STARRED);
    }

    #[test]
    fn edits_apply_to_the_note_as_it_is() {
        let store = Store::build(crate::default_dataset().unwrap().dataset);
        let (mut a, _) = Annotations::open(vec![None], &store);
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

    fn dataset_with(ids: &[&str]) -> crate::table::Dataset {
        let mut d = crate::default_dataset().unwrap().dataset;
        let mut events = d.events.to_vec();
        events.truncate(ids.len());
        for (e, id) in events.iter_mut().zip(ids) {
            e.id = id.to_string();
        }
        d.events = events.into();
        d
    }

    #[test]
    fn equal_ids_in_two_merged_files_keep_their_own_notes() {
        let dir = tempfile::tempdir().unwrap();
        let (a_path, b_path) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        let store = Store::from_datasets(vec![dataset_with(&["row-1"]), dataset_with(&["row-1"])]);
        let (mut ann, _) =
            Annotations::open(vec![Some(a_path.clone()), Some(b_path.clone())], &store);
        let in_a = (0..2).find(|&i| store.origin[i] == 0).unwrap() as EventIx;
        let in_b = (0..2).find(|&i| store.origin[i] == 1).unwrap() as EventIx;
        ann.edit(&store, in_a, NoteEdit::Star(true));
        assert!(ann.note(&store, in_a).starred);
        assert!(!ann.note(&store, in_b).starred);
        assert_eq!(ann.flags[in_a as usize], STARRED);
        assert_eq!(ann.flags[in_b as usize], 0);
        ann.flush();
        assert!(notes::open(&a_path).notes["row-1"].starred);
        assert!(notes::open(&b_path).notes.is_empty());
    }

    #[test]
    fn notes_on_missing_events_are_listed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.csv");
        let mut kept = BTreeMap::new();
        kept.insert(
            "gone-1".to_string(),
            Note {
                starred: true,
                note: "check casualty figure".into(),
                ..Note::default()
            },
        );
        kept.insert(
            "here".to_string(),
            Note {
                reviewed: true,
                ..Note::default()
            },
        );
        notes::save(&path, &kept).unwrap();
        let store = Store::build(dataset_with(&["here"]));
        let (ann, problems) = Annotations::open(vec![Some(path.clone())], &store);
        assert_eq!(ann.flags[0], REVIEWED);
        assert!(
            problems[0].starts_with("1 note refers to events no longer in d.csv"),
            "{problems:?}"
        );
        assert!(problems[1].contains("`gone-1`") && problems[1].contains("check casualty figure"));
        // Kept in the sidecar, not dropped by the next save.
        drop(ann);
        assert!(notes::open(&path).notes.contains_key("gone-1"));
    }

    #[test]
    fn moving_to_a_saved_file_carries_every_note() {
        let dir = tempfile::tempdir().unwrap();
        let (a_path, b_path) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        let store = Store::from_datasets(vec![dataset_with(&["x"]), dataset_with(&["y"])]);
        let (mut ann, _) = Annotations::open(vec![Some(a_path), Some(b_path)], &store);
        for ix in 0..2 {
            ann.edit(&store, ix, NoteEdit::AddTag("ceasefire".into()));
        }
        let saved = dir.path().join("merged.json");
        ann.move_to(&store, &saved);
        ann.flush();
        let carried = notes::open(&saved).notes;
        assert_eq!(carried.len(), 2);
        assert!(carried.values().all(|n| n.tags == ["ceasefire"]));
        assert_eq!(ann.flags, vec![TAGGED, TAGGED]);
    }
}

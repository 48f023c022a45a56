//! Analyst annotations (stars, tags, notes, reviewed marks), kept in a
//! sidecar file next to the dataset — `<dataset>.eventline-notes.json` — so
//! the dataset file itself is never modified by annotating.
//!
//! Keyed by stable event id. Written atomically on every change. A sidecar
//! that cannot be read is renamed to `.bak` (never overwritten) and reported.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::atomic::write_atomically;
use super::error::SaveError;

/// The sidecar format written when there are saved views; files without
/// views are still written as version 1, so older builds keep reading them.
pub const VERSION: u64 = 2;
/// The first version: notes only.
const VERSION_NOTES_ONLY: u64 = 1;

/// What an analyst noted about one event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub starred: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reviewed: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Note {
    pub fn is_empty(&self) -> bool {
        *self == Note::default()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SidecarFile {
    eventline_notes: u64,
    #[serde(default)]
    notes: BTreeMap<String, Note>,
    /// Saved views, opaque here: `crate::view` reads them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    views: Vec<serde_json::Value>,
}

/// The sidecar of a dataset file.
pub fn sidecar_path(dataset: &Path) -> PathBuf {
    let mut name = dataset
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".eventline-notes.json");
    dataset.with_file_name(name)
}

/// What reading a sidecar found.
#[derive(Debug, Default)]
pub struct Opened {
    pub notes: BTreeMap<String, Note>,
    /// Saved views, as stored (see `crate::view::parse_views`).
    pub views: Vec<serde_json::Value>,
    /// Set when the sidecar was unreadable: what was wrong, and where the
    /// old file was moved.
    pub problem: Option<String>,
}

/// Read the sidecar of `dataset`, if there is one. An unreadable sidecar is
/// moved aside to `<sidecar>.bak` (or `.bak2`, … if that exists) so that the
/// next save cannot destroy it, and the reason is returned.
pub fn open(dataset: &Path) -> Opened {
    let path = sidecar_path(dataset);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Opened::default(),
        Err(e) => {
            return Opened {
                notes: BTreeMap::new(),
                views: Vec::new(),
                problem: Some(format!(
                    "{}: cannot be read: {e}; notes will not be saved over it",
                    path.display()
                )),
            };
        }
    };
    match parse_contents(&bytes) {
        Ok((notes, views)) => Opened {
            notes,
            views,
            problem: None,
        },
        Err(Unreadable::Version(version)) => Opened {
            notes: BTreeMap::new(),
            views: Vec::new(),
            problem: Some(format!(
                "{}: is notes format version {version}, this build reads {VERSION}; {}",
                path.display(),
                move_aside(&path)
            )),
        },
        Err(Unreadable::Invalid(reason)) => Opened {
            notes: BTreeMap::new(),
            views: Vec::new(),
            problem: Some(format!(
                "{}: could not be read ({reason}); {}",
                path.display(),
                move_aside(&path)
            )),
        },
    }
}

/// Why a sidecar's bytes hold no notes this build can use.
#[derive(Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// A well-formed sidecar of another format version.
    Version(u64),
    /// Not UTF-8, not JSON, or not a sidecar's shape: why.
    Invalid(String),
}

/// The notes in a sidecar's bytes (what [`open`] reads, without the file
/// handling: no path, nothing moved aside).
pub fn parse(bytes: &[u8]) -> Result<BTreeMap<String, Note>, Unreadable> {
    parse_contents(bytes).map(|(notes, _)| notes)
}

/// The notes and the saved views (as stored) in a sidecar's bytes.
pub fn parse_contents(bytes: &[u8]) -> Result<NotesAndViews, Unreadable> {
    let file: SidecarFile = std::str::from_utf8(bytes)
        .map_err(|e| format!("not UTF-8 text ({e})"))
        .and_then(|t| serde_json::from_str(t).map_err(|e| e.to_string()))
        .map_err(Unreadable::Invalid)?;
    if (VERSION_NOTES_ONLY..=VERSION).contains(&file.eventline_notes) {
        Ok((file.notes, file.views))
    } else {
        Err(Unreadable::Version(file.eventline_notes))
    }
}

/// A sidecar's notes by event id, and its saved views as stored.
pub type NotesAndViews = (BTreeMap<String, Note>, Vec<serde_json::Value>);

/// Rename a bad sidecar to a free `.bak` name; say where it went.
fn move_aside(path: &Path) -> String {
    for i in 1..1000 {
        let suffix = if i == 1 {
            ".bak".to_string()
        } else {
            format!(".bak{i}")
        };
        let mut name = path.as_os_str().to_os_string();
        name.push(&suffix);
        let target = PathBuf::from(name);
        if target.exists() {
            continue;
        }
        return match std::fs::rename(path, &target) {
            Ok(()) => format!(
                "it was kept as {} and new notes start empty",
                target.display()
            ),
            Err(e) => format!("it could not be moved aside ({e})"),
        };
    }
    "it could not be moved aside (too many .bak files)".into()
}

/// Write every non-empty note for `dataset`, atomically.
pub fn save(dataset: &Path, notes: &BTreeMap<String, Note>) -> Result<(), SaveError> {
    save_with_views(dataset, notes, &[])
}

/// Write every non-empty note and the saved views for `dataset`,
/// atomically.
pub fn save_with_views(
    dataset: &Path,
    notes: &BTreeMap<String, Note>,
    views: &[serde_json::Value],
) -> Result<(), SaveError> {
    let file = SidecarFile {
        eventline_notes: if views.is_empty() {
            VERSION_NOTES_ONLY
        } else {
            VERSION
        },
        views: views.to_vec(),
        notes: notes
            .iter()
            .filter(|(_, n)| !n.is_empty())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    };
    write_atomically(&sidecar_path(dataset), |w| {
        serde_json::to_writer_pretty(&mut *w, &file).map_err(|e| e.to_string())?;
        w.write_all(b"\n").map_err(|e| e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_empty_notes_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("d.json");
        let mut notes = BTreeMap::new();
        notes.insert(
            "a".to_string(),
            Note {
                starred: true,
                tags: vec!["ceasefire".into()],
                ..Note::default()
            },
        );
        notes.insert("b".to_string(), Note::default());
        save(&data, &notes).unwrap();
        let back = open(&data);
        assert!(back.problem.is_none());
        assert_eq!(back.notes.len(), 1);
        assert!(back.notes["a"].starred);
        assert!(sidecar_path(&data).ends_with("d.json.eventline-notes.json"));
    }

    #[test]
    fn views_are_kept_and_only_they_raise_the_version() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("d.json");
        let mut notes = BTreeMap::new();
        notes.insert(
            "a".to_string(),
            Note {
                starred: true,
                ..Note::default()
            },
        );
        save(&data, &notes).unwrap();
        let text = std::fs::read_to_string(sidecar_path(&data)).unwrap();
        assert!(text.contains("\"eventline_notes\": 1") && !text.contains("views"));
        let views = vec![serde_json::json!({"name": "Truce"})];
        save_with_views(&data, &notes, &views).unwrap();
        let text = std::fs::read_to_string(sidecar_path(&data)).unwrap();
        assert!(text.contains("\"eventline_notes\": 2"), "{text}");
        let back = open(&data);
        assert!(back.problem.is_none());
        assert_eq!(back.views, views);
        assert!(back.notes["a"].starred);
    }

    #[test]
    fn parse_tells_another_version_from_a_broken_file() {
        let notes = parse(br#"{"eventline_notes": 1, "notes": {"a": {"starred": true}}}"#);
        assert!(notes.unwrap()["a"].starred);
        let other = parse(br#"{"eventline_notes": 3, "notes": {}}"#);
        assert_eq!(other, Err(Unreadable::Version(3)));
        assert!(matches!(parse(b"\xff"), Err(Unreadable::Invalid(r)) if r.contains("UTF-8")));
    }

    #[test]
    fn a_corrupt_sidecar_is_kept_aside_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("d.json");
        std::fs::write(sidecar_path(&data), b"{ not json").unwrap();
        let opened = open(&data);
        assert!(opened.notes.is_empty());
        let msg = opened.problem.unwrap();
        assert!(
            msg.contains("could not be read") && msg.contains(".bak"),
            "{msg}"
        );
        let bak = dir.path().join("d.json.eventline-notes.json.bak");
        assert_eq!(std::fs::read(&bak).unwrap(), b"{ not json");
        assert!(!sidecar_path(&data).exists());
        // A second corrupt file does not overwrite the first backup.
        std::fs::write(sidecar_path(&data), b"\xff").unwrap();
        let again = open(&data);
        assert!(again.problem.unwrap().contains(".bak2"));
        assert_eq!(std::fs::read(&bak).unwrap(), b"{ not json");
    }
}

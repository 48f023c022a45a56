//! Why a file could not be read at all ([`LoadError`], with each JSON
//! reader's [`Refusal`] when none would take a file) or saved
//! ([`SaveError`]).

use std::path::{Path, PathBuf};

use super::format::Format;

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: cannot be read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: is {size} bytes, more than the {max} bytes Eventline will open")]
    TooLarge { path: PathBuf, size: u64, max: u64 },
    #[error("{path}: {reason}")]
    Unrecognised { path: PathBuf, reason: String },
    #[error("{path}: line {line}, column {column}: {message}")]
    Syntax {
        path: PathBuf,
        line: u64,
        column: u64,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{path}: reading was cancelled")]
    Cancelled { path: PathBuf },
    #[error("{path}: is JSON, but in no format Eventline reads (tried {}); name one with --format", Refusal::list(.tried))]
    NoFormat { path: PathBuf, tried: Vec<Refusal> },
}

impl LoadError {
    /// The reason alone, without the file's path (which the message of
    /// every variant starts with).
    pub fn reason(&self) -> String {
        match self {
            LoadError::Io { source, .. } => format!("cannot be read: {source}"),
            LoadError::TooLarge { size, max, .. } => {
                format!("is {size} bytes, more than the {max} bytes Eventline will open")
            }
            LoadError::Unrecognised { reason, .. } => reason.clone(),
            LoadError::Syntax {
                line,
                column,
                message,
                ..
            } => format!("line {line}, column {column}: {message}"),
            LoadError::Invalid { message, .. } => message.clone(),
            LoadError::Cancelled { .. } => "reading was cancelled".into(),
            LoadError::NoFormat { tried, .. } => Refusal::list(tried),
        }
    }
}

/// One reader's refusal of a file, for [`LoadError::NoFormat`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub format: Format,
    /// What the file was tried as, in words ("TimelineJS 2").
    pub as_what: String,
    pub reason: String,
}

impl Refusal {
    fn list(tried: &[Refusal]) -> String {
        tried
            .iter()
            .map(|r| format!("as {}: {}", r.as_what, r.reason))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{path}: cannot be saved: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: cannot be saved: {message}")]
    Encode { path: PathBuf, message: String },
}

/// `LoadError::Invalid` for the file at `path`.
pub fn invalid(path: &Path, message: impl Into<String>) -> LoadError {
    LoadError::Invalid {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

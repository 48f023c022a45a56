//! What the user chose when opening a file: the format, the order of day
//! and month, the column cache.

use super::dates::DateOrder;
use super::format::Format;

/// What the user chose when opening a file; `None` means "find out".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// The format, instead of detecting it (`--format`).
    pub format: Option<Format>,
    /// The order of day and month in all-number dates (`--dates
    /// dmy|mdy|ymd`), instead of deciding it from each date column.
    pub dates: Option<DateOrder>,
    /// Read large files through the user's column cache, and write an
    /// entry after parsing one ([`super::cache::ColumnCache`]); the command line
    /// sets it unless `--no-cache` is given. Off by default, so that tests
    /// and library users never touch the user's cache unasked.
    pub use_cache: bool,
}

impl LoadOptions {
    pub fn format(format: Option<Format>) -> LoadOptions {
        LoadOptions {
            format,
            ..LoadOptions::default()
        }
    }
}

//! Reading and writing dataset files. No UI here.
//!
//! Every reader returns the events it could use together with a list of
//! [`Problem`]s naming line, column and field for everything it could not,
//! or a [`LoadError`] when the file cannot be read at all.
//!
//! The rooms, bottom up (each a module; the public ones are linked):
//!
//! - **Shared leaves**, which name no format: the formats by name
//!   (`format`); problems and the capped report (`report`); why a file
//!   cannot be read or saved (`error`); what a read gives (`loaded`); the
//!   user's choices (`options`); a file's bytes, mapped or read, and the
//!   pages given back (`mapped`); text decoding, positions and shortening
//!   (`text`); names made from text (`names`); dates in tables (`dates`);
//!   what a cell's text means (`cells`); JSON messages and positions
//!   (`json`); which JSON format a file's keys say (`jsonsniff`);
//!   delimited tables and the CSV pipeline (`sheet`); the worker tables
//!   of a pipelined reader (`table_sets`); an API's JSON answer read by a
//!   format's own CSV reader (`api`); content ids ([`ids`]); parse
//!   progress and cancel ([`progress`]); atomic saves ([`atomic`]).
//! - **Formats**, one folder each under `formats/`: [`acled`], [`ucdp`]
//!   (each with its API's JSON), [`gdelt`], [`timelinejs`] (version 3's
//!   JSON, version 2, the spreadsheet), [`thetimeline`] (XML and the old
//!   text files), [`csv_generic`], [`native`], [`parquet`]. A format uses
//!   the leaves alone: no format names another.
//! - **The top**, which may name every format and which no format names:
//!   detection by name and first bytes ([`detect()`]), reading a file in
//!   its format (`load`: [`load_path`], [`load_bytes`]), the column cache
//!   ([`cache`]), the process's memory (estimates, freed pages given back:
//!   [`memory`]), the CSV export ([`export`]) and the notes sidecar
//!   ([`notes`]).
//!
//! What code outside `io` names is re-exported here, so its paths
//! (`io::Loaded`, `io::native::save`, `io::load_path`) do not depend on
//! where the code lives inside.

mod api;
pub mod atomic;
pub mod cache;
mod cells;
mod dates;
mod detect;
mod error;
pub mod export;
mod format;
mod formats;
pub mod ids;
mod json;
mod jsonsniff;
mod load;
mod loaded;
mod mapped;
pub mod memory;
mod names;
pub mod notes;
mod options;
pub mod progress;
mod report;
mod sheet;
mod table_sets;
mod text;

pub use cache::{cache_for, save_entry_to_cache, save_to_cache};
pub use dates::DateOrder;
pub use detect::detect;
pub use error::{LoadError, Refusal, SaveError};
pub use format::Format;
pub use formats::{acled, csv_generic, gdelt, native, parquet, thetimeline, timelinejs, ucdp};
pub use load::{load_bytes, load_bytes_with, load_path, load_path_and, load_path_with};
pub use loaded::Loaded;
pub use mapped::{FileBytes, MAX_FILE_BYTES, read_file};
pub use names::display_name;
pub use options::LoadOptions;
pub use report::{Problem, Severity};

//! The formats Eventline reads, by name (`--format`, messages, the cache).

use std::fmt;

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Eventline's own JSON.
    Eventline,
    /// ACLED CSV export (current 31-column layout or the legacy one), or
    /// the ACLED API's JSON.
    Acled,
    /// UCDP Georeferenced Event Dataset CSV, or a page of the UCDP API's
    /// JSON.
    Ucdp,
    /// GDELT 1.0 / 2.0 event files (tab-separated, no header).
    Gdelt,
    /// TimelineJS JSON: version 3, or version 2's `{"timeline": …}`.
    TimelineJs,
    /// TimelineJS's spreadsheet form, as CSV.
    TimelineJsSheet,
    /// The desktop program "Timeline": `.timeline` XML, or the text files
    /// of Timeline before 0.10.
    TheTimeline,
    /// Any CSV/TSV with a header row.
    Csv,
    /// The events as Parquet columns, as `convert OUT.parquet` writes them.
    Parquet,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Eventline,
        Format::Acled,
        Format::Ucdp,
        Format::Gdelt,
        Format::TimelineJs,
        Format::TimelineJsSheet,
        Format::TheTimeline,
        Format::Csv,
        Format::Parquet,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Eventline => "eventline",
            Format::Acled => "acled",
            Format::Ucdp => "ucdp",
            Format::Gdelt => "gdelt",
            Format::TimelineJs => "timelinejs",
            Format::TimelineJsSheet => "timelinejs-sheet",
            Format::TheTimeline => "timeline",
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }

    pub fn parse_name(name: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name.trim()))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

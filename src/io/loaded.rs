//! What reading a file gives: its dataset, its format and the problems
//! found ([`Loaded`]), with a one-line summary.

use std::path::{Path, PathBuf};

use super::format::Format;
use super::names::display_name;
use super::report::{self, Problem};
use crate::table::Dataset;

/// A file read, perhaps with problems.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub path: PathBuf,
    pub format: Format,
    pub dataset: Dataset,
    /// The first [`report::MAX_PROBLEMS`] problems, then (when there were
    /// more) one closing line that counts the rest.
    pub problems: Vec<Problem>,
    /// Problems found but not listed in `problems`.
    pub problems_omitted: usize,
    /// Records that could not be used and were left out.
    pub skipped: usize,
}

impl Loaded {
    /// What reading `path` gave: the dataset takes the file's name as its
    /// source, and as its title when it has none of its own. A list of
    /// more than [`report::MAX_PROBLEMS`] problems is cut to that many and
    /// closed with a count of the rest.
    pub fn of_file(
        path: &Path,
        format: Format,
        dataset: Dataset,
        mut problems: Vec<Problem>,
        skipped: usize,
    ) -> Loaded {
        let omitted = report::bound(&mut problems);
        Loaded::new(path, format, dataset, problems, omitted, skipped)
    }

    /// What reading `path` gave, with the problems of a shared
    /// [`report::Report`].
    pub fn of_report(
        path: &Path,
        format: Format,
        dataset: Dataset,
        report: report::Report,
    ) -> Loaded {
        let f = report.finish();
        Loaded::new(path, format, dataset, f.problems, f.omitted, f.skipped)
    }

    fn new(
        path: &Path,
        format: Format,
        mut dataset: Dataset,
        problems: Vec<Problem>,
        problems_omitted: usize,
        skipped: usize,
    ) -> Loaded {
        let file = display_name(path);
        if dataset.title.is_empty() {
            dataset.title = file.clone();
        }
        dataset.source = Some(file);
        Loaded {
            path: path.to_path_buf(),
            format,
            dataset,
            problems,
            problems_omitted,
            skipped,
        }
    }

    /// Every problem found, listed or not.
    pub fn problem_count(&self) -> usize {
        let closing = usize::from(self.problems_omitted > 0);
        self.problems.len() - closing.min(self.problems.len()) + self.problems_omitted
    }

    /// One line for stderr or a status bar: `acled.csv (acled): 1204
    /// events, 3 records skipped, 1502 problems (the first 1000 listed)`.
    pub fn summary(&self) -> String {
        let file = display_name(&self.path);
        let events = self.dataset.events.len();
        let mut out = format!(
            "{file} ({}): {events} event{}",
            self.format,
            if events == 1 { "" } else { "s" }
        );
        if self.skipped > 0 {
            out.push_str(&format!(
                ", {} record{} skipped",
                self.skipped,
                if self.skipped == 1 { "" } else { "s" }
            ));
        }
        let problems = self.problem_count();
        match problems {
            0 => out.push_str(", no problems"),
            1 => out.push_str(", 1 problem"),
            n => out.push_str(&format!(", {n} problems")),
        }
        if self.problems_omitted > 0 {
            out.push_str(&format!(
                " (the first {} listed)",
                problems - self.problems_omitted
            ));
        }
        out
    }
}

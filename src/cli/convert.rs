//! `eventline convert IN OUT`: read any file Eventline reads and write it
//! as Eventline's own format (`OUT.json`), as CSV (`OUT.csv`, the export's
//! columns) or as Parquet (`OUT.parquet`, every field as columns). The output is written atomically: a failed write
//! leaves whatever was at OUT as it was.

use std::path::{Path, PathBuf};

use crate::io::{self, LoadError, Loaded, SaveError};

/// What `convert` writes, chosen by the output's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// `.json`: Eventline's format ([`io::native`]).
    Native,
    /// `.csv`: every field as columns ([`io::export`]).
    Csv,
    /// `.parquet`: every field as Parquet columns ([`io::parquet`]).
    Parquet,
}

impl Output {
    /// The kind of file `path` names, by its extension.
    pub fn of_path(path: &Path) -> Option<Output> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Output::Native),
            "csv" => Some(Output::Csv),
            "parquet" => Some(Output::Parquet),
            _ => None,
        }
    }
}

/// How to read the input: the same choices `inspect` and the viewer take
/// (`--format`, `--dates`).
pub type Options = io::LoadOptions;

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error(
        "{path}: Eventline writes only its own format (name the output .json), CSV (.csv) or Parquet (.parquet)"
    )]
    UnknownOutput { path: PathBuf },
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Save(#[from] SaveError),
}

/// What was read and written.
#[derive(Debug)]
pub struct Converted {
    /// The input as read, with its problems and skipped records.
    pub loaded: Loaded,
    pub output: Output,
}

/// Read `input` and write it to `output`.
pub fn convert(input: &Path, output: &Path, options: &Options) -> Result<Converted, ConvertError> {
    // Refuse a bad output name before the (perhaps long) read.
    let kind = Output::of_path(output).ok_or_else(|| ConvertError::UnknownOutput {
        path: output.to_path_buf(),
    })?;
    let loaded = io::load_path_with(input, options)?;
    match kind {
        Output::Native => io::native::save(output, &loaded.dataset)?,
        Output::Csv => io::export::export_csv(output, loaded.dataset.events.iter())?,
        Output::Parquet => io::parquet::save(output, &loaded.dataset)?,
    }
    Ok(Converted {
        loaded,
        output: kind,
    })
}

/// The lines `convert` (and any command that reads a file for a script)
/// prints on stderr about a file read with problems: up to `max` problems,
/// then a one-line summary. Empty when there were none.
pub fn problem_lines(file: &str, loaded: &Loaded, max: usize) -> Vec<String> {
    let n = loaded.problems.len();
    if n == 0 && loaded.skipped == 0 {
        return Vec::new();
    }
    let mut out: Vec<String> = loaded
        .problems
        .iter()
        .take(max)
        .map(|p| format!("{file}: {p}"))
        .collect();
    if n > max {
        out.push(format!(
            "{file}: … and {} more problems (`eventline inspect` lists them)",
            n - max
        ));
    }
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    out.push(format!(
        "{file}: read {} as {} with {}; {} skipped",
        plural(loaded.dataset.events.len(), "event", "events"),
        loaded.format,
        plural(n, "problem", "problems"),
        plural(loaded.skipped, "record", "records"),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_output_kind_follows_the_extension() {
        assert_eq!(Output::of_path(Path::new("a/b.JSON")), Some(Output::Native));
        assert_eq!(Output::of_path(Path::new("b.csv")), Some(Output::Csv));
        assert_eq!(
            Output::of_path(Path::new("b.Parquet")),
            Some(Output::Parquet)
        );
        assert_eq!(Output::of_path(Path::new("b.xlsx")), None);
        assert_eq!(Output::of_path(Path::new("b")), None);
    }

    #[test]
    fn a_bad_output_name_is_refused_before_reading() {
        let err = convert(
            Path::new("/no/such/input.json"),
            Path::new("out.txt"),
            &Options::default(),
        )
        .unwrap_err();
        assert!(matches!(err, ConvertError::UnknownOutput { .. }), "{err}");
        assert!(err.to_string().contains(".csv"), "{err}");
        assert!(err.to_string().contains(".parquet"), "{err}");
    }

    #[test]
    fn problems_are_summed_up_in_one_line() {
        let text =
            "{\"eventline\": 1, \"events\": [{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\"}]}";
        let loaded = io::load_bytes(Path::new("x.json"), text.as_bytes(), None).unwrap();
        let lines = problem_lines("x.json", &loaded, 2);
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert!(lines[2].contains("1 more"), "{lines:?}");
        assert!(
            lines[3].contains("read 0 events as eventline with 3 problems; 3 records skipped"),
            "{lines:?}"
        );
        let clean = crate::default_dataset().unwrap();
        assert!(problem_lines("d.json", &clean, 2).is_empty());
    }
}

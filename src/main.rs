//! The `eventline` binary: parse the command line, then open the window or
//! run a headless command.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Loading builds millions of small strings; glibc's allocator spent ~40 %
// of an ACLED import in malloc/free bookkeeping, mimalloc far less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use eventline::io::{self, DateOrder, Format, LoadOptions};

#[derive(Parser)]
#[command(
    name = "eventline",
    version,
    about = "A fast desktop viewer for timelines of conflict and diplomacy.",
    long_about = "A fast desktop viewer for timelines of conflict and diplomacy.\n\n\
        With no FILE, opens the embedded Nagorno-Karabakh dataset (RFE/RL, 5 August 2022).",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    /// Dataset files to open in the viewer.
    files: Vec<PathBuf>,

    /// Read the files as this format instead of detecting it.
    #[arg(long, value_parser = parse_format, global = true)]
    format: Option<Format>,

    /// How to read all-number dates such as 8/3/2022: dmy (day first), mdy
    /// (month first, as US spreadsheets write them) or ymd. Without it, each
    /// date column decides from its own values, and a column that cannot
    /// decide is read day-first with a warning.
    #[arg(long, value_parser = parse_dates, global = true)]
    dates: Option<DateOrder>,

    /// Open the saved view of this name (saved with Ctrl+B in the window;
    /// kept in the dataset's notes file).
    #[arg(long, value_name = "NAME")]
    view: Option<String>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Read FILE and print a one-object JSON summary (events, kinds, date
    /// range, skipped records, problems with line/column/field) to stdout.
    /// Exit status 0 when the file was read, even with problems; 1 when it
    /// could not be read at all, with the reason on stderr.
    Inspect {
        /// The dataset file to read.
        file: PathBuf,
    },
    /// Read IN (any format Eventline reads) and write OUT: Eventline's own
    /// format when OUT ends in .json, CSV with every field when it ends in
    /// .csv. OUT is written atomically. Problems met while reading are
    /// listed on stderr with a one-line summary. Exit status 0 when IN was
    /// read and OUT written, even with problems; 1 when IN could not be
    /// read or OUT not written, with the reason in one line on stderr.
    Convert {
        /// The file to read.
        input: PathBuf,
        /// The file to write: NAME.json or NAME.csv.
        output: PathBuf,
    },
}

fn parse_format(name: &str) -> Result<Format, String> {
    Format::parse_name(name).ok_or_else(|| {
        format!(
            "unknown format `{name}`; known formats: {}",
            Format::ALL.map(|f| f.name()).join(", ")
        )
    })
}

fn parse_dates(name: &str) -> Result<DateOrder, String> {
    DateOrder::parse_name(name).ok_or_else(|| {
        format!(
            "unknown date order `{name}`; use one of: {}",
            DateOrder::ALL.map(|o| o.name()).join(", ")
        )
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let options = LoadOptions {
        format: cli.format,
        dates: cli.dates,
    };
    match cli.command {
        Some(Command::Inspect { file }) => inspect(&file, &options),
        Some(Command::Convert { input, output }) => convert(&input, &output, &options),
        None => match eventline::ui::run(cli.files, options, cli.view) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("eventline: cannot open a window: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

fn inspect(file: &std::path::Path, options: &LoadOptions) -> ExitCode {
    match io::load_path_with(file, options) {
        Ok(loaded) => {
            let report = eventline::inspect::report(&file.display().to_string(), loaded);
            match serde_json::to_string_pretty(&report) {
                Ok(text) => {
                    use std::io::Write;
                    // A closed pipe (`| head`) is the reader's choice, not
                    // an error worth a panic.
                    let _ = writeln!(std::io::stdout().lock(), "{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("eventline: cannot write the report: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            eprintln!("eventline: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Problems listed on stderr before the summary line.
const PROBLEMS_SHOWN: usize = 20;

fn convert(input: &std::path::Path, output: &std::path::Path, options: &LoadOptions) -> ExitCode {
    match eventline::convert::convert(input, output, options) {
        Ok(done) => {
            let file = input.display().to_string();
            for line in eventline::convert::problem_lines(&file, &done.loaded, PROBLEMS_SHOWN) {
                eprintln!("eventline: {line}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("eventline: {e}");
            ExitCode::FAILURE
        }
    }
}

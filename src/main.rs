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

    /// Open (or, with `render`, draw) the saved view of this name (saved
    /// with Ctrl+B in the window; kept in the dataset's notes file).
    #[arg(long, value_name = "NAME", global = true)]
    view: Option<String>,

    /// Neither read nor write the column cache (by default a large file's
    /// columns are kept in ~/.cache/eventline/columns, or
    /// $EVENTLINE_CACHE_DIR, so that opening it again skips the parse).
    #[arg(long, global = true)]
    no_cache: bool,

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
    /// .csv, Parquet columns when it ends in .parquet. OUT is written
    /// atomically. Problems met while reading are
    /// listed on stderr with a one-line summary. Exit status 0 when IN was
    /// read and OUT written, even with problems; 1 when IN could not be
    /// read or OUT not written, with the reason in one line on stderr.
    Convert {
        /// The file to read.
        input: PathBuf,
        /// The file to write: NAME.json, NAME.csv or NAME.parquet.
        output: PathBuf,
    },
    /// Draw a view of FILE as SVG, PNG or PDF (by the extension of --out),
    /// without a window or GPU: title, date range, axis, lanes, legend of
    /// the kinds shown, numbered source notes for the labelled events and a
    /// footer. The file is written atomically. Exit status 0 when written;
    /// 1 with the reason in one line on stderr.
    Render(RenderArgs),
}

#[derive(clap::Args)]
struct RenderArgs {
    /// The dataset file to draw.
    file: PathBuf,
    /// The picture to write: NAME.svg, NAME.png or NAME.pdf.
    #[arg(long, short)]
    out: PathBuf,
    /// Start of the range ("2022-07", "2022-08-05"); default: the data.
    #[arg(long)]
    from: Option<String>,
    /// End of the range, inclusive ("2022-08" ends on 31 August).
    #[arg(long)]
    to: Option<String>,
    /// Lanes by kind, actor, country, file, or none (default: the saved
    /// view's, else kind).
    #[arg(long, value_parser = parse_lanes)]
    lanes: Option<eventline::store::LaneGrouping>,
    /// Mark the events matching this search (as the search box does).
    #[arg(long, default_value = "")]
    search: String,
    /// Width of the view in pixels (default 1600; for a PDF, the page's
    /// width: a wider view runs over several pages, one slice each).
    #[arg(long)]
    width: Option<f32>,
    /// PNG only: pixels per view pixel.
    #[arg(long, default_value_t = 1.0)]
    scale: f32,
    /// PDF only: a4, a3 or letter.
    #[arg(long, default_value = "a4", value_parser = parse_page)]
    page: eventline::render::PageSize,
    /// PDF only: landscape pages (the default).
    #[arg(long, conflicts_with = "portrait")]
    landscape: bool,
    /// PDF only: portrait pages.
    #[arg(long)]
    portrait: bool,
    /// light or dark.
    #[arg(long, default_value = "light", value_parser = parse_theme)]
    theme: eventline::render::Theme,
}

fn parse_lanes(name: &str) -> Result<eventline::store::LaneGrouping, String> {
    use eventline::store::LaneGrouping;
    match name.to_ascii_lowercase().as_str() {
        "kind" => Ok(LaneGrouping::Kind),
        "actor" => Ok(LaneGrouping::Actor),
        "country" => Ok(LaneGrouping::Country),
        "file" => Ok(LaneGrouping::SourceFile),
        "none" => Ok(LaneGrouping::None),
        _ => Err(format!(
            "unknown lanes `{name}`; use one of: kind, actor, country, file, none"
        )),
    }
}

fn parse_page(name: &str) -> Result<eventline::render::PageSize, String> {
    eventline::render::PageSize::parse_name(name)
        .ok_or_else(|| format!("unknown page size `{name}`; use one of: a4, a3, letter"))
}

fn parse_theme(name: &str) -> Result<eventline::render::Theme, String> {
    eventline::render::Theme::parse_name(name)
        .ok_or_else(|| format!("unknown theme `{name}`; use light or dark"))
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
    io::memory::no_transparent_huge_pages();
    let cli = Cli::parse();
    let options = LoadOptions {
        format: cli.format,
        dates: cli.dates,
        use_cache: !cli.no_cache,
    };
    match cli.command {
        Some(Command::Inspect { file }) => inspect(&file, &options),
        Some(Command::Convert { input, output }) => convert(&input, &output, &options),
        Some(Command::Render(args)) => render(args, &options, cli.view),
        None => {
            // The window lives long and holds its dataset: freed memory goes
            // back at once (commands that exit soon keep mimalloc's faster
            // default).
            io::memory::purge_freed_at_once();
            match eventline::ui::run(cli.files, options, cli.view) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("eventline: cannot open a window: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn inspect(file: &std::path::Path, options: &LoadOptions) -> ExitCode {
    let name = file.display().to_string();
    // The summary is counted while the cache entry is written.
    match io::load_path_and(file, options, |loaded| {
        eventline::cli::inspect::report(&name, loaded)
    }) {
        Ok(report) => {
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
    match eventline::cli::convert::convert(input, output, options) {
        Ok(done) => {
            let file = input.display().to_string();
            for line in eventline::cli::convert::problem_lines(&file, &done.loaded, PROBLEMS_SHOWN)
            {
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

fn render(args: RenderArgs, options: &LoadOptions, view: Option<String>) -> ExitCode {
    use eventline::cli::render::Request;
    let request = Request {
        from: args.from,
        to: args.to,
        lanes: args.lanes,
        search: args.search,
        width: args.width,
        scale: args.scale,
        page: args.page,
        // Landscape unless asked otherwise (clap refuses both at once).
        landscape: args.landscape || !args.portrait,
        theme: args.theme,
        view,
        ..Request::new(args.file, args.out)
    };
    match request.run(options) {
        Ok(done) => {
            let pages = if done.pages > 1 {
                format!(", {} pages", done.pages)
            } else {
                String::new()
            };
            eprintln!(
                "eventline: wrote {} ({}, {} bytes{pages})",
                request.output.display(),
                done.format.label(),
                done.bytes
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("eventline: {e}");
            ExitCode::FAILURE
        }
    }
}

//! Write a synthetic ACLED export in ACLED's own layout (the export tool's
//! `03 August 2022` dates, its 31 columns, a note of ~150 characters per
//! row), for measuring imports as analysts' files are:
//!
//! `cargo run --release --features examples --example gen_acled -- --rows 250000 --out acled.csv`
//!
//! The events are the synthetic generator's (not real events).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

#[derive(Parser)]
#[command(about = "Write a deterministic synthetic ACLED-layout CSV (not real events).")]
struct Args {
    /// Number of rows.
    #[arg(long, default_value_t = 250_000)]
    rows: usize,
    /// Seed: the same seed and size give the same file.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write the file.
    #[arg(long)]
    out: PathBuf,
}

fn write(args: &Args) -> std::io::Result<u64> {
    let dataset = eventline::synth::generate(args.rows, args.seed, false);
    let file = std::fs::File::create(&args.out)?;
    let mut out = std::io::BufWriter::new(file);
    eventline::synth::write_acled_csv(&dataset, "%d %B %Y", &mut out)?;
    out.flush()?;
    Ok(std::fs::metadata(&args.out)?.len())
}

fn main() -> ExitCode {
    let args = Args::parse();
    match write(&args) {
        Ok(bytes) => {
            eprintln!(
                "wrote {} rows ({:.0} MB) to {}",
                args.rows,
                bytes as f64 / 1e6,
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_acled: cannot write {}: {e}", args.out.display());
            ExitCode::FAILURE
        }
    }
}

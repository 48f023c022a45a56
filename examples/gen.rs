//! Write a synthetic dataset in the native format:
//!
//! `cargo run --release --features examples --example gen -- --events 1000000 --seed 1 --out big.json`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

#[derive(Parser)]
#[command(about = "Write a deterministic synthetic Eventline dataset (not real events).")]
struct Args {
    /// Number of events.
    #[arg(long, default_value_t = 100_000)]
    events: usize,
    /// Seed: the same seed and size give the same file.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Leave out descriptions, places and sources (smaller files).
    #[arg(long)]
    lean: bool,
    /// Where to write the dataset.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let started = std::time::Instant::now();
    let dataset = eventline::synth::generate(args.events, args.seed, args.lean);
    match eventline::io::native::save(&args.out, &dataset) {
        Ok(()) => {
            eprintln!(
                "wrote {} events to {} in {:.1} s",
                dataset.events.len(),
                args.out.display(),
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen: {e}");
            ExitCode::FAILURE
        }
    }
}

//! How long a parse goes on after Cancel: parse FILE on a thread as the
//! window's loader does, cancel once it has made some events, and time
//! until the parse has stopped.
//!
//! `cargo run --release --features examples --example cancel_latency -- FILE [--after EVENTS]`

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use eventline::io::progress::{self, ParseProgress};

#[derive(Parser)]
#[command(about = "Time from Cancel to the end of a parse.")]
struct Args {
    /// The dataset file to parse.
    file: PathBuf,
    /// Cancel once this many events are made.
    #[arg(long, default_value_t = 100_000)]
    after: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}: {e}", args.file.display());
            return ExitCode::FAILURE;
        }
    };
    let bytes: &'static [u8] = bytes.leak();
    let p = Arc::new(ParseProgress::default());
    let worker = {
        let p = p.clone();
        let path = args.file.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            let r = progress::with(&p, || eventline::io::load_bytes(&path, bytes, None));
            (r.map(|l| l.dataset.events.len()), started.elapsed())
        })
    };
    let started = Instant::now();
    while p.events() < args.after && !worker.is_finished() {
        std::thread::sleep(Duration::from_millis(1));
    }
    let at = p.events();
    let cancelled = Instant::now();
    p.cancel();
    let Ok((result, total)) = worker.join() else {
        eprintln!("the parse panicked");
        return ExitCode::FAILURE;
    };
    let stopped = cancelled.elapsed();
    println!(
        "{}: cancelled at {at} events, {:.2} s into the parse; stopped {:.0} ms later \
         (parse thread ran {:.2} s; outcome: {})",
        args.file.display(),
        (cancelled - started).as_secs_f64(),
        stopped.as_secs_f64() * 1000.0,
        total.as_secs_f64(),
        match result {
            Ok(n) => format!("{n} events kept"),
            Err(e) => e.to_string(),
        }
    );
    ExitCode::SUCCESS
}

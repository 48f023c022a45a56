//! Load throughput: a 1M-row ACLED-layout CSV, and the native format with
//! 1M events (parse + index into the store). Memory per event is printed.

use std::path::Path;

// The same allocator as the `eventline` binary, so figures match the app.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use eventline::io::{self, Format};
use eventline::store::Store;

const ROWS: usize = 1_000_000;

/// Resident memory of this process in bytes (Linux), for memory per event.
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// A 1M-row file in ACLED's current 31-column layout (ISO days, as the
/// API writes them), built from the synthetic generator's events.
fn acled_csv(rows: usize) -> Vec<u8> {
    let d = eventline::synth::generate(rows, 3, false);
    let mut out = Vec::with_capacity(rows * 420);
    eventline::synth::write_acled_csv(&d, "%Y-%m-%d", &mut out).unwrap();
    out
}

fn import(c: &mut Criterion) {
    let mut group = c.benchmark_group("import");
    group.sample_size(10);

    let csv = acled_csv(ROWS);
    eprintln!("ACLED CSV: {ROWS} rows, {:.1} MB", csv.len() as f64 / 1e6);
    let before = resident_bytes();
    let loaded = io::load_bytes(Path::new("acled.csv"), &csv, Some(Format::Acled)).unwrap();
    assert_eq!(
        loaded.dataset.events.len(),
        ROWS,
        "{:?}",
        loaded.problems.first()
    );
    let store = Store::build(loaded.dataset);
    if let (Some(a), Some(b)) = (before, resident_bytes()) {
        eprintln!(
            "memory after import and indexing: {:.0} bytes per event",
            b.saturating_sub(a) as f64 / ROWS as f64
        );
    }
    drop(store);
    group.throughput(Throughput::Bytes(csv.len() as u64));
    group.bench_function("acled-csv-1M-rows", |b| {
        // The result is dropped outside the timing: freeing a million
        // events is not part of opening a file.
        b.iter_with_large_drop(|| {
            io::load_bytes(Path::new("acled.csv"), &csv, Some(Format::Acled)).unwrap()
        })
    });
    drop(csv);

    let dataset = eventline::synth::generate(ROWS, 4, false);
    let mut native = Vec::new();
    io::native::write_to(&dataset, &mut native).unwrap();
    drop(dataset);
    eprintln!("native: {ROWS} events, {:.1} MB", native.len() as f64 / 1e6);
    group.throughput(Throughput::Bytes(native.len() as u64));
    group.bench_function("native-1M-events-read-and-index", |b| {
        b.iter_with_large_drop(|| {
            let loaded = io::native::read(Path::new("big.json"), &native).unwrap();
            Store::build(loaded.dataset)
        })
    });
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);

//! Load throughput: a 1M-row ACLED-layout CSV, and the native format with
//! 1M events (parse + index into the store). Memory per event is printed.

use std::io::Write;
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

/// A 1M-row file in ACLED's current 31-column layout, built from the
/// synthetic generator's events.
fn acled_csv(rows: usize) -> Vec<u8> {
    let d = eventline::synth::generate(rows, 3, false);
    let mut out = Vec::with_capacity(rows * 420);
    writeln!(
        out,
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
    )
    .unwrap();
    let types = [
        ("Political violence", "Battles", "Armed clash"),
        (
            "Political violence",
            "Explosions/Remote violence",
            "Shelling/artillery/missile attack",
        ),
        (
            "Strategic developments",
            "Strategic developments",
            "Agreement",
        ),
        ("Demonstrations", "Protests", "Peaceful protest"),
    ];
    for (i, e) in d.events.iter().enumerate() {
        let (disorder, event_type, sub) = types[i % types.len()];
        let date = eventline::model::date::from_instant(e.when.start.earliest)
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let year = &date[..4.min(date.len())];
        let actor = |k: usize| e.actors.get(k).map_or("", |a| a.name.as_str());
        let place = e.place.as_ref();
        writeln!(
            out,
            "AZE{i},{date},{year},{},{disorder},{event_type},{sub},{},,State forces,{},,State forces,State forces-State forces,,31,Caucasus and Central Asia,Azerbaijan,{},,,{},{},{},1,Trend News Agency; APA,National,\"{}\",{},,1660000000",
            1 + i % 3,
            actor(0),
            actor(1),
            place.map_or("", |p| p.name.as_str()),
            place.map_or("", |p| p.name.as_str()),
            place.and_then(|p| p.lat).unwrap_or(40.0),
            place.and_then(|p| p.lon).unwrap_or(47.0),
            e.title.replace('"', "'"),
            e.casualties.as_ref().and_then(|c| c.best).unwrap_or(0),
        )
        .unwrap();
    }
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

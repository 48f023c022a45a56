//! Write a synthetic ACLED export in ACLED's own layout (the export tool's
//! `03 August 2022` dates, its 31 columns, a note of ~150 characters per
//! row), for measuring imports as analysts' files are:
//!
//! `cargo run --release --example gen_acled -- --rows 250000 --out acled.csv`
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

const HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

const TYPES: [(&str, &str, &str); 4] = [
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

fn write(args: &Args) -> std::io::Result<u64> {
    let dataset = eventline::synth::generate(args.rows, args.seed, false);
    let file = std::fs::File::create(&args.out)?;
    let mut out = std::io::BufWriter::new(file);
    writeln!(out, "{HEADER}")?;
    for (i, e) in dataset.events.iter().enumerate() {
        let (disorder, event_type, sub) = TYPES[i % TYPES.len()];
        let day = eventline::model::date::from_instant(e.when.start.earliest);
        let date = day
            .map(|d| d.format("%d %B %Y").to_string())
            .unwrap_or_default();
        let year = day.map(|d| d.format("%Y").to_string()).unwrap_or_default();
        let timestamp = e.when.start.earliest + 86_400 * (3 + (i as i64 % 40));
        let actor = |k: usize| e.actors.get(k).map_or("", |a| a.name.as_str());
        let place = e.place.as_ref();
        let mut notes = format!("On {date}, {}. {}", e.title, e.description);
        notes.truncate(notes.floor_char_boundary(150));
        writeln!(
            out,
            "AZE{i},{date},{year},{},{disorder},{event_type},{sub},{},,State forces,{},,State forces,State forces-State forces,,31,Caucasus and Central Asia,Azerbaijan,{},,,{},{},{},1,Trend News Agency; APA,National,\"{}\",{},,{timestamp}",
            1 + i % 3,
            actor(0),
            actor(1),
            place.map_or("", |p| p.name.as_str()),
            place.map_or("", |p| p.name.as_str()),
            place.and_then(|p| p.lat).unwrap_or(40.0),
            place.and_then(|p| p.lon).unwrap_or(47.0),
            notes.replace('"', "'"),
            e.casualties.as_ref().and_then(|c| c.best).unwrap_or(0),
        )?;
    }
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

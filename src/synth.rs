//! Deterministic synthetic datasets for benchmarks and for trying the viewer
//! at scale: many actors in twenty countries, every kind, spans, mixed
//! precision, events clustered in flare-ups as real conflict data is.
//!
//! The same `(events, seed)` always gives the same dataset.

use chrono::Datelike;

use crate::model::date::{DAY, from_instant};
use crate::model::{Actor, Casualties, Event, FuzzyDate, Place, Precision, Role, Source, When};
use crate::table::Dataset;

/// SplitMix64: tiny, fast, and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

pub const COUNTRIES: [&str; 20] = [
    "Armenia",
    "Azerbaijan",
    "Russia",
    "Turkey",
    "Iran",
    "Georgia",
    "France",
    "United States",
    "European Union",
    "Nagorno-Karabakh",
    "Ukraine",
    "Belarus",
    "Kazakhstan",
    "Israel",
    "Pakistan",
    "India",
    "China",
    "Germany",
    "United Kingdom",
    "Syria",
];

const OFFICES: [&str; 8] = [
    "armed forces",
    "Ministry of Defence",
    "Foreign Ministry",
    "President",
    "Prime Minister",
    "border guards",
    "Security Council",
    "parliament",
];

const PLACES: [(&str, f64, f64); 10] = [
    ("Stepanakert", 39.815, 46.752),
    ("Shusha", 39.758, 46.749),
    ("Lachin corridor", 39.63, 46.55),
    ("Tavush", 40.92, 45.12),
    ("Sotk", 40.21, 45.93),
    ("Kalbajar", 40.10, 46.04),
    ("Yerevan", 40.18, 44.51),
    ("Baku", 40.41, 49.87),
    ("Gyumri", 40.79, 43.85),
    ("Aghdam", 39.99, 46.93),
];

const KINDS: [(&str, &str, u64); 10] = [
    // kind, title verb, weight
    ("clash", "Clash between", 30),
    ("strike", "Artillery strike by", 14),
    ("statement", "Statement by", 18),
    ("call", "Phone call between", 8),
    ("meeting", "Meeting of", 7),
    ("truce", "Ceasefire agreed by", 3),
    ("agreement", "Agreement signed by", 3),
    ("deployment", "Deployment by", 6),
    ("territorial", "Territory changes hands between", 3),
    ("other", "Report on", 8),
];

/// First and last day of the generated period: 1990 to 2025.
fn period() -> (i64, i64) {
    let start = FuzzyDate::day(1990, 1, 1).map_or(631_152_000, |d| d.earliest);
    let end = FuzzyDate::day(2025, 12, 31).map_or(1_767_139_200, |d| d.earliest);
    (start, end)
}

fn precise(t: i64, p: Precision) -> FuzzyDate {
    let dt = from_instant(t).unwrap_or_default();
    let text = match p {
        Precision::Year => dt.format("%Y").to_string(),
        Precision::Month => dt.format("%Y-%m").to_string(),
        Precision::Week => {
            let iso = dt.date().iso_week();
            format!("{:04}-W{:02}", iso.year(), iso.week())
        }
        Precision::Day => dt.format("%Y-%m-%d").to_string(),
        Precision::Hour => dt.format("%Y-%m-%dT%H").to_string(),
        Precision::Minute => dt.format("%Y-%m-%dT%H:%M").to_string(),
        Precision::Second => dt.format("%Y-%m-%dT%H:%M:%S").to_string(),
    };
    FuzzyDate::parse(&text).unwrap_or_else(|_| FuzzyDate::at(dt, Precision::Day))
}

/// Generate `n` events from `seed`. `lean` leaves out descriptions and
/// sources, for benchmarks that hold ten million events in memory.
pub fn generate(n: usize, seed: u64, lean: bool) -> Dataset {
    let mut rng = Rng(seed ^ 0x5EED);
    let (p0, p1) = period();
    // Flare-ups: a few hundred bursts of activity over the period.
    let bursts: Vec<(i64, i64)> = (0..400)
        .map(|_| {
            let centre = p0 + rng.below((p1 - p0) as u64) as i64;
            let width = (3 + rng.below(60)) as i64 * DAY;
            (centre, width)
        })
        .collect();
    let total_weight: u64 = KINDS.iter().map(|k| k.2).sum();
    let mut events = crate::table::EventTable::new();
    for i in 0..n {
        let t = if rng.chance(0.7) {
            let (c, w) = *rng.pick(&bursts);
            (c + rng.below(2 * w as u64) as i64 - w).clamp(p0, p1)
        } else {
            p0 + rng.below((p1 - p0) as u64) as i64
        };
        let mut roll = rng.below(total_weight);
        let (kind, verb, _) = *KINDS
            .iter()
            .find(|k| {
                if roll < k.2 {
                    true
                } else {
                    roll -= k.2;
                    false
                }
            })
            .unwrap_or(&KINDS[0]);
        let precision = match rng.below(100) {
            0..=79 => Precision::Day,
            80..=87 => Precision::Week,
            88..=92 => Precision::Month,
            93..=94 => Precision::Year,
            95..=97 => Precision::Hour,
            _ => Precision::Minute,
        };
        let mut start = precise(t, precision);
        if rng.chance(0.05) {
            start.approximate = true;
        }
        if rng.chance(0.02) {
            start.uncertain = true;
        }
        let end = (rng.chance(0.04)).then(|| {
            let len = (1 + rng.below(120)) as i64 * DAY;
            precise(start.latest + len, Precision::Day)
        });
        let a = *rng.pick(&COUNTRIES);
        let b = *rng.pick(&COUNTRIES);
        let mut actors = vec![Actor {
            name: format!("{a} {}", rng.pick(&OFFICES)),
            role: Role::SideA,
            affiliation: None,
            country: Some(a.to_string()),
        }];
        if rng.chance(0.6) {
            actors.push(Actor {
                name: format!("{b} {}", rng.pick(&OFFICES)),
                role: Role::SideB,
                affiliation: None,
                country: Some(b.to_string()),
            });
        }
        let names: Vec<&str> = actors.iter().map(|x| x.name.as_str()).collect();
        let title = format!("{verb} {}", names.join(" and "));
        let mut e = Event::new(
            format!("syn-{seed}-{i}"),
            title,
            kind,
            When {
                start,
                end,
                note: None,
            },
        );
        if matches!(kind, "clash" | "strike") && rng.chance(0.5) {
            let best = rng.below(12);
            e.casualties = Some(Casualties {
                low: Some(best / 2),
                best: Some(best),
                high: Some(best + rng.below(5)),
            });
        }
        if !lean {
            let (place, lat, lon) = *rng.pick(&PLACES);
            e.place = Some(Place {
                name: place.to_string(),
                country: Some(
                    if rng.chance(0.5) {
                        "Armenia"
                    } else {
                        "Azerbaijan"
                    }
                    .to_string(),
                ),
                lat: Some(lat),
                lon: Some(lon),
                ..Place::default()
            });
            e.description =
                format!("Synthetic event {i} (seed {seed}) for testing Eventline at scale.");
            e.sources.push(Source {
                publisher: Some("Synthetic".into()),
                title: Some(format!("Generated record {i}")),
                ..Source::default()
            });
        }
        e.actors = actors;
        events.push(&e);
    }
    Dataset {
        title: format!("Synthetic dataset: {n} events, seed {seed}"),
        description: "Generated by `eventline`'s synthetic data generator; not real events.".into(),
        events,
        ..Dataset::default()
    }
}

/// The header of ACLED's current 31-column export.
const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

const ACLED_TYPES: [(&str, &str, &str); 4] = [
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

/// Write `dataset` as an export in ACLED's current 31-column layout, its
/// days written with `date_format` (`"%d %B %Y"` as ACLED's export tool
/// does, `"%Y-%m-%d"` as its API), each note cut to ~150 characters:
/// realistic input for measuring imports (the events are synthetic).
pub fn write_acled_csv(
    dataset: &Dataset,
    date_format: &str,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    writeln!(out, "{ACLED_HEADER}")?;
    for (i, e) in dataset.events.iter().enumerate() {
        let (disorder, event_type, sub) = ACLED_TYPES[i % ACLED_TYPES.len()];
        let day = from_instant(e.when.start.earliest);
        let date = day
            .map(|d| d.format(date_format).to_string())
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{LaneGrouping, LaneSet, Store};

    #[test]
    fn deterministic_and_varied() {
        let a = generate(2000, 7, false);
        let b = generate(2000, 7, false);
        assert_eq!(a.events, b.events);
        let c = generate(2000, 8, false);
        assert_ne!(a.events, c.events);
        let store = Store::build(a);
        assert!(store.kind_counts().iter().filter(|&&n| n > 0).count() >= 10);
        assert!(store.is_span.iter().any(|&s| s));
        assert!(
            store
                .events()
                .any(|e| e.when.start.precision == Precision::Week)
        );
        let lanes = LaneSet::build(&store, LaneGrouping::Country);
        assert_eq!(lanes.lanes.len(), 20);
    }

    #[test]
    fn acled_layout_reads_back_as_acled() {
        let d = generate(300, 7, false);
        let mut csv = Vec::new();
        write_acled_csv(&d, "%d %B %Y", &mut csv).unwrap();
        let text = String::from_utf8(csv.clone()).unwrap();
        let first_row = text.lines().nth(1).unwrap();
        // ACLED's export tool writes days as `03 August 2022`.
        let date = first_row.split(',').nth(1).unwrap();
        assert!(date.split(' ').count() == 3, "{date}");
        let loaded = crate::io::load_bytes(
            std::path::Path::new("acled.csv"),
            &csv,
            Some(crate::io::Format::Acled),
        )
        .unwrap();
        assert_eq!(loaded.dataset.events.len(), 300);
        assert_eq!(loaded.skipped, 0);
    }
}

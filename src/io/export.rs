//! Export events to CSV: every model field, dates in ISO 8601 with their
//! precision, lists joined with `; `, nested values as JSON. The generic CSV
//! reader opens the result again.

use std::io::Write;
use std::path::Path;

use super::atomic::write_atomically;
use super::error::SaveError;
use crate::model::date::from_instant;
use crate::model::{Event, FuzzyDate};

pub const COLUMNS: [&str; 34] = [
    "id",
    "title",
    "description",
    "kind",
    "date",
    "start",
    "start_precision",
    "start_approximate",
    "start_uncertain",
    "start_earliest",
    "start_latest",
    "end",
    "end_precision",
    "end_approximate",
    "end_uncertain",
    "end_earliest",
    "end_latest",
    "date_note",
    "actors",
    "actor_roles",
    "place",
    "admin",
    "country",
    "latitude",
    "longitude",
    "location_precision",
    "casualties_low",
    "casualties_best",
    "casualties_high",
    "sources",
    "source_urls",
    "tags",
    "codes",
    "extra",
];

fn iso(t: i64) -> String {
    from_instant(t).map_or_else(String::new, |d| d.format("%Y-%m-%dT%H:%M:%S").to_string())
}

fn date_fields(d: Option<&FuzzyDate>) -> [String; 6] {
    match d {
        None => Default::default(),
        Some(d) => [
            d.to_text(),
            d.precision.name().to_string(),
            d.approximate.to_string(),
            d.uncertain.to_string(),
            iso(d.earliest),
            iso(d.latest),
        ],
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// One CSV row for an event, in the order of [`COLUMNS`].
pub fn row(e: &Event) -> Vec<String> {
    let [start, sp, sa, su, se, sl] = date_fields(Some(&e.when.start));
    let [end, ep, ea, eu, ee, el] = date_fields(e.when.end.as_ref());
    let place = e.place.as_ref();
    let cas = e.casualties.as_ref();
    vec![
        e.id.clone(),
        e.title.clone(),
        e.description.clone(),
        e.kind.clone(),
        // Plain `date`, for spreadsheets and for reading back.
        start.clone(),
        start,
        sp,
        sa,
        su,
        se,
        sl,
        end,
        ep,
        ea,
        eu,
        ee,
        el,
        e.when.note.clone().unwrap_or_default(),
        e.actors
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        e.actors
            .iter()
            .map(|a| a.role.label())
            .collect::<Vec<_>>()
            .join("; "),
        opt(place.map(|p| p.name.clone())),
        opt(place.and_then(|p| p.admin.clone())),
        opt(place.and_then(|p| p.country.clone())),
        opt(place.and_then(|p| p.lat)),
        opt(place.and_then(|p| p.lon)),
        opt(place.and_then(|p| p.precision.clone())),
        opt(cas.and_then(|c| c.low)),
        opt(cas.and_then(|c| c.best)),
        opt(cas.and_then(|c| c.high)),
        to_json(&e.sources),
        e.sources
            .iter()
            .filter_map(|s| s.url.as_deref())
            .collect::<Vec<_>>()
            .join("; "),
        e.tags.join("; "),
        if e.codes.is_empty() {
            String::new()
        } else {
            to_json(&e.codes)
        },
        if e.extra.is_empty() {
            String::new()
        } else {
            to_json(&e.extra)
        },
    ]
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Write the events as CSV with a header row.
pub fn write_csv<E: std::borrow::Borrow<Event>>(
    events: impl IntoIterator<Item = E>,
    out: &mut dyn Write,
) -> Result<(), String> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS).map_err(|e| e.to_string())?;
    for e in events {
        w.write_record(row(e.borrow())).map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())
}

/// Export atomically to `path`.
pub fn export_csv<E: std::borrow::Borrow<Event>>(
    path: &Path,
    events: impl IntoIterator<Item = E>,
) -> Result<(), SaveError> {
    write_atomically(path, |w| write_csv(events, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_is_filled_in_order() {
        let loaded = crate::default_dataset().unwrap();
        let war = loaded
            .dataset
            .events
            .iter()
            .find(|e| e.id == "2020-six-week-war")
            .unwrap();
        let r = row(&war);
        assert_eq!(r.len(), COLUMNS.len());
        let col = |name: &str| &r[COLUMNS.iter().position(|c| *c == name).unwrap()];
        assert_eq!(col("start"), "2020-09-29~");
        assert_eq!(col("start_precision"), "day");
        assert_eq!(col("start_approximate"), "true");
        assert_eq!(col("start_earliest"), "2020-09-29T00:00:00");
        assert_eq!(col("end"), "2020-11-10");
        assert_eq!(col("end_latest"), "2020-11-10T23:59:59");
        assert_eq!(col("casualties_low"), "6500");
        assert_eq!(col("actors"), "Armenia; Azerbaijan");
        assert!(col("sources").contains("RFE/RL"));
    }

    #[test]
    fn quotes_and_newlines_survive() {
        let loaded = crate::default_dataset().unwrap();
        let mut out = Vec::new();
        write_csv(loaded.dataset.events.iter(), &mut out).unwrap();
        let mut r = csv::Reader::from_reader(out.as_slice());
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        assert_eq!(rows.len(), loaded.dataset.events.len());
        let title = COLUMNS.iter().position(|c| *c == "title").unwrap();
        assert_eq!(&rows[0][title], loaded.dataset.events.get(0).unwrap().title);
    }
}

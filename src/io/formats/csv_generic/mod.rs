//! Any delimited table with a header row (comma, tab, semicolon or pipe,
//! sniffed from the header). Columns are recognised by common names; every
//! other column is kept in `Event.extra` under its own header.

use std::collections::BTreeMap;
use std::path::Path;

use crate::io::cells::{parse_count, split_list};
use crate::io::dates::{DateRead, DateReading, against_order_message, read_date};
use crate::io::error::{LoadError, invalid};
use crate::io::format::Format;
use crate::io::loaded::Loaded;
use crate::io::names::{display_name, slug};
use crate::io::options::LoadOptions;
use crate::io::report::{Report, Severity};
use crate::io::sheet::{self, ExtraKeys, Row, Sheet, Table};
use crate::io::text::shorten;
use crate::model::classify::{self, Class};
use crate::model::kind::{BUILTIN_KINDS, fallback_kind};
use crate::model::{
    Actor, Casualties, Event, FuzzyDate, KindDef, Place, Provenance, Role, Source, When,
};

const DATE: &[&str] = &[
    "date",
    "start",
    "start_date",
    "event_date",
    "begin",
    "from",
    "date_start",
    "begin_date",
    "datetime",
    "when",
];
const END: &[&str] = &["end", "end_date", "to", "until", "date_end"];
const TITLE: &[&str] = &["title", "headline", "event", "name", "summary"];
const DESCRIPTION: &[&str] = &["description", "notes", "text", "details"];
const TYPE: &[&str] = &["type", "kind", "category", "event_type"];
const ACTORS: &[&str] = &[
    "actor",
    "actors",
    "actor1",
    "actor2",
    "actor_1",
    "actor_2",
    "participants",
    "who",
];
const PLACE: &[&str] = &["place", "location", "city"];
const COUNTRY: &[&str] = &["country"];
const LAT: &[&str] = &["lat", "latitude"];
const LON: &[&str] = &["lon", "lng", "longitude"];
const SOURCE: &[&str] = &["source", "url", "link"];
const ID: &[&str] = &["id"];
const TAGS: &[&str] = &["tags"];
const DEATHS: &[&str] = &["fatalities", "deaths", "casualties"];

/// The kind for a type text: a built-in one when the text plainly names
/// it, else the slug of the text (`other` for none).
pub fn kind_for(type_text: &str) -> String {
    class_for(type_text).0
}

/// The kind for a type text (see [`kind_for`]) and the class it came from
/// when it is a built-in one.
fn class_for(type_text: &str) -> (String, Option<Class>) {
    if let Some(class) = classify::type_text(type_text) {
        return (class.kind.to_string(), Some(class));
    }
    match slug(type_text) {
        s if s.is_empty() => ("other".into(), None),
        s => (s, None),
    }
}

struct Columns {
    date: usize,
    end: Option<usize>,
    title: Option<usize>,
    description: Option<usize>,
    kind: Option<usize>,
    actors: Vec<usize>,
    place: Option<usize>,
    country: Option<usize>,
    lat: Option<usize>,
    lon: Option<usize>,
    sources: Vec<usize>,
    id: Option<usize>,
    tags: Option<usize>,
    deaths: Option<usize>,
}

pub fn read(path: &Path, bytes: &[u8]) -> Result<Loaded, LoadError> {
    read_with(path, bytes, &LoadOptions::default())
}

/// [`read`] with the user's choices (the order of day and month).
pub fn read_with(path: &Path, bytes: &[u8], options: &LoadOptions) -> Result<Loaded, LoadError> {
    let mut table = Table::decode(bytes);
    let (mut sheet, mut report) = table.open(path, ExtraKeys::AsWritten)?;
    let Some(date) = sheet.take(DATE) else {
        return Err(invalid(
            path,
            format!(
                "has no date column (one named date, start, start_date, event_date, begin or from), so its rows cannot be placed on a timeline; its columns are {}",
                sheet.found_columns()
            ),
        ));
    };
    let c = Columns {
        date,
        end: sheet.take(END),
        title: sheet.take(TITLE),
        description: sheet.take(DESCRIPTION),
        kind: sheet.take(TYPE),
        actors: sheet.take_all(ACTORS),
        place: sheet.take(PLACE),
        country: sheet.take(COUNTRY),
        lat: sheet.take(LAT),
        lon: sheet.take(LON),
        sources: sheet.take_all(SOURCE),
        id: sheet.take(ID),
        tags: sheet.take(TAGS),
        deaths: sheet.take(DEATHS),
    };
    let file = display_name(path);
    let width = sheet.headers.len();
    let date_columns: Vec<usize> = [Some(c.date), c.end].into_iter().flatten().collect();
    let mut dates = sheet.date_plan(&date_columns, (None, None), options.dates, &file);
    let mut events = Vec::new();
    let mut kinds: Vec<KindDef> = Vec::new();
    sheet::read_rows(
        &mut sheet,
        &mut report,
        &mut dates,
        |sheet, row, report, reading| {
            if row.rec.len() != width {
                let what = if row.rec.len() < width {
                    "the missing cells are read as empty"
                } else {
                    "the cells beyond the header are kept by position"
                };
                report.row(
                    Severity::Warning,
                    row,
                    format!(
                        "the row has {} fields but the header has {width}; {what}",
                        row.rec.len()
                    ),
                );
            }
            if let Some(event) = read_row(sheet, &c, row, &file, reading, report) {
                if let Some(type_text) = event.codes.get("csv.type")
                    && !BUILTIN_KINDS.iter().any(|(id, ..)| *id == event.kind)
                    && !kinds.iter().any(|k| k.id == event.kind)
                {
                    kinds.push(KindDef {
                        label: shorten(type_text, 60),
                        ..fallback_kind(&event.kind)
                    });
                }
                events.push(event);
            }
        },
    );
    dates.finish(&mut report);
    crate::io::ids::assign_content_ids(&mut events, "row");
    Ok(sheet::loaded(
        path,
        Format::Csv,
        format!("Table: {file}"),
        kinds,
        events.into(),
        report,
    ))
}

fn read_row(
    sheet: &Sheet,
    c: &Columns,
    row: &Row,
    file: &str,
    reading: &DateReading,
    report: &mut Report,
) -> Option<Event> {
    let raw_id = row.get(c.id);
    let start_read = sheet::required(
        sheet,
        row,
        c.date,
        report,
        &sheet::Named("row", row.number),
        "date",
        |t| read_date(t, reading),
    )?;
    let mut extra = sheet.extra(row);
    note_read(
        sheet,
        row,
        reading,
        &start_read,
        (c.date, "utc_offset"),
        &mut extra,
        report,
    );
    let start = start_read.date;
    let end = read_end(sheet, c, row, reading, start, report, &mut extra);

    let type_text = row.get(c.kind);
    let (kind, class) = class_for(type_text);
    let description = row.get(c.description);
    let title = match row.get(c.title) {
        "" if !description.is_empty() => shorten(description, 80),
        "" if !type_text.is_empty() => type_text.to_string(),
        "" => format!("Row {}", row.number),
        t => t.to_string(),
    };
    let mut event = Event::new(
        String::new(),
        title,
        kind,
        When {
            start,
            end,
            note: None,
        },
    );
    event.description = description.to_string();
    if !type_text.is_empty() {
        event.codes.insert("csv.type".into(), type_text.to_string());
    }

    push_actors(sheet, c, row, &mut event.actors);
    event.place = row_place(sheet, c, row, report, &mut extra);

    let who = sheet::Named("row", row.number);
    if let Some(n) = sheet::optional(
        sheet,
        row,
        c.deaths,
        report,
        &mut extra,
        &who,
        "a casualty figure",
        parse_count,
    ) {
        event.casualties = Some(Casualties {
            low: None,
            best: Some(n),
            high: None,
        });
    }

    push_sources(c, row, &mut event.sources);
    event.tags = row_tags(row.get(c.tags));
    if let Some(class) = class {
        class.apply(&mut event);
    }

    if !raw_id.is_empty() {
        // Rows without one get an id from their content once all are read.
        event.id = raw_id.to_string();
        report.check_id(raw_id, row, c.id, c.id.map_or("id", |col| sheet.name(col)));
    }
    event.provenance = Some(Provenance {
        format: Format::Csv.name().to_string(),
        file: Some(file.to_string()),
        record: (!raw_id.is_empty()).then(|| raw_id.to_string()),
        line: Some(row.line),
    });
    event.extra = extra;
    Some(event)
}

/// What a date cell's reading leaves beside the date: its UTC offset goes
/// to `extra` under `key`, and a day and month read against the column's
/// order are warned about at `col`.
#[inline]
fn note_read(
    sheet: &Sheet,
    row: &Row,
    reading: &DateReading,
    read: &DateRead,
    (col, key): (usize, &str),
    extra: &mut BTreeMap<String, serde_json::Value>,
    report: &mut Report,
) {
    if let Some(offset) = &read.offset {
        extra.insert(key.into(), offset.as_str().into());
    }
    if read.against_order {
        let text = row.get(Some(col));
        let day = chrono::DateTime::from_timestamp(read.date.earliest, 0)
            .map(|d| d.date_naive())
            .unwrap_or_default();
        report.warn_cell(sheet, row, col, against_order_message(text, day, reading));
    }
}

/// The end of the row's span, `None` for a point. An end that cannot be
/// read, or one before `start`, is warned about and kept in `extra` as
/// written; an end equal to the start makes a point.
#[inline]
fn read_end(
    sheet: &Sheet,
    c: &Columns,
    row: &Row,
    reading: &DateReading,
    start: FuzzyDate,
    report: &mut Report,
    extra: &mut BTreeMap<String, serde_json::Value>,
) -> Option<FuzzyDate> {
    let date_text = row.get(Some(c.date));
    let mut end = None;
    if let Some(col) = c.end {
        let text = row.get(Some(col));
        if !text.is_empty() {
            let end_read = read_date(text, reading);
            if let Ok(r) = &end_read {
                note_read(
                    sheet,
                    row,
                    reading,
                    r,
                    (col, "end_utc_offset"),
                    extra,
                    report,
                );
            }
            match end_read.map(|r| r.date) {
                Ok(e) if e.latest < start.earliest => {
                    let message = format!(
                        "the end {text} is before the start {date_text}; row {} is shown as a point",
                        row.number
                    );
                    report.warn_cell(sheet, row, col, message);
                    extra.insert(sheet.extra_key(col), text.into());
                }
                Ok(e) if e == start => {}
                Ok(e) => end = Some(e),
                Err(err) => {
                    report.warn_cell(
                        sheet,
                        row,
                        col,
                        format!("{err}; row {} is shown as a point", row.number),
                    );
                    extra.insert(sheet.extra_key(col), text.into());
                }
            }
        }
    }
    end
}

/// The actors and their roles: `actor1`/`actor_1` columns are side A,
/// `actor2`/`actor_2` side B, any other actor column participants; a cell
/// may list several.
#[inline]
fn push_actors(sheet: &Sheet, c: &Columns, row: &Row, actors: &mut Vec<Actor>) {
    for &col in &c.actors {
        let role = match sheet::normalise_name(sheet.name(col)).as_str() {
            "actor1" | "actor_1" => Role::SideA,
            "actor2" | "actor_2" => Role::SideB,
            _ => Role::Participant,
        };
        for name in split_list(row.get(Some(col))) {
            actors.push(Actor {
                name: name.to_string(),
                role,
                ..Actor::default()
            });
        }
    }
}

/// The place and coordinates: named by the place, else the country, else
/// the coordinates themselves; `None` when the row has none of them.
#[inline]
fn row_place(
    sheet: &Sheet,
    c: &Columns,
    row: &Row,
    report: &mut Report,
    extra: &mut BTreeMap<String, serde_json::Value>,
) -> Option<Place> {
    let (lat, lon) = sheet::coordinates(
        sheet,
        row,
        (c.lat, c.lon),
        report,
        extra,
        &sheet::Named("row", row.number),
    );
    let place = row.get(c.place);
    let country = row.get(c.country);
    if !place.is_empty() || !country.is_empty() || lat.is_some() || lon.is_some() {
        let name = match (place.is_empty(), country.is_empty()) {
            (false, _) => place.to_string(),
            (true, false) => country.to_string(),
            (true, true) => format!("{}, {}", lat.unwrap_or(0.0), lon.unwrap_or(0.0)),
        };
        return Some(Place {
            name,
            admin: None,
            country: (!country.is_empty()).then(|| country.to_string()),
            lat,
            lon,
            precision: None,
        });
    }
    None
}

/// The sources: each entry of each source column, a URL when it looks like
/// one, else a publisher.
#[inline]
fn push_sources(c: &Columns, row: &Row, sources: &mut Vec<Source>) {
    for &col in &c.sources {
        for s in split_list(row.get(Some(col))) {
            let is_url =
                s.starts_with("http://") || s.starts_with("https://") || s.starts_with("www.");
            sources.push(if is_url {
                Source {
                    url: Some(s.to_string()),
                    ..Source::default()
                }
            } else {
                Source {
                    publisher: Some(s.to_string()),
                    ..Source::default()
                }
            });
        }
    }
}

/// The tags cell as a list: split on `;` when it has one, else on `,`.
#[inline]
fn row_tags(tags: &str) -> Vec<String> {
    if tags.contains(';') {
        split_list(tags).map(str::to_string).collect()
    } else {
        tags.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Precision;
    use proptest::prelude::*;

    fn read_str(text: &str) -> Result<Loaded, LoadError> {
        read(Path::new("t.csv"), text.as_bytes())
    }

    #[test]
    fn type_words_map_to_kinds() {
        assert_eq!(kind_for("Phone call"), "call");
        assert_eq!(kind_for("calls"), "call");
        assert_eq!(kind_for("Official visit"), "meeting");
        assert_eq!(kind_for("Peace talks"), "meeting");
        assert_eq!(kind_for("Speech"), "statement");
        assert_eq!(kind_for("Border fighting"), "clash");
        assert_eq!(kind_for("Airstrike"), "strike");
        assert_eq!(kind_for("drone attack"), "strike");
        assert_eq!(kind_for("Cease-fire"), "truce");
        assert_eq!(kind_for("Humanitarian truce"), "truce");
        assert_eq!(kind_for("Peace treaty"), "agreement");
        assert_eq!(kind_for("Troop deployment"), "deployment");
        assert_eq!(kind_for("Territory handed over"), "territorial");
        assert_eq!(kind_for("CLASH"), "clash");
        assert_eq!(kind_for("Prisoner exchange"), "prisoner-exchange");
        assert_eq!(kind_for(""), "other");
        assert_eq!(kind_for("!!!"), "other");
        // `recall` does not start with `call`.
        assert_eq!(kind_for("Ambassador recalled"), "ambassador-recalled");
    }

    #[test]
    fn headers_are_matched_loosely() {
        let l = read_str(
            "Start Date,End Date,Headline,Kind\n2022-08-01,2022-08-07,Talks,Peace talks\n",
        )
        .unwrap();
        let e = l.dataset.events.get(0).unwrap();
        assert_eq!(e.when.end.unwrap().to_text(), "2022-08-07");
        assert_eq!(e.kind, "meeting");
        // No id column: the id comes from the row's content, not its place.
        assert_eq!(e.id.len(), "row-".len() + 16, "{}", e.id);
        assert!(e.id.starts_with("row-"));
        assert_eq!(e.when.start.precision, Precision::Day);
    }

    #[test]
    fn numbered_actor_columns_are_sides() {
        let l = read_str("date,Actor 1,actor2,who\n2022,A,B,C; D\n").unwrap();
        let first = l.dataset.events.get(0).unwrap();
        let roles: Vec<(&str, Role)> = first
            .actors
            .iter()
            .map(|a| (a.name.as_str(), a.role))
            .collect();
        assert_eq!(
            roles,
            [
                ("A", Role::SideA),
                ("B", Role::SideB),
                ("C", Role::Participant),
                ("D", Role::Participant)
            ]
        );
    }

    #[test]
    fn no_date_column_names_what_was_found() {
        let err = read_str("name,place\nx,y\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("has no date column"), "{msg}");
        assert!(msg.contains("`name`, `place`"), "{msg}");
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let _ = read(Path::new("x.csv"), &bytes);
        }

        #[test]
        fn arbitrary_rows_never_panic(
            header in "(date|id|title|type|actors|lat|lon|end|tags|deaths|x)([,;\t](date|id|title|type|actors|lat|lon|end|tags|deaths|x)){0,8}",
            body in "[A-Za-z0-9,;/\\-\"\t \n\r.:é~?%]{0,300}",
        ) {
            let text = format!("{header}\n{body}");
            let _ = read_str(&text);
        }
    }
}

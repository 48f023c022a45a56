//! ACLED (Armed Conflict Location & Event Data) CSV exports: the current
//! 31-column layout (with or without the API's population columns) and the
//! legacy layout (upper-case headers, Windows-1252, `29/12/2015` dates,
//! `ALLY_ACTOR_*`, no sub-event type). Columns are found by name.
//!
//! Every ACLED event is one day; `time_precision` widens it to the ISO week
//! (2) or month (3) the stored date falls in.
//!
//! The ACLED API's JSON is read in [`api`], its rows by this same reader.

use std::collections::BTreeMap;
use std::path::Path;

use crate::io::cells::non_empty;
use crate::io::cells::{parse_count, split_list};
use crate::io::dates::DateReading;
use crate::io::error::LoadError;
use crate::io::format::Format;
use crate::io::loaded::Loaded;
use crate::io::names::{country_in, display_name};
use crate::io::options::LoadOptions;
use crate::io::report::{Report, Severity};
use crate::io::sheet::{self, ExtraKeys, Row, Sheet, Table};
use crate::io::text::shorten;
use crate::model::{Casualties, FuzzyDate, Role, When};
use crate::table::{EventTable, PlaceParts, RowBuilder, RowHead, SourceParts};

pub(crate) mod api;

/// The viewer kind for an ACLED event type and sub-event type; see
/// [`crate::model::classify::acled`].
pub fn kind_for(event_type: &str, sub_event_type: &str, notes: &str) -> &'static str {
    crate::model::classify::acled(event_type, sub_event_type, notes).kind
}

/// A short title: `Armed clash: A vs B (Place)`.
fn title_for(what: &str, actor1: &str, actor2: &str, location: &str) -> String {
    // Pieces pushed into one buffer sized once (no formatting machinery:
    // this runs for every row).
    let mut title = String::with_capacity(
        what.len().max(5) + actor1.len() + actor2.len() + location.len() + 10,
    );
    title.push_str(if what.is_empty() { "Event" } else { what });
    match (actor1.is_empty(), actor2.is_empty()) {
        (false, false) => {
            for piece in [": ", actor1, " vs ", actor2] {
                title.push_str(piece);
            }
        }
        (false, true) => {
            title.push_str(": ");
            title.push_str(actor1);
        }
        (true, false) => {
            title.push_str(": ");
            title.push_str(actor2);
        }
        (true, true) => {}
    }
    if !location.is_empty() {
        for piece in [" (", location, ")"] {
            title.push_str(piece);
        }
    }
    let short = title.len() <= 140 || title.chars().nth(140).is_none();
    if short && title.trim().len() == title.len() {
        return title;
    }
    shorten(&title, 140)
}

fn geo_precision_words(code: &str) -> &str {
    match code {
        "1" => "1: town or exact place",
        "2" => "2: near a town or part of a region",
        "3" => "3: larger region",
        _ => code,
    }
}

struct Columns {
    id: usize,
    date: usize,
    time_precision: Option<usize>,
    disorder_type: Option<usize>,
    event_type: usize,
    sub_event_type: Option<usize>,
    actor1: Option<usize>,
    assoc1: Option<usize>,
    inter1: Option<usize>,
    actor2: Option<usize>,
    assoc2: Option<usize>,
    inter2: Option<usize>,
    interaction: Option<usize>,
    civilian_targeting: Option<usize>,
    country: Option<usize>,
    admin1: Option<usize>,
    location: Option<usize>,
    latitude: Option<usize>,
    longitude: Option<usize>,
    geo_precision: Option<usize>,
    source: Option<usize>,
    notes: Option<usize>,
    fatalities: Option<usize>,
    tags: Option<usize>,
    year: Option<usize>,
}

pub fn read(path: &Path, bytes: &[u8]) -> Result<Loaded, LoadError> {
    read_with(path, bytes, &LoadOptions::default())
}

/// [`read`] with the user's choices (the order of day and month).
pub fn read_with(path: &Path, bytes: &[u8], options: &LoadOptions) -> Result<Loaded, LoadError> {
    let mut table = Table::decode(bytes);
    let (mut sheet, report) = table.open(path, ExtraKeys::Normalised)?;
    let [id, date, event_type] = sheet.require_all(
        path,
        ["event_id_cnty", "event_date", "event_type"],
        "an ACLED export",
    )?;
    // The year repeats the date: it checks and completes it.
    let year = sheet.take(&["year"]);
    let timestamp = sheet.peek(&["timestamp"]);
    let c = Columns {
        id,
        date,
        time_precision: sheet.take(&["time_precision"]),
        disorder_type: sheet.take(&["disorder_type"]),
        event_type,
        sub_event_type: sheet.take(&["sub_event_type"]),
        actor1: sheet.take(&["actor1"]),
        assoc1: sheet.take(&["assoc_actor_1", "ally_actor_1"]),
        inter1: sheet.take(&["inter1"]),
        actor2: sheet.take(&["actor2"]),
        assoc2: sheet.take(&["assoc_actor_2", "ally_actor_2"]),
        inter2: sheet.take(&["inter2"]),
        interaction: sheet.take(&["interaction"]),
        civilian_targeting: sheet.take(&["civilian_targeting"]),
        country: sheet.take(&["country"]),
        admin1: sheet.take(&["admin1"]),
        location: sheet.take(&["location"]),
        latitude: sheet.take(&["latitude"]),
        longitude: sheet.take(&["longitude"]),
        geo_precision: sheet.take(&["geo_precision"]),
        source: sheet.take(&["source"]),
        notes: sheet.take(&["notes"]),
        fatalities: sheet.take(&["fatalities"]),
        tags: sheet.take(&["tags"]),
        year,
    };
    let file = display_name(path);
    let title = format!("ACLED export: {file}");
    let dates = sheet.date_plan(&[date], (year, timestamp), options.dates, &file);
    Ok(sheet::read_strict(
        path,
        &mut sheet,
        report,
        dates,
        Format::Acled,
        title,
        |sheet, row, report, reading, out| read_row(sheet, &c, row, &file, reading, report, out),
    ))
}

/// Read one row straight into `out`: cells are borrowed from the record,
/// so no `Event`, `String` per field or map is made for it.
fn read_row(
    sheet: &Sheet,
    c: &Columns,
    row: &Row,
    file: &str,
    reading: &DateReading,
    report: &mut Report,
    out: &mut EventTable,
) {
    let id = row.get(Some(c.id));
    if id.is_empty() {
        report.skip(
            row,
            c.id,
            sheet.name(c.id),
            "the row has no event id; it was skipped".into(),
        );
        return;
    }
    let who = sheet::Named("event", id);
    let date_text = row.get(Some(c.date));
    let hint = row.get(c.year).parse::<i32>().ok();
    let Some(day) = sheet::required_day(sheet, row, c.date, report, &who, reading, hint) else {
        return;
    };
    // Entries for `extra` that only odd rows have (an offset, a cell that
    // could not be read): empty, so free, for most rows.
    let mut odd = BTreeMap::new();
    crate::io::dates::keep_offset(date_text, "utc_offset", &mut odd);
    let Some((day_date, start)) = widen_day(sheet, c, row, id, day, report) else {
        return;
    };

    let event_type = row.get(Some(c.event_type));
    let sub_event_type = row.get(c.sub_event_type);
    let notes = row.get(c.notes);
    let class = crate::model::classify::acled(event_type, sub_event_type, notes);
    let actor1 = row.get(c.actor1);
    let actor2 = row.get(c.actor2);
    let location = row.get(c.location);
    let country = row.get(c.country);
    let what = if sub_event_type.is_empty() {
        event_type
    } else {
        sub_event_type
    };
    let (lat, lon) = sheet::coordinates(
        sheet,
        row,
        (c.latitude, c.longitude),
        report,
        &mut odd,
        &who,
    );
    let fatalities = sheet::optional(
        sheet,
        row,
        c.fatalities,
        report,
        &mut odd,
        &who,
        "a casualty figure",
        parse_count,
    );
    // Problems are all found: from here on the row is written.
    report.check_id(id, row, Some(c.id), sheet.name(c.id));
    let title = title_for(what, actor1, actor2, location);

    let mut r = out.begin_row();
    write_actors(&mut r, c, row, (actor1, actor2), country);
    write_place(&mut r, c, row, location, country, (lat, lon));
    if let Some(n) = fatalities {
        r.casualties(Casualties {
            low: Some(n),
            best: Some(n),
            high: None,
        });
    }
    for p in split_list(row.get(c.source)) {
        r.source(SourceParts {
            publisher: Some(p),
            ..SourceParts::default()
        });
    }
    for t in split_list(row.get(c.tags)) {
        r.tag(t);
    }
    for tag in class.tags() {
        r.tag_once(tag);
    }
    write_codes(&mut r, c, row);
    r.provenance(Format::Acled.name(), Some(file), Some(id), Some(row.line));
    sheet.extra_into(row, &mut r);
    if start.precision != day_date.precision {
        // The stored day is lost in a week or month; keep it.
        r.extra_text("event_date", date_text);
    }
    for (key, value) in &odd {
        r.extra(key, value);
    }
    r.finish(RowHead {
        id,
        title: &title,
        description: notes,
        when: &When::point(start),
        kind: class.kind,
    });
}

/// The row's day as a date, and that day widened by `time_precision` to
/// its ISO week (2) or month (3); any other precision is warned about and
/// read as the day. `None` when the day is out of range: the row is then
/// skipped without a word.
#[inline]
fn widen_day(
    sheet: &Sheet,
    c: &Columns,
    row: &Row,
    id: &str,
    day: chrono::NaiveDate,
    report: &mut Report,
) -> Option<(FuzzyDate, FuzzyDate)> {
    let day_date = FuzzyDate::day(
        chrono::Datelike::year(&day),
        chrono::Datelike::month(&day),
        chrono::Datelike::day(&day),
    )?;
    let precision = row.get(c.time_precision);
    let start = match (c.time_precision, precision) {
        (None, _) | (Some(_), "1") => day_date,
        (Some(_), "2") => FuzzyDate::week_containing(day),
        (Some(_), "3") => {
            FuzzyDate::month(chrono::Datelike::year(&day), chrono::Datelike::month(&day))
                .unwrap_or(day_date)
        }
        (Some(col), other) => {
            let shown = if other.is_empty() {
                "is empty".to_string()
            } else {
                format!("is `{}`, not 1, 2 or 3", shorten(other, 20))
            };
            report.at(
                Severity::Warning,
                row,
                col,
                sheet.name(col),
                format!(
                    "the time precision of event {id} {shown}; the date is read as exact to the day"
                ),
            );
            day_date
        }
    };
    Some((day_date, start))
}

/// The actors and their roles: `actor1` and its associates on side A,
/// `actor2` and its associates on side B, each with the country its name
/// gives or else the row's.
#[inline]
fn write_actors(
    r: &mut RowBuilder<'_>,
    c: &Columns,
    row: &Row,
    (actor1, actor2): (&str, &str),
    country: &str,
) {
    let country_opt = (!country.is_empty()).then_some(country);
    let add_actor = |r: &mut RowBuilder<'_>, name: &str, role: Role| {
        r.actor(name, role, None, country_in(name).or(country_opt));
    };
    if !actor1.is_empty() {
        add_actor(r, actor1, Role::SideA);
    }
    for a in split_list(row.get(c.assoc1)) {
        add_actor(r, a, Role::SideA);
    }
    if !actor2.is_empty() {
        add_actor(r, actor2, Role::SideB);
    }
    for a in split_list(row.get(c.assoc2)) {
        add_actor(r, a, Role::SideB);
    }
}

/// The place and coordinates: named by the location, else the province,
/// else the country, with `geo_precision` in words; none when the row has
/// neither a name nor a coordinate.
#[inline]
fn write_place(
    r: &mut RowBuilder<'_>,
    c: &Columns,
    row: &Row,
    location: &str,
    country: &str,
    (lat, lon): (Option<f64>, Option<f64>),
) {
    let admin1 = row.get(c.admin1);
    let geo = row.get(c.geo_precision);
    if !(location.is_empty() && admin1.is_empty() && country.is_empty())
        || lat.is_some()
        || lon.is_some()
    {
        let name = [location, admin1, country]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or("");
        let precision = (!geo.is_empty()).then(|| geo_precision_words(geo));
        r.place(PlaceParts {
            name,
            admin: non_empty(admin1),
            country: non_empty(country),
            precision,
            lat,
            lon,
        });
    }
}

/// The ACLED codes of a row that are not empty, each under its `acled.`
/// key.
#[inline]
fn write_codes(r: &mut RowBuilder<'_>, c: &Columns, row: &Row) {
    let codes = [
        ("acled.event_type", Some(c.event_type)),
        ("acled.sub_event_type", c.sub_event_type),
        ("acled.disorder_type", c.disorder_type),
        ("acled.interaction", c.interaction),
        ("acled.inter1", c.inter1),
        ("acled.inter2", c.inter2),
        ("acled.civilian_targeting", c.civilian_targeting),
        ("acled.time_precision", c.time_precision),
    ];
    row.codes_into(&codes, r);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Precision;
    use proptest::prelude::*;

    const HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

    fn read_str(text: &str) -> Result<Loaded, LoadError> {
        read(Path::new("acled.csv"), text.as_bytes())
    }

    #[test]
    fn kinds_follow_event_and_sub_event_types() {
        assert_eq!(kind_for("Battles", "Armed clash", ""), "clash");
        assert_eq!(
            kind_for("Battles", "Government regains territory", ""),
            "territorial"
        );
        assert_eq!(
            kind_for("Battles", "Non-state actor overtakes territory", ""),
            "territorial"
        );
        assert_eq!(
            kind_for(
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack",
                ""
            ),
            "strike"
        );
        assert_eq!(
            kind_for("Violence against civilians", "Attack", ""),
            "violence"
        );
        assert_eq!(kind_for("Protests", "Peaceful protest", ""), "protest");
        assert_eq!(kind_for("Riots", "Mob violence", ""), "riot");
        assert_eq!(
            kind_for(
                "Strategic developments",
                "Agreement",
                "A humanitarian cease-fire began"
            ),
            "truce"
        );
        assert_eq!(
            kind_for(
                "Strategic developments",
                "Agreement",
                "Prisoners were exchanged"
            ),
            "agreement"
        );
        assert_eq!(
            kind_for(
                "Strategic developments",
                "Non-violent transfer of territory",
                ""
            ),
            "territorial"
        );
        assert_eq!(
            kind_for(
                "Strategic developments",
                "Headquarters or base established",
                ""
            ),
            "deployment"
        );
        assert_eq!(kind_for("Strategic developments", "Arrests", ""), "other");
        assert_eq!(kind_for("Battle-No change of territory", "", ""), "clash");
        assert_eq!(kind_for("Remote violence", "", ""), "strike");
        assert_eq!(kind_for("Something new", "", ""), "other");
    }

    #[test]
    fn titles_are_short_and_readable() {
        assert_eq!(
            title_for("Armed clash", "A", "B", "Tavush"),
            "Armed clash: A vs B (Tavush)"
        );
        assert_eq!(
            title_for("Peaceful protest", "P", "", "Yerevan"),
            "Peaceful protest: P (Yerevan)"
        );
        assert!(title_for("x", &"a".repeat(500), "", "").chars().count() <= 140);
    }

    #[test]
    fn time_precision_widens_the_day() {
        let text = format!(
            "{HEADER}\nA1,2022-08-03,2022,2,,Battles,Armed clash,X,,,Y,,,,,,,Armenia,,,,Loc,,,1,,,,0,,\nA2,2022-08-15,2022,3,,Battles,Armed clash,X,,,Y,,,,,,,Armenia,,,,Loc,,,1,,,,0,,\nA3,2022-08-15,2022,7,,Battles,Armed clash,X,,,Y,,,,,,,Armenia,,,,Loc,,,1,,,,0,,\n"
        );
        let l = read_str(&text).unwrap();
        let e = l.dataset.events.to_vec();
        assert_eq!(e[0].when.start.precision, Precision::Week);
        assert_eq!(e[0].when.start.to_text(), "2022-W31");
        assert_eq!(e[1].when.start.to_text(), "2022-08");
        assert_eq!(e[1].extra["event_date"], "2022-08-15");
        assert_eq!(e[2].when.start.to_text(), "2022-08-15");
        assert_eq!(l.problems.len(), 1);
        assert_eq!(l.problems[0].severity, Severity::Warning);
        assert_eq!(l.problems[0].line, Some(4));
        assert_eq!(l.problems[0].column, Some(20));
    }

    #[test]
    fn other_files_are_named_in_one_sentence() {
        let err = read_str("date,title\n2022-01-01,x\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("has no `event_id_cnty` column, so it is not an ACLED export"),
            "{err}"
        );
        assert!(read_str("").unwrap_err().to_string().contains("is empty"));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let _ = read(Path::new("x.csv"), &bytes);
        }

        #[test]
        fn arbitrary_rows_never_panic(body in "[A-Za-z0-9,;/\\-\" \n\r.:é]{0,300}") {
            let text = format!("{HEADER}\n{body}");
            let _ = read_str(&text);
        }
    }
}

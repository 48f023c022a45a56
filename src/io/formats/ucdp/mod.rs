//! UCDP GED (Uppsala Georeferenced Event Dataset) CSV. Columns are found by
//! name. `date_start`/`date_end` give an uncertainty window, not a duration:
//! one day when they agree, else a day-precision window.
//!
//! A page of the UCDP API's JSON is read in [`api`], its rows by this same
//! reader.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use crate::io::cells::non_empty;
use crate::io::cells::{parse_count, split_list};
use crate::io::dates::{DateReading, parse_day, read_day};
use crate::io::error::LoadError;
use crate::io::format::Format;
use crate::io::loaded::Loaded;
use crate::io::names::{country_in, display_name};
use crate::io::options::LoadOptions;
use crate::io::report::{Report, Severity};
use crate::io::sheet::{self, ExtraKeys, Row, Sheet, Table};
use crate::io::text::shorten;
use crate::model::{Casualties, FuzzyDate, Role, Source, When};
use crate::table::{EventTable, PlaceParts, RowBuilder, RowHead, SourceParts};

pub(crate) mod api;

/// The viewer kind for `type_of_violence`.
pub fn kind_for(type_of_violence: &str) -> Option<&'static str> {
    crate::model::classify::ucdp(type_of_violence).map(|c| c.kind)
}

/// `where_prec` in words: `1: exact location`.
pub fn where_prec_words(code: &str) -> String {
    let words = match code.trim() {
        "1" => "exact location",
        "2" => "within 25 km",
        "3" => "district",
        "4" => "province",
        "5" => "vague or larger area",
        "6" => "country",
        "7" => "water or airspace",
        _ => return code.trim().to_string(),
    };
    format!("{}: {words}", code.trim())
}

/// The date window: one day, or `date_start`'s day to `date_end`'s.
pub fn window(start: NaiveDate, end: NaiveDate) -> Option<FuzzyDate> {
    if start == end {
        return FuzzyDate::parse(&start.format("%Y-%m-%d").to_string()).ok();
    }
    FuzzyDate::parse(&format!(
        "{}/{}",
        start.format("%Y-%m-%d"),
        end.format("%Y-%m-%d")
    ))
    .ok()
}

struct Columns {
    id: usize,
    date_start: usize,
    date_end: Option<usize>,
    type_of_violence: usize,
    conflict_name: Option<usize>,
    dyad_name: Option<usize>,
    side_a: Option<usize>,
    side_b: Option<usize>,
    source_article: Option<usize>,
    source_office: Option<usize>,
    source_date: Option<usize>,
    source_headline: Option<usize>,
    where_prec: Option<usize>,
    where_description: Option<usize>,
    adm_1: Option<usize>,
    adm_2: Option<usize>,
    latitude: Option<usize>,
    longitude: Option<usize>,
    country: Option<usize>,
    event_clarity: Option<usize>,
    date_prec: Option<usize>,
    best: Option<usize>,
    low: Option<usize>,
    high: Option<usize>,
    year: Option<usize>,
}

pub fn read(path: &Path, bytes: &[u8]) -> Result<Loaded, LoadError> {
    read_with(path, bytes, &LoadOptions::default())
}

/// [`read`] with the user's choices (the order of day and month, for a
/// file whose dates a spreadsheet rewrote).
pub fn read_with(path: &Path, bytes: &[u8], options: &LoadOptions) -> Result<Loaded, LoadError> {
    let mut table = Table::decode(bytes);
    let (mut sheet, report) = table.open(path, ExtraKeys::Normalised)?;
    let [id, date_start, type_of_violence] = sheet.require_all(
        path,
        ["id", "date_start", "type_of_violence"],
        "a UCDP GED file",
    )?;
    // The year repeats the dates: it checks and completes them.
    let year = sheet.take(&["year"]);
    let c = Columns {
        id,
        date_start,
        date_end: sheet.take(&["date_end"]),
        type_of_violence,
        conflict_name: sheet.take(&["conflict_name"]),
        dyad_name: sheet.take(&["dyad_name"]),
        side_a: sheet.take(&["side_a"]),
        side_b: sheet.take(&["side_b"]),
        source_article: sheet.take(&["source_article"]),
        source_office: sheet.take(&["source_office"]),
        source_date: sheet.take(&["source_date"]),
        source_headline: sheet.take(&["source_headline"]),
        where_prec: sheet.take(&["where_prec"]),
        where_description: sheet.take(&["where_description"]),
        adm_1: sheet.take(&["adm_1"]),
        adm_2: sheet.peek(&["adm_2"]),
        latitude: sheet.take(&["latitude"]),
        longitude: sheet.take(&["longitude"]),
        country: sheet.take(&["country"]),
        event_clarity: sheet.take(&["event_clarity"]),
        date_prec: sheet.take(&["date_prec"]),
        best: sheet.take(&["best"]),
        low: sheet.take(&["low"]),
        high: sheet.take(&["high"]),
        year,
    };
    let file = display_name(path);
    let title = format!("UCDP GED: {file}");
    let date_columns: Vec<usize> = [Some(date_start), c.date_end]
        .into_iter()
        .flatten()
        .collect();
    let dates = sheet.date_plan(&date_columns, (year, None), options.dates, &file);
    Ok(sheet::read_strict(
        path,
        &mut sheet,
        report,
        dates,
        Format::Ucdp,
        title,
        |sheet, row, report, reading, out| read_row(sheet, &c, row, &file, reading, report, out),
    ))
}

fn read_row(
    sheet: &Sheet,
    c: &Columns,
    row: &Row,
    file: &str,
    reading: &DateReading,
    report: &mut Report,
    out: &mut EventTable,
) {
    let hint = row.get(c.year).parse::<i32>().ok();
    let raw_id = row.get(Some(c.id));
    if raw_id.is_empty() {
        report.skip(
            row,
            c.id,
            sheet.name(c.id),
            "the row has no event id; it was skipped".into(),
        );
        return;
    }
    let label = format!("event {raw_id}");

    // Dates: the window from date_start's day to date_end's.
    let start_text = row.get(Some(c.date_start));
    let end_text = row.get(c.date_end);
    let Some(when) = row_window(
        sheet,
        c,
        row,
        (start_text, end_text),
        &label,
        (reading, hint),
        report,
    ) else {
        return;
    };

    // Entries for `extra` beyond the sheet's other columns: written after
    // them, so they win a clash of keys as they always did.
    let mut extra = BTreeMap::new();
    crate::io::dates::keep_offset(start_text, "utc_offset", &mut extra);
    crate::io::dates::keep_offset(end_text, "end_utc_offset", &mut extra);
    let kind = violence_kind(sheet, c, row, &label, report);
    let side_a = row.get(c.side_a);
    let side_b = row.get(c.side_b);
    let country = row.get(c.country);
    let adm_1 = row.get(c.adm_1);
    let adm_2 = row.get(c.adm_2);
    let where_description = row.get(c.where_description);
    let place_name = [where_description, adm_2, adm_1, country]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("");

    let title = row_title(kind, side_a, side_b, place_name);
    let (lat, lon) = sheet::coordinates(
        sheet,
        row,
        (c.latitude, c.longitude),
        report,
        &mut extra,
        &label,
    );
    let deaths = deaths(sheet, c, row, &label, report, &mut extra);
    let sources = sources(
        row.get(c.source_office),
        row.get(c.source_date),
        row.get(c.source_headline),
        row.get(c.source_article),
        &mut extra,
    );
    let id = format!("ucdp-{raw_id}");
    report.check_id(&id, row, Some(c.id), sheet.name(c.id));

    // Every problem is found: the row is written, cells borrowed.
    let mut r = out.begin_row();
    let country_opt = (!country.is_empty()).then_some(country);
    for (name, role) in [(side_a, Role::SideA), (side_b, Role::SideB)] {
        if !name.is_empty() {
            r.actor(name, role, None, country_in(name).or(country_opt));
        }
    }
    let where_prec = row.get(c.where_prec);
    if !place_name.is_empty() || lat.is_some() || lon.is_some() {
        write_place(&mut r, place_name, adm_1, country, where_prec, (lat, lon));
    }
    if deaths.best.is_some() || deaths.low.is_some() || deaths.high.is_some() {
        r.casualties(deaths);
    }
    for s in &sources {
        r.source(SourceParts::from(s));
    }
    write_codes(&mut r, c, row);
    r.provenance(
        Format::Ucdp.name(),
        Some(file),
        Some(raw_id),
        Some(row.line),
    );
    sheet.extra_into(row, &mut r);
    for (key, value) in &extra {
        r.extra(key, value);
    }
    r.finish(RowHead {
        id: &id,
        title: &title,
        description: "",
        when: &When::point(when),
        kind,
    });
}

/// The date window of a row: `date_start`'s day to `date_end`'s, each read
/// in `reading` with the row's `year` as the `hint`. A date that cannot be
/// read, one missing, or an end before the start is reported; `None` when
/// the row is skipped for it.
fn row_window(
    sheet: &Sheet,
    c: &Columns,
    row: &Row,
    (start_text, end_text): (&str, &str),
    label: &str,
    (reading, hint): (&DateReading, Option<i32>),
    report: &mut Report,
) -> Option<FuzzyDate> {
    let parse_day = |t: &str| read_day(t, reading, hint).map(|d| d.date);
    let start = if start_text.is_empty() {
        None
    } else {
        match parse_day(start_text) {
            Ok(d) => Some(d),
            Err(e) => {
                report.skip(
                    row,
                    c.date_start,
                    sheet.name(c.date_start),
                    format!("{e}; {label} was skipped"),
                );
                return None;
            }
        }
    };
    if let Some(d) = start
        && let Some(message) = crate::io::dates::year_mismatch(start_text, d, hint, &label)
    {
        report.warn_cell(sheet, row, c.date_start, message);
    }
    let end = match (c.date_end, end_text.is_empty()) {
        (Some(col), false) => match parse_day(end_text) {
            Ok(d) => Some(d),
            Err(e) => {
                if start.is_none() {
                    report.skip(
                        row,
                        col,
                        sheet.name(col),
                        format!("{e}; {label} was skipped"),
                    );
                    return None;
                }
                report.warn_cell(
                    sheet,
                    row,
                    col,
                    format!("{e}; {label} is dated by date_start alone"),
                );
                None
            }
        },
        _ => None,
    };
    let (first, last) = match (start, end) {
        (Some(s), Some(e)) if e < s => {
            report.at(
                Severity::Warning,
                row,
                c.date_end.unwrap_or(c.date_start),
                c.date_end.map_or("date_end", |col| sheet.name(col)),
                format!("date_end {end_text} is before date_start {start_text}; {label} is dated by date_start alone"),
            );
            (s, s)
        }
        (Some(s), Some(e)) => (s, e),
        (Some(s), None) => (s, s),
        (None, Some(e)) => {
            report.warn_cell(
                sheet,
                row,
                c.date_start,
                format!("{label} has no date_start; it is dated by date_end alone"),
            );
            (e, e)
        }
        (None, None) => {
            report.skip(
                row,
                c.date_start,
                sheet.name(c.date_start),
                format!("{label} has no date; it was skipped"),
            );
            return None;
        }
    };
    let Some(when) = window(first, last) else {
        report.skip(
            row,
            c.date_start,
            sheet.name(c.date_start),
            format!("the dates of {label} are out of range; it was skipped"),
        );
        return None;
    };
    Some(when)
}

/// The viewer kind of a row from `type_of_violence`; a code other than 1, 2
/// or 3 is warned about and shown as `other`.
#[inline]
fn violence_kind(
    sheet: &Sheet,
    c: &Columns,
    row: &Row,
    label: &str,
    report: &mut Report,
) -> &'static str {
    let violence = row.get(Some(c.type_of_violence));
    match kind_for(violence) {
        Some(k) => k,
        None => {
            report.warn_cell(
                sheet,
                row,
                c.type_of_violence,
                format!(
                    "type_of_violence `{}` is not 1, 2 or 3; {label} is shown as `other`",
                    shorten(violence, 20)
                ),
            );
            "other"
        }
    }
}

/// The title of a row: who fought whom (or who struck), then the place.
#[inline]
fn row_title(kind: &str, side_a: &str, side_b: &str, place_name: &str) -> String {
    let mut title = match (kind, side_a.is_empty(), side_b.is_empty()) {
        ("violence", false, _) => format!("One-sided violence by {side_a}"),
        (_, false, false) => format!("Fighting: {side_a} vs {side_b}"),
        (_, false, true) => format!("Fighting: {side_a}"),
        _ => "Organised violence".to_string(),
    };
    if !place_name.is_empty() {
        title.push_str(&format!(" ({place_name})"));
    }
    shorten(&title, 140)
}

/// Deaths: `best`, `low` and `high`, read in that order; a figure that is
/// not a count is warned about and kept in `extra`.
#[inline]
fn deaths(
    sheet: &Sheet,
    c: &Columns,
    row: &Row,
    label: &str,
    report: &mut Report,
    extra: &mut BTreeMap<String, serde_json::Value>,
) -> Casualties {
    let mut count = |col: Option<usize>, extra: &mut BTreeMap<String, serde_json::Value>| {
        sheet::optional(
            sheet,
            row,
            col,
            report,
            extra,
            &label,
            "this casualty figure",
            parse_count,
        )
    };
    let best = count(c.best, extra);
    let low = count(c.low, extra);
    let high = count(c.high, extra);
    Casualties { low, best, high }
}

/// The place of a row: its name, province, country, `where_prec` in words
/// and coordinates.
#[inline]
fn write_place(
    r: &mut RowBuilder<'_>,
    place_name: &str,
    adm_1: &str,
    country: &str,
    where_prec: &str,
    (lat, lon): (Option<f64>, Option<f64>),
) {
    let precision = non_empty(where_prec).map(where_prec_words);
    r.place(PlaceParts {
        name: place_name,
        admin: non_empty(adm_1),
        country: non_empty(country),
        precision: precision.as_deref(),
        lat,
        lon,
    });
}

/// The UCDP codes of a row that are not empty, each under its `ucdp.` key.
#[inline]
fn write_codes(r: &mut RowBuilder<'_>, c: &Columns, row: &Row) {
    let codes = [
        ("ucdp.type_of_violence", Some(c.type_of_violence)),
        ("ucdp.conflict_name", c.conflict_name),
        ("ucdp.dyad_name", c.dyad_name),
        ("ucdp.where_prec", c.where_prec),
        ("ucdp.date_prec", c.date_prec),
        ("ucdp.event_clarity", c.event_clarity),
    ];
    row.codes_into(&codes, r);
}

/// The sources of a GED row. Offices, dates and headlines are `;` lists;
/// when they line up, each becomes one source, else one source holds them
/// as written. The article reference titles a source without a headline,
/// and is kept in `extra` otherwise.
fn sources(
    office: &str,
    date: &str,
    headline: &str,
    article: &str,
    extra: &mut BTreeMap<String, serde_json::Value>,
) -> Vec<Source> {
    if office.is_empty() && date.is_empty() && headline.is_empty() && article.is_empty() {
        return Vec::new();
    }
    let offices: Vec<&str> = split_list(office).collect();
    let dates: Vec<&str> = split_list(date).collect();
    let headlines: Vec<&str> = split_list(headline).collect();
    let n = offices.len().max(headlines.len()).max(dates.len());
    let lined_up = n > 1
        && (offices.is_empty() || offices.len() == n)
        && (dates.is_empty() || dates.len() == n)
        && (headlines.is_empty() || headlines.len() == n);
    let published = |s: &str| parse_day(s).ok().and_then(|d| window(d, d));
    let mut out: Vec<Source> = if lined_up {
        (0..n)
            .map(|i| Source {
                publisher: offices.get(i).map(|s| s.to_string()),
                title: headlines.get(i).map(|s| s.to_string()),
                published: dates.get(i).and_then(|d| published(d)),
                ..Source::default()
            })
            .collect()
    } else {
        vec![Source {
            publisher: non_empty(office).map(str::to_string),
            title: non_empty(headline).map(str::to_string),
            published: published(date),
            ..Source::default()
        }]
    };
    // A date that did not become `published` is kept as written.
    let dates_kept = if lined_up {
        dates.iter().all(|d| published(d).is_some())
    } else {
        date.is_empty() || published(date).is_some()
    };
    if !dates_kept {
        extra.insert("source_date".into(), date.into());
    }
    if !article.is_empty() {
        if headline.is_empty() && out.len() == 1 {
            out[0].title = Some(article.to_string());
        } else {
            extra.insert("source_article".into(), article.into());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Precision;
    use proptest::prelude::*;

    const HEADER: &str = "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob";

    #[test]
    fn violence_types() {
        assert_eq!(kind_for("1"), Some("clash"));
        assert_eq!(kind_for("2"), Some("clash"));
        assert_eq!(kind_for("3"), Some("violence"));
        assert_eq!(kind_for("4"), None);
        assert_eq!(where_prec_words("1"), "1: exact location");
        assert_eq!(where_prec_words("9"), "9");
    }

    #[test]
    fn windows_round_trip() {
        let a = NaiveDate::from_ymd_opt(2020, 9, 27).unwrap();
        let b = NaiveDate::from_ymd_opt(2020, 9, 30).unwrap();
        let one = window(a, a).unwrap();
        assert_eq!(one.precision, Precision::Day);
        assert!(!one.is_window());
        let w = window(a, b).unwrap();
        assert!(w.is_window());
        assert_eq!(w.precision, Precision::Day);
        assert_eq!(w.to_text(), "2020-09-27/2020-09-30");
        assert_eq!(FuzzyDate::parse(&w.to_text()).unwrap(), w);
    }

    #[test]
    fn sources_line_up_or_stay_whole() {
        let mut extra = BTreeMap::new();
        let s = sources(
            "AFP;Reuters",
            "2020-09-27;2020-09-28",
            "A;B",
            "",
            &mut extra,
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].publisher.as_deref(), Some("Reuters"));
        assert_eq!(s[1].title.as_deref(), Some("B"));
        assert!(extra.is_empty());
        let s = sources("AFP", "", "", "AFP,2020-09-27,Clashes", &mut extra);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].title.as_deref(), Some("AFP,2020-09-27,Clashes"));
        let s = sources("AFP", "someday", "H", "Ref", &mut extra);
        assert_eq!(s[0].published, None);
        assert_eq!(extra["source_date"], "someday");
        assert_eq!(extra["source_article"], "Ref");
    }

    #[test]
    fn not_ucdp_is_said_plainly() {
        let err = read(Path::new("x.csv"), b"a,b\n1,2\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("has no `id` column, so it is not a UCDP GED file"),
            "{err}"
        );
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let _ = read(Path::new("x.csv"), &bytes);
        }

        #[test]
        fn arbitrary_rows_never_panic(body in "[A-Za-z0-9,;/\\-\" \n\r.:é]{0,300}") {
            let text = format!("{HEADER}\n{body}");
            let _ = read(Path::new("x.csv"), text.as_bytes());
        }
    }
}

//! GDELT event files: tab-separated, no header.
//!
//! Three layouts exist and are told apart by the first row's column count:
//! 2.0 (61 columns), 1.0 daily files (58, no `ADM2Code` fields) and 1.0
//! files from before April 2013 (57, no `SOURCEURL` either). Rows of any
//! other length are reported and skipped.
//!
//! Every column has a home: typed fields (date, actors, place, source),
//! `codes` for CAMEO and GDELT classifications (kept as text, so `041` keeps
//! its zero), and `extra` under the GDELT column name for the rest.

use std::collections::HashMap;
use std::path::Path;

use crate::io::cells::lenient_json_value;
use crate::io::error::LoadError;
use crate::io::format::Format;
use crate::io::loaded::Loaded;
use crate::io::names::display_name;
use crate::io::report::{Problem, Report, Severity};
use crate::io::text::decode_text;
use crate::model::{Actor, Event, FuzzyDate, Place, Provenance, Role, Source, When};
use crate::table::Dataset;

/// Which of the three GDELT layouts a file uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// GDELT 1.0 before April 2013: 57 columns, no `SOURCEURL`.
    V1Early,
    /// GDELT 1.0 daily files: 58 columns, no `ADM2Code`.
    V1,
    /// GDELT 2.0: 61 columns.
    V2,
}

impl Layout {
    pub fn from_columns(n: usize) -> Option<Layout> {
        match n {
            57 => Some(Layout::V1Early),
            58 => Some(Layout::V1),
            61 => Some(Layout::V2),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Layout::V1Early => "GDELT 1.0 (before April 2013, 57 columns)",
            Layout::V1 => "GDELT 1.0 (58 columns)",
            Layout::V2 => "GDELT 2.0 (61 columns)",
        }
    }

    /// The column names in file order.
    pub fn columns(self) -> Vec<&'static str> {
        let mut cols = vec![
            "GLOBALEVENTID",
            "SQLDATE",
            "MonthYear",
            "Year",
            "FractionDate",
        ];
        for actor in ["Actor1", "Actor2"] {
            for field in ACTOR_FIELDS {
                cols.push(actor_column(actor, field));
            }
        }
        cols.extend([
            "IsRootEvent",
            "EventCode",
            "EventBaseCode",
            "EventRootCode",
            "QuadClass",
            "GoldsteinScale",
            "NumMentions",
            "NumSources",
            "NumArticles",
            "AvgTone",
        ]);
        for geo in ["Actor1Geo", "Actor2Geo", "ActionGeo"] {
            for field in GEO_FIELDS {
                if field == "ADM2Code" && self != Layout::V2 {
                    continue;
                }
                cols.push(geo_column(geo, field));
            }
        }
        cols.push("DATEADDED");
        if self != Layout::V1Early {
            cols.push("SOURCEURL");
        }
        cols
    }
}

const ACTOR_FIELDS: [&str; 10] = [
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
];

const GEO_FIELDS: [&str; 8] = [
    "Type",
    "FullName",
    "CountryCode",
    "ADM1Code",
    "ADM2Code",
    "Lat",
    "Long",
    "FeatureID",
];

/// Static names for the generated actor columns (`Actor1CountryCode`).
fn actor_column(actor: &str, field: &str) -> &'static str {
    const A1: [&str; 10] = [
        "Actor1Code",
        "Actor1Name",
        "Actor1CountryCode",
        "Actor1KnownGroupCode",
        "Actor1EthnicCode",
        "Actor1Religion1Code",
        "Actor1Religion2Code",
        "Actor1Type1Code",
        "Actor1Type2Code",
        "Actor1Type3Code",
    ];
    const A2: [&str; 10] = [
        "Actor2Code",
        "Actor2Name",
        "Actor2CountryCode",
        "Actor2KnownGroupCode",
        "Actor2EthnicCode",
        "Actor2Religion1Code",
        "Actor2Religion2Code",
        "Actor2Type1Code",
        "Actor2Type2Code",
        "Actor2Type3Code",
    ];
    let i = ACTOR_FIELDS.iter().position(|f| *f == field).unwrap_or(0);
    if actor == "Actor1" { A1[i] } else { A2[i] }
}

fn geo_column(geo: &str, field: &str) -> &'static str {
    const G1: [&str; 8] = [
        "Actor1Geo_Type",
        "Actor1Geo_FullName",
        "Actor1Geo_CountryCode",
        "Actor1Geo_ADM1Code",
        "Actor1Geo_ADM2Code",
        "Actor1Geo_Lat",
        "Actor1Geo_Long",
        "Actor1Geo_FeatureID",
    ];
    const G2: [&str; 8] = [
        "Actor2Geo_Type",
        "Actor2Geo_FullName",
        "Actor2Geo_CountryCode",
        "Actor2Geo_ADM1Code",
        "Actor2Geo_ADM2Code",
        "Actor2Geo_Lat",
        "Actor2Geo_Long",
        "Actor2Geo_FeatureID",
    ];
    const G3: [&str; 8] = [
        "ActionGeo_Type",
        "ActionGeo_FullName",
        "ActionGeo_CountryCode",
        "ActionGeo_ADM1Code",
        "ActionGeo_ADM2Code",
        "ActionGeo_Lat",
        "ActionGeo_Long",
        "ActionGeo_FeatureID",
    ];
    let i = GEO_FIELDS.iter().position(|f| *f == field).unwrap_or(0);
    match geo {
        "Actor1Geo" => G1[i],
        "Actor2Geo" => G2[i],
        _ => G3[i],
    }
}

/// Columns kept in `Event::codes`, with their key there.
const CODE_COLUMNS: [(&str, &str); 25] = [
    ("EventCode", "cameo.event_code"),
    ("EventBaseCode", "cameo.event_base_code"),
    ("EventRootCode", "cameo.event_root_code"),
    ("QuadClass", "gdelt.quad_class"),
    ("IsRootEvent", "gdelt.is_root_event"),
    ("Actor1Code", "cameo.actor1_code"),
    ("Actor1CountryCode", "cameo.actor1_country"),
    ("Actor1KnownGroupCode", "cameo.actor1_known_group"),
    ("Actor1EthnicCode", "cameo.actor1_ethnic"),
    ("Actor1Religion1Code", "cameo.actor1_religion1"),
    ("Actor1Religion2Code", "cameo.actor1_religion2"),
    ("Actor1Type1Code", "cameo.actor1_type1"),
    ("Actor1Type2Code", "cameo.actor1_type2"),
    ("Actor1Type3Code", "cameo.actor1_type3"),
    ("Actor2Code", "cameo.actor2_code"),
    ("Actor2CountryCode", "cameo.actor2_country"),
    ("Actor2KnownGroupCode", "cameo.actor2_known_group"),
    ("Actor2EthnicCode", "cameo.actor2_ethnic"),
    ("Actor2Religion1Code", "cameo.actor2_religion1"),
    ("Actor2Religion2Code", "cameo.actor2_religion2"),
    ("Actor2Type1Code", "cameo.actor2_type1"),
    ("Actor2Type2Code", "cameo.actor2_type2"),
    ("Actor2Type3Code", "cameo.actor2_type3"),
    ("ActionGeo_CountryCode", "fips.action_country"),
    ("ActionGeo_Type", "gdelt.action_geo_type"),
];

/// Columns whose value lives in a typed field of the event (or is the id),
/// and so is not repeated in `extra`.
const TYPED_COLUMNS: [&str; 8] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "Actor1Name",
    "Actor2Name",
    "ActionGeo_FullName",
    "ActionGeo_ADM1Code",
    "SOURCEURL",
    // Kept in `extra`, but always as text; see `read_row`.
    "ActionGeo_FeatureID",
];

/// The viewer kind for a CAMEO event code; see [`crate::model::classify::cameo`].
pub fn kind_for_cameo(code: &str) -> &'static str {
    crate::model::classify::cameo(code).kind
}

/// Words for CAMEO codes, most specific first.
const CAMEO_NAMES: [(&str, &str); 44] = [
    ("01", "make public statement"),
    ("02", "appeal"),
    ("03", "express intent to cooperate"),
    ("036", "express intent to meet or negotiate"),
    ("04", "consult"),
    ("040", "consult"),
    ("041", "discuss by telephone"),
    ("042", "make a visit"),
    ("043", "host a visit"),
    ("044", "meet at a third location"),
    ("045", "mediate"),
    ("046", "engage in negotiation"),
    ("05", "engage in diplomatic cooperation"),
    ("057", "sign formal agreement"),
    ("06", "engage in material cooperation"),
    ("07", "provide aid"),
    ("08", "yield"),
    ("086", "allow international involvement"),
    ("087", "de-escalate military engagement"),
    ("0871", "declare truce, ceasefire"),
    ("09", "investigate"),
    ("10", "demand"),
    ("11", "disapprove"),
    ("112", "accuse"),
    ("1123", "accuse of aggression"),
    ("12", "reject"),
    ("13", "threaten"),
    ("138", "threaten military force"),
    ("14", "protest"),
    ("15", "exhibit military posture"),
    ("152", "increase military alert status"),
    ("154", "mobilize or increase armed forces"),
    ("16", "reduce relations"),
    ("17", "coerce"),
    ("18", "assault"),
    ("19", "fight"),
    ("190", "use conventional military force"),
    ("191", "impose blockade, restrict movement"),
    ("192", "occupy territory"),
    ("193", "fight with small arms and light weapons"),
    ("194", "fight with artillery and tanks"),
    ("195", "employ aerial weapons"),
    ("196", "violate ceasefire"),
    ("20", "use unconventional mass violence"),
];

/// The words for a CAMEO code: the code itself if listed, else its base
/// (three-digit) or root (two-digit) code, else `CAMEO <code>`.
pub fn cameo_name(code: &str) -> String {
    let code = code.trim();
    for len in [4, 3, 2] {
        if let Some(prefix) = code.get(..len)
            && let Some((_, name)) = CAMEO_NAMES.iter().find(|(c, _)| *c == prefix)
        {
            return (*name).to_string();
        }
    }
    format!("CAMEO {code}")
}

/// A readable title: `ARMENIA discuss by telephone AZERBAIJAN`.
pub fn title_for(actor1: &str, code: &str, actor2: &str) -> String {
    let verb = cameo_name(code);
    let mut parts: Vec<String> = Vec::new();
    if !actor1.is_empty() {
        parts.push(actor1.to_string());
        parts.push(verb);
    } else {
        let mut chars = verb.chars();
        let capital: String = match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => String::new(),
        };
        parts.push(capital);
    }
    if !actor2.is_empty() {
        parts.push(actor2.to_string());
    }
    parts.join(" ")
}

/// The host of a URL (`www.` dropped), if it is easy to see.
pub fn url_host(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
    let host = &rest[..end];
    // Drop any user-info part.
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.strip_prefix("www.").unwrap_or(host);
    if host.is_empty() || !host.contains('.') {
        return None;
    }
    Some(host.to_ascii_lowercase())
}

/// Words for the GDELT geographic resolution code.
fn geo_type_words(code: &str) -> Option<&'static str> {
    match code.trim() {
        "1" => Some("country"),
        "2" => Some("US state"),
        "3" => Some("US city"),
        "4" => Some("world city"),
        "5" => Some("world state"),
        _ => None,
    }
}

fn parse_sqldate(text: &str) -> Result<FuzzyDate, String> {
    let t = text.trim();
    if t.len() != 8 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{t}` is not a date in the form YYYYMMDD"));
    }
    let num = |r: std::ops::Range<usize>| t[r].parse::<u32>().unwrap_or(0);
    let (y, m, d) = (num(0..4) as i32, num(4..6), num(6..8));
    FuzzyDate::day(y, m, d).ok_or_else(|| format!("`{t}` is not a date: there is no such day"))
}

fn parse_coordinate(text: &str, limit: f64) -> Option<f64> {
    crate::io::cells::parse_coordinate(text, limit).ok()
}

/// 1-based character column where field `index` of `line` starts.
fn field_column(fields: &[&str], index: usize) -> u64 {
    fields[..index.min(fields.len())]
        .iter()
        .map(|f| f.chars().count() as u64 + 1)
        .sum::<u64>()
        + 1
}

/// Where a column's value goes, decided once per file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dest {
    /// A typed field of the event, read by name.
    Typed,
    /// `Event::codes` under this key.
    Code(&'static str),
    /// The action's latitude or longitude: the place if it parses, else extra.
    Coordinate,
    /// `Event::extra` under the column name.
    Extra,
}

fn dest_of(column: &str) -> Dest {
    if let Some((_, key)) = CODE_COLUMNS.iter().find(|(c, _)| *c == column) {
        Dest::Code(key)
    } else if TYPED_COLUMNS.contains(&column) {
        Dest::Typed
    } else if matches!(column, "ActionGeo_Lat" | "ActionGeo_Long") {
        Dest::Coordinate
    } else {
        Dest::Extra
    }
}

struct RowContext<'a> {
    file: &'a str,
    columns: &'a [&'static str],
    dests: &'a [Dest],
    index: &'a HashMap<&'static str, usize>,
}

/// Read one row whose length matches the layout.
fn read_row(ctx: &RowContext, fields: &[&str], line: u64) -> Result<Event, Problem> {
    let get = |name: &str| -> &str {
        ctx.index
            .get(name)
            .and_then(|&i| fields.get(i))
            .map_or("", |s| s.trim())
    };
    let col = |name: &str| ctx.index.get(name).map(|&i| field_column(fields, i));
    let fail = |name: &str, message: String| Problem {
        severity: Severity::Error,
        line: Some(line),
        column: col(name),
        field: Some(name.to_string()),
        message: format!("{message}; the row was skipped"),
    };

    let id = get("GLOBALEVENTID");
    if id.is_empty() {
        return Err(fail("GLOBALEVENTID", "the event id is empty".into()));
    }
    let date = parse_sqldate(get("SQLDATE")).map_err(|m| fail("SQLDATE", m))?;

    let code = [get("EventCode"), get("EventBaseCode"), get("EventRootCode")]
        .into_iter()
        .find(|c| !c.is_empty())
        .unwrap_or("");
    let actor_name = |name: &str, code: &str| {
        let name = get(name);
        if name.is_empty() {
            get(code).to_string()
        } else {
            name.to_string()
        }
    };
    let a1 = actor_name("Actor1Name", "Actor1Code");
    let a2 = actor_name("Actor2Name", "Actor2Code");
    let title = title_for(&a1, code, &a2);
    let mut event = Event::new(format!("gdelt-{id}"), title, "other", When::point(date));
    crate::model::classify::cameo(code).apply(&mut event);
    for (name, country_column, role) in [
        (&a1, "Actor1CountryCode", Role::Initiator),
        (&a2, "Actor2CountryCode", Role::Target),
    ] {
        if name.is_empty() {
            continue;
        }
        let country = get(country_column);
        event.actors.push(Actor {
            name: name.clone(),
            role,
            affiliation: None,
            country: (!country.is_empty()).then(|| country.to_string()),
        });
    }

    // Place: the action's location.
    let place_name = get("ActionGeo_FullName");
    let lat_text = get("ActionGeo_Lat");
    let lon_text = get("ActionGeo_Long");
    let lat = parse_coordinate(lat_text, 90.0);
    let lon = parse_coordinate(lon_text, 180.0);
    let geo_country = get("ActionGeo_CountryCode");
    let geo_type = get("ActionGeo_Type");
    let adm1 = get("ActionGeo_ADM1Code");
    if !place_name.is_empty() || lat.is_some() || !geo_country.is_empty() || !adm1.is_empty() {
        event.place = Some(Place {
            name: if place_name.is_empty() {
                geo_country.to_string()
            } else {
                place_name.to_string()
            },
            admin: (!adm1.is_empty()).then(|| adm1.to_string()),
            country: (!geo_country.is_empty()).then(|| geo_country.to_string()),
            lat,
            lon,
            precision: match geo_type_words(geo_type) {
                Some(words) => Some(words.to_string()),
                None if !geo_type.is_empty() => Some(geo_type.to_string()),
                None => None,
            },
        });
    }

    let url = get("SOURCEURL");
    if !url.is_empty() {
        event.sources.push(Source {
            publisher: url_host(url),
            url: Some(url.to_string()),
            ..Source::default()
        });
    }

    // Codes, and everything else under its GDELT column name in `extra`.
    for ((column, dest), raw) in ctx.columns.iter().zip(ctx.dests).zip(fields) {
        let v = raw.trim();
        if v.is_empty() {
            continue;
        }
        match dest {
            Dest::Code(key) => {
                event.codes.insert((*key).to_string(), v.to_string());
            }
            Dest::Coordinate => {
                let placed = if *column == "ActionGeo_Lat" {
                    lat.is_some()
                } else {
                    lon.is_some()
                };
                if !placed {
                    event
                        .extra
                        .insert((*column).to_string(), lenient_json_value(v));
                }
            }
            Dest::Extra => {
                event
                    .extra
                    .insert((*column).to_string(), lenient_json_value(v));
            }
            Dest::Typed => {}
        }
    }
    // The feature id is a code (it may be text, or a signed number).
    let feature = get("ActionGeo_FeatureID");
    if !feature.is_empty() {
        event.extra.insert(
            "ActionGeo_FeatureID".into(),
            serde_json::Value::String(feature.to_string()),
        );
    }

    event.provenance = Some(Provenance {
        format: "gdelt".into(),
        file: Some(ctx.file.to_string()),
        record: Some(id.to_string()),
        line: Some(line),
    });
    Ok(event)
}

pub fn read(path: &Path, bytes: &[u8]) -> Result<Loaded, LoadError> {
    let invalid = |message: String| LoadError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    crate::io::text::refuse_binary(path, bytes, "a GDELT event file (tab-separated text)")?;
    let decoded = decode_text(bytes);
    let text = decoded.text;
    let mut report = Report::with(decoded.problems);
    let file = display_name(path);

    type Plan = (
        Layout,
        Vec<&'static str>,
        Vec<Dest>,
        HashMap<&'static str, usize>,
    );
    let mut layout: Option<Plan> = None;
    let mut events = crate::table::EventTable::new();
    for (i, raw_line) in text.split('\n').enumerate() {
        let line_no = i as u64 + 1;
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if layout.is_none() {
            let Some(l) = Layout::from_columns(fields.len()) else {
                return Err(invalid(format!(
                    "is not a GDELT event file: its first row (line {line_no}) has {} tab-separated column{}, but GDELT files have 57, 58 or 61",
                    fields.len(),
                    if fields.len() == 1 { "" } else { "s" }
                )));
            };
            let columns = l.columns();
            let index = columns.iter().enumerate().map(|(i, c)| (*c, i)).collect();
            let dests = columns.iter().map(|c| dest_of(c)).collect();
            layout = Some((l, columns, dests, index));
            // A header row some tools add: skip it quietly.
            if fields[0].trim().eq_ignore_ascii_case("GLOBALEVENTID") {
                continue;
            }
        }
        let Some((l, columns, dests, index)) = &layout else {
            continue;
        };
        if fields.len() != columns.len() {
            report.skip_with(Problem {
                severity: Severity::Error,
                line: Some(line_no),
                column: None,
                field: None,
                message: format!(
                    "the row has {} columns, but this {} file's rows have {}; the row was skipped",
                    fields.len(),
                    l.name(),
                    columns.len()
                ),
            });
            continue;
        }
        let ctx = RowContext {
            file: &file,
            columns,
            dests,
            index,
        };
        match read_row(&ctx, &fields, line_no) {
            Ok(event) => {
                report.check_id_at(
                    event.id.trim_start_matches("gdelt-"),
                    line_no,
                    Some(1),
                    Some("GLOBALEVENTID"),
                );
                events.push(&event);
            }
            Err(p) => report.skip_with(p),
        }
    }
    let Some((l, ..)) = layout else {
        return Err(invalid(
            "is empty: a GDELT event file has one tab-separated event per line".into(),
        ));
    };
    Ok(Loaded::of_report(
        path,
        Format::Gdelt,
        Dataset {
            title: format!("GDELT events: {file}"),
            description: format!("{} event file", l.name()),
            kinds: Vec::new(),
            eras: Vec::new(),
            events,
            ..Dataset::default()
        },
        report,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Precision;
    use proptest::prelude::*;

    #[test]
    fn layouts_have_the_documented_lengths() {
        assert_eq!(Layout::V2.columns().len(), 61);
        assert_eq!(Layout::V1.columns().len(), 58);
        assert_eq!(Layout::V1Early.columns().len(), 57);
        let v2 = Layout::V2.columns();
        assert_eq!(v2[26], "EventCode");
        assert_eq!(v2[56], "ActionGeo_Lat");
        assert_eq!(v2[60], "SOURCEURL");
        assert_eq!(Layout::V1.columns()[57], "SOURCEURL");
        assert_eq!(Layout::V1Early.columns()[56], "DATEADDED");
    }

    #[test]
    fn cameo_kinds() {
        let cases = [
            ("041", "call"),
            ("036", "meeting"),
            ("040", "meeting"),
            ("042", "meeting"),
            ("043", "meeting"),
            ("044", "meeting"),
            ("045", "meeting"),
            ("046", "meeting"),
            ("010", "statement"),
            ("020", "statement"),
            ("031", "statement"),
            ("112", "statement"),
            ("1123", "statement"),
            ("138", "statement"),
            ("057", "agreement"),
            ("061", "agreement"),
            ("0871", "truce"),
            ("086", "other"),
            ("0861", "deployment"),
            ("0862", "other"),
            ("0872", "other"),
            ("0874", "other"),
            ("190", "clash"),
            ("193", "clash"),
            ("194", "clash"),
            ("196", "clash"),
            ("19", "clash"),
            ("181", "clash"),
            ("202", "clash"),
            ("195", "strike"),
            ("1951", "strike"),
            ("192", "territorial"),
            ("152", "deployment"),
            ("154", "deployment"),
            ("084", "other"),
            ("141", "other"),
            ("", "other"),
            ("4x", "other"),
        ];
        for (code, kind) in cases {
            assert_eq!(kind_for_cameo(code), kind, "code {code:?}");
        }
    }

    #[test]
    fn cameo_titles() {
        assert_eq!(
            title_for("ARMENIA", "041", "AZERBAIJAN"),
            "ARMENIA discuss by telephone AZERBAIJAN"
        );
        assert_eq!(cameo_name("1951"), "employ aerial weapons");
        assert_eq!(cameo_name("0871"), "declare truce, ceasefire");
        assert_eq!(cameo_name("0872"), "de-escalate military engagement");
        assert_eq!(cameo_name("999"), "CAMEO 999");
        assert_eq!(title_for("", "190", ""), "Use conventional military force");
    }

    #[test]
    fn hosts() {
        assert_eq!(
            url_host("https://www.rferl.org/a/x.html").as_deref(),
            Some("rferl.org")
        );
        assert_eq!(
            url_host("http://news.am:80/eng").as_deref(),
            Some("news.am")
        );
        assert_eq!(url_host("ftp://x.org"), None);
    }

    fn row(cols: usize, code: &str) -> String {
        let mut f = vec![String::new(); cols];
        f[0] = "1055555555".into();
        f[1] = "20220805".into();
        f[5] = "ARM".into();
        f[6] = "ARMENIA".into();
        f[7] = "ARM".into();
        f[26] = code.into();
        f.join("\t")
    }

    #[test]
    fn one_row_reads() {
        let text = row(61, "041");
        let l = read(Path::new("x.export.CSV"), text.as_bytes()).unwrap();
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        let e = l.dataset.events.get(0).unwrap();
        assert_eq!(e.id, "gdelt-1055555555");
        assert_eq!(e.kind, "call");
        assert_eq!(e.when.start.precision, Precision::Day);
        assert_eq!(e.codes["cameo.event_code"], "041");
        assert_eq!(e.actors[0].country.as_deref(), Some("ARM"));
    }

    #[test]
    fn not_gdelt_is_named() {
        let err = read(Path::new("x.csv"), b"a,b,c\n1,2,3\n").unwrap_err();
        assert!(
            err.to_string().contains("is not a GDELT event file"),
            "{err}"
        );
        let err = read(Path::new("x.csv"), b"").unwrap_err();
        assert!(err.to_string().contains("empty"), "{err}");
    }

    #[test]
    fn bad_date_is_located() {
        let text = row(58, "190").replace("20220805", "20220231");
        let l = read(Path::new("x.CSV"), text.as_bytes()).unwrap();
        assert_eq!(l.skipped, 1);
        let p = &l.problems[0];
        assert_eq!(p.field.as_deref(), Some("SQLDATE"));
        assert_eq!(p.line, Some(1));
        assert_eq!(p.column, Some(12));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = read(Path::new("x.CSV"), &bytes);
        }

        #[test]
        fn arbitrary_rows_never_panic(
            fields in proptest::collection::vec("[0-9A-Za-z\\.\\-:/ ]{0,10}", 61..62)
        ) {
            let text = fields.join("\t");
            let _ = read(Path::new("x.CSV"), text.as_bytes());
        }
    }
}

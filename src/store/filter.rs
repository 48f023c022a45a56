//! Filters and full-text search over the store's columns, with faceted
//! counts (each choice counted under all the *other* filters).

use std::collections::BTreeSet;

pub use super::search::SearchText;
use super::{EventIx, Store};
use crate::model::{FuzzyDate, Instant};

/// Per-event annotation bits the filter can test (kept by the UI layer).
pub const STARRED: u8 = 1;
pub const TAGGED: u8 = 2;
pub const REVIEWED: u8 = 4;

/// Per-event truce bits the filter can test (computed by
/// `analysis::truce`): a clash between a truce's parties in its period...
pub const VIOLATION_POSSIBLE: u8 = 1;
/// ...and an event a source calls a ceasefire violation.
pub const VIOLATION_REPORTED: u8 = 2;

/// Which truce violations to show; neither set shows every event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ViolationFacet {
    pub possible: bool,
    pub reported: bool,
}

impl ViolationFacet {
    pub fn is_set(&self) -> bool {
        self.possible || self.reported
    }

    /// Words for the chip: "possible or reported".
    pub fn describe(&self) -> &'static str {
        match (self.possible, self.reported) {
            (true, true) => "possible or reported",
            (true, false) => "possible",
            (false, true) => "reported",
            (false, false) => "any",
        }
    }
}

/// Only these events, by id, and what chose them (a network edge or actor:
/// "Antony Blinken → Nikol Pashinian").
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct EventSet {
    pub label: String,
    pub ids: BTreeSet<String>,
}

/// How a date range treats events whose dates are not exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum DateMode {
    /// The event's whole uncertainty window lies inside the range.
    Certainly,
    /// Some part of its window overlaps the range.
    #[default]
    Possibly,
}

/// Match any or all of the chosen actors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum ActorMode {
    #[default]
    Any,
    All,
}

/// A filter: every part that is set must hold. Names (kinds by id, actors,
/// countries, files) rather than store indexes, so a filter survives
/// reloading and can be persisted.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Filter {
    /// Kind ids to show; empty shows all.
    pub kinds: BTreeSet<String>,
    pub actors: BTreeSet<String>,
    pub actor_mode: ActorMode,
    pub countries: BTreeSet<String>,
    pub files: BTreeSet<String>,
    /// Typed text of the range ends ("2022-08", "2020"); either may be empty.
    pub date_from: String,
    pub date_to: String,
    pub date_mode: DateMode,
    pub min_casualties: Option<u64>,
    pub has_coordinates: bool,
    pub starred: bool,
    pub tagged: bool,
    pub reviewed: Option<bool>,
    /// The search box text (words and `field:value` terms).
    pub search: String,
    /// Only what happened within some days of one event (X).
    pub context: Option<Box<ContextWindow>>,
    /// Truce violations only (see [`ViolationFacet`]).
    pub violations: ViolationFacet,
    /// Only the events a network edge or actor stands for.
    pub only: Option<EventSet>,
    /// Only events located inside this box (Shift+drag on the map).
    pub area: Option<Area>,
}

/// The days around one event: events whose possible dates come within
/// `days` of its moment pass.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ContextWindow {
    /// The event's id and title, to name it in the chip.
    pub event_id: String,
    pub title: String,
    /// Its moment (the store's anchor).
    pub at: Instant,
    pub days: u32,
}

impl ContextWindow {
    /// The window of `days` around event `ix` of `store`.
    pub fn around(store: &Store, ix: EventIx, days: u32) -> Option<ContextWindow> {
        let e = store.event(ix)?;
        Some(ContextWindow {
            event_id: e.id.clone(),
            title: e.title.clone(),
            at: *store.anchor.get(ix as usize)?,
            days,
        })
    }

    /// The instants it spans.
    pub fn span(&self) -> (Instant, Instant) {
        let d = i64::from(self.days) * 86_400;
        (self.at.saturating_sub(d), self.at.saturating_add(d))
    }
}

/// A longitude/latitude box, in degrees. `west <= east` (a box never
/// crosses the antimeridian: the map does not wrap).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Area {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl Area {
    /// The box spanned by two corners, in any order.
    pub fn from_corners(a: (f64, f64), b: (f64, f64)) -> Area {
        Area {
            west: a.0.min(b.0),
            east: a.0.max(b.0),
            south: a.1.min(b.1),
            north: a.1.max(b.1),
        }
    }

    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        (self.west..=self.east).contains(&lon) && (self.south..=self.north).contains(&lat)
    }

    /// "39.2–40.1° N, 45.9–47.3° E" (for the filter chip).
    pub fn describe(&self) -> String {
        let ns = |v: f64| if v < 0.0 { "S" } else { "N" };
        let ew = |v: f64| if v < 0.0 { "W" } else { "E" };
        let lat = |v: f64| format!("{:.1}° {}", v.abs(), ns(v));
        let lon = |v: f64| format!("{:.1}° {}", v.abs(), ew(v));
        format!(
            "{} – {}, {} – {}",
            lat(self.south),
            lat(self.north),
            lon(self.west),
            lon(self.east)
        )
    }
}

/// The facets that have counts beside their choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Facet {
    Kind = 0,
    Actor = 1,
    Country = 2,
    File = 3,
    Other = 4,
}

/// A filter resolved against one store: names turned into indexes, dates
/// parsed, the search split into terms.
pub struct Compiled {
    kinds: Option<Vec<bool>>,
    actors: Vec<u32>,
    actor_mode: ActorMode,
    countries: Option<Vec<bool>>,
    files: Option<Vec<bool>>,
    range: Option<(Instant, Instant)>,
    date_mode: DateMode,
    context: Option<(Instant, Instant)>,
    min_casualties: Option<u64>,
    has_coordinates: bool,
    area: Option<Area>,
    flags_all: u8,
    reviewed: Option<bool>,
    search: Query,
    /// An actor was named that no event has: nothing can match.
    impossible: bool,
    violations: ViolationFacet,
    /// Per event: [`VIOLATION_POSSIBLE`] / [`VIOLATION_REPORTED`] bits.
    violation_flags: std::sync::Arc<Vec<u8>>,
    /// Per event: in the chosen set.
    only: Option<Vec<bool>>,
}

/// What is wrong with a filter the user typed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("date range start: {0}")]
    From(String),
    #[error("date range end: {0}")]
    To(String),
}

/// Lower-case and strip accents, so that "Aliyev" finds "ALİYEV" and
/// "Pashinyan" finds "Pashinyán".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(&mut out, text);
    out
}

/// [`fold`] `text` onto the end of `out`.
pub fn fold_into(out: &mut String, mut text: &str) {
    // Most text is ASCII: copy each ASCII run whole and lower-case it in
    // place; only the other characters go through the table below.
    while !text.is_empty() {
        let run = text
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(text.len());
        let at = out.len();
        out.push_str(&text[..run]);
        out[at..].make_ascii_lowercase();
        text = &text[run..];
        let Some(c) = text.chars().next() else { break };
        text = &text[c.len_utf8()..];
        fold_char(out, c);
    }
}

fn fold_char(out: &mut String, c: char) {
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å'
        | 'Ā' => 'a',
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'ə' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ə' => {
            'e'
        }
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'İ' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'ń' | 'ň' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => {
            'o'
        }
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ş' | 'ś' | 'š' | 'Ş' | 'Ś' | 'Š' => 's',
        'ğ' | 'Ğ' => 'g',
        'ž' | 'ź' | 'ż' | 'Ž' => 'z',
        'ł' | 'Ł' => 'l',
        'ř' | 'Ř' => 'r',
        'ť' | 'Ť' => 't',
        'ď' | 'Ď' => 'd',
        '’' | '‘' => '\'',
        '“' | '”' => '"',
        other => other,
    };
    out.extend(base.to_lowercase());
}

/// A search: plain words must all occur in the event's text; `field:value`
/// terms must occur in that field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    pub words: Vec<String>,
    pub fields: Vec<(Field, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Actor,
    Kind,
    Place,
    Source,
    Tag,
    Title,
}

impl Query {
    pub fn parse(text: &str) -> Query {
        let mut q = Query::default();
        for token in split_terms(text) {
            if let Some((name, value)) = token.split_once(':') {
                let field = match name.to_ascii_lowercase().as_str() {
                    "actor" | "who" => Some(Field::Actor),
                    "kind" | "type" => Some(Field::Kind),
                    "place" | "where" | "country" => Some(Field::Place),
                    "source" | "quote" => Some(Field::Source),
                    "tag" => Some(Field::Tag),
                    "title" => Some(Field::Title),
                    _ => None,
                };
                if let Some(f) = field
                    && !value.is_empty()
                {
                    q.fields.push((f, fold(value)));
                    continue;
                }
            }
            q.words.push(fold(&token));
        }
        q
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.fields.is_empty()
    }
}

/// Words, with "double quoted phrases" kept together.
fn split_terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Start of a typed range end: "2022-08" → 1 August 2022 00:00.
fn range_start(text: &str) -> Result<Option<Instant>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    FuzzyDate::parse(t)
        .map(|d| Some(d.earliest))
        .map_err(|e| e.to_string())
}

/// End of a typed range end: "2022-08" → 31 August 2022 23:59:59.
fn range_end(text: &str) -> Result<Option<Instant>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    FuzzyDate::parse(t)
        .map(|d| Some(d.latest))
        .map_err(|e| e.to_string())
}

impl Filter {
    pub fn is_active(&self) -> bool {
        *self != Filter::default() && self.clone().without_mode() != Filter::default()
    }

    /// Whether anything besides the search is chosen (what the chips show).
    pub fn hides_events(&self) -> bool {
        self.clone().with_search_cleared().is_active()
    }

    /// The same filter without its search text (the search highlights and
    /// narrows the table; the rest filters everything).
    pub fn with_search_cleared(mut self) -> Filter {
        self.search.clear();
        self
    }

    /// The filter with its modes reset, to tell whether anything is chosen.
    fn without_mode(mut self) -> Filter {
        self.actor_mode = ActorMode::Any;
        self.date_mode = DateMode::Possibly;
        self
    }

    pub fn compile(&self, store: &Store) -> Result<Compiled, FilterError> {
        let from = range_start(&self.date_from).map_err(FilterError::From)?;
        let to = range_end(&self.date_to).map_err(FilterError::To)?;
        let range = match (from, to) {
            (None, None) => None,
            (a, b) => Some((a.unwrap_or(Instant::MIN), b.unwrap_or(Instant::MAX))),
        };
        let set = |names: &BTreeSet<String>, n: usize, lookup: &dyn Fn(&str) -> Option<usize>| {
            (!names.is_empty()).then(|| {
                let mut v = vec![false; n];
                for name in names {
                    if let Some(i) = lookup(name) {
                        v[i] = true;
                    }
                }
                v
            })
        };
        let kinds = set(&self.kinds, store.kinds.len(), &|n| {
            store.kinds.iter().position(|k| k.id == n)
        });
        let countries = set(&self.countries, store.countries.len(), &|n| {
            store.countries.get(n).map(|x| x as usize)
        });
        let files = set(&self.files, store.files.len(), &|n| {
            store.files.get(n).map(|x| x as usize)
        });
        let actors: Vec<u32> = self
            .actors
            .iter()
            .filter_map(|a| store.actors.get(a))
            .collect();
        let impossible = (self.actor_mode == ActorMode::All && actors.len() < self.actors.len())
            || (!self.actors.is_empty() && actors_empty_any(&actors, self.actor_mode));
        if self.area.is_some() {
            // Build the column now, on the thread that compiles (a worker
            // for large stores), not inside the run.
            store.coordinates();
        }
        Ok(Compiled {
            kinds,
            actors,
            actor_mode: self.actor_mode,
            countries,
            files,
            range,
            date_mode: self.date_mode,
            context: self.context.as_deref().map(ContextWindow::span),
            min_casualties: self.min_casualties,
            has_coordinates: self.has_coordinates,
            area: self.area,
            flags_all: (if self.starred { STARRED } else { 0 })
                | (if self.tagged { TAGGED } else { 0 }),
            reviewed: self.reviewed,
            search: Query::parse(&self.search),
            impossible,
            violations: self.violations,
            violation_flags: Default::default(),
            only: self
                .only
                .as_ref()
                .map(|set| store.ids().map(|id| set.ids.contains(id)).collect()),
        })
    }
}

fn actors_empty_any(actors: &[u32], mode: ActorMode) -> bool {
    mode == ActorMode::Any && actors.is_empty()
}

/// Result of running a filter: which events pass, and faceted counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilterResult {
    /// Events passing the filter (the search aside).
    pub visible: Vec<bool>,
    pub count: usize,
    /// Visible events that also match the search, in time order; all
    /// visible events when there is no search.
    pub matched: Vec<EventIx>,
    /// Whether a search was given (`matched` then highlights).
    pub searching: bool,
    /// Reviewed events among the visible ones.
    pub reviewed: usize,
    /// Per kind index / actor id / country id / file id: how many events
    /// would pass if that facet's own choice were ignored.
    pub kind_counts: Vec<usize>,
    pub actor_counts: Vec<usize>,
    pub country_counts: Vec<usize>,
    pub file_counts: Vec<usize>,
}

impl Compiled {
    /// Give the compiled filter the store's truce bits, for the
    /// violations facet (without them no event is a violation).
    pub fn with_violation_flags(mut self, flags: std::sync::Arc<Vec<u8>>) -> Compiled {
        self.violation_flags = flags;
        self
    }

    /// Bit `f` set: the event fails facet `f`.
    fn failures(&self, store: &Store, flags: &[u8], i: usize) -> u8 {
        let mut fail = 0u8;
        let bit = |f: Facet| 1u8 << (f as u8);
        if self.impossible {
            fail |= bit(Facet::Actor);
        }
        if let Some(k) = &self.kinds
            && !k[store.kind[i] as usize]
        {
            fail |= bit(Facet::Kind);
        }
        if !self.actors.is_empty() {
            let row = store.event_actors.row(i);
            let ok = match self.actor_mode {
                ActorMode::Any => self.actors.iter().any(|a| row.contains(a)),
                ActorMode::All => self.actors.iter().all(|a| row.contains(a)),
            };
            if !ok {
                fail |= bit(Facet::Actor);
            }
        }
        if let Some(c) = &self.countries
            && !store.event_countries.row(i).iter().any(|&x| c[x as usize])
        {
            fail |= bit(Facet::Country);
        }
        if let Some(f) = &self.files
            && !f[store.event_file[i] as usize]
        {
            fail |= bit(Facet::File);
        }
        if !self.passes_rest(store, flags, i) {
            fail |= bit(Facet::Other);
        }
        fail
    }

    fn passes_rest(&self, store: &Store, flags: &[u8], i: usize) -> bool {
        if let Some((a, b)) = self.range {
            let (e0, e1) = (store.earliest[i], store.latest[i]);
            let ok = match self.date_mode {
                DateMode::Certainly => e0 >= a && e1 <= b,
                DateMode::Possibly => e0 <= b && e1 >= a,
            };
            if !ok {
                return false;
            }
        }
        if let Some((a, b)) = self.context
            && !(store.earliest[i] <= b && store.latest[i] >= a)
        {
            return false;
        }
        if self.violations.is_set() {
            let v = self.violation_flags.get(i).copied().unwrap_or(0);
            let ok = (self.violations.possible && v & VIOLATION_POSSIBLE != 0)
                || (self.violations.reported && v & VIOLATION_REPORTED != 0);
            if !ok {
                return false;
            }
        }
        if let Some(only) = &self.only
            && !only.get(i).copied().unwrap_or(false)
        {
            return false;
        }
        let f = flags.get(i).copied().unwrap_or(0);
        if f & self.flags_all != self.flags_all {
            return false;
        }
        if let Some(r) = self.reviewed
            && (f & REVIEWED != 0) != r
        {
            return false;
        }
        let ix = i as EventIx;
        if let Some(min) = self.min_casualties
            && store.casualties(ix).and_then(|c| c.figure()).unwrap_or(0) < min
        {
            return false;
        }
        if self.has_coordinates && store.lon_lat(ix).is_none() {
            return false;
        }
        if let Some(area) = &self.area {
            let c = store.coordinates().get(i).copied().unwrap_or([f32::NAN; 2]);
            // NaN (no coordinates) is inside no area.
            if !area.contains(c[0] as f64, c[1] as f64) {
                return false;
            }
        }
        true
    }

    /// Run over every event (use [`run_range`] pieces on worker threads for
    /// very large stores).
    pub fn run(&self, store: &Store, text: &SearchText, flags: &[u8]) -> FilterResult {
        let mut r = FilterResult {
            visible: vec![false; store.len()],
            kind_counts: vec![0; store.kinds.len()],
            actor_counts: vec![0; store.actors.len()],
            country_counts: vec![0; store.countries.len()],
            file_counts: vec![0; store.files.len()],
            count: 0,
            matched: Vec::new(),
            searching: !self.search.is_empty(),
            reviewed: 0,
        };
        let others = |fail: u8, facet: Facet| fail & !(1u8 << (facet as u8)) == 0;
        let search = (!self.search.is_empty()).then(|| text.mask(store, &self.search));
        for i in 0..store.len() {
            let fail = self.failures(store, flags, i);
            if fail == 0 {
                r.visible[i] = true;
                r.count += 1;
                if flags.get(i).is_some_and(|f| f & REVIEWED != 0) {
                    r.reviewed += 1;
                }
                if search.as_ref().is_none_or(|m| m[i]) {
                    r.matched.push(i as EventIx);
                }
            }
            if others(fail, Facet::Kind) {
                r.kind_counts[store.kind[i] as usize] += 1;
            }
            if others(fail, Facet::Actor) {
                for &a in store.event_actors.row(i) {
                    r.actor_counts[a as usize] += 1;
                }
            }
            if others(fail, Facet::Country) {
                for &c in store.event_countries.row(i) {
                    r.country_counts[c as usize] += 1;
                }
            }
            if others(fail, Facet::File) {
                r.file_counts[store.event_file[i] as usize] += 1;
            }
        }
        r
    }
}

#[cfg(test)]
#[path = "filter_tests.rs"]
mod tests;

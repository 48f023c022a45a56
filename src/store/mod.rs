//! The immutable in-memory store the viewer reads from.
//!
//! Built once from a [`Dataset`], then shared as `Arc<Store>`. Events are
//! sorted by their anchor (likeliest moment of a point, start of a span);
//! the hot per-event values live in columns so that queries and drawing walk
//! small contiguous arrays, while the full [`Event`] is kept apart for the
//! detail panel.

pub mod filter;
pub mod filtered;
pub mod interval;
pub mod lanes;

use std::collections::HashMap;

use crate::model::{Dataset, Era, Event, Instant, KindDef};
pub use interval::IntervalIndex;
pub use lanes::{Lane, LaneGrouping, LaneSet};

/// Index of an event in the store (its position in anchor order).
pub type EventIx = u32;

/// Names interned once: lanes and filters compare small integers.
#[derive(Clone, Debug, Default)]
pub struct Interner {
    names: Vec<String>,
    lookup: HashMap<String, u32>,
}

impl Interner {
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.lookup.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.lookup.insert(name.to_string(), id);
        id
    }

    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }

    pub fn get(&self, name: &str) -> Option<u32> {
        self.lookup.get(name).copied()
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// A many-valued column in compressed form: values of event `i` are
/// `values[offsets[i]..offsets[i+1]]`.
#[derive(Clone, Debug, Default)]
pub struct MultiColumn {
    offsets: Vec<u32>,
    values: Vec<u32>,
}

impl MultiColumn {
    fn push_row(&mut self, row: impl IntoIterator<Item = u32>) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        self.values.extend(row);
        self.offsets.push(self.values.len() as u32);
    }

    pub fn row(&self, i: usize) -> &[u32] {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.values[a as usize..b as usize],
            _ => &[],
        }
    }
}

#[derive(Debug)]
pub struct Store {
    pub title: String,
    pub description: String,
    /// Kinds in display order; `kind[i]` indexes this list.
    pub kinds: Vec<KindDef>,
    /// The kinds the datasets themselves defined (what a save writes back).
    pub defined_kinds: Vec<KindDef>,
    pub eras: Vec<Era>,
    /// Events dropped because a later file held a newer version of the same
    /// record (same format and record id, e.g. an ACLED `event_id_cnty`).
    pub replaced: usize,
    events: Vec<Event>,
    /// Likeliest moment of a point, earliest start of a span; sorted.
    pub anchor: Vec<Instant>,
    pub earliest: Vec<Instant>,
    pub latest: Vec<Instant>,
    pub kind: Vec<u16>,
    pub is_span: Vec<bool>,
    pub is_fuzzy: Vec<bool>,
    pub actors: Interner,
    pub event_actors: MultiColumn,
    /// Countries or sides: of the actors, else of the place.
    pub countries: Interner,
    pub event_countries: MultiColumn,
    pub files: Interner,
    pub event_file: Vec<u32>,
    /// Which of the datasets given to [`Store::from_datasets`] each event
    /// came from (the file it was read from, where `files` names the file
    /// its record says it came from).
    pub origin: Vec<u32>,
    overlap: IntervalIndex,
    /// Earliest and latest moments of any event, computed once.
    range: Option<(Instant, Instant)>,
    /// Events of each kind, computed once (panels ask every frame).
    kind_totals: Vec<usize>,
    /// Longitude and latitude per event, built on first use (see
    /// [`Store::coordinates`]).
    coordinates: std::sync::OnceLock<Vec<[f32; 2]>>,
}

impl Store {
    pub fn build(dataset: Dataset) -> Store {
        Store::from_datasets(vec![dataset])
    }

    /// Merge several datasets (several files opened together) into one
    /// store; each event remembers the file it came from.
    pub fn from_datasets(datasets: Vec<Dataset>) -> Store {
        let mut merged = Dataset::default();
        let mut titles = Vec::new();
        let mut event_files: Vec<Option<String>> = Vec::new();
        let mut event_origins: Vec<u32> = Vec::new();
        for (origin, d) in datasets.into_iter().enumerate() {
            if !d.title.is_empty() {
                titles.push(d.title.clone());
            }
            if merged.description.is_empty() {
                merged.description = d.description.clone();
            }
            for k in d.kinds {
                match merged.kinds.iter_mut().find(|m| m.id == k.id) {
                    Some(m) => *m = k,
                    None => merged.kinds.push(k),
                }
            }
            merged.eras.extend(d.eras);
            event_files.extend(std::iter::repeat_n(d.source.clone(), d.events.len()));
            event_origins.extend(std::iter::repeat_n(origin as u32, d.events.len()));
            merged.events.extend(d.events);
        }
        // Re-import replaces by id: a record seen again in a later file
        // (an updated ACLED export) takes the earlier one's place.
        let mut replaced = 0;
        {
            let mut seen: HashMap<(String, String), usize> = HashMap::new();
            let mut keep = vec![true; merged.events.len()];
            for (i, e) in merged.events.iter().enumerate() {
                let Some(p) = &e.provenance else { continue };
                let Some(record) = &p.record else { continue };
                if let Some(earlier) = seen.insert((p.format.clone(), record.clone()), i) {
                    keep[earlier] = false;
                    replaced += 1;
                }
            }
            if replaced > 0 {
                let mut k = keep.iter();
                merged.events.retain(|_| *k.next().unwrap_or(&true));
                let mut k = keep.iter();
                event_files.retain(|_| *k.next().unwrap_or(&true));
                let mut k = keep.iter();
                event_origins.retain(|_| *k.next().unwrap_or(&true));
            }
        }
        merged.title = titles.join(" + ");
        let kinds = merged.resolved_kinds();
        let kind_ids: HashMap<&str, u16> = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| (k.id.as_str(), i as u16))
            .collect();
        let defined_kinds = merged.kinds.clone();
        let Dataset {
            title,
            description,
            eras,
            events,
            ..
        } = merged;
        // Stable sort: events at the same moment keep their file order.
        let mut order: Vec<usize> = (0..events.len()).collect();
        order.sort_by_key(|&i| events[i].when.anchor());
        let mut slots: Vec<Option<Event>> = events.into_iter().map(Some).collect();
        let mut events = Vec::with_capacity(slots.len());
        let mut files = Vec::with_capacity(slots.len());
        let mut origin = Vec::with_capacity(slots.len());
        for i in order {
            if let Some(e) = slots[i].take() {
                events.push(e);
                files.push(event_files[i].take());
                origin.push(event_origins[i]);
            }
        }
        let n = events.len();
        let mut store = Store {
            title,
            description,
            kinds: Vec::new(),
            defined_kinds,
            eras,
            replaced,
            anchor: Vec::with_capacity(n),
            earliest: Vec::with_capacity(n),
            latest: Vec::with_capacity(n),
            kind: Vec::with_capacity(n),
            is_span: Vec::with_capacity(n),
            is_fuzzy: Vec::with_capacity(n),
            actors: Interner::default(),
            event_actors: MultiColumn::default(),
            countries: Interner::default(),
            event_countries: MultiColumn::default(),
            files: Interner::default(),
            event_file: Vec::with_capacity(n),
            origin,
            overlap: IntervalIndex::default(),
            range: None,
            kind_totals: Vec::new(),
            coordinates: std::sync::OnceLock::new(),
            events: Vec::new(),
        };
        let mut row = Vec::new();
        for e in &events {
            store.anchor.push(e.when.anchor());
            store.earliest.push(e.when.earliest());
            store.latest.push(e.when.latest());
            store
                .kind
                .push(kind_ids.get(e.kind.as_str()).copied().unwrap_or(0));
            store.is_span.push(e.when.end.is_some());
            store.is_fuzzy.push(e.when.is_fuzzy());
            row.clear();
            for a in &e.actors {
                let id = store.actors.intern(&a.name);
                if !row.contains(&id) {
                    row.push(id);
                }
            }
            store.event_actors.push_row(row.iter().copied());
            row.clear();
            let place_country = e.place.as_ref().and_then(|p| p.country.as_deref());
            for c in e
                .actors
                .iter()
                .filter_map(|a| a.country.as_deref())
                .chain(place_country)
            {
                let id = store.countries.intern(c);
                if !row.contains(&id) {
                    row.push(id);
                }
            }
            store.event_countries.push_row(row.iter().copied());
            let file = e
                .provenance
                .as_ref()
                .and_then(|p| p.file.as_deref())
                .or(files[store.event_file.len()].as_deref())
                .unwrap_or("(unsaved)");
            let file_id = store.files.intern(file);
            store.event_file.push(file_id);
        }
        store.overlap = IntervalIndex::build(
            store
                .earliest
                .iter()
                .zip(&store.latest)
                .map(|(&a, &b)| (a, b))
                .collect::<Vec<_>>()
                .into_iter(),
        );
        store.range = store
            .earliest
            .iter()
            .min()
            .zip(store.latest.iter().max())
            .map(|(&a, &b)| (a, b));
        store.kind_totals = vec![0; kinds.len()];
        for &k in &store.kind {
            store.kind_totals[k as usize] += 1;
        }
        store.kinds = kinds;
        store.events = events;
        store
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub fn event(&self, ix: EventIx) -> Option<&Event> {
        self.events.get(ix as usize)
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn kind_def(&self, ix: EventIx) -> Option<&KindDef> {
        self.kind
            .get(ix as usize)
            .and_then(|&k| self.kinds.get(k as usize))
    }

    /// Earliest and latest moments of any event.
    pub fn time_range(&self) -> Option<(Instant, Instant)> {
        self.range
    }

    /// Events whose `[earliest, latest]` overlaps `[t0, t1]`, in store order.
    pub fn overlapping(&self, t0: Instant, t1: Instant) -> Vec<EventIx> {
        let mut out = Vec::new();
        self.overlap
            .for_each_overlapping(t0, t1, |i| out.push(i as EventIx));
        out
    }

    /// Number of events of each kind, in the order of `kinds`.
    pub fn kind_counts(&self) -> Vec<usize> {
        self.kind_totals.clone()
    }

    /// Number of events of kind `k` (an index into `kinds`).
    pub fn kind_total(&self, k: usize) -> usize {
        self.kind_totals.get(k).copied().unwrap_or(0)
    }

    /// Number of events each actor takes part in, indexed by actor id.
    pub fn actor_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.actors.len()];
        for i in 0..self.len() {
            for &a in self.event_actors.row(i) {
                counts[a as usize] += 1;
            }
        }
        counts
    }

    /// First event whose anchor is after `t` (strictly).
    pub fn next_after(&self, t: Instant) -> Option<EventIx> {
        let i = self.anchor.partition_point(|&a| a <= t);
        (i < self.len()).then_some(i as EventIx)
    }

    /// Last event whose anchor is before `t` (strictly).
    pub fn prev_before(&self, t: Instant) -> Option<EventIx> {
        let i = self.anchor.partition_point(|&a| a < t);
        i.checked_sub(1).map(|i| i as EventIx)
    }

    /// The store as a dataset again, for saving.
    pub fn to_dataset(&self) -> Dataset {
        Dataset {
            title: self.title.clone(),
            description: self.description.clone(),
            kinds: self.defined_kinds.clone(),
            eras: self.eras.clone(),
            events: self.events.clone(),
            source: None,
        }
    }

    /// Longitude and latitude of each event (NaN where it has none), as
    /// one contiguous column built on first use: an area filter over a
    /// million events reads 8 MB in order instead of every event.
    pub fn coordinates(&self) -> &[[f32; 2]] {
        self.coordinates.get_or_init(|| {
            self.events
                .iter()
                .map(
                    |e| match e.place.as_ref().and_then(|p| Some((p.lon?, p.lat?))) {
                        Some((lon, lat)) => [lon as f32, lat as f32],
                        None => [f32::NAN; 2],
                    },
                )
                .collect()
        })
    }

    /// Look an event up by its stable id.
    pub fn find_id(&self, id: &str) -> Option<EventIx> {
        self.events
            .iter()
            .position(|e| e.id == id)
            .map(|i| i as EventIx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Actor, FuzzyDate, When};
    use proptest::prelude::*;

    fn event(id: &str, kind: &str, start: &str, end: Option<&str>, actors: &[&str]) -> Event {
        let mut e = Event::new(
            id,
            id,
            kind,
            When {
                start: FuzzyDate::parse(start).unwrap(),
                end: end.map(|t| FuzzyDate::parse(t).unwrap()),
                note: None,
            },
        );
        e.actors = actors
            .iter()
            .map(|n| Actor {
                name: (*n).into(),
                ..Actor::default()
            })
            .collect();
        e
    }

    fn sample() -> Store {
        Store::build(Dataset {
            title: "t".into(),
            events: vec![
                event("b", "call", "2022-08-05", None, &["Blinken", "Aliyev"]),
                event(
                    "a",
                    "clash",
                    "2020-09~",
                    Some("2020-11-10"),
                    &["Armenia", "Azerbaijan"],
                ),
                event("c", "call", "2022-08-05", None, &["Michel", "Aliyev"]),
                event("d", "protest", "2021", None, &[]),
            ],
            ..Dataset::default()
        })
    }

    #[test]
    fn sorted_by_anchor_with_columns_in_step() {
        let s = sample();
        assert!(s.anchor.windows(2).all(|w| w[0] <= w[1]));
        let ids: Vec<&str> = s.events().iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "d", "b", "c"]);
        assert!(s.is_span[0] && !s.is_span[1]);
    }

    #[test]
    fn counts_by_kind_and_actor() {
        let s = sample();
        let counts = s.kind_counts();
        let call = s.kinds.iter().position(|k| k.id == "call").unwrap();
        assert_eq!(counts[call], 2);
        // A kind nobody defined still gets a look of its own.
        let protest = s.kinds.iter().position(|k| k.id == "protest").unwrap();
        assert_eq!(counts[protest], 1);
        let aliyev = s.actors.get("Aliyev").unwrap();
        assert_eq!(s.actor_counts()[aliyev as usize], 2);
    }

    #[test]
    fn window_query_includes_spans_that_started_before() {
        let s = sample();
        let oct = FuzzyDate::parse("2020-10-15").unwrap();
        let hits = s.overlapping(oct.earliest, oct.latest);
        assert_eq!(hits, vec![0]);
    }

    #[test]
    fn a_later_file_replaces_records_with_the_same_id() {
        let versioned = |title: &str| {
            let mut e = event("x", "clash", "2022-08-03", None, &[]);
            e.title = title.into();
            e.provenance = Some(crate::model::Provenance {
                format: "acled".into(),
                record: Some("AZE123".into()),
                ..Default::default()
            });
            e
        };
        let old = Dataset {
            events: vec![
                versioned("first report"),
                event("y", "call", "2022-08-05", None, &[]),
            ],
            source: Some("old.csv".into()),
            ..Dataset::default()
        };
        let new = Dataset {
            events: vec![versioned("revised report")],
            source: Some("new.csv".into()),
            ..Dataset::default()
        };
        let s = Store::from_datasets(vec![old, new]);
        assert_eq!(s.len(), 2);
        assert_eq!(s.replaced, 1);
        let x = s.find_id("x").unwrap();
        assert_eq!(s.event(x).unwrap().title, "revised report");
        assert_eq!(s.files.name(s.event_file[x as usize]), "new.csv");
        assert_eq!(
            s.files.name(s.event_file[s.find_id("y").unwrap() as usize]),
            "old.csv"
        );
    }

    #[test]
    fn stepping_between_events() {
        let s = sample();
        // b and c share a moment: stepping by time passes both.
        let d = s.anchor[1];
        assert_eq!(s.next_after(d), Some(2));
        assert_eq!(s.prev_before(s.anchor[2]), Some(1));
        assert_eq!(s.next_after(s.anchor[2]), None);
        assert_eq!(s.next_after(s.anchor[3]), None);
        assert_eq!(s.find_id("c"), Some(3));
    }

    proptest! {
        #[test]
        fn window_query_matches_naive_scan(
            raw in prop::collection::vec((0i64..20_000, 0i64..400, any::<bool>()), 0..200),
            t0 in -100i64..21_000,
            len in 0i64..3_000,
        ) {
            // Days since 2000 as dates; some points, some spans.
            let base = FuzzyDate::day(2000, 1, 1).unwrap().earliest;
            let events: Vec<Event> = raw
                .iter()
                .enumerate()
                .map(|(i, &(start, dur, span))| {
                    let s = FuzzyDate::at(crate::model::date::from_instant(base + start * 86_400).unwrap(), crate::model::Precision::Day);
                    let end = span.then(|| FuzzyDate::at(crate::model::date::from_instant(s.earliest + dur * 86_400).unwrap(), crate::model::Precision::Day));
                    Event::new(i.to_string(), "x", "clash", When { start: s, end, note: None })
                })
                .collect();
            let store = Store::build(Dataset { events, ..Dataset::default() });
            let (q0, q1) = (base + t0 * 86_400, base + (t0 + len) * 86_400);
            let expected: Vec<EventIx> = (0..store.len())
                .filter(|&i| store.earliest[i] <= q1 && store.latest[i] >= q0)
                .map(|i| i as EventIx)
                .collect();
            prop_assert_eq!(store.overlapping(q0, q1), expected);
        }
    }
}

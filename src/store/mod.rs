//! The immutable in-memory store the viewer reads from.
//!
//! Built once from a [`Dataset`], then shared as `Arc<Store>`. Events are
//! sorted by their anchor (likeliest moment of a point, start of a span);
//! the hot per-event values live in columns so that queries and drawing walk
//! small contiguous arrays, while the full [`Event`] is kept apart for the
//! detail panel.

pub mod filter;
pub mod filtered;
mod interval;
mod lanes;
mod search;

use std::collections::HashMap;

use crate::model::{Era, Event, Instant, KindDef};
use crate::table::Dataset;
use crate::table::EventTable;
pub use interval::{IntervalIndex, IntervalTree};
pub use lanes::{Lane, LaneGrouping, LaneSet};

/// One event's texts, read from the columns without building the event.
pub struct EventTexts<'a> {
    table: &'a EventTable,
    row: usize,
}

impl<'a> EventTexts<'a> {
    pub fn title(&self) -> &'a str {
        self.table.title(self.row)
    }
    pub fn description(&self) -> &'a str {
        self.table.description(self.row)
    }
    pub fn kind(&self) -> &'a str {
        self.table.kind(self.row)
    }
    pub fn actors(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.table.actor_texts(self.row)
    }
    pub fn place(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.table.place_texts(self.row)
    }
    pub fn tags(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.table.tags(self.row)
    }
    pub fn sources(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.table.source_texts(self.row)
    }
}

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
    fn heap_bytes(&self) -> usize {
        (self.offsets.capacity() + self.values.capacity()) * 4
    }

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

/// Which rows stay when re-import replaces by id: a record seen again in a
/// later file (an updated ACLED export) takes the earlier one's place.
/// Also gives how many were replaced.
fn kept_rows(table: &EventTable) -> (Vec<bool>, usize) {
    use rayon::prelude::*;
    use std::hash::BuildHasher;
    let mut keep = vec![true; table.len()];
    // Seeded at random: record ids come from files, which must not be able
    // to make them collide on purpose.
    let hasher = foldhash::fast::RandomState::default();
    // Rows by their record's hash, hashed and then sorted on every core:
    // rows with the same record end up side by side, in row order (a hash
    // table built on one core cost a tenth of a second at a million rows).
    let mut by_hash: Vec<(u64, u32)> = (0..table.len())
        .into_par_iter()
        .with_min_len(4096)
        .filter_map(|r| {
            table
                .record(r)
                .map(|record| (hasher.hash_one(record), r as u32))
        })
        .collect();
    by_hash.par_sort_unstable();
    let mut replaced = 0;
    for group in by_hash.chunk_by(|a, b| a.0 == b.0) {
        if group.len() < 2 {
            continue;
        }
        // Equal hashes, most likely one record: each row replaces the
        // last earlier row with the same record (texts compared, as
        // different records may share a hash).
        let mut latest: Vec<(Option<(&str, &str)>, u32)> = Vec::new();
        for &(_, r) in group {
            let record = table.record(r as usize);
            match latest.iter_mut().find(|(rec, _)| *rec == record) {
                Some((_, earlier)) => {
                    if let Some(k) = keep.get_mut(*earlier as usize) {
                        *k = false;
                    }
                    replaced += 1;
                    *earlier = r;
                }
                None => latest.push((record, r)),
            }
        }
    }
    (keep, replaced)
}

/// What a store built from one table would count, without building it
/// (`eventline inspect`): its events, events per kind id, and the earliest
/// and latest moments.
#[derive(Debug, PartialEq)]
pub struct Summary {
    pub events: usize,
    pub kinds: std::collections::BTreeMap<String, usize>,
    pub range: Option<(Instant, Instant)>,
}

impl Summary {
    pub fn of(table: &EventTable) -> Summary {
        let (keep, _) = kept_rows(table);
        let mut by_code = vec![0usize; table.word_count()];
        let mut range: Option<(Instant, Instant)> = None;
        let mut events = 0;
        for (r, _) in keep.iter().enumerate().filter(|(_, k)| **k) {
            events += 1;
            if let Some(n) = table.kind_code(r).and_then(|c| by_code.get_mut(c as usize)) {
                *n += 1;
            }
            if let Some((start, end)) = table.dates(r) {
                let when = crate::model::When {
                    start,
                    end,
                    note: None,
                };
                let (a, b) = (when.earliest(), when.latest());
                range = Some(range.map_or((a, b), |(x, y)| (x.min(a), y.max(b))));
            }
        }
        let mut kinds = std::collections::BTreeMap::new();
        for (code, &n) in by_code.iter().enumerate() {
            if n > 0 {
                *kinds
                    .entry(table.word(code as u32).to_string())
                    .or_insert(0) += n;
            }
        }
        Summary {
            events,
            kinds,
            range,
        }
    }
}

/// Datasets opened together, merged: one table, and what else they bring.
struct Merged {
    titles: Vec<String>,
    description: String,
    /// Kinds the datasets define or restyle; a later one wins.
    defined_kinds: Vec<KindDef>,
    eras: Vec<Era>,
    table: EventTable,
    /// Each dataset's file name, for events without a provenance.
    sources: Vec<Option<String>>,
    /// Per row: which dataset it came from.
    row_origin: Vec<u32>,
}

impl From<Vec<Dataset>> for Merged {
    fn from(datasets: Vec<Dataset>) -> Merged {
        let mut titles = Vec::new();
        let mut description = String::new();
        let mut defined_kinds: Vec<KindDef> = Vec::new();
        let mut eras = Vec::new();
        let mut table = EventTable::new();
        let mut sources: Vec<Option<String>> = Vec::new();
        let mut row_origin: Vec<u32> = Vec::new();
        for (origin, d) in datasets.into_iter().enumerate() {
            if !d.title.is_empty() {
                titles.push(d.title);
            }
            if description.is_empty() {
                description = d.description;
            }
            for k in d.kinds {
                match defined_kinds.iter_mut().find(|m| m.id == k.id) {
                    Some(m) => *m = k,
                    None => defined_kinds.push(k),
                }
            }
            eras.extend(d.eras);
            sources.push(d.source);
            row_origin.extend(std::iter::repeat_n(origin as u32, d.events.len()));
            if table.is_empty() {
                table = d.events;
            } else {
                table.append(&d.events);
            }
        }
        Merged {
            titles,
            description,
            defined_kinds,
            eras,
            table,
            sources,
            row_origin,
        }
    }
}

/// A row's moments: anchor, earliest, latest, whether it is a span and
/// whether its date is fuzzy.
type Moments = (Instant, Instant, Instant, bool, bool);

/// Each row's moments, read once.
fn row_moments(table: &EventTable) -> Vec<Moments> {
    (0..table.len())
        .map(|r| match table.dates(r) {
            Some((start, end)) => {
                let when = crate::model::When {
                    start,
                    end,
                    note: None,
                };
                (
                    when.anchor(),
                    when.earliest(),
                    when.latest(),
                    end.is_some(),
                    when.is_fuzzy(),
                )
            }
            None => (0, 0, 0, false, false),
        })
        .collect()
}

/// Every row's kind, actors, countries and file, as the store's ids, in
/// file order.
struct IdsByRow {
    kind: Vec<u16>,
    actors: MultiColumn,
    countries: MultiColumn,
    file: Vec<u32>,
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
    /// Every event read, as columns, in the order the files gave them.
    table: EventTable,
    /// Row of `table` of each event, in store (anchor) order.
    row: Vec<u32>,
    /// Likeliest moment of a point, earliest start of a span; sorted.
    /// Shared: the overview shows every anchor when nothing is filtered.
    pub anchor: std::sync::Arc<Vec<Instant>>,
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
    /// Overlap queries over `earliest` and `latest`.
    overlap: IntervalTree,
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
        let Merged {
            titles,
            description,
            defined_kinds,
            eras,
            mut table,
            sources,
            row_origin,
        } = Merged::from(datasets);
        let (keep, replaced) = kept_rows(&table);
        let dataset = Dataset {
            kinds: defined_kinds.clone(),
            ..Dataset::default()
        };
        let mut kinds = dataset.resolved_kinds();
        for kind in table.kinds_used() {
            if !kinds.iter().any(|k| k.id == kind) {
                kinds.push(crate::model::kind::fallback_kind(kind));
            }
        }
        let kind_ids: HashMap<&str, u16> = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| (k.id.as_str(), i as u16))
            .collect();
        let whens = row_moments(&table);
        // Stable sort: events at the same moment keep their file order.
        let mut row: Vec<u32> = (0..table.len() as u32)
            .filter(|&r| keep[r as usize])
            .collect();
        row.sort_by_key(|&r| whens[r as usize].0);
        let n = row.len();
        let mut store = Store {
            title: titles.join(" + "),
            description,
            kinds: Vec::new(),
            defined_kinds,
            eras,
            replaced,
            table: EventTable::new(),
            row: Vec::new(),
            anchor: Default::default(),
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
            origin: Vec::with_capacity(n),
            overlap: IntervalTree::default(),
            range: None,
            kind_totals: Vec::new(),
            coordinates: std::sync::OnceLock::new(),
        };
        let by_row = store.ids_by_row(&table, &kind_ids, &row_origin, &sources);
        let mut anchors = Vec::with_capacity(n);
        for &r in &row {
            let r = r as usize;
            let (anchor, earliest, latest, span, fuzzy) = whens[r];
            anchors.push(anchor);
            store.earliest.push(earliest);
            store.latest.push(latest);
            store.kind.push(by_row.kind[r]);
            store.is_span.push(span);
            store.is_fuzzy.push(fuzzy);
            store
                .event_actors
                .push_row(by_row.actors.row(r).iter().copied());
            store
                .event_countries
                .push_row(by_row.countries.row(r).iter().copied());
            store.event_file.push(by_row.file[r]);
            store.origin.push(row_origin[r]);
        }
        drop(whens);
        store.anchor = std::sync::Arc::new(anchors);
        store.overlap = IntervalTree::build(&store.earliest, &store.latest);
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
        // The store only reads its table.
        table.drop_lookup();
        store.table = table;
        store.row = row;
        store
    }

    /// One pass over the rows in file order (the table's columns are read
    /// in sequence), each dictionary code mapped to the store's id once:
    /// every row's kind, actors, countries and file as the store's ids.
    /// The sorted columns are then gathered from these small arrays.
    fn ids_by_row(
        &mut self,
        table: &EventTable,
        kind_ids: &HashMap<&str, u16>,
        row_origin: &[u32],
        sources: &[Option<String>],
    ) -> IdsByRow {
        let store = self;
        let mut kind_of_code: Vec<u16> = vec![u16::MAX; table.word_count()];
        let mut actor_of_code: Vec<u32> = vec![u32::MAX; table.word_count()];
        let mut country_of_code: Vec<u32> = vec![u32::MAX; table.word_count()];
        let mut file_of_code: Vec<u32> = vec![u32::MAX; table.word_count()];
        let mut actors_by_row = MultiColumn::default();
        let mut countries_by_row = MultiColumn::default();
        let mut kind_by_row: Vec<u16> = Vec::with_capacity(table.len());
        let mut file_by_row: Vec<u32> = Vec::with_capacity(table.len());
        let mut source_file: Vec<Option<u32>> = vec![None; sources.len()];
        let mut ids = Vec::new();
        for (r, &origin) in row_origin.iter().enumerate() {
            let kind = match table.kind_code(r) {
                Some(code) => {
                    let slot = &mut kind_of_code[code as usize];
                    if *slot == u16::MAX {
                        *slot = kind_ids.get(table.word(code)).copied().unwrap_or(0);
                    }
                    *slot
                }
                None => 0,
            };
            kind_by_row.push(kind);
            ids.clear();
            for code in table.actor_name_codes(r) {
                let slot = &mut actor_of_code[code as usize];
                if *slot == u32::MAX {
                    *slot = store.actors.intern(table.word(code));
                }
                if !ids.contains(slot) {
                    ids.push(*slot);
                }
            }
            actors_by_row.push_row(ids.iter().copied());
            ids.clear();
            for code in table.country_codes(r) {
                let slot = &mut country_of_code[code as usize];
                if *slot == u32::MAX {
                    *slot = store.countries.intern(table.word(code));
                }
                if !ids.contains(slot) {
                    ids.push(*slot);
                }
            }
            countries_by_row.push_row(ids.iter().copied());
            let file = match table.provenance_file_code(r) {
                Some(code) => {
                    let slot = &mut file_of_code[code as usize];
                    if *slot == u32::MAX {
                        *slot = store.files.intern(table.word(code));
                    }
                    *slot
                }
                None => {
                    let origin = origin as usize;
                    match source_file.get(origin).copied().flatten() {
                        Some(id) => id,
                        None => {
                            let name = sources
                                .get(origin)
                                .and_then(|s| s.as_deref())
                                .unwrap_or("(unsaved)");
                            let id = store.files.intern(name);
                            if let Some(slot) = source_file.get_mut(origin) {
                                *slot = Some(id);
                            }
                            id
                        }
                    }
                }
            };
            file_by_row.push(file);
        }
        IdsByRow {
            kind: kind_by_row,
            actors: actors_by_row,
            countries: countries_by_row,
            file: file_by_row,
        }
    }

    pub fn len(&self) -> usize {
        self.row.len()
    }

    pub fn is_empty(&self) -> bool {
        self.row.is_empty()
    }

    fn table_row(&self, ix: EventIx) -> Option<usize> {
        self.row.get(ix as usize).map(|&r| r as usize)
    }

    /// The whole event `ix`, built from the columns (the detail panel,
    /// a table cell, an export): not for loops over every event.
    pub fn event(&self, ix: EventIx) -> Option<Event> {
        self.table.get(self.table_row(ix)?)
    }

    /// Every event in store order, each built when reached.
    pub fn events(&self) -> impl Iterator<Item = Event> + '_ {
        self.row.iter().filter_map(|&r| self.table.get(r as usize))
    }

    /// The stable id of event `ix` ("" when there is no such event).
    pub fn id(&self, ix: EventIx) -> &str {
        self.table_row(ix).map_or("", |r| self.table.id(r))
    }

    /// Every event's id, in store order.
    pub fn ids(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.row.iter().map(|&r| self.table.id(r as usize))
    }

    pub fn title(&self, ix: EventIx) -> &str {
        self.table_row(ix).map_or("", |r| self.table.title(r))
    }

    pub fn description(&self, ix: EventIx) -> &str {
        self.table_row(ix).map_or("", |r| self.table.description(r))
    }

    /// Start and end (for a span) of event `ix`'s date.
    pub fn dates(
        &self,
        ix: EventIx,
    ) -> Option<(crate::model::FuzzyDate, Option<crate::model::FuzzyDate>)> {
        self.table.dates(self.table_row(ix)?)
    }

    /// Names of event `ix`'s actors, in the file's order.
    pub fn actor_names(&self, ix: EventIx) -> impl Iterator<Item = &str> + '_ {
        let r = self.table_row(ix).unwrap_or(usize::MAX);
        self.table.actor_names(r)
    }

    /// The texts of row `row` of the event table: walking rows in order
    /// reads the columns front to back, where walking events in time order
    /// jumps about them (see [`Store::rows`]).
    pub fn row_texts(&self, row: usize) -> EventTexts<'_> {
        EventTexts {
            table: &self.table,
            row,
        }
    }

    /// Rows of the event table (files' order, replaced records included).
    pub fn table_rows(&self) -> usize {
        self.table.len()
    }

    /// The table row of each event, in store order.
    pub fn rows(&self) -> &[u32] {
        &self.row
    }

    /// Names and roles of event `ix`'s actors, in the file's order.
    pub fn actor_roles(
        &self,
        ix: EventIx,
    ) -> impl Iterator<Item = (&str, crate::model::Role)> + '_ {
        let r = self.table_row(ix).unwrap_or(usize::MAX);
        self.table.actor_roles(r)
    }

    /// Longitude and latitude of event `ix`'s place, when it has both.
    pub fn lon_lat(&self, ix: EventIx) -> Option<(f64, f64)> {
        self.table.lon_lat(self.table_row(ix)?)
    }

    /// The name of event `ix`'s place.
    pub fn place_name(&self, ix: EventIx) -> Option<&str> {
        self.table.place_name(self.table_row(ix)?)
    }

    /// Event `ix`'s first source, named by its publisher, else its URL.
    pub fn first_source_name(&self, ix: EventIx) -> Option<&str> {
        self.table.first_source_name(self.table_row(ix)?)
    }

    /// How exact event `ix`'s place is, in the source's words or codes.
    pub fn place_precision(&self, ix: EventIx) -> Option<&str> {
        self.table.place_precision(self.table_row(ix)?)
    }

    /// The kind id as the file gave it ("call", "clash", ...).
    pub fn kind_id(&self, ix: EventIx) -> &str {
        self.table_row(ix).map_or("", |r| self.table.kind(r))
    }

    pub fn casualties(&self, ix: EventIx) -> Option<&crate::model::Casualties> {
        self.table.casualties(self.table_row(ix)?)
    }

    /// Whether any event says where it was read from (a provenance).
    pub fn any_provenance(&self) -> bool {
        self.table.any_provenance()
    }

    /// The events as read, in the files' order (replaced records included).
    pub fn table(&self) -> &EventTable {
        &self.table
    }

    /// Bytes the events' columns hold on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.table.heap_bytes() + self.row.capacity() * 4
    }

    /// Bytes held on the heap by the store's own columns and indexes
    /// (beside the event table), for memory reports.
    pub fn index_heap_bytes(&self) -> usize {
        use std::mem::size_of;
        self.anchor.capacity() * size_of::<Instant>()
            + self.earliest.capacity() * size_of::<Instant>()
            + self.latest.capacity() * size_of::<Instant>()
            + self.kind.capacity() * 2
            + self.is_span.capacity()
            + self.is_fuzzy.capacity()
            + self.event_actors.heap_bytes()
            + self.event_countries.heap_bytes()
            + self.event_file.capacity() * 4
            + self.origin.capacity() * 4
            + self.overlap.heap_bytes()
            + self.coordinates.get().map_or(0, |c| c.capacity() * 8)
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
            .for_each_overlapping(&self.earliest, &self.latest, t0, t1, |i| {
                out.push(i as EventIx)
            });
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
            events: self.events().collect(),
            source: None,
        }
    }

    /// Longitude and latitude of each event (NaN where it has none), as
    /// one contiguous column built on first use: an area filter over a
    /// million events reads 8 MB in order instead of every event.
    pub fn coordinates(&self) -> &[[f32; 2]] {
        self.coordinates.get_or_init(|| {
            self.row
                .iter()
                .map(|&r| match self.table.lon_lat(r as usize) {
                    Some((lon, lat)) => [lon as f32, lat as f32],
                    None => [f32::NAN; 2],
                })
                .collect()
        })
    }

    /// Look an event up by its stable id.
    pub fn find_id(&self, id: &str) -> Option<EventIx> {
        self.row
            .iter()
            .position(|&r| self.table.id(r as usize) == id)
            .map(|i| i as EventIx)
    }
}

#[cfg(test)]
mod tests;

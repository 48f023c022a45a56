//! The table itself: [`EventTable`], its columns, and everything that reads
//! them (rows as events, the hot fields without building one, the words of
//! a column, appending, reserving, memory reports).

use std::collections::BTreeMap;

use hashbrown::HashTable;

use super::cells::{
    ActorCell, ExtraCell, ExtraForm, PlaceCell, ProvenanceCell, RECORD_IS_ID, SourceCell,
    WordField, none_for_nan,
};
use super::dates::Dates;
use super::dict::{ABSENT, Dict};
use super::lists::{Lists, each_row};
use super::scaled;
use super::texts::Texts;
use crate::model::{Actor, Casualties, Event, FuzzyDate, Place, Provenance, Role, Source, When};

/// A dataset's events as columns. See the [module comment](crate::table).
#[derive(Clone, Debug)]
pub struct EventTable {
    pub(super) words: Dict,
    pub(super) id: Texts,
    pub(super) title: Texts,
    pub(super) description: Texts,
    pub(super) start: Dates,
    pub(super) end: Lists<FuzzyDate>,
    pub(super) when_note: Lists<u32>,
    pub(super) kind: Vec<u32>,
    pub(super) actors: Lists<ActorCell>,
    pub(super) place: Lists<PlaceCell>,
    pub(super) casualties: Lists<Casualties>,
    pub(super) sources: Lists<SourceCell>,
    pub(super) quotes: Texts,
    pub(super) published: Vec<FuzzyDate>,
    pub(super) tags: Lists<u32>,
    pub(super) codes: Lists<(u32, u32)>,
    pub(super) provenance: Lists<ProvenanceCell>,
    pub(super) records: Texts,
    pub(super) extra: Lists<ExtraCell>,
}

impl Default for EventTable {
    fn default() -> Self {
        EventTable {
            words: Dict::default(),
            id: Texts::default(),
            title: Texts::default(),
            description: Texts::default(),
            start: Dates::default(),
            end: Lists::default(),
            when_note: Lists::default(),
            kind: Vec::new(),
            // Cells that repeat from row to row: each distinct list once.
            actors: Lists::shared(),
            place: Lists::shared(),
            casualties: Lists::shared(),
            sources: Lists::shared(),
            quotes: Texts::default(),
            published: Vec::new(),
            tags: Lists::shared(),
            codes: Lists::shared(),
            provenance: Lists::default(),
            records: Texts::default(),
            // Entries unique to a row (an upload time, a third-level
            // area) make most lists distinct: sharing would cost a hash and
            // a lookup per row for little.
            extra: Lists::default(),
        }
    }
}

impl EventTable {
    pub fn new() -> EventTable {
        EventTable::default()
    }

    pub fn len(&self) -> usize {
        self.start.len()
    }

    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }

    /// Drop the dictionary's lookup table (a few bytes per distinct
    /// value): a finished table is only read, and a later `push` rebuilds
    /// it on first use.
    pub fn drop_lookup(&mut self) {
        self.words.lookup = HashTable::new();
        self.words.hot = Vec::new();
        self.actors.drop_lookup();
        self.place.drop_lookup();
        self.casualties.drop_lookup();
        self.sources.drop_lookup();
        self.tags.drop_lookup();
        self.codes.drop_lookup();
    }

    /// Remove every row, keeping the room the columns and the dictionary
    /// have (a worker's table reused for the next batch of rows).
    pub fn clear(&mut self) {
        // Every column named, so a column added later cannot be missed.
        let Self {
            words,
            id,
            title,
            description,
            start,
            end,
            when_note,
            kind,
            actors,
            place,
            casualties,
            sources,
            quotes,
            published,
            tags,
            codes,
            provenance,
            records,
            extra,
        } = self;
        published.clear();
        words.clear();
        for texts in [id, title, description, quotes, records] {
            texts.truncate((0, 0));
        }
        start.clear();
        kind.clear();
        end.clear();
        when_note.clear();
        actors.clear();
        place.clear();
        casualties.clear();
        sources.clear();
        tags.clear();
        codes.clear();
        provenance.clear();
        extra.clear();
    }
    /// The whole event of row `i`, built from the columns.
    pub fn get(&self, i: usize) -> Option<Event> {
        if i >= self.len() {
            return None;
        }
        let w = &self.words;
        Some(Event {
            id: self.id.get(i).to_owned(),
            title: self.title.get(i).to_owned(),
            description: self.description.get(i).to_owned(),
            when: self.when(i)?,
            kind: self.kind(i).to_owned(),
            actors: self
                .actors
                .row(i)
                .iter()
                .map(|a| Actor {
                    name: w.get(a.name).to_owned(),
                    role: a.role,
                    affiliation: w.owned(a.affiliation),
                    country: w.owned(a.country),
                })
                .collect(),
            place: self.place.first(i).map(|p| Place {
                name: w.get(p.name).to_owned(),
                admin: w.owned(p.admin),
                country: w.owned(p.country),
                lat: none_for_nan(p.lat),
                lon: none_for_nan(p.lon),
                precision: w.owned(p.precision),
            }),
            casualties: self.casualties.first(i).cloned(),
            sources: self
                .sources
                .row(i)
                .iter()
                .map(|s| Source {
                    publisher: w.owned(s.publisher),
                    title: w.owned(s.title),
                    url: w.owned(s.url),
                    published: self.published.get(s.published as usize).copied(),
                    quote: (s.quote != ABSENT)
                        .then(|| self.quotes.get(s.quote as usize).to_owned()),
                    credit: w.owned(s.credit),
                })
                .collect(),
            tags: self
                .tags
                .row(i)
                .iter()
                .map(|&t| w.get(t).to_owned())
                .collect(),
            codes: self
                .codes
                .row(i)
                .iter()
                .map(|&(k, v)| (w.get(k).to_owned(), w.get(v).to_owned()))
                .collect(),
            provenance: self.provenance.first(i).map(|p| Provenance {
                format: w.get(p.format).to_owned(),
                file: w.owned(p.file),
                record: self.record_text(i, p.record).map(str::to_owned),
                line: p.line,
            }),
            extra: self.extra(i),
        })
    }

    fn extra(&self, i: usize) -> BTreeMap<String, serde_json::Value> {
        let w = &self.words;
        self.extra
            .row(i)
            .iter()
            .map(|x| {
                let value = match x.form {
                    ExtraForm::Number => serde_json::Value::from(x.value),
                    ExtraForm::Text => serde_json::Value::String(w.get(x.value).to_owned()),
                    // Written by `to_string` of a Value, so it parses back.
                    ExtraForm::Json => {
                        serde_json::from_str(w.get(x.value)).unwrap_or(serde_json::Value::Null)
                    }
                };
                (w.get(x.key).to_owned(), value)
            })
            .collect()
    }

    /// Every event, in row order, each built when reached.
    pub fn iter(&self) -> impl Iterator<Item = Event> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Every event as values (for tests and small datasets).
    pub fn to_vec(&self) -> Vec<Event> {
        self.iter().collect()
    }

    pub fn id(&self, i: usize) -> &str {
        self.id.get(i)
    }

    pub fn title(&self, i: usize) -> &str {
        self.title.get(i)
    }

    pub fn description(&self, i: usize) -> &str {
        self.description.get(i)
    }

    pub fn kind(&self, i: usize) -> &str {
        self.kind.get(i).map_or("", |&k| self.words.get(k))
    }

    pub fn when(&self, i: usize) -> Option<When> {
        Some(When {
            start: self.start.get(i)?,
            end: self.end.first(i).copied(),
            note: self
                .when_note
                .first(i)
                .map(|&n| self.words.get(n).to_owned()),
        })
    }

    /// Start and end of row `i`'s date, without its note.
    pub fn dates(&self, i: usize) -> Option<(FuzzyDate, Option<FuzzyDate>)> {
        Some((self.start.get(i)?, self.end.first(i).copied()))
    }

    /// Names of row `i`'s actors, in order.
    pub fn actor_names(&self, i: usize) -> impl Iterator<Item = &str> + '_ {
        self.actors.row(i).iter().map(|a| self.words.get(a.name))
    }

    /// Number of distinct texts in the dictionary: codes are below it.
    pub fn word_count(&self) -> usize {
        self.words.values.len()
    }

    /// The text a dictionary code stands for.
    pub fn word(&self, code: u32) -> &str {
        self.words.get(code)
    }

    /// Dictionary code of row `i`'s kind id.
    pub fn kind_code(&self, i: usize) -> Option<u32> {
        self.kind.get(i).copied()
    }

    /// Dictionary codes of row `i`'s actors' names, in order.
    pub fn actor_name_codes(&self, i: usize) -> impl Iterator<Item = u32> + '_ {
        self.actors.row(i).iter().map(|a| a.name)
    }

    /// Dictionary codes of row `i`'s actors' countries, then its place's.
    pub fn country_codes(&self, i: usize) -> impl Iterator<Item = u32> + '_ {
        self.actors
            .row(i)
            .iter()
            .map(|a| a.country)
            .chain(self.place.first(i).map(|p| p.country))
            .filter(|&c| c != ABSENT)
    }

    /// Dictionary code of the file row `i`'s provenance names.
    pub fn provenance_file_code(&self, i: usize) -> Option<u32> {
        let f = self.provenance.first(i)?.file;
        (f != ABSENT).then_some(f)
    }

    /// Names and roles of row `i`'s actors, in order.
    pub fn actor_roles(&self, i: usize) -> impl Iterator<Item = (&str, Role)> + '_ {
        self.actors
            .row(i)
            .iter()
            .map(|a| (self.words.get(a.name), a.role))
    }

    /// Row `i`'s actors' names, affiliations and countries, in order.
    pub fn actor_texts(&self, i: usize) -> impl Iterator<Item = &str> + '_ {
        self.actors
            .row(i)
            .iter()
            .flat_map(|a| [a.name, a.affiliation, a.country])
            .filter_map(|c| self.words.opt(c))
    }

    /// Row `i`'s place's name, admin area and country.
    pub fn place_texts(&self, i: usize) -> impl Iterator<Item = &str> + '_ {
        self.place
            .first(i)
            .into_iter()
            .flat_map(|p| [p.name, p.admin, p.country])
            .filter_map(|c| self.words.opt(c))
    }

    /// Row `i`'s tags.
    pub fn tags(&self, i: usize) -> impl Iterator<Item = &str> + '_ {
        self.tags.row(i).iter().map(|&t| self.words.get(t))
    }

    /// Row `i`'s sources' publishers, titles and quotes, in order.
    pub fn source_texts(&self, i: usize) -> impl Iterator<Item = &str> + '_ {
        self.sources.row(i).iter().flat_map(|s| {
            [
                self.words.opt(s.publisher),
                self.words.opt(s.title),
                (s.quote != ABSENT).then(|| self.quotes.get(s.quote as usize)),
            ]
            .into_iter()
            .flatten()
        })
    }

    /// Row `i`'s source quotes, in order.
    pub fn quotes(&self, i: usize) -> impl Iterator<Item = &str> + '_ {
        self.sources
            .row(i)
            .iter()
            .filter(|s| s.quote != ABSENT)
            .map(|s| self.quotes.get(s.quote as usize))
    }

    /// Calls `f(row, code)` for every dictionary word of `field`, row by row
    /// in order: one pass over a column, without building any text. The
    /// words are those [`actor_texts`](Self::actor_texts),
    /// [`place_texts`](Self::place_texts), [`tags`](Self::tags) and the
    /// publishers and titles of [`source_texts`](Self::source_texts) give.
    pub fn for_each_word(&self, field: WordField, mut f: impl FnMut(usize, u32)) {
        let mut each = |row: usize, codes: &[u32]| {
            for &c in codes {
                if c != ABSENT {
                    f(row, c);
                }
            }
        };
        match field {
            WordField::Actor => each_row(&self.actors, |row, cells| {
                for a in cells {
                    each(row, &[a.name, a.affiliation, a.country]);
                }
            }),
            WordField::Place => each_row(&self.place, |row, cells| {
                if let Some(p) = cells.first() {
                    each(row, &[p.name, p.admin, p.country]);
                }
            }),
            WordField::Tag => each_row(&self.tags, |row, codes| each(row, codes)),
            WordField::Source => each_row(&self.sources, |row, cells| {
                for s in cells {
                    each(row, &[s.publisher, s.title]);
                }
            }),
        }
    }

    /// Longitude and latitude of row `i`'s place, when it has both.
    pub fn lon_lat(&self, i: usize) -> Option<(f64, f64)> {
        let p = self.place.first(i)?;
        Some((none_for_nan(p.lon)?, none_for_nan(p.lat)?))
    }

    /// The name of row `i`'s place.
    pub fn place_name(&self, i: usize) -> Option<&str> {
        Some(self.words.get(self.place.first(i)?.name))
    }

    /// Row `i`'s first source, named by its publisher, else its URL.
    pub fn first_source_name(&self, i: usize) -> Option<&str> {
        let s = self.sources.first(i)?;
        self.words
            .opt(s.publisher)
            .or_else(|| self.words.opt(s.url))
    }

    /// How exact row `i`'s place is, in the source's words or codes.
    pub fn place_precision(&self, i: usize) -> Option<&str> {
        self.words.opt(self.place.first(i)?.precision)
    }

    pub fn casualties(&self, i: usize) -> Option<&Casualties> {
        self.casualties.first(i)
    }

    /// Format and record id of row `i`'s provenance, when it has a record.
    pub fn record(&self, i: usize) -> Option<(&str, &str)> {
        let p = self.provenance.first(i)?;
        Some((self.words.get(p.format), self.record_text(i, p.record)?))
    }

    /// The text of row `i`'s provenance record `code`.
    fn record_text(&self, i: usize, code: u32) -> Option<&str> {
        match code {
            ABSENT => None,
            RECORD_IS_ID => Some(self.id.get(i)),
            r => Some(self.records.get(r as usize)),
        }
    }

    /// Whether any row says where it was read from.
    pub fn any_provenance(&self) -> bool {
        !self.provenance.items.is_empty()
    }

    /// The distinct kind ids the rows use, in order of first use.
    pub fn kinds_used(&self) -> Vec<&str> {
        let mut seen = vec![false; self.words.values.len()];
        let mut out = Vec::new();
        for &k in &self.kind {
            if let Some(s) = seen.get_mut(k as usize)
                && !*s
            {
                *s = true;
                out.push(self.words.get(k));
            }
        }
        out
    }

    /// Make room for `scale` times the rows of `sample` (a first part of
    /// the same file): a large import then fills its columns without
    /// growing them step by step (each step copies the column and
    /// touches fresh pages). Untouched room costs address space only.
    pub fn reserve_like(&mut self, sample: &EventTable, scale: f64) {
        if !scale.is_finite() || scale <= 0.0 {
            return;
        }
        let s = sample;
        self.id.reserve_like(&s.id, scale);
        self.title.reserve_like(&s.title, scale);
        self.description.reserve_like(&s.description, scale);
        self.start.reserve(scaled(s.start.len(), scale));
        self.end.reserve_like(&s.end, scale);
        self.when_note.reserve_like(&s.when_note, scale);
        self.kind.reserve(scaled(s.kind.len(), scale));
        self.actors.reserve_like(&s.actors, scale);
        self.place.reserve_like(&s.place, scale);
        self.casualties.reserve_like(&s.casualties, scale);
        self.sources.reserve_like(&s.sources, scale);
        self.quotes.reserve_like(&s.quotes, scale);
        self.published.reserve(scaled(s.published.len(), scale));
        self.tags.reserve_like(&s.tags, scale);
        self.codes.reserve_like(&s.codes, scale);
        self.provenance.reserve_like(&s.provenance, scale);
        self.records.reserve_like(&s.records, scale);
        self.extra.reserve_like(&s.extra, scale);
    }

    /// Add `other`'s rows after this table's.
    pub fn append(&mut self, other: &EventTable) {
        let map = self.words.absorb(&other.words);
        let m = |c: u32| if c == ABSENT { ABSENT } else { map[c as usize] };
        self.id.append(&other.id);
        self.title.append(&other.title);
        self.description.append(&other.description);
        self.start.append(&other.start);
        self.end.append_mapped(&other.end, |d| *d);
        self.when_note.append_mapped(&other.when_note, |&n| m(n));
        self.kind.extend(other.kind.iter().map(|&k| m(k)));
        self.actors.append_mapped(&other.actors, |a| ActorCell {
            name: m(a.name),
            affiliation: m(a.affiliation),
            country: m(a.country),
            role: a.role,
        });
        self.place.append_mapped(&other.place, |p| PlaceCell {
            name: m(p.name),
            admin: m(p.admin),
            country: m(p.country),
            precision: m(p.precision),
            ..*p
        });
        self.casualties
            .append_mapped(&other.casualties, Clone::clone);
        let quote_base = self.quotes.len() as u32;
        self.quotes.append(&other.quotes);
        let published_base = self.published.len() as u32;
        self.published.extend_from_slice(&other.published);
        self.sources.append_mapped(&other.sources, |s| SourceCell {
            publisher: m(s.publisher),
            title: m(s.title),
            url: m(s.url),
            credit: m(s.credit),
            quote: if s.quote == ABSENT {
                ABSENT
            } else {
                s.quote + quote_base
            },
            published: if s.published == ABSENT {
                ABSENT
            } else {
                s.published + published_base
            },
        });
        self.tags.append_mapped(&other.tags, |&t| m(t));
        self.codes
            .append_mapped(&other.codes, |&(k, v)| (m(k), m(v)));
        let record_base = self.records.len() as u32;
        self.records.append(&other.records);
        self.provenance
            .append_mapped(&other.provenance, |p| ProvenanceCell {
                format: m(p.format),
                file: m(p.file),
                record: match p.record {
                    ABSENT | RECORD_IS_ID => p.record,
                    r => r + record_base,
                },
                line: p.line,
            });
        self.extra.append_mapped(&other.extra, |x| ExtraCell {
            key: m(x.key),
            value: match x.form {
                ExtraForm::Number => x.value,
                ExtraForm::Text | ExtraForm::Json => m(x.value),
            },
            form: x.form,
        });
    }

    /// Bytes held on the heap, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        self.heap_bytes_by_column().iter().map(|(_, b)| b).sum()
    }

    /// Bytes held on the heap by each column, for memory reports.
    pub fn heap_bytes_by_column(&self) -> Vec<(&'static str, usize)> {
        vec![
            (
                "dictionary",
                self.words.values.heap_bytes() + self.words.lookup.capacity() * 5,
            ),
            ("id", self.id.heap_bytes()),
            ("title", self.title.heap_bytes()),
            ("description", self.description.heap_bytes()),
            ("start", self.start.heap_bytes()),
            ("end", self.end.heap_bytes()),
            ("when note", self.when_note.heap_bytes()),
            ("kind", self.kind.capacity() * 4),
            ("actors", self.actors.heap_bytes()),
            ("place", self.place.heap_bytes()),
            ("casualties", self.casualties.heap_bytes()),
            (
                "sources",
                self.sources.heap_bytes()
                    + self.published.capacity() * std::mem::size_of::<FuzzyDate>(),
            ),
            ("quotes", self.quotes.heap_bytes()),
            ("tags", self.tags.heap_bytes()),
            ("codes", self.codes.heap_bytes()),
            ("provenance", self.provenance.heap_bytes()),
            ("records", self.records.heap_bytes()),
            ("extra", self.extra.heap_bytes()),
        ]
    }
}

impl PartialEq for EventTable {
    fn eq(&self, other: &EventTable) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl From<Vec<Event>> for EventTable {
    fn from(events: Vec<Event>) -> EventTable {
        events.into_iter().collect()
    }
}

impl FromIterator<Event> for EventTable {
    fn from_iter<I: IntoIterator<Item = Event>>(iter: I) -> EventTable {
        let mut t = EventTable::new();
        t.extend(iter);
        t
    }
}

impl Extend<Event> for EventTable {
    fn extend<I: IntoIterator<Item = Event>>(&mut self, iter: I) {
        for e in iter {
            self.push(&e);
        }
    }
}

impl<'a> Extend<&'a Event> for EventTable {
    fn extend<I: IntoIterator<Item = &'a Event>>(&mut self, iter: I) {
        for e in iter {
            self.push(e);
        }
    }
}

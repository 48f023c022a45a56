//! Writing rows: [`EventTable::push`] of a whole event, and
//! [`EventTable::begin_row`]'s [`RowBuilder`], which writes a row cell by
//! cell straight from an importer's borrowed text ([`RowHead`],
//! [`PlaceParts`], [`SourceParts`]) and takes back a row left unfinished.

use super::EventTable;
use super::cells::{
    ActorCell, ExtraCell, ExtraForm, PlaceCell, ProvenanceCell, RECORD_IS_ID, SourceCell,
    nan_for_none, plain_u32,
};
use super::dict::ABSENT;
use crate::model::{Casualties, Event, FuzzyDate, Role, Source, When};

impl EventTable {
    /// Add one event as the last row.
    pub fn push(&mut self, e: &Event) {
        let mut row = self.begin_row();
        for a in &e.actors {
            row.actor(
                &a.name,
                a.role,
                a.affiliation.as_deref(),
                a.country.as_deref(),
            );
        }
        if let Some(p) = &e.place {
            row.place(PlaceParts {
                name: &p.name,
                admin: p.admin.as_deref(),
                country: p.country.as_deref(),
                precision: p.precision.as_deref(),
                lat: p.lat,
                lon: p.lon,
            });
        }
        if let Some(c) = &e.casualties {
            row.casualties(c.clone());
        }
        for s in &e.sources {
            row.source(SourceParts::from(s));
        }
        for t in &e.tags {
            row.tag(t);
        }
        for (k, v) in &e.codes {
            row.code(k, v);
        }
        if let Some(p) = &e.provenance {
            row.provenance(&p.format, p.file.as_deref(), p.record.as_deref(), p.line);
        }
        for (k, v) in &e.extra {
            row.extra(k, v);
        }
        row.finish(RowHead {
            id: &e.id,
            title: &e.title,
            description: &e.description,
            when: &e.when,
            kind: &e.kind,
        });
    }

    /// Start a row that is written cell by cell, straight from borrowed
    /// text (an importer's input buffer): no `Event` per row. The row's
    /// list cells (actors, sources, tags…) go in first; [`RowBuilder::finish`]
    /// adds its fixed cells and ends it. A builder dropped unfinished
    /// takes back what it wrote, so the table never holds half a row.
    pub fn begin_row(&mut self) -> RowBuilder<'_> {
        let quotes = self.quotes.len();
        let quote_bytes = self.quotes.bytes.len();
        let records = self.records.len();
        let record_bytes = self.records.bytes.len();
        let published = self.published.len();
        RowBuilder {
            table: self,
            quotes: (quotes, quote_bytes),
            records: (records, record_bytes),
            published,
            finished: false,
        }
    }
}

/// The fixed cells of a row, given to [`RowBuilder::finish`].
pub struct RowHead<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub when: &'a When,
    pub kind: &'a str,
}

/// A place, borrowed.
#[derive(Clone, Copy, Default)]
pub struct PlaceParts<'a> {
    pub name: &'a str,
    pub admin: Option<&'a str>,
    pub country: Option<&'a str>,
    pub precision: Option<&'a str>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// A source, borrowed.
#[derive(Clone, Copy, Default)]
pub struct SourceParts<'a> {
    pub publisher: Option<&'a str>,
    pub title: Option<&'a str>,
    pub url: Option<&'a str>,
    pub credit: Option<&'a str>,
    pub quote: Option<&'a str>,
    pub published: Option<FuzzyDate>,
}

impl<'a> From<&'a Source> for SourceParts<'a> {
    fn from(s: &'a Source) -> Self {
        SourceParts {
            publisher: s.publisher.as_deref(),
            title: s.title.as_deref(),
            url: s.url.as_deref(),
            credit: s.credit.as_deref(),
            quote: s.quote.as_deref(),
            published: s.published,
        }
    }
}

/// One row being written; see [`EventTable::begin_row`].
pub struct RowBuilder<'t> {
    table: &'t mut EventTable,
    /// Lengths of the quote and record texts when the row began (rows and
    /// bytes), to take back an unfinished row.
    quotes: (usize, usize),
    records: (usize, usize),
    published: usize,
    finished: bool,
}

impl RowBuilder<'_> {
    pub fn actor(
        &mut self,
        name: &str,
        role: Role,
        affiliation: Option<&str>,
        country: Option<&str>,
    ) {
        let t = &mut *self.table;
        let w = &mut t.words;
        t.actors.items.push(ActorCell {
            name: w.code(name),
            affiliation: w.opt_code(affiliation),
            country: w.opt_code(country),
            role,
        });
    }

    /// The row's place; a second call replaces the first.
    pub fn place(&mut self, p: PlaceParts<'_>) {
        let t = &mut *self.table;
        let w = &mut t.words;
        let cell = PlaceCell {
            name: w.code(p.name),
            admin: w.opt_code(p.admin),
            country: w.opt_code(p.country),
            precision: w.opt_code(p.precision),
            lat: nan_for_none(p.lat),
            lon: nan_for_none(p.lon),
        };
        t.place.set_single(cell);
    }

    /// The row's casualty figures; a second call replaces the first.
    pub fn casualties(&mut self, c: Casualties) {
        self.table.casualties.set_single(c);
    }

    pub fn source(&mut self, s: SourceParts<'_>) {
        let t = &mut *self.table;
        let quote = match s.quote {
            Some(q) => {
                t.quotes.push(q);
                (t.quotes.len() - 1) as u32
            }
            None => ABSENT,
        };
        let published = match s.published {
            Some(d) => {
                t.published.push(d);
                (t.published.len() - 1) as u32
            }
            None => ABSENT,
        };
        let w = &mut t.words;
        t.sources.items.push(SourceCell {
            publisher: w.opt_code(s.publisher),
            title: w.opt_code(s.title),
            url: w.opt_code(s.url),
            credit: w.opt_code(s.credit),
            quote,
            published,
        });
    }

    pub fn tag(&mut self, tag: &str) {
        let t = &mut *self.table;
        let code = t.words.code(tag);
        t.tags.items.push(code);
    }

    /// A tag, unless the row has it already.
    pub fn tag_once(&mut self, tag: &str) {
        let t = &mut *self.table;
        let code = t.words.code(tag);
        if !t.tags.pending().contains(&code) {
            t.tags.items.push(code);
        }
    }

    /// A code; a key given again replaces its value.
    pub fn code(&mut self, key: &str, value: &str) {
        let t = &mut *self.table;
        let (k, v) = (t.words.code(key), t.words.code(value));
        match t.codes.pending_mut().iter_mut().find(|(pk, _)| *pk == k) {
            Some(cell) => cell.1 = v,
            None => t.codes.items.push((k, v)),
        }
    }

    /// Where the row came from; a second call replaces the first.
    pub fn provenance(
        &mut self,
        format: &str,
        file: Option<&str>,
        record: Option<&str>,
        line: Option<u64>,
    ) {
        let t = &mut *self.table;
        let record = match record {
            Some(r) => {
                t.records.push(r);
                (t.records.len() - 1) as u32
            }
            None => ABSENT,
        };
        let cell = ProvenanceCell {
            format: t.words.code(format),
            file: t.words.opt_code(file),
            record,
            line,
        };
        t.provenance.set_single(cell);
    }

    /// An `extra` entry; a key given again replaces its value.
    pub fn extra(&mut self, key: &str, value: &serde_json::Value) {
        match value {
            serde_json::Value::String(s) => self.extra_cell(key, s, true),
            other => self.extra_cell(key, &other.to_string(), false),
        }
    }

    /// An `extra` entry whose value is not a JSON string: `json` is its
    /// JSON text (a number as written, `true`, an object…).
    pub fn extra_json(&mut self, key: &str, json: &str) {
        self.extra_cell(key, json, false);
    }

    /// An `extra` entry whose value is the text `value`.
    pub fn extra_text(&mut self, key: &str, value: &str) {
        self.extra_cell(key, value, true);
    }

    fn extra_cell(&mut self, key: &str, value: &str, is_string: bool) {
        let t = &mut *self.table;
        let key = t.words.code(key);
        let number = if is_string { None } else { plain_u32(value) };
        let (value, form) = match number {
            Some(n) => (n, ExtraForm::Number),
            None if is_string => (t.words.code(value), ExtraForm::Text),
            None => (t.words.code(value), ExtraForm::Json),
        };
        let cell = ExtraCell { key, value, form };
        match t.extra.pending_mut().iter_mut().find(|x| x.key == cell.key) {
            Some(old) => *old = cell,
            None => t.extra.items.push(cell),
        }
    }

    /// Add the fixed cells and end the row.
    pub fn finish(mut self, head: RowHead<'_>) {
        let t = &mut *self.table;
        t.id.push(head.id);
        t.title.push(head.title);
        t.description.push(head.description);
        t.start.push(head.when.start);
        if let Some(end) = head.when.end {
            t.end.items.push(end);
        }
        t.end.end_row();
        if let Some(note) = &head.when.note {
            let code = t.words.code(note);
            t.when_note.items.push(code);
        }
        t.when_note.end_row();
        let kind = t.words.code(head.kind);
        t.kind.push(kind);
        t.actors.end_row();
        t.place.end_row();
        t.casualties.end_row();
        t.sources.end_row();
        t.tags.end_row();
        t.codes.end_row();
        if let Some(p) = t.provenance.pending_mut().first_mut()
            && p.record != ABSENT
            && p.record != RECORD_IS_ID
            && p.record as usize + 1 == t.records.len()
            && t.records.get(p.record as usize) == head.id
        {
            t.records.truncate(self.records);
            p.record = RECORD_IS_ID;
        }
        t.provenance.end_row();
        t.extra.end_row();
        self.finished = true;
    }
}

impl Drop for RowBuilder<'_> {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        // Take back the unfinished row's list items and texts. Words it
        // added to the dictionary stay: unused entries are harmless.
        let t = &mut *self.table;
        t.actors.drop_pending();
        t.place.drop_pending();
        t.casualties.drop_pending();
        t.sources.drop_pending();
        t.tags.drop_pending();
        t.codes.drop_pending();
        t.provenance.drop_pending();
        t.extra.drop_pending();
        t.quotes.truncate(self.quotes);
        t.published.truncate(self.published);
        t.records.truncate(self.records);
    }
}

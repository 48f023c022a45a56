//! Writing a dataset as Parquet: the events in row groups of
//! [`ROWS_PER_GROUP`], the dataset's own fields as key-value metadata.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use ::parquet::arrow::ArrowWriter;
use ::parquet::basic::Compression;
use ::parquet::errors::ParquetError;
use ::parquet::file::metadata::KeyValue;
use ::parquet::file::properties::WriterProperties;
use arrow_array::builder::{Float64Builder, Int64Builder, LargeStringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, LargeListArray, RecordBatch, StructArray};
use arrow_buffer::{NullBuffer, OffsetBuffer};
use arrow_schema::{ArrowError, DataType, Fields, SchemaRef};

use crate::io::error::SaveError;
use crate::model::Event;
use crate::table::Dataset;

use super::{
    ROWS_PER_GROUP, VERSION, actor_fields, casualty_fields, item, key, pair_fields, place_fields,
    provenance_fields, role_name, schema, source_fields,
};

/// Where one list column's rows end in its items.
struct Offsets(Vec<i64>);

impl Default for Offsets {
    fn default() -> Offsets {
        Offsets(vec![0])
    }
}

impl Offsets {
    /// Close a row of `n` items.
    fn end_row(&mut self, n: usize) {
        let last = self.0.last().copied().unwrap_or(0);
        self.0.push(last + n as i64);
    }

    fn finish(&mut self) -> OffsetBuffer<i64> {
        OffsetBuffer::new(std::mem::take(self).0.into())
    }
}

fn list_array(
    items: DataType,
    offsets: &mut Offsets,
    values: ArrayRef,
) -> Result<ArrayRef, ArrowError> {
    Ok(Arc::new(LargeListArray::try_new(
        item(items),
        offsets.finish(),
        values,
        None,
    )?))
}

fn struct_array(
    fields: Fields,
    children: Vec<ArrayRef>,
    valid: Option<&mut Vec<bool>>,
) -> Result<StructArray, ArrowError> {
    let nulls = valid.map(|v| NullBuffer::from(std::mem::take(v)));
    StructArray::try_new(fields, children, nulls)
}

type Text = LargeStringBuilder;

#[derive(Default)]
struct Actors {
    rows: Offsets,
    name: Text,
    role: Text,
    affiliation: Text,
    country: Text,
}

#[derive(Default)]
struct Places {
    valid: Vec<bool>,
    name: Text,
    admin: Text,
    country: Text,
    lat: Float64Builder,
    lon: Float64Builder,
    precision: Text,
}

#[derive(Default)]
struct CasualtyColumns {
    valid: Vec<bool>,
    low: UInt64Builder,
    best: UInt64Builder,
    high: UInt64Builder,
}

#[derive(Default)]
struct Sources {
    rows: Offsets,
    publisher: Text,
    title: Text,
    url: Text,
    published: Text,
    quote: Text,
    credit: Text,
}

#[derive(Default)]
struct Pairs {
    rows: Offsets,
    key: Text,
    value: Text,
}

impl Pairs {
    fn finish(&mut self) -> Result<ArrayRef, ArrowError> {
        let pairs = struct_array(
            pair_fields(),
            vec![Arc::new(self.key.finish()), Arc::new(self.value.finish())],
            None,
        )?;
        list_array(
            DataType::Struct(pair_fields()),
            &mut self.rows,
            Arc::new(pairs),
        )
    }
}

#[derive(Default)]
struct Provenances {
    valid: Vec<bool>,
    format: Text,
    file: Text,
    record: Text,
    line: UInt64Builder,
}

/// One row group's columns as they are filled.
#[derive(Default)]
pub(super) struct Group {
    rows: usize,
    id: Text,
    title: Text,
    description: Text,
    kind: Text,
    start: Text,
    end: Text,
    when_note: Text,
    earliest: Int64Builder,
    latest: Int64Builder,
    actors: Actors,
    place: Places,
    casualties: CasualtyColumns,
    sources: Sources,
    tags: Offsets,
    tag: Text,
    codes: Pairs,
    provenance: Provenances,
    extra: Pairs,
}

impl Group {
    pub(super) fn push(&mut self, e: &Event) {
        self.rows += 1;
        self.id.append_value(&e.id);
        self.title.append_value(&e.title);
        self.description.append_value(&e.description);
        self.kind.append_value(&e.kind);
        self.start.append_value(e.when.start.to_text());
        self.end.append_option(e.when.end.map(|d| d.to_text()));
        self.when_note.append_option(e.when.note.as_deref());
        self.earliest.append_value(e.when.earliest());
        self.latest.append_value(e.when.latest());

        let a = &mut self.actors;
        for actor in &e.actors {
            a.name.append_value(&actor.name);
            a.role.append_value(role_name(actor.role));
            a.affiliation.append_option(actor.affiliation.as_deref());
            a.country.append_option(actor.country.as_deref());
        }
        a.rows.end_row(e.actors.len());

        // An absent place (casualties, provenance) is a null struct; its
        // required fields still need a value underneath.
        let p = &mut self.place;
        p.valid.push(e.place.is_some());
        let place = e.place.as_ref();
        p.name.append_value(place.map_or("", |p| p.name.as_str()));
        p.admin
            .append_option(place.and_then(|p| p.admin.as_deref()));
        p.country
            .append_option(place.and_then(|p| p.country.as_deref()));
        p.lat.append_option(place.and_then(|p| p.lat));
        p.lon.append_option(place.and_then(|p| p.lon));
        p.precision
            .append_option(place.and_then(|p| p.precision.as_deref()));

        let c = &mut self.casualties;
        c.valid.push(e.casualties.is_some());
        let casualties = e.casualties.as_ref();
        c.low.append_option(casualties.and_then(|c| c.low));
        c.best.append_option(casualties.and_then(|c| c.best));
        c.high.append_option(casualties.and_then(|c| c.high));

        let s = &mut self.sources;
        for source in &e.sources {
            s.publisher.append_option(source.publisher.as_deref());
            s.title.append_option(source.title.as_deref());
            s.url.append_option(source.url.as_deref());
            s.published
                .append_option(source.published.map(|d| d.to_text()));
            s.quote.append_option(source.quote.as_deref());
            s.credit.append_option(source.credit.as_deref());
        }
        s.rows.end_row(e.sources.len());

        for tag in &e.tags {
            self.tag.append_value(tag);
        }
        self.tags.end_row(e.tags.len());

        for (k, v) in &e.codes {
            self.codes.key.append_value(k);
            self.codes.value.append_value(v);
        }
        self.codes.rows.end_row(e.codes.len());

        let p = &mut self.provenance;
        p.valid.push(e.provenance.is_some());
        let provenance = e.provenance.as_ref();
        p.format
            .append_value(provenance.map_or("", |p| p.format.as_str()));
        p.file
            .append_option(provenance.and_then(|p| p.file.as_deref()));
        p.record
            .append_option(provenance.and_then(|p| p.record.as_deref()));
        p.line.append_option(provenance.and_then(|p| p.line));

        for (k, v) in &e.extra {
            self.extra.key.append_value(k);
            // JSON text, strings quoted: the value's type survives.
            self.extra.value.append_value(v.to_string());
        }
        self.extra.rows.end_row(e.extra.len());
    }

    /// The rows pushed so far as a batch; the group is left empty.
    pub(super) fn finish(&mut self, schema: &SchemaRef) -> Result<RecordBatch, ArrowError> {
        self.rows = 0;
        let a = &mut self.actors;
        let actors = struct_array(
            actor_fields(),
            vec![
                Arc::new(a.name.finish()),
                Arc::new(a.role.finish()),
                Arc::new(a.affiliation.finish()),
                Arc::new(a.country.finish()),
            ],
            None,
        )?;
        let p = &mut self.place;
        let place = struct_array(
            place_fields(),
            vec![
                Arc::new(p.name.finish()),
                Arc::new(p.admin.finish()),
                Arc::new(p.country.finish()),
                Arc::new(p.lat.finish()),
                Arc::new(p.lon.finish()),
                Arc::new(p.precision.finish()),
            ],
            Some(&mut p.valid),
        )?;
        let c = &mut self.casualties;
        let casualties = struct_array(
            casualty_fields(),
            vec![
                Arc::new(c.low.finish()),
                Arc::new(c.best.finish()),
                Arc::new(c.high.finish()),
            ],
            Some(&mut c.valid),
        )?;
        let s = &mut self.sources;
        let sources = struct_array(
            source_fields(),
            vec![
                Arc::new(s.publisher.finish()),
                Arc::new(s.title.finish()),
                Arc::new(s.url.finish()),
                Arc::new(s.published.finish()),
                Arc::new(s.quote.finish()),
                Arc::new(s.credit.finish()),
            ],
            None,
        )?;
        let p = &mut self.provenance;
        let provenance = struct_array(
            provenance_fields(),
            vec![
                Arc::new(p.format.finish()),
                Arc::new(p.file.finish()),
                Arc::new(p.record.finish()),
                Arc::new(p.line.finish()),
            ],
            Some(&mut p.valid),
        )?;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.id.finish()),
            Arc::new(self.title.finish()),
            Arc::new(self.description.finish()),
            Arc::new(self.kind.finish()),
            Arc::new(self.start.finish()),
            Arc::new(self.end.finish()),
            Arc::new(self.when_note.finish()),
            Arc::new(self.earliest.finish()),
            Arc::new(self.latest.finish()),
            list_array(
                DataType::Struct(actor_fields()),
                &mut self.actors.rows,
                Arc::new(actors),
            )?,
            Arc::new(place),
            Arc::new(casualties),
            list_array(
                DataType::Struct(source_fields()),
                &mut self.sources.rows,
                Arc::new(sources),
            )?,
            list_array(
                DataType::LargeUtf8,
                &mut self.tags,
                Arc::new(self.tag.finish()),
            )?,
            self.codes.finish()?,
            Arc::new(provenance),
            self.extra.finish()?,
        ];
        RecordBatch::try_new(schema.clone(), columns)
    }
}

/// The dataset's own fields as the file's key-value metadata.
fn metadata(dataset: &Dataset) -> Result<Vec<KeyValue>, serde_json::Error> {
    let kv = |k: &str, v: String| KeyValue::new(k.to_string(), v);
    Ok(vec![
        kv(key::VERSION, VERSION.to_string()),
        kv(key::TITLE, dataset.title.clone()),
        kv(key::DESCRIPTION, dataset.description.clone()),
        kv(key::KINDS, serde_json::to_string(&dataset.kinds)?),
        kv(key::ERAS, serde_json::to_string(&dataset.eras)?),
    ])
}

/// Write the dataset as Parquet to `out` (which is given back): Snappy
/// compressed, in row groups of [`ROWS_PER_GROUP`] events.
pub fn write_to<W: Write + Send>(dataset: &Dataset, out: W) -> Result<W, ParquetError> {
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROWS_PER_GROUP))
        .set_key_value_metadata(Some(
            metadata(dataset).map_err(|e| ParquetError::General(e.to_string()))?,
        ))
        .build();
    let schema = schema();
    let mut writer = ArrowWriter::try_new(out, schema.clone(), Some(props))?;
    let mut group = Group::default();
    for event in dataset.events.iter() {
        group.push(&event);
        if group.rows == ROWS_PER_GROUP {
            writer.write(&group.finish(&schema)?)?;
        }
    }
    if group.rows > 0 {
        writer.write(&group.finish(&schema)?)?;
    }
    writer.into_inner()
}

/// Save atomically (see [`crate::io::atomic`]). The file is made in memory
/// first (the Parquet writer wants a writer it can send between threads).
pub fn save(path: &Path, dataset: &Dataset) -> Result<(), SaveError> {
    let bytes = write_to(dataset, Vec::new()).map_err(|e| SaveError::Encode {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    crate::io::atomic::write_atomically(path, |w| w.write_all(&bytes).map_err(|e| e.to_string()))
}

//! Parquet: the events as columns in an Apache Parquet file, written by
//! `eventline convert IN OUT.parquet` and read back like any other format
//! (detected by the file's first bytes, `PAR1`). The column schema and the
//! metadata keys are documented in `docs/FORMAT.md`.
//!
//! Every field of every event has a column, so a dataset survives the
//! round trip exactly; dates are kept as their text (`2020-09~`), with
//! their bounds in seconds beside them for other tools to query.
//!
//! Files are read one row group at a time, with the types Parquet itself
//! declares (the Arrow schema a writer may embed is not trusted), so files
//! rewritten by other tools (pandas, Polars, DuckDB) read as long as the
//! columns keep their names and kinds of value.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use ::parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use ::parquet::arrow::{ArrowWriter, ProjectionMask};
use ::parquet::basic::Compression;
use ::parquet::errors::ParquetError;
use ::parquet::file::metadata::KeyValue;
use ::parquet::file::properties::WriterProperties;
use arrow_array::builder::{Float64Builder, Int64Builder, LargeStringBuilder, UInt64Builder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt64Type};
use arrow_array::{
    Array, ArrayRef, Float64Array, LargeListArray, ListArray, RecordBatch, StringArray,
    StructArray, UInt64Array,
};
use arrow_buffer::{NullBuffer, OffsetBuffer};
use arrow_schema::{ArrowError, DataType, Field, FieldRef, Fields, Schema, SchemaRef};
use bytes::Bytes;
use serde::Deserialize;

use super::report::Report;
use super::{Format, LoadError, Loaded, Problem, SaveError, Severity};
use crate::model::{
    Actor, Casualties, Era, Event, FuzzyDate, KindDef, Place, Provenance, Role, Source, When,
};
use crate::table::Dataset;
use crate::table::EventTable;

/// The version of this layout, written under [`key::VERSION`].
pub const VERSION: &str = "1";

/// The file's key-value metadata: the dataset's own fields.
pub mod key {
    /// The layout's version ([`super::VERSION`]); a file without it is
    /// read as this version.
    pub const VERSION: &str = "eventline.parquet_version";
    /// The dataset's title, as plain text.
    pub const TITLE: &str = "eventline.title";
    /// The dataset's description, as plain text.
    pub const DESCRIPTION: &str = "eventline.description";
    /// The dataset's kinds, as the JSON list of Eventline's format.
    pub const KINDS: &str = "eventline.kinds";
    /// The dataset's eras, as the JSON list of Eventline's format.
    pub const ERAS: &str = "eventline.eras";
}

/// Rows per row group: a group is built in memory before it is written,
/// and read whole before its rows are, so this bounds both.
const ROWS_PER_GROUP: usize = 65_536;

/// Rows decoded at a time when reading (between progress reports and
/// checks for a cancel).
const READ_BATCH: usize = 8_192;

// ---------------------------------------------------------------------------
// The schema

/// Text columns are written as `LargeUtf8` and lists as `LargeList`: their
/// 64-bit offsets cannot overflow however much text a row group holds. In
/// the Parquet file they are plain strings and lists; readers (this one
/// too) may see them as `Utf8` and `List`.
fn text(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::LargeUtf8, nullable)
}

fn item(data_type: DataType) -> FieldRef {
    Arc::new(Field::new("item", data_type, false))
}

/// A list column: empty, never null, for no items.
fn list(name: &str, items: DataType) -> Field {
    Field::new(name, DataType::LargeList(item(items)), false)
}

fn actor_fields() -> Fields {
    Fields::from(vec![
        text("name", false),
        text("role", false),
        text("affiliation", true),
        text("country", true),
    ])
}

fn place_fields() -> Fields {
    Fields::from(vec![
        text("name", false),
        text("admin", true),
        text("country", true),
        Field::new("lat", DataType::Float64, true),
        Field::new("lon", DataType::Float64, true),
        text("precision", true),
    ])
}

fn casualty_fields() -> Fields {
    Fields::from(vec![
        Field::new("low", DataType::UInt64, true),
        Field::new("best", DataType::UInt64, true),
        Field::new("high", DataType::UInt64, true),
    ])
}

fn source_fields() -> Fields {
    Fields::from(vec![
        text("publisher", true),
        text("title", true),
        text("url", true),
        text("published", true),
        text("quote", true),
        text("credit", true),
    ])
}

fn pair_fields() -> Fields {
    Fields::from(vec![text("key", false), text("value", false)])
}

fn provenance_fields() -> Fields {
    Fields::from(vec![
        text("format", false),
        text("file", true),
        text("record", true),
        Field::new("line", DataType::UInt64, true),
    ])
}

/// The columns Eventline writes, in order (see docs/FORMAT.md).
pub fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        text("id", false),
        text("title", false),
        text("description", false),
        text("kind", false),
        text("start", false),
        text("end", true),
        text("when_note", true),
        Field::new("earliest", DataType::Int64, false),
        Field::new("latest", DataType::Int64, false),
        list("actors", DataType::Struct(actor_fields())),
        Field::new("place", DataType::Struct(place_fields()), true),
        Field::new("casualties", DataType::Struct(casualty_fields()), true),
        list("sources", DataType::Struct(source_fields())),
        list("tags", DataType::LargeUtf8),
        list("codes", DataType::Struct(pair_fields())),
        Field::new("provenance", DataType::Struct(provenance_fields()), true),
        list("extra", DataType::Struct(pair_fields())),
    ]))
}

/// A role as its column holds it: serde's name, which reading parses back.
fn role_name(role: Role) -> &'static str {
    match role {
        Role::Initiator => "initiator",
        Role::Target => "target",
        Role::SideA => "side_a",
        Role::SideB => "side_b",
        Role::Mediator => "mediator",
        Role::Participant => "participant",
    }
}

fn parse_role(name: &str) -> Option<Role> {
    use serde::de::value::{Error, StrDeserializer};
    Role::deserialize(StrDeserializer::<Error>::new(name)).ok()
}

// ---------------------------------------------------------------------------
// Writing

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
struct Group {
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
    fn push(&mut self, e: &Event) {
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
    fn finish(&mut self, schema: &SchemaRef) -> Result<RecordBatch, ArrowError> {
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

/// Save atomically (see [`super::atomic`]). The file is made in memory
/// first (the Parquet writer wants a writer it can send between threads).
pub fn save(path: &Path, dataset: &Dataset) -> Result<(), SaveError> {
    let bytes = write_to(dataset, Vec::new()).map_err(|e| SaveError::Encode {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    super::atomic::write_atomically(path, |w| w.write_all(&bytes).map_err(|e| e.to_string()))
}

// ---------------------------------------------------------------------------
// Reading

/// Why one row could not become an event: the column (`start`,
/// `actors[1].role`) and what was wrong with its value.
struct Fault {
    column: String,
    message: String,
}

impl Fault {
    fn new(column: impl Into<String>, message: impl Into<String>) -> Fault {
        Fault {
            column: column.into(),
            message: message.into(),
        }
    }

    fn null(column: impl Into<String>) -> Fault {
        Fault::new(column, "has no value (null)")
    }
}

/// The value at `k`, or `None` for a null (or, in a damaged file, a
/// position past the end).
fn text_at(a: &StringArray, k: usize) -> Option<&str> {
    (k < a.len() && a.is_valid(k)).then(|| a.value(k))
}

fn opt_text(a: Option<&StringArray>, k: usize) -> Option<String> {
    a.and_then(|a| text_at(a, k)).map(str::to_string)
}

fn required_text(a: &StringArray, k: usize, column: impl Into<String>) -> Result<String, Fault> {
    text_at(a, k)
        .map(str::to_string)
        .ok_or_else(|| Fault::null(column))
}

fn u64_at(a: Option<&UInt64Array>, k: usize) -> Option<u64> {
    a.filter(|a| k < a.len() && a.is_valid(k))
        .map(|a| a.value(k))
}

fn f64_at(a: Option<&Float64Array>, k: usize) -> Option<f64> {
    a.filter(|a| k < a.len() && a.is_valid(k))
        .map(|a| a.value(k))
}

fn is_set(a: &dyn Array, k: usize) -> bool {
    k < a.len() && a.is_valid(k)
}

fn date(text: &str, column: impl Into<String>) -> Result<FuzzyDate, Fault> {
    FuzzyDate::parse(text).map_err(|e| Fault::new(column, e.to_string()))
}

/// What a column holds, in the words of errors.
fn mismatch(name: &str, found: &DataType, wanted: &str) -> String {
    format!("the column `{name}` holds {found}, where Eventline's Parquet has {wanted}")
}

fn texts<'a>(col: Option<&'a ArrayRef>, name: &str) -> Result<Option<&'a StringArray>, String> {
    col.map(|a| {
        a.as_string_opt::<i32>()
            .ok_or_else(|| mismatch(name, a.data_type(), "text"))
    })
    .transpose()
}

fn u64s<'a>(col: Option<&'a ArrayRef>, name: &str) -> Result<Option<&'a UInt64Array>, String> {
    col.map(|a| {
        a.as_primitive_opt::<UInt64Type>()
            .ok_or_else(|| mismatch(name, a.data_type(), "unsigned 64-bit integers"))
    })
    .transpose()
}

fn f64s<'a>(col: Option<&'a ArrayRef>, name: &str) -> Result<Option<&'a Float64Array>, String> {
    col.map(|a| {
        a.as_primitive_opt::<Float64Type>()
            .ok_or_else(|| mismatch(name, a.data_type(), "64-bit floats"))
    })
    .transpose()
}

fn structs<'a>(col: Option<&'a ArrayRef>, name: &str) -> Result<Option<&'a StructArray>, String> {
    col.map(|a| {
        a.as_struct_opt()
            .ok_or_else(|| mismatch(name, a.data_type(), "a struct"))
    })
    .transpose()
}

fn need<T>(found: Option<T>, name: &str) -> Result<T, String> {
    found.ok_or_else(|| format!("it has no `{name}` column"))
}

/// A list column and its items.
struct List<'a, T> {
    list: &'a ListArray,
    items: T,
    /// How many items there are, to catch offsets past the end.
    len: usize,
}

impl<'a, T> List<'a, T> {
    fn of(
        col: Option<&'a ArrayRef>,
        name: &str,
        items: impl FnOnce(&'a ArrayRef) -> Result<T, String>,
    ) -> Result<Option<List<'a, T>>, String> {
        let Some(a) = col else {
            return Ok(None);
        };
        let list = a
            .as_list_opt::<i32>()
            .ok_or_else(|| mismatch(name, a.data_type(), "a list"))?;
        Ok(Some(List {
            list,
            items: items(list.values())?,
            len: list.values().len(),
        }))
    }

    /// The items of row `i` (none for a null list).
    fn row(&self, i: usize, name: &str) -> Result<Range<usize>, Fault> {
        if !is_set(self.list, i) {
            return Ok(0..0);
        }
        let offsets = self.list.value_offsets();
        let (Some(&start), Some(&end)) = (offsets.get(i), offsets.get(i + 1)) else {
            return Err(Fault::new(name, "the list's offsets are damaged"));
        };
        let (start, end) = (start.max(0) as usize, end.max(0) as usize);
        if start > end || end > self.len {
            return Err(Fault::new(name, "the list's offsets are damaged"));
        }
        Ok(start..end)
    }
}

struct ActorView<'a> {
    all: &'a StructArray,
    name: &'a StringArray,
    role: Option<&'a StringArray>,
    affiliation: Option<&'a StringArray>,
    country: Option<&'a StringArray>,
}

struct PlaceView<'a> {
    all: &'a StructArray,
    name: &'a StringArray,
    admin: Option<&'a StringArray>,
    country: Option<&'a StringArray>,
    lat: Option<&'a Float64Array>,
    lon: Option<&'a Float64Array>,
    precision: Option<&'a StringArray>,
}

struct CasualtyView<'a> {
    all: &'a StructArray,
    low: Option<&'a UInt64Array>,
    best: Option<&'a UInt64Array>,
    high: Option<&'a UInt64Array>,
}

struct SourceView<'a> {
    all: &'a StructArray,
    publisher: Option<&'a StringArray>,
    title: Option<&'a StringArray>,
    url: Option<&'a StringArray>,
    published: Option<&'a StringArray>,
    quote: Option<&'a StringArray>,
    credit: Option<&'a StringArray>,
}

struct PairView<'a> {
    all: &'a StructArray,
    key: &'a StringArray,
    value: &'a StringArray,
}

struct ProvenanceView<'a> {
    all: &'a StructArray,
    format: &'a StringArray,
    file: Option<&'a StringArray>,
    record: Option<&'a StringArray>,
    line: Option<&'a UInt64Array>,
}

/// One batch's columns, typed. Only `id`, `title`, `kind` and `start` must
/// be there; a column that is missing reads as empty.
struct View<'a> {
    id: &'a StringArray,
    title: &'a StringArray,
    description: Option<&'a StringArray>,
    kind: &'a StringArray,
    start: &'a StringArray,
    end: Option<&'a StringArray>,
    when_note: Option<&'a StringArray>,
    actors: Option<List<'a, ActorView<'a>>>,
    place: Option<PlaceView<'a>>,
    casualties: Option<CasualtyView<'a>>,
    sources: Option<List<'a, SourceView<'a>>>,
    tags: Option<List<'a, &'a StringArray>>,
    codes: Option<List<'a, PairView<'a>>>,
    provenance: Option<ProvenanceView<'a>>,
    extra: Option<List<'a, PairView<'a>>>,
}

fn pairs<'a>(items: &'a ArrayRef, name: &str) -> Result<PairView<'a>, String> {
    let all = need(structs(Some(items), name)?, name)?;
    let child = |c: &str| format!("{name}.{c}");
    Ok(PairView {
        all,
        key: need(
            texts(all.column_by_name("key"), &child("key"))?,
            &child("key"),
        )?,
        value: need(
            texts(all.column_by_name("value"), &child("value"))?,
            &child("value"),
        )?,
    })
}

impl<'a> View<'a> {
    fn of(batch: &'a RecordBatch) -> Result<View<'a>, String> {
        let col = |name: &str| batch.column_by_name(name);
        let text = |name: &str| texts(col(name), name);
        let required = |name: &str| need(text(name)?, name);
        let actors = List::of(col("actors"), "actors", |items| {
            let all = need(structs(Some(items), "actors")?, "actors")?;
            let c = |n: &str| all.column_by_name(n);
            Ok(ActorView {
                all,
                name: need(texts(c("name"), "actors.name")?, "actors.name")?,
                role: texts(c("role"), "actors.role")?,
                affiliation: texts(c("affiliation"), "actors.affiliation")?,
                country: texts(c("country"), "actors.country")?,
            })
        })?;
        let place = match structs(col("place"), "place")? {
            None => None,
            Some(all) => {
                let c = |n: &str| all.column_by_name(n);
                Some(PlaceView {
                    all,
                    name: need(texts(c("name"), "place.name")?, "place.name")?,
                    admin: texts(c("admin"), "place.admin")?,
                    country: texts(c("country"), "place.country")?,
                    lat: f64s(c("lat"), "place.lat")?,
                    lon: f64s(c("lon"), "place.lon")?,
                    precision: texts(c("precision"), "place.precision")?,
                })
            }
        };
        let casualties = match structs(col("casualties"), "casualties")? {
            None => None,
            Some(all) => {
                let c = |n: &str| all.column_by_name(n);
                Some(CasualtyView {
                    all,
                    low: u64s(c("low"), "casualties.low")?,
                    best: u64s(c("best"), "casualties.best")?,
                    high: u64s(c("high"), "casualties.high")?,
                })
            }
        };
        let sources = List::of(col("sources"), "sources", |items| {
            let all = need(structs(Some(items), "sources")?, "sources")?;
            let c = |n: &str| texts(all.column_by_name(n), &format!("sources.{n}"));
            Ok(SourceView {
                all,
                publisher: c("publisher")?,
                title: c("title")?,
                url: c("url")?,
                published: c("published")?,
                quote: c("quote")?,
                credit: c("credit")?,
            })
        })?;
        let tags = List::of(col("tags"), "tags", |items| {
            need(texts(Some(items), "tags")?, "tags")
        })?;
        let codes = List::of(col("codes"), "codes", |items| pairs(items, "codes"))?;
        let extra = List::of(col("extra"), "extra", |items| pairs(items, "extra"))?;
        let provenance = match structs(col("provenance"), "provenance")? {
            None => None,
            Some(all) => {
                let c = |n: &str| all.column_by_name(n);
                Some(ProvenanceView {
                    all,
                    format: need(
                        texts(c("format"), "provenance.format")?,
                        "provenance.format",
                    )?,
                    file: texts(c("file"), "provenance.file")?,
                    record: texts(c("record"), "provenance.record")?,
                    line: u64s(c("line"), "provenance.line")?,
                })
            }
        };
        Ok(View {
            id: required("id")?,
            title: required("title")?,
            description: text("description")?,
            kind: required("kind")?,
            start: required("start")?,
            end: text("end")?,
            when_note: text("when_note")?,
            actors,
            place,
            casualties,
            sources,
            tags,
            codes,
            provenance,
            extra,
        })
    }

    /// The event of row `i`. Keys given twice in `codes` or `extra` keep
    /// the later value and are named in `warnings`.
    fn event(&self, i: usize, warnings: &mut Vec<Fault>) -> Result<Event, Fault> {
        let id = required_text(self.id, i, "id")?;
        let title = required_text(self.title, i, "title")?;
        let kind = required_text(self.kind, i, "kind")?;
        let start = date(&required_text(self.start, i, "start")?, "start")?;
        let end = match self.end.and_then(|a| text_at(a, i)) {
            Some(t) => Some(date(t, "end")?),
            None => None,
        };
        let mut event = Event::new(
            id,
            title,
            kind,
            When {
                start,
                end,
                note: opt_text(self.when_note, i),
            },
        );
        event.description = opt_text(self.description, i).unwrap_or_default();

        if let Some(list) = &self.actors {
            let a = &list.items;
            for (n, k) in list.row(i, "actors")?.enumerate() {
                let column = |f: &str| format!("actors[{n}].{f}");
                if !is_set(a.all, k) {
                    return Err(Fault::null(format!("actors[{n}]")));
                }
                let role = match a.role.and_then(|r| text_at(r, k)) {
                    None => Role::default(),
                    Some(r) => parse_role(r).ok_or_else(|| {
                        Fault::new(
                            column("role"),
                            format!(
                                "`{r}` is not a role (initiator, target, side_a, side_b, mediator, participant)"
                            ),
                        )
                    })?,
                };
                event.actors.push(Actor {
                    name: required_text(a.name, k, column("name"))?,
                    role,
                    affiliation: opt_text(a.affiliation, k),
                    country: opt_text(a.country, k),
                });
            }
        }

        if let Some(p) = self.place.as_ref().filter(|p| is_set(p.all, i)) {
            event.place = Some(Place {
                name: required_text(p.name, i, "place.name")?,
                admin: opt_text(p.admin, i),
                country: opt_text(p.country, i),
                lat: f64_at(p.lat, i),
                lon: f64_at(p.lon, i),
                precision: opt_text(p.precision, i),
            });
        }

        if let Some(c) = self.casualties.as_ref().filter(|c| is_set(c.all, i)) {
            event.casualties = Some(Casualties {
                low: u64_at(c.low, i),
                best: u64_at(c.best, i),
                high: u64_at(c.high, i),
            });
        }

        if let Some(list) = &self.sources {
            let s = &list.items;
            for (n, k) in list.row(i, "sources")?.enumerate() {
                if !is_set(s.all, k) {
                    return Err(Fault::null(format!("sources[{n}]")));
                }
                let published = match s.published.and_then(|a| text_at(a, k)) {
                    Some(t) => Some(date(t, format!("sources[{n}].published"))?),
                    None => None,
                };
                event.sources.push(Source {
                    publisher: opt_text(s.publisher, k),
                    title: opt_text(s.title, k),
                    url: opt_text(s.url, k),
                    published,
                    quote: opt_text(s.quote, k),
                    credit: opt_text(s.credit, k),
                });
            }
        }

        if let Some(list) = &self.tags {
            for (n, k) in list.row(i, "tags")?.enumerate() {
                event
                    .tags
                    .push(required_text(list.items, k, format!("tags[{n}]"))?);
            }
        }

        if let Some(list) = &self.codes {
            event.codes = self.pairs(list, i, "codes", warnings)?;
        }

        if let Some(p) = self.provenance.as_ref().filter(|p| is_set(p.all, i)) {
            event.provenance = Some(Provenance {
                format: required_text(p.format, i, "provenance.format")?,
                file: opt_text(p.file, i),
                record: opt_text(p.record, i),
                line: u64_at(p.line, i),
            });
        }

        if let Some(list) = &self.extra {
            for (key, text) in self.pairs(list, i, "extra", warnings)? {
                let value = serde_json::from_str(&text).map_err(|e| {
                    Fault::new(
                        format!("extra[{key}]"),
                        format!("`{text}` is not JSON text: {e}"),
                    )
                })?;
                event.extra.insert(key, value);
            }
        }
        Ok(event)
    }

    fn pairs(
        &self,
        list: &List<'_, PairView<'_>>,
        i: usize,
        name: &str,
        warnings: &mut Vec<Fault>,
    ) -> Result<BTreeMap<String, String>, Fault> {
        let p = &list.items;
        let mut out = BTreeMap::new();
        for (n, k) in list.row(i, name)?.enumerate() {
            if !is_set(p.all, k) {
                return Err(Fault::null(format!("{name}[{n}]")));
            }
            let key = required_text(p.key, k, format!("{name}[{n}].key"))?;
            let value = required_text(p.value, k, format!("{name}[{n}].value"))?;
            if out.insert(key.clone(), value).is_some() {
                warnings.push(Fault::new(
                    format!("{name}[{n}].key"),
                    format!("the key `{key}` is given twice; the later value was kept"),
                ));
            }
        }
        Ok(out)
    }
}

/// The dataset's fields from the file's metadata; what cannot be read is
/// left out and reported.
fn dataset_fields(
    kv: Option<&Vec<KeyValue>>,
    report: &mut Report,
) -> (String, String, Vec<KindDef>, Vec<Era>) {
    let get = |k: &str| {
        kv.into_iter()
            .flatten()
            .find(|e| e.key == k)
            .and_then(|e| e.value.clone())
    };
    fn json<T: serde::de::DeserializeOwned>(
        text: Option<String>,
        key: &str,
        what: &str,
        report: &mut Report,
    ) -> Vec<T> {
        let Some(text) = text else {
            return Vec::new();
        };
        serde_json::from_str(&text).unwrap_or_else(|e| {
            report.push(Problem {
                severity: Severity::Warning,
                line: None,
                column: None,
                field: Some(format!("metadata {key}")),
                message: format!("is not a list of {what}: {e}; they were left out"),
            });
            Vec::new()
        })
    }
    let kinds = json(get(key::KINDS), key::KINDS, "kinds", report);
    let eras = json(get(key::ERAS), key::ERAS, "eras", report);
    (
        get(key::TITLE).unwrap_or_default(),
        get(key::DESCRIPTION).unwrap_or_default(),
        kinds,
        eras,
    )
}

/// Read a Parquet file (its bytes, already in memory). A file the Parquet
/// reader cannot decode, or whose columns are not Eventline's, is refused
/// with the reason; a row whose values make no event (a date that does not
/// parse, a role that is none) is skipped and reported.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Loaded, LoadError> {
    // The decoder is another project's code reading untrusted bytes: should
    // it panic on a damaged file, that is this file's error, not a crash.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_parquet(path, bytes)))
        .unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("no reason given");
            Err(LoadError::Invalid {
                path: path.to_path_buf(),
                message: format!("is a damaged Parquet file (the Parquet reader failed: {why})"),
            })
        })
}

/// The reader's words without the wrapping it adds ("Parquet argument
/// error: Parquet error: …").
fn arrow_reason(e: &ArrowError) -> String {
    match e {
        ArrowError::ParquetError(why) => why.clone(),
        ArrowError::ExternalError(inner) => inner.to_string(),
        other => other.to_string(),
    }
}

/// Which column of a row group that cannot be read is damaged: each is
/// read alone until one fails. Only asked once reading has failed.
fn damaged_column(data: &Bytes, meta: &ArrowReaderMetadata, group: usize) -> Option<String> {
    let parquet = meta.metadata().file_metadata().schema_descr();
    let names: Vec<String> = parquet
        .root_schema()
        .get_fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    names.into_iter().enumerate().find_map(|(root, name)| {
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(data.clone(), meta.clone())
            .with_row_groups(vec![group])
            .with_projection(ProjectionMask::roots(parquet, [root]))
            .with_batch_size(READ_BATCH)
            .build();
        let fails = match reader {
            Err(_) => true,
            Ok(mut batches) => batches.any(|b| b.is_err()),
        };
        fails.then_some(name)
    })
}

fn read_parquet(path: &Path, bytes: &[u8]) -> Result<Loaded, LoadError> {
    let invalid = |message: String| LoadError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let data = Bytes::copy_from_slice(bytes);
    // The types Parquet declares, not an embedded Arrow schema: text is
    // then always `Utf8` and lists `List`, whoever wrote the file.
    let options = ArrowReaderOptions::new().with_skip_arrow_metadata(true);
    let meta = ArrowReaderMetadata::load(&data, options)
        .map_err(|e| invalid(format!("is not a readable Parquet file: {e}")))?;
    let file = meta.metadata().file_metadata();
    let kv = file.key_value_metadata();
    let version = kv
        .into_iter()
        .flatten()
        .find(|e| e.key == key::VERSION)
        .and_then(|e| e.value.as_deref());
    if let Some(v) = version.filter(|v| v.trim() != VERSION) {
        return Err(invalid(format!(
            "is Eventline Parquet version {v}, but this build reads version {VERSION}"
        )));
    }
    // Check the columns once, before any row is read.
    let empty = RecordBatch::new_empty(meta.schema().clone());
    View::of(&empty).map_err(|why| {
        invalid(format!(
            "is a Parquet file, but not in Eventline's columns: {why} (docs/FORMAT.md lists them)"
        ))
    })?;

    let mut report = Report::default();
    let (title, description, kinds, eras) = dataset_fields(kv, &mut report);
    let total = file.num_rows().max(0) as u64;
    let groups = meta.metadata().num_row_groups();
    let mut events = EventTable::new();
    let mut ids: HashMap<String, u64> = HashMap::new();
    let mut warnings = Vec::new();
    let mut row: u64 = 0;
    for group in 0..groups {
        let failed = |why: String| {
            let column = damaged_column(&data, &meta, group)
                .map(|c| format!(", column `{c}`,"))
                .unwrap_or_default();
            invalid(format!(
                "row group {} of {groups}{column} cannot be read: {why}",
                group + 1
            ))
        };
        if super::progress::cancelled() {
            return Err(LoadError::Cancelled {
                path: path.to_path_buf(),
            });
        }
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(data.clone(), meta.clone())
            .with_row_groups(vec![group])
            .with_batch_size(READ_BATCH)
            .build()
            .map_err(|e| failed(e.to_string()))?;
        for batch in reader {
            let batch = batch.map_err(|e| failed(arrow_reason(&e)))?;
            let view = View::of(&batch).map_err(failed)?;
            let before = events.len();
            for i in 0..batch.num_rows() {
                row += 1;
                let at = |column: &str| Some(format!("row {row}, column {column}"));
                match view.event(i, &mut warnings) {
                    Ok(event) => {
                        match ids.get(&event.id) {
                            Some(first) => report.push(Problem {
                                severity: Severity::Warning,
                                line: None,
                                column: None,
                                field: at("id"),
                                message: format!(
                                    "the id `{}` is also used by row {first}; both were kept, and notes on one will show on both",
                                    event.id
                                ),
                            }),
                            None => {
                                ids.insert(event.id.clone(), row);
                            }
                        }
                        events.push(&event);
                    }
                    Err(fault) => report.skip_with(Problem {
                        severity: Severity::Error,
                        line: None,
                        column: None,
                        field: at(&fault.column),
                        message: format!("{}; the event was skipped", fault.message),
                    }),
                }
                for w in warnings.drain(..) {
                    report.push(Problem {
                        severity: Severity::Warning,
                        line: None,
                        column: None,
                        field: at(&w.column),
                        message: w.message,
                    });
                }
            }
            let reached = match total {
                0 => bytes.len() as u64,
                _ => (bytes.len() as f64 * row.min(total) as f64 / total as f64) as u64,
            };
            super::progress::parsed(events.len() - before, reached);
            if super::progress::cancelled() {
                return Err(LoadError::Cancelled {
                    path: path.to_path_buf(),
                });
            }
        }
    }
    Ok(Loaded::of_report(
        path,
        Format::Parquet,
        Dataset {
            title,
            description,
            kinds,
            eras,
            events,
            ..Dataset::default()
        },
        report,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::tests::event;
    use proptest::prelude::*;

    fn to_bytes(dataset: &Dataset) -> Vec<u8> {
        write_to(dataset, Vec::new()).unwrap()
    }

    fn read_bytes(bytes: &[u8]) -> Result<Loaded, LoadError> {
        read(Path::new("test.parquet"), bytes)
    }

    fn dataset(events: Vec<Event>) -> Dataset {
        Dataset {
            title: "T".into(),
            events: EventTable::from(events),
            ..Dataset::default()
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn every_event_comes_back_field_for_field(
            events in prop::collection::vec(event(), 0..40),
        ) {
            let bytes = to_bytes(&dataset(events.clone()));
            let loaded = read_bytes(&bytes).unwrap();
            prop_assert_eq!(loaded.dataset.events.to_vec(), events);
            prop_assert_eq!(loaded.skipped, 0);
            prop_assert_eq!(loaded.format, Format::Parquet);
        }
    }

    #[test]
    fn row_groups_are_read_in_order() {
        let d = crate::synth::generate(ROWS_PER_GROUP + 100, 3, true);
        let bytes = to_bytes(&d);
        let loaded = read_bytes(&bytes).unwrap();
        assert_eq!(loaded.dataset.events.len(), d.events.len());
        for i in [0, ROWS_PER_GROUP - 1, ROWS_PER_GROUP, d.events.len() - 1] {
            assert_eq!(loaded.dataset.events.get(i), d.events.get(i), "row {i}");
        }
    }

    #[test]
    fn an_empty_dataset_keeps_its_title_kinds_and_eras() {
        let mut d = dataset(Vec::new());
        d.description = "D".into();
        d.eras = vec![Era {
            name: "war".into(),
            start: FuzzyDate::parse("2020-09-27").unwrap(),
            end: FuzzyDate::parse("2020-11-10").unwrap(),
            color: None,
        }];
        let loaded = read_bytes(&to_bytes(&d)).unwrap();
        assert_eq!(loaded.dataset.title, "T");
        assert_eq!(loaded.dataset.description, "D");
        assert_eq!(loaded.dataset.eras, d.eras);
        assert!(loaded.dataset.events.is_empty());
    }

    /// A file of our columns, with `start` replaced by the given texts.
    fn with_starts(starts: &[Option<&str>]) -> Vec<u8> {
        let events: Vec<Event> = (0..starts.len())
            .map(|i| {
                Event::new(
                    format!("e{i}"),
                    "t",
                    "call",
                    When::point(FuzzyDate::parse("2022").unwrap()),
                )
            })
            .collect();
        let schema = schema();
        let mut group = Group::default();
        for e in &events {
            group.push(e);
        }
        let batch = group.finish(&schema).unwrap();
        let mut columns = batch.columns().to_vec();
        let starts: arrow_array::LargeStringArray = starts.iter().copied().collect();
        columns[4] = Arc::new(starts);
        // `start` may hold nulls here, unlike in the files Eventline writes.
        let mut fields: Vec<Field> = schema.fields().iter().map(|f| (**f).clone()).collect();
        fields[4] = text("start", true);
        let schema = Arc::new(Schema::new(fields));
        let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
        let mut writer = ArrowWriter::try_new(Vec::new(), schema, None).unwrap();
        writer.write(&batch).unwrap();
        writer.into_inner().unwrap()
    }

    #[test]
    fn a_row_that_makes_no_event_is_skipped_and_named() {
        let bytes = with_starts(&[Some("2022-08-05"), Some("2022-02-30"), None]);
        let loaded = read_bytes(&bytes).unwrap();
        assert_eq!(loaded.dataset.events.len(), 1);
        assert_eq!(loaded.skipped, 2);
        let p = &loaded.problems[0];
        assert_eq!(p.field.as_deref(), Some("row 2, column start"));
        assert_eq!(p.line, None);
        assert!(p.message.contains("`2022-02-30` is not a date"), "{p}");
        assert!(p.message.ends_with("the event was skipped"), "{p}");
        assert_eq!(
            loaded.problems[1].field.as_deref(),
            Some("row 3, column start")
        );
    }

    #[test]
    fn other_columns_are_refused_with_the_reason() {
        let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Int64, false)]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![Arc::new(arrow_array::Int64Array::from(vec![1, 2]))],
        )
        .unwrap();
        let mut writer = ArrowWriter::try_new(Vec::new(), schema, None).unwrap();
        writer.write(&batch).unwrap();
        let bytes = writer.into_inner().unwrap();
        let err = read_bytes(&bytes).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("test.parquet: "), "{text}");
        assert!(text.contains("not in Eventline's columns"), "{text}");
        assert!(text.contains("`id`"), "{text}");
    }

    #[test]
    fn another_version_is_refused() {
        let mut bytes = Vec::new();
        let props = WriterProperties::builder()
            .set_key_value_metadata(Some(vec![KeyValue::new(
                key::VERSION.to_string(),
                "7".to_string(),
            )]))
            .build();
        let mut writer = ArrowWriter::try_new(&mut bytes, schema(), Some(props)).unwrap();
        writer
            .write(&Group::default().finish(&schema()).unwrap())
            .unwrap();
        writer.close().unwrap();
        let err = read_bytes(&bytes).unwrap_err();
        assert!(err.to_string().contains("version 7"), "{err}");
    }

    #[test]
    fn damaged_files_are_errors_not_crashes() {
        let d = crate::synth::generate(500, 5, false);
        let bytes = to_bytes(&d);
        let err = read_bytes(&bytes[..bytes.len() / 2]).unwrap_err();
        assert!(matches!(err, LoadError::Invalid { .. }), "{err}");
        assert!(err.to_string().starts_with("test.parquet: "), "{err}");
        // Bytes flipped all through the file: each read gives events or
        // an error, never a panic (caught or not).
        for step in [7usize, 101, 997] {
            let mut bad = bytes.clone();
            for i in (4..bad.len() - 8).step_by(step) {
                bad[i] ^= 0x5a;
            }
            let _ = read_bytes(&bad);
        }
    }
}

//! Reading a Parquet file back, one row group at a time, with the types
//! Parquet itself declares; a row that makes no event is skipped and
//! reported.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use ::parquet::arrow::ProjectionMask;
use ::parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use ::parquet::file::metadata::KeyValue;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt64Type};
use arrow_array::{
    Array, ArrayRef, Float64Array, ListArray, RecordBatch, StringArray, StructArray, UInt64Array,
};
use arrow_schema::{ArrowError, DataType};
use bytes::Bytes;

use crate::io::error::LoadError;
use crate::io::format::Format;
use crate::io::loaded::Loaded;
use crate::io::report::{Problem, Report, Severity};
use crate::model::{
    Actor, Casualties, Era, Event, FuzzyDate, KindDef, Place, Provenance, Role, Source, When,
};
use crate::table::Dataset;
use crate::table::EventTable;

use super::{READ_BATCH, VERSION, key, parse_role};

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
        if crate::io::progress::cancelled() {
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
            crate::io::progress::parsed(events.len() - before, reached);
            if crate::io::progress::cancelled() {
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

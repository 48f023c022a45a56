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

//!
//! The layout is here (its version, metadata keys and column schema);
//! `write` makes a file of it and `read` reads one back.

use std::sync::Arc;

use arrow_schema::{DataType, Field, FieldRef, Fields, Schema, SchemaRef};
use serde::Deserialize;

use crate::model::Role;

mod read;
mod write;

pub use read::read;
pub use write::{save, write_to};

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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use ::parquet::arrow::ArrowWriter;
    use ::parquet::file::metadata::KeyValue;
    use ::parquet::file::properties::WriterProperties;
    use arrow_array::RecordBatch;
    use proptest::prelude::*;

    use super::write::Group;
    use super::*;
    use crate::io::error::LoadError;
    use crate::io::format::Format;
    use crate::io::loaded::Loaded;
    use crate::model::{Era, Event, FuzzyDate, When};
    use crate::table::tests::event;
    use crate::table::{Dataset, EventTable};

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

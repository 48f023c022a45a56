//! The cells a list column holds: an actor, a place, a source, a
//! provenance, an `extra` entry, each as dictionary codes and indexes into
//! the table's text columns; and [`WordField`], the columns whose values
//! are dictionary words.

use super::lists::ListItem;
use crate::model::Role;

/// A provenance's record that is the event's own id (as in every CSV
/// export): not stored twice.
pub(super) const RECORD_IS_ID: u32 = u32::MAX - 1;

/// The columns whose values are dictionary words (see
/// [`EventTable::for_each_word`](super::EventTable::for_each_word)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordField {
    Actor,
    Place,
    Tag,
    Source,
}

impl WordField {
    pub const ALL: [WordField; 4] = [
        WordField::Actor,
        WordField::Place,
        WordField::Tag,
        WordField::Source,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct ActorCell {
    pub(super) name: u32,
    pub(super) affiliation: u32,
    pub(super) country: u32,
    pub(super) role: Role,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct PlaceCell {
    pub(super) name: u32,
    pub(super) admin: u32,
    pub(super) country: u32,
    pub(super) precision: u32,
    /// NaN when absent: half the room of an `Option<f64>`.
    pub(super) lat: f64,
    pub(super) lon: f64,
}

impl ListItem for PlaceCell {
    fn same(&self, other: &Self) -> bool {
        (self.name, self.admin, self.country, self.precision)
            == (other.name, other.admin, other.country, other.precision)
            && self.lat.to_bits() == other.lat.to_bits()
            && self.lon.to_bits() == other.lon.to_bits()
    }
    fn hash_into(&self, h: &mut impl std::hash::Hasher) {
        for c in [self.name, self.admin, self.country, self.precision] {
            h.write_u32(c);
        }
        h.write_u64(self.lat.to_bits());
        h.write_u64(self.lon.to_bits());
    }
}

pub(super) fn nan_for_none(x: Option<f64>) -> f64 {
    x.unwrap_or(f64::NAN)
}

pub(super) fn none_for_nan(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct SourceCell {
    pub(super) publisher: u32,
    pub(super) title: u32,
    pub(super) url: u32,
    pub(super) credit: u32,
    /// Index into `quotes` (quotes are long and rarely repeat).
    pub(super) quote: u32,
    /// Index into `published` (few sources give one).
    pub(super) published: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct ProvenanceCell {
    pub(super) format: u32,
    pub(super) file: u32,
    /// Index into `records` (record ids are unique, so not a dictionary).
    pub(super) record: u32,
    pub(super) line: Option<u64>,
}

/// One `extra` entry: its key, and its value (see [`ExtraForm`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct ExtraCell {
    pub(super) key: u32,
    pub(super) value: u32,
    pub(super) form: ExtraForm,
}

/// How an `extra` value is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub(super) enum ExtraForm {
    /// A JSON number written as `value` itself (a whole number of at most
    /// 32 bits, no sign, no leading zero): upload times, years and ISO
    /// codes repeat little, and each would otherwise add a dictionary
    /// entry and two lookups a row.
    Number = 0,
    /// A JSON string: `value` is the text's dictionary code.
    Text = 1,
    /// Any other JSON value: `value` is the code of its JSON text.
    Json = 2,
}

impl ExtraForm {
    pub(super) fn from_byte(b: u8) -> Option<ExtraForm> {
        [ExtraForm::Number, ExtraForm::Text, ExtraForm::Json]
            .get(usize::from(b))
            .copied()
    }
}

/// `json` as a number that [`ExtraForm::Number`] holds, if it is one and
/// reads back as the same text.
pub(super) fn plain_u32(json: &str) -> Option<u32> {
    let b = json.as_bytes();
    let plain = !b.is_empty()
        && b.len() <= 10
        && b.iter().all(u8::is_ascii_digit)
        && (b.len() == 1 || b.first() != Some(&b'0'));
    if plain { json.parse().ok() } else { None }
}

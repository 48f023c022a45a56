//! Date columns: a column of fuzzy dates as three arrays (earliest,
//! latest, and the precision and flags packed in one `u32`), smaller than
//! a `Vec<FuzzyDate>`.

use crate::model::date::{EndForm, FuzzyDate, Instant, Precision, WindowEnds};

/// A column of dates as three arrays: 20 bytes a row where a
/// `FuzzyDate` takes 32 (precision, flags and a window's end forms fit in
/// 16 bits).
#[derive(Clone, Debug, Default)]
pub(super) struct Dates {
    earliest: Vec<Instant>,
    latest: Vec<Instant>,
    form: Vec<u32>,
}

/// Bits of an end's precision and flags, and of the whole date's.
fn form_bits(p: Precision, approximate: bool, uncertain: bool) -> u32 {
    p as u32 | u32::from(approximate) << 3 | u32::from(uncertain) << 4
}

fn form_of(bits: u32) -> (Precision, bool, bool) {
    let p = Precision::ALL
        .get((bits & 7) as usize)
        .copied()
        .unwrap_or(Precision::Day);
    (p, bits & 8 != 0, bits & 16 != 0)
}

impl Dates {
    pub(super) fn len(&self) -> usize {
        self.earliest.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.earliest.is_empty()
    }

    pub(super) fn push(&mut self, d: FuzzyDate) {
        let mut form = form_bits(d.precision, d.approximate, d.uncertain);
        if let Some(w) = d.window {
            form |= 1 << 5
                | form_bits(w.start.precision, w.start.approximate, w.start.uncertain) << 6
                | form_bits(w.end.precision, w.end.approximate, w.end.uncertain) << 11;
        }
        self.earliest.push(d.earliest);
        self.latest.push(d.latest);
        self.form.push(form);
    }

    pub(super) fn get(&self, i: usize) -> Option<FuzzyDate> {
        let form = *self.form.get(i)?;
        let (precision, approximate, uncertain) = form_of(form);
        let end_form = |bits: u32| {
            let (precision, approximate, uncertain) = form_of(bits);
            EndForm {
                precision,
                approximate,
                uncertain,
            }
        };
        Some(FuzzyDate {
            earliest: *self.earliest.get(i)?,
            latest: *self.latest.get(i)?,
            precision,
            approximate,
            uncertain,
            window: (form & 1 << 5 != 0).then(|| WindowEnds {
                start: end_form(form >> 6),
                end: end_form(form >> 11),
            }),
        })
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = FuzzyDate> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    pub(super) fn clear(&mut self) {
        self.earliest.clear();
        self.latest.clear();
        self.form.clear();
    }

    pub(super) fn reserve(&mut self, n: usize) {
        self.earliest.reserve(n);
        self.latest.reserve(n);
        self.form.reserve(n);
    }

    pub(super) fn append(&mut self, other: &Dates) {
        self.earliest.extend_from_slice(&other.earliest);
        self.latest.extend_from_slice(&other.latest);
        self.form.extend_from_slice(&other.form);
    }

    pub(super) fn heap_bytes(&self) -> usize {
        (self.earliest.capacity() + self.latest.capacity()) * 8 + self.form.capacity() * 4
    }
}

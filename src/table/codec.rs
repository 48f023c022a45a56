//! The column cache's binary codec: a table's columns written as
//! little-endian bytes and read back with every length and offset checked.
//! Only `io::cache` uses it; it lives here, beside the table, because it
//! reads and builds the table's private columns.

use super::EventTable;
use super::cells::{
    ActorCell, ExtraCell, ExtraForm, PlaceCell, ProvenanceCell, SourceCell, nan_for_none,
    none_for_nan,
};
use super::dates::Dates;
use super::dict::{ABSENT, Dict};
use super::lists::{Lists, Shared};
use super::texts::{Ends, Texts};
use crate::model::date::{EndForm, WindowEnds};
use crate::model::{Casualties, FuzzyDate, Precision, Role};

/// Why bytes could not be read back as a table (see [`EventTable::decode`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the column data is damaged: {0}")]
pub struct DecodeError(pub &'static str);

/// Little-endian writer of the table's columns (the column cache's body),
/// passing them on to `sink` a megabyte at a time, so that writing a
/// table to a file never holds a second copy of it.
struct Enc<'a> {
    buf: Vec<u8>,
    sink: &'a mut dyn std::io::Write,
    error: Option<std::io::Error>,
}

const SPILL: usize = 1 << 20;

impl Enc<'_> {
    fn spill(&mut self) {
        if self.buf.len() >= SPILL {
            self.flush();
        }
    }
    fn flush(&mut self) {
        if self.error.is_none()
            && let Err(e) = self.sink.write_all(&self.buf)
        {
            self.error = Some(e);
        }
        self.buf.clear();
    }
    fn bytes(&mut self, b: &[u8]) {
        if b.len() >= SPILL {
            self.flush();
            if self.error.is_none()
                && let Err(e) = self.sink.write_all(b)
            {
                self.error = Some(e);
            }
        } else {
            self.buf.extend_from_slice(b);
            self.spill();
        }
    }
    fn u8(&mut self, v: u8) {
        self.buf.push(v);
        self.spill();
    }
    fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self.spill();
    }
    fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self.spill();
    }
    fn i64(&mut self, v: i64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self.spill();
    }
    fn opt_u64(&mut self, v: Option<u64>) {
        self.u8(u8::from(v.is_some()));
        self.u64(v.unwrap_or(0));
    }
    fn opt_f64(&mut self, v: Option<f64>) {
        self.u8(u8::from(v.is_some()));
        self.u64(v.unwrap_or(0.0).to_bits());
    }
    fn u32s(&mut self, v: &[u32]) {
        self.u64(v.len() as u64);
        for &x in v {
            self.u32(x);
        }
    }
    fn texts(&mut self, t: &Texts) {
        self.u64(t.bytes.len() as u64);
        self.bytes(t.bytes.as_bytes());
        self.u64(t.ends.len() as u64);
        for e in t.ends.iter() {
            self.u64(e);
        }
    }
    fn form(&mut self, precision: Precision, approximate: bool, uncertain: bool) {
        self.u8(precision as u8);
        self.u8(u8::from(approximate) | (u8::from(uncertain) << 1));
    }
    fn date(&mut self, d: &FuzzyDate) {
        self.i64(d.earliest);
        self.i64(d.latest);
        self.form(d.precision, d.approximate, d.uncertain);
        match &d.window {
            Some(w) => {
                self.u8(1);
                self.form(w.start.precision, w.start.approximate, w.start.uncertain);
                self.form(w.end.precision, w.end.approximate, w.end.uncertain);
            }
            None => self.u8(0),
        }
    }
    fn list<T>(&mut self, l: &Lists<T>, mut item: impl FnMut(&mut Self, &T)) {
        match &l.shared {
            Some(s) => {
                self.u8(1);
                self.u32s(&s.rows);
            }
            None => self.u8(0),
        }
        self.u32s(&l.offsets);
        self.u64(l.items.len() as u64);
        for x in &l.items {
            item(self, x);
        }
    }
}

/// Bounds-checked reader for [`Enc`]'s output: damaged bytes give an
/// error, never a panic.
struct Dec<'a> {
    bytes: &'a [u8],
    at: usize,
}

type Decoded<T> = Result<T, DecodeError>;

impl<'a> Dec<'a> {
    fn take(&mut self, n: usize) -> Decoded<&'a [u8]> {
        let end = self
            .at
            .checked_add(n)
            .ok_or(DecodeError("a length overflows"))?;
        let out = self
            .bytes
            .get(self.at..end)
            .ok_or(DecodeError("the data ends early"))?;
        self.at = end;
        Ok(out)
    }
    fn u8(&mut self) -> Decoded<u8> {
        Ok(self.take(1)?[0])
    }
    fn array<const N: usize>(&mut self) -> Decoded<[u8; N]> {
        self.take(N)?
            .try_into()
            .map_err(|_| DecodeError("the data ends early"))
    }
    fn u32(&mut self) -> Decoded<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Decoded<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn i64(&mut self) -> Decoded<i64> {
        Ok(i64::from_le_bytes(self.array()?))
    }
    fn flag(&mut self) -> Decoded<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(DecodeError("a flag is neither 0 nor 1")),
        }
    }
    fn opt_u64(&mut self) -> Decoded<Option<u64>> {
        let some = self.flag()?;
        let v = self.u64()?;
        Ok(some.then_some(v))
    }
    fn opt_f64(&mut self) -> Decoded<Option<f64>> {
        let some = self.flag()?;
        let v = f64::from_bits(self.u64()?);
        Ok(some.then_some(v))
    }
    /// A count of items of `size` bytes each, checked against what is left
    /// so that a damaged length cannot ask for a huge allocation.
    fn count(&mut self, size: usize) -> Decoded<usize> {
        let n = usize::try_from(self.u64()?).map_err(|_| DecodeError("a length overflows"))?;
        if n.saturating_mul(size) > self.bytes.len() - self.at {
            return Err(DecodeError("a length runs past the end"));
        }
        Ok(n)
    }
    fn u32s(&mut self) -> Decoded<Vec<u32>> {
        let n = self.count(4)?;
        let raw = self.take(n * 4)?;
        Ok(raw
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }
    fn texts(&mut self) -> Decoded<Texts> {
        let n = self.count(1)?;
        let bytes = std::str::from_utf8(self.take(n)?)
            .map_err(|_| DecodeError("a text is not UTF-8"))?
            .to_owned();
        let count = self.count(8)?;
        let raw = self.take(count * 8)?;
        let ends: Vec<u64> = raw
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect();
        if ends.windows(2).any(|w| w[0] > w[1]) || ends.last().is_some_and(|&e| e > n as u64) {
            return Err(DecodeError("text offsets are out of order"));
        }
        Ok(Texts {
            bytes,
            ends: Ends::from_wide(ends),
        })
    }
    fn form(&mut self) -> Decoded<(Precision, bool, bool)> {
        let p = *Precision::ALL
            .get(self.u8()? as usize)
            .ok_or(DecodeError("a date precision is unknown"))?;
        let flags = self.u8()?;
        Ok((p, flags & 1 != 0, flags & 2 != 0))
    }
    fn date(&mut self) -> Decoded<FuzzyDate> {
        let earliest = self.i64()?;
        let latest = self.i64()?;
        let (precision, approximate, uncertain) = self.form()?;
        let window = if self.flag()? {
            let (p0, a0, u0) = self.form()?;
            let (p1, a1, u1) = self.form()?;
            let end_form = |precision, approximate, uncertain| EndForm {
                precision,
                approximate,
                uncertain,
            };
            Some(WindowEnds {
                start: end_form(p0, a0, u0),
                end: end_form(p1, a1, u1),
            })
        } else {
            None
        };
        Ok(FuzzyDate {
            earliest,
            latest,
            precision,
            approximate,
            uncertain,
            window,
        })
    }
    fn list<T>(
        &mut self,
        rows: usize,
        mut item: impl FnMut(&mut Self) -> Decoded<T>,
    ) -> Decoded<Lists<T>> {
        let shared = if self.flag()? {
            Some(Shared {
                rows: self.u32s()?,
                ..Shared::default()
            })
        } else {
            None
        };
        let offsets = self.u32s()?;
        let n = self.count(1)?;
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(item(self)?);
        }
        let lists = offsets.len().saturating_sub(1);
        let rows_fit = match &shared {
            // List 0 of a shared column is the empty list.
            Some(s) => {
                s.rows.len() == rows
                    && offsets.get(1) == Some(&0)
                    && s.rows.iter().all(|&j| (j as usize) < lists)
            }
            None => lists == rows,
        };
        if !rows_fit
            || offsets.first() != Some(&0)
            || offsets.windows(2).any(|w| w[0] > w[1])
            || offsets.last().is_some_and(|&o| o as usize != items.len())
        {
            return Err(DecodeError("list offsets do not match the rows"));
        }
        Ok(Lists {
            offsets,
            items,
            shared,
        })
    }
}

const ROLES: [Role; 6] = [
    Role::Initiator,
    Role::Target,
    Role::SideA,
    Role::SideB,
    Role::Mediator,
    Role::Participant,
];

impl EventTable {
    /// Append the table's columns to `out` as bytes ([`EventTable::decode`]
    /// reads them back).
    pub fn encode(&self, out: &mut Vec<u8>) {
        // Writing into a Vec cannot fail.
        let _ = self.encode_to(out);
    }

    /// Write the table's columns to `sink` as bytes ([`EventTable::decode`]
    /// reads them back). Not a file format: the column cache checks a
    /// version and a checksum around it.
    pub fn encode_to(&self, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut e = Enc {
            buf: Vec::with_capacity(SPILL + 4096),
            sink,
            error: None,
        };
        let rows = self.len();
        e.u64(rows as u64);
        e.texts(&self.words.values);
        e.texts(&self.id);
        e.texts(&self.title);
        e.texts(&self.description);
        for d in self.start.iter() {
            e.date(&d);
        }
        e.list(&self.end, |e, d| e.date(d));
        e.list(&self.when_note, |e, &n| e.u32(n));
        e.u32s(&self.kind);
        e.list(&self.actors, |e, a| {
            e.u32(a.name);
            e.u32(a.affiliation);
            e.u32(a.country);
            e.u8(ROLES.iter().position(|r| *r == a.role).unwrap_or(5) as u8);
        });
        e.list(&self.place, |e, p| {
            e.u32(p.name);
            e.u32(p.admin);
            e.u32(p.country);
            e.u32(p.precision);
            e.opt_f64(none_for_nan(p.lat));
            e.opt_f64(none_for_nan(p.lon));
        });
        e.list(&self.casualties, |e, c| {
            e.opt_u64(c.low);
            e.opt_u64(c.best);
            e.opt_u64(c.high);
        });
        e.list(&self.sources, |e, s| {
            e.u32(s.publisher);
            e.u32(s.title);
            e.u32(s.url);
            e.u32(s.credit);
            e.u32(s.quote);
            match self.published.get(s.published as usize) {
                Some(d) => {
                    e.u8(1);
                    e.date(d);
                }
                None => e.u8(0),
            }
        });
        e.texts(&self.quotes);
        e.list(&self.tags, |e, &t| e.u32(t));
        e.list(&self.codes, |e, &(k, v)| {
            e.u32(k);
            e.u32(v);
        });
        e.list(&self.provenance, |e, p| {
            e.u32(p.format);
            e.u32(p.file);
            e.u32(p.record);
            e.opt_u64(p.line);
        });
        e.texts(&self.records);
        e.list(&self.extra, |e, x| {
            e.u32(x.key);
            e.u32(x.value);
            e.u8(x.form as u8);
        });
        e.flush();
        match e.error {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }

    /// Read a table written by [`EventTable::encode`] from the start of
    /// `bytes`; also returns how many bytes it took. Damaged bytes give an
    /// error (a code or offset out of range can only give empty texts,
    /// never a panic, but lengths and counts are checked here).
    pub fn decode(bytes: &[u8]) -> Result<(EventTable, usize), DecodeError> {
        let mut d = Dec { bytes, at: 0 };
        let rows = d.count(1)?;
        let values = d.texts()?;
        let id = d.texts()?;
        let title = d.texts()?;
        let description = d.texts()?;
        if [id.len(), title.len(), description.len()] != [rows; 3] {
            return Err(DecodeError("a text column does not have one text per row"));
        }
        let mut start = Dates::default();
        start.reserve(rows);
        for _ in 0..rows {
            start.push(d.date()?);
        }
        let end = d.list(rows, |d| d.date())?;
        let when_note = d.list(rows, |d| d.u32())?;
        let kind = d.u32s()?;
        if kind.len() != rows {
            return Err(DecodeError(
                "the kind column does not have one code per row",
            ));
        }
        let actors = d.list(rows, |d| {
            Ok(ActorCell {
                name: d.u32()?,
                affiliation: d.u32()?,
                country: d.u32()?,
                role: *ROLES
                    .get(d.u8()? as usize)
                    .ok_or(DecodeError("an actor's role is unknown"))?,
            })
        })?;
        let place = d.list(rows, |d| {
            Ok(PlaceCell {
                name: d.u32()?,
                admin: d.u32()?,
                country: d.u32()?,
                precision: d.u32()?,
                lat: nan_for_none(d.opt_f64()?),
                lon: nan_for_none(d.opt_f64()?),
            })
        })?;
        let casualties = d.list(rows, |d| {
            Ok(Casualties {
                low: d.opt_u64()?,
                best: d.opt_u64()?,
                high: d.opt_u64()?,
            })
        })?;
        let mut published = Vec::new();
        let sources = d.list(rows, |d| {
            Ok(SourceCell {
                publisher: d.u32()?,
                title: d.u32()?,
                url: d.u32()?,
                credit: d.u32()?,
                quote: d.u32()?,
                published: if d.flag()? {
                    published.push(d.date()?);
                    (published.len() - 1) as u32
                } else {
                    ABSENT
                },
            })
        })?;
        let quotes = d.texts()?;
        let tags = d.list(rows, |d| d.u32())?;
        let codes = d.list(rows, |d| Ok((d.u32()?, d.u32()?)))?;
        let provenance = d.list(rows, |d| {
            Ok(ProvenanceCell {
                format: d.u32()?,
                file: d.u32()?,
                record: d.u32()?,
                line: d.opt_u64()?,
            })
        })?;
        let records = d.texts()?;
        let extra = d.list(rows, |d| {
            Ok(ExtraCell {
                key: d.u32()?,
                value: d.u32()?,
                form: ExtraForm::from_byte(d.u8()?)
                    .ok_or(DecodeError("an extra value's form is unknown"))?,
            })
        })?;
        let table = EventTable {
            words: Dict {
                values,
                ..Dict::default()
            },
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
        };
        Ok((table, d.at))
    }
}

//! Events kept as columns rather than as a `Vec<Event>`.
//!
//! A million `Event`s cost ~3 KB each as Rust values (a `String`, `Vec` or
//! map node per field) and most of an import's time went into allocating
//! and freeing them. Here every text field is one buffer plus offsets, and
//! every repeated value (names, roles, places, publishers, codes, `extra`
//! keys and values) is stored once in a dictionary and referred to by a
//! 4-byte code; a row's list of actors, its place, sources, tags and codes,
//! which repeat from row to row, are each stored once per distinct list
//! and referred to by a list number. An [`Event`] is built only when asked
//! for ([`EventTable::get`]);
//! the hot fields (id, title, dates, kind, actors, coordinates) have
//! accessors that read the columns without building one.
//!
//! Rows keep the order they were pushed in.

use std::collections::BTreeMap;
use std::hash::BuildHasher;

use hashbrown::HashTable;

use super::date::{EndForm, FuzzyDate, Instant, Precision, WindowEnds};
use super::event::{Actor, Casualties, Event, Place, Provenance, Role, Source, When};

/// Code of an absent optional value.
const ABSENT: u32 = u32::MAX;

/// A provenance's record that is the event's own id (as in every CSV
/// export): not stored twice.
const RECORD_IS_ID: u32 = u32::MAX - 1;

/// Many texts in one buffer: text `i` is `bytes[ends[i-1]..ends[i]]`.
#[derive(Clone, Debug, Default)]
struct Texts {
    bytes: String,
    ends: Ends,
}

/// Where each text ends: four bytes each while the buffer is under 4 GiB
/// (every real column), eight once it grows past.
#[derive(Clone, Debug)]
enum Ends {
    Narrow(Vec<u32>),
    Wide(Vec<u64>),
}

impl Default for Ends {
    fn default() -> Self {
        Ends::Narrow(Vec::new())
    }
}

impl Ends {
    /// From ends in order, narrow when the last one fits.
    fn from_wide(ends: Vec<u64>) -> Ends {
        if ends.last().is_none_or(|&e| e <= u64::from(u32::MAX)) {
            Ends::Narrow(ends.into_iter().map(|e| e as u32).collect())
        } else {
            Ends::Wide(ends)
        }
    }

    fn len(&self) -> usize {
        match self {
            Ends::Narrow(v) => v.len(),
            Ends::Wide(v) => v.len(),
        }
    }

    fn get(&self, i: usize) -> Option<u64> {
        match self {
            Ends::Narrow(v) => v.get(i).map(|&e| u64::from(e)),
            Ends::Wide(v) => v.get(i).copied(),
        }
    }

    fn push(&mut self, end: u64) {
        if let Ends::Narrow(v) = self {
            match u32::try_from(end) {
                Ok(e) => return v.push(e),
                Err(_) => *self = Ends::Wide(v.iter().map(|&e| u64::from(e)).collect()),
            }
        }
        if let Ends::Wide(v) = self {
            v.push(end);
        }
    }

    fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        let (narrow, wide) = match self {
            Ends::Narrow(v) => (Some(v.iter().map(|&e| u64::from(e))), None),
            Ends::Wide(v) => (None, Some(v.iter().copied())),
        };
        narrow
            .into_iter()
            .flatten()
            .chain(wide.into_iter().flatten())
    }

    fn truncate(&mut self, n: usize) {
        match self {
            Ends::Narrow(v) => v.truncate(n),
            Ends::Wide(v) => v.truncate(n),
        }
    }

    fn reserve(&mut self, n: usize) {
        match self {
            Ends::Narrow(v) => v.reserve(n),
            Ends::Wide(v) => v.reserve(n),
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            Ends::Narrow(v) => v.capacity() * 4,
            Ends::Wide(v) => v.capacity() * 8,
        }
    }
}

impl Texts {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn push(&mut self, s: &str) {
        self.bytes.push_str(s);
        self.ends.push(self.bytes.len() as u64);
    }

    fn get_opt(&self, i: usize) -> Option<&str> {
        let end = self.ends.get(i)?;
        let start = match i {
            0 => 0,
            _ => self.ends.get(i - 1)?,
        };
        self.bytes.get(start as usize..end as usize)
    }

    fn get(&self, i: usize) -> &str {
        self.get_opt(i).unwrap_or("")
    }

    fn append(&mut self, other: &Texts) {
        let base = self.bytes.len() as u64;
        self.bytes.push_str(&other.bytes);
        self.ends.reserve(other.ends.len());
        for e in other.ends.iter() {
            self.ends.push(e + base);
        }
    }

    fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.heap_bytes()
    }

    /// Back to `rows` texts of `bytes` bytes in all.
    fn truncate(&mut self, (rows, bytes): (usize, usize)) {
        self.ends.truncate(rows);
        self.bytes.truncate(bytes);
    }

    fn reserve_like(&mut self, sample: &Texts, scale: f64) {
        self.bytes.reserve(scaled(sample.bytes.len(), scale));
        self.ends.reserve(scaled(sample.ends.len(), scale));
    }
}

fn scaled(n: usize, scale: f64) -> usize {
    (n as f64 * scale) as usize
}

/// Each distinct text once; a value is referred to by its code. The lookup
/// table holds only codes (the texts live in `values`), so a dictionary
/// costs its texts plus a few bytes per entry.
#[derive(Clone, Default)]
struct Dict {
    values: Texts,
    lookup: HashTable<u32>,
    hasher: foldhash::fast::FixedState,
    /// Codes of the texts last looked up, by where the text was in memory.
    /// An importer gives the same keys (`acled.event_type`, a column's
    /// name, the file's name) from the same place on every row: those are
    /// found here without hashing. Checked against the stored text, so a
    /// place reused for another text is only a miss.
    recent: Vec<(usize, u32)>,
    /// Short texts last coded, by hash, with their bytes inline: a
    /// repeated value (an event type, a country, an actor) is found here
    /// without touching the large lookup and text arrays, where each step
    /// of a lookup is a cache miss. (`recent` still goes first: without it
    /// an ACLED import measured about 4 % slower, hashing every key.)
    hot: Vec<HotText>,
}

/// A slot of [`Dict::hot`]: a text of up to [`HOT_BYTES`] bytes and its
/// code (`len` 0 is an empty slot; the empty text is never cached).
#[derive(Clone, Copy)]
struct HotText {
    len: u8,
    bytes: [u8; HOT_BYTES],
    code: u32,
}

/// Longest text kept in [`Dict::hot`]; most repeated values are shorter.
const HOT_BYTES: usize = 31;

/// Slots of [`Dict::hot`]: 18 KB, which stays in a core's cache.
const HOT: usize = 512;

/// Rows between two checks of whether a shared list column still gains
/// from sharing.
const UNSHARE_CHECK: usize = 4096;

/// Slots of [`Dict::recent`].
const RECENT: usize = 256;

impl std::fmt::Debug for Dict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dict")
            .field("values", &self.values.len())
            .finish()
    }
}

impl Dict {
    fn code(&mut self, s: &str) -> u32 {
        let at = s.as_ptr() as usize;
        let slot = ((at >> 3) ^ s.len()) % RECENT;
        if let Some(&(seen_at, code)) = self.recent.get(slot)
            && seen_at == at
            && self.values.get_opt(code as usize) == Some(s)
        {
            return code;
        }
        let code = self.code_hot(s);
        if self.recent.is_empty() {
            self.recent = vec![(0, 0); RECENT];
        }
        if let Some(entry) = self.recent.get_mut(slot) {
            *entry = (at, code);
        }
        code
    }

    /// [`Dict::code`] through the hot slots: the text's hash picks a slot,
    /// and the same hash serves the lookup table on a miss.
    fn code_hot(&mut self, s: &str) -> u32 {
        let hash = self.hasher.hash_one(s);
        if s.is_empty() || s.len() > HOT_BYTES {
            return self.code_by_hash(s, hash);
        }
        // The high bits: the lookup table's buckets use the low ones.
        let slot = (hash >> 48) as usize % HOT;
        if let Some(hot) = self.hot.get(slot)
            && usize::from(hot.len) == s.len()
            && hot.bytes.get(..s.len()) == Some(s.as_bytes())
        {
            return hot.code;
        }
        let code = self.code_by_hash(s, hash);
        if self.hot.is_empty() {
            self.hot = vec![
                HotText {
                    len: 0,
                    bytes: [0; HOT_BYTES],
                    code: 0,
                };
                HOT
            ];
        }
        if let Some(hot) = self.hot.get_mut(slot)
            && let Some(bytes) = hot.bytes.get_mut(..s.len())
        {
            bytes.copy_from_slice(s.as_bytes());
            hot.len = s.len() as u8;
            hot.code = code;
        }
        code
    }

    /// Forget every text (the table's rows are being cleared).
    fn clear(&mut self) {
        self.values.truncate((0, 0));
        self.lookup.clear();
        self.recent.clear();
        self.hot.clear();
    }

    fn code_by_hash(&mut self, s: &str, hash: u64) -> u32 {
        if self.lookup.len() != self.values.len() {
            // Read back from bytes: the lookup is rebuilt on first use
            // (most tables read back are never added to).
            self.rebuild_lookup();
        }
        let values = &self.values;
        if let Some(&code) = self.lookup.find(hash, |&c| values.get(c as usize) == s) {
            return code;
        }
        let code = self.values.len() as u32;
        self.values.push(s);
        let (values, hasher) = (&self.values, &self.hasher);
        self.lookup
            .insert_unique(hash, code, |&c| hasher.hash_one(values.get(c as usize)));
        code
    }

    fn rebuild_lookup(&mut self) {
        let (values, hasher) = (&self.values, &self.hasher);
        let mut lookup = HashTable::with_capacity(values.len());
        for c in 0..values.len() as u32 {
            let hash = hasher.hash_one(values.get(c as usize));
            lookup.insert_unique(hash, c, |&c| hasher.hash_one(values.get(c as usize)));
        }
        self.lookup = lookup;
    }

    fn opt_code(&mut self, s: Option<&str>) -> u32 {
        s.map_or(ABSENT, |s| self.code(s))
    }

    fn get(&self, code: u32) -> &str {
        self.values.get(code as usize)
    }

    fn opt(&self, code: u32) -> Option<&str> {
        (code != ABSENT).then(|| self.get(code))
    }

    fn owned(&self, code: u32) -> Option<String> {
        self.opt(code).map(str::to_owned)
    }

    /// Codes of `other`'s values in this dictionary, adding those missing.
    fn absorb(&mut self, other: &Dict) -> Vec<u32> {
        (0..other.values.len())
            .map(|c| self.code(other.values.get(c)))
            .collect()
    }
}

/// A column of dates as three arrays: 20 bytes a row where a
/// `FuzzyDate` takes 32 (precision, flags and a window's end forms fit in
/// 16 bits).
#[derive(Clone, Debug, Default)]
struct Dates {
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
    fn len(&self) -> usize {
        self.earliest.len()
    }

    fn is_empty(&self) -> bool {
        self.earliest.is_empty()
    }

    fn push(&mut self, d: FuzzyDate) {
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

    fn get(&self, i: usize) -> Option<FuzzyDate> {
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

    fn iter(&self) -> impl Iterator<Item = FuzzyDate> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    fn clear(&mut self) {
        self.earliest.clear();
        self.latest.clear();
        self.form.clear();
    }

    fn reserve(&mut self, n: usize) {
        self.earliest.reserve(n);
        self.latest.reserve(n);
        self.form.reserve(n);
    }

    fn append(&mut self, other: &Dates) {
        self.earliest.extend_from_slice(&other.earliest);
        self.latest.extend_from_slice(&other.latest);
        self.form.extend_from_slice(&other.form);
    }

    fn heap_bytes(&self) -> usize {
        (self.earliest.capacity() + self.latest.capacity()) * 8 + self.form.capacity() * 4
    }
}

/// Zero or more items per row. Each distinct list is stored once: list
/// `j` is `items[offsets[j]..offsets[j+1]]`, and row `i`'s list is
/// `rows[i]` when the column is shared, else list `i` itself.
///
/// Shared columns are for cells that repeat (an event's actors, place,
/// sources, codes): a real export has a few thousand distinct lists for a
/// million rows, so a row costs one 4-byte list number rather than its
/// items. Columns whose cells are unique to a row (where a record was read)
/// are not shared: that would only add the number and a hash entry.
#[derive(Clone, Debug)]
struct Lists<T> {
    offsets: Vec<u32>,
    items: Vec<T>,
    shared: Option<Shared>,
}

/// The row-to-list numbers of a shared [`Lists`], and the table that finds
/// a list already stored (rebuilt on first use after decoding).
#[derive(Clone, Default)]
struct Shared {
    rows: Vec<u32>,
    lookup: HashTable<u32>,
    hasher: foldhash::fast::FixedState,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("rows", &self.rows.len())
            .finish()
    }
}

impl<T> Default for Lists<T> {
    fn default() -> Self {
        Lists {
            offsets: vec![0],
            items: Vec::new(),
            shared: None,
        }
    }
}

/// An item of a list column: compared and hashed as stored (a NaN
/// coordinate equals itself), so equal lists can be shared.
trait ListItem: Clone {
    fn same(&self, other: &Self) -> bool;
    fn hash_into(&self, h: &mut impl std::hash::Hasher);
}

impl<T: Clone + Eq + std::hash::Hash> ListItem for T {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
    fn hash_into(&self, h: &mut impl std::hash::Hasher) {
        self.hash(h);
    }
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

fn hash_list<T: ListItem>(hasher: &foldhash::fast::FixedState, items: &[T]) -> u64 {
    let mut h = hasher.build_hasher();
    std::hash::Hasher::write_usize(&mut h, items.len());
    for x in items {
        x.hash_into(&mut h);
    }
    std::hash::Hasher::finish(&h)
}

fn same_list<T: ListItem>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y))
}

impl<T: ListItem> Lists<T> {
    /// An empty column whose equal lists are stored once.
    fn shared() -> Self {
        Lists {
            // List 0 is the empty list, which most columns have most.
            offsets: vec![0, 0],
            items: Vec::new(),
            shared: Some(Shared {
                rows: Vec::new(),
                ..Shared::default()
            }),
        }
    }

    /// Number of distinct lists stored (rows, for a column not shared).
    fn list_count(&self) -> usize {
        self.offsets.len() - 1
    }

    fn rows(&self) -> usize {
        match &self.shared {
            Some(s) => s.rows.len(),
            None => self.list_count(),
        }
    }

    /// The list number of row `i`.
    fn list_of(&self, i: usize) -> Option<usize> {
        match &self.shared {
            Some(s) => s.rows.get(i).map(|&j| j as usize),
            None => (i < self.list_count()).then_some(i),
        }
    }

    fn list(&self, j: usize) -> &[T] {
        list_at(&self.offsets, &self.items, j)
    }

    /// End the row being written: its items become a list of their own,
    /// or, in a shared column, the equal list stored before.
    fn end_row(&mut self) {
        let j = self.commit_pending();
        let Some(s) = &mut self.shared else {
            return;
        };
        s.rows.push(j);
        // Nearly every list new (a source's quote, unique to its event):
        // sharing costs more than it saves, so the column stops. (Lists
        // seen for the first time are many in the first rows, so only a
        // column of almost nothing but new lists is given up.)
        let rows = s.rows.len();
        if rows % UNSHARE_CHECK == 0 && self.offsets.len() * 10 > rows * 9 {
            self.unshare();
        }
    }

    /// Turn a shared column into a plain one (a list per row), keeping the
    /// row being written.
    fn unshare(&mut self) {
        let Some(s) = self.shared.take() else {
            return;
        };
        let pending = self.pending().to_vec();
        let mut offsets = Vec::with_capacity(s.rows.len() + 1);
        offsets.push(0);
        let mut items = Vec::new();
        for &j in &s.rows {
            items.extend_from_slice(list_at(&self.offsets, &self.items, j as usize));
            offsets.push(items.len() as u32);
        }
        items.extend(pending);
        self.offsets = offsets;
        self.items = items;
    }

    /// Store the pending items as a list and give its number; a shared
    /// column gives an equal list's number instead and drops the items.
    fn commit_pending(&mut self) -> u32 {
        let start = self.pending_start();
        let Some(s) = &mut self.shared else {
            self.offsets.push(self.items.len() as u32);
            return (self.offsets.len() - 2) as u32;
        };
        let pending = self.items.get(start..).unwrap_or(&[]);
        if pending.is_empty() {
            return 0;
        }
        if s.lookup.len() + 1 != self.offsets.len() - 1 {
            // Read back from bytes: the lookup is rebuilt on first use.
            let mut lookup = HashTable::with_capacity(self.offsets.len());
            for j in 1..self.offsets.len() - 1 {
                let items = list_at(&self.offsets, &self.items, j);
                lookup.insert_unique(hash_list(&s.hasher, items), j as u32, |&k| {
                    hash_list(&s.hasher, list_at(&self.offsets, &self.items, k as usize))
                });
            }
            s.lookup = lookup;
        }
        let hash = hash_list(&s.hasher, pending);
        let (offsets, items) = (&self.offsets, &self.items);
        let found = s.lookup.find(hash, |&k| {
            same_list(list_at(offsets, items, k as usize), pending)
        });
        if let Some(&j) = found {
            self.items.truncate(start);
            return j;
        }
        let j = (self.offsets.len() - 1) as u32;
        self.offsets.push(self.items.len() as u32);
        let (offsets, items, hasher) = (&self.offsets, &self.items, &s.hasher);
        s.lookup.insert_unique(hash, j, |&k| {
            hash_list(hasher, list_at(offsets, items, k as usize))
        });
        j
    }

    fn row(&self, i: usize) -> &[T] {
        self.list_of(i).map_or(&[], |j| self.list(j))
    }

    fn first(&self, i: usize) -> Option<&T> {
        self.row(i).first()
    }

    /// Where the row being written starts in `items`.
    fn pending_start(&self) -> usize {
        self.offsets.last().map_or(0, |&o| o as usize)
    }

    /// Items of the row being written.
    fn pending(&self) -> &[T] {
        self.items.get(self.pending_start()..).unwrap_or(&[])
    }

    fn pending_mut(&mut self) -> &mut [T] {
        let start = self.pending_start();
        self.items.get_mut(start..).unwrap_or(&mut [])
    }

    /// The single item of the row being written (a place, a provenance).
    fn set_single(&mut self, item: T) {
        let start = self.pending_start();
        self.items.truncate(start);
        self.items.push(item);
    }

    fn clear(&mut self) {
        self.items.clear();
        self.offsets.clear();
        self.offsets.push(0);
        if let Some(s) = &mut self.shared {
            self.offsets.push(0);
            s.rows.clear();
            s.lookup.clear();
        }
    }

    fn drop_pending(&mut self) {
        let start = self.pending_start();
        self.items.truncate(start);
    }

    /// Drop the table that finds stored lists (a finished column is only
    /// read; a later row rebuilds it).
    fn drop_lookup(&mut self) {
        if let Some(s) = &mut self.shared {
            s.lookup = HashTable::new();
        }
    }

    /// Add `other`'s rows, each item through `map`. Each distinct list of
    /// `other` is mapped once.
    fn append_mapped(&mut self, other: &Lists<T>, map: impl Fn(&T) -> T) {
        match (self.shared.is_some(), &other.shared) {
            (true, Some(o)) => {
                let numbers: Vec<u32> = (0..other.list_count())
                    .map(|j| {
                        self.items.extend(other.list(j).iter().map(&map));
                        self.commit_pending()
                    })
                    .collect();
                if let Some(s) = &mut self.shared {
                    s.rows.extend(
                        o.rows
                            .iter()
                            .map(|&j| numbers.get(j as usize).copied().unwrap_or(0)),
                    );
                }
            }
            (true, None) => {
                // A part that found its lists mostly distinct: this column
                // stops sharing too (once), then takes the part as it is.
                self.unshare();
                self.append_mapped(other, map);
            }
            (false, None) => {
                let base = self.items.len() as u32;
                self.items.extend(other.items.iter().map(map));
                self.offsets
                    .extend(other.offsets.iter().skip(1).map(|&o| o + base));
            }
            _ => {
                for i in 0..other.rows() {
                    self.items.extend(other.row(i).iter().map(&map));
                    self.end_row();
                }
            }
        }
    }

    fn heap_bytes(&self) -> usize {
        let shared = self
            .shared
            .as_ref()
            .map_or(0, |s| s.rows.capacity() * 4 + s.lookup.capacity() * 5);
        self.offsets.capacity() * 4 + self.items.capacity() * std::mem::size_of::<T>() + shared
    }

    fn reserve_like(&mut self, sample: &Lists<T>, scale: f64) {
        if sample.shared.is_none() {
            // The sample stopped sharing: so will this column.
            self.unshare();
        }
        match &mut self.shared {
            // Distinct lists grow slower than rows: only the row numbers
            // are reserved.
            Some(s) => s.rows.reserve(scaled(sample.rows(), scale)),
            None => {
                self.offsets.reserve(scaled(sample.offsets.len(), scale));
                self.items.reserve(scaled(sample.items.len(), scale));
            }
        }
    }
}

/// List `j` of a column's `offsets` and `items` (borrowed apart from the
/// lookup that refers to them).
fn list_at<'a, T>(offsets: &[u32], items: &'a [T], j: usize) -> &'a [T] {
    match (offsets.get(j), offsets.get(j + 1)) {
        (Some(&a), Some(&b)) => items.get(a as usize..b as usize).unwrap_or(&[]),
        _ => &[],
    }
}

/// Walks a list column row by row: `f(row, items)`.
fn each_row<T: ListItem>(lists: &Lists<T>, mut f: impl FnMut(usize, &[T])) {
    match &lists.shared {
        Some(s) => {
            for (row, &j) in s.rows.iter().enumerate() {
                f(row, lists.list(j as usize));
            }
        }
        None => {
            for (row, pair) in lists.offsets.windows(2).enumerate() {
                let (a, b) = (pair[0] as usize, pair[1] as usize);
                f(row, lists.items.get(a..b).unwrap_or(&[]));
            }
        }
    }
}

/// The columns whose values are dictionary words (see
/// [`EventTable::for_each_word`]).
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
struct ActorCell {
    name: u32,
    affiliation: u32,
    country: u32,
    role: Role,
}

#[derive(Clone, Copy, Debug)]
struct PlaceCell {
    name: u32,
    admin: u32,
    country: u32,
    precision: u32,
    /// NaN when absent: half the room of an `Option<f64>`.
    lat: f64,
    lon: f64,
}

fn nan_for_none(x: Option<f64>) -> f64 {
    x.unwrap_or(f64::NAN)
}

fn none_for_nan(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct SourceCell {
    publisher: u32,
    title: u32,
    url: u32,
    credit: u32,
    /// Index into `quotes` (quotes are long and rarely repeat).
    quote: u32,
    /// Index into `published` (few sources give one).
    published: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct ProvenanceCell {
    format: u32,
    file: u32,
    /// Index into `records` (record ids are unique, so not a dictionary).
    record: u32,
    line: Option<u64>,
}

/// One `extra` entry: its key, and its value (see [`ExtraForm`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct ExtraCell {
    key: u32,
    value: u32,
    form: ExtraForm,
}

/// How an `extra` value is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
enum ExtraForm {
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
    fn from_byte(b: u8) -> Option<ExtraForm> {
        [ExtraForm::Number, ExtraForm::Text, ExtraForm::Json]
            .get(usize::from(b))
            .copied()
    }
}

/// `json` as a number that [`ExtraForm::Number`] holds, if it is one and
/// reads back as the same text.
fn plain_u32(json: &str) -> Option<u32> {
    let b = json.as_bytes();
    let plain = !b.is_empty()
        && b.len() <= 10
        && b.iter().all(u8::is_ascii_digit)
        && (b.len() == 1 || b.first() != Some(&b'0'));
    if plain { json.parse().ok() } else { None }
}

/// A dataset's events as columns. See the module comment.
#[derive(Clone, Debug)]
pub struct EventTable {
    words: Dict,
    id: Texts,
    title: Texts,
    description: Texts,
    start: Dates,
    end: Lists<FuzzyDate>,
    when_note: Lists<u32>,
    kind: Vec<u32>,
    actors: Lists<ActorCell>,
    place: Lists<PlaceCell>,
    casualties: Lists<Casualties>,
    sources: Lists<SourceCell>,
    quotes: Texts,
    published: Vec<FuzzyDate>,
    tags: Lists<u32>,
    codes: Lists<(u32, u32)>,
    provenance: Lists<ProvenanceCell>,
    records: Texts,
    extra: Lists<ExtraCell>,
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn date_column_gives_back_every_precision_flag_and_window_form() {
        let mut col = Dates::default();
        let mut all = Vec::new();
        for (k, &p) in Precision::ALL.iter().enumerate() {
            for flags in 0..4u8 {
                let form = |q: Precision, f: u8| EndForm {
                    precision: q,
                    approximate: f & 1 != 0,
                    uncertain: f & 2 != 0,
                };
                let window = (k % 2 == 1).then(|| WindowEnds {
                    start: form(Precision::ALL[(k + 3) % 7], flags),
                    end: form(p, 3 - flags),
                });
                all.push(FuzzyDate {
                    earliest: -(k as i64) * 1000 - i64::from(flags),
                    latest: k as i64 * 7919,
                    precision: p,
                    approximate: flags & 1 != 0,
                    uncertain: flags & 2 != 0,
                    window,
                });
            }
        }
        for d in &all {
            col.push(*d);
        }
        assert_eq!(col.iter().collect::<Vec<_>>(), all);
        assert_eq!(col.get(all.len()), None);
    }

    #[test]
    fn a_table_without_its_lookup_still_shares_its_words() {
        let e = Event::new(
            "a",
            "t",
            "call",
            When::point(FuzzyDate::parse("2022").unwrap()),
        );
        let mut table = EventTable::new();
        table.push(&e);
        let words = table.word_count();
        table.drop_lookup();
        table.push(&e);
        assert_eq!(table.word_count(), words);
        assert_eq!(table.get(1), Some(e));
    }

    #[test]
    fn text_ends_widen_past_four_gibibytes() {
        let big = u64::from(u32::MAX) + 10;
        let mut ends = Ends::default();
        ends.push(5);
        ends.push(u64::from(u32::MAX));
        assert!(matches!(ends, Ends::Narrow(_)));
        ends.push(big);
        assert!(matches!(ends, Ends::Wide(_)));
        assert_eq!(
            ends.iter().collect::<Vec<_>>(),
            [5, u64::from(u32::MAX), big]
        );
        assert_eq!(ends.get(2), Some(big));
        ends.truncate(1);
        assert_eq!(ends.len(), 1);
        assert!(matches!(Ends::from_wide(vec![1, 2]), Ends::Narrow(_)));
        assert!(matches!(Ends::from_wide(vec![1, big]), Ends::Wide(_)));
    }

    /// Texts from a small alphabet, so that values repeat (and the
    /// dictionary shares them) as in real files; sometimes empty or long.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof!["[ab]{0,2}", "[a-zé ]{0,12}", "\\PC{0,40}",]
    }

    fn opt_text() -> impl Strategy<Value = Option<String>> {
        prop::option::of(text())
    }

    fn date() -> impl Strategy<Value = FuzzyDate> {
        prop_oneof![
            (1900i32..2100, 1u32..13, 1u32..29)
                .prop_map(|(y, m, d)| FuzzyDate::day(y, m, d).unwrap()),
            prop::sample::select(vec![
                "2022",
                "2020-09~",
                "2022-W31",
                "2020-09-27/2020-11",
                "2022-08-05T14:30"
            ])
            .prop_map(|t| FuzzyDate::parse(t).unwrap()),
        ]
    }

    #[test]
    fn a_dictionary_gives_each_text_one_code_through_its_hot_slots() {
        // More short texts than hot slots (so slots are overwritten), long
        // ones that bypass them, each asked for from fresh copies.
        let texts: Vec<String> = (0..3 * HOT)
            .map(|i| match i % 3 {
                0 => format!("t{i}"),
                1 => format!("a text longer than the hot slots hold, {i}"),
                _ => "x".repeat(i % HOT_BYTES + 1),
            })
            .collect();
        let mut d = Dict::default();
        let first: Vec<u32> = texts.iter().map(|t| d.code(&t.clone())).collect();
        for _ in 0..2 {
            for (t, &c) in texts.iter().zip(&first) {
                assert_eq!(d.code(&t.clone()), c, "{t}");
                assert_eq!(d.get(c), t);
            }
        }
        let distinct: std::collections::HashSet<&String> = texts.iter().collect();
        assert_eq!(d.values.len(), distinct.len());
        d.clear();
        assert_eq!(d.code("t0"), 0);
        assert_eq!(d.get(0), "t0");
    }

    #[test]
    fn whole_numbers_in_extra_come_back_as_they_were_given() {
        use serde_json::{Value, json};
        let values = [
            json!(0),
            json!(31),
            json!(u32::MAX),
            json!(u64::from(u32::MAX) + 1),
            json!(-1),
            json!(1.5),
            Value::String("31".into()),
            Value::String("007".into()),
        ];
        let mut t = EventTable::new();
        let mut row = t.begin_row();
        for (k, v) in values.iter().enumerate() {
            row.extra(&format!("k{k}"), v);
        }
        row.extra_json("plain", "1670889600");
        row.extra_json("zero-led", "0012");
        row.finish(RowHead {
            id: "e",
            title: "t",
            description: "",
            when: &When::point(FuzzyDate::year(2020).unwrap()),
            kind: "call",
        });
        let e = t.get(0).unwrap();
        for (k, v) in values.iter().enumerate() {
            assert_eq!(e.extra.get(&format!("k{k}")), Some(v), "k{k}");
        }
        assert_eq!(e.extra.get("plain"), Some(&json!(1_670_889_600u32)));
        // Not a JSON number as written: kept as its text, read back as
        // JSON would read it (here: not at all).
        assert_eq!(e.extra.get("zero-led"), Some(&Value::Null));
        // And through the cache's bytes.
        let mut bytes = Vec::new();
        t.encode(&mut bytes);
        let (back, _) = EventTable::decode(&bytes).unwrap();
        assert_eq!(back.get(0), Some(e));
    }

    fn json() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::{Value, json};
        prop_oneof![
            text().prop_map(Value::String),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            // Held as numbers, not dictionary texts (and digits as text
            // that must stay text).
            any::<u32>().prop_map(|n| json!(n)),
            "[0-9]{1,4}".prop_map(Value::String),
            (-1e12f64..1e12).prop_map(|f| json!(f)),
            any::<bool>().prop_map(Value::Bool),
            Just(Value::Null),
            prop::collection::vec(text(), 0..3).prop_map(|v| json!(v)),
        ]
    }

    fn role() -> impl Strategy<Value = Role> {
        prop::sample::select(vec![
            Role::Initiator,
            Role::Target,
            Role::SideA,
            Role::SideB,
            Role::Mediator,
            Role::Participant,
        ])
    }

    fn coordinate() -> impl Strategy<Value = Option<f64>> {
        prop::option::of(-180.0f64..180.0)
    }

    prop_compose! {
        fn actor()(name in text(), role in role(), affiliation in opt_text(), country in opt_text()) -> Actor {
            Actor { name, role, affiliation, country }
        }
    }

    prop_compose! {
        fn place()(name in text(), admin in opt_text(), country in opt_text(), lat in coordinate(), lon in coordinate(), precision in opt_text()) -> Place {
            Place { name, admin, country, lat, lon, precision }
        }
    }

    prop_compose! {
        fn source()(publisher in opt_text(), title in opt_text(), url in opt_text(), published in prop::option::of(date()), quote in opt_text(), credit in opt_text()) -> Source {
            Source { publisher, title, url, published, quote, credit }
        }
    }

    prop_compose! {
        fn provenance()(format in text(), file in opt_text(), record in opt_text(), line in prop::option::of(any::<u64>())) -> Provenance {
            Provenance { format, file, record, line }
        }
    }

    prop_compose! {
        fn casualties()(low in prop::option::of(any::<u64>()), best in prop::option::of(any::<u64>()), high in prop::option::of(any::<u64>())) -> Casualties {
            Casualties { low, best, high }
        }
    }

    prop_compose! {
        /// Any event, every field exercised (shared with the store's tests).
        pub(crate) fn event()(
            (id, title, description, kind) in (text(), text(), text(), text()),
            (start, end, note) in (date(), prop::option::of(date()), opt_text()),
            actors in prop::collection::vec(actor(), 0..4),
            place in prop::option::of(place()),
            casualties in prop::option::of(casualties()),
            sources in prop::collection::vec(source(), 0..3),
            tags in prop::collection::vec(text(), 0..3),
            codes in prop::collection::btree_map(text(), text(), 0..3),
            provenance in prop::option::of(provenance()),
            extra in prop::collection::btree_map(text(), json(), 0..4),
        ) -> Event {
            Event {
                id, title, description, kind,
                when: When { start, end, note },
                actors, place, casualties, sources, tags, codes, provenance, extra,
            }
        }
    }

    proptest! {
        #[test]
        fn a_table_gives_back_exactly_the_events_it_was_built_from(
            events in prop::collection::vec(event(), 0..40),
        ) {
            let table = EventTable::from(events.clone());
            prop_assert_eq!(table.len(), events.len());
            prop_assert_eq!(table.to_vec(), events.clone());
            for (i, e) in events.iter().enumerate() {
                prop_assert_eq!(table.id(i), e.id.as_str());
                prop_assert_eq!(table.title(i), e.title.as_str());
                prop_assert_eq!(table.kind(i), e.kind.as_str());
                prop_assert_eq!(table.when(i), Some(e.when.clone()));
                let names: Vec<&str> = table.actor_names(i).collect();
                let expected: Vec<&str> = e.actors.iter().map(|a| a.name.as_str()).collect();
                prop_assert_eq!(names, expected);
                let lon_lat = e.place.as_ref().and_then(|p| Some((p.lon?, p.lat?)));
                prop_assert_eq!(table.lon_lat(i), lon_lat);
            }
            prop_assert!(table.get(events.len()).is_none());
        }

        #[test]
        fn a_row_left_unfinished_leaves_no_trace(
            before in prop::collection::vec(event(), 0..10),
            half in event(),
            after in prop::collection::vec(event(), 0..10),
        ) {
            let mut table = EventTable::from(before.clone());
            {
                // Every list cell of an event, then dropped unfinished (an
                // importer that finds the row bad halfway).
                let mut row = table.begin_row();
                for a in &half.actors {
                    row.actor(&a.name, a.role, a.affiliation.as_deref(), a.country.as_deref());
                }
                for s in &half.sources {
                    row.source(SourceParts { quote: s.quote.as_deref(), ..SourceParts::default() });
                }
                for t in &half.tags {
                    row.tag(t);
                }
                if let Some(p) = &half.provenance {
                    row.provenance(&p.format, None, p.record.as_deref(), p.line);
                }
                for (k, v) in &half.extra {
                    row.extra(k, v);
                }
                row.casualties(Casualties::default());
                row.place(PlaceParts { name: "x", ..PlaceParts::default() });
            }
            table.extend(after.iter());
            let mut all = before;
            all.extend(after);
            prop_assert_eq!(table.to_vec(), all);
        }

        #[test]
        fn a_cleared_table_is_empty_and_fills_again(
            first in prop::collection::vec(event(), 0..20),
            second in prop::collection::vec(event(), 0..20),
        ) {
            let mut table = EventTable::from(first);
            table.clear();
            prop_assert!(table.is_empty());
            prop_assert!(table.to_vec().is_empty());
            table.extend(second.iter());
            prop_assert_eq!(table.to_vec(), second);
        }

        #[test]
        fn encoded_columns_decode_to_the_same_events(
            events in prop::collection::vec(event(), 0..30),
            more in prop::collection::vec(event(), 0..5),
        ) {
            let table = EventTable::from(events.clone());
            let mut bytes = Vec::new();
            table.encode(&mut bytes);
            let (mut back, used) = EventTable::decode(&bytes).unwrap();
            prop_assert_eq!(used, bytes.len());
            prop_assert_eq!(back.to_vec(), events.clone());
            // A table read back can still be added to (its dictionary
            // lookup is rebuilt on first use).
            back.extend(more.iter());
            let mut all = events;
            all.extend(more);
            prop_assert_eq!(back.to_vec(), all);
        }

        #[test]
        fn damaged_columns_are_an_error_not_a_panic(
            events in prop::collection::vec(event(), 1..10),
            cut in 0.0f64..1.0,
            flip in any::<(usize, u8)>(),
        ) {
            let mut bytes = Vec::new();
            EventTable::from(events).encode(&mut bytes);
            let cut_at = (bytes.len() as f64 * cut) as usize;
            prop_assert!(EventTable::decode(&bytes[..cut_at]).is_err());
            // A flipped byte may still decode (a changed letter), but must
            // not panic, and what it gives can be read whole.
            let i = flip.0 % bytes.len();
            bytes[i] ^= flip.1.max(1);
            if let Ok((t, _)) = EventTable::decode(&bytes) {
                let _ = t.to_vec();
            }
        }

        #[test]
        fn appending_tables_is_concatenating_their_events(
            a in prop::collection::vec(event(), 0..20),
            b in prop::collection::vec(event(), 0..20),
        ) {
            let mut table = EventTable::from(a.clone());
            table.append(&EventTable::from(b.clone()));
            let mut both = a;
            both.extend(b);
            prop_assert_eq!(table.to_vec(), both);
        }

    }

    #[test]
    fn repeated_values_are_stored_once() {
        let mut e = Event::new(
            "a",
            "t",
            "clash",
            When::point(FuzzyDate::parse("2022").unwrap()),
        );
        e.actors.push(Actor {
            name: "Military Forces of Azerbaijan (2003-)".into(),
            ..Actor::default()
        });
        let one = EventTable::from(vec![e.clone()]);
        let many = EventTable::from(vec![e; 1000]);
        // The actor's name (and the kind) are in the dictionary once.
        assert_eq!(many.words.values.len(), one.words.values.len());
        // And the row's list of actors is stored once: the empty list and
        // this one.
        assert_eq!(many.actors.list_count(), 2);
        assert_eq!(many.actors.items.len(), 1);
        assert_eq!(many.get(999), one.get(0));
    }

    #[test]
    fn a_record_that_is_the_id_is_not_stored_twice() {
        let mut e = Event::new(
            "AZE1",
            "t",
            "clash",
            When::point(FuzzyDate::parse("2022").unwrap()),
        );
        let provenance = |record: &str| Provenance {
            format: "acled".into(),
            file: Some("a.csv".into()),
            record: Some(record.into()),
            line: Some(2),
        };
        e.provenance = Some(provenance("AZE1"));
        let mut other = e.clone();
        other.id = "AZE2".into();
        other.provenance = Some(provenance("row 7"));
        let table = EventTable::from(vec![e.clone(), other.clone(), e.clone()]);
        assert_eq!(table.records.len(), 1);
        assert_eq!(table.records.get(0), "row 7");
        assert_eq!(table.to_vec(), [e.clone(), other.clone(), e.clone()]);
        assert_eq!(table.record(0), Some(("acled", "AZE1")));
        assert_eq!(table.record(1), Some(("acled", "row 7")));
        // Through appending and the cache's bytes too.
        let mut both = EventTable::from(vec![other.clone()]);
        both.append(&table);
        let mut bytes = Vec::new();
        both.encode(&mut bytes);
        let (back, _) = EventTable::decode(&bytes).unwrap();
        assert_eq!(back.to_vec(), [other.clone(), e.clone(), other, e]);
    }

    #[test]
    fn shared_and_unshared_list_columns_append_to_each_other() {
        let rows: [&[u32]; 5] = [&[1, 2], &[], &[1, 2], &[3], &[1, 2]];
        let fill = |mut lists: Lists<u32>| {
            for r in rows {
                lists.items.extend_from_slice(r);
                lists.end_row();
            }
            lists
        };
        let shared = fill(Lists::shared());
        let plain = fill(Lists::default());
        assert_eq!(shared.list_count(), 3);
        assert_eq!(plain.list_count(), 5);
        for (a, b) in [(&shared, &plain), (&plain, &shared), (&shared, &shared)] {
            let mut both = a.clone();
            both.append_mapped(b, |&x| x * 10);
            assert_eq!(both.rows(), 10);
            for (i, r) in rows.iter().enumerate() {
                assert_eq!(both.row(i), *r);
                let tens: Vec<u32> = r.iter().map(|x| x * 10).collect();
                assert_eq!(both.row(i + 5), tens.as_slice());
            }
        }
        // A shared column whose lists are nearly all distinct stops sharing,
        // and keeps every row.
        let mut unique: Lists<u32> = Lists::shared();
        for i in 0..UNSHARE_CHECK as u32 + 10 {
            unique.items.push(i / 20);
            if i % 20 != 0 {
                unique.items.push(i);
            }
            unique.end_row();
        }
        assert!(unique.shared.is_none());
        assert_eq!(unique.rows(), UNSHARE_CHECK + 10);
        assert_eq!(unique.row(20), &[1]);
        assert_eq!(unique.row(21), &[1, 21]);
        let last = UNSHARE_CHECK as u32 + 9;
        assert_eq!(unique.row(last as usize), &[last / 20, last]);
        // One that repeats a few lists keeps sharing.
        let mut few: Lists<u32> = Lists::shared();
        for i in 0..UNSHARE_CHECK as u32 * 2 {
            few.items.push(i % 5);
            few.end_row();
        }
        assert!(few.shared.is_some());
        assert_eq!(few.list_count(), 6);
        // A shared column read back from bytes finds its lists again.
        let mut back = shared.clone();
        back.drop_lookup();
        back.items.extend_from_slice(&[3]);
        back.end_row();
        assert_eq!(back.list_count(), 3);
        assert_eq!(back.row(5), &[3]);
    }
}

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
            let end_form = |precision, approximate, uncertain| super::date::EndForm {
                precision,
                approximate,
                uncertain,
            };
            Some(super::date::WindowEnds {
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

//! List columns: zero or more items per row, each distinct list stored once
//! in a shared column ([`Lists`], [`Shared`]), with the helpers that hash,
//! compare and walk them ([`ListItem`], [`list_at`], [`each_row`]).

use std::hash::BuildHasher;

use hashbrown::HashTable;

use super::scaled;

/// Rows between two checks of whether a shared list column still gains
/// from sharing.
pub(super) const UNSHARE_CHECK: usize = 4096;

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
pub(super) struct Lists<T> {
    pub(super) offsets: Vec<u32>,
    pub(super) items: Vec<T>,
    pub(super) shared: Option<Shared>,
}

/// The row-to-list numbers of a shared [`Lists`], and the table that finds
/// a list already stored (rebuilt on first use after decoding).
#[derive(Clone, Default)]
pub(super) struct Shared {
    pub(super) rows: Vec<u32>,
    pub(super) lookup: HashTable<u32>,
    pub(super) hasher: foldhash::fast::FixedState,
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
pub(super) trait ListItem: Clone {
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
    pub(super) fn shared() -> Self {
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
    pub(super) fn list_count(&self) -> usize {
        self.offsets.len() - 1
    }

    pub(super) fn rows(&self) -> usize {
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
    pub(super) fn end_row(&mut self) {
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

    pub(super) fn row(&self, i: usize) -> &[T] {
        self.list_of(i).map_or(&[], |j| self.list(j))
    }

    pub(super) fn first(&self, i: usize) -> Option<&T> {
        self.row(i).first()
    }

    /// Where the row being written starts in `items`.
    fn pending_start(&self) -> usize {
        self.offsets.last().map_or(0, |&o| o as usize)
    }

    /// Items of the row being written.
    pub(super) fn pending(&self) -> &[T] {
        self.items.get(self.pending_start()..).unwrap_or(&[])
    }

    pub(super) fn pending_mut(&mut self) -> &mut [T] {
        let start = self.pending_start();
        self.items.get_mut(start..).unwrap_or(&mut [])
    }

    /// The single item of the row being written (a place, a provenance).
    pub(super) fn set_single(&mut self, item: T) {
        let start = self.pending_start();
        self.items.truncate(start);
        self.items.push(item);
    }

    pub(super) fn clear(&mut self) {
        self.items.clear();
        self.offsets.clear();
        self.offsets.push(0);
        if let Some(s) = &mut self.shared {
            self.offsets.push(0);
            s.rows.clear();
            s.lookup.clear();
        }
    }

    pub(super) fn drop_pending(&mut self) {
        let start = self.pending_start();
        self.items.truncate(start);
    }

    /// Drop the table that finds stored lists (a finished column is only
    /// read; a later row rebuilds it).
    pub(super) fn drop_lookup(&mut self) {
        if let Some(s) = &mut self.shared {
            s.lookup = HashTable::new();
        }
    }

    /// Add `other`'s rows, each item through `map`. Each distinct list of
    /// `other` is mapped once.
    pub(super) fn append_mapped(&mut self, other: &Lists<T>, map: impl Fn(&T) -> T) {
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

    pub(super) fn heap_bytes(&self) -> usize {
        let shared = self
            .shared
            .as_ref()
            .map_or(0, |s| s.rows.capacity() * 4 + s.lookup.capacity() * 5);
        self.offsets.capacity() * 4 + self.items.capacity() * std::mem::size_of::<T>() + shared
    }

    pub(super) fn reserve_like(&mut self, sample: &Lists<T>, scale: f64) {
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
pub(super) fn each_row<T: ListItem>(lists: &Lists<T>, mut f: impl FnMut(usize, &[T])) {
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

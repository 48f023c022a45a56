//! The table's dictionary: each distinct text (a name, a role, a place, a
//! publisher, a code, an `extra` key or value) stored once and referred to
//! by a 4-byte code, found through a cache of recently seen texts, a cache
//! of short hot texts, then a hash table of codes.

use std::hash::BuildHasher;

use hashbrown::HashTable;

use super::texts::Texts;

/// Code of an absent optional value.
pub(super) const ABSENT: u32 = u32::MAX;

/// Each distinct text once; a value is referred to by its code. The lookup
/// table holds only codes (the texts live in `values`), so a dictionary
/// costs its texts plus a few bytes per entry.
#[derive(Clone, Default)]
pub(super) struct Dict {
    pub(super) values: Texts,
    pub(super) lookup: HashTable<u32>,
    pub(super) hasher: foldhash::fast::FixedState,
    /// Codes of the texts last looked up, by where the text was in memory.
    /// An importer gives the same keys (`acled.event_type`, a column's
    /// name, the file's name) from the same place on every row: those are
    /// found here without hashing. Checked against the stored text, so a
    /// place reused for another text is only a miss.
    pub(super) recent: Vec<(usize, u32)>,
    /// Short texts last coded, by hash, with their bytes inline: a
    /// repeated value (an event type, a country, an actor) is found here
    /// without touching the large lookup and text arrays, where each step
    /// of a lookup is a cache miss. (`recent` still goes first: without it
    /// an ACLED import measured about 4 % slower, hashing every key.)
    pub(super) hot: Vec<HotText>,
}

/// A slot of [`Dict::hot`]: a text of up to [`HOT_BYTES`] bytes and its
/// code (`len` 0 is an empty slot; the empty text is never cached).
#[derive(Clone, Copy)]
pub(super) struct HotText {
    len: u8,
    bytes: [u8; HOT_BYTES],
    code: u32,
}

/// Longest text kept in [`Dict::hot`]; most repeated values are shorter.
pub(super) const HOT_BYTES: usize = 31;

/// Slots of [`Dict::hot`]: 18 KB, which stays in a core's cache.
pub(super) const HOT: usize = 512;

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
    pub(super) fn code(&mut self, s: &str) -> u32 {
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
    pub(super) fn clear(&mut self) {
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

    pub(super) fn opt_code(&mut self, s: Option<&str>) -> u32 {
        s.map_or(ABSENT, |s| self.code(s))
    }

    pub(super) fn get(&self, code: u32) -> &str {
        self.values.get(code as usize)
    }

    pub(super) fn opt(&self, code: u32) -> Option<&str> {
        (code != ABSENT).then(|| self.get(code))
    }

    pub(super) fn owned(&self, code: u32) -> Option<String> {
        self.opt(code).map(str::to_owned)
    }

    /// Codes of `other`'s values in this dictionary, adding those missing.
    pub(super) fn absorb(&mut self, other: &Dict) -> Vec<u32> {
        (0..other.values.len())
            .map(|c| self.code(other.values.get(c)))
            .collect()
    }
}

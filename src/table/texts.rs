//! Text columns: many texts in one buffer, each found by where it ends
//! ([`Texts`]), with the ends kept four bytes wide until the buffer passes
//! 4 GiB ([`Ends`]). Every free-text column of the table (ids, titles,
//! descriptions, quotes, records) and the dictionary's values are one.

use super::scaled;

/// Many texts in one buffer: text `i` is `bytes[ends[i-1]..ends[i]]`.
#[derive(Clone, Debug, Default)]
pub(super) struct Texts {
    pub(super) bytes: String,
    pub(super) ends: Ends,
}

/// Where each text ends: four bytes each while the buffer is under 4 GiB
/// (every real column), eight once it grows past.
#[derive(Clone, Debug)]
pub(super) enum Ends {
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
    pub(super) fn from_wide(ends: Vec<u64>) -> Ends {
        if ends.last().is_none_or(|&e| e <= u64::from(u32::MAX)) {
            Ends::Narrow(ends.into_iter().map(|e| e as u32).collect())
        } else {
            Ends::Wide(ends)
        }
    }

    pub(super) fn len(&self) -> usize {
        match self {
            Ends::Narrow(v) => v.len(),
            Ends::Wide(v) => v.len(),
        }
    }

    pub(super) fn get(&self, i: usize) -> Option<u64> {
        match self {
            Ends::Narrow(v) => v.get(i).map(|&e| u64::from(e)),
            Ends::Wide(v) => v.get(i).copied(),
        }
    }

    pub(super) fn push(&mut self, end: u64) {
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

    pub(super) fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        let (narrow, wide) = match self {
            Ends::Narrow(v) => (Some(v.iter().map(|&e| u64::from(e))), None),
            Ends::Wide(v) => (None, Some(v.iter().copied())),
        };
        narrow
            .into_iter()
            .flatten()
            .chain(wide.into_iter().flatten())
    }

    pub(super) fn truncate(&mut self, n: usize) {
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
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(super) fn push(&mut self, s: &str) {
        self.bytes.push_str(s);
        self.ends.push(self.bytes.len() as u64);
    }

    pub(super) fn get_opt(&self, i: usize) -> Option<&str> {
        let end = self.ends.get(i)?;
        let start = match i {
            0 => 0,
            _ => self.ends.get(i - 1)?,
        };
        self.bytes.get(start as usize..end as usize)
    }

    pub(super) fn get(&self, i: usize) -> &str {
        self.get_opt(i).unwrap_or("")
    }

    pub(super) fn append(&mut self, other: &Texts) {
        let base = self.bytes.len() as u64;
        self.bytes.push_str(&other.bytes);
        self.ends.reserve(other.ends.len());
        for e in other.ends.iter() {
            self.ends.push(e + base);
        }
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.heap_bytes()
    }

    /// Back to `rows` texts of `bytes` bytes in all.
    pub(super) fn truncate(&mut self, (rows, bytes): (usize, usize)) {
        self.ends.truncate(rows);
        self.bytes.truncate(bytes);
    }

    pub(super) fn reserve_like(&mut self, sample: &Texts, scale: f64) {
        self.bytes.reserve(scaled(sample.bytes.len(), scale));
        self.ends.reserve(scaled(sample.ends.len(), scale));
    }
}

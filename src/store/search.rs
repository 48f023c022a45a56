//! The search index: every event's searchable text, case- and
//! accent-folded once, searched with a SIMD substring finder in one pass per
//! term rather than once per event.
//!
//! Texts written per event (title, source quotes, description) are folded
//! into buffers of consecutive table rows. Texts taken from the event
//! table's dictionary (actor names, affiliations and countries; place name,
//! admin area and country; tags; source publishers and titles) repeat from
//! event to event, so each distinct one is folded once: a term is looked
//! for in those words, and then one pass over each column marks the rows
//! that hold a matching word. Kinds are matched once per kind.

use rayon::prelude::*;

use super::Store;
use super::filter::{Field, Query, fold, fold_into};
use crate::table::{EventTable, WordField};

/// Separates the texts within a buffer. No term contains it (see
/// [`SearchText::mask`]), so a match never runs from one text into the next.
const SEP: char = '\u{1}';

/// At most this many table rows per [`RowTexts`] buffer: buffers are built
/// and searched in parallel.
const CHUNK_ROWS: usize = if cfg!(test) { 700 } else { 1 << 16 };

/// A buffer ends before it would pass this many bytes of unfolded text,
/// so offsets within it fit in `u32` (folding grows text by less than half).
const CHUNK_BYTES: usize = 1 << 30;

#[derive(Clone, Debug, Default)]
pub struct SearchText {
    chunks: Vec<RowTexts>,
    /// The folded dictionary words, by code, each followed by [`SEP`]
    /// (words no searched column uses are left empty).
    words: String,
    /// `words[word_ends[c - 1]..word_ends[c]]` is word `c` and its `SEP`.
    word_ends: Vec<usize>,
    /// Which columns use word `c` (bit `k` for `WordField::ALL[k]`): a
    /// column none of the matching words is in is not walked.
    word_columns: Vec<u8>,
    /// Each table row's kind index in the store (`u16::MAX` for rows the
    /// store left out), and each kind's folded id and label.
    kind_of: Vec<u16>,
    kind_text: Vec<String>,
}

/// The folded per-event texts of consecutive table rows: per row, the
/// title, `SEP`, each source quote and `SEP`, then the description.
#[derive(Clone, Debug, Default)]
struct RowTexts {
    text: String,
    /// Where each row starts in `text`, and where the last one ends. A
    /// row's parts are found by its first and last `SEP` (no text keeps
    /// one), so they need no offsets of their own.
    starts: Vec<u32>,
}

/// Which part of a row's own text a term is looked for in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowPart {
    All,
    Title,
    Quotes,
}

impl RowTexts {
    fn rows(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    fn build(table: &EventTable, rows: std::ops::Range<usize>) -> RowTexts {
        let raw: usize = rows.clone().map(|r| raw_len(table, r)).sum();
        let mut out = RowTexts {
            // Folding keeps ASCII as it is and rarely grows other text, so
            // the unfolded length is almost always the exact size needed.
            text: String::with_capacity(raw),
            starts: Vec::with_capacity(rows.len() + 1),
        };
        let offset = |text: &String| u32::try_from(text.len()).unwrap_or(u32::MAX);
        out.starts.push(0);
        for r in rows {
            fold_part(&mut out.text, table.title(r));
            out.text.push(SEP);
            for q in table.quotes(r) {
                fold_part(&mut out.text, q);
                out.text.push(SEP);
            }
            fold_part(&mut out.text, table.description(r));
            out.starts.push(offset(&out.text));
        }
        if out.text.capacity() > out.text.len() + out.text.len() / 16 {
            out.text.shrink_to_fit();
        }
        out
    }

    /// Marks in `hit` (one flag per row of this buffer) the rows whose
    /// `part` contains `term`.
    fn mark(&self, finder: &memchr::memmem::Finder, part: RowPart, hit: &mut [bool]) {
        let len = finder.needle().len();
        let n = self.rows();
        let mut row = 0usize;
        for pos in finder.find_iter(self.text.as_bytes()) {
            // Matches come in order: walk the rows along with them.
            while row < n && (self.starts[row + 1] as usize) <= pos {
                row += 1;
            }
            if row >= n {
                break;
            }
            // A match holds no `SEP`, so it lies within one part: the
            // title before the row's first `SEP`, the quotes between its
            // first and last.
            let inside = match part {
                RowPart::All => true,
                RowPart::Title | RowPart::Quotes => {
                    let bytes = self.text.as_bytes();
                    let base = self.starts[row] as usize;
                    let end = self.starts[row + 1] as usize;
                    let row_bytes = bytes.get(base..end).unwrap_or(&[]);
                    let first = memchr::memchr(SEP as u8, row_bytes).map_or(end, |i| base + i);
                    let last = memchr::memrchr(SEP as u8, row_bytes).map_or(end, |i| base + i);
                    match part {
                        RowPart::Title => pos < first,
                        _ => pos > first && pos + len <= last,
                    }
                }
            };
            if inside && let Some(h) = hit.get_mut(row) {
                *h = true;
            }
        }
    }

    fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.starts.capacity() * 4
    }
}

/// Folds `text` onto `out` with any `SEP` in it made a space, so that a
/// row's separators are only those put between its parts.
fn fold_part(out: &mut String, text: &str) {
    let at = out.len();
    fold_into(out, text);
    if out.as_bytes()[at..].contains(&(SEP as u8)) {
        let tail = out.split_off(at).replace(SEP, " ");
        out.push_str(&tail);
    }
}

/// Bytes of row `r`'s own texts before folding, separators included.
fn raw_len(table: &EventTable, r: usize) -> usize {
    table.title(r).len()
        + table.description(r).len()
        + table.quotes(r).map(|q| q.len() + 1).sum::<usize>()
        + 1
}

impl SearchText {
    pub fn build(store: &Store) -> SearchText {
        let table = store.table();
        let rows = table.len();
        let mut kind_of = vec![u16::MAX; rows];
        for (ix, &r) in store.rows().iter().enumerate() {
            if let Some(k) = kind_of.get_mut(r as usize) {
                *k = store.kind[ix];
            }
        }
        let chunks = chunk_ranges(table)
            .into_par_iter()
            .map(|range| RowTexts::build(table, range))
            .collect();
        let (words, word_ends, word_columns) = fold_words(table);
        SearchText {
            chunks,
            words,
            word_ends,
            word_columns,
            kind_of,
            kind_text: store
                .kinds
                .iter()
                .map(|k| fold(&format!("{} {}", k.id, k.label)))
                .collect(),
        }
    }

    /// Bytes held on the heap, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        self.chunks.iter().map(RowTexts::heap_bytes).sum::<usize>()
            + self.chunks.capacity() * std::mem::size_of::<RowTexts>()
            + self.words.capacity()
            + self.word_ends.capacity() * 8
            + self.word_columns.capacity()
            + self.kind_of.capacity() * 2
    }

    /// Which events of `store` (the store this was built from) match every
    /// term of `q`, in store order.
    pub fn mask(&self, store: &Store, q: &Query) -> Vec<bool> {
        let by_row = self.mask_rows(store.table(), q);
        store
            .rows()
            .iter()
            .map(|&r| by_row.get(r as usize).copied().unwrap_or(false))
            .collect()
    }

    /// Which table rows match every term of `q`.
    fn mask_rows(&self, table: &EventTable, q: &Query) -> Vec<bool> {
        let n = self.kind_of.len();
        let terms = q
            .words
            .iter()
            .map(|w| (None, w))
            .chain(q.fields.iter().map(|(f, v)| (Some(*f), v)));
        let mut mask: Option<Vec<bool>> = None;
        for (field, term) in terms {
            // A term holding the separator could run across texts; it
            // cannot be typed, so it matches nothing.
            let hit = if term.contains(SEP) {
                vec![false; n]
            } else {
                self.rows_matching(table, field, term)
            };
            mask = Some(match mask {
                None => hit,
                Some(mut m) => {
                    for (a, b) in m.iter_mut().zip(hit) {
                        *a &= b;
                    }
                    m
                }
            });
        }
        mask.unwrap_or_else(|| vec![true; n])
    }

    /// The rows in which `term` occurs in `field` (anywhere for `None`).
    fn rows_matching(&self, table: &EventTable, field: Option<Field>, term: &str) -> Vec<bool> {
        let n = self.kind_of.len();
        let mut hit = vec![false; n];
        if matches!(field, None | Some(Field::Kind)) {
            let kinds: Vec<bool> = self.kind_text.iter().map(|t| t.contains(term)).collect();
            if kinds.iter().any(|&k| k) {
                for (h, &k) in hit.iter_mut().zip(&self.kind_of) {
                    *h |= kinds.get(k as usize).copied().unwrap_or(false);
                }
            }
        }
        let finder = memchr::memmem::Finder::new(term.as_bytes());
        let part = match field {
            None => Some(RowPart::All),
            Some(Field::Title) => Some(RowPart::Title),
            Some(Field::Source) => Some(RowPart::Quotes),
            _ => None,
        };
        if let Some(part) = part {
            self.mark_rows(&finder, part, &mut hit);
        }
        let columns: &[WordField] = match field {
            None => &WordField::ALL,
            Some(Field::Actor) => &[WordField::Actor],
            Some(Field::Place) => &[WordField::Place],
            Some(Field::Tag) => &[WordField::Tag],
            Some(Field::Source) => &[WordField::Source],
            Some(Field::Title | Field::Kind) => &[],
        };
        if !columns.is_empty() {
            let words = self.words_matching(&finder);
            let in_columns = words
                .iter()
                .zip(&self.word_columns)
                .filter(|(w, _)| **w)
                .fold(0u8, |bits, (_, c)| bits | c);
            for &column in columns {
                if in_columns & column_bit(column) != 0 {
                    table.for_each_word(column, |row, code| {
                        if words.get(code as usize).copied().unwrap_or(false)
                            && let Some(h) = hit.get_mut(row)
                        {
                            *h = true;
                        }
                    });
                }
            }
        }
        hit
    }

    /// Marks the rows whose own texts (`part` of them) contain the term,
    /// each buffer on its own core.
    fn mark_rows(&self, finder: &memchr::memmem::Finder, part: RowPart, hit: &mut [bool]) {
        let mut slices = Vec::with_capacity(self.chunks.len());
        let mut rest = hit;
        for c in &self.chunks {
            let (mine, after) = rest.split_at_mut(c.rows().min(rest.len()));
            slices.push(mine);
            rest = after;
        }
        self.chunks
            .par_iter()
            .zip(slices)
            .for_each(|(c, slice)| c.mark(finder, part, slice));
    }

    /// Which dictionary words contain the term, by code.
    fn words_matching(&self, finder: &memchr::memmem::Finder) -> Vec<bool> {
        let mut out = vec![false; self.word_ends.len()];
        let mut code = 0usize;
        for pos in finder.find_iter(self.words.as_bytes()) {
            while code < self.word_ends.len() && self.word_ends[code] <= pos {
                code += 1;
            }
            if let Some(w) = out.get_mut(code) {
                *w = true;
            }
        }
        out
    }
}

/// Rows split into buffers of at most [`CHUNK_ROWS`] rows and about
/// [`CHUNK_BYTES`] bytes.
fn chunk_ranges(table: &EventTable) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0usize, 0usize);
    for r in 0..table.len() {
        let len = raw_len(table, r);
        if r > start && (r - start == CHUNK_ROWS || bytes + len > CHUNK_BYTES) {
            out.push(start..r);
            (start, bytes) = (r, 0);
        }
        bytes += len;
    }
    if start < table.len() {
        out.push(start..table.len());
    }
    out
}

/// A column's bit in `word_columns`.
fn column_bit(column: WordField) -> u8 {
    1 << column as u8
}

/// The dictionary words the searched columns use, folded, by code, with
/// the columns that use each.
fn fold_words(table: &EventTable) -> (String, Vec<usize>, Vec<u8>) {
    let mut used = vec![0u8; table.word_count()];
    for column in WordField::ALL {
        let bit = column_bit(column);
        table.for_each_word(column, |_, code| {
            if let Some(u) = used.get_mut(code as usize) {
                *u |= bit;
            }
        });
    }
    let raw: usize = used
        .iter()
        .enumerate()
        .filter(|(_, u)| **u != 0)
        .map(|(c, _)| table.word(c as u32).len() + 1)
        .sum();
    let mut words = String::with_capacity(raw);
    let mut ends = Vec::with_capacity(used.len());
    for (code, &u) in used.iter().enumerate() {
        if u != 0 {
            fold_into(&mut words, table.word(code as u32));
            words.push(SEP);
        }
        ends.push(words.len());
    }
    (words, ends, used)
}

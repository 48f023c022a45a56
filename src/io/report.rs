//! What is wrong in a file ([`Problem`], [`Severity`]) and the problem
//! report every reader fills: the first [`MAX_PROBLEMS`]
//! problems kept in full, the rest only counted, so a file of a million bad
//! rows cannot exhaust memory or the Problems window; the count of skipped
//! records; and the watch for ids used twice.

use std::fmt;
use std::hash::BuildHasher;

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The record was skipped.
    Error,
    /// The record was kept, perhaps repaired.
    Warning,
}

/// Something in a file that could not be used as it stood.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    /// 1-based line, where known.
    pub line: Option<u64>,
    /// 1-based column (in characters), where known.
    pub column: Option<u64>,
    /// The field: a JSON path (`events[3].when.start`) or a column name.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place = Vec::new();
        if let Some(l) = self.line {
            place.push(format!("line {l}"));
        }
        if let Some(c) = self.column {
            place.push(format!("column {c}"));
        }
        if !place.is_empty() {
            write!(f, "{}: ", place.join(", "))?;
        }
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// At most this many problems are listed; the rest are counted in one
/// closing line (and in [`super::loaded::Loaded::problems_omitted`]).
pub const MAX_PROBLEMS: usize = 1000;

/// Problems found while reading, capped at [`MAX_PROBLEMS`], with the count
/// of skipped records and a watch for repeated ids.
#[derive(Default)]
pub struct Report {
    pub(crate) problems: Vec<Problem>,
    pub(crate) unlisted: usize,
    /// Records that could not be used and were left out.
    pub skipped: usize,
    pub(crate) ids: IdLines,
}

impl Report {
    /// A report for a file, opening with what decoding it had to say
    /// (see [`super::text::decode_text`]).
    pub fn with(problems: impl IntoIterator<Item = Problem>) -> Report {
        let mut r = Report::default();
        for p in problems {
            r.push(p);
        }
        r
    }

    /// True when a further problem would only be counted.
    pub fn is_full(&self) -> bool {
        self.problems.len() >= MAX_PROBLEMS
    }

    pub fn push(&mut self, problem: Problem) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(problem);
        } else {
            self.unlisted += 1;
        }
    }

    /// Count a problem that would not be listed anyway.
    pub fn count_unlisted(&mut self) {
        self.unlisted += 1;
    }

    /// Report a record left out, and count it.
    pub fn skip_with(&mut self, problem: Problem) {
        self.push(problem);
        self.skipped += 1;
    }

    /// The problems listed so far.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Remember that `id` is used by the record on `line`; when an earlier
    /// record used it already, the message for the warning to give.
    pub fn repeated_id(&mut self, id: &str, line: u64) -> Option<String> {
        repeated_id(&mut self.ids, id, line)
    }

    /// Warn (at `line`, `column`, `field`) when `id` was already used.
    pub fn check_id_at(&mut self, id: &str, line: u64, column: Option<u64>, field: Option<&str>) {
        if let Some(message) = self.repeated_id(id, line) {
            self.push(Problem {
                severity: Severity::Warning,
                line: Some(line),
                column,
                field: field.map(str::to_string),
                message,
            });
        }
    }

    /// Take in the problems of a part read on another thread (the part
    /// after everything read so far), including ids it shares with earlier
    /// parts.
    pub fn absorb(&mut self, other: Report) {
        for p in other.problems {
            self.push(p);
        }
        self.unlisted += other.unlisted;
        self.skipped += other.skipped;
        if self.ids.len() == 0 {
            // The first part's ids are taken as they are.
            self.ids = other.ids;
            return;
        }
        self.ids.reserve(other.ids.len());
        for (id, line, hash) in other.ids.iter_hashed() {
            match self.ids.find_hashed(id, hash) {
                Some(i) if self.ids.lines[i] < line => {
                    let first = self.ids.lines[i];
                    self.push(Problem {
                        severity: Severity::Warning,
                        line: Some(line),
                        column: None,
                        field: None,
                        message: duplicate_id_message(id, first),
                    })
                }
                Some(i) => self.ids.lines[i] = line,
                None => self.ids.insert_hashed(id, line, hash),
            }
        }
    }

    /// The problems in file order (those about the whole file first), with
    /// a closing line for those not listed; the number not listed; the
    /// number of records skipped.
    pub fn finish(mut self) -> Finished {
        // Parts read in parallel add cross-part warnings late: restore file
        // order (problems about the whole file, with no line, first).
        self.problems.sort_by_key(|p| p.line.unwrap_or(0));
        if self.unlisted > 0 {
            self.problems.push(omitted_problem(self.unlisted));
        }
        Finished {
            problems: self.problems,
            omitted: self.unlisted,
            skipped: self.skipped,
        }
    }
}

/// What a finished [`Report`] hands to [`super::loaded::Loaded`].
pub struct Finished {
    pub problems: Vec<Problem>,
    pub omitted: usize,
    pub skipped: usize,
}

/// Watches for ids used twice, for readers that keep their own list of
/// problems.
#[derive(Default)]
pub struct IdWatch {
    ids: IdLines,
}

impl IdWatch {
    /// See [`Report::repeated_id`].
    pub fn repeated(&mut self, id: &str, line: u64) -> Option<String> {
        repeated_id(&mut self.ids, id, line)
    }
}

/// The line of each id's first use. Every record of a file passes through
/// it, so the ids are kept in one buffer (no allocation per id) with a
/// table of 4-byte positions, hashed with a fast hasher. Each id's hash is
/// kept too: growing the table and merging a part's ids then re-read no
/// id text (a million ids scattered in memory).
#[derive(Default)]
pub(crate) struct IdLines {
    text: String,
    /// Id `i` is `text[ends[i - 1]..ends[i]]`.
    ends: Vec<usize>,
    lines: Vec<u64>,
    hashes: Vec<u64>,
    table: hashbrown::HashTable<u32>,
    hasher: IdHasher,
}

/// One hash function for every [`IdLines`] of the process (so a part's
/// hashes hold in the whole), seeded at random once (so a file cannot be
/// made to collide on purpose).
#[derive(Clone)]
struct IdHasher(foldhash::fast::FixedState);

impl Default for IdHasher {
    fn default() -> Self {
        static SEED: std::sync::LazyLock<u64> =
            std::sync::LazyLock::new(|| foldhash::fast::RandomState::default().hash_one(0u64));
        IdHasher(foldhash::fast::FixedState::with_seed(*SEED))
    }
}

impl IdHasher {
    fn hash_one(&self, id: &str) -> u64 {
        self.0.hash_one(id)
    }
}

impl IdLines {
    fn id<'a>(text: &'a str, ends: &[usize], i: u32) -> &'a str {
        let i = i as usize;
        let start = if i == 0 {
            0
        } else {
            ends.get(i - 1).copied().unwrap_or(0)
        };
        let end = ends.get(i).copied().unwrap_or(start);
        text.get(start..end).unwrap_or("")
    }

    fn find_hashed(&self, id: &str, hash: u64) -> Option<usize> {
        self.table
            .find(hash, |&i| Self::id(&self.text, &self.ends, i) == id)
            .map(|&i| i as usize)
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// The line `id` was first seen on.
    pub fn get(&self, id: &str) -> Option<u64> {
        self.find_hashed(id, self.hasher.hash_one(id))
            .map(|i| self.lines[i])
    }

    /// Remember `id`, not seen before, as first seen on `line`.
    pub fn insert(&mut self, id: &str, line: u64) {
        let hash = self.hasher.hash_one(id);
        self.insert_hashed(id, line, hash);
    }

    fn insert_hashed(&mut self, id: &str, line: u64, hash: u64) {
        let index = self.lines.len() as u32;
        self.text.push_str(id);
        self.ends.push(self.text.len());
        self.lines.push(line);
        self.hashes.push(hash);
        let hashes = &self.hashes;
        self.table.insert_unique(hash, index, |&i| {
            hashes.get(i as usize).copied().unwrap_or(0)
        });
    }

    pub fn reserve(&mut self, n: usize) {
        self.ends.reserve(n);
        self.lines.reserve(n);
        self.hashes.reserve(n);
        let hashes = &self.hashes;
        self.table
            .reserve(n, |&i| hashes.get(i as usize).copied().unwrap_or(0));
    }

    /// Every id with its first line, in the order first seen.
    #[cfg(test)]
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> + '_ {
        self.iter_hashed().map(|(id, line, _)| (id, line))
    }

    fn iter_hashed(&self) -> impl Iterator<Item = (&str, u64, u64)> + '_ {
        (0..self.lines.len() as u32).map(|i| {
            (
                Self::id(&self.text, &self.ends, i),
                self.lines[i as usize],
                self.hashes[i as usize],
            )
        })
    }
}

fn repeated_id(ids: &mut IdLines, id: &str, line: u64) -> Option<String> {
    // The first use stays the one later repeats are named after.
    if let Some(first) = ids.get(id) {
        return Some(duplicate_id_message(id, first));
    }
    ids.insert(id, line);
    None
}

fn duplicate_id_message(id: &str, first: u64) -> String {
    format!(
        "the id `{id}` is also used by the record on line {first}; both were kept, and notes on one will show on both"
    )
}

/// The closing line that counts the problems not listed.
pub fn omitted_problem(n: usize) -> Problem {
    Problem {
        severity: Severity::Warning,
        line: None,
        column: None,
        field: None,
        message: format!("{n} more problems were found but are not listed"),
    }
}

/// Cut a list of problems made elsewhere to [`MAX_PROBLEMS`], closing it
/// with the count of the rest (which is returned). A list closed that way
/// already is left alone.
pub fn bound(problems: &mut Vec<Problem>) -> usize {
    if problems.len() <= MAX_PROBLEMS {
        return 0;
    }
    let omitted = problems.len() - MAX_PROBLEMS;
    problems.truncate(MAX_PROBLEMS);
    problems.push(omitted_problem(omitted));
    omitted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(n: usize) -> Problem {
        Problem {
            severity: Severity::Warning,
            line: Some(n as u64),
            column: None,
            field: None,
            message: format!("p{n}"),
        }
    }

    #[test]
    fn problems_are_capped_and_counted() {
        let mut r = Report::default();
        for i in 0..MAX_PROBLEMS + 5 {
            r.push(warning(i));
        }
        let f = r.finish();
        assert_eq!(f.problems.len(), MAX_PROBLEMS + 1);
        assert_eq!(f.omitted, 5);
        assert!(f.problems[MAX_PROBLEMS].message.starts_with("5 more"));
    }

    #[test]
    fn lists_made_elsewhere_are_bounded() {
        let mut list: Vec<Problem> = (0..MAX_PROBLEMS + 7).map(warning).collect();
        assert_eq!(bound(&mut list), 7);
        assert_eq!(list.len(), MAX_PROBLEMS + 1);
        assert_eq!(list[0].message, "p0");
        let mut short: Vec<Problem> = (0..3).map(warning).collect();
        assert_eq!(bound(&mut short), 0);
        assert_eq!(short.len(), 3);
    }

    #[test]
    fn id_lines_remember_many_ids_in_the_order_first_seen() {
        let mut ids = IdLines::default();
        ids.reserve(10);
        for k in 0..20_000u64 {
            ids.insert(&format!("id-{k}"), k + 2);
        }
        assert_eq!(ids.len(), 20_000);
        assert_eq!(ids.get("id-0"), Some(2));
        assert_eq!(ids.get("id-19999"), Some(20_001));
        assert_eq!(ids.get("id-20000"), None);
        assert_eq!(ids.get(""), None);
        let first: Vec<(&str, u64)> = ids.iter().take(8).collect();
        assert_eq!(first[7], ("id-7", 9));
        assert_eq!(first[3], ("id-3", 5));
    }

    #[test]
    fn absorbed_parts_warn_about_ids_of_earlier_parts() {
        let mut a = Report::default();
        assert!(a.repeated_id("x", 3).is_none());
        let mut b = Report::default();
        assert!(b.repeated_id("x", 10).is_none());
        assert!(b.repeated_id("y", 11).is_none());
        a.absorb(b);
        assert_eq!(a.problems().len(), 1);
        assert_eq!(a.problems()[0].line, Some(10));
        assert!(a.repeated_id("y", 12).unwrap().contains("line 11"));
    }

    #[test]
    fn repeated_ids_name_the_first_use() {
        let mut r = Report::default();
        assert!(r.repeated_id("a", 2).is_none());
        assert!(r.repeated_id("a", 5).unwrap().contains("line 2"));
        assert!(r.repeated_id("a", 9).unwrap().contains("line 2"));
    }
}

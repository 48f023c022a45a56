//! A static index of intervals for "what overlaps this window" queries.
//!
//! Intervals are kept in the caller's order (ordered by start, or nearly so)
//! with an implicit segment tree holding each node's smallest start and
//! largest end. A query descends only into nodes that can hold an overlap, so
//! it costs O(log n) plus work proportional to the answer when the order
//! follows the starts (O(log n + k·log(n/k)) in the worst case).

use crate::model::Instant;

/// Intervals per leaf of the tree: the leaf's intervals are scanned. A
/// tree node per interval cost 32–64 bytes of it; per block of 16 it costs
/// about 2, beside the 16 of the bounds themselves.
const BLOCK: usize = 16;

/// An [`IntervalTree`] with its own copy of the bounds.
#[derive(Clone, Debug, Default)]
pub struct IntervalIndex {
    starts: Vec<Instant>,
    ends: Vec<Instant>,
    tree: IntervalTree,
}

impl IntervalIndex {
    pub fn heap_bytes(&self) -> usize {
        (self.starts.capacity() + self.ends.capacity()) * std::mem::size_of::<Instant>()
            + self.tree.heap_bytes()
    }

    /// `bounds[i]` is the inclusive `(start, end)` of interval `i`.
    pub fn build(bounds: impl ExactSizeIterator<Item = (Instant, Instant)>) -> IntervalIndex {
        let len = bounds.len();
        let (mut starts, mut ends) = (Vec::with_capacity(len), Vec::with_capacity(len));
        for (s, e) in bounds {
            starts.push(s);
            ends.push(e);
        }
        let tree = IntervalTree::build(&starts, &ends);
        IntervalIndex { starts, ends, tree }
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Calls `found(i)` in increasing `i` for every interval with
    /// `start <= t1 && end >= t0`.
    pub fn for_each_overlapping(&self, t0: Instant, t1: Instant, found: impl FnMut(usize)) {
        self.tree
            .for_each_overlapping(&self.starts, &self.ends, t0, t1, found);
    }

    pub fn overlapping(&self, t0: Instant, t1: Instant) -> Vec<usize> {
        let mut out = Vec::new();
        self.for_each_overlapping(t0, t1, |i| out.push(i));
        out
    }
}

/// The tree alone, over bounds its owner keeps (the store's `earliest`
/// and `latest` columns): the bounds are not held twice.
#[derive(Clone, Debug, Default)]
pub struct IntervalTree {
    /// Leaves (one per block of intervals) start at `size`; node `i` has
    /// children `2i` and `2i+1`.
    size: usize,
    min_start: Vec<Instant>,
    max_end: Vec<Instant>,
}

impl IntervalTree {
    pub fn heap_bytes(&self) -> usize {
        (self.min_start.capacity() + self.max_end.capacity()) * std::mem::size_of::<Instant>()
    }

    /// The tree over intervals `starts[i]..=ends[i]` (slices of one length).
    pub fn build(starts: &[Instant], ends: &[Instant]) -> IntervalTree {
        let blocks = starts.len().min(ends.len()).div_ceil(BLOCK);
        let size = blocks.next_power_of_two().max(1);
        let mut min_start = vec![Instant::MAX; 2 * size];
        let mut max_end = vec![Instant::MIN; 2 * size];
        for (b, (s, e)) in starts.chunks(BLOCK).zip(ends.chunks(BLOCK)).enumerate() {
            min_start[size + b] = s.iter().copied().min().unwrap_or(Instant::MAX);
            max_end[size + b] = e.iter().copied().max().unwrap_or(Instant::MIN);
        }
        for i in (1..size).rev() {
            min_start[i] = min_start[2 * i].min(min_start[2 * i + 1]);
            max_end[i] = max_end[2 * i].max(max_end[2 * i + 1]);
        }
        IntervalTree {
            size,
            min_start,
            max_end,
        }
    }

    /// Calls `found(i)` in increasing `i` for every interval with
    /// `starts[i] <= t1 && ends[i] >= t0`; `starts` and `ends` are those the
    /// tree was built from.
    pub fn for_each_overlapping(
        &self,
        starts: &[Instant],
        ends: &[Instant],
        t0: Instant,
        t1: Instant,
        mut found: impl FnMut(usize),
    ) {
        let len = starts.len().min(ends.len());
        if len == 0 || t1 < t0 || self.min_start.is_empty() {
            return;
        }
        // Explicit stack: depth is at most log2(size) + 1, so 64 slots suffice.
        let mut stack = [0usize; 64];
        let mut top = 0;
        stack[top] = 1;
        top += 1;
        while top > 0 {
            top -= 1;
            let node = stack[top];
            if self.min_start[node] > t1 || self.max_end[node] < t0 {
                continue;
            }
            if node >= self.size {
                let first = (node - self.size) * BLOCK;
                for i in first..(first + BLOCK).min(len) {
                    if starts[i] <= t1 && ends[i] >= t0 {
                        found(i);
                    }
                }
            } else {
                // Right first so that the left child is popped first.
                stack[top] = 2 * node + 1;
                stack[top + 1] = 2 * node;
                top += 2;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn matches_a_naive_scan(
            mut raw in prop::collection::vec((-1000i64..1000, 0i64..300), 0..700),
            t0 in -1200i64..1200,
            len in 0i64..500,
            sorted in any::<bool>(),
        ) {
            // Any order is answered right; start order is answered fast.
            if sorted {
                raw.sort();
            }
            let bounds: Vec<(i64, i64)> = raw.iter().map(|&(s, d)| (s, s + d)).collect();
            let index = IntervalIndex::build(bounds.iter().copied());
            let t1 = t0 + len;
            let expected: Vec<usize> = bounds
                .iter()
                .enumerate()
                .filter(|(_, (s, e))| *s <= t1 && *e >= t0)
                .map(|(i, _)| i)
                .collect();
            prop_assert_eq!(index.overlapping(t0, t1), expected);
        }
    }

    #[test]
    fn empty_index_finds_nothing() {
        let index = IntervalIndex::build(std::iter::empty::<(i64, i64)>());
        assert!(index.overlapping(i64::MIN, i64::MAX).is_empty());
    }
}

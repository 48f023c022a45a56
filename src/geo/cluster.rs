//! Grid clustering: events folded into square cells of the world, `1/2^level`
//! world units wide. The grid is fixed to the world (not to the screen), so
//! panning never moves an event to another cell and clusters stay put;
//! zooming in one level splits each cell into four.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::projection::cluster_max_level;
use crate::store::EventIx;

/// One cell's events: how many, where (their mean position), and what to
/// draw for them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cluster {
    pub count: u32,
    /// Mean world position of the events.
    pub x: f32,
    pub y: f32,
    /// The earliest event of the cell (what a single glyph stands for).
    pub first: EventIx,
    /// The kind of the first event; `mixed` when others differ.
    pub kind: u16,
    pub mixed: bool,
}

/// The clusters of one set of events at one level.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Clusters {
    pub level: u32,
    pub cells: Vec<Cluster>,
}

impl Clusters {
    /// Events in all clusters.
    pub fn total(&self) -> usize {
        self.cells.iter().map(|c| c.count as usize).sum()
    }
}

/// Cells are keyed by a packed `u64`; a multiplicative hash is enough and
/// several times faster than SipHash for a million insertions.
#[derive(Default)]
struct CellHasher(u64);

impl Hasher for CellHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The cell of world point `(x, y)` at `level`.
pub fn cell_of(x: f32, y: f32, level: u32) -> (u32, u32) {
    let n = (1u64 << level.min(cluster_max_level())) as f64;
    let c = |v: f32| ((v as f64).clamp(0.0, 1.0) * n).min(n - 1.0) as u32;
    (c(x), c(y))
}

/// Fold `events` (event, world x, world y, kind) into cells at `level`.
/// Clusters come out in the order their first event came in.
pub fn cluster(events: impl Iterator<Item = (EventIx, f32, f32, u16)>, level: u32) -> Clusters {
    struct Acc {
        count: u32,
        sx: f64,
        sy: f64,
        first: EventIx,
        kind: u16,
        mixed: bool,
    }
    let mut index: HashMap<u64, u32, BuildHasherDefault<CellHasher>> = HashMap::default();
    let mut accs: Vec<Acc> = Vec::new();
    for (ix, x, y, kind) in events {
        let (cx, cy) = cell_of(x, y, level);
        let key = ((cx as u64) << 32) | cy as u64;
        let slot = *index.entry(key).or_insert_with(|| {
            accs.push(Acc {
                count: 0,
                sx: 0.0,
                sy: 0.0,
                first: ix,
                kind,
                mixed: false,
            });
            (accs.len() - 1) as u32
        });
        let a = &mut accs[slot as usize];
        a.count += 1;
        a.sx += x as f64;
        a.sy += y as f64;
        a.mixed |= a.kind != kind;
    }
    Clusters {
        level,
        cells: accs
            .into_iter()
            .map(|a| Cluster {
                count: a.count,
                x: (a.sx / a.count as f64) as f32,
                y: (a.sy / a.count as f64) as f32,
                first: a.first,
                kind: a.kind,
                mixed: a.mixed,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nearby_events_share_a_cell_and_far_ones_do_not() {
        let events = [
            (0, 0.500, 0.500, 1),
            (1, 0.501, 0.501, 2),
            (2, 0.900, 0.100, 1),
        ];
        let c = cluster(events.into_iter(), 4);
        assert_eq!(c.cells.len(), 2);
        assert_eq!(c.cells[0].count, 2);
        assert_eq!(c.cells[0].first, 0);
        assert!(c.cells[0].mixed);
        assert!((c.cells[0].x - 0.5005).abs() < 1e-6);
        assert_eq!(c.cells[1].count, 1);
        assert!(!c.cells[1].mixed);
        // Closer in, they part.
        assert_eq!(cluster(events.into_iter(), 12).cells.len(), 3);
    }

    #[test]
    fn edges_stay_inside_the_grid() {
        assert_eq!(cell_of(1.0, 1.0, 3), (7, 7));
        assert_eq!(cell_of(-0.5, 2.0, 3), (0, 7));
        assert_eq!(cell_of(f32::NAN, 0.0, 3).1, 0);
    }

    fn points() -> impl Strategy<Value = Vec<(f32, f32, u16)>> {
        proptest::collection::vec((0.0f32..=1.0, 0.0f32..=1.0, 0u16..4), 0..400)
    }

    proptest! {
        #[test]
        fn counts_are_conserved(pts in points(), level in 0u32..=24) {
            let c = cluster(
                pts.iter().enumerate().map(|(i, &(x, y, k))| (i as EventIx, x, y, k)),
                level,
            );
            prop_assert_eq!(c.total(), pts.len());
            // Every cluster is a different cell.
            let mut cells: Vec<_> = c
                .cells
                .iter()
                .map(|k| {
                    let (x, y, _) = pts[k.first as usize];
                    cell_of(x, y, level)
                })
                .collect();
            cells.sort_unstable();
            let before = cells.len();
            cells.dedup();
            prop_assert_eq!(cells.len(), before);
        }

        #[test]
        fn a_coarser_level_merges_cells_and_keeps_counts(pts in points(), level in 1u32..=20) {
            let it = || pts.iter().enumerate().map(|(i, &(x, y, k))| (i as EventIx, x, y, k));
            let fine = cluster(it(), level);
            let coarse = cluster(it(), level - 1);
            prop_assert!(coarse.cells.len() <= fine.cells.len());
            prop_assert_eq!(coarse.total(), fine.total());
        }

        #[test]
        fn panning_cannot_change_clusters(pts in points(), level in 0u32..=16) {
            // The grid is the world's: the same events give the same
            // clusters whatever the order they are visited in.
            let it = pts.iter().enumerate().map(|(i, &(x, y, k))| (i as EventIx, x, y, k));
            let mut a = cluster(it.clone(), level).cells;
            let mut b = cluster(it.rev(), level).cells;
            let key = |c: &Cluster| (c.count, (c.x * 1e6) as i64, (c.y * 1e6) as i64);
            a.sort_by_key(key);
            b.sort_by_key(key);
            prop_assert_eq!(a.len(), b.len());
            for (p, q) in a.iter().zip(&b) {
                prop_assert_eq!(p.count, q.count);
                prop_assert!((p.x - q.x).abs() < 1e-5 && (p.y - q.y).abs() < 1e-5);
            }
        }
    }
}

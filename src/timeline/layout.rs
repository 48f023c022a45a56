//! Level of detail: from a lane's events to the few items worth drawing.
//!
//! The cost of a frame must not grow with the number of events, so:
//! - events are bucketed into cells `fold_px` wide on a grid fixed in time
//!   (so folds do not shift while panning); a cell holding several events
//!   becomes one folded item with a count. Each cell costs one binary
//!   search, so a lane costs O(width / fold_px · log n).
//! - where a lane holds more than `density_threshold` events per pixel, it
//!   becomes a density strip: one count per pixel column, again by binary
//!   search.
//! - the resulting marks are packed into sub-rows so that nothing overlaps;
//!   an item that finds no free row is merged into a neighbouring fold, so
//!   every event is still counted.
//!
//! Pure: no painting here, so it can be tested and benchmarked.

use crate::model::Instant;
use crate::store::{EventIx, Lane, Store};

use super::axis::TimeAxis;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayoutParams {
    /// Sub-rows available in the lane.
    pub rows: usize,
    /// Events closer than this many pixels fold together.
    pub fold_px: f32,
    /// Above this many events per pixel a lane is drawn as density.
    pub density_threshold: f32,
    /// Width of a point glyph.
    pub glyph_px: f32,
    /// Smallest gap between two marks in one row.
    pub gap_px: f32,
    /// Width of one label character, and the widest label allowed.
    pub char_px: f32,
    pub max_label_px: f32,
    /// Labels narrower than this are not drawn at all.
    pub min_label_px: f32,
}

impl Default for LayoutParams {
    fn default() -> Self {
        LayoutParams {
            rows: 3,
            fold_px: 3.0,
            density_threshold: 16.0,
            glyph_px: 12.0,
            gap_px: 4.0,
            char_px: 7.0,
            max_label_px: 260.0,
            min_label_px: 36.0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ItemKind {
    /// One point event, drawn as its kind's glyph.
    Point(EventIx),
    /// One span, drawn as a bar.
    Span(EventIx),
    /// Several events in `[t0, t1]` (anchors), drawn as one item with a count.
    Fold {
        count: u32,
        t0: Instant,
        t1: Instant,
    },
}

impl ItemKind {
    pub fn count(&self) -> u32 {
        match self {
            ItemKind::Point(_) | ItemKind::Span(_) => 1,
            ItemKind::Fold { count, .. } => *count,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Item {
    pub kind: ItemKind,
    pub row: u16,
    /// Left and right screen x of the mark.
    pub x0: f32,
    pub x1: f32,
    /// Room for a label right of the mark (0: none).
    pub label_px: f32,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DensityColumn {
    pub x: f32,
    pub count: u32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LaneLayout {
    pub items: Vec<Item>,
    /// Non-empty pixel columns when the lane is drawn as density.
    pub density: Vec<DensityColumn>,
    pub density_max: u32,
    /// Events this layout stands for.
    pub events_in_view: usize,
    pub rows_used: usize,
}

impl LaneLayout {
    pub fn is_density(&self) -> bool {
        !self.density.is_empty()
    }

    /// The item at `x` in sub-row `row`, with a little slack for small marks.
    pub fn hit(&self, x: f32, row: usize) -> Option<&Item> {
        self.items
            .iter()
            .filter(|it| it.row as usize == row)
            .find(|it| x >= it.x0 - 2.0 && x <= it.x1 + 2.0)
    }
}

/// The first index at or after `from` whose value is not below `bound`, in
/// a sorted slice: a galloping search (1, 2, 4… ahead, then a binary
/// search in the last step). Walking columns left to right, the next
/// boundary is usually a few entries on, so this touches a handful of
/// nearby values where a binary search over the rest of the lane would
/// jump across megabytes (a cache miss at each step).
pub fn gallop(sorted: &[Instant], from: usize, bound: Instant) -> usize {
    let n = sorted.len();
    if from >= n || sorted[from] >= bound {
        return from.min(n);
    }
    // sorted[lo] < bound throughout.
    let mut lo = from;
    let mut step = 1;
    loop {
        let hi = lo.saturating_add(step);
        if hi >= n || sorted[hi] >= bound {
            let hi = hi.min(n);
            return lo + 1 + sorted[lo + 1..hi].partition_point(|&a| a < bound);
        }
        lo = hi;
        step *= 2;
    }
}

/// Start times of a lane's spans are their anchors; both lists are sorted.
fn cell_walk(
    anchors: &[Instant],
    range: std::ops::Range<usize>,
    cell_secs: f64,
    mut emit: impl FnMut(usize, usize),
) {
    let mut i = range.start;
    while i < range.end {
        let cell = (anchors[i] as f64 / cell_secs).floor();
        let boundary = ((cell + 1.0) * cell_secs).ceil() as Instant;
        let mut j = gallop(&anchors[..range.end], i, boundary);
        if j <= i {
            j = i + 1;
        }
        emit(i, j);
        i = j;
    }
}

/// Lay out one lane for the current view. `label_chars(ix)` gives the length
/// of the label of event `ix`.
pub fn layout_lane(
    store: &Store,
    lane: &Lane,
    axis: &TimeAxis,
    params: &LayoutParams,
    label_chars: &dyn Fn(EventIx) -> usize,
) -> LaneLayout {
    let mut out = LaneLayout::default();
    let span_start = &lane.span_start;
    let spp = axis.seconds_per_pixel();
    // Include marks that are partly on screen.
    let margin = ((params.glyph_px as f64 + params.fold_px as f64) * spp).ceil() as Instant + 1;
    let (v0, v1) = axis.visible();
    let (t0, t1) = (v0.saturating_sub(margin), v1.saturating_add(margin));
    let points = lane.point_range(t0, t1);
    let spans_a = span_start.partition_point(|&s| s < t0);
    let spans_b = span_start.partition_point(|&s| s < t1);
    let in_view = points.len() + (spans_b - spans_a);

    let width = axis.width().max(1.0);
    if in_view as f32 / width > params.density_threshold {
        density(lane, axis, &mut out);
        out.events_in_view = in_view;
        return out;
    }

    // Marks, in order of their left edge, before packing.
    let mut marks: Vec<Item> = Vec::new();
    let half = params.glyph_px / 2.0;
    let fold = |count: usize, a: Instant, b: Instant| {
        let x0 = axis.x_of(a) - half;
        let x1 = (axis.x_of(b) + half).max(x0 + params.glyph_px);
        Item {
            kind: ItemKind::Fold {
                count: count as u32,
                t0: a,
                t1: b,
            },
            row: 0,
            x0,
            x1,
            label_px: 0.0,
        }
    };
    // Spans that began before the view but reach into it.
    let mut carried = Vec::new();
    lane.span_index.for_each_overlapping(t0, t0, |k| {
        if span_start[k] < t0 {
            carried.push(k);
        }
    });
    const MAX_CARRIED: usize = 64;
    if carried.len() > MAX_CARRIED {
        let first = span_start[carried[0]];
        let mut item = fold(carried.len(), first, t0);
        item.x0 = axis.left() - params.glyph_px;
        item.x1 = axis.left() + params.glyph_px;
        marks.push(item);
    } else {
        for &k in &carried {
            marks.push(span_item(store, lane.spans[k], axis, params));
        }
    }
    let cell_secs = params.fold_px as f64 * spp;
    // A cell with no more events than sub-rows is drawn event by event (the
    // packer stacks them); a fuller one folds.
    let singles = params.rows.max(1);
    cell_walk(span_start, spans_a..spans_b, cell_secs, |i, j| {
        if j - i <= singles {
            for k in i..j {
                marks.push(span_item(store, lane.spans[k], axis, params));
            }
        } else {
            marks.push(fold(j - i, span_start[i], span_start[j - 1]));
        }
    });
    let anchors = &lane.point_anchor;
    cell_walk(anchors, points.clone(), cell_secs, |i, j| {
        if j - i <= singles {
            for (&anchor, &ix) in anchors[i..j].iter().zip(&lane.points[i..j]) {
                let x = axis.x_of(anchor);
                marks.push(Item {
                    kind: ItemKind::Point(ix),
                    row: 0,
                    x0: x - half,
                    x1: x + half,
                    label_px: 0.0,
                });
            }
        } else {
            marks.push(fold(j - i, anchors[i], anchors[j - 1]));
        }
    });
    marks.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    out.events_in_view = marks.iter().map(|m| m.kind.count() as usize).sum();
    pack(marks, params, label_chars, &mut out);
    out
}

fn span_item(store: &Store, ix: EventIx, axis: &TimeAxis, params: &LayoutParams) -> Item {
    let x0 = axis.x_of(store.earliest[ix as usize]);
    let x1 = axis
        .x_of(store.latest[ix as usize])
        .max(x0 + params.glyph_px);
    Item {
        kind: ItemKind::Span(ix),
        row: 0,
        x0,
        x1,
        label_px: 0.0,
    }
}

fn pack(
    marks: Vec<Item>,
    params: &LayoutParams,
    label_chars: &dyn Fn(EventIx) -> usize,
    out: &mut LaneLayout,
) {
    let rows = params.rows.max(1);
    // Per row: right edge of the last mark, of its label, and its index.
    let mut mark_end = vec![f32::NEG_INFINITY; rows];
    let mut label_end = vec![f32::NEG_INFINITY; rows];
    let mut last: Vec<Option<usize>> = vec![None; rows];
    let gap = params.gap_px;
    let items = &mut out.items;
    for mut m in marks {
        let wanted = match m.kind {
            ItemKind::Point(ix) | ItemKind::Span(ix) => {
                (label_chars(ix) as f32 * params.char_px + gap).min(params.max_label_px)
            }
            ItemKind::Fold { .. } => 0.0,
        };
        // A row whose labels end before us, else one whose marks do (its
        // last label is then shortened), else none.
        let free = (0..rows).find(|&r| label_end[r] + gap <= m.x0);
        let shorten = || {
            (0..rows)
                .filter(|&r| mark_end[r] + gap <= m.x0)
                .max_by(|&a, &b| (m.x0 - label_end[a]).total_cmp(&(m.x0 - label_end[b])))
        };
        match free.or_else(shorten) {
            Some(r) => {
                if let Some(prev) = last[r] {
                    let room = m.x0 - gap - items[prev].x1;
                    let p: &mut Item = &mut items[prev];
                    if p.label_px > room {
                        p.label_px = if room >= params.min_label_px {
                            room
                        } else {
                            0.0
                        };
                    }
                }
                m.row = r as u16;
                m.label_px = if wanted >= params.min_label_px {
                    wanted
                } else {
                    0.0
                };
                mark_end[r] = m.x1;
                label_end[r] = m.x1 + m.label_px;
                last[r] = Some(items.len());
                items.push(m);
            }
            None => {
                // No room anywhere: fold into the row that ends soonest.
                let r = (0..rows)
                    .min_by(|&a, &b| mark_end[a].total_cmp(&mark_end[b]))
                    .unwrap_or(0);
                let Some(prev) = last[r] else { continue };
                let p = &mut items[prev];
                p.kind = merge(p.kind, m.kind, out_times(p), out_times(&m));
                p.x1 = p.x1.max(m.x1);
                p.label_px = 0.0;
                mark_end[r] = p.x1;
                label_end[r] = p.x1;
            }
        }
    }
    out.rows_used = items.iter().map(|i| i.row as usize + 1).max().unwrap_or(0);
}

/// Anchor range of an item, for merged folds (spans use their x extent's
/// times only through their fold; a single item's range is its own).
fn out_times(item: &Item) -> Option<(Instant, Instant)> {
    match item.kind {
        ItemKind::Fold { t0, t1, .. } => Some((t0, t1)),
        _ => None,
    }
}

fn merge(
    a: ItemKind,
    b: ItemKind,
    ta: Option<(Instant, Instant)>,
    tb: Option<(Instant, Instant)>,
) -> ItemKind {
    let count = a.count() + b.count();
    let (t0, t1) = match (ta, tb) {
        (Some(x), Some(y)) => (x.0.min(y.0), x.1.max(y.1)),
        (Some(x), None) | (None, Some(x)) => x,
        (None, None) => (0, 0),
    };
    ItemKind::Fold { count, t0, t1 }
}

fn density(lane: &Lane, axis: &TimeAxis, out: &mut LaneLayout) {
    let span_start = &lane.span_start;
    // Columns on a pixel grid fixed in time, so the strip does not shimmer
    // while panning.
    let spp = axis.seconds_per_pixel();
    let (v0, _) = axis.visible();
    let first_col = (v0 as f64 / spp).floor() - 1.0;
    let cols = axis.width().ceil() as usize + 3;
    let boundary = |c: f64| (c * spp).ceil() as Instant;
    let anchors = &lane.point_anchor;
    let mut prev_p = anchors.partition_point(|&a| a < boundary(first_col));
    let mut prev_s = span_start.partition_point(|&a| a < boundary(first_col));
    for k in 0..cols {
        let c = first_col + k as f64;
        let b = boundary(c + 1.0);
        let np = gallop(anchors, prev_p, b);
        let ns = gallop(span_start, prev_s, b);
        let count = (np - prev_p + ns - prev_s) as u32;
        if count > 0 {
            let t = boundary(c);
            out.density.push(DensityColumn {
                x: axis.x_of(t),
                count,
            });
            out.density_max = out.density_max.max(count);
        }
        prev_p = np;
        prev_s = ns;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn gallop_finds_what_a_binary_search_finds(
            mut values in proptest::collection::vec(-1000i64..1000, 0..200),
            from in 0usize..220,
            bound in -1100i64..1100,
        ) {
            values.sort_unstable();
            let from = from.min(values.len());
            let expected = from + values[from..].partition_point(|&a| a < bound);
            prop_assert_eq!(gallop(&values, from, bound), expected);
        }
    }
    use crate::model::{Event, FuzzyDate, When, date::from_instant};
    use crate::store::{LaneGrouping, LaneSet};
    use crate::table::Dataset;

    /// `n` day-precision points spread over `days` days, plus some spans.
    fn store(n: usize, days: i64, spans: usize) -> Store {
        let base = FuzzyDate::day(2000, 1, 1).unwrap().earliest;
        let mut events = Vec::new();
        let mut x: u64 = 12345;
        for i in 0..n {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let day = (x >> 33) as i64 % days;
            let d = FuzzyDate::at(
                from_instant(base + day * 86_400).unwrap(),
                crate::model::Precision::Day,
            );
            events.push(Event::new(
                format!("p{i}"),
                "point event",
                "clash",
                When::point(d),
            ));
        }
        for i in 0..spans {
            let s = FuzzyDate::at(
                from_instant(base + (i as i64 * 37 % days) * 86_400).unwrap(),
                crate::model::Precision::Day,
            );
            let e = FuzzyDate::at(
                from_instant(s.earliest + 40 * 86_400).unwrap(),
                crate::model::Precision::Day,
            );
            events.push(Event::new(
                format!("s{i}"),
                "span",
                "clash",
                When {
                    start: s,
                    end: Some(e),
                    note: None,
                },
            ));
        }
        Store::build(Dataset {
            events: events.into(),
            ..Dataset::default()
        })
    }

    fn layout_all(s: &Store, axis: &TimeAxis) -> (LaneLayout, usize) {
        let set = LaneSet::build(s, LaneGrouping::None);
        let lane = &set.lanes[0];
        let params = LayoutParams::default();
        let l = layout_lane(s, lane, axis, &params, &|_| 10);
        // What should be counted: points anchored in the margin-extended
        // view, spans starting in it, and spans reaching into it.
        let spp = axis.seconds_per_pixel();
        let margin = ((params.glyph_px as f64 + params.fold_px as f64) * spp).ceil() as Instant + 1;
        let (v0, v1) = axis.visible();
        let (t0, t1) = (v0 - margin, v1 + margin);
        let expected = (0..s.len())
            .filter(|&i| {
                if s.is_span[i] {
                    s.earliest[i] < t1 && s.latest[i] >= t0
                } else {
                    s.anchor[i] >= t0 && s.anchor[i] < t1
                }
            })
            .count();
        (l, expected)
    }

    fn t(text: &str) -> Instant {
        FuzzyDate::parse(text).unwrap().earliest
    }

    #[test]
    fn folding_conserves_counts_at_every_zoom() {
        let s = store(3000, 3650, 40);
        let mut axis = TimeAxis::fit(0.0, 1000.0, t("2003-01-01"), t("2008-01-01"));
        for _ in 0..25 {
            let (l, expected) = layout_all(&s, &axis);
            if !l.is_density() {
                let counted: usize = l.items.iter().map(|i| i.kind.count() as usize).sum();
                assert_eq!(counted, expected, "scale {}", axis.scale());
                assert_eq!(l.events_in_view, expected);
            }
            axis.zoom_at(500.0, 1.6);
        }
    }

    #[test]
    fn packed_items_never_overlap_in_a_row() {
        let s = store(800, 365, 20);
        let axis = TimeAxis::fit(0.0, 1200.0, t("2000-01-01"), t("2001-01-01"));
        let (l, _) = layout_all(&s, &axis);
        assert!(!l.is_density());
        for a in &l.items {
            for b in &l.items {
                if !std::ptr::eq(a, b) && a.row == b.row {
                    let (ae, be) = (a.x1 + a.label_px, b.x1 + b.label_px);
                    assert!(ae <= b.x0 || be <= a.x0, "{a:?} overlaps {b:?}");
                }
            }
        }
        assert!(
            l.items
                .iter()
                .any(|i| matches!(i.kind, ItemKind::Fold { .. }))
        );
    }

    #[test]
    fn dense_lanes_become_density_strips_that_conserve_counts() {
        let s = store(50_000, 3650, 0);
        let axis = TimeAxis::fit(0.0, 1000.0, t("2000-01-01"), t("2010-01-01"));
        let (l, expected) = layout_all(&s, &axis);
        assert!(l.is_density());
        assert!(l.items.is_empty());
        let total: u32 = l.density.iter().map(|c| c.count).sum();
        // Columns cover the view plus a margin of a pixel or two.
        assert!(
            (total as i64 - expected as i64).abs() <= 200,
            "{total} vs {expected}"
        );
        assert_eq!(s.len(), 50_000);
    }

    #[test]
    fn folds_stay_put_while_panning() {
        let s = store(2000, 365, 0);
        let axis = TimeAxis::fit(0.0, 1000.0, t("2000-03-01"), t("2000-09-01"));
        let mut moved = axis;
        moved.pan(-50.0);
        let (a, _) = layout_all(&s, &axis);
        let (b, _) = layout_all(&s, &moved);
        // A fold well inside both views has the same count and moved by 50 px.
        let inner = |l: &LaneLayout, lo: f32, hi: f32| {
            l.items
                .iter()
                .filter(|i| matches!(i.kind, ItemKind::Fold { .. }) && i.x0 > lo && i.x1 < hi)
                .map(|i| (i.kind, i.x0))
                .collect::<Vec<_>>()
        };
        let fa = inner(&a, 300.0, 600.0);
        let fb = inner(&b, 250.0, 550.0);
        assert!(!fa.is_empty());
        for ((ka, xa), (kb, xb)) in fa.iter().zip(&fb) {
            assert_eq!(ka, kb);
            assert!((xa - 50.0 - xb).abs() < 0.01);
        }
    }
}

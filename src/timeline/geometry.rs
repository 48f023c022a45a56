//! Where the parts of each mark go, worked out once for every painter:
//! a span's certain and uncertain parts, a point's date band, a density
//! column's height, eras' bands, where labels fit and where connectors
//! join. The painters only turn these numbers into their own shapes.

use super::axis::TimeAxis;
use super::layout::{Item, ItemKind};
use super::metrics::BOX_HALF_H;
use crate::model::{Era, Instant};
use crate::store::{EventIx, Store};

/// Room between a label and the mark it follows, and inside a bar.
pub const LABEL_GAP: f32 = 3.0;
pub const LABEL_INSET: f32 = 4.0;

/// A span's certain part, between the latest its start can be and the
/// earliest its end can be, kept inside its bar `[x0, x1]` (empty where
/// the two overlap: the span is uncertain throughout).
pub fn span_solid(store: &Store, axis: &TimeAxis, ix: EventIx, x0: f32, x1: f32) -> (f32, f32) {
    let (solid0, solid1) = match store.dates(ix) {
        Some((start, end)) => (
            axis.x_of(start.latest + 1),
            end.map_or(x1, |end| axis.x_of(end.earliest)),
        ),
        None => (x0, x1),
    };
    (solid0.clamp(x0, x1), solid1.clamp(x0, x1))
}

/// A point whose date is not exact (or whose window is wider than its
/// glyph at this zoom) gets a faded band over its possible window: its
/// left and right x, at least a glyph wide around `x`.
pub fn point_band(
    store: &Store,
    axis: &TimeAxis,
    glyph_px: f32,
    ix: EventIx,
    x: f32,
) -> Option<(f32, f32)> {
    let i = ix as usize;
    let wide = (store.latest[i] - store.earliest[i]) as f64 * axis.scale() > glyph_px as f64;
    (store.is_fuzzy[i] || wide).then(|| {
        (
            axis.x_of(store.earliest[i]).min(x - 8.0),
            axis.x_of(store.latest[i] + 1).max(x + 8.0),
        )
    })
}

/// A point's glyph sits at the middle of its item.
pub fn point_x(it: &Item) -> f32 {
    (it.x0 + it.x1) / 2.0
}

/// Where the line joining an event's marks in several lanes meets this
/// item: a point's centre, a span's visible start.
pub fn connector_x(it: &Item, body_left: f32) -> f32 {
    match it.kind {
        ItemKind::Span(_) => it.x0.max(body_left) + 6.0,
        _ => point_x(it),
    }
}

/// A fold's box: left, top, right, bottom.
pub fn fold_box(it: &Item, cy: f32) -> [f32; 4] {
    [it.x0, cy - BOX_HALF_H, it.x1, cy + BOX_HALF_H]
}

/// The part of a bar `[x0, x1]` inside the lanes `[left, right]`.
pub fn visible_width(x0: f32, x1: f32, left: f32, right: f32) -> f32 {
    (x1.min(right) - x0.max(left)).max(0.0)
}

/// Whether a span's title (`text_w` wide, with `reserve` after it) is
/// written inside its visible bar rather than after it.
pub fn label_fits_inside(visible_bar: f32, text_w: f32, reserve: f32) -> bool {
    visible_bar >= text_w + 2.0 * LABEL_INSET + reserve
}

/// Whether a fold's count (`text_w` wide) is written in its box.
pub fn count_fits(text_w: f32, box_w: f32) -> bool {
    text_w + 4.0 <= box_w
}

/// A density column's level in (0, 1]: the square root of its share of the
/// lane's tallest, so bursts stand out and sparse columns stay visible.
pub fn density_level(count: u32, max: u32) -> f32 {
    let max = max.max(1) as f32;
    (0.06 + 0.94 * (count as f32 / max).sqrt()).min(1.0)
}

/// A density column's opacity at `level`.
pub fn density_alpha(level: f32) -> f32 {
    0.35 + 0.65 * level
}

/// An era's band across the lanes `[left, right]`, if any of it shows.
pub fn era_band(axis: &TimeAxis, era: &Era, left: f32, right: f32) -> Option<(f32, f32)> {
    let x0 = axis.x_of(era.start.earliest).max(left);
    let x1 = axis.x_of(era.end.latest).min(right);
    (x1 > x0).then_some((x0, x1))
}

/// An era band's opacity: fainter on a light page.
pub fn era_fade(dark: bool) -> f32 {
    if dark { 0.10 } else { 0.07 }
}

/// Where the "today" line is drawn, if today is within `[left, right]`.
pub fn today_x(axis: &TimeAxis, now: Instant, left: f32, right: f32) -> Option<f32> {
    let x = axis.x_of(now);
    (x >= left && x <= right).then_some(x)
}

/// Where an axis context label ("2022", "Aug 2022") `width` wide starts,
/// for a boundary at `x`: pinned to the lanes' left edge until the next
/// boundary's label (at `next_x`) pushes it out, so they never overlap.
pub fn context_label_x(x: f32, next_x: f32, left: f32, width: f32) -> f32 {
    (x.max(left) + 3.0).min(next_x - width - 12.0)
}

/// Height of the lanes' area: every lane, and at least one row's worth.
pub fn lanes_height(heights: impl Iterator<Item = f32>) -> f32 {
    heights.sum::<f32>().max(super::metrics::lane_height(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: ItemKind, x0: f32, x1: f32) -> Item {
        Item {
            kind,
            row: 0,
            x0,
            x1,
            label_px: 0.0,
        }
    }

    #[test]
    fn density_levels_grow_with_the_count_and_stay_visible() {
        assert!(density_level(0, 100) > 0.0);
        assert!(density_level(1, 100) < density_level(50, 100));
        assert_eq!(density_level(100, 100), 1.0);
        // No division by zero on an empty lane.
        assert!(density_level(0, 0) > 0.0);
        assert!(density_alpha(1.0) <= 1.0);
    }

    #[test]
    fn connectors_meet_a_point_at_its_centre_and_a_span_at_its_visible_start() {
        let p = item(ItemKind::Point(0), 10.0, 20.0);
        assert_eq!(connector_x(&p, 0.0), 15.0);
        let s = item(ItemKind::Span(0), -50.0, 80.0);
        assert_eq!(connector_x(&s, 0.0), 6.0);
        assert_eq!(connector_x(&s, -100.0), -44.0);
    }

    #[test]
    fn context_labels_are_pinned_until_the_next_pushes_them_out() {
        // Boundary left of the lanes: pinned at the edge.
        assert_eq!(context_label_x(-50.0, 500.0, 100.0, 40.0), 103.0);
        // The next boundary close behind: pushed left of it.
        assert_eq!(context_label_x(-50.0, 130.0, 100.0, 40.0), 78.0);
        // On screen with room: just after its boundary.
        assert_eq!(context_label_x(200.0, f32::INFINITY, 100.0, 40.0), 203.0);
    }

    #[test]
    fn labels_fit_inside_a_bar_with_their_insets() {
        assert_eq!(visible_width(-10.0, 50.0, 0.0, 40.0), 40.0);
        assert_eq!(visible_width(50.0, 60.0, 0.0, 40.0), 0.0);
        assert!(label_fits_inside(40.0, 32.0, 0.0));
        assert!(!label_fits_inside(40.0, 32.1, 0.0));
        assert!(!label_fits_inside(40.0, 32.0, 12.0));
        assert!(count_fits(6.0, 10.0));
        assert!(!count_fits(6.5, 10.0));
    }
}

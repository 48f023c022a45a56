//! Analysis marks over the items: a small triangle on possible and reported
//! truce violations, and a ring on the events the network panel points at.

use egui::epaint::{Mesh, Shape};
use egui::{Color32, Pos2};

use super::items::Canvas;
use super::{TimelineState, paint};
use crate::analysis::truce::REPORTED;
use crate::model::Glyph;
use crate::store::EventIx;
use crate::timeline::geometry::connector_x;
use crate::timeline::layout::ItemKind;
use crate::timeline::metrics::{LINKED_R, row_center, rows_top};

/// Reported violations: a source calls them so.
pub const REPORTED_MARK: Color32 = Color32::from_rgb(200, 0, 110);
/// Possible violations: a clash between a truce's parties in its period.
pub const POSSIBLE_MARK: Color32 = Color32::from_rgb(235, 120, 190);
/// Events the network panel points at.
pub const NETWORK_MARK: Color32 = Color32::from_rgb(40, 200, 120);

impl TimelineState {
    /// Paint the marks; returns the violation marks drawn (event, bits).
    pub(super) fn paint_analysis_marks(&self, scene: &Canvas<'_>) -> Vec<(EventIx, u8)> {
        let (violations, highlight) = (scene.marks.violations, scene.marks.highlight);
        let mut drawn = Vec::new();
        if violations.is_empty() && highlight.is_empty() {
            return drawn;
        }
        let bg = scene.visuals.extreme_bg_color;
        let mut mesh = Mesh::default();
        for (slot, layout) in &self.layouts {
            if layout.is_density() {
                continue;
            }
            let rows_top = rows_top(slot.top);
            for it in &layout.items {
                let ix = match it.kind {
                    ItemKind::Point(ix) | ItemKind::Span(ix) => ix,
                    ItemKind::Fold { .. } => continue,
                };
                let x = connector_x(it, scene.body.left());
                let cy = row_center(rows_top, it.row);
                if highlight.binary_search(&ix).is_ok() {
                    let at = Pos2::new(x, cy);
                    paint::glyph(&mut mesh, Glyph::Ring, at, LINKED_R, NETWORK_MARK, bg);
                }
                let v = violations.get(ix as usize).copied().unwrap_or(0);
                if v != 0 {
                    let color = if v & REPORTED != 0 {
                        REPORTED_MARK
                    } else {
                        POSSIBLE_MARK
                    };
                    let at = Pos2::new(x - 8.0, cy - 7.0);
                    paint::glyph(&mut mesh, Glyph::TriangleUp, at, 4.5, color, bg);
                    drawn.push((ix, v));
                }
            }
        }
        scene.body_painter().add(Shape::mesh(mesh));
        drawn
    }
}

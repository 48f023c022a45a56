//! The overview strip: the whole dataset's density, with the visible window
//! as a rectangle that can be dragged.

use std::sync::Arc;

use egui::epaint::Mesh;
use egui::{Color32, Pos2, Rect, Sense, Shape, Stroke, Ui, Vec2};

use super::TimelineState;
use crate::store::Store;
use crate::timeline::axis::TimeAxis;

pub const OVERVIEW_H: f32 = 44.0;

/// Events per pixel column over the whole data range: one galloping search
/// per column from the column before (a binary search over the rest of the
/// anchors jumped across megabytes at 10M events: 4 ms a frame), so the
/// cost hardly depends on the number of events.
pub fn column_counts(anchors: &[i64], axis: &TimeAxis, columns: usize) -> Vec<u32> {
    let mut out = Vec::with_capacity(columns);
    let mut prev = anchors.partition_point(|&a| a < axis.t_of(axis.left()));
    for c in 0..columns {
        let t = axis.t_of(axis.left() + c as f32 + 1.0);
        let next = crate::timeline::layout::gallop(anchors, prev, t);
        out.push((next - prev) as u32);
        prev = next;
    }
    out
}

/// Counts per column for one set of anchors and one strip. The anchors are
/// held, so that the same allocation means the same anchors.
pub(super) struct CountsCache {
    anchors: Arc<Vec<i64>>,
    /// The strip's left edge and width, and the data range it spans.
    geometry: (u32, u32, i64, i64),
    counts: Vec<u32>,
}

impl TimelineState {
    /// Draw the overview into `ui` (a strip `OVERVIEW_H` high).
    /// `anchors`: the anchors of the events shown (the filter's), sorted.
    pub fn overview_ui(&mut self, ui: &mut Ui, store: &Store, anchors: &Arc<Vec<i64>>) {
        let (rect, response) = ui.allocate_exact_size(
            Vec2::new(ui.available_width(), OVERVIEW_H),
            Sense::click_and_drag(),
        );
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Overview"));
        let Some(view) = self.axis() else { return };
        let Some((d0, d1)) = store.time_range() else {
            return;
        };
        let strip = Rect::from_min_max(
            Pos2::new(rect.left() + super::HEADER_W, rect.top() + 2.0),
            rect.max,
        );
        let full = TimeAxis::fit_with_margin(strip.left(), strip.width(), d0, d1, 0.02);
        let visuals = ui.visuals();
        let painter = ui.painter_at(rect);
        painter.rect_filled(strip, 2.0, visuals.extreme_bg_color);
        painter.text(
            Pos2::new(rect.left() + 8.0, strip.center().y),
            egui::Align2::LEFT_CENTER,
            "Overview",
            egui::FontId::proportional(12.0),
            visuals.weak_text_color(),
        );

        let geometry = (strip.left().to_bits(), strip.width().to_bits(), d0, d1);
        let cached = self
            .overview_counts
            .as_ref()
            .is_some_and(|c| Arc::ptr_eq(&c.anchors, anchors) && c.geometry == geometry);
        if !cached {
            self.overview_counts = Some(CountsCache {
                anchors: anchors.clone(),
                geometry,
                counts: column_counts(anchors, &full, strip.width() as usize),
            });
        }
        let counts: &[u32] = self
            .overview_counts
            .as_ref()
            .map_or(&[], |c| c.counts.as_slice());
        let max = counts.iter().copied().max().unwrap_or(0).max(1) as f32;
        let mut mesh = Mesh::default();
        let bar = if visuals.dark_mode {
            Color32::from_rgb(120, 160, 220)
        } else {
            Color32::from_rgb(60, 100, 170)
        };
        for (c, &n) in counts.iter().enumerate() {
            if n == 0 {
                continue;
            }
            // Log scale, with a floor so single events stay visible.
            let v = 0.15 + 0.85 * (n as f32).ln_1p() / max.ln_1p();
            let h = (strip.height() - 4.0) * v;
            let x = strip.left() + c as f32;
            mesh.add_colored_rect(
                Rect::from_min_max(
                    Pos2::new(x, strip.bottom() - 2.0 - h),
                    Pos2::new(x + 1.0, strip.bottom() - 2.0),
                ),
                bar,
            );
        }
        painter.add(Shape::mesh(mesh));

        // The visible window.
        let (v0, v1) = view.visible();
        let x0 = full.x_of(v0).clamp(strip.left(), strip.right());
        let x1 = full
            .x_of(v1)
            .clamp(strip.left(), strip.right())
            .max(x0 + 2.0);
        let window = Rect::from_x_y_ranges(x0..=x1, strip.y_range());
        painter.rect_filled(window, 0.0, visuals.selection.bg_fill.gamma_multiply(0.25));
        painter.rect_stroke(
            window,
            0.0,
            Stroke::new(1.5, visuals.selection.stroke.color),
            egui::StrokeKind::Inside,
        );

        // Drag the window, or click to centre the view there.
        let to_view = |dx_full: f32| -> f32 {
            // Pixels on the strip → pixels in the main view.
            let secs = dx_full as f64 / full.scale();
            (secs * view.scale()) as f32
        };
        if response.dragged() {
            let dx = response.drag_delta().x;
            if let Some(mut a) = self.axis {
                a.pan(-to_view(dx));
                self.axis = Some(a);
                self.animation = None;
            }
        } else if response.clicked()
            && let Some(p) = response.interact_pointer_pos()
        {
            let t = full.t_of(p.x);
            let now = ui.input(|i| i.time);
            self.center_on(t, now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_every_event_in_range() {
        let anchors: Vec<i64> = (0..10_000).map(|i| i * 37).collect();
        let axis = TimeAxis::fit(0.0, 500.0, 0, 10_000 * 37);
        let counts = column_counts(&anchors, &axis, 500);
        let total: u32 = counts.iter().sum();
        assert!((9_990..=10_000).contains(&total), "{total}");
    }

    #[test]
    fn columns_count_what_a_scan_counts() {
        // Clustered anchors with repeats, as real timelines have.
        let mut anchors: Vec<i64> = (0..5_000i64)
            .map(|i| (i * i) % 90_001 + (i % 7) * 3)
            .collect();
        anchors.sort_unstable();
        let axis = TimeAxis::fit(0.0, 300.0, 0, 90_030);
        let counts = column_counts(&anchors, &axis, 300);
        let first = axis.t_of(axis.left());
        for (c, &n) in counts.iter().enumerate() {
            let lo = if c == 0 {
                first
            } else {
                axis.t_of(axis.left() + c as f32)
            };
            let hi = axis.t_of(axis.left() + c as f32 + 1.0);
            let scanned = anchors.iter().filter(|&&a| a >= lo && a < hi).count();
            assert_eq!(n as usize, scanned, "column {c}");
        }
    }
}

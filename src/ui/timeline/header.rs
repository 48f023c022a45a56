//! The timeline's frame: the calendar axis above the lanes and the lane
//! headers on their left (painted, plus real widgets for collapsing them).

use egui::{Align2, FontId, Pos2, Rect, Sense, Shape, Stroke, Ui, Vec2};

use super::items::Canvas;
use super::{TimelineState, elided};
use crate::store::LaneSet;
use crate::timeline::geometry::context_label_x;
use crate::timeline::labels::lanes_title;
use crate::timeline::metrics::{HEADER_W, header_center, lane_height};
use crate::timeline::ticks::Ticks;
use crate::ui::style;

impl TimelineState {
    /// The axis: context row above ("2022", "5 Aug 2022"), tick labels below.
    pub(super) fn paint_axis(&self, scene: &Canvas<'_>, tk: &Ticks) {
        let (rect, body, painter) = (scene.rect, scene.body, scene.painter);
        let text = scene.visuals.text_color();
        let weak = scene.visuals.weak_text_color();
        let axis_rect = Rect::from_min_max(
            Pos2::new(body.left(), rect.top()),
            Pos2::new(rect.right(), body.top()),
        );
        painter.rect_filled(axis_rect, 0.0, scene.visuals.panel_fill);
        let axis_painter = painter.with_clip_rect(axis_rect);
        let font = FontId::proportional(12.0);
        for t in &tk.ticks {
            axis_painter.vline(t.x, (body.top() - 6.0)..=body.top(), Stroke::new(1.0, weak));
            axis_painter.text(
                Pos2::new(t.x + 3.0, body.top() - 4.0),
                Align2::LEFT_BOTTOM,
                &t.label,
                font.clone(),
                text,
            );
        }
        // Context labels: pinned to the left edge until the next one pushes
        // the pinned one out, so they never overlap.
        let ctx_font = FontId::proportional(12.5);
        let ctx_y = rect.top() + 3.0;
        for (k, c) in tk.context.iter().enumerate() {
            let g = painter.layout_no_wrap(c.label.clone(), ctx_font.clone(), text);
            let next_x = tk.context.get(k + 1).map_or(f32::INFINITY, |n| n.x);
            let x = context_label_x(c.x, next_x, body.left(), g.size().x);
            if c.x > body.left() {
                axis_painter.vline(c.x, rect.top()..=body.top(), Stroke::new(1.0, weak));
            }
            // Pushed out by the next boundary's label: hide rather than
            // show a clipped fragment.
            if x >= body.left() {
                axis_painter.galley(Pos2::new(x, ctx_y), g, text);
            }
        }
        painter.hline(
            rect.left()..=rect.right(),
            body.top(),
            Stroke::new(1.0, style::grid(scene.visuals)),
        );
    }

    /// Lane headers: disclosure triangle, colour, name, count.
    pub(super) fn paint_lane_headers(&self, scene: &Canvas<'_>) {
        let (rect, body, painter) = (scene.rect, scene.body, scene.painter);
        let (text, weak) = (scene.visuals.text_color(), scene.visuals.weak_text_color());
        let grid = style::grid(scene.visuals);
        let header = Rect::from_min_max(
            Pos2::new(rect.left(), body.top()),
            Pos2::new(body.left(), rect.bottom()),
        );
        painter.rect_filled(header, 0.0, scene.visuals.panel_fill);
        let header_painter = painter.with_clip_rect(header);
        let body_painter = painter.with_clip_rect(body);
        let top_left = Rect::from_min_max(rect.min, Pos2::new(body.left(), body.top()));
        painter.rect_filled(top_left, 0.0, scene.visuals.panel_fill);
        painter.text(
            top_left.left_bottom() + Vec2::new(8.0, -6.0),
            Align2::LEFT_BOTTOM,
            lanes_title(scene.lanes.grouping),
            FontId::proportional(12.0),
            weak,
        );
        for (slot, _) in &self.layouts {
            let lane = &scene.lanes.lanes[slot.lane];
            let h = lane_height(slot.rows);
            let r = Rect::from_min_size(Pos2::new(header.left(), slot.top), Vec2::new(HEADER_W, h));
            let cy = header_center(slot.top);
            let triangle = disclosure(
                Pos2::new(r.left() + 10.0, cy),
                self.collapsed.contains(&lane.name),
            );
            header_painter.add(Shape::convex_polygon(triangle, weak, Stroke::NONE));
            // Kind lanes show their colour; others have none of their own.
            let name_x = match lane.color {
                Some(c) => {
                    header_painter.rect_filled(
                        Rect::from_center_size(Pos2::new(r.left() + 24.0, cy), Vec2::splat(10.0)),
                        2.0,
                        style::color(c),
                    );
                    r.left() + 34.0
                }
                None => r.left() + 20.0,
            };
            let count = style::thousands(lane.len());
            let count_g = painter.layout_no_wrap(count, FontId::proportional(11.5), weak);
            let name_w = r.right() - name_x - count_g.size().x - 14.0;
            let name_g = elided(
                painter,
                &lane.name,
                FontId::proportional(13.0),
                text,
                name_w,
            );
            header_painter.galley(Pos2::new(name_x, cy - name_g.size().y / 2.0), name_g, text);
            let count_at = Pos2::new(
                r.right() - 8.0 - count_g.size().x,
                cy - count_g.size().y / 2.0,
            );
            header_painter.galley(count_at, count_g, weak);
            header_painter.hline(r.x_range(), r.bottom(), Stroke::new(1.0, grid));
            body_painter.hline(body.x_range(), r.bottom(), Stroke::new(1.0, grid));
        }
        painter.vline(body.left(), body.y_range(), Stroke::new(1.0, grid));
    }

    /// Lane header widgets (accessible, clickable to collapse). Separate
    /// from painting so that they are real widgets for screen readers and
    /// tests. Collapsing is this panel's own view state.
    pub fn header_widgets(&mut self, ui: &mut Ui, lanes: &LaneSet) {
        let mut toggle = None;
        for (slot, _) in &self.layouts {
            let lane = &lanes.lanes[slot.lane];
            let h = lane_height(slot.rows);
            let r = Rect::from_min_size(
                Pos2::new(self.body.left() - HEADER_W, slot.top),
                Vec2::new(HEADER_W, h),
            )
            .intersect(Rect::from_x_y_ranges(
                (self.body.left() - HEADER_W)..=self.body.left(),
                self.body.y_range(),
            ));
            if r.height() <= 0.0 {
                continue;
            }
            let resp = ui.interact(r, ui.scope_id().with(("lane", &lane.name)), Sense::click());
            let label = format!("Lane {}: {} events", lane.name, lane.len());
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label.clone()));
            if resp.clicked() {
                toggle = Some(lane.name.clone());
            }
            resp.on_hover_text(format!(
                "{} — {} events. Click to collapse or expand.",
                lane.name,
                lane.len()
            ));
        }
        if let Some(name) = toggle
            && !self.collapsed.remove(&name)
        {
            self.collapsed.insert(name);
        }
    }
}

/// A disclosure triangle, painted (the default fonts lack one).
fn disclosure(a: Pos2, collapsed: bool) -> Vec<Pos2> {
    if collapsed {
        vec![
            a + Vec2::new(-3.0, -4.0),
            a + Vec2::new(3.0, 0.0),
            a + Vec2::new(-3.0, 4.0),
        ]
    } else {
        vec![
            a + Vec2::new(-4.0, -2.5),
            a + Vec2::new(4.0, -2.5),
            a + Vec2::new(0.0, 3.5),
        ]
    }
}

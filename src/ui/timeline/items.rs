//! Painting the body of the timeline from last frame's layout: background
//! (lane stripes, eras, grid, today), the items as one mesh (glyphs, bars,
//! folds, density columns), connectors between an event's marks, labels,
//! and the chosen range.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use egui::epaint::{Mesh, Shape};
use egui::{Align2, Color32, FontId, Pos2, Rect, Stroke, Vec2};

use super::{LaneSlot, Marks, TimelineState, elided, paint};
use crate::model::Glyph;
use crate::model::date::to_instant;
use crate::store::{EventIx, Lane, LaneGrouping};
use crate::timeline::geometry::{
    LABEL_GAP, LABEL_INSET, connector_x, count_fits, density_alpha, density_level, era_band,
    era_fade, fold_box, label_fits_inside, point_band, point_x, span_solid, today_x, visible_width,
};
use crate::timeline::labels::describe_duration;
use crate::timeline::layout::{Item, ItemKind, LaneLayout};
use crate::timeline::marks::Halo;
use crate::timeline::metrics::{
    BAND_FADE, BAR_HALF_H, BOX_HALF_H, CONNECTOR_FADE, CONNECTOR_W, COUNT_SIZE, FOLD_FADE, GLYPH_R,
    HALO_GROW, HALO_R, LABEL_SIZE, LINKED_R, MIN_ERA_LABEL_W, ROW_H, SPAN_FADE, STAR_OFFSET,
    STAR_R, is_striped, lane_height, row_center, rows_top,
};
use crate::ui::style;

/// Everything one frame's painting reads.
pub(super) struct Canvas<'a> {
    pub painter: &'a egui::Painter,
    pub visuals: &'a egui::Visuals,
    /// The whole timeline (headers, axis, body).
    pub rect: Rect,
    /// The lanes' area.
    pub body: Rect,
    pub store: &'a crate::store::Store,
    pub lanes: &'a crate::store::LaneSet,
    pub selected: Option<EventIx>,
    pub marks: Marks<'a>,
    pub axis: &'a crate::timeline::axis::TimeAxis,
}

impl Canvas<'_> {
    pub(super) fn body_painter(&self) -> egui::Painter {
        self.painter.with_clip_rect(self.body)
    }
}

/// Text placed after the mesh, so labels sit above the marks.
type Labels = Vec<(Pos2, Align2, Arc<egui::Galley>)>;

/// An event drawn in several lanes (a call between two actors) gets a thin
/// vertical line joining its marks: where each mark was drawn.
#[derive(Default)]
struct Connectors {
    positions: HashMap<EventIx, (f32, f32, f32)>,
    shared: HashSet<EventIx>,
}

impl Connectors {
    fn track(&mut self, ix: EventIx, x: f32, y: f32) {
        let shared = &mut self.shared;
        self.positions
            .entry(ix)
            .and_modify(|p| {
                p.1 = p.1.min(y);
                p.2 = p.2.max(y);
                shared.insert(ix);
            })
            .or_insert((x, y, y));
    }

    fn paint(&self, scene: &Canvas<'_>, painter: &egui::Painter) {
        for ix in &self.shared {
            if let Some(&(x, y0, y1)) = self.positions.get(ix) {
                let store = scene.store;
                let c = style::color(store.kinds[store.kind[*ix as usize] as usize].color);
                painter.line_segment(
                    [Pos2::new(x, y0), Pos2::new(x, y1)],
                    Stroke::new(CONNECTOR_W, c.gamma_multiply(CONNECTOR_FADE)),
                );
            }
        }
    }
}

impl TimelineState {
    /// Lane stripes, eras, grid lines at every tick, and today.
    pub(super) fn paint_background(
        &self,
        scene: &Canvas<'_>,
        ticks: &crate::timeline::ticks::Ticks,
    ) {
        let body = scene.body;
        let painter = scene.body_painter();
        let dark = scene.visuals.dark_mode;
        scene
            .painter
            .rect_filled(body, 0.0, scene.visuals.extreme_bg_color);
        for (slot, _) in &self.layouts {
            if is_striped(slot.lane) {
                let h = lane_height(slot.rows);
                painter.rect_filled(
                    Rect::from_min_size(
                        Pos2::new(body.left(), slot.top),
                        Vec2::new(body.width(), h),
                    ),
                    0.0,
                    style::stripe(scene.visuals),
                );
            }
        }
        // Eras: background bands with their names along the top.
        for era in &scene.store.eras {
            let Some((x0, x1)) = era_band(scene.axis, era, body.left(), body.right()) else {
                continue;
            };
            let c = era.color.map_or(style::DEFAULT_ERA, style::color);
            painter.rect_filled(
                Rect::from_x_y_ranges(x0..=x1, body.y_range()),
                0.0,
                c.gamma_multiply(era_fade(dark)),
            );
            if x1 - x0 >= MIN_ERA_LABEL_W {
                let galley = elided(
                    scene.painter,
                    &era.name,
                    FontId::proportional(11.0),
                    c,
                    x1 - x0 - 6.0,
                );
                painter.galley(Pos2::new(x0 + 3.0, body.top() + 1.0), galley, c);
            }
        }
        let grid = style::grid(scene.visuals);
        for t in &ticks.ticks {
            painter.vline(t.x, body.y_range(), Stroke::new(1.0, grid));
        }
        let today = to_instant(chrono::Local::now().naive_local());
        if let Some(tx) = today_x(scene.axis, today, body.left(), body.right()) {
            painter.vline(tx, body.y_range(), Stroke::new(1.5, style::TODAY));
            painter.text(
                Pos2::new(tx + 3.0, body.bottom() - 3.0),
                Align2::LEFT_BOTTOM,
                "today",
                FontId::proportional(11.0),
                style::TODAY,
            );
        }
    }

    /// Every visible lane's items in one mesh, then connectors and labels.
    pub(super) fn paint_items(&self, scene: &Canvas<'_>) {
        let multi = matches!(
            scene.lanes.grouping,
            LaneGrouping::Actor | LaneGrouping::Country
        );
        let mut connectors = Connectors::default();
        let mut mesh = Mesh::default();
        let mut labels = Labels::new();
        for (slot, layout) in &self.layouts {
            let lane = &scene.lanes.lanes[slot.lane];
            if layout.is_density() {
                paint_density(&mut mesh, slot, layout, lane);
                continue;
            }
            let rows_top = rows_top(slot.top);
            for it in &layout.items {
                let cy = row_center(rows_top, it.row);
                let tracked = match it.kind {
                    ItemKind::Point(ix) => {
                        self.paint_point(scene, &mut mesh, &mut labels, it, ix, cy)
                    }
                    ItemKind::Span(ix) => paint_span(scene, &mut mesh, &mut labels, it, ix, cy),
                    ItemKind::Fold { .. } => {
                        paint_fold(scene, &mut mesh, &mut labels, lane, it, cy);
                        None
                    }
                };
                if let (true, Some((ix, x))) = (multi, tracked) {
                    connectors.track(ix, x, cy);
                }
            }
        }
        let painter = scene.body_painter();
        connectors.paint(scene, &painter);
        painter.add(Shape::mesh(mesh));
        let text = scene.visuals.text_color();
        for (pos, align, g) in labels {
            let r = align.anchor_size(pos, g.size());
            painter.galley(r.min, g, text);
        }
    }

    /// A point event: its glyph, a band where its date is not exact, its
    /// marks and its label. Returns where a connector should join it.
    fn paint_point(
        &self,
        scene: &Canvas<'_>,
        mesh: &mut Mesh,
        labels: &mut Labels,
        it: &Item,
        ix: EventIx,
        cy: f32,
    ) -> Option<(EventIx, f32)> {
        let (store, axis) = (scene.store, scene.axis);
        let bg = scene.visuals.extreme_bg_color;
        let kind = &store.kinds[store.kind[ix as usize] as usize];
        let c = style::color(kind.color);
        let x = point_x(it);
        if let Some((bx0, bx1)) = point_band(store, axis, self.params.glyph_px, ix, x) {
            // Where the date is not exact: a faded band over the window,
            // the glyph at the likeliest moment.
            mesh.add_colored_rect(
                Rect::from_min_max(
                    Pos2::new(bx0, cy - BOX_HALF_H),
                    Pos2::new(bx1, cy + BOX_HALF_H),
                ),
                c.gamma_multiply(BAND_FADE),
            );
        }
        let center = Pos2::new(x, cy);
        let halo = style::highlight(scene.visuals);
        match scene.marks.halo(scene.selected, ix) {
            Some(Halo::Selected) => paint::glyph(mesh, Glyph::Circle, center, HALO_R, halo, bg),
            Some(Halo::Linked) => paint::glyph(mesh, Glyph::Ring, center, LINKED_R, halo, bg),
            Some(Halo::Match) => {
                paint::glyph(mesh, Glyph::Ring, center, HALO_R, style::SEARCH_MARK, bg);
            }
            None => {}
        }
        if scene.marks.is_starred(ix) {
            let at = Pos2::new(x + STAR_OFFSET, cy - STAR_OFFSET);
            paint::glyph(mesh, Glyph::Star, at, STAR_R, style::STAR_MARK, bg);
        }
        paint::glyph(mesh, kind.glyph, center, GLYPH_R, c, bg);
        if it.label_px > 0.0 {
            let title = store.title(ix);
            let g = elided(
                scene.painter,
                title,
                label_font(),
                scene.visuals.text_color(),
                it.label_px - LABEL_INSET,
            );
            let at = Pos2::new(it.x1 + LABEL_GAP, cy);
            labels.push((at, Align2::LEFT_CENTER, g));
        }
        Some((ix, x))
    }

    /// The chosen range, shaded, with its length.
    pub(super) fn paint_range(&self, scene: &Canvas<'_>) {
        let Some((t0, t1)) = self.range else { return };
        let (body, axis) = (scene.body, scene.axis);
        let painter = scene.body_painter();
        let fill = scene.visuals.selection.bg_fill;
        let x0 = axis.x_of(t0);
        let x1 = axis.x_of(t1).max(x0 + 1.0);
        let r = Rect::from_x_y_ranges(x0..=x1, body.y_range());
        painter.rect_filled(r, 0.0, fill.gamma_multiply(0.25));
        painter.vline(x0, body.y_range(), Stroke::new(1.0, fill));
        painter.vline(x1, body.y_range(), Stroke::new(1.0, fill));
        painter.text(
            Pos2::new((x0 + x1) / 2.0, body.top() + 14.0),
            Align2::CENTER_TOP,
            describe_duration(t1 - t0),
            label_font(),
            scene.visuals.text_color(),
        );
    }
}

fn label_font() -> FontId {
    FontId::proportional(LABEL_SIZE)
}

/// A dense lane: one column per pixel, height by the square root of its
/// count (bursts stand out, sparse columns stay visible).
fn paint_density(mesh: &mut Mesh, slot: &LaneSlot, layout: &LaneLayout, lane: &Lane) {
    let lane_color = lane.color.map_or(style::NEUTRAL_LANE, style::color);
    let rows_top = rows_top(slot.top);
    let h = slot.rows as f32 * ROW_H;
    for c in &layout.density {
        let v = density_level(c.count, layout.density_max);
        let bar_h = h * v;
        mesh.add_colored_rect(
            Rect::from_min_max(
                Pos2::new(c.x, rows_top + h - bar_h),
                Pos2::new(c.x + 1.0, rows_top + h),
            ),
            lane_color.gamma_multiply(density_alpha(v)),
        );
    }
}

/// A span: a bar, solid where it is certain and faded where its ends are
/// not, with its title inside when it fits, else after it.
fn paint_span(
    scene: &Canvas<'_>,
    mesh: &mut Mesh,
    labels: &mut Labels,
    it: &Item,
    ix: EventIx,
    cy: f32,
) -> Option<(EventIx, f32)> {
    let (store, axis, body) = (scene.store, scene.axis, scene.body);
    let text = scene.visuals.text_color();
    let kind = &store.kinds[store.kind[ix as usize] as usize];
    let c = style::color(kind.color);
    let (sx0, sx1) = (it.x0, it.x1);
    let (solid0, solid1) = span_solid(store, axis, ix, sx0, sx1);
    let bar = Rect::from_min_max(
        Pos2::new(sx0, cy - BAR_HALF_H),
        Pos2::new(sx1, cy + BAR_HALF_H),
    );
    match scene.marks.halo(scene.selected, ix) {
        Some(Halo::Selected | Halo::Linked) => {
            mesh.add_colored_rect(bar.expand(HALO_GROW), style::highlight(scene.visuals));
        }
        Some(Halo::Match) => mesh.add_colored_rect(bar.expand(HALO_GROW), style::SEARCH_MARK),
        None => {}
    }
    mesh.add_colored_rect(bar, c.gamma_multiply(SPAN_FADE));
    if solid1 > solid0 {
        mesh.add_colored_rect(
            Rect::from_min_max(
                Pos2::new(solid0, cy - BAR_HALF_H),
                Pos2::new(solid1, cy + BAR_HALF_H),
            ),
            c,
        );
    }
    let title = store.title(ix);
    let visible_bar = visible_width(sx0, sx1, body.left(), body.right());
    let full_w = scene
        .painter
        .layout_no_wrap(title.to_owned(), label_font(), text)
        .size()
        .x;
    if label_fits_inside(visible_bar, full_w, 0.0) {
        let inside = elided(
            scene.painter,
            title,
            label_font(),
            Color32::WHITE,
            visible_bar - 2.0 * LABEL_INSET,
        );
        let at = Pos2::new(sx0.max(body.left()) + LABEL_INSET, cy);
        labels.push((at, Align2::LEFT_CENTER, inside));
    } else if it.label_px > 0.0 {
        let room = it.label_px - LABEL_INSET;
        let g = elided(scene.painter, title, label_font(), text, room);
        labels.push((Pos2::new(sx1 + LABEL_GAP, cy), Align2::LEFT_CENTER, g));
    }
    Some((ix, connector_x(it, body.left())))
}

/// A fold: a box with its count, ringed when it holds a search match.
fn paint_fold(
    scene: &Canvas<'_>,
    mesh: &mut Mesh,
    labels: &mut Labels,
    lane: &Lane,
    it: &Item,
    cy: f32,
) {
    let ItemKind::Fold { count, t0, t1 } = it.kind else {
        return;
    };
    let lane_color = lane.color.map_or(style::NEUTRAL_LANE, style::color);
    let [x0, y0, x1, y1] = fold_box(it, cy);
    let r = Rect::from_min_max(Pos2::new(x0, y0), Pos2::new(x1, y1));
    if scene.marks.fold_holds_match(lane, t0, t1) {
        mesh.add_colored_rect(r.expand(HALO_GROW), style::SEARCH_MARK);
    }
    mesh.add_colored_rect(r, lane_color.gamma_multiply(FOLD_FADE));
    paint::outline(mesh, r, 1.0, lane_color);
    let g = scene.painter.layout_no_wrap(
        count.to_string(),
        FontId::proportional(COUNT_SIZE),
        scene.visuals.text_color(),
    );
    if count_fits(g.size().x, r.width()) {
        labels.push((r.center(), Align2::CENTER_CENTER, g));
    }
}

//! Painting the map: sea and borders, country names where they fit,
//! clusters and glyphs (glyphs in one mesh, like the timeline's), the
//! selection and the pointer's event, the area being drawn, notes.

use egui::epaint::Mesh;
use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, Ui, Vec2, Visuals};

use crate::geo::projection::km_per_world;
use crate::geo::{Basemap, Cluster, Clusters, Locations, MapView};
use crate::store::{EventIx, Store};
use crate::ui::style;
use crate::ui::timeline::paint::glyph;

pub(super) struct Scene<'a> {
    pub painter: &'a Painter,
    pub visuals: &'a Visuals,
    pub view: &'a MapView,
    pub store: &'a Store,
    pub locations: &'a Locations,
    pub selected: Option<EventIx>,
    /// Hovered here or on the timeline.
    pub linked: Option<EventIx>,
    /// The newest events of a playback.
    pub fresh: &'a [EventIx],
}

const GLYPH_R: f32 = 5.5;

fn sea(v: &Visuals) -> Color32 {
    if v.dark_mode {
        Color32::from_rgb(24, 32, 42)
    } else {
        Color32::from_rgb(220, 230, 240)
    }
}

fn land_fill(v: &Visuals) -> Color32 {
    if v.dark_mode {
        Color32::from_rgb(44, 48, 52)
    } else {
        Color32::from_rgb(246, 244, 238)
    }
}

fn land_line(v: &Visuals) -> Color32 {
    if v.dark_mode {
        Color32::from_rgb(110, 122, 136)
    } else {
        Color32::from_rgb(120, 130, 142)
    }
}

fn screen(view: &MapView, w: [f32; 2]) -> Pos2 {
    let s = view.to_screen([w[0] as f64, w[1] as f64]);
    Pos2::new(s[0], s[1])
}

/// Radius of a cluster's disk: grows with the log of its count.
pub(super) fn cluster_radius(count: u32) -> f32 {
    (8.0 + 4.0 * (count.max(1) as f32).log10()).min(24.0)
}

/// "7", "1.2k", "34k", "1.1M".
fn short_count(n: u32) -> String {
    match n {
        0..1_000 => n.to_string(),
        1_000..10_000 => format!("{:.1}k", n as f64 / 1e3),
        10_000..1_000_000 => format!("{}k", n / 1_000),
        _ => format!("{:.1}M", n as f64 / 1e6),
    }
}

pub(super) fn background(s: &Scene<'_>) {
    s.painter
        .rect_filled(s.painter.clip_rect(), 0.0, sea(s.visuals));
}

/// Borders and coastlines where on screen, then country names largest
/// first wherever one fits its country and no other name.
pub(super) fn basemap(s: &Scene<'_>, b: &Basemap) {
    let (vmin, vmax) = s.view.visible_world();
    let stroke = Stroke::new(1.0, land_line(s.visuals));
    let mut mesh = Mesh::default();
    let fill = land_fill(s.visuals);
    mesh.vertices.reserve(b.land.vertices.len());
    for &v in &b.land.vertices {
        mesh.colored_vertex(screen(s.view, v), fill);
    }
    mesh.indices.extend_from_slice(&b.land.triangles);
    s.painter.add(Shape::mesh(mesh));
    let visible = |min: [f32; 2], max: [f32; 2]| {
        (max[0] as f64) >= vmin[0]
            && (min[0] as f64) <= vmax[0]
            && (max[1] as f64) >= vmin[1]
            && (min[1] as f64) <= vmax[1]
    };
    for line in &b.lines {
        if !visible(line.min, line.max) {
            continue;
        }
        let points: Vec<Pos2> = line.points.iter().map(|&p| screen(s.view, p)).collect();
        s.painter.add(Shape::line(points, stroke));
    }
    let font = FontId::proportional(11.0);
    let color = s.visuals.weak_text_color();
    let mut placed: Vec<Rect> = Vec::new();
    let clip = s.painter.clip_rect().shrink(4.0);
    for label in &b.labels {
        if !visible(label.min, label.max) {
            continue;
        }
        // The part of the country's box on screen: a name must fit there.
        let whole = Rect::from_two_pos(screen(s.view, label.min), screen(s.view, label.max));
        let area = whole.intersect(clip);
        if area.width() < 30.0 || area.height() < 12.0 {
            continue;
        }
        let galley = s
            .painter
            .layout_no_wrap(label.name.clone(), font.clone(), color);
        let size = galley.size();
        if size.x + 6.0 > area.width() || size.y + 2.0 > area.height() {
            continue;
        }
        let half = size / 2.0 + Vec2::splat(2.0);
        let at = screen(s.view, label.anchor).clamp(area.min + half, area.max - half);
        let r = Rect::from_center_size(at, size + Vec2::splat(4.0));
        if placed.iter().any(|p| p.intersects(r)) {
            continue;
        }
        placed.push(r);
        s.painter.galley(r.min + Vec2::splat(2.0), galley, color);
    }
}

/// The clusters on screen: a disk with its count, or the event's own
/// glyph (with its precision halo) for a cluster of one.
pub(super) fn clusters(s: &Scene<'_>, c: &Clusters) {
    let clip = s.painter.clip_rect().expand(30.0);
    let bg = s.visuals.extreme_bg_color;
    let mut mesh = Mesh::default();
    let mut counts = Vec::new();
    for k in &c.cells {
        let at = screen(s.view, [k.x, k.y]);
        if !clip.contains(at) {
            continue;
        }
        let kind_color = s
            .store
            .kinds
            .get(k.kind as usize)
            .map_or(style::NEUTRAL_LANE, |d| style::color(d.color));
        if k.count == 1 {
            halo(s, k.first, at, kind_color);
            let g = s
                .store
                .kinds
                .get(k.kind as usize)
                .map_or(crate::model::Glyph::Circle, |d| d.glyph);
            glyph(&mut mesh, g, at, GLYPH_R, kind_color, bg);
        } else {
            let fill = if k.mixed {
                style::NEUTRAL_LANE
            } else {
                kind_color
            };
            let r = cluster_radius(k.count);
            glyph(
                &mut mesh,
                crate::model::Glyph::Circle,
                at,
                r + 1.5,
                Color32::WHITE,
                bg,
            );
            glyph(&mut mesh, crate::model::Glyph::Circle, at, r, fill, bg);
            counts.push((at, k.count));
        }
    }
    s.painter.add(Shape::mesh(mesh));
    let font = FontId::proportional(11.0);
    for (at, n) in counts {
        s.painter.text(
            at,
            Align2::CENTER_CENTER,
            short_count(n),
            font.clone(),
            Color32::WHITE,
        );
    }
}

/// The precision halo: how far from its point the event may have been.
fn halo(s: &Scene<'_>, ix: EventIx, at: Pos2, color: Color32) {
    let km = s.locations.halo_km.get(ix as usize).copied().unwrap_or(0);
    if km == 0 {
        return;
    }
    let y = s.locations.y[ix as usize] as f64;
    let r = (km as f64 / km_per_world(y).max(1.0) * s.view.scale) as f32;
    if r > GLYPH_R + 2.0 && r < 4_000.0 {
        s.painter.circle(
            at,
            r,
            color.gamma_multiply(0.12),
            Stroke::new(1.0, color.gamma_multiply(0.5)),
        );
    }
}

/// The selected event, the one under the pointer (here or on the
/// timeline) and the newest of a playback, over the clusters. Returns the
/// selected event if it was drawn.
pub(super) fn marks(s: &Scene<'_>) -> Option<EventIx> {
    for &ix in s.fresh {
        if let Some(w) = s.locations.get(ix) {
            let c = s
                .store
                .kind_def(ix)
                .map_or(style::NEUTRAL_LANE, |d| style::color(d.color));
            s.painter
                .circle_stroke(screen(s.view, w), GLYPH_R + 4.0, Stroke::new(2.0, c));
        }
    }
    let hl = style::highlight(s.visuals);
    if let Some(w) = s.linked.and_then(|ix| s.locations.get(ix)) {
        s.painter
            .circle_stroke(screen(s.view, w), GLYPH_R + 5.0, Stroke::new(2.0, hl));
    }
    if let Some(ix) = s.selected
        && let Some(w) = s.locations.get(ix)
    {
        let at = screen(s.view, w);
        let bg = s.visuals.extreme_bg_color;
        let mut mesh = Mesh::default();
        glyph(
            &mut mesh,
            crate::model::Glyph::Circle,
            at,
            GLYPH_R + 4.0,
            hl,
            bg,
        );
        let (g, c) = s
            .store
            .kind_def(ix)
            .map_or((crate::model::Glyph::Circle, style::NEUTRAL_LANE), |d| {
                (d.glyph, style::color(d.color))
            });
        glyph(&mut mesh, g, at, GLYPH_R, c, bg);
        s.painter.add(Shape::mesh(mesh));
        return s.painter.clip_rect().contains(at).then_some(ix);
    }
    None
}

pub(super) fn area_box(s: &Scene<'_>, r: Rect) {
    let c = style::SEARCH_MARK;
    s.painter.rect(
        r,
        0.0,
        c.gamma_multiply(0.12),
        Stroke::new(1.5, c),
        egui::StrokeKind::Inside,
    );
}

/// A line of text in a corner of the map, on a plate.
pub(super) fn note(s: &Scene<'_>, text: &str, corner: Align2) {
    let clip = s.painter.clip_rect().shrink(8.0);
    let galley = s.painter.layout_no_wrap(
        text.to_owned(),
        FontId::proportional(12.0),
        s.visuals.text_color(),
    );
    let size = galley.size() + Vec2::new(12.0, 6.0);
    let r = corner.align_size_within_rect(size, clip);
    s.painter
        .rect_filled(r, 4.0, s.visuals.window_fill.gamma_multiply(0.88));
    s.painter
        .galley(r.min + Vec2::new(6.0, 3.0), galley, s.visuals.text_color());
}

/// The cluster under `p`, nearest first.
pub(super) fn pick(view: &MapView, c: &Clusters, p: Pos2, pick_px: f32) -> Option<Cluster> {
    let mut best: Option<(f32, Cluster)> = None;
    for k in &c.cells {
        let at = screen(view, [k.x, k.y]);
        let reach = if k.count == 1 {
            pick_px
        } else {
            cluster_radius(k.count) + 2.0
        };
        let d = at.distance(p);
        if d <= reach && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
            best = Some((d, *k));
        }
    }
    best.map(|(_, k)| k)
}

pub(super) fn hover_ui(ui: &mut Ui, store: &Store, loc: &Locations, c: &Cluster) {
    if c.count > 1 {
        ui.strong(format!("{} events", style::thousands(c.count as usize)));
        if !c.mixed
            && let Some(k) = store.kinds.get(c.kind as usize)
        {
            ui.label(format!("all {}", k.label));
        }
        ui.weak("Click to zoom in");
        return;
    }
    let ix = c.first;
    let Some(e) = store.event(ix) else { return };
    ui.strong(&e.title);
    let kind = store
        .kind_def(ix)
        .map_or(e.kind.as_str(), |k| k.label.as_str());
    ui.label(format!("{kind} · {}", e.when.describe()));
    if let Some(p) = &e.place {
        let mut place = p.name.clone();
        for extra in [&p.admin, &p.country].into_iter().flatten() {
            if !place.contains(extra.as_str()) {
                place.push_str(", ");
                place.push_str(extra);
            }
        }
        ui.label(place);
        if let Some(prec) = &p.precision {
            let km = loc.halo_km.get(ix as usize).copied().unwrap_or(0);
            if km > 0 {
                ui.weak(format!("Location precision {prec} (halo: about {km} km)"));
            } else {
                ui.weak(format!("Location precision {prec}"));
            }
        }
    }
    ui.weak("Click for details");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_short() {
        assert_eq!(short_count(7), "7");
        assert_eq!(short_count(1_234), "1.2k");
        assert_eq!(short_count(34_567), "34k");
        assert_eq!(short_count(1_100_000), "1.1M");
    }

    #[test]
    fn bigger_clusters_are_bigger_up_to_a_limit() {
        assert!(cluster_radius(10) > cluster_radius(2));
        assert_eq!(cluster_radius(10_000_000), 24.0);
    }
}

//! Marks into one mesh: glyphs, bars, folds and density columns are all
//! triangles in a single `Mesh`, which tessellates in a fraction of the time
//! of thousands of separate shapes.

use egui::epaint::{Color32, Mesh, Pos2, Rect};

use crate::model::Glyph;

/// A convex (or centre-visible) polygon as a triangle fan around `center`.
fn fan(mesh: &mut Mesh, center: Pos2, points: &[Pos2], color: Color32) {
    let base = mesh.vertices.len() as u32;
    mesh.colored_vertex(center, color);
    for &p in points {
        mesh.colored_vertex(p, color);
    }
    let n = points.len() as u32;
    for i in 0..n {
        mesh.add_triangle(base, base + 1 + i, base + 1 + (i + 1) % n);
    }
}

/// Draw `glyph` of radius `r` at `c` with the shared geometry
/// (`timeline::glyph`). `background` fills the hole of a ring.
pub fn glyph(mesh: &mut Mesh, glyph: Glyph, c: Pos2, r: f32, fill: Color32, background: Color32) {
    for p in crate::timeline::glyph::polygons(glyph, [c.x, c.y], r) {
        let points: Vec<Pos2> = p.points.iter().map(|v| Pos2::new(v[0], v[1])).collect();
        let color = if p.hole { background } else { fill };
        fan(mesh, Pos2::new(p.center[0], p.center[1]), &points, color);
    }
}

/// A rectangle outline of `width` pixels, as four thin rectangles.
pub fn outline(mesh: &mut Mesh, rect: Rect, width: f32, color: Color32) {
    let w = width;
    mesh.add_colored_rect(
        Rect::from_min_max(rect.min, Pos2::new(rect.max.x, rect.min.y + w)),
        color,
    );
    mesh.add_colored_rect(
        Rect::from_min_max(Pos2::new(rect.min.x, rect.max.y - w), rect.max),
        color,
    );
    mesh.add_colored_rect(
        Rect::from_min_max(rect.min, Pos2::new(rect.min.x + w, rect.max.y)),
        color,
    );
    mesh.add_colored_rect(
        Rect::from_min_max(Pos2::new(rect.max.x - w, rect.min.y), rect.max),
        color,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_glyph_makes_triangles_inside_its_box() {
        for g in Glyph::ALL {
            let mut mesh = Mesh::default();
            let c = Pos2::new(50.0, 50.0);
            glyph(&mut mesh, g, c, 6.0, Color32::RED, Color32::WHITE);
            assert!(!mesh.indices.is_empty(), "{g:?}");
            assert!(mesh.is_valid());
            for v in &mesh.vertices {
                assert!(
                    (v.pos - c).length() <= 6.0 * 1.6,
                    "{g:?} reaches {:?}",
                    v.pos
                );
            }
        }
    }
}

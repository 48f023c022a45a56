//! Marks into one mesh: glyphs, bars, folds and density columns are all
//! triangles in a single `Mesh`, which tessellates in a fraction of the time
//! of thousands of separate shapes.

use egui::epaint::{Color32, Mesh, Pos2, Rect, Vec2};

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

fn regular(center: Pos2, r: f32, sides: usize, rotation: f32) -> Vec<Pos2> {
    (0..sides)
        .map(|i| {
            let a = rotation + i as f32 * std::f32::consts::TAU / sides as f32;
            center + Vec2::new(a.cos(), a.sin()) * r
        })
        .collect()
}

/// Draw `glyph` of radius `r` at `c`. `background` punches the hole of a ring.
pub fn glyph(mesh: &mut Mesh, glyph: Glyph, c: Pos2, r: f32, fill: Color32, background: Color32) {
    use std::f32::consts::{FRAC_PI_2, FRAC_PI_4};
    match glyph {
        Glyph::Circle => fan(mesh, c, &regular(c, r, 14, 0.0), fill),
        Glyph::Ring => {
            fan(mesh, c, &regular(c, r, 14, 0.0), fill);
            fan(mesh, c, &regular(c, r * 0.5, 12, 0.0), background);
        }
        Glyph::Square => fan(mesh, c, &regular(c, r * 1.2, 4, FRAC_PI_4), fill),
        Glyph::Diamond => fan(mesh, c, &regular(c, r * 1.15, 4, 0.0), fill),
        Glyph::TriangleUp => fan(
            mesh,
            c,
            &regular(c + Vec2::new(0.0, r * 0.15), r * 1.2, 3, -FRAC_PI_2),
            fill,
        ),
        Glyph::TriangleDown => fan(
            mesh,
            c,
            &regular(c - Vec2::new(0.0, r * 0.15), r * 1.2, 3, FRAC_PI_2),
            fill,
        ),
        Glyph::Hexagon => fan(mesh, c, &regular(c, r * 1.05, 6, 0.0), fill),
        Glyph::Star => {
            let pts: Vec<Pos2> = (0..10)
                .map(|i| {
                    let a = -FRAC_PI_2 + i as f32 * std::f32::consts::PI / 5.0;
                    let rr = if i % 2 == 0 { r * 1.25 } else { r * 0.55 };
                    c + Vec2::new(a.cos(), a.sin()) * rr
                })
                .collect();
            fan(mesh, c, &pts, fill);
        }
        Glyph::Cross => {
            // Two bars at ±45°: an "X", the conventional mark of a clash.
            let w = r * 0.42;
            for angle in [FRAC_PI_4, -FRAC_PI_4] {
                let d = Vec2::new(angle.cos(), angle.sin()) * r * 1.2;
                let n = Vec2::new(-angle.sin(), angle.cos()) * w;
                fan(mesh, c, &[c - d - n, c + d - n, c + d + n, c - d + n], fill);
            }
        }
        Glyph::Flag => {
            // A pole and a pennant: truces and ceasefires.
            let pole = Rect::from_min_max(
                c + Vec2::new(-r * 0.8, -r * 1.2),
                c + Vec2::new(-r * 0.45, r * 1.2),
            );
            mesh.add_colored_rect(pole, fill);
            let top = c + Vec2::new(-r * 0.45, -r * 1.2);
            fan(
                mesh,
                top + Vec2::new(0.6 * r, 0.6 * r),
                &[
                    top,
                    top + Vec2::new(1.9 * r, 0.6 * r),
                    top + Vec2::new(0.0, 1.3 * r),
                ],
                fill,
            );
        }
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
        for g in [
            Glyph::Circle,
            Glyph::Ring,
            Glyph::Square,
            Glyph::Diamond,
            Glyph::TriangleUp,
            Glyph::TriangleDown,
            Glyph::Cross,
            Glyph::Star,
            Glyph::Flag,
            Glyph::Hexagon,
        ] {
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

//! Glyph geometry: each kind's mark as a few polygons, shared by the
//! window's mesh painter and the vector writers so a glyph looks the same
//! on screen, in SVG, PNG and PDF.

use crate::model::Glyph;

/// One filled polygon. `center` is a point from which every vertex is
/// visible (the window fans triangles around it). A `hole` is painted in
/// the background colour on screen and cut out in vector output.
#[derive(Clone, Debug, PartialEq)]
pub struct Polygon {
    pub center: [f32; 2],
    pub points: Vec<[f32; 2]>,
    pub hole: bool,
}

fn regular(c: [f32; 2], r: f32, sides: usize, rotation: f32) -> Vec<[f32; 2]> {
    (0..sides)
        .map(|i| {
            let a = rotation + i as f32 * std::f32::consts::TAU / sides as f32;
            [c[0] + a.cos() * r, c[1] + a.sin() * r]
        })
        .collect()
}

fn poly(center: [f32; 2], points: Vec<[f32; 2]>) -> Polygon {
    Polygon {
        center,
        points,
        hole: false,
    }
}

/// The polygons of `glyph` of radius `r` centred on `c` (y grows down).
pub fn polygons(glyph: Glyph, c: [f32; 2], r: f32) -> Vec<Polygon> {
    use std::f32::consts::{FRAC_PI_2, FRAC_PI_4, PI};
    let at = |dx: f32, dy: f32| [c[0] + dx, c[1] + dy];
    match glyph {
        Glyph::Circle => vec![poly(c, regular(c, r, 14, 0.0))],
        Glyph::Ring => vec![
            poly(c, regular(c, r, 14, 0.0)),
            Polygon {
                center: c,
                points: regular(c, r * 0.5, 12, 0.0),
                hole: true,
            },
        ],
        Glyph::Square => vec![poly(c, regular(c, r * 1.2, 4, FRAC_PI_4))],
        Glyph::Diamond => vec![poly(c, regular(c, r * 1.15, 4, 0.0))],
        Glyph::TriangleUp => {
            let cc = at(0.0, r * 0.15);
            vec![poly(cc, regular(cc, r * 1.2, 3, -FRAC_PI_2))]
        }
        Glyph::TriangleDown => {
            let cc = at(0.0, -r * 0.15);
            vec![poly(cc, regular(cc, r * 1.2, 3, FRAC_PI_2))]
        }
        Glyph::Hexagon => vec![poly(c, regular(c, r * 1.05, 6, 0.0))],
        Glyph::Star => {
            let pts = (0..10)
                .map(|i| {
                    let a = -FRAC_PI_2 + i as f32 * PI / 5.0;
                    let rr = if i % 2 == 0 { r * 1.25 } else { r * 0.55 };
                    at(a.cos() * rr, a.sin() * rr)
                })
                .collect();
            vec![poly(c, pts)]
        }
        Glyph::Cross => {
            // Two bars at ±45°: an "X", the conventional mark of a clash.
            let w = r * 0.42;
            [FRAC_PI_4, -FRAC_PI_4]
                .into_iter()
                .map(|angle| {
                    let (dx, dy) = (angle.cos() * r * 1.2, angle.sin() * r * 1.2);
                    let (nx, ny) = (-angle.sin() * w, angle.cos() * w);
                    poly(
                        c,
                        vec![
                            at(-dx - nx, -dy - ny),
                            at(dx - nx, dy - ny),
                            at(dx + nx, dy + ny),
                            at(-dx + nx, -dy + ny),
                        ],
                    )
                })
                .collect()
        }
        Glyph::Flag => {
            // A pole and a pennant: truces and ceasefires.
            let (px0, px1, py0, py1) = (-r * 0.8, -r * 0.45, -r * 1.2, r * 1.2);
            let pole = poly(
                at((px0 + px1) / 2.0, 0.0),
                vec![at(px0, py0), at(px1, py0), at(px1, py1), at(px0, py1)],
            );
            let top = at(-r * 0.45, -r * 1.2);
            let pennant = poly(
                [top[0] + 0.6 * r, top[1] + 0.6 * r],
                vec![
                    top,
                    [top[0] + 1.9 * r, top[1] + 0.6 * r],
                    [top[0], top[1] + 1.3 * r],
                ],
            );
            vec![pole, pennant]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_glyph_stays_inside_its_box() {
        for g in Glyph::ALL {
            let ps = polygons(g, [50.0, 50.0], 6.0);
            assert!(!ps.is_empty(), "{g:?}");
            for p in &ps {
                assert!(p.points.len() >= 3, "{g:?}");
                for v in &p.points {
                    let d = ((v[0] - 50.0).powi(2) + (v[1] - 50.0).powi(2)).sqrt();
                    assert!(d <= 6.0 * 1.6, "{g:?} reaches {v:?}");
                }
            }
        }
    }

    #[test]
    fn only_the_ring_has_a_hole() {
        for g in Glyph::ALL {
            let holes = polygons(g, [0.0, 0.0], 5.0)
                .iter()
                .filter(|p| p.hole)
                .count();
            assert_eq!(holes, usize::from(g == Glyph::Ring), "{g:?}");
        }
    }
}

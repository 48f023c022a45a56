//! The offline basemap: Natural Earth's 1:110m country borders and
//! coastlines (public domain, via the `world-atlas` TopoJSON), shipped
//! gzipped in `assets/`, projected once into world coordinates. No tiles,
//! no network: the map never tells a server what an analyst looks at.

use std::io::Read;

use super::projection::lonlat_to_world;
use super::topo::{Feature, TopoError, Topology};

const COUNTRIES_110M_GZ: &[u8] = include_bytes!("../../assets/countries-110m.json.gz");

#[derive(Debug, thiserror::Error)]
pub enum BasemapError {
    #[error("the basemap is not valid gzip: {0}")]
    Gzip(#[from] std::io::Error),
    #[error("the basemap: {0}")]
    Topo(#[from] TopoError),
}

/// A polyline in world coordinates with its bounding box.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub points: Vec<[f32; 2]>,
    pub min: [f32; 2],
    pub max: [f32; 2],
}

/// Where a country's name goes: the centre of the bounding box of its
/// largest polygon, and that box (a name is drawn only if it fits).
#[derive(Clone, Debug, PartialEq)]
pub struct CountryLabel {
    pub name: String,
    pub anchor: [f32; 2],
    pub min: [f32; 2],
    pub max: [f32; 2],
}

/// Land as triangles in world coordinates (country polygons with their
/// holes, triangulated once), so the map can fill it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Land {
    pub vertices: Vec<[f32; 2]>,
    pub triangles: Vec<u32>,
}

/// Borders and coastlines (each shared edge once), the land to fill and
/// country labels, largest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Basemap {
    pub lines: Vec<Line>,
    pub land: Land,
    pub labels: Vec<CountryLabel>,
}

impl Basemap {
    /// The shipped countries.
    pub fn countries() -> Result<Basemap, BasemapError> {
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(COUNTRIES_110M_GZ).read_to_end(&mut json)?;
        Basemap::from_topojson(&json, "countries")
    }

    pub fn from_topojson(json: &[u8], object: &str) -> Result<Basemap, BasemapError> {
        let topo = Topology::parse(json)?;
        let features = topo.features(object)?;
        let mut lines = Vec::new();
        for arc in topo.arcs() {
            lines.extend(split_at_edges(&arc).into_iter().filter_map(line));
        }
        let mut labels: Vec<(f64, CountryLabel)> = features.iter().filter_map(label_of).collect();
        labels.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut land = Land::default();
        for f in &features {
            for polygon in &f.polygons {
                triangulate(polygon, &mut land);
            }
        }
        Ok(Basemap {
            lines,
            land,
            labels: labels.into_iter().map(|(_, l)| l).collect(),
        })
    }
}

/// Natural Earth cuts polygons at the antimeridian and closes Antarctica
/// along the bottom edge; those cuts are not coastlines, so arcs are split
/// where they run along them.
fn split_at_edges(arc: &[[f64; 2]]) -> Vec<Vec<[f64; 2]>> {
    // Along the cut, or across it (from 180° E to 180° W: on a flat map
    // that would be a line across the whole world).
    let on_edge = |a: &[f64; 2], b: &[f64; 2]| {
        (a[0].abs() > 179.99 && b[0].abs() > 179.99)
            || (a[1] < -84.0 && b[1] < -84.0)
            || (a[0] - b[0]).abs() > 180.0
    };
    let mut out = vec![Vec::new()];
    for (i, p) in arc.iter().enumerate() {
        if i > 0 && on_edge(&arc[i - 1], p) {
            out.push(Vec::new());
        }
        if let Some(last) = out.last_mut() {
            last.push(*p);
        }
    }
    out.retain(|l| l.len() >= 2);
    out
}

/// Add one polygon (outer ring, then holes) to `land` as triangles. A
/// polygon earcut cannot cut is left unfilled (its borders still show).
fn triangulate(rings: &[Vec<[f64; 2]>], land: &mut Land) {
    let mut flat = Vec::new();
    let mut holes = Vec::new();
    // A polygon cut by the antimeridian (Russia's Chukotka, Fiji) jumps
    // from 180° E to 180° W; filled as is, it would be a band across the
    // world. Its western points are taken 360° east instead, so it is
    // filled whole just past the right edge. Antarctica goes round the
    // pole instead and is already closed along the bottom edge.
    let polar = rings.iter().flatten().any(|p| p[1] < -60.0);
    let crosses = !polar
        && rings
            .iter()
            .any(|r| r.windows(2).any(|w| (w[0][0] - w[1][0]).abs() > 180.0));
    for (k, ring) in rings.iter().enumerate() {
        if k > 0 {
            holes.push(flat.len() / 2);
        }
        // The closing point repeats the first: earcut wants it once.
        let open = ring
            .len()
            .saturating_sub(usize::from(ring.first() == ring.last()));
        for p in &ring[..open] {
            let y = lonlat_to_world(0.0, p[1])[1];
            let lon = if crosses && p[0] < 0.0 {
                p[0] + 360.0
            } else {
                p[0]
            };
            flat.extend([(lon + 180.0) / 360.0, y]);
        }
    }
    let Ok(triangles) = earcutr::earcut(&flat, &holes, 2) else {
        return;
    };
    let base = land.vertices.len() as u32;
    land.vertices
        .extend(flat.chunks_exact(2).map(|p| [p[0] as f32, p[1] as f32]));
    land.triangles
        .extend(triangles.into_iter().map(|i| base + i as u32));
}

fn line(lonlat: Vec<[f64; 2]>) -> Option<Line> {
    let points: Vec<[f32; 2]> = lonlat
        .iter()
        .map(|p| {
            let w = lonlat_to_world(p[0], p[1]);
            [w[0] as f32, w[1] as f32]
        })
        .collect();
    let (min, max) = bbox(&points)?;
    Some(Line { points, min, max })
}

fn bbox(points: &[[f32; 2]]) -> Option<([f32; 2], [f32; 2])> {
    let first = *points.first()?;
    Some(points.iter().fold((first, first), |(lo, hi), p| {
        (
            [lo[0].min(p[0]), lo[1].min(p[1])],
            [hi[0].max(p[0]), hi[1].max(p[1])],
        )
    }))
}

/// The label of a feature, with the world area of its largest polygon's
/// box (to place big countries' names first).
fn label_of(f: &Feature) -> Option<(f64, CountryLabel)> {
    if f.name.is_empty() {
        return None;
    }
    f.polygons
        .iter()
        .filter_map(|p| {
            let outer: Vec<[f32; 2]> = p
                .first()?
                .iter()
                .map(|q| {
                    let w = lonlat_to_world(q[0], q[1]);
                    [w[0] as f32, w[1] as f32]
                })
                .collect();
            let (min, max) = bbox(&outer)?;
            let area = (max[0] - min[0]) as f64 * (max[1] - min[1]) as f64;
            Some((
                area,
                CountryLabel {
                    name: f.name.clone(),
                    anchor: [(min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0],
                    min,
                    max,
                },
            ))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::world_to_lonlat;

    #[test]
    fn the_shipped_basemap_has_the_countries() {
        let b = Basemap::countries().unwrap();
        assert!(b.labels.len() > 150, "{}", b.labels.len());
        // The largest boxes first (Mercator: the poles are large); Armenia
        // is there, where it is.
        let first: Vec<&str> = b.labels[..3].iter().map(|l| l.name.as_str()).collect();
        assert!(
            first.contains(&"Russia") && first.contains(&"Antarctica"),
            "{first:?}"
        );
        let armenia = b.labels.iter().find(|l| l.name == "Armenia").unwrap();
        let (lon, lat) = world_to_lonlat([armenia.anchor[0] as f64, armenia.anchor[1] as f64]);
        assert!((43.0..47.0).contains(&lon) && (38.5..41.5).contains(&lat));
        let points: usize = b.lines.iter().map(|l| l.points.len()).sum();
        assert!(points > 5_000);
        // The land is filled: triangles cover every country, and none
        // spans the world (the antimeridian's polygons are unwrapped).
        // (Antarctica, round the pole, does span it.)
        let south60 = lonlat_to_world(0.0, -60.0)[1] as f32;
        for t in b.land.triangles.chunks_exact(3) {
            if t.iter().all(|&i| b.land.vertices[i as usize][1] > south60) {
                continue;
            }
            let xs: Vec<f32> = t.iter().map(|&i| b.land.vertices[i as usize][0]).collect();
            let span = xs.iter().fold(f32::MIN, |a, &x| a.max(x))
                - xs.iter().fold(f32::MAX, |a, &x| a.min(x));
            assert!(span < 0.3, "a triangle {span} of the world wide");
            assert!(xs.iter().all(|&x| x > -0.01), "land left of the world");
        }
        assert_eq!(b.land.triangles.len() % 3, 0);
        assert!(b.land.triangles.len() / 3 > 5_000);
        assert!(
            b.land
                .triangles
                .iter()
                .all(|&i| (i as usize) < b.land.vertices.len())
        );
        // No line runs along the antimeridian, or across the world.
        for l in &b.lines {
            for w in l.points.windows(2) {
                assert!(!(w[0][0] < 1e-4 && w[1][0] < 1e-4));
                assert!((w[0][0] - w[1][0]).abs() < 0.5, "{:?}", w);
            }
        }
    }

    #[test]
    fn edges_split_arcs() {
        let arc = [[170.0, 60.0], [180.0, 65.0], [180.0, 70.0], [170.0, 71.0]];
        let parts = split_at_edges(&arc);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].len(), 2);
        assert_eq!(parts[1][0], [180.0, 70.0]);
        let across = [[179.0, 66.0], [-179.0, 66.5], [-178.0, 67.0]];
        assert_eq!(
            split_at_edges(&across).len(),
            1,
            "the lone point is dropped"
        );
    }
}

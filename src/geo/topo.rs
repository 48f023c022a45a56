//! TopoJSON, the part the basemap needs: quantized, delta-encoded arcs
//! shared between neighbouring polygons, and `Polygon` / `MultiPolygon`
//! geometries that name their rings by arc index (`~i`, i.e. `-i - 1`,
//! for arc `i` walked backwards). Spec: github.com/topojson/topojson-specification.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum TopoError {
    #[error("not TopoJSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the TopoJSON has no object named `{0}`")]
    NoObject(String),
    #[error("geometry {geometry} names arc {arc}, but there are only {arcs} arcs")]
    BadArc {
        geometry: usize,
        arc: i64,
        arcs: usize,
    },
}

#[derive(Debug, Deserialize)]
pub struct Topology {
    #[serde(default)]
    transform: Option<Transform>,
    arcs: Vec<Vec<Vec<f64>>>,
    objects: BTreeMap<String, Geometry>,
}

#[derive(Debug, Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type")]
enum Geometry {
    #[serde(rename = "GeometryCollection")]
    Collection { geometries: Vec<Geometry> },
    Polygon {
        arcs: Vec<Vec<i64>>,
        #[serde(default)]
        properties: Properties,
    },
    MultiPolygon {
        arcs: Vec<Vec<Vec<i64>>>,
        #[serde(default)]
        properties: Properties,
    },
    #[serde(other)]
    Other,
}

#[derive(Debug, Default, Deserialize)]
struct Properties {
    #[serde(default)]
    name: Option<String>,
}

/// One named area: its polygons, each a list of rings (outer first, then
/// holes), each ring a closed list of (longitude, latitude) points.
#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    pub name: String,
    pub polygons: Vec<Vec<Vec<[f64; 2]>>>,
}

impl Topology {
    pub fn parse(bytes: &[u8]) -> Result<Topology, TopoError> {
        Ok(serde_json::from_slice(bytes)?)
    }

    /// Every arc in longitude and latitude: positions undone from their
    /// deltas and their quantization.
    pub fn arcs(&self) -> Vec<Vec<[f64; 2]>> {
        self.arcs
            .iter()
            .map(|arc| {
                let (mut x, mut y) = (0.0, 0.0);
                arc.iter()
                    .filter(|p| p.len() >= 2)
                    .map(|p| match &self.transform {
                        Some(t) => {
                            x += p[0];
                            y += p[1];
                            [
                                x * t.scale[0] + t.translate[0],
                                y * t.scale[1] + t.translate[1],
                            ]
                        }
                        None => [p[0], p[1]],
                    })
                    .collect()
            })
            .collect()
    }

    /// The polygons of object `name` (a geometry collection or a single
    /// geometry), with their `name` property.
    pub fn features(&self, name: &str) -> Result<Vec<Feature>, TopoError> {
        let object = self
            .objects
            .get(name)
            .ok_or_else(|| TopoError::NoObject(name.to_string()))?;
        let arcs = self.arcs();
        let geometries: Vec<&Geometry> = match object {
            Geometry::Collection { geometries } => geometries.iter().collect(),
            g => vec![g],
        };
        let mut out = Vec::new();
        for (gi, g) in geometries.into_iter().enumerate() {
            let (polygons, properties): (Vec<&Vec<Vec<i64>>>, _) = match g {
                Geometry::Polygon { arcs, properties } => (vec![arcs], properties),
                Geometry::MultiPolygon { arcs, properties } => (arcs.iter().collect(), properties),
                _ => continue,
            };
            let mut feature = Feature {
                name: properties.name.clone().unwrap_or_default(),
                polygons: Vec::new(),
            };
            for rings in polygons {
                let mut polygon = Vec::new();
                for refs in rings {
                    polygon.push(ring(&arcs, refs, gi)?);
                }
                feature.polygons.push(polygon);
            }
            out.push(feature);
        }
        Ok(out)
    }
}

/// Join the arcs of one ring; each arc starts where the last one ended,
/// so that shared point is kept once.
fn ring(arcs: &[Vec<[f64; 2]>], refs: &[i64], geometry: usize) -> Result<Vec<[f64; 2]>, TopoError> {
    let mut out: Vec<[f64; 2]> = Vec::new();
    for &r in refs {
        let (i, reversed) = if r < 0 { (!r, true) } else { (r, false) };
        let arc = usize::try_from(i)
            .ok()
            .and_then(|i| arcs.get(i))
            .ok_or(TopoError::BadArc {
                geometry,
                arc: r,
                arcs: arcs.len(),
            })?;
        let skip = usize::from(!out.is_empty());
        if reversed {
            out.extend(arc.iter().rev().skip(skip));
        } else {
            out.extend(arc.iter().skip(skip));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two squares side by side sharing their middle edge (arc 0), as the
    /// spec's example quantizes them: 0 is the shared edge, 1 and 2 the
    /// rest of the left and right squares.
    const TWO_SQUARES: &str = r#"{
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
        "objects": {"squares": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "Left"}},
            {"type": "MultiPolygon", "arcs": [[[2, -1]]], "properties": {"name": "Right"}},
            {"type": "Point", "coordinates": [0, 0]}
        ]}},
        "arcs": [
            [[2, 0], [0, 4]],
            [[2, 4], [-2, 0], [0, -4], [2, 0]],
            [[2, 0], [2, 0], [0, 4], [-2, 0]]
        ]
    }"#;

    #[test]
    fn arcs_are_undeltaed_and_unquantized() {
        let t = Topology::parse(TWO_SQUARES.as_bytes()).unwrap();
        let arcs = t.arcs();
        assert_eq!(arcs[0], vec![[11.0, 20.0], [11.0, 21.0]]);
        assert_eq!(arcs[1][2], [10.0, 20.0]);
    }

    #[test]
    fn rings_join_arcs_and_walk_reversed_ones_backwards() {
        let t = Topology::parse(TWO_SQUARES.as_bytes()).unwrap();
        let f = t.features("squares").unwrap();
        assert_eq!(f.len(), 2, "the point is not an area");
        assert_eq!(f[0].name, "Left");
        let left = &f[0].polygons[0][0];
        assert_eq!(
            left,
            &vec![
                [11.0, 20.0],
                [11.0, 21.0],
                [10.0, 21.0],
                [10.0, 20.0],
                [11.0, 20.0]
            ]
        );
        let right = &f[1].polygons[0][0];
        assert_eq!(right.first(), right.last(), "closed");
        assert_eq!(right.len(), 5);
        assert_eq!(right[3], [11.0, 21.0]);
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(matches!(
            Topology::parse(b"{\"type\": 3}"),
            Err(TopoError::Json(_))
        ));
        let t = Topology::parse(TWO_SQUARES.as_bytes()).unwrap();
        assert!(matches!(t.features("land"), Err(TopoError::NoObject(_))));
        let bad = TWO_SQUARES.replace("[[0, 1]]", "[[0, 7]]");
        let t = Topology::parse(bad.as_bytes()).unwrap();
        assert!(matches!(
            t.features("squares"),
            Err(TopoError::BadArc { arc: 7, .. })
        ));
    }
}

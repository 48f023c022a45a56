//! Each event's place on the map, built once per store: world x and y as
//! f32 (projected once, so that clustering a million events does no
//! trigonometry), NaN for events without coordinates, and how uncertain
//! the place is, as a radius in kilometres (drawn as a halo).

use std::collections::HashMap;

use super::projection::lonlat_to_world;
use crate::store::{EventIx, Store};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Locations {
    /// World coordinates; NaN when the event has no location.
    pub x: Vec<f32>,
    pub y: Vec<f32>,
    /// Radius of the place's uncertainty in kilometres (0: exact or unknown).
    pub halo_km: Vec<u16>,
    /// Events without coordinates.
    pub unlocated: usize,
    /// World box of the located events (for fitting the map).
    pub bounds: Option<([f32; 2], [f32; 2])>,
}

impl Locations {
    pub fn build(store: &Store) -> Locations {
        let n = store.len();
        let mut l = Locations {
            x: Vec::with_capacity(n),
            y: Vec::with_capacity(n),
            halo_km: Vec::with_capacity(n),
            unlocated: 0,
            bounds: None,
        };
        let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
        // A dataset has a handful of distinct precision texts: read each once.
        let mut radii: HashMap<&str, u16> = HashMap::new();
        for ix in 0..n as crate::store::EventIx {
            let coords = store.lon_lat(ix);
            match coords.filter(|(lon, lat)| lon.is_finite() && lat.is_finite()) {
                Some((lon, lat)) => {
                    let w = lonlat_to_world(lon, lat);
                    let (x, y) = (w[0] as f32, w[1] as f32);
                    lo = [lo[0].min(x), lo[1].min(y)];
                    hi = [hi[0].max(x), hi[1].max(y)];
                    l.x.push(x);
                    l.y.push(y);
                    let km = match store.place_precision(ix) {
                        Some(text) => *radii.entry(text).or_insert_with(|| halo_km(text)),
                        None => 0,
                    };
                    l.halo_km.push(km);
                }
                None => {
                    l.unlocated += 1;
                    l.x.push(f32::NAN);
                    l.y.push(f32::NAN);
                    l.halo_km.push(0);
                }
            }
        }
        if l.unlocated < n {
            l.bounds = Some((lo, hi));
        }
        l
    }

    /// World position of event `ix`, if it has one.
    pub fn get(&self, ix: EventIx) -> Option<[f32; 2]> {
        let i = ix as usize;
        let (x, y) = (*self.x.get(i)?, *self.y.get(i)?);
        (!x.is_nan()).then_some([x, y])
    }

    #[cfg(test)]
    fn located(&self) -> usize {
        self.x.len() - self.unlocated
    }
}

/// How far from its coordinates an event may have happened, read from the
/// importers' precision words (ACLED `geo_precision`, UCDP `where_prec`,
/// GDELT's geo type), in kilometres.
pub fn halo_km(precision: &str) -> u16 {
    let p = precision.to_ascii_lowercase();
    let has = |w: &str| p.contains(w);
    if has("exact") || has("town or exact") || has("city") {
        0
    } else if has("near a town") {
        // ACLED 2: near a town or part of a region.
        15
    } else if has("within 25 km") {
        25
    } else if has("district") {
        50
    } else if has("larger region") {
        // ACLED 3.
        75
    } else if has("province") || has("state") {
        150
    } else if has("vague") || has("larger area") || has("water") {
        250
    } else if has("country") {
        400
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::ucdp;
    use crate::model::{Event, FuzzyDate, Place, When};
    use crate::table::Dataset;

    #[test]
    fn precision_words_become_radii() {
        // The importers' own words, so a renamed code cannot slip by.
        assert_eq!(halo_km("1: town or exact place"), 0);
        assert_eq!(halo_km(&ucdp::where_prec_words("1")), 0);
        assert_eq!(halo_km(&ucdp::where_prec_words("2")), 25);
        assert_eq!(halo_km(&ucdp::where_prec_words("4")), 150);
        assert_eq!(halo_km(&ucdp::where_prec_words("6")), 400);
        assert_eq!(halo_km("2: near a town or part of a region"), 15);
        assert_eq!(halo_km("3: larger region"), 75);
        assert_eq!(halo_km("world city"), 0);
        assert_eq!(halo_km("country"), 400);
        assert_eq!(halo_km("whatever"), 0);
    }

    #[test]
    fn events_without_coordinates_are_counted() {
        let day = FuzzyDate::parse("2022-08-03").unwrap();
        let mut located = Event::new("a", "A", "clash", When::point(day));
        located.place = Some(Place {
            name: "Lachin".into(),
            lat: Some(39.64),
            lon: Some(46.55),
            precision: Some("2: near a town or part of a region".into()),
            ..Place::default()
        });
        let mut named_only = Event::new("b", "B", "clash", When::point(day));
        named_only.place = Some(Place {
            name: "Somewhere".into(),
            ..Place::default()
        });
        let bare = Event::new("c", "C", "clash", When::point(day));
        let store = Store::build(Dataset {
            events: vec![located, named_only, bare].into(),
            ..Dataset::default()
        });
        let l = Locations::build(&store);
        assert_eq!(l.unlocated, 2);
        assert_eq!(l.located(), 1);
        let ix = store.find_id("a").unwrap();
        let w = l.get(ix).unwrap();
        let back = crate::geo::world_to_lonlat([w[0] as f64, w[1] as f64]);
        assert!((back.0 - 46.55).abs() < 1e-4 && (back.1 - 39.64).abs() < 1e-4);
        assert_eq!(l.halo_km[ix as usize], 15);
        assert!(l.get(store.find_id("b").unwrap()).is_none());
        assert_eq!(l.bounds.unwrap().0, w);
    }
}

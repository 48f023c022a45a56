//! Web Mercator: longitude and latitude onto a unit "world" square
//! (x right from 180° W, y down from the north edge at 85.05° N), and a
//! view that maps the world square onto the screen with zoom and pan.
//!
//! World coordinates are f64 so that a street-level zoom over the whole
//! world keeps sub-pixel precision; the per-event columns store f32 (a
//! world unit of 1/2^24 is about 2.4 m at the equator, fine for dots).

use std::f64::consts::PI;

/// Latitudes beyond this are clamped: Web Mercator's square world.
pub const MAX_LAT: f64 = 85.051_128_779_806_59;

/// Pixels per world unit at the closest zoom (about 0.6 m per pixel).
pub const MAX_SCALE: f64 = 256.0 * (1u64 << 18) as f64;

/// Longitude and latitude (degrees) to world coordinates in `[0, 1]`.
pub fn lonlat_to_world(lon: f64, lat: f64) -> [f64; 2] {
    let lon = lon.clamp(-180.0, 180.0);
    let lat = lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / PI) / 2.0;
    [x, y.clamp(0.0, 1.0)]
}

/// World coordinates back to longitude and latitude (degrees).
pub fn world_to_lonlat(w: [f64; 2]) -> (f64, f64) {
    let lon = w[0] * 360.0 - 180.0;
    let n = PI * (1.0 - 2.0 * w[1]);
    let lat = n.sinh().atan().to_degrees();
    (lon, lat)
}

/// Kilometres per world unit along a parallel at world height `y`.
pub fn km_per_world(y: f64) -> f64 {
    const EQUATOR_KM: f64 = 40_075.017;
    let (_, lat) = world_to_lonlat([0.5, y]);
    EQUATOR_KM * lat.to_radians().cos()
}

/// Which part of the world the map shows, and where on screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapView {
    /// The world point at the centre of the screen rectangle.
    pub center: [f64; 2],
    /// Pixels per world unit.
    pub scale: f64,
    /// Screen rectangle: left-top corner and size, in points.
    pub origin: [f32; 2],
    pub size: [f32; 2],
}

impl MapView {
    /// The whole world fitted into the screen rectangle.
    pub fn new(origin: [f32; 2], size: [f32; 2]) -> MapView {
        let mut v = MapView {
            center: [0.5, 0.5],
            scale: 1.0,
            origin,
            size,
        };
        v.fit([0.0, 0.0], [1.0, 1.0], 0.0);
        v
    }

    /// The smallest scale: the whole world fits with room to spare.
    pub fn min_scale(&self) -> f64 {
        (self.size[0].min(self.size[1]) as f64 * 0.8).max(1.0)
    }

    /// The same view on a new screen rectangle (the panel resized): the
    /// centre and the scale stay.
    pub fn resized(mut self, origin: [f32; 2], size: [f32; 2]) -> MapView {
        self.origin = origin;
        self.size = size;
        self.clamp();
        self
    }

    pub fn to_screen(self, w: [f64; 2]) -> [f32; 2] {
        [
            (self.origin[0] as f64
                + self.size[0] as f64 / 2.0
                + (w[0] - self.center[0]) * self.scale) as f32,
            (self.origin[1] as f64
                + self.size[1] as f64 / 2.0
                + (w[1] - self.center[1]) * self.scale) as f32,
        ]
    }

    pub fn to_world(self, s: [f32; 2]) -> [f64; 2] {
        [
            self.center[0]
                + (s[0] as f64 - self.origin[0] as f64 - self.size[0] as f64 / 2.0) / self.scale,
            self.center[1]
                + (s[1] as f64 - self.origin[1] as f64 - self.size[1] as f64 / 2.0) / self.scale,
        ]
    }

    /// Zoom by `factor` keeping the world point under `at` in place
    /// (until a zoom limit or the world's edge stops it).
    pub fn zoom_at(&mut self, at: [f32; 2], factor: f64) {
        let before = self.to_world(at);
        self.scale = (self.scale * factor).clamp(self.min_scale(), MAX_SCALE);
        let after = self.to_world(at);
        self.center[0] += before[0] - after[0];
        self.center[1] += before[1] - after[1];
        self.clamp();
    }

    /// Move the map by a screen distance (a drag of `d` points).
    pub fn pan(&mut self, d: [f32; 2]) {
        self.center[0] -= d[0] as f64 / self.scale;
        self.center[1] -= d[1] as f64 / self.scale;
        self.clamp();
    }

    /// Show the world box `[min, max]`, with `margin` (a fraction of its
    /// size) around it; a single point is shown at a city-sized zoom.
    pub fn fit(&mut self, min: [f64; 2], max: [f64; 2], margin: f64) {
        let w = (max[0] - min[0]).abs().max(1e-4) * (1.0 + 2.0 * margin);
        let h = (max[1] - min[1]).abs().max(1e-4) * (1.0 + 2.0 * margin);
        self.center = [(min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0];
        let sx = self.size[0].max(1.0) as f64 / w;
        let sy = self.size[1].max(1.0) as f64 / h;
        self.scale = sx.min(sy).clamp(self.min_scale(), MAX_SCALE);
        self.clamp();
    }

    /// Keep the scale within limits and the centre on the world.
    fn clamp(&mut self) {
        self.scale = self.scale.clamp(self.min_scale(), MAX_SCALE);
        self.center[0] = self.center[0].clamp(0.0, 1.0);
        self.center[1] = self.center[1].clamp(0.0, 1.0);
    }

    /// The world box on screen: `(min, max)`.
    pub fn visible_world(&self) -> ([f64; 2], [f64; 2]) {
        let a = self.to_world(self.origin);
        let b = self.to_world([self.origin[0] + self.size[0], self.origin[1] + self.size[1]]);
        (a, b)
    }

    /// The clustering grid level for cells of at least `cell_px` points:
    /// cells are `1 / 2^level` world units wide, so between `cell_px` and
    /// `2 * cell_px` on screen. Aligned to the world, not to the screen,
    /// so panning never moves an event to another cell.
    pub fn cluster_level(&self, cell_px: f64) -> u32 {
        let k = (self.scale / cell_px.max(1.0)).log2().floor();
        k.clamp(0.0, cluster_max_level() as f64) as u32
    }
}

/// Finest clustering level (cells of about 2.4 m): past it every event
/// of a cell shares its place to f32 precision.
pub const fn cluster_max_level() -> u32 {
    24
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn view() -> MapView {
        MapView::new([100.0, 50.0], [800.0, 600.0])
    }

    #[test]
    fn known_places() {
        let w = lonlat_to_world(0.0, 0.0);
        assert!((w[0] - 0.5).abs() < 1e-12 && (w[1] - 0.5).abs() < 1e-12);
        assert_eq!(lonlat_to_world(-180.0, MAX_LAT)[0], 0.0);
        assert!(lonlat_to_world(-180.0, MAX_LAT)[1].abs() < 1e-9);
        // Beyond the edge is clamped, not infinite.
        assert!(lonlat_to_world(10.0, 90.0)[1].abs() < 1e-9);
        assert!((lonlat_to_world(10.0, -90.0)[1] - 1.0).abs() < 1e-9);
        // Stepanakert is north-east of the middle.
        let s = lonlat_to_world(46.75, 39.82);
        assert!(s[0] > 0.5 && s[1] < 0.5);
    }

    #[test]
    fn kilometres_shrink_towards_the_poles() {
        assert!((km_per_world(0.5) - 40_075.0).abs() < 1.0);
        let at60 = lonlat_to_world(0.0, 60.0)[1];
        assert!((km_per_world(at60) - 20_037.5).abs() < 1.0);
    }

    #[test]
    fn the_world_fits_at_first() {
        let v = view();
        let (a, b) = v.visible_world();
        assert!(a[0] <= 0.0 && a[1] <= 0.0 && b[0] >= 1.0 && b[1] >= 1.0);
        assert_eq!(v.to_screen([0.5, 0.5]), [500.0, 350.0]);
    }

    #[test]
    fn zoom_keeps_the_point_under_the_pointer() {
        let mut v = view();
        v.zoom_at([500.0, 350.0], 64.0);
        let at = [612.0, 288.0];
        let w = v.to_world(at);
        v.zoom_at(at, 3.0);
        let s = v.to_screen(w);
        assert!((s[0] - at[0]).abs() < 1e-3 && (s[1] - at[1]).abs() < 1e-3);
        // Zooming far out stops at the whole world.
        v.zoom_at(at, 1e-9);
        assert_eq!(v.scale, v.min_scale());
        v.zoom_at(at, 1e30);
        assert_eq!(v.scale, MAX_SCALE);
    }

    #[test]
    fn pan_moves_the_world_with_the_pointer() {
        let mut v = view();
        v.zoom_at([500.0, 350.0], 16.0);
        let w = v.to_world([400.0, 300.0]);
        v.pan([30.0, -20.0]);
        let s = v.to_screen(w);
        assert!((s[0] - 430.0).abs() < 1e-3 && (s[1] - 280.0).abs() < 1e-3);
        // The centre cannot leave the world.
        v.pan([1e9, 1e9]);
        assert_eq!(v.center, [0.0, 0.0]);
    }

    #[test]
    fn fit_shows_the_box() {
        let mut v = view();
        let (a, b) = (lonlat_to_world(44.0, 41.5), lonlat_to_world(51.0, 38.0));
        v.fit(a, b, 0.1);
        let (min, max) = v.visible_world();
        assert!(min[0] <= a[0] && min[1] <= a[1] && max[0] >= b[0] && max[1] >= b[1]);
        // Tight: the box fills one of the screen's dimensions.
        let sa = v.to_screen(a);
        let sb = v.to_screen(b);
        assert!((sb[0] - sa[0]) > 600.0 || (sb[1] - sa[1]) > 450.0);
    }

    #[test]
    fn cluster_cells_are_between_one_and_two_cell_sizes() {
        let mut v = view();
        for _ in 0..30 {
            let level = v.cluster_level(40.0);
            let cell_px = v.scale / (1u64 << level) as f64;
            if level > 0 && level < cluster_max_level() {
                assert!((40.0..80.0).contains(&cell_px), "{cell_px} at {level}");
            }
            v.zoom_at([500.0, 350.0], 1.7);
        }
    }

    proptest! {
        #[test]
        fn lonlat_round_trips(lon in -180.0f64..180.0, lat in -85.0f64..85.0) {
            let (lon2, lat2) = world_to_lonlat(lonlat_to_world(lon, lat));
            prop_assert!((lon - lon2).abs() < 1e-9 && (lat - lat2).abs() < 1e-9);
        }

        #[test]
        fn screen_round_trips(x in 0.0f32..800.0, y in 0.0f32..600.0, zoom in 0.0f64..18.0) {
            let mut v = view();
            v.zoom_at([500.0, 350.0], 2f64.powf(zoom));
            let s = [100.0 + x, 50.0 + y];
            let back = v.to_screen(v.to_world(s));
            prop_assert!((back[0] - s[0]).abs() < 1e-2 && (back[1] - s[1]).abs() < 1e-2);
        }
    }
}

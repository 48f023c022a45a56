//! The time ↔ screen transform: a small `Copy` value, pure and tested.
//!
//! Time is `i64` seconds; the left edge keeps an `i64` whole second plus an
//! `f64` fraction, so a minute-wide view of a date a century away is as
//! exact as one of today (an `f32` here would jitter by hours).

use crate::model::Instant;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeAxis {
    /// Whole second at the left edge...
    origin: Instant,
    /// ...plus this fraction of a second, in `[0, 1)`.
    frac: f64,
    /// Pixels per second.
    scale: f64,
    left: f32,
    width: f32,
}

/// Shortest view: about a minute across the screen.
pub const MIN_VISIBLE_SECONDS: f64 = 60.0;

impl TimeAxis {
    /// A view showing `[t0, t1]` across `width` pixels starting at `left`.
    pub fn fit(left: f32, width: f32, t0: Instant, t1: Instant) -> TimeAxis {
        let width = width.max(1.0);
        let span = ((t1 as f64) - (t0 as f64)).max(MIN_VISIBLE_SECONDS);
        let mut axis = TimeAxis {
            origin: t0,
            frac: 0.0,
            scale: width as f64 / span,
            left,
            width,
        };
        // Centre the range when it was shorter than the minimum.
        let mid = (t0 as f64 + t1 as f64) / 2.0;
        axis.set_center(mid);
        axis
    }

    /// `[t0, t1]` with room before and after, as fractions of the span.
    pub fn fit_padded(
        left: f32,
        width: f32,
        t0: Instant,
        t1: Instant,
        before: f64,
        after: f64,
    ) -> TimeAxis {
        let span = ((t1 - t0) as f64).max(MIN_VISIBLE_SECONDS);
        TimeAxis::fit(
            left,
            width,
            t0.saturating_sub((span * before) as i64),
            t1.saturating_add((span * after) as i64),
        )
    }

    /// `[t0, t1]` with `margin` (a fraction of the span) on both sides.
    pub fn fit_with_margin(
        left: f32,
        width: f32,
        t0: Instant,
        t1: Instant,
        margin: f64,
    ) -> TimeAxis {
        TimeAxis::fit_padded(left, width, t0, t1, margin, margin)
    }

    /// `[t0, t1]` with `margin` on the left and four times as much on the
    /// right, where the labels of the latest events need room.
    pub fn fit_for_labels(
        left: f32,
        width: f32,
        t0: Instant,
        t1: Instant,
        margin: f64,
    ) -> TimeAxis {
        TimeAxis::fit_padded(left, width, t0, t1, margin, 4.0 * margin)
    }

    pub fn left(&self) -> f32 {
        self.left
    }

    pub fn width(&self) -> f32 {
        self.width
    }

    pub fn right(&self) -> f32 {
        self.left + self.width
    }

    /// Pixels per second.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    pub fn seconds_per_pixel(&self) -> f64 {
        1.0 / self.scale
    }

    /// The same view in another screen rectangle (a resized window).
    pub fn with_screen(mut self, left: f32, width: f32) -> TimeAxis {
        self.left = left;
        self.width = width.max(1.0);
        self
    }

    /// The same time range in another screen rectangle: a resized window
    /// or a panel opening shows the same span, squeezed or stretched,
    /// rather than cutting off its end.
    pub fn resized(mut self, left: f32, width: f32) -> TimeAxis {
        let width = width.max(1.0);
        self.scale *= width as f64 / self.width as f64;
        self.left = left;
        self.width = width;
        self
    }

    /// Seconds from the left edge to `t`, exactly as far as f64 allows.
    fn offset_of(&self, t: Instant) -> f64 {
        (t as i128 - self.origin as i128) as f64 - self.frac
    }

    pub fn x_of(&self, t: Instant) -> f32 {
        self.left + (self.offset_of(t) * self.scale) as f32
    }

    /// The time at screen `x` as whole seconds plus a fraction in `[0, 1)`.
    pub fn t_of_precise(&self, x: f32) -> (Instant, f64) {
        let secs = ((x - self.left) as f64) / self.scale + self.frac;
        let whole = secs.floor();
        (self.origin.saturating_add(whole as i64), secs - whole)
    }

    /// The whole second at screen `x` (rounded down).
    pub fn t_of(&self, x: f32) -> Instant {
        self.t_of_precise(x).0
    }

    /// First and last second in view.
    pub fn visible(&self) -> (Instant, Instant) {
        (
            self.t_of(self.left),
            self.t_of(self.right()).saturating_add(1),
        )
    }

    /// Time at the centre as an f64 (for animation and display).
    pub fn center(&self) -> f64 {
        let (t, f) = self.t_of_precise(self.left + self.width / 2.0);
        t as f64 + f
    }

    fn set_center(&mut self, center: f64) {
        let left = center - (self.width as f64 / 2.0) / self.scale;
        let whole = left.floor();
        self.origin = whole as i64;
        self.frac = left - whole;
    }

    /// Put `t` at the centre, exactly (screen x of a far-away time is an
    /// f32 and too coarse to pan by).
    pub fn center_on(&mut self, t: Instant) {
        let half = (self.width as f64 / 2.0) / self.scale;
        let whole = half.floor();
        self.origin = t.saturating_sub(whole as i64);
        self.frac = 1.0 - (half - whole);
        if self.frac >= 1.0 {
            self.frac = 0.0;
        } else {
            self.origin -= 1;
        }
    }

    /// Move the content by `dx` pixels (positive: content moves right, so
    /// earlier times come into view).
    pub fn pan(&mut self, dx: f32) {
        let secs = -(dx as f64) / self.scale + self.frac;
        let whole = secs.floor();
        self.origin = self.origin.saturating_add(whole as i64);
        self.frac = secs - whole;
    }

    /// Zoom by `factor` (> 1 zooms in) keeping the time under `x` under `x`.
    pub fn zoom_at(&mut self, x: f32, factor: f64) {
        if !(factor.is_finite() && factor > 0.0) {
            return;
        }
        let (t, f) = self.t_of_precise(x);
        self.scale *= factor;
        // New left edge = t + f - (x - left) / scale, kept as whole + fraction.
        let back = f - ((x - self.left) as f64) / self.scale;
        let whole = back.floor();
        self.origin = t.saturating_add(whole as i64);
        self.frac = back - whole;
    }

    /// Keep the scale within `[min_scale, max_scale]`, zooming about `x`.
    pub fn clamp_scale(&mut self, x: f32, min_scale: f64, max_scale: f64) {
        if self.scale < min_scale {
            self.zoom_at(x, min_scale / self.scale);
        } else if self.scale > max_scale {
            self.zoom_at(x, max_scale / self.scale);
        }
    }

    /// Pixels per second at which `[t0, t1]` plus `margin` fills the width:
    /// the farthest one may zoom out.
    pub fn min_scale_for(&self, t0: Instant, t1: Instant, margin: f64) -> f64 {
        let span = ((t1 - t0) as f64).max(MIN_VISIBLE_SECONDS) * (1.0 + 2.0 * margin);
        self.width as f64 / span
    }

    /// The closest zoom: about a minute across the screen.
    pub fn max_scale(&self) -> f64 {
        self.width as f64 / MIN_VISIBLE_SECONDS
    }

    /// Interpolate between two views for short animations: the centre
    /// moves linearly and the scale geometrically, so zooms feel even.
    pub fn lerp(a: &TimeAxis, b: &TimeAxis, s: f64) -> TimeAxis {
        let s = s.clamp(0.0, 1.0);
        let scale = (a.scale.ln() + (b.scale.ln() - a.scale.ln()) * s).exp();
        let center = a.center() + (b.center() - a.center()) * s;
        let mut out = TimeAxis { scale, ..*b };
        out.set_center(center);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FuzzyDate;

    fn t(text: &str) -> Instant {
        FuzzyDate::parse(text).unwrap().earliest
    }

    #[test]
    fn fit_maps_the_range_to_the_edges() {
        let a = TimeAxis::fit(100.0, 1000.0, t("2022-08-01"), t("2022-08-11"));
        assert!((a.x_of(t("2022-08-01")) - 100.0).abs() < 1e-3);
        assert!((a.x_of(t("2022-08-11")) - 1100.0).abs() < 1e-3);
        assert!((a.x_of(t("2022-08-06")) - 600.0).abs() < 1e-3);
    }

    #[test]
    fn minute_zoom_a_century_away_is_exact() {
        // A view one minute wide in 2025, reached from a view of 1925-2025.
        let mut a = TimeAxis::fit(0.0, 1200.0, t("1925-01-01"), t("2025-01-01"));
        let target = t("2025-01-01T12:00:30");
        let factor = (100.0 * 365.25 * 86_400.0) / 60.0;
        a.center_on(target);
        a.zoom_at(600.0, factor);
        // One second is 20 px: neighbouring seconds are exactly 20 px apart.
        let x0 = a.x_of(target);
        let x1 = a.x_of(target + 1);
        assert!((x0 - 600.0).abs() < 0.01, "{x0}");
        assert!((x1 - x0 - 20.0).abs() < 0.01, "{}", x1 - x0);
        assert_eq!(a.t_of(x0 + 0.5), target);
        // And far from the view, positions stay finite and ordered.
        assert!(a.x_of(t("1925-01-01")) < a.x_of(t("1926-01-01")));
    }

    #[test]
    fn zoom_keeps_the_time_under_the_pointer() {
        let mut a = TimeAxis::fit(0.0, 800.0, t("2020-01-01"), t("2023-01-01"));
        let x = 333.3;
        let before = a.t_of_precise(x);
        for factor in [1.7, 13.0, 0.2, 250.0, 0.001] {
            a.zoom_at(x, factor);
            let after = a.t_of_precise(x);
            let drift = (after.0 - before.0) as f64 + (after.1 - before.1);
            assert!(
                drift.abs() < 1e-3 * a.seconds_per_pixel().max(1.0),
                "drift {drift}"
            );
        }
    }

    #[test]
    fn pan_moves_content_by_pixels() {
        let mut a = TimeAxis::fit(0.0, 1000.0, t("2022-01-01"), t("2022-01-11"));
        let day = t("2022-01-05");
        let x = a.x_of(day);
        a.pan(37.25);
        assert!((a.x_of(day) - x - 37.25).abs() < 1e-3);
        // Many tiny pans add up without drift.
        for _ in 0..10_000 {
            a.pan(-0.01);
        }
        assert!((a.x_of(day) - x - 37.25 + 100.0).abs() < 1e-2);
    }

    #[test]
    fn scale_limits_hold() {
        let mut a = TimeAxis::fit(0.0, 600.0, t("2022-08-05T12:00"), t("2022-08-05T12:00:10"));
        // A 10-second request is widened to the one-minute minimum.
        assert!((a.scale() - a.max_scale()).abs() < 1e-9);
        a.zoom_at(300.0, 1e-12);
        let min = a.min_scale_for(t("2020"), t("2023"), 0.05);
        a.clamp_scale(300.0, min, a.max_scale());
        assert!((a.scale() - min).abs() / min < 1e-9);
    }

    #[test]
    fn resizing_keeps_the_time_range() {
        let a = TimeAxis::fit(0.0, 1000.0, t("2020-01-01"), t("2021-01-01"));
        let b = a.resized(200.0, 600.0);
        assert_eq!(a.visible(), b.visible());
        assert!((b.x_of(t("2020-01-01")) - 200.0).abs() < 1e-3);
        assert!((b.x_of(t("2021-01-01")) - 800.0).abs() < 1e-3);
    }

    #[test]
    fn lerp_ends_at_both_views() {
        let a = TimeAxis::fit(0.0, 500.0, t("2020"), t("2022"));
        let b = TimeAxis::fit(0.0, 500.0, t("2022-08-01"), t("2022-08-08"));
        let start = TimeAxis::lerp(&a, &b, 0.0);
        let end = TimeAxis::lerp(&a, &b, 1.0);
        assert!((start.scale() / a.scale() - 1.0).abs() < 1e-9);
        assert!((end.x_of(t("2022-08-01")) - 0.0).abs() < 1e-2);
    }
}

//! Histogram bins: events per day, week, month or year, stacked by kind.
//!
//! Built from one sorted list of anchors per kind (of the events the filter
//! shows, made once per filter run), so a frame's bins cost one binary
//! search per bin edge and kind, not a pass over the events.

use chrono::{Datelike, NaiveDate};

use crate::model::Instant;
use crate::model::date::{DAY, WEEK, from_instant, to_instant};
use crate::store::{EventIx, Store};

/// The width of a bin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BinUnit {
    Day,
    Week,
    Month,
    Year,
}

impl BinUnit {
    pub const ALL: [BinUnit; 4] = [BinUnit::Day, BinUnit::Week, BinUnit::Month, BinUnit::Year];

    /// Rough length in seconds (for choosing a unit).
    pub fn seconds(self) -> f64 {
        match self {
            BinUnit::Day => DAY as f64,
            BinUnit::Week => WEEK as f64,
            BinUnit::Month => 30.44 * DAY as f64,
            BinUnit::Year => 365.25 * DAY as f64,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            BinUnit::Day => "day",
            BinUnit::Week => "week",
            BinUnit::Month => "month",
            BinUnit::Year => "year",
        }
    }

    /// The finest unit whose bins are at least `min_px` wide at this zoom.
    pub fn for_zoom(seconds_per_pixel: f64, min_px: f64) -> BinUnit {
        BinUnit::ALL
            .into_iter()
            .find(|u| u.seconds() / seconds_per_pixel.max(1e-9) >= min_px)
            .unwrap_or(BinUnit::Year)
    }

    /// Start of the bin holding `t`.
    pub fn floor(self, t: Instant) -> Instant {
        let day = t.div_euclid(DAY) * DAY;
        match self {
            BinUnit::Day => day,
            // 1 January 1970 was a Thursday: weeks start on Monday.
            BinUnit::Week => day - (t.div_euclid(DAY) + 3).rem_euclid(7) * DAY,
            BinUnit::Month | BinUnit::Year => {
                let Some(d) = from_instant(t).map(|d| d.date()) else {
                    return day;
                };
                let month = if self == BinUnit::Year { 1 } else { d.month() };
                NaiveDate::from_ymd_opt(d.year(), month, 1)
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map_or(day, to_instant)
            }
        }
    }

    /// Start of the bin after the one starting at `start`.
    pub fn next(self, start: Instant) -> Instant {
        match self {
            BinUnit::Day => start + DAY,
            BinUnit::Week => start + WEEK,
            BinUnit::Month | BinUnit::Year => {
                let Some(d) = from_instant(start).map(|d| d.date()) else {
                    return start + DAY;
                };
                let (y, m) = match self {
                    BinUnit::Year => (d.year() + 1, 1),
                    _ if d.month() == 12 => (d.year() + 1, 1),
                    _ => (d.year(), d.month() + 1),
                };
                NaiveDate::from_ymd_opt(y, m, 1)
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map_or(start + DAY, to_instant)
            }
        }
    }
}

/// The anchors of the shown events, one sorted list per kind.
#[derive(Clone, Debug, Default)]
pub struct KindAnchors {
    pub per_kind: Vec<Vec<Instant>>,
}

impl KindAnchors {
    /// `shown`: the events the filter shows, in store (time) order; `None`
    /// for all.
    pub fn build(store: &Store, shown: Option<&[EventIx]>) -> KindAnchors {
        let mut per_kind = vec![Vec::new(); store.kinds.len()];
        let mut push = |i: usize| {
            if let Some(v) = per_kind.get_mut(store.kind[i] as usize) {
                v.push(store.anchor[i]);
            }
        };
        match shown {
            Some(ixs) => ixs.iter().for_each(|&i| push(i as usize)),
            None => (0..store.len()).for_each(&mut push),
        }
        KindAnchors { per_kind }
    }
}

/// Counts per bin, stacked by kind.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bins {
    pub unit: Option<BinUnit>,
    /// `edges[b]..edges[b + 1]` is bin `b`.
    pub edges: Vec<Instant>,
    /// `counts[b * kinds + k]`: events of kind `k` in bin `b`.
    pub counts: Vec<u32>,
    pub kinds: usize,
    /// The largest bin total.
    pub max_total: u32,
}

impl Bins {
    pub fn len(&self) -> usize {
        self.edges.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn bin(&self, b: usize) -> &[u32] {
        &self.counts[b * self.kinds..(b + 1) * self.kinds]
    }

    pub fn total(&self, b: usize) -> u32 {
        self.bin(b).iter().sum()
    }
}

/// Most bins a histogram will have; a finer unit is coarsened to stay under.
pub const MAX_BINS: usize = 4000;

/// Bins of `unit` covering `[t0, t1]`.
pub fn bins(anchors: &KindAnchors, unit: BinUnit, t0: Instant, t1: Instant) -> Bins {
    let mut unit = unit;
    while unit != BinUnit::Year && (t1 - t0) as f64 / unit.seconds() > MAX_BINS as f64 {
        unit = BinUnit::ALL[(unit as usize + 1).min(3)];
    }
    let mut edges = vec![unit.floor(t0)];
    while let Some(&last) = edges.last() {
        if last > t1 || edges.len() > MAX_BINS + 1 {
            break;
        }
        edges.push(unit.next(last));
    }
    let kinds = anchors.per_kind.len();
    let n = edges.len().saturating_sub(1);
    let mut counts = vec![0u32; n * kinds];
    for (k, list) in anchors.per_kind.iter().enumerate() {
        if list.is_empty() {
            continue;
        }
        let mut prev = list.partition_point(|&a| a < edges[0]);
        for (b, &end) in edges.iter().skip(1).enumerate() {
            let next = list.partition_point(|&a| a < end);
            counts[b * kinds + k] = (next - prev) as u32;
            prev = next;
        }
    }
    let max_total = (0..n)
        .map(|b| counts[b * kinds..(b + 1) * kinds].iter().sum::<u32>())
        .max()
        .unwrap_or(0);
    Bins {
        unit: Some(unit),
        edges,
        counts,
        kinds,
        max_total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testdata::{ev, store, t};

    #[test]
    fn units_floor_to_calendar_boundaries() {
        let x = t("2022-08-03T15:00");
        assert_eq!(BinUnit::Day.floor(x), t("2022-08-03"));
        assert_eq!(BinUnit::Week.floor(x), t("2022-08-01")); // a Monday
        assert_eq!(BinUnit::Month.floor(x), t("2022-08-01"));
        assert_eq!(BinUnit::Year.floor(x), t("2022-01-01"));
        assert_eq!(BinUnit::Month.next(t("2022-12-01")), t("2023-01-01"));
        assert_eq!(BinUnit::Year.next(t("2022-01-01")), t("2023-01-01"));
        assert_eq!(BinUnit::for_zoom(DAY as f64 / 10.0, 4.0), BinUnit::Day);
        assert_eq!(BinUnit::for_zoom(DAY as f64, 4.0), BinUnit::Week);
        assert_eq!(BinUnit::for_zoom(40.0 * DAY as f64, 4.0), BinUnit::Year);
    }

    #[test]
    fn counts_per_bin_and_kind_follow_the_shown_events() {
        let s = store(vec![
            ev("a", "clash", "2022-08-01", None, &[], None),
            ev("b", "clash", "2022-08-01", None, &[], None),
            ev("c", "call", "2022-08-02", None, &[], None),
            ev("d", "call", "2022-08-09", None, &[], None),
            ev("e", "clash", "2022-09-20", None, &[], None),
        ]);
        let clash = s.kinds.iter().position(|k| k.id == "clash").unwrap();
        let call = s.kinds.iter().position(|k| k.id == "call").unwrap();
        let all = KindAnchors::build(&s, None);
        let b = bins(&all, BinUnit::Week, t("2022-08-01"), t("2022-08-14"));
        assert_eq!(b.len(), 2);
        assert_eq!((b.bin(0)[clash], b.bin(0)[call]), (2, 1));
        assert_eq!((b.bin(1)[clash], b.bin(1)[call]), (0, 1));
        assert_eq!(b.max_total, 3);
        let m = bins(&all, BinUnit::Month, t("2022-08-01"), t("2022-09-30"));
        assert_eq!((m.total(0), m.total(1)), (4, 1));
        // Only what the filter shows: the calls.
        let calls: Vec<EventIx> = vec![s.find_id("c").unwrap(), s.find_id("d").unwrap()];
        let shown = KindAnchors::build(&s, Some(&calls));
        let f = bins(&shown, BinUnit::Week, t("2022-08-01"), t("2022-08-14"));
        assert_eq!((f.total(0), f.total(1)), (1, 1));
    }

    #[test]
    fn too_many_bins_coarsen_the_unit() {
        let all = KindAnchors::default();
        let b = bins(&all, BinUnit::Day, t("1900-01-01"), t("2000-01-01"));
        assert!(b.len() <= MAX_BINS);
        assert_ne!(b.unit, Some(BinUnit::Day));
    }
}

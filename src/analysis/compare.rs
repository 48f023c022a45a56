//! Compare the windows before, during and after a moment or a range.
//!
//! Precision-aware: an event is counted *certain* in a window when every
//! moment its dates allow puts it there, and *possible* when only some do
//! (a month-precision clash around a truce on the 10th, a span that may
//! begin before the window's edge). A possible event is never forced to a
//! side.

use super::truce::{POSSIBLE, REPORTED};
use super::{Extent, shown};
use crate::model::Instant;
use crate::model::date::DAY;
use crate::store::{EventIx, Store};

/// Fatalities of a set of events, as the sources give them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fatalities {
    /// Sum of each event's figure (best, else low, else high).
    pub best: u64,
    /// Sum of the lows (an event without a low counts its figure).
    pub low: u64,
    /// Sum of the highs (an event without a high counts its figure).
    pub high: u64,
    /// Some event gives a low but no high or best: the true high is open.
    pub open_high: bool,
    /// Events with any figure.
    pub events: usize,
}

impl Fatalities {
    fn add(&mut self, c: &crate::model::Casualties) {
        let Some(fig) = c.figure() else { return };
        self.best += fig;
        self.low += c.low.unwrap_or(fig);
        self.high += c.high.unwrap_or(fig);
        self.open_high |= c.high.is_none() && c.best.is_none();
        self.events += 1;
    }

    /// "6,500+", "3", "12 (8–15)".
    pub fn describe(&self) -> String {
        if self.events == 0 {
            return "0".into();
        }
        let n = thousands;
        if self.open_high && self.low == self.best {
            format!("{}+", n(self.best))
        } else if self.low != self.best || self.high != self.best {
            let high = if self.open_high {
                "…".to_string()
            } else {
                n(self.high)
            };
            format!("{} ({}–{high})", n(self.best), n(self.low))
        } else {
            n(self.best)
        }
    }
}

/// Counts in one window.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    pub from: Instant,
    /// Last moment of the window (inclusive).
    pub to: Instant,
    pub certain: usize,
    pub possible: usize,
    /// Per kind index: (certain, possible).
    pub kinds: Vec<(usize, usize)>,
    pub fatalities: Fatalities,
    /// Fatalities of the possible events (they may belong here).
    pub possible_fatalities: Fatalities,
    /// Per actor id: (certain, possible); only actors seen in the window.
    pub actors: Vec<(u32, usize, usize)>,
    /// Certain events that are possible / reported truce violations.
    pub possible_violations: usize,
    pub reported_violations: usize,
}

/// Before, during and after.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparison {
    pub before: Tally,
    pub during: Tally,
    pub after: Tally,
}

impl Comparison {
    /// Actors of any window, most active first: (id, before, during, after)
    /// certain counts.
    pub fn actor_rows(&self) -> Vec<(u32, [usize; 3])> {
        let mut rows: Vec<(u32, [usize; 3])> = Vec::new();
        for (w, t) in [&self.before, &self.during, &self.after].iter().enumerate() {
            for &(a, c, p) in &t.actors {
                if c + p == 0 {
                    continue;
                }
                match rows.iter_mut().find(|r| r.0 == a) {
                    Some(r) => r.1[w] = c,
                    None => {
                        let mut v = [0; 3];
                        v[w] = c;
                        rows.push((a, v));
                    }
                }
            }
        }
        rows.sort_by_key(|r| (std::cmp::Reverse(r.1.iter().sum::<usize>()), r.0));
        rows
    }
}

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// After minus before.
pub fn difference(before: usize, after: usize) -> i64 {
    after as i64 - before as i64
}

/// After over before, if before is not zero.
pub fn ratio(before: usize, after: usize) -> Option<f64> {
    (before > 0).then(|| after as f64 / before as f64)
}

fn tally(
    store: &Store,
    from: Instant,
    to: Instant,
    mask: Option<&[bool]>,
    violations: &[u8],
) -> Tally {
    let mut t = Tally {
        from,
        to,
        kinds: vec![(0, 0); store.kinds.len()],
        ..Tally::default()
    };
    let mut actors: Vec<(usize, usize)> = Vec::new();
    let mut seen: Vec<u32> = Vec::new();
    for ix in store.overlapping(from, to) {
        let i = ix as usize;
        if !shown(mask, i) {
            continue;
        }
        let x = Extent::of(store, i);
        let certain = x.certainly_in(from, to);
        if !certain && !x.possibly_in(from, to) {
            continue;
        }
        let k = store.kind[i] as usize;
        let casualties = store.casualties(ix);
        if certain {
            t.certain += 1;
            t.kinds[k].0 += 1;
            if let Some(c) = casualties {
                t.fatalities.add(c);
            }
            let f = violations.get(i).copied().unwrap_or(0);
            t.possible_violations += usize::from(f & POSSIBLE != 0);
            t.reported_violations += usize::from(f & REPORTED != 0);
        } else {
            t.possible += 1;
            t.kinds[k].1 += 1;
            if let Some(c) = casualties {
                t.possible_fatalities.add(c);
            }
        }
        for &a in store.event_actors.row(i) {
            let a = a as usize;
            if a >= actors.len() {
                actors.resize(store.actors.len().max(a + 1), (0, 0));
            }
            if actors[a] == (0, 0) {
                seen.push(a as u32);
            }
            if certain {
                actors[a].0 += 1;
            } else {
                actors[a].1 += 1;
            }
        }
    }
    t.actors = seen
        .into_iter()
        .map(|a| (a, actors[a as usize].0, actors[a as usize].1))
        .collect();
    t
}

/// Compare `days` before `[b0, b1]` with `days` after it, and `[b0, b1]`
/// itself. `mask`: the filter's visible events (`None`: all);
/// `violations`: per-event truce bits (may be empty).
pub fn compare(
    store: &Store,
    b0: Instant,
    b1: Instant,
    days: i64,
    mask: Option<&[bool]>,
    violations: &[u8],
) -> Comparison {
    let w = days.max(1).saturating_mul(DAY);
    let (b0, b1) = (b0.min(b1), b0.max(b1));
    Comparison {
        before: tally(
            store,
            b0.saturating_sub(w),
            b0.saturating_sub(1),
            mask,
            violations,
        ),
        during: tally(store, b0, b1, mask, violations),
        after: tally(
            store,
            b1.saturating_add(1),
            b1.saturating_add(w),
            mask,
            violations,
        ),
    }
}

/// The boundary of a comparison around an event: its own dates.
pub fn boundary_of(store: &Store, ix: EventIx) -> Option<(Instant, Instant)> {
    let i = ix as usize;
    Some((*store.earliest.get(i)?, *store.latest.get(i)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testdata::{ev, store, t, t_end};
    use crate::model::Role::{SideA, SideB};

    fn sample() -> Store {
        store(vec![
            ev(
                "b1",
                "clash",
                "2020-11-01",
                None,
                &[("A", SideA), ("B", SideB)],
                Some((Some(2), Some(3), Some(5))),
            ),
            ev("b2", "call", "2020-11-05", None, &[("A", SideA)], None),
            // Known only to the month: may be before or after the 10th.
            ev(
                "straddle",
                "clash",
                "2020-11",
                None,
                &[("B", SideA)],
                Some((None, Some(4), None)),
            ),
            ev(
                "truce",
                "truce",
                "2020-11-10",
                None,
                &[("A", SideA), ("B", SideB)],
                None,
            ),
            ev(
                "a1",
                "clash",
                "2020-11-20",
                None,
                &[("A", SideA)],
                Some((Some(10), None, None)),
            ),
            ev("a2", "clash", "2020-12-01", None, &[("A", SideA)], None),
            ev("a3", "statement", "2020-12-02", None, &[("B", SideA)], None),
            // A span from before the window into it: certainly in it.
            ev(
                "war",
                "clash",
                "2020-09-27",
                Some("2020-11-10"),
                &[("A", SideA), ("B", SideB)],
                Some((Some(6500), None, None)),
            ),
            // Far outside either window.
            ev("far", "clash", "2021-06-01", None, &[], None),
        ])
    }

    #[test]
    fn counts_certain_and_possible_on_each_side() {
        let s = sample();
        let truce = s.find_id("truce").unwrap();
        let (b0, b1) = boundary_of(&s, truce).unwrap();
        assert_eq!((b0, b1), (t("2020-11-10"), t_end("2020-11-10")));
        let c = compare(&s, b0, b1, 30, None, &[]);
        let clash = s.kinds.iter().position(|k| k.id == "clash").unwrap();
        // Before: b1, b2 and the war certainly; the November clash maybe.
        assert_eq!((c.before.certain, c.before.possible), (3, 1));
        assert_eq!(c.before.kinds[clash], (2, 1));
        assert_eq!(c.before.fatalities.best, 6503);
        assert_eq!(c.before.fatalities.low, 6502);
        assert!(c.before.fatalities.open_high);
        assert_eq!(c.before.possible_fatalities.best, 4);
        // During: the truce and the war's last day; the November clash maybe.
        assert_eq!((c.during.certain, c.during.possible), (2, 1));
        // After: a1..a3 certainly, the November clash maybe.
        assert_eq!((c.after.certain, c.after.possible), (3, 1));
        assert_eq!(c.after.fatalities.describe(), "10+");
        assert_eq!(difference(c.before.certain, c.after.certain), 0);
        assert_eq!(
            ratio(c.before.kinds[clash].0, c.after.kinds[clash].0),
            Some(1.0)
        );
        // A week: only the call before (1 Nov is 9 days out); war certain.
        let w = compare(&s, b0, b1, 7, None, &[]);
        assert_eq!((w.before.certain, w.before.possible), (2, 1));
        assert_eq!(w.after.certain, 0);
    }

    #[test]
    fn follows_the_filter_and_counts_violations() {
        let s = sample();
        let truce = s.find_id("truce").unwrap();
        let (b0, b1) = boundary_of(&s, truce).unwrap();
        let mut mask = vec![true; s.len()];
        mask[s.find_id("a1").unwrap() as usize] = false;
        let mut flags = vec![0u8; s.len()];
        flags[s.find_id("a2").unwrap() as usize] = POSSIBLE;
        let c = compare(&s, b0, b1, 30, Some(&mask), &flags);
        assert_eq!(c.after.certain, 2);
        assert_eq!(c.after.possible_violations, 1);
        assert_eq!(c.after.reported_violations, 0);
        let a = s.actors.get("A").unwrap();
        let rows = c.actor_rows();
        let row = rows.iter().find(|r| r.0 == a).unwrap();
        assert_eq!(row.1, [3, 2, 1]);
    }

    #[test]
    fn fatality_words() {
        let mut f = Fatalities::default();
        assert_eq!(f.describe(), "0");
        f.add(&crate::model::Casualties {
            low: Some(2),
            best: Some(3),
            high: Some(5),
        });
        assert_eq!(f.describe(), "3 (2–5)");
        f.add(&crate::model::Casualties {
            low: None,
            best: Some(3),
            high: None,
        });
        assert_eq!(f.describe(), "6 (5–8)");
    }
}

//! Analysis over the store: compare before and after a moment, truce
//! periods and their violations, histogram bins, and who called whom. Pure
//! (no egui): the UI caches the results, the benchmarks call them directly.

pub mod compare;
pub mod histogram;
pub mod network;
pub mod truce;

use crate::model::Instant;
use crate::store::{EventIx, Store};

pub use compare::{Comparison, Fatalities, Tally, compare};
pub use histogram::{BinUnit, Bins, KindAnchors, bins};
pub use network::{Edge, Network, network};
pub use truce::{POSSIBLE, REPORTED, TrucePeriod, Truces};

/// The moments an event may span: its start lies in `[s0, s1]`, its end in
/// `[e0, e1]` (a point event starts and ends at once, so `e = s`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extent {
    pub s0: Instant,
    pub s1: Instant,
    pub e0: Instant,
    pub e1: Instant,
}

impl Extent {
    /// The event's extent, from the store's columns (and, for spans, the
    /// event's own end, which the columns keep only as its latest moment).
    pub fn of(store: &Store, i: usize) -> Extent {
        let (e, l) = (store.earliest[i], store.latest[i]);
        if store.is_span[i]
            && let Some((start, Some(end))) = store.dates(i as EventIx)
        {
            return Extent {
                s0: start.earliest,
                s1: start.latest,
                e0: end.earliest.max(start.earliest),
                e1: l,
            };
        }
        Extent {
            s0: e,
            s1: l,
            e0: e,
            e1: l,
        }
    }

    /// Every way the event may have happened touches `[w0, w1]`: it is
    /// certainly in the window.
    pub fn certainly_in(&self, w0: Instant, w1: Instant) -> bool {
        self.s1 <= w1 && self.e0 >= w0
    }

    /// Some way the event may have happened touches `[w0, w1]`.
    pub fn possibly_in(&self, w0: Instant, w1: Instant) -> bool {
        self.s0 <= w1 && self.e1 >= w0
    }
}

/// Whether event `i` passes the filter (`None`: no filter).
#[inline]
pub(crate) fn shown(mask: Option<&[bool]>, i: usize) -> bool {
    mask.is_none_or(|m| m.get(i).copied().unwrap_or(false))
}

#[cfg(test)]
pub(crate) mod testdata {
    use crate::model::{Actor, Casualties, Event, FuzzyDate, Role, When};
    use crate::store::Store;
    use crate::table::Dataset;

    /// An event from short texts: `start`/`end` as Eventline dates; actors
    /// as `(name, role)`.
    pub fn ev(
        id: &str,
        kind: &str,
        start: &str,
        end: Option<&str>,
        actors: &[(&str, Role)],
        dead: Option<(Option<u64>, Option<u64>, Option<u64>)>,
    ) -> Event {
        let mut e = Event::new(
            id,
            id,
            kind,
            When {
                start: FuzzyDate::parse(start).unwrap(),
                end: end.map(|t| FuzzyDate::parse(t).unwrap()),
                note: None,
            },
        );
        e.actors = actors
            .iter()
            .map(|(n, r)| Actor {
                name: (*n).into(),
                role: *r,
                country: Some((*n).into()),
                ..Actor::default()
            })
            .collect();
        e.casualties = dead.map(|(low, best, high)| Casualties { low, best, high });
        e
    }

    pub fn store(events: Vec<Event>) -> Store {
        Store::build(Dataset {
            events: events.into(),
            ..Dataset::default()
        })
    }

    pub fn t(text: &str) -> i64 {
        FuzzyDate::parse(text).unwrap().earliest
    }

    pub fn t_end(text: &str) -> i64 {
        FuzzyDate::parse(text).unwrap().latest
    }
}

//! Truce periods and the events that may have broken them.
//!
//! A truce (kind `truce`) opens a period that runs from the end of its own
//! day (its latest moment) until the earliest of: its own end date, the
//! next truce among the same parties, an end the user set. A clash or
//! strike inside the period between two of its parties is a *possible*
//! violation; a clash, strike or any event a source calls a ceasefire
//! violation (the importers' `ceasefire-violation` tag, CAMEO 196, or a
//! description or source quote that says so) inside the period of a truce
//! one of its parties signed is a *reported* violation.
//!
//! A party is an actor's country, else its name (so "Azerbaijan" the state
//! and "Baku" speaking for it are one party); mediators are not parties.

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::classify::{CEASEFIRE_VIOLATION, says_ceasefire_violation};
use crate::model::{Event, Instant, Role};
use crate::store::{EventIx, Store};

/// Bit in [`Truces::flags`]: a clash between a truce's parties in its period.
pub const POSSIBLE: u8 = crate::store::filter::VIOLATION_POSSIBLE;
/// Bit in [`Truces::flags`]: a source calls it a ceasefire violation.
pub const REPORTED: u8 = crate::store::filter::VIOLATION_REPORTED;

/// What ends a truce period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodEnd {
    /// The truce's own end date.
    Own,
    /// The next truce among the same parties.
    NextTruce(EventIx),
    /// The end the user set.
    User,
    /// Nothing yet: the period is open.
    Open,
}

/// One truce's period.
#[derive(Clone, Debug, PartialEq)]
pub struct TrucePeriod {
    pub truce: EventIx,
    /// Last moment of the truce itself: the period is what comes after.
    pub start: Instant,
    /// Last moment of the period (inclusive); `Instant::MAX` when open.
    pub end: Instant,
    pub ended_by: PeriodEnd,
    /// Party ids (see [`Truces::party_name`]), sorted.
    pub parties: Vec<u32>,
}

impl TrucePeriod {
    /// Whether an event spanning `[earliest, latest]` may lie in the period.
    fn touches(&self, earliest: Instant, latest: Instant) -> bool {
        latest > self.start && earliest <= self.end
    }
}

/// All truce periods of a store and each event's violation bits. Computed
/// once per store (and again when the user moves a period's end).
#[derive(Clone, Debug, Default)]
pub struct Truces {
    pub periods: Vec<TrucePeriod>,
    /// Per event: [`POSSIBLE`] and/or [`REPORTED`] (shared with the filter).
    pub flags: Arc<Vec<u8>>,
    pub possible: usize,
    pub reported: usize,
    party_names: Vec<String>,
}

fn is_violent(kind: &str) -> bool {
    matches!(kind, "clash" | "strike")
}

/// Cheap test before splitting a text into words: does it name a truce?
fn mentions_truce(text: &str) -> bool {
    let b = text.as_bytes();
    let has = |w: &[u8]| b.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w));
    has(b"cease") || has(b"truce") || has(b"armistice")
}

/// Whether a source calls the event a ceasefire violation.
pub fn is_reported_violation(e: &Event) -> bool {
    if e.tags.iter().any(|t| t == CEASEFIRE_VIOLATION) {
        return true;
    }
    if e.codes.get("cameo.event_code").is_some_and(|c| c == "196") {
        return true;
    }
    is_violent(&e.kind)
        && std::iter::once(e.description.as_str())
            .chain(e.sources.iter().filter_map(|s| s.quote.as_deref()))
            .any(|t| mentions_truce(t) && says_ceasefire_violation(t))
}

#[derive(Default)]
struct Parties {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Parties {
    fn of(&mut self, e: &Event) -> Vec<u32> {
        let mut out: Vec<u32> = e
            .actors
            .iter()
            .filter(|a| a.role != Role::Mediator)
            .map(|a| {
                let key = a.country.as_deref().unwrap_or(&a.name);
                match self.ids.get(key) {
                    Some(&id) => id,
                    None => {
                        let id = self.names.len() as u32;
                        self.names.push(key.to_string());
                        self.ids.insert(key.to_string(), id);
                        id
                    }
                }
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

impl Truces {
    /// Find the truce periods of `store` and mark the events that may have
    /// broken them. `user_ends`: ends the user set, by truce event id (they
    /// shorten a period, never lengthen it past the next truce).
    pub fn compute(store: &Store, user_ends: &HashMap<String, Instant>) -> Truces {
        let kind_is =
            |name: &str| -> Vec<bool> { store.kinds.iter().map(|k| k.id == name).collect() };
        let truce_kind = kind_is("truce");
        let violent: Vec<bool> = store.kinds.iter().map(|k| is_violent(&k.id)).collect();
        let mut parties = Parties::default();
        let mut periods = Vec::new();
        // Truces in time order, chained by their party set.
        let mut chains: HashMap<Vec<u32>, Vec<usize>> = HashMap::new();
        for (i, &k) in store.kind.iter().enumerate() {
            if !truce_kind.get(k as usize).copied().unwrap_or(false) {
                continue;
            }
            let Some(e) = store.event(i as EventIx) else {
                continue;
            };
            let ps = parties.of(&e);
            let start = e.when.start.latest;
            let (end, ended_by) = match e.when.end {
                Some(end) => (end.latest, PeriodEnd::Own),
                None => (Instant::MAX, PeriodEnd::Open),
            };
            let ix = periods.len();
            let chain = chains.entry(ps.clone()).or_default();
            if let Some(&prev) = chain.last() {
                let p: &mut TrucePeriod = &mut periods[prev];
                let cut = store.earliest[i].saturating_sub(1);
                if cut < p.end {
                    p.end = cut.max(p.start);
                    p.ended_by = PeriodEnd::NextTruce(i as EventIx);
                }
            }
            chain.push(ix);
            periods.push(TrucePeriod {
                truce: i as EventIx,
                start,
                end,
                ended_by,
                parties: ps,
            });
        }
        for p in &mut periods {
            let id = store.id(p.truce);
            if let Some(&u) = user_ends.get(id)
                && u < p.end
            {
                p.end = u.max(p.start);
                p.ended_by = PeriodEnd::User;
            }
        }
        // Which chains hold a pair of parties, and which a single party.
        let mut by_pair: HashMap<(u32, u32), Vec<&[usize]>> = HashMap::new();
        let mut by_party: HashMap<u32, Vec<&[usize]>> = HashMap::new();
        for (key, chain) in &chains {
            for (a, &p) in key.iter().enumerate() {
                by_party.entry(p).or_default().push(chain);
                for &q in &key[a + 1..] {
                    by_pair.entry((p, q)).or_default().push(chain);
                }
            }
        }
        // The period of a chain an event may fall in: the last that starts
        // before the event's latest moment (a chain's periods are disjoint).
        let hit = |chain: &[usize], i: usize| -> bool {
            let (e0, e1) = (store.earliest[i], store.latest[i]);
            let n = chain.partition_point(|&p| periods[p].start < e1);
            n > 0 && {
                let p = &periods[chain[n - 1]];
                p.truce as usize != i && p.touches(e0, e1)
            }
        };
        let mut flags = vec![0u8; store.len()];
        let (mut possible, mut reported) = (0, 0);
        if !periods.is_empty() {
            for (i, &k) in store.kind.iter().enumerate() {
                let is_clash = violent.get(k as usize).copied().unwrap_or(false);
                let Some(e) = store.event(i as EventIx) else {
                    continue;
                };
                let says = is_reported_violation(&e);
                if !is_clash && !says {
                    continue;
                }
                let ps = parties.of(&e);
                if is_clash {
                    let found = ps.iter().enumerate().any(|(a, &p)| {
                        ps[a + 1..].iter().any(|&q| {
                            by_pair
                                .get(&(p, q))
                                .is_some_and(|cs| cs.iter().any(|c| hit(c, i)))
                        })
                    });
                    if found {
                        flags[i] |= POSSIBLE;
                        possible += 1;
                    }
                }
                if says
                    && ps.iter().any(|p| {
                        by_party
                            .get(p)
                            .is_some_and(|cs| cs.iter().any(|c| hit(c, i)))
                    })
                {
                    flags[i] |= REPORTED;
                    reported += 1;
                }
            }
        }
        Truces {
            periods,
            flags: Arc::new(flags),
            possible,
            reported,
            party_names: parties.names,
        }
    }

    pub fn party_name(&self, id: u32) -> &str {
        self.party_names.get(id as usize).map_or("", String::as_str)
    }

    /// The period a truce opens.
    pub fn period_of(&self, truce: EventIx) -> Option<&TrucePeriod> {
        self.periods.iter().find(|p| p.truce == truce)
    }

    pub fn flag(&self, i: EventIx) -> u8 {
        self.flags.get(i as usize).copied().unwrap_or(0)
    }

    /// The events that may have broken this period's truce: `(possible,
    /// reported)`, in time order, among those `mask` shows.
    pub fn violations_of(
        &self,
        store: &Store,
        period: &TrucePeriod,
        mask: Option<&[bool]>,
    ) -> (Vec<EventIx>, Vec<EventIx>) {
        let mut parties = Parties {
            ids: self
                .party_names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.clone(), i as u32))
                .collect(),
            names: self.party_names.clone(),
        };
        let (mut possible, mut reported) = (Vec::new(), Vec::new());
        let end = period
            .end
            .min(store.time_range().map_or(period.end, |r| r.1));
        for ix in store.overlapping(period.start.saturating_add(1), end) {
            let i = ix as usize;
            let f = self.flag(ix);
            if f == 0 || ix == period.truce || !super::shown(mask, i) {
                continue;
            }
            if !period.touches(store.earliest[i], store.latest[i]) {
                continue;
            }
            let Some(e) = store.event(ix) else { continue };
            let ps = parties.of(&e);
            let shared = ps
                .iter()
                .filter(|p| period.parties.binary_search(p).is_ok())
                .count();
            if f & POSSIBLE != 0 && shared >= 2 {
                possible.push(ix);
            }
            if f & REPORTED != 0 && shared >= 1 {
                reported.push(ix);
            }
        }
        (possible, reported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testdata::{ev, store, t};
    use crate::model::Role::{Mediator, SideA, SideB};

    #[test]
    fn a_truce_period_runs_to_the_next_truce_among_the_same_parties() {
        let mut tagged = ev(
            "tagged",
            "strike",
            "2021-03-01",
            None,
            &[("B", SideA)],
            None,
        );
        tagged.tags.push(CEASEFIRE_VIOLATION.into());
        let mut said = ev(
            "said",
            "clash",
            "2021-04-01",
            None,
            &[("C", SideA), ("B", SideB)],
            None,
        );
        said.description = "Each side accused the other of violating the cease-fire.".into();
        let s = store(vec![
            ev(
                "war",
                "clash",
                "2020-09",
                Some("2020-11-10"),
                &[("A", SideA), ("B", SideB)],
                None,
            ),
            ev(
                "truce1",
                "truce",
                "2020-11-10",
                None,
                &[("R", Mediator), ("A", SideA), ("B", SideB)],
                None,
            ),
            ev(
                "c1",
                "clash",
                "2021-01-05",
                None,
                &[("B", SideA), ("A", SideB)],
                None,
            ),
            ev(
                "other-sides",
                "clash",
                "2021-01-06",
                None,
                &[("A", SideA), ("C", SideB)],
                None,
            ),
            ev(
                "one-side",
                "clash",
                "2021-01-07",
                None,
                &[("A", SideA)],
                None,
            ),
            ev(
                "call",
                "call",
                "2021-01-08",
                None,
                &[("A", SideA), ("B", SideB)],
                None,
            ),
            tagged,
            said,
            ev(
                "truce2",
                "truce",
                "2022-01-01",
                Some("2022-02-01"),
                &[("B", SideA), ("A", SideB)],
                None,
            ),
            ev(
                "in2",
                "clash",
                "2022-01-15",
                None,
                &[("A", SideA), ("B", SideB)],
                None,
            ),
            ev(
                "after2",
                "clash",
                "2022-03-01",
                None,
                &[("A", SideA), ("B", SideB)],
                None,
            ),
        ]);
        let tr = Truces::compute(&s, &HashMap::new());
        assert_eq!(tr.periods.len(), 2);
        let p1 = &tr.periods[0];
        assert_eq!(
            p1.ended_by,
            PeriodEnd::NextTruce(s.find_id("truce2").unwrap())
        );
        assert_eq!(p1.end, t("2022-01-01") - 1);
        assert_eq!(tr.periods[1].ended_by, PeriodEnd::Own);
        let flag = |id: &str| tr.flag(s.find_id(id).unwrap());
        // The war the truce ended ends on the truce's day: not a violation.
        assert_eq!(flag("war"), 0);
        assert_eq!(flag("c1"), POSSIBLE);
        assert_eq!(flag("other-sides"), 0);
        assert_eq!(flag("one-side"), 0);
        assert_eq!(flag("call"), 0);
        assert_eq!(flag("tagged"), REPORTED);
        assert_eq!(flag("said"), REPORTED);
        assert_eq!(flag("in2"), POSSIBLE);
        assert_eq!(flag("after2"), 0);
        assert_eq!((tr.possible, tr.reported), (2, 2));
        let (possible, reported) = tr.violations_of(&s, p1, None);
        assert_eq!(possible, vec![s.find_id("c1").unwrap()]);
        assert_eq!(reported.len(), 2);
        // The filter narrows what is counted.
        let mut mask = vec![true; s.len()];
        mask[s.find_id("c1").unwrap() as usize] = false;
        assert!(tr.violations_of(&s, p1, Some(&mask)).0.is_empty());
    }

    #[test]
    fn the_user_can_end_a_period_early() {
        let s = store(vec![
            ev(
                "truce",
                "truce",
                "2020-11-10",
                None,
                &[("A", SideA), ("B", SideB)],
                None,
            ),
            ev(
                "c1",
                "clash",
                "2021-01-05",
                None,
                &[("A", SideA), ("B", SideB)],
                None,
            ),
            ev(
                "c2",
                "clash",
                "2021-06-05",
                None,
                &[("A", SideA), ("B", SideB)],
                None,
            ),
        ]);
        let open = Truces::compute(&s, &HashMap::new());
        assert_eq!(open.periods[0].ended_by, PeriodEnd::Open);
        assert_eq!(open.possible, 2);
        let ends = HashMap::from([("truce".to_string(), t("2021-03-01"))]);
        let cut = Truces::compute(&s, &ends);
        assert_eq!(cut.periods[0].ended_by, PeriodEnd::User);
        assert_eq!(cut.possible, 1);
        assert_eq!(cut.flag(s.find_id("c2").unwrap()), 0);
    }

    #[test]
    fn a_fuzzy_clash_that_may_be_after_the_truce_is_possible() {
        // A clash known only to November 2020 may be after the 10th.
        let s = store(vec![
            ev(
                "truce",
                "truce",
                "2020-11-10",
                None,
                &[("A", SideA), ("B", SideB)],
                None,
            ),
            ev(
                "nov",
                "clash",
                "2020-11",
                None,
                &[("A", SideA), ("B", SideB)],
                None,
            ),
        ]);
        let tr = Truces::compute(&s, &HashMap::new());
        assert_eq!(tr.flag(s.find_id("nov").unwrap()), POSSIBLE);
    }
}

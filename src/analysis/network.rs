//! Who called whom: actors of calls, meetings and statements in a range,
//! joined initiator → target (or, where the source names no caller, both
//! ways between the participants), with counts on the edges.

use std::collections::HashMap;

use super::shown;
use crate::model::{Instant, Role};
use crate::store::{EventIx, Store};

/// Kinds whose actors address each other.
pub const KINDS: [&str; 3] = ["call", "meeting", "statement"];

/// Actors joined by events.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// Actor ids; `from` is the initiator when `directed`.
    pub from: u32,
    pub to: u32,
    /// False when the source names no caller (Michel "spoke by phone with"
    /// Aliyev): drawn without an arrow, `from < to`.
    pub directed: bool,
    pub events: Vec<EventIx>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Network {
    pub edges: Vec<Edge>,
    /// Actor id and how many of the network's events it takes part in,
    /// most first (ties by name).
    pub nodes: Vec<(u32, usize)>,
}

impl Network {
    pub fn node_events(&self, actor: u32) -> usize {
        self.nodes.iter().find(|n| n.0 == actor).map_or(0, |n| n.1)
    }

    /// The events of every edge touching `actor`, in time order.
    pub fn events_of(&self, actor: u32) -> Vec<EventIx> {
        let mut v: Vec<EventIx> = self
            .edges
            .iter()
            .filter(|e| e.from == actor || e.to == actor)
            .flat_map(|e| e.events.iter().copied())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// The network of events overlapping `[t0, t1]` that `mask` shows.
pub fn network(store: &Store, t0: Instant, t1: Instant, mask: Option<&[bool]>) -> Network {
    let wanted: Vec<bool> = store
        .kinds
        .iter()
        .map(|k| KINDS.contains(&k.id.as_str()))
        .collect();
    if !wanted.iter().any(|&w| w) {
        return Network::default();
    }
    let mut edges: HashMap<(u32, u32, bool), Vec<EventIx>> = HashMap::new();
    let mut node_events: HashMap<u32, usize> = HashMap::new();
    let (mut from, mut to, mut others) = (Vec::new(), Vec::new(), Vec::new());
    for ix in store.overlapping(t0, t1) {
        let i = ix as usize;
        if !wanted.get(store.kind[i] as usize).copied().unwrap_or(false) || !shown(mask, i) {
            continue;
        }
        from.clear();
        to.clear();
        others.clear();
        for (name, role) in store.actor_roles(ix) {
            let Some(id) = store.actors.get(name) else {
                continue;
            };
            match role {
                Role::Initiator => from.push(id),
                Role::Target => to.push(id),
                Role::Mediator => {}
                _ => others.push(id),
            }
        }
        let mut joined = false;
        if !from.is_empty() && !to.is_empty() {
            for &a in &from {
                for &b in &to {
                    if a != b {
                        edges.entry((a, b, true)).or_default().push(ix);
                        joined = true;
                    }
                }
            }
        } else if from.is_empty() && to.is_empty() {
            others.sort_unstable();
            others.dedup();
            for (n, &a) in others.iter().enumerate() {
                for &b in &others[n + 1..] {
                    edges.entry((a, b, false)).or_default().push(ix);
                    joined = true;
                }
            }
        }
        if joined {
            let row = store.event_actors.row(i);
            for &a in from.iter().chain(&to).chain(&others) {
                if row.contains(&a) {
                    *node_events.entry(a).or_default() += 1;
                }
            }
        }
    }
    // An actor listed twice in one event counts once.
    let mut edges: Vec<Edge> = edges
        .into_iter()
        .map(|((from, to, directed), events)| Edge {
            from,
            to,
            directed,
            events,
        })
        .collect();
    edges.sort_by(|a, b| {
        b.events
            .len()
            .cmp(&a.events.len())
            .then_with(|| store.actors.name(a.from).cmp(store.actors.name(b.from)))
            .then_with(|| store.actors.name(a.to).cmp(store.actors.name(b.to)))
    });
    let mut nodes: Vec<(u32, usize)> = node_events.into_iter().collect();
    nodes.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| store.actors.name(a.0).cmp(store.actors.name(b.0)))
    });
    Network { edges, nodes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testdata::{ev, store, t, t_end};
    use crate::model::Role::{Initiator, Participant, SideA, SideB, Target};

    #[test]
    fn initiators_point_at_targets_and_participants_join_both_ways() {
        let s = store(vec![
            ev(
                "c1",
                "call",
                "2022-08-05",
                None,
                &[("Blinken", Initiator), ("Pashinian", Target)],
                None,
            ),
            ev(
                "c2",
                "call",
                "2022-08-05",
                None,
                &[("Blinken", Initiator), ("Aliyev", Target)],
                None,
            ),
            ev(
                "s1",
                "statement",
                "2022-08-05",
                None,
                &[
                    ("Blinken", Initiator),
                    ("Pashinian", Target),
                    ("Aliyev", Target),
                ],
                None,
            ),
            ev(
                "c3",
                "call",
                "2022-08-05",
                None,
                &[("Michel", Participant), ("Aliyev", Participant)],
                None,
            ),
            ev(
                "clash",
                "clash",
                "2022-08-03",
                None,
                &[("Azerbaijan", SideA), ("Karabakh", SideB)],
                None,
            ),
            ev(
                "old",
                "call",
                "2020-01-01",
                None,
                &[("Blinken", Initiator), ("Aliyev", Target)],
                None,
            ),
        ]);
        let id = |n: &str| s.actors.get(n).unwrap();
        let net = network(&s, t("2022-08-01"), t_end("2022-08-07"), None);
        assert_eq!(net.edges.len(), 3);
        let bp = &net.edges[0];
        assert_eq!(
            (bp.from, bp.to, bp.directed),
            (id("Blinken"), id("Aliyev"), true)
        );
        assert_eq!(bp.events.len(), 2);
        let ma = net.edges.iter().find(|e| !e.directed).unwrap();
        assert_eq!(ma.events, vec![s.find_id("c3").unwrap()]);
        assert_eq!(net.node_events(id("Blinken")), 3);
        assert_eq!(net.node_events(id("Aliyev")), 3);
        assert_eq!(net.node_events(id("Azerbaijan")), 0);
        assert_eq!(net.events_of(id("Pashinian")).len(), 2);
        // The filter hides the statement.
        let mut mask = vec![true; s.len()];
        mask[s.find_id("s1").unwrap() as usize] = false;
        let f = network(&s, t("2022-08-01"), t_end("2022-08-07"), Some(&mask));
        assert_eq!(f.node_events(id("Blinken")), 2);
    }
}

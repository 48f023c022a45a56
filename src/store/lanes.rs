//! Lanes: the store's events grouped by kind, actor, country or file.

use serde::{Deserialize, Serialize};

use super::{EventIx, IntervalIndex, Store};
use crate::model::{Instant, Rgb};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum LaneGrouping {
    None,
    #[default]
    Kind,
    Actor,
    Country,
    SourceFile,
}

impl LaneGrouping {
    pub const ALL: [LaneGrouping; 5] = [
        LaneGrouping::None,
        LaneGrouping::Kind,
        LaneGrouping::Actor,
        LaneGrouping::Country,
        LaneGrouping::SourceFile,
    ];

    pub fn label(self) -> &'static str {
        match self {
            LaneGrouping::None => "None",
            LaneGrouping::Kind => "Kind",
            LaneGrouping::Actor => "Actor",
            LaneGrouping::Country => "Country / side",
            LaneGrouping::SourceFile => "Source file",
        }
    }
}

/// One lane: its events split into points (drawn at their anchor) and spans
/// (drawn as bars, found by overlap so that a span begun long before the
/// view still shows).
#[derive(Clone, Debug, Default)]
pub struct Lane {
    pub name: String,
    pub color: Option<Rgb>,
    pub points: Vec<EventIx>,
    /// `anchor` of each point, copied for cache-friendly binary searches.
    pub point_anchor: Vec<Instant>,
    pub spans: Vec<EventIx>,
    /// `earliest` of each span (its anchor), sorted.
    pub span_start: Vec<Instant>,
    pub span_index: IntervalIndex,
    /// Most points sharing one moment (e.g. several calls dated to the same
    /// day): the lane gets that many sub-rows so they can be told apart.
    pub max_stack: usize,
}

/// Sub-rows a lane may use, whatever the zoom (so lanes never change
/// height while zooming).
pub const MIN_ROWS: usize = 3;
pub const MAX_ROWS: usize = 8;

impl Lane {
    /// Sub-rows this lane is drawn with when expanded.
    pub fn rows(&self) -> usize {
        self.max_stack
            .clamp(MIN_ROWS, MAX_ROWS)
            .min(self.len().max(1))
    }

    pub fn len(&self) -> usize {
        self.points.len() + self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Index range into `points` of those with anchor in `[t0, t1)`.
    pub fn point_range(&self, t0: Instant, t1: Instant) -> std::ops::Range<usize> {
        let a = self.point_anchor.partition_point(|&x| x < t0);
        let b = self.point_anchor.partition_point(|&x| x < t1);
        a..b.max(a)
    }
}

#[derive(Clone, Debug, Default)]
pub struct LaneSet {
    pub grouping: LaneGrouping,
    pub lanes: Vec<Lane>,
}

impl LaneSet {
    pub fn build(store: &Store, grouping: LaneGrouping) -> LaneSet {
        LaneSet::build_filtered(store, grouping, None)
    }

    /// Lanes of the events for which `visible` is true (all when `None`).
    pub fn build_filtered(
        store: &Store,
        grouping: LaneGrouping,
        visible: Option<&[bool]>,
    ) -> LaneSet {
        let mut lanes: Vec<Lane> = match grouping {
            LaneGrouping::None => vec![Lane {
                name: "All events".into(),
                ..Lane::default()
            }],
            LaneGrouping::Kind => store
                .kinds
                .iter()
                .map(|k| Lane {
                    name: k.label.clone(),
                    color: Some(k.color),
                    ..Lane::default()
                })
                .collect(),
            LaneGrouping::Actor => named_lanes(store.actors.names()),
            LaneGrouping::Country => named_lanes(store.countries.names()),
            LaneGrouping::SourceFile => named_lanes(store.files.names()),
        };
        let none_lane = lanes.len();
        let mut needs_none = false;
        let mut keys: Vec<u32> = Vec::new();
        for i in 0..store.len() {
            if visible.is_some_and(|v| !v.get(i).copied().unwrap_or(false)) {
                continue;
            }
            keys.clear();
            match grouping {
                LaneGrouping::None => keys.push(0),
                LaneGrouping::Kind => keys.push(store.kind[i] as u32),
                LaneGrouping::Actor => keys.extend_from_slice(store.event_actors.row(i)),
                LaneGrouping::Country => keys.extend_from_slice(store.event_countries.row(i)),
                LaneGrouping::SourceFile => keys.push(store.event_file[i]),
            }
            if keys.is_empty() {
                keys.push(none_lane as u32);
                needs_none = true;
            }
            if needs_none && lanes.len() == none_lane {
                lanes.push(Lane {
                    name: match grouping {
                        LaneGrouping::Actor => "(no actor)".into(),
                        _ => "(no country)".into(),
                    },
                    ..Lane::default()
                });
            }
            for &k in &keys {
                let lane = &mut lanes[k as usize];
                if store.is_span[i] {
                    lane.spans.push(i as EventIx);
                    lane.span_start.push(store.anchor[i]);
                } else {
                    lane.points.push(i as EventIx);
                    lane.point_anchor.push(store.anchor[i]);
                }
            }
        }
        for lane in &mut lanes {
            let mut run = 0;
            for (k, &a) in lane.point_anchor.iter().enumerate() {
                run = if k > 0 && lane.point_anchor[k - 1] == a {
                    run + 1
                } else {
                    1
                };
                lane.max_stack = lane.max_stack.max(run);
            }
            lane.span_index = IntervalIndex::build(
                lane.spans
                    .iter()
                    .map(|&e| (store.earliest[e as usize], store.latest[e as usize]))
                    .collect::<Vec<_>>()
                    .into_iter(),
            );
        }
        // Empty lanes say nothing; kinds with no events are left out.
        lanes.retain(|l| !l.is_empty());
        if matches!(grouping, LaneGrouping::Actor | LaneGrouping::Country) {
            // Busiest first: the lanes an analyst most likely wants on top.
            // The "(no actor)" lane, if any, stays last.
            let none = (needs_none && lanes.last().is_some_and(|l| l.name.starts_with('(')))
                .then(|| lanes.pop())
                .flatten();
            lanes.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.name.cmp(&b.name)));
            lanes.extend(none);
        }
        LaneSet { grouping, lanes }
    }

    /// Lanes (and their positions) that hold event `ix`.
    pub fn lanes_of(&self, ix: EventIx) -> Vec<usize> {
        self.lanes
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                l.points.binary_search_by(|p| p.cmp(&ix)).is_ok() || l.spans.contains(&ix)
            })
            .map(|(i, _)| i)
            .collect()
    }
}

fn named_lanes(names: &[String]) -> Vec<Lane> {
    names
        .iter()
        .map(|n| Lane {
            name: n.clone(),
            ..Lane::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Actor, Event, FuzzyDate, When};
    use crate::table::Dataset;

    fn store() -> Store {
        let mut call = Event::new(
            "c",
            "call",
            "call",
            When::point(FuzzyDate::parse("2022-08-05").unwrap()),
        );
        call.actors = vec![
            Actor {
                name: "Blinken".into(),
                country: Some("United States".into()),
                ..Actor::default()
            },
            Actor {
                name: "Aliyev".into(),
                country: Some("Azerbaijan".into()),
                ..Actor::default()
            },
        ];
        let war = Event::new(
            "w",
            "war",
            "clash",
            When {
                start: FuzzyDate::parse("2020-09~").unwrap(),
                end: Some(FuzzyDate::parse("2020-11-10").unwrap()),
                note: None,
            },
        );
        Store::build(Dataset {
            events: vec![call, war].into(),
            ..Dataset::default()
        })
    }

    #[test]
    fn a_two_actor_call_is_in_both_actor_lanes() {
        let s = store();
        let set = LaneSet::build(&s, LaneGrouping::Actor);
        let names: Vec<&str> = set.lanes.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Aliyev", "Blinken", "(no actor)"]);
        let call = s.find_id("c").unwrap();
        assert_eq!(set.lanes_of(call), vec![0, 1]);
    }

    #[test]
    fn kind_lanes_split_points_and_spans() {
        let s = store();
        let set = LaneSet::build(&s, LaneGrouping::Kind);
        assert_eq!(set.lanes.len(), 2);
        let clash = set.lanes.iter().find(|l| l.name == "Clash").unwrap();
        assert_eq!(clash.spans.len(), 1);
        assert!(clash.points.is_empty());
        let total: usize = set.lanes.iter().map(Lane::len).sum();
        assert_eq!(total, s.len());
    }
}

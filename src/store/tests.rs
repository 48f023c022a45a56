use super::*;
use crate::model::{Actor, FuzzyDate, When};
use proptest::prelude::*;

fn event(id: &str, kind: &str, start: &str, end: Option<&str>, actors: &[&str]) -> Event {
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
        .map(|n| Actor {
            name: (*n).into(),
            ..Actor::default()
        })
        .collect();
    e
}

fn sample() -> Store {
    Store::build(Dataset {
        title: "t".into(),
        events: vec![
            event("b", "call", "2022-08-05", None, &["Blinken", "Aliyev"]),
            event(
                "a",
                "clash",
                "2020-09~",
                Some("2020-11-10"),
                &["Armenia", "Azerbaijan"],
            ),
            event("c", "call", "2022-08-05", None, &["Michel", "Aliyev"]),
            event("d", "protest", "2021", None, &[]),
        ]
        .into(),
        ..Dataset::default()
    })
}

#[test]
fn sorted_by_anchor_with_columns_in_step() {
    let s = sample();
    assert!(s.anchor.windows(2).all(|w| w[0] <= w[1]));
    let ids: Vec<&str> = s.ids().collect();
    assert_eq!(ids, ["a", "d", "b", "c"]);
    assert!(s.is_span[0] && !s.is_span[1]);
}

#[test]
fn counts_by_kind_and_actor() {
    let s = sample();
    let counts = s.kind_counts();
    let call = s.kinds.iter().position(|k| k.id == "call").unwrap();
    assert_eq!(counts[call], 2);
    // A kind nobody defined still gets a look of its own.
    let protest = s.kinds.iter().position(|k| k.id == "protest").unwrap();
    assert_eq!(counts[protest], 1);
    let aliyev = s.actors.get("Aliyev").unwrap();
    assert_eq!(s.actor_counts()[aliyev as usize], 2);
}

#[test]
fn window_query_includes_spans_that_started_before() {
    let s = sample();
    let oct = FuzzyDate::parse("2020-10-15").unwrap();
    let hits = s.overlapping(oct.earliest, oct.latest);
    assert_eq!(hits, vec![0]);
}

#[test]
fn a_later_file_replaces_records_with_the_same_id() {
    let versioned = |title: &str| {
        let mut e = event("x", "clash", "2022-08-03", None, &[]);
        e.title = title.into();
        e.provenance = Some(crate::model::Provenance {
            format: "acled".into(),
            record: Some("AZE123".into()),
            ..Default::default()
        });
        e
    };
    let old = Dataset {
        events: vec![
            versioned("first report"),
            event("y", "call", "2022-08-05", None, &[]),
        ]
        .into(),
        source: Some("old.csv".into()),
        ..Dataset::default()
    };
    let new = Dataset {
        events: vec![versioned("revised report")].into(),
        source: Some("new.csv".into()),
        ..Dataset::default()
    };
    let s = Store::from_datasets(vec![old, new]);
    assert_eq!(s.len(), 2);
    assert_eq!(s.replaced, 1);
    let x = s.find_id("x").unwrap();
    assert_eq!(s.event(x).unwrap().title, "revised report");
    assert_eq!(s.files.name(s.event_file[x as usize]), "new.csv");
    assert_eq!(
        s.files.name(s.event_file[s.find_id("y").unwrap() as usize]),
        "old.csv"
    );
}

#[test]
fn a_summary_counts_what_the_store_holds() {
    let mut twice = crate::synth::generate(500, 4, false);
    // Records seen twice: the later replaces the earlier.
    let again: Vec<Event> = twice
        .events
        .iter()
        .take(20)
        .map(|mut e| {
            e.provenance = Some(crate::model::Provenance {
                format: "acled".into(),
                file: None,
                record: Some(e.id.clone()),
                line: None,
            });
            e
        })
        .collect();
    twice.events.extend(again.iter());
    twice.events.extend(again.iter());
    let mut replaced = Vec::new();
    for dataset in [
        crate::default_dataset().unwrap().dataset,
        crate::synth::generate(2_000, 9, false),
        twice,
    ] {
        let summary = Summary::of(&dataset.events);
        let store = Store::build(dataset);
        replaced.push(store.replaced);
        let kinds = store
            .kinds
            .iter()
            .zip(store.kind_counts())
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| (k.id.clone(), n))
            .collect();
        assert_eq!(
            summary,
            Summary {
                events: store.len(),
                kinds,
                range: store.time_range(),
            }
        );
    }
    assert_eq!(replaced, [0, 0, 20]);
}

#[test]
fn stepping_between_events() {
    let s = sample();
    // b and c share a moment: stepping by time passes both.
    let d = s.anchor[1];
    assert_eq!(s.next_after(d), Some(2));
    assert_eq!(s.prev_before(s.anchor[2]), Some(1));
    assert_eq!(s.next_after(s.anchor[2]), None);
    assert_eq!(s.next_after(s.anchor[3]), None);
    assert_eq!(s.find_id("c"), Some(3));
}

proptest! {
    /// The sorted search for replaced records agrees with the plain
    /// one: walk the rows, each record replacing its last sighting.
    #[test]
    fn kept_rows_agree_with_a_walk_through_the_rows(
        rows in prop::collection::vec(
            (prop::option::of(0u8..6), prop::bool::ANY),
            0..60,
        ),
    ) {
        let events: Vec<Event> = rows
            .iter()
            .enumerate()
            .map(|(i, (record, ucdp))| {
                let mut e = event(&format!("e{i}"), "call", "2022-08-05", None, &[]);
                e.provenance = record.map(|r| crate::model::Provenance {
                    format: if *ucdp { "ucdp" } else { "acled" }.into(),
                    record: Some(format!("R{r}")),
                    ..Default::default()
                });
                e
            })
            .collect();
        let table = EventTable::from(events.clone());
        let mut last: std::collections::HashMap<(String, String), usize> =
            std::collections::HashMap::new();
        let mut expected = vec![true; events.len()];
        let mut replaced = 0;
        for (i, e) in events.iter().enumerate() {
            let Some(p) = &e.provenance else { continue };
            let key = (p.format.clone(), p.record.clone().unwrap_or_default());
            if let Some(earlier) = last.insert(key, i) {
                expected[earlier] = false;
                replaced += 1;
            }
        }
        prop_assert_eq!(kept_rows(&table), (expected, replaced));
    }

    #[test]
    fn a_store_gives_back_exactly_its_events_in_time_order(
        a in prop::collection::vec(crate::table::tests::event(), 0..30),
        b in prop::collection::vec(crate::table::tests::event(), 0..30),
    ) {
        // Without records, so that no event replaces another.
        let strip = |v: Vec<Event>| -> Vec<Event> {
            v.into_iter()
                .map(|mut e| {
                    if let Some(p) = e.provenance.as_mut() {
                        p.record = None;
                    }
                    e
                })
                .collect()
        };
        let (a, b) = (strip(a), strip(b));
        let store = Store::from_datasets(vec![
            Dataset { events: a.clone().into(), ..Dataset::default() },
            Dataset { events: b.clone().into(), ..Dataset::default() },
        ]);
        let mut expected: Vec<Event> = a.into_iter().chain(b).collect();
        expected.sort_by_key(|e| e.when.anchor());
        let got: Vec<Event> = store.events().collect();
        prop_assert_eq!(&got, &expected);
        for (ix, e) in expected.iter().enumerate() {
            let ix = ix as EventIx;
            prop_assert_eq!(store.id(ix), e.id.as_str());
            prop_assert_eq!(store.title(ix), e.title.as_str());
            prop_assert_eq!(store.casualties(ix), e.casualties.as_ref());
            prop_assert_eq!(store.event(ix), Some(e.clone()));
        }
        prop_assert_eq!(store.to_dataset().events.to_vec(), expected);
    }

    #[test]
    fn window_query_matches_naive_scan(
        raw in prop::collection::vec((0i64..20_000, 0i64..400, any::<bool>()), 0..200),
        t0 in -100i64..21_000,
        len in 0i64..3_000,
    ) {
        // Days since 2000 as dates; some points, some spans.
        let base = FuzzyDate::day(2000, 1, 1).unwrap().earliest;
        let events: Vec<Event> = raw
            .iter()
            .enumerate()
            .map(|(i, &(start, dur, span))| {
                let s = FuzzyDate::at(crate::model::date::from_instant(base + start * 86_400).unwrap(), crate::model::Precision::Day);
                let end = span.then(|| FuzzyDate::at(crate::model::date::from_instant(s.earliest + dur * 86_400).unwrap(), crate::model::Precision::Day));
                Event::new(i.to_string(), "x", "clash", When { start: s, end, note: None })
            })
            .collect();
        let store = Store::build(Dataset { events: events.into(), ..Dataset::default() });
        let (q0, q1) = (base + t0 * 86_400, base + (t0 + len) * 86_400);
        let expected: Vec<EventIx> = (0..store.len())
            .filter(|&i| store.earliest[i] <= q1 && store.latest[i] >= q0)
            .map(|i| i as EventIx)
            .collect();
        prop_assert_eq!(store.overlapping(q0, q1), expected);
    }
}

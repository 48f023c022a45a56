//! Unit tests of the column table; [`event`] (any event, every field
//! exercised) is shared with other rooms' tests.

use proptest::prelude::*;

use super::dates::Dates;
use super::dict::{Dict, HOT, HOT_BYTES};
use super::lists::{Lists, UNSHARE_CHECK};
use super::texts::Ends;
use super::{EventTable, PlaceParts, RowHead, SourceParts};
use crate::model::date::{EndForm, WindowEnds};
use crate::model::{
    Actor, Casualties, Event, FuzzyDate, Place, Precision, Provenance, Role, Source, When,
};

#[test]
fn date_column_gives_back_every_precision_flag_and_window_form() {
    let mut col = Dates::default();
    let mut all = Vec::new();
    for (k, &p) in Precision::ALL.iter().enumerate() {
        for flags in 0..4u8 {
            let form = |q: Precision, f: u8| EndForm {
                precision: q,
                approximate: f & 1 != 0,
                uncertain: f & 2 != 0,
            };
            let window = (k % 2 == 1).then(|| WindowEnds {
                start: form(Precision::ALL[(k + 3) % 7], flags),
                end: form(p, 3 - flags),
            });
            all.push(FuzzyDate {
                earliest: -(k as i64) * 1000 - i64::from(flags),
                latest: k as i64 * 7919,
                precision: p,
                approximate: flags & 1 != 0,
                uncertain: flags & 2 != 0,
                window,
            });
        }
    }
    for d in &all {
        col.push(*d);
    }
    assert_eq!(col.iter().collect::<Vec<_>>(), all);
    assert_eq!(col.get(all.len()), None);
}

#[test]
fn a_table_without_its_lookup_still_shares_its_words() {
    let e = Event::new(
        "a",
        "t",
        "call",
        When::point(FuzzyDate::parse("2022").unwrap()),
    );
    let mut table = EventTable::new();
    table.push(&e);
    let words = table.word_count();
    table.drop_lookup();
    table.push(&e);
    assert_eq!(table.word_count(), words);
    assert_eq!(table.get(1), Some(e));
}

#[test]
fn text_ends_widen_past_four_gibibytes() {
    let big = u64::from(u32::MAX) + 10;
    let mut ends = Ends::default();
    ends.push(5);
    ends.push(u64::from(u32::MAX));
    assert!(matches!(ends, Ends::Narrow(_)));
    ends.push(big);
    assert!(matches!(ends, Ends::Wide(_)));
    assert_eq!(
        ends.iter().collect::<Vec<_>>(),
        [5, u64::from(u32::MAX), big]
    );
    assert_eq!(ends.get(2), Some(big));
    ends.truncate(1);
    assert_eq!(ends.len(), 1);
    assert!(matches!(Ends::from_wide(vec![1, 2]), Ends::Narrow(_)));
    assert!(matches!(Ends::from_wide(vec![1, big]), Ends::Wide(_)));
}

/// Texts from a small alphabet, so that values repeat (and the
/// dictionary shares them) as in real files; sometimes empty or long.
fn text() -> impl Strategy<Value = String> {
    prop_oneof!["[ab]{0,2}", "[a-zé ]{0,12}", "\\PC{0,40}",]
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(text())
}

fn date() -> impl Strategy<Value = FuzzyDate> {
    prop_oneof![
        (1900i32..2100, 1u32..13, 1u32..29).prop_map(|(y, m, d)| FuzzyDate::day(y, m, d).unwrap()),
        prop::sample::select(vec![
            "2022",
            "2020-09~",
            "2022-W31",
            "2020-09-27/2020-11",
            "2022-08-05T14:30"
        ])
        .prop_map(|t| FuzzyDate::parse(t).unwrap()),
    ]
}

#[test]
fn a_dictionary_gives_each_text_one_code_through_its_hot_slots() {
    // More short texts than hot slots (so slots are overwritten), long
    // ones that bypass them, each asked for from fresh copies.
    let texts: Vec<String> = (0..3 * HOT)
        .map(|i| match i % 3 {
            0 => format!("t{i}"),
            1 => format!("a text longer than the hot slots hold, {i}"),
            _ => "x".repeat(i % HOT_BYTES + 1),
        })
        .collect();
    let mut d = Dict::default();
    let first: Vec<u32> = texts.iter().map(|t| d.code(&t.clone())).collect();
    for _ in 0..2 {
        for (t, &c) in texts.iter().zip(&first) {
            assert_eq!(d.code(&t.clone()), c, "{t}");
            assert_eq!(d.get(c), t);
        }
    }
    let distinct: std::collections::HashSet<&String> = texts.iter().collect();
    assert_eq!(d.values.len(), distinct.len());
    d.clear();
    assert_eq!(d.code("t0"), 0);
    assert_eq!(d.get(0), "t0");
}

#[test]
fn whole_numbers_in_extra_come_back_as_they_were_given() {
    use serde_json::{Value, json};
    let values = [
        json!(0),
        json!(31),
        json!(u32::MAX),
        json!(u64::from(u32::MAX) + 1),
        json!(-1),
        json!(1.5),
        Value::String("31".into()),
        Value::String("007".into()),
    ];
    let mut t = EventTable::new();
    let mut row = t.begin_row();
    for (k, v) in values.iter().enumerate() {
        row.extra(&format!("k{k}"), v);
    }
    row.extra_json("plain", "1670889600");
    row.extra_json("zero-led", "0012");
    row.finish(RowHead {
        id: "e",
        title: "t",
        description: "",
        when: &When::point(FuzzyDate::year(2020).unwrap()),
        kind: "call",
    });
    let e = t.get(0).unwrap();
    for (k, v) in values.iter().enumerate() {
        assert_eq!(e.extra.get(&format!("k{k}")), Some(v), "k{k}");
    }
    assert_eq!(e.extra.get("plain"), Some(&json!(1_670_889_600u32)));
    // Not a JSON number as written: kept as its text, read back as
    // JSON would read it (here: not at all).
    assert_eq!(e.extra.get("zero-led"), Some(&Value::Null));
    // And through the cache's bytes.
    let mut bytes = Vec::new();
    t.encode(&mut bytes);
    let (back, _) = EventTable::decode(&bytes).unwrap();
    assert_eq!(back.get(0), Some(e));
}

fn json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value, json};
    prop_oneof![
        text().prop_map(Value::String),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        // Held as numbers, not dictionary texts (and digits as text
        // that must stay text).
        any::<u32>().prop_map(|n| json!(n)),
        "[0-9]{1,4}".prop_map(Value::String),
        (-1e12f64..1e12).prop_map(|f| json!(f)),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
        prop::collection::vec(text(), 0..3).prop_map(|v| json!(v)),
    ]
}

fn role() -> impl Strategy<Value = Role> {
    prop::sample::select(vec![
        Role::Initiator,
        Role::Target,
        Role::SideA,
        Role::SideB,
        Role::Mediator,
        Role::Participant,
    ])
}

fn coordinate() -> impl Strategy<Value = Option<f64>> {
    prop::option::of(-180.0f64..180.0)
}

prop_compose! {
    fn actor()(name in text(), role in role(), affiliation in opt_text(), country in opt_text()) -> Actor {
        Actor { name, role, affiliation, country }
    }
}

prop_compose! {
    fn place()(name in text(), admin in opt_text(), country in opt_text(), lat in coordinate(), lon in coordinate(), precision in opt_text()) -> Place {
        Place { name, admin, country, lat, lon, precision }
    }
}

prop_compose! {
    fn source()(publisher in opt_text(), title in opt_text(), url in opt_text(), published in prop::option::of(date()), quote in opt_text(), credit in opt_text()) -> Source {
        Source { publisher, title, url, published, quote, credit }
    }
}

prop_compose! {
    fn provenance()(format in text(), file in opt_text(), record in opt_text(), line in prop::option::of(any::<u64>())) -> Provenance {
        Provenance { format, file, record, line }
    }
}

prop_compose! {
    fn casualties()(low in prop::option::of(any::<u64>()), best in prop::option::of(any::<u64>()), high in prop::option::of(any::<u64>())) -> Casualties {
        Casualties { low, best, high }
    }
}

prop_compose! {
    /// Any event, every field exercised (shared with the store's tests).
    pub(crate) fn event()(
        (id, title, description, kind) in (text(), text(), text(), text()),
        (start, end, note) in (date(), prop::option::of(date()), opt_text()),
        actors in prop::collection::vec(actor(), 0..4),
        place in prop::option::of(place()),
        casualties in prop::option::of(casualties()),
        sources in prop::collection::vec(source(), 0..3),
        tags in prop::collection::vec(text(), 0..3),
        codes in prop::collection::btree_map(text(), text(), 0..3),
        provenance in prop::option::of(provenance()),
        extra in prop::collection::btree_map(text(), json(), 0..4),
    ) -> Event {
        Event {
            id, title, description, kind,
            when: When { start, end, note },
            actors, place, casualties, sources, tags, codes, provenance, extra,
        }
    }
}

proptest! {
    #[test]
    fn a_table_gives_back_exactly_the_events_it_was_built_from(
        events in prop::collection::vec(event(), 0..40),
    ) {
        let table = EventTable::from(events.clone());
        prop_assert_eq!(table.len(), events.len());
        prop_assert_eq!(table.to_vec(), events.clone());
        for (i, e) in events.iter().enumerate() {
            prop_assert_eq!(table.id(i), e.id.as_str());
            prop_assert_eq!(table.title(i), e.title.as_str());
            prop_assert_eq!(table.kind(i), e.kind.as_str());
            prop_assert_eq!(table.when(i), Some(e.when.clone()));
            let names: Vec<&str> = table.actor_names(i).collect();
            let expected: Vec<&str> = e.actors.iter().map(|a| a.name.as_str()).collect();
            prop_assert_eq!(names, expected);
            let lon_lat = e.place.as_ref().and_then(|p| Some((p.lon?, p.lat?)));
            prop_assert_eq!(table.lon_lat(i), lon_lat);
        }
        prop_assert!(table.get(events.len()).is_none());
    }

    #[test]
    fn a_row_left_unfinished_leaves_no_trace(
        before in prop::collection::vec(event(), 0..10),
        half in event(),
        after in prop::collection::vec(event(), 0..10),
    ) {
        let mut table = EventTable::from(before.clone());
        {
            // Every list cell of an event, then dropped unfinished (an
            // importer that finds the row bad halfway).
            let mut row = table.begin_row();
            for a in &half.actors {
                row.actor(&a.name, a.role, a.affiliation.as_deref(), a.country.as_deref());
            }
            for s in &half.sources {
                row.source(SourceParts { quote: s.quote.as_deref(), ..SourceParts::default() });
            }
            for t in &half.tags {
                row.tag(t);
            }
            if let Some(p) = &half.provenance {
                row.provenance(&p.format, None, p.record.as_deref(), p.line);
            }
            for (k, v) in &half.extra {
                row.extra(k, v);
            }
            row.casualties(Casualties::default());
            row.place(PlaceParts { name: "x", ..PlaceParts::default() });
        }
        table.extend(after.iter());
        let mut all = before;
        all.extend(after);
        prop_assert_eq!(table.to_vec(), all);
    }

    #[test]
    fn a_cleared_table_is_empty_and_fills_again(
        first in prop::collection::vec(event(), 0..20),
        second in prop::collection::vec(event(), 0..20),
    ) {
        let mut table = EventTable::from(first);
        table.clear();
        prop_assert!(table.is_empty());
        prop_assert!(table.to_vec().is_empty());
        table.extend(second.iter());
        prop_assert_eq!(table.to_vec(), second);
    }

    #[test]
    fn encoded_columns_decode_to_the_same_events(
        events in prop::collection::vec(event(), 0..30),
        more in prop::collection::vec(event(), 0..5),
    ) {
        let table = EventTable::from(events.clone());
        let mut bytes = Vec::new();
        table.encode(&mut bytes);
        let (mut back, used) = EventTable::decode(&bytes).unwrap();
        prop_assert_eq!(used, bytes.len());
        prop_assert_eq!(back.to_vec(), events.clone());
        // A table read back can still be added to (its dictionary
        // lookup is rebuilt on first use).
        back.extend(more.iter());
        let mut all = events;
        all.extend(more);
        prop_assert_eq!(back.to_vec(), all);
    }

    #[test]
    fn damaged_columns_are_an_error_not_a_panic(
        events in prop::collection::vec(event(), 1..10),
        cut in 0.0f64..1.0,
        flip in any::<(usize, u8)>(),
    ) {
        let mut bytes = Vec::new();
        EventTable::from(events).encode(&mut bytes);
        let cut_at = (bytes.len() as f64 * cut) as usize;
        prop_assert!(EventTable::decode(&bytes[..cut_at]).is_err());
        // A flipped byte may still decode (a changed letter), but must
        // not panic, and what it gives can be read whole.
        let i = flip.0 % bytes.len();
        bytes[i] ^= flip.1.max(1);
        if let Ok((t, _)) = EventTable::decode(&bytes) {
            let _ = t.to_vec();
        }
    }

    #[test]
    fn appending_tables_is_concatenating_their_events(
        a in prop::collection::vec(event(), 0..20),
        b in prop::collection::vec(event(), 0..20),
    ) {
        let mut table = EventTable::from(a.clone());
        table.append(&EventTable::from(b.clone()));
        let mut both = a;
        both.extend(b);
        prop_assert_eq!(table.to_vec(), both);
    }

}

#[test]
fn repeated_values_are_stored_once() {
    let mut e = Event::new(
        "a",
        "t",
        "clash",
        When::point(FuzzyDate::parse("2022").unwrap()),
    );
    e.actors.push(Actor {
        name: "Military Forces of Azerbaijan (2003-)".into(),
        ..Actor::default()
    });
    let one = EventTable::from(vec![e.clone()]);
    let many = EventTable::from(vec![e; 1000]);
    // The actor's name (and the kind) are in the dictionary once.
    assert_eq!(many.words.values.len(), one.words.values.len());
    // And the row's list of actors is stored once: the empty list and
    // this one.
    assert_eq!(many.actors.list_count(), 2);
    assert_eq!(many.actors.items.len(), 1);
    assert_eq!(many.get(999), one.get(0));
}

#[test]
fn a_record_that_is_the_id_is_not_stored_twice() {
    let mut e = Event::new(
        "AZE1",
        "t",
        "clash",
        When::point(FuzzyDate::parse("2022").unwrap()),
    );
    let provenance = |record: &str| Provenance {
        format: "acled".into(),
        file: Some("a.csv".into()),
        record: Some(record.into()),
        line: Some(2),
    };
    e.provenance = Some(provenance("AZE1"));
    let mut other = e.clone();
    other.id = "AZE2".into();
    other.provenance = Some(provenance("row 7"));
    let table = EventTable::from(vec![e.clone(), other.clone(), e.clone()]);
    assert_eq!(table.records.len(), 1);
    assert_eq!(table.records.get(0), "row 7");
    assert_eq!(table.to_vec(), [e.clone(), other.clone(), e.clone()]);
    assert_eq!(table.record(0), Some(("acled", "AZE1")));
    assert_eq!(table.record(1), Some(("acled", "row 7")));
    // Through appending and the cache's bytes too.
    let mut both = EventTable::from(vec![other.clone()]);
    both.append(&table);
    let mut bytes = Vec::new();
    both.encode(&mut bytes);
    let (back, _) = EventTable::decode(&bytes).unwrap();
    assert_eq!(back.to_vec(), [other.clone(), e.clone(), other, e]);
}

#[test]
fn shared_and_unshared_list_columns_append_to_each_other() {
    let rows: [&[u32]; 5] = [&[1, 2], &[], &[1, 2], &[3], &[1, 2]];
    let fill = |mut lists: Lists<u32>| {
        for r in rows {
            lists.items.extend_from_slice(r);
            lists.end_row();
        }
        lists
    };
    let shared = fill(Lists::shared());
    let plain = fill(Lists::default());
    assert_eq!(shared.list_count(), 3);
    assert_eq!(plain.list_count(), 5);
    for (a, b) in [(&shared, &plain), (&plain, &shared), (&shared, &shared)] {
        let mut both = a.clone();
        both.append_mapped(b, |&x| x * 10);
        assert_eq!(both.rows(), 10);
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(both.row(i), *r);
            let tens: Vec<u32> = r.iter().map(|x| x * 10).collect();
            assert_eq!(both.row(i + 5), tens.as_slice());
        }
    }
    // A shared column whose lists are nearly all distinct stops sharing,
    // and keeps every row.
    let mut unique: Lists<u32> = Lists::shared();
    for i in 0..UNSHARE_CHECK as u32 + 10 {
        unique.items.push(i / 20);
        if i % 20 != 0 {
            unique.items.push(i);
        }
        unique.end_row();
    }
    assert!(unique.shared.is_none());
    assert_eq!(unique.rows(), UNSHARE_CHECK + 10);
    assert_eq!(unique.row(20), &[1]);
    assert_eq!(unique.row(21), &[1, 21]);
    let last = UNSHARE_CHECK as u32 + 9;
    assert_eq!(unique.row(last as usize), &[last / 20, last]);
    // One that repeats a few lists keeps sharing.
    let mut few: Lists<u32> = Lists::shared();
    for i in 0..UNSHARE_CHECK as u32 * 2 {
        few.items.push(i % 5);
        few.end_row();
    }
    assert!(few.shared.is_some());
    assert_eq!(few.list_count(), 6);
    // A shared column read back from bytes finds its lists again.
    let mut back = shared.clone();
    back.drop_lookup();
    back.items.extend_from_slice(&[3]);
    back.end_row();
    assert_eq!(back.list_count(), 3);
    assert_eq!(back.row(5), &[3]);
}

//! Ids for records whose source gives them none (rows of a plain table,
//! TimelineJS slides, Timeline events).
//!
//! Notes, stars and tags are kept by event id, so an id must not be the
//! record's position: insert a row at the top and every later note would
//! move to another event. The id is made from what the record says — its
//! dates as written, title, description, actors and place — hashed with
//! 64-bit FNV-1a (stable across runs, platforms and versions, unlike
//! `std`'s hasher); exact duplicates get an occurrence number (`-2`, `-3`)
//! in file order. So inserting, removing or reordering other records
//! leaves an id unchanged; editing the record itself changes it.

use std::collections::HashMap;

use crate::model::Event;

/// 64-bit FNV-1a of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// What an event says, as one text: the parts that make it this event.
pub fn content_key(event: &Event) -> String {
    let mut key = String::new();
    let mut part = |s: &str| {
        key.push_str(s);
        key.push('\u{1f}');
    };
    part(&event.when.start.to_text());
    part(&event.when.end.map(|e| e.to_text()).unwrap_or_default());
    part(&event.title);
    part(&event.description);
    for a in &event.actors {
        part(&a.name);
    }
    part("");
    if let Some(p) = &event.place {
        part(&p.name);
        part(p.country.as_deref().unwrap_or(""));
    }
    key
}

/// Gives ids made from content, numbering exact duplicates.
#[derive(Default)]
pub struct ContentIds {
    seen: HashMap<u64, u32>,
}

impl ContentIds {
    /// The id for a record whose content is `key`: `{prefix}-{hash}`, with
    /// `-N` for its N-th exact duplicate.
    pub fn id_for(&mut self, prefix: &str, key: &str) -> String {
        let h = fnv1a(key.as_bytes());
        let n = self.seen.entry(h).or_insert(0);
        *n += 1;
        if *n == 1 {
            format!("{prefix}-{h:016x}")
        } else {
            format!("{prefix}-{h:016x}-{n}")
        }
    }
}

/// Give every event whose source had no id of its own (its provenance
/// names no record) an id made from its content.
pub fn assign_content_ids(events: &mut [Event], prefix: &str) {
    let mut ids = ContentIds::default();
    for e in events {
        let has_own = e.provenance.as_ref().is_some_and(|p| p.record.is_some());
        if !has_own {
            e.id = ids.id_for(prefix, &content_key(e));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FuzzyDate, When};

    fn event(title: &str, day: u32) -> Event {
        Event::new(
            "x",
            title.to_string(),
            "other",
            When::point(FuzzyDate::day(2022, 8, day).unwrap()),
        )
    }

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    proptest::proptest! {
        /// Inserting a new record anywhere, or reversing the order of
        /// distinct records, leaves every other record's id as it was.
        #[test]
        fn ids_survive_insertion_and_reordering(
            titles in proptest::collection::vec("[a-c]{1,2}", 0..30),
            at in 0usize..31,
        ) {
            let events: Vec<Event> = titles.iter().map(|t| event(t, 5)).collect();
            let mut before = events.clone();
            assign_content_ids(&mut before, "row");
            let mut inserted = events.clone();
            inserted.insert(at.min(events.len()), event("a new record", 6));
            assign_content_ids(&mut inserted, "row");
            inserted.remove(at.min(events.len()));
            let ids = |v: &[Event]| v.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
            proptest::prop_assert_eq!(ids(&inserted), ids(&before));
            // Distinct records keep their ids in any order.
            let mut distinct: Vec<Event> = Vec::new();
            for e in &events {
                if !distinct.iter().any(|d| d.title == e.title) {
                    distinct.push(e.clone());
                }
            }
            let mut forward = distinct.clone();
            assign_content_ids(&mut forward, "row");
            let mut backward: Vec<Event> = distinct.into_iter().rev().collect();
            assign_content_ids(&mut backward, "row");
            backward.reverse();
            proptest::prop_assert_eq!(ids(&backward), ids(&forward));
        }
    }

    #[test]
    fn ids_follow_content_not_position() {
        let mut a = vec![event("Call", 5), event("Clash", 6), event("Call", 5)];
        assign_content_ids(&mut a, "row");
        assert_ne!(a[0].id, a[1].id);
        assert_eq!(a[2].id, format!("{}-2", a[0].id));
        let mut b = vec![event("New", 1), event("Clash", 6), event("Call", 5)];
        assign_content_ids(&mut b, "row");
        assert_eq!(b[1].id, a[1].id);
        assert_eq!(b[2].id, a[0].id);
    }
}

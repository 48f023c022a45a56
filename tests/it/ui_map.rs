//! UI tests of the map panel: opening it, the area filter drawn with
//! Shift+drag, selection and hover linked both ways with the timeline, and
//! playing the visible window. Driven by accessible labels, keys and the
//! pointer, like the `ui` tests.

use egui::{Event, Key, Modifiers, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use eventline::store::EventIx;
use eventline::ui::EventlineApp;

use crate::fixtures::{self, open};

/// ACLED's own layout: clashes, shelling and protests around Armenia and
/// Azerbaijan, 2020 to 2022, each with coordinates and `geo_precision`.
fn acled_with_map() -> Harness<'static, EventlineApp> {
    let path = fixtures::in_dir("acled", "armenia-azerbaijan-2020-2022.csv");
    let mut h = open(vec![path]);
    h.key_press(Key::M);
    h.run();
    // The panel settles (the timeline narrows beside it, the map fits).
    h.run();
    h
}

fn event_at_place(h: &Harness<'_, EventlineApp>, place: &str) -> Vec<EventIx> {
    let store = h.state().store().unwrap().clone();
    (0..store.len() as EventIx)
        .filter(|&i| {
            store
                .event(i)
                .and_then(|e| e.place)
                .is_some_and(|p| p.name == place)
        })
        .collect()
}

fn click(h: &mut Harness<'_, EventlineApp>, p: Pos2) {
    h.hover_at(p);
    h.run();
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos: p,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run();
}

#[test]
fn m_shows_the_map_and_counts_events_without_a_location() {
    let mut h = open(Vec::new());
    assert!(h.query_by_label("Map view").is_none());
    h.key_press(Key::M);
    h.run();
    h.get_by_role_and_label(egui::Role::Canvas, "Map view");
    // The built-in dataset names places but gives no coordinates.
    h.get_by_label("15 events have no location");
    assert_eq!(h.state().map().clusters().map(|c| c.total()), Some(0));
    // The toolbar's button hides it again.
    h.get_by_label("Map").click();
    h.run();
    assert!(!h.state().map().open);
}

#[test]
fn located_events_are_on_the_map_in_clusters_and_glyphs() {
    let h = acled_with_map();
    let store = h.state().store().unwrap().clone();
    let clusters = h.state().map().clusters().unwrap();
    assert_eq!(clusters.total(), store.len(), "every event is located");
    assert!(h.query_by_label_contains("no location").is_none());
    // Yerevan's three events share a place: one cluster of three.
    let yerevan = event_at_place(&h, "Yerevan");
    assert_eq!(yerevan.len(), 3);
    assert!(clusters.cells.iter().any(|c| c.count == 3));
    // Each event is inside the map.
    let rect = h.state().map().rect();
    for i in 0..store.len() as EventIx {
        let p = h.state().map().screen_pos_of(i).unwrap();
        assert!(rect.contains(p), "{i} at {p:?} outside {rect:?}");
    }
}

#[test]
fn shift_drag_draws_an_area_filter_with_a_removable_chip() {
    let mut h = acled_with_map();
    let total = h.state().store().unwrap().len();
    let yerevan = event_at_place(&h, "Yerevan");
    let p = h.state().map().screen_pos_of(yerevan[0]).unwrap();
    let (a, b) = (p - Vec2::splat(20.0), p + Vec2::splat(20.0));
    h.event(Event::ModifiersChanged(Modifiers::SHIFT));
    h.drag_at(a);
    h.run();
    h.hover_at(a + Vec2::splat(15.0));
    h.run();
    h.hover_at(b);
    h.run();
    h.drop_at(b);
    h.run();
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.run();
    let area = h.state().filter().area.expect("an area filter");
    assert!(area.contains(44.5136, 40.1811), "{area:?} misses Yerevan");
    assert!(!area.contains(46.3606, 40.6828), "{area:?} takes in Ganja");
    let count = h
        .state()
        .data()
        .as_ref()
        .unwrap()
        .result
        .as_ref()
        .unwrap()
        .count;
    assert_eq!(count, 3, "only Yerevan's events pass");
    // The map shows what the filter shows.
    assert_eq!(h.state().map().clusters().unwrap().total(), 3);
    // The chip names the box and removes it.
    h.get_by_label_contains("area: ").click();
    h.run();
    assert_eq!(h.state().filter().area, None);
    let count = h
        .state()
        .data()
        .as_ref()
        .unwrap()
        .result
        .as_ref()
        .unwrap()
        .count;
    assert_eq!(count, total);
}

#[test]
fn selecting_on_the_map_selects_on_the_timeline_and_back() {
    let mut h = acled_with_map();
    let store = h.state().store().unwrap().clone();
    // A glyph of its own (not folded into a cluster).
    let single = h
        .state()
        .map()
        .clusters()
        .unwrap()
        .cells
        .iter()
        .find(|c| c.count == 1)
        .map(|c| c.first)
        .unwrap();
    let p = h.state().map().screen_pos_of(single).unwrap();
    // Hovering it rings it on the timeline.
    h.hover_at(p);
    h.run();
    assert_eq!(h.state().map().hovered, Some(single));
    click(&mut h, p);
    assert_eq!(h.state().selected(), Some(single));
    let title = store.event(single).unwrap().title.clone();
    h.get_by_label(&title);
    assert_eq!(h.state().map().drawn_selection, Some(single));

    // The other way: click another event on the timeline, and the map
    // shows it selected (even inside a cluster).
    let other = (0..store.len() as EventIx)
        .find(|&i| i != single && !h.state().timeline().positions_of(i).is_empty())
        .unwrap();
    let mark = h.state().timeline().positions_of(other)[0];
    click(&mut h, mark);
    assert_eq!(h.state().selected(), Some(other));
    assert_eq!(h.state().map().drawn_selection, Some(other));
    // Hovering a mark on the timeline rings that event on the map.
    h.hover_at(mark);
    h.run();
    h.run();
    assert_eq!(h.state().map().linked, Some(other));
}

#[test]
fn moving_the_timeline_changes_what_the_map_shows() {
    let mut h = acled_with_map();
    let total = h.state().map().clusters().unwrap().total();
    // Only November 2020 on the timeline.
    let day = |t: &str| eventline::model::FuzzyDate::parse(t).unwrap().earliest;
    h.state_mut().timeline_mut().range = Some((day("2020-11-09"), day("2020-11-13")));
    h.key_press(Key::F);
    h.run();
    h.run();
    let now = h.state().map().clusters().unwrap().total();
    assert!(now < total, "{now} of {total}");
    assert_eq!(now, event_at_place(&h, "Yerevan").len());
}

#[test]
fn space_plays_the_window_forward_and_pauses() {
    let mut h = acled_with_map();
    let total = h.state().map().clusters().unwrap().total();
    h.get_by_role_and_label(egui::Role::ComboBox, "Speed:")
        .click();
    h.run();
    h.get_by_label("Fast (10 s)").click();
    h.run();
    h.key_press(Key::Space);
    h.step();
    h.step();
    assert!(h.state().map().play.playing);
    h.get_by_label_contains("Playing:");
    let early = h.state().map().clusters().unwrap().total();
    assert!(early < total, "at the start {early} of {total} shown");
    // Events appear in order as the moment moves on.
    let mut last = early;
    let mut cutoff = h.state().map().play.cutoff.unwrap();
    for _ in 0..10 {
        h.step();
        let shown = h.state().map().clusters().unwrap().total();
        let t = h.state().map().play.cutoff.unwrap();
        assert!(shown >= last && t > cutoff);
        (last, cutoff) = (shown, t);
    }
    // Space pauses: the moment stays.
    h.key_press(Key::Space);
    h.step();
    let paused = h.state().map().play.cutoff;
    h.step();
    h.step();
    assert!(!h.state().map().play.playing);
    assert_eq!(h.state().map().play.cutoff, paused);
    // Playing on to the end shows every event again.
    h.key_press(Key::Space);
    for _ in 0..60 {
        h.step();
    }
    assert!(!h.state().map().play.playing, "stops at the window's end");
    assert_eq!(h.state().map().clusters().unwrap().total(), total);
    h.get_by_label("Stop").click();
    h.run();
    assert_eq!(h.state().map().play.cutoff, None);
}

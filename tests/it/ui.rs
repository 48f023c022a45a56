//! UI tests: drive the real app (eframe `App`) with egui_kittest, by its
//! accessible labels, the pointer and the keyboard.

use egui::{Event, Key, Modifiers, MouseWheelUnit, Pos2, TouchPhase, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use eventline::model::FuzzyDate;
use eventline::ui::EventlineApp;

use crate::fixtures::{self, open};

fn app() -> Harness<'static, EventlineApp> {
    open(Vec::new())
}

fn day(text: &str) -> i64 {
    FuzzyDate::parse(text).unwrap().earliest
}

/// Where the lanes are: a point inside them.
fn body_point(h: &Harness<'_, EventlineApp>, fx: f32) -> Pos2 {
    let r = h.state().timeline().body_rect();
    Pos2::new(r.left() + r.width() * fx, r.top() + 30.0)
}

fn wheel(h: &Harness<'_, EventlineApp>, delta: Vec2, modifiers: Modifiers) {
    h.event(Event::MouseWheel {
        unit: MouseWheelUnit::Point,
        delta,
        phase: TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers,
    });
}

#[test]
fn opens_on_the_default_dataset() {
    let h = app();
    h.get_by_label("Nagorno-Karabakh, August 2022 (RFE/RL)");
    assert!(h.query_all_by_label("15 events").count() >= 1);
    // Lanes by kind, with their counts.
    h.get_by_label("Lane Statement: 6 events");
    h.get_by_label("Lane Call: 3 events");
}

#[test]
fn ctrl_wheel_zooms_about_the_pointer() {
    let mut h = app();
    let p = body_point(&h, 0.37);
    h.hover_at(p);
    h.run();
    let before = h.state().timeline().axis().unwrap();
    let t_before = before.t_of_precise(p.x);
    wheel(&h, Vec2::new(0.0, 120.0), Modifiers::CTRL);
    h.run();
    let after = h.state().timeline().axis().unwrap();
    assert!(
        after.scale() > before.scale() * 1.05,
        "{} -> {}",
        before.scale(),
        after.scale()
    );
    let t_after = after.t_of_precise(p.x);
    let drift = (t_after.0 - t_before.0) as f64 + (t_after.1 - t_before.1);
    // The time under the pointer stays put (to well under a pixel).
    assert!(
        drift.abs() < 0.05 * after.seconds_per_pixel(),
        "drift {drift} s"
    );
}

#[test]
fn shift_wheel_pans_and_drag_pans() {
    let mut h = app();
    let p = body_point(&h, 0.5);
    let t = day("2010-01-01");
    let x0 = h.state().timeline().axis().unwrap().x_of(t);
    h.drag_at(p);
    h.run();
    h.hover_at(p + Vec2::new(60.0, 0.0));
    h.run();
    h.hover_at(p + Vec2::new(120.0, 0.0));
    h.run();
    h.drop_at(p + Vec2::new(120.0, 0.0));
    h.run();
    let x1 = h.state().timeline().axis().unwrap().x_of(t);
    assert!((x1 - x0 - 120.0).abs() < 1.0, "moved {}", x1 - x0);

    h.hover_at(p);
    wheel(&h, Vec2::new(0.0, -50.0), Modifiers::SHIFT);
    h.run();
    let x2 = h.state().timeline().axis().unwrap().x_of(t);
    assert!(
        (x2 - x1).abs() > 10.0,
        "shift+wheel did not pan ({x1} -> {x2})"
    );
}

#[test]
fn f_fits_everything_after_zooming() {
    let mut h = app();
    let fitted = h.state().timeline().axis().unwrap();
    let p = body_point(&h, 0.8);
    h.hover_at(p);
    for _ in 0..5 {
        wheel(&h, Vec2::new(0.0, 200.0), Modifiers::CTRL);
        h.run();
    }
    assert!(h.state().timeline().axis().unwrap().scale() > fitted.scale() * 3.0);
    h.key_press(Key::F);
    h.run();
    let back = h.state().timeline().axis().unwrap();
    assert!((back.scale() / fitted.scale() - 1.0).abs() < 1e-6);
    assert!((back.center() - fitted.center()).abs() < 1.0);
}

#[test]
fn period_steps_to_the_next_event_and_the_detail_panel_shows_it() {
    let mut h = app();
    h.key_press(Key::Home);
    h.run();
    h.get_by_label("Nagorno-Karabakh comes under ethnic Armenian control");
    h.get_by_label("roughly between 1991 and 1993");
    h.key_press(Key::Period);
    h.run();
    h.get_by_label("Six-week war over Nagorno-Karabakh");
    h.get_by_label("about 29 September 2020 – 10 November 2020");
    h.get_by_label("Dead: at least 6500");
    h.key_press(Key::Period);
    h.run();
    h.get_by_label("Moscow-brokered truce halts the six-week war");
    h.get_by_label("10 November 2020");
    h.get_by_label("day precision");
    h.get_by_label_contains("Russia — mediator");
    // The source quote is shown.
    h.get_by_label_contains("truce brokered by Moscow that brought a halt");
    h.key_press(Key::Comma);
    h.run();
    h.get_by_label("Six-week war over Nagorno-Karabakh");
    h.key_press(Key::Escape);
    h.run();
    assert!(
        h.query_by_label("Six-week war over Nagorno-Karabakh")
            .is_none()
    );
    assert_eq!(h.state().selected(), None);
}

#[test]
fn this_week_of_the_fighting_reads_as_the_days_up_to_the_article() {
    let mut h = app();
    let store = h.state().store().unwrap().clone();
    let ix = store.find_id("2022-w31-renewed-fighting").unwrap();
    h.state_mut().set_selected(Some(ix));
    h.run();
    h.get_by_label("between 1 August 2022 and 5 August 2022");
    h.get_by_label("day precision, somewhere in this window");
    h.get_by_label_contains("\"this week\"");
}

#[test]
fn grouping_by_actor_puts_a_two_actor_call_in_both_lanes() {
    let mut h = app();
    h.get_by_role_and_label(egui::Role::ComboBox, "Lanes:")
        .click();
    h.run();
    h.get_by_label("Actor").click();
    h.run();
    h.get_by_label("Lane Antony Blinken: 4 events");
    h.get_by_label("Lane Nikol Pashinian: 3 events");
    // Look at 5 August 2022 closely.
    h.state_mut().timeline_mut().range = Some((day("2022-08-04T20:00"), day("2022-08-06T04:00")));
    h.key_press(Key::F);
    h.run();
    let store = h.state().store().unwrap().clone();
    let call = store.find_id("2022-08-05-blinken-pashinian-call").unwrap();
    let lanes = h.state().lanes().unwrap().clone();
    let in_lanes: Vec<&str> = lanes
        .lanes_of(call)
        .iter()
        .map(|&l| lanes.lanes[l].name.as_str())
        .collect();
    assert_eq!(in_lanes.len(), 2, "{in_lanes:?}");
    assert!(in_lanes.contains(&"Antony Blinken") && in_lanes.contains(&"Nikol Pashinian"));
    // And it is drawn in both, at the same moment (joined by a connector).
    let marks = h.state().timeline().positions_of(call);
    assert_eq!(marks.len(), 2, "{marks:?}");
    assert!((marks[0].x - marks[1].x).abs() < 0.5);
    assert!((marks[0].y - marks[1].y).abs() > 20.0);
}

#[test]
fn clicking_a_mark_selects_its_event() {
    let mut h = app();
    let store = h.state().store().unwrap().clone();
    let truce = store.find_id("2020-11-10-moscow-brokered-truce").unwrap();
    h.state_mut().timeline_mut().range = Some((day("2020-11-01"), day("2020-11-20")));
    h.key_press(Key::F);
    h.run();
    let marks = h.state().timeline().positions_of(truce);
    assert_eq!(marks.len(), 1);
    h.hover_at(marks[0]);
    h.run();
    h.event(Event::PointerButton {
        pos: marks[0],
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.event(Event::PointerButton {
        pos: marks[0],
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run();
    assert_eq!(h.state().selected(), Some(truce));
    h.get_by_label("Moscow-brokered truce halts the six-week war");
}

#[test]
fn question_mark_lists_the_shortcuts() {
    let mut h = app();
    h.key_press(Key::Questionmark);
    h.run();
    h.get_by_label("Keyboard and mouse");
    h.get_by_label("zoom at the pointer");
    h.get_by_label("previous / next event (selects it)");
}

#[test]
fn a_missing_file_shows_the_reason_and_the_app_stays_open() {
    let missing = std::path::PathBuf::from("/no/such/dataset.json");
    let mut h = open(vec![missing]);
    h.get_by_label("Could not open the file");
    h.get_by_label_contains("/no/such/dataset.json: cannot be read");
    // The user can still reach the built-in dataset.
    h.get_by_label("Open the built-in dataset").click();
    h.step();
    assert!(h.state().is_loading());
    h.state_mut().wait_for_load();
    h.run();
    h.get_by_label("Nagorno-Karabakh, August 2022 (RFE/RL)");
}

#[test]
fn a_malformed_file_opens_with_its_problems_listed() {
    let path = fixtures::path("malformed.json");
    let mut h = open(vec![path]);
    h.get_by_label("Malformed fixture");
    h.get_by_label("3 problems, 3 skipped").click();
    h.run();
    h.get_by_label("Problems (3)");
    h.get_by_label_contains("line 6, column");
    h.get_by_label_contains("events[1].when.start: `2022-02-30` is not a date");
}

#[test]
fn skipped_records_are_announced_and_lead_to_the_problems() {
    let path = fixtures::path("malformed.json");
    let mut h = open(vec![path]);
    h.get_by_label("Opened with 3 records skipped: they could not be used.");
    assert!(h.query_by_label("Problems (3)").is_none());
    h.get_by_label("Show the 3 problems").click();
    h.run();
    h.get_by_label("Problems (3)");
    h.get_by_label("Dismiss").click();
    h.run();
    assert!(
        h.query_by_label("Opened with 3 records skipped: they could not be used.")
            .is_none()
    );
}

#[test]
fn f12_shows_where_the_frames_time_goes() {
    let mut h = open(Vec::new());
    for _ in 0..5 {
        h.step();
    }
    h.key_press(egui::Key::F12);
    h.run();
    h.get_by_label("Frame times");
    h.get_by_label("Timeline layout");
    h.get_by_label("Timeline paint");
    h.get_by_label_contains("Last filter or search run:");
    // The open's own time, split into the file's parse and the indexing.
    h.get_by_label_contains("nagorno-karabakh-2022.json read and parsed in");
    h.get_by_label_contains("store, lanes, search text and notes built in");
    // Where the memory goes, and the whole process's.
    h.get_by_label_contains("Memory: events ");
    h.get_by_label_contains("search index");
    #[cfg(target_os = "linux")]
    h.get_by_label_contains("Whole process: ");
    h.key_press(egui::Key::F12);
    h.run();
    assert!(h.query_by_label("Timeline layout").is_none());
}

//! UI tests for where the analyst has been and what they keep: the
//! context of an event (X), Back and Forward, and saved views (Ctrl+B, the
//! Views menu, `--view NAME`).

use std::path::PathBuf;

use egui::{Key, Modifiers, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use eventline::store::filter::ContextWindow;
use eventline::ui::EventlineApp;

use crate::fixtures;

const TRUCE: &str = "2020-11-10-moscow-brokered-truce";

fn open_with_view(files: Vec<PathBuf>, view: Option<&str>) -> Harness<'static, EventlineApp> {
    let view = view.map(str::to_string);
    let mut h = Harness::builder()
        .with_max_steps(64)
        .with_size(Vec2::new(1500.0, 900.0))
        .build_eframe(move |cc| {
            EventlineApp::new(cc, files, Default::default()).open_view_when_loaded(view)
        });
    h.state_mut().wait_for_load();
    h.run();
    h.state_mut().wait_for_filter();
    h.run();
    h
}

fn open(files: Vec<PathBuf>) -> Harness<'static, EventlineApp> {
    open_with_view(files, None)
}

fn select(h: &mut Harness<'static, EventlineApp>, id: &str) -> u32 {
    let ix = h.state().store().unwrap().find_id(id).unwrap();
    h.state_mut().set_selected(Some(ix));
    h.run();
    ix
}

fn visible(h: &Harness<'static, EventlineApp>) -> (i64, i64) {
    h.state().timeline().axis().unwrap().visible()
}

fn assert_close(a: (i64, i64), b: (i64, i64)) {
    let tolerance = ((b.1 - b.0) / 500).max(2);
    assert!(
        (a.0 - b.0).abs() <= tolerance && (a.1 - b.1).abs() <= tolerance,
        "{a:?} is not {b:?}"
    );
}

/// Events whose possible dates touch `[a, b]`, counted by hand.
fn touching(h: &Harness<'static, EventlineApp>, (a, b): (i64, i64)) -> usize {
    let s = h.state().store().unwrap();
    (0..s.len())
        .filter(|&i| s.earliest[i] <= b && s.latest[i] >= a)
        .count()
}

#[test]
fn x_shows_the_days_around_the_selected_event_as_a_removable_chip() {
    let mut h = open(Vec::new());
    let ix = select(&mut h, TRUCE);
    h.key_press(Key::X);
    h.run();
    h.state_mut().wait_for_filter();
    h.run();
    let store = h.state().store().unwrap().clone();
    let span = ContextWindow::around(&store, ix, 7).unwrap().span();
    let shown = touching(&h, span);
    assert!(shown < store.len(), "{shown}");
    h.get_by_label(&format!("0 of {shown} reviewed in this filter"));
    let chip = "around \u{201c}Moscow-brokered truce halts the six-week war\u{201d} ×";
    h.get_by_label(chip);
    // The view moved to the window, the event stays selected.
    assert_close(visible(&h), span);
    assert_eq!(h.state().selected(), Some(ix));
    // The detail panel's button does the same; the chip removes it.
    h.get_by_label(chip).click();
    h.run();
    h.state_mut().wait_for_filter();
    h.run();
    assert!(h.state().filter().context.is_none());
    h.get_by_label("0 of 15 reviewed in all");
    h.get_by_label("Context").click();
    h.run();
    assert_eq!(h.state().filter().context.as_ref().map(|c| c.days), Some(7));
}

#[test]
fn back_and_forward_walk_the_filters_and_ranges_seen() {
    let mut h = open(Vec::new());
    let start = visible(&h);
    // A filter, chosen in the filter panel.
    h.get_by_label("Filters").click();
    h.run();
    h.get_by_label("Call (3)").click();
    h.run();
    h.state_mut().wait_for_filter();
    h.run();
    assert!(h.state().filter().kinds.contains("call"));
    // A pan with the keyboard.
    h.key_press(Key::D);
    h.run();
    let panned = visible(&h);
    assert!(panned.0 > start.0 + 60, "{start:?} -> {panned:?}");

    h.key_press_modifiers(Modifiers::ALT, Key::ArrowLeft);
    h.run();
    assert_close(visible(&h), start);
    assert!(h.state().filter().kinds.contains("call"));
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowLeft);
    h.run();
    h.state_mut().wait_for_filter();
    h.run();
    assert!(h.state().filter().kinds.is_empty());
    h.get_by_label("0 of 15 reviewed in all");
    // Forward twice: the filter, then the pan, again.
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
    h.run();
    assert!(h.state().filter().kinds.contains("call"));
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
    h.run();
    assert_close(visible(&h), panned);
    // The Views menu offers the same steps.
    h.get_by_label("Views").click();
    h.run();
    h.get_by_label("Back Alt+Left").click();
    h.run();
    assert_close(visible(&h), start);
}

#[test]
fn a_view_is_saved_and_comes_back_after_a_restart_and_with_view() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixtures::default_dataset_in(dir.path());
    let before = std::fs::read(&data).unwrap();
    let saved_span;
    let truce;
    {
        let mut h = open(vec![data.clone()]);
        truce = select(&mut h, TRUCE);
        h.key_press(Key::X);
        h.run();
        h.state_mut().wait_for_filter();
        h.run();
        saved_span = visible(&h);
        h.key_press_modifiers(Modifiers::COMMAND, Key::B);
        h.run();
        h.get_by_role_and_label(egui::Role::Window, "Save view");
        let name = h.get_by_role_and_label(egui::Role::TextInput, "Name");
        assert!(name.is_focused());
        h.key_press_modifiers(Modifiers::COMMAND, Key::A);
        h.get_by_role_and_label(egui::Role::TextInput, "Name")
            .type_text("Truce week");
        h.run();
        h.get_by_role_and_label(egui::Role::Button, "Save view")
            .click();
        h.run();
        h.get_by_label("Saved the view \u{201c}Truce week\u{201d}");
        assert!(h.query_by_label("Name").is_none(), "the question closes");
    }
    // Kept in the notes sidecar; the dataset file is untouched.
    let sidecar = std::fs::read_to_string(dir.path().join("nk.json.eventline-notes.json")).unwrap();
    assert!(sidecar.contains("Truce week"), "{sidecar}");
    assert_eq!(std::fs::read(&data).unwrap(), before);

    // After a restart, from the Views menu.
    let mut h = open(vec![data.clone()]);
    assert!(h.state().filter().context.is_none());
    assert_eq!(h.state().selected(), None);
    h.get_by_label("Views").click();
    h.run();
    h.get_by_label("Truce week").click();
    h.run();
    h.state_mut().wait_for_filter();
    h.run();
    assert_eq!(h.state().selected(), Some(truce));
    assert_eq!(
        h.state()
            .filter()
            .context
            .as_ref()
            .map(|c| c.event_id.as_str()),
        Some(TRUCE)
    );
    assert_close(visible(&h), saved_span);
    let shown = touching(&h, saved_span);
    h.get_by_label(&format!("0 of {shown} reviewed in this filter"));

    // From the command line (`eventline nk.json --view "truce week"`).
    let h = open_with_view(vec![data.clone()], Some("truce week"));
    assert_eq!(h.state().selected(), Some(truce));
    assert!(h.state().filter().context.is_some());
    assert_close(visible(&h), saved_span);
    // A view that is not there is named with those that are.
    let h = open_with_view(vec![data.clone()], Some("Escalation"));
    let notice = h.state().notice().clone().unwrap();
    assert!(notice.is_error);
    assert_eq!(
        notice.text,
        "no view named \"Escalation\"; saved views: \"Truce week\""
    );
    assert!(h.state().filter().context.is_none());
}

#[test]
fn saving_under_an_existing_name_replaces_and_a_view_can_be_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixtures::default_dataset_in(dir.path());
    let mut h = open(vec![data.clone()]);
    for (id, expected) in [
        (TRUCE, "Saved the view \u{201c}Focus\u{201d}"),
        (
            "2022-08-05-blinken-aliyev-call",
            "Updated the view \u{201c}Focus\u{201d}",
        ),
    ] {
        select(&mut h, id);
        h.key_press_modifiers(Modifiers::COMMAND, Key::B);
        h.run();
        h.key_press_modifiers(Modifiers::COMMAND, Key::A);
        h.get_by_role_and_label(egui::Role::TextInput, "Name")
            .type_text("Focus");
        h.key_press(Key::Enter);
        h.run();
        h.get_by_label(expected);
    }
    assert_eq!(h.state().annotations().views().len(), 1);
    assert_eq!(
        h.state().annotations().views()[0].selected.as_deref(),
        Some("2022-08-05-blinken-aliyev-call")
    );
    h.get_by_label("Views").click();
    h.run();
    h.get_by_label("Delete a view").click();
    h.run();
    let focus: Vec<_> = h.query_all_by_label("Focus").collect();
    focus.last().unwrap().click();
    h.run();
    h.get_by_label("Deleted the view \u{201c}Focus\u{201d}");
    assert!(h.state().annotations().views().is_empty());
    h.state().annotations().flush();
    let sidecar = eventline::io::notes::open(&data);
    assert!(sidecar.views.is_empty());
}

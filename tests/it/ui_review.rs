//! UI tests for review work: filters, search, the table, annotations.

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use eventline::ui::EventlineApp;

use crate::fixtures;

fn open(files: Vec<PathBuf>) -> Harness<'static, EventlineApp> {
    fixtures::open_sized(files, Vec2::new(1500.0, 900.0))
}

#[test]
fn ticking_a_kind_hides_the_others_on_the_timeline_and_in_the_table() {
    let mut h = open(Vec::new());
    h.get_by_label("Filters").click();
    h.run();
    h.get_by_label("Table").click();
    h.run();
    h.get_by_label("15 events in the table");
    h.get_by_label("Call (3)").click();
    h.run();
    h.state_mut().wait_for_filter();
    h.run();
    h.get_by_label("Lane Call: 3 events");
    assert!(h.query_by_label("Lane Statement: 6 events").is_none());
    h.get_by_label("3 events in the table");
    h.get_by_label("3 of 15 events shown");
    // The kind facet still counts the other kinds; other facets narrow.
    h.get_by_label("Statement (6)");
    h.get_by_label("Ilham Aliyev (2)");
    // The chip removes the filter again.
    h.get_by_label("kind: Call ×").click();
    h.run();
    h.get_by_label("15 events in the table");
    h.get_by_label("Lane Statement: 6 events");
}

#[test]
fn typing_a_search_narrows_the_table_and_enter_steps_through_matches() {
    let mut h = open(Vec::new());
    h.get_by_label("Table").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    let search = h.get_by_role_and_label(egui::Role::TextInput, "Search:");
    assert!(search.is_focused());
    search.type_text("actor:aliyev kind:call");
    h.run();
    h.get_by_label("2 matches");
    h.get_by_label("2 events in the table");
    // The timeline still shows everything (matches are highlighted there).
    h.get_by_label("Lane Statement: 6 events");
    h.key_press(Key::Enter);
    h.run();
    let store = h.state().store().unwrap().clone();
    let first = h.state().selected().expect("Enter selects the first match");
    assert_eq!(
        store.event(first).unwrap().id,
        "2022-08-05-blinken-aliyev-call"
    );
    h.key_press(Key::Enter);
    h.run();
    let second = h.state().selected().unwrap();
    assert_eq!(
        store.event(second).unwrap().id,
        "2022-08-05-michel-aliyev-call"
    );
    // In the table and in the detail panel.
    let title = "Michel speaks by phone with Aliyev and expresses concern over rising tensions";
    assert_eq!(h.query_all_by_label(title).count(), 2);
    // Shift+Enter goes back.
    h.key_press_modifiers(Modifiers::SHIFT, Key::Enter);
    h.run();
    assert_eq!(h.state().selected(), Some(first));
}

#[test]
fn a_star_survives_a_restart_and_undo_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixtures::default_dataset_in(dir.path());
    let before = std::fs::read(&data).unwrap();
    let truce_id = "2020-11-10-moscow-brokered-truce";
    {
        let mut h = open(vec![data.clone()]);
        let ix = h.state().store().unwrap().find_id(truce_id).unwrap();
        h.state_mut().set_selected(Some(ix));
        h.run();
        h.get_by_label("Star").click();
        h.run();
        h.get_by_label("Starred");
        h.get_by_label("Reviewed").click();
        h.run();
        h.get_by_label("1 of 15 reviewed in all");
    }
    // The dataset file is never touched by annotating.
    assert_eq!(std::fs::read(&data).unwrap(), before);
    let sidecar = dir.path().join("nk.json.eventline-notes.json");
    assert!(
        std::fs::read_to_string(&sidecar)
            .unwrap()
            .contains(truce_id)
    );

    let mut h = open(vec![data.clone()]);
    let ix = h.state().store().unwrap().find_id(truce_id).unwrap();
    h.state_mut().set_selected(Some(ix));
    h.run();
    h.get_by_label("Starred");
    h.get_by_label("1 of 15 reviewed in all");
    // Keys annotate the selected event; Ctrl+Z undoes, one change a time.
    h.key_press(Key::R);
    h.run();
    h.get_by_label("0 of 15 reviewed in all");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    h.get_by_label("1 of 15 reviewed in all");
    h.key_press(Key::S);
    h.run();
    h.get_by_label("Star");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    h.get_by_label("Starred");
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    h.get_by_label("Star");
    assert_eq!(std::fs::read(&data).unwrap(), before);
}

#[test]
fn tags_and_notes_are_saved_and_filterable() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixtures::default_dataset_in(dir.path());
    let mut h = open(vec![data.clone()]);
    let ix = h
        .state()
        .store()
        .unwrap()
        .find_id("2022-w31-renewed-fighting")
        .unwrap();
    h.state_mut().set_selected(Some(ix));
    h.run();
    h.key_press(Key::T);
    h.run();
    let tags = h.get_by_role_and_label(egui::Role::TextInput, "Tags");
    assert!(tags.is_focused());
    tags.type_text("ceasefire-violation");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    h.get_by_label("ceasefire-violation ×");
    // Written on the notes thread; wait for it.
    h.state().annotations().flush();
    let sidecar = std::fs::read_to_string(dir.path().join("nk.json.eventline-notes.json")).unwrap();
    assert!(sidecar.contains("ceasefire-violation"), "{sidecar}");
    // Only tagged events.
    h.get_by_label("Filters").click();
    h.run();
    h.get_by_label("Tagged").click();
    h.run();
    h.get_by_label("1 of 15 events shown");
}

#[test]
fn a_corrupt_sidecar_is_reported_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixtures::default_dataset_in(dir.path());
    let sidecar = dir.path().join("nk.json.eventline-notes.json");
    std::fs::write(
        &sidecar,
        "{\"eventline_notes\": 1, \"notes\": {\"x\": {\"starred\": tru",
    )
    .unwrap();
    let mut h = open(vec![data]);
    h.get_by_label("1 problem").click();
    h.run();
    h.get_by_label_contains("could not be read");
    h.get_by_label_contains(".eventline-notes.json.bak");
    assert!(dir.path().join("nk.json.eventline-notes.json.bak").exists());
}

#[test]
fn clicking_a_table_row_selects_the_event_on_the_timeline() {
    let mut h = open(Vec::new());
    h.get_by_label("Table").click();
    h.run();
    h.get_by_label("Russia deploys some 2,000 peacekeepers to oversee the truce")
        .click();
    h.run();
    let store = h.state().store().unwrap().clone();
    let ix = h.state().selected().expect("the row selects its event");
    assert_eq!(
        store.event(ix).unwrap().id,
        "2020-11-russian-peacekeepers-deployed"
    );
    // The detail panel shows it too, and the timeline has it in view.
    assert_eq!(
        h.query_all_by_label("Russia deploys some 2,000 peacekeepers to oversee the truce")
            .count(),
        2
    );
    let (v0, v1) = h.state().timeline().axis().unwrap().visible();
    assert!(v0 <= store.anchor[ix as usize] && store.anchor[ix as usize] <= v1);
}

#[test]
fn a_datasets_filter_comes_back_with_the_settings() {
    let mut h = open(Vec::new());
    let filter = eventline::store::filter::Filter {
        kinds: ["truce".to_string()].into(),
        ..Default::default()
    };
    let ctx = h.ctx.clone();
    h.state_mut().apply(
        &ctx,
        eventline::ui::Command::SetFilter(Box::new(filter.clone())),
    );
    h.run();
    let settings = h.state().settings().clone();
    assert_eq!(settings.filters.get("embedded"), Some(&filter));
    // The next run starts with the saved settings (eframe storage in the app).
    let mut h2 = Harness::builder()
        .with_max_steps(64)
        .with_size(Vec2::new(1500.0, 900.0))
        .build_ui_state(
            |ui, app: &mut EventlineApp| app.show(ui),
            EventlineApp::with_source(
                &egui::Context::default(),
                eventline::ui::loader::Source::Embedded,
                Default::default(),
                settings,
            ),
        );
    h2.state_mut().wait_for_load();
    h2.run();
    assert_eq!(h2.state().filter(), &filter);
    h2.get_by_label("Lane Truce / ceasefire: 1 events");
    assert!(h2.query_by_label("Lane Call: 3 events").is_none());
}

/// Type `text` into the search field one keystroke per frame, as fast as
/// frames come.
fn type_search(h: &mut Harness<'static, EventlineApp>, text: &str) {
    h.get_by_label("Search:").click();
    h.run();
    for c in text.chars() {
        h.event(egui::Event::Text(c.to_string()));
        h.step();
    }
}

/// The number of matches the final search has, computed directly.
fn expected_matches(app: &EventlineApp) -> usize {
    let d = app.data().as_ref().unwrap();
    let flags = vec![0u8; d.store.len()];
    let compiled = app.filter().compile(&d.store).unwrap();
    compiled.run(&d.store, &d.search_text, &flags).matched.len()
}

#[test]
fn a_burst_of_keystrokes_in_one_frame_filters_once() {
    let mut h = open(Vec::new());
    h.get_by_label("Search:").click();
    h.run();
    let before = h.state().filter_runs();
    // Keystrokes faster than frames: all six arrive in one frame's input.
    for c in "shusha".chars() {
        h.input_mut().events.push(egui::Event::Text(c.to_string()));
    }
    h.step();
    h.run();
    assert_eq!(h.state().filter().search, "shusha");
    assert_eq!(h.state().filter_runs() - before, 1);
    let result = h.state().data().as_ref().unwrap().result.clone().unwrap();
    assert!(result.searching);
    assert_eq!(result.matched.len(), expected_matches(h.state()));
}

#[test]
fn on_a_large_dataset_only_the_newest_search_runs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    eventline::io::native::save(&path, &eventline::synth::generate(150_000, 3, false)).unwrap();
    let mut h = open(vec![path]);
    h.state_mut().wait_for_filter();
    let before = h.state().filter_runs();
    let query = "actor:azerbaijan kind:clash shusha";
    type_search(&mut h, query);
    h.state_mut().wait_for_filter();
    h.run();
    let runs = h.state().filter_runs() - before;
    // One keystroke per frame, each frame a request: the worker runs the
    // one it was busy with and the newest, never all of them.
    assert!(
        runs < query.len() / 2,
        "{runs} runs for {} keystrokes",
        query.len()
    );
    let app = h.state();
    assert_eq!(app.filter().search, query);
    let result = app.data().as_ref().unwrap().result.clone().unwrap();
    assert_eq!(result.matched.len(), expected_matches(app));
}

#[test]
fn period_and_end_step_only_through_what_the_filter_shows() {
    let mut h = open(Vec::new());
    let filter = eventline::store::filter::Filter {
        kinds: ["call".to_string(), "truce".to_string()].into(),
        ..Default::default()
    };
    let ctx = h.ctx.clone();
    h.state_mut()
        .apply(&ctx, eventline::ui::Command::SetFilter(Box::new(filter)));
    h.run();
    let store = h.state().store().unwrap().clone();
    let shown = |ix: u32| matches!(store.event(ix).unwrap().kind.as_str(), "call" | "truce");
    h.key_press(Key::Home);
    h.run();
    let mut seen = vec![
        h.state()
            .selected()
            .expect("Home selects the first shown event"),
    ];
    for _ in 0..6 {
        h.key_press(Key::Period);
        h.run();
        seen.push(h.state().selected().unwrap());
    }
    assert!(
        seen.iter().all(|&ix| shown(ix)),
        "stepped onto a hidden event: {seen:?}"
    );
    // Four shown events (three calls and the truce): `.` stops at the last.
    seen.dedup();
    assert_eq!(seen.len(), 4);
    h.key_press(Key::End);
    h.run();
    assert_eq!(h.state().selected(), seen.last().copied());
    h.key_press(Key::Comma);
    h.run();
    assert_eq!(h.state().selected(), Some(seen[2]));
}

#[test]
fn save_as_carries_the_notes_to_the_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixtures::default_dataset_in(dir.path());
    let truce_id = "2020-11-10-moscow-brokered-truce";
    let copy = dir.path().join("copy.json");
    {
        let mut h = open(vec![data.clone()]);
        let ix = h.state().store().unwrap().find_id(truce_id).unwrap();
        h.state_mut().set_selected(Some(ix));
        h.run();
        h.get_by_label("Star").click();
        h.run();
        let ctx = h.ctx.clone();
        h.state_mut()
            .apply(&ctx, eventline::ui::Command::SaveTo(copy.clone()));
        h.state_mut().wait_for_save();
        h.run();
        // Notes made after Save as go to the new file's sidecar.
        h.get_by_label("Reviewed").click();
        h.run();
        h.state().annotations().flush();
    }
    let mut h = open(vec![copy]);
    let ix = h.state().store().unwrap().find_id(truce_id).unwrap();
    h.state_mut().set_selected(Some(ix));
    h.run();
    h.get_by_label("Starred");
    h.get_by_label("1 of 15 reviewed in all");
}

#[test]
fn merged_files_with_equal_ids_keep_separate_notes() {
    // Two files with the same row and no ids: the same content id in both.
    let dir = tempfile::tempdir().unwrap();
    let csv = "date,title,actor\n2022-08-03,Clash near Lachin,Armenia\n";
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    std::fs::write(&a, csv).unwrap();
    std::fs::write(&b, csv).unwrap();
    let in_file = |h: &Harness<'static, EventlineApp>, origin: u32| {
        let store = h.state().store().unwrap().clone();
        assert_eq!(store.len(), 2);
        assert_eq!(store.event(0).unwrap().id, store.event(1).unwrap().id);
        (0..2)
            .find(|&i| store.origin[i as usize] == origin)
            .unwrap()
    };
    {
        let mut h = open(vec![a.clone(), b.clone()]);
        let first = in_file(&h, 0);
        h.state_mut().set_selected(Some(first));
        h.run();
        h.get_by_label("Star").click();
        h.run();
        h.state().annotations().flush();
    }
    let sidecar = |p: &Path| eventline::io::notes::open(p).notes;
    assert_eq!(sidecar(&a).len(), 1);
    assert!(sidecar(&b).is_empty());
    let mut h = open(vec![a, b]);
    let second = in_file(&h, 1);
    h.state_mut().set_selected(Some(second));
    h.run();
    h.get_by_label("Star");
    let first = in_file(&h, 0);
    h.state_mut().set_selected(Some(first));
    h.run();
    h.get_by_label("Starred");
}

#[test]
fn a_note_stays_with_its_event_when_a_row_is_inserted_above() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diplomacy.csv");
    let rows = "2022-08-05,Blinken calls Pashinian,Antony Blinken\n\
                2022-08-05,Blinken calls Aliyev,Antony Blinken\n";
    std::fs::write(&path, format!("date,title,actor\n{rows}")).unwrap();
    let select = |h: &mut Harness<'static, EventlineApp>, title: &str| {
        let store = h.state().store().unwrap().clone();
        let ix = (0..store.len() as u32)
            .find(|&i| store.event(i).unwrap().title == title)
            .unwrap();
        h.state_mut().set_selected(Some(ix));
        h.run();
    };
    {
        let mut h = open(vec![path.clone()]);
        select(&mut h, "Blinken calls Aliyev");
        h.get_by_label("Star").click();
        h.run();
        h.state().annotations().flush();
    }
    // The file is updated: a row before the others.
    std::fs::write(
        &path,
        format!("date,title,actor\n2022-08-04,Michel calls Aliyev,Charles Michel\n{rows}"),
    )
    .unwrap();
    let mut h = open(vec![path]);
    select(&mut h, "Blinken calls Aliyev");
    h.get_by_label("Starred");
    for other in ["Michel calls Aliyev", "Blinken calls Pashinian"] {
        select(&mut h, other);
        h.get_by_label("Star");
    }
}

//! UI tests for files: opening through the same command the dialog and
//! drag-and-drop use, progress and Cancel, merging, saving, exporting.

#[cfg(unix)]
use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use eventline::ui::Command;
use eventline::ui::EventlineApp;

use crate::fixtures::{self, apply};

/// The app on the built-in dataset.
fn app() -> Harness<'static, EventlineApp> {
    fixtures::open(Vec::new())
}

/// A named pipe: reading it blocks until the test writes, like a file on a
/// slow network drive, so the loading state can be seen.
#[cfg(unix)]
fn fifo(dir: &Path) -> PathBuf {
    let p = dir.join("slow.json");
    let ok = std::process::Command::new("mkfifo")
        .arg(&p)
        .status()
        .unwrap()
        .success();
    assert!(ok);
    p
}

#[cfg(unix)]
#[test]
fn opening_shows_progress_then_the_events() {
    let mut h = app();
    let dir = tempfile::tempdir().unwrap();
    let pipe = fifo(dir.path());
    apply(&mut h, Command::Open(vec![pipe.clone()]));
    h.step();
    h.step();
    assert!(h.state().is_loading());
    h.get_by_label_contains("Reading slow.json");
    h.get_by_label("Cancel");
    // The previous dataset stays usable while the file loads.
    h.get_by_label("Nagorno-Karabakh, August 2022 (RFE/RL)");
    let bytes = std::fs::read(fixtures::path("malformed.json")).unwrap();
    std::fs::write(&pipe, bytes).unwrap();
    h.state_mut().wait_for_load();
    h.run();
    h.get_by_label("Malformed fixture");
    assert_eq!(h.state().store().unwrap().len(), 2);
    assert_eq!(h.state().settings().recent.first(), Some(&pipe));
}

#[cfg(unix)]
#[test]
fn cancel_keeps_the_open_dataset() {
    let mut h = app();
    let dir = tempfile::tempdir().unwrap();
    let pipe = fifo(dir.path());
    apply(&mut h, Command::Open(vec![pipe.clone()]));
    h.step();
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!h.state().is_loading());
    h.get_by_label("Opening was cancelled");
    h.get_by_label("Nagorno-Karabakh, August 2022 (RFE/RL)");
    // Unblock the worker so it can finish (its result is thrown away).
    let writer = std::thread::spawn(move || std::fs::write(&pipe, b"{}"));
    let _ = writer.join();
}

#[test]
fn save_as_writes_a_file_that_opens_the_same() {
    let mut h = app();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("copy.json");
    apply(&mut h, Command::SaveTo(target.clone()));
    h.state_mut().wait_for_save();
    h.run();
    h.get_by_label_contains("Saved 15 events to");
    let reread = eventline::io::load_path(&target, None).unwrap();
    assert_eq!(reread.dataset.events.len(), 15);
    // Save now writes back to the same file.
    assert_eq!(
        h.state().data().as_ref().unwrap().save_path.as_deref(),
        Some(target.as_path())
    );
}

#[test]
fn export_writes_every_event_as_csv() {
    let mut h = app();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("events.csv");
    apply(&mut h, Command::ExportTo(target.clone()));
    h.state_mut().wait_for_save();
    h.run();
    h.get_by_label_contains("Exported 15 events");
    let mut r = csv::Reader::from_path(&target).unwrap();
    assert_eq!(r.headers().unwrap().iter().next(), Some("id"));
    assert_eq!(r.records().count(), 15);
}

#[test]
fn export_writes_only_the_filtered_events() {
    let mut h = app();
    let filter = eventline::store::filter::Filter {
        kinds: ["call".to_string()].into(),
        ..Default::default()
    };
    apply(&mut h, Command::SetFilter(Box::new(filter)));
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("calls.csv");
    apply(&mut h, Command::ExportTo(target.clone()));
    h.state_mut().wait_for_save();
    h.run();
    h.get_by_label_contains("Exported 3 events");
    let mut r = csv::Reader::from_path(&target).unwrap();
    let kind = r
        .headers()
        .unwrap()
        .iter()
        .position(|c| c == "kind")
        .unwrap();
    let kinds: Vec<String> = r.records().map(|x| x.unwrap()[kind].to_string()).collect();
    assert_eq!(kinds, ["call", "call", "call"]);
}

#[test]
fn adding_files_merges_and_guards_the_unsaved_merge() {
    let mut h = app();
    let copy_dir = tempfile::tempdir().unwrap();
    let base = copy_dir.path().join("base.json");
    fixtures::save_default_dataset(&base);
    apply(&mut h, Command::Open(vec![base]));
    h.state_mut().wait_for_load();
    apply(&mut h, Command::Add(vec![fixtures::path("malformed.json")]));
    h.state_mut().wait_for_load();
    h.run();
    assert_eq!(h.state().store().unwrap().len(), 17);
    h.get_by_label_contains("(unsaved)");
    // Grouping by source file shows both files as lanes.
    apply(
        &mut h,
        Command::SetGrouping(eventline::store::LaneGrouping::SourceFile),
    );
    h.run();
    h.get_by_label("Lane base.json: 15 events");
    h.get_by_label("Lane malformed.json: 2 events");
    // Opening something else first asks about the unsaved merge.
    apply(&mut h, Command::OpenEmbedded);
    h.run();
    assert!(!h.state().is_loading());
    h.get_by_label("Unsaved merged dataset");
    h.get_by_label("Discard").click();
    h.step();
    h.state_mut().wait_for_load();
    h.run();
    assert_eq!(h.state().store().unwrap().len(), 15);
}

/// Step frames until `done` holds (a worker thread answers), or give up.
fn step_until(h: &mut Harness<'static, EventlineApp>, done: impl Fn(&EventlineApp) -> bool) {
    let start = std::time::Instant::now();
    while !done(h.state()) && start.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
}

#[test]
fn without_a_system_file_dialog_ctrl_o_opens_the_built_in_browser() {
    // This test machine has no file-chooser portal and no zenity, like
    // minimal Linux desktops: the system dialog returns at once.
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.json");
    let second = dir.path().join("second.csv");
    fixtures::save_default_dataset(&first);
    std::fs::copy(
        fixtures::path("csv/karabakh-diplomacy-semicolon.csv"),
        &second,
    )
    .unwrap();
    let mut h = app();
    apply(&mut h, Command::Open(vec![first]));
    h.state_mut().wait_for_load();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    step_until(&mut h, |app| app.file_browser_open());
    assert!(h.state().file_browser_open(), "the built-in browser opened");
    h.run();
    h.get_by_label_contains("own file browser");
    h.get_by_label("second.csv").click();
    h.run();
    h.get_by_label("Open").click();
    h.run();
    assert!(!h.state().file_browser_open());
    h.state_mut().wait_for_load();
    h.run();
    let store = h.state().store().unwrap().clone();
    assert_eq!(store.files.names(), ["second.csv"]);
    // The next time, the browser opens straight away.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    h.run();
    assert!(h.state().file_browser_open());
}

#[test]
fn the_file_menu_rereads_dates_month_first() {
    let mut h = app();
    apply(
        &mut h,
        Command::Open(vec![fixtures::path("csv/ambiguous-dates.csv")]),
    );
    h.state_mut().wait_for_load();
    h.run();
    let first_date = |h: &Harness<'static, EventlineApp>| {
        let store = h.state().store().unwrap().clone();
        let e = store
            .events()
            .find(|e| e.title == "Foreign ministers meet in Moscow");
        e.map(|e| e.when.start.to_string())
    };
    // Every day reads both ways: day first, with a warning saying how to
    // choose.
    assert_eq!(first_date(&h).as_deref(), Some("2022-04-03"));
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Read dates as").hover();
    h.run();
    h.get_by_label("Month first (8/3 = 3 August)").click();
    h.run();
    h.state_mut().wait_for_load();
    h.run();
    assert_eq!(first_date(&h).as_deref(), Some("2022-03-04"));
    assert_eq!(
        h.state().load_options().dates,
        Some(eventline::io::DateOrder::Mdy)
    );
}

#[test]
fn a_file_too_big_for_the_free_memory_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    // 20 MB of CSV: expected to need far more than the 100 MB said free.
    let path = dir.path().join("big.csv");
    let mut text = String::from("date,title\n");
    while text.len() < 20_000_000 {
        text.push_str("2022-08-03,Clashes near Lachin reported by both sides\n");
    }
    std::fs::write(&path, text).unwrap();
    let mut h = app();
    h.state_mut().assume_memory_available(Some(100_000_000));
    apply(&mut h, Command::Open(vec![path.clone()]));
    h.run();
    assert!(h.state().memory_question_open());
    assert!(!h.state().is_loading(), "nothing is read before the answer");
    h.get_by_label("This may not fit in memory");
    let question = h
        .query_all_by_label_contains("Opening big.csv is expected to need about")
        .count();
    assert_eq!(question, 1);
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!h.state().memory_question_open());
    assert!(!h.state().is_loading());
    h.get_by_label("Did not open big.csv");
    // The open dataset stayed.
    h.get_by_label("Nagorno-Karabakh, August 2022 (RFE/RL)");

    apply(&mut h, Command::Open(vec![path]));
    h.run();
    h.get_by_label("Open anyway").click();
    // Loading animates: one frame, not until idle.
    h.step();
    assert!(!h.state().memory_question_open());
    assert!(h.state().is_loading());
    apply(&mut h, Command::CancelLoading);

    // With memory to spare, nobody is asked.
    h.state_mut().assume_memory_available(Some(u64::MAX));
    apply(&mut h, Command::Open(vec![fixtures::path("csv/wars.tsv")]));
    assert!(!h.state().memory_question_open());
}

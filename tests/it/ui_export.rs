//! Export view from the window: the dialog driven by its labels, the file
//! written off the UI thread, and the same layout as on screen and as
//! `eventline render`.

use std::path::PathBuf;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use eventline::cli::render::{Request, load};
use eventline::io::LoadOptions;
use eventline::render::ExportFormat;
use eventline::render::scene::LayoutPart;
use eventline::store::LaneGrouping;
use eventline::store::filter::Filter;
use eventline::timeline::layout::ItemKind;
use eventline::ui::Command;
use eventline::ui::EventlineApp;

use crate::fixtures::{self, apply, open};

fn dataset() -> PathBuf {
    fixtures::default_dataset_file()
}

fn step_until(h: &mut Harness<'static, EventlineApp>, done: impl Fn(&EventlineApp) -> bool) {
    let start = std::time::Instant::now();
    while !done(h.state()) && start.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
}

#[test]
fn the_export_lays_out_what_the_window_shows() {
    let mut h = open(vec![dataset()]);
    // Zoom to August 2022, where the items fold, stack and carry labels.
    let store = h.state().store().unwrap().clone();
    let t = |s: &str| eventline::model::FuzzyDate::parse(s).unwrap().earliest;
    h.state_mut()
        .timeline_mut()
        .jump_to_range(&store, t("2022-07-25"), t("2022-08-15"));
    h.run();
    let view = h.state().export_view_job().unwrap();
    let scene = view.scene();
    let shift = scene.body[0] - h.state().timeline().body_rect().left();
    let mut on_screen = 0;
    for (lane, layout) in h.state().timeline().lane_layouts() {
        let exported: Vec<_> = scene.items.iter().filter(|i| i.lane == lane).collect();
        if layout.is_density() {
            assert_eq!(exported.len(), layout.density.len());
            continue;
        }
        assert_eq!(exported.len(), layout.items.len(), "lane {lane}");
        for (a, b) in layout.items.iter().zip(&exported) {
            let LayoutPart::Item(e) = b.part else {
                panic!("lane {lane}: a density column where the window has items")
            };
            assert_eq!(a.kind, e.kind);
            assert_eq!(a.row, e.row);
            assert!(
                (a.x0 + shift - e.x0).abs() < 0.05,
                "{} vs {}",
                a.x0 + shift,
                e.x0
            );
            assert!((a.x1 + shift - e.x1).abs() < 0.05);
            assert!((a.label_px - e.label_px).abs() < 0.05);
            on_screen += 1;
        }
    }
    assert!(on_screen >= 8, "{on_screen} items compared");
    assert!(
        scene.items.iter().any(
            |i| matches!(i.part, LayoutPart::Item(it) if matches!(it.kind, ItemKind::Point(_)))
        )
    );
}

#[test]
fn the_window_and_the_command_line_export_the_same_view() {
    let mut h = open(vec![dataset()]);
    apply(&mut h, Command::SetGrouping(LaneGrouping::Actor));
    apply(
        &mut h,
        Command::SetFilter(Box::new(Filter {
            search: "truce".into(),
            ..Filter::default()
        })),
    );
    h.run();
    {
        let s = &mut h.state_mut().export_view_mut().settings;
        s.typed_range = true;
        s.from = "2020-09".into();
        s.to = "2022-08".into();
    }
    let window = h.state().export_view_job().unwrap();
    let mut req = Request::new(dataset(), "x.svg");
    req.lanes = Some(LaneGrouping::Actor);
    req.search = "truce".into();
    req.from = Some("2020-09".into());
    req.to = Some("2022-08".into());
    req.width = Some(window.options.width);
    let data = load(&dataset(), &LoadOptions::default()).unwrap();
    let cli = req.view(&data).unwrap();
    let (a, b) = (window.scene(), cli.scene());
    assert!(a.items.len() >= 5, "{}", a.items.len());
    assert_eq!(a.layout_parts(), b.layout_parts());
    assert_eq!(a.items, b.items);
    assert_eq!(a.notes, b.notes);
    assert_eq!(a.legend, b.legend);
    // And so the same SVG, byte for byte.
    assert_eq!(
        eventline::render::svg::write(&a, &window.options.title),
        eventline::render::svg::write(&b, &cli.options.title)
    );
}

#[test]
fn export_view_is_driven_by_its_labels() {
    // Open from a folder of its own, so the built-in file browser (this
    // machine has no system file dialog) starts there.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("karabakh.json");
    std::fs::copy(dataset(), &file).unwrap();
    let mut h = open(vec![file]);

    h.get_by_label("File").click();
    h.run();
    // A menu item's label carries its shortcut.
    h.get_by_label_contains("Export view…").click();
    h.run();
    assert!(h.state().export_view().open);
    h.get_by_label("PDF").click();
    h.run();
    h.get_by_label("Portrait").click();
    h.run();
    h.get_by_label("Dark").click();
    h.run();
    h.get_by_label("Export PDF…").click();
    h.run();
    let s = &h.state().export_view().settings;
    assert_eq!(s.format, ExportFormat::Pdf);
    assert!(!s.landscape);
    assert!(s.theme.is_dark());
    step_until(&mut h, |app| app.file_browser_open());
    assert!(h.state().file_browser_open());
    h.run();
    h.get_by_label("Save").click();
    // The spinner animates while the file is written: one frame, then wait
    // (run() would count the spinner's frames against its limit).
    h.step();
    h.state_mut().wait_for_save();
    h.run();
    h.get_by_label_contains("Exported the view to");
    let written: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let bytes = std::fs::read(&written[0]).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    assert!(!doc.get_pages().is_empty());

    // Ctrl+Shift+E opens it again; a bad typed date is refused in words.
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::E);
    h.run();
    assert!(h.state().export_view().open);
    h.get_by_label("Typed:").click();
    h.run();
    let text_input = egui::accesskit::Role::TextInput;
    h.get_by_role_and_label(text_input, "from").click();
    h.run();
    h.get_by_role_and_label(text_input, "from")
        .type_text("someday");
    h.run();
    h.get_by_label("Export PDF…").click();
    h.run();
    h.get_by_label_contains("From:");
    assert!(!h.state().file_browser_open());
}

#[test]
fn copy_view_as_image_puts_a_png_sized_image_on_the_clipboard() {
    let mut h = open(vec![dataset()]);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::E);
    h.run();
    h.get_by_label("Copy view as image").click();
    h.step();
    h.state_mut().wait_for_copy();
    h.run();
    let width = h.state().export_view_job().unwrap().options.width;
    h.get_by_label_contains(&format!(
        "Copied the view as an image ({} ×",
        width.ceil() as u32
    ));
}

//! Export without a window: the SVG, PNG and PDF of a view, checked by
//! parsing them back, and `eventline render` on the command line.

use std::path::PathBuf;

use eventline::cli::render::{Loaded, Request, load};
use eventline::io::LoadOptions;
use eventline::render::resvg_usvg as usvg;
use eventline::render::{ExportFormat, PageSize, Theme};
use eventline::store::LaneGrouping;

use crate::fixtures;

fn dataset() -> PathBuf {
    fixtures::default_dataset_file()
}

fn loaded() -> Loaded {
    load(&dataset(), &LoadOptions::default()).unwrap()
}

/// Every group with an `item-N` id, depth first.
fn item_groups(g: &usvg::Group, out: &mut Vec<String>) {
    for node in g.children() {
        if let usvg::Node::Group(child) = node {
            if child.id().starts_with("item-") {
                out.push(child.id().to_owned());
            }
            item_groups(child, out);
        }
    }
}

/// All text of a usvg tree, chunk by chunk.
fn texts(g: &usvg::Group, out: &mut Vec<String>) {
    for node in g.children() {
        match node {
            usvg::Node::Group(child) => texts(child, out),
            usvg::Node::Text(t) => {
                for chunk in t.chunks() {
                    out.push(chunk.text().to_owned());
                }
            }
            _ => {}
        }
    }
}

fn parse(svg: &str) -> usvg::Tree {
    let (db, family) = eventline::render::fonts::database();
    let opts = usvg::Options {
        fontdb: db,
        font_family: family,
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &opts).unwrap()
}

#[test]
fn svg_holds_one_element_per_layout_item() {
    let data = loaded();
    for lanes in [LaneGrouping::Kind, LaneGrouping::Actor, LaneGrouping::None] {
        let mut req = Request::new(dataset(), "x.svg");
        req.lanes = Some(lanes);
        req.from = Some("2022-07-20".into());
        req.to = Some("2022-08-20".into());
        let view = req.view(&data).unwrap();
        let scene = view.scene();
        assert!(scene.items.len() >= 8, "{lanes:?}: {}", scene.items.len());
        let svg = String::from_utf8(view.render().unwrap()).unwrap();
        let tree = parse(&svg);
        let mut ids = Vec::new();
        item_groups(tree.root(), &mut ids);
        assert_eq!(ids.len(), scene.items.len(), "{lanes:?}");
        // Each id once, in order.
        for (k, id) in ids.iter().enumerate() {
            assert_eq!(id, &format!("item-{k}"));
        }
        // The classes say what each item is, as the layout does.
        for (k, item) in scene.items.iter().enumerate() {
            let class = format!("id=\"item-{k}\" class=\"item {}\"", item.part.class());
            assert!(svg.contains(&class), "{class}");
        }
    }
}

#[test]
fn svg_text_is_real_text_with_title_axis_legend_notes_and_footer() {
    let data = loaded();
    let mut req = Request::new(dataset(), "x.svg");
    req.from = Some("2022-08-01".into());
    req.to = Some("2022-08-10".into());
    req.search = "Aliyev".into();
    let view = req.view(&data).unwrap();
    let scene = view.scene();
    let svg = String::from_utf8(view.render().unwrap()).unwrap();
    let mut all = Vec::new();
    texts(parse(&svg).root(), &mut all);
    let has = |s: &str| all.iter().any(|t| t.contains(s));
    assert!(has("Nagorno-Karabakh, August 2022"), "{all:?}");
    assert!(has("1 Aug 2022 – 10 Aug 2022"), "{all:?}");
    assert!(has("search “Aliyev”"), "{all:?}");
    assert!(has("Aug"), "axis");
    assert!(has("Kinds shown:") && has("Call"), "legend");
    assert!(has("nagorno-karabakh-2022.json · exported"), "footer");
    // Numbered notes: one per labelled event, each with its full title.
    assert!(!scene.notes.is_empty());
    let titles: Vec<String> = scene
        .notes
        .iter()
        .map(|n| data.store.event(n.event).unwrap().title.clone())
        .collect();
    let joined = all.join(" ");
    for t in &titles {
        let first_words: String = t.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
        assert!(joined.contains(&first_words), "{t} not in notes");
    }
    assert!(has("rferl.org") || has("RFE/RL"), "sources are named");
    // Search matches are ringed: a cyan ring in the SVG.
    assert!(svg.contains("#00beff"));
}

#[test]
fn dark_theme_changes_the_background() {
    let data = loaded();
    let mut req = Request::new(dataset(), "x.svg");
    req.theme = Theme::Dark;
    let dark = String::from_utf8(req.view(&data).unwrap().render().unwrap()).unwrap();
    req.theme = Theme::Light;
    let light = String::from_utf8(req.view(&data).unwrap().render().unwrap()).unwrap();
    assert!(dark.contains("fill=\"#0a0a0a\"") && !light.contains("fill=\"#0a0a0a\""));
}

#[test]
fn png_decodes_at_the_requested_size() {
    let data = loaded();
    for (width, scale) in [(900.0, 1.0), (900.0, 2.0), (700.0, 4.0)] {
        let mut req = Request::new(dataset(), "x.png");
        req.width = Some(width);
        req.scale = scale;
        let view = req.view(&data).unwrap();
        let height = view.scene().height;
        let (bytes, done) = req.render(&data).unwrap();
        assert_eq!(done.format, ExportFormat::Png);
        let png = eventline::render::resvg_tiny_skia::Pixmap::decode_png(&bytes).unwrap();
        assert_eq!(png.width(), (width * scale).ceil() as u32);
        assert_eq!(png.height(), (height * scale).ceil() as u32);
        // Not blank: the picture has both light background and dark ink.
        let px = png.pixels();
        assert!(px.iter().any(|p| p.red() > 240 && p.green() > 240));
        assert!(
            px.iter()
                .any(|p| p.red() < 80 && p.green() < 80 && p.alpha() > 200)
        );
    }
}

/// The text of every page. lopdf ends each shown run of glyphs with a
/// line break, and krilla shows glyph runs as the text is laid out, so
/// the breaks are dropped to read whole lines.
fn pdf_text(doc: &lopdf::Document) -> String {
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages)
        .unwrap_or_default()
        .replace('\n', "")
}

#[test]
fn pdf_has_the_pages_and_the_titles_as_text() {
    let data = loaded();
    // One page: a view no wider than the page.
    let mut req = Request::new(dataset(), "x.pdf");
    req.width = Some(800.0);
    req.from = Some("2022-08-01".into());
    req.to = Some("2022-08-10".into());
    let (bytes, done) = req.render(&data).unwrap();
    assert_eq!(done.pages, 1);
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    assert_eq!(doc.get_pages().len(), 1);
    let text = pdf_text(&doc);
    for title in [
        "Renewed fighting leaves three dead",
        "Blinken speaks by phone with Armenian Prime Minister Pashinian",
    ] {
        assert!(text.contains(title), "{title} missing from:\n{text}");
    }
    // The font is in the file (subset), not left to the reader's system.
    let embedded = doc.objects.values().any(|o| {
        o.as_dict()
            .is_ok_and(|d| d.has(b"FontFile2") || d.has(b"FontFile3"))
    });
    assert!(embedded, "no embedded font program");
    // A long range, wide: several pages, one slice each, on A3 portrait.
    let mut req = Request::new(dataset(), "x.pdf");
    req.width = Some(3000.0);
    req.page = PageSize::A3;
    req.landscape = false;
    let (bytes, done) = req.render(&data).unwrap();
    assert!(done.pages >= 3, "{}", done.pages);
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    assert_eq!(doc.get_pages().len(), done.pages);
    // Portrait A3: taller than wide.
    let first = *doc.get_pages().values().next().unwrap();
    let page = doc.get_dictionary(first).unwrap();
    let media = page.get(b"MediaBox").unwrap().as_array().unwrap();
    let num = |o: &lopdf::Object| {
        o.as_float()
            .or_else(|_| o.as_i64().map(|v| v as f32))
            .unwrap()
    };
    assert!((num(&media[2]) - 841.89).abs() < 1.0);
    assert!((num(&media[3]) - 1190.55).abs() < 1.0);
    assert!(pdf_text(&doc).contains("(1/"), "pages are numbered");
}

#[test]
fn the_command_line_writes_each_format() {
    let dir = tempfile::tempdir().unwrap();
    for ext in ["svg", "png", "pdf"] {
        let out = dir.path().join(format!("brief.{ext}"));
        let run = fixtures::eventline()
            .arg("render")
            .arg(dataset())
            .args(["--from", "2022-07", "--to", "2022-08", "--lanes", "actor"])
            .args(["--search", "truce", "--theme", "dark", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let bytes = std::fs::read(&out).unwrap();
        match ext {
            "svg" => assert!(bytes.starts_with(b"<svg")),
            "png" => assert!(bytes.starts_with(b"\x89PNG")),
            _ => assert!(bytes.starts_with(b"%PDF")),
        }
        // Nothing left behind but the output.
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(names.iter().all(|e| {
            let n = e.as_ref().unwrap().file_name();
            !n.to_string_lossy().starts_with(".eventline-save-")
        }));
    }
}

#[test]
fn the_command_line_says_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (&["--out", "x.gif"], "must end in .svg, .png or .pdf"),
        (&["--out", "x.svg", "--from", "someday"], "--from `someday`"),
        (
            &["--out", "x.svg", "--from", "2022-09", "--to", "2022-08"],
            "is after --to",
        ),
        (&["--out", "x.png", "--scale", "100"], "--scale 100"),
    ];
    for (args, expected) in cases {
        let run = fixtures::eventline()
            .current_dir(dir.path())
            .arg("render")
            .arg(dataset())
            .args(args)
            .output()
            .unwrap();
        assert!(!run.status.success());
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let run = fixtures::eventline()
        .args(["render", "no-such-file.json", "--out"])
        .arg(dir.path().join("x.svg"))
        .output()
        .unwrap();
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("no-such-file.json"));
    assert!(!dir.path().join("x.svg").exists());
}

#[test]
fn a_saved_view_is_drawn_by_name() {
    use eventline::model::FuzzyDate;
    use eventline::view::{self, SavedView};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nk.json");
    std::fs::copy(dataset(), &data).unwrap();
    let day = |t: &str| FuzzyDate::parse(t).unwrap().earliest;
    let mut filter = eventline::store::filter::Filter::default();
    filter.kinds.insert("call".into());
    let saved = SavedView {
        name: "Calls in August".into(),
        visible: Some((day("2022-08-01"), day("2022-08-10"))),
        grouping: LaneGrouping::Actor,
        filter,
        selected: Some("2022-08-05-michel-aliyev-call".into()),
        ..SavedView::default()
    };
    eventline::io::notes::save_with_views(
        &data,
        &Default::default(),
        &view::to_values(std::slice::from_ref(&saved)),
    )
    .unwrap();

    // The request: the view's range, lanes, filter and selection.
    let loaded = load(&data, &LoadOptions::default()).unwrap();
    let mut req = Request::new(&data, dir.path().join("v.svg"));
    req.view = Some("calls in august".into());
    let v = req.view(&loaded).unwrap();
    assert_eq!(v.options.range, saved.visible.unwrap());
    assert_eq!(
        v.selected,
        loaded.store.find_id("2022-08-05-michel-aliyev-call")
    );
    let lanes: Vec<&str> = v.lanes.lanes.iter().map(|l| l.name.as_str()).collect();
    assert!(lanes.contains(&"Charles Michel"), "{lanes:?}");
    // Explicit options win over the view's.
    req.lanes = Some(LaneGrouping::Kind);
    let by_kind = req.view(&loaded).unwrap();
    assert_eq!(by_kind.lanes.lanes.len(), 1, "only the calls' lane");

    // The command line, as an analyst runs it.
    let out = dir.path().join("calls.svg");
    let run = fixtures::eventline()
        .arg("render")
        .arg(&data)
        .args(["--view", "Calls in August", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let svg = std::fs::read_to_string(&out).unwrap();
    let mut drawn: Vec<&str> = svg
        .split("data-event=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    drawn.sort();
    drawn.dedup();
    assert_eq!(
        drawn,
        [
            "2022-08-05-blinken-aliyev-call",
            "2022-08-05-blinken-pashinian-call",
            "2022-08-05-michel-aliyev-call"
        ]
    );
    // A view that is not there is named with those that are.
    let run = fixtures::eventline()
        .arg("render")
        .arg(&data)
        .args(["--view", "Escalation", "--out"])
        .arg(dir.path().join("x.svg"))
        .output()
        .unwrap();
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(
        err.trim(),
        "eventline: --view: no view named \"Escalation\"; saved views: \"Calls in August\""
    );
}

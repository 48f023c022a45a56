//! Golden SVG exports: the same view of each test fixture writes the same
//! bytes as the files kept in `tests/fixtures/golden/`. They were written
//! before the timeline's layout moved under both painters, and hold the
//! export still while its code moves. A deliberate change to how exports
//! look rewrites them: `EVENTLINE_UPDATE_GOLDEN=1 cargo test golden`, then
//! look at the new files before committing them.

use std::path::{Path, PathBuf};

use eventline::cli::render::{Request, load};
use eventline::io::LoadOptions;
use eventline::render::Theme;
use eventline::store::LaneGrouping;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// One export: the input, how it is asked for, and its golden file's name.
struct Case {
    golden: &'static str,
    input: &'static str,
    lanes: Option<LaneGrouping>,
    range: Option<(&'static str, &'static str)>,
    search: &'static str,
    theme: Theme,
    width: Option<f32>,
}

const fn case(golden: &'static str, input: &'static str) -> Case {
    Case {
        golden,
        input,
        lanes: None,
        range: None,
        search: "",
        theme: Theme::Light,
        width: None,
    }
}

fn cases() -> Vec<Case> {
    vec![
        case("default", "assets/nagorno-karabakh-2022.json"),
        Case {
            lanes: Some(LaneGrouping::Actor),
            range: Some(("2022-07-25", "2022-08-10")),
            ..case("default-actors-week", "assets/nagorno-karabakh-2022.json")
        },
        Case {
            theme: Theme::Dark,
            search: "ceasefire",
            width: Some(900.0),
            ..case("default-dark-search", "assets/nagorno-karabakh-2022.json")
        },
        Case {
            lanes: Some(LaneGrouping::None),
            range: Some(("2020-09-01", "2020-12-01")),
            ..case("default-one-lane-2020", "assets/nagorno-karabakh-2022.json")
        },
        case(
            "acled",
            "tests/fixtures/acled/armenia-azerbaijan-2020-2022.csv",
        ),
        Case {
            lanes: Some(LaneGrouping::Country),
            ..case(
                "acled-countries",
                "tests/fixtures/acled/armenia-azerbaijan-2020-2022.csv",
            )
        },
        case("ucdp", "tests/fixtures/ucdp/ged-armenia-azerbaijan.csv"),
        case("gdelt", "tests/fixtures/gdelt/20220804.export.CSV"),
        case("timelinejs", "tests/fixtures/timelinejs/karabakh-2022.json"),
        case(
            "thetimeline",
            "tests/fixtures/thetimeline/karabakh-2022.timeline",
        ),
        case("csv-wars", "tests/fixtures/csv/wars.tsv"),
        case("truce", "tests/fixtures/analysis/truce.json"),
    ]
}

fn export(case: &Case) -> String {
    let input = root().join(case.input);
    let data = load(&input, &LoadOptions::default()).unwrap();
    let mut req = Request::new(&input, "golden.svg");
    req.lanes = case.lanes;
    if let Some((from, to)) = case.range {
        req.from = Some(from.into());
        req.to = Some(to.into());
    }
    req.search = case.search.into();
    req.theme = case.theme;
    req.width = case.width;
    let mut view = req.view(&data).unwrap();
    // The footer names the export's date and the picture draws today's
    // line where it is in range: both fixed, so the bytes do not change
    // with the clock.
    view.options.exported_on = "2026-12-08".into();
    view.options.today = eventline::model::FuzzyDate::parse("2026-12-08")
        .unwrap()
        .earliest;
    String::from_utf8(view.render().unwrap()).unwrap()
}

fn golden_path(name: &str) -> PathBuf {
    crate::fixtures::in_dir("golden", &format!("{name}.svg"))
}

#[test]
fn svg_exports_match_their_golden_files() {
    let update = std::env::var_os("EVENTLINE_UPDATE_GOLDEN").is_some();
    let mut differ = Vec::new();
    for case in cases() {
        let svg = export(&case);
        let path = golden_path(case.golden);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &svg).unwrap();
            continue;
        }
        let golden =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if svg != golden {
            let line = svg
                .lines()
                .zip(golden.lines())
                .position(|(a, b)| a != b)
                .map_or(svg.lines().count().min(golden.lines().count()), |l| l);
            differ.push(format!(
                "{} (first difference on line {})",
                case.golden,
                line + 1
            ));
        }
    }
    assert!(differ.is_empty(), "exports changed: {differ:?}");
}

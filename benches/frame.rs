//! CPU cost of one timeline frame: layout + painting + tessellation, headless,
//! with 20 lanes, at 10k / 1M / 10M events, zoomed out, at a middle zoom and
//! zoomed in; the same at 1M with a lane per actor (a few hundred lanes);
//! and the whole window's frame at 1M (toolbar, filter panel with its
//! counts, table, detail panel, overview, timeline), as the app draws it.

use std::hint::black_box;
use std::sync::Arc;

// The same allocator as the `eventline` binary, so figures match the app.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use egui::{Pos2, RawInput, Rect, Vec2};
use eventline::model::FuzzyDate;
use eventline::store::{LaneGrouping, LaneSet, Store};
use eventline::ui::timeline::{TimelineState, TimelineView};

const SCREEN: Vec2 = Vec2::new(1600.0, 1000.0);

fn input() -> RawInput {
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, SCREEN)),
        ..RawInput::default()
    }
}

struct Scene {
    ctx: egui::Context,
    store: Arc<Store>,
    lanes: LaneSet,
    timeline: TimelineState,
}

impl Scene {
    fn new(events: usize) -> Scene {
        let scene = Scene::grouped(events, LaneGrouping::Country);
        assert_eq!(scene.lanes.lanes.len(), 20);
        scene
    }

    fn grouped(events: usize, grouping: LaneGrouping) -> Scene {
        let dataset = eventline::synth::generate(events, 42, true);
        let store = Arc::new(Store::build(dataset));
        let lanes = LaneSet::build(&store, grouping);
        let mut s = Scene {
            ctx: egui::Context::default(),
            store,
            lanes,
            timeline: TimelineState::default(),
        };
        s.frame(); // creates the view, fitted to all
        s
    }

    /// One whole frame: run the UI, then tessellate what it painted.
    fn frame(&mut self) -> usize {
        let mut commands = Vec::new();
        let out = self.ctx.run_ui(input(), |ui| {
            egui::CentralPanel::no_frame().show(ui, |ui| {
                let view = TimelineView {
                    store: &self.store,
                    lanes: &self.lanes,
                    visible: None,
                    selected: None,
                    marks: Default::default(),
                };
                self.timeline.ui(ui, &view, &mut commands);
            });
        });
        let prims = self.ctx.tessellate(out.shapes, out.pixels_per_point);
        prims.len()
    }

    fn view(&mut self, t0: &str, t1: &str) {
        let (a, b) = (
            FuzzyDate::parse(t0).unwrap().earliest,
            FuzzyDate::parse(t1).unwrap().latest,
        );
        self.timeline.jump_to_range(&self.store, a, b);
        self.frame();
    }
}

fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    group.sample_size(30);
    for &n in &[10_000usize, 1_000_000, 10_000_000] {
        if n == 10_000_000 && std::env::var_os("EVENTLINE_BENCH_10M").is_none() {
            eprintln!(
                "skipping 10M events (set EVENTLINE_BENCH_10M=1; needs ~6 GiB and a minute to build)"
            );
            continue;
        }
        let mut scene = Scene::new(n);
        let views = [
            ("all", "1989", "2026"),
            ("one-year", "2008", "2008"),
            ("one-day", "2008-06-15", "2008-06-15"),
        ];
        for (name, a, b) in views {
            scene.view(a, b);
            group.bench_with_input(BenchmarkId::new(name, n), &n, |bench, _| {
                bench.iter(|| black_box(scene.frame()))
            });
        }
    }
    group.finish();
}

/// A lane per actor: hundreds of lanes, most of them off screen.
fn actor_lanes(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame-actor-lanes");
    group.sample_size(30);
    let n = 1_000_000;
    let mut scene = Scene::grouped(n, LaneGrouping::Actor);
    eprintln!("{} actor lanes", scene.lanes.lanes.len());
    for (name, a, b) in [("all", "1989", "2026"), ("one-year", "2008", "2008")] {
        scene.view(a, b);
        group.bench_with_input(BenchmarkId::new(name, n), &n, |bench, _| {
            bench.iter(|| black_box(scene.frame()))
        });
    }
    group.finish();
}

/// The whole window as the app draws it, with every panel open.
fn whole_app(c: &mut Criterion) {
    use eventline::io::LoadOptions;
    use eventline::ui::EventlineApp;
    use eventline::ui::app::Settings;
    use eventline::ui::loader::Source;

    let mut group = c.benchmark_group("frame-whole-app");
    group.sample_size(20);
    let n = 1_000_000;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("synthetic.json");
    eventline::io::native::save(&path, &eventline::synth::generate(n, 42, true))
        .expect("the synthetic dataset is written");
    let ctx = egui::Context::default();
    let settings = Settings {
        show_table: true,
        show_filters: true,
        ..Settings::default()
    };
    let mut app = EventlineApp::with_source(
        &ctx,
        Source::Files(vec![path]),
        LoadOptions::default(),
        settings,
    );
    app.wait_for_load();
    app.wait_for_filter();
    app.set_selected(Some(n as u32 / 2));
    let frame = |app: &mut EventlineApp| {
        let out = ctx.run_ui(input(), |ui| app.show(ui));
        ctx.tessellate(out.shapes, out.pixels_per_point).len()
    };
    for _ in 0..3 {
        frame(&mut app);
    }
    group.bench_function(BenchmarkId::new("all-panels", n), |bench| {
        bench.iter(|| black_box(frame(&mut app)))
    });
    group.finish();
}

criterion_group!(benches, frames, actor_lanes, whole_app);
criterion_main!(benches);

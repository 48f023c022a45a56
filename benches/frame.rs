//! CPU cost of one timeline frame: layout + painting + tessellation, headless,
//! with 20 lanes, at 10k / 1M / 10M events, zoomed out, at a middle zoom and
//! zoomed in.

use std::hint::black_box;
use std::sync::Arc;

// The same allocator as the `eventline` binary, so figures match the app.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use egui::{Pos2, RawInput, Rect, Vec2};
use eventline::model::FuzzyDate;
use eventline::store::{LaneGrouping, LaneSet, Store};
use eventline::ui::timeline::TimelineState;

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
        let dataset = eventline::synth::generate(events, 42, true);
        let store = Arc::new(Store::build(dataset));
        let lanes = LaneSet::build(&store, LaneGrouping::Country);
        assert_eq!(lanes.lanes.len(), 20);
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
                self.timeline.ui(
                    ui,
                    &self.store,
                    &self.lanes,
                    None,
                    None,
                    Default::default(),
                    &mut commands,
                );
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

criterion_group!(benches, frames);
criterion_main!(benches);

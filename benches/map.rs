//! The map at 1M located events: one frame (clusters from the cache,
//! painting and tessellation), a frame after the timeline moved (the
//! window's events found and clustered again), and applying a box drawn on
//! the map as an area filter (the filter run with its faceted counts and
//! lanes, as the app does).

use std::hint::black_box;
use std::sync::Arc;

// The same allocator as the `eventline` binary, so figures match the app.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, criterion_group, criterion_main};
use egui::{Pos2, RawInput, Rect, Vec2};
use eventline::model::FuzzyDate;
use eventline::store::filter::{Area, Filter, SearchText};
use eventline::store::filtered::run_filter;
use eventline::store::{LaneGrouping, Store};
use eventline::table::Dataset;
use eventline::ui::map::{MapInput, MapPanel};

const SCREEN: Vec2 = Vec2::new(900.0, 800.0);
const EVENTS: usize = 1_000_000;

/// The synthetic events sit on a few dozen places; spread them over the
/// region around each (±2°, deterministic) so that clusters are many and
/// realistic, not a handful of stacks.
fn spread_out(mut d: Dataset) -> Dataset {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    d.events = d
        .events
        .iter()
        .map(|mut e| {
            if let Some(p) = &mut e.place {
                p.lat = p.lat.map(|v| v + next() * 4.0 - 2.0);
                p.lon = p.lon.map(|v| v + next() * 4.0 - 2.0);
            }
            e
        })
        .collect();
    d
}

struct Scene {
    ctx: egui::Context,
    store: Arc<Store>,
    map: MapPanel,
    filter: Filter,
}

impl Scene {
    fn frame(&mut self, window: (i64, i64)) -> usize {
        let mut commands = Vec::new();
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, SCREEN)),
            ..RawInput::default()
        };
        let out = self.ctx.run_ui(input, |ui| {
            egui::CentralPanel::no_frame().show(ui, |ui| {
                let input = MapInput {
                    store: &self.store,
                    serial: 1,
                    generation: 1,
                    visible: None,
                    window: Some(window),
                    selected: None,
                    linked: None,
                    filter: &self.filter,
                };
                self.map.ui(ui, &input, &mut commands);
            });
        });
        self.ctx.tessellate(out.shapes, out.pixels_per_point).len()
    }
}

fn day(t: &str) -> i64 {
    FuzzyDate::parse(t).map(|d| d.earliest).unwrap_or_default()
}

fn map(c: &mut Criterion) {
    let store = Arc::new(Store::build(spread_out(eventline::synth::generate(
        EVENTS, 42, false,
    ))));
    let mut scene = Scene {
        ctx: egui::Context::default(),
        store: store.clone(),
        map: MapPanel::default(),
        filter: Filter::default(),
    };
    let all = store.time_range().unwrap_or_default();
    scene.frame(all);
    let located = scene.map.clusters().map_or(0, |c| c.total());
    assert!(located > 900_000, "{located} located events on the map");
    eprintln!(
        "{} located events in {} clusters",
        located,
        scene.map.clusters().map_or(0, |c| c.cells.len())
    );

    let mut group = c.benchmark_group("map-1M");
    group.sample_size(20);
    group.bench_function("frame", |b| b.iter(|| black_box(scene.frame(all))));
    // The timeline moved: another window each frame (a decade, shifted by
    // a day), so the window's events are found and clustered again.
    let (t0, t1) = (day("2005"), day("2015"));
    let mut shift = 0;
    group.bench_function("frame-after-timeline-moved", |b| {
        b.iter(|| {
            shift += 86_400;
            black_box(scene.frame((t0 + shift, t1 + shift)))
        })
    });
    group.finish();

    let text = SearchText::build(&store);
    let flags = vec![0u8; store.len()];
    let f = Filter {
        area: Some(Area::from_corners((45.0, 39.0), (47.0, 41.0))),
        ..Filter::default()
    };
    let compiled = f.compile(&store).unwrap_or_else(|e| panic!("{e}"));
    let mut group = c.benchmark_group("area-filter-1M");
    group.sample_size(10);
    group.bench_function("apply-box", |b| {
        b.iter(|| {
            black_box(run_filter(
                &compiled,
                &store,
                &text,
                &flags,
                LaneGrouping::Kind,
                true,
                None,
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, map);
criterion_main!(benches);

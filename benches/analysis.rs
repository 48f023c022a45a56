//! The analysis views at 1M events: the compare panel's figures, the truce
//! periods (once per store), the histogram's share of a frame and the
//! who-called-whom network of a one-year range.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

// The same allocator as the `eventline` binary, so figures match the app.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, criterion_group, criterion_main};
use eventline::analysis::compare::{boundary_of, compare};
use eventline::analysis::histogram::{BinUnit, KindAnchors, bins};
use eventline::analysis::network::network;
use eventline::analysis::truce::Truces;
use eventline::model::FuzzyDate;
use eventline::store::filter::{Filter, SearchText};
use eventline::store::{EventIx, Store};
use eventline::timeline::axis::TimeAxis;
use eventline::ui::histogram::{HistogramStrip, HistogramView};

fn day(text: &str) -> i64 {
    FuzzyDate::parse(text).map_or(0, |d| d.earliest)
}

fn analysis(c: &mut Criterion) {
    let store = Store::build(eventline::synth::generate(1_000_000, 5, false));
    let text = SearchText::build(&store);
    let flags = vec![0u8; store.len()];
    // What a filter on clashes, strikes and calls shows.
    let filter = Filter {
        kinds: ["clash", "strike", "call", "statement"]
            .map(String::from)
            .into(),
        ..Filter::default()
    };
    let result = filter.compile(&store).unwrap().run(&store, &text, &flags);
    let mask = Some(result.visible.as_slice());
    let truces = Truces::compute(&store, &HashMap::new());
    let truce_kind = store.kinds.iter().position(|k| k.id == "truce").unwrap() as u16;
    let mid = store.len() / 2;
    let truce = (mid..store.len())
        .find(|&i| store.kind[i] == truce_kind)
        .unwrap() as EventIx;
    let (b0, b1) = boundary_of(&store, truce).unwrap();

    let mut group = c.benchmark_group("analysis-1M");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("truce-periods-once-per-store", |b| {
        b.iter(|| black_box(Truces::compute(&store, &HashMap::new())))
    });
    for days in [7, 30, 90, 3650] {
        group.bench_function(format!("compare-around-a-truce-{days}d-filtered"), |b| {
            b.iter(|| black_box(compare(&store, b0, b1, days, mask, &truces.flags)))
        });
    }
    let period = truces.period_of(truce).unwrap();
    group.bench_function("truce-period-violations", |b| {
        b.iter(|| black_box(truces.violations_of(&store, period, mask)))
    });
    let shown: Vec<EventIx> = (0..store.len() as EventIx)
        .filter(|&i| result.visible[i as usize])
        .collect();
    group.bench_function("histogram-anchors-once-per-filter-run", |b| {
        b.iter(|| black_box(KindAnchors::build(&store, Some(&shown))))
    });
    let anchors = KindAnchors::build(&store, Some(&shown));
    let (y0, y1) = (day("2015-01-01"), day("2016-01-01"));
    let (d0, d1) = store.time_range().unwrap();
    let frames = [
        ("histogram-frame-one-year-by-day", BinUnit::Day, y0, y1),
        (
            "histogram-frame-all-36-years-by-month",
            BinUnit::Month,
            d0,
            d1,
        ),
        (
            "histogram-frame-all-36-years-by-week",
            BinUnit::Week,
            d0,
            d1,
        ),
    ];
    for (name, unit, t0, t1) in frames {
        group.bench_function(name, |b| b.iter(|| black_box(bins(&anchors, unit, t0, t1))));
    }
    // The strip's whole share of a frame: bins counted afresh (the view
    // moves an hour each frame, so the cache never hits), painted and
    // tessellated.
    let ctx = egui::Context::default();
    let mut strip = HistogramStrip::default();
    let plain = Filter::default();
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1600.0, 1000.0),
        )),
        ..egui::RawInput::default()
    };
    for (name, t0, t1) in [
        ("histogram-strip-frame-one-year", y0, y1),
        ("histogram-strip-frame-all-36-years", d0, d1),
    ] {
        let mut shift = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                shift += 3600;
                let view = HistogramView {
                    store: &store,
                    shown: Some(&shown),
                    generation: (1, 1),
                    axis: Some(TimeAxis::fit(190.0, 1400.0, t0 + shift, t1 + shift)),
                    filter: &plain,
                };
                let mut commands = Vec::new();
                let out = ctx.run_ui(input(), |ui| {
                    egui::CentralPanel::no_frame().show(ui, |ui| {
                        strip.ui(ui, &view, &mut commands);
                    });
                });
                black_box(ctx.tessellate(out.shapes, out.pixels_per_point).len())
            })
        });
    }
    group.bench_function("network-one-year", |b| {
        b.iter(|| black_box(network(&store, y0, y1, None)))
    });
    group.bench_function("network-one-year-filtered", |b| {
        b.iter(|| black_box(network(&store, y0, y1, mask)))
    });
    group.finish();
}

criterion_group!(benches, analysis);
criterion_main!(benches);

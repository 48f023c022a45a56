//! Export: a whole view written as SVG, PNG and PDF, of the default
//! dataset and of a 1M-event store (once loaded), as `eventline render`
//! does after reading the file.

use std::hint::black_box;
use std::sync::Arc;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use eventline::cli::render::{Loaded, Request};
use eventline::render::{ExportFormat, OwnedView};
use eventline::store::filter::SearchText;
use eventline::store::{LaneGrouping, Store};

fn loaded(store: Store, name: &str) -> Loaded {
    let store = Arc::new(store);
    let search_text = SearchText::build(&store);
    Loaded {
        store,
        search_text,
        dataset_name: name.into(),
    }
}

fn view(data: &Loaded, format: ExportFormat, lanes: LaneGrouping) -> OwnedView {
    let mut req = Request::new("bench", format!("bench.{}", format.extension()));
    req.lanes = Some(lanes);
    req.view(data).expect("a view of the data")
}

fn bench(c: &mut Criterion) {
    let default = eventline::default_dataset().expect("the embedded dataset");
    let small = loaded(Store::build(default.dataset), "nagorno-karabakh-2022.json");
    let million = loaded(
        Store::build(eventline::synth::generate(1_000_000, 42, true)),
        "synthetic-1m.json",
    );
    let mut g = c.benchmark_group("render");
    g.sample_size(10);
    for (name, data, lanes) in [
        ("default", &small, LaneGrouping::Kind),
        ("1M", &million, LaneGrouping::Country),
    ] {
        for format in ExportFormat::ALL {
            // The view is built inside: the lanes and search of a request
            // are part of what `render` does once the file is read.
            g.bench_with_input(BenchmarkId::new(name, format.label()), &format, |b, &f| {
                b.iter(|| {
                    let v = view(data, f, lanes);
                    black_box(v.render().expect("rendered").len())
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

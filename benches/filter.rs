//! What a filter change or a search keystroke costs at 1M events: running
//! the filter with faceted counts, the search, and rebuilding the lanes —
//! the whole job the app runs before the view updates.

use std::hint::black_box;

// The same allocator as the `eventline` binary, so figures match the app.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, criterion_group, criterion_main};
use eventline::store::filter::{Filter, SearchText};
use eventline::store::filtered::run_filter;
use eventline::store::{LaneGrouping, Store};

fn filter(c: &mut Criterion) {
    let store = Store::build(eventline::synth::generate(1_000_000, 5, false));
    let text = SearchText::build(&store);
    let flags = vec![0u8; store.len()];
    let mut group = c.benchmark_group("filter-1M");
    group.sample_size(10);
    let cases = [
        (
            "kind",
            Filter {
                kinds: ["clash".to_string()].into(),
                ..Filter::default()
            },
        ),
        (
            "actor-and-dates",
            Filter {
                actors: ["Armenia armed forces".to_string()].into(),
                date_from: "2010".into(),
                date_to: "2020-06".into(),
                ..Filter::default()
            },
        ),
        (
            "search-keystroke",
            Filter {
                search: "shusha".into(),
                ..Filter::default()
            },
        ),
        (
            "search-field",
            Filter {
                search: "actor:azerbaijan kind:clash".into(),
                ..Filter::default()
            },
        ),
    ];
    for (name, f) in cases {
        let compiled = f.compile(&store).unwrap();
        let base = f.clone().with_search_cleared();
        let active = base.is_active();
        // A search keystroke keeps the lanes (as the app does); a filter
        // change rebuilds them.
        let reuse = (!f.search.is_empty()).then(|| {
            let out = run_filter(
                &base.compile(&store).unwrap(),
                &store,
                &text,
                &flags,
                LaneGrouping::Kind,
                active,
                None,
            );
            out.shown
        });
        group.bench_function(name, |b| {
            b.iter(|| {
                black_box(run_filter(
                    &compiled,
                    &store,
                    &text,
                    &flags,
                    LaneGrouping::Kind,
                    active,
                    reuse.clone(),
                ))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, filter);
criterion_main!(benches);

//! Where a loaded dataset's memory and indexing time go: the event table,
//! the store's own columns, the lanes and the search text, for a file given
//! on the command line (read as the window reads it, without the column
//! cache).
//!
//! `cargo run --release --features examples --example memory -- FILE`

use std::process::ExitCode;

use eventline::store::filter::SearchText;
use eventline::store::{LaneGrouping, LaneSet, Store};

fn mb(bytes: usize) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: memory FILE");
        return ExitCode::FAILURE;
    };
    let loaded = match eventline::io::load_path(std::path::Path::new(&path), None) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("memory: {e}");
            return ExitCode::FAILURE;
        }
    };
    let t = std::time::Instant::now();
    let store = Store::build(loaded.dataset);
    println!("store built in {:.2} s", t.elapsed().as_secs_f64());
    let t = std::time::Instant::now();
    let lanes = LaneSet::build(&store, LaneGrouping::Kind);
    println!("lanes built in {:.2} s", t.elapsed().as_secs_f64());
    let t = std::time::Instant::now();
    let search = SearchText::build(&store);
    println!("search text built in {:.2} s", t.elapsed().as_secs_f64());
    let n = store.len().max(1);
    println!("events: {}", store.len());
    println!(
        "event table and row order: {} ({} bytes per event)",
        mb(store.heap_bytes()),
        store.heap_bytes() / n
    );
    println!(
        "search text: {} ({} bytes per event)",
        mb(search.heap_bytes()),
        search.heap_bytes() / n
    );
    for (column, bytes) in store.table().heap_bytes_by_column() {
        println!("  table column {column}: {}", mb(bytes));
    }
    println!(
        "store's own columns and indexes: {}",
        mb(store.index_heap_bytes())
    );
    println!("lanes: {} lanes", lanes.lanes.len());
    ExitCode::SUCCESS
}

//! Format detection, then the reader it picks (or every JSON reader, for
//! JSON whose keys say nothing), on arbitrary bytes. The first byte picks
//! the file name, since detection also looks at the extension.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 10] = [
    "fuzz",
    "fuzz.json",
    "fuzz.csv",
    "fuzz.tsv",
    "fuzz.txt",
    "fuzz.tab",
    "fuzz.CSV",
    "fuzz.timeline",
    "fuzz.export.CSV",
    "fuzz.geojson",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[pick as usize % NAMES.len()];
    let _ = eventline::io::detect(Path::new(name), bytes);
    eventline_fuzz::read(name, bytes, None);
});

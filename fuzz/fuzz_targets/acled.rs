//! The Acled reader (`Format::Acled`, every form it reads under that name)
//! on arbitrary bytes: it must never panic.
#![no_main]

use eventline::io::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    eventline_fuzz::read("fuzz.csv", data, Some(Format::Acled));
});

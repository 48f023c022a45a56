//! The headless commands: `eventline inspect`, `convert` and `render`,
//! each a file in and a report, a dataset or a picture out, no window.
//! `main.rs` parses the arguments and calls these; tests and benchmarks
//! call them the same way, so they check exactly what the command line
//! does.
//!
//! Above `io`, `store` and `render`, which it joins; nothing below names
//! it, and it never opens the window (that is `main`'s and `ui`'s).

pub mod convert;
pub mod inspect;
pub mod render;

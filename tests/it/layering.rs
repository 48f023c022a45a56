//! The house's layers, checked: every `crate::…` path in `src/` is an
//! arrow from the room it is written in to the room it names, and some
//! arrows must not exist (`../shared/DESIGN.md` §2, `src/lib.rs`):
//!
//! - only `ui` and `main` know egui/eframe, and nothing but `main` (and
//!   `ui` itself) reaches into `ui`;
//! - `model` is the bottom: it names no other room;
//! - `store` reads no files (`io`), `timeline` and `render` draw without
//!   the window, `analysis` and `geo` compute without it;
//! - no two rooms name each other, directly or round a longer circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// An arrow: from room, to room, and where it was written (file:line).
type Arrow = (String, String, String);

/// The room a file in `src/` belongs to: its first folder, or its stem
/// (`src/convert.rs` is the room `convert`; `lib.rs` is the crate root).
fn room_of(rel: &Path) -> String {
    let mut parts = rel.components();
    let first = parts
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    match parts.next() {
        Some(_) => first,
        None => first.trim_end_matches(".rs").to_owned(),
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a line without its comment (`//` outside a string is rare
/// enough in paths that a plain cut is right for this purpose).
fn code_of(line: &str) -> &str {
    let trimmed = line.trim_start();
    if trimmed.starts_with("//") {
        return "";
    }
    match line.find("// ") {
        Some(k) => &line[..k],
        None => line,
    }
}

/// The rooms a line of code names: `crate::room`, and `super::` paths
/// that climb out of a room are left to rustc (they cannot leave it).
fn rooms_named(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(k) = rest.find("crate::") {
        let before = rest[..k].chars().next_back();
        rest = &rest[k + "crate::".len()..];
        // `eventline::crate::` does not occur; `$crate::` is a macro's.
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.push(name);
        }
    }
    out
}

/// Whether a line of code uses egui or eframe.
fn names_the_window(code: &str) -> bool {
    ["egui::", "eframe::", "egui_extras::", "egui_plot::"]
        .iter()
        .any(|p| {
            code.match_indices(p).any(|(k, _)| {
                code[..k]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
            })
        })
}

/// Every arrow between two rooms in `src/`, and every file outside the
/// window's rooms that uses egui.
fn arrows(src: &Path) -> (Vec<Arrow>, Vec<String>) {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let rooms: BTreeSet<String> = files
        .iter()
        .map(|f| room_of(f.strip_prefix(src).unwrap()))
        .collect();
    let mut arrows = Vec::new();
    let mut window = Vec::new();
    for file in files {
        let rel = file.strip_prefix(src).unwrap().to_path_buf();
        // Unit tests kept in files of their own (`tests.rs`,
        // `filter_tests.rs`) are skipped like inline test modules.
        let stem = rel
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into_owned());
        if stem == "tests" || stem.ends_with("_tests") {
            continue;
        }
        let from = room_of(&rel);
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let mut in_tests = false;
        for (n, line) in lines.iter().enumerate() {
            // Unit tests may borrow any room's helpers (the default
            // dataset, synthetic stores): a top-level `#[cfg(test)] mod`
            // is skipped to its closing brace.
            if *line == "#[cfg(test)]"
                && lines.get(n + 1).is_some_and(|next| {
                    (next.starts_with("mod ") || next.starts_with("pub(crate) mod "))
                        && next.trim_end().ends_with('{')
                })
            {
                in_tests = true;
            }
            if in_tests {
                in_tests = *line != "}";
                continue;
            }
            let code = code_of(line);
            let at = format!("src/{}:{}", rel.display(), n + 1);
            for to in rooms_named(code) {
                // Items of the crate root (the embedded dataset) are `lib`'s.
                let to = if rooms.contains(&to) {
                    to
                } else {
                    "lib".to_owned()
                };
                if to != from {
                    arrows.push((from.clone(), to, at.clone()));
                }
            }
            if from != "ui" && from != "main" && names_the_window(code) {
                window.push(at);
            }
        }
    }
    (arrows, window)
}

/// The arrows that must not exist, each with why.
fn forbidden(arrows: &[Arrow]) -> Vec<String> {
    let mut out = Vec::new();
    for (from, to, at) in arrows {
        let why = match (from.as_str(), to.as_str()) {
            (f, "ui") if f != "main" => Some("only main reaches into ui"),
            ("model", _) => Some("model is the bottom room"),
            ("store", "io") => Some("the store reads no files"),
            ("timeline" | "render", "ui") => Some("painters below the window"),
            _ => None,
        };
        if let Some(why) = why {
            out.push(format!("{from} → {to} at {at}: {why}"));
        }
    }
    out.extend(circles(arrows));
    out
}

/// Circles between rooms: for each arrow a → b, whether b reaches a.
fn circles(arrows: &[Arrow]) -> Vec<String> {
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut first_at: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for (from, to, at) in arrows {
        // The crate root declares the rooms; main sits above everything.
        if from == "lib" || from == "main" {
            continue;
        }
        graph.entry(from).or_default().insert(to);
        first_at.entry((from, to)).or_insert(at);
    }
    let reaches = |start: &str, goal: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start];
        while let Some(r) = stack.pop() {
            if r == goal {
                return true;
            }
            if seen.insert(r) {
                stack.extend(graph.get(r).into_iter().flatten().copied());
            }
        }
        false
    };
    let mut out = Vec::new();
    for (&(from, to), at) in &first_at {
        if reaches(to, from) {
            out.push(format!(
                "{from} → {to} at {at} closes a circle ({to} reaches {from})"
            ));
        }
    }
    out
}

#[test]
fn no_forbidden_arrow_between_rooms() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let (arrows, window) = arrows(&src);
    assert!(
        arrows.len() > 100,
        "the scan found too few arrows ({}): is it reading src/?",
        arrows.len()
    );
    let bad = forbidden(&arrows);
    assert!(bad.is_empty(), "forbidden arrows:\n{}", bad.join("\n"));
    assert!(
        window.is_empty(),
        "egui/eframe outside ui and main:\n{}",
        window.join("\n")
    );
}

/// The test of the test: each forbidden arrow, written into a made-up
/// house, is caught; the allowed ones are not.
#[test]
fn the_layering_check_catches_each_forbidden_arrow() {
    let arrow = |from: &str, to: &str| (from.to_owned(), to.to_owned(), "x.rs:1".to_owned());
    for (from, to) in [
        ("render", "ui"),
        ("timeline", "ui"),
        ("analysis", "ui"),
        ("geo", "ui"),
        ("io", "ui"),
        ("model", "store"),
        ("model", "table"),
        ("store", "io"),
    ] {
        assert_eq!(
            forbidden(&[arrow(from, to)]).len(),
            1,
            "{from} → {to} was not caught"
        );
    }
    for (from, to) in [
        ("main", "ui"),
        ("ui", "render"),
        ("render", "timeline"),
        ("io", "model"),
    ] {
        assert!(
            forbidden(&[arrow(from, to)]).is_empty(),
            "{from} → {to} is allowed"
        );
    }
    // A circle of three.
    let circle = [
        arrow("io", "view"),
        arrow("view", "store"),
        arrow("store", "view"),
    ];
    let found = forbidden(&circle);
    assert_eq!(found.len(), 2, "{found:?}");
    // The scanner reads paths, not comments or other crates' `crate::`.
    assert_eq!(
        rooms_named("use crate::store::{Lane, Store}; crate::ui::x();"),
        ["store", "ui"]
    );
    assert!(rooms_named("// crate::ui").is_empty() || code_of("// crate::ui").is_empty());
    assert!(rooms_named("$crate::ui::x").is_empty());
    assert!(names_the_window("use egui::Color32;"));
    assert!(!names_the_window("use my_egui::Color32;"));
    assert_eq!(room_of(Path::new("ui/timeline/mod.rs")), "ui");
    assert_eq!(room_of(Path::new("convert.rs")), "convert");
}

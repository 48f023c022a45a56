//! Every row of the tables in docs/CLASSIFY.md, checked against the one
//! classifier every importer uses, and the importers checked to use it.

use std::path::Path;

use eventline::model::classify::{self, CEASEFIRE_VIOLATION, Class};

struct Row {
    line: usize,
    scheme: String,
    inputs: Vec<String>,
    kind: String,
    tag: String,
}

fn rows() -> Vec<Row> {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/CLASSIFY.md"))
            .expect("docs/CLASSIFY.md is readable");
    let mut out = Vec::new();
    for (i, line) in doc.lines().enumerate() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // "| scheme | input | kind | tag |" splits into 6 cells.
        if cells.len() != 6 || !["cameo", "acled", "ucdp", "words"].contains(&cells[1]) {
            continue;
        }
        let inputs: Vec<String> = cells[2]
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        out.push(Row {
            line: i + 1,
            scheme: cells[1].to_string(),
            inputs,
            kind: cells[3].to_string(),
            tag: cells[4].to_string(),
        });
    }
    out
}

fn classify(row: &Row) -> Option<Class> {
    let input = |i: usize| row.inputs.get(i).map_or("", String::as_str);
    match row.scheme.as_str() {
        "cameo" => Some(classify::cameo(input(0))),
        "acled" => Some(classify::acled(input(0), input(1), input(2))),
        "ucdp" => classify::ucdp(input(0)),
        "words" => classify::type_text(input(0)),
        _ => None,
    }
}

#[test]
fn every_row_of_the_documented_tables_holds() {
    let rows = rows();
    // The four tables are all there (a broken table would pass vacuously).
    for (scheme, at_least) in [("cameo", 40), ("acled", 15), ("ucdp", 3), ("words", 20)] {
        let n = rows.iter().filter(|r| r.scheme == scheme).count();
        assert!(n >= at_least, "only {n} {scheme} rows in docs/CLASSIFY.md");
    }
    let mut failures = Vec::new();
    for row in &rows {
        let got = classify(row);
        let kind = got.map_or("none", |c| c.kind);
        let tag = got
            .and_then(|c| c.tags().next())
            .unwrap_or_default()
            .to_string();
        if kind != row.kind || tag != row.tag {
            failures.push(format!(
                "line {}: {} {:?}: documented {} {:?}, classifier says {kind} {tag:?}",
                row.line, row.scheme, row.inputs, row.kind, row.tag
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn gdelt_truces_are_only_0871_and_196_is_a_tagged_clash() {
    // One GDELT 2.0 row (61 columns) per code.
    let codes = ["0861", "0862", "086", "0871", "0872", "0874", "196"];
    let mut text = String::new();
    for (i, code) in codes.iter().enumerate() {
        let mut f = vec![String::new(); 61];
        f[0] = format!("{}", 1000 + i);
        f[1] = "20221110".into();
        f[2] = "202211".into();
        f[3] = "2022".into();
        f[4] = "2022.8603".into();
        f[6] = "ARMENIA".into();
        f[16] = "AZERBAIJAN".into();
        f[25] = "1".into();
        f[26] = (*code).into();
        f[27] = code[..3.min(code.len())].into();
        f[28] = code[..2].into();
        f[29] = "2".into();
        f[30] = "3.0".into();
        f[59] = "20221110120000".into();
        f[60] = format!("https://example.org/{i}");
        text.push_str(&f.join("\t"));
        text.push('\n');
    }
    let l = eventline::io::load_bytes(
        Path::new("cameo.export.CSV"),
        text.as_bytes(),
        Some(eventline::io::Format::Gdelt),
    )
    .expect("the GDELT rows are read");
    let kinds: Vec<String> = l.dataset.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            "deployment",
            "other",
            "other",
            "truce",
            "other",
            "other",
            "clash"
        ]
    );
    let tagged: Vec<bool> = l
        .dataset
        .events
        .iter()
        .map(|e| e.tags.iter().any(|t| t == CEASEFIRE_VIOLATION))
        .collect();
    assert_eq!(tagged, [false, false, false, false, false, false, true]);
}

#[test]
fn csv_and_timelinejs_agree_on_a_call_for_a_ceasefire() {
    let csv = eventline::io::load_bytes(
        Path::new("t.csv"),
        b"date,title,type\n2022-08-05,EU statement,Calls for ceasefire\n2022-08-06,Fire,Ceasefire violation\n",
        None,
    )
    .expect("the table is read");
    let json = br#"{"events": [
        {"start_date": {"year": 2022, "month": 8, "day": 5}, "text": {"headline": "Calls for ceasefire"}},
        {"start_date": {"year": 2022, "month": 8, "day": 6}, "text": {"headline": "Ceasefire violation"}}
    ]}"#;
    let tl =
        eventline::io::load_bytes(Path::new("t.json"), json, None).expect("the timeline is read");
    for l in [&csv, &tl] {
        let kinds: Vec<String> = l.dataset.events.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, ["statement", "clash"], "{}", l.format);
        assert!(
            l.dataset.events.to_vec()[1]
                .tags
                .iter()
                .any(|t| t == CEASEFIRE_VIOLATION)
        );
    }
}

//! `eventline inspect FILE`: a one-object JSON summary for scripts.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::io::{Loaded, Problem};
use crate::model::Instant;
use crate::model::date::from_instant;
use crate::store::Store;

#[derive(Serialize, Debug)]
pub struct Report {
    pub file: String,
    pub format: String,
    pub title: String,
    pub events: usize,
    pub kinds: BTreeMap<String, usize>,
    pub earliest: Option<String>,
    pub latest: Option<String>,
    pub skipped: usize,
    pub problems: Vec<ProblemOut>,
}

#[derive(Serialize, Debug)]
pub struct ProblemOut {
    pub severity: String,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub field: Option<String>,
    pub message: String,
}

impl From<&Problem> for ProblemOut {
    fn from(p: &Problem) -> Self {
        ProblemOut {
            severity: format!("{:?}", p.severity).to_lowercase(),
            line: p.line,
            column: p.column,
            field: p.field.clone(),
            message: p.message.clone(),
        }
    }
}

/// ISO 8601: the date alone when the moment is a day boundary.
fn iso(t: Instant, end_of_day: bool) -> Option<String> {
    let dt = from_instant(t)?;
    let boundary = if end_of_day { "23:59:59" } else { "00:00:00" };
    let time = dt.format("%H:%M:%S").to_string();
    Some(if time == boundary {
        dt.format("%Y-%m-%d").to_string()
    } else {
        dt.format("%Y-%m-%dT%H:%M:%S").to_string()
    })
}

pub fn report(file: &str, loaded: Loaded) -> Report {
    let problems = loaded.problems.iter().map(ProblemOut::from).collect();
    let skipped = loaded.skipped;
    let format = loaded.format.name().to_string();
    let store = Store::build(loaded.dataset);
    let mut kinds = BTreeMap::new();
    for (k, n) in store.kinds.iter().zip(store.kind_counts()) {
        if n > 0 {
            kinds.insert(k.id.clone(), n);
        }
    }
    let range = store.time_range();
    Report {
        file: file.to_string(),
        format,
        title: store.title.clone(),
        events: store.len(),
        kinds,
        earliest: range.and_then(|(a, _)| iso(a, false)),
        latest: range.and_then(|(_, b)| iso(b, true)),
        skipped,
        problems,
    }
}

//! `eventline inspect FILE`: a one-object JSON summary for scripts.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::io::{Loaded, Problem};
use crate::model::Instant;
use crate::model::date::from_instant;
use crate::store::Summary;

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

pub fn report(file: &str, loaded: &Loaded) -> Report {
    // Counted from the columns: the timeline's store (sorted, indexed) is
    // not needed for a summary.
    let summary = Summary::of(&loaded.dataset.events);
    Report {
        file: file.to_string(),
        format: loaded.format.name().to_string(),
        title: loaded.dataset.title.clone(),
        events: summary.events,
        kinds: summary.kinds,
        earliest: summary.range.and_then(|(a, _)| iso(a, false)),
        latest: summary.range.and_then(|(_, b)| iso(b, true)),
        skipped: loaded.skipped,
        problems: loaded.problems.iter().map(ProblemOut::from).collect(),
    }
}

//! Saved views: a named range, lane grouping, collapsed lanes, filter,
//! search and selection, kept in the dataset's notes sidecar so that the
//! window's Views menu, `eventline FILE --view NAME` and `eventline render
//! --view NAME` all reopen the same view.
//!
//! Egui-free: it joins the store's [`Filter`] to the sidecar's JSON, which
//! `io` keeps as opaque values (io and store do not know each other), and
//! the sidecar's notes to the filter's flag bits.

use serde::{Deserialize, Serialize};

use crate::io::notes::Note;
use crate::model::Instant;
use crate::store::LaneGrouping;
use crate::store::filter::{Filter, REVIEWED, STARRED, TAGGED};

/// The filter bits of an event with this note (starred, tagged, reviewed):
/// how the sidecar's notes reach the store's filter, in the window and in
/// `eventline render --view`.
pub fn note_flags(note: Option<&Note>) -> u8 {
    match note {
        None => 0,
        Some(n) => {
            (if n.starred { STARRED } else { 0 })
                | (if n.tags.is_empty() { 0 } else { TAGGED })
                | (if n.reviewed { REVIEWED } else { 0 })
        }
    }
}

/// One named view of a dataset.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedView {
    pub name: String,
    /// The visible time range, in seconds since 1970-01-01 UTC; `None`
    /// fits the whole dataset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible: Option<(Instant, Instant)>,
    /// The range chosen with Shift+drag, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<(Instant, Instant)>,
    #[serde(default)]
    pub grouping: LaneGrouping,
    /// Collapsed lanes, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collapsed: Vec<String>,
    /// The filter, with the search text.
    #[serde(default)]
    pub filter: Filter,
    /// The selected event's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<String>,
}

/// Read the views stored in a sidecar; entries that are not views are
/// reported (by position and reason), not dropped in silence.
pub fn parse_views(raw: &[serde_json::Value]) -> (Vec<SavedView>, Vec<String>) {
    let mut views = Vec::new();
    let mut problems = Vec::new();
    for (i, value) in raw.iter().enumerate() {
        match serde_json::from_value::<SavedView>(value.clone()) {
            Ok(v) if v.name.trim().is_empty() => {
                problems.push(format!("saved view {} has no name and was ignored", i + 1))
            }
            Ok(v) => views.push(v),
            Err(e) => problems.push(format!(
                "saved view {} could not be read ({e}) and was ignored",
                i + 1
            )),
        }
    }
    (views, problems)
}

/// The views as the sidecar stores them.
pub fn to_values(views: &[SavedView]) -> Vec<serde_json::Value> {
    views
        .iter()
        .filter_map(|v| serde_json::to_value(v).ok())
        .collect()
}

/// The view called `name`: exact match first, else the only one whose
/// name matches ignoring case.
pub fn find<'v>(views: &'v [SavedView], name: &str) -> Option<&'v SavedView> {
    let name = name.trim();
    views.iter().find(|v| v.name == name).or_else(|| {
        let mut folded = views.iter().filter(|v| v.name.eq_ignore_ascii_case(name));
        match (folded.next(), folded.next()) {
            (Some(v), None) => Some(v),
            _ => None,
        }
    })
}

/// Why `--view NAME` found nothing, naming the views there are.
pub fn not_found(name: &str, views: &[SavedView]) -> String {
    if views.is_empty() {
        format!("no view named \"{name}\": this dataset has no saved views")
    } else {
        let names: Vec<String> = views.iter().map(|v| format!("\"{}\"", v.name)).collect();
        format!(
            "no view named \"{name}\"; saved views: {}",
            names.join(", ")
        )
    }
}

/// Put `view` in the list, replacing one of the same name (its place kept).
/// Returns whether it replaced one.
pub fn upsert(views: &mut Vec<SavedView>, view: SavedView) -> bool {
    match views.iter_mut().find(|v| v.name == view.name) {
        Some(old) => {
            *old = view;
            true
        }
        None => {
            views.push(view);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(name: &str) -> SavedView {
        SavedView {
            name: name.into(),
            ..SavedView::default()
        }
    }

    #[test]
    fn a_view_round_trips_through_json() {
        let mut filter = Filter::default();
        filter.kinds.insert("truce".into());
        filter.search = "Lachin".into();
        let v = SavedView {
            name: "Truce of 2020".into(),
            visible: Some((1_604_000_000, 1_606_000_000)),
            range: Some((1_604_900_000, 1_605_000_000)),
            grouping: LaneGrouping::Kind,
            collapsed: vec!["Statements".into()],
            filter,
            selected: Some("evt-12".into()),
        };
        let (back, problems) = parse_views(&to_values(std::slice::from_ref(&v)));
        assert!(problems.is_empty());
        assert_eq!(back, vec![v]);
    }

    #[test]
    fn bad_entries_are_reported_not_dropped_silently() {
        let raw = vec![
            serde_json::json!({"name": "ok"}),
            serde_json::json!({"name": ""}),
            serde_json::json!({"name": 5}),
            serde_json::json!("not an object"),
        ];
        let (views, problems) = parse_views(&raw);
        assert_eq!(views, vec![view("ok")]);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("saved view 2 has no name"));
        assert!(problems[1].contains("saved view 3 could not be read"));
    }

    #[test]
    fn find_prefers_exact_then_unique_case_insensitive() {
        let views = vec![view("Truce"), view("truce"), view("August")];
        assert_eq!(
            find(&views, "truce").map(|v| v.name.as_str()),
            Some("truce")
        );
        assert_eq!(
            find(&views, " august ").map(|v| v.name.as_str()),
            Some("August")
        );
        // Two names differ only by case: no guess.
        assert_eq!(find(&views, "TRUCE"), None);
        assert_eq!(find(&views, "nothing"), None);
        let msg = not_found("nothing", &views);
        assert!(
            msg.contains("\"Truce\"") && msg.contains("\"August\""),
            "{msg}"
        );
        assert!(not_found("x", &[]).contains("no saved views"));
    }

    #[test]
    fn upsert_replaces_by_name_in_place() {
        let mut views = vec![view("a"), view("b")];
        let mut b = view("b");
        b.selected = Some("x".into());
        assert!(upsert(&mut views, b.clone()));
        assert_eq!(views[1], b);
        assert!(!upsert(&mut views, view("c")));
        assert_eq!(views.len(), 3);
    }
}

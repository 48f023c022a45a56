//! What persists between runs (the dataset does not).

use std::collections::BTreeMap;
use std::path::PathBuf;

use egui::ThemePreference;
use serde::{Deserialize, Serialize};

use crate::store::LaneGrouping;
use crate::store::filter::Filter;

/// Where eframe keeps the settings.
pub const SETTINGS_KEY: &str = "eventline-settings";
const MAX_RECENT: usize = 10;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Settings {
    pub grouping: LaneGrouping,
    pub theme: ThemePreference,
    /// Most recently opened files, newest first.
    pub recent: Vec<PathBuf>,
    /// Filters per dataset (keyed by its first file, or "embedded").
    pub filters: BTreeMap<String, Filter>,
    pub show_table: bool,
    pub show_filters: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            grouping: LaneGrouping::Kind,
            theme: ThemePreference::System,
            recent: Vec::new(),
            filters: BTreeMap::new(),
            show_table: false,
            show_filters: false,
        }
    }
}

impl Settings {
    /// Put `files` at the top of the recent list.
    pub fn remember_opened(&mut self, files: &[PathBuf]) {
        for f in files.iter().rev() {
            self.recent.retain(|r| r != f);
            self.recent.insert(0, f.clone());
        }
        self.recent.truncate(MAX_RECENT);
    }

    /// The filter last used on the dataset made of `files`.
    pub fn filter_for(&self, files: &[PathBuf]) -> Filter {
        self.filters
            .get(&dataset_key(files))
            .cloned()
            .unwrap_or_default()
    }

    /// Remember `filter` for the dataset made of `files`.
    pub fn remember_filter(&mut self, files: &[PathBuf], filter: &Filter) {
        let key = dataset_key(files);
        if *filter == Filter::default() {
            self.filters.remove(&key);
        } else {
            self.filters.insert(key, filter.clone());
        }
    }
}

/// The key under which a dataset's filter is remembered.
fn dataset_key(files: &[PathBuf]) -> String {
    match files.first() {
        Some(f) => f.display().to_string(),
        None => "embedded".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_are_newest_first_without_repeats() {
        let mut s = Settings::default();
        let p = |n: usize| PathBuf::from(format!("/data/{n}.csv"));
        for n in 0..12 {
            s.remember_opened(&[p(n)]);
        }
        s.remember_opened(&[p(5)]);
        assert_eq!(s.recent.len(), MAX_RECENT);
        assert_eq!(s.recent[0], p(5));
        assert_eq!(s.recent.iter().filter(|r| **r == p(5)).count(), 1);
    }

    #[test]
    fn filters_are_kept_per_dataset() {
        let mut s = Settings::default();
        let f = Filter {
            starred: true,
            ..Filter::default()
        };
        let files = [PathBuf::from("/data/a.csv")];
        s.remember_filter(&files, &f);
        assert_eq!(s.filter_for(&files), f);
        assert_eq!(s.filter_for(&[]), Filter::default());
        s.remember_filter(&files, &Filter::default());
        assert!(s.filters.is_empty());
    }
}

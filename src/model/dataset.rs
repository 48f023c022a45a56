//! A whole dataset as a file holds it.

use serde::{Deserialize, Serialize};

use super::date::FuzzyDate;
use super::kind::{KindDef, Rgb, builtin_kinds, fallback_kind};
use crate::table::EventTable;

/// A background band the dataset marks (a war, a truce period).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Era {
    pub name: String,
    pub start: FuzzyDate,
    pub end: FuzzyDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<Rgb>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Dataset {
    pub title: String,
    pub description: String,
    /// Kinds the dataset defines or restyles; built-ins need not be listed.
    pub kinds: Vec<KindDef>,
    pub eras: Vec<Era>,
    /// The events as columns (see [`EventTable`]).
    pub events: EventTable,
    /// Name of the file the dataset was read from; events without a
    /// provenance of their own are attributed to it.
    pub source: Option<String>,
}

impl Dataset {
    /// Every kind an event may use: the built-ins, overridden or extended by
    /// the dataset's own, then a fallback for any kind still unknown.
    pub fn resolved_kinds(&self) -> Vec<KindDef> {
        let mut kinds = builtin_kinds();
        for k in &self.kinds {
            match kinds.iter_mut().find(|b| b.id == k.id) {
                Some(b) => *b = k.clone(),
                None => kinds.push(k.clone()),
            }
        }
        for kind in self.events.kinds_used() {
            if !kinds.iter().any(|k| k.id == kind) {
                kinds.push(fallback_kind(kind));
            }
        }
        kinds
    }
}

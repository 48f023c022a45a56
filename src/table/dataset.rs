//! A whole dataset as a file holds it: its title, kinds and eras, and its
//! events as a column table. It lives with the table (not in `model`)
//! because it holds one: the model stays the bottom room.

use super::EventTable;
use crate::model::kind::{builtin_kinds, fallback_kind};
use crate::model::{Era, KindDef};

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

//! The analysis views' shared state: the truce periods of the open store
//! (computed once per store, off the UI thread when it is large), the ends
//! the user set, and the compare, network and histogram panels.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use crate::analysis::Truces;
use crate::model::Instant;
use crate::store::Store;

use super::compare::ComparePanel;
use super::histogram::HistogramStrip;
use super::network::NetworkPanel;

/// Stores up to this size have their truces found on the UI thread (a few
/// milliseconds); larger ones on a thread of their own.
const INLINE_TRUCES: usize = 200_000;

/// What the analysis views keep between frames.
#[derive(Default)]
pub struct AnalysisUi {
    pub compare: ComparePanel,
    pub network: NetworkPanel,
    pub histogram: HistogramStrip,
    /// Ends of truce periods the user set, by truce event id.
    pub truce_ends: HashMap<String, Instant>,
    ends_version: u64,
    /// The truces of store `key.0` with ends version `key.1`.
    truces: Option<((u64, u64), Arc<Truces>)>,
    pending: Option<((u64, u64), Receiver<Truces>)>,
}

impl AnalysisUi {
    /// The truces of `store` (dataset serial `serial`), if found yet;
    /// starts finding them if not. Returns true when a new result arrived
    /// this call (the filter may need to run again).
    pub fn poll_truces(&mut self, store: &Arc<Store>, serial: u64) -> bool {
        let key = (serial, self.ends_version);
        if self.truces.as_ref().is_some_and(|(k, _)| *k == key) {
            return false;
        }
        if let Some((k, rx)) = &self.pending {
            if *k == key {
                return match rx.try_recv() {
                    Ok(t) => {
                        self.truces = Some((key, Arc::new(t)));
                        self.pending = None;
                        true
                    }
                    Err(TryRecvError::Empty) => false,
                    Err(TryRecvError::Disconnected) => {
                        self.pending = None;
                        false
                    }
                };
            }
            self.pending = None;
        }
        if store.len() <= INLINE_TRUCES {
            self.truces = Some((key, Arc::new(Truces::compute(store, &self.truce_ends))));
            return true;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let (store, ends) = (store.clone(), self.truce_ends.clone());
        let spawned = std::thread::Builder::new()
            .name("eventline-truces".into())
            .spawn(move || {
                let _ = tx.send(Truces::compute(&store, &ends));
            });
        if spawned.is_ok() {
            self.pending = Some((key, rx));
        }
        false
    }

    /// The truces found for dataset `serial`, if any yet.
    pub fn truces(&self, serial: u64) -> Option<&Arc<Truces>> {
        self.truces
            .as_ref()
            .filter(|((s, v), _)| *s == serial && *v == self.ends_version)
            .map(|(_, t)| t)
    }

    /// Per-event violation bits for the filter (empty until found).
    pub fn violation_flags(&self, serial: u64) -> Arc<Vec<u8>> {
        self.truces(serial)
            .map(|t| t.flags.clone())
            .unwrap_or_default()
    }

    /// Set or clear the user's end of a truce period.
    pub fn set_truce_end(&mut self, id: String, end: Option<Instant>) {
        let changed = match end {
            Some(t) => self.truce_ends.insert(id, t) != Some(t),
            None => self.truce_ends.remove(&id).is_some(),
        };
        if changed {
            self.ends_version += 1;
        }
    }

    /// Changes whenever the user's ends change.
    pub fn truces_version(&self) -> u64 {
        self.ends_version
    }

    /// Whether the truces are being found in the background.
    pub fn finding_truces(&self) -> bool {
        self.pending.is_some()
    }
}

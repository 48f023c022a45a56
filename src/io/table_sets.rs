//! The worker tables a pipelined importer (the strict CSV readers, the
//! native reader) passes between its threads.

/// The sets of worker tables of a pipelined importer, passed back and
/// forth between the thread that fills them and the one that appends them
/// to the result: at most two are made (one filled while the other is
/// appended), then each comes back emptied and is filled again, its room
/// kept, rather than fresh pages faulted in and zeroed for every block.
pub(crate) struct TableSets {
    made: usize,
    emptied: std::sync::mpsc::Receiver<Vec<crate::table::EventTable>>,
}

impl TableSets {
    pub(crate) fn new(emptied: std::sync::mpsc::Receiver<Vec<crate::table::EventTable>>) -> Self {
        TableSets { made: 0, emptied }
    }

    /// The next set to fill; `None` once the appending thread has gone.
    pub(crate) fn next(&mut self) -> Option<Vec<crate::table::EventTable>> {
        match self.emptied.try_recv() {
            Ok(set) => Some(set),
            Err(_) if self.made < 2 => {
                self.made += 1;
                Some(Vec::new())
            }
            Err(_) => self.emptied.recv().ok(),
        }
    }
}

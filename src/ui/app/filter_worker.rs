//! One worker thread that runs the newest filter request only. A burst of
//! search keystrokes on a large dataset replaces the waiting request each
//! time, so at most the one running and the newest ever run, and stale
//! results are never installed.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

type Job<T> = Box<dyn FnOnce() -> T + Send>;

struct Slot<T> {
    /// The newest request not yet started, with its generation.
    pending: Option<(u64, Job<T>)>,
    busy: bool,
    shutdown: bool,
}

struct Shared<T> {
    slot: Mutex<Slot<T>>,
    wake: Condvar,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, Slot<T>> {
        // A job that panicked poisons nothing we rely on: the slot holds
        // no half-written state.
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Runs the newest submitted job on its own thread; results come back
/// tagged with the generation they were submitted with.
pub struct LatestWorker<T: Send + 'static> {
    shared: Arc<Shared<T>>,
    results: Receiver<(u64, T)>,
    /// Where results go when there is no thread.
    inline: Sender<(u64, T)>,
    runs: Arc<AtomicUsize>,
    thread: Option<JoinHandle<()>>,
}

impl<T: Send + 'static> LatestWorker<T> {
    /// `on_result` is called on the worker after each result is sent (to
    /// wake the window).
    pub fn start(name: &str, on_result: impl Fn() + Send + 'static) -> Self {
        let shared = Arc::new(Shared {
            slot: Mutex::new(Slot {
                pending: None,
                busy: false,
                shutdown: false,
            }),
            wake: Condvar::new(),
        });
        let (tx, results) = channel();
        let runs = Arc::new(AtomicUsize::new(0));
        let inline = tx.clone();
        let thread = {
            let shared = shared.clone();
            let runs = runs.clone();
            std::thread::Builder::new()
                .name(name.into())
                .spawn(move || work(&shared, &tx, &runs, on_result))
                .ok()
        };
        LatestWorker {
            shared,
            results,
            inline,
            runs,
            thread,
        }
    }

    /// Queue `job`, replacing (dropping) any request still waiting.
    pub fn submit(&self, generation: u64, job: impl FnOnce() -> T + Send + 'static) {
        if self.thread.is_none() {
            // No thread could be started: run here rather than never.
            self.runs.fetch_add(1, Ordering::Relaxed);
            let _ = self.inline.send((generation, job()));
            return;
        }
        let mut slot = self.shared.lock();
        slot.pending = Some((generation, Box::new(job)));
        self.shared.wake.notify_one();
    }

    /// The newest result that has arrived, if any.
    pub fn try_latest(&self) -> Option<(u64, T)> {
        self.results.try_iter().last()
    }

    /// Whether a request is waiting or running.
    pub fn is_busy(&self) -> bool {
        let slot = self.shared.lock();
        slot.busy || slot.pending.is_some()
    }

    /// Block until nothing is waiting or running; the newest result.
    pub fn wait(&self) -> Option<(u64, T)> {
        let mut latest = self.try_latest();
        while self.is_busy() {
            match self.results.recv() {
                Ok(r) => latest = Some(r),
                Err(_) => break,
            }
        }
        // Results sent after the last one received are there by now (sent
        // before the worker went idle).
        self.try_latest().or(latest)
    }

    /// How many jobs have started running, ever.
    pub fn runs(&self) -> usize {
        self.runs.load(Ordering::Relaxed)
    }
}

fn work<T>(shared: &Shared<T>, tx: &Sender<(u64, T)>, runs: &AtomicUsize, on_result: impl Fn()) {
    loop {
        let (generation, job) = {
            let mut slot = shared.lock();
            loop {
                if slot.shutdown {
                    return;
                }
                if let Some(p) = slot.pending.take() {
                    slot.busy = true;
                    break p;
                }
                slot = shared.wake.wait(slot).unwrap_or_else(|e| e.into_inner());
            }
        };
        runs.fetch_add(1, Ordering::Relaxed);
        let out = job();
        {
            // Sent under the lock with `busy` cleared, so `wait` never
            // sees "idle" before the result is there to receive.
            let mut slot = shared.lock();
            slot.busy = false;
            if tx.send((generation, out)).is_err() {
                return;
            }
        }
        on_result();
    }
}

impl<T: Send + 'static> Drop for LatestWorker<T> {
    fn drop(&mut self) {
        self.shared.lock().shutdown = true;
        self.shared.wake.notify_all();
        // Not joined: a long filter finishing on its own must not hold up
        // the window; its result goes nowhere.
        drop(self.thread.take());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_runs_the_newest_request_only() {
        let worker = LatestWorker::start("test-worker", || {});
        // The first job holds the worker while the burst arrives.
        let (started, is_started) = std::sync::mpsc::channel();
        worker.submit(0, move || {
            let _ = started.send(());
            std::thread::sleep(Duration::from_millis(100));
            0
        });
        is_started.recv().expect("the first job starts");
        for generation in 1..=50u64 {
            worker.submit(generation, move || generation * 10);
        }
        let (generation, value) = worker.wait().expect("a result");
        assert_eq!((generation, value), (50, 500));
        // The running one and the newest; the 49 in between never ran.
        assert_eq!(worker.runs(), 2);
        assert!(!worker.is_busy());
        assert!(worker.try_latest().is_none());
    }

    #[test]
    fn results_come_back_in_submission_order() {
        let worker = LatestWorker::start("test-worker", || {});
        worker.submit(1, || "one");
        assert_eq!(worker.wait(), Some((1, "one")));
        worker.submit(2, || "two");
        assert_eq!(worker.wait(), Some((2, "two")));
        assert_eq!(worker.runs(), 2);
    }
}

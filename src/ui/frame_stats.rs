//! Where the window's time goes, as the app runs: each frame's build time
//! and the timeline's layout and paint within it, kept for the last few
//! hundred frames, summed up as median, 95th percentile and worst. F12
//! shows them, so a slow frame is seen where it happens.

use std::collections::VecDeque;
use std::time::Duration;

/// Frames kept (about four seconds of continuous drawing at 60 fps).
const KEPT: usize = 240;

/// One frame's timings.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FrameSample {
    /// Building the whole UI (panels, timeline, commands, filter).
    pub total: Duration,
    /// The timeline's lane layout.
    pub layout: Duration,
    /// The timeline's painting (meshes and text).
    pub paint: Duration,
}

/// Median, 95th percentile and worst of one measure.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Spread {
    pub p50: Duration,
    pub p95: Duration,
    pub max: Duration,
}

impl Spread {
    /// Nearest-rank percentiles of `values`.
    pub fn of(mut values: Vec<Duration>) -> Spread {
        if values.is_empty() {
            return Spread::default();
        }
        values.sort_unstable();
        let rank = |p: f64| {
            let k = ((p * values.len() as f64).ceil() as usize).clamp(1, values.len());
            values[k - 1]
        };
        Spread {
            p50: rank(0.50),
            p95: rank(0.95),
            max: values[values.len() - 1],
        }
    }
}

#[derive(Debug, Default)]
pub struct FrameStats {
    samples: VecDeque<FrameSample>,
    /// The last filter run, and the last load's reading, parsing and
    /// indexing, when known.
    pub last_filter: Option<Duration>,
    pub last_load: Option<super::loader::LoadTimings>,
    /// The process's resident memory (now, peak) and when it was read:
    /// read from the system at most once a second, not every frame.
    resident: Option<(std::time::Instant, Option<(u64, u64)>)>,
}

impl FrameStats {
    /// Resident memory now and at its peak, read again when a second old.
    pub fn resident(&mut self) -> Option<(u64, u64)> {
        let fresh = self
            .resident
            .is_some_and(|(at, _)| at.elapsed() < Duration::from_secs(1));
        if !fresh {
            self.resident = Some((std::time::Instant::now(), crate::io::memory::resident()));
        }
        self.resident.and_then(|(_, r)| r)
    }

    pub fn record(&mut self, sample: FrameSample) {
        if self.samples.len() == KEPT {
            self.samples.pop_front();
        }
        self.samples.push_back(sample);
    }

    pub fn frames(&self) -> usize {
        self.samples.len()
    }

    fn spread(&self, f: impl Fn(&FrameSample) -> Duration) -> Spread {
        Spread::of(self.samples.iter().map(f).collect())
    }

    /// (measure, spread) for the whole frame, layout and paint.
    pub fn summary(&self) -> [(&'static str, Spread); 3] {
        [
            ("Whole frame (UI thread)", self.spread(|s| s.total)),
            ("Timeline layout", self.spread(|s| s.layout)),
            ("Timeline paint", self.spread(|s| s.paint)),
        ]
    }
}

/// "0.84 ms", "12.3 ms", "1.20 s".
pub fn millis(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let s = Spread::of((1..=100).map(ms).collect());
        assert_eq!((s.p50, s.p95, s.max), (ms(50), ms(95), ms(100)));
        let one = Spread::of(vec![ms(7)]);
        assert_eq!((one.p50, one.p95, one.max), (ms(7), ms(7), ms(7)));
        assert_eq!(Spread::of(Vec::new()), Spread::default());
        // Order does not matter.
        let s = Spread::of(vec![ms(9), ms(1), ms(5)]);
        assert_eq!((s.p50, s.p95, s.max), (ms(5), ms(9), ms(9)));
    }

    #[test]
    fn only_the_last_frames_are_kept() {
        let mut stats = FrameStats::default();
        for n in 0..(KEPT as u64 + 50) {
            stats.record(FrameSample {
                total: ms(n),
                ..FrameSample::default()
            });
        }
        assert_eq!(stats.frames(), KEPT);
        let [(_, total), ..] = stats.summary();
        assert_eq!(total.max, ms(KEPT as u64 + 49));
        assert_eq!(Spread::of(vec![ms(50)]).p50, ms(50));
        assert_eq!(millis(Duration::from_micros(840)), "0.84 ms");
        assert_eq!(millis(ms(1200)), "1.20 s");
    }
}

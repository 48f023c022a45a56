//! Playing the visible time window forward: a moment (the cutoff) sweeps
//! from the window's start to its end at a chosen speed, and the map shows
//! the events up to it, the newest ringed.

use egui::Ui;

use crate::model::Instant;
use crate::store::{EventIx, Store};

/// Speeds: how long one sweep of the visible window takes, in seconds.
pub const PLAY_SPEEDS: [(&str, f64); 4] = [
    ("Fast (10 s)", 10.0),
    ("Normal (30 s)", 30.0),
    ("Slow (1 min)", 60.0),
    ("Slower (2 min)", 120.0),
];

/// The newest events of a playback are ringed: those within this
/// fraction of the window behind the cutoff.
const FRESH_FRACTION: f64 = 1.0 / 15.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Play {
    pub playing: bool,
    /// Events anchored up to here are shown; `None`: not playing, all are.
    pub cutoff: Option<Instant>,
    /// Index into [`PLAY_SPEEDS`].
    pub speed: usize,
}

impl Default for Play {
    fn default() -> Self {
        Play {
            playing: false,
            cutoff: None,
            speed: 1,
        }
    }
}

impl Play {
    /// Space: play (from the start, or on from a pause), else pause.
    pub fn toggle(&mut self, window: Option<(Instant, Instant)>) {
        if self.playing {
            self.playing = false;
            return;
        }
        let Some((t0, t1)) = window else { return };
        self.cutoff = match self.cutoff {
            Some(t) if t >= t0 && t < t1 => Some(t),
            _ => Some(t0),
        };
        self.playing = true;
    }

    /// Stop and show the whole window again.
    pub fn stop(&mut self) {
        self.playing = false;
        self.cutoff = None;
    }

    /// Move the cutoff on by `dt` seconds of playback; stops at the end of
    /// the window (the events stay shown).
    pub fn step(&mut self, window: Option<(Instant, Instant)>, dt: f64) {
        if !self.playing {
            return;
        }
        let (Some((t0, t1)), Some(t)) = (window, self.cutoff) else {
            self.playing = false;
            return;
        };
        let seconds = PLAY_SPEEDS.get(self.speed).map_or(30.0, |s| s.1);
        let advance = ((t1 - t0) as f64 * dt / seconds).max(1.0) as Instant;
        let next = t.clamp(t0, t1).saturating_add(advance).min(t1);
        self.cutoff = Some(next);
        if next >= t1 {
            self.playing = false;
        }
    }

    /// Advance with the frame's time; how many of `events` (in time
    /// order) are shown.
    pub fn advance(
        &mut self,
        ui: &Ui,
        store: &Store,
        events: &[EventIx],
        window: Option<(Instant, Instant)>,
    ) -> usize {
        if self.playing {
            let dt = ui.input(|i| i.stable_dt).clamp(0.0, 0.25) as f64;
            self.step(window, dt);
            ui.ctx().request_repaint();
        }
        shown_until(store, events, self.cutoff)
    }

    /// The moments whose events are new in the playback.
    pub fn fresh_since(&self, window: Option<(Instant, Instant)>) -> Option<(Instant, Instant)> {
        let (t0, t1) = window?;
        let t = self.cutoff?;
        let span = ((t1 - t0) as f64 * FRESH_FRACTION) as Instant;
        Some((t - span, t))
    }
}

/// How many of `events` (in time order) are anchored up to `cutoff`.
pub fn shown_until(store: &Store, events: &[EventIx], cutoff: Option<Instant>) -> usize {
    match cutoff {
        None => events.len(),
        Some(t) => events.partition_point(|&i| store.anchor[i as usize] <= t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sweep_takes_the_chosen_time_and_stops_at_the_end() {
        let w = Some((1_000, 31_000));
        let mut p = Play::default();
        p.step(w, 1.0);
        assert_eq!(p.cutoff, None, "not playing: nothing moves");
        p.toggle(w);
        assert!(p.playing);
        assert_eq!(p.cutoff, Some(1_000));
        // Normal: the 30 000 s window in 30 s, so 1 000 s per second.
        p.step(w, 1.0);
        assert_eq!(p.cutoff, Some(2_000));
        p.toggle(w);
        assert!(!p.playing);
        p.step(w, 1.0);
        assert_eq!(p.cutoff, Some(2_000), "paused");
        p.toggle(w);
        assert_eq!(p.cutoff, Some(2_000), "resumes where it paused");
        p.speed = 0;
        p.step(w, 100.0);
        assert_eq!(p.cutoff, Some(31_000));
        assert!(!p.playing, "stops at the end");
        // Playing again starts over.
        p.toggle(w);
        assert_eq!(p.cutoff, Some(1_000));
        p.stop();
        assert!(!p.playing);
        assert_eq!(p.cutoff, None);
    }

    #[test]
    fn without_a_window_nothing_plays() {
        let mut p = Play::default();
        p.toggle(None);
        assert!(!p.playing);
    }
}

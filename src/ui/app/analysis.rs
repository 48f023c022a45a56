//! The analysis views in the window: truce periods kept up to date, the
//! compare and network windows, the histogram strip.

use std::sync::Arc;
use std::time::Duration;

use egui::Ui;

use super::{EventlineApp, Notice};
use crate::ui::compare::{CompareTarget, CompareView};
use crate::ui::histogram::{HISTOGRAM_H, HistogramView};
use crate::ui::network::NetworkView;

/// What C says when there is nothing to compare around.
const HOW_TO_COMPARE: &str =
    "Select an event, or Shift+drag a range, to compare before and after it";

impl EventlineApp {
    /// Find the open store's truces if not found yet; filter again when
    /// they arrive and the filter asks for violations.
    pub(super) fn poll_analysis(&mut self) {
        let Some(d) = &self.data else { return };
        let (store, serial) = (d.store.clone(), d.serial);
        if self.analysis.poll_truces(&store, serial) && self.filter.violations.is_set() {
            self.request_filter();
        }
        if self.analysis.finding_truces() {
            self.ctx.request_repaint_after(Duration::from_millis(100));
        }
    }

    /// The truce bits the filter's violations facet tests.
    pub(super) fn violation_flags(&mut self) -> Arc<Vec<u8>> {
        self.poll_analysis();
        self.data
            .as_ref()
            .map(|d| self.analysis.violation_flags(d.serial))
            .unwrap_or_default()
    }

    /// C: compare around the selected event, else the chosen range.
    pub(super) fn open_compare(&mut self) {
        let target = match (self.selected, self.timeline.range) {
            (Some(ix), _) => CompareTarget::Event(ix),
            (None, Some((a, b))) => CompareTarget::Range(a, b),
            (None, None) => {
                self.notice = Some(Notice {
                    text: HOW_TO_COMPARE.into(),
                    is_error: false,
                });
                return;
            }
        };
        if self
            .notice
            .as_ref()
            .is_some_and(|n| n.text == HOW_TO_COMPARE)
        {
            self.notice = None;
        }
        self.analysis.compare.open(target);
    }

    /// The compare and network windows.
    pub(super) fn analysis_windows(&mut self, ui: &mut egui::Ui) {
        let Some(d) = &self.data else { return };
        let mask = d.result.as_ref().map(|r| r.visible.as_slice());
        let generation = (d.serial, d.generation);
        let truces = self.analysis.truces(d.serial).cloned();
        let view = CompareView {
            store: &d.store,
            mask,
            truces: truces.as_deref(),
            filter: &self.filter,
            generation,
            truces_version: self.analysis.truces_version(),
        };
        self.analysis.compare.ui(ui, &view, &mut self.commands);
        let view = NetworkView {
            store: &d.store,
            mask,
            generation,
            range: self.timeline.axis().map(|a| a.visible()),
            filter: &self.filter,
        };
        self.analysis.network.ui(ui, &view, &mut self.commands);
    }

    /// The strip is drawn before the timeline settles this frame's view:
    /// if the view moved (a panel opened, a zoom), draw once more.
    pub(super) fn histogram_catch_up(&self, ctx: &egui::Context) {
        if self.data.is_some() && self.analysis.histogram.drawn_for != self.timeline.axis() {
            ctx.request_repaint();
        }
    }

    /// The histogram strip at the foot of the central area.
    pub(super) fn histogram_strip(&mut self, ui: &mut Ui) {
        let Some(d) = &self.data else { return };
        let view = HistogramView {
            store: &d.store,
            shown: d.shown.events.as_deref().map(Vec::as_slice),
            generation: (d.serial, d.generation),
            axis: self.timeline.axis(),
            filter: &self.filter,
        };
        let histogram = &mut self.analysis.histogram;
        let commands = &mut self.commands;
        egui::Panel::bottom("histogram")
            .exact_size(HISTOGRAM_H)
            .show_separator_line(false)
            .show(ui, |ui| histogram.ui(ui, &view, commands));
    }
}

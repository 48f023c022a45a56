//! The histogram strip under the timeline: what the filter shows, per
//! day, week, month or year as the zoom suits, stacked by kind. Dragging
//! across it sets the filter's date range.

use std::sync::Arc;
use std::time::Duration;

use egui::{Color32, Mesh, Pos2, Rect, Sense, Ui, Vec2};

use crate::analysis::histogram::{BinUnit, Bins, KindAnchors, bins};
use crate::model::Instant;
use crate::model::date::from_instant;
use crate::store::filter::Filter;
use crate::store::{EventIx, Store};

use super::command::Command;
use super::style;
use crate::timeline::axis::TimeAxis;
use crate::timeline::metrics::HEADER_W;

pub const HISTOGRAM_H: f32 = 54.0;
/// Narrowest bin, in pixels, before a coarser unit is used.
const MIN_BIN_PX: f64 = 3.0;

type BinsKey = ((u64, u64), Instant, Instant, BinUnit);

#[derive(Default)]
pub struct HistogramStrip {
    anchors: Option<((u64, u64), Arc<KindAnchors>)>,
    bins: Option<(BinsKey, Arc<Bins>)>,
    drag_from: Option<Instant>,
    /// How long the last bins took to count (0 when cached).
    pub last_bins: Duration,
    /// The view the strip was last drawn for (it is drawn before the
    /// timeline settles this frame's view).
    pub drawn_for: Option<TimeAxis>,
}

/// What the strip reads each frame.
pub struct HistogramView<'a> {
    pub store: &'a Store,
    /// The events the filter shows (`None`: all).
    pub shown: Option<&'a [EventIx]>,
    /// Dataset serial and filter generation.
    pub generation: (u64, u64),
    pub axis: Option<TimeAxis>,
    pub filter: &'a Filter,
}

fn day(t: Instant) -> String {
    from_instant(t).map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string())
}

fn bin_words(unit: BinUnit, t: Instant) -> String {
    let Some(d) = from_instant(t) else {
        return String::new();
    };
    match unit {
        BinUnit::Day => d.format("%-d %b %Y").to_string(),
        BinUnit::Week => format!("week of {}", d.format("%-d %b %Y")),
        BinUnit::Month => d.format("%B %Y").to_string(),
        BinUnit::Year => d.format("%Y").to_string(),
    }
}

impl HistogramStrip {
    /// The bins for this view (cached per visible range and filter run).
    pub fn bins_for(
        &mut self,
        store: &Store,
        shown: Option<&[EventIx]>,
        generation: (u64, u64),
        axis: &TimeAxis,
    ) -> Arc<Bins> {
        let started = std::time::Instant::now();
        if self.anchors.as_ref().is_none_or(|a| a.0 != generation) {
            self.anchors = Some((generation, Arc::new(KindAnchors::build(store, shown))));
        }
        let (v0, v1) = axis.visible();
        let unit = BinUnit::for_zoom(axis.seconds_per_pixel(), MIN_BIN_PX);
        let key = (generation, v0, v1, unit);
        if let Some((k, b)) = &self.bins
            && *k == key
        {
            self.last_bins = Duration::ZERO;
            return b.clone();
        }
        let anchors = self
            .anchors
            .as_ref()
            .map(|a| a.1.clone())
            .unwrap_or_default();
        let b = Arc::new(bins(&anchors, unit, v0, v1));
        self.bins = Some((key, b.clone()));
        self.last_bins = started.elapsed();
        b
    }

    pub fn ui(&mut self, ui: &mut Ui, view: &HistogramView<'_>, out: &mut Vec<Command>) {
        let (rect, response) = ui.allocate_exact_size(
            Vec2::new(ui.available_width(), HISTOGRAM_H),
            Sense::click_and_drag(),
        );
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Histogram"));
        self.drawn_for = view.axis;
        let Some(axis) = view.axis else { return };
        let b = self.bins_for(view.store, view.shown, view.generation, &axis);
        let strip = Rect::from_min_max(
            Pos2::new(axis.left().max(rect.left() + HEADER_W), rect.top() + 4.0),
            Pos2::new(axis.right().min(rect.right()), rect.bottom() - 2.0),
        );
        let visuals = ui.visuals();
        let painter = ui.painter_at(rect);
        painter.rect_filled(strip, 2.0, visuals.extreme_bg_color);
        let unit = b.unit.unwrap_or(BinUnit::Year);
        painter.text(
            Pos2::new(rect.left() + 8.0, strip.center().y - 8.0),
            egui::Align2::LEFT_CENTER,
            format!("Events per {}", unit.name()),
            egui::FontId::proportional(12.0),
            visuals.text_color(),
        );
        painter.text(
            Pos2::new(rect.left() + 8.0, strip.center().y + 8.0),
            egui::Align2::LEFT_CENTER,
            format!("tallest: {}", style::thousands(b.max_total as usize)),
            egui::FontId::proportional(11.0),
            visuals.weak_text_color(),
        );
        let max = b.max_total.max(1) as f32;
        let colors: Vec<Color32> = view
            .store
            .kinds
            .iter()
            .map(|k| style::color(k.color))
            .collect();
        let mut mesh = Mesh::default();
        let h = strip.height() - 2.0;
        for (i, edge) in b.edges.windows(2).enumerate() {
            let x0 = axis.x_of(edge[0]).max(strip.left());
            let x1 = (axis.x_of(edge[1]) - 1.0).min(strip.right());
            if x1 <= x0 {
                continue;
            }
            let mut y = strip.bottom();
            for (k, &n) in b.bin(i).iter().enumerate() {
                if n == 0 {
                    continue;
                }
                let dy = n as f32 / max * h;
                let c = colors.get(k).copied().unwrap_or(style::NEUTRAL_LANE);
                mesh.add_colored_rect(
                    Rect::from_min_max(Pos2::new(x0, y - dy), Pos2::new(x1.max(x0 + 1.0), y)),
                    c,
                );
                y -= dy;
            }
        }
        painter.add(mesh);
        self.drag_ui(ui, &response, &painter, strip, &axis, view.filter, out);
        if let Some(p) = response.hover_pos()
            && strip.contains(p)
            && self.drag_from.is_none()
        {
            let t = axis.t_of(p.x);
            let i = b.edges.partition_point(|&e| e <= t);
            if i > 0 && i < b.edges.len() {
                let counts = b.bin(i - 1);
                let mut lines = vec![format!(
                    "{}: {}",
                    bin_words(unit, b.edges[i - 1]),
                    style::plural(counts.iter().sum::<u32>() as usize, "event", "events")
                )];
                for (k, &n) in counts.iter().enumerate() {
                    if n > 0 {
                        lines.push(format!("{}: {n}", view.store.kinds[k].label));
                    }
                }
                lines.push("Drag to filter to a date range".into());
                response.on_hover_text_at_pointer(lines.join("\n"));
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn drag_ui(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        painter: &egui::Painter,
        strip: Rect,
        axis: &TimeAxis,
        filter: &Filter,
        out: &mut Vec<Command>,
    ) {
        let pointer = response.interact_pointer_pos();
        // From where the button went down, not where the drag was noticed.
        if response.drag_started()
            && let Some(p) = ui.input(|i| i.pointer.press_origin()).or(pointer)
        {
            self.drag_from = Some(axis.t_of(p.x.clamp(strip.left(), strip.right())));
        }
        let Some(from) = self.drag_from else { return };
        let to = pointer
            .or_else(|| ui.input(|i| i.pointer.latest_pos()))
            .map(|p| axis.t_of(p.x.clamp(strip.left(), strip.right())))
            .unwrap_or(from);
        let (t0, t1) = (from.min(to), from.max(to));
        let (x0, x1) = (axis.x_of(t0), axis.x_of(t1));
        painter.rect_filled(
            Rect::from_x_y_ranges(x0..=x1.max(x0 + 1.0), strip.y_range()),
            0.0,
            ui.visuals().selection.bg_fill.gamma_multiply(0.5),
        );
        if response.drag_stopped() || !ui.input(|i| i.pointer.any_down()) {
            self.drag_from = None;
            if x1 - x0 >= 3.0 {
                let mut f = filter.clone();
                f.date_from = day(t0);
                f.date_to = day(t1);
                out.push(Command::SetFilter(Box::new(f)));
            }
        }
    }
}

//! The timeline: calendar axis, lanes, items, navigation.
//!
//! Painting goes in two passes: first a pure layout of every visible lane
//! ([`layout`]), then one mesh for all marks plus text where it fits.
//! Input never changes the store: it moves the view or emits a [`Command`].

pub mod axis;
pub mod layout;
pub mod overview;
pub mod paint;
pub mod ticks;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use egui::epaint::{Mesh, Shape};
use egui::text::{LayoutJob, TextWrapping};
use egui::{Align2, Color32, FontId, Key, Pos2, Rect, Sense, Stroke, Ui, Vec2};

use crate::model::date::{from_instant, to_instant};
use crate::model::{Glyph, Instant};
use crate::store::{EventIx, LaneGrouping, LaneSet, Store};
use axis::TimeAxis;
use layout::{ItemKind, LaneLayout, LayoutParams, layout_lane};

use super::app::Command;

pub const HEADER_W: f32 = 190.0;
pub const AXIS_H: f32 = 42.0;
pub const ROW_H: f32 = 22.0;
pub const LANE_PAD: f32 = 10.0;
const ANIMATION_SECONDS: f64 = 0.25;
/// Margin around the data when fitting, as a fraction of its span.
const FIT_MARGIN: f64 = 0.05;

/// Every shortcut, for the `?` overlay and the README.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Ctrl + wheel, pinch", "zoom at the pointer"),
    ("Shift + wheel, horizontal swipe", "pan in time"),
    ("Wheel", "scroll the lanes"),
    ("Drag", "pan"),
    ("Shift + drag", "select a time range"),
    ("Double-click, F", "fit the selected range, else everything"),
    ("Left Right, A D", "pan left / right"),
    ("Up Down", "scroll the lanes"),
    (
        "W S, + -",
        "zoom in / out (S stars when an event is selected)",
    ),
    (", .", "previous / next event (selects it)"),
    ("Home End", "first / last event"),
    ("Click", "select an event; on a folded group, zoom into it"),
    ("Esc", "clear the selection and the range"),
    (
        "Ctrl + F",
        "search; Enter / Shift + Enter: next / previous match",
    ),
    ("Ctrl + Shift + F", "show or hide the filters"),
    ("Ctrl + T", "show or hide the event table"),
    ("S R", "star / mark reviewed the selected event"),
    ("T N", "tag / write a note on the selected event"),
    ("Ctrl + Z, Ctrl + Shift + Z", "undo / redo a note change"),
    (
        "Ctrl + O, Ctrl + Shift + O",
        "open files / add files to the open ones",
    ),
    (
        "Ctrl + S, Ctrl + Shift + S",
        "save / save as (Eventline format)",
    ),
    ("Ctrl + E", "export the events as CSV"),
    ("?", "show or hide this list"),
];

/// What an animation is heading for. A centre or a range is kept even if
/// the timeline changes width on the way (the detail panel opening).
#[derive(Clone, Copy, Debug)]
enum Goal {
    View,
    Center(Instant),
    Range(Instant, Instant),
}

struct Animation {
    from: TimeAxis,
    to: TimeAxis,
    goal: Goal,
    started: f64,
}

/// `[t0, t1]` fitted to the screen, within the zoom limits of the data.
fn fit_range(
    left: f32,
    width: f32,
    t0: Instant,
    t1: Instant,
    data: (Instant, Instant),
) -> TimeAxis {
    let mut to = TimeAxis::fit_for_labels(left, width, t0, t1, FIT_MARGIN);
    let min = to.min_scale_for(data.0, data.1, FIT_MARGIN * 4.0);
    to.clamp_scale(left + width / 2.0, min, to.max_scale());
    to
}

/// Where a lane sits on screen this frame.
#[derive(Clone, Copy, Debug)]
struct LaneSlot {
    lane: usize,
    top: f32,
    rows: usize,
}

/// Per-event marks drawn over the items: search matches and annotations.
/// Either slice may be empty (nothing marked).
#[derive(Clone, Copy, Debug, Default)]
pub struct Marks<'a> {
    pub search: &'a [bool],
    pub flags: &'a [u8],
}

impl Marks<'_> {
    fn is_match(&self, ix: EventIx) -> bool {
        self.search.get(ix as usize).copied().unwrap_or(false)
    }

    fn is_starred(&self, ix: EventIx) -> bool {
        self.flags
            .get(ix as usize)
            .is_some_and(|f| f & crate::store::filter::STARRED != 0)
    }
}

/// The view state of the timeline; the data lives in the store.
pub struct TimelineState {
    axis: Option<TimeAxis>,
    animation: Option<Animation>,
    pub scroll_y: f32,
    /// Collapsed lanes, by name (stable across regrouping and reloads).
    pub collapsed: HashSet<String>,
    /// A time range chosen with Shift+drag.
    pub range: Option<(Instant, Instant)>,
    range_anchor: Option<Instant>,
    pub params: LayoutParams,
    /// Last frame's layouts and slots, for hit testing and tests.
    layouts: Vec<(LaneSlot, LaneLayout)>,
    body: Rect,
}

impl Default for TimelineState {
    fn default() -> Self {
        TimelineState {
            axis: None,
            animation: None,
            scroll_y: 0.0,
            collapsed: HashSet::new(),
            range: None,
            range_anchor: None,
            params: LayoutParams::default(),
            layouts: Vec::new(),
            body: Rect::NOTHING,
        }
    }
}

/// A duration in words: "12 days 4 hours", "3 years 2 months".
pub fn describe_duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let parts = [
        (365 * 86_400 + 20_952, "year"), // mean Gregorian year
        (30 * 86_400 + 37_746, "month"),
        (86_400, "day"),
        (3_600, "hour"),
        (60, "minute"),
        (1, "second"),
    ];
    let mut rest = s;
    let mut out = Vec::new();
    for (unit, name) in parts {
        let n = rest / unit;
        if n > 0 {
            out.push(format!("{n} {name}{}", if n == 1 { "" } else { "s" }));
            rest -= n * unit;
        }
        if out.len() == 2 {
            break;
        }
    }
    if out.is_empty() {
        "0 seconds".into()
    } else {
        out.join(" ")
    }
}

impl TimelineState {
    /// The current view, once the timeline has been shown.
    pub fn axis(&self) -> Option<TimeAxis> {
        self.axis
    }

    /// Where the lanes are drawn (for tests that point at them).
    pub fn body_rect(&self) -> Rect {
        self.body
    }

    /// Forget the view (a new dataset): the next frame fits everything.
    pub fn reset(&mut self) {
        self.axis = None;
        self.animation = None;
        self.range = None;
        self.scroll_y = 0.0;
        self.layouts.clear();
    }

    fn data_range(store: &Store) -> (Instant, Instant) {
        store.time_range().unwrap_or_else(|| {
            let now = to_instant(chrono::Local::now().naive_local());
            (now - 30 * 86_400, now)
        })
    }

    fn fitted(&self, store: &Store, t0: Instant, t1: Instant) -> Option<TimeAxis> {
        let a = self.axis?;
        Some(fit_range(
            a.left(),
            a.width(),
            t0,
            t1,
            Self::data_range(store),
        ))
    }

    fn animate_to(&mut self, to: TimeAxis, now: f64) {
        self.animate_to_goal(to, Goal::View, now);
    }

    fn animate_to_goal(&mut self, to: TimeAxis, goal: Goal, now: f64) {
        if let Some(from) = self.axis {
            self.animation = Some(Animation {
                from,
                to,
                goal,
                started: now,
            });
        } else {
            self.axis = Some(to);
        }
    }

    /// Fit the range, else everything (F, double-click).
    pub fn fit(&mut self, store: &Store, now: f64) {
        let (t0, t1) = self.range.unwrap_or_else(|| Self::data_range(store));
        if let Some(to) = self.fitted(store, t0, t1) {
            self.animate_to_goal(to, Goal::Range(t0, t1), now);
        }
    }

    /// Show `[t0, t1]` at once, without animation (benchmarks, tests, and
    /// views restored from elsewhere). Needs the timeline shown once.
    pub fn jump_to_range(&mut self, store: &Store, t0: Instant, t1: Instant) {
        if let Some(to) = self.fitted(store, t0, t1) {
            self.animation = None;
            self.axis = Some(to);
        }
    }

    /// Centre the view on `t`, keeping the zoom.
    pub fn center_on(&mut self, t: Instant, now: f64) {
        if let Some(a) = self.axis {
            let mut to = a;
            to.center_on(t);
            self.animate_to_goal(to, Goal::Center(t), now);
        }
    }

    /// Centre on an event, zooming in if it is a span wider than the view.
    pub fn show_event(&mut self, store: &Store, ix: EventIx, now: f64) {
        let i = ix as usize;
        let Some(a) = self.axis else { return };
        let (e0, e1) = (store.earliest[i], store.latest[i]);
        let (v0, v1) = a.visible();
        if e1 - e0 > (v1 - v0) {
            if let Some(to) = self.fitted(store, e0, e1) {
                self.animate_to_goal(to, Goal::Range(e0, e1), now);
            }
        } else {
            self.center_on(store.anchor[i], now);
        }
    }

    fn zoom_step(&mut self, store: &Store, factor: f64, now: f64) {
        if let Some(a) = self.axis {
            let mut to = self.animation.as_ref().map_or(a, |an| an.to);
            to.zoom_at(a.left() + a.width() / 2.0, factor);
            Self::clamp(&mut to, store, a.left() + a.width() / 2.0);
            self.animate_to(to, now);
        }
    }

    fn pan_step(&mut self, fraction: f32, now: f64) {
        if let Some(a) = self.axis {
            let mut to = self.animation.as_ref().map_or(a, |an| an.to);
            to.pan(fraction * a.width());
            self.animate_to(to, now);
        }
    }

    fn clamp(axis: &mut TimeAxis, store: &Store, x: f32) {
        let (d0, d1) = Self::data_range(store);
        let min = axis.min_scale_for(d0, d1, FIT_MARGIN * 4.0);
        axis.clamp_scale(x, min, axis.max_scale());
    }

    /// Keyboard navigation. Called by the app when no text field has focus.
    pub fn handle_keys(
        &mut self,
        ctx: &egui::Context,
        store: &Store,
        selected: Option<EventIx>,
        out: &mut Vec<Command>,
    ) {
        let now = ctx.input(|i| i.time);
        let pressed = |k: Key| ctx.input(|i| i.key_pressed(k) && !i.modifiers.command);
        if pressed(Key::F) {
            self.fit(store, now);
        }
        if pressed(Key::ArrowLeft) || pressed(Key::A) {
            self.pan_step(0.2, now);
        }
        if pressed(Key::ArrowRight) || pressed(Key::D) {
            self.pan_step(-0.2, now);
        }
        if pressed(Key::W) || pressed(Key::Plus) || pressed(Key::Equals) {
            self.zoom_step(store, 1.6, now);
        }
        if pressed(Key::S) || pressed(Key::Minus) {
            self.zoom_step(store, 1.0 / 1.6, now);
        }
        if pressed(Key::ArrowUp) {
            self.scroll_y -= ROW_H * 2.0;
        }
        if pressed(Key::ArrowDown) {
            self.scroll_y += ROW_H * 2.0;
        }
        if store.is_empty() {
            return;
        }
        let last = store.len() as EventIx - 1;
        let mut step_to = None;
        if pressed(Key::Period) {
            step_to = Some(match selected {
                Some(ix) => (ix + 1).min(last),
                None => self.first_from_center(store),
            });
        }
        if pressed(Key::Comma) {
            step_to = Some(match selected {
                Some(ix) => ix.saturating_sub(1),
                None => self.first_from_center(store).saturating_sub(1),
            });
        }
        if pressed(Key::Home) {
            step_to = Some(0);
        }
        if pressed(Key::End) {
            step_to = Some(last);
        }
        if let Some(ix) = step_to {
            out.push(Command::Select(Some(ix)));
            self.show_event(store, ix, now);
        }
    }

    fn first_from_center(&self, store: &Store) -> EventIx {
        let center = self.axis.map_or(0, |a| a.center() as Instant);
        let i = store.anchor.partition_point(|&t| t < center);
        i.min(store.len().saturating_sub(1)) as EventIx
    }

    fn lane_rows(&self, lanes: &LaneSet, i: usize) -> usize {
        if self.collapsed.contains(&lanes.lanes[i].name) {
            1
        } else {
            lanes.lanes[i].rows()
        }
    }

    fn lane_height(rows: usize) -> f32 {
        rows as f32 * ROW_H + LANE_PAD
    }

    /// Draw the timeline into the rest of `ui` and handle its input.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        store: &Arc<Store>,
        lanes: &LaneSet,
        selected: Option<EventIx>,
        marks: Marks<'_>,
        out: &mut Vec<Command>,
    ) {
        let rect = ui.available_rect_before_wrap();
        let body = Rect::from_min_max(
            Pos2::new(rect.left() + HEADER_W, rect.top() + AXIS_H),
            rect.max,
        );
        self.body = body;
        let response = ui.interact(
            body,
            ui.scope_id().with("timeline-body"),
            Sense::click_and_drag(),
        );
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Timeline"));
        let now = ui.input(|i| i.time);

        // The view: created on first show, resized with the window.
        let (d0, d1) = Self::data_range(store);
        let mut axis = match self.axis {
            Some(a) if a.width() != body.width() || a.left() != body.left() => {
                a.resized(body.left(), body.width())
            }
            Some(a) => a,
            None => TimeAxis::fit_for_labels(body.left(), body.width(), d0, d1, FIT_MARGIN),
        };
        if let Some(anim) = &mut self.animation {
            anim.to = match anim.goal {
                Goal::View => anim.to.resized(body.left(), body.width()),
                Goal::Center(t) => {
                    let mut to = anim.to.with_screen(body.left(), body.width());
                    to.center_on(t);
                    to
                }
                Goal::Range(t0, t1) => fit_range(body.left(), body.width(), t0, t1, (d0, d1)),
            };
            anim.from = anim.from.resized(body.left(), body.width());
            let s = ((now - anim.started) / ANIMATION_SECONDS).clamp(0.0, 1.0);
            let eased = 1.0 - (1.0 - s).powi(3);
            axis = TimeAxis::lerp(&anim.from, &anim.to, eased);
            if s >= 1.0 {
                axis = anim.to;
                self.animation = None;
            } else {
                ui.ctx().request_repaint();
            }
        }

        // Pointer input: zoom at the pointer, pan, scroll lanes.
        let pointer = ui.input(|i| i.pointer.hover_pos());
        let shift = ui.input(|i| i.modifiers.shift);
        if let Some(p) = pointer.filter(|p| body.contains(*p)) {
            let (zoom, scroll) = ui.input(|i| (i.zoom_delta() as f64, i.smooth_scroll_delta()));
            if zoom != 1.0 {
                self.animation = None;
                axis.zoom_at(p.x, zoom);
                Self::clamp(&mut axis, store, p.x);
            }
            if scroll.x != 0.0 {
                self.animation = None;
                axis.pan(scroll.x);
            }
            if scroll.y != 0.0 && zoom == 1.0 {
                self.scroll_y -= scroll.y;
            }
        }
        if response.drag_started() {
            self.range_anchor = if shift {
                pointer.map(|p| axis.t_of(p.x))
            } else {
                None
            };
        }
        if response.dragged() {
            match (self.range_anchor, pointer) {
                (Some(a), Some(p)) => {
                    let b = axis.t_of(p.x);
                    self.range = Some((a.min(b), a.max(b)));
                }
                _ => {
                    let d = response.drag_delta();
                    self.animation = None;
                    axis.pan(d.x);
                    self.scroll_y -= d.y;
                }
            }
        }
        self.axis = Some(axis);

        // Lanes: vertical placement, then layout of those in view.
        let total: f32 = (0..lanes.lanes.len())
            .map(|i| Self::lane_height(self.lane_rows(lanes, i)))
            .sum();
        self.scroll_y = self
            .scroll_y
            .clamp(0.0, (total - body.height() + LANE_PAD).max(0.0));
        let mut slots = Vec::new();
        let mut y = body.top() - self.scroll_y;
        for i in 0..lanes.lanes.len() {
            let rows = self.lane_rows(lanes, i);
            let h = Self::lane_height(rows);
            if y + h >= body.top() && y <= body.bottom() {
                slots.push(LaneSlot {
                    lane: i,
                    top: y,
                    rows,
                });
            }
            y += h;
        }
        let params = self.params;
        let label_chars = |ix: EventIx| store.event(ix).map_or(0, |e| e.title.chars().count());
        self.layouts = slots
            .iter()
            .map(|slot| {
                let p = LayoutParams {
                    rows: slot.rows,
                    ..params
                };
                (
                    *slot,
                    layout_lane(store, &lanes.lanes[slot.lane], &axis, &p, &label_chars),
                )
            })
            .collect();

        // Hover and click.
        let hovered = pointer.and_then(|p| self.hit(p));
        if response.clicked() {
            match hovered {
                Some(Hit::Item(ItemKind::Point(ix) | ItemKind::Span(ix))) => {
                    out.push(Command::Select(Some(ix)))
                }
                Some(Hit::Item(ItemKind::Fold { t0, t1, .. })) => {
                    if axis.scale() >= axis.max_scale() * 0.99 {
                        // Already as close as it goes: the events share a
                        // moment. Select the first; `.` steps through them.
                        let first = store.anchor.partition_point(|&a| a < t0);
                        if first < store.len() {
                            out.push(Command::Select(Some(first as EventIx)));
                        }
                    } else if let Some(to) = self.fitted(store, t0, t1.max(t0 + 60)) {
                        self.animate_to(to, now);
                    }
                }
                Some(Hit::Density { .. }) | None => out.push(Command::Select(None)),
            }
        }
        if response.double_clicked() {
            self.fit(store, now);
        }
        if let Some(h) = &hovered {
            let h = h.clone();
            response
                .clone()
                .on_hover_ui_at_pointer(|ui| hover_ui(ui, store, &h));
        }

        let painter = ui.painter_at(rect);
        self.paint(
            ui, &painter, rect, body, store, lanes, selected, marks, &axis,
        );
    }

    fn hit(&self, p: Pos2) -> Option<Hit> {
        if !self.body.contains(p) {
            return None;
        }
        for (slot, layout) in &self.layouts {
            let rows_top = slot.top + LANE_PAD / 2.0;
            if p.y < rows_top || p.y >= rows_top + slot.rows as f32 * ROW_H {
                continue;
            }
            if layout.is_density() {
                let col = layout.density.iter().rev().find(|c| c.x <= p.x)?;
                return Some(Hit::Density { count: col.count });
            }
            let row = ((p.y - rows_top) / ROW_H) as usize;
            return layout.hit(p.x, row).map(|it| Hit::Item(it.kind));
        }
        None
    }

    /// Screen position of an event's mark in each lane it is drawn in
    /// (after the last frame). Used by tests and by connectors.
    pub fn positions_of(&self, ix: EventIx) -> Vec<Pos2> {
        let mut out = Vec::new();
        for (slot, layout) in &self.layouts {
            for it in &layout.items {
                if matches!(it.kind, ItemKind::Point(i) | ItemKind::Span(i) if i == ix) {
                    let y = slot.top + LANE_PAD / 2.0 + (it.row as f32 + 0.5) * ROW_H;
                    out.push(Pos2::new((it.x0 + it.x1) / 2.0, y));
                }
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn paint(
        &self,
        ui: &Ui,
        painter: &egui::Painter,
        rect: Rect,
        body: Rect,
        store: &Store,
        lanes: &LaneSet,
        selected: Option<EventIx>,
        marks: Marks<'_>,
        axis: &TimeAxis,
    ) {
        let visuals = ui.visuals();
        let dark = visuals.dark_mode;
        let text = visuals.text_color();
        let weak = visuals.weak_text_color();
        let bg = visuals.extreme_bg_color;
        let stripe = if dark {
            Color32::from_gray(36)
        } else {
            Color32::from_gray(244)
        };
        let grid = if dark {
            Color32::from_gray(55)
        } else {
            Color32::from_gray(222)
        };
        let highlight = if dark {
            Color32::from_rgb(255, 210, 60)
        } else {
            Color32::from_rgb(230, 120, 0)
        };
        let label_font = FontId::proportional(12.5);
        let search_mark = Color32::from_rgb(0, 190, 255);
        let star_mark = Color32::from_rgb(255, 190, 0);
        let body_painter = painter.with_clip_rect(body);

        painter.rect_filled(body, 0.0, bg);
        for (slot, _) in &self.layouts {
            if slot.lane % 2 == 1 {
                let h = Self::lane_height(slot.rows);
                body_painter.rect_filled(
                    Rect::from_min_size(
                        Pos2::new(body.left(), slot.top),
                        Vec2::new(body.width(), h),
                    ),
                    0.0,
                    stripe,
                );
            }
        }

        // Eras: background bands with their names along the top.
        for era in &store.eras {
            let x0 = axis.x_of(era.start.earliest).max(body.left());
            let x1 = axis.x_of(era.end.latest).min(body.right());
            if x1 <= x0 {
                continue;
            }
            let c = era
                .color
                .map_or(Color32::from_rgb(214, 39, 40), paint::color);
            body_painter.rect_filled(
                Rect::from_x_y_ranges(x0..=x1, body.y_range()),
                0.0,
                c.gamma_multiply(if dark { 0.10 } else { 0.07 }),
            );
            if x1 - x0 >= 40.0 {
                let galley = elided(
                    painter,
                    &era.name,
                    FontId::proportional(11.0),
                    c,
                    x1 - x0 - 6.0,
                );
                body_painter.galley(Pos2::new(x0 + 3.0, body.top() + 1.0), galley, c);
            }
        }

        // Grid lines at every tick.
        let tk = ticks::ticks(axis, 7.0, 14.0);
        for t in &tk.ticks {
            body_painter.vline(t.x, body.y_range(), Stroke::new(1.0, grid));
        }

        // Today, when in view.
        let today = to_instant(chrono::Local::now().naive_local());
        let tx = axis.x_of(today);
        if tx >= body.left() && tx <= body.right() {
            let c = Color32::from_rgb(220, 60, 60);
            body_painter.vline(tx, body.y_range(), Stroke::new(1.5, c));
            body_painter.text(
                Pos2::new(tx + 3.0, body.bottom() - 3.0),
                Align2::LEFT_BOTTOM,
                "today",
                FontId::proportional(11.0),
                c,
            );
        }

        // Connectors: an event drawn in several lanes (a call between two
        // actors) gets a thin vertical line joining its marks.
        let multi = matches!(lanes.grouping, LaneGrouping::Actor | LaneGrouping::Country);
        let mut positions: HashMap<EventIx, (f32, f32, f32)> = HashMap::new();
        let mut shared: HashSet<EventIx> = HashSet::new();

        let mut mesh = Mesh::default();
        let mut texts: Vec<(Pos2, Align2, Arc<egui::Galley>)> = Vec::new();
        for (slot, layout) in &self.layouts {
            let lane = &lanes.lanes[slot.lane];
            let rows_top = slot.top + LANE_PAD / 2.0;
            let lane_color = lane
                .color
                .map_or(Color32::from_rgb(110, 120, 140), paint::color);
            if layout.is_density() {
                let h = slot.rows as f32 * ROW_H;
                let max = layout.density_max.max(1) as f32;
                for c in &layout.density {
                    // Square root: bursts stand out, sparse columns stay visible.
                    let v = 0.06 + 0.94 * (c.count as f32 / max).sqrt();
                    let bar_h = h * v.min(1.0);
                    mesh.add_colored_rect(
                        Rect::from_min_max(
                            Pos2::new(c.x, rows_top + h - bar_h),
                            Pos2::new(c.x + 1.0, rows_top + h),
                        ),
                        lane_color.gamma_multiply(0.35 + 0.65 * v.min(1.0)),
                    );
                }
                continue;
            }
            for it in &layout.items {
                let cy = rows_top + (it.row as f32 + 0.5) * ROW_H;
                match it.kind {
                    ItemKind::Point(ix) => {
                        let i = ix as usize;
                        let kind = &store.kinds[store.kind[i] as usize];
                        let c = paint::color(kind.color);
                        let x = (it.x0 + it.x1) / 2.0;
                        if store.is_fuzzy[i]
                            || (store.latest[i] - store.earliest[i]) as f64 * axis.scale()
                                > self.params.glyph_px as f64
                        {
                            // Where the date is not exact: a faded band over
                            // the window, the glyph at the likeliest moment.
                            let bx0 = axis.x_of(store.earliest[i]).min(x - 8.0);
                            let bx1 = axis.x_of(store.latest[i] + 1).max(x + 8.0);
                            mesh.add_colored_rect(
                                Rect::from_min_max(
                                    Pos2::new(bx0, cy - 7.0),
                                    Pos2::new(bx1, cy + 7.0),
                                ),
                                c.gamma_multiply(0.22),
                            );
                        }
                        if selected == Some(ix) {
                            paint::glyph(
                                &mut mesh,
                                Glyph::Circle,
                                Pos2::new(x, cy),
                                9.5,
                                highlight,
                                bg,
                            );
                        } else if marks.is_match(ix) {
                            paint::glyph(
                                &mut mesh,
                                Glyph::Ring,
                                Pos2::new(x, cy),
                                9.5,
                                search_mark,
                                bg,
                            );
                        }
                        if marks.is_starred(ix) {
                            paint::glyph(
                                &mut mesh,
                                Glyph::Star,
                                Pos2::new(x + 7.0, cy - 7.0),
                                3.5,
                                star_mark,
                                bg,
                            );
                        }
                        paint::glyph(&mut mesh, kind.glyph, Pos2::new(x, cy), 5.5, c, bg);
                        if it.label_px > 0.0 {
                            let title = store.event(ix).map_or("", |e| e.title.as_str());
                            let g =
                                elided(painter, title, label_font.clone(), text, it.label_px - 4.0);
                            texts.push((Pos2::new(it.x1 + 3.0, cy), Align2::LEFT_CENTER, g));
                        }
                        if multi {
                            track(&mut positions, &mut shared, ix, x, cy);
                        }
                    }
                    ItemKind::Span(ix) => {
                        let i = ix as usize;
                        let kind = &store.kinds[store.kind[i] as usize];
                        let c = paint::color(kind.color);
                        let (sx0, sx1) = (it.x0, it.x1);
                        // Solid where the span is certain, faded where its
                        // ends are not.
                        let (solid0, solid1) = match store.event(ix) {
                            Some(e) => (
                                axis.x_of(e.when.start.latest + 1),
                                e.when.end.map_or(sx1, |end| axis.x_of(end.earliest)),
                            ),
                            None => (sx0, sx1),
                        };
                        let (solid0, solid1) = (solid0.clamp(sx0, sx1), solid1.clamp(sx0, sx1));
                        let bar =
                            Rect::from_min_max(Pos2::new(sx0, cy - 6.0), Pos2::new(sx1, cy + 6.0));
                        if selected == Some(ix) {
                            mesh.add_colored_rect(bar.expand(3.0), highlight);
                        } else if marks.is_match(ix) {
                            mesh.add_colored_rect(bar.expand(3.0), search_mark);
                        }
                        mesh.add_colored_rect(bar, c.gamma_multiply(0.35));
                        if solid1 > solid0 {
                            mesh.add_colored_rect(
                                Rect::from_min_max(
                                    Pos2::new(solid0, cy - 6.0),
                                    Pos2::new(solid1, cy + 6.0),
                                ),
                                c,
                            );
                        }
                        let title = store.event(ix).map_or("", |e| e.title.as_str());
                        let visible_bar = (sx1.min(body.right()) - sx0.max(body.left())).max(0.0);
                        let inside = elided(
                            painter,
                            title,
                            label_font.clone(),
                            Color32::WHITE,
                            visible_bar - 8.0,
                        );
                        let full_w = painter
                            .layout_no_wrap(title.to_owned(), label_font.clone(), text)
                            .size()
                            .x;
                        if visible_bar >= full_w + 8.0 {
                            texts.push((
                                Pos2::new(sx0.max(body.left()) + 4.0, cy),
                                Align2::LEFT_CENTER,
                                inside,
                            ));
                        } else if it.label_px > 0.0 {
                            let g =
                                elided(painter, title, label_font.clone(), text, it.label_px - 4.0);
                            texts.push((Pos2::new(sx1 + 3.0, cy), Align2::LEFT_CENTER, g));
                        }
                        if multi {
                            track(
                                &mut positions,
                                &mut shared,
                                ix,
                                sx0.max(body.left()) + 6.0,
                                cy,
                            );
                        }
                    }
                    ItemKind::Fold { count, t0, t1 } => {
                        let r = Rect::from_min_max(
                            Pos2::new(it.x0, cy - 7.0),
                            Pos2::new(it.x1, cy + 7.0),
                        );
                        // A fold holding a search match is ringed too (its
                        // points are checked; a fold is at most a few
                        // thousand events at the densities that fold).
                        let holds_match = !marks.search.is_empty()
                            && lane.points[lane.point_range(t0, t1.saturating_add(1))]
                                .iter()
                                .take(10_000)
                                .any(|&p| marks.is_match(p));
                        if holds_match {
                            mesh.add_colored_rect(r.expand(3.0), search_mark);
                        }
                        mesh.add_colored_rect(r, lane_color.gamma_multiply(0.55));
                        paint::outline(&mut mesh, r, 1.0, lane_color);
                        let label = count.to_string();
                        let g = painter.layout_no_wrap(label, FontId::proportional(10.5), text);
                        if g.size().x + 4.0 <= r.width() {
                            texts.push((r.center(), Align2::CENTER_CENTER, g));
                        }
                    }
                }
            }
        }
        for ix in &shared {
            if let Some(&(x, y0, y1)) = positions.get(ix) {
                let c = paint::color(store.kinds[store.kind[*ix as usize] as usize].color);
                body_painter.line_segment(
                    [Pos2::new(x, y0), Pos2::new(x, y1)],
                    Stroke::new(1.5, c.gamma_multiply(0.7)),
                );
            }
        }
        body_painter.add(Shape::mesh(mesh));
        for (pos, align, g) in texts {
            let r = align.anchor_size(pos, g.size());
            body_painter.galley(r.min, g, text);
        }

        // The chosen range, with its length.
        if let Some((t0, t1)) = self.range {
            let x0 = axis.x_of(t0);
            let x1 = axis.x_of(t1).max(x0 + 1.0);
            let r = Rect::from_x_y_ranges(x0..=x1, body.y_range());
            body_painter.rect_filled(r, 0.0, visuals.selection.bg_fill.gamma_multiply(0.25));
            body_painter.vline(
                x0,
                body.y_range(),
                Stroke::new(1.0, visuals.selection.bg_fill),
            );
            body_painter.vline(
                x1,
                body.y_range(),
                Stroke::new(1.0, visuals.selection.bg_fill),
            );
            let label = describe_duration(t1 - t0);
            body_painter.text(
                Pos2::new((x0 + x1) / 2.0, body.top() + 14.0),
                Align2::CENTER_TOP,
                label,
                FontId::proportional(12.5),
                text,
            );
        }

        // The axis: context row above, tick labels below.
        let axis_rect = Rect::from_min_max(
            Pos2::new(body.left(), rect.top()),
            Pos2::new(rect.right(), body.top()),
        );
        painter.rect_filled(axis_rect, 0.0, visuals.panel_fill);
        let axis_painter = painter.with_clip_rect(axis_rect);
        let font = FontId::proportional(12.0);
        for t in &tk.ticks {
            axis_painter.vline(t.x, (body.top() - 6.0)..=body.top(), Stroke::new(1.0, weak));
            axis_painter.text(
                Pos2::new(t.x + 3.0, body.top() - 4.0),
                Align2::LEFT_BOTTOM,
                &t.label,
                font.clone(),
                text,
            );
        }
        // Context labels: pinned to the left edge until the next one pushes
        // the pinned one out, so they never overlap.
        let ctx_font = FontId::proportional(12.5);
        let ctx_y = rect.top() + 3.0;
        for (k, c) in tk.context.iter().enumerate() {
            let g = painter.layout_no_wrap(c.label.clone(), ctx_font.clone(), text);
            let next_x = tk.context.get(k + 1).map_or(f32::INFINITY, |n| n.x);
            let mut x = c.x.max(body.left()) + 3.0;
            x = x.min(next_x - g.size().x - 12.0);
            if x < body.left() {
                // Pushed out by the next boundary's label: hide rather
                // than show a clipped fragment.
                if c.x > body.left() {
                    axis_painter.vline(c.x, rect.top()..=body.top(), Stroke::new(1.0, weak));
                }
                continue;
            }
            if c.x > body.left() {
                axis_painter.vline(c.x, rect.top()..=body.top(), Stroke::new(1.0, weak));
            }
            axis_painter.galley(Pos2::new(x, ctx_y), g, text);
        }
        painter.hline(
            rect.left()..=rect.right(),
            body.top(),
            Stroke::new(1.0, grid),
        );

        // Lane headers: name, colour, count; click to collapse.
        let header = Rect::from_min_max(
            Pos2::new(rect.left(), body.top()),
            Pos2::new(body.left(), rect.bottom()),
        );
        painter.rect_filled(header, 0.0, visuals.panel_fill);
        let header_painter = painter.with_clip_rect(header);
        let top_left = Rect::from_min_max(rect.min, Pos2::new(body.left(), body.top()));
        painter.rect_filled(top_left, 0.0, visuals.panel_fill);
        painter.text(
            top_left.left_bottom() + Vec2::new(8.0, -6.0),
            Align2::LEFT_BOTTOM,
            format!("Lanes by {}", lanes.grouping.label().to_lowercase()),
            FontId::proportional(12.0),
            weak,
        );
        for (slot, _) in &self.layouts {
            let lane = &lanes.lanes[slot.lane];
            let h = Self::lane_height(slot.rows);
            let r = Rect::from_min_size(Pos2::new(header.left(), slot.top), Vec2::new(HEADER_W, h));
            let collapsed = self.collapsed.contains(&lane.name);
            let cy = slot.top + LANE_PAD / 2.0 + ROW_H / 2.0;
            // A disclosure triangle, painted (the default fonts lack one).
            let a = Pos2::new(r.left() + 10.0, cy);
            let tri = if collapsed {
                vec![
                    a + Vec2::new(-3.0, -4.0),
                    a + Vec2::new(3.0, 0.0),
                    a + Vec2::new(-3.0, 4.0),
                ]
            } else {
                vec![
                    a + Vec2::new(-4.0, -2.5),
                    a + Vec2::new(4.0, -2.5),
                    a + Vec2::new(0.0, 3.5),
                ]
            };
            header_painter.add(Shape::convex_polygon(tri, weak, Stroke::NONE));
            // Kind lanes show their colour; others have none of their own.
            let name_x = match lane.color {
                Some(c) => {
                    header_painter.rect_filled(
                        Rect::from_center_size(Pos2::new(r.left() + 24.0, cy), Vec2::splat(10.0)),
                        2.0,
                        paint::color(c),
                    );
                    r.left() + 34.0
                }
                None => r.left() + 20.0,
            };
            let count = crate::ui::app::thousands(lane.len());
            let count_g = painter.layout_no_wrap(count, FontId::proportional(11.5), weak);
            let name_w = r.right() - name_x - count_g.size().x - 14.0;
            let name_g = elided(
                painter,
                &lane.name,
                FontId::proportional(13.0),
                text,
                name_w,
            );
            header_painter.galley(Pos2::new(name_x, cy - name_g.size().y / 2.0), name_g, text);
            header_painter.galley(
                Pos2::new(
                    r.right() - 8.0 - count_g.size().x,
                    cy - count_g.size().y / 2.0,
                ),
                count_g,
                weak,
            );
            header_painter.hline(r.x_range(), r.bottom(), Stroke::new(1.0, grid));
            body_painter.hline(body.x_range(), r.bottom(), Stroke::new(1.0, grid));
        }
        painter.vline(body.left(), body.y_range(), Stroke::new(1.0, grid));
    }

    /// Lane header widgets (accessible, clickable to collapse). Separate
    /// from painting so that they are real widgets for screen readers and
    /// tests.
    pub fn header_widgets(&mut self, ui: &mut Ui, lanes: &LaneSet) {
        let mut toggle = None;
        for (slot, _) in &self.layouts {
            let lane = &lanes.lanes[slot.lane];
            let h = Self::lane_height(slot.rows);
            let r = Rect::from_min_size(
                Pos2::new(self.body.left() - HEADER_W, slot.top),
                Vec2::new(HEADER_W, h),
            )
            .intersect(Rect::from_x_y_ranges(
                (self.body.left() - HEADER_W)..=self.body.left(),
                self.body.y_range(),
            ));
            if r.height() <= 0.0 {
                continue;
            }
            let resp = ui.interact(r, ui.scope_id().with(("lane", &lane.name)), Sense::click());
            let label = format!("Lane {}: {} events", lane.name, lane.len());
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label.clone()));
            if resp.clicked() {
                toggle = Some(lane.name.clone());
            }
            resp.on_hover_text(format!(
                "{} — {} events. Click to collapse or expand.",
                lane.name,
                lane.len()
            ));
        }
        if let Some(name) = toggle
            && !self.collapsed.remove(&name)
        {
            self.collapsed.insert(name);
        }
    }
}

fn track(
    positions: &mut HashMap<EventIx, (f32, f32, f32)>,
    shared: &mut HashSet<EventIx>,
    ix: EventIx,
    x: f32,
    y: f32,
) {
    positions
        .entry(ix)
        .and_modify(|p| {
            p.1 = p.1.min(y);
            p.2 = p.2.max(y);
            shared.insert(ix);
        })
        .or_insert((x, y, y));
}

/// One line of text cut to `max_width` with an ellipsis.
fn elided(
    painter: &egui::Painter,
    text: &str,
    font: FontId,
    color: Color32,
    max_width: f32,
) -> Arc<egui::Galley> {
    let mut job = LayoutJob::simple_singleline(text.to_owned(), font, color);
    job.wrap = TextWrapping {
        max_width: max_width.max(0.0),
        max_rows: 1,
        break_anywhere: true,
        overflow_character: Some('…'),
    };
    painter.layout_job(job)
}

#[derive(Clone, Debug)]
enum Hit {
    Item(ItemKind),
    Density { count: u32 },
}

fn hover_ui(ui: &mut Ui, store: &Store, hit: &Hit) {
    match hit {
        Hit::Item(ItemKind::Point(ix) | ItemKind::Span(ix)) => {
            if let Some(e) = store.event(*ix) {
                ui.strong(&e.title);
                let kind = store
                    .kind_def(*ix)
                    .map_or(e.kind.as_str(), |k| k.label.as_str());
                ui.label(format!("{kind} · {}", e.when.describe()));
                if !e.actors.is_empty() {
                    let names: Vec<&str> = e.actors.iter().map(|a| a.name.as_str()).collect();
                    ui.label(names.join(", "));
                }
                ui.weak("Click for details");
            }
        }
        Hit::Item(ItemKind::Fold { count, t0, t1 }) => {
            ui.strong(format!("{count} events"));
            let words = |t: Instant| {
                from_instant(t)
                    .map_or_else(String::new, |d| d.format("%-d %b %Y %H:%M").to_string())
            };
            ui.label(format!("{} – {}", words(*t0), words(*t1)));
            ui.weak("Click to zoom in");
        }
        Hit::Density { count } => {
            ui.label(format!("{count} events in this pixel column"));
            ui.weak("Zoom in (Ctrl + wheel) to see them");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_words() {
        assert_eq!(describe_duration(0), "0 seconds");
        assert_eq!(describe_duration(90), "1 minute 30 seconds");
        assert_eq!(
            describe_duration(12 * 86_400 + 4 * 3600 + 59),
            "12 days 4 hours"
        );
        assert_eq!(describe_duration(400 * 86_400), "1 year 1 month");
    }
}

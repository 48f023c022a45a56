//! The timeline: calendar axis, lanes, items, navigation.
//!
//! Each frame: input ([`input`]) moves the view or emits a [`Command`];
//! then a pure layout of every visible lane ([`layout`]); then painting:
//! the items as one mesh plus text where it fits ([`items`]), the axis and
//! the lane headers ([`header`]). Glyph shapes are in [`paint`].

mod header;
mod input;
mod items;
mod marks;
pub mod overview;
pub mod paint;

use std::collections::HashSet;
use std::sync::Arc;

use egui::text::{LayoutJob, TextWrapping};
use egui::{Color32, FontId, Pos2, Rect, Sense, Ui};

use crate::model::Instant;
use crate::model::date::to_instant;
use crate::store::{EventIx, LaneSet, Store};
pub use crate::timeline::Marks;
use crate::timeline::axis::TimeAxis;
use crate::timeline::layout::{LaneLayout, LayoutParams, layout_lane};
use crate::timeline::metrics::{AXIS_H, FIT_MARGIN, HEADER_W, LANE_PAD, lane_height};
use crate::ui::command::Command;
pub use input::EventSteps;
use items::Canvas;

const ANIMATION_SECONDS: f64 = 0.25;

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
        "X",
        "show only the days around the selected event (a removable chip)",
    ),
    (
        "Alt + Left, Alt + Right",
        "back / forward through the ranges and filters seen",
    ),
    (
        "Ctrl + B",
        "save this view by name (Views menu, --view NAME)",
    ),
    (
        "Ctrl + O, Ctrl + Shift + O",
        "open files / add files to the open ones",
    ),
    (
        "Ctrl + S, Ctrl + Shift + S",
        "save / save as (Eventline format)",
    ),
    ("Ctrl + E", "export the events as CSV"),
    (
        "Ctrl + Shift + E",
        "export the view as SVG, PNG or PDF, or copy it as an image",
    ),
    ("M", "show or hide the map"),
    ("Space", "play the visible time window on the map / pause"),
    (
        "Map: Ctrl + wheel, drag",
        "zoom at the pointer / pan (the wheel pans too)",
    ),
    ("Map: Shift + drag", "filter to the events inside a box"),
    ("Map: double-click", "fit the map to the visible events"),
    ("F12", "frame times: where the window's time goes"),
    ("C", "compare before and after the selected event or range"),
    ("G", "who called whom in the visible range"),
    ("Drag on the histogram", "filter to those dates"),
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

/// What the timeline draws this frame.
#[derive(Clone, Copy)]
pub struct TimelineView<'a> {
    pub store: &'a Arc<Store>,
    pub lanes: &'a LaneSet,
    /// The events the filter shows (`None`: all), for stepping.
    pub visible: Option<&'a [EventIx]>,
    pub selected: Option<EventIx>,
    pub marks: Marks<'a>,
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
    /// How long the last frame's layout and painting took.
    pub last_layout: std::time::Duration,
    pub last_paint: std::time::Duration,
    body: Rect,
    /// A range to show exactly once the timeline has a size (a view
    /// restored before the first frame).
    pending_visible: Option<(Instant, Instant)>,
    /// Violation marks drawn last frame: event and its bits (tests).
    pub violation_marks: Vec<(EventIx, u8)>,
    /// The overview's counts per column, kept while its anchors and
    /// geometry stay (they do not change with the view).
    overview_counts: Option<overview::CountsCache>,
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
            last_layout: std::time::Duration::ZERO,
            last_paint: std::time::Duration::ZERO,
            body: Rect::NOTHING,
            pending_visible: None,
            violation_marks: Vec::new(),
            overview_counts: None,
        }
    }
}

impl TimelineState {
    /// The current view, once the timeline has been shown.
    pub fn axis(&self) -> Option<TimeAxis> {
        self.axis
    }

    /// Last frame's layout of each lane in view, by lane index (tests
    /// compare exports with what the window drew).
    pub fn lane_layouts(&self) -> impl Iterator<Item = (usize, &LaneLayout)> {
        self.layouts.iter().map(|(slot, l)| (slot.lane, l))
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
        self.pending_visible = None;
    }

    /// Show exactly `[t0, t1]` (Back/Forward and saved views): at once if
    /// the timeline has been shown, else on its first frame.
    pub fn set_visible(&mut self, t0: Instant, t1: Instant) {
        self.animation = None;
        match self.axis {
            Some(a) => self.axis = Some(TimeAxis::fit(a.left(), a.width(), t0, t1)),
            None => self.pending_visible = Some((t0, t1)),
        }
    }

    /// The range on screen (or about to be, for a restored view).
    pub fn visible(&self) -> Option<(Instant, Instant)> {
        match (self.axis, self.pending_visible) {
            (_, Some(p)) => Some(p),
            (Some(a), None) => Some(a.visible()),
            (None, None) => None,
        }
    }

    /// Whether the view is still moving (an animation runs).
    pub fn is_animating(&self) -> bool {
        self.animation.is_some()
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

    fn lane_rows(&self, lanes: &LaneSet, i: usize) -> usize {
        if self.collapsed.contains(&lanes.lanes[i].name) {
            1
        } else {
            lanes.lanes[i].rows()
        }
    }

    /// Draw the timeline into the rest of `ui` and handle its input.
    pub fn ui(&mut self, ui: &mut Ui, view: &TimelineView<'_>, out: &mut Vec<Command>) {
        let TimelineView {
            store,
            lanes,
            visible,
            selected,
            marks,
        } = *view;
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

        let mut axis = self.animated_axis(ui, store, body);
        self.pointer_input(ui, &response, body, store, &mut axis);
        self.axis = Some(axis);
        let started = std::time::Instant::now();
        self.layout_visible_lanes(store, lanes, &axis, body);
        self.last_layout = started.elapsed();
        self.click_input(ui, &response, store, visible, &axis, out);

        let painter = ui.painter_at(rect);
        let scene = Canvas {
            painter: &painter,
            visuals: ui.visuals(),
            rect,
            body,
            store,
            lanes,
            selected,
            marks,
            axis: &axis,
        };
        let started = std::time::Instant::now();
        let tk = crate::timeline::ticks::ticks(&axis, 7.0, 14.0);
        self.paint_background(&scene, &tk);
        self.paint_items(&scene);
        self.violation_marks = self.paint_analysis_marks(&scene);
        self.paint_range(&scene);
        self.paint_axis(&scene, &tk);
        self.paint_lane_headers(&scene);
        self.last_paint = started.elapsed();
    }

    /// The view this frame: created on first show, resized with the
    /// window, moved along a running animation.
    fn animated_axis(&mut self, ui: &Ui, store: &Store, body: Rect) -> TimeAxis {
        let now = ui.input(|i| i.time);
        let (d0, d1) = Self::data_range(store);
        let mut axis = match self.axis {
            Some(a) if a.width() != body.width() || a.left() != body.left() => {
                a.resized(body.left(), body.width())
            }
            Some(a) => a,
            None => match self.pending_visible.take() {
                Some((t0, t1)) => TimeAxis::fit(body.left(), body.width(), t0, t1),
                None => TimeAxis::fit_for_labels(body.left(), body.width(), d0, d1, FIT_MARGIN),
            },
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
        axis
    }

    /// Lanes: vertical placement, then the layout of those in view (kept
    /// for painting and for next frame's hit-testing).
    fn layout_visible_lanes(
        &mut self,
        store: &Store,
        lanes: &LaneSet,
        axis: &TimeAxis,
        body: Rect,
    ) {
        let total: f32 = (0..lanes.lanes.len())
            .map(|i| lane_height(self.lane_rows(lanes, i)))
            .sum();
        self.scroll_y = self
            .scroll_y
            .clamp(0.0, (total - body.height() + LANE_PAD).max(0.0));
        let mut slots = Vec::new();
        let mut y = body.top() - self.scroll_y;
        for i in 0..lanes.lanes.len() {
            let rows = self.lane_rows(lanes, i);
            let h = lane_height(rows);
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
        let label_chars = |ix: EventIx| store.title(ix).chars().count();
        self.layouts = slots
            .iter()
            .map(|slot| {
                let p = LayoutParams {
                    rows: slot.rows,
                    ..params
                };
                let layout = layout_lane(store, &lanes.lanes[slot.lane], axis, &p, &label_chars);
                (*slot, layout)
            })
            .collect();
    }
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

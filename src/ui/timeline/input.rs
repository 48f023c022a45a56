//! Input on the timeline: keys, pointer (zoom, pan, range), clicks, and
//! hit-testing against last frame's layout. Input moves the view (this
//! panel's own state) or emits a [`Command`]; it never changes the app.

use egui::{Key, Pos2, Rect, Response, Ui};

use super::TimelineState;
use crate::model::Instant;
use crate::model::date::from_instant;
use crate::store::{EventIx, Store};
use crate::timeline::axis::TimeAxis;
use crate::timeline::layout::ItemKind;
use crate::timeline::metrics::{ROW_H, row_center, rows_top};
use crate::ui::command::Command;

/// What the pointer is over.
#[derive(Clone, Debug)]
pub(super) enum Hit {
    Item(ItemKind),
    Density { count: u32 },
}

impl TimelineState {
    /// Keyboard navigation. Called by the app when no text field has focus.
    /// `visible`: the events the filter shows, in time order (`None`: all),
    /// so stepping never lands on a hidden event.
    pub fn handle_keys(
        &mut self,
        ctx: &egui::Context,
        store: &Store,
        visible: Option<&[EventIx]>,
        selected: Option<EventIx>,
        out: &mut Vec<Command>,
    ) {
        let now = ctx.input(|i| i.time);
        let pressed = |k: Key| ctx.input(|i| i.key_pressed(k) && !i.modifiers.command);
        if pressed(Key::F) {
            out.push(Command::Fit);
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
        let steps = EventSteps::new(store, visible);
        let center = self.axis.map_or(0, |a| a.center() as Instant);
        let step_to = if pressed(Key::Period) {
            steps.next(selected, center)
        } else if pressed(Key::Comma) {
            steps.previous(selected, center)
        } else if pressed(Key::Home) {
            steps.first()
        } else if pressed(Key::End) {
            steps.last()
        } else {
            None
        };
        if let Some(ix) = step_to {
            out.push(Command::Select(Some(ix)));
            self.show_event(store, ix, now);
        }
    }

    /// Zoom, pan and scroll from the pointer; Shift+drag chooses a range.
    pub(super) fn pointer_input(
        &mut self,
        ui: &Ui,
        response: &Response,
        body: Rect,
        store: &Store,
        axis: &mut TimeAxis,
    ) {
        let pointer = ui.input(|i| i.pointer.hover_pos());
        let shift = ui.input(|i| i.modifiers.shift);
        if let Some(p) = pointer.filter(|p| body.contains(*p)) {
            let (zoom, scroll) = ui.input(|i| (i.zoom_delta() as f64, i.smooth_scroll_delta()));
            if zoom != 1.0 {
                self.animation = None;
                axis.zoom_at(p.x, zoom);
                Self::clamp(axis, store, p.x);
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
    }

    /// Clicks and hovering over last frame's layout.
    pub(super) fn click_input(
        &mut self,
        ui: &Ui,
        response: &Response,
        store: &Store,
        visible: Option<&[EventIx]>,
        axis: &TimeAxis,
        out: &mut Vec<Command>,
    ) {
        let now = ui.input(|i| i.time);
        let hovered = ui
            .input(|i| i.pointer.hover_pos())
            .and_then(|p| self.hit(p));
        if response.clicked() {
            match hovered {
                Some(Hit::Item(ItemKind::Point(ix) | ItemKind::Span(ix))) => {
                    out.push(Command::Select(Some(ix)))
                }
                Some(Hit::Item(ItemKind::Fold { t0, t1, .. })) => {
                    if axis.scale() >= axis.max_scale() * 0.99 {
                        // Already as close as it goes: the events share a
                        // moment. Select the first shown; `.` steps on.
                        if let Some(first) = EventSteps::new(store, visible).first_from(t0) {
                            out.push(Command::Select(Some(first)));
                        }
                    } else if let Some(to) = self.fitted(store, t0, t1.max(t0 + 60)) {
                        self.animate_to(to, now);
                    }
                }
                Some(Hit::Density { .. }) | None => out.push(Command::Select(None)),
            }
        }
        if response.double_clicked() {
            out.push(Command::Fit);
        }
        if let Some(h) = hovered {
            response
                .clone()
                .on_hover_ui_at_pointer(|ui| hover_ui(ui, store, &h));
        }
    }

    pub(super) fn hit(&self, p: Pos2) -> Option<Hit> {
        if !self.body.contains(p) {
            return None;
        }
        for (slot, layout) in &self.layouts {
            let rows_top = rows_top(slot.top);
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

    /// The event drawn under `p` (after the last frame), if any.
    pub fn event_at(&self, p: Pos2) -> Option<EventIx> {
        match self.hit(p)? {
            Hit::Item(ItemKind::Point(ix) | ItemKind::Span(ix)) => Some(ix),
            _ => None,
        }
    }

    /// Screen position of an event's mark in each lane it is drawn in
    /// (after the last frame). Used by tests and by connectors.
    pub fn positions_of(&self, ix: EventIx) -> Vec<Pos2> {
        let mut out = Vec::new();
        for (slot, layout) in &self.layouts {
            for it in &layout.items {
                if matches!(it.kind, ItemKind::Point(i) | ItemKind::Span(i) if i == ix) {
                    let y = row_center(rows_top(slot.top), it.row);
                    out.push(Pos2::new((it.x0 + it.x1) / 2.0, y));
                }
            }
        }
        out
    }
}

/// Stepping from event to event (`,` `.` Home End, a fold at full zoom)
/// through the events the filter shows, in time order.
pub struct EventSteps<'a> {
    store: &'a Store,
    /// `None`: every event is shown.
    visible: Option<&'a [EventIx]>,
}

impl<'a> EventSteps<'a> {
    pub fn new(store: &'a Store, visible: Option<&'a [EventIx]>) -> Self {
        EventSteps { store, visible }
    }

    fn len(&self) -> usize {
        self.visible.map_or(self.store.len(), <[EventIx]>::len)
    }

    fn at(&self, k: usize) -> EventIx {
        self.visible.map_or(k as EventIx, |v| v[k])
    }

    /// Position of the first shown event at or after `ix` (events are
    /// sorted by anchor, so their indices are time order).
    fn position_of(&self, ix: EventIx) -> usize {
        match self.visible {
            Some(v) => v.partition_point(|&x| x < ix),
            None => ix as usize,
        }
    }

    /// Position of the first shown event anchored at or after `t`.
    fn position_at(&self, t: Instant) -> usize {
        let anchor = &self.store.anchor;
        match self.visible {
            Some(v) => v.partition_point(|&x| anchor[x as usize] < t),
            None => anchor.partition_point(|&a| a < t),
        }
    }

    pub fn first(&self) -> Option<EventIx> {
        (self.len() > 0).then(|| self.at(0))
    }

    pub fn last(&self) -> Option<EventIx> {
        self.len().checked_sub(1).map(|k| self.at(k))
    }

    /// The first shown event anchored at or after `t`.
    pub fn first_from(&self, t: Instant) -> Option<EventIx> {
        let k = self.position_at(t);
        (k < self.len()).then(|| self.at(k))
    }

    /// After the selection; with none, the first from the view's centre.
    pub fn next(&self, selected: Option<EventIx>, center: Instant) -> Option<EventIx> {
        let k = match selected {
            Some(ix) => self.position_of(ix.saturating_add(1)),
            None => self.position_at(center),
        };
        match k.min(self.len()) {
            k if k < self.len() => Some(self.at(k)),
            _ => self.last(),
        }
    }

    /// Before the selection; with none, the last before the view's centre.
    pub fn previous(&self, selected: Option<EventIx>, center: Instant) -> Option<EventIx> {
        let k = match selected {
            Some(ix) => self.position_of(ix),
            None => self.position_at(center),
        };
        match k.checked_sub(1) {
            Some(k) => Some(self.at(k)),
            None => self.first(),
        }
    }
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
    use crate::model::{Event, FuzzyDate, When};
    use crate::table::Dataset;

    fn store(days: &[u32]) -> Store {
        let events = days
            .iter()
            .enumerate()
            .map(|(i, &d)| {
                let date = FuzzyDate::day(2022, 8, d).unwrap();
                Event::new(
                    format!("e{i}"),
                    format!("Event {i}"),
                    "clash",
                    When::point(date),
                )
            })
            .collect();
        Store::build(Dataset {
            events,
            ..Dataset::default()
        })
    }

    #[test]
    fn steps_walk_every_event_without_a_filter() {
        let s = store(&[1, 2, 3, 4]);
        let steps = EventSteps::new(&s, None);
        assert_eq!(steps.first(), Some(0));
        assert_eq!(steps.last(), Some(3));
        assert_eq!(steps.next(Some(1), 0), Some(2));
        assert_eq!(steps.next(Some(3), 0), Some(3));
        assert_eq!(steps.previous(Some(0), 0), Some(0));
        assert_eq!(steps.previous(Some(2), 0), Some(1));
    }

    #[test]
    fn steps_skip_what_the_filter_hides() {
        let s = store(&[1, 2, 3, 4, 5]);
        let shown = [1, 3];
        let steps = EventSteps::new(&s, Some(&shown));
        assert_eq!(steps.first(), Some(1));
        assert_eq!(steps.last(), Some(3));
        assert_eq!(steps.next(Some(1), 0), Some(3));
        // From a hidden selection, the next shown one.
        assert_eq!(steps.next(Some(2), 0), Some(3));
        assert_eq!(steps.previous(Some(3), 0), Some(1));
        assert_eq!(steps.previous(Some(2), 0), Some(1));
        assert_eq!(steps.first_from(s.anchor[2]), Some(3));
        assert_eq!(steps.first_from(s.anchor[4]), None);
        let none: [EventIx; 0] = [];
        let empty = EventSteps::new(&s, Some(&none));
        assert_eq!(empty.next(None, 0), None);
        assert_eq!(empty.first(), None);
    }
}

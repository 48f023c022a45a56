//! Who called whom: the actors of the calls, meetings and statements in the
//! visible range that the filter shows, on a circle, most active first,
//! with arrows from initiator to target and counts on the edges. Clicking
//! an actor or an edge filters to its events; hovering highlights them on
//! the timeline.

use std::f32::consts::TAU;
use std::sync::Arc;

use egui::{Align2, Color32, FontId, Pos2, Rect, RichText, Sense, Stroke, Ui, Vec2};

use crate::analysis::network::{Edge, Network, network};
use crate::model::Instant;
use crate::store::filter::{EventSet, Filter};
use crate::store::{EventIx, Store};

use super::command::Command;
use super::style;

/// What the panel reads each frame.
pub struct NetworkView<'a> {
    pub store: &'a Store,
    pub mask: Option<&'a [bool]>,
    /// Dataset serial and filter generation.
    pub generation: (u64, u64),
    /// The timeline's visible range.
    pub range: Option<(Instant, Instant)>,
    pub filter: &'a Filter,
}

type Key = ((u64, u64), Instant, Instant);

/// Where last frame put things (hit tests and tests).
#[derive(Clone, Debug, Default)]
pub struct NetworkLayout {
    /// Actor id, centre, radius.
    pub nodes: Vec<(u32, Pos2, f32)>,
    /// Edge index and the centre of its count label.
    pub edge_labels: Vec<(usize, Pos2)>,
}

#[derive(Default)]
pub struct NetworkPanel {
    pub open: bool,
    cache: Option<(Key, Arc<Network>)>,
    /// Events under the pointer (an actor's or an edge's), sorted, for the
    /// timeline to highlight.
    pub hovered: Vec<EventIx>,
    pub layout: NetworkLayout,
    /// The visible range last frame.
    last_range: Option<(Instant, Instant)>,
}

const CANVAS: Vec2 = Vec2::new(460.0, 380.0);
const SHOWN_NODES: usize = 24;

fn node_radius(events: usize) -> f32 {
    5.0 + 3.0 * (events as f32).sqrt().min(8.0)
}

impl NetworkPanel {
    /// The network last shown (tests).
    pub fn network(&self) -> Option<&Network> {
        self.cache.as_ref().map(|c| c.1.as_ref())
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, view: &NetworkView<'_>, out: &mut Vec<Command>) {
        let ctx = &ui.ctx().clone();
        self.hovered.clear();
        if !self.open {
            return;
        }
        let Some((t0, t1)) = view.range else { return };
        let key = (view.generation, t0, t1);
        // While the view moves (a pan over years of a large dataset), keep
        // the last network and count again once it rests.
        let settled = self.last_range == Some((t0, t1));
        self.last_range = Some((t0, t1));
        match &self.cache {
            Some(c) if c.0 == key => {}
            Some(c) if c.0.0 == view.generation && !settled => ctx.request_repaint(),
            _ => {
                self.cache = Some((key, Arc::new(network(view.store, t0, t1, view.mask))));
            }
        }
        let Some((_, net)) = self.cache.clone() else {
            return;
        };
        let mut open = true;
        egui::Window::new("Who called whom")
            .open(&mut open)
            .default_pos(ctx.content_rect().left_top() + egui::vec2(300.0, 90.0))
            .default_width(CANVAS.x + 20.0)
            .resizable(false)
            .show(ctx, |ui| {
                ui.weak("Calls, meetings and statements in the visible range that the filter shows. Arrows run from initiator to target; a line without an arrow: the source names no caller.");
                if net.edges.is_empty() {
                    ui.label("No one called, met or addressed anyone in this range.");
                    return;
                }
                self.canvas_ui(ui, view, &net, out);
                self.edge_list_ui(ui, view, &net, out);
            });
        if !open {
            out.push(Command::ToggleNetwork);
        }
    }

    fn filter_to(view: &NetworkView<'_>, label: String, events: &[EventIx]) -> Command {
        let mut f = view.filter.clone();
        f.only = Some(EventSet {
            label,
            ids: events
                .iter()
                .filter_map(|&ix| view.store.event(ix).map(|e| e.id.clone()))
                .collect(),
        });
        Command::SetFilter(Box::new(f))
    }

    fn edge_label(store: &Store, e: &Edge) -> String {
        // The default font has no arrow: words.
        let joint = if e.directed { "to" } else { "and" };
        format!(
            "{} {joint} {}",
            store.actors.name(e.from),
            store.actors.name(e.to)
        )
    }

    fn canvas_ui(
        &mut self,
        ui: &mut Ui,
        view: &NetworkView<'_>,
        net: &Network,
        out: &mut Vec<Command>,
    ) {
        let (rect, _) = ui.allocate_exact_size(CANVAS, Sense::hover());
        let painter = ui.painter_at(rect);
        let visuals = ui.visuals().clone();
        painter.rect_filled(rect, 4.0, visuals.extreme_bg_color);
        let nodes: Vec<(u32, usize)> = net.nodes.iter().take(SHOWN_NODES).copied().collect();
        let n = nodes.len().max(1);
        let centre = rect.center();
        let radius = (rect.width().min(rect.height()) / 2.0 - 46.0).max(40.0);
        let pos = |k: usize| {
            let a = -TAU / 4.0 + TAU * k as f32 / n as f32;
            centre + Vec2::new(a.cos(), a.sin()) * radius
        };
        self.layout = NetworkLayout::default();
        for (k, &(a, count)) in nodes.iter().enumerate() {
            self.layout.nodes.push((a, pos(k), node_radius(count)));
        }
        let find = |a: u32| self.layout.nodes.iter().find(|x| x.0 == a).copied();
        let line = visuals.text_color().gamma_multiply(0.6);
        let max_edge = net.edges.iter().map(|e| e.events.len()).max().unwrap_or(1) as f32;
        // Edges first, their counts over them, then the nodes.
        let mut labels = Vec::new();
        for (i, e) in net.edges.iter().enumerate() {
            let (Some(a), Some(b)) = (find(e.from), find(e.to)) else {
                continue;
            };
            let dir = (b.1 - a.1).normalized();
            // A pair called both ways: each direction a little to its side.
            let both = net
                .edges
                .iter()
                .any(|o| o.from == e.to && o.to == e.from && o.directed && e.directed);
            let side = if both { dir.rot90() * 6.0 } else { Vec2::ZERO };
            let p0 = a.1 + dir * a.2 + side;
            let p1 = b.1 - dir * (b.2 + 2.0) + side;
            let width = 1.0 + 3.0 * e.events.len() as f32 / max_edge;
            painter.line_segment([p0, p1], Stroke::new(width, line));
            if e.directed {
                let back = -dir * 9.0;
                painter.line_segment(
                    [p1, p1 + back + dir.rot90() * 4.5],
                    Stroke::new(width, line),
                );
                painter.line_segment(
                    [p1, p1 + back - dir.rot90() * 4.5],
                    Stroke::new(width, line),
                );
            }
            // Counts of the two directions and of a plain line between the
            // same pair sit apart along it.
            let along = if e.directed { 0.28 } else { 0.5 };
            let mid = p0 + (p1 - p0) * along;
            self.layout.edge_labels.push((i, mid));
            labels.push((i, mid));
        }
        for (i, mid) in labels {
            let e = &net.edges[i];
            let r = Rect::from_center_size(mid, Vec2::splat(18.0));
            let resp = ui.interact(r, ui.scope_id().with(("edge", i)), Sense::click());
            let name = format!(
                "{}: {}",
                Self::edge_label(view.store, e),
                style::plural(e.events.len(), "event", "events")
            );
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
            let hot = resp.hovered();
            painter.circle_filled(
                mid,
                8.0,
                if hot {
                    style::SEARCH_MARK
                } else {
                    visuals.window_fill
                },
            );
            painter.text(
                mid,
                Align2::CENTER_CENTER,
                e.events.len().to_string(),
                FontId::proportional(11.0),
                visuals.strong_text_color(),
            );
            if hot {
                self.hovered = e.events.clone();
                self.hovered.sort_unstable();
            }
            if resp.clicked() {
                out.push(Self::filter_to(
                    view,
                    Self::edge_label(view.store, e),
                    &e.events,
                ));
            }
            resp.on_hover_text(format!("{name}\nClick to filter to them"));
        }
        for &(a, p, r) in &self.layout.nodes {
            let count = net.node_events(a);
            let rr = Rect::from_center_size(p, Vec2::splat(2.0 * r + 4.0));
            let resp = ui.interact(rr, ui.scope_id().with(("node", a)), Sense::click());
            let actor = view.store.actors.name(a);
            let name = format!("{actor}: {}", style::plural(count, "event", "events"));
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
            let hot = resp.hovered();
            let fill = if hot {
                style::SEARCH_MARK
            } else {
                Color32::from_rgb(90, 140, 200)
            };
            painter.circle(p, r, fill, Stroke::new(1.0, visuals.text_color()));
            // Labels go outward from the circle.
            let out_dir = (p - centre).normalized();
            let anchor = if out_dir.x > 0.3 {
                Align2::LEFT_CENTER
            } else if out_dir.x < -0.3 {
                Align2::RIGHT_CENTER
            } else if out_dir.y < 0.0 {
                Align2::CENTER_BOTTOM
            } else {
                Align2::CENTER_TOP
            };
            painter.text(
                p + out_dir * (r + 4.0),
                anchor,
                actor,
                FontId::proportional(12.0),
                visuals.text_color(),
            );
            if hot {
                self.hovered = net.events_of(a);
            }
            if resp.clicked() {
                out.push(Self::filter_to(view, actor.to_string(), &net.events_of(a)));
            }
            resp.on_hover_text(format!("{name}\nClick to filter to them"));
        }
        if net.nodes.len() > SHOWN_NODES {
            ui.weak(format!(
                "The {SHOWN_NODES} most active of {} actors; zoom in or filter to see the rest.",
                net.nodes.len()
            ));
        }
    }

    /// The edges as a list: the key to the picture, and a way to them by
    /// keyboard.
    fn edge_list_ui(
        &mut self,
        ui: &mut Ui,
        view: &NetworkView<'_>,
        net: &Network,
        out: &mut Vec<Command>,
    ) {
        egui::CollapsingHeader::new(RichText::new(style::plural(
            net.edges.len(),
            "edge",
            "edges",
        )))
        .id_salt("network-edges")
        .default_open(false)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .max_height(160.0)
                .show(ui, |ui| {
                    for e in &net.edges {
                        let label = Self::edge_label(view.store, e);
                        let r = ui.button(format!("{label} ({})", e.events.len()));
                        if r.hovered() {
                            self.hovered = e.events.clone();
                            self.hovered.sort_unstable();
                        }
                        if r.clicked() {
                            out.push(Self::filter_to(view, label, &e.events));
                        }
                    }
                });
        });
    }
}

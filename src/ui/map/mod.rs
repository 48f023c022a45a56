//! The map: where the events of the visible time window happened, over an
//! offline basemap, folded into counted clusters where they crowd, linked
//! both ways with the timeline (hover, selection, the area filter) and
//! able to play the window forward for briefings.
//!
//! The geometry is pure and tested in [`crate::geo`]; this panel keeps the
//! view, two caches (the window's events, then their clusters at the
//! current grid level) and the play state, and paints ([`paint`]).

mod paint;
mod play;

use std::sync::Arc;
use std::time::Duration;

use egui::{Pos2, Rect, Sense, Ui, Vec2};

use crate::geo::cluster::cluster;
use crate::geo::projection::MAX_SCALE;
use crate::geo::{Basemap, Clusters, Locations, MapView, world_to_lonlat};
use crate::model::Instant;
use crate::model::date::from_instant;
use crate::store::filter::{Area, Filter};
use crate::store::{EventIx, Store};
use crate::ui::command::Command;
pub use play::{PLAY_SPEEDS, Play};

/// Cells of the clustering grid are at least this wide on screen.
pub const CELL_PX: f64 = 44.0;
/// A cluster of one is drawn as the event's glyph; the pointer picks a
/// mark within this distance.
const PICK_PX: f32 = 12.0;
/// Margin around the events when fitting the map to them.
const FIT_MARGIN: f64 = 0.15;

/// What the map shows this frame, from the app.
pub struct MapInput<'a> {
    pub store: &'a Arc<Store>,
    /// Unique per opened dataset.
    pub serial: u64,
    /// The filter result installed (bumps when the filter changes).
    pub generation: u64,
    /// Events passing the filter; `None`: all.
    pub visible: Option<&'a [bool]>,
    /// The timeline's visible time window; `None` before it is drawn.
    pub window: Option<(Instant, Instant)>,
    pub selected: Option<EventIx>,
    /// The event the pointer is over on the timeline.
    pub linked: Option<EventIx>,
    pub filter: &'a Filter,
}

/// The events of one window that pass the filter, in time order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct WindowKey {
    serial: u64,
    generation: u64,
    window: Option<(Instant, Instant)>,
}

struct WindowEvents {
    key: WindowKey,
    /// Located events, in time order (anchor).
    located: Arc<Vec<EventIx>>,
    /// Events in the window passing the filter without a location.
    unlocated: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ClusterKey {
    window: WindowKey,
    level: u32,
    /// How many of the window's events are shown (fewer while playing).
    shown: usize,
}

/// The map panel's state.
pub struct MapPanel {
    /// Whether the panel is shown (toolbar button, M).
    pub open: bool,
    view: Option<MapView>,
    /// Loaded on first show; the error is shown in the panel.
    basemap: Option<Result<Arc<Basemap>, String>>,
    locations: Option<(u64, Arc<Locations>)>,
    window_events: Option<WindowEvents>,
    clusters: Option<(ClusterKey, Arc<Clusters>)>,
    /// The event under the pointer on the map (the timeline rings it).
    pub hovered: Option<EventIx>,
    /// The event ringed last frame as hovered (here or on the timeline).
    pub linked: Option<EventIx>,
    /// The selected event, if last frame drew it on the map.
    pub drawn_selection: Option<EventIx>,
    /// Shift+drag: the box's first corner and the pointer, on screen.
    area_drag: Option<(Pos2, Pos2)>,
    pub play: Play,
    /// The dataset the view was last fitted to.
    fitted: Option<u64>,
    /// The user zoomed or panned since (a resize then keeps their view).
    moved: bool,
    rect: Rect,
    /// How long the last frame's map took (F12 window, benchmarks).
    pub last_frame: Duration,
}

impl Default for MapPanel {
    fn default() -> Self {
        MapPanel {
            open: false,
            view: None,
            basemap: None,
            locations: None,
            window_events: None,
            clusters: None,
            hovered: None,
            linked: None,
            drawn_selection: None,
            area_drag: None,
            play: Play::default(),
            fitted: None,
            moved: false,
            rect: Rect::NOTHING,
            last_frame: Duration::ZERO,
        }
    }
}

impl MapPanel {
    /// The map's view, once shown.
    pub fn view(&self) -> Option<MapView> {
        self.view
    }

    /// Where the map is drawn (tests point into it).
    pub fn rect(&self) -> Rect {
        self.rect
    }

    /// Where event `ix` is on screen, if it has a location.
    pub fn screen_pos_of(&self, ix: EventIx) -> Option<Pos2> {
        let (_, loc) = self.locations.as_ref()?;
        let w = loc.get(ix)?;
        let s = self.view?.to_screen([w[0] as f64, w[1] as f64]);
        Some(Pos2::new(s[0], s[1]))
    }

    /// The clusters drawn last frame (tests, benchmarks).
    pub fn clusters(&self) -> Option<&Clusters> {
        self.clusters.as_ref().map(|(_, c)| c.as_ref())
    }

    /// Events in the window and the filter without a location.
    pub fn unlocated(&self) -> usize {
        self.window_events.as_ref().map_or(0, |w| w.unlocated)
    }

    fn locations(&mut self, store: &Store, serial: u64) -> Arc<Locations> {
        match &self.locations {
            Some((s, l)) if *s == serial => l.clone(),
            _ => {
                let l = Arc::new(Locations::build(store));
                self.locations = Some((serial, l.clone()));
                l
            }
        }
    }

    fn basemap(&mut self) -> Result<Arc<Basemap>, String> {
        self.basemap
            .get_or_insert_with(|| {
                Basemap::countries()
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
    }

    /// The window's located events passing the filter, cached until the
    /// dataset, the filter or the window change.
    fn window_events(&mut self, input: &MapInput<'_>, loc: &Locations) -> Arc<Vec<EventIx>> {
        let key = WindowKey {
            serial: input.serial,
            generation: input.generation,
            window: input.window,
        };
        if let Some(w) = &self.window_events
            && w.key == key
        {
            return w.located.clone();
        }
        let store = input.store;
        let passes = |i: EventIx| {
            input
                .visible
                .is_none_or(|v| v.get(i as usize) == Some(&true))
        };
        let mut located = Vec::new();
        let mut unlocated = 0;
        let mut take = |i: EventIx| {
            if passes(i) {
                if loc.get(i).is_some() {
                    located.push(i);
                } else {
                    unlocated += 1;
                }
            }
        };
        match input.window {
            Some((t0, t1)) => store.overlapping(t0, t1).into_iter().for_each(&mut take),
            None => (0..store.len() as EventIx).for_each(&mut take),
        }
        let located = Arc::new(located);
        self.window_events = Some(WindowEvents {
            key,
            located: located.clone(),
            unlocated,
        });
        located
    }

    /// Clusters of the first `shown` events at `level`, cached.
    fn clusters_for(
        &mut self,
        store: &Store,
        loc: &Locations,
        events: &[EventIx],
        key: ClusterKey,
    ) -> Arc<Clusters> {
        if let Some((k, c)) = &self.clusters
            && *k == key
        {
            return c.clone();
        }
        let c = Arc::new(cluster(
            events[..key.shown].iter().map(|&i| {
                let ix = i as usize;
                (i, loc.x[ix], loc.y[ix], store.kind[ix])
            }),
            key.level,
        ));
        self.clusters = Some((key, c.clone()));
        c
    }

    /// Fit the map to the window's located events (else the world).
    fn fit(&mut self, loc: &Locations, events: &[EventIx]) {
        let Some(view) = &mut self.view else { return };
        let mut lo = [f64::MAX; 2];
        let mut hi = [f64::MIN; 2];
        for &i in events {
            let (x, y) = (loc.x[i as usize] as f64, loc.y[i as usize] as f64);
            lo = [lo[0].min(x), lo[1].min(y)];
            hi = [hi[0].max(x), hi[1].max(y)];
        }
        if events.is_empty() {
            match loc.bounds {
                Some((a, b)) => {
                    lo = [a[0] as f64, a[1] as f64];
                    hi = [b[0] as f64, b[1] as f64];
                }
                None => (lo, hi) = ([0.0, 0.0], [1.0, 1.0]),
            }
        }
        // A handful of events in one region: still show the countries
        // around (about 7° of longitude).
        let min_span = 0.02;
        for k in 0..2 {
            if hi[k] - lo[k] < min_span {
                let mid = (hi[k] + lo[k]) / 2.0;
                lo[k] = mid - min_span / 2.0;
                hi[k] = mid + min_span / 2.0;
            }
        }
        view.fit(lo, hi, FIT_MARGIN);
    }

    /// Draw the map into `ui` and handle its input.
    pub fn ui(&mut self, ui: &mut Ui, input: &MapInput<'_>, out: &mut Vec<Command>) {
        let started = std::time::Instant::now();
        self.toolbar(ui, input.window, out);
        let rect = ui.available_rect_before_wrap();
        self.rect = rect;
        let response = ui.interact(
            rect,
            ui.scope_id().with("map-canvas"),
            Sense::click_and_drag(),
        );
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Map view"));
        // The map takes the whole panel (a panel otherwise shrinks to its
        // widest widget, the toolbar).
        ui.expand_to_include_rect(rect);

        let origin = [rect.left(), rect.top()];
        let size = [rect.width(), rect.height()];
        let (view, resized) = match self.view {
            Some(v) => (v.resized(origin, size), v.size != size),
            None => (MapView::new(origin, size), true),
        };
        self.view = Some(view);
        let store = input.store;
        let loc = self.locations(store, input.serial);
        let events = self.window_events(input, &loc);
        if self.fitted != Some(input.serial) {
            self.fitted = Some(input.serial);
            self.moved = false;
            self.fit(&loc, &events);
        } else if resized && !self.moved {
            // Until the user moves the map, it keeps the events fitted.
            self.fit(&loc, &events);
        }
        self.pointer_input(ui, &response, input.filter, out);
        if response.double_clicked() {
            self.fit(&loc, &events);
        }
        let Some(view) = self.view else { return };

        let shown = self.play.advance(ui, store, &events, input.window);
        let key = ClusterKey {
            window: self.window_events.as_ref().map_or(
                WindowKey {
                    serial: input.serial,
                    generation: input.generation,
                    window: input.window,
                },
                |w| w.key,
            ),
            level: view.cluster_level(CELL_PX),
            shown,
        };
        let clusters = self.clusters_for(store, &loc, &events, key);
        let fresh: &[EventIx] = match self.play.fresh_since(input.window) {
            Some((since, _)) => {
                let from = events[..shown].partition_point(|&i| store.anchor[i as usize] < since);
                // Bounded: a burst of thousands is rings on rings anyway.
                &events[from.max(shown.saturating_sub(2_000))..shown]
            }
            None => &[],
        };

        // Hover and clicks over what was laid out.
        let pointer = ui
            .input(|i| i.pointer.hover_pos())
            .filter(|p| rect.contains(*p));
        let hit = pointer.and_then(|p| paint::pick(&view, &clusters, p, PICK_PX));
        self.hovered = hit.filter(|c| c.count == 1).map(|c| c.first);
        if response.clicked() && self.area_drag.is_none() {
            match hit {
                // At the closest zoom the events share a place: pick the first.
                Some(c) if c.count == 1 || view.scale >= MAX_SCALE * 0.99 => {
                    out.push(Command::Select(Some(c.first)))
                }
                Some(c) => {
                    // A cluster: zoom in on it, like a fold on the timeline.
                    let s = view.to_screen([c.x as f64, c.y as f64]);
                    if let Some(v) = &mut self.view {
                        v.zoom_at(s, 4.0);
                        self.moved = true;
                    }
                }
                None => out.push(Command::Select(None)),
            }
        }

        let basemap = self.basemap();
        let painter = ui.painter_at(rect);
        let scene = paint::Scene {
            painter: &painter,
            visuals: ui.visuals(),
            view: &view,
            store,
            locations: &loc,
            selected: input.selected,
            linked: input.linked.or(self.hovered),
            fresh,
        };
        paint::background(&scene);
        match &basemap {
            Ok(b) => paint::basemap(&scene, b),
            Err(e) => paint::note(
                &scene,
                &format!("No basemap: {e}"),
                egui::Align2::CENTER_TOP,
            ),
        }
        paint::clusters(&scene, &clusters);
        self.drawn_selection = paint::marks(&scene);
        self.linked = scene.linked;
        if let Some((a, b)) = self.area_drag {
            paint::area_box(&scene, Rect::from_two_pos(a, b));
        }
        let unlocated = self.unlocated();
        if unlocated > 0 {
            let text = format!(
                "{} {} no location",
                crate::ui::style::plural(unlocated, "event", "events"),
                if unlocated == 1 { "has" } else { "have" }
            );
            corner_label(ui, rect, &text, egui::Align2::LEFT_BOTTOM);
        }
        if let Some(t) = self.play.cutoff {
            let text = from_instant(t)
                .map_or_else(String::new, |d| d.format("%-d %b %Y %H:%M").to_string());
            corner_label(
                ui,
                rect,
                &format!("Playing: {text}"),
                egui::Align2::RIGHT_TOP,
            );
        }
        if let Some(c) = hit {
            response.on_hover_ui_at_pointer(|ui| paint::hover_ui(ui, store, &loc, &c));
        }
        self.last_frame = started.elapsed();
    }

    /// Zoom and pan as on the timeline; Shift+drag draws an area.
    fn pointer_input(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        filter: &Filter,
        out: &mut Vec<Command>,
    ) {
        let Some(view) = &mut self.view else { return };
        let rect = self.rect;
        let pointer = ui.input(|i| i.pointer.hover_pos());
        if let Some(p) = pointer.filter(|p| rect.contains(*p)) {
            let (zoom, scroll) = ui.input(|i| (i.zoom_delta() as f64, i.smooth_scroll_delta()));
            if zoom != 1.0 {
                view.zoom_at([p.x, p.y], zoom);
                self.moved = true;
            }
            if scroll != Vec2::ZERO && zoom == 1.0 {
                view.pan([scroll.x, scroll.y]);
                self.moved = true;
            }
        }
        let shift = ui.input(|i| i.modifiers.shift);
        if response.drag_started() && shift {
            let start = response.interact_pointer_pos().or(pointer);
            self.area_drag = start.map(|p| (p, p));
        }
        if response.dragged() {
            match (&mut self.area_drag, pointer) {
                (Some((_, b)), Some(p)) => *b = p,
                (Some(_), None) => {}
                (None, _) => {
                    let d = response.drag_delta();
                    view.pan([d.x, d.y]);
                    self.moved = true;
                }
            }
        }
        if response.drag_stopped()
            && let Some((a, b)) = self.area_drag.take()
        {
            let r = Rect::from_two_pos(a, b);
            if r.width() >= 4.0 && r.height() >= 4.0 {
                let c0 = world_to_lonlat(view.to_world([r.left(), r.top()]));
                let c1 = world_to_lonlat(view.to_world([r.right(), r.bottom()]));
                let mut f = filter.clone();
                f.area = Some(Area::from_corners(c0, c1));
                out.push(Command::SetFilter(Box::new(f)));
            }
        }
    }

    /// Play, pause, stop and the speed, above the map.
    fn toolbar(&mut self, ui: &mut Ui, window: Option<(Instant, Instant)>, out: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            let (text, hint) = if self.play.playing {
                ("Pause", "Pause the playback (Space)")
            } else {
                (
                    "Play",
                    "Play the visible time window forward on the map (Space)",
                )
            };
            if ui.button(text).on_hover_text(hint).clicked() {
                out.push(Command::TogglePlay);
            }
            if ui
                .add_enabled(self.play.cutoff.is_some(), egui::Button::new("Stop"))
                .on_hover_text("Stop and show the whole window")
                .clicked()
            {
                self.play.stop();
            }
            let label = ui.label("Speed:");
            let mut speed = self.play.speed;
            egui::ComboBox::from_id_salt("map-speed")
                .selected_text(PLAY_SPEEDS[speed].0)
                .show_ui(ui, |ui| {
                    for (i, (name, _)) in PLAY_SPEEDS.iter().enumerate() {
                        ui.selectable_value(&mut speed, i, *name);
                    }
                })
                .response
                .labelled_by(label.id);
            self.play.speed = speed;
            if let (Some(t), Some((t0, t1))) = (self.play.cutoff, window) {
                let f = ((t - t0) as f32 / (t1 - t0).max(1) as f32).clamp(0.0, 1.0);
                ui.add(egui::ProgressBar::new(f).desired_width(80.0));
            }
        });
    }
}

/// A line of text on a plate in a corner of the map, as a real label
/// (screen readers and tests find it).
fn corner_label(ui: &mut Ui, rect: Rect, text: &str, corner: egui::Align2) {
    let font = egui::FontId::proportional(12.0);
    let size = ui
        .painter()
        .layout_no_wrap(text.to_owned(), font.clone(), ui.visuals().text_color())
        .size();
    let plate = corner.align_size_within_rect(size + Vec2::new(12.0, 6.0), rect.shrink(8.0));
    ui.painter()
        .rect_filled(plate, 4.0, ui.visuals().window_fill.gamma_multiply(0.9));
    ui.put(
        plate.shrink2(Vec2::new(6.0, 3.0)),
        egui::Label::new(egui::RichText::new(text).font(font))
            .selectable(false)
            .extend(),
    );
}

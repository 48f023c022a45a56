//! From the timeline's layout to a backend-neutral picture: the marks,
//! bars, folds and density columns of every lane (one [`SceneItem`] per
//! layout item), with the axis, lane labels, legend, source notes, title
//! and footer as text runs and plain shapes. The SVG, PNG and PDF writers
//! all draw a [`Scene`]; nothing here knows about any of them.

use std::collections::HashSet;

use super::fonts::{elide, text_width, wrap};
use crate::model::date::to_instant;
use crate::model::{Glyph, Instant, Rgb};
use crate::store::{EventIx, LaneGrouping, LaneSet, Store};
use crate::timeline::axis::TimeAxis;
use crate::timeline::geometry::{
    LABEL_GAP, LABEL_INSET, connector_x, context_label_x, count_fits, density_alpha, density_level,
    era_band, era_fade, fold_box, label_fits_inside, lanes_height, point_band, point_x, span_solid,
    today_x, visible_width,
};
use crate::timeline::glyph::{Polygon, polygons};
use crate::timeline::labels::{describe_range, lanes_title, plural, thousands};
use crate::timeline::layout::{DensityColumn, Item, ItemKind, LayoutParams, layout_lane};
use crate::timeline::marks::{Halo, Marks};
use crate::timeline::metrics::{
    BAND_FADE, BAR_HALF_H, BOX_HALF_H, CONNECTOR_FADE, CONNECTOR_W, COUNT_SIZE, FOLD_FADE, GLYPH_R,
    HALO_GROW, HALO_R, HEADER_W, LABEL_SIZE, MIN_ERA_LABEL_W, ROW_H, SPAN_FADE, STAR_OFFSET,
    STAR_R, header_center, is_striped, lane_height, row_center, rows_top,
};
use crate::timeline::palette::{self, Theme};
use crate::timeline::ticks;

/// Height of the axis band above the lanes (as on screen).
pub use crate::timeline::metrics::AXIS_H;
/// Space around the picture.
pub const MARGIN: f32 = 24.0;
const TITLE_SIZE: f32 = 20.0;
const SMALL_SIZE: f32 = 11.0;
const NOTE_SIZE: f32 = 10.5;
/// Room kept after a label for its note number.
const NOTE_REF_W: f32 = 12.0;
/// A label with less room than this is left out (a lone "A…" says nothing).
const MIN_LABEL_W: f32 = 24.0;
/// Labels and notes past this many are not numbered (a dense export
/// would otherwise print pages of notes).
pub const MAX_NOTES: usize = 99;

/// What is drawn: the data, and the per-event marks over it.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    pub store: &'a Store,
    pub lanes: &'a LaneSet,
    /// Search matches by event (empty: no search).
    pub search: &'a [bool],
    /// Annotation flags by event (empty: none), for the starred mark.
    pub flags: &'a [u8],
    pub selected: Option<EventIx>,
}

impl Inputs<'_> {
    /// The marks the window would draw over these events.
    fn marks(&self) -> Marks<'_> {
        Marks {
            search: self.search,
            flags: self.flags,
            ..Marks::default()
        }
    }
}

/// How it is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The time range across the picture.
    pub range: (Instant, Instant),
    /// Width of the picture in layout pixels (points in a PDF).
    pub width: f32,
    pub theme: Theme,
    /// The dataset's title, the picture's heading.
    pub title: String,
    /// The dataset file, named in the footer.
    pub dataset: String,
    /// The export date, in the footer ("2026-11-30").
    pub exported_on: String,
    /// The search text, named under the title when it marks anything.
    pub search_text: String,
    /// Lanes drawn with one row, by name (as collapsed in the window).
    pub collapsed: HashSet<String>,
    pub params: LayoutParams,
    /// "page 2 of 5" for PDF slices.
    pub page: Option<(usize, usize)>,
    /// The window's own view, when exporting what is on screen: its scale
    /// and position are kept exactly (only moved to the picture's lanes),
    /// so the layout is the window's. `None`: fit `range` to the width.
    pub axis: Option<TimeAxis>,
}

impl Options {
    pub fn new(range: (Instant, Instant), width: f32) -> Options {
        Options {
            range,
            width,
            theme: Theme::Light,
            title: String::new(),
            dataset: String::new(),
            exported_on: chrono::Local::now().format("%Y-%m-%d").to_string(),
            search_text: String::new(),
            collapsed: HashSet::new(),
            params: LayoutParams::default(),
            page: None,
            axis: None,
        }
    }
}

/// A colour with its opacity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paint {
    pub rgb: Rgb,
    pub alpha: f32,
}

impl Paint {
    pub fn solid(rgb: Rgb) -> Paint {
        Paint { rgb, alpha: 1.0 }
    }

    pub fn faded(rgb: Rgb, alpha: f32) -> Paint {
        Paint { rgb, alpha }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// One line of text; `y` is its baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct TextRun {
    pub x: f32,
    pub y: f32,
    pub text: String,
    pub size: f32,
    pub paint: Paint,
    pub anchor: Anchor,
    /// What it is, for the writers' classes ("title", "tick", "note"...).
    pub role: &'static str,
}

/// The plain shapes marks are made of.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        paint: Paint,
    },
    /// A rectangle's outline, `width` wide, inside the rectangle.
    Outline {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        width: f32,
        paint: Paint,
    },
    /// A glyph's polygons (holes show the background).
    Glyph {
        glyph: Glyph,
        polygons: Vec<Polygon>,
        paint: Paint,
    },
    Line {
        x0: f32,
        y0: f32,
        x1: f32,
        y1: f32,
        width: f32,
        paint: Paint,
    },
}

/// What a scene item stands for in the layout.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LayoutPart {
    Item(Item),
    Column(DensityColumn),
}

impl LayoutPart {
    /// "point", "span", "fold" or "density".
    pub fn class(&self) -> &'static str {
        match self {
            LayoutPart::Item(it) => match it.kind {
                ItemKind::Point(_) => "point",
                ItemKind::Span(_) => "span",
                ItemKind::Fold { .. } => "fold",
            },
            LayoutPart::Column(_) => "density",
        }
    }

    pub fn event(&self) -> Option<EventIx> {
        match self {
            LayoutPart::Item(Item {
                kind: ItemKind::Point(ix) | ItemKind::Span(ix),
                ..
            }) => Some(*ix),
            _ => None,
        }
    }
}

/// One item of the layout as drawn: its shapes, then its text.
#[derive(Clone, Debug, PartialEq)]
pub struct SceneItem {
    /// Index of its lane in the lane set.
    pub lane: usize,
    pub part: LayoutPart,
    /// The event's id, for point and span items.
    pub event_id: Option<String>,
    pub shapes: Vec<Shape>,
    pub texts: Vec<TextRun>,
}

/// A kind in the legend.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    pub label: String,
    pub color: Rgb,
    pub glyph: Glyph,
}

/// A numbered source note for a labelled event.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub number: usize,
    pub event: EventIx,
    pub lines: Vec<String>,
}

/// A whole picture, in layout pixels with y growing down.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    pub width: f32,
    pub height: f32,
    pub theme: Theme,
    /// Behind everything: panels, lane stripes, eras.
    pub background: Vec<Shape>,
    /// Grid lines and separators, under the items.
    pub grid: Vec<Shape>,
    /// The lanes' area; items are clipped to it.
    pub body: [f32; 4],
    pub items: Vec<SceneItem>,
    /// Over the items: axis, lane labels, legend glyphs.
    pub overlay: Vec<Shape>,
    /// Title, range, axis labels, lane names, legend, notes, footer.
    pub texts: Vec<TextRun>,
    pub legend: Vec<LegendEntry>,
    pub notes: Vec<Note>,
}

impl Scene {
    /// The layout items only, in drawing order: what the window laid out.
    pub fn layout_parts(&self) -> Vec<(usize, LayoutPart)> {
        self.items.iter().map(|i| (i.lane, i.part)).collect()
    }
}

/// Lay out and draw the view into a scene.
pub fn build(inputs: &Inputs<'_>, opts: &Options) -> Scene {
    let theme = opts.theme;
    let (store, lanes) = (inputs.store, inputs.lanes);
    let width = opts.width.max(HEADER_W + 2.0 * MARGIN + 100.0);
    let mut scene = Scene {
        width,
        height: 0.0,
        theme,
        background: Vec::new(),
        grid: Vec::new(),
        body: [0.0; 4],
        items: Vec::new(),
        overlay: Vec::new(),
        texts: Vec::new(),
        legend: Vec::new(),
        notes: Vec::new(),
    };
    let text = Paint::solid(theme.text());
    let weak = Paint::solid(theme.weak_text());
    let grid = Paint::solid(theme.grid());

    // Heading: title, range and what the picture shows.
    let (t0, t1) = opts.range;
    let inner_w = width - 2.0 * MARGIN;
    let mut title = if opts.title.is_empty() {
        "Eventline".to_owned()
    } else {
        opts.title.clone()
    };
    if let Some((k, n)) = opts.page {
        title = format!("{title} ({k}/{n})");
    }
    scene.texts.push(TextRun {
        x: MARGIN,
        y: MARGIN + TITLE_SIZE,
        text: elide(&title, TITLE_SIZE, inner_w),
        size: TITLE_SIZE,
        paint: text,
        anchor: Anchor::Start,
        role: "title",
    });
    let mut sub = format!(
        "{} · lanes by {}",
        describe_range(t0, t1),
        lanes.grouping.label().to_lowercase()
    );
    if lanes.grouping == LaneGrouping::None {
        sub = describe_range(t0, t1);
    }
    let matches = inputs.search.iter().filter(|&&m| m).count();
    if !opts.search_text.trim().is_empty() {
        sub.push_str(&format!(
            " · search “{}”: {}",
            opts.search_text.trim(),
            plural(matches, "match", "matches")
        ));
    }
    scene.texts.push(TextRun {
        x: MARGIN,
        y: MARGIN + TITLE_SIZE + 20.0,
        text: elide(&sub, LABEL_SIZE, inner_w),
        size: LABEL_SIZE,
        paint: weak,
        anchor: Anchor::Start,
        role: "subtitle",
    });

    // Geometry: axis band, header column, lanes.
    let axis_top = MARGIN + TITLE_SIZE + 34.0;
    let body_left = MARGIN + HEADER_W;
    let body_right = width - MARGIN;
    let body_top = axis_top + AXIS_H;
    let axis = match opts.axis {
        Some(a) => a.with_screen(body_left, body_right - body_left),
        None => TimeAxis::fit(body_left, body_right - body_left, t0, t1),
    };
    let lane_rows = |i: usize| {
        if opts.collapsed.contains(&lanes.lanes[i].name) {
            1
        } else {
            lanes.lanes[i].rows()
        }
    };
    let lanes_h = lanes_height((0..lanes.lanes.len()).map(|i| lane_height(lane_rows(i))));
    let body_bottom = body_top + lanes_h;
    scene.body = [body_left, body_top, body_right, body_bottom];
    let rect = |x0: f32, y0: f32, x1: f32, y1: f32, paint: Paint| Shape::Rect {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
        paint,
    };
    scene.background.push(rect(
        0.0,
        0.0,
        width,
        f32::MAX,
        Paint::solid(theme.background()),
    ));
    scene.background.push(rect(
        MARGIN,
        axis_top,
        body_right,
        body_top,
        Paint::solid(theme.panel()),
    ));
    scene.background.push(rect(
        MARGIN,
        body_top,
        body_left,
        body_bottom,
        Paint::solid(theme.panel()),
    ));

    // Lanes: stripes, header labels, then their layout.
    let label_chars = |ix: EventIx| store.title(ix).chars().count();
    let mut y = body_top;
    let mut labelled: Vec<(Instant, usize, usize)> = Vec::new();
    let multi = matches!(lanes.grouping, LaneGrouping::Actor | LaneGrouping::Country);
    let mut connectors: std::collections::HashMap<EventIx, (f32, f32, f32, Rgb)> =
        std::collections::HashMap::new();
    for (li, lane) in lanes.lanes.iter().enumerate() {
        let rows = lane_rows(li);
        let h = lane_height(rows);
        if is_striped(li) {
            scene.background.push(rect(
                body_left,
                y,
                body_right,
                y + h,
                Paint::solid(theme.stripe()),
            ));
        }
        lane_header(&mut scene, lane, y, theme);
        let params = LayoutParams {
            rows,
            ..opts.params
        };
        let layout = layout_lane(store, lane, &axis, &params, &label_chars);
        let rows_top = rows_top(y);
        let lane_color = lane.color.unwrap_or(palette::NEUTRAL_LANE);
        if layout.is_density() {
            let hh = rows as f32 * ROW_H;
            for c in &layout.density {
                let v = density_level(c.count, layout.density_max);
                let bar_h = hh * v;
                scene.items.push(SceneItem {
                    lane: li,
                    part: LayoutPart::Column(*c),
                    event_id: None,
                    shapes: vec![rect(
                        c.x,
                        rows_top + hh - bar_h,
                        c.x + 1.0,
                        rows_top + hh,
                        Paint::faded(lane_color, density_alpha(v)),
                    )],
                    texts: Vec::new(),
                });
            }
        } else {
            for it in &layout.items {
                let cy = row_center(rows_top, it.row);
                let item = match it.kind {
                    ItemKind::Point(ix) => point(inputs, &axis, &params, it, ix, cy, theme),
                    ItemKind::Span(ix) => span(inputs, &axis, &scene, it, ix, cy, theme),
                    ItemKind::Fold { count, t0, t1 } => {
                        fold(inputs, lane, it, count, (t0, t1), cy, theme)
                    }
                };
                if let Some(ix) = it_event(it) {
                    if item.texts.iter().any(|t| t.role == "label") {
                        labelled.push((store.anchor[ix as usize], li, scene.items.len()));
                    }
                    if multi {
                        let i = ix as usize;
                        let c = store.kinds[store.kind[i] as usize].color;
                        let x = connector_x(it, body_left);
                        connectors
                            .entry(ix)
                            .and_modify(|p| {
                                p.1 = p.1.min(cy);
                                p.2 = p.2.max(cy);
                            })
                            .or_insert((x, cy, cy, c));
                    }
                }
                scene.items.push(SceneItem {
                    lane: li,
                    event_id: it_event(it)
                        .and_then(|ix| store.event(ix))
                        .map(|e| e.id.clone()),
                    ..item
                });
            }
        }
        scene.grid.push(Shape::Line {
            x0: MARGIN,
            y0: y + h,
            x1: body_right,
            y1: y + h,
            width: 1.0,
            paint: grid,
        });
        y += h;
    }
    // An event in several lanes (a call between two actors): a thin line
    // joining its marks, as on screen.
    let mut joined: Vec<_> = connectors.into_values().filter(|c| c.2 > c.1).collect();
    // In a fixed order, so the same view always writes the same file.
    joined.sort_by(|a, b| {
        (a.0, a.1, a.2)
            .partial_cmp(&(b.0, b.1, b.2))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    for (x, y0, y1, c) in joined {
        scene.grid.push(Shape::Line {
            x0: x,
            y0,
            x1: x,
            y1,
            width: CONNECTOR_W,
            paint: Paint::faded(c, CONNECTOR_FADE),
        });
    }

    eras_and_grid(&mut scene, store, &axis, theme);
    axis_labels(
        &mut scene,
        &axis,
        axis_top,
        lanes_title(lanes.grouping),
        theme,
    );

    // Number the labelled events in time order; the labels carry the number.
    labelled.sort();
    let mut numbered: HashSet<EventIx> = HashSet::new();
    let mut notes_y = body_bottom + 24.0;
    notes_y = legend(&mut scene, inputs, &axis, notes_y, theme);
    let mut number = 0;
    for &(_, _, k) in &labelled {
        let Some(ix) = scene.items[k].part.event() else {
            continue;
        };
        if number >= MAX_NOTES {
            break;
        }
        // An event in several lanes gets one note.
        let first = numbered.insert(ix);
        if first {
            number += 1;
            scene.notes.push(Note {
                number,
                event: ix,
                lines: Vec::new(),
            });
        }
        let n = scene
            .notes
            .iter()
            .find(|n| n.event == ix)
            .map_or(number, |n| n.number);
        let item = &mut scene.items[k];
        if let Some(label) = item.texts.iter().find(|t| t.role == "label").cloned() {
            let x = match label.anchor {
                Anchor::Start => label.x + text_width(&label.text, label.size) + 1.5,
                _ => label.x + 1.5,
            };
            item.texts.push(TextRun {
                x,
                y: label.y - 4.0,
                text: n.to_string(),
                size: 8.5,
                paint: label.paint,
                anchor: Anchor::Start,
                role: "note-ref",
            });
        }
    }
    notes_y = notes(&mut scene, store, notes_y, theme);

    // Footer.
    let footer = format!(
        "{} · exported {} with Eventline",
        if opts.dataset.is_empty() {
            "dataset"
        } else {
            &opts.dataset
        },
        opts.exported_on
    );
    scene.texts.push(TextRun {
        x: MARGIN,
        y: notes_y + 18.0,
        text: elide(&footer, SMALL_SIZE, inner_w),
        size: SMALL_SIZE,
        paint: weak,
        anchor: Anchor::Start,
        role: "footer",
    });
    scene.height = (notes_y + 18.0 + MARGIN).ceil();
    if let Some(Shape::Rect { h, .. }) = scene.background.first_mut() {
        *h = scene.height;
    }
    scene
}

fn it_event(it: &Item) -> Option<EventIx> {
    match it.kind {
        ItemKind::Point(ix) | ItemKind::Span(ix) => Some(ix),
        ItemKind::Fold { .. } => None,
    }
}

/// An item's title after its right end `x`, cut to `room`; none where
/// too little of it would show.
fn label_after(title: &str, x: f32, room: f32, cy: f32, theme: Theme) -> Option<TextRun> {
    let label = elide(title, LABEL_SIZE, room);
    (room >= MIN_LABEL_W && !label.is_empty()).then(|| TextRun {
        x: x + LABEL_GAP,
        y: label_y(cy, LABEL_SIZE),
        text: label,
        size: LABEL_SIZE,
        paint: Paint::solid(theme.text()),
        anchor: Anchor::Start,
        role: "label",
    })
}

fn label_y(cy: f32, size: f32) -> f32 {
    // Baseline that centres the font's x-height-ish body on `cy`.
    cy + size * 0.35
}

fn lane_header(scene: &mut Scene, lane: &crate::store::Lane, top: f32, theme: Theme) {
    let cy = header_center(top);
    let left = MARGIN;
    let name_x = match lane.color {
        Some(c) => {
            scene.overlay.push(Shape::Rect {
                x: left + 14.0,
                y: cy - 5.0,
                w: 10.0,
                h: 10.0,
                paint: Paint::solid(c),
            });
            left + 30.0
        }
        None => left + 10.0,
    };
    let count = thousands(lane.len());
    let count_w = text_width(&count, 11.5);
    let name_w = left + HEADER_W - name_x - count_w - 14.0;
    scene.texts.push(TextRun {
        x: name_x,
        y: label_y(cy, 13.0),
        text: elide(&lane.name, 13.0, name_w),
        size: 13.0,
        paint: Paint::solid(theme.text()),
        anchor: Anchor::Start,
        role: "lane",
    });
    scene.texts.push(TextRun {
        x: left + HEADER_W - 8.0,
        y: label_y(cy, 11.5),
        text: count,
        size: 11.5,
        paint: Paint::solid(theme.weak_text()),
        anchor: Anchor::End,
        role: "lane-count",
    });
}

fn point(
    inputs: &Inputs<'_>,
    axis: &TimeAxis,
    params: &LayoutParams,
    it: &Item,
    ix: EventIx,
    cy: f32,
    theme: Theme,
) -> SceneItem {
    let store = inputs.store;
    let kind = &store.kinds[store.kind[ix as usize] as usize];
    let c = kind.color;
    let x = point_x(it);
    let mut shapes = Vec::new();
    if let Some((bx0, bx1)) = point_band(store, axis, params.glyph_px, ix, x) {
        // Where the date is not exact: a faded band over the window.
        shapes.push(Shape::Rect {
            x: bx0,
            y: cy - BOX_HALF_H,
            w: bx1 - bx0,
            h: 2.0 * BOX_HALF_H,
            paint: Paint::faded(c, BAND_FADE),
        });
    }
    let ring = |glyph: Glyph, at: [f32; 2], r: f32, paint: Paint| Shape::Glyph {
        glyph,
        polygons: polygons(glyph, at, r),
        paint,
    };
    let marks = inputs.marks();
    let highlight = Paint::solid(theme.highlight());
    match marks.halo(inputs.selected, ix) {
        Some(Halo::Selected) => shapes.push(ring(Glyph::Circle, [x, cy], HALO_R, highlight)),
        // The map is not exported: no event is under its pointer.
        Some(Halo::Linked) => {}
        Some(Halo::Match) => shapes.push(ring(
            Glyph::Ring,
            [x, cy],
            HALO_R,
            Paint::solid(palette::SEARCH_MARK),
        )),
        None => {}
    }
    if marks.is_starred(ix) {
        shapes.push(ring(
            Glyph::Star,
            [x + STAR_OFFSET, cy - STAR_OFFSET],
            STAR_R,
            Paint::solid(palette::STAR_MARK),
        ));
    }
    shapes.push(ring(kind.glyph, [x, cy], GLYPH_R, Paint::solid(c)));
    let mut texts = Vec::new();
    if it.label_px > 0.0 {
        let title = store.title(ix);
        // Room for the note number after the label, and the label kept
        // inside the lanes (a picture cannot be scrolled to see the rest).
        let room = (it.label_px - LABEL_INSET).min(axis.right() - it.x1 - LABEL_GAP) - NOTE_REF_W;
        texts.extend(label_after(title, it.x1, room, cy, theme));
    }
    SceneItem {
        lane: 0,
        part: LayoutPart::Item(*it),
        event_id: None,
        shapes,
        texts,
    }
}

fn span(
    inputs: &Inputs<'_>,
    axis: &TimeAxis,
    scene: &Scene,
    it: &Item,
    ix: EventIx,
    cy: f32,
    theme: Theme,
) -> SceneItem {
    let store = inputs.store;
    let [body_left, _, body_right, _] = scene.body;
    let kind = &store.kinds[store.kind[ix as usize] as usize];
    let c = kind.color;
    let (sx0, sx1) = (it.x0, it.x1);
    let (solid0, solid1) = span_solid(store, axis, ix, sx0, sx1);
    let mut shapes = Vec::new();
    let bar = |x0: f32, x1: f32, grow: f32, paint: Paint| Shape::Rect {
        x: x0 - grow,
        y: cy - BAR_HALF_H - grow,
        w: x1 - x0 + 2.0 * grow,
        h: 2.0 * BAR_HALF_H + 2.0 * grow,
        paint,
    };
    match inputs.marks().halo(inputs.selected, ix) {
        Some(Halo::Selected | Halo::Linked) => {
            shapes.push(bar(sx0, sx1, HALO_GROW, Paint::solid(theme.highlight())));
        }
        Some(Halo::Match) => {
            shapes.push(bar(sx0, sx1, HALO_GROW, Paint::solid(palette::SEARCH_MARK)));
        }
        None => {}
    }
    shapes.push(bar(sx0, sx1, 0.0, Paint::faded(c, SPAN_FADE)));
    if solid1 > solid0 {
        shapes.push(bar(solid0, solid1, 0.0, Paint::solid(c)));
    }
    let title = store.title(ix);
    let visible_bar = visible_width(sx0, sx1, body_left, body_right);
    let full_w = text_width(title, LABEL_SIZE);
    let mut texts = Vec::new();
    if label_fits_inside(visible_bar, full_w, NOTE_REF_W) {
        texts.push(TextRun {
            x: sx0.max(body_left) + LABEL_INSET,
            y: label_y(cy, LABEL_SIZE),
            text: title.to_owned(),
            size: LABEL_SIZE,
            paint: Paint::solid(Rgb(255, 255, 255)),
            anchor: Anchor::Start,
            role: "label",
        });
    } else if it.label_px > 0.0 {
        let room = (it.label_px - LABEL_INSET).min(body_right - sx1 - LABEL_GAP) - NOTE_REF_W;
        texts.extend(label_after(title, sx1, room, cy, theme));
    }
    SceneItem {
        lane: 0,
        part: LayoutPart::Item(*it),
        event_id: None,
        shapes,
        texts,
    }
}

fn fold(
    inputs: &Inputs<'_>,
    lane: &crate::store::Lane,
    it: &Item,
    count: u32,
    (t0, t1): (Instant, Instant),
    cy: f32,
    theme: Theme,
) -> SceneItem {
    let lane_color = lane.color.unwrap_or(palette::NEUTRAL_LANE);
    let [x0, y0, x1, _] = fold_box(it, cy);
    // The height as a constant, not bottom − top: the same bytes in every file.
    let (x, y, w, h) = (x0, y0, x1 - x0, 2.0 * BOX_HALF_H);
    let mut shapes = Vec::new();
    if inputs.marks().fold_holds_match(lane, t0, t1) {
        shapes.push(Shape::Rect {
            x: x - HALO_GROW,
            y: y - HALO_GROW,
            w: w + 2.0 * HALO_GROW,
            h: h + 2.0 * HALO_GROW,
            paint: Paint::solid(palette::SEARCH_MARK),
        });
    }
    shapes.push(Shape::Rect {
        x,
        y,
        w,
        h,
        paint: Paint::faded(lane_color, FOLD_FADE),
    });
    shapes.push(Shape::Outline {
        x,
        y,
        w,
        h,
        width: 1.0,
        paint: Paint::solid(lane_color),
    });
    let label = count.to_string();
    let mut texts = Vec::new();
    if count_fits(text_width(&label, COUNT_SIZE), w) {
        texts.push(TextRun {
            x: x + w / 2.0,
            y: label_y(cy, COUNT_SIZE),
            text: label,
            size: COUNT_SIZE,
            paint: Paint::solid(theme.text()),
            anchor: Anchor::Middle,
            role: "count",
        });
    }
    SceneItem {
        lane: 0,
        part: LayoutPart::Item(*it),
        event_id: None,
        shapes,
        texts,
    }
}

/// Eras as bands with their names; a grid line at every tick; today.
fn eras_and_grid(scene: &mut Scene, store: &Store, axis: &TimeAxis, theme: Theme) {
    let [left, top, right, bottom] = scene.body;
    for era in &store.eras {
        let Some((x0, x1)) = era_band(axis, era, left, right) else {
            continue;
        };
        let c = era.color.unwrap_or(palette::DEFAULT_ERA);
        scene.background.push(Shape::Rect {
            x: x0,
            y: top,
            w: x1 - x0,
            h: bottom - top,
            paint: Paint::faded(c, era_fade(theme.is_dark())),
        });
        if x1 - x0 >= MIN_ERA_LABEL_W {
            let name = elide(&era.name, SMALL_SIZE, x1 - x0 - 6.0);
            if !name.is_empty() {
                scene.texts.push(TextRun {
                    x: x0 + 3.0,
                    y: top + SMALL_SIZE + 1.0,
                    text: name,
                    size: SMALL_SIZE,
                    paint: Paint::solid(c),
                    anchor: Anchor::Start,
                    role: "era",
                });
            }
        }
    }
    let today = to_instant(chrono::Local::now().naive_local());
    if let Some(tx) = today_x(axis, today, left, right) {
        scene.grid.push(Shape::Line {
            x0: tx,
            y0: top,
            x1: tx,
            y1: bottom,
            width: 1.5,
            paint: Paint::solid(palette::TODAY),
        });
        scene.texts.push(TextRun {
            x: tx + 3.0,
            y: bottom - 4.0,
            text: "today".into(),
            size: SMALL_SIZE,
            paint: Paint::solid(palette::TODAY),
            anchor: Anchor::Start,
            role: "today",
        });
    }
}

/// The axis: context labels on top ("2022"), tick labels below, and a grid
/// line through the lanes at every tick.
fn axis_labels(
    scene: &mut Scene,
    axis: &TimeAxis,
    axis_top: f32,
    lanes_title: String,
    theme: Theme,
) {
    let [left, top, right, bottom] = scene.body;
    let tk = ticks::ticks(axis, 7.0, 14.0);
    let (text, weak, grid) = (
        Paint::solid(theme.text()),
        Paint::solid(theme.weak_text()),
        Paint::solid(theme.grid()),
    );
    for t in &tk.ticks {
        if t.x < left || t.x > right {
            continue;
        }
        scene.grid.push(Shape::Line {
            x0: t.x,
            y0: top,
            x1: t.x,
            y1: bottom,
            width: 1.0,
            paint: grid,
        });
        scene.overlay.push(Shape::Line {
            x0: t.x,
            y0: top - 6.0,
            x1: t.x,
            y1: top,
            width: 1.0,
            paint: weak,
        });
        if t.x + 3.0 + text_width(&t.label, 12.0) <= right {
            scene.texts.push(TextRun {
                x: t.x + 3.0,
                y: top - 5.0,
                text: t.label.clone(),
                size: 12.0,
                paint: text,
                anchor: Anchor::Start,
                role: "tick",
            });
        }
    }
    // Context labels pinned to the left edge until the next one pushes
    // them out, so they never overlap.
    for (k, c) in tk.context.iter().enumerate() {
        let w = text_width(&c.label, LABEL_SIZE);
        let next_x = tk.context.get(k + 1).map_or(f32::INFINITY, |n| n.x);
        let x = context_label_x(c.x, next_x, left, w);
        if c.x > left && c.x < right {
            scene.overlay.push(Shape::Line {
                x0: c.x,
                y0: axis_top,
                x1: c.x,
                y1: top,
                width: 1.0,
                paint: weak,
            });
        }
        if x >= left && x + w <= right {
            scene.texts.push(TextRun {
                x,
                y: axis_top + 3.0 + LABEL_SIZE,
                text: c.label.clone(),
                size: LABEL_SIZE,
                paint: text,
                anchor: Anchor::Start,
                role: "context",
            });
        }
    }
    scene.overlay.push(Shape::Line {
        x0: MARGIN,
        y0: top,
        x1: right,
        y1: top,
        width: 1.0,
        paint: grid,
    });
    scene.overlay.push(Shape::Line {
        x0: left,
        y0: top,
        x1: left,
        y1: bottom,
        width: 1.0,
        paint: grid,
    });
    scene.texts.push(TextRun {
        x: MARGIN + 8.0,
        y: top - 6.0,
        text: lanes_title,
        size: 12.0,
        paint: weak,
        anchor: Anchor::Start,
        role: "lanes-title",
    });
}

/// The kinds of the events in view, each with its colour and glyph, in a
/// row that wraps. Returns the y below it.
fn legend(scene: &mut Scene, inputs: &Inputs<'_>, axis: &TimeAxis, y: f32, theme: Theme) -> f32 {
    let store = inputs.store;
    let (v0, v1) = axis.visible();
    let mut seen = vec![false; store.kinds.len()];
    for lane in &inputs.lanes.lanes {
        for &ix in &lane.points[lane.point_range(v0, v1)] {
            seen[store.kind[ix as usize] as usize] = true;
        }
        lane.span_index.for_each_overlapping(v0, v1, |k| {
            seen[store.kind[lane.spans[k] as usize] as usize] = true;
        });
    }
    let kinds: Vec<_> = store
        .kinds
        .iter()
        .zip(&seen)
        .filter(|(_, s)| **s)
        .map(|(k, _)| k)
        .collect();
    if kinds.is_empty() {
        return y;
    }
    let right = scene.width - MARGIN;
    let heading = "Kinds shown:";
    scene.texts.push(TextRun {
        x: MARGIN,
        y: y + 4.0,
        text: heading.into(),
        size: LABEL_SIZE,
        paint: Paint::solid(theme.weak_text()),
        anchor: Anchor::Start,
        role: "legend-title",
    });
    let start_x = MARGIN + text_width(heading, LABEL_SIZE) + 14.0;
    let (mut x, mut cy) = (start_x, y);
    for k in kinds {
        let w = 18.0 + text_width(&k.label, LABEL_SIZE) + 16.0;
        if x + w > right && x > start_x {
            x = start_x;
            cy += 20.0;
        }
        scene.overlay.push(Shape::Glyph {
            glyph: k.glyph,
            polygons: polygons(k.glyph, [x + 6.0, cy], GLYPH_R),
            paint: Paint::solid(k.color),
        });
        scene.texts.push(TextRun {
            x: x + 16.0,
            y: label_y(cy, LABEL_SIZE),
            text: k.label.clone(),
            size: LABEL_SIZE,
            paint: Paint::solid(theme.text()),
            anchor: Anchor::Start,
            role: "legend",
        });
        scene.legend.push(LegendEntry {
            label: k.label.clone(),
            color: k.color,
            glyph: k.glyph,
        });
        x += w;
    }
    cy + 22.0
}

/// The note text of one event: date, title, then its sources.
fn note_text(store: &Store, ix: EventIx) -> String {
    let Some(e) = store.event(ix) else {
        return String::new();
    };
    let mut out = format!("{} — {}", e.when.start.describe(), e.title);
    if let Some(end) = &e.when.end {
        out = format!(
            "{} — {}",
            crate::model::date::describe_span(&e.when.start, end),
            e.title
        );
    }
    let mut sources: Vec<String> = e
        .sources
        .iter()
        .map(|s| {
            let parts: Vec<&str> = [s.publisher.as_deref(), s.title.as_deref(), s.url.as_deref()]
                .into_iter()
                .flatten()
                .filter(|p| !p.is_empty())
                .collect();
            parts.join(", ")
        })
        .filter(|s| !s.is_empty())
        .collect();
    // Several passages of one article are one source here.
    sources.dedup();
    if sources.is_empty() {
        out.push_str(". No source given.");
    } else {
        out.push_str(". Source: ");
        out.push_str(&sources.join("; "));
    }
    out
}

/// The numbered notes below the legend, wrapped to the width. Returns the
/// y below them.
fn notes(scene: &mut Scene, store: &Store, y: f32, theme: Theme) -> f32 {
    if scene.notes.is_empty() {
        return y;
    }
    let inner = scene.width - 2.0 * MARGIN - 24.0;
    let mut y = y + 10.0;
    scene.texts.push(TextRun {
        x: MARGIN,
        y,
        text: "Sources of the labelled events".into(),
        size: LABEL_SIZE,
        paint: Paint::solid(theme.weak_text()),
        anchor: Anchor::Start,
        role: "notes-title",
    });
    y += 4.0;
    let line_h = NOTE_SIZE + 4.0;
    let mut runs = Vec::new();
    for note in &mut scene.notes {
        note.lines = wrap(&note_text(store, note.event), NOTE_SIZE, inner);
        y += line_h;
        runs.push(TextRun {
            x: MARGIN + 18.0,
            y,
            text: note.number.to_string(),
            size: NOTE_SIZE,
            paint: Paint::solid(theme.weak_text()),
            anchor: Anchor::End,
            role: "note-number",
        });
        for (k, line) in note.lines.iter().enumerate() {
            if k > 0 {
                y += line_h;
            }
            runs.push(TextRun {
                x: MARGIN + 24.0,
                y,
                text: line.clone(),
                size: NOTE_SIZE,
                paint: Paint::solid(theme.text()),
                anchor: Anchor::Start,
                role: "note",
            });
        }
    }
    scene.texts.extend(runs);
    y + 8.0
}

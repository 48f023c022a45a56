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
mod frame;
mod items;
mod legend;

pub use crate::timeline::metrics::AXIS_H;
use frame::{axis_labels, eras_and_grid};
use items::draw_lanes;
use legend::{legend, notes, number_labels};
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
    /// The moment drawn as "today" where it is in range (now, unless a
    /// test fixes it so the picture does not change with the clock).
    pub today: Instant,
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
            today: to_instant(chrono::Local::now().naive_local()),
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

impl SceneItem {
    /// A layout item's shapes and texts; its lane and event id are set by
    /// the lane that draws it.
    fn of(it: &Item, shapes: Vec<Shape>, texts: Vec<TextRun>) -> SceneItem {
        SceneItem {
            lane: 0,
            part: LayoutPart::Item(*it),
            event_id: None,
            shapes,
            texts,
        }
    }
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
    heading(&mut scene, inputs, opts);
    let (t0, t1) = opts.range;

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

    let labelled = draw_lanes(&mut scene, inputs, opts, &axis, &lane_rows);
    eras_and_grid(&mut scene, store, &axis, theme, opts.today);
    axis_labels(
        &mut scene,
        &axis,
        axis_top,
        lanes_title(lanes.grouping),
        theme,
    );
    let notes_y = legend(&mut scene, inputs, &axis, body_bottom + 24.0, theme);
    number_labels(&mut scene, labelled);
    let notes_y = notes(&mut scene, store, notes_y, theme);
    footer(&mut scene, opts, notes_y);
    scene
}

/// The heading: the title (with the page for PDF slices), then the range
/// and what the picture shows.
fn heading(scene: &mut Scene, inputs: &Inputs<'_>, opts: &Options) {
    let (theme, lanes) = (opts.theme, inputs.lanes);
    let text = Paint::solid(theme.text());
    let weak = Paint::solid(theme.weak_text());
    let (t0, t1) = opts.range;
    let inner_w = scene.width - 2.0 * MARGIN;
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
}

/// The footer (the dataset and the export's date), and the picture's
/// height below it.
fn footer(scene: &mut Scene, opts: &Options, notes_y: f32) {
    let inner_w = scene.width - 2.0 * MARGIN;
    let weak = Paint::solid(opts.theme.weak_text());
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
}

fn label_y(cy: f32, size: f32) -> f32 {
    // Baseline that centres the font's x-height-ish body on `cy`.
    cy + size * 0.35
}

//! The lanes' items as shapes and texts: points, spans, folds and
//! density columns, each lane's header, and the lines joining an event's
//! marks in several lanes.

use super::*;

/// Every lane: its stripe, header and layout, drawn as items; then the
/// lines joining an event's marks in several lanes. Returns the labelled
/// items (anchor, lane, item index) for the notes' numbering.
pub(super) fn draw_lanes(
    scene: &mut Scene,
    inputs: &Inputs<'_>,
    opts: &Options,
    axis: &TimeAxis,
    lane_rows: &dyn Fn(usize) -> usize,
) -> Vec<(Instant, usize, usize)> {
    let (theme, store, lanes) = (opts.theme, inputs.store, inputs.lanes);
    let axis = *axis;
    let [body_left, body_top, body_right, _] = scene.body;
    let grid = Paint::solid(theme.grid());
    let rect = |x0: f32, y0: f32, x1: f32, y1: f32, paint: Paint| Shape::Rect {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
        paint,
    };
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
        lane_header(scene, lane, y, theme);
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
                    ItemKind::Span(ix) => span(inputs, &axis, scene, it, ix, cy, theme),
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

    labelled
}

pub(super) fn lane_header(scene: &mut Scene, lane: &crate::store::Lane, top: f32, theme: Theme) {
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

pub(super) fn it_event(it: &Item) -> Option<EventIx> {
    match it.kind {
        ItemKind::Point(ix) | ItemKind::Span(ix) => Some(ix),
        ItemKind::Fold { .. } => None,
    }
}

/// An item's title after its right end `x`, cut to `room`; none where
/// too little of it would show.
pub(super) fn label_after(
    title: &str,
    x: f32,
    room: f32,
    cy: f32,
    theme: Theme,
) -> Option<TextRun> {
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

pub(super) fn point(
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
    SceneItem::of(it, shapes, texts)
}

pub(super) fn span(
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
    SceneItem::of(it, shapes, texts)
}

pub(super) fn fold(
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
    SceneItem::of(it, shapes, texts)
}

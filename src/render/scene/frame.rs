//! Around the items: eras as bands, grid lines, today, and the axis with
//! its tick and context labels.

use super::*;

/// Eras as bands with their names; a grid line at every tick; today.
pub(super) fn eras_and_grid(
    scene: &mut Scene,
    store: &Store,
    axis: &TimeAxis,
    theme: Theme,
    today: Instant,
) {
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
pub(super) fn axis_labels(
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

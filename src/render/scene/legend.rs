//! Below the lanes: the legend of the kinds in view, and the numbered
//! notes that give each labelled event's date, title and sources.

use super::*;

/// The kinds of the events in view, each with its colour and glyph, in a
/// row that wraps. Returns the y below it.
pub(super) fn legend(
    scene: &mut Scene,
    inputs: &Inputs<'_>,
    axis: &TimeAxis,
    y: f32,
    theme: Theme,
) -> f32 {
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

/// Number the labelled events in time order; each label carries its
/// event's number, and the event gets a note (once, though it may be drawn
/// in several lanes).
pub(super) fn number_labels(scene: &mut Scene, mut labelled: Vec<(Instant, usize, usize)>) {
    labelled.sort();
    let mut numbered: HashSet<EventIx> = HashSet::new();
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
}

/// The note text of one event: date, title, then its sources.
pub(super) fn note_text(store: &Store, ix: EventIx) -> String {
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
pub(super) fn notes(scene: &mut Scene, store: &Store, y: f32, theme: Theme) -> f32 {
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

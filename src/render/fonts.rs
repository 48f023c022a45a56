//! The one font of every export: Ubuntu Light, which egui already ships.
//! Loaded into usvg's font database (so PNG and PDF need no system fonts)
//! and measured here (so labels are cut and notes wrapped to real widths).

use std::sync::{Arc, OnceLock};

use resvg::usvg::fontdb;

pub const FONT_DATA: &[u8] = epaint_default_fonts::UBUNTU_LIGHT;

/// Advance widths in font units per em, by character, and the font's
/// units per em. Characters the font lacks are measured as an `n`.
struct Metrics {
    units_per_em: f32,
    ascii: [f32; 128],
    face: Option<ttf_parser::Face<'static>>,
    fallback: f32,
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let face = ttf_parser::Face::parse(FONT_DATA, 0).ok();
        let units_per_em = face.as_ref().map_or(1000.0, |f| f.units_per_em() as f32);
        let advance = |face: &ttf_parser::Face<'_>, c: char| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map(|a| a as f32)
        };
        let fallback = face
            .as_ref()
            .and_then(|f| advance(f, 'n'))
            .unwrap_or(units_per_em * 0.5);
        let mut ascii = [fallback; 128];
        if let Some(f) = &face {
            for (i, slot) in ascii.iter_mut().enumerate() {
                if let Some(a) = advance(f, i as u8 as char) {
                    *slot = a;
                }
            }
        }
        Metrics {
            units_per_em,
            ascii,
            face,
            fallback,
        }
    })
}

/// Width of `text` set in the export font at `size` pixels.
pub fn text_width(text: &str, size: f32) -> f32 {
    let m = metrics();
    let units: f32 = text
        .chars()
        .map(|c| {
            if (c as u32) < 128 {
                m.ascii[c as usize]
            } else {
                m.face
                    .as_ref()
                    .and_then(|f| f.glyph_index(c).and_then(|g| f.glyph_hor_advance(g)))
                    .map_or(m.fallback, |a| a as f32)
            }
        })
        .sum();
    units / m.units_per_em * size
}

/// `text` cut to `max_width` with an ellipsis; empty when not even the
/// ellipsis and one character fit.
pub fn elide(text: &str, size: f32, max_width: f32) -> String {
    if text_width(text, size) <= max_width {
        return text.to_owned();
    }
    let ellipsis = text_width("…", size);
    let mut width = ellipsis;
    let mut out = String::new();
    for c in text.chars() {
        let w = text_width(c.encode_utf8(&mut [0; 4]), size);
        if width + w > max_width {
            break;
        }
        width += w;
        out.push(c);
    }
    let trimmed = out.trim_end();
    if trimmed.is_empty() {
        return String::new();
    }
    format!("{trimmed}…")
}

/// `text` broken into lines no wider than `max_width`, at spaces where
/// possible.
pub fn wrap(text: &str, size: f32, max_width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size) <= max_width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_owned();
        }
        // A single word wider than the line (a long URL): cut it.
        while text_width(&line, size) > max_width && line.chars().count() > 1 {
            let mut cut = String::new();
            let mut rest = String::new();
            for c in line.chars() {
                if rest.is_empty() && text_width(&format!("{cut}{c}"), size) <= max_width {
                    cut.push(c);
                } else {
                    rest.push(c);
                }
            }
            if cut.is_empty() {
                break;
            }
            lines.push(cut);
            line = rest;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A font database holding only the export font, and the family name to
/// ask it for.
pub fn database() -> (Arc<fontdb::Database>, String) {
    static DB: OnceLock<(Arc<fontdb::Database>, String)> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(FONT_DATA.to_vec());
        let family = db
            .faces()
            .next()
            .and_then(|f| f.families.first().map(|(name, _)| name.clone()))
            .unwrap_or_else(|| "Ubuntu".to_owned());
        db.set_sans_serif_family(family.clone());
        (Arc::new(db), family)
    })
    .clone()
}

/// The family the SVG asks for: ours first, then any sans-serif.
pub fn svg_font_family() -> String {
    format!("'{}', Ubuntu, sans-serif", database().1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_grow_with_text_and_size() {
        let a = text_width("Ceasefire", 12.0);
        assert!(a > 30.0 && a < 80.0, "{a}");
        assert!((text_width("Ceasefire", 24.0) - 2.0 * a).abs() < 0.01);
        assert!(text_width("WWW", 12.0) > text_width("iii", 12.0));
    }

    #[test]
    fn elision_fits_the_width() {
        let long = "Azerbaijan says it took several heights in Lachin";
        let cut = elide(long, 12.0, 100.0);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(text_width(&cut, 12.0) <= 100.0);
        assert_eq!(elide("Short", 12.0, 100.0), "Short");
        assert_eq!(elide(long, 12.0, 3.0), "");
    }

    #[test]
    fn wrapping_keeps_every_word_within_the_width() {
        let text = "Armenian Defence Ministry says two soldiers killed https://example.org/a/very/long/path/that/does/not/fit";
        let lines = wrap(text, 11.0, 150.0);
        assert!(lines.len() >= 3, "{lines:?}");
        for l in &lines {
            assert!(text_width(l, 11.0) <= 150.0, "{l}");
        }
        let joined: String = lines.concat();
        assert_eq!(joined.replace(' ', ""), text.replace(' ', ""));
    }

    #[test]
    fn the_database_holds_the_font() {
        let (db, family) = database();
        assert_eq!(db.len(), 1);
        assert!(family.contains("Ubuntu"), "{family}");
    }
}

//! The scene as SVG text: one `<g class="item …">` per layout item (its
//! shapes and its label inside), real `<text>` for every word, and a
//! clip so that marks stay in the lanes' area.

use std::fmt::Write;

use super::fonts::svg_font_family;
use super::scene::{Anchor, Paint, Scene, Shape, TextRun};

/// `&`, `<`, `>` and quotes as entities; control characters dropped (they
/// are not allowed in XML).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Numbers with at most two decimals: small files, exact enough.
struct N(f32);

impl std::fmt::Display for N {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = if self.0.is_finite() { self.0 } else { 0.0 };
        let r = (v * 100.0).round() / 100.0;
        if r == r.trunc() {
            write!(f, "{}", r as i64)
        } else {
            write!(f, "{r}")
        }
    }
}

fn color(p: Paint) -> String {
    format!("#{:02x}{:02x}{:02x}", p.rgb.0, p.rgb.1, p.rgb.2)
}

fn fill(p: Paint) -> String {
    if p.alpha >= 0.999 {
        format!("fill=\"{}\"", color(p))
    } else {
        format!(
            "fill=\"{}\" fill-opacity=\"{}\"",
            color(p),
            N(p.alpha.clamp(0.0, 1.0))
        )
    }
}

fn stroke(p: Paint, width: f32) -> String {
    let mut s = format!("stroke=\"{}\" stroke-width=\"{}\"", color(p), N(width));
    if p.alpha < 0.999 {
        let _ = write!(s, " stroke-opacity=\"{}\"", N(p.alpha.clamp(0.0, 1.0)));
    }
    s
}

fn shape(out: &mut String, s: &Shape) {
    match s {
        Shape::Rect { x, y, w, h, paint } => {
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {}/>",
                N(*x),
                N(*y),
                N(w.max(0.0)),
                N(h.max(0.0)),
                fill(*paint)
            );
        }
        Shape::Outline {
            x,
            y,
            w,
            h,
            width,
            paint,
        } => {
            let half = width / 2.0;
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" {}/>",
                N(x + half),
                N(y + half),
                N((w - width).max(0.0)),
                N((h - width).max(0.0)),
                stroke(*paint, *width)
            );
        }
        Shape::Glyph {
            glyph,
            polygons,
            paint,
        } => {
            // Outer polygons and holes in one path: even-odd cuts the holes.
            let mut d = String::new();
            for p in polygons {
                for (k, v) in p.points.iter().enumerate() {
                    let _ = write!(
                        d,
                        "{}{} {}",
                        if k == 0 { "M" } else { "L" },
                        N(v[0]),
                        N(v[1])
                    );
                }
                d.push('Z');
            }
            let rule = if polygons.iter().any(|p| p.hole) {
                " fill-rule=\"evenodd\""
            } else {
                ""
            };
            let name = format!("{glyph:?}").to_lowercase();
            let _ = writeln!(
                out,
                "<path class=\"glyph {name}\" d=\"{d}\" {}{rule}/>",
                fill(*paint)
            );
        }
        Shape::Line {
            x0,
            y0,
            x1,
            y1,
            width,
            paint,
        } => {
            let _ = writeln!(
                out,
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>",
                N(*x0),
                N(*y0),
                N(*x1),
                N(*y1),
                stroke(*paint, *width)
            );
        }
    }
}

fn text(out: &mut String, t: &TextRun) {
    if t.text.is_empty() {
        return;
    }
    let anchor = match t.anchor {
        Anchor::Start => "",
        Anchor::Middle => " text-anchor=\"middle\"",
        Anchor::End => " text-anchor=\"end\"",
    };
    let _ = writeln!(
        out,
        "<text class=\"{}\" x=\"{}\" y=\"{}\" font-size=\"{}\" {}{anchor}>{}</text>",
        t.role,
        N(t.x),
        N(t.y),
        N(t.size),
        fill(t.paint),
        escape(&t.text)
    );
}

/// The scene as a standalone SVG document.
pub fn write(scene: &Scene, title: &str) -> String {
    let mut out = String::with_capacity(256 + scene.items.len() * 200);
    let (w, h) = (N(scene.width), N(scene.height));
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\" font-family=\"{}\">",
        escape(&svg_font_family())
    );
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let [bx0, by0, bx1, by1] = scene.body;
    let _ = writeln!(
        out,
        "<defs><clipPath id=\"lanes\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs>",
        N(bx0),
        N(by0),
        N(bx1 - bx0),
        N(by1 - by0)
    );
    out.push_str("<g id=\"background\">\n");
    for s in &scene.background {
        shape(&mut out, s);
    }
    out.push_str("</g>\n<g id=\"grid\" clip-path=\"url(#lanes)\">\n");
    for s in &scene.grid {
        shape(&mut out, s);
    }
    out.push_str("</g>\n<g id=\"items\" clip-path=\"url(#lanes)\">\n");
    for (n, item) in scene.items.iter().enumerate() {
        let _ = write!(
            out,
            "<g id=\"item-{n}\" class=\"item {}\"",
            item.part.class()
        );
        if let Some(id) = &item.event_id {
            let _ = write!(out, " data-event=\"{}\"", escape(id));
        }
        out.push_str(">\n");
        for s in &item.shapes {
            shape(&mut out, s);
        }
        for t in &item.texts {
            text(&mut out, t);
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n<g id=\"overlay\">\n");
    for s in &scene.overlay {
        shape(&mut out, s);
    }
    out.push_str("</g>\n<g id=\"text\">\n");
    for t in &scene.texts {
        text(&mut out, t);
    }
    out.push_str("</g>\n</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot; ");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(N(3.0).to_string(), "3");
        assert_eq!(N(1.23456).to_string(), "1.23");
        assert_eq!(N(f32::NAN).to_string(), "0");
    }
}

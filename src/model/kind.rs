//! The viewer's small vocabulary of event kinds, and dataset-defined kinds.

use serde::{Deserialize, Serialize};

/// A shape that tells kinds apart without relying on colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Glyph {
    #[default]
    Circle,
    Ring,
    Square,
    Diamond,
    TriangleUp,
    TriangleDown,
    Cross,
    Star,
    Flag,
    Hexagon,
}

impl Glyph {
    /// Every glyph, in declaration order.
    pub const ALL: [Glyph; 10] = [
        Glyph::Circle,
        Glyph::Ring,
        Glyph::Square,
        Glyph::Diamond,
        Glyph::TriangleUp,
        Glyph::TriangleDown,
        Glyph::Cross,
        Glyph::Star,
        Glyph::Flag,
        Glyph::Hexagon,
    ];
}

/// An sRGB colour, written `#rrggbb` in files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.trim().strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
    }

    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

impl Serialize for Rgb {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Rgb {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Rgb::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("`{text}` is not a colour like #1f77b4"))
        })
    }
}

/// How a kind is shown: its label, colour and glyph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindDef {
    pub id: String,
    pub label: String,
    pub color: Rgb,
    #[serde(default)]
    pub glyph: Glyph,
}

/// The built-in vocabulary, in display order. Colours are chosen to stay
/// distinct on light and dark backgrounds; glyphs differ too.
pub const BUILTIN_KINDS: [(&str, &str, Rgb, Glyph); 10] = [
    ("call", "Call", Rgb(0x1f, 0x77, 0xb4), Glyph::Circle),
    ("meeting", "Meeting", Rgb(0x17, 0xa2, 0xb8), Glyph::Square),
    (
        "statement",
        "Statement",
        Rgb(0x94, 0x67, 0xbd),
        Glyph::Diamond,
    ),
    ("clash", "Clash", Rgb(0xd6, 0x27, 0x28), Glyph::Cross),
    (
        "strike",
        "Strike",
        Rgb(0xff, 0x7f, 0x0e),
        Glyph::TriangleDown,
    ),
    (
        "truce",
        "Truce / ceasefire",
        Rgb(0x2c, 0xa0, 0x2c),
        Glyph::Flag,
    ),
    (
        "agreement",
        "Agreement",
        Rgb(0x8c, 0xb8, 0x2c),
        Glyph::Hexagon,
    ),
    (
        "deployment",
        "Deployment",
        Rgb(0x8c, 0x56, 0x4b),
        Glyph::TriangleUp,
    ),
    (
        "territorial",
        "Territorial change",
        Rgb(0xe3, 0x77, 0xc2),
        Glyph::Star,
    ),
    ("other", "Other", Rgb(0x7f, 0x7f, 0x7f), Glyph::Ring),
];

pub fn builtin_kinds() -> Vec<KindDef> {
    BUILTIN_KINDS
        .iter()
        .map(|(id, label, color, glyph)| KindDef {
            id: (*id).to_string(),
            label: (*label).to_string(),
            color: *color,
            glyph: *glyph,
        })
        .collect()
}

/// A stable fallback look for a kind no one defined.
pub fn fallback_kind(id: &str) -> KindDef {
    // FNV-1a: a stable hash so the same unknown kind keeps its colour.
    let mut h: u32 = 0x811c9dc5;
    for b in id.bytes() {
        h = (h ^ b as u32).wrapping_mul(0x01000193);
    }
    let glyphs = [
        Glyph::Circle,
        Glyph::Square,
        Glyph::Diamond,
        Glyph::TriangleUp,
        Glyph::Hexagon,
    ];
    KindDef {
        id: id.to_string(),
        label: id.to_string(),
        color: Rgb(
            60 + (h & 0x7f) as u8,
            60 + ((h >> 8) & 0x7f) as u8,
            60 + ((h >> 16) & 0x7f) as u8,
        ),
        glyph: glyphs[(h >> 24) as usize % glyphs.len()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_round_trip() {
        let c = Rgb::parse("#1F77b4").unwrap();
        assert_eq!(c, Rgb(0x1f, 0x77, 0xb4));
        assert_eq!(c.to_hex(), "#1f77b4");
        assert!(Rgb::parse("1f77b4").is_none());
        assert!(Rgb::parse("#1f77").is_none());
        assert!(Rgb::parse("#ééé").is_none());
    }

    #[test]
    fn builtin_glyphs_are_distinct() {
        let kinds = builtin_kinds();
        for (i, a) in kinds.iter().enumerate() {
            for b in &kinds[i + 1..] {
                assert_ne!(a.glyph, b.glyph, "{} and {}", a.id, b.id);
                assert_ne!(a.color, b.color);
            }
        }
    }

    #[test]
    fn fallback_is_stable() {
        assert_eq!(fallback_kind("protest"), fallback_kind("protest"));
    }
}

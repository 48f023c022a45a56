//! Colours and number formats shared by every panel.

use egui::{Color32, ThemePreference, Visuals};

use crate::model::Rgb;
pub use crate::timeline::labels::{plural, thousands};
use crate::timeline::palette::{self, Theme};

/// A kind's (or lane's, or era's) colour on screen.
pub fn color(rgb: Rgb) -> Color32 {
    egui_color(rgb)
}

const fn egui_color(rgb: Rgb) -> Color32 {
    Color32::from_rgb(rgb.0, rgb.1, rgb.2)
}

// The shared palette (`timeline::palette`), so exports match the window.
/// Lanes without a colour of their own (actors, countries, files).
pub const NEUTRAL_LANE: Color32 = egui_color(palette::NEUTRAL_LANE);
/// Eras without a colour of their own.
pub const DEFAULT_ERA: Color32 = egui_color(palette::DEFAULT_ERA);
/// The ring around search matches.
pub const SEARCH_MARK: Color32 = egui_color(palette::SEARCH_MARK);
/// The star beside starred events.
pub const STAR_MARK: Color32 = egui_color(palette::STAR_MARK);
/// The "today" line.
pub const TODAY: Color32 = egui_color(palette::TODAY);

fn theme_of(visuals: &Visuals) -> Theme {
    if visuals.dark_mode {
        Theme::Dark
    } else {
        Theme::Light
    }
}

/// The selected event's halo: warm and readable on either theme.
pub fn highlight(visuals: &Visuals) -> Color32 {
    egui_color(theme_of(visuals).highlight())
}

/// Every other lane's background stripe.
pub fn stripe(visuals: &Visuals) -> Color32 {
    egui_color(theme_of(visuals).stripe())
}

/// Grid lines and separators.
pub fn grid(visuals: &Visuals) -> Color32 {
    egui_color(theme_of(visuals).grid())
}

pub fn theme_label(t: ThemePreference) -> &'static str {
    match t {
        ThemePreference::System => "System",
        ThemePreference::Light => "Light",
        ThemePreference::Dark => "Dark",
    }
}

/// A file name made from a dataset title.
pub fn file_stem_of_title(title: &str) -> String {
    let s: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() { "dataset".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_from_titles() {
        assert_eq!(
            file_stem_of_title("Nagorno-Karabakh, August 2022 (RFE/RL)"),
            "Nagorno-Karabakh--August-2022--RFE-RL"
        );
        assert_eq!(file_stem_of_title("///"), "dataset");
    }
}

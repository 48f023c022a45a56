//! The colours every painter shares, as plain RGB (the window turns them
//! into egui colours in `ui::style`, the writers into SVG colours).

use crate::model::Rgb;

/// Lanes without a colour of their own (actors, countries, files).
pub const NEUTRAL_LANE: Rgb = Rgb(110, 120, 140);
/// Eras without a colour of their own.
pub const DEFAULT_ERA: Rgb = Rgb(214, 39, 40);
/// The ring around search matches.
pub const SEARCH_MARK: Rgb = Rgb(0, 190, 255);
/// The star beside starred events.
pub const STAR_MARK: Rgb = Rgb(255, 190, 0);
/// The "today" line.
pub const TODAY: Rgb = Rgb(220, 60, 60);

/// Light or dark: the background and text colours of a picture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl Theme {
    pub fn parse_name(name: &str) -> Option<Theme> {
        match name.to_ascii_lowercase().as_str() {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn is_dark(self) -> bool {
        self == Theme::Dark
    }

    /// The page (egui's `extreme_bg_color` for the lanes' area).
    pub fn background(self) -> Rgb {
        match self {
            Theme::Light => Rgb(255, 255, 255),
            Theme::Dark => Rgb(10, 10, 10),
        }
    }

    /// Axis and header panels.
    pub fn panel(self) -> Rgb {
        match self {
            Theme::Light => Rgb(248, 248, 248),
            Theme::Dark => Rgb(27, 27, 27),
        }
    }

    pub fn text(self) -> Rgb {
        match self {
            Theme::Light => Rgb(30, 30, 30),
            Theme::Dark => Rgb(225, 225, 225),
        }
    }

    pub fn weak_text(self) -> Rgb {
        match self {
            Theme::Light => Rgb(105, 105, 105),
            Theme::Dark => Rgb(150, 150, 150),
        }
    }

    /// The selected event's halo: warm and readable on either theme.
    pub fn highlight(self) -> Rgb {
        match self {
            Theme::Light => Rgb(230, 120, 0),
            Theme::Dark => Rgb(255, 210, 60),
        }
    }

    /// Every other lane's background stripe.
    pub fn stripe(self) -> Rgb {
        match self {
            Theme::Light => Rgb(244, 244, 244),
            Theme::Dark => Rgb(36, 36, 36),
        }
    }

    /// Grid lines and separators.
    pub fn grid(self) -> Rgb {
        match self {
            Theme::Light => Rgb(222, 222, 222),
            Theme::Dark => Rgb(55, 55, 55),
        }
    }
}

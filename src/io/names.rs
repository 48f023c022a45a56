//! Names made from text: a file's name for messages and titles, kind ids
//! made from free text, the country an actor's name points to.

use std::path::Path;

/// The file name alone, for messages and lane names.
pub fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// A kind id made from free text: lower-case words joined by `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The country an actor's name points to: `Military Forces of Azerbaijan
/// (2003-)` → Azerbaijan, `Protesters (Armenia)` → Armenia.
pub fn country_in(name: &str) -> Option<&str> {
    let name = name.trim();
    // A trailing parenthesis: a country unless it holds years.
    // Names are short: a plain scan of their bytes beats setting up a
    // substring searcher, and this runs for every actor of every row.
    let last = |needle: &[u8]| {
        name.as_bytes()
            .windows(needle.len())
            .rposition(|w| w == needle)
    };
    let paren_at = if name.ends_with(')') {
        last(b" (")
    } else {
        None
    };
    let (base, paren) = match paren_at {
        Some(i) => (&name[..i], Some(&name[i + 2..name.len() - 1])),
        None => (name, None),
    };
    let looks_like_name = |s: &str| {
        let s = s.trim();
        !s.is_empty()
            && s.len() <= 40
            && s.chars().next().is_some_and(char::is_uppercase)
            && !s.chars().any(|c| c.is_ascii_digit())
    };
    if let Some(p) = paren
        && looks_like_name(p)
    {
        return Some(p.trim());
    }
    let of = base.as_bytes().windows(4).rposition(|w| w == b" of ")?;
    let after = &base[of + 4..];
    looks_like_name(after).then(|| after.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_in_actor_names() {
        assert_eq!(
            country_in("Military Forces of Azerbaijan (2003-)"),
            Some("Azerbaijan")
        );
        assert_eq!(country_in("Protesters (Armenia)"), Some("Armenia"));
        assert_eq!(country_in("Government of Armenia"), Some("Armenia"));
        assert_eq!(country_in("Rioters"), None);
        assert_eq!(country_in("Sheikh of the tribe"), None);
        assert_eq!(country_in("("), None);
    }

    #[test]
    fn slugs_are_bounded() {
        assert_eq!(slug("  Prisoner   Exchange! "), "prisoner-exchange");
        assert!(slug(&"ab ".repeat(100)).len() <= 41);
        assert_eq!(slug("Выборы 2022"), "выборы-2022");
    }
}

//! The one place where each format's codes and each keyword become a
//! viewer kind. Every importer asks here, so the same words or codes get
//! the same kind whichever file they came in. The tables are written down
//! in `docs/CLASSIFY.md`; `tests/it/classify_table.rs` checks every row of
//! that document against these functions. The kinds those codes name
//! beyond the built-ins (violence, protest, riot) are defined here too.

use crate::model::{Glyph, KindDef, Rgb};

/// The tag added to an event that breaks a ceasefire (CAMEO 196, or words
/// such as "violates the ceasefire"): the event keeps its kind (a clash or
/// a strike) and can be found by this tag.
pub const CEASEFIRE_VIOLATION: &str = "ceasefire-violation";

/// A kind, and whether the event breaks a ceasefire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Class {
    pub kind: &'static str,
    pub ceasefire_violation: bool,
}

impl Class {
    pub const fn of(kind: &'static str) -> Class {
        Class {
            kind,
            ceasefire_violation: false,
        }
    }

    const fn violation(kind: &'static str) -> Class {
        Class {
            kind,
            ceasefire_violation: true,
        }
    }

    /// The tags this class adds to an event.
    pub fn tags(&self) -> impl Iterator<Item = &'static str> {
        self.ceasefire_violation
            .then_some(CEASEFIRE_VIOLATION)
            .into_iter()
    }

    /// Set `event`'s kind and add this class's tags it lacks.
    pub fn apply(&self, event: &mut crate::model::Event) {
        event.kind = self.kind.to_string();
        for tag in self.tags() {
            if !event.tags.iter().any(|t| t == tag) {
                event.tags.push(tag.to_string());
            }
        }
    }
}

// ---------------------------------------------------------------- CAMEO --

/// The kind for a CAMEO event code (`041`, `0871`, `195`, or a two-digit
/// root code such as `19`). Only `0871` (declare truce, ceasefire) is a
/// truce: the rest of `086`/`087` allow international involvement, ease a
/// blockade, demobilise or retreat. `196` (violate ceasefire) is a clash
/// tagged [`CEASEFIRE_VIOLATION`].
pub fn cameo(code: &str) -> Class {
    let code = code.trim();
    if code.len() < 2 || code.len() > 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Class::of("other");
    }
    let root = &code[..2];
    let base = code.get(..3);
    let kind = match (root, base, code) {
        (_, _, "0871") => "truce",
        (_, _, "0861") => "deployment",
        (_, Some("196"), _) => return Class::violation("clash"),
        (_, Some("041"), _) => "call",
        (_, Some("036"), _) | ("04", _, _) => "meeting",
        ("01" | "02" | "03" | "10" | "11" | "12" | "13" | "16", _, _) => "statement",
        ("05" | "06", _, _) => "agreement",
        (_, Some("195"), _) => "strike",
        (_, Some("192"), _) => "territorial",
        ("18" | "19" | "20", _, _) => "clash",
        ("15", _, _) => "deployment",
        _ => "other",
    };
    Class::of(kind)
}

// ---------------------------------------------------------------- ACLED --

/// The kind for an ACLED `event_type` and `sub_event_type`. `notes` tells a
/// ceasefire from other agreements, and marks violent events that broke a
/// ceasefire.
pub fn acled(event_type: &str, sub_event_type: &str, notes: &str) -> Class {
    let (mut t_buf, mut s_buf) = ([0u8; 64], [0u8; 64]);
    let t = ascii_lower(event_type.trim(), &mut t_buf);
    let s = ascii_lower(sub_event_type.trim(), &mut s_buf);
    let kind = match &*t {
        "battles" | "battle" => match &*s {
            "government regains territory" | "non-state actor overtakes territory" => "territorial",
            _ => "clash",
        },
        "explosions/remote violence" | "remote violence" => "strike",
        "violence against civilians" => "violence",
        "protests" => "protest",
        "riots" => "riot",
        "strategic developments" | "strategic development" => match &*s {
            "agreement" if names_truce(notes) && Words::new(notes).truce() => "truce",
            "agreement" => "agreement",
            "non-violent transfer of territory" => "territorial",
            "headquarters or base established" => "deployment",
            _ => "other",
        },
        // Legacy event types (before the 2019 overhaul).
        "battle-no change of territory" => "clash",
        "battle-government regains territory" | "battle-non-state actor overtakes territory" => {
            "territorial"
        }
        "riots/protests" => "protest",
        "non-violent transfer of territory" => "territorial",
        "headquarters or base established" => "deployment",
        _ => "other",
    };
    let violent = matches!(kind, "clash" | "strike" | "violence" | "territorial");
    Class {
        kind,
        ceasefire_violation: violent
            && names_truce(notes)
            && Words::new(notes).ceasefire_violation(),
    }
}

/// `text` in ASCII lower case, in `buf` when it fits (this runs for every
/// row of an export: no allocation for the usual short type names).
fn ascii_lower<'b>(text: &str, buf: &'b mut [u8; 64]) -> std::borrow::Cow<'b, str> {
    let Some(out) = buf.get_mut(..text.len()) else {
        return std::borrow::Cow::Owned(text.to_ascii_lowercase());
    };
    out.copy_from_slice(text.as_bytes());
    out.make_ascii_lowercase();
    // Lower-casing ASCII bytes keeps UTF-8 valid, so this never fails.
    match std::str::from_utf8(out) {
        Ok(lower) => std::borrow::Cow::Borrowed(lower),
        Err(_) => std::borrow::Cow::Owned(text.to_ascii_lowercase()),
    }
}

/// A quick look, without allocating, for a word that starts a truce word
/// (`cease`, `truce`, `armistice` in lower, title or upper case): most
/// ACLED notes have none, and splitting every note into words would be
/// most of the classifier's cost.
fn names_truce(text: &str) -> bool {
    static FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::LazyLock::new(|| {
            [
                "cease",
                "Cease",
                "CEASE",
                "truce",
                "Truce",
                "TRUCE",
                "armistice",
                "Armistice",
                "ARMISTICE",
            ]
            .into_iter()
            .map(memchr::memmem::Finder::new)
            .collect()
        });
    FINDERS.iter().any(|f| f.find(text.as_bytes()).is_some())
}

// ----------------------------------------------------------------- UCDP --

/// The kind for UCDP's `type_of_violence`: 1 state-based and 2 non-state
/// conflict are clashes, 3 one-sided violence is violence against
/// civilians. `None` for any other value.
pub fn ucdp(type_of_violence: &str) -> Option<Class> {
    match type_of_violence.trim() {
        "1" | "2" => Some(Class::of("clash")),
        "3" => Some(Class::of("violence")),
        _ => None,
    }
}

// ------------------------------------------------------------- keywords --

/// The words of a text, lower-case, split at anything but letters, digits
/// and hyphens.
struct Words {
    words: Vec<String>,
}

const VIOLATION: &[&str] = &[
    "violate",
    "violated",
    "violates",
    "violating",
    "violation",
    "violations",
    "breach",
    "breached",
    "breaches",
    "broke",
    "broken",
];
const TRUCE: &[&str] = &[
    "ceasefire",
    "ceasefires",
    "cease-fire",
    "cease-fires",
    "truce",
    "truces",
    "armistice",
];
const STRIKE: &[&str] = &[
    "strike",
    "strikes",
    "airstrike",
    "airstrikes",
    "air-strike",
    "shelling",
    "shelled",
    "shells",
    "bombardment",
    "bombing",
    "bombed",
    "drone",
    "drones",
    "missile",
    "missiles",
    "artillery",
];
const CLASH: &[&str] = &[
    "clash",
    "clashes",
    "clashed",
    "fighting",
    "fight",
    "fights",
    "battle",
    "battles",
    "skirmish",
    "skirmishes",
    "firefight",
    "attack",
    "attacks",
    "attacked",
    "offensive",
    "combat",
];
const TERRITORIAL: &[&str] = &[
    "territory",
    "territories",
    "territorial",
    "ceded",
    "cede",
    "cedes",
    "handover",
    "annexed",
    "annexation",
];
const DEPLOYMENT: &[&str] = &[
    "deployment",
    "deployments",
    "deployed",
    "deploy",
    "deploys",
    "peacekeepers",
    "peacekeeping",
    "troops",
];
const AGREEMENT: &[&str] = &[
    "agreement",
    "agreements",
    "deal",
    "accord",
    "accords",
    "treaty",
    "signed",
    "memorandum",
];
const CALL: &[&str] = &[
    "call",
    "calls",
    "called",
    "phone",
    "phoned",
    "telephone",
    "telephoned",
    "phone-call",
];
const MEETING: &[&str] = &[
    "meeting",
    "meetings",
    "meet",
    "meets",
    "met",
    "talks",
    "summit",
    "visit",
    "visits",
    "visited",
    "negotiation",
    "negotiations",
];
const STATEMENT: &[&str] = &[
    "statement",
    "statements",
    "speech",
    "said",
    "says",
    "say",
    "announced",
    "announces",
    "declared",
    "declares",
    "warned",
    "warns",
    "accused",
    "accuses",
    "condemned",
    "condemns",
    "urged",
    "urges",
    "appeal",
    "appeals",
    "appealed",
];

impl Words {
    fn new(text: &str) -> Words {
        let lower = text.to_lowercase();
        let mut words: Vec<String> = lower
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .map(|w| w.trim_matches('-'))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        // "cease fire" written as two words is one.
        let mut i = 0;
        while i + 1 < words.len() {
            if words[i] == "cease" && matches!(words[i + 1].as_str(), "fire" | "fires") {
                words[i] = "ceasefire".into();
                words.remove(i + 1);
            }
            i += 1;
        }
        Words { words }
    }

    fn has(&self, set: &[&str]) -> bool {
        self.words.iter().any(|w| set.contains(&w.as_str()))
    }

    /// "calls for", "called on": an appeal, which is a statement, not a
    /// phone call (nor, for "calls for a ceasefire", a truce).
    fn call_for(&self) -> bool {
        self.words.windows(2).any(|p| {
            matches!(p[0].as_str(), "call" | "calls" | "called" | "calling")
                && matches!(p[1].as_str(), "for" | "on")
        })
    }

    fn ceasefire_violation(&self) -> bool {
        self.has(VIOLATION) && self.has(TRUCE)
    }

    /// A truce or ceasefire that is declared or agreed: named, and neither
    /// only called for nor broken.
    fn truce(&self) -> bool {
        self.has(TRUCE) && !self.call_for() && !self.has(VIOLATION)
    }
}

/// Whether a text says a ceasefire was broken ("each side accusing the
/// other of violating the cease-fire"): the test the importers tag
/// `ceasefire-violation` by, for texts read after import (descriptions,
/// source quotes).
pub fn says_ceasefire_violation(text: &str) -> bool {
    Words::new(text).ceasefire_violation()
}

/// The built-in kind that words (a headline, a type, a group or category
/// name) plainly name, or `None`. In order: a broken ceasefire (a strike
/// or clash, tagged); a call *for* something (a statement); a truce; a
/// strike; a clash; a territorial change; a deployment; an agreement; a
/// phone call; a meeting; a statement.
pub fn keywords(text: &str) -> Option<Class> {
    let w = Words::new(text);
    if w.ceasefire_violation() {
        let kind = if w.has(STRIKE) { "strike" } else { "clash" };
        return Some(Class::violation(kind));
    }
    let call_for = w.call_for();
    let kind = if call_for {
        "statement"
    } else if w.has(TRUCE) {
        "truce"
    } else if w.has(STRIKE) {
        "strike"
    } else if w.has(CLASH) {
        "clash"
    } else if w.has(TERRITORIAL) {
        "territorial"
    } else if w.has(DEPLOYMENT) {
        "deployment"
    } else if w.has(AGREEMENT) {
        "agreement"
    } else if w.has(CALL) {
        "call"
    } else if w.has(MEETING) {
        "meeting"
    } else if w.has(STATEMENT) {
        "statement"
    } else {
        return None;
    };
    Some(Class::of(kind))
}

/// The kind for a free type or category text: a built-in kind's own id
/// (`clash`), else what [`keywords`] finds, else `None` (the caller makes
/// a kind of its own from the text).
pub fn type_text(text: &str) -> Option<Class> {
    let t = text.trim().to_lowercase();
    if let Some((id, ..)) = crate::model::kind::BUILTIN_KINDS
        .iter()
        .find(|(id, ..)| *id == t)
    {
        return Some(Class::of(id));
    }
    keywords(&t)
}

/// The kind for a headline with a group (TimelineJS) or category
/// (Timeline): the headline's words first, then the group's; `other`.
pub fn headline_and_group(headline: &str, group: &str) -> Class {
    keywords(headline)
        .or_else(|| keywords(group))
        .unwrap_or(Class::of("other"))
}

/// Guess a built-in kind from words (a headline, a group or category
/// name); see [`keywords`]. `None` when no word says.
pub fn guess_kind(text: &str) -> Option<&'static str> {
    keywords(text).map(|c| c.kind)
}

// -------------------------------------------------------- dataset kinds --

/// Kinds the CSV importers use beyond the built-ins.
pub fn dataset_kind(id: &str) -> Option<KindDef> {
    let (label, color, glyph) = match id {
        "violence" => (
            "Violence against civilians",
            Rgb(0x8b, 0x00, 0x00),
            Glyph::Diamond,
        ),
        "protest" => ("Protest", Rgb(0xd4, 0xa0, 0x17), Glyph::Square),
        "riot" => ("Riot", Rgb(0xb3, 0x58, 0x06), Glyph::Hexagon),
        _ => return None,
    };
    Some(KindDef {
        id: id.to_string(),
        label: label.to_string(),
        color,
        glyph,
    })
}

/// The definitions of the non-built-in kinds in `used`, in first-use order.
pub fn kinds_used<'a>(used: impl IntoIterator<Item = &'a str>) -> Vec<KindDef> {
    let mut out: Vec<KindDef> = Vec::new();
    for id in used {
        if !out.iter().any(|k| k.id == id)
            && let Some(k) = dataset_kind(id)
        {
            out.push(k);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_0871_is_a_truce() {
        assert_eq!(cameo("0871").kind, "truce");
        for code in ["086", "0861", "0862", "0863", "087", "0872", "0873", "0874"] {
            assert_ne!(cameo(code).kind, "truce", "{code}");
        }
        assert_eq!(cameo("196"), Class::violation("clash"));
        assert_eq!(cameo("19").kind, "clash");
        assert_eq!(cameo("x1").kind, "other");
        assert_eq!(cameo("01234").kind, "other");
    }

    #[test]
    fn a_call_for_a_ceasefire_is_a_statement() {
        assert_eq!(
            keywords("Calls for ceasefire").map(|c| c.kind),
            Some("statement")
        );
        assert_eq!(
            type_text("Calls for ceasefire").map(|c| c.kind),
            Some("statement")
        );
        assert_eq!(
            keywords("Ceasefire announced").map(|c| c.kind),
            Some("truce")
        );
        assert_eq!(keywords("Cease fire agreed").map(|c| c.kind), Some("truce"));
        assert_eq!(
            keywords("Aliyev calls Pashinyan").map(|c| c.kind),
            Some("call")
        );
        let broken = keywords("Shelling violates the ceasefire");
        assert_eq!(broken, Some(Class::violation("strike")));
    }

    #[test]
    fn acled_agreements_and_violations() {
        assert_eq!(
            acled("Strategic developments", "Agreement", "A ceasefire began").kind,
            "truce"
        );
        assert_eq!(
            acled(
                "Strategic developments",
                "Agreement",
                "Calls for a ceasefire"
            )
            .kind,
            "agreement"
        );
        let c = acled("Battles", "Armed clash", "in violation of the ceasefire");
        assert_eq!(c, Class::violation("clash"));
        assert!(!acled("Battles", "Armed clash", "").ceasefire_violation);
    }

    #[test]
    fn kinds_from_words() {
        assert_eq!(guess_kind("Blinken phone call with Aliyev"), Some("call"));
        assert_eq!(guess_kind("Talks in Brussels"), Some("meeting"));
        assert_eq!(guess_kind("Ministry statement"), Some("statement"));
        assert_eq!(guess_kind("EU calls for restraint"), Some("statement"));
        assert_eq!(guess_kind("Fighting near Lachin"), Some("clash"));
        assert_eq!(guess_kind("Drone strike on positions"), Some("strike"));
        assert_eq!(
            guess_kind("Shelling violates the ceasefire"),
            Some("strike")
        );
        assert_eq!(guess_kind("Ceasefire announced"), Some("truce"));
        assert_eq!(guess_kind("Trilateral agreement"), Some("agreement"));
        assert_eq!(
            guess_kind("Russian peacekeepers arrive"),
            Some("deployment")
        );
        assert_eq!(guess_kind("Lachin ceded"), Some("territorial"));
        assert_eq!(guess_kind("Elections"), None);
    }
}

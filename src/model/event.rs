//! One event, kept lossless: everything an importer read has a home here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::date::{FuzzyDate, Instant, describe_span};

/// When an event happened: a point (`end` is `None`) or a span.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    pub start: FuzzyDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<FuzzyDate>,
    /// Why the date is what it is, when it was inferred ("year inferred
    /// from the article's date").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl When {
    pub fn point(start: FuzzyDate) -> When {
        When {
            start,
            end: None,
            note: None,
        }
    }

    /// Earliest possible moment of the event.
    pub fn earliest(&self) -> Instant {
        self.start.earliest
    }

    /// Latest possible moment of the event.
    pub fn latest(&self) -> Instant {
        self.end
            .map_or(self.start.latest, |e| e.latest.max(self.start.latest))
    }

    /// Where a point is drawn and by what events are ordered: the likeliest
    /// moment of a point, the earliest of a span.
    pub fn anchor(&self) -> Instant {
        match self.end {
            None => self.start.mid(),
            Some(_) => self.start.earliest,
        }
    }

    pub fn is_fuzzy(&self) -> bool {
        self.start.is_fuzzy() || self.end.is_some_and(|e| e.is_fuzzy())
    }

    /// The date in words, with its precision.
    pub fn describe(&self) -> String {
        match &self.end {
            None => self.start.describe(),
            Some(end) => describe_span(&self.start, end),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Initiator,
    Target,
    SideA,
    SideB,
    Mediator,
    #[default]
    Participant,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Initiator => "initiator",
            Role::Target => "target",
            Role::SideA => "side A",
            Role::SideB => "side B",
            Role::Mediator => "mediator",
            Role::Participant => "participant",
        }
    }
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub name: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub role: Role,
    /// Office or organisation ("U.S. Secretary of State").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// The country or side the actor belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// How exact the location is, in the source's words or codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Casualties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<u64>,
}

impl Casualties {
    /// The figure to count with: best, else low, else high.
    pub fn figure(&self) -> Option<u64> {
        self.best.or(self.low).or(self.high)
    }

    pub fn describe(&self) -> String {
        match (self.low, self.best, self.high) {
            (Some(l), Some(b), Some(h)) if l != h => format!("{b} (between {l} and {h})"),
            (_, Some(b), _) => b.to_string(),
            (Some(l), None, Some(h)) if l != h => format!("between {l} and {h}"),
            (Some(l), None, _) => format!("at least {l}"),
            (None, None, Some(h)) => format!("at most {h}"),
            (None, None, None) => "unknown".to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<FuzzyDate>,
    /// The passage the event was read from, verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Who else contributed ("With reporting by AFP").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
}

/// Where an event was read from.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// Format name as `inspect` reports it ("eventline", "acled", ...).
    pub format: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The record's own id in its source (ACLED `event_id_cnty`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// 1-based line of the record in its file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Stable id, unique within a dataset; annotations key on it.
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub when: When,
    /// Kind id: a built-in one (`call`, `clash`, ...) or one the dataset defines.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<Actor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub casualties: Option<Casualties>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The source format's own classification (`acled.event_type`,
    /// `cameo.event_code`, ...), kept beside the viewer kind.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub codes: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// Every imported field that has no home above, so nothing is lost.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Event {
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        kind: impl Into<String>,
        when: When,
    ) -> Event {
        Event {
            id: id.into(),
            title: title.into(),
            description: String::new(),
            when,
            kind: kind.into(),
            actors: Vec::new(),
            place: None,
            casualties: None,
            sources: Vec::new(),
            tags: Vec::new(),
            codes: BTreeMap::new(),
            provenance: None,
            extra: BTreeMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Event {
        let mut e = Event::new(
            "call-1",
            "Blinken calls Pashinian",
            "call",
            When {
                start: FuzzyDate::parse("2022-08-05").unwrap(),
                end: None,
                note: Some("Year inferred from the article's date".into()),
            },
        );
        e.actors.push(Actor {
            name: "Antony Blinken".into(),
            role: Role::Initiator,
            affiliation: Some("U.S. Secretary of State".into()),
            country: Some("United States".into()),
        });
        e.casualties = Some(Casualties {
            low: Some(3),
            best: Some(3),
            high: None,
        });
        e.sources.push(Source {
            publisher: Some("RFE/RL".into()),
            quote: Some("Blinken spoke by phone".into()),
            published: FuzzyDate::parse("2022-08-05").ok(),
            ..Source::default()
        });
        e.codes.insert("cameo.event_code".into(), "041".into());
        e.extra
            .insert("population_best".into(), serde_json::json!(1200));
        e
    }

    #[test]
    fn serde_round_trip_is_lossless() {
        let e = sample();
        let text = serde_json::to_string_pretty(&e).unwrap();
        let back: Event = serde_json::from_str(&text).unwrap();
        assert_eq!(back, e);
        assert!(text.contains("\"start\": \"2022-08-05\""));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let text = r#"{"id":"a","title":"t","kind":"call","when":{"start":"2022"},"titel":"x"}"#;
        let err = serde_json::from_str::<Event>(text).unwrap_err();
        assert!(err.to_string().contains("unknown field `titel`"));
    }

    #[test]
    fn anchor_and_extent() {
        let war = When {
            start: FuzzyDate::parse("2020-09~").unwrap(),
            end: Some(FuzzyDate::parse("2020-11-10").unwrap()),
            note: None,
        };
        assert_eq!(war.anchor(), war.start.earliest);
        assert_eq!(war.latest(), FuzzyDate::parse("2020-11-10").unwrap().latest);
        assert!(war.is_fuzzy());
        assert_eq!(war.describe(), "about September 2020 – 10 November 2020");
        let point = When::point(FuzzyDate::parse("2022-W31").unwrap());
        assert_eq!(point.anchor(), point.start.mid());
    }

    #[test]
    fn casualty_words() {
        let c = Casualties {
            low: Some(6500),
            best: None,
            high: None,
        };
        assert_eq!(c.describe(), "at least 6500");
        assert_eq!(c.figure(), Some(6500));
    }
}

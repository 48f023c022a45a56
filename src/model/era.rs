//! Eras: background bands a dataset marks (a war, a truce period).

use serde::{Deserialize, Serialize};

use super::date::FuzzyDate;
use super::kind::Rgb;

/// A background band the dataset marks (a war, a truce period).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Era {
    pub name: String,
    pub start: FuzzyDate,
    pub end: FuzzyDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<Rgb>,
}

//! The UCDP GED API's JSON (`/api/gedevents/<version>`): `{"TotalCount",
//! "TotalPages", "PreviousPageUrl", "NextPageUrl", "Result": [row…]}`,
//! rows with the GED CSV's column names and numbers as numbers; or a bare
//! list of such rows. The rows are read by the CSV reader
//! ([`super::read_with`]) through [`crate::io::api`].

use std::path::Path;

use crate::io::api::{self, Api, Members, Warning, cell_text, number};
use crate::io::error::LoadError;
use crate::io::loaded::Loaded;
use crate::io::options::LoadOptions;
use crate::io::text::shorten;

const UCDP: Api = Api {
    what: "a UCDP API page",
    rows: "Result",
    required: ["id", "date_start", "type_of_violence"],
    title: "UCDP GED API",
    read_csv: super::read_with,
    check_envelope,
    count,
};

/// Read a page of the UCDP GED API's JSON (or a bare list of its rows).
pub fn read_ucdp(path: &Path, bytes: &[u8], options: &LoadOptions) -> Result<Loaded, LoadError> {
    api::read(&UCDP, path, bytes, options)
}

/// A page of a longer answer is a warning that names the rest.
fn check_envelope<'a>(
    envelope: &Members<'a>,
    warnings: &mut Vec<Warning<'a>>,
    _description: &mut String,
) -> Result<(), String> {
    let text = |key: &str| envelope.get(key).map(cell_text);
    let pages = envelope.get("TotalPages").and_then(number);
    let next = text("NextPageUrl").filter(|s| !s.is_empty());
    if pages.is_some_and(|p| p > 1) || next.is_some() {
        let total = envelope
            .get("TotalCount")
            .and_then(number)
            .map_or_else(String::new, |n| format!(" of {n} rows"));
        let pages = pages.map_or_else(String::new, |p| format!(" in {p} pages"));
        let next = next.map_or_else(String::new, |u| {
            format!("; the next page is at {}", shorten(&u, 200))
        });
        warnings.push((
            envelope
                .get("TotalPages")
                .or_else(|| envelope.get("NextPageUrl")),
            "TotalPages".into(),
            format!(
                "this file is one page of the API's answer{total}{pages}: only its own rows were read{next}"
            ),
        ));
    }
    Ok(())
}

/// The row count UCDP's envelope states: `TotalCount`, when the answer is
/// one page.
fn count(envelope: &Members) -> Option<u64> {
    let pages = envelope.get("TotalPages").and_then(number);
    let next = envelope.get("NextPageUrl").map(cell_text);
    if pages.is_some_and(|p| p > 1) || next.is_some_and(|u| !u.is_empty()) {
        return None;
    }
    envelope.get("TotalCount").and_then(number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ucdp_numbers_are_read_as_written() {
        let text = r#"{"TotalCount": 1, "TotalPages": 1, "NextPageUrl": "", "Result": [{"id": 337050, "type_of_violence": 1, "side_a": "Government of Azerbaijan", "side_b": "Republic of Artsakh", "date_start": "2020-09-27T00:00:00", "date_end": "2020-09-28T00:00:00", "latitude": 39.6003, "longitude": 47.1431, "best": 26, "low": 20, "high": 40, "country_id": 373}]}"#;
        let l = read_ucdp(
            Path::new("ged.json"),
            text.as_bytes(),
            &LoadOptions::default(),
        )
        .unwrap();
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        let e = l.dataset.events.get(0).unwrap();
        assert_eq!(e.id, "ucdp-337050");
        assert_eq!(e.when.start.to_text(), "2020-09-27/2020-09-28");
        assert_eq!(e.place.as_ref().and_then(|p| p.lat), Some(39.6003));
        assert_eq!(e.extra["country_id"], serde_json::json!(373));
    }

    #[test]
    fn a_ucdp_page_says_the_others_are_missing() {
        let text = r#"{"TotalCount": 2500, "TotalPages": 3, "NextPageUrl": "https://example.org/p2", "Result": [{"id": 1, "type_of_violence": 1, "date_start": "2020-09-27"}]}"#;
        let l = read_ucdp(
            Path::new("ged.json"),
            text.as_bytes(),
            &LoadOptions::default(),
        )
        .unwrap();
        assert_eq!(l.dataset.events.len(), 1);
        assert!(
            l.problems[0].message.contains("one page") && l.problems[0].message.contains("2500"),
            "{:?}",
            l.problems
        );
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let _ = read_ucdp(Path::new("x.json"), &bytes, &LoadOptions::default());
        }

        #[test]
        fn arbitrary_rows_never_panic(body in "[a-z_0-9\\[\\]{}:,\" \n.\\\\-]{0,200}") {
            let text = format!("{{\"Result\": [{{\"id\": 1, {body}}}]}}");
            let _ = read_ucdp(Path::new("x.json"), text.as_bytes(), &LoadOptions::default());
        }
    }
}

//! The ACLED API's JSON (`/api/acled/read`): `{"status": 200, "success":
//! true, "last_update", "count", "messages": [], "data": [row…],
//! "filename"}`, each row with the CSV export's column names and every
//! value a string; or a bare list of such rows. The rows are read by the
//! CSV reader ([`super::read_with`]) through [`crate::io::api`].

use std::path::Path;

use serde_json::value::RawValue;

use crate::io::api::{self, Api, Members, Warning, cell_text, number};
use crate::io::error::LoadError;
use crate::io::loaded::Loaded;
use crate::io::options::LoadOptions;
use crate::io::text::shorten;

const ACLED: Api = Api {
    what: "an ACLED API response",
    rows: "data",
    required: ["event_id_cnty", "event_date", "event_type"],
    title: "ACLED API",
    read_csv: super::read_with,
    check_envelope,
    count,
};

/// Read the ACLED API's JSON (or a bare list of its rows).
pub fn read_acled(path: &Path, bytes: &[u8], options: &LoadOptions) -> Result<Loaded, LoadError> {
    api::read(&ACLED, path, bytes, options)
}

/// An error answer (`success: false`, or a status other than 200) is
/// refused in its own words; the API's messages are warnings; its
/// `last_update` goes into the description.
fn check_envelope<'a>(
    envelope: &Members<'a>,
    warnings: &mut Vec<Warning<'a>>,
    description: &mut String,
) -> Result<(), String> {
    let text = |key: &str| envelope.get(key).map(cell_text);
    let success = text("success");
    let status = text("status");
    let failed = success.as_deref() == Some("false")
        || status
            .as_deref()
            .is_some_and(|s| !s.is_empty() && s != "200");
    if failed {
        let why = ["error", "messages", "message"]
            .iter()
            .find_map(|&k| text(k))
            .filter(|s| !s.is_empty() && s != "[]")
            .map_or_else(String::new, |s| format!(": {}", shorten(&s, 300)));
        return Err(format!(
            "is an ACLED API error response (status {}, no rows){why}",
            status.as_deref().unwrap_or("unknown")
        ));
    }
    if let Some(raw) = envelope.get("messages")
        && let Ok(list) = serde_json::from_str::<Vec<&RawValue>>(raw.get())
    {
        for (i, m) in list.into_iter().enumerate() {
            warnings.push((
                Some(m),
                format!("messages[{i}]"),
                format!("the API says: {}", shorten(&cell_text(m), 300)),
            ));
        }
    }
    if let Some(t) = text("last_update").filter(|s| !s.is_empty()) {
        description.push_str(&format!(" (last_update {t})"));
    }
    Ok(())
}

/// The row count ACLED's envelope states: `count`.
fn count(envelope: &Members) -> Option<u64> {
    envelope.get("count").and_then(number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::format::Format;
    use crate::io::report::Severity;
    use proptest::prelude::*;

    fn acled(text: &str) -> Result<Loaded, LoadError> {
        read_acled(
            Path::new("acled.json"),
            text.as_bytes(),
            &LoadOptions::default(),
        )
    }

    const ROW: &str = r#"{"event_id_cnty": "AZE1", "event_date": "2022-08-03", "year": "2022", "time_precision": "1", "event_type": "Battles", "sub_event_type": "Armed clash", "actor1": "Military Forces of Azerbaijan (2003-)", "actor2": "Military Forces of Nagorno-Karabakh", "country": "Azerbaijan", "location": "Saribaba", "latitude": "39.64", "longitude": "46.45", "fatalities": "3", "notes": "Line one\nline \"two\", with a comma"}"#;

    #[test]
    fn a_row_is_read_as_the_csv_reader_reads_it() {
        let text = format!(r#"{{"status": 200, "success": true, "count": 1, "data": [{ROW}]}}"#);
        let l = acled(&text).unwrap();
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        let e = l.dataset.events.get(0).unwrap();
        assert_eq!(e.id, "AZE1");
        assert_eq!(e.kind, "clash");
        assert_eq!(e.when.start.to_text(), "2022-08-03");
        assert_eq!(e.description, "Line one\nline \"two\", with a comma");
        assert_eq!(e.casualties.as_ref().and_then(|c| c.best), Some(3));
        assert_eq!(l.format, Format::Acled);
    }

    #[test]
    fn problems_point_into_the_json() {
        let bad = ROW.replace("2022-08-03", "2022-02-30");
        let text = format!("{{\"data\": [\n{ROW},\n{ROW},\n  {bad}\n]}}");
        let l = acled(&text).unwrap();
        assert_eq!(l.dataset.events.len(), 2);
        assert_eq!(l.skipped, 1);
        let date = l
            .problems
            .iter()
            .find(|p| p.severity == Severity::Error)
            .unwrap();
        assert_eq!(date.field.as_deref(), Some("data[2].event_date"));
        assert_eq!(date.line, Some(4));
        let col = bad.find("\"2022-02-30\"").unwrap() as u64 + 3;
        assert_eq!(date.column, Some(col));
        let dup = l
            .problems
            .iter()
            .find(|p| p.message.contains("also used"))
            .unwrap();
        assert_eq!(dup.line, Some(3));
        assert_eq!(dup.field.as_deref(), Some("data[1].event_id_cnty"));
        assert!(
            dup.message.contains("in data[0] on line 2"),
            "{}",
            dup.message
        );
        let lines: Vec<Option<u64>> = l
            .dataset
            .events
            .iter()
            .map(|e| e.provenance.as_ref().and_then(|p| p.line))
            .collect();
        assert_eq!(lines, [Some(2), Some(3)]);
    }

    #[test]
    fn an_error_answer_is_refused_in_its_own_words() {
        let err =
            acled(r#"{"status": 403, "success": false, "error": {"message": "Access denied"}}"#)
                .unwrap_err();
        assert!(err.to_string().contains("status 403"), "{err}");
        assert!(err.to_string().contains("Access denied"), "{err}");
        let err = acled(r#"{"status": 200, "rows": []}"#).unwrap_err();
        assert!(err.to_string().contains("no `data` list"), "{err}");
        let err = acled(r#"{"data": [{"name": "x"}]}"#).unwrap_err();
        assert!(
            err.to_string().contains("no `event_id_cnty` field"),
            "{err}"
        );
    }

    #[test]
    fn an_empty_answer_is_an_empty_dataset() {
        let l = acled(r#"{"status": 200, "success": true, "count": 0, "data": []}"#).unwrap();
        assert!(l.dataset.events.is_empty());
        assert!(l.problems.is_empty(), "{:?}", l.problems);
    }

    #[test]
    fn counts_messages_and_odd_rows_are_reported() {
        let text = format!(
            r#"{{"success": true, "count": 3, "messages": ["Limit reached"], "data": [{ROW}, 7]}}"#
        );
        let l = acled(&text).unwrap();
        assert_eq!(l.dataset.events.len(), 1);
        assert_eq!(l.skipped, 1);
        let all: Vec<String> = l.problems.iter().map(|p| p.to_string()).collect();
        assert!(
            all.iter()
                .any(|p| p.contains("holds 3 rows but it holds 2")),
            "{all:?}"
        );
        assert!(all.iter().any(|p| p.contains("Limit reached")), "{all:?}");
        assert!(all.iter().any(|p| p.contains("data[1]")), "{all:?}");
    }

    #[test]
    fn a_key_given_twice_is_read_as_json_readers_do_and_said() {
        let text = r#"{"data": [{"event_id_cnty": "A1", "event_date": "2022-08-03", "event_type": "Battles", "event_id_cnty": "A2"}]}"#;
        let l = acled(text).unwrap();
        assert_eq!(l.dataset.events.get(0).unwrap().id, "A2");
        let p = &l.problems[0];
        assert_eq!(p.field.as_deref(), Some("data[0].event_id_cnty"));
        assert!(p.message.contains("given twice"), "{}", p.message);
        assert_eq!(p.column, Some(text.rfind("\"A2\"").unwrap() as u64 + 1));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let _ = read_acled(Path::new("x.json"), &bytes, &LoadOptions::default());
        }

        #[test]
        fn arbitrary_rows_never_panic(body in "[a-z_0-9\\[\\]{}:,\" \n.\\\\-]{0,200}") {
            let text = format!("{{\"data\": [{ROW}, {body}]}}");
            let _ = read_acled(Path::new("x.json"), text.as_bytes(), &LoadOptions::default());
        }
    }
}

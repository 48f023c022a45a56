//! The embedded default dataset says what the article says, and only that.

use eventline::model::{FuzzyDate, Precision, Role};
use eventline::store::{LaneGrouping, LaneSet, Store};

use crate::fixtures;

fn store() -> Store {
    let loaded = eventline::default_dataset().expect("the embedded dataset reads");
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert_eq!(loaded.skipped, 0);
    Store::build(loaded.dataset)
}

fn article() -> String {
    std::fs::read_to_string(fixtures::in_dir(
        "sources",
        "nagorno-karabakh-2022-08-05.txt",
    ))
    .expect("article copy")
}

#[test]
fn counts_by_kind() {
    let s = store();
    let counts: std::collections::BTreeMap<&str, usize> = s
        .kinds
        .iter()
        .zip(s.kind_counts())
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| (k.id.as_str(), n))
        .collect();
    let expected: std::collections::BTreeMap<&str, usize> = [
        ("call", 3),
        ("statement", 6),
        ("clash", 2),
        ("truce", 1),
        ("territorial", 1),
        ("deployment", 1),
        ("other", 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(counts, expected);
    assert_eq!(s.len(), 15);
}

#[test]
fn the_truce_is_on_10_november_2020_as_a_floating_day() {
    let s = store();
    let truce = s.events().find(|e| e.kind == "truce").unwrap();
    assert_eq!(truce.when.start.to_text(), "2020-11-10");
    assert_eq!(truce.when.start.precision, Precision::Day);
    assert!(!truce.when.is_fuzzy());
    let mediator = truce
        .actors
        .iter()
        .find(|a| a.role == Role::Mediator)
        .unwrap();
    assert_eq!(mediator.name, "Russia");
}

#[test]
fn three_calls_on_5_august_2022_with_their_actors() {
    let s = store();
    let calls: Vec<_> = s.events().filter(|e| e.kind == "call").collect();
    assert_eq!(calls.len(), 3);
    let mut pairs: Vec<(String, String)> = calls
        .iter()
        .filter(|c| c.id != "2022-08-05-michel-aliyev-call")
        .map(|c| {
            assert_eq!(c.when.start.to_text(), "2022-08-05");
            // The article never writes the year: the event says so.
            let note = c.when.note.as_deref().unwrap_or("");
            assert!(note.contains("year 2022 is inferred"), "{note}");
            let who = |role| {
                c.actors
                    .iter()
                    .find(|a| a.role == role)
                    .unwrap()
                    .name
                    .clone()
            };
            (who(Role::Initiator), who(Role::Target))
        })
        .collect();
    pairs.sort();
    // "Blinken spoke by phone separately to Pashinian and Aliyev".
    assert_eq!(
        pairs,
        vec![
            ("Antony Blinken".to_string(), "Ilham Aliyev".to_string()),
            ("Antony Blinken".to_string(), "Nikol Pashinian".to_string()),
        ]
    );
}

#[test]
fn michels_call_states_no_caller_or_callee() {
    // "Michel also spoke by phone with Aliyev": who called whom is not said.
    let s = store();
    let call = s
        .events()
        .find(|e| e.id == "2022-08-05-michel-aliyev-call")
        .unwrap();
    assert_eq!(call.when.start.to_text(), "2022-08-05");
    let mut names: Vec<&str> = call.actors.iter().map(|a| a.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["Charles Michel", "Ilham Aliyev"]);
    for a in &call.actors {
        assert!(
            !matches!(a.role, Role::Initiator | Role::Target),
            "{} is given the role {:?}",
            a.name,
            a.role
        );
    }
    let note = call.when.note.as_deref().unwrap_or("");
    assert!(note.contains("not who called whom"), "{note}");
}

#[test]
fn this_week_ends_on_the_day_of_the_article() {
    let s = store();
    let article = FuzzyDate::parse("2022-08-05").unwrap();
    let monday = FuzzyDate::parse("2022-08-01").unwrap();
    for id in [
        "2022-w31-renewed-fighting",
        "2022-w31-ceasefire-violation-accusations",
    ] {
        let e = s.events().find(|e| e.id == id).unwrap();
        assert_eq!(e.when.start.earliest, monday.earliest, "{id}");
        assert_eq!(e.when.latest(), article.latest, "{id}");
        let note = e.when.note.as_deref().unwrap_or("");
        assert!(note.contains("up to the article's date"), "{note}");
    }
    // Nothing in the dataset is later than the article.
    let (_, latest) = s.time_range().unwrap();
    assert_eq!(latest, article.latest);
}

#[test]
fn renewed_fighting_is_dated_this_week_with_three_dead() {
    let s = store();
    let fight = s
        .events()
        .find(|e| e.id == "2022-w31-renewed-fighting")
        .unwrap();
    assert!(fight.when.start.is_window());
    assert_eq!(
        fight.when.describe(),
        "between 1 August 2022 and 5 August 2022"
    );
    assert_eq!(fight.casualties.as_ref().and_then(|c| c.best), Some(3));
}

#[test]
fn the_war_starts_about_six_weeks_before_the_truce_with_over_6500_dead() {
    let s = store();
    let war = s.events().find(|e| e.id == "2020-six-week-war").unwrap();
    let start = war.when.start;
    let end = war.when.end.unwrap();
    assert!(start.approximate);
    assert_eq!(start.precision, Precision::Day);
    assert_eq!(end.to_text(), "2020-11-10");
    // Six weeks before the truce.
    assert_eq!(end.earliest - start.earliest, 6 * 7 * 86_400);
    assert_eq!(war.casualties.as_ref().and_then(|c| c.low), Some(6500));
    let note = war.when.note.as_deref().unwrap_or("");
    assert!(note.contains("29 September"), "{note}");
    let era = s.eras.iter().find(|e| e.name == "Six-week war").unwrap();
    assert_eq!((era.start, era.end), (start, end));
}

#[test]
fn ethnic_armenian_control_is_given_no_end_the_article_does_not_state() {
    let s = store();
    let control = s
        .events()
        .find(|e| e.id == "1990s-2020-ethnic-armenian-control")
        .unwrap();
    assert!(control.when.start.approximate && control.when.start.is_window());
    assert!(control.when.end.is_none());
    let note = control.when.note.as_deref().unwrap_or("");
    assert!(note.contains("No end is given"), "{note}");
    // No era draws it either.
    assert!(!s.eras.iter().any(|e| e.name.contains("control")));
}

#[test]
fn the_aftermath_of_the_war_is_not_narrowed_to_a_month() {
    let s = store();
    let truce = FuzzyDate::parse("2020-11-10").unwrap();
    let article = FuzzyDate::parse("2022-08-05").unwrap();
    for id in [
        "2020-11-armenia-cedes-territory",
        "2020-11-russian-peacekeepers-deployed",
    ] {
        let e = s.events().find(|e| e.id == id).unwrap();
        assert_eq!(e.when.start.earliest, truce.earliest, "{id}");
        assert_eq!(e.when.latest(), article.latest, "{id}");
        let note = e.when.note.as_deref().unwrap_or("");
        assert!(note.contains("aftermath of the war"), "{note}");
    }
}

#[test]
fn every_inferred_date_says_so() {
    let s = store();
    for e in s.events() {
        let inferred = e.when.start.approximate
            || e.when.start.is_window()
            || e.when.start.precision == Precision::Week
            || e.when.start.to_text().starts_with("2022");
        if inferred {
            assert!(
                e.when.note.is_some(),
                "{} infers its date without saying so",
                e.id
            );
        }
    }
}

#[test]
fn every_quote_is_verbatim_from_the_article() {
    let s = store();
    let text = article();
    for e in s.events() {
        assert!(!e.sources.is_empty(), "{} has no source", e.id);
        for src in &e.sources {
            assert_eq!(src.publisher.as_deref(), Some("RFE/RL"));
            assert_eq!(src.credit.as_deref(), Some("With reporting by AFP"));
            let q = src.quote.as_deref().unwrap_or("");
            assert!(
                !q.is_empty() && text.contains(q),
                "{}: quote not in the article: {q}",
                e.id
            );
        }
    }
}

#[test]
fn ids_are_unique_and_the_phone_call_is_in_both_actor_lanes() {
    let s = store();
    let mut ids: Vec<&str> = s.ids().collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), s.len());
    let lanes = LaneSet::build(&s, LaneGrouping::Actor);
    let call = s.find_id("2022-08-05-blinken-pashinian-call").unwrap();
    let names: Vec<&str> = lanes
        .lanes_of(call)
        .iter()
        .map(|&l| lanes.lanes[l].name.as_str())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"Antony Blinken") && names.contains(&"Nikol Pashinian"));
}

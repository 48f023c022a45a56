use super::*;
use crate::store::Store;

fn store() -> Store {
    Store::build(crate::default_dataset().unwrap().dataset)
}

fn run(s: &Store, f: &Filter) -> FilterResult {
    let text = SearchText::build(s);
    f.compile(s).unwrap().run(s, &text, &vec![0; s.len()])
}

/// What a search means, read off whole events: a term matches an event
/// when it occurs in one of the field's texts (any field for a plain
/// word, the description included).
fn naive_mask(store: &Store, q: &Query) -> Vec<bool> {
    store
        .events()
        .enumerate()
        .map(|(i, e)| {
            let kind = store
                .kind_def(i as EventIx)
                .map(|k| format!("{} {}", k.id, k.label))
                .unwrap_or_default();
            let texts = |f: Field| -> Vec<String> {
                match f {
                    Field::Title => vec![e.title.clone()],
                    Field::Actor => e
                        .actors
                        .iter()
                        .flat_map(|a| {
                            std::iter::once(a.name.clone())
                                .chain(a.affiliation.clone())
                                .chain(a.country.clone())
                        })
                        .collect(),
                    Field::Place => e
                        .place
                        .iter()
                        .flat_map(|p| {
                            std::iter::once(p.name.clone())
                                .chain(p.admin.clone())
                                .chain(p.country.clone())
                        })
                        .collect(),
                    Field::Tag => e.tags.clone(),
                    Field::Source => e
                        .sources
                        .iter()
                        .flat_map(|s| [&s.publisher, &s.title, &s.quote])
                        .flatten()
                        .cloned()
                        .collect(),
                    Field::Kind => vec![kind.clone()],
                }
            };
            let has = |f: Field, term: &str| texts(f).iter().any(|t| fold(t).contains(term));
            let all = [
                Field::Title,
                Field::Actor,
                Field::Place,
                Field::Tag,
                Field::Source,
                Field::Kind,
            ];
            q.words.iter().all(|w| {
                all.iter().any(|&f| has(f, w)) || fold(&e.description).contains(w.as_str())
            }) && q.fields.iter().all(|(f, v)| has(*f, v))
        })
        .collect()
}

#[test]
fn the_search_index_finds_what_a_search_of_each_event_finds() {
    let queries = [
        "aliyev",
        "title:aliyev",
        "actor:aliyev",
        "karabakh",
        "place:karabakh",
        "kind:clash",
        "clash",
        "ceasefire",
        "source:reuters",
        "\"foreign ministry\"",
        "tag:truce",
        "record 17",
        "\"generated record 1\"",
        "synthetic",
        "armenia azerbaijan",
        "actor:armenia kind:strike",
        "pashinyan",
        "halted",
        "source:rfe",
        "source:blinken",
        "quote:phone",
        "blinken",
        "tag:talks",
        "\"truce border\"",
        "title:brussels",
        "source:brussels",
        "nothing-matches-this",
    ];
    let mut tagged = crate::default_dataset().unwrap().dataset;
    tagged.events = tagged
        .events
        .iter()
        .enumerate()
        .map(|(i, mut e)| {
            if i % 3 == 0 {
                e.tags = vec!["truce".into(), "border talks".into()];
            }
            if i == 1 {
                // A separator inside a text must not end its field.
                e.title = "Talks\u{1}resumed in Brussels".into();
            }
            e
        })
        .collect();
    for s in [
        store(),
        Store::build(tagged),
        Store::build(crate::synth::generate(3_000, 3, false)),
    ] {
        let text = SearchText::build(&s);
        let mut matching = 0;
        for q in queries {
            let q = Query::parse(q);
            let mask = text.mask(&s, &q);
            assert_eq!(mask, naive_mask(&s, &q), "{q:?}");
            let n = mask.iter().filter(|&&m| m).count();
            matching += usize::from(n > 0 && n < s.len());
        }
        // Most queries pick some events and not others.
        assert!(matching >= 8, "{matching}");
    }
}

fn titles(s: &Store, r: &FilterResult) -> Vec<String> {
    (0..s.len())
        .filter(|&i| r.visible[i])
        .map(|i| s.title(i as EventIx).to_owned())
        .collect()
}

#[test]
fn kinds_filter_and_faceted_counts() {
    let s = store();
    let f = Filter {
        kinds: ["call".to_string()].into(),
        ..Filter::default()
    };
    let r = run(&s, &f);
    assert_eq!(r.count, 3);
    // The kind facet ignores its own choice: every kind keeps its count.
    let statement = s.kinds.iter().position(|k| k.id == "statement").unwrap();
    assert_eq!(r.kind_counts[statement], 6);
    // Other facets count within the chosen kinds only.
    let aliyev = s.actors.get("Ilham Aliyev").unwrap() as usize;
    assert_eq!(r.actor_counts[aliyev], 2);
}

#[test]
fn violations_facet_and_event_sets() {
    let s = store();
    let text = SearchText::build(&s);
    let clash = s.find_id("2022-w31-renewed-fighting").unwrap() as usize;
    let mut bits = vec![0u8; s.len()];
    bits[clash] = VIOLATION_REPORTED;
    let bits = std::sync::Arc::new(bits);
    let mut f = Filter {
        violations: ViolationFacet {
            possible: true,
            reported: false,
        },
        ..Filter::default()
    };
    assert!(f.is_active());
    let flags = vec![0; s.len()];
    let run_with = |f: &Filter| {
        f.compile(&s)
            .unwrap()
            .with_violation_flags(bits.clone())
            .run(&s, &text, &flags)
    };
    assert_eq!(run_with(&f).count, 0);
    f.violations.reported = true;
    let r = run_with(&f);
    assert_eq!(r.count, 1);
    assert!(r.visible[clash]);
    let only = Filter {
        only: Some(EventSet {
            label: "two calls".into(),
            ids: [
                "2022-08-05-blinken-aliyev-call".to_string(),
                "2022-08-05-michel-aliyev-call".to_string(),
            ]
            .into(),
        }),
        ..Filter::default()
    };
    assert_eq!(run(&s, &only).count, 2);
    // Old saved filters without the new fields still read.
    let old: Filter = serde_json::from_str(r#"{"kinds":["call"]}"#).unwrap();
    assert_eq!(old.violations, ViolationFacet::default());
    assert_eq!(old.only, None);
}

#[test]
fn actors_any_and_all() {
    let s = store();
    let mut f = Filter {
        actors: ["Ilham Aliyev".to_string(), "Antony Blinken".to_string()].into(),
        ..Filter::default()
    };
    assert_eq!(run(&s, &f).count, 8);
    f.actor_mode = ActorMode::All;
    let r = run(&s, &f);
    assert_eq!(r.count, 2, "{:?}", titles(&s, &r));
}

#[test]
fn context_keeps_what_may_fall_within_days_of_the_event() {
    let s = store();
    let truce = (0..s.len() as EventIx)
        .find(|&i| s.event(i).is_some_and(|e| e.kind == "truce"))
        .unwrap();
    let ctx = ContextWindow::around(&s, truce, 7).unwrap();
    let (a, b) = ctx.span();
    assert_eq!(b - a, 14 * 86_400);
    let f = Filter {
        context: Some(Box::new(ctx)),
        ..Filter::default()
    };
    assert!(f.hides_events());
    let r = run(&s, &f);
    // By hand: every event whose possible dates touch the window.
    let expected = (0..s.len())
        .filter(|&i| s.earliest[i] <= b && s.latest[i] >= a)
        .count();
    assert_eq!(r.count, expected);
    assert!(r.visible[truce as usize]);
    assert!(r.count < s.len(), "the window must leave events out");
    // Two years either side reach the August 2022 events.
    let wide = Filter {
        context: ContextWindow::around(&s, truce, 700).map(Box::new),
        ..Filter::default()
    };
    assert!(run(&s, &wide).count > r.count);
}

#[test]
fn date_ranges_respect_precision() {
    let s = store();
    // The days of the fighting (1-5 August) straddle 5 August, and so
    // does the aftermath of the war (10 November 2020 to 5 August 2022).
    let mut f = Filter {
        date_from: "2022-08-05".into(),
        date_to: "2022-08-31".into(),
        date_mode: DateMode::Certainly,
        ..Filter::default()
    };
    let certain = run(&s, &f);
    assert!(
        !titles(&s, &certain)
            .iter()
            .any(|t| t.contains("Renewed fighting"))
    );
    assert_eq!(certain.count, 8);
    f.date_mode = DateMode::Possibly;
    let possible = run(&s, &f);
    assert!(
        titles(&s, &possible)
            .iter()
            .any(|t| t.contains("Renewed fighting"))
    );
    assert_eq!(possible.count, 12);
    // Partial dates: "2020" is the whole year.
    let year = Filter {
        date_from: "2020".into(),
        date_to: "2020".into(),
        date_mode: DateMode::Certainly,
        ..Filter::default()
    };
    // The truce and the war; the aftermath may reach into 2022.
    assert_eq!(run(&s, &year).count, 2);
    assert!(matches!(
        Filter {
            date_from: "2022-02-30".into(),
            ..Filter::default()
        }
        .compile(&s),
        Err(FilterError::From(_))
    ));
}

#[test]
fn search_is_case_and_accent_insensitive_with_fields() {
    let s = store();
    let f = |q: &str| {
        let r = run(
            &s,
            &Filter {
                search: q.into(),
                ..Filter::default()
            },
        );
        // The search narrows the matches, not what the timeline shows.
        assert_eq!(r.count, s.len());
        MatchCount {
            count: r.matched.len(),
        }
    };
    struct MatchCount {
        count: usize,
    }
    // The deployment, and the ceding of territory whose quote mentions them.
    assert_eq!(f("PEACEKEEPERS").count, 2);
    assert_eq!(f("péacekeepers").count, 2);
    assert_eq!(f("actor:aliyev kind:call").count, 2);
    assert_eq!(f("kind:truce").count, 1);
    // Source quotes are searched too.
    assert!(f("\"brussels peace agenda\"").count >= 1);
    assert_eq!(f("nothing-like-this").count, 0);
}

#[test]
fn casualties_and_coordinates() {
    let s = store();
    let r = run(
        &s,
        &Filter {
            min_casualties: Some(3),
            ..Filter::default()
        },
    );
    assert_eq!(r.count, 2);
    let r = run(
        &s,
        &Filter {
            has_coordinates: true,
            ..Filter::default()
        },
    );
    assert_eq!(r.count, 0);
}

#[test]
fn area_keeps_events_located_inside_the_box() {
    use crate::model::{Event, Place, When};
    use crate::table::Dataset;
    let day = FuzzyDate::parse("2022-08-03").unwrap();
    let at = |id: &str, lon: Option<f64>, lat: Option<f64>| {
        let mut e = Event::new(id, id, "clash", When::point(day));
        e.place = Some(Place {
            name: id.into(),
            lon,
            lat,
            ..Place::default()
        });
        e
    };
    let s = Store::build(Dataset {
        events: vec![
            at("lachin", Some(46.55), Some(39.64)),
            at("yerevan", Some(44.51), Some(40.18)),
            at("nowhere", None, None),
            at("half", Some(46.0), None),
        ]
        .into(),
        ..Dataset::default()
    });
    let f = Filter {
        area: Some(Area::from_corners((47.0, 39.0), (46.0, 40.0))),
        ..Filter::default()
    };
    assert!(f.is_active() && f.hides_events());
    let r = run(&s, &f);
    assert_eq!(titles(&s, &r), ["lachin"]);
    assert_eq!(
        f.area.unwrap().describe(),
        "39.0° N – 40.0° N, 46.0° E – 47.0° E"
    );
    // Filters saved before there were areas still load.
    let old: Filter = serde_json::from_str(r#"{"kinds": ["call"]}"#).unwrap();
    assert_eq!(old.area, None);
    let round: Filter = serde_json::from_str(&serde_json::to_string(&f).unwrap()).unwrap();
    assert_eq!(round, f);
}

#[test]
fn annotation_flags() {
    let s = store();
    let text = SearchText::build(&s);
    let mut flags = vec![0u8; s.len()];
    flags[3] = STARRED | REVIEWED;
    flags[5] = REVIEWED;
    let f = Filter {
        starred: true,
        ..Filter::default()
    };
    assert_eq!(f.compile(&s).unwrap().run(&s, &text, &flags).count, 1);
    let f = Filter {
        reviewed: Some(false),
        ..Filter::default()
    };
    assert_eq!(
        f.compile(&s).unwrap().run(&s, &text, &flags).count,
        s.len() - 2
    );
}

#[test]
fn field_terms_stay_inside_their_field() {
    let s = store();
    let text = SearchText::build(&s);
    // "Aliyev" is in titles of events where he is not an actor.
    let in_title = text
        .mask(&s, &Query::parse("title:aliyev"))
        .iter()
        .filter(|&&m| m)
        .count();
    let as_actor = text
        .mask(&s, &Query::parse("actor:aliyev"))
        .iter()
        .filter(|&&m| m)
        .count();
    let anywhere = text
        .mask(&s, &Query::parse("aliyev"))
        .iter()
        .filter(|&&m| m)
        .count();
    assert_eq!(as_actor, 6);
    assert!(
        in_title >= 4 && in_title < anywhere,
        "{in_title} {anywhere}"
    );
    assert_eq!(
        text.mask(&s, &Query::parse("kind:clash"))
            .iter()
            .filter(|&&m| m)
            .count(),
        2
    );
    // The last field (description) ends at the event's end.
    assert!(text.mask(&s, &Query::parse("halted")).iter().any(|&m| m));
}

#[test]
fn folding() {
    assert_eq!(fold("Ilham ALİYEV"), "ilham aliyev");
    assert_eq!(fold("Şuşa Ağdam"), "susa agdam");
    assert_eq!(
        Query::parse("actor:Aliyev \"peace agenda\" x").words,
        vec!["peace agenda", "x"]
    );
}

//! UI tests of the analysis views: the compare panel, truce violation
//! marks and facet, the histogram strip and the who-called-whom network,
//! driven through the real app on a fixture with known answers.

use egui::{Key, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use eventline::analysis::truce::{POSSIBLE, REPORTED};
use eventline::model::FuzzyDate;
use eventline::ui::EventlineApp;

use crate::fixtures;

const FIXTURE: &str = "tests/fixtures/analysis/truce.json";

/// The app opened on `FIXTURE` (relative to the package root, where cargo
/// runs the tests), in a 1400×900 window.
fn truce_app() -> Harness<'static, EventlineApp> {
    fixtures::open_sized(vec![FIXTURE.into()], Vec2::new(1400.0, 900.0))
}

fn day(text: &str) -> i64 {
    FuzzyDate::parse(text).unwrap().earliest
}

fn ix(h: &Harness<'_, EventlineApp>, id: &str) -> u32 {
    h.state().store().unwrap().find_id(id).unwrap()
}

/// Show `[from, to]` on the timeline.
fn view(h: &mut Harness<'_, EventlineApp>, from: &str, to: &str) {
    let store = h.state().store().unwrap().clone();
    h.state_mut()
        .timeline_mut()
        .jump_to_range(&store, day(from), day(to));
    h.run();
}

fn type_into(h: &mut Harness<'_, EventlineApp>, label: &str, text: &str) {
    h.get_by_role_and_label(egui::Role::TextInput, label)
        .click();
    h.run();
    h.get_by_role_and_label(egui::Role::TextInput, label)
        .type_text(text);
    h.run();
}

fn shown(h: &Harness<'_, EventlineApp>) -> usize {
    h.state()
        .data()
        .as_ref()
        .unwrap()
        .result
        .as_ref()
        .unwrap()
        .count
}

#[test]
fn compare_counts_certain_and_possible_around_a_truce() {
    let mut h = truce_app();
    let truce = ix(&h, "truce");
    h.state_mut().set_selected(Some(truce));
    h.run();
    // The detail panel's button opens it, as C does.
    h.get_by_label("Compare").click();
    h.run();
    h.get_by_label("Around: Truce");
    // ±30 days: 20 Feb, 1 Mar and 5 Mar before; the clash known only to
    // March may fall on either side, or on the day itself.
    h.get_by_label("All events, Before: 3 (+1 possible)");
    h.get_by_label("All events, During: 1 (+1 possible)");
    h.get_by_label("All events, After: 7 (+1 possible)");
    h.get_by_label("Clash, Before: 2 (+1 possible)");
    h.get_by_label("Clash, After: 3 (+1 possible)");
    h.get_by_label("Clash, Change: +1");
    h.get_by_label("Clash, Ratio: ×1.50");
    h.get_by_label("Dead, Before: 7 (6–9)");
    h.get_by_label("Dead, After: 1");
    h.get_by_label("Call, Before: 1");
    h.get_by_label("Alpha, After: 4");
    // Clashes between the truce's parties after it; one a source calls a
    // violation.
    h.get_by_label("Possible violations, After: 2");
    h.get_by_label("Reported violations, After: 1");
    // The whole period (still open): the March clash may be in it, and
    // the June clash is.
    h.get_by_label("Truce period, possible violations: 4");
    h.get_by_label("Truce period, reported violations: 1");

    // A week either side: only 5 March before.
    h.get_by_label("±7 days").click();
    h.run();
    h.get_by_label("All events, Before: 1 (+1 possible)");

    // It follows the filter.
    let mut f = h.state().filter().clone();
    f.kinds = ["clash".to_string()].into();
    let ctx = h.ctx.clone();
    h.state_mut()
        .apply(&ctx, eventline::ui::Command::SetFilter(Box::new(f)));
    h.run();
    h.get_by_label("All events, After: 0 (+1 possible)");
    h.get_by_label("All events, Before: 1 (+1 possible)");
    assert!(h.query_by_label("Call, Before: 1").is_none());
    h.get_by_label("Counting only what the filter shows.");
}

#[test]
fn c_compares_around_a_chosen_range_and_a_user_end_shortens_the_period() {
    let mut h = truce_app();
    // Nothing chosen: C says how.
    h.key_press(Key::C);
    h.run();
    h.get_by_label_contains("Select an event, or Shift+drag a range");
    h.state_mut().timeline_mut().range = Some((
        day("2021-03-11"),
        FuzzyDate::parse("2021-03-20").unwrap().latest,
    ));
    h.key_press(Key::C);
    h.run();
    h.get_by_label("Around the chosen range");
    h.get_by_label("All events, During: 4 (+1 possible)");

    // On the truce, ending its period on 31 March drops the June clash.
    h.key_press(Key::Escape);
    h.run();
    let truce = ix(&h, "truce");
    h.state_mut().set_selected(Some(truce));
    h.key_press(Key::C);
    h.run();
    h.get_by_label("Truce period, possible violations: 4");
    type_into(&mut h, "End the period on:", "2021-03-31");
    h.get_by_label("Set end").click();
    h.run();
    h.run();
    h.get_by_label("Truce period, possible violations: 3");
    h.get_by_label_contains("(the end you set)");
    // Nonsense is refused with the reason.
    type_into(&mut h, "End the period on:", "x");
    h.get_by_label("Set end").click();
    h.run();
    h.get_by_label_contains("is not a date");
}

#[test]
fn violations_inside_a_truce_period_are_marked_and_filterable() {
    let mut h = truce_app();
    view(&mut h, "2021-02-01", "2021-07-01");
    h.run();
    let marks = h.state().timeline().violation_marks.clone();
    let mark = |id: &str| marks.iter().find(|m| m.0 == ix(&h, id)).map(|m| m.1);
    assert_eq!(mark("after-clash-1"), Some(POSSIBLE));
    assert_eq!(mark("after-clash-tagged"), Some(POSSIBLE | REPORTED));
    assert_eq!(mark("june-clash"), Some(POSSIBLE));
    assert_eq!(mark("march-clash"), Some(POSSIBLE));
    // Before the truce, another side, not a clash: no mark.
    assert_eq!(mark("before-clash-2"), None);
    assert_eq!(mark("after-clash-other-sides"), None);
    assert_eq!(mark("after-statement"), None);

    // The facet: reported only, then possible too; a chip removes it.
    h.state_mut().settings_mut().show_filters = true;
    h.run();
    h.get_by_label("reported").click();
    h.run();
    assert_eq!(shown(&h), 1);
    h.get_by_label("possible").click();
    h.run();
    assert_eq!(shown(&h), 4);
    h.get_by_label("violations: possible or reported ×").click();
    h.run();
    assert_eq!(shown(&h), 13);
}

#[test]
fn dragging_across_the_histogram_sets_the_date_filter() {
    let mut h = truce_app();
    view(&mut h, "2021-02-15", "2021-04-15");
    h.run();
    let strip = h.get_by_label("Histogram").rect();
    let axis = h.state().timeline().axis().unwrap();
    let noon = |d: &str| axis.x_of(day(d) + 12 * 3600);
    let y = strip.center().y;
    let (x0, x1) = (noon("2021-03-01"), noon("2021-03-20"));
    assert!(strip.x_range().contains(x0) && strip.x_range().contains(x1));
    h.drag_at(Pos2::new(x0, y));
    h.run();
    h.hover_at(Pos2::new((x0 + x1) / 2.0, y));
    h.run();
    h.hover_at(Pos2::new(x1, y));
    h.run();
    h.drop_at(Pos2::new(x1, y));
    h.run();
    h.run();
    let f = &h.state().filter();
    assert_eq!(
        (f.date_from.as_str(), f.date_to.as_str()),
        ("2021-03-01", "2021-03-20")
    );
    // 1, 5, 10, 15, 16, 17 and 20 March, and the clash known only to March.
    assert_eq!(shown(&h), 8);
    h.get_by_label("possibly 2021-03-01 – 2021-03-20 ×");
}

#[test]
fn clicking_an_edge_of_the_network_filters_to_its_events() {
    let mut h = truce_app();
    view(&mut h, "2021-03-11", "2021-03-31");
    h.key_press(Key::G);
    h.run();
    h.run();
    let net = h.state().analysis().network.network().unwrap().clone();
    assert_eq!(net.edges.len(), 3);
    // Hovering an edge rings its events on the timeline.
    h.get_by_label("Ann to Bob: 2 events").hover();
    h.run();
    let mut hovered = h.state().analysis().network.hovered.clone();
    hovered.sort_unstable();
    let mut calls = vec![ix(&h, "ann-calls-bob-1"), ix(&h, "ann-calls-bob-2")];
    calls.sort_unstable();
    assert_eq!(hovered, calls);
    h.get_by_label("Ann to Bob: 2 events").click();
    h.run();
    h.run();
    assert_eq!(shown(&h), 2);
    h.get_by_label("events of Ann to Bob ×");
    // An actor: Ann's three events.
    h.get_by_label("events of Ann to Bob ×").click();
    h.run();
    h.get_by_label("Ann: 3 events").click();
    h.run();
    h.run();
    assert_eq!(shown(&h), 3);
    // The undirected meeting.
    h.get_by_label("events of Ann ×").click();
    h.run();
    h.get_by_label("Ann and Cid: 1 event");
}

//! The filter panel (facets with counts) and the chips of active filters.

use egui::{RichText, Ui};

use crate::store::Store;
use crate::store::filter::{ActorMode, DateMode, Filter, FilterResult};

use super::command::Command;
use super::style::{self, thousands};

/// Panel-local state that is not part of the filter itself.
#[derive(Debug, Default)]
pub struct FilterPanel {
    pub actor_query: String,
    pub casualties_text: String,
    /// The actor list as shown (ids in display order, and how many matched
    /// the query), recomputed only when what it depends on changes: folding
    /// and sorting every actor name each frame is O(actors) per frame.
    actor_list: Option<(ActorListKey, Vec<usize>, usize)>,
}

/// What the shown actor list depends on: the dataset and filter result
/// generations (counts), the query and the chosen actors.
type ActorListKey = ((u64, u64), String, std::collections::BTreeSet<String>);

fn count_label(name: &str, count: Option<usize>) -> String {
    match count {
        Some(n) => format!("{name} ({n})"),
        None => name.to_string(),
    }
}

/// One checkbox of a facet: `name` with its count, chosen when `set`
/// holds `key` (a kind id, an actor's or a file's name).
fn choice(
    ui: &mut Ui,
    set: &mut std::collections::BTreeSet<String>,
    key: &str,
    name: &str,
    count: Option<usize>,
) {
    let mut on = set.contains(key);
    if ui.checkbox(&mut on, count_label(name, count)).changed() {
        if on {
            set.insert(key.to_string());
        } else {
            set.remove(key);
        }
    }
}

/// What the panel reads each frame.
pub struct FilterView<'a> {
    pub store: &'a Store,
    /// The filter in force.
    pub current: &'a Filter,
    pub result: Option<&'a FilterResult>,
    /// Why the filter cannot run (a date that does not parse).
    pub error: Option<&'a str>,
    /// Changes whenever `store` or `result` does (the actor list's cache).
    pub generation: (u64, u64),
}

impl FilterPanel {
    /// Draw the panel over a copy of the current filter; a change is
    /// pushed as [`Command::SetFilter`].
    pub fn ui(&mut self, ui: &mut Ui, view: &FilterView<'_>, out: &mut Vec<Command>) {
        let current = view.current;
        let mut filter = current.clone();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.heading("Filters");
                if let Some(r) = view.result {
                    ui.label(format!(
                        "{} of {} events shown",
                        thousands(r.count),
                        thousands(view.store.len())
                    ));
                }
                if filter.is_active() && ui.button("Clear all filters").clicked() {
                    filter = Filter::default();
                }
                kinds_ui(ui, view, &mut filter);
                violations_ui(ui, &mut filter);
                egui::CollapsingHeader::new("Actors")
                    .default_open(true)
                    .show(ui, |ui| self.actors_ui(ui, view, &mut filter));
                facet_ui(
                    ui,
                    "Countries and sides",
                    false,
                    view.store.countries.names(),
                    &mut filter.countries,
                    view.result.map(|r| r.country_counts.as_slice()),
                );
                if view.store.files.len() > 1 {
                    facet_ui(
                        ui,
                        "Source files",
                        true,
                        view.store.files.names(),
                        &mut filter.files,
                        view.result.map(|r| r.file_counts.as_slice()),
                    );
                }
                dates_ui(ui, view.error, &mut filter);
                egui::CollapsingHeader::new("More")
                    .default_open(true)
                    .show(ui, |ui| self.more_ui(ui, &mut filter));
            });
        if filter.min_casualties.is_none()
            && !self.casualties_text.trim().is_empty()
            && current.min_casualties.is_some()
        {
            self.casualties_text.clear();
        }
        if filter != *current {
            out.push(Command::SetFilter(Box::new(filter)));
        }
    }

    fn actors_ui(&mut self, ui: &mut Ui, view: &FilterView<'_>, filter: &mut Filter) {
        let (store, result) = (view.store, view.result);
        ui.horizontal(|ui| {
            ui.radio_value(&mut filter.actor_mode, ActorMode::Any, "any of");
            ui.radio_value(&mut filter.actor_mode, ActorMode::All, "all of");
        });
        ui.horizontal(|ui| {
            let l = ui.label("Find:");
            ui.add(egui::TextEdit::singleline(&mut self.actor_query).hint_text("an actor"))
                .labelled_by(l.id);
        });
        let key: ActorListKey = (
            view.generation,
            self.actor_query.clone(),
            filter.actors.clone(),
        );
        if self.actor_list.as_ref().is_none_or(|(k, ..)| *k != key) {
            let q = crate::store::filter::fold(&self.actor_query);
            let mut ids: Vec<usize> = (0..store.actors.len())
                .filter(|&i| {
                    q.is_empty()
                        || crate::store::filter::fold(store.actors.name(i as u32)).contains(&q)
                })
                .collect();
            // Chosen first, then the busiest.
            ids.sort_by_key(|&i| {
                (
                    !filter.actors.contains(store.actors.name(i as u32)),
                    std::cmp::Reverse(result.map_or(0, |r| r.actor_counts[i])),
                )
            });
            let total = ids.len();
            ids.truncate(SHOWN_ACTORS);
            self.actor_list = Some((key, ids, total));
        }
        let Some((_, ids, total)) = &self.actor_list else {
            return;
        };
        for &i in ids {
            let name = store.actors.name(i as u32);
            choice(
                ui,
                &mut filter.actors,
                name,
                name,
                result.map(|r| r.actor_counts[i]),
            );
        }
        if *total > SHOWN_ACTORS {
            ui.weak(format!("{} more; type to find them", total - SHOWN_ACTORS));
        }
    }

    fn more_ui(&mut self, ui: &mut Ui, filter: &mut Filter) {
        ui.horizontal(|ui| {
            let l = ui.label("Dead at least");
            let r = ui.add(
                egui::TextEdit::singleline(&mut self.casualties_text)
                    .hint_text("any")
                    .desired_width(60.0),
            );
            if r.labelled_by(l.id).changed() {
                filter.min_casualties = self.casualties_text.trim().parse().ok();
            }
        });
        ui.checkbox(&mut filter.has_coordinates, "Has coordinates");
        if let Some(a) = filter.area {
            ui.horizontal(|ui| {
                ui.label(format!("In the area {}", a.describe()));
                if ui.small_button("Clear area").clicked() {
                    filter.area = None;
                }
            });
        }
        ui.checkbox(&mut filter.starred, "Starred");
        ui.checkbox(&mut filter.tagged, "Tagged");
        let l = ui.label("Reviewed:");
        egui::ComboBox::from_id_salt("reviewed")
            .selected_text(match filter.reviewed {
                None => "either",
                Some(true) => "reviewed",
                Some(false) => "not reviewed",
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filter.reviewed, None, "either");
                ui.selectable_value(&mut filter.reviewed, Some(true), "reviewed");
                ui.selectable_value(&mut filter.reviewed, Some(false), "not reviewed");
            })
            .response
            .labelled_by(l.id);
    }
}

/// Truce violations (see `analysis::truce`): possible, reported.
fn violations_ui(ui: &mut Ui, filter: &mut Filter) {
    ui.horizontal(|ui| {
        ui.label("Violations:");
        ui.checkbox(&mut filter.violations.possible, "possible")
            .on_hover_text("Clashes between a truce's parties while it held");
        ui.checkbox(&mut filter.violations.reported, "reported")
            .on_hover_text("Events a source calls a ceasefire violation");
    });
}

/// How many actors the list shows before "type to find them".
const SHOWN_ACTORS: usize = 40;

fn kinds_ui(ui: &mut Ui, view: &FilterView<'_>, filter: &mut Filter) {
    let (store, result) = (view.store, view.result);
    egui::CollapsingHeader::new("Kinds")
        .default_open(true)
        .show(ui, |ui| {
            for (k, def) in store.kinds.iter().enumerate() {
                let count = result.map(|r| r.kind_counts[k]);
                if count == Some(0) && !filter.kinds.contains(&def.id) && store.kind_total(k) == 0 {
                    continue;
                }
                ui.horizontal(|ui| {
                    let (r, _) =
                        ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                    ui.painter().rect_filled(r, 2.0, style::color(def.color));
                    choice(ui, &mut filter.kinds, &def.id, &def.label, count);
                });
            }
        });
}

/// A facet of plain names (countries, files) with their counts.
fn facet_ui(
    ui: &mut Ui,
    title: &str,
    open: bool,
    names: &[String],
    chosen: &mut std::collections::BTreeSet<String>,
    counts: Option<&[usize]>,
) {
    egui::CollapsingHeader::new(title)
        .default_open(open)
        .show(ui, |ui| {
            for (i, name) in names.iter().enumerate() {
                choice(ui, chosen, name, name, counts.map(|c| c[i]));
            }
        });
}

fn dates_ui(ui: &mut Ui, error: Option<&str>, filter: &mut Filter) {
    egui::CollapsingHeader::new("Dates")
        .default_open(true)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                let l = ui.label("From");
                ui.add(
                    egui::TextEdit::singleline(&mut filter.date_from)
                        .hint_text("2022-08")
                        .desired_width(90.0),
                )
                .labelled_by(l.id);
                let l = ui.label("to");
                ui.add(
                    egui::TextEdit::singleline(&mut filter.date_to)
                        .hint_text("2022")
                        .desired_width(90.0),
                )
                .labelled_by(l.id);
            });
            ui.radio_value(
                &mut filter.date_mode,
                DateMode::Possibly,
                "possibly inside (dates may overlap the range)",
            );
            ui.radio_value(
                &mut filter.date_mode,
                DateMode::Certainly,
                "certainly inside (whole date in the range)",
            );
            if let Some(e) = error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        });
}

/// Chips of the active filters, each removable (a change is pushed as
/// [`Command::SetFilter`]).
pub fn chips_ui(ui: &mut Ui, current: &Filter, store: &Store, out: &mut Vec<Command>) {
    let before = current.clone();
    let mut filter = current.clone();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Filtered by").weak());
        let chip = |ui: &mut Ui, text: String| ui.small_button(format!("{text} ×")).clicked();
        for k in before.kinds.iter() {
            let label = store
                .kinds
                .iter()
                .find(|d| &d.id == k)
                .map_or(k.as_str(), |d| d.label.as_str());
            if chip(ui, format!("kind: {label}")) {
                filter.kinds.remove(k);
            }
        }
        let mode = if before.actor_mode == ActorMode::All {
            "all"
        } else {
            "any"
        };
        for a in before.actors.iter() {
            if chip(ui, format!("actor ({mode}): {a}")) {
                filter.actors.remove(a);
            }
        }
        for c in before.countries.iter() {
            if chip(ui, format!("country: {c}")) {
                filter.countries.remove(c);
            }
        }
        for f in before.files.iter() {
            if chip(ui, format!("file: {f}")) {
                filter.files.remove(f);
            }
        }
        if !before.date_from.trim().is_empty() || !before.date_to.trim().is_empty() {
            let mode = if before.date_mode == DateMode::Certainly {
                "certainly"
            } else {
                "possibly"
            };
            let text = format!(
                "{mode} {} – {}",
                if before.date_from.trim().is_empty() {
                    "…"
                } else {
                    before.date_from.trim()
                },
                if before.date_to.trim().is_empty() {
                    "…"
                } else {
                    before.date_to.trim()
                }
            );
            if chip(ui, text) {
                filter.date_from.clear();
                filter.date_to.clear();
            }
        }
        if let Some(n) = before.min_casualties
            && chip(ui, format!("dead >= {n}"))
        {
            filter.min_casualties = None;
        }
        if before.has_coordinates && chip(ui, "has coordinates".into()) {
            filter.has_coordinates = false;
        }
        if let Some(a) = before.area
            && chip(ui, format!("area: {}", a.describe()))
        {
            filter.area = None;
        }
        if before.starred && chip(ui, "starred".into()) {
            filter.starred = false;
        }
        if before.tagged && chip(ui, "tagged".into()) {
            filter.tagged = false;
        }
        if before.violations.is_set()
            && chip(ui, format!("violations: {}", before.violations.describe()))
        {
            filter.violations = Default::default();
        }
        if let Some(set) = &before.only
            && chip(ui, format!("events of {}", set.label))
        {
            filter.only = None;
        }
        if let Some(r) = before.reviewed
            && chip(
                ui,
                if r {
                    "reviewed".into()
                } else {
                    "not reviewed".into()
                },
            )
        {
            filter.reviewed = None;
        }
        if let Some(c) = &before.context {
            let mut days = c.days;
            ui.label("±");
            let width = ui
                .add(
                    egui::DragValue::new(&mut days)
                        .range(1..=36_500)
                        .suffix(" days"),
                )
                .on_hover_text("How many days before and after the event");
            if width.changed()
                && let Some(ctx) = &mut filter.context
            {
                ctx.days = days;
            }
            let title: String = if c.title.chars().count() > 60 {
                c.title.chars().take(59).chain(['…']).collect()
            } else {
                c.title.clone()
            };
            if chip(ui, format!("around \u{201c}{title}\u{201d}")) {
                filter.context = None;
            }
        }
        if ui.button("Clear all").clicked() {
            let search = filter.search.clone();
            filter = Filter::default();
            filter.search = search;
        }
    });
    if filter != before {
        out.push(Command::SetFilter(Box::new(filter)));
    }
}

//! The event table: virtualised (only visible rows are laid out), sortable,
//! its selection kept in step with the timeline.

use egui::{Sense, Ui};
use egui_extras::{Column, TableBuilder};

use super::command::Command;
use crate::store::{EventIx, Store};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Date,
    Kind,
    Title,
    Actors,
    Place,
    Casualties,
    Source,
}

const COLUMNS: [(SortKey, &str); 7] = [
    (SortKey::Date, "Date"),
    (SortKey::Kind, "Kind"),
    (SortKey::Title, "Title"),
    (SortKey::Actors, "Actors"),
    (SortKey::Place, "Place"),
    (SortKey::Casualties, "Dead"),
    (SortKey::Source, "Source"),
];

/// Which dataset and which filter result the rows come from.
pub type Generation = (u64, u64);

/// What the table shows this frame.
#[derive(Clone, Copy)]
pub struct TableView<'a> {
    pub store: &'a Store,
    /// The events the filter matches, in the store's order.
    pub rows: &'a [EventIx],
    /// Changes whenever `store` or `rows` does (the sort's cache).
    pub generation: Generation,
    pub selected: Option<EventIx>,
}

#[derive(Debug, Default)]
pub struct TablePanel {
    pub sort: SortKey,
    pub descending: bool,
    /// Rows in display order, and what they were computed from.
    order: Vec<EventIx>,
    order_key: Option<(Generation, SortKey, bool)>,
    last_selected: Option<EventIx>,
}

fn actors(store: &Store, ix: EventIx) -> String {
    store.actor_names(ix).collect::<Vec<_>>().join(", ")
}

fn place(store: &Store, ix: EventIx) -> String {
    store.place_name(ix).unwrap_or_default().to_owned()
}

fn source(store: &Store, ix: EventIx) -> String {
    store.first_source_name(ix).unwrap_or_default().to_owned()
}

impl TablePanel {
    /// The rows in display order. `rows` come in time order; `generation`
    /// changes whenever they do.
    pub fn ordered(
        &mut self,
        store: &Store,
        rows: &[EventIx],
        generation: Generation,
    ) -> &[EventIx] {
        let key = (generation, self.sort, self.descending);
        if self.order_key != Some(key) {
            let mut order = rows.to_vec();
            match self.sort {
                SortKey::Date => {}
                SortKey::Kind => order.sort_by_key(|&i| store.kind[i as usize]),
                SortKey::Title => order.sort_by_cached_key(|&i| store.title(i).to_lowercase()),
                SortKey::Actors => order.sort_by_cached_key(|&i| actors(store, i).to_lowercase()),
                SortKey::Place => order.sort_by_cached_key(|&i| place(store, i).to_lowercase()),
                SortKey::Casualties => {
                    order.sort_by_key(|&i| store.casualties(i).and_then(|c| c.figure()))
                }
                SortKey::Source => order.sort_by_cached_key(|&i| source(store, i).to_lowercase()),
            }
            if self.descending {
                order.reverse();
            }
            self.order = order;
            self.order_key = Some(key);
        }
        &self.order
    }

    pub fn ui(&mut self, ui: &mut Ui, view: &TableView<'_>, out: &mut Vec<Command>) {
        let TableView {
            store,
            rows,
            generation,
            selected,
        } = *view;
        self.ordered(store, rows, generation);
        // Borrowed out for the frame (the header below changes the sort).
        let order = std::mem::take(&mut self.order);
        ui.horizontal(|ui| {
            ui.label(format!("{} events in the table", order.len()));
            if ui
                .button("Copy rows as CSV")
                .on_hover_text("Copy the table's rows, with every field, to the clipboard")
                .clicked()
            {
                let mut buf = Vec::new();
                let events = order.iter().filter_map(|&i| store.event(i));
                if crate::io::export::write_csv(events, &mut buf).is_ok() {
                    ui.ctx()
                        .copy_text(String::from_utf8_lossy(&buf).into_owned());
                }
            }
        });
        // Follow a selection made elsewhere (the timeline, `.`, search).
        let scroll_to = if selected != self.last_selected {
            self.last_selected = selected;
            selected.and_then(|s| order.iter().position(|&i| i == s))
        } else {
            None
        };
        let mut table = TableBuilder::new(ui)
            .id_salt("events-table")
            .striped(true)
            .sense(Sense::click())
            .resizable(true)
            .auto_shrink([false, false])
            .column(Column::initial(150.0).at_least(80.0))
            .column(Column::initial(110.0).at_least(60.0))
            .column(Column::initial(380.0).at_least(120.0).clip(true))
            .column(Column::initial(220.0).at_least(80.0).clip(true))
            .column(Column::initial(130.0).at_least(60.0).clip(true))
            .column(Column::initial(60.0).at_least(40.0))
            .column(Column::remainder().at_least(80.0).clip(true));
        if let Some(row) = scroll_to {
            table = table.scroll_to_row(row, Some(egui::Align::Center));
        }
        table
            .header(22.0, |mut header| {
                for (key, name) in COLUMNS {
                    header.col(|ui| {
                        let arrow = if self.sort == key {
                            if self.descending { " v" } else { " ^" }
                        } else {
                            ""
                        };
                        if ui
                            .button(format!("{name}{arrow}"))
                            .on_hover_text(format!("Sort by {}", name.to_lowercase()))
                            .clicked()
                        {
                            if self.sort == key {
                                self.descending = !self.descending;
                            } else {
                                self.sort = key;
                                self.descending = false;
                            }
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(20.0, order.len(), |mut row| {
                    let ix = order[row.index()];
                    // Cells read the store's columns: no whole event is
                    // built per row per frame.
                    let Some((start, end)) = store.dates(ix) else {
                        return;
                    };
                    let when = crate::model::When {
                        start,
                        end,
                        note: None,
                    };
                    row.set_selected(selected == Some(ix));
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(when.describe())
                                .truncate()
                                .selectable(false),
                        );
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(
                                store
                                    .kind_def(ix)
                                    .map_or(store.kind_id(ix), |k| k.label.as_str()),
                            )
                            .truncate(),
                        );
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(store.title(ix))
                                .truncate()
                                .selectable(false),
                        );
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(actors(store, ix))
                                .truncate()
                                .selectable(false),
                        );
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(place(store, ix))
                                .truncate()
                                .selectable(false),
                        );
                    });
                    row.col(|ui| {
                        if let Some(n) = store.casualties(ix).and_then(|c| c.figure()) {
                            ui.add(egui::Label::new(n.to_string()).selectable(false));
                        }
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(source(store, ix))
                                .truncate()
                                .selectable(false),
                        );
                    });
                    if row.response().clicked() {
                        out.push(Command::SelectAndShow(ix));
                    }
                });
            });
        self.order = order;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_and_reversing() {
        let store = Store::build(crate::default_dataset().unwrap().dataset);
        let rows: Vec<EventIx> = (0..store.len() as EventIx).collect();
        let mut t = TablePanel::default();
        assert_eq!(t.ordered(&store, &rows, (1, 0)), rows.as_slice());
        t.sort = SortKey::Casualties;
        t.descending = true;
        let first = t.ordered(&store, &rows, (1, 0))[0];
        assert_eq!(store.event(first).unwrap().id, "2020-six-week-war");
        t.sort = SortKey::Title;
        t.descending = false;
        let titles: Vec<String> = t
            .ordered(&store, &rows, (1, 0))
            .iter()
            .map(|&i| store.event(i).unwrap().title.to_lowercase())
            .collect();
        assert!(titles.windows(2).all(|w| w[0] <= w[1]));
    }
}

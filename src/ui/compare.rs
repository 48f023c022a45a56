//! The compare panel: before, during and after the selected event (or the
//! chosen range), as numbers and a small chart, with the truce period's
//! violations when the event is a truce.

use std::sync::Arc;

use egui::{Color32, RichText, Ui};
use egui_plot::{Bar, BarChart, Legend, Plot};

use crate::analysis::compare::{
    Comparison, Fatalities, Tally, boundary_of, compare, difference, ratio,
};
use crate::analysis::truce::{PeriodEnd, TrucePeriod, Truces};
use crate::model::date::from_instant;
use crate::model::{FuzzyDate, Instant};
use crate::store::filter::{Filter, ViolationFacet};
use crate::store::{EventIx, Store};

use super::command::Command;
use super::style;

/// What the panel compares around.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareTarget {
    Event(EventIx),
    Range(Instant, Instant),
}

/// Windows offered as buttons, in days either side.
pub const PRESETS: [i64; 3] = [7, 30, 90];

/// What the panel reads each frame.
pub struct CompareView<'a> {
    pub store: &'a Arc<Store>,
    /// The filter's visible events (`None`: not filtered yet, all).
    pub mask: Option<&'a [bool]>,
    pub truces: Option<&'a Truces>,
    pub filter: &'a Filter,
    /// Dataset serial and filter generation: the cache key.
    pub generation: (u64, u64),
    /// Changes when the truce periods are found again (a user's end).
    pub truces_version: u64,
}

type Key = ((u64, u64), CompareTarget, i64, (bool, u64));
/// A comparison and, for a truce, its period's (possible, reported)
/// violations.
type Cached = (Key, Arc<Comparison>, Option<(usize, usize)>);

pub struct ComparePanel {
    pub target: Option<CompareTarget>,
    /// Days either side.
    pub days: i64,
    days_text: String,
    end_text: String,
    end_error: Option<String>,
    cache: Option<Cached>,
}

impl Default for ComparePanel {
    fn default() -> Self {
        ComparePanel {
            target: None,
            days: 30,
            days_text: "30".into(),
            end_text: String::new(),
            end_error: None,
            cache: None,
        }
    }
}

fn day_text(t: Instant) -> String {
    from_instant(t).map_or_else(String::new, |d| d.format("%-d %b %Y").to_string())
}

/// "3" or "3 (+1 possible)".
pub fn count_text(certain: usize, possible: usize) -> String {
    if possible == 0 {
        style::thousands(certain)
    } else {
        format!(
            "{} (+{} possible)",
            style::thousands(certain),
            style::thousands(possible)
        )
    }
}

fn change_text(before: usize, after: usize) -> (String, String) {
    let d = difference(before, after);
    let change = if d > 0 {
        format!("+{d}")
    } else {
        d.to_string()
    };
    let r = ratio(before, after).map_or_else(|| "–".to_string(), |r| format!("×{r:.2}"));
    (change, r)
}

fn fatalities_text(certain: &Fatalities, possible: &Fatalities) -> String {
    let base = certain.describe();
    if possible.events == 0 {
        base
    } else {
        format!("{base} (+{} possible)", possible.describe())
    }
}

/// One grid cell, its accessible name saying which row and column it is.
fn cell(ui: &mut Ui, row: &str, column: &str, text: String) {
    let r = ui.label(&text);
    let name = format!("{row}, {column}: {text}");
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &name));
}

impl ComparePanel {
    pub fn open(&mut self, target: CompareTarget) {
        self.target = Some(target);
        self.end_text.clear();
        self.end_error = None;
    }

    pub fn close(&mut self) {
        self.target = None;
    }

    pub fn is_open(&self) -> bool {
        self.target.is_some()
    }

    /// The comparison as last computed (tests).
    pub fn comparison(&self) -> Option<&Comparison> {
        self.cache.as_ref().map(|c| c.1.as_ref())
    }

    fn boundary(&self, store: &Store) -> Option<(Instant, Instant)> {
        match self.target? {
            CompareTarget::Event(ix) => boundary_of(store, ix),
            CompareTarget::Range(a, b) => Some((a, b)),
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, view: &CompareView<'_>, out: &mut Vec<Command>) {
        let ctx = &ui.ctx().clone();
        let Some(target) = self.target else { return };
        let Some((b0, b1)) = self.boundary(view.store) else {
            self.target = None;
            return;
        };
        let truce_key = (view.truces.is_some(), view.truces_version);
        let key = (view.generation, target, self.days, truce_key);
        if self.cache.as_ref().is_none_or(|c| c.0 != key) {
            let flags: &[u8] = view.truces.map_or(&[][..], |t| t.flags.as_slice());
            let c = compare(view.store, b0, b1, self.days, view.mask, flags);
            let period = self.period(view);
            let counts = period.map(|(t, p)| {
                let (a, b) = t.violations_of(view.store, p, view.mask);
                (a.len(), b.len())
            });
            self.cache = Some((key, Arc::new(c), counts));
        }
        let Some((_, c, period_counts)) = self.cache.clone() else {
            return;
        };
        let mut open = true;
        egui::Window::new("Compare before and after")
            .open(&mut open)
            .default_pos(ctx.content_rect().right_top() + egui::vec2(-720.0, 80.0))
            .default_size([560.0, 700.0])
            .resizable(true)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    self.header_ui(ui, view, target, b0, b1);
                    self.truce_ui(ui, view, period_counts, out);
                    ui.separator();
                    numbers_ui(ui, view.store, &c);
                    ui.weak("A span counts in every window it reaches, with all its dead.");
                    ui.add_space(6.0);
                    chart_ui(ui, view.store, &c);
                    actors_ui(ui, view.store, &c);
                });
            });
        if !open {
            out.push(Command::CloseCompare);
        }
    }

    /// The truce period the selected event opens, if it is a truce.
    fn period<'t>(&self, view: &CompareView<'t>) -> Option<(&'t Truces, &'t TrucePeriod)> {
        let Some(CompareTarget::Event(ix)) = self.target else {
            return None;
        };
        let truces = view.truces?;
        Some((truces, truces.period_of(ix)?))
    }

    fn header_ui(
        &mut self,
        ui: &mut Ui,
        view: &CompareView<'_>,
        target: CompareTarget,
        b0: Instant,
        b1: Instant,
    ) {
        let around = match target {
            CompareTarget::Event(ix) => view
                .store
                .event(ix)
                .map_or_else(String::new, |e| format!("Around: {}", e.title)),
            CompareTarget::Range(..) => "Around the chosen range".to_string(),
        };
        ui.label(RichText::new(around).strong());
        let during = if day_text(b0) == day_text(b1) {
            day_text(b0)
        } else {
            format!("{} – {}", day_text(b0), day_text(b1))
        };
        ui.weak(format!(
            "During: {during}. Before and after: {} either side.",
            style::plural(self.days as usize, "day", "days")
        ));
        if view.filter.hides_events() {
            ui.weak("Counting only what the filter shows.");
        }
        ui.horizontal(|ui| {
            ui.label("Window:");
            for d in PRESETS {
                if ui
                    .selectable_label(self.days == d, format!("±{d} days"))
                    .clicked()
                {
                    self.days = d;
                    self.days_text = d.to_string();
                }
            }
            let l = ui.label("or days:");
            let r = ui.add(egui::TextEdit::singleline(&mut self.days_text).desired_width(48.0));
            let r = r.labelled_by(l.id);
            if r.changed()
                && let Ok(d) = self.days_text.trim().parse::<i64>()
                && (1..=36_500).contains(&d)
            {
                self.days = d;
            }
        });
        ui.weak("Certain: every date the sources allow puts the event in the window. Possible: only some do.");
    }

    fn truce_ui(
        &mut self,
        ui: &mut Ui,
        view: &CompareView<'_>,
        counts: Option<(usize, usize)>,
        out: &mut Vec<Command>,
    ) {
        let Some((_, p)) = self.period(view) else {
            return;
        };
        let Some(e) = view.store.event(p.truce) else {
            return;
        };
        ui.separator();
        ui.label(RichText::new("Truce period").strong());
        let end = match p.ended_by {
            PeriodEnd::Open => {
                "still open (no end date, no later truce among the same parties)".to_string()
            }
            PeriodEnd::Own => format!("until {} (its own end)", day_text(p.end)),
            PeriodEnd::NextTruce(next) => format!(
                "until {}, before the next truce among the same parties ({})",
                day_text(p.end),
                view.store.title(next)
            ),
            PeriodEnd::User => format!("until {} (the end you set)", day_text(p.end)),
        };
        let parties: Vec<&str> = view
            .truces
            .map(|t| p.parties.iter().map(|&x| t.party_name(x)).collect())
            .unwrap_or_default();
        ui.label(format!("From {} {end}.", day_text(p.start)));
        ui.weak(format!("Parties: {}", parties.join(", ")));
        let (possible, reported) = counts.unwrap_or((0, 0));
        ui.horizontal(|ui| {
            cell(
                ui,
                "Truce period",
                "possible violations",
                style::thousands(possible),
            );
            ui.label("possible violations (clashes between its parties),");
            cell(
                ui,
                "Truce period",
                "reported violations",
                style::thousands(reported),
            );
            ui.label("reported (a source calls them violations)");
        });
        ui.horizontal(|ui| {
            if ui
                .button("Show the violations")
                .on_hover_text("Filter to possible and reported truce violations")
                .clicked()
            {
                let mut f = view.filter.clone();
                f.violations = ViolationFacet {
                    possible: true,
                    reported: true,
                };
                out.push(Command::SetFilter(Box::new(f)));
            }
            let l = ui.label("End the period on:");
            let r = ui.add(
                egui::TextEdit::singleline(&mut self.end_text)
                    .hint_text("2021-06-30")
                    .desired_width(90.0),
            );
            let r = r.labelled_by(l.id);
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui.button("Set end").clicked() || enter {
                match FuzzyDate::parse(self.end_text.trim()) {
                    Ok(d) => {
                        self.end_error = None;
                        out.push(Command::SetTruceEnd(e.id.clone(), Some(d.latest)));
                    }
                    Err(err) => self.end_error = Some(err.to_string()),
                }
            }
            if p.ended_by == PeriodEnd::User && ui.button("As the data says").clicked() {
                self.end_text.clear();
                out.push(Command::SetTruceEnd(e.id.clone(), None));
            }
        });
        if let Some(err) = &self.end_error {
            ui.colored_label(ui.visuals().error_fg_color, err);
        }
    }
}

/// Rows of counts: all events, each kind, the dead, violations, actors.
fn numbers_ui(ui: &mut Ui, store: &Store, c: &Comparison) {
    let windows: [(&str, &Tally); 3] = [
        ("Before", &c.before),
        ("During", &c.during),
        ("After", &c.after),
    ];
    egui::Grid::new("compare-grid")
        .num_columns(6)
        .striped(true)
        .spacing([14.0, 4.0])
        .show(ui, |ui| {
            ui.label("");
            for h in ["Before", "During", "After", "Change", "Ratio"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            let row =
                |ui: &mut Ui, name: &str, values: [(usize, usize); 3], color: Option<Color32>| {
                    match color {
                        Some(col) => ui.label(RichText::new(name).color(col)),
                        None => ui.label(name),
                    };
                    for (w, (certain, possible)) in windows.iter().zip(values) {
                        cell(ui, name, w.0, count_text(certain, possible));
                    }
                    let (change, r) = change_text(values[0].0, values[2].0);
                    cell(ui, name, "Change", change);
                    cell(ui, name, "Ratio", r);
                    ui.end_row();
                };
            row(
                ui,
                "All events",
                windows.map(|(_, t)| (t.certain, t.possible)),
                None,
            );
            for (k, def) in store.kinds.iter().enumerate() {
                let values = windows.map(|(_, t)| t.kinds.get(k).copied().unwrap_or((0, 0)));
                if values.iter().all(|v| *v == (0, 0)) {
                    continue;
                }
                row(ui, &def.label, values, Some(style::color(def.color)));
            }
            ui.label("Dead");
            for (name, t) in windows {
                cell(
                    ui,
                    "Dead",
                    name,
                    fatalities_text(&t.fatalities, &t.possible_fatalities),
                );
            }
            let (change, r) = change_text(
                c.before.fatalities.best as usize,
                c.after.fatalities.best as usize,
            );
            cell(ui, "Dead", "Change", change);
            cell(ui, "Dead", "Ratio", r);
            ui.end_row();
            row(
                ui,
                "Possible violations",
                windows.map(|(_, t)| (t.possible_violations, 0)),
                None,
            );
            row(
                ui,
                "Reported violations",
                windows.map(|(_, t)| (t.reported_violations, 0)),
                None,
            );
        });
}

/// Each actor's certain events in each window, most active first.
fn actors_ui(ui: &mut Ui, store: &Store, c: &Comparison) {
    let actors = c.actor_rows();
    if actors.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.label(RichText::new("Actors (certain events)").strong());
    egui::Grid::new("compare-actors")
        .num_columns(6)
        .striped(true)
        .spacing([14.0, 4.0])
        .show(ui, |ui| {
            ui.label("");
            for h in ["Before", "During", "After", "Change", "Ratio"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for (a, counts) in actors.iter().take(12) {
                let name = store.actors.name(*a);
                ui.label(name);
                for (w, n) in ["Before", "During", "After"].iter().zip(counts) {
                    cell(ui, name, w, style::thousands(*n));
                }
                let (change, r) = change_text(counts[0], counts[2]);
                cell(ui, name, "Change", change);
                cell(ui, name, "Ratio", r);
                ui.end_row();
            }
        });
    if actors.len() > 12 {
        ui.weak(format!("and {} more actors", actors.len() - 12));
    }
}

/// Certain events per kind, before beside after.
fn chart_ui(ui: &mut Ui, store: &Store, c: &Comparison) {
    let kinds: Vec<usize> = (0..store.kinds.len())
        .filter(|&k| {
            [&c.before, &c.during, &c.after]
                .iter()
                .any(|t| t.kinds.get(k).is_some_and(|v| v.0 > 0))
        })
        .collect();
    if kinds.is_empty() {
        ui.weak("No events certainly in these windows.");
        return;
    }
    let dark = ui.visuals().dark_mode;
    let shade = |w: usize| match (w, dark) {
        (0, _) => Color32::from_gray(150),
        (1, true) => Color32::from_rgb(200, 170, 60),
        (1, false) => Color32::from_rgb(190, 140, 20),
        _ => Color32::from_rgb(60, 130, 200),
    };
    let names = ["Before", "During", "After"];
    let charts: Vec<BarChart> = [&c.before, &c.during, &c.after]
        .iter()
        .enumerate()
        .map(|(w, t)| {
            let bars = kinds
                .iter()
                .enumerate()
                .map(|(x, &k)| {
                    Bar::new(x as f64 + (w as f64 - 1.0) * 0.27, t.kinds[k].0 as f64)
                        .width(0.25)
                        .name(format!("{} {}", names[w], store.kinds[k].label))
                })
                .collect();
            BarChart::new(names[w], bars).color(shade(w))
        })
        .collect();
    let labels: Vec<String> = kinds
        .iter()
        .map(|&k| store.kinds[k].label.clone())
        .collect();
    Plot::new("compare-chart")
        .height(150.0)
        .legend(Legend::default())
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_grid([false, true])
        .include_y(0.0)
        .x_axis_formatter(move |mark, _| {
            let x = mark.value.round();
            if (mark.value - x).abs() < 1e-6 && x >= 0.0 {
                labels.get(x as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            for chart in charts {
                plot.bar_chart(chart);
            }
        });
}

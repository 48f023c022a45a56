//! The detail panel: everything known about the selected event, with every
//! source and its quote.

use egui::{Color32, RichText, Ui};

use crate::model::{Event, FuzzyDate};
use crate::store::{EventIx, Store};

use super::annotations::Annotations;
use super::command::Command;
use super::notes::NotesPanel;
use super::style;

/// The right-hand panel: the selected event and the user's notes on it.
#[derive(Debug, Default)]
pub struct DetailPanel {
    pub notes: NotesPanel,
}

/// The event the detail and notes panels show, and its notes.
#[derive(Clone, Copy)]
pub struct EventView<'a> {
    pub store: &'a Store,
    pub ix: EventIx,
    pub annotations: &'a Annotations,
}

impl DetailPanel {
    pub fn ui(&mut self, ui: &mut Ui, view: &EventView<'_>, out: &mut Vec<Command>) {
        let EventView { store, ix, .. } = *view;
        ui.horizontal(|ui| {
            ui.label(RichText::new("Event").small_raised());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button("Close")
                    .on_hover_text("Clear the selection (Esc)")
                    .clicked()
                {
                    out.push(Command::Select(None));
                }
                if ui
                    .button("Context")
                    .on_hover_text("Show only the days around this event (X)")
                    .clicked()
                {
                    out.push(Command::Context(ix));
                }
                if ui
                    .button("Compare")
                    .on_hover_text("Compare before and after this event (C)")
                    .clicked()
                {
                    out.push(Command::Compare);
                }
            });
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                event_ui(ui, store, ix);
                self.notes.ui(ui, view, out);
            });
    }
}

/// Only web links are opened, and only when clicked.
pub fn is_web_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !lower.contains(char::is_whitespace)
}

fn precision_words(d: &FuzzyDate) -> String {
    let mut words = vec![format!("{} precision", d.precision.name())];
    if d.is_window() {
        words.push("somewhere in this window".into());
    }
    if d.approximate {
        words.push("approximate".into());
    }
    if d.uncertain {
        words.push("uncertain".into());
    }
    words.join(", ")
}

/// Everything known about one event.
fn event_ui(ui: &mut Ui, store: &Store, ix: EventIx) {
    let Some(e) = store.event(ix) else {
        ui.weak("The selected event is not in this dataset.");
        return;
    };
    ui.add(egui::Label::new(RichText::new(&e.title).heading()).wrap());
    ui.add_space(4.0);
    if let Some(k) = store.kind_def(ix) {
        ui.horizontal(|ui| {
            let (r, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
            ui.painter().rect_filled(r, 2.0, style::color(k.color));
            ui.label(&k.label);
        });
    }
    ui.add_space(6.0);
    section(ui, "When");
    ui.label(RichText::new(e.when.describe()).strong());
    match &e.when.end {
        None => {
            ui.weak(precision_words(&e.when.start));
        }
        Some(end) => {
            ui.weak(format!("Start: {}", precision_words(&e.when.start)));
            ui.weak(format!("End: {}", precision_words(end)));
        }
    }
    if let Some(note) = &e.when.note {
        ui.add(egui::Label::new(RichText::new(note).italics()).wrap());
    }

    if !e.actors.is_empty() {
        section(ui, "Actors");
        for a in &e.actors {
            let mut line = a.name.clone();
            let mut more = vec![a.role.label().to_string()];
            if let Some(af) = &a.affiliation {
                more.push(af.clone());
            }
            if let Some(c) = &a.country {
                more.push(c.clone());
            }
            line.push_str(&format!(" — {}", more.join(", ")));
            ui.add(egui::Label::new(line).wrap());
        }
    }
    if let Some(p) = &e.place {
        section(ui, "Place");
        let mut parts = vec![p.name.clone()];
        parts.extend(p.admin.clone());
        parts.extend(p.country.clone());
        ui.label(parts.join(", "));
        if let (Some(lat), Some(lon)) = (p.lat, p.lon) {
            ui.weak(format!("{lat:.4}, {lon:.4}"));
        }
        if let Some(prec) = &p.precision {
            ui.weak(format!("Location precision: {prec}"));
        }
    }
    if let Some(c) = &e.casualties {
        section(ui, "Casualties");
        ui.label(format!("Dead: {}", c.describe()));
    }
    if !e.description.is_empty() {
        section(ui, "Description");
        ui.add(egui::Label::new(&e.description).wrap());
    }
    sources_ui(ui, &e);
    if !e.tags.is_empty() {
        section(ui, "Tags");
        ui.label(e.tags.join(", "));
    }
    if !e.codes.is_empty() || !e.extra.is_empty() || e.provenance.is_some() {
        ui.add_space(6.0);
        egui::CollapsingHeader::new("More fields")
            .id_salt(("more", ix))
            .show(ui, |ui| {
                if let Some(p) = &e.provenance {
                    let mut parts = vec![format!("format {}", p.format)];
                    parts.extend(p.file.clone());
                    parts.extend(p.record.as_ref().map(|r| format!("record {r}")));
                    parts.extend(p.line.map(|l| format!("line {l}")));
                    ui.label(format!("Read from: {}", parts.join(", ")));
                }
                for (k, v) in &e.codes {
                    ui.label(format!("{k}: {v}"));
                }
                for (k, v) in &e.extra {
                    let v = match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    ui.label(format!("{k}: {v}"));
                }
            });
    }
    ui.add_space(4.0);
    ui.weak(format!("Id: {}", e.id));
}

fn section(ui: &mut Ui, title: &str) {
    ui.add_space(8.0);
    ui.label(
        RichText::new(title)
            .small_raised()
            .color(ui.visuals().weak_text_color()),
    );
}

fn sources_ui(ui: &mut Ui, e: &Event) {
    if e.sources.is_empty() {
        section(ui, "Sources");
        ui.colored_label(
            Color32::from_rgb(200, 120, 0),
            "No source is given for this event.",
        );
        return;
    }
    section(
        ui,
        if e.sources.len() == 1 {
            "Source"
        } else {
            "Sources"
        },
    );
    for (i, s) in e.sources.iter().enumerate() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let mut head = Vec::new();
            head.extend(s.publisher.clone());
            head.extend(s.published.map(|d| d.describe()));
            if !head.is_empty() {
                ui.label(RichText::new(head.join(", ")).strong());
            }
            if let Some(t) = &s.title {
                ui.add(egui::Label::new(RichText::new(t).italics()).wrap());
            }
            if let Some(q) = &s.quote {
                ui.add(egui::Label::new(format!("“{q}”")).wrap());
            }
            if let Some(c) = &s.credit {
                ui.weak(c);
            }
            if let Some(url) = &s.url {
                if is_web_link(url) {
                    // Opened in the browser only on click.
                    ui.hyperlink_to(format!("Open source {}", i + 1), url.trim());
                } else {
                    ui.weak(format!("Link (not opened: not a web address): {url}"));
                }
            }
        });
        ui.add_space(2.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_open() {
        assert!(is_web_link("https://www.rferl.org/a/x.html"));
        assert!(is_web_link("HTTP://example.org"));
        assert!(!is_web_link("file:///etc/passwd"));
        assert!(!is_web_link("javascript:alert(1)"));
        assert!(!is_web_link("https://a b"));
    }
}

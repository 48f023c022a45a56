//! The Export view dialog (File → Export view…, Ctrl+Shift+E): format,
//! size, paper, range and theme. Its buttons ask the app to pick a file
//! and render off the UI thread, or to copy the view as an image.

use egui::{RichText, Ui};

use crate::render::{ExportFormat, PageSize, Theme};
use crate::ui::command::Command;

/// How big a PNG is: a multiple of the view, or a width in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PngSize {
    Scale(u8),
    Pixels(u32),
}

/// What the dialog chose.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportViewSettings {
    pub format: ExportFormat,
    pub png: PngSize,
    pub page: PageSize,
    pub landscape: bool,
    /// Export the typed range rather than the visible one.
    pub typed_range: bool,
    pub from: String,
    pub to: String,
    pub theme: Theme,
}

impl Default for ExportViewSettings {
    fn default() -> Self {
        ExportViewSettings {
            format: ExportFormat::Svg,
            png: PngSize::Scale(2),
            page: PageSize::A4,
            landscape: true,
            typed_range: false,
            from: String::new(),
            to: String::new(),
            theme: Theme::Light,
        }
    }
}

#[derive(Default)]
pub struct ExportViewDialog {
    pub open: bool,
    pub settings: ExportViewSettings,
    /// Why the last attempt could not start (a bad typed date).
    pub error: Option<String>,
}

impl ExportViewDialog {
    /// The dialog, when open. `visible`: the visible range in words.
    pub fn ui(&mut self, ui: &mut egui::Ui, visible: &str, out: &mut Vec<Command>) {
        let ctx = &ui.ctx().clone();
        if !self.open {
            return;
        }
        let mut open = true;
        egui::Window::new("Export view")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            // Room for both typed dates on one line.
            .min_width(500.0)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| self.body(ui, visible, out));
        if !open {
            self.open = false;
        }
    }

    fn body(&mut self, ui: &mut Ui, visible: &str, out: &mut Vec<Command>) {
        let s = &mut self.settings;
        egui::Grid::new("export-view")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                ui.label("Format");
                ui.horizontal(|ui| {
                    for f in ExportFormat::ALL {
                        ui.selectable_value(&mut s.format, f, f.label());
                    }
                });
                ui.end_row();
                match s.format {
                    ExportFormat::Png => {
                        ui.label("Size");
                        ui.horizontal(|ui| {
                            for k in [1u8, 2, 4] {
                                ui.selectable_value(&mut s.png, PngSize::Scale(k), format!("{k}×"));
                            }
                            let pixels = matches!(s.png, PngSize::Pixels(_));
                            if ui.selectable_label(pixels, "Width in pixels").clicked() && !pixels {
                                s.png = PngSize::Pixels(3000);
                            }
                            if let PngSize::Pixels(w) = &mut s.png {
                                ui.add(egui::DragValue::new(w).range(300..=30_000).suffix(" px"));
                            }
                        });
                        ui.end_row();
                    }
                    ExportFormat::Pdf => {
                        ui.label("Paper");
                        ui.horizontal(|ui| {
                            for p in PageSize::ALL {
                                ui.selectable_value(&mut s.page, p, p.label());
                            }
                            ui.separator();
                            ui.selectable_value(&mut s.landscape, true, "Landscape");
                            ui.selectable_value(&mut s.landscape, false, "Portrait");
                        });
                        ui.end_row();
                    }
                    ExportFormat::Svg => {}
                }
                ui.label("Range");
                ui.vertical(|ui| {
                    ui.radio_value(&mut s.typed_range, false, format!("Visible: {visible}"));
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut s.typed_range, true, "Typed:");
                        let from = ui.label("from");
                        ui.add_enabled(
                            s.typed_range,
                            egui::TextEdit::singleline(&mut s.from)
                                .hint_text("2022-07")
                                .desired_width(96.0),
                        )
                        .labelled_by(from.id);
                        let to = ui.label("to");
                        ui.add_enabled(
                            s.typed_range,
                            egui::TextEdit::singleline(&mut s.to)
                                .hint_text("2022-08")
                                .desired_width(96.0),
                        )
                        .labelled_by(to.id);
                    });
                });
                ui.end_row();
                ui.label("Theme");
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut s.theme, Theme::Light, "Light");
                    ui.selectable_value(&mut s.theme, Theme::Dark, "Dark");
                });
                ui.end_row();
            });
        if s.format == ExportFormat::Pdf {
            ui.label(
                RichText::new("A range wider than a page runs over several pages.")
                    .weak()
                    .small(),
            );
        }
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ui.separator();
        ui.horizontal(|ui| {
            if ui
                .button(format!("Export {}…", self.settings.format.label()))
                .on_hover_text("Choose where to write it")
                .clicked()
            {
                out.push(Command::ExportViewPick);
            }
            if ui
                .button("Copy view as image")
                .on_hover_text("A PNG of the view, to paste into a document")
                .clicked()
            {
                out.push(Command::CopyViewImage);
            }
            if ui.button("Cancel").clicked() {
                self.open = false;
            }
        });
    }
}

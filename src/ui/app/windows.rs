//! Windows over the timeline: keyboard help, the problems found while
//! reading, and the unsaved-work question.

use egui::RichText;

use super::EventlineApp;
use crate::io::{Severity, memory};
use crate::ui::command::{Command, UnsavedAnswer};
use crate::ui::frame_stats::millis;
use crate::ui::loader::{FileProblem, Source};
use crate::ui::style;
use crate::ui::timeline::SHORTCUTS;

impl EventlineApp {
    pub(super) fn help_window(&self, ctx: &egui::Context, out: &mut Vec<Command>) {
        let mut open = self.show_help;
        egui::Window::new("Keyboard and mouse")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                // The list is longer than a small window is tall: it scrolls
                // rather than run off the screen.
                let room = (ctx.content_rect().height() - 90.0).max(160.0);
                egui::ScrollArea::vertical()
                    .max_height(room)
                    .show(ui, |ui| {
                        egui::Grid::new("shortcuts")
                            .num_columns(2)
                            .striped(true)
                            .show(ui, |ui| {
                                for (keys, what) in SHORTCUTS {
                                    ui.label(RichText::new(*keys).monospace().strong());
                                    ui.label(*what);
                                    ui.end_row();
                                }
                            });
                    });
            });
        if self.show_help && !open {
            out.push(Command::ToggleHelp);
        }
    }

    /// Where the window's time goes: the last frames' timings (F12).
    pub(super) fn frame_stats_window(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) {
        let mut open = self.show_frame_stats;
        let resident = self.frame_stats.resident();
        let stats = &self.frame_stats;
        egui::Window::new("Frame times")
            .open(&mut open)
            .resizable(false)
            .default_pos([900.0, 90.0])
            .show(ctx, |ui| {
                ui.label(format!("The last {} frames drawn", stats.frames()));
                egui::Grid::new("frame-times")
                    .num_columns(4)
                    .striped(true)
                    .show(ui, |ui| {
                        for h in ["", "median", "95th percentile", "worst"] {
                            ui.label(RichText::new(h).strong());
                        }
                        ui.end_row();
                        for (name, s) in stats.summary() {
                            ui.label(name);
                            for d in [s.p50, s.p95, s.max] {
                                ui.label(RichText::new(millis(d)).monospace());
                            }
                            ui.end_row();
                        }
                    });
                if let Some(d) = stats.last_filter {
                    ui.label(format!("Last filter or search run: {}", millis(d)));
                }
                if let Some(t) = &stats.last_load {
                    for (file, d, cached) in &t.files {
                        let how = if *cached {
                            "read back from the column cache"
                        } else {
                            "read and parsed"
                        };
                        ui.label(format!("Last open: {file} {how} in {}", millis(*d)));
                    }
                    ui.label(format!(
                        "Last open: store, lanes, search text and notes built in {}",
                        millis(t.index)
                    ));
                }
                ui.weak("The frame is the UI thread's work; drawing on the GPU comes after.");
                ui.separator();
                if let Some(d) = &self.data {
                    ui.label(format!(
                        "Memory: events {}, store indexes {}, search index {}",
                        memory::describe_bytes(d.store.heap_bytes() as u64),
                        memory::describe_bytes(d.store.index_heap_bytes() as u64),
                        memory::describe_bytes(d.search_text.heap_bytes() as u64),
                    ));
                }
                if let Some((now, peak)) = resident {
                    ui.label(format!(
                        "Whole process: {} resident, {} at most so far",
                        memory::describe_bytes(now),
                        memory::describe_bytes(peak)
                    ));
                }
            });
        if self.show_frame_stats && !open {
            out.push(Command::ToggleFrameStats);
        }
    }

    /// Every problem, one row each, drawn only where scrolled to (a file
    /// may bring thousands).
    pub(super) fn problems_window(&self, ctx: &egui::Context, out: &mut Vec<Command>) {
        let Some(d) = &self.data else { return };
        let mut open = self.show_problems;
        egui::Window::new(format!("Problems ({})", style::thousands(d.problems.len())))
            .open(&mut open)
            .default_pos([220.0, 90.0])
            .default_size([900.0, 380.0])
            .show(ctx, |ui| {
                if d.skipped > 0 {
                    ui.label(format!(
                        "{} records could not be used and were skipped.",
                        style::thousands(d.skipped)
                    ));
                }
                let row_height = ui.text_style_height(&egui::TextStyle::Body);
                egui::ScrollArea::both()
                    .auto_shrink([false, false])
                    .show_rows(ui, row_height, d.problems.len(), |ui, rows| {
                        for p in &d.problems[rows] {
                            problem_row(ui, p);
                        }
                    });
            });
        if self.show_problems && !open {
            out.push(Command::ShowProblems(false));
        }
    }

    /// "Opening this may need more memory than is free": go on or not.
    pub(super) fn memory_window(&self, ctx: &egui::Context, out: &mut Vec<Command>) {
        let Some(q) = &self.memory_question else {
            return;
        };
        let what = opening_what(&q.source);
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("eventline-memory-question")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading("This may not fit in memory");
            ui.label(format!(
                "Opening {what} is expected to need about {} of memory; {} is free now. \
                 Going on may make the computer swap or close Eventline.",
                memory::describe_bytes(q.needed),
                memory::describe_bytes(q.available),
            ));
            if self.data.is_some() {
                ui.weak("The open dataset stays open if you cancel.");
            }
            ui.horizontal(|ui| {
                if ui.button("Open anyway").clicked() {
                    answer = Some(true);
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    answer = Some(false);
                }
            });
        });
        out.extend(answer.map(Command::AnswerMemoryQuestion));
    }

    /// Apply the answer to the memory question.
    pub(super) fn answer_memory_question(&mut self, open_anyway: bool) {
        let Some(q) = self.memory_question.take() else {
            return;
        };
        if open_anyway {
            self.start_loading_now(q.source, q.adds);
        } else {
            self.notice = Some(super::Notice {
                text: format!("Did not open {}", opening_what(&q.source)),
                is_error: false,
            });
        }
    }

    pub(super) fn confirm_window(&self, ctx: &egui::Context, out: &mut Vec<Command>) {
        if self.confirm.is_none() {
            return;
        }
        let files = self.data.as_ref().map_or(0, |d| d.files.len());
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("eventline-unsaved-dialog")).show(ctx, |ui| {
            ui.heading("Unsaved merged dataset");
            ui.label(format!(
                "The dataset merged from {files} files exists only in this window. Save it before going on?"
            ));
            ui.horizontal(|ui| {
                if ui.button("Save as…").clicked() {
                    answer = Some(UnsavedAnswer::SaveAs);
                }
                if ui.button("Discard").clicked() {
                    answer = Some(UnsavedAnswer::Discard);
                }
                if ui.button("Cancel").clicked() {
                    answer = Some(UnsavedAnswer::Cancel);
                }
            });
        });
        out.extend(answer.map(Command::AnswerUnsaved));
    }

    /// Apply the answer to the unsaved-work question: what was asked goes
    /// ahead only on Discard.
    pub(super) fn answer_unsaved(&mut self, answer: UnsavedAnswer) {
        let Some(pending) = self.confirm.take() else {
            return;
        };
        match answer {
            UnsavedAnswer::Cancel => {}
            UnsavedAnswer::SaveAs => self.commands.push(Command::SaveAsDialog),
            UnsavedAnswer::Discard => {
                if let Some(d) = &mut self.data {
                    d.unsaved = false;
                }
                self.commands.push(pending);
            }
        }
    }
}

/// What an open names in words: a file, "these 3 files", the built-in dataset.
fn opening_what(source: &Source) -> String {
    match source {
        Source::Files(paths) if paths.len() == 1 => crate::io::display_name(&paths[0]),
        Source::Files(paths) => format!("these {} files", paths.len()),
        Source::Embedded => "the built-in dataset".into(),
    }
}

/// One problem on one line (long messages scroll sideways rather than
/// wrap, so every row has the same height; the whole text shows on hover).
fn problem_row(ui: &mut egui::Ui, p: &FileProblem) {
    let color = match p.problem.severity {
        Severity::Error => ui.visuals().error_fg_color,
        Severity::Warning => ui.visuals().warn_fg_color,
    };
    let file = if p.file.is_empty() {
        String::new()
    } else {
        format!("{}: ", p.file)
    };
    ui.add(egui::Label::new(RichText::new(format!("{file}{}", p.problem)).color(color)).extend());
}

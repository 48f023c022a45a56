//! Eventline's own file browser, for systems where the system's file
//! dialog cannot open (no file-chooser portal and no zenity: tiling window
//! managers, minimal installs, remote sessions). Used for Open, Add files,
//! Save as and Export; what is chosen becomes the same command the system
//! dialog would have given.
//!
//! Written here rather than taken from a crate: `egui_file`, the one on
//! egui 0.37, puts emoji in its titles and rows that egui's default fonts
//! cannot draw.

use std::path::{Path, PathBuf};

use egui::{Key, RichText, Ui};

use super::command::Command;
use super::command::DialogKind;

/// One entry of the folder being shown.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    name: String,
    is_dir: bool,
}

pub struct FileBrowser {
    kind: DialogKind,
    folder: PathBuf,
    entries: Vec<Entry>,
    /// Why the folder could not be listed.
    error: Option<String>,
    /// Chosen file names in `folder` (several for Open and Add).
    chosen: Vec<String>,
    /// The file name typed (or a path, absolute or relative to `folder`).
    typed: String,
}

impl FileBrowser {
    /// Open for `kind` in `folder`; `file_name` is the suggested name of a
    /// file to write.
    pub fn open(kind: DialogKind, folder: &Path, file_name: &str) -> FileBrowser {
        let mut b = FileBrowser {
            kind,
            folder: folder.to_path_buf(),
            entries: Vec::new(),
            error: None,
            chosen: Vec::new(),
            typed: if writes(kind) {
                file_name.to_string()
            } else {
                String::new()
            },
        };
        b.list();
        b
    }

    fn title(&self) -> &'static str {
        match self.kind {
            DialogKind::Open => "Open dataset files",
            DialogKind::Add => "Add dataset files",
            DialogKind::SaveAs => "Save as Eventline dataset",
            DialogKind::Export => "Export events as CSV",
            DialogKind::ExportView => "Export view",
        }
    }

    /// Read the folder: folders first, then files, each by name; hidden
    /// ones left out.
    fn list(&mut self) {
        self.chosen.clear();
        match std::fs::read_dir(&self.folder) {
            Ok(read) => {
                let mut entries: Vec<Entry> = read
                    .filter_map(Result::ok)
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        let is_dir = e.path().is_dir();
                        (!name.starts_with('.')).then_some(Entry { name, is_dir })
                    })
                    .collect();
                entries.sort_by(|a, b| {
                    (!a.is_dir, a.name.to_lowercase()).cmp(&(!b.is_dir, b.name.to_lowercase()))
                });
                self.entries = entries;
                self.error = None;
            }
            Err(e) => {
                self.entries.clear();
                self.error = Some(format!("{} cannot be listed: {e}", self.folder.display()));
            }
        }
    }

    fn go_to(&mut self, folder: PathBuf) {
        self.folder = folder;
        self.list();
    }

    /// Complete the typed name from the folder's entries (Tab).
    fn complete(&mut self) {
        let typed = self.typed.to_lowercase();
        let matches: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| e.name.to_lowercase().starts_with(&typed))
            .collect();
        if let Some(first) = matches.first() {
            let common = matches.iter().fold(first.name.clone(), |acc, e| {
                acc.chars()
                    .zip(e.name.chars())
                    .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
                    .map(|(a, _)| a)
                    .collect()
            });
            if common.len() >= self.typed.len() {
                self.typed = common;
            }
        }
    }

    /// The paths the user's choice names, if it is complete.
    fn choice(&self) -> Vec<PathBuf> {
        let typed = self.typed.trim();
        if !typed.is_empty() {
            return vec![self.folder.join(typed)];
        }
        self.chosen.iter().map(|n| self.folder.join(n)).collect()
    }

    /// Draw the browser; a choice is pushed as a command, and so is
    /// closing it ([`Command::CloseFileBrowser`]).
    pub fn ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        let ctx = ui.ctx().clone();
        let mut open = true;
        let mut done = false;
        egui::Window::new(self.title())
            .open(&mut open)
            .collapsible(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .default_size([620.0, 420.0])
            .show(&ctx, |ui| done = self.contents(ui, out));
        if !open || done {
            out.push(Command::CloseFileBrowser);
        }
    }

    fn contents(&mut self, ui: &mut Ui, out: &mut Vec<Command>) -> bool {
        ui.horizontal(|ui| {
            if ui.button("Up").on_hover_text("The folder above").clicked()
                && let Some(parent) = self.folder.parent()
            {
                self.go_to(parent.to_path_buf());
            }
            ui.label(RichText::new(self.folder.display().to_string()).strong());
        });
        ui.separator();
        let mut enter: Option<String> = None;
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .max_height(ui.available_height() - 70.0)
            .show_rows(ui, row_h, self.entries.len(), |ui, rows| {
                for e in &self.entries[rows] {
                    let label = if e.is_dir {
                        format!("{}/", e.name)
                    } else {
                        e.name.clone()
                    };
                    let on = self.chosen.contains(&e.name);
                    let r = ui.selectable_label(on, label);
                    if r.double_clicked() || (e.is_dir && r.clicked()) {
                        enter = Some(e.name.clone());
                    } else if r.clicked() {
                        let several = !writes(self.kind) && ui.input(|i| i.modifiers.command);
                        if !several {
                            self.chosen.clear();
                        }
                        if on && several {
                            self.chosen.retain(|n| *n != e.name);
                        } else {
                            self.chosen.push(e.name.clone());
                        }
                        self.typed = if writes(self.kind) {
                            e.name.clone()
                        } else {
                            String::new()
                        };
                    }
                }
            });
        if let Some(err) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, err);
        }
        ui.separator();
        let mut confirm = false;
        ui.horizontal(|ui| {
            let label = ui.label("File name:");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.typed)
                        .hint_text("a name, or a path; Tab completes")
                        .desired_width(360.0),
                )
                .labelled_by(label.id);
            if field.has_focus() && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Tab))
            {
                self.complete();
            }
            confirm = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        });
        let mut cancelled = false;
        ui.horizontal(|ui| {
            let verb = if writes(self.kind) { "Save" } else { "Open" };
            let ready = !self.choice().is_empty();
            confirm |= ui.add_enabled(ready, egui::Button::new(verb)).clicked();
            cancelled = ui.button("Cancel").clicked();
        });
        if let Some(name) = enter {
            let path = self.folder.join(&name);
            if path.is_dir() {
                self.go_to(path);
            } else {
                self.chosen = vec![name];
                self.typed.clear();
                confirm = true;
            }
        }
        if confirm {
            return self.confirm(out);
        }
        cancelled
    }

    /// Turn the choice into a command: a folder is entered, a file to read
    /// must exist.
    fn confirm(&mut self, out: &mut Vec<Command>) -> bool {
        let paths = self.choice();
        if let [one] = paths.as_slice()
            && one.is_dir()
        {
            self.typed.clear();
            self.go_to(one.clone());
            return false;
        }
        if !writes(self.kind)
            && let Some(missing) = paths.iter().find(|p| !p.is_file())
        {
            self.error = Some(format!("{} is not a file", missing.display()));
            return false;
        }
        match self.kind.command(paths) {
            Some(c) => {
                out.push(c);
                true
            }
            None => false,
        }
    }
}

/// Whether the dialog names a file to write (rather than files to read).
fn writes(kind: DialogKind) -> bool {
    matches!(
        kind,
        DialogKind::SaveAs | DialogKind::Export | DialogKind::ExportView
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_folders_first_and_completes_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("exports")).unwrap();
        std::fs::write(dir.path().join("acled-2022.csv"), "x").unwrap();
        std::fs::write(dir.path().join("acled-2023.csv"), "x").unwrap();
        std::fs::write(dir.path().join(".hidden"), "x").unwrap();
        let mut b = FileBrowser::open(DialogKind::Open, dir.path(), "");
        let names: Vec<&str> = b.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["exports", "acled-2022.csv", "acled-2023.csv"]);
        b.typed = "ac".into();
        b.complete();
        assert_eq!(b.typed, "acled-202");
        b.typed = "acled-2023".into();
        b.complete();
        assert_eq!(b.typed, "acled-2023.csv");
        let mut out = Vec::new();
        assert!(b.confirm(&mut out));
        assert_eq!(
            out,
            [Command::Open(vec![dir.path().join("acled-2023.csv")])]
        );
    }

    #[test]
    fn a_missing_file_is_said_and_a_folder_is_entered() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let mut b = FileBrowser::open(DialogKind::Open, dir.path(), "");
        let mut out = Vec::new();
        b.typed = "nope.csv".into();
        assert!(!b.confirm(&mut out));
        assert!(b.error.as_deref().unwrap_or("").contains("is not a file"));
        b.typed = "sub".into();
        assert!(!b.confirm(&mut out));
        assert_eq!(b.folder, dir.path().join("sub"));
        assert!(out.is_empty());
        // Save as names a new file.
        let mut s = FileBrowser::open(DialogKind::SaveAs, dir.path(), "nk.json");
        assert!(s.confirm(&mut out));
        assert_eq!(out, [Command::SaveTo(dir.path().join("nk.json"))]);
    }
}

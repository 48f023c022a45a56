//! What panels, keys and tests ask the app to do. Panels never change the
//! app's state themselves: they push a [`Command`], and the app applies all
//! of a frame's commands at the end of the frame
//! ([`super::EventlineApp::apply`]), so the keyboard, the buttons and the
//! tests go through one path.

use std::path::PathBuf;

use egui::ThemePreference;

use crate::io::DateOrder;
use crate::store::filter::Filter;
use crate::store::{EventIx, LaneGrouping};

/// One change to an event's notes (applied to the note as it is then, so
/// two changes in one frame both land).
#[derive(Clone, Debug, PartialEq)]
pub enum NoteEdit {
    Star(bool),
    Reviewed(bool),
    AddTag(String),
    RemoveTag(String),
    Text(String),
}

/// What panels ask the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Select(Option<EventIx>),
    /// Select and bring into view (table rows, search steps).
    SelectAndShow(EventIx),
    SetFilter(Box<Filter>),
    /// Step to the next (or, with `false`, previous) search match.
    NextMatch(bool),
    /// Fit the chosen range, else everything (F, double-click, Fit).
    Fit,
    /// Esc: close the help, else clear the selection and the range.
    Escape,
    ToggleTable,
    ToggleFilters,
    /// Show or hide the map (M).
    ToggleMap,
    /// Play or pause the visible window on the map (Space; opens the map).
    TogglePlay,
    FocusSearch,
    ToggleStar,
    ToggleReviewed,
    FocusTag,
    FocusNote,
    EditNote(EventIx, NoteEdit),
    Undo,
    Redo,
    SetGrouping(LaneGrouping),
    /// Open files in place of the current dataset.
    Open(Vec<PathBuf>),
    /// Add files to the current dataset (merged; same records replaced).
    Add(Vec<PathBuf>),
    OpenEmbedded,
    /// Read all-number dates in this order (`None`: each column decides),
    /// reopening the open files with it.
    SetDateOrder(Option<DateOrder>),
    OpenDialog,
    AddDialog,
    Save,
    SaveAsDialog,
    SaveTo(PathBuf),
    ExportDialog,
    ExportTo(PathBuf),
    /// Open the Export view dialog (Ctrl+Shift+E).
    ExportViewDialog,
    /// The dialog's settings are chosen: ask where to write the picture.
    ExportViewPick,
    /// Render the view to this file (SVG, PNG or PDF by its extension).
    ExportViewTo(PathBuf),
    /// Render the view as an image onto the clipboard.
    CopyViewImage,
    CancelLoading,
    ToggleHelp,
    /// Show or hide the frame-time window (F12).
    ToggleFrameStats,
    ShowProblems(bool),
    SetTheme(ThemePreference),
    DismissError,
    /// Hide the "records were skipped" notice of the open dataset.
    DismissSkipped,
    /// Close the window (after the unsaved-work question, if any).
    Quit,
    /// Alt+Left / Alt+Right: the previous or next range and filter.
    Back,
    Forward,
    /// X: show only the days around this event (a removable chip).
    Context(EventIx),
    /// Ctrl+B: ask for a name, then save the view under it.
    SaveViewDialog,
    SaveView(String),
    OpenView(String),
    DeleteView(String),
    /// Compare before and after the selected event, else the chosen
    /// range (C).
    Compare,
    CloseCompare,
    /// Show or hide who called whom (G).
    ToggleNetwork,
    /// End a truce's period on this date (`None`: as the data says), by
    /// the truce's event id.
    SetTruceEnd(String, Option<crate::model::Instant>),
    /// Close the "Save view" prompt without saving.
    CloseViewPrompt,
    /// "This may not fit in memory": open anyway (`true`) or not.
    AnswerMemoryQuestion(bool),
    /// The answer to "save the merged dataset before going on?".
    AnswerUnsaved(UnsavedAnswer),
    /// Close the built-in file browser (cancelled, or a file chosen).
    CloseFileBrowser,
}

/// The answers to the unsaved-work question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnsavedAnswer {
    /// Save it first (Save as…); what was asked waits.
    SaveAs,
    /// Go on and lose the merged dataset.
    Discard,
    /// Neither: stay as things are.
    Cancel,
}

/// Which file dialog is open (the system's or the built-in browser).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogKind {
    Open,
    Add,
    SaveAs,
    Export,
    /// Where to write an exported view (SVG, PNG, PDF).
    ExportView,
}

impl DialogKind {
    /// What choosing `paths` in this dialog asks for (nothing if none).
    pub fn command(self, paths: Vec<PathBuf>) -> Option<Command> {
        let first = paths.first()?.clone();
        Some(match self {
            DialogKind::Open => Command::Open(paths),
            DialogKind::Add => Command::Add(paths),
            DialogKind::SaveAs => Command::SaveTo(first),
            DialogKind::Export => Command::ExportTo(first),
            DialogKind::ExportView => Command::ExportViewTo(first),
        })
    }
}

//! Export view (Ctrl+Shift+E): the dialog, the file to write, rendering
//! on a worker thread, and Copy view as image.

use std::path::PathBuf;
use std::sync::mpsc::channel;

use super::jobs::Written;
use super::{EventlineApp, Notice};
use crate::io;
use crate::render::scene::MARGIN;
use crate::render::{ExportFormat, Options, Output, OwnedView};
use crate::render::{default_range, parse_range_end};
use crate::timeline::labels::describe_range;
use crate::timeline::metrics::HEADER_W;
use crate::ui::command::DialogKind;
use crate::ui::export_view::PngSize;

impl EventlineApp {
    /// The dialog, and the end of a running copy to the clipboard.
    pub(super) fn export_view_window(&mut self, ui: &mut egui::Ui) {
        if let Some(rx) = &self.copying
            && let Ok(result) = rx.try_recv()
        {
            self.copying = None;
            self.copied(result);
        }
        let visible = self
            .timeline
            .axis()
            .map(|a| {
                let (v0, v1) = a.visible();
                describe_range(v0, v1)
            })
            .unwrap_or_default();
        let mut out = Vec::new();
        self.export_view.ui(ui, &visible, &mut out);
        self.commands.extend(out);
    }

    /// The current view with the dialog's settings, ready to render: the
    /// lanes, filter, search marks, selection and collapsed lanes the
    /// window shows. Errors are in words (a bad typed date).
    pub fn export_view_job(&self) -> Result<OwnedView, String> {
        let d = self.data.as_ref().ok_or("No dataset is open.")?;
        let s = &self.export_view.settings;
        let axis = self.timeline.axis();
        // The lanes' area as wide as on screen, so the layout is the window's.
        let width = axis.map_or(crate::render::DEFAULT_WIDTH, |a| {
            a.width() + HEADER_W + 2.0 * MARGIN
        });
        let (range, view_axis) = if s.typed_range {
            let (d0, d1) = default_range(&d.store, width).ok_or("The dataset has no events.")?;
            let from = match s.from.trim() {
                "" => d0,
                t => parse_range_end(t, false).map_err(|e| format!("From: {e}"))?,
            };
            let to = match s.to.trim() {
                "" => d1,
                t => parse_range_end(t, true).map_err(|e| format!("To: {e}"))?,
            };
            if from >= to {
                return Err("The range ends before it starts.".into());
            }
            ((from, to), None)
        } else {
            let a = axis.ok_or("The timeline has not been shown yet.")?;
            (a.visible(), Some(a))
        };
        let mut options = Options::new(range, width);
        options.axis = view_axis;
        options.theme = s.theme;
        options.title = d.store.title.clone();
        options.dataset = if d.files.is_empty() {
            crate::DEFAULT_DATASET_NAME.to_owned()
        } else {
            d.files
                .iter()
                .map(|f| io::display_name(f))
                .collect::<Vec<_>>()
                .join(", ")
        };
        options.search_text = self.filter.search.clone();
        options.collapsed = self.timeline.collapsed.clone();
        options.params = self.timeline.params;
        let scale = match s.png {
            PngSize::Scale(k) => k as f32,
            PngSize::Pixels(px) => px as f32 / width,
        };
        Ok(OwnedView {
            store: d.store.clone(),
            lanes: d.shown.lanes.clone(),
            search: d.match_mask.clone(),
            flags: self.annotations.flags.clone(),
            selected: self.selected,
            options,
            output: Output {
                format: s.format,
                scale,
                page: s.page,
                landscape: s.landscape,
            },
        })
    }

    /// "Export…" in the dialog: check the settings, then ask for a file.
    pub(super) fn pick_export_view_file(&mut self) {
        match self.export_view_job() {
            Ok(_) => {
                self.export_view.error = None;
                self.export_view.open = false;
                self.pick(DialogKind::ExportView);
            }
            Err(e) => self.export_view.error = Some(e),
        }
    }

    /// Render the view to `path` on a worker; the result arrives as a
    /// notice, as saves do. A name with no extension gets the dialog's
    /// format's; one naming another format (brief.png) is written as that.
    pub(super) fn export_view_to(&mut self, path: PathBuf) {
        let mut job = match self.export_view_job() {
            Ok(j) => j,
            Err(e) => {
                self.notice = Some(Notice {
                    text: e,
                    is_error: true,
                });
                return;
            }
        };
        let path = with_format_extension(path, job.output.format);
        if let Some(f) = ExportFormat::from_path(&path) {
            job.output.format = f;
        }
        let (tx, rx) = channel();
        let ctx = self.ctx.clone();
        std::thread::spawn(move || {
            let pages = job.pages();
            let result = job.render().and_then(|bytes| {
                io::atomic::write_atomically(&path, |w| {
                    w.write_all(&bytes).map_err(|e| e.to_string())
                })
                .map_err(Into::into)
            });
            let notice = match result {
                Ok(()) => Notice {
                    text: format!(
                        "Exported the view to {} ({}{})",
                        path.display(),
                        job.output.format.label(),
                        if pages > 1 {
                            format!(", {pages} pages")
                        } else {
                            String::new()
                        }
                    ),
                    is_error: false,
                },
                Err(e) => Notice {
                    text: format!("{}: {e}", path.display()),
                    is_error: true,
                },
            };
            let _ = tx.send(Written {
                notice,
                saved: None,
            });
            ctx.request_repaint();
        });
        self.saving = Some(rx);
    }

    /// Copy view as image: a PNG-quality raster of the view, on a worker,
    /// then onto the clipboard.
    pub(super) fn copy_view_image(&mut self) {
        let job = match self.export_view_job() {
            Ok(j) => j,
            Err(e) => {
                self.notice = Some(Notice {
                    text: e,
                    is_error: true,
                });
                return;
            }
        };
        let scale = if job.output.format == ExportFormat::Png {
            job.output.scale
        } else {
            1.0
        };
        let (tx, rx) = channel();
        let ctx = self.ctx.clone();
        std::thread::spawn(move || {
            let svg = crate::render::svg::write(&job.scene(), &job.options.title);
            let image = crate::render::svg_to_pixmap(&svg, scale)
                .map(|p| {
                    egui::ColorImage::from_rgba_premultiplied(
                        [p.width() as usize, p.height() as usize],
                        p.data(),
                    )
                })
                .map_err(|e| e.to_string());
            let _ = tx.send(image);
            ctx.request_repaint();
        });
        self.copying = Some(rx);
        self.export_view.open = false;
    }

    /// The image is made: onto the clipboard, and say so.
    fn copied(&mut self, result: Result<egui::ColorImage, String>) {
        self.notice = Some(match result {
            Ok(image) => {
                let text = format!(
                    "Copied the view as an image ({} × {} pixels)",
                    image.size[0], image.size[1]
                );
                self.ctx.copy_image(image);
                Notice {
                    text,
                    is_error: false,
                }
            }
            Err(e) => Notice {
                text: format!("Could not copy the view: {e}"),
                is_error: true,
            },
        });
    }

    /// Block until a running copy has finished (tests).
    #[doc(hidden)]
    pub fn wait_for_copy(&mut self) {
        if let Some(rx) = self.copying.take()
            && let Ok(result) = rx.recv()
        {
            self.copied(result);
        }
    }
}

fn with_format_extension(path: PathBuf, format: ExportFormat) -> PathBuf {
    if path.extension().is_some() {
        path
    } else {
        path.with_extension(format.extension())
    }
}

//! `eventline render`: a file in, a picture out, no window. Also the
//! entry point tests and benchmarks use to export exactly what the
//! command line would. What a picture is and how it is drawn is
//! [`crate::render`]'s; this is the request: its arguments, checks and
//! the saved view it may name.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::io::{self, LoadOptions};
use crate::model::Instant;
use crate::render::{
    DEFAULT_WIDTH, ExportFormat, Options, Output, OwnedView, RenderError, Theme, default_range,
    parse_range_end,
};
use crate::store::filter::SearchText;
use crate::store::filtered::run_filter;
use crate::store::{LaneGrouping, Store};
use crate::view::{self, SavedView};

/// Everything `eventline render` is asked.
#[derive(Clone, Debug)]
pub struct Request {
    pub input: PathBuf,
    pub output: PathBuf,
    /// Typed range ends ("2022-07", "2022-08-05T12:00"); either may be absent.
    pub from: Option<String>,
    pub to: Option<String>,
    /// `None`: the saved view's lanes, else by kind.
    pub lanes: Option<LaneGrouping>,
    pub search: String,
    /// Width of the view; `None`: [`DEFAULT_WIDTH`], or for a PDF the
    /// page's width (one page unless asked for more).
    pub width: Option<f32>,
    pub scale: f32,
    pub page: crate::render::PageSize,
    pub landscape: bool,
    pub theme: Theme,
    /// A saved view of the file (`--view NAME`, from its notes sidecar):
    /// its range, lanes, collapsed lanes, filter, search and selection;
    /// `from`/`to`, `lanes` and `search` given here win over the view's.
    pub view: Option<String>,
}

impl Request {
    pub fn new(input: impl Into<PathBuf>, output: impl Into<PathBuf>) -> Request {
        Request {
            input: input.into(),
            output: output.into(),
            from: None,
            to: None,
            lanes: None,
            search: String::new(),
            width: None,
            scale: 1.0,
            page: crate::render::PageSize::A4,
            landscape: true,
            theme: Theme::Light,
            view: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error(transparent)]
    Load(#[from] io::LoadError),
    #[error("--from `{text}`: {reason}")]
    From { text: String, reason: String },
    #[error("--to `{text}`: {reason}")]
    To { text: String, reason: String },
    #[error("--from {from} is after --to {to}")]
    Reversed { from: String, to: String },
    #[error("--view: {0}")]
    View(String),
    #[error("{0}: has no events to draw")]
    Empty(String),
    #[error("--width {0}: must be between 300 and 20000")]
    Width(f32),
    #[error("--scale {0}: must be between 0.25 and 8")]
    Scale(f32),
    #[error("{path}: unknown export format; the name must end in .svg, .png or .pdf")]
    UnknownFormat { path: PathBuf },
    #[error(transparent)]
    Save(io::SaveError),
    #[error("{path}: {source}")]
    Render {
        path: PathBuf,
        #[source]
        source: RenderError,
    },
}

/// What was written.
#[derive(Debug)]
pub struct Done {
    pub format: ExportFormat,
    pub bytes: usize,
    pub pages: usize,
    pub events: usize,
}

/// A loaded store, ready to render views of.
pub struct Loaded {
    pub store: Arc<Store>,
    pub search_text: SearchText,
    pub dataset_name: String,
}

pub fn load(input: &Path, options: &LoadOptions) -> Result<Loaded, RequestError> {
    let loaded = io::load_path_with(input, options)?;
    let store = Arc::new(Store::build(loaded.dataset));
    let search_text = SearchText::build(&store);
    Ok(Loaded {
        store,
        search_text,
        dataset_name: io::display_name(input),
    })
}

impl Request {
    /// The checked numbers and range, and the format from the file name.
    /// The width the view is laid out at.
    pub fn width(&self) -> f32 {
        match (self.width, ExportFormat::from_path(&self.output)) {
            (Some(w), _) => w,
            (None, Some(ExportFormat::Pdf)) => self.page.points(self.landscape).0,
            (None, _) => DEFAULT_WIDTH,
        }
    }

    fn check(
        &self,
        store: &Store,
        saved: Option<&SavedView>,
    ) -> Result<((Instant, Instant), Output), RequestError> {
        let width = self.width();
        if !(300.0..=20_000.0).contains(&width) {
            return Err(RequestError::Width(width));
        }
        if !(0.25..=8.0).contains(&self.scale) {
            return Err(RequestError::Scale(self.scale));
        }
        let format =
            ExportFormat::from_path(&self.output).ok_or_else(|| RequestError::UnknownFormat {
                path: self.output.clone(),
            })?;
        let (d0, d1) = default_range(store, width)
            .ok_or_else(|| RequestError::Empty(io::display_name(&self.input)))?;
        let (d0, d1) = saved
            .and_then(|v| v.visible)
            .filter(|(a, b)| a < b)
            .unwrap_or((d0, d1));
        let from = match &self.from {
            Some(t) => parse_range_end(t, false).map_err(|reason| RequestError::From {
                text: t.clone(),
                reason,
            })?,
            None => d0,
        };
        let to = match &self.to {
            Some(t) => parse_range_end(t, true).map_err(|reason| RequestError::To {
                text: t.clone(),
                reason,
            })?,
            None => d1,
        };
        if from >= to {
            return Err(RequestError::Reversed {
                from: self.from.clone().unwrap_or_else(|| from.to_string()),
                to: self.to.clone().unwrap_or_else(|| to.to_string()),
            });
        }
        Ok((
            (from, to),
            Output {
                format,
                scale: self.scale,
                page: self.page,
                landscape: self.landscape,
            },
        ))
    }

    /// The view this request asks for, with the data it draws.
    pub fn view(&self, data: &Loaded) -> Result<OwnedView, RequestError> {
        let store = &data.store;
        let saved = match &self.view {
            Some(name) => Some(self.saved_view(name)?),
            None => None,
        };
        let (range, output) = self.check(store, saved.as_ref().map(|(v, _)| v))?;
        let mut filter = saved
            .as_ref()
            .map(|(v, _)| v.filter.clone())
            .unwrap_or_default();
        if !self.search.is_empty() || saved.is_none() {
            filter.search = self.search.clone();
        }
        let lanes = self
            .lanes
            .or(saved.as_ref().map(|(v, _)| v.grouping))
            .unwrap_or(LaneGrouping::Kind);
        // The notes' stars, tags and reviewed marks, for a view that
        // filters on them.
        let flags: Vec<u8> = match &saved {
            Some((_, notes)) => store
                .ids()
                .map(|id| crate::view::note_flags(notes.get(id)))
                .collect(),
            None => Vec::new(),
        };
        let compiled = filter.compile(store).map_err(|e| match &saved {
            Some((v, _)) => RequestError::View(format!("the view \"{}\": {e}", v.name)),
            None => RequestError::From {
                text: self.search.clone(),
                reason: e.to_string(),
            },
        })?;
        let hides = filter.hides_events();
        let shown = run_filter(
            &compiled,
            store,
            &data.search_text,
            &flags,
            lanes,
            hides,
            None,
        );
        let selected = saved
            .as_ref()
            .and_then(|(v, _)| v.selected.as_deref())
            .and_then(|id| store.find_id(id));
        let mut options = Options::new(range, self.width());
        options.theme = self.theme;
        options.title = if store.title.is_empty() {
            data.dataset_name.clone()
        } else {
            store.title.clone()
        };
        options.dataset = data.dataset_name.clone();
        options.search_text = filter.search.clone();
        if let Some((v, _)) = &saved {
            options.collapsed = v.collapsed.iter().cloned().collect();
        }
        Ok(OwnedView {
            store: store.clone(),
            lanes: shown.shown.lanes,
            search: shown.match_mask,
            flags,
            selected,
            options,
            output,
        })
    }

    /// The saved view `name` of the input file and the file's notes, read
    /// from its notes sidecar without changing it.
    fn saved_view(
        &self,
        name: &str,
    ) -> Result<
        (
            SavedView,
            std::collections::BTreeMap<String, io::notes::Note>,
        ),
        RequestError,
    > {
        let sidecar = io::notes::sidecar_path(&self.input);
        let bytes = match std::fs::read(&sidecar) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(RequestError::View(view::not_found(name, &[])));
            }
            Err(e) => {
                return Err(RequestError::View(format!(
                    "{}: cannot be read: {e}",
                    sidecar.display()
                )));
            }
        };
        let (notes, raw) = io::notes::parse_contents(&bytes).map_err(|e| {
            RequestError::View(format!(
                "{}: {}",
                sidecar.display(),
                match e {
                    io::notes::Unreadable::Version(v) => format!(
                        "is notes format version {v}, this build reads up to {}",
                        io::notes::VERSION
                    ),
                    io::notes::Unreadable::Invalid(why) => format!("could not be read ({why})"),
                }
            ))
        })?;
        let (views, _) = view::parse_views(&raw);
        match view::find(&views, name) {
            Some(v) => Ok((v.clone(), notes)),
            None => Err(RequestError::View(view::not_found(name, &views))),
        }
    }

    /// Render a loaded store to bytes, as `run` would write them.
    pub fn render(&self, data: &Loaded) -> Result<(Vec<u8>, Done), RequestError> {
        let view = self.view(data)?;
        let bytes = view.render().map_err(|source| RequestError::Render {
            path: self.output.clone(),
            source,
        })?;
        let done = Done {
            format: view.output.format,
            bytes: bytes.len(),
            pages: view.pages(),
            events: data.store.len(),
        };
        Ok((bytes, done))
    }

    /// Load, render and write the output atomically.
    pub fn run(&self, options: &LoadOptions) -> Result<Done, RequestError> {
        let data = load(&self.input, options)?;
        let (bytes, done) = self.render(&data)?;
        io::atomic::write_atomically(&self.output, |w| {
            w.write_all(&bytes).map_err(|e| e.to_string())
        })
        .map_err(RequestError::Save)?;
        Ok(done)
    }
}

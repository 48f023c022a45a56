//! Export a view of the timeline as SVG, PNG or PDF, with or without a
//! window.
//!
//! One layout, several painters: [`scene::build`] runs the timeline's own
//! layout (`timeline::layout`, which is pure and egui-free) and turns
//! its items into a backend-neutral [`Scene`]; [`svg::write`] writes it as
//! SVG text; PNG rasterises that SVG with resvg and PDF draws it with
//! krilla, so all three formats show the same picture. Fonts are embedded
//! ([`fonts`]): no system fonts, no GPU.

pub mod fonts;
mod range;
pub mod scene;
pub mod svg;

pub use range::{DEFAULT_WIDTH, default_range, parse_range_end};
use std::path::{Path, PathBuf};

use resvg::{tiny_skia, usvg};

pub use crate::timeline::palette::Theme;
pub use scene::{Inputs, Options, Scene};

/// The formats of an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ExportFormat {
    #[default]
    Svg,
    Png,
    Pdf,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 3] = [ExportFormat::Svg, ExportFormat::Png, ExportFormat::Pdf];

    /// From a file name's extension.
    pub fn from_path(path: &Path) -> Option<ExportFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Some(ExportFormat::Svg),
            "png" => Some(ExportFormat::Png),
            "pdf" => Some(ExportFormat::Pdf),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Svg => "svg",
            ExportFormat::Png => "png",
            ExportFormat::Pdf => "pdf",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Svg => "SVG",
            ExportFormat::Png => "PNG",
            ExportFormat::Pdf => "PDF",
        }
    }
}

/// Paper sizes for PDF.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum PageSize {
    #[default]
    A4,
    A3,
    Letter,
}

impl PageSize {
    pub const ALL: [PageSize; 3] = [PageSize::A4, PageSize::A3, PageSize::Letter];

    pub fn parse_name(name: &str) -> Option<PageSize> {
        match name.to_ascii_lowercase().as_str() {
            "a4" => Some(PageSize::A4),
            "a3" => Some(PageSize::A3),
            "letter" => Some(PageSize::Letter),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PageSize::A4 => "A4",
            PageSize::A3 => "A3",
            PageSize::Letter => "Letter",
        }
    }

    /// Width and height in points, portrait.
    pub fn portrait_points(self) -> (f32, f32) {
        match self {
            PageSize::A4 => (595.28, 841.89),
            PageSize::A3 => (841.89, 1190.55),
            PageSize::Letter => (612.0, 792.0),
        }
    }

    pub fn points(self, landscape: bool) -> (f32, f32) {
        let (w, h) = self.portrait_points();
        if landscape { (h, w) } else { (w, h) }
    }
}

/// How a view is written, beyond what the scene shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Output {
    pub format: ExportFormat,
    /// PNG: pixels per layout pixel (1, 2, 4...).
    pub scale: f32,
    /// PDF: the paper, and its orientation.
    pub page: PageSize,
    pub landscape: bool,
}

impl Default for Output {
    fn default() -> Self {
        Output {
            format: ExportFormat::Svg,
            scale: 1.0,
            page: PageSize::A4,
            landscape: true,
        }
    }
}

/// The largest PNG side we agree to make (memory: 4 bytes a pixel).
pub const MAX_PNG_SIDE: f32 = 32_000.0;
/// Long ranges are split over at most this many PDF pages.
pub const MAX_PDF_PAGES: usize = 200;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the picture could not be read back as SVG: {0}")]
    Svg(String),
    #[error(
        "the image would be {width} × {height} pixels, more than the {max} allowed; use a smaller --width or --scale"
    )]
    TooLarge { width: u32, height: u32, max: u32 },
    #[error("the PNG could not be encoded: {0}")]
    Png(String),
    #[error("the PDF could not be made: {0}")]
    Pdf(String),
    #[error("{path}: unknown export format; the name must end in .svg, .png or .pdf")]
    UnknownFormat { path: PathBuf },
    #[error(transparent)]
    Save(#[from] crate::io::SaveError),
}

/// usvg options that find our embedded font and nothing else.
fn usvg_options() -> usvg::Options<'static> {
    let (db, family) = fonts::database();
    usvg::Options {
        fontdb: db,
        font_family: family,
        ..usvg::Options::default()
    }
}

fn parse_svg(text: &str) -> Result<usvg::Tree, RenderError> {
    usvg::Tree::from_str(text, &usvg_options()).map_err(|e| RenderError::Svg(e.to_string()))
}

/// The SVG document of one view.
pub fn render_svg(inputs: &Inputs<'_>, opts: &Options) -> String {
    let scene = scene::build(inputs, opts);
    svg::write(&scene, &opts.title)
}

/// Rasterise an SVG document at `scale` pixels per unit, as PNG bytes.
pub fn svg_to_png(svg_text: &str, scale: f32) -> Result<Vec<u8>, RenderError> {
    let pixmap = svg_to_pixmap(svg_text, scale)?;
    pixmap
        .encode_png()
        .map_err(|e| RenderError::Png(e.to_string()))
}

/// Rasterise an SVG document: premultiplied RGBA pixels.
pub fn svg_to_pixmap(svg_text: &str, scale: f32) -> Result<tiny_skia::Pixmap, RenderError> {
    let tree = parse_svg(svg_text)?;
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let w = (tree.size().width() * scale).ceil();
    let h = (tree.size().height() * scale).ceil();
    if w > MAX_PNG_SIDE || h > MAX_PNG_SIDE || w < 1.0 || h < 1.0 {
        return Err(RenderError::TooLarge {
            width: w as u32,
            height: h as u32,
            max: MAX_PNG_SIDE as u32,
        });
    }
    let mut pixmap = tiny_skia::Pixmap::new(w as u32, h as u32).ok_or(RenderError::TooLarge {
        width: w as u32,
        height: h as u32,
        max: MAX_PNG_SIDE as u32,
    })?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

/// How many pages a view `opts.width` wide takes on `page`: the lanes'
/// area keeps the scale it has at that width, so a wide view (a long
/// range) runs over several pages, one slice of the range each.
pub fn pdf_page_count(opts: &Options, out: &Output) -> usize {
    let (pw, _) = out.page.points(out.landscape);
    let chrome = crate::timeline::metrics::HEADER_W + 2.0 * scene::MARGIN;
    let view_body = (opts.width - chrome).max(1.0);
    let page_body = (pw - chrome).max(1.0);
    // A view a hair wider than the page (842 px on 841.89 pt) is one page.
    (((view_body / page_body) - 0.01).ceil() as usize).clamp(1, MAX_PDF_PAGES)
}

/// The scenes of the PDF's pages: one slice of the range each.
pub fn pdf_scenes(inputs: &Inputs<'_>, opts: &Options, out: &Output) -> Vec<Scene> {
    let n = pdf_page_count(opts, out);
    let (pw, ph) = out.page.points(out.landscape);
    let (t0, t1) = opts.range;
    let span = (t1 - t0).max(1) as f64;
    (0..n)
        .map(|k| {
            let a = t0 + (span * k as f64 / n as f64).round() as i64;
            let b = t0 + (span * (k + 1) as f64 / n as f64).round() as i64;
            let page_opts = Options {
                range: (a, b),
                width: pw,
                page: (n > 1).then_some((k + 1, n)),
                axis: None,
                ..opts.clone()
            };
            let scene = scene::build(inputs, &page_opts);
            if scene.height <= ph {
                return scene;
            }
            // Taller than the page (many lanes or notes): it will be
            // shrunk to fit, so lay it out wider by as much, and it fills
            // the page's width instead of a strip of it.
            let wider = Options {
                width: pw * scene.height / ph,
                ..page_opts
            };
            scene::build(inputs, &wider)
        })
        .collect()
}

/// The view as a PDF: text stays text, the font is embedded.
pub fn render_pdf(
    inputs: &Inputs<'_>,
    opts: &Options,
    out: &Output,
) -> Result<Vec<u8>, RenderError> {
    use krilla::geom::Size;
    use krilla::page::PageSettings;
    use krilla_svg::{SurfaceExt, SvgSettings};
    let (pw, ph) = out.page.points(out.landscape);
    let mut doc = krilla::Document::new();
    for scene in pdf_scenes(inputs, opts, out) {
        let tree = parse_svg(&svg::write(&scene, &opts.title))?;
        // A tall picture (many lanes, many notes) shrinks to the page.
        let (tw, th) = (tree.size().width(), tree.size().height());
        let s = (pw / tw).min(ph / th).min(1.0);
        let page_size =
            Size::from_wh(pw, ph).ok_or_else(|| RenderError::Pdf("empty page".into()))?;
        let draw_size = Size::from_wh(tw * s, th * s)
            .ok_or_else(|| RenderError::Pdf("empty picture".into()))?;
        let mut page = doc.start_page_with(PageSettings::new(page_size));
        let mut surface = page.surface();
        surface
            .draw_svg(&tree, draw_size, SvgSettings::default())
            .ok_or_else(|| RenderError::Pdf("the picture could not be drawn".into()))?;
        surface.finish();
        page.finish();
    }
    let title = if opts.title.is_empty() {
        "Eventline export".to_owned()
    } else {
        opts.title.clone()
    };
    doc.set_metadata(
        krilla::metadata::Metadata::new()
            .title(title)
            .creator("Eventline".into()),
    );
    doc.finish().map_err(|e| RenderError::Pdf(format!("{e:?}")))
}

/// The view in `out.format`, as bytes.
pub fn render(inputs: &Inputs<'_>, opts: &Options, out: &Output) -> Result<Vec<u8>, RenderError> {
    match out.format {
        ExportFormat::Svg => Ok(render_svg(inputs, opts).into_bytes()),
        ExportFormat::Png => svg_to_png(&render_svg(inputs, opts), out.scale),
        ExportFormat::Pdf => render_pdf(inputs, opts, out),
    }
}

/// Render and write `path` atomically (temporary file, then rename).
pub fn render_to_file(
    path: &Path,
    inputs: &Inputs<'_>,
    opts: &Options,
    out: &Output,
) -> Result<(), RenderError> {
    let bytes = render(inputs, opts, out)?;
    crate::io::atomic::write_atomically(path, |w| w.write_all(&bytes).map_err(|e| e.to_string()))?;
    Ok(())
}

/// A view with everything it needs owned, so it can be rendered on a
/// worker thread while the window goes on (the window's Export view).
#[derive(Clone)]
pub struct OwnedView {
    pub store: std::sync::Arc<crate::store::Store>,
    pub lanes: std::sync::Arc<crate::store::LaneSet>,
    pub search: std::sync::Arc<Vec<bool>>,
    pub flags: Vec<u8>,
    pub selected: Option<crate::store::EventIx>,
    pub options: Options,
    pub output: Output,
}

impl OwnedView {
    pub fn inputs(&self) -> Inputs<'_> {
        Inputs {
            store: &self.store,
            lanes: &self.lanes,
            search: &self.search,
            flags: &self.flags,
            selected: self.selected,
        }
    }

    /// The picture as the writers will draw it (one page's worth).
    pub fn scene(&self) -> Scene {
        scene::build(&self.inputs(), &self.options)
    }

    pub fn render(&self) -> Result<Vec<u8>, RenderError> {
        render(&self.inputs(), &self.options, &self.output)
    }

    /// Pages the export takes (1 but for long PDF ranges).
    pub fn pages(&self) -> usize {
        match self.output.format {
            ExportFormat::Pdf => pdf_page_count(&self.options, &self.output),
            _ => 1,
        }
    }
}

/// The SVG parser and rasteriser the exports use, for tests that read
/// exports back.
pub use resvg::tiny_skia as resvg_tiny_skia;
pub use resvg::usvg as resvg_usvg;

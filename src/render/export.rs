//! The three plots as SVG and PNG files, from the same scenes as the page (background, then
//! foreground, on one plotters backend). Native only: needs a TrueType font on disk.

use super::plot::Plot;
use super::primitives::{BackendBlit, DrawResult, Scale};
use super::view::PlotView;
use crate::session::Session;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Fonts tried, in order, for text in SVG and PNG output.
pub const FONT_PATHS: [&str; 4] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
];

static FONT: OnceLock<Result<(), String>> = OnceLock::new();

/// Registers a sans-serif TrueType font with plotters once (plotters' native text needs one).
pub fn ensure_font() -> DrawResult<()> {
    FONT.get_or_init(|| {
        for path in FONT_PATHS {
            if let Ok(bytes) = std::fs::read(path) {
                let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
                if plotters::style::register_font("sans-serif", FontStyle::Normal, bytes).is_ok() {
                    return Ok(());
                }
            }
        }
        Err(format!(
            "no TrueType font found for the plots' text; install fonts-dejavu-core (looked for {})",
            FONT_PATHS.join(", ")
        ))
    })
    .clone()
}

/// Draws one plot of `session` onto `root` (any backend) as a still image: live, the surface
/// window holding every trajectory whole.
pub fn draw_plot<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, session: &Session, plot: Plot, scale: Scale) -> DrawResult<()> {
    let view = PlotView::still(session, scale);
    plot.draw_still(root, session, &view, &mut BackendBlit { area: root })
}

/// Writes `surface`, `fit` and `loss` as `.svg` and `.png` (`width`×`height` pixels each) into
/// `dir` (created if missing); returns the paths written.
pub fn write_plots(session: &Session, dir: &Path, width: u32, height: u32) -> DrawResult<Vec<PathBuf>> {
    ensure_font()?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut written = Vec::new();
    let scale = Scale::default();
    for plot in Plot::ALL {
        let svg = dir.join(format!("{}.svg", plot.name()));
        {
            let root = SVGBackend::new(&svg, (width, height)).into_drawing_area();
            draw_plot(&root, session, plot, scale)?;
            root.present().map_err(|e| format!("{}: {e}", svg.display()))?;
        }
        written.push(svg);
        let png = dir.join(format!("{}.png", plot.name()));
        {
            let root = BitMapBackend::new(&png, (width, height)).into_drawing_area();
            draw_plot(&root, session, plot, scale)?;
            root.present().map_err(|e| format!("{}: {e}", png.display()))?;
        }
        written.push(png);
    }
    Ok(written)
}

//! The three plots as SVG and PNG files, with the same drawing code as the page (static layer,
//! then moving layer, on one plotters backend). Native only: needs a TrueType font on disk.

use super::layers::{run_paths, unregularized_optimum, Layers};
use super::loss_curve::{LossScene, Prediction};
use super::surface::SurfaceScene;
use super::{fit, loss_curve, surface, BackendBlit, DrawResult, Scale};
use crate::objective::Theta;
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

/// Which plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plot {
    /// The loss surface with the trajectories.
    Surface,
    /// The data with the fitted lines.
    Fit,
    /// The loss curve.
    Loss,
}

impl Plot {
    /// File stem: "surface", "fit", "loss".
    pub fn name(&self) -> &'static str {
        match self {
            Plot::Surface => "surface",
            Plot::Fit => "fit",
            Plot::Loss => "loss",
        }
    }
}

/// Draws one plot of `session` onto `root` (any backend).
pub fn draw_plot<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, session: &Session, plot: Plot, scale: Scale) -> DrawResult<()> {
    let mut layers = Layers::default();
    layers.set_pixel_ratio(scale.pixel_ratio);
    let paths = run_paths(session, None);
    let objective = session.objective();
    let optimum = session.optimum().ok();
    match plot {
        Plot::Surface => {
            let view = layers.surface_view(session);
            // Fit the whole trajectory, not just the current θ.
            let mut all: Vec<Theta> = paths.iter().flat_map(|p| p.thetas.iter().copied()).collect();
            all.push(Theta::new(view[0][0], view[1][0]));
            all.push(Theta::new(view[0][1], view[1][1]));
            let view = trajectory_view(&all, view);
            let lambda = objective.regularization().lambda();
            let scene = SurfaceScene {
                objective,
                optimum,
                unregularized_optimum: unregularized_optimum(session),
                regularization_path: if lambda > 0.0 {
                    objective.regularization_path(4.0 * lambda, 120).into_iter().map(|(_, t)| t).collect()
                } else {
                    Vec::new()
                },
                curvature: objective.curvature(),
                view,
                scale,
                show_eigen_directions: true,
            };
            let t = surface::draw_static(root, &scene, &mut BackendBlit { area: root })?;
            surface::draw_moving(root, &t, &paths, session.theta_start(), scale)
        }
        Plot::Fit => {
            let to_original = |t: Theta| session.to_original_scale(t);
            let scene = fit::FitScene { data: session.original_data(), optimum: optimum.map(|o| to_original(o.theta)), scale };
            let t = fit::draw_static(root, &scene, &mut BackendBlit { area: root })?;
            let lines: Vec<(usize, Theta)> =
                session.runs().iter().enumerate().map(|(i, r)| (i, to_original(r.theta()))).collect();
            fit::draw_moving(root, &t, &lines, scale)
        }
        Plot::Loss => {
            let predictions: Vec<Prediction> = crate::render::layers::predictions(session);
            loss_curve::draw(root, &LossScene { paths: &paths, optimum_loss: optimum.map(|o| o.loss), predictions, scale })
        }
    }
}

/// The fitted view grown to hold every finite point of the trajectories, at most 64× larger.
fn trajectory_view(points: &[Theta], base: [[f64; 2]; 2]) -> [[f64; 2]; 2] {
    let (mut x0, mut x1, mut y0, mut y1) = (base[0][0], base[0][1], base[1][0], base[1][1]);
    let extent = (x1 - x0).max(y1 - y0);
    let (cx, cy) = (0.5 * (x0 + x1), 0.5 * (y0 + y1));
    let limit = 32.0 * extent;
    for t in points.iter().filter(|t| t.is_finite()) {
        x0 = x0.min(t.theta0.max(cx - limit));
        x1 = x1.max(t.theta0.min(cx + limit));
        y0 = y0.min(t.theta1.max(cy - limit));
        y1 = y1.max(t.theta1.min(cy + limit));
    }
    [[x0, x1], [y0, y1]]
}

/// Writes `surface`, `fit` and `loss` as `.svg` and `.png` (`width`×`height` pixels each) into
/// `dir` (created if missing); returns the paths written.
pub fn write_plots(session: &Session, dir: &Path, width: u32, height: u32) -> DrawResult<Vec<PathBuf>> {
    ensure_font()?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut written = Vec::new();
    let scale = Scale::default();
    for plot in [Plot::Surface, Plot::Fit, Plot::Loss] {
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

//! The page's view state: which θ window the surface shows, the transforms of the last drawn
//! static layers (for mapping mouse positions back), and whether those layers must be redrawn.
//! Pure Rust; the canvas glue in [`crate::wasm`] uses it.

use super::{decimate, padded, RunPath, Scale, ViewTransform};
use crate::objective::Theta;
use crate::run::Run;
use crate::session::Session;

/// How far (as a multiple of the fitted extent) the surface view may grow to follow a run that
/// leaves it; beyond that a diverging path is clipped at the edge.
pub const MAX_VIEW_GROWTH: f64 = 64.0;
/// Most points of a trajectory drawn per frame.
pub const MAX_PATH_POINTS: usize = 4_000;

/// Drawing caches and view state of the page.
#[derive(Debug, Clone)]
pub struct Layers {
    scale: Scale,
    surface_view: Option<[[f64; 2]; 2]>,
    base_extent: f64,
    /// Transform of the surface's static layer as last drawn.
    pub surface_transform: Option<ViewTransform>,
    /// Transform of the data plot's static layer as last drawn.
    pub fit_transform: Option<ViewTransform>,
    static_dirty: bool,
    /// Canvas sizes (device pixels) the static layers were drawn at.
    pub drawn_sizes: [(u32, u32); 2],
    /// Draw the Hessian's eigen-directions through θ*.
    pub show_eigen_directions: bool,
    /// Draw the prediction of the convergence rate on the loss curve.
    pub show_prediction: bool,
    /// Show the runs as they were at this iteration (the timeline scrubber), or live.
    pub scrub: Option<u64>,
}

impl Default for Layers {
    fn default() -> Self {
        Layers {
            scale: Scale::default(),
            surface_view: None,
            base_extent: 1.0,
            surface_transform: None,
            fit_transform: None,
            static_dirty: true,
            drawn_sizes: [(0, 0); 2],
            show_eigen_directions: true,
            show_prediction: true,
            scrub: None,
        }
    }
}

impl Layers {
    /// The data or the objective changed: redraw the static layers and refit the view.
    pub fn invalidate(&mut self) {
        self.static_dirty = true;
        self.surface_view = None;
    }
    /// The start point changed: refit the view.
    pub fn invalidate_view(&mut self) {
        self.invalidate();
    }
    /// Redraw the static layers without refitting the view.
    pub fn redraw(&mut self) {
        self.static_dirty = true;
    }
    /// Device pixels per CSS pixel.
    pub fn set_pixel_ratio(&mut self, ratio: f64) {
        if ratio != self.scale.pixel_ratio {
            self.scale.pixel_ratio = ratio;
            self.static_dirty = true;
        }
    }
    /// Magnification of text and lines (presenter mode), clamped to [0.5, 3].
    pub fn set_zoom(&mut self, zoom: f64) {
        let zoom = if zoom.is_finite() { zoom.clamp(0.5, 3.0) } else { 1.0 };
        if zoom != self.scale.zoom {
            self.scale.zoom = zoom;
            self.static_dirty = true;
        }
    }
    /// Language of the words in the plots.
    pub fn set_language(&mut self, language: super::Language) {
        if language != self.scale.language {
            self.scale.language = language;
            self.static_dirty = true;
        }
    }
    /// Pixel ratio, zoom and language.
    pub fn scale(&self) -> Scale {
        self.scale
    }
    /// True when the static layers must be redrawn (then call [`Layers::drawn`]).
    pub fn needs_static(&self, sizes: [(u32, u32); 2]) -> bool {
        self.static_dirty || sizes != self.drawn_sizes
    }
    /// Records that the static layers were drawn at `sizes`.
    pub fn drawn(&mut self, sizes: [(u32, u32); 2]) {
        self.static_dirty = false;
        self.drawn_sizes = sizes;
    }

    /// The θ window of the surface: fitted to the start, the optimum (and the unregularized
    /// one) and each run's current θ; grown when a run leaves it, up to [`MAX_VIEW_GROWTH`]
    /// times the fitted extent, after which paths are clipped.
    pub fn surface_view(&mut self, session: &Session) -> [[f64; 2]; 2] {
        let mut points = vec![session.theta_start()];
        if let Ok(o) = session.optimum() {
            points.push(o.theta);
        }
        if let Some(u) = unregularized_optimum(session) {
            points.push(u);
        }
        match self.surface_view {
            None => {
                points.extend(session.runs().iter().map(Run::theta));
                let view = bounding_view(&points);
                self.base_extent = (view[0][1] - view[0][0]).max(view[1][1] - view[1][0]);
                self.surface_view = Some(view);
                self.static_dirty = true;
                view
            }
            Some(view) => {
                let shown = self.surface_transform.map(|t| [t.x, t.y]).unwrap_or(view);
                let outside: Vec<Theta> = followed_runs(session)
                    .into_iter()
                    .filter(|t| t.is_finite() && !(t.theta0 >= shown[0][0] && t.theta0 <= shown[0][1] && t.theta1 >= shown[1][0] && t.theta1 <= shown[1][1]))
                    .collect();
                let extent = (view[0][1] - view[0][0]).max(view[1][1] - view[1][0]);
                if outside.is_empty() || extent >= MAX_VIEW_GROWTH * self.base_extent {
                    return view;
                }
                let mut all = outside;
                all.push(Theta::new(view[0][0], view[1][0]));
                all.push(Theta::new(view[0][1], view[1][1]));
                let mut grown = bounding_view(&all);
                // Keep the growth bounded around the current centre.
                let limit = 0.5 * MAX_VIEW_GROWTH * self.base_extent;
                let (cx, cy) = (0.5 * (view[0][0] + view[0][1]), 0.5 * (view[1][0] + view[1][1]));
                grown[0] = [grown[0][0].max(cx - limit), grown[0][1].min(cx + limit)];
                grown[1] = [grown[1][0].max(cy - limit), grown[1][1].min(cy + limit)];
                self.surface_view = Some(grown);
                self.static_dirty = true;
                grown
            }
        }
    }

    /// θ under a point of the surface canvas given in CSS pixels.
    pub fn surface_point_to_theta(&self, x: f64, y: f64) -> Option<Theta> {
        let r = self.scale.pixel_ratio;
        self.surface_transform?.to_data(x * r, y * r).map(|(a, b)| Theta::new(a, b))
    }
    /// Data coordinates under a point of the data canvas given in CSS pixels.
    pub fn fit_point_to_data(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let r = self.scale.pixel_ratio;
        self.fit_transform?.to_data(x * r, y * r)
    }
}

/// The current θ of the runs the surface view follows. While some run is not
/// [`super::escaping`], the view stays on those and an escaping run is clipped at the edge, so
/// that one diverging comparison run does not shrink the rest to a dot; one that comes back is
/// followed again. When every run escapes (a lone diverging run), they are all followed, up to
/// [`MAX_VIEW_GROWTH`].
fn followed_runs(session: &Session) -> Vec<Theta> {
    let objective = session.objective();
    let start_loss = objective.loss(session.theta_start());
    let thetas: Vec<Theta> = session.runs().iter().map(Run::theta).collect();
    let calm: Vec<Theta> = thetas.iter().copied().filter(|&t| !super::escaping(start_loss, objective.loss(t))).collect();
    if calm.is_empty() {
        thetas
    } else {
        calm
    }
}

/// The unregularized optimum, when regularization is on and it is unique.
pub fn unregularized_optimum(session: &Session) -> Option<Theta> {
    let objective = session.objective();
    if objective.regularization().lambda() == 0.0 {
        return None;
    }
    objective.unregularized().optimum().ok().map(|o| o.theta)
}

/// A window around the points, padded by a quarter of its size, at least 1 wide or
/// a tenth of the largest coordinate.
fn bounding_view(points: &[Theta]) -> [[f64; 2]; 2] {
    let finite: Vec<&Theta> = points.iter().filter(|t| t.is_finite()).collect();
    let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for t in &finite {
        x0 = x0.min(t.theta0);
        x1 = x1.max(t.theta0);
        y0 = y0.min(t.theta1);
        y1 = y1.max(t.theta1);
    }
    if finite.is_empty() {
        return [[-1.0, 1.0], [-1.0, 1.0]];
    }
    let size = (x1 - x0).max(y1 - y0);
    let magnitude = x0.abs().max(x1.abs()).max(y0.abs()).max(y1.abs());
    let min_width = (0.5 * size).max(0.1 * magnitude).max(1.0);
    [padded(x0, x1, 0.25, min_width), padded(y0, y1, 0.25, min_width)]
}

/// Each run's path for drawing: θ and (iteration, J) along its history up to iteration
/// `until` (all of it when `None`), decimated, ending at the current state when live; the last
/// gradients for live mini-batch runs.
pub fn run_paths(session: &Session, until: Option<u64>) -> Vec<RunPath> {
    let n = session.data().len();
    session
        .runs()
        .iter()
        .enumerate()
        .map(|(index, run)| {
            let all = run.history().points();
            let shown = match until {
                Some(k) => &all[..all.partition_point(|p| p.iteration <= k).max(1)],
                None => all,
            };
            let points = decimate(shown, MAX_PATH_POINTS);
            let mut thetas: Vec<Theta> = points.iter().map(|p| p.theta).collect();
            let mut losses: Vec<(f64, f64)> = points.iter().map(|p| (p.iteration as f64, p.loss)).collect();
            if until.is_none() && thetas.last() != Some(&run.theta()) {
                thetas.push(run.theta());
                losses.push((run.iteration() as f64, session.objective().loss(run.theta())));
            }
            let config = run.config();
            let gradients = if config.batch_size < n && until.is_none() { run.last_gradients() } else { None };
            RunPath { index, thetas, losses, gradients, label: run_label(run, n) }
        })
        .collect()
}

/// A short legend label: "GD η=0.05", "SGD b=1 η=0.01", "Adam η=0.1, cosine", with the
/// catalogue's legend name of the optimizer (plain descent on mini-batches is "SGD").
pub fn run_label(run: &Run, n: usize) -> String {
    let c = run.config();
    let name = match (c.optimizer.is_plain(), c.batch_size >= n) {
        (_, true) => c.optimizer.entry().legend.to_string(),
        (true, false) => format!("SGD b={}", c.batch_size),
        (false, false) => format!("{} b={}", c.optimizer.entry().legend, c.batch_size),
    };
    let mut label = format!("{name} η={}", crate::run::sig(c.learning_rate));
    if c.schedule.name() != "constant" {
        label.push_str(", ");
        label.push_str(c.schedule.name());
    }
    label
}

/// The predicted convergence of each full-batch plain-GD run with a constant rate and no L1
/// part (see [`super::loss_curve::Prediction`]).
pub fn predictions(session: &Session) -> Vec<super::loss_curve::Prediction> {
    let objective = session.objective();
    let Ok(optimum) = objective.optimum() else { return Vec::new() };
    if objective.regularization().l1_weight() > 0.0 {
        return Vec::new();
    }
    let curvature = objective.curvature();
    let [l_min, l_max] = curvature.eigenvalues;
    let n = session.data().len();
    session
        .runs()
        .iter()
        .enumerate()
        .filter(|(_, run)| {
            let c = run.config();
            c.optimizer.is_plain() && c.batch_size >= n && c.schedule.name() == "constant"
        })
        .map(|(index, run)| {
            let eta = run.config().learning_rate;
            let rate = (1.0 - eta * l_min).abs().max((1.0 - eta * l_max).abs());
            let e0 = (run.theta_start().theta0 - optimum.theta.theta0, run.theta_start().theta1 - optimum.theta.theta1);
            let mode = |lambda: f64, v: [f64; 2]| {
                let c = v[0] * e0.0 + v[1] * e0.1;
                (0.5 * lambda * c * c, 1.0 - eta * lambda)
            };
            let modes = [mode(l_min, curvature.eigenvectors[0]), mode(l_max, curvature.eigenvectors[1])];
            super::loss_curve::Prediction { index, rate, modes }
        })
        .collect()
}

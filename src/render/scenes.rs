//! The plots, listed once: [`Plot`] names each one and builds, from the session and the
//! [`PlotView`], its [`Background`] (redrawn only when the data, the objective or the view
//! change) and its [`Foreground`] (every frame), drawn on any plotters backend. The page's
//! canvases and the command line's files both draw through here.

use super::coefficients::{self, CoefficientScene};
use super::fit::{self, FitScene};
use super::loss_curve::{self, LossScene, Prediction};
use super::surface::{self, SurfaceScene};
use super::plot::Plot;
use super::primitives::{Blit, DrawResult, FrameKey, Layers, Scale, ViewTransform};
use super::run_path::{RunPath, Search, RAY_SAMPLES};
use super::text::Language;
use super::view::{unregularized_optimum, PlotView, TrailDrawing};
use super::view3d::Frame3d;
use crate::least_squares::objective::Theta;
use crate::descent::run::Run;
use crate::session::Session;
use plotters::coord::Shift;
use plotters::prelude::*;

impl Plot {
    /// What the plot draws below, redrawn only when the data, the objective or the view change
    /// (the loss curve has none). The surface shows the window `view` holds (fitted afresh
    /// when it holds none).
    pub fn background<'a>(&self, session: &'a Session, view: &PlotView) -> Option<Background<'a>> {
        let scale = view.scale();
        let objective = session.objective();
        let optimum = session.optimum().ok();
        match self {
            Plot::Surface => {
                let window = view.surface_window().unwrap_or_else(|| PlotView::default().surface_view(session));
                let lambda = objective.regularization().lambda();
                let regularization_path = if lambda > 0.0 {
                    objective.regularization_path(4.0 * lambda, 120).into_iter().map(|(_, t)| t).collect()
                } else {
                    Vec::new()
                };
                let axes = view.axes(session);
                Some(Background::Surface(SurfaceScene {
                    objective,
                    optimum,
                    unregularized_optimum: unregularized_optimum(session),
                    regularization_path,
                    axes,
                    directions: objective.pair_loss(axes).0.directions(),
                    view: window,
                    scale,
                    show_eigen_directions: view.show_eigen_directions,
                }))
            }
            Plot::Fit => Some(Background::Fit(FitScene {
                data: session.original_data(),
                optimum: optimum.map(|o| session.to_original_scale(o.theta)),
                scale,
                angle: view.fit_angle(),
            })),
            Plot::Loss | Plot::Coefficients => None,
        }
    }

    /// What the plot draws every frame, on top of a `size` canvas: from each run's path (see
    /// [`run_paths`], computed once a frame for every plot); the surface's trajectories at
    /// screen resolution from the trails `view` keeps.
    pub fn foreground<'a>(&self, session: &'a Session, view: &mut PlotView, paths: &'a [RunPath<'a>], size: (u32, u32)) -> Foreground<'a> {
        let scale = view.scale();
        match self {
            Plot::Surface => {
                let trails = match view.transform(Plot::Surface) {
                    Some(t) => view.trail_drawing(session, paths, &t, size),
                    None => TrailDrawing::default(),
                };
                Foreground::Surface { paths, trails, start: session.theta_start(), axes: view.axes(session), scale }
            }
            Plot::Fit => {
                let data = session.original_data();
                let frame = view.fit_frame(data);
                let lines = if fit::predicted_against_observed(data) {
                    Vec::new()
                } else {
                    paths.iter().map(|path| (path.index, session.to_original_scale(path.current))).collect()
                };
                Foreground::Fit { lines, frame, scale }
            }
            Plot::Loss => {
                let predictions = if view.show_prediction { predictions(session) } else { Vec::new() };
                let optimum_loss = session.optimum().ok().map(|o| o.loss);
                let rates = rate_lines(session, view.scrub);
                let columns = loss_curve::columns(paths, size, scale, view.log_iterations, !rates.is_empty());
                let curves = view.loss_curves(paths, columns);
                Foreground::Loss(LossScene { paths, optimum_loss, predictions, log_iterations: view.log_iterations, curves, columns, rates, scale })
            }
            Plot::Coefficients => {
                // With no run, the empty plot: its frame key still says what its layer holds.
                let Some(run) = session.runs().first() else {
                    return Foreground::Coefficients(CoefficientScene { lines: Default::default(), tail: None, optimum: None, scale });
                };
                let history = run.history().until(view.scrub);
                let live = view.scrub.is_none();
                let tail = (live && history.last().is_some_and(|p| p.iteration != run.iteration())).then(|| (run.iteration(), run.theta()));
                let last = tail.map_or(history.last().map_or(0, |p| p.iteration), |(k, _)| k);
                let width = coefficients::plot_width(size.0, scale);
                let lines = view.coefficient_lines(history, run.history().stride(), last, width, live);
                let optimum = session.optimum().ok().map(|o| o.theta);
                Foreground::Coefficients(CoefficientScene { lines, tail, optimum, scale })
            }
        }
    }

    /// Draws the whole plot on one drawing (a still image).
    pub fn draw_still<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        session: &Session,
        view: &PlotView,
        blit: &mut dyn Blit,
    ) -> DrawResult<()> {
        let transform = match self.background(session, view) {
            Some(background) => Some(background.draw(root, blit)?),
            None => None,
        };
        let mut view = view.clone();
        if let Some(t) = transform {
            view.drawn(*self, root.dim_in_pixel(), Some(t));
        }
        let paths = run_paths(session, view.scrub, view.scale().language);
        self.foreground(session, &mut view, &paths, root.dim_in_pixel()).draw(root, transform, blit)
    }
}

/// What a plot draws below.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // built only when a background is redrawn: size does not matter
pub enum Background<'a> {
    /// The loss surface: heat map, contours, optimum, eigen-directions.
    Surface(SurfaceScene<'a>),
    /// The data and the optimal line.
    Fit(FitScene<'a>),
}

impl Background<'_> {
    /// Draws on `root`; returns the transform of its plotting area.
    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, blit: &mut dyn Blit) -> DrawResult<ViewTransform> {
        match self {
            Background::Surface(scene) => surface::draw_static(root, scene, blit),
            Background::Fit(scene) => fit::draw_static(root, scene, blit),
        }
    }
}

/// What a plot draws every frame.
#[derive(Debug, Clone)]
pub enum Foreground<'a> {
    /// Each run's path (its polylines at screen resolution to add in `trails`) and the common
    /// start.
    Surface { paths: &'a [RunPath<'a>], trails: TrailDrawing, start: Theta, axes: (usize, usize), scale: Scale },
    /// Each run's current line, or its plane in the 3-D view (run index, θ in the original x
    /// scale); `frame` is the 3-D view's when the data plot is 3-D (see [`super::view3d::is_3d`]).
    Fit { lines: Vec<(usize, Theta)>, frame: Option<Frame3d>, scale: Scale },
    /// The loss curve, whole (its frame and its data).
    Loss(LossScene<'a>),
    /// The coefficients per iteration, whole.
    Coefficients(CoefficientScene),
}

impl Foreground<'_> {
    /// Draws on `root` over a background drawn with `transform` (the loss curve whole; nothing
    /// for a plot whose background was never drawn); pixel layers go through `blit`. The
    /// surface's trajectories go on `root` too, their halo at [`surface::HALO_ALPHA`].
    pub fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        transform: Option<ViewTransform>,
        blit: &mut dyn Blit,
    ) -> DrawResult<()> {
        if let Foreground::Surface { trails, scale, .. } = self {
            surface::draw_trails(root, root, trails, WHITE.mix(surface::HALO_ALPHA), *scale)?;
        }
        self.draw_top(root, transform, blit, Layers::Both)
    }

    /// What the frame of a plot whose axes follow the runs (the loss curve, the coefficients)
    /// is drawn from on a `size` canvas; none for the others, whose frame is their
    /// [`Background`].
    pub fn frame_key(&self, size: (u32, u32)) -> Option<FrameKey> {
        match self {
            Foreground::Loss(scene) => Some(scene.frame_key(size)),
            Foreground::Coefficients(scene) => Some(scene.frame_key(size)),
            _ => None,
        }
    }

    /// Draws what changes whole every frame on `root` (for the surface: all but the
    /// trajectories' kept polylines, which [`surface::draw_trails`] adds to layers of their own).
    /// For the loss curve and the coefficients, `layers` says whether their frame, their data
    /// or both (see [`Foreground::frame_key`]); the other plots draw the same for any.
    pub fn draw_top<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        transform: Option<ViewTransform>,
        blit: &mut dyn Blit,
        layers: Layers,
    ) -> DrawResult<()> {
        match (self, transform) {
            (Foreground::Surface { paths, trails, start, axes, scale }, Some(t)) => {
                surface::draw_moving(root, &t, paths, &trails.tails, *start, *axes, *scale)
            }
            (Foreground::Fit { lines, frame: Some(frame), scale }, _) => fit::draw_moving_planes(root, frame, lines, *scale),
            (Foreground::Fit { lines, frame: None, scale }, Some(t)) => fit::draw_moving(root, &t, lines, *scale),
            (Foreground::Loss(scene), _) => loss_curve::draw(root, scene, blit, layers),
            (Foreground::Coefficients(scene), _) => coefficients::draw(root, scene, layers),
            _ => Ok(()),
        }
    }
}

/// Each run's path for drawing: θ and (iteration, J) along its history up to iteration
/// `until` (all of it when `None`), every recorded point (the plots draw them at screen
/// resolution), ending at the current state when live; the last gradients for live mini-batch
/// runs.
pub fn run_paths(session: &Session, until: Option<u64>, language: Language) -> Vec<RunPath<'_>> {
    let n = session.data().len();
    session
        .runs()
        .iter()
        .enumerate()
        .map(|(index, run)| {
            let losses = run.history().losses_until(until);
            let recorded = run.history().until(until).last().map_or(run.theta(), |p| p.theta);
            let current = if until.is_none() { run.theta() } else { recorded };
            let tail = (until.is_none() && recorded != current).then(|| (run.iteration() as f64, session.objective().loss(current)));
            let config = run.config();
            let minibatch = config.batch_size < n;
            let gradients = if minibatch && until.is_none() { run.last_gradients() } else { None };
            let batches_per_epoch = minibatch.then(|| n.div_ceil(config.batch_size) as u64);
            let search = match (index, until, run.last_gradients()) {
                (0, None, Some(g)) if !run.trials().is_empty() => Some(search_of(session, run, g)),
                _ => None,
            };
            let stride = run.history().stride();
            RunPath { index, current, losses, tail, stride, gradients, batches_per_epoch, label: run_label(run, n, language), search }
        })
        .collect()
}

/// Most points of a rate line (an even stride of the history beyond).
const MAX_RATE_POINTS: usize = 2000;

/// The rate per iteration of each run whose rate changes (a schedule, a rate rule, a line
/// search, CG), from its history up to `until`.
pub fn rate_lines(session: &Session, until: Option<u64>) -> Vec<loss_curve::RateLine> {
    session
        .runs()
        .iter()
        .enumerate()
        .filter(|(_, run)| run.config().rate_varies())
        .map(|(index, run)| {
            let shown = run.history().until(until);
            // Iteration 0 holds the rate before any update; the lines start at the first one.
            let stride = shown.len().div_ceil(MAX_RATE_POINTS).max(1);
            let points = shown.iter().skip(1).step_by(stride).filter(|p| p.lr > 0.0 && p.lr.is_finite()).map(|p| (p.iteration as f64, p.lr)).collect();
            loss_curve::RateLine { index, points }
        })
        .filter(|line| !line.points.is_empty())
        .collect()
}

/// Run 1's last line search: its trials, and f along its ray θ − η·g (the proximal step after
/// it with an L1 part) from η = 0 to 1.15 times the farthest trial.
fn search_of(session: &Session, run: &Run, g: crate::descent::run::LastGradients) -> Search {
    let objective = session.objective();
    let trials = run.trials().to_vec();
    let longest = trials.iter().map(|t| t.eta).fold(0.0, f64::max) * 1.15;
    let at = |eta: f64| {
        let mut theta = g.at;
        for i in 0..theta.len() {
            theta[i] = g.at[i] - eta * g.full[i];
        }
        crate::descent::step_size::smooth_loss(objective, objective.prox(theta, eta))
    };
    let curve = (0..=RAY_SAMPLES).map(|k| longest * k as f64 / RAY_SAMPLES as f64).map(|eta| (eta, at(eta))).collect();
    let armijo = match run.config().line_search {
        crate::descent::step_size::LineSearch::Armijo { c, .. } if objective.regularization().l1_weight() == 0.0 => {
            Some((at(0.0), -c * crate::descent::step_size::dot(&g.full, &g.full)))
        }
        _ => None,
    };
    Search { from: g.at, trials, curve, armijo }
}

/// A short legend label: "GD η=0.05", "SGD b=1 η=0.01", "Adam η=0.1, cosine", "GD exact",
/// "GD Armijo η₀=1", "CG", "GD η=0.1, bold driver", with the catalogue's legend name of the
/// optimizer (plain descent on mini-batches is "SGD") and the words of the schedule, the line
/// search and the rate rule in `language`.
pub fn run_label(run: &Run, n: usize, language: Language) -> String {
    let c = run.config();
    let name = match (c.optimizer.is_plain(), c.batch_size >= n) {
        (_, true) => c.optimizer.entry().legend.to_string(),
        (true, false) => format!("SGD b={}", c.batch_size),
        (false, false) => format!("{} b={}", c.optimizer.entry().legend, c.batch_size),
    };
    let search = c.line_search.name();
    let mut label = match (c.optimizer, search) {
        // CG chooses its own steps; a line search its own η, from η₀ for Armijo and BB.
        (crate::descent::optimizer::Optimizer::Cg, _) => name,
        (_, "exact" | "polyak") => format!("{name} {}", super::text::rule_word(language, search)),
        (_, "armijo" | "bb") => format!("{name} {} η₀={}", super::text::rule_word(language, search), crate::descent::run::sig(c.learning_rate)),
        _ => format!("{name} η={}", crate::descent::run::sig(c.learning_rate)),
    };
    if c.schedule.name() != "constant" {
        label.push_str(", ");
        label.push_str(super::text::schedule_word(language, c.schedule.name()));
    }
    if c.rate_rule.name() != "none" {
        label.push_str(", ");
        label.push_str(super::text::rule_word(language, c.rate_rule.name()));
    }
    label
}

/// The predicted convergence of each full-batch plain-GD run with a constant rate (no rate
/// rule, no line search) and no L1 part (see [`Prediction`]).
pub fn predictions(session: &Session) -> Vec<Prediction> {
    let objective = session.objective();
    let Ok(optimum) = session.optimum() else { return Vec::new() };
    if objective.regularization().l1_weight() > 0.0 {
        return Vec::new();
    }
    let curvature = session.curvature();
    let n = session.data().len();
    session
        .runs()
        .iter()
        .enumerate()
        .filter(|(_, run)| {
            let c = run.config();
            c.optimizer.is_plain() && c.batch_size >= n && !c.rate_varies()
        })
        .map(|(index, run)| {
            let eta = run.config().learning_rate;
            let start = run.theta_start();
            // Every eigen-direction: its share of the start's error and its factor per step.
            let modes: Vec<(f64, f64)> = curvature
                .spectrum
                .iter()
                .zip(&curvature.eigenvectors)
                .map(|(&lambda, v)| {
                    let mut c = v[0] * (start[0] - optimum.theta[0]);
                    for i in 1..v.len() {
                        c += v[i] * (start[i] - optimum.theta[i]);
                    }
                    (0.5 * lambda * c * c, 1.0 - eta * lambda)
                })
                .collect();
            let rate = modes.iter().fold(0.0f64, |rate, &(_, f)| rate.max(f.abs()));
            Prediction { index, rate, modes }
        })
        .collect()
}

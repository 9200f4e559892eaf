//! The page's view state and drawing caches: which θ window the surface shows, the overlays
//! and the timeline position, the transforms of the last drawn backgrounds (for mapping mouse
//! positions back), and which backgrounds must be redrawn. Pure Rust; the canvas glue in
//! [`crate::wasm`] and the export use it.

use super::iteration_lines::{curves, CoefficientCache, CoefficientLines, Columns, CurveCache, Decimated};
use super::plot::Plot;
use super::primitives::{padded, FrameKey, Scale, ViewTransform};
use super::resolution::{RunLines, Trail};
use super::run_path::{self, RunPath};
use super::view3d::{self, Box3d, Frame3d, ViewAngle};
use crate::least_squares::objective::Theta;
use crate::descent::run::Run;
use crate::session::Session;

/// How far (as a multiple of the fitted extent) the surface view may grow to follow a run that
/// leaves it; beyond that a diverging path is clipped at the edge.
pub const MAX_VIEW_GROWTH: f64 = 64.0;

/// What the plots show and what they last drew.
#[derive(Debug, Clone)]
pub struct PlotView {
    scale: Scale,
    surface_view: Option<[[f64; 2]; 2]>,
    base_extent: f64,
    /// Per plot (in [`Plot::ALL`] order): the transform of its background as last drawn.
    transforms: [Option<ViewTransform>; Plot::ALL.len()],
    /// Per plot: the canvas size (device pixels) its background was drawn at; none when it must
    /// be drawn again.
    drawn_sizes: [Option<(u32, u32)>; Plot::ALL.len()],
    /// Per plot whose axes follow the runs: what its frame layer was last drawn from.
    drawn_frames: [Option<FrameKey>; Plot::ALL.len()],
    /// Draw the Hessian's eigen-directions through θ*.
    pub show_eigen_directions: bool,
    /// Draw the prediction of the convergence rate on the loss curve.
    pub show_prediction: bool,
    /// Draw the loss curve's iterations on a log axis.
    pub log_iterations: bool,
    /// Show the runs as they were at this iteration (the timeline scrubber), or live.
    pub scrub: Option<u64>,
    /// Each run's live trajectory at screen resolution, kept between frames.
    trails: Vec<Trail>,
    /// What the trajectories' layers hold, when they hold the live trails.
    trail_layer: Option<TrailLayer>,
    /// Each run's loss curve at screen resolution, kept between frames.
    curves: Vec<CurveCache>,
    /// The two coefficients the surface shows, when chosen (see [`PlotView::axes`]).
    chosen_axes: Option<(usize, usize)>,
    /// The first run's coefficient lines, kept between frames.
    coefficients: CoefficientCache,
    /// The view angle of the 3-D data plot (two feature columns).
    fit_angle: ViewAngle,
    /// Whether the data plot's foreground was last drawn as the 3-D view; its background's
    /// transform is then withheld (see [`PlotView::transform`]).
    fit_3d: bool,
    /// The 3-D view's box, kept between frames, with the data's fingerprint and size it is of.
    fit_bounds: Option<(u64, usize, Box3d)>,
}

/// What the trajectories' layers (kept between frames) were drawn for, and how far.
#[derive(Debug, Clone, PartialEq)]
struct TrailLayer {
    /// Run indices in drawing order.
    order: Vec<usize>,
    /// Canvas size.
    size: (u32, u32),
    /// Scale of the lines.
    scale: Scale,
    /// Per run, the [`Trail::mark`] drawn up to.
    marks: Vec<(usize, usize)>,
}

/// The trajectories to draw this frame (see [`PlotView::trail_drawing`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrailDrawing {
    /// Start the layers afresh: `lines` holds every trail whole.
    pub clear: bool,
    /// Per run (index) in drawing order, its polylines to add, in device pixels.
    pub lines: Vec<RunLines>,
    /// Per run (index), the segment from its last recorded point to its current θ.
    pub tails: Vec<RunLines>,
}

impl Default for PlotView {
    fn default() -> Self {
        PlotView {
            scale: Scale::default(),
            surface_view: None,
            base_extent: 1.0,
            transforms: [None; Plot::ALL.len()],
            drawn_sizes: [None; Plot::ALL.len()],
            drawn_frames: Default::default(),
            show_eigen_directions: true,
            show_prediction: true,
            log_iterations: false,
            scrub: None,
            trails: Vec::new(),
            trail_layer: None,
            curves: Vec::new(),
            chosen_axes: None,
            coefficients: CoefficientCache::default(),
            fit_angle: ViewAngle::DEFAULT,
            fit_3d: false,
            fit_bounds: None,
        }
    }
}

impl PlotView {
    /// The view of a still image of `session` drawn at `scale`: live, with the surface window
    /// holding every trajectory whole.
    pub fn still(session: &Session, scale: Scale) -> PlotView {
        let mut view = PlotView { scale, ..PlotView::default() };
        view.hold(session, session.runs().iter().flat_map(|r| r.history().points().iter().map(|p| p.theta).chain([r.theta()])));
        view
    }
    /// The two coefficients the surface shows (indices into θ, θ0 = 0; across, then up): the
    /// chosen ones when the model has them, else (θ1, θ2) for data of several feature columns
    /// and (θ0, θ1) for a line or the powers of one x.
    pub fn axes(&self, session: &Session) -> (usize, usize) {
        let p = session.objective().params();
        match self.chosen_axes {
            Some((a, b)) if a < p && b < p && a != b => (a, b),
            _ if p > 2 && matches!(session.data().layout(), crate::least_squares::data::Layout::Rows { .. }) => (1, 2),
            _ => (0, 1),
        }
    }
    /// Chooses the two coefficients the surface shows (ignored while the model lacks them);
    /// refits the view.
    pub fn set_axes(&mut self, axes: (usize, usize)) {
        if self.chosen_axes != Some(axes) {
            self.chosen_axes = Some(axes);
            self.invalidate();
        }
    }
    /// The data or the objective changed: redraw the static layers and refit the view.
    pub fn invalidate(&mut self) {
        self.redraw();
        self.surface_view = None;
    }
    /// The start point changed: refit the view.
    pub fn invalidate_view(&mut self) {
        self.invalidate();
    }
    /// Redraw the static layers (and the trajectories' layers) without refitting the view.
    pub fn redraw(&mut self) {
        self.drawn_sizes = [None; Plot::ALL.len()];
        self.drawn_frames = Default::default();
        self.trail_layer = None;
    }
    /// Device pixels per CSS pixel.
    pub fn set_pixel_ratio(&mut self, ratio: f64) {
        if ratio != self.scale.pixel_ratio {
            self.scale.pixel_ratio = ratio;
            self.redraw();
        }
    }
    /// Magnification of text and lines (presenter mode), clamped to [0.5, 3].
    pub fn set_zoom(&mut self, zoom: f64) {
        let zoom = if zoom.is_finite() { zoom.clamp(0.5, 3.0) } else { 1.0 };
        if zoom != self.scale.zoom {
            self.scale.zoom = zoom;
            self.redraw();
        }
    }
    /// The smallest text in CSS pixels (0: none), clamped to [0, 40].
    pub fn set_min_font(&mut self, css: f64) {
        let css = if css.is_finite() { css.clamp(0.0, 40.0) } else { 0.0 };
        if css != self.scale.min_font {
            self.scale.min_font = css;
            self.redraw();
        }
    }
    /// Language of the words in the plots.
    pub fn set_language(&mut self, language: super::text::Language) {
        if language != self.scale.language {
            self.scale.language = language;
            self.redraw();
        }
    }
    /// Pixel ratio, zoom and language.
    pub fn scale(&self) -> Scale {
        self.scale
    }
    /// True when the background of `plot` must be drawn on a canvas of `size` (then call
    /// [`PlotView::drawn`]).
    pub fn needs_background(&self, plot: Plot, size: (u32, u32)) -> bool {
        self.drawn_sizes[plot.index()] != Some(size)
    }
    /// True when the frame layer of `plot` must be drawn for `key` (it was last drawn for
    /// another, or never since [`PlotView::redraw`]); records `key` as drawn.
    pub fn frame_changed(&mut self, plot: Plot, key: FrameKey) -> bool {
        let kept = &mut self.drawn_frames[plot.index()];
        if kept.as_ref() == Some(&key) {
            return false;
        }
        *kept = Some(key);
        true
    }
    /// Records that the background of `plot` was drawn at `size`, with `transform`. For the
    /// data plot, whether it is the 3-D view is recorded again by its next foreground
    /// ([`PlotView::fit_frame`]), which follows in the same frame.
    pub fn drawn(&mut self, plot: Plot, size: (u32, u32), transform: Option<ViewTransform>) {
        self.drawn_sizes[plot.index()] = Some(size);
        self.transforms[plot.index()] = transform;
        if plot == Plot::Fit {
            self.fit_3d = false;
        }
    }
    /// The transform of the background of `plot` as last drawn; none for the data plot while
    /// it is the 3-D view (a projection, not a [`ViewTransform`]: positions on it map to no
    /// data point).
    pub fn transform(&self, plot: Plot) -> Option<ViewTransform> {
        if plot == Plot::Fit && self.fit_3d {
            return None;
        }
        self.transforms[plot.index()]
    }
    /// The view angle of the 3-D data plot.
    pub fn fit_angle(&self) -> ViewAngle {
        self.fit_angle
    }
    /// Turns the 3-D data plot by `d_yaw` about its vertical axis and tilts it by `d_pitch`
    /// (radians; see [`ViewAngle::rotated`]: the pitch stays within ±[`ViewAngle::MAX_PITCH`],
    /// a non-finite value changes nothing); only the data plot's background is redrawn.
    pub fn rotate_fit(&mut self, d_yaw: f64, d_pitch: f64) {
        let turned = self.fit_angle.rotated(d_yaw, d_pitch);
        if turned != self.fit_angle {
            self.fit_angle = turned;
            self.drawn_sizes[Plot::Fit.index()] = None;
        }
    }
    /// The frame the data plot of `data` is drawn in when it is the 3-D view (see
    /// [`view3d::is_3d`]), none otherwise; records which it is. The box is kept between frames
    /// while the data stay the same.
    pub fn fit_frame(&mut self, data: &crate::least_squares::data::Dataset) -> Option<Frame3d> {
        self.fit_3d = view3d::is_3d(data);
        if !self.fit_3d {
            return None;
        }
        let key = (data.fingerprint(), data.len());
        let bounds = match self.fit_bounds {
            Some((fingerprint, len, bounds)) if (fingerprint, len) == key => bounds,
            _ => {
                let bounds = view3d::box_3d(data);
                self.fit_bounds = Some((key.0, key.1, bounds));
                bounds
            }
        };
        Some(Frame3d { bounds, angle: self.fit_angle })
    }
    /// The θ window the surface shows now, once fitted.
    pub fn surface_window(&self) -> Option<[[f64; 2]; 2]> {
        self.surface_view
    }

    /// The θ window of the surface: fitted to the start, the optimum (and the unregularized
    /// one) and each run's current θ; grown when a run leaves it, up to [`MAX_VIEW_GROWTH`]
    /// times the fitted extent, after which paths are clipped.
    pub fn surface_view(&mut self, session: &Session) -> [[f64; 2]; 2] {
        let axes = self.axes(session);
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
                let points: Vec<Theta> = points.iter().map(|t| t.shown(axes)).collect();
                let view = bounding_view(&points);
                self.base_extent = (view[0][1] - view[0][0]).max(view[1][1] - view[1][0]);
                self.surface_view = Some(view);
                self.drawn_sizes[Plot::Surface.index()] = None;
                view
            }
            Some(view) => {
                let shown = self.transform(Plot::Surface).map(|t| [t.x, t.y]).unwrap_or(view);
                let outside: Vec<Theta> = followed_runs(session)
                    .into_iter()
                    .map(|t| t.shown(axes))
                    .filter(|t| t.is_finite() && !(t[0] >= shown[0][0] && t[0] <= shown[0][1] && t[1] >= shown[1][0] && t[1] <= shown[1][1]))
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
                self.drawn_sizes[Plot::Surface.index()] = None;
                grown
            }
        }
    }

    /// Grows the surface window to hold every finite θ of `thetas` (whole trajectories, for a
    /// still image), at most to 64 times its extent around its centre.
    pub fn hold(&mut self, session: &Session, thetas: impl IntoIterator<Item = Theta>) {
        let base = self.surface_view(session);
        let axes = self.axes(session);
        let (mut x0, mut x1, mut y0, mut y1) = (base[0][0], base[0][1], base[1][0], base[1][1]);
        let extent = (x1 - x0).max(y1 - y0);
        let (cx, cy) = (0.5 * (x0 + x1), 0.5 * (y0 + y1));
        let limit = 0.5 * MAX_VIEW_GROWTH * extent;
        for t in thetas.into_iter().map(|t| t.shown(axes)).filter(Theta::is_finite) {
            x0 = x0.min(t[0].max(cx - limit));
            x1 = x1.max(t[0].min(cx + limit));
            y0 = y0.min(t[1].max(cy - limit));
            y1 = y1.max(t[1].min(cy + limit));
        }
        self.surface_view = Some([[x0, x1], [y0, y1]]);
        self.drawn_sizes[Plot::Surface.index()] = None;
    }

    /// What the trajectories' layers must draw this frame on a `size` canvas drawn with `t`:
    /// live, from the trails kept between frames, only the polylines kept since the last frame
    /// (or everything, `clear` set, when a trail started again, the runs, their drawing order,
    /// the canvas or the scale changed, or the last frame was not live); at a timeline step,
    /// everything up to it, cut from the live trails. A live path ending past its last
    /// recorded point gets that segment as its `tail`, drawn every frame on top.
    pub fn trail_drawing(&mut self, session: &Session, paths: &[RunPath], t: &ViewTransform, size: (u32, u32)) -> TrailDrawing {
        let runs = session.runs();
        let order: Vec<usize> = super::run_path::drawing_order(paths).iter().map(|p| p.index).collect();
        let live = self.scrub.is_none();
        let axes = self.axes(session);
        self.trails.resize_with(runs.len(), Trail::default);
        let mut restarted = false;
        let mut tails = Vec::new();
        for path in paths {
            let (Some(run), Some(trail)) = (runs.get(path.index), self.trails.get_mut(path.index)) else { continue };
            let all = run.history().points();
            restarted |= trail.update(all, run.history().stride(), run.theta_start(), axes, t, size);
            if let (true, Some(last), end) = (live, all.last(), path.current) {
                if last.theta != end {
                    let (from, to) = (last.theta.shown(axes), end.shown(axes));
                    let lines = t.polylines([(from[0], from[1]), (to[0], to[1])]);
                    tails.push((path.index, lines));
                }
            }
        }
        let trails = &self.trails;
        // The marks the layers were drawn up to, while they still hold these trails.
        let held = self.trail_layer.as_ref().filter(|l| live && !restarted && l.order == order && l.size == size && l.scale == self.scale);
        let clear = held.is_none();
        let lines: Vec<RunLines> = order
            .iter()
            .filter_map(|&index| {
                let trail = trails.get(index)?;
                let mark = held.and_then(|l| l.marks.get(index).copied());
                Some((index, match (mark, live) {
                    (Some(mark), _) => trail.lines_since(mark),
                    (None, true) => trail.lines().to_vec(),
                    (None, false) => trail.lines_until(self.scrub.unwrap_or(u64::MAX)),
                }))
            })
            .collect();
        self.trail_layer = live.then(|| TrailLayer { order, size, scale: self.scale, marks: trails.iter().map(Trail::mark).collect() });
        TrailDrawing { clear, lines, tails }
    }

    /// Each path's loss curve decimated for `columns`, from the curves kept between frames
    /// (only the points recorded since the last frame are taken in).
    pub fn loss_curves(&mut self, paths: &[RunPath], columns: Columns) -> Vec<Decimated> {
        curves(paths, &mut self.curves, columns)
    }

    /// The first run's coefficient lines (see [`CoefficientCache::lines`]).
    pub fn coefficient_lines(&mut self, history: &[crate::descent::run::HistoryPoint], stride: u64, last: u64, width: i64, live: bool) -> CoefficientLines {
        self.coefficients.lines(history, stride, last, width, live)
    }

    /// θ under a point of the surface canvas given in CSS pixels.
    pub fn surface_point_to_theta(&self, x: f64, y: f64) -> Option<Theta> {
        let r = self.scale.pixel_ratio;
        self.transform(Plot::Surface)?.to_data(x * r, y * r).map(|(a, b)| Theta::new(a, b))
    }
    /// Data coordinates under a point of the data canvas given in CSS pixels; none while the
    /// data plot is the 3-D view.
    pub fn fit_point_to_data(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let r = self.scale.pixel_ratio;
        self.transform(Plot::Fit)?.to_data(x * r, y * r)
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
    let calm: Vec<Theta> = thetas.iter().copied().filter(|&t| !run_path::escaping(start_loss, objective.loss(t))).collect();
    if calm.is_empty() {
        thetas
    } else {
        calm
    }
}

/// A window around the points, padded by a quarter of its size, at least 1 wide or
/// a tenth of the largest coordinate.
fn bounding_view(points: &[Theta]) -> [[f64; 2]; 2] {
    let finite: Vec<&Theta> = points.iter().filter(|t| t.is_finite()).collect();
    let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for t in &finite {
        x0 = x0.min(t[0]);
        x1 = x1.max(t[0]);
        y0 = y0.min(t[1]);
        y1 = y1.max(t[1]);
    }
    if finite.is_empty() {
        return [[-1.0, 1.0], [-1.0, 1.0]];
    }
    let size = (x1 - x0).max(y1 - y0);
    let magnitude = x0.abs().max(x1.abs()).max(y0.abs()).max(y1.abs());
    let min_width = (0.5 * size).max(0.1 * magnitude).max(1.0);
    [padded(x0, x1, 0.25, min_width), padded(y0, y1, 0.25, min_width)]
}

/// The unregularized optimum, when regularization is on and it is unique.
pub fn unregularized_optimum(session: &Session) -> Option<Theta> {
    if session.objective().regularization().lambda() == 0.0 {
        return None;
    }
    session.unregularized_optimum().map(|o| o.theta)
}

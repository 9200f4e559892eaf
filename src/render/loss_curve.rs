//! The loss curve: J per iteration on a log-scale y axis, one line per run, J(θ*) as a
//! reference line, and for full-batch plain gradient descent the rate the theory predicts.
//! Runs whose rate changes (a schedule, a rate rule, a line search, CG's α) also show their
//! rate per iteration, thin, on a second log axis on the right.
//! Iterations on a linear or a log axis; a mini-batch run's raw line drawn faint under its
//! moving mean. Every line is M4-decimated to the plot's pixel columns.

use super::resolution::M4;
use super::resolution::stroke_into;
use super::{draw_err, run_color, Blit, DrawResult, Label, RgbaImage, RunPath, Scale, INK, MUTED};
use plotters::chart::DualCoordChartContext;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The prediction for full-batch plain GD with a constant rate η on this quadratic: the error
/// e_k = θ_k − θ* = (I − ηH)^k·e_0, so along each eigenvector v_i of H it shrinks by the factor
/// (1 − η·λ_i) per step, and J_k − J* = ½·Σ_i λ_i·(v_i·e_0)²·(1 − η·λ_i)^(2k). The slowest
/// factor ρ = max_i |1 − η·λ_i| is the rate the curve settles to. The sum runs over all d + 1
/// eigen-directions.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Run index it belongs to.
    pub index: usize,
    /// The asymptotic contraction factor ρ per step.
    pub rate: f64,
    /// Per eigen-direction: (½·λ_i·(v_i·e_0)², 1 − η·λ_i).
    pub modes: Vec<(f64, f64)>,
}

impl Prediction {
    /// Predicted J − J* after k steps.
    pub fn excess(&self, k: f64) -> f64 {
        self.modes.iter().map(|&(a, f)| a * f.abs().powf(2.0 * k)).sum()
    }
}

/// Opacity of a mini-batch run's raw loss line under its moving mean.
const FAINT_ALPHA: f64 = 0.3;
/// The chart's margin and the width of its y labels' area (CSS pixels).
const MARGIN: f64 = 10.0;
const Y_LABELS: f64 = 62.0;
/// The width of the rate axis's labels on the right, when it is drawn (CSS pixels).
const RATE_LABELS: f64 = 54.0;

/// A run's rate per iteration: (iteration, ηₜ), every ηₜ > 0.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLine {
    /// Run index (selects the colour).
    pub index: usize,
    /// (iteration, rate) of its recorded updates.
    pub points: Vec<(f64, f64)>,
}

/// What the loss curve shows.
#[derive(Debug, Clone)]
pub struct LossScene<'a> {
    /// Each run's (iteration, J) points.
    pub paths: &'a [RunPath<'a>],
    /// J(θ*), if the optimum is unique.
    pub optimum_loss: Option<f64>,
    /// Predicted convergence curves.
    pub predictions: Vec<Prediction>,
    /// Iterations on a log axis (iteration 0 is drawn at 1, the left edge).
    pub log_iterations: bool,
    /// Each path's curve at screen resolution (in the order of `paths`) and the columns it was
    /// decimated for.
    pub curves: Vec<Decimated>,
    /// The columns `curves` were decimated for.
    pub columns: Columns,
    /// The rates of the runs whose rate changes (none: no rate axis).
    pub rates: Vec<RateLine>,
    /// Pixel ratio and zoom.
    pub scale: Scale,
}

/// The trailing moving mean of J that the loss curve draws over a mini-batch run's raw line:
/// at each recorded iteration k, the mean of the recorded J over the iterations
/// (k − w(k), k], w(k) = [`smoothing_window`]`(batches_per_epoch, k)`. Recorded points are
/// evenly spaced (every iteration, or every 2^m-th once a long history is thinned), so the mean
/// over them is the mean over the window.
pub fn moving_mean(losses: &[(f64, f64)], batches_per_epoch: u64) -> Vec<(f64, f64)> {
    let mut mean = MovingMean::default();
    (0..losses.len()).map(|i| (losses[i].0, mean.next(losses, i, batches_per_epoch))).collect()
}

/// The state of [`moving_mean`] between points, so that a curve can be taken in a few
/// points at a time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct MovingMean {
    /// Sum of J before the window's first point, and up to the current point.
    before: f64,
    upto: f64,
    /// The window's first point.
    first: usize,
}

impl MovingMean {
    /// The mean at point `i` of `losses`, the points before it taken in already.
    fn next(&mut self, losses: &[(f64, f64)], i: usize, batches_per_epoch: u64) -> f64 {
        self.next_at(|m| losses[m], i, batches_per_epoch)
    }

    /// [`MovingMean::next`] with the points read through `point`.
    fn next_at(&mut self, point: impl Fn(usize) -> (f64, f64), i: usize, batches_per_epoch: u64) -> f64 {
        let (k, j) = point(i);
        self.upto += j;
        // k − w(k) never decreases with k, so the window's first point only moves forward.
        let start = k - smoothing_window(batches_per_epoch, k);
        while self.first < i && point(self.first).0 <= start {
            self.before += point(self.first).1;
            self.first += 1;
        }
        ((self.upto - self.before) / (i + 1 - self.first) as f64).max(0.0)
    }
}

/// The right end of the iteration axis for runs at `max_iteration`: the next of 1, 1.25, 1.5,
/// 2, 2.5, 3, 4, 5, 6, 8 × 10^m at or above 1.02 × `max_iteration` (at least 10), so that the
/// axis, its labels and the curves' pixel columns stay put for many frames of a long run.
pub fn axis_end(max_iteration: f64) -> f64 {
    let want = (max_iteration * 1.02).max(10.0);
    if !want.is_finite() {
        return want;
    }
    let decade = 10f64.powf(want.log10().floor());
    [1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|m| m * decade)
        .find(|&v| v >= want)
        .unwrap_or(10.0 * decade)
}

/// How the loss plot maps iterations to pixel columns: the plotting area's left and right edge
/// (device pixels), the axis end and whether it is logarithmic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Columns {
    /// Left edge of the plotting area.
    pub left: f64,
    /// Right edge of the plotting area.
    pub right: f64,
    /// The axis's right end ([`axis_end`]).
    pub end: f64,
    /// Iterations on a log axis (iteration 0 at 1).
    pub log: bool,
}

impl Columns {
    /// The pixel column of iteration `k`.
    pub fn of(&self, k: f64) -> i64 {
        let (axis, a1) = if self.log { (k.max(1.0).ln(), self.end.max(10.0).ln()) } else { (k, self.end) };
        (self.left + axis * (self.right - self.left) / a1).floor() as i64
    }
}

/// A run's loss curve at screen resolution: its raw (iteration, J) and, for a mini-batch run,
/// its moving mean, each M4-decimated to the plot's pixel columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decimated {
    /// The raw line.
    pub raw: Vec<(f64, f64)>,
    /// The moving mean, for a mini-batch run.
    pub mean: Option<Vec<(f64, f64)>>,
}

/// What a [`CurveCache`] was decimated for: the columns, the moving mean's epoch, the run's
/// first point (its bits) and its history's stride.
#[derive(Debug, Clone, Copy, PartialEq)]
struct CurveKey {
    columns: Columns,
    batches_per_epoch: Option<u64>,
    first: (u64, u64),
    stride: u64,
}

impl CurveKey {
    /// Whether a curve kept for `self` can go on, drawn as it is, for a history of `key`: the
    /// same run and columns, only the axis longer or the history thinned since.
    fn leads_to(&self, key: &CurveKey) -> bool {
        let (a, b) = (self.columns, key.columns);
        self.batches_per_epoch == key.batches_per_epoch
            && self.first == key.first
            && a.left == b.left
            && a.right == b.right
            && a.log == b.log
            && a.end <= b.end
            && self.stride <= key.stride
    }
}

/// A run's [`Decimated`] curve kept from frame to frame: the points already taken in are not
/// looked at again while the run's history only grows and the columns stay.
///
/// When the axis grows (a larger [`axis_end`]) or the history is thinned (every other point
/// dropped), the curve is decimated afresh for the new axis or points, [`REBUILD_POINTS`] points
/// of the history a call, while the kept one goes on (at its columns, from the first point
/// past the last it took in) and is drawn; the fresh one takes its place once it has caught
/// up. Neither costs a frame a pass over the whole history.
#[derive(Debug, Clone, Default)]
pub struct CurveCache {
    key: Option<CurveKey>,
    taken: usize,
    last: Option<(u64, u64)>,
    raw: M4<(f64, f64)>,
    mean: M4<(f64, f64)>,
    state: MovingMean,
    /// The curve being decimated afresh (see above).
    next: Option<Box<CurveCache>>,
}

/// Points of the history a curve decimated afresh takes in per call (see [`CurveCache`]).
pub const REBUILD_POINTS: usize = 2_000;

impl CurveCache {
    /// The curve of the recorded `losses` (in order of iteration; a history recording every
    /// `stride`-th iteration), then `tail` (the live state, not kept), drawn with `columns`,
    /// with a moving mean over `batches_per_epoch` when given; takes in only the points new
    /// since the last call unless the history changed under it. `None` when a point is not
    /// finite (see [`curves`]).
    pub fn update(
        &mut self,
        losses: &[(f64, f64)],
        tail: Option<(f64, f64)>,
        batches_per_epoch: Option<u64>,
        stride: u64,
        columns: Columns,
    ) -> Option<Decimated> {
        let first = losses.first().map_or((0, 0), bits);
        let key = CurveKey { columns, batches_per_epoch, first, stride };
        if !(self.holds(losses) && self.key == Some(key) && self.next.is_none()) {
            if self.goes_on(losses, &key) {
                let mut next = match self.next.take() {
                    Some(next) if next.key == Some(key) && next.holds(losses) => next,
                    _ => Box::new(CurveCache { key: Some(key), ..CurveCache::default() }),
                };
                let upto = (next.taken + REBUILD_POINTS).min(losses.len());
                next.take_in(losses, upto);
                if next.taken == losses.len() {
                    *self = *next;
                } else {
                    self.next = Some(next);
                }
            } else {
                *self = CurveCache { key: Some(key), ..CurveCache::default() };
            }
        }
        if !losses[self.taken..].iter().chain(&tail).all(|(_, j)| j.is_finite()) {
            *self = CurveCache::default();
            return None;
        }
        self.take_in(losses, losses.len());
        let Some((k, j)) = tail else {
            return Some(Decimated { raw: self.raw.snapshot(), mean: batches_per_epoch.map(|_| self.mean.snapshot()) });
        };
        // The live state goes on copies: the next frame's history has it, or a later point.
        let c = self.key.map_or(columns, |key| key.columns).of(k);
        let mut raw = self.raw.clone();
        raw.push(c, j, (k, j));
        let mean = batches_per_epoch.map(|epoch| {
            let mut state = self.state;
            let n = losses.len();
            let m = state.next_at(|i| if i < n { losses[i] } else { (k, j) }, n, epoch);
            let mut mean = self.mean.clone();
            mean.push(c, m, (k, m));
            mean.finish()
        });
        Some(Decimated { raw: raw.finish(), mean })
    }

    /// Whether `losses` still holds the points taken in: the history only grew.
    fn holds(&self, losses: &[(f64, f64)]) -> bool {
        losses.len() >= self.taken && (self.taken == 0 || self.last == Some(bits(&losses[self.taken - 1])))
    }

    /// Whether this curve can go on, drawn as it is, for `losses` of `key` while a fresh one is
    /// built; when the history was thinned, it is moved onto the thinned points first: it goes
    /// on from the first point past the last it took in, with the moving mean's state as the
    /// thinned points up to there give it.
    fn goes_on(&mut self, losses: &[(f64, f64)], key: &CurveKey) -> bool {
        let Some(old) = self.key.filter(|old| self.taken > 0 && old.leads_to(key)) else { return false };
        if old.stride == key.stride {
            return self.holds(losses);
        }
        let last = self.last.map_or(0.0, |(k, _)| f64::from_bits(k));
        if losses.last().is_none_or(|p| p.0 < last) {
            return false;
        }
        let at = losses.partition_point(|p| p.0 <= last);
        self.taken = at;
        self.last = Some(bits(&losses[at - 1]));
        if let Some(epoch) = key.batches_per_epoch {
            self.state = MovingMean::default();
            for i in 0..at {
                self.state.next(losses, i, epoch);
            }
        }
        self.key = Some(CurveKey { stride: key.stride, ..old });
        true
    }

    /// Takes in `losses[taken..upto]` at the columns of this curve's key.
    fn take_in(&mut self, losses: &[(f64, f64)], upto: usize) {
        let Some(key) = self.key else { return };
        for i in self.taken..upto {
            let (k, j) = losses[i];
            let c = key.columns.of(k);
            self.raw.push(c, j, (k, j));
            if let Some(epoch) = key.batches_per_epoch {
                let m = self.state.next(losses, i, epoch);
                self.mean.push(c, m, (k, m));
            }
        }
        if upto > self.taken {
            self.taken = upto;
            self.last = Some(bits(&losses[upto - 1]));
        }
    }
}

/// A point's bits, to tell a history that changed under a cache.
fn bits(p: &(f64, f64)) -> (u64, u64) {
    (p.0.to_bits(), p.1.to_bits())
}

/// The pixel columns of the loss plot on a `size` canvas drawn at `scale` for `paths`: the
/// plotting area the chart of [`draw`] lays out (margins and the y labels' area) and the axis
/// end for the longest run.
pub fn columns(paths: &[RunPath], size: (u32, u32), scale: Scale, log: bool, rates: bool) -> Columns {
    let max_iteration = paths.iter().filter_map(RunPath::last_loss).map(|p| p.0).fold(10.0, f64::max);
    let left = (scale.px(MARGIN) + scale.px(Y_LABELS)) as f64;
    let right = size.0 as f64 - scale.px(MARGIN) as f64 - if rates { scale.px(RATE_LABELS) as f64 } else { 0.0 };
    Columns { left, right: right.max(left + 1.0), end: axis_end(max_iteration), log }
}

/// Each path's curve decimated for `columns`, from `caches` (one per run index, kept between
/// frames; grown as needed).
pub fn curves(paths: &[RunPath], caches: &mut Vec<CurveCache>, columns: Columns) -> Vec<Decimated> {
    paths
        .iter()
        .map(|path| {
            if caches.len() <= path.index {
                caches.resize_with(path.index + 1, CurveCache::default);
            }
            let epoch = path.batches_per_epoch.filter(|_| path.losses.len() + usize::from(path.tail.is_some()) > 2);
            caches[path.index].update(path.losses, path.tail, epoch, path.stride, columns).unwrap_or_else(|| {
                // A non-finite J is left out, and the curve decimated afresh without it.
                let finite: Vec<(f64, f64)> = path.losses.iter().copied().chain(path.tail).filter(|(_, j)| j.is_finite()).collect();
                let epoch = epoch.filter(|_| finite.len() > 2);
                CurveCache::default().update(&finite, None, epoch, path.stride, columns).unwrap_or_default()
            })
        })
        .collect()
}

/// The window of the moving mean at iteration k, in iterations: one epoch (⌈n/b⌉ updates), but
/// at most a tenth of k (so that the mean follows the descent early on, and is as wide on a
/// log iteration axis at every k), and at least 1.
pub fn smoothing_window(batches_per_epoch: u64, k: f64) -> f64 {
    (batches_per_epoch as f64).min((k / 10.0).floor()).max(1.0)
}

/// Draws the whole loss curve (it changes every frame).
/// Pixel layers (the faint raw lines of mini-batch runs) go through `blit` when it composites
/// alpha; otherwise they are stroked as lines.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scene: &LossScene, blit: &mut dyn Blit) -> DrawResult<()> {
    let scale = scene.scale;
    root.fill(&WHITE).map_err(draw_err)?;
    // The decimated raw lines hold every column's lowest and highest J: the range of them all.
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for curve in &scene.curves {
        for &(_, j) in &curve.raw {
            if j.is_finite() && j > 0.0 {
                lo = lo.min(j);
                hi = hi.max(j);
            }
        }
    }
    if let Some(j) = scene.optimum_loss.filter(|j| *j > 0.0 && j.is_finite()) {
        lo = lo.min(j);
        hi = hi.max(j);
    }
    if !(hi > 0.0 && hi.is_finite()) {
        hi = 1.0;
    }
    if !(lo > 0.0 && lo.is_finite()) {
        lo = hi * 1e-3;
    }
    // At least a decade tall, at most 15 decades (J = 0 at an exact fit is drawn at the floor).
    let floor = (hi * 1e-15).max(f64::MIN_POSITIVE * 1e10);
    let lo = (lo / 2.0).max(floor).min(hi / 10.0);
    let hi = hi * 2.0;
    let end = scene.columns.end;
    let rated = !scene.rates.is_empty();
    let builder = || {
        let mut b = ChartBuilder::on(root);
        b.margin(scale.px(MARGIN)).x_label_area_size(scale.px(40.0)).y_label_area_size(scale.px(Y_LABELS));
        if rated {
            b.right_y_label_area_size(scale.px(RATE_LABELS));
        }
        b
    };
    let curves = Curves { scene, lo, hi };
    let (r_lo, r_hi) = rate_range(&scene.rates);
    match (scene.log_iterations, rated) {
        (true, false) => {
            let mut chart = builder().build_cartesian_2d((1f64..end.max(10.0)).log_scale(), (lo..hi).log_scale()).map_err(draw_err)?;
            curves.draw(root, &mut chart, Label::IterationLog, blit)
        }
        (false, false) => {
            let mut chart = builder().build_cartesian_2d(0f64..end, (lo..hi).log_scale()).map_err(draw_err)?;
            curves.draw(root, &mut chart, Label::Iteration, blit)
        }
        (true, true) => {
            let x = || (1f64..end.max(10.0)).log_scale();
            let mut chart = builder().build_cartesian_2d(x(), (lo..hi).log_scale()).map_err(draw_err)?.set_secondary_coord(x(), (r_lo..r_hi).log_scale());
            curves.draw(root, &mut chart, Label::IterationLog, blit)?;
            draw_rates(&mut chart, scene, |k: f64| k.max(1.0))
        }
        (false, true) => {
            let mut chart =
                builder().build_cartesian_2d(0f64..end, (lo..hi).log_scale()).map_err(draw_err)?.set_secondary_coord(0f64..end, (r_lo..r_hi).log_scale());
            curves.draw(root, &mut chart, Label::Iteration, blit)?;
            draw_rates(&mut chart, scene, |k: f64| k)
        }
    }
}

/// The rate axis's range: every rate with a margin, at least a decade.
fn rate_range(rates: &[RateLine]) -> (f64, f64) {
    let (lo, hi) = rates
        .iter()
        .flat_map(|r| r.points.iter().map(|p| p.1))
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if !(hi > 0.0 && lo.is_finite()) {
        return (0.1, 1.0);
    }
    let (lo, hi) = (lo / 1.5, hi * 1.5);
    if hi / lo < 10.0 {
        let mid = (lo * hi).sqrt();
        (mid / 10f64.sqrt(), mid * 10f64.sqrt())
    } else {
        (lo, hi)
    }
}

/// A loss chart with the rate axis: J on the left, ηₜ on the right, both on log axes.
type RatedChart<'a, DB, X, X2> = DualCoordChartContext<'a, DB, Cartesian2d<X, LogCoord<f64>>, Cartesian2d<X2, LogCoord<f64>>>;

/// The rate axis on the right and each run's rate per iteration, thin, in its colour.
fn draw_rates<DB: DrawingBackend, X, X2>(
    chart: &mut RatedChart<'_, DB, X, X2>,
    scene: &LossScene,
    x_of: impl Fn(f64) -> f64,
) -> DrawResult<()>
where
    X: Ranged<ValueType = f64>,
    X2: Ranged<ValueType = f64> + plotters::coord::ranged1d::ValueFormatter<f64>,
{
    let scale = scene.scale;
    let font = ("sans-serif", scale.font(12.0)).into_font().color(&MUTED);
    let rows = super::labels_along(chart.plotting_area().dim_in_pixel().1, scale, 4);
    chart
        .configure_secondary_axes()
        .y_labels(rows)
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .label_style(font.clone())
        .axis_desc_style(font)
        .y_desc(scale.text(Label::RateAxis))
        .axis_style(ShapeStyle::from(&MUTED).stroke_width(scale.px(1.0)))
        .draw()
        .map_err(draw_err)?;
    for line in &scene.rates {
        let points: Vec<(f64, f64)> = line.points.iter().map(|&(k, r)| (x_of(k), r)).collect();
        let style = ShapeStyle::from(&run_color(line.index).mix(0.55)).stroke_width(scale.px(1.0));
        chart.draw_secondary_series(LineSeries::new(points, style)).map_err(draw_err)?;
    }
    Ok(())
}

/// The loss curve's contents once its chart (linear or log iterations) is built.
struct Curves<'s, 'a> {
    scene: &'s LossScene<'a>,
    lo: f64,
    hi: f64,
}

impl Curves<'_, '_> {
    fn draw<DB: DrawingBackend, X>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &mut ChartContext<'_, DB, Cartesian2d<X, LogCoord<f64>>>,
        x_label: Label,
        blit: &mut dyn Blit,
    ) -> DrawResult<()>
    where
        X: Ranged<ValueType = f64> + plotters::coord::ranged1d::ValueFormatter<f64>,
    {
        let (scene, lo, hi, end) = (self.scene, self.lo, self.hi, self.scene.columns.end);
        let scale = scene.scale;
        let label_font = ("sans-serif", scale.font(13.0)).into_font().color(&INK);
        let (width, height) = chart.plotting_area().dim_in_pixel();
        let rows = super::labels_along(height, scale, 6);
        chart
            .configure_mesh()
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(RGBColor(233, 236, 239))
            .x_labels(super::labels_across(width, scale, 6))
            .y_labels(rows)
            .y_label_formatter(&|v| format!("{v:.0e}"))
            .x_label_formatter(&|v| format_iteration(*v))
            .label_style(label_font.clone())
            .axis_desc_style(label_font)
            .x_desc(scale.text(x_label))
            .y_desc(scale.text(Label::LossLog))
            .axis_style(ShapeStyle::from(&INK).stroke_width(scale.px(1.0)))
            .draw()
            .map_err(draw_err)?;
        let clamp = |j: f64| j.clamp(lo, hi);
        // On a log axis iteration 0 sits at the left edge, 1.
        let x_of = |k: f64| if scene.log_iterations { k.max(1.0) } else { k };
        if let Some(j) = scene.optimum_loss.filter(|j| j.is_finite()) {
            let style = ShapeStyle::from(&MUTED).stroke_width(scale.px(1.5));
            chart
                .draw_series(DashedLineSeries::new([(x_of(0.0), clamp(j)), (end, clamp(j))], scale.px(6.0), scale.px(4.0), style))
                .map_err(draw_err)?;
            let font = ("sans-serif", scale.font(12.0)).into_font().color(&MUTED);
            let (_, py) = chart.backend_coord(&(end, clamp(j)));
            let left = chart.plotting_area().get_pixel_range().0.start;
            root.draw(&Text::new("J(θ*)", (left + scale.px(6.0) as i32, py - scale.px(16.0) as i32), font))
                .map_err(draw_err)?;
        }
        // The curves were decimated for the plotting area this chart lays out; should it lay
        // out another, they are decimated again for it.
        let drawn = {
            let r = chart.plotting_area().get_pixel_range().0;
            Columns { left: r.start as f64, right: r.end as f64, ..scene.columns }
        };
        let again;
        let decimated: &[Decimated] = if drawn == scene.columns {
            &scene.curves
        } else {
            again = curves(scene.paths, &mut Vec::new(), drawn);
            &again
        };
        for prediction in &scene.predictions {
            let Some(j_star) = scene.optimum_loss else { continue };
            let color = run_color(prediction.index);
            let samples = 400;
            // Evenly spaced on the axis drawn: linear, or geometric from 1 on a log axis.
            let at = |i: usize| {
                let f = i as f64 / samples as f64;
                if scene.log_iterations {
                    if i == 0 { 0.0 } else { end.max(10.0).powf(f) }
                } else {
                    end * f
                }
            };
            let points: Vec<(f64, f64)> = (0..=samples)
                .map(at)
                .map(|k| (k, j_star + prediction.excess(k)))
                .filter(|&(_, j)| j.is_finite() && j >= lo)
                .map(|(k, j)| (x_of(k), clamp(j)))
                .collect();
            let style = ShapeStyle::from(&BLACK.mix(0.8)).stroke_width(scale.px(1.5));
            chart
                .draw_series(DashedLineSeries::new(points, scale.px(5.0), scale.px(4.0), style))
                .map_err(draw_err)?;
            let font = ("sans-serif", scale.font(12.0)).into_font().color(&color);
            // Right-aligned inside the plotting area; the short form when the long one does not fit.
            let area = chart.plotting_area().get_pixel_range().0;
            let room = (area.end - area.start - scale.px(8.0) as i32).max(0) as u32;
            let long = super::text::theory_note(scale.language, prediction.rate);
            let text = match super::text::text_size(root, &long, &font) {
                Some((w, _)) if w <= room => long,
                _ => super::text::theory_note_short(scale.language, prediction.rate),
            };
            let w = super::text::text_size(root, &text, &font).map_or(0, |(w, _)| w as i32);
            let x = (area.end - scale.px(4.0) as i32 - w).max(area.start + scale.px(4.0) as i32);
            let y = scale.px(14.0) as i32 + scale.px(18.0) as i32 * prediction.index as i32;
            root.draw(&Text::new(text, (x, y), font)).map_err(draw_err)?;
        }
        let mut smoothed_any = false;
        // The faint raw lines of mini-batch runs, painted into one image of the plotting area
        // when the backend composites images, so that a noisy curve costs no canvas vertices.
        let (x_area, y_area) = chart.plotting_area().get_pixel_range();
        let mut faint = blit.composites_alpha().then(|| {
            RgbaImage::new((x_area.end - x_area.start).max(1) as u32, (y_area.end - y_area.start).max(1) as u32)
        });
        let mut lines: Vec<(Vec<(f64, f64)>, ShapeStyle)> = Vec::new();
        let mut currents = Vec::new();
        for path in super::drawing_order(scene.paths) {
            let Some(curve) = scene.paths.iter().position(|p| p.index == path.index).and_then(|i| decimated.get(i)) else {
                continue;
            };
            let color = run_color(path.index);
            let raw: Vec<(f64, f64)> = curve.raw.iter().map(|&(k, j)| (x_of(k), clamp(j))).collect();
            if let Some(p) = raw.last() {
                currents.push((*p, color));
            }
            let smoothed = curve.mean.as_ref();
            match (smoothed, faint.as_mut()) {
                (Some(_), Some(image)) => {
                    let pixels: Vec<(f64, f64)> = raw
                        .iter()
                        .map(|p| {
                            let (x, y) = chart.backend_coord(p);
                            ((x - x_area.start) as f64, (y - y_area.start) as f64)
                        })
                        .collect();
                    stroke_into(image, &pixels, scale.px(1.5) as f64, color, FAINT_ALPHA);
                }
                (Some(_), None) => lines.push((raw, ShapeStyle::from(&color.mix(FAINT_ALPHA)).stroke_width(scale.px(1.5)))),
                (None, _) => lines.push((raw, ShapeStyle::from(&color).stroke_width(scale.px(2.0)))),
            }
            if let Some(mean) = smoothed {
                smoothed_any = true;
                let mean: Vec<(f64, f64)> = mean.iter().map(|&(k, m)| (x_of(k), clamp(m))).collect();
                lines.push((mean, ShapeStyle::from(&color).stroke_width(scale.px(2.0))));
            }
        }
        if let Some(image) = faint.filter(|_| smoothed_any) {
            blit.blit(x_area.start, y_area.start, &image)?;
        }
        for (points, style) in lines {
            let pixels: Vec<(i32, i32)> = points.iter().map(|p| chart.backend_coord(p)).collect();
            super::draw_line(root, &pixels, style)?;
        }
        // The current points, so that a run shows even before its first step.
        for (p, color) in currents {
            chart.draw_series(std::iter::once(Circle::new(p, scale.px(4.0), color.filled()))).map_err(draw_err)?;
        }
        if smoothed_any {
            let font = ("sans-serif", scale.font(12.0)).into_font().color(&MUTED);
            // Top right, in the first row the theory notes leave free.
            let area = chart.plotting_area().get_pixel_range().0;
            let text = scale.text(Label::SmoothedNote);
            let w = super::text::text_size(root, text, &font).map_or(0, |(w, _)| w as i32);
            let row = scene.predictions.iter().map(|p| p.index + 1).max().unwrap_or(0) as i32;
            let x = (area.end - scale.px(4.0) as i32 - w).max(area.start + scale.px(4.0) as i32);
            let y = scale.px(14.0) as i32 + scale.px(18.0) as i32 * row;
            root.draw(&Text::new(text, (x, y), font)).map_err(draw_err)?;
        }
        Ok(())
    }
}

/// Iteration labels without decimals: 1200, 15k, 2.5M.
pub fn format_iteration(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if v >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}

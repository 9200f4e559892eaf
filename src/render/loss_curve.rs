//! The loss curve: J per iteration on a log-scale y axis, one line per run, J(θ*) as a
//! reference line, and for full-batch plain gradient descent the rate the theory predicts.
//! Runs whose rate changes (a schedule, a rate rule, a line search, CG's α) also show their
//! rate per iteration, thin, on a second log axis on the right.
//! Iterations on a linear or a log axis; a mini-batch run's raw line drawn faint under its
//! moving mean. Every line is M4-decimated to the plot's pixel columns.

use super::iteration_lines::{axis_end, curves, format_iteration, Columns, Decimated};
use super::primitives::{draw_err, run_color, Blit, DrawResult, FrameKey, Layers, RgbaImage, Scale, INK, MUTED};
use super::resolution::stroke_into;
use super::run_path::RunPath;
use super::text::Label;
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

/// The pixel columns of the loss plot on a `size` canvas drawn at `scale` for `paths`: the
/// plotting area the chart of [`draw`] lays out (margins and the y labels' area) and the axis
/// end for the longest run.
pub fn columns(paths: &[RunPath], size: (u32, u32), scale: Scale, log: bool, rates: bool) -> Columns {
    let max_iteration = paths.iter().filter_map(RunPath::last_loss).map(|p| p.0).fold(10.0, f64::max);
    let left = (scale.px(MARGIN) + scale.px(Y_LABELS)) as f64;
    let right = size.0 as f64 - scale.px(MARGIN) as f64 - if rates { scale.px(RATE_LABELS) as f64 } else { 0.0 };
    Columns { left, right: right.max(left + 1.0), end: axis_end(max_iteration), log }
}

/// The J axis's range: every decimated raw value (each column's lowest and highest J) and
/// J(θ*), halved and doubled; at least a decade tall, at most 15 decades (J = 0 at an exact fit
/// is drawn at the floor).
fn j_range(scene: &LossScene) -> (f64, f64) {
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
    let floor = (hi * 1e-15).max(f64::MIN_POSITIVE * 1e10);
    ((lo / 2.0).max(floor).min(hi / 10.0), hi * 2.0)
}

impl LossScene<'_> {
    /// What the plot's frame on a `size` canvas is drawn from: the axes' ranges, J(θ*) and the
    /// predictions. While it stays the same, only the data layer is drawn again.
    pub fn frame_key(&self, size: (u32, u32)) -> FrameKey {
        let (lo, hi) = j_range(self);
        let rates = (!self.rates.is_empty()).then(|| rate_range(&self.rates));
        let mut key = FrameKey::new(size, self.scale);
        let c = self.columns;
        for v in [lo, hi, c.left, c.right, c.end, f64::from(u8::from(c.log)), f64::from(u8::from(self.log_iterations))] {
            key.push(v);
        }
        for v in [rates.map_or(f64::NAN, |r| r.0), rates.map_or(f64::NAN, |r| r.1), self.optimum_loss.unwrap_or(f64::NAN)] {
            key.push(v);
        }
        for p in &self.predictions {
            key.push(p.index as f64);
            key.push(p.rate);
            for &(a, f) in &p.modes {
                key.push(a);
                key.push(f);
            }
        }
        key
    }
}

/// Draws the loss curve's `layers`: the frame (axes, grid, J(θ*), the predictions and their
/// notes, the rate axis) and the data (the runs' curves and current points, their rates, the
/// note on smoothing). Pixel layers (the faint raw lines of mini-batch runs) go through `blit`
/// when it composites alpha; otherwise they are stroked as lines.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scene: &LossScene, blit: &mut dyn Blit, layers: Layers) -> DrawResult<()> {
    let scale = scene.scale;
    if layers.frame() {
        root.fill(&WHITE).map_err(draw_err)?;
    }
    let (lo, hi) = j_range(scene);
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
    let curves = Curves { scene, lo, hi, layers };
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
            draw_rates(&mut chart, scene, |k: f64| k.max(1.0), layers)
        }
        (false, true) => {
            let mut chart =
                builder().build_cartesian_2d(0f64..end, (lo..hi).log_scale()).map_err(draw_err)?.set_secondary_coord(0f64..end, (r_lo..r_hi).log_scale());
            curves.draw(root, &mut chart, Label::Iteration, blit)?;
            draw_rates(&mut chart, scene, |k: f64| k, layers)
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
    layers: Layers,
) -> DrawResult<()>
where
    X: Ranged<ValueType = f64>,
    X2: Ranged<ValueType = f64> + plotters::coord::ranged1d::ValueFormatter<f64>,
{
    let scale = scene.scale;
    let font = ("sans-serif", scale.font(12.0)).into_font().color(&MUTED);
    let rows = super::primitives::labels_along(chart.plotting_area().dim_in_pixel().1, scale, 4);
    if !layers.data() {
        return draw_rate_axis(chart, scale, rows, font);
    }
    if layers.frame() {
        draw_rate_axis(chart, scale, rows, font)?;
    }
    for line in &scene.rates {
        let points: Vec<(f64, f64)> = line.points.iter().map(|&(k, r)| (x_of(k), r)).collect();
        let style = ShapeStyle::from(&run_color(line.index).mix(0.55)).stroke_width(scale.px(1.0));
        chart.draw_secondary_series(LineSeries::new(points, style)).map_err(draw_err)?;
    }
    Ok(())
}

/// The rate axis on the right, its labels in `rows`.
fn draw_rate_axis<DB: DrawingBackend, X, X2>(chart: &mut RatedChart<'_, DB, X, X2>, scale: Scale, rows: usize, font: TextStyle) -> DrawResult<()>
where
    X: Ranged<ValueType = f64>,
    X2: Ranged<ValueType = f64> + plotters::coord::ranged1d::ValueFormatter<f64>,
{
    chart
        .configure_secondary_axes()
        .y_labels(rows)
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .label_style(font.clone())
        .axis_desc_style(font)
        .y_desc(scale.text(Label::RateAxis))
        .axis_style(ShapeStyle::from(&MUTED).stroke_width(scale.px(1.0)))
        .draw()
        .map_err(draw_err)
}

/// The loss curve's contents once its chart (linear or log iterations) is built.
struct Curves<'s, 'a> {
    scene: &'s LossScene<'a>,
    lo: f64,
    hi: f64,
    layers: Layers,
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
        let clamp = |j: f64| j.clamp(lo, hi);
        // On a log axis iteration 0 sits at the left edge, 1.
        let x_of = |k: f64| if scene.log_iterations { k.max(1.0) } else { k };
        if self.layers.frame() {
            let rows = super::primitives::labels_along(height, scale, 6);
            chart
                .configure_mesh()
                .light_line_style(WHITE.mix(0.0))
                .bold_line_style(RGBColor(233, 236, 239))
                .x_labels(super::primitives::labels_across(width, scale, 6))
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
            let columns = chart.plotting_area().get_pixel_range().0;
            let rows_per_note = if scene.predictions.is_empty() { 0 } else { note_height(root, columns.end - columns.start, scale) };
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
                // Right-aligned inside the plotting area, in the first form that fits.
                let area = chart.plotting_area().get_pixel_range().0;
                let lines = note_lines(root, &font, area.end - area.start, scale, prediction.rate);
                let row = rows_per_note * prediction.index;
                for (k, text) in lines.into_iter().enumerate() {
                    let w = super::text::text_size(root, &text, &font).map_or(0, |(w, _)| w as i32);
                    let x = (area.end - scale.px(4.0) as i32 - w).max(area.start + scale.px(4.0) as i32);
                    let y = scale.px(14.0) as i32 + scale.px(18.0) as i32 * (row + k) as i32;
                    root.draw(&Text::new(text, (x, y), font.clone())).map_err(draw_err)?;
                }
            }
        }
        if !self.layers.data() {
            return Ok(());
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
        let mut smoothed_any = false;
        // The faint raw lines of mini-batch runs, painted into one image of the plotting area
        // when the backend composites images, so that a noisy curve costs no canvas vertices.
        let (x_area, y_area) = chart.plotting_area().get_pixel_range();
        let mut faint = blit.composites_alpha().then(|| {
            RgbaImage::new((x_area.end - x_area.start).max(1) as u32, (y_area.end - y_area.start).max(1) as u32)
        });
        let mut lines: Vec<(Vec<(f64, f64)>, ShapeStyle)> = Vec::new();
        let mut currents = Vec::new();
        for path in super::run_path::drawing_order(scene.paths) {
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
            super::resolution::draw_line(root, &pixels, style)?;
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
            let rows = scene.predictions.iter().map(|p| p.index + 1).max().unwrap_or(0);
            let row = if rows == 0 { 0 } else { (note_height(root, area.end - area.start, scale) * rows) as i32 };
            let x = (area.end - scale.px(4.0) as i32 - w).max(area.start + scale.px(4.0) as i32);
            let y = scale.px(14.0) as i32 + scale.px(18.0) as i32 * row;
            root.draw(&Text::new(text, (x, y), font)).map_err(draw_err)?;
        }
        Ok(())
    }
}

/// The theory note of a run whose error shrinks by `rate` a step, as lines for a plotting area
/// `width` pixels wide: the first of its forms ([`super::text::theory_note_forms`]) whose lines
/// fit, or none (the dashed curve alone) on a plot too narrow even for the last.
fn note_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    font: &TextStyle,
    width: i32,
    scale: Scale,
    rate: f64,
) -> Vec<String> {
    let room = (width - scale.px(8.0) as i32).max(0) as u32;
    let fits = |text: &String| super::text::text_size(root, text, font).is_some_and(|(w, _)| w <= room);
    super::text::theory_note_forms(scale.language, rate).into_iter().find(|lines| lines.iter().all(fits)).unwrap_or_default()
}

/// How many rows of text one theory note takes on a plotting area `width` pixels wide (the
/// widest short form decides, so that every run's note and the note under them keep their rows).
fn note_height<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, width: i32, scale: Scale) -> usize {
    let font = ("sans-serif", scale.font(12.0)).into_font().color(&MUTED);
    note_lines(root, &font, width, scale, 0.999_999).len()
}

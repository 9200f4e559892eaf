//! The loss curve: J per iteration on a log-scale y axis, one line per run, J(θ*) as a
//! reference line, and for full-batch plain gradient descent the rate the theory predicts.

use super::{decimate, draw_err, run_color, DrawResult, RunPath, Scale, Label, INK, MUTED};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The prediction for full-batch plain GD with a constant rate η on this quadratic: the error
/// e_k = θ_k − θ* = (I − ηH)^k·e_0, so along each eigenvector v_i of H it shrinks by the factor
/// (1 − η·λ_i) per step, and J_k − J* = ½·Σ_i λ_i·(v_i·e_0)²·(1 − η·λ_i)^(2k). The slowest
/// factor ρ = max_i |1 − η·λ_i| is the rate the curve settles to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    /// Run index it belongs to.
    pub index: usize,
    /// The asymptotic contraction factor ρ per step.
    pub rate: f64,
    /// Per eigen-direction: (½·λ_i·(v_i·e_0)², 1 − η·λ_i).
    pub modes: [(f64, f64); 2],
}

impl Prediction {
    /// Predicted J − J* after k steps.
    pub fn excess(&self, k: f64) -> f64 {
        self.modes.iter().map(|&(a, f)| a * f.abs().powf(2.0 * k)).sum()
    }
}

/// What the loss curve shows.
#[derive(Debug, Clone)]
pub struct LossScene<'a> {
    /// Each run's (iteration, J) points.
    pub paths: &'a [RunPath],
    /// J(θ*), if the optimum is unique.
    pub optimum_loss: Option<f64>,
    /// Predicted convergence curves.
    pub predictions: Vec<Prediction>,
    /// Pixel ratio and zoom.
    pub scale: Scale,
}

/// Draws the whole loss curve (it changes every frame).
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scene: &LossScene) -> DrawResult<()> {
    let scale = scene.scale;
    root.fill(&WHITE).map_err(draw_err)?;
    let (width, _) = root.dim_in_pixel();
    let mut max_iteration: f64 = 10.0;
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for path in scene.paths {
        for &(it, j) in &path.losses {
            if j.is_finite() && j > 0.0 {
                lo = lo.min(j);
                hi = hi.max(j);
            }
            max_iteration = max_iteration.max(it);
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
    let mut chart = ChartBuilder::on(root)
        .margin(scale.px(10.0))
        .x_label_area_size(scale.px(40.0))
        .y_label_area_size(scale.px(62.0))
        .build_cartesian_2d(0f64..max_iteration * 1.02, (lo..hi).log_scale())
        .map_err(draw_err)?;
    let label_font = ("sans-serif", scale.font(13.0)).into_font().color(&INK);
    chart
        .configure_mesh()
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(RGBColor(233, 236, 239))
        .x_labels(6)
        .y_labels(6)
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .x_label_formatter(&|v| format_iteration(*v))
        .label_style(label_font.clone())
        .axis_desc_style(label_font)
        .x_desc(scale.text(Label::Iteration))
        .y_desc(scale.text(Label::LossLog))
        .axis_style(ShapeStyle::from(&INK).stroke_width(scale.px(1.0)))
        .draw()
        .map_err(draw_err)?;
    let clamp = |j: f64| j.clamp(lo, hi);
    if let Some(j) = scene.optimum_loss.filter(|j| j.is_finite()) {
        let style = ShapeStyle::from(&MUTED).stroke_width(scale.px(1.5));
        chart
            .draw_series(DashedLineSeries::new(
                [(0.0, clamp(j)), (max_iteration * 1.02, clamp(j))],
                scale.px(6.0),
                scale.px(4.0),
                style,
            ))
            .map_err(draw_err)?;
        let font = ("sans-serif", scale.font(12.0)).into_font().color(&MUTED);
        let (px, py) = chart.backend_coord(&(max_iteration * 1.02, clamp(j)));
        let _ = px;
        let left = chart.plotting_area().get_pixel_range().0.start;
        root.draw(&Text::new("J(θ*)", (left + scale.px(6.0) as i32, py - scale.px(16.0) as i32), font))
            .map_err(draw_err)?;
    }
    let max_points = (2 * width as usize).max(64);
    for prediction in &scene.predictions {
        let Some(j_star) = scene.optimum_loss else { continue };
        let color = run_color(prediction.index);
        let end = max_iteration * 1.02;
        let samples = 200;
        let points: Vec<(f64, f64)> = (0..=samples)
            .map(|i| end * i as f64 / samples as f64)
            .map(|k| (k, j_star + prediction.excess(k)))
            .filter(|&(_, j)| j.is_finite() && j >= lo)
            .map(|(k, j)| (k, clamp(j)))
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
        let text = match root.estimate_text_size(&long, &font) {
            Ok((w, _)) if w <= room => long,
            _ => super::text::theory_note_short(scale.language, prediction.rate),
        };
        let w = root.estimate_text_size(&text, &font).map(|(w, _)| w as i32).unwrap_or(0);
        let x = (area.end - scale.px(4.0) as i32 - w).max(area.start + scale.px(4.0) as i32);
        let y = scale.px(14.0) as i32 + scale.px(18.0) as i32 * prediction.index as i32;
        root.draw(&Text::new(text, (x, y), font)).map_err(draw_err)?;
    }
    for path in super::drawing_order(scene.paths) {
        let points: Vec<(f64, f64)> = decimate(&path.losses, max_points)
            .into_iter()
            .filter(|(_, j)| j.is_finite())
            .map(|(it, j)| (it, clamp(j)))
            .collect();
        let color = run_color(path.index);
        let style = ShapeStyle::from(&color).stroke_width(scale.px(2.0));
        let last = points.last().copied();
        chart.draw_series(LineSeries::new(points, style)).map_err(draw_err)?;
        // The current point, so that a run shows even before its first step.
        if let Some(p) = last {
            chart.draw_series(std::iter::once(Circle::new(p, scale.px(4.0), color.filled()))).map_err(draw_err)?;
        }
    }
    Ok(())
}

/// Iteration labels without decimals: 1200, 15k, 2.5M.
fn format_iteration(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if v >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}

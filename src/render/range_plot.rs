//! The range test's plot: the smoothed loss against the learning rate on log-log axes, the raw
//! losses faint, the suggested rates marked, and for full-batch plain descent the rates the
//! theory names (1/λ_max, 2/(λ_min + λ_max), 2/λ_max) as vertical lines.

use super::primitives::{draw_err, run_color, DrawResult, PixelRect, Scale, ViewTransform, INK, MUTED};
use super::text::Label;
use crate::descent::range_test::RangeTest;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The rates of the theory of full-batch plain gradient descent on this quadratic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TheoryRates {
    /// 1/λ_max: the loss falls monotonically along every direction.
    pub monotone: f64,
    /// 2/(λ_min + λ_max): the fastest constant rate.
    pub optimal: f64,
    /// 2/λ_max: the critical rate, beyond which descent diverges.
    pub critical: f64,
}

/// What the range test's plot shows.
#[derive(Debug, Clone)]
pub struct RangeScene<'a> {
    /// The test's curve and suggestions.
    pub test: &'a RangeTest,
    /// The theory's rates, for full-batch plain descent.
    pub theory: Option<TheoryRates>,
    /// The learning rate of run 1.
    pub current: f64,
    /// Pixel ratio, zoom and language.
    pub scale: Scale,
}

/// Colours of the three suggestions (valley, steep, minimum): the runs' first three colours,
/// which are told apart in colour-vision deficiency.
const SUGGESTION_COLORS: [usize; 3] = [0, 1, 2];

/// The axes' ranges, in log10: the sweep's rates (and the theory's) across, the positive finite
/// losses up.
fn ranges(scene: &RangeScene) -> ([f64; 2], [f64; 2]) {
    let test = scene.test;
    let mut x_lo = test.lrs.first().copied().unwrap_or(1e-7);
    let mut x_hi = test.lrs.last().copied().unwrap_or(10.0).max(x_lo * 10.0);
    if let Some(t) = scene.theory {
        for v in [t.monotone, t.optimal, t.critical] {
            if v.is_finite() && v > 0.0 {
                x_lo = x_lo.min(v);
                x_hi = x_hi.max(v);
            }
        }
    }
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for v in test.smooth_losses.iter().chain(&test.losses) {
        if v.is_finite() && *v > 0.0 {
            lo = lo.min(*v);
            hi = hi.max(*v);
        }
    }
    if !(hi > 0.0 && lo.is_finite()) {
        (lo, hi) = (0.1, 1.0);
    }
    // Cut the top at 100 × the smoothed curve's highest point: the last raw losses of a
    // divergence can be astronomically large and would flatten the curve.
    let smooth_hi = test.smooth_losses.iter().filter(|v| v.is_finite() && **v > 0.0).fold(0.0f64, |a, &b| a.max(b));
    if smooth_hi > 0.0 {
        hi = hi.min(smooth_hi * 100.0);
    }
    let (y_lo, y_hi) = ((lo / 1.5).log10(), (hi * 1.5).log10());
    let y_hi = if y_hi - y_lo < 1.0 { y_lo + 1.0 } else { y_hi };
    ([x_lo.log10() - 0.05, x_hi.log10() + 0.05], [y_lo, y_hi])
}

/// Draws the range test's plot on `root` and returns where rates lie on it: the plotting
/// area, with x and y in log10 of the rate and of the loss.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scene: &RangeScene) -> DrawResult<ViewTransform> {
    let scale = scene.scale;
    root.fill(&WHITE).map_err(draw_err)?;
    let (x, y) = ranges(scene);
    let font = ("sans-serif", scale.font(13.0)).into_font().color(&INK);
    let small = ("sans-serif", scale.font(12.0)).into_font().color(&MUTED);
    let mut chart = ChartBuilder::on(root)
        .margin(scale.px(10.0))
        .x_label_area_size(scale.px(42.0))
        .y_label_area_size(scale.px(62.0))
        .build_cartesian_2d(x[0]..x[1], y[0]..y[1])
        .map_err(draw_err)?;
    let (width, height) = chart.plotting_area().dim_in_pixel();
    chart
        .configure_mesh()
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(RGBColor(233, 236, 239))
        .x_labels(super::primitives::labels_across(width, scale, 8))
        .y_labels(super::primitives::labels_along(height, scale, 6))
        .x_label_formatter(&|v| format!("{:.0e}", 10f64.powf(*v)))
        .y_label_formatter(&|v| format!("{:.0e}", 10f64.powf(*v)))
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .x_desc(scale.text(Label::RateLogAxis))
        .y_desc(scale.text(Label::SmoothedLossAxis))
        .axis_style(ShapeStyle::from(&INK).stroke_width(scale.px(1.0)))
        .draw()
        .map_err(draw_err)?;
    let clamp = |v: f64| v.clamp(y[0], y[1]);
    let point = |lr: f64, loss: f64| (lr.log10(), clamp(loss.log10()));
    let test = scene.test;
    // The theory's rates: vertical lines, labelled at the top.
    if let Some(t) = scene.theory {
        for (rate, text, dash) in [(t.monotone, "1/λmax", 3.0), (t.optimal, "2/(λmin+λmax)", 6.0), (t.critical, "2/λmax", 10.0)] {
            if !(rate.is_finite() && rate > 0.0) {
                continue;
            }
            let lx = rate.log10();
            let style = ShapeStyle::from(&MUTED).stroke_width(scale.px(1.5));
            chart.draw_series(DashedLineSeries::new([(lx, y[0]), (lx, y[1])], scale.px(dash), scale.px(4.0), style)).map_err(draw_err)?;
            let (px, top) = chart.backend_coord(&(lx, y[1]));
            let offset = match text {
                "1/λmax" => 4.0,
                "2/(λmin+λmax)" => 20.0,
                _ => 36.0,
            };
            // Right of its line, or left of it where the plot's right edge would cut it.
            let width = super::text::text_size(root, text, &small).map_or(0, |s| s.0 as i32);
            let right_edge = chart.plotting_area().get_pixel_range().0.end;
            let left = if px + scale.px(3.0) as i32 + width > right_edge { px - scale.px(3.0) as i32 - width } else { px + scale.px(3.0) as i32 };
            root.draw(&Text::new(text.to_string(), (left, top + scale.px(offset) as i32), small.clone())).map_err(draw_err)?;
        }
    }
    // The raw losses, faint.
    let raw: Vec<(f64, f64)> = test.lrs.iter().zip(&test.losses).filter(|(_, l)| l.is_finite() && **l > 0.0).map(|(&lr, &l)| point(lr, l)).collect();
    let faint = ShapeStyle::from(&INK.mix(0.25)).stroke_width(scale.px(1.0));
    chart.draw_series(LineSeries::new(raw, faint)).map_err(draw_err)?;
    // The smoothed loss.
    let smooth: Vec<(f64, f64)> =
        test.lrs.iter().zip(&test.smooth_losses).filter(|(_, l)| l.is_finite() && **l > 0.0).map(|(&lr, &l)| point(lr, l)).collect();
    let solid = ShapeStyle::from(&INK).stroke_width(scale.px(2.0));
    chart.draw_series(LineSeries::new(smooth, solid)).map_err(draw_err)?;
    // Run 1's learning rate.
    if scene.current.is_finite() && scene.current > 0.0 {
        let lx = scene.current.log10().clamp(x[0], x[1]);
        let style = ShapeStyle::from(&run_color(0).mix(0.6)).stroke_width(scale.px(1.0));
        chart.draw_series(LineSeries::new([(lx, y[0]), (lx, y[1])], style)).map_err(draw_err)?;
    }
    // The suggestions: a ring at the point each was read at.
    let points = [test.points.valley, test.points.steep, test.points.minimum];
    for (k, index) in points.iter().enumerate() {
        let Some(i) = *index else { continue };
        let (Some(&lr), Some(&loss)) = (test.lrs.get(i), test.smooth_losses.get(i)) else { continue };
        if !(loss.is_finite() && loss > 0.0) {
            continue;
        }
        let color = run_color(SUGGESTION_COLORS[k]);
        let style = ShapeStyle::from(&color).stroke_width(scale.px(2.5));
        chart.draw_series([Circle::new(point(lr, loss), scale.px(7.0 + 3.0 * k as f64), style)]).map_err(draw_err)?;
    }
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    Ok(ViewTransform { rect: PixelRect::from_ranges(xs, ys), x, y })
}

/// The learning rate at pixel column `px` of a plot drawn with `transform` (none outside it).
pub fn rate_at(transform: &ViewTransform, px: f64, py: f64) -> Option<f64> {
    transform.to_data(px, py).map(|(lx, _)| 10f64.powf(lx))
}

//! Coefficients per iteration: each θⱼ of the first run against the iteration, in one colour
//! per coefficient, its value in θ* dashed in the same colour, and a legend. With an L1 part
//! one sees coefficients reach exactly 0 and stay there. The lines are drawn every frame from the
//! run's history at screen resolution (per pixel column the first, lowest, highest and last
//! value of each coefficient: [`super::resolution::m4`]).

use super::iteration_lines::{format_iteration, widen, CoefficientLines};
use super::primitives::{draw_err, padded, DrawResult, FrameKey, Layers, Scale, INK};
use super::text::{subscript, Label};
use crate::least_squares::objective::Theta;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The coefficients' colours, θ0 first (the Okabe–Ito palette, then Tableau's): distinct for up
/// to 11 coefficients, and none of them the runs' vermillion of run 1.
pub const COEFFICIENT_COLORS: [RGBColor; 11] = [
    RGBColor(0, 0, 0),
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
];

/// What the coefficient plot shows.
#[derive(Debug, Clone)]
pub struct CoefficientScene {
    /// The first run's coefficients at screen resolution (see [`CoefficientCache`]).
    pub lines: CoefficientLines,
    /// Its live state past the last recorded point: (iteration, θ).
    pub tail: Option<(u64, Theta)>,
    /// θ*, when unique.
    pub optimum: Option<Theta>,
    /// Pixel ratio, zoom and language.
    pub scale: Scale,
}

/// The width in device pixels of the plot's data area on a canvas `width` wide (its margins
/// and the y labels' area, as [`draw`] lays them out).
pub fn plot_width(width: u32, scale: Scale) -> i64 {
    (width as i64 - 2 * scale.px(10.0) as i64 - scale.px(62.0) as i64).max(1)
}

/// The name of coefficient k in the legend: θ₀, θ₁, …
pub fn coefficient_name(k: usize) -> String {
    format!("θ{}", subscript(k))
}

/// The θ axis's range: every value drawn and θ*, padded by 8%.
fn theta_range(scene: &CoefficientScene) -> [f64; 2] {
    let mut range = scene.lines.range;
    for theta in scene.tail.map(|(_, t)| t).iter().chain(scene.optimum.iter()) {
        for &v in theta.as_slice() {
            range = widen(range, v);
        }
    }
    let [lo, hi] = range.unwrap_or([-1.0, 1.0]);
    padded(lo, hi, 0.08, 1e-9_f64.max(lo.abs().max(hi.abs()) * 1e-6))
}

impl CoefficientScene {
    /// What the plot's frame on a `size` canvas is drawn from: the axes' ranges and θ*. While
    /// it stays the same, only the data layer is drawn again.
    pub fn frame_key(&self, size: (u32, u32)) -> FrameKey {
        let mut key = FrameKey::new(size, self.scale);
        let y = theta_range(self);
        for v in [y[0], y[1], self.lines.end, self.lines.lines.len() as f64] {
            key.push(v);
        }
        for v in self.optimum.iter().flat_map(|t| t.as_slice().iter().copied()) {
            key.push(v);
        }
        key
    }
}

/// Draws the plot's `layers`: the frame (axes, grid, θ* dashed) and the data (each
/// coefficient's line, the legend over them).
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scene: &CoefficientScene, layers: Layers) -> DrawResult<()> {
    let scale = scene.scale;
    if layers.frame() {
        root.fill(&WHITE).map_err(draw_err)?;
    }
    let p = scene.lines.lines.len();
    if p == 0 {
        return Ok(());
    }
    let y = theta_range(scene);
    let end = scene.lines.end;
    let label_font = ("sans-serif", scale.font(13.0)).into_font().color(&INK);
    let mut chart = ChartBuilder::on(root)
        .margin(scale.px(10.0))
        .x_label_area_size(scale.px(40.0))
        .y_label_area_size(scale.px(62.0))
        .build_cartesian_2d(0f64..end, y[0]..y[1])
        .map_err(draw_err)?;
    if layers.frame() {
        let (width, height) = chart.plotting_area().dim_in_pixel();
        let rows = super::primitives::labels_along(height, scale, 5);
        chart
            .configure_mesh()
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(RGBColor(233, 236, 239))
            .x_labels(super::primitives::labels_across(width, scale, 5))
            .y_labels(rows)
            .x_label_formatter(&|v| format_iteration(*v))
            .label_style(label_font.clone())
            .axis_desc_style(label_font.clone())
            .x_desc(scale.text(Label::Iteration))
            .y_desc("θ")
            .axis_style(ShapeStyle::from(&INK).stroke_width(scale.px(1.0)))
            .draw()
            .map_err(draw_err)?;
        // θ* under every line.
        for (j, star) in scene.optimum.iter().flat_map(|t| t.as_slice().iter().copied().enumerate()).take(p) {
            if star.is_finite() {
                let color = COEFFICIENT_COLORS[j % COEFFICIENT_COLORS.len()];
                let style = ShapeStyle::from(&color.mix(0.6)).stroke_width(scale.px(1.5));
                chart
                    .draw_series(DashedLineSeries::new([(0.0, star), (end, star)], scale.px(6.0), scale.px(5.0), style))
                    .map_err(draw_err)?;
            }
        }
    }
    if !layers.data() {
        return Ok(());
    }
    for (j, line) in scene.lines.lines.iter().enumerate() {
        let color = COEFFICIENT_COLORS[j % COEFFICIENT_COLORS.len()];
        let mut line: Vec<(f64, f64)> = line.iter().copied().filter(|(_, v)| v.is_finite()).collect();
        if let Some((k, theta)) = scene.tail {
            line.push((k as f64, theta[j]));
        }
        let pixels: Vec<(i32, i32)> = line.iter().map(|p| chart.backend_coord(p)).collect();
        super::resolution::draw_line(root, &pixels, ShapeStyle::from(&color).stroke_width(scale.px(2.0)))?;
    }
    // The legend, top right: one swatch and name per coefficient, in columns of at most six, as
    // many rows as the plotting area holds.
    let (plot_x, plot_y) = chart.plotting_area().get_pixel_range();
    let line_h = scale.px(17.0) as i32;
    let column_w = scale.px(44.0) as i32;
    let fit = ((plot_y.end - plot_y.start - scale.px(8.0) as i32) / line_h.max(1)).clamp(1, 6) as usize;
    let per_column = p.div_ceil(p.div_ceil(fit)).max(1);
    let columns = p.div_ceil(per_column) as i32;
    let rows = per_column as i32;
    let (x, y) = (plot_x.end - columns * column_w - scale.px(6.0) as i32, plot_y.start + scale.px(6.0) as i32);
    root.draw(&Rectangle::new([(x - 4, y - 2), (x + columns * column_w, y + rows * line_h + 2)], WHITE.mix(0.85).filled()))
        .map_err(draw_err)?;
    for j in 0..p {
        let (cx, cy) = (x + (j / per_column) as i32 * column_w, y + (j % per_column) as i32 * line_h + line_h / 2);
        let color = COEFFICIENT_COLORS[j % COEFFICIENT_COLORS.len()];
        root.draw(&PathElement::new(vec![(cx, cy), (cx + scale.px(14.0) as i32, cy)], ShapeStyle::from(&color).stroke_width(scale.px(3.0))))
            .map_err(draw_err)?;
        root.draw(&Text::new(coefficient_name(j), (cx + scale.px(17.0) as i32, cy - scale.px(7.0) as i32), label_font.clone()))
            .map_err(draw_err)?;
    }
    Ok(())
}

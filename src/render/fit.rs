//! The data and the fit: the points (a pixel layer), the optimal line or curve drawn faint
//! (static layer) and each run's current one (moving layer). With one x column the fit is
//! ŷ(x) = θ0 + θ1·x + … + θp·x^p over the points; with several feature columns the plot shows
//! the points predicted against observed, (ŷᵢ, yᵢ) by θ*, with the diagonal ŷ = y.

use super::text::Label;
use super::{draw_err, padded, run_color, Blit, DrawResult, PixelRect, RgbaImage, Scale, ViewTransform, INK};
use crate::data::{Dataset, Layout};
use crate::features::MAX_FEATURES;
use crate::objective::Theta;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Colour of the data points.
pub const POINT_COLOR: RGBColor = RGBColor(52, 58, 64);
/// Colour of the optimal line.
pub const OPTIMUM_COLOR: RGBColor = RGBColor(134, 142, 150);

/// What the static layer of the data plot shows.
#[derive(Debug, Clone)]
pub struct FitScene<'a> {
    /// The points, in the original x scale.
    pub data: &'a Dataset,
    /// The optimal line in the original x scale, if unique.
    pub optimum: Option<Theta>,
    /// Pixel ratio and zoom.
    pub scale: Scale,
}

/// The x and y ranges that show every point with a margin.
pub fn data_view(data: &Dataset) -> [[f64; 2]; 2] {
    let [x0, x1, y0, y1] = data.bounds();
    let x = padded(x0, x1, 0.06, 1e-9_f64.max(x0.abs().max(x1.abs()) * 1e-9));
    let y = padded(y0, y1, 0.08, 1e-9_f64.max(y0.abs().max(y1.abs()) * 1e-9));
    [x, y]
}

/// Whether the data plot shows the points predicted against observed (several feature
/// columns) rather than over x.
pub fn predicted_against_observed(data: &Dataset) -> bool {
    matches!(data.layout(), Layout::Rows { .. })
}

/// ŷᵢ = θ0 + Σⱼ θⱼ·φᵢⱼ of every point (θ of the data's own features).
pub fn predictions(data: &Dataset, theta: Theta) -> Vec<f64> {
    let d = data.features();
    let mut phi = [0.0; MAX_FEATURES];
    (0..data.len())
        .map(|i| {
            data.feature_row(i, &mut phi);
            let mut v = theta[0];
            for j in 0..d {
                v += theta[j + 1] * phi[j];
            }
            v
        })
        .collect()
}

/// The ranges of the predicted-against-observed plot: one range for both axes, over y and ŷ.
fn predicted_view(data: &Dataset, predicted: &[f64]) -> [[f64; 2]; 2] {
    let [_, _, y0, y1] = data.bounds();
    let (lo, hi) = predicted.iter().filter(|v| v.is_finite()).fold((y0, y1), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let range = padded(lo, hi, 0.08, 1e-9_f64.max(lo.abs().max(hi.abs()) * 1e-9));
    [range, range]
}

/// Radius (CSS px) and opacity of a point for a data set of `n` points: big and solid for a
/// handful, small and translucent for a million so that density shows.
pub fn point_style(n: usize) -> (f64, f64) {
    match n {
        0..=300 => (4.0, 0.9),
        301..=3_000 => (2.5, 0.7),
        3_001..=30_000 => (1.5, 0.45),
        30_001..=300_000 => (1.0, 0.25),
        _ => (0.8, 0.12),
    }
}

/// Draws axes, the points and the optimal line; returns the view transform.
pub fn draw_static<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    scene: &FitScene,
    blit: &mut dyn Blit,
) -> DrawResult<ViewTransform> {
    let scale = scene.scale;
    root.fill(&WHITE).map_err(draw_err)?;
    let predicted = predicted_against_observed(scene.data).then(|| match scene.optimum {
        Some(theta) => predictions(scene.data, theta),
        None => scene.data.ys().to_vec(),
    });
    let view = match &predicted {
        Some(p) => predicted_view(scene.data, p),
        None => data_view(scene.data),
    };
    let (x_desc, y_desc) = match predicted {
        Some(_) => (scale.text(Label::Predicted), scale.text(Label::Observed)),
        None => ("x", "y"),
    };
    let mut chart = ChartBuilder::on(root)
        .margin(scale.px(10.0))
        .x_label_area_size(scale.px(40.0))
        .y_label_area_size(scale.px(52.0))
        .build_cartesian_2d(view[0][0]..view[0][1], view[1][0]..view[1][1])
        .map_err(draw_err)?;
    let label_font = ("sans-serif", scale.font(13.0)).into_font().color(&INK);
    chart
        .configure_mesh()
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(RGBColor(233, 236, 239))
        .x_labels(6)
        .y_labels(5)
        .label_style(label_font.clone())
        .axis_desc_style(label_font)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .axis_style(ShapeStyle::from(&INK).stroke_width(scale.px(1.0)))
        .draw()
        .map_err(draw_err)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let transform = ViewTransform { rect: PixelRect::from_ranges(xr, yr), x: view[0], y: view[1] };

    // The faint θ* line under the points; a still image's points cover their rectangle (see
    // [`Blit::composites_alpha`]), so there it goes over them.
    let optimum_line = |root: &DrawingArea<DB, Shift>| -> DrawResult<()> {
        if let (None, Some(theta)) = (&predicted, scene.optimum) {
            for line in line_pixels(&transform, theta) {
                let style = ShapeStyle::from(&OPTIMUM_COLOR.mix(0.8)).stroke_width(scale.px(6.0));
                root.draw(&PathElement::new(line, style)).map_err(draw_err)?;
            }
        }
        Ok(())
    };
    let under = blit.composites_alpha();
    if under {
        optimum_line(root)?;
    }
    let image = match &predicted {
        Some(p) => render_points(p.iter().copied().zip(scene.data.ys().iter().copied()), scene.data.len(), &transform, scale),
        None => render_points(scene.data.xs().iter().copied().zip(scene.data.ys().iter().copied()), scene.data.len(), &transform, scale),
    };
    blit.blit(transform.rect.left, transform.rect.top, &image)?;
    if !under {
        optimum_line(root)?;
    }
    if predicted.is_some() {
        // The diagonal ŷ = y, over the points: a perfect fit puts every point on it.
        for line in transform.polylines([(view[0][0], view[0][0]), (view[0][1], view[0][1])]) {
            let style = ShapeStyle::from(&OPTIMUM_COLOR).stroke_width(scale.px(1.5));
            root.draw(&PathElement::new(line, style)).map_err(draw_err)?;
        }
    }
    Ok(transform)
}

/// The `n` points as translucent discs on a transparent image the size of the plotting area.
pub fn render_points(points: impl Iterator<Item = (f64, f64)>, n: usize, t: &ViewTransform, scale: Scale) -> RgbaImage {
    let (w, h) = (t.rect.width as u32, t.rect.height as u32);
    let mut image = RgbaImage::new(w, h);
    let (radius_css, alpha) = point_style(n);
    let radius = radius_css * scale.pixel_ratio * scale.zoom;
    // The disc's pixel offsets with coverage-based edge opacity (cheap anti-aliasing).
    let reach = radius.ceil() as i64 + 1;
    let mut stamp = Vec::new();
    for dy in -reach..=reach {
        for dx in -reach..=reach {
            let d = ((dx * dx + dy * dy) as f64).sqrt();
            let coverage = (radius + 0.5 - d).clamp(0.0, 1.0);
            if coverage > 0.0 {
                stamp.push((dx, dy, coverage * alpha));
            }
        }
    }
    for (x, y) in points {
        let (px, py) = t.to_pixel(x, y);
        let (cx, cy) = ((px - t.rect.left as f64).floor() as i64, (py - t.rect.top as f64).floor() as i64);
        for &(dx, dy, a) in &stamp {
            image.blend(cx + dx, cy + dy, POINT_COLOR, a);
        }
    }
    image
}

/// The line θ0 + θ1·x, or the polynomial θ0 + θ1·x + … + θp·x^p (sampled every two device
/// pixels), across the view, clipped, in pixels.
pub fn line_pixels(t: &ViewTransform, theta: Theta) -> Vec<Vec<(i32, i32)>> {
    if theta.len() == 2 {
        let at = |x: f64| (x, theta[0] + theta[1] * x);
        return t.polylines([at(t.x[0]), at(t.x[1])]);
    }
    let samples = (t.rect.width.max(2) / 2) as usize;
    let at = |k: usize| {
        let x = t.x[0] + (t.x[1] - t.x[0]) * k as f64 / samples as f64;
        // Horner: θ0 + x·(θ1 + x·(θ2 + …)).
        let y = theta.as_slice().iter().rev().fold(0.0, |acc, &c| acc * x + c);
        (x, y)
    };
    t.polylines((0..=samples).map(at))
}

/// Draws each run's current line or curve (original x scale), in the run's colour; nothing
/// when the plot shows predicted against observed (`lines` is then empty).
pub fn draw_moving<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &ViewTransform,
    lines: &[(usize, Theta)],
    scale: Scale,
) -> DrawResult<()> {
    for &(index, theta) in lines {
        for line in line_pixels(t, theta) {
            let halo = ShapeStyle::from(&WHITE.mix(0.9)).stroke_width(scale.px(5.0));
            root.draw(&PathElement::new(line.clone(), halo)).map_err(draw_err)?;
            let style = ShapeStyle::from(&run_color(index)).stroke_width(scale.px(2.5));
            root.draw(&PathElement::new(line, style)).map_err(draw_err)?;
        }
    }
    Ok(())
}

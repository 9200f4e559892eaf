//! The loss surface J(θ0, θ1): a heatmap with contour lines at log-spaced levels, a colour
//! scale, the optimum and the geometry (static layer), and the trajectories (moving layer).

use super::view::TrailDrawing;
use super::primitives::{draw_err, level_edges, run_color, Blit, DrawResult, PixelRect, RgbaImage, Scale, ViewTransform, INK, MUTED};
use super::run_path::{RunPath, Search};
use super::text::Label;
use crate::least_squares::objective::{Objective, Optimum, PairLoss, Theta};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::colors::colormaps::ViridisRGB;

/// Decades of J − J* that the colour scale spans below its maximum.
pub const COLOR_DECADES: f64 = 4.0;
/// Contour levels per decade of J − J*.
pub const LEVELS_PER_DECADE: f64 = 3.0;

/// Everything the static layer of the surface shows.
#[derive(Debug, Clone)]
pub struct SurfaceScene<'a> {
    /// The objective to draw.
    pub objective: &'a Objective,
    /// Its optimum, if unique.
    pub optimum: Option<Optimum>,
    /// The unregularized optimum, drawn when regularization is on.
    pub unregularized_optimum: Option<Theta>,
    /// θ*(λ) for λ from 0 to a few times the current λ.
    pub regularization_path: Vec<Theta>,
    /// The two coefficients shown (indices into θ: across, up).
    pub axes: (usize, usize),
    /// The directions of least and most curvature in their plane (eigen-directions through θ*).
    pub directions: [Theta; 2],
    /// The ranges of the two coefficients to show (widened to equal aspect).
    pub view: [[f64; 2]; 2],
    /// Pixel ratio and zoom.
    pub scale: Scale,
    /// Whether to draw the Hessian's eigen-directions through θ*.
    pub show_eigen_directions: bool,
}

/// Widens `view` so that one unit of θ0 and of θ1 take the same number of pixels in `rect`
/// (so gradients look perpendicular to the contours, as they are).
pub fn equal_aspect(view: [[f64; 2]; 2], rect: PixelRect) -> [[f64; 2]; 2] {
    let (w, h) = (rect.width.max(1) as f64, rect.height.max(1) as f64);
    let (dx, dy) = (view[0][1] - view[0][0], view[1][1] - view[1][0]);
    let units_per_px = (dx / w).max(dy / h);
    let (cx, cy) = (0.5 * (view[0][0] + view[0][1]), 0.5 * (view[1][0] + view[1][1]));
    let (hw, hh) = (0.5 * w * units_per_px, 0.5 * h * units_per_px);
    [[cx - hw, cx + hw], [cy - hh, cy + hh]]
}

fn color_bar_width(scale: Scale) -> u32 {
    scale.px(78.0)
}

/// Rows of the legend that fit in the band under a tall drawing's plotting area.
const LEGEND_BAND_ROWS: usize = 4;

/// The height of the band kept under the plotting area for the legend: a drawing taller than
/// wide by at least the band (the surface on a lesson's stage) keeps one, so that the legend does
/// not cover the bowl; a square one (the page's) does not.
fn legend_band(width: u32, height: u32, scale: Scale) -> u32 {
    let band = scale.px(19.0 * LEGEND_BAND_ROWS as f64 + 16.0);
    if height >= width + band { band } else { 0 }
}

/// The pixel rectangle of the plotting area on a `width`×`height` drawing.
pub fn plot_rect(width: u32, height: u32, scale: Scale) -> PixelRect {
    let left = scale.px(10.0) + scale.px(58.0);
    let top = scale.px(10.0);
    let right = color_bar_width(scale) + scale.px(10.0);
    let bottom = scale.px(10.0) + scale.px(46.0) + legend_band(width, height, scale);
    PixelRect {
        left: left as i32,
        top: top as i32,
        width: (width as i32 - (left + right) as i32).max(1),
        height: (height as i32 - (top + bottom) as i32).max(1),
    }
}

/// Draws the static layer and returns the view transform of its plotting area.
pub fn draw_static<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    scene: &SurfaceScene,
    blit: &mut dyn Blit,
) -> DrawResult<ViewTransform> {
    let scale = scene.scale;
    let (width, height) = root.dim_in_pixel();
    root.fill(&WHITE).map_err(draw_err)?;
    let guess = plot_rect(width, height, scale);
    let view = equal_aspect(scene.view, guess);
    let (above, _legend) = root.split_vertically(height - legend_band(width, height, scale));
    let (main, bar) = above.split_horizontally(width.saturating_sub(color_bar_width(scale)));
    let mut chart = ChartBuilder::on(&main)
        .margin(scale.px(10.0))
        .x_label_area_size(scale.px(46.0))
        .y_label_area_size(scale.px(58.0))
        .build_cartesian_2d(view[0][0]..view[0][1], view[1][0]..view[1][1])
        .map_err(draw_err)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let rect = PixelRect::from_ranges(xr, yr);
    let transform = ViewTransform { rect, x: view[0], y: view[1] };

    // Heatmap and contours as pixels, one loss evaluation per device pixel (O(1) each).
    let (shown, _) = scene.objective.pair_loss(scene.axes);
    let levels = render_heatmap(&shown, scene.optimum, &transform);
    blit.blit(rect.left, rect.top, &levels.image)?;

    let label_font = ("sans-serif", scale.font(13.0)).into_font().color(&INK);
    let desc_font = ("sans-serif", scale.font(14.0)).into_font().color(&INK);
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(super::primitives::labels_across(guess.width.max(0) as u32, scale, 6))
        .y_labels(6)
        .label_style(label_font.clone())
        .axis_desc_style(desc_font)
        .x_desc(axis_name(scene.axes.0, scene.objective.params(), scale))
        .y_desc(axis_name(scene.axes.1, scene.objective.params(), scale))
        .axis_style(ShapeStyle::from(&INK).stroke_width(scale.px(1.0)))
        .draw()
        .map_err(draw_err)?;

    draw_geometry(root, scene, &transform)?;
    draw_color_bar(&bar, &levels, scale, rect)?;
    Ok(transform)
}

/// The name of coefficient `k` of a model of `params` coefficients on an axis: the intercept
/// and a line's slope by their words, the others as θₖ.
fn axis_name(k: usize, params: usize, scale: Scale) -> String {
    match k {
        0 => scale.text(Label::Intercept).to_string(),
        1 if params == 2 => scale.text(Label::Slope).to_string(),
        _ => format!("θ{}", super::text::subscript(k)),
    }
}

/// The rendered heatmap and the numbers of its colour scale.
struct Heatmap {
    image: RgbaImage,
    /// J − J* at the top of the colour scale.
    excess_max: f64,
}

fn color_of(t: f64) -> (u8, u8, u8) {
    let c: RGBColor = ViridisRGB.get_color(t.clamp(0.0, 1.0) as f32);
    (c.0, c.1, c.2)
}

/// Colours each pixel by log10(J − J*) on a viridis scale spanning [`COLOR_DECADES`] below the
/// largest value in view, and whitens the pixels where the contour level (⌊3·log10(J − J*)⌋)
/// changes from a neighbour: contour lines at log-spaced levels, drawn as pixels.
fn render_heatmap(shown: &PairLoss, optimum: Option<Optimum>, t: &ViewTransform) -> Heatmap {
    let (w, h) = (t.rect.width as u32, t.rect.height as u32);
    let mut values = Vec::with_capacity((w * h) as usize);
    let step_x = (t.x[1] - t.x[0]) / w as f64;
    let step_y = (t.y[1] - t.y[0]) / h as f64;
    let mut min = f64::INFINITY;
    let mut max = 0.0f64;
    for row in 0..h {
        let theta1 = t.y[1] - (row as f64 + 0.5) * step_y;
        for col in 0..w {
            let theta0 = t.x[0] + (col as f64 + 0.5) * step_x;
            let j = shown.loss(theta0, theta1);
            min = min.min(j);
            max = max.max(if j.is_finite() { j } else { 0.0 });
            values.push(j);
        }
    }
    let floor = optimum.map(|o| o.loss).unwrap_or(min).min(min);
    let excess_max = (max - floor).max(f64::MIN_POSITIVE);
    let top = excess_max.log10();
    let mut levels = Vec::with_capacity(values.len());
    let mut image = RgbaImage::new(w, h);
    const SHADES: usize = 512;
    let palette: Vec<(u8, u8, u8)> = (0..SHADES).map(|k| color_of(k as f64 / (SHADES - 1) as f64)).collect();
    for (i, &j) in values.iter().enumerate() {
        let excess = j - floor;
        let log = if excess > 0.0 && excess.is_finite() { excess.log10() } else { top - COLOR_DECADES - 1.0 };
        let shade = ((log - (top - COLOR_DECADES)) / COLOR_DECADES).clamp(0.0, 1.0);
        image.set(i as u32 % w, i as u32 / w, palette[(shade * (SHADES - 1) as f64).round() as usize]);
        levels.push(if log < top - COLOR_DECADES { i32::MIN } else { (log * LEVELS_PER_DECADE).floor() as i32 });
    }
    for (col, row, _) in level_edges(&levels, w as usize) {
        image.blend(col as i64, row as i64, WHITE, 0.55);
    }
    Heatmap { image, excess_max }
}

/// Names each eigen-direction beside its line, a fixed distance from θ* (on the side of θ*
/// where the label fits in the plot), keeping the two labels apart.
fn draw_eigen_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    scene: &SurfaceScene,
    t: &ViewTransform,
    c: Theta,
) -> DrawResult<()> {
    let scale = scene.scale;
    let font = ("sans-serif", scale.font(13.0)).into_font().color(&WHITE);
    let (cx, cy) = t.to_pixel(c[0], c[1]);
    let distance = scale.px(95.0) as f64;
    let (left, top) = (t.rect.left as f64, t.rect.top as f64);
    let (right, bottom) = (left + t.rect.width as f64, top + t.rect.height as f64);
    let mut placed: Vec<(f64, f64)> = Vec::new();
    for (k, v) in scene.directions.iter().enumerate() {
        let name = scale.text(if k == 0 { Label::EigenMin } else { Label::EigenMax });
        let (w, h) = super::text::text_size(root, name, &font).ok_or_else(|| "drawing failed: cannot measure text".to_string())?;
        let (w, h) = (w as f64, h as f64);
        let (px, py) = t.to_pixel(c[0] + v[0], c[1] + v[1]);
        let norm = (px - cx).hypot(py - cy);
        if !(norm > 0.0 && norm.is_finite()) {
            continue;
        }
        let (dx, dy) = ((px - cx) / norm, (py - cy) / norm);
        // Top-left corner of the label on either side of θ*, set off the line by a little
        // and clamped into the plot (the measured width gets 15% slack: canvas and SVG fonts
        // differ); prefer a side that needs no clamping, then the one farther from the labels
        // already placed.
        let w = w * 1.15;
        let candidates = [1.0, -1.0].map(|sign| {
            let (x, y) = (cx + sign * distance * dx - w / 2.0 - dy * h * 0.9, cy + sign * distance * dy - h / 2.0 + dx * h * 0.9);
            let (x_max, y_max) = ((right - w - 2.0).max(left + 2.0), (bottom - h - 2.0).max(top + 2.0));
            let fits = x >= left + 2.0 && x <= x_max && y >= top + 2.0 && y <= y_max;
            let (x, y) = (x.clamp(left + 2.0, x_max), y.clamp(top + 2.0, y_max));
            let apart = placed.iter().map(|&(a, b)| (a - x).hypot(b - y)).fold(1e6, f64::min);
            (fits, apart, x, y)
        });
        let [a, b] = candidates;
        let (_, _, x, y) = if (b.0, b.1) > (a.0, a.1) { b } else { a };
        root.draw(&Text::new(name, (x as i32, y as i32), font.clone())).map_err(draw_err)?;
        placed.push((x, y));
    }
    Ok(())
}

/// Optimum, unregularized optimum, regularization path and eigen-directions.
fn draw_geometry<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    scene: &SurfaceScene,
    t: &ViewTransform,
) -> DrawResult<()> {
    let scale = scene.scale;
    let font = ("sans-serif", scale.font(13.0)).into_font();
    if let Some(opt) = scene.optimum {
        let c = opt.theta.shown(scene.axes);
        if scene.show_eigen_directions {
            let span = (t.x[1] - t.x[0]).hypot(t.y[1] - t.y[0]);
            for v in &scene.directions {
                let a = (c[0] - span * v[0], c[1] - span * v[1]);
                let b = (c[0] + span * v[0], c[1] + span * v[1]);
                for line in t.polylines([a, b]) {
                    let style = ShapeStyle::from(&WHITE.mix(0.8)).stroke_width(scale.px(1.0));
                    for dash in DashedLineSeries::new(line, scale.px(6.0), scale.px(5.0), style) {
                        root.draw(&dash).map_err(draw_err)?;
                    }
                }
            }
            draw_eigen_labels(root, scene, t, c)?;
        }
        let path: Vec<(f64, f64)> = scene.regularization_path.iter().map(|p| p.pair(scene.axes)).collect();
        for line in t.polylines(path) {
            let style = ShapeStyle::from(&WHITE).stroke_width(scale.px(2.0));
            root.draw(&PathElement::new(line, style)).map_err(draw_err)?;
        }
        if let Some(u) = scene.unregularized_optimum.map(|u| u.shown(scene.axes)) {
            if t.contains(u[0], u[1]) {
                let (px, py) = t.to_pixel(u[0], u[1]);
                let p = (px.round() as i32, py.round() as i32);
                root.draw(&Circle::new(p, scale.px(5.0), ShapeStyle::from(&WHITE).stroke_width(scale.px(2.0))))
                    .map_err(draw_err)?;
                let style = font.clone().color(&WHITE);
                let x = beside(root, "λ = 0", &style, p.0, scale.px(8.0) as i32, t);
                root.draw(&Text::new("λ = 0", (x, p.1 - scale.px(18.0) as i32), style)).map_err(draw_err)?;
            }
        }
        if t.contains(c[0], c[1]) {
            let (px, py) = t.to_pixel(c[0], c[1]);
            let p = (px.round() as i32, py.round() as i32);
            let r = scale.px(7.0) as i32;
            for (w, color) in [(scale.px(4.0), BLACK), (scale.px(2.0), WHITE)] {
                let style = ShapeStyle::from(&color).stroke_width(w);
                root.draw(&PathElement::new(vec![(p.0 - r, p.1 - r), (p.0 + r, p.1 + r)], style)).map_err(draw_err)?;
                root.draw(&PathElement::new(vec![(p.0 - r, p.1 + r), (p.0 + r, p.1 - r)], style)).map_err(draw_err)?;
            }
            let style = font.clone().color(&WHITE);
            let x = beside(root, "θ*", &style, p.0, r + 2, t);
            root.draw(&Text::new("θ*", (x, p.1 + 2), style)).map_err(draw_err)?;
        }
    }
    Ok(())
}

/// The left edge of label `text` set `gap` pixels right of the mark at `x`, or as far left of it
/// where the plotting area's right edge would cut the label.
fn beside<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, text: &str, style: &TextStyle, x: i32, gap: i32, t: &ViewTransform) -> i32 {
    let w = super::text::text_size(root, text, style).map_or(0, |(w, _)| w as i32);
    if x + gap + w <= t.rect.left + t.rect.width { x + gap } else { x - gap - w }
}

/// The colour scale: J − J* on a log axis.
fn draw_color_bar<DB: DrawingBackend>(
    bar: &DrawingArea<DB, Shift>,
    levels: &Heatmap,
    scale: Scale,
    rect: PixelRect,
) -> DrawResult<()> {
    // Coordinates on a sub-area are relative to its top-left corner.
    let x0 = scale.px(8.0) as i32;
    let bar_w = scale.px(14.0) as i32;
    let (top, bottom) = (rect.top, rect.top + rect.height);
    let steps = 64;
    for k in 0..steps {
        let y0 = top + (bottom - top) * k / steps;
        let y1 = top + (bottom - top) * (k + 1) / steps;
        let shade = 1.0 - (k as f64 + 0.5) / steps as f64;
        let (r, g, b) = color_of(shade);
        bar.draw(&Rectangle::new([(x0, y0), (x0 + bar_w, y1)], RGBColor(r, g, b).filled())).map_err(draw_err)?;
    }
    bar.draw(&Rectangle::new([(x0, top), (x0 + bar_w, bottom)], ShapeStyle::from(&INK).stroke_width(1)))
        .map_err(draw_err)?;
    let font = ("sans-serif", scale.font(12.0)).into_font().color(&MUTED);
    let log_top = levels.excess_max.log10();
    let first = log_top.floor() as i32;
    let mut k = first;
    while (k as f64) >= log_top - COLOR_DECADES {
        let f = (log_top - k as f64) / COLOR_DECADES;
        let y = top + ((bottom - top) as f64 * f).round() as i32;
        bar.draw(&PathElement::new(vec![(x0 + bar_w, y), (x0 + bar_w + scale.px(4.0) as i32, y)], ShapeStyle::from(&INK)))
            .map_err(draw_err)?;
        bar.draw(&Text::new(format!("1e{k}"), (x0 + bar_w + scale.px(6.0) as i32, y - scale.px(6.0) as i32), font.clone()))
            .map_err(draw_err)?;
        k -= 2;
    }
    bar.draw(&Text::new("J − J*", (x0 - scale.px(2.0) as i32, bottom + scale.px(8.0) as i32), font))
        .map_err(draw_err)?;
    Ok(())
}

/// Opacity of the white halo under the trajectories.
pub const HALO_ALPHA: f64 = 0.85;

/// Adds the trajectories' polylines of `trails` (at screen resolution): their halo, `halo`
/// wide, on `halo_root`, then each run's line in its colour on `lines_root`. On the page these
/// are layers kept between frames (the halo layer drawn opaque and shown at
/// [`HALO_ALPHA`], so that strokes added frame after frame do not darken where they overlap);
/// for a still image both are the one drawing.
pub fn draw_trails<DB: DrawingBackend>(
    halo_root: &DrawingArea<DB, Shift>,
    lines_root: &DrawingArea<DB, Shift>,
    trails: &TrailDrawing,
    halo: RGBAColor,
    scale: Scale,
) -> DrawResult<()> {
    for (_, lines) in &trails.lines {
        for line in lines {
            halo_root.draw(&PathElement::new(line.clone(), ShapeStyle::from(&halo).stroke_width(scale.px(4.0)))).map_err(draw_err)?;
        }
    }
    for (index, lines) in &trails.lines {
        let style = ShapeStyle::from(&run_color(*index)).stroke_width(scale.px(2.0));
        for line in lines {
            lines_root.draw(&PathElement::new(line.clone(), style)).map_err(draw_err)?;
        }
    }
    Ok(())
}

/// Draws what changes whole every frame: each run's `tails` (the segment from its last recorded
/// point to its current θ), its current θ, the legend, the common start, and for mini-batch
/// runs the last batch gradient beside the full gradient. The kept trajectories are drawn by
/// [`draw_trails`].
pub fn draw_moving<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &ViewTransform,
    paths: &[RunPath],
    tails: &[super::resolution::RunLines],
    start: Theta,
    axes: (usize, usize),
    scale: Scale,
) -> DrawResult<()> {
    let start = start.shown(axes);
    for (index, lines) in tails {
        for line in lines {
            let halo = ShapeStyle::from(&WHITE.mix(HALO_ALPHA)).stroke_width(scale.px(4.0));
            root.draw(&PathElement::new(line.clone(), halo)).map_err(draw_err)?;
            root.draw(&PathElement::new(line.clone(), ShapeStyle::from(&run_color(*index)).stroke_width(scale.px(2.0))))
                .map_err(draw_err)?;
        }
    }
    for path in super::run_path::drawing_order(paths) {
        let color = run_color(path.index);
        if let Some(search) = &path.search {
            draw_search(root, t, search, axes, color, scale)?;
        }
        if let Some(g) = path.gradients {
            let shown = crate::descent::run::LastGradients { at: g.at.shown(axes), batch: g.batch.shown(axes), full: g.full.shown(axes) };
            draw_gradient_arrows(root, t, shown, color, scale)?;
        }
        let current = path.current.shown(axes);
        if t.contains(current[0], current[1]) {
            let (px, py) = t.to_pixel(current[0], current[1]);
            let p = (px.round() as i32, py.round() as i32);
            root.draw(&Circle::new(p, scale.px(6.0), WHITE.filled())).map_err(draw_err)?;
            root.draw(&Circle::new(p, scale.px(4.5), color.filled())).map_err(draw_err)?;
        }
    }
    if paths.len() > 1 {
        draw_legend(root, t, paths, scale)?;
    }
    if let Some(search) = paths.iter().find_map(|p| p.search.as_ref()) {
        draw_ray_inset(root, t, search, run_color(0), scale)?;
    }
    if t.contains(start[0], start[1]) {
        let (px, py) = t.to_pixel(start[0], start[1]);
        let p = (px.round() as i32, py.round() as i32);
        root.draw(&Circle::new(p, scale.px(7.0), ShapeStyle::from(&BLACK).stroke_width(scale.px(3.0)))).map_err(draw_err)?;
        root.draw(&Circle::new(p, scale.px(7.0), ShapeStyle::from(&WHITE).stroke_width(scale.px(1.5)))).map_err(draw_err)?;
        let font = ("sans-serif", scale.font(13.0)).into_font().color(&WHITE);
        root.draw(&Text::new(scale.text(Label::Start), (p.0 + scale.px(9.0) as i32, p.1 + scale.px(2.0) as i32), font)).map_err(draw_err)?;
    }
    Ok(())
}

/// A line search on the plane of `axes`: the ray from where it started through its farthest
/// trial (dashed), each rejected trial a hollow dot, the accepted one filled.
fn draw_search<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &ViewTransform,
    search: &Search,
    axes: (usize, usize),
    color: RGBColor,
    scale: Scale,
) -> DrawResult<()> {
    let from = search.from.pair(axes);
    let farthest = search.trials.iter().map(|trial| trial.theta.pair(axes)).fold(from, |best, p| {
        let d = |q: (f64, f64)| (q.0 - from.0).hypot(q.1 - from.1);
        if d(p) > d(best) { p } else { best }
    });
    for line in t.polylines([from, farthest]) {
        let style = ShapeStyle::from(&WHITE.mix(0.9)).stroke_width(scale.px(1.5));
        for dash in DashedLineSeries::new(line, scale.px(5.0), scale.px(4.0), style) {
            root.draw(&dash).map_err(draw_err)?;
        }
    }
    for trial in &search.trials {
        let p = trial.theta.pair(axes);
        if !t.contains(p.0, p.1) {
            continue;
        }
        let (px, py) = t.to_pixel(p.0, p.1);
        let at = (px.round() as i32, py.round() as i32);
        root.draw(&Circle::new(at, scale.px(5.0), WHITE.filled())).map_err(draw_err)?;
        if trial.accepted {
            root.draw(&Circle::new(at, scale.px(3.5), color.filled())).map_err(draw_err)?;
        } else {
            root.draw(&Circle::new(at, scale.px(3.5), ShapeStyle::from(&color).stroke_width(scale.px(1.5)))).map_err(draw_err)?;
        }
    }
    Ok(())
}

/// The function the line search saw, in the surface's bottom-right corner: f(θ − η·g) against
/// η, Armijo's line f(θ) − c·η·gᵀg dashed, each trial a dot (hollow when rejected) and the
/// chosen η marked.
fn draw_ray_inset<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &ViewTransform,
    search: &Search,
    color: RGBColor,
    scale: Scale,
) -> DrawResult<()> {
    let (w, h) = ((t.rect.width as f64 * 0.42) as i32, (t.rect.height as f64 * 0.3) as i32);
    if w < scale.px(90.0) as i32 || h < scale.px(60.0) as i32 {
        return Ok(());
    }
    let right = t.rect.left + t.rect.width - scale.px(6.0) as i32;
    let bottom = t.rect.top + t.rect.height - scale.px(6.0) as i32;
    let (left, top) = (right - w, bottom - h);
    root.draw(&Rectangle::new([(left, top), (right, bottom)], WHITE.mix(0.92).filled())).map_err(draw_err)?;
    root.draw(&Rectangle::new([(left, top), (right, bottom)], ShapeStyle::from(&INK.mix(0.5)).stroke_width(1))).map_err(draw_err)?;
    let finite: Vec<(f64, f64)> = search.curve.iter().copied().filter(|(_, f)| f.is_finite()).collect();
    let Some(&(eta_max, _)) = finite.last() else { return Ok(()) };
    let (lo, hi) = finite.iter().chain(search.trials.iter().map(|t| (t.eta, t.loss)).collect::<Vec<_>>().iter())
        .filter(|(_, f)| f.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &(_, f)| (lo.min(f), hi.max(f)));
    if !(eta_max > 0.0 && hi >= lo) {
        return Ok(());
    }
    let pad = scale.px(8.0) as f64;
    let title_h = scale.px(16.0) as f64;
    let (x0, x1) = (left as f64 + pad, right as f64 - pad);
    let (y0, y1) = (top as f64 + title_h + pad * 0.5, bottom as f64 - pad);
    let span = (hi - lo).max(1e-300);
    let px = |eta: f64, f: f64| -> (i32, i32) {
        let x = x0 + (x1 - x0) * (eta / eta_max);
        let y = y1 - (y1 - y0) * ((f - lo) / span).clamp(-0.05, 1.05);
        (x.round() as i32, y.round() as i32)
    };
    let font = ("sans-serif", scale.font(11.0)).into_font().color(&INK);
    let title = format!("{} ∈ [0, {}]", scale.text(Label::AlongRay), crate::descent::run::sig(eta_max));
    root.draw(&Text::new(title, (left + scale.px(5.0) as i32, top + scale.px(3.0) as i32), font)).map_err(draw_err)?;
    if let Some((f0, slope)) = search.armijo {
        let line: Vec<(i32, i32)> = [0.0, eta_max].iter().map(|&eta| px(eta, f0 + slope * eta)).collect();
        let style = ShapeStyle::from(&INK.mix(0.6)).stroke_width(scale.px(1.0));
        for dash in DashedLineSeries::new(line, scale.px(4.0), scale.px(3.0), style) {
            root.draw(&dash).map_err(draw_err)?;
        }
    }
    let curve: Vec<(i32, i32)> = finite.iter().map(|&(eta, f)| px(eta, f)).collect();
    root.draw(&PathElement::new(curve, ShapeStyle::from(&INK).stroke_width(scale.px(1.5)))).map_err(draw_err)?;
    for trial in &search.trials {
        if !trial.loss.is_finite() {
            continue;
        }
        let at = px(trial.eta, trial.loss);
        if trial.accepted {
            let tick = ShapeStyle::from(&color.mix(0.7)).stroke_width(scale.px(1.0));
            root.draw(&PathElement::new(vec![(at.0, y0 as i32), (at.0, y1 as i32)], tick)).map_err(draw_err)?;
            root.draw(&Circle::new(at, scale.px(3.5), color.filled())).map_err(draw_err)?;
        } else {
            root.draw(&Circle::new(at, scale.px(3.5), WHITE.filled())).map_err(draw_err)?;
            root.draw(&Circle::new(at, scale.px(3.5), ShapeStyle::from(&color).stroke_width(scale.px(1.5)))).map_err(draw_err)?;
        }
    }
    Ok(())
}

/// Arrows of −(mini-batch gradient) and −(full gradient) from the θ the last update started
/// from, on one scale: the longer of the two is 12% of the view's width.
fn draw_gradient_arrows<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &ViewTransform,
    g: crate::descent::run::LastGradients,
    color: RGBColor,
    scale: Scale,
) -> DrawResult<()> {
    let longest = g.batch.norm().max(g.full.norm());
    if !(longest > 0.0 && longest.is_finite() && t.contains(g.at[0], g.at[1])) {
        return Ok(());
    }
    let factor = 0.12 * (t.x[1] - t.x[0]) / longest;
    let (ax, ay) = t.to_pixel(g.at[0], g.at[1]);
    for (grad, c, width) in [(g.full, BLACK, 3.0), (g.batch, color, 2.5)] {
        let tip = (g.at[0] - factor * grad[0], g.at[1] - factor * grad[1]);
        let (bx, by) = t.to_pixel(tip.0, tip.1);
        let (dx, dy) = (bx - ax, by - ay);
        let len = dx.hypot(dy);
        if len < 2.0 {
            continue;
        }
        let (ux, uy) = (dx / len, dy / len);
        let head = (10.0 * scale.pixel_ratio).min(len * 0.5);
        let wing = |s: f64| ((bx - head * ux + s * 0.5 * head * uy) as i32, (by - head * uy - s * 0.5 * head * ux) as i32);
        let style = ShapeStyle::from(&c).stroke_width(scale.px(width));
        let shaft = vec![(ax as i32, ay as i32), (bx as i32, by as i32)];
        root.draw(&PathElement::new(shaft, style)).map_err(draw_err)?;
        root.draw(&Polygon::new(vec![(bx as i32, by as i32), wing(1.0), wing(-1.0)], c.filled())).map_err(draw_err)?;
    }
    Ok(())
}

/// A legend naming each run in its colour: in the band under the plotting area where the drawing
/// keeps one and the runs fit in it, otherwise in the top-left corner of the plotting area.
fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &ViewTransform,
    paths: &[RunPath],
    scale: Scale,
) -> DrawResult<()> {
    let font = ("sans-serif", scale.font(13.0)).into_font().color(&INK);
    let line_h = scale.px(19.0) as i32;
    let (width, height) = root.dim_in_pixel();
    let band = legend_band(width, height, scale) as i32;
    let (x, y) = if band > 0 && paths.len() <= LEGEND_BAND_ROWS {
        (t.rect.left, height as i32 - band)
    } else {
        (t.rect.left + scale.px(8.0) as i32, t.rect.top + scale.px(8.0) as i32)
    };
    let longest = paths.iter().map(|p| p.label.chars().count()).max().unwrap_or(0) as f64;
    let w = scale.px(30.0 + 7.2 * longest) as i32;
    let h = line_h * paths.len() as i32 + scale.px(8.0) as i32;
    root.draw(&Rectangle::new([(x, y), (x + w, y + h)], WHITE.mix(0.85).filled())).map_err(draw_err)?;
    for (k, path) in paths.iter().enumerate() {
        let cy = y + scale.px(4.0) as i32 + line_h * k as i32 + line_h / 2;
        let style = ShapeStyle::from(&run_color(path.index)).stroke_width(scale.px(3.0));
        root.draw(&PathElement::new(vec![(x + scale.px(6.0) as i32, cy), (x + scale.px(22.0) as i32, cy)], style))
            .map_err(draw_err)?;
        root.draw(&Text::new(path.label.clone(), (x + scale.px(27.0) as i32, cy - scale.px(7.0) as i32), font.clone()))
            .map_err(draw_err)?;
    }
    Ok(())
}

//! The data and the fit: the points (a pixel layer), the optimal line or curve drawn faint
//! (static layer) and each run's current one (moving layer). With one x column the fit is
//! ŷ(x) = θ0 + θ1·x + … + θp·x^p over the points; with three or more feature columns the plot shows
//! the points predicted against observed, (ŷᵢ, yᵢ) by θ*, with the diagonal ŷ = y; with exactly
//! two feature columns it is a 3-D view of the points (x₁ᵢ, x₂ᵢ, yᵢ), θ*'s plane faint (static
//! layer) and each run's current plane as a wireframe (moving layer), turned by [`ViewAngle`].

use super::text::Label;
use super::primitives::{clip_segment, draw_err, padded, run_color, Blit, DrawResult, PixelRect, RgbaImage, Scale, ViewTransform, INK};
use super::view3d::{box_3d, is_3d, Box3d, Frame3d, ViewAngle};
use crate::least_squares::data::{Dataset, Layout};
use crate::least_squares::features::MAX_FEATURES;
use crate::least_squares::objective::Theta;
use plotters::coord::cartesian::Cartesian3d;
use plotters::coord::ranged1d::{BoldPoints, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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
    /// The view angle of the 3-D view (used only for data of two feature columns, see [`is_3d`]).
    pub angle: ViewAngle,
}

/// The x and y ranges that show every point with a margin.
pub fn data_view(data: &Dataset) -> [[f64; 2]; 2] {
    let [x0, x1, y0, y1] = data.bounds();
    let x = padded(x0, x1, 0.06, 1e-9_f64.max(x0.abs().max(x1.abs()) * 1e-9));
    let y = padded(y0, y1, 0.08, 1e-9_f64.max(y0.abs().max(y1.abs()) * 1e-9));
    [x, y]
}

/// Whether the data plot shows the points predicted against observed (three or more feature
/// columns) rather than over x or in 3-D.
pub fn predicted_against_observed(data: &Dataset) -> bool {
    matches!(data.layout(), Layout::Rows { d } if d != 2)
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

/// Draws axes, the points and the optimal line (the 3-D view for two feature columns, see
/// [`is_3d`]); returns the view transform.
pub fn draw_static<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    scene: &FitScene,
    blit: &mut dyn Blit,
) -> DrawResult<ViewTransform> {
    let scale = scene.scale;
    root.fill(&WHITE).map_err(draw_err)?;
    if is_3d(scene.data) {
        return draw_static_3d(root, scene);
    }
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
    let (width, height) = chart.plotting_area().dim_in_pixel();
    let rows = super::primitives::labels_along(height, scale, 5);
    chart
        .configure_mesh()
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(RGBColor(233, 236, 239))
        .x_labels(super::primitives::labels_across(width, scale, 6))
        .y_labels(rows)
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
/// Discs of one colour composite to the same pixels in any order (the opacity of k of them
/// over a pixel is 1 − Π(1 − aᵢ)), so the points are first counted per pixel, and each pixel
/// that holds any is stamped once with its count: a million points cost what the pixels do.
pub fn render_points(points: impl Iterator<Item = (f64, f64)>, n: usize, t: &ViewTransform, scale: Scale) -> RgbaImage {
    let (w, h) = (t.rect.width as u32, t.rect.height as u32);
    let mut image = RgbaImage::new(w, h);
    let (radius_css, alpha) = point_style(n);
    let radius = radius_css * scale.pixel_ratio * scale.zoom;
    // The disc's pixel offsets with coverage-based edge opacity (cheap anti-aliasing), each as
    // ln(1 − its opacity).
    let reach = radius.ceil() as i64 + 1;
    let mut stamp = Vec::new();
    for dy in -reach..=reach {
        for dx in -reach..=reach {
            let d = ((dx * dx + dy * dy) as f64).sqrt();
            let coverage = (radius + 0.5 - d).clamp(0.0, 1.0);
            if coverage > 0.0 {
                stamp.push((dx, dy, (1.0 - coverage * alpha).ln()));
            }
        }
    }
    // Centres are counted on the image grown by `reach` on each side: a disc centred just
    // outside still covers pixels inside.
    let (gw, gh) = (w as i64 + 2 * reach, h as i64 + 2 * reach);
    let mut counts = vec![0u32; (gw * gh) as usize];
    let mut occupied = Vec::new();
    for (x, y) in points {
        let (px, py) = t.to_pixel(x, y);
        let (cx, cy) = ((px - t.rect.left as f64).floor() as i64, (py - t.rect.top as f64).floor() as i64);
        let (gx, gy) = (cx + reach, cy + reach);
        if gx < 0 || gy < 0 || gx >= gw || gy >= gh {
            continue;
        }
        let cell = (gy * gw + gx) as usize;
        if counts[cell] == 0 {
            occupied.push(cell);
        }
        counts[cell] += 1;
    }
    // ln of the transparency left at each pixel of the image.
    let mut clear = vec![0.0f64; (w as usize) * (h as usize)];
    for &cell in &occupied {
        let k = counts[cell] as f64;
        let (cx, cy) = (cell as i64 % gw - reach, cell as i64 / gw - reach);
        for &(dx, dy, ln_clear) in &stamp {
            let (x, y) = (cx + dx, cy + dy);
            if x >= 0 && y >= 0 && x < w as i64 && y < h as i64 {
                clear[(y * w as i64 + x) as usize] += k * ln_clear;
            }
        }
    }
    for (i, &ln_clear) in clear.iter().enumerate() {
        if ln_clear < 0.0 {
            image.blend((i % w as usize) as i64, (i / w as usize) as i64, POINT_COLOR, 1.0 - ln_clear.exp());
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
    // Only the samples a curve within a quarter pixel of them all needs (a canvas strokes in
    // time proportional to the vertices); far outside the view, where pixels lose meaning,
    // every sample stays.
    let curve: Vec<(f64, f64)> = (0..=samples).map(at).collect();
    let pixels: Vec<(f64, f64)> = curve.iter().map(|p| t.to_pixel(p.0, p.1)).collect();
    if pixels.iter().all(|p| p.0.is_finite() && p.1.abs() < 1e6) {
        let kept = super::resolution::simplified(&pixels, super::resolution::SIMPLIFY_TOLERANCE);
        return t.polylines(kept.into_iter().map(|k| curve[k]));
    }
    t.polylines(curve)
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

/// At most this many points are drawn in the 3-D view, an evenly strided subset of more: each
/// is a plotters element (projected one by one), and the background is redrawn every frame
/// while the view turns, so that frame stays cheap.
pub const MAX_POINTS_3D: usize = 2_000;

/// Lines of a plane's wireframe in each direction, its edges included.
pub const PLANE_LINES: usize = 7;

/// A point of the 3-D view in plotters' axis order (x₁, y, x₂): its second axis is the
/// vertical one.
pub type Point3 = (f64, f64, f64);

/// ŷ = θ0 + θ1·x₁ + θ2·x₂ of θ, or none when θ has not three coefficients.
fn plane_of(theta: Theta) -> Option<impl Fn(f64, f64) -> f64> {
    match *theta.as_slice() {
        [t0, t1, t2] => Some(move |x1: f64, x2: f64| t0 + t1 * x1 + t2 * x2),
        _ => None,
    }
}

/// θ's plane over the box's (x₁, x₂) rectangle cut to its y range: a convex polygon, empty
/// when the plane misses the box or is not finite there.
pub fn plane_polygon(b: &Box3d, theta: Theta) -> Vec<Point3> {
    let Some(at) = plane_of(theta) else { return Vec::new() };
    let corners = [(b.x1[0], b.x2[0]), (b.x1[1], b.x2[0]), (b.x1[1], b.x2[1]), (b.x1[0], b.x2[1])];
    let polygon: Vec<Point3> = corners.iter().map(|&(x1, x2)| (x1, at(x1, x2), x2)).collect();
    if !polygon.iter().all(|p| p.1.is_finite()) {
        return Vec::new();
    }
    let below_top = keep_side(&polygon, |p| b.y[1] - p.1);
    keep_side(&below_top, |p| p.1 - b.y[0])
}

/// The part of a convex polygon where `side` ≥ 0 (`side` linear along its edges; one step of
/// Sutherland–Hodgman clipping).
fn keep_side(polygon: &[Point3], side: impl Fn(&Point3) -> f64) -> Vec<Point3> {
    let mut out = Vec::with_capacity(polygon.len() + 2);
    for (k, a) in polygon.iter().enumerate() {
        let Some(b) = polygon.get((k + 1) % polygon.len()) else { continue };
        let (sa, sb) = (side(a), side(b));
        if sa >= 0.0 {
            out.push(*a);
        }
        if (sa >= 0.0) != (sb >= 0.0) {
            let t = sa / (sa - sb);
            out.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1), a.2 + t * (b.2 - a.2)));
        }
    }
    if out.len() < 3 {
        out.clear();
    }
    out
}

/// θ's plane as a wireframe: `lines` lines across x₁ and as many across x₂, evenly spaced with
/// the box's edges among them, each cut to the box's y range (none for a non-finite θ).
pub fn plane_wireframe(b: &Box3d, theta: Theta, lines: usize) -> Vec<[Point3; 2]> {
    let Some(at) = plane_of(theta) else { return Vec::new() };
    let lines = lines.max(2);
    let mut out = Vec::with_capacity(2 * lines);
    for k in 0..lines {
        let f = k as f64 / (lines - 1) as f64;
        // Along x₁ at x₂ = c.
        let c = b.x2[0] + f * (b.x2[1] - b.x2[0]);
        if let Some(((a0, y0), (a1, y1))) = clip_segment((b.x1[0], at(b.x1[0], c)), (b.x1[1], at(b.x1[1], c)), b.x1, b.y) {
            out.push([(a0, y0, c), (a1, y1, c)]);
        }
        // Along x₂ at x₁ = c.
        let c = b.x1[0] + f * (b.x1[1] - b.x1[0]);
        if let Some(((a0, y0), (a1, y1))) = clip_segment((b.x2[0], at(c, b.x2[0])), (b.x2[1], at(c, b.x2[1])), b.x2, b.y) {
            out.push([(c, y0, a0), (c, y1, a1)]);
        }
    }
    out
}

/// A 3-D chart over (x₁, y, x₂).
type Chart3d<'a, DB> = ChartContext<'a, DB, Cartesian3d<RangedCoordf64, RangedCoordf64, RangedCoordf64>>;

/// The 3-D chart of `frame` on `root`, the same for both layers: the box turned by the view
/// angle and scaled so that the whole of it, with room for the labels, fits the area at every
/// angle.
fn chart_3d<'a, DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, frame: &Frame3d, scale: Scale) -> DrawResult<Chart3d<'a, DB>> {
    let b = frame.bounds;
    let mut chart = ChartBuilder::on(root)
        .margin(scale.px(6.0))
        .build_cartesian_3d(b.x1[0]..b.x1[1], b.y[0]..b.y[1], b.x2[0]..b.x2[1])
        .map_err(draw_err)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let (w, h) = (f64::from(xr.end - xr.start), f64::from(yr.end - yr.start));
    let centre = (f64::from(xr.start + xr.end) / 2.0, f64::from(yr.start + yr.end) / 2.0);
    // plotters maps the box onto a cube of 4/5 of the smaller side, projected about its centre.
    let side = ((xr.end - xr.start).min(yr.end - yr.start) * 4 / 5).max(1);
    // Room for the tick labels and the axis names around the projected box.
    let (room_x, room_y) = (f64::from(scale.px(40.0)), f64::from(scale.px(24.0)));
    let angle = frame.angle;
    chart.with_projection(|mut pb| {
        pb.yaw = angle.yaw;
        pb.pitch = angle.pitch;
        pb.scale = 1.0;
        let probe = pb.into_matrix();
        let (mut half_w, mut half_h) = (1.0f64, 1.0f64);
        for corner in 0..8 {
            let c = |bit: i32| if corner & bit != 0 { side } else { 0 };
            let (px, py) = probe * (c(1), c(2), c(4));
            half_w = half_w.max((f64::from(px) - centre.0).abs());
            half_h = half_h.max((f64::from(py) - centre.1).abs());
        }
        let fit = ((0.5 * w - room_x) / half_w).min((0.5 * h - room_y) / half_h);
        pb.scale = if fit.is_finite() { fit.clamp(0.05, 4.0) } else { 1.0 };
        pb.into_matrix()
    });
    Ok(chart)
}

/// An edge of the box: its two ends as (x₁, y, x₂) arrays.
type Edge3 = [[f64; 3]; 2];

/// The edge of the box plotters draws axis `axis` on (0: x₁, 1: y, 2: x₂), from its low end
/// to its high end: the same choice as plotters' own axis drawing (the edges along that axis
/// on the two back panels, the one nearest the viewer, then the highest on screen).
fn axis_edge<DB: DrawingBackend>(chart: &Chart3d<'_, DB>, b: &Box3d, axis: usize) -> Edge3 {
    let area = chart.plotting_area();
    let coord = area.as_coord_spec();
    let ranges = [b.x1, b.y, b.x2];
    let depth = |p: &[f64; 3]| coord.projected_depth(&p[0], &p[1], &p[2]);
    let screen_y = |p: &[f64; 3]| area.map_coordinate(&(p[0], p[1], p[2])).1;
    // Each panel (across axis i) lies at the end of i farther from the viewer.
    let panel = |i: usize| {
        let low = [ranges[0][0], ranges[1][0], ranges[2][0]];
        let mut high = low;
        high[i] = ranges[i][1];
        if depth(&low) >= depth(&high) {
            ranges[i][0]
        } else {
            ranges[i][1]
        }
    };
    // The nearest edge so far and its (depth, screen height).
    let mut best: Option<((i32, i32), Edge3)> = None;
    for i in (0..3).filter(|&i| i != axis) {
        let j = 3 - i - axis;
        for v in ranges[j] {
            let mut start = [0.0; 3];
            start[axis] = ranges[axis][0];
            start[i] = panel(i);
            start[j] = v;
            let mut end = start;
            end[axis] = ranges[axis][1];
            let key = (depth(&start) + depth(&end), screen_y(&start) + screen_y(&end));
            if best.as_ref().is_none_or(|(k, _)| key < *k) {
                best = Some((key, [start, end]));
            }
        }
    }
    best.map_or([[0.0; 3]; 2], |(_, edge)| edge)
}

/// One axis of the 3-D view as plotters draws it: its edge of the box on screen (device
/// pixels, low end to high end) and how many tick labels fit along it.
struct AxisOnScreen {
    /// The low and the high end.
    ends: [(i32, i32); 2],
    /// Tick labels asked for: one per 3.5 font heights of its length, 1 to 5.
    labels: usize,
}

/// The three axes (x₁, y, x₂) of `chart` on screen.
fn axes_on_screen<DB: DrawingBackend>(chart: &Chart3d<'_, DB>, b: &Box3d, font: f64) -> [AxisOnScreen; 3] {
    let area = chart.plotting_area();
    [0, 1, 2].map(|axis| {
        let [start, end] = axis_edge(chart, b, axis);
        let ends = [area.map_coordinate(&(start[0], start[1], start[2])), area.map_coordinate(&(end[0], end[1], end[2]))];
        let length = f64::from(ends[1].0 - ends[0].0).hypot(f64::from(ends[1].1 - ends[0].1));
        let labels = (length / (3.5 * font)).floor().clamp(1.0, 5.0) as usize;
        AxisOnScreen { ends, labels }
    })
}

/// Draws the names x₁, y and x₂ by their axes, beyond the tick labels (whose side follows
/// plotters' rule): under or over the middle of an axis whose labels sit under or over it,
/// beside the middle of one whose labels sit beside it.
fn draw_axis_names<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart3d<'_, DB>,
    b: &Box3d,
    axes: &[AxisOnScreen; 3],
    tick: i32,
    label_font: &TextStyle,
    scale: Scale,
) -> DrawResult<()> {
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let mid = ((xr.start + xr.end) / 2, (yr.start + yr.end) / 2);
    let (bx, by) = root.get_base_pixel();
    let font = scale.font(13.0);
    let ranges = [b.x1, b.y, b.x2];
    for ((axis, name), range) in axes.iter().zip(["x₁", "y", "x₂"]).zip(ranges) {
        let [p0, p1] = axis.ends;
        let along = (f64::from(p1.0 - p0.0), f64::from(p1.1 - p0.1));
        let x_dir = if p0.0 < mid.0 { -1.0 } else { 1.0 };
        let y_dir = if p0.1 < mid.1 { -1.0 } else { 1.0 };
        let labels_beside = (x_dir * along.0).abs() < (y_dir * along.1).abs();
        let middle = (0.5 * f64::from(p0.0 + p1.0), 0.5 * f64::from(p0.1 + p1.1));
        let (position, anchor) = if labels_beside {
            // Beyond the widest tick label.
            let coord: RangedCoordf64 = (range[0]..range[1]).into();
            let widest = coord
                .key_points(BoldPoints(axis.labels))
                .iter()
                .map(|v| {
                    let text = RangedCoordf64::format(v);
                    root.estimate_text_size(&text, label_font).map_or(0.6 * label_font.font.get_size() * text.chars().count() as f64, |(w, _)| f64::from(w))
                })
                .fold(0.0, f64::max);
            let reach = f64::from(2 * tick) + widest + 0.5 * font;
            let h = if x_dir > 0.0 { HPos::Left } else { HPos::Right };
            ((middle.0 + x_dir * reach, middle.1), Pos::new(h, VPos::Center))
        } else {
            let reach = f64::from(2 * tick) + 1.25 * label_font.font.get_size() + 0.2 * font;
            let v = if y_dir > 0.0 { VPos::Top } else { VPos::Bottom };
            ((middle.0, middle.1 + y_dir * reach), Pos::new(HPos::Center, v))
        };
        let style = ("sans-serif", font).into_font().color(&INK).pos(anchor);
        let at = (position.0.round() as i32 - bx, position.1.round() as i32 - by);
        root.draw(&Text::new(name, at, style)).map_err(draw_err)?;
    }
    Ok(())
}

/// Draws the 3-D view's static layer: the box's panels, grid and labelled axes, θ*'s plane
/// faint and the points (at most [`MAX_POINTS_3D`] of them); returns a transform of the
/// plotting area (over x₁ and y) for the record: the projection is none.
fn draw_static_3d<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scene: &FitScene) -> DrawResult<ViewTransform> {
    let scale = scene.scale;
    let frame = Frame3d { bounds: box_3d(scene.data), angle: scene.angle };
    let b = frame.bounds;
    let mut chart = chart_3d(root, &frame, scale)?;
    let tick = scale.px(4.0) as i32;
    let label_font = ("sans-serif", scale.font(11.0)).into_font().color(&INK);
    let axes = axes_on_screen(&chart, &b, scale.font(11.0));
    chart
        .configure_axes()
        .tick_size(tick)
        .x_labels(axes[0].labels)
        .y_labels(axes[1].labels)
        .z_labels(axes[2].labels)
        .max_light_lines(1)
        .light_grid_style(TRANSPARENT)
        .bold_grid_style(RGBColor(222, 226, 230))
        .axis_panel_style(RGBColor(248, 249, 250))
        .label_style(label_font.clone())
        .draw()
        .map_err(draw_err)?;
    draw_axis_names(root, &chart, &b, &axes, tick, &label_font, scale)?;

    let area = chart.plotting_area();
    if let Some(theta) = scene.optimum {
        let polygon = plane_polygon(&b, theta);
        if !polygon.is_empty() {
            area.draw(&Polygon::new(polygon, OPTIMUM_COLOR.mix(0.18).filled())).map_err(draw_err)?;
        }
        let style = ShapeStyle::from(&OPTIMUM_COLOR.mix(0.55)).stroke_width(scale.px(1.0));
        for segment in plane_wireframe(&b, theta, PLANE_LINES) {
            area.draw(&PathElement::new(segment.to_vec(), style)).map_err(draw_err)?;
        }
    }
    let (columns, ys) = (scene.data.columns(), scene.data.ys());
    if let (Some(x1), Some(x2)) = (columns.first(), columns.get(1)) {
        let n = ys.len();
        let stride = n.div_ceil(MAX_POINTS_3D).max(1);
        let (radius, alpha) = point_style(n.div_ceil(stride));
        let style = POINT_COLOR.mix(alpha).filled();
        let radius = (0.8 * radius * scale.pixel_ratio * scale.zoom).max(1.0).round() as i32;
        for ((&a, &c), &y) in x1.iter().zip(x2).zip(ys).step_by(stride) {
            area.draw(&Circle::new((a, y, c), radius, style)).map_err(draw_err)?;
        }
    }
    let (xr, yr) = area.get_pixel_range();
    Ok(ViewTransform { rect: PixelRect::from_ranges(xr, yr), x: b.x1, y: b.y })
}

/// Draws each run's current plane (θ in the original scale) as a wireframe in the run's
/// colour, in the 3-D view's `frame`.
pub fn draw_moving_planes<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame3d,
    planes: &[(usize, Theta)],
    scale: Scale,
) -> DrawResult<()> {
    let chart = chart_3d(root, frame, scale)?;
    let area = chart.plotting_area();
    for &(index, theta) in planes {
        let style = ShapeStyle::from(&run_color(index).mix(0.9)).stroke_width(scale.px(1.5));
        for segment in plane_wireframe(&frame.bounds, theta, PLANE_LINES) {
            area.draw(&PathElement::new(segment.to_vec(), style)).map_err(draw_err)?;
        }
    }
    Ok(())
}

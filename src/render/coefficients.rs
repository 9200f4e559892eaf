//! Coefficients per iteration: each θⱼ of the first run against the iteration, in one colour
//! per coefficient, its value in θ* dashed in the same colour, and a legend. With an L1 part
//! one sees coefficients reach exactly 0 and stay there. Drawn whole every frame from the
//! run's history at screen resolution (per pixel column the first, lowest, highest and last
//! value of each coefficient: [`super::resolution::m4`]).

use super::loss_curve::{axis_end, format_iteration};
use super::resolution::M4;
use super::text::{subscript, Label};
use super::{draw_err, padded, DrawResult, Scale, INK};
use crate::objective::Theta;
use crate::run::HistoryPoint;
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

/// A run's coefficients per iteration decimated to pixel columns: one polyline per
/// coefficient, the range of their values, the iteration axis's end.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoefficientLines {
    /// Per coefficient, (iteration, θⱼ) at screen resolution.
    pub lines: Vec<Vec<(f64, f64)>>,
    /// The smallest and largest finite value of any coefficient.
    pub range: Option<[f64; 2]>,
    /// The end of the iteration axis.
    pub end: f64,
}

/// What a [`CoefficientCache`] was decimated for: the history's stride, the axis's end, the
/// data area's width and the run's start (which holds the number of coefficients).
#[derive(Debug, Clone, Copy, PartialEq)]
struct CoefficientKey {
    stride: u64,
    end: f64,
    width: i64,
    start: Theta,
}

impl CoefficientKey {
    /// Whether lines kept for `self` can go on, drawn as they are, for a history of `key`: the
    /// same run and width, only the axis longer or the history thinned since.
    fn leads_to(&self, key: &CoefficientKey) -> bool {
        self.width == key.width && self.start == key.start && self.end <= key.end && self.stride <= key.stride
    }
}

/// The first run's coefficient lines kept between frames: only the points recorded since the
/// last frame are taken in, unless the run restarted.
///
/// When the axis grows or the history is thinned, the lines are decimated afresh,
/// [`REBUILD_ROWS`] points of the history a call, while the kept ones go on (at their columns,
/// from the first point past the last they took in) and are drawn, as
/// [`crate::render::loss_curve::CurveCache`] does.
#[derive(Debug, Clone, Default)]
pub struct CoefficientCache {
    key: Option<CoefficientKey>,
    taken: usize,
    last: Option<(u64, Theta)>,
    m4: Vec<M4<(f64, f64)>>,
    range: Option<[f64; 2]>,
    /// The lines being decimated afresh (see above).
    next: Option<Box<CoefficientCache>>,
}

/// Points of the history lines decimated afresh take in per call (see [`CoefficientCache`]).
pub const REBUILD_ROWS: usize = 1_000;

/// The width in device pixels of the plot's data area on a canvas `width` wide (its margins
/// and the y labels' area, as [`draw`] lays them out).
pub fn plot_width(width: u32, scale: Scale) -> i64 {
    (width as i64 - 2 * scale.px(10.0) as i64 - scale.px(62.0) as i64).max(1)
}

impl CoefficientCache {
    /// The lines of `history` (a run's recorded points, thinned with `stride`) up to
    /// `last_iteration` on a data area `width` pixels wide; `live` when `history` is the whole
    /// live history (else it is drawn afresh and nothing is kept).
    pub fn lines(&mut self, history: &[HistoryPoint], stride: u64, last_iteration: u64, width: i64, live: bool) -> CoefficientLines {
        let Some(first) = history.first() else { return CoefficientLines::default() };
        let end = axis_end(last_iteration as f64);
        let key = CoefficientKey { stride, end, width, start: first.theta };
        if !(live && self.holds(history) && self.key == Some(key) && self.next.is_none()) {
            if live && self.goes_on(history, &key) {
                let mut next = match self.next.take() {
                    Some(next) if next.key == Some(key) && next.holds(history) => next,
                    _ => Box::new(CoefficientCache::empty(key)),
                };
                let upto = (next.taken + REBUILD_ROWS).min(history.len());
                next.take_in(history, upto);
                if next.taken == history.len() {
                    *self = *next;
                } else {
                    self.next = Some(next);
                }
            } else {
                *self = CoefficientCache::empty(key);
            }
        }
        self.take_in(history, history.len());
        let lines = CoefficientLines { lines: self.m4.iter().map(M4::snapshot).collect(), range: self.range, end };
        if !live {
            *self = CoefficientCache::default();
        }
        lines
    }

    fn empty(key: CoefficientKey) -> Self {
        CoefficientCache { key: Some(key), m4: (0..key.start.len()).map(|_| M4::default()).collect(), ..CoefficientCache::default() }
    }

    /// Whether `history` still holds the points taken in: it only grew.
    fn holds(&self, history: &[HistoryPoint]) -> bool {
        history.len() >= self.taken && (self.taken == 0 || self.last == Some((history[self.taken - 1].iteration, history[self.taken - 1].theta)))
    }

    /// Whether these lines can go on, drawn as they are, for `history` of `key` while fresh
    /// ones are built; when the history was thinned, they go on from its first point past the
    /// last they took in.
    fn goes_on(&mut self, history: &[HistoryPoint], key: &CoefficientKey) -> bool {
        let Some(old) = self.key.filter(|old| self.taken > 0 && old.leads_to(key)) else { return false };
        if old.stride == key.stride {
            return self.holds(history);
        }
        let last = self.last.map_or(0, |(k, _)| k);
        if history.last().is_none_or(|p| p.iteration < last) {
            return false;
        }
        let at = history.partition_point(|p| p.iteration <= last);
        self.taken = at;
        self.last = Some((history[at - 1].iteration, history[at - 1].theta));
        self.key = Some(CoefficientKey { stride: key.stride, ..old });
        true
    }

    /// Takes in `history[taken..upto]` at the columns of this cache's axis.
    fn take_in(&mut self, history: &[HistoryPoint], upto: usize) {
        let Some(key) = self.key else { return };
        let column = |k: u64| (k as f64 / key.end * key.width as f64).floor() as i64;
        for point in &history[self.taken..upto] {
            for (j, m4) in self.m4.iter_mut().enumerate() {
                let v = point.theta[j];
                m4.push(column(point.iteration), v, (point.iteration as f64, v));
                self.range = widen(self.range, v);
            }
        }
        if upto > self.taken {
            self.taken = upto;
            self.last = Some((history[upto - 1].iteration, history[upto - 1].theta));
        }
    }
}

/// `range` grown to hold `v` when it is finite.
fn widen(range: Option<[f64; 2]>, v: f64) -> Option<[f64; 2]> {
    if !v.is_finite() {
        return range;
    }
    Some(match range {
        Some([lo, hi]) => [lo.min(v), hi.max(v)],
        None => [v, v],
    })
}

/// The name of coefficient k in the legend: θ₀, θ₁, …
pub fn coefficient_name(k: usize) -> String {
    format!("θ{}", subscript(k))
}

/// Draws the plot whole.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scene: &CoefficientScene) -> DrawResult<()> {
    let scale = scene.scale;
    root.fill(&WHITE).map_err(draw_err)?;
    let p = scene.lines.lines.len();
    if p == 0 {
        return Ok(());
    }
    let mut range = scene.lines.range;
    for theta in scene.tail.map(|(_, t)| t).iter().chain(scene.optimum.iter()) {
        for &v in theta.as_slice() {
            range = widen(range, v);
        }
    }
    let [lo, hi] = range.unwrap_or([-1.0, 1.0]);
    let y = padded(lo, hi, 0.08, 1e-9_f64.max(lo.abs().max(hi.abs()) * 1e-6));
    let end = scene.lines.end;
    let label_font = ("sans-serif", scale.font(13.0)).into_font().color(&INK);
    let mut chart = ChartBuilder::on(root)
        .margin(scale.px(10.0))
        .x_label_area_size(scale.px(40.0))
        .y_label_area_size(scale.px(62.0))
        .build_cartesian_2d(0f64..end, y[0]..y[1])
        .map_err(draw_err)?;
    let (width, height) = chart.plotting_area().dim_in_pixel();
    let rows = super::labels_along(height, scale, 5);
    chart
        .configure_mesh()
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(RGBColor(233, 236, 239))
        .x_labels(super::labels_across(width, scale, 5))
        .y_labels(rows)
        .x_label_formatter(&|v| format_iteration(*v))
        .label_style(label_font.clone())
        .axis_desc_style(label_font.clone())
        .x_desc(scale.text(Label::Iteration))
        .y_desc("θ")
        .axis_style(ShapeStyle::from(&INK).stroke_width(scale.px(1.0)))
        .draw()
        .map_err(draw_err)?;
    for (j, line) in scene.lines.lines.iter().enumerate() {
        let color = COEFFICIENT_COLORS[j % COEFFICIENT_COLORS.len()];
        if let Some(star) = scene.optimum.map(|t| t[j]).filter(|v| v.is_finite()) {
            let style = ShapeStyle::from(&color.mix(0.6)).stroke_width(scale.px(1.5));
            chart
                .draw_series(DashedLineSeries::new([(0.0, star), (end, star)], scale.px(6.0), scale.px(5.0), style))
                .map_err(draw_err)?;
        }
        let mut line: Vec<(f64, f64)> = line.iter().copied().filter(|(_, v)| v.is_finite()).collect();
        if let Some((k, theta)) = scene.tail {
            line.push((k as f64, theta[j]));
        }
        let pixels: Vec<(i32, i32)> = line.iter().map(|p| chart.backend_coord(p)).collect();
        super::draw_line(root, &pixels, ShapeStyle::from(&color).stroke_width(scale.px(2.0)))?;
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
